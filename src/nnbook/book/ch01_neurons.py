"""Chapter 1, neurons: its figures, then its demos, then its exercise checkers."""

import matplotlib as mpl
import numpy as np

from nnbook.activations import step
from nnbook.checks import (
    Failure,
    as_number,
    as_numbers_or_none,
    call,
    checker,
    expect_array,
    expect_number,
    require_callable,
    short,
)
from nnbook.data import GATE_INPUTS, GATE_TARGETS
from nnbook.neuron import XOR_NETWORK, format_truth_table, layer, score_gates, truth_table
from nnbook.plotting import CLASS_COLOURS, PALETTE, draw_network, line_in_box, new_axes, plot_points, subplots
from nnbook.widgets import Demo, LiveFigure, Slider

#: The gates the chapter's figure and demo show, one panel each.
GATES = ("AND", "OR", "XOR")


# --- Figures -------------------------------------------------------------------------------

#: Colours of the two sides of a neuron's line: where it outputs 1, where it outputs 0.
SIDE_COLOURS = (mpl.colors.to_rgba(CLASS_COLOURS[0], 0.18), mpl.colors.to_rgba(CLASS_COLOURS[1], 0.15))


def half_planes(w1, w2, b, lo, hi):
    r"""The square $[lo, hi]^2$ cut by the line $w_1 x_1 + w_2 x_2 + b = 0$: two polygons.

    Returns (fires, silent): vertices (k, 2) of the part where the sum is above 0 and of the
    part where it is at or below 0 (the square clipped by each half-plane). A part that is
    empty comes back as a zero-area triangle at a corner, so the patch keeps its place.
    """
    corners = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]], dtype=float)
    sums = corners @ np.array([w1, w2], dtype=float) + b

    def clip(sign):
        points = []
        for k in range(4):  # walk the square's edges, keep the inside, add the crossings
            p, q, sp, sq = corners[k], corners[(k + 1) % 4], sign * sums[k], sign * sums[(k + 1) % 4]
            if sp >= 0:
                points.append(p)
            if (sp > 0 > sq) or (sp < 0 < sq):
                points.append(p + (q - p) * sp / (sp - sq))
        return np.array(points) if len(points) >= 3 else np.repeat(corners[:1], 3, axis=0)

    return clip(1.0), clip(-1.0)


def plot_decision_line(w, b, ax, *, limits=(-0.5, 1.5), shade=True, colour=PALETTE["black"], zorder=2):
    r"""Draw the line $w_1 x_1 + w_2 x_2 + b = 0$ and shade both sides (orange: output 1).

    Drawn directly (two polygons for the shading, two end points for the line) rather than
    with contour plots, so that a slider redraw stays fast. Returns the figure.
    """
    lo, hi = limits
    w1, w2 = float(w[0]), float(w[1])
    if shade:
        for vertices, face in zip(half_planes(w1, w2, float(b), lo, hi), SIDE_COLOURS):
            ax.add_patch(mpl.patches.Polygon(vertices, closed=True, facecolor=face, edgecolor="none",
                                             lw=0, zorder=zorder - 0.4))
    ends = line_in_box(w1, w2, float(b), lo, hi)
    if ends is not None:
        ax.plot(*ends, color=colour, lw=2, zorder=zorder)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    return ax.figure


class GatesFigure(LiveFigure):
    """One step neuron's decision line over the points of each gate, with its truth table.

    The shaded orange side is where the neuron outputs 1; a red ring marks a row it gets
    wrong. Under each panel: the truth table the gate wants; under the figure: the one the
    neuron computes. ``GatesFigure.plot(w1=1, w2=1, b=-1.5)`` draws it; the live demo
    redraws it in place (the shading sits above the grid, so the axes are not repainted).
    """

    LIMITS = (-0.5, 1.5)

    def draw(self, w1, w2, b, gates=GATES):
        fig, axes = subplots(1, len(gates), figsize=(3.1 * len(gates), 4.1), layout=None)
        fig.subplots_adjust(left=0.07, right=0.96, bottom=0.25, top=0.83, wspace=0.35)
        lo, hi = self.LIMITS
        self.panels = []
        for ax, gate in zip(np.atleast_1d(axes), gates):
            sides = [ax.add_patch(mpl.patches.Polygon(np.zeros((3, 2)), closed=True, facecolor=face,
                                                      edgecolor="none", lw=0))
                     for face in SIDE_COLOURS]
            (line,) = ax.plot([], [], color=PALETTE["black"], lw=2, zorder=2)
            before = len(ax.collections)
            plot_points(GATE_INPUTS, GATE_TARGETS[gate], ax)
            points = ax.collections[before:]
            rings = ax.scatter(np.empty(0), np.empty(0), s=380, facecolors="none",
                               edgecolors=PALETTE["vermillion"], linewidths=2.5, zorder=4)
            ax.set(xlim=(lo, hi), ylim=(lo, hi), aspect="equal", xticks=[0, 1], yticks=[0, 1])
            ax.set_xlabel("$x_1$", labelpad=1)
            wants = format_truth_table(GATE_INPUTS, GATE_TARGETS[gate])
            self.fixed.append(ax.text(0.5, -0.25, f"{gate} wants: {wants}", transform=ax.transAxes,
                                      ha="center", va="center", fontsize=10))
            title = ax.set_title(" ")
            self.panels.append({"gate": gate, "sides": sides, "line": line, "rings": rings, "title": title})
            # Redrawn on every move, in this order (the shading must stay under the points).
            self.dynamic += [*sides, line, *points, rings, title]
        # Static halves are painted once into the background; only the short values change.
        fig.text(0.5, 0.945, "One neuron:  ", ha="right", va="center", fontsize=12)
        self.settings_text = fig.text(0.5, 0.945, "", ha="left", va="center", fontsize=12)
        fig.text(0.96, 0.945, "orange side: output 1", ha="right", va="center", fontsize=10, color="dimgray")
        fig.text(0.5, 0.035, "the neuron computes:  ", ha="right", va="center", fontsize=10.5)
        self.table = fig.text(0.5, 0.035, "", ha="left", va="center", fontsize=10.5, fontweight="bold")
        self.dynamic += [self.settings_text, self.table]
        return fig

    def update(self, w1, w2, b, gates=GATES):
        lo, hi = self.LIMITS
        w = np.array([w1, w2], dtype=float)
        fires, silent = half_planes(w[0], w[1], float(b), lo, hi)
        ends = line_in_box(w[0], w[1], float(b), lo, hi)
        scores = score_gates(w, b, gates)
        for panel in self.panels:
            outputs, correct = scores[panel["gate"]]
            panel["sides"][0].set_xy(fires)
            panel["sides"][1].set_xy(silent)
            panel["line"].set_data(*(ends if ends is not None else ([], [])))
            wrong = outputs != GATE_TARGETS[panel["gate"]]
            panel["rings"].set_offsets(GATE_INPUTS[wrong])
            panel["title"].set_text(f"{panel['gate']}: {gate_verdict(correct)}")
            panel["title"].set_color("black" if correct == 4 else PALETTE["vermillion"])
        outputs = scores[gates[0]][0]
        self.table.set_text(format_truth_table(GATE_INPUTS, outputs))
        self.settings_text.set_text(f"w1 = {w1:g}, w2 = {w2:g}, b = {b:g}")


def gate_verdict(correct):
    """'all 4 right' or 'k/4 right'."""
    return "all 4 right" if correct == 4 else f"{correct}/4 right"


def plot_xor_hidden_space(network=XOR_NETWORK):
    """XOR before and after the hidden layer of a 2-2-1 step network, each point labelled.

    Left: the four inputs with the two hidden neurons' lines. Right: where the hidden layer
    sends each input, (OR output, NAND output), with the output neuron's line; each point
    is labelled "input -> hidden", and inputs that land on the same point share one label.
    """
    fig, (ax_in, ax_hidden) = subplots(1, 2, figsize=(9.4, 4.8))
    xor = GATE_TARGETS["XOR"]
    names = ("OR", "NAND")
    colours = (PALETTE["green"], PALETTE["purple"])
    for unit, (name, colour) in enumerate(zip(names, colours)):
        plot_decision_line(network["W_hidden"][:, unit], network["b_hidden"][unit], ax_in, shade=False,
                           colour=colour)
        ax_in.plot([], [], color=colour, lw=2, label=f"{name} neuron's line")
    plot_points(GATE_INPUTS, xor, ax_in)
    ax_in.set_title("Input space: no single line works")
    ax_in.legend(loc="upper center", fontsize=8, ncols=2, bbox_to_anchor=(0.5, -0.16))
    hidden = layer(GATE_INPUTS, network["W_hidden"], network["b_hidden"], activation=step)
    plot_decision_line(network["w_out"], network["b_out"], ax_hidden)
    plot_points(hidden, xor, ax_hidden)
    for point in np.unique(hidden, axis=0):
        sources = [row for row, h in zip(GATE_INPUTS, hidden) if np.array_equal(h, point)]
        label = ", ".join(_pair(row) for row in sources) + f" → {_pair(point)}"
        right = point[0] > 0.5
        ax_hidden.annotate(label, point, xytext=(-10 if right else 10, 17 if right and point[1] > 0.5 else -17),
                           textcoords="offset points", ha="right" if right else "left", va="center", fontsize=9,
                           bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85), zorder=5)
    ax_hidden.set(title="Hidden space: one AND line works", xlabel="OR neuron's output",
                  ylabel="NAND neuron's output", xticks=[0, 1], yticks=[0, 1])
    ax_in.set(xticks=[0, 1], yticks=[0, 1])
    return fig


def _pair(values):
    """(0, 1) for a row of 0.0 / 1.0 values."""
    return "(" + ", ".join(f"{v:g}" for v in values) + ")"


def plot_neuron_diagram(n_inputs=4):
    """One neuron with ``n_inputs`` inputs: one arrow, and so one weight, per input, and an
    arrow out to its output $a = f(z)$."""
    fig = draw_network(
        [n_inputs, 1],
        node_labels={**{(0, i): f"$x_{i + 1}$" for i in range(n_inputs)}, (1, 0): "Σ, f"},
        edge_labels={(0, i, 0): f"$w_{i + 1}$" for i in range(n_inputs)},
        layer_names=["inputs", "neuron (+ bias $b$)"],
    )
    ax = fig.axes[0]
    ax.annotate("", xy=(1.55, 0), xytext=(1, 0), zorder=2,
                arrowprops=dict(arrowstyle="-|>", color=PALETTE["grey"], lw=1.2, shrinkA=16, shrinkB=0))
    ax.text(1.6, 0, "$a = f(z)$", ha="left", va="center", fontsize=11)
    ax.set_xlim(ax.get_xlim()[0], 2.25)
    fig.set_size_inches(fig.get_figwidth() + 1.4, fig.get_figheight())  # room for the output arrow
    return fig


def plot_step_activation(ax=None):
    """The threshold (step) activation: 0 up to and including z = 0, then 1."""
    fig, ax = new_axes(ax, figsize=(5, 2.6))
    zs = np.linspace(-3, 3, 601)
    ax.plot(zs, step(zs), lw=2.5)
    ax.set(xlabel="weighted sum z", ylabel="output step(z)", title="The threshold (step) activation")
    return fig


def plot_transactions_network():
    """The worked example: inputs 2 and 3, hidden units i and j, output k, weights on the arrows."""
    return draw_network(
        [2, 2, 1],
        node_labels={(0, 0): "2", (0, 1): "3", (1, 0): "i", (1, 1): "j", (2, 0): "k"},
        edge_labels={(0, 0, 0): "1", (0, 1, 0): "1", (0, 0, 1): "−1", (0, 1, 1): "1", (1, 0, 0): "2",
                     (1, 1, 0): "−1"},
        input_names=["family members", "accounts"],
        layer_names=["inputs", "hidden", "output"],
    )


def plot_perceptron_runs(runs, X, y, learned="separable points"):
    """Left: mistakes per epoch of each run; right: the points ``X, y`` and the line the run
    named ``learned`` ended with. runs: {label: PerceptronRun}."""
    fig, (ax_curve, ax_line) = subplots(1, 2, figsize=(10, 3.9), width_ratios=[1.5, 1])
    plot_mistakes({name: run.mistakes for name, run in runs.items()}, ax_curve)
    plot_decision_line(runs[learned].w, runs[learned].b, ax_line, limits=(-1.1, 1.1))
    plot_points(X, y, ax_line, size=35)
    ax_line.set_title("The line it learned on\nthe separable points")
    return fig


def plot_mistakes(runs, ax=None):
    """Mistakes per epoch of perceptron runs. runs: {label: list of mistakes per epoch}."""
    fig, ax = new_axes(ax, figsize=(6.4, 3.2))
    for label, mistakes in runs.items():
        ax.plot(np.arange(1, len(mistakes) + 1), mistakes, marker="o", label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mistakes in the epoch")
    ax.set_ylim(bottom=-0.4)  # a run's last epoch, 0 mistakes, shows its whole marker
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.set_title("Perceptron rule: mistakes per epoch")
    ax.legend()
    return fig


# --- Demos ---------------------------------------------------------------------------------


def neuron_gates_demo():
    """Move w1, w2 and b; watch one neuron's line over the AND, OR and XOR points."""
    controls = {
        "w1": Slider(-2.0, 2.0, 1.0, step=0.1),
        "w2": Slider(-2.0, 2.0, 1.0, step=0.1),
        "b": Slider(-3.0, 3.0, -1.5, step=0.1),
    }
    # On the website: both weights at +-1 and five biases (20 frames). The text asks the
    # reader to make AND right (1, 1, -1.5), then OR by moving only b (1, 1, -0.5), and to
    # get 3 of XOR's rows, the most any single line can (e.g. 1, -1, -0.5): all reachable.
    grid = {"w1": [-1.0, 1.0], "w2": [-1.0, 1.0], "b": [-2.5, -1.5, -0.5, 0.5, 1.5]}
    return Demo(GatesFigure, controls, grid=grid, caption=gates_caption,
                alt="Three panels (AND, OR, XOR) of the four input points, the neuron's decision "
                    "line, the side where it outputs 1 shaded orange, and wrong rows ringed in red.")


def gates_caption(w1, w2, b, gates=GATES):
    """A frame's caption: how many rows of each gate the neuron gets right."""
    scores = score_gates(np.array([w1, w2], dtype=float), b, gates)
    return "; ".join(f"{gate}: {gate_verdict(scores[gate][1])}" for gate in gates) + "."


#: Every demo of this chapter, by name (the tests sweep each).
DEMOS = {"neuron_gates": neuron_gates_demo}


# --- Exercise checkers ---------------------------------------------------------------------


@checker("check_neuron_output")
def check_neuron_output(fn):
    """Check ``fn(x, w, b)``: one step neuron, 1.0 when w·x + b > 0, else 0.0.

    x: one example, a list or array (D,) -> one number; or a batch (N, D) -> (N,) outputs.
    w: a list or array (D,); b: a number.
    """
    require_callable(fn, "neuron function")
    cases = [  # (x, w, b), expected output, the sum z, hint
        (([0, 0], [1, 1], 0.5), 1.0, 0.5, "with all inputs 0 only the bias is left: 0.5 > 0, so it fires."),
        (([1, 1], [1, 1], -1.5), 1.0, 0.5, "AND fires on (1, 1): 1 + 1 - 1.5 = 0.5 > 0."),
        (([0, 1], [1, 1], -1.5), 0.0, -0.5, "AND stays silent on (0, 1): 0 + 1 - 1.5 < 0."),
        (([2, 3], [1, -1], 1.0), 0.0, 0.0, "the sum is exactly 0 here; the unit fires only when the sum is "
                                           "above 0 (use >, not >=)."),
        (([2, 3, 4], [0.5, -1, 0.25], 0.2), 0.0, -0.8, "multiply each input by its weight and add them all: "
                                                       "1 - 3 + 1 + 0.2 = -0.8."),
        (([0.5, 0.5, 0.5, 0.5], [1, 1, 1, 1], -1.9), 1.0, 0.1, "four inputs, four weights: 2 - 1.9 = 0.1 > 0."),
        ((np.array([-1.0, 2.0]), np.array([3.0, 2.0]), 0.0), 1.0, 1.0, "numpy arrays must work as well as "
                                                                       "lists: -3 + 4 = 1 > 0."),
    ]
    list_hint = ("x and w may arrive as Python lists, and `@` does not work on lists (nor does `*` "
                 "multiply them elementwise): use np.dot(x, w), or turn them into arrays with np.asarray.")
    for args, expected, z, hint in cases:
        describe = f"x={short(args[0])}, w={short(args[1])}, b={args[2]}"
        try:
            value = call(fn, *args, describe=describe, hint=hint)
        except Failure as failure:
            message = str(failure).split("\n   Hint:")[0]
            if isinstance(args[0], list) and "raised TypeError" in message and "list" in message:
                raise Failure(message, hint=list_hint) from None
            raise
        got = as_number(value)
        if got is not None and got not in (0.0, 1.0) and np.isclose(got, z):
            raise Failure(f"for {describe} your function returned the weighted sum z = {got:g} itself.",
                          hint="a threshold neuron outputs only 1.0 (z > 0) or 0.0 (z <= 0).")
        if got is not None and got not in (0.0, 1.0) and np.isclose(got, 1 / (1 + np.exp(-z))):
            raise Failure(f"for {describe} your function returned {got:.4g}, the sigmoid of the sum "
                          f"z = {z:g}.", hint="this exercise's neuron is the threshold unit: 1.0 when "
                          "z > 0, else 0.0 (np.where(z > 0, 1.0, 0.0)); the sigmoid comes in chapter 2.")
        without_bias = float(np.dot(args[0], args[1]) > 0)
        if got == without_bias != expected:
            raise Failure(f"for {describe} expected {expected:g}, got {got:g}: the answer without the bias.",
                          hint=f"add b to the weighted sum before the threshold: {hint}")
        expect_number(value, expected, describe=describe, hint=hint)
    batch_hint = ("for a batch, z = X @ w + b is an array of N sums, one per row; `1.0 if z > 0 else 0.0` "
                  "needs a single number, while np.where(z > 0, 1.0, 0.0) works on one sum and on many.")
    batches = [  # X (N, D), w, b -> the N outputs (AND's truth table; then a row whose sum is 0)
        (GATE_INPUTS, [1.0, 1.0], -1.5, [0.0, 0.0, 0.0, 1.0]),
        (np.array([[2.0, 3.0], [1.0, 0.0], [0.0, 0.0]]), [1.0, -1.0], 1.0, [0.0, 1.0, 1.0]),
    ]
    for X, w, b, expected in batches:
        describe = f"a batch X={short(X)} (one example per row), w={w}, b={b}"
        value = call(fn, X.copy(), w, b, describe=describe, hint=batch_hint)
        got = as_numbers_or_none(value)
        if got is not None and got.shape == () and len(X) > 1:
            raise Failure(f"for {describe} your function returned one number, {got:g}; a batch of {len(X)} "
                          f"examples needs {len(X)} outputs, one per row.\n   Hint: {batch_hint}")
        expect_array(value, expected, describe=describe, hint=batch_hint)
    return len(cases) + len(batches)


#: The truth tables the gate checkers recognise, to name what a wrong answer computes instead.
_KNOWN_TABLES = {**{gate: tuple(targets) for gate, targets in GATE_TARGETS.items()},
                 "XNOR": (1.0, 0.0, 0.0, 1.0), "the constant 0": (0.0,) * 4, "the constant 1": (1.0,) * 4,
                 "a copy of x1": (0.0, 0.0, 1.0, 1.0), "a copy of x2": (0.0, 1.0, 0.0, 1.0),
                 "x1 and not x2": (0.0, 0.0, 1.0, 0.0), "x2 and not x1": (0.0, 1.0, 0.0, 0.0)}


def _name_of_table(outputs):
    """The name of a known two-input truth table equal to ``outputs``, or None."""
    outputs = tuple(float(v) for v in outputs)
    return next((name for name, table in _KNOWN_TABLES.items() if table == outputs), None)


@checker(lambda gate, w, b, margin=0.0: f"check_gate_weights({gate!r})")
def check_gate_weights(gate, w, b, margin=0.0):
    """Check that one step neuron with weights ``w`` and bias ``b`` computes ``gate``.

    margin: when above 0, every row's sum must also be at least ``margin`` away from 0, so
    that no row sits close to the line (the margin the chapter's grid search reports).
    """
    if gate not in GATE_TARGETS and gate != "NOT":
        raise ValueError(f"gate must be one of {sorted(GATE_TARGETS) + ['NOT']}; got {gate!r}")
    margin = float(margin)
    if not margin >= 0:
        raise ValueError(f"margin must be a number >= 0; got {margin!r}")
    inputs = np.array([[0.0], [1.0]]) if gate == "NOT" else GATE_INPUTS
    targets = np.array([1.0, 0.0]) if gate == "NOT" else GATE_TARGETS[gate]
    w = as_numbers_or_none(w)
    if w is None or np.atleast_1d(w).shape != (inputs.shape[1],):
        got = "not numbers" if w is None else f"shape {np.shape(w)}"
        raise Failure(f"{gate} has {inputs.shape[1]} input(s), so w needs {inputs.shape[1]} weight(s); got {got}.")
    w = np.atleast_1d(w)
    bias = as_number(b)
    if bias is None:
        raise Failure(f"b must be one number, the neuron's bias; got {b!r}.",
                      hint="a neuron has one bias however many inputs it has: a number such as 1.0, not a list.")
    b = bias
    outputs = truth_table(w, b, inputs)
    computes = _name_of_table(outputs) if gate != "NOT" else None
    for row, target, output in zip(inputs, targets, outputs):
        if target != output:
            if gate == "XOR":
                hint = "no single line separates XOR's points: this one cannot pass (see the widget above)."
            else:
                z = float(row @ w + b)
                hint = f"on input {_pair(row)} the sum is {z:g}; it must be {'above' if target else 'at or below'} 0."
            what = f"your neuron computes {computes}, not {gate}. " if computes and computes != gate else ""
            raise Failure(f"{what}On input {_pair(row)} expected {int(target)}, your neuron gives {int(output)}."
                          f"\n   Hint: {hint}")
    sums = inputs @ w + float(b)
    closest = int(np.argmin(np.abs(sums)))
    if abs(sums[closest]) < margin * (1 - 1e-9):  # a margin met up to round-off passes
        z = float(sums[closest])
        where = ("exactly 0: the row sits on the line, and only the tie rule (0 counts as 'off') "
                 "gets it right" if z == 0 else f"{z:.3g}, only {abs(z):.3g} away from 0")
        raise Failure(f"your neuron computes {gate}, but on input {_pair(inputs[closest])} the sum is {where}; "
                      f"every sum must be at least {margin:g} away from 0.\n   Hint: "
                      + ("scaling cannot move a sum of 0: first change the bias so that this row is "
                         "clearly on its side." if z == 0 else
                         "multiply every weight and the bias by the same positive number: every sum "
                         "is multiplied by it, and the line stays where it is."))
    return len(inputs) + (margin > 0)


@checker("check_perceptron_update")
def check_perceptron_update(fn):
    """Check ``fn(w, b, x, target, learning_rate)`` -> (new w, new b): one perceptron-rule step.

    Update only on a mistake (a sum of exactly 0 counts as one): add learning_rate * x to w
    and learning_rate to b when the target is 1, subtract them when it is 0. The function
    must return new values and leave the w it was given unchanged.
    """
    require_callable(fn, "update function")
    cases = [  # w, b, x, target, learning_rate -> expected new w, new b (worked by hand)
        (([0.0, 0.0], 0.0, [1.0, 1.0], 1, 1.0), ([1.0, 1.0], 1.0)),         # sum 0: a mistake
        (([1.0, 1.0], 0.0, [1.0, 0.0], 0, 1.0), ([0.0, 1.0], -1.0)),        # sum 1 > 0 for target 0
        (([1.0, 1.0], -1.5, [1.0, 1.0], 1, 1.0), ([1.0, 1.0], -1.5)),       # sum 0.5 > 0: right
        (([1.0, 1.0], -1.5, [0.0, 1.0], 0, 1.0), ([1.0, 1.0], -1.5)),       # sum -0.5 <= 0: right
        (([0.5, -0.5], 0.2, [2.0, 1.0], 0, 0.1), ([0.3, -0.6], 0.1)),       # sum 0.7: step of 0.1
        (([1.0, -1.0], 0.0, [1.0, 1.0], 0, 1.0), ([0.0, -2.0], -1.0)),      # sum 0, target 0: a mistake
        (([0.0, 1.0, 0.0], 0.0, [1.0, -1.0, 2.0], 1, 0.5), ([0.5, 0.5, 1.0], 0.5)),  # three inputs
    ]
    for (w, b, x, target, lr), (expected_w, expected_b) in cases:
        w_in, x_in = np.array(w), np.array(x)
        describe = f"w={w}, b={b}, x={x}, target={target}, learning_rate={lr}"
        value = call(fn, w_in, b, x_in, target, lr, describe=describe)
        if not (isinstance(value, tuple) and len(value) == 2):
            raise Failure(f"for {describe} expected a pair (new_w, new_b), got {value!r}.\n"
                          "   Hint: end with `return new_w, new_b`.")
        got_w, got_b = as_numbers_or_none(value[0]), as_number(value[1])
        if got_w is None or got_w.shape != (len(w),) or got_b is None:
            shape = "not numbers" if got_w is None else f"shape {got_w.shape}"
            raise Failure(f"for {describe} expected new_w of shape ({len(w)},) and a number new_b; "
                          f"got {shape} and {value[1]!r}.")
        if not np.array_equal(w_in, np.array(w)):
            raise Failure(f"for {describe} your function changed w in place (the array passed in now holds "
                          f"{short(w_in)}). Return a new array instead: w + learning_rate * s * x, not "
                          "w += ...; the caller may still need the old weights.")
        if not (np.allclose(got_w, expected_w, rtol=1e-9, atol=1e-12) and np.isclose(got_b, expected_b)):
            raise Failure(f"for {describe} expected w={expected_w}, b={expected_b:g}; got "
                          f"w={short(np.round(got_w, 12))}, b={got_b:g}.\n   Hint: "
                          + _update_diagnosis(np.array(w), b, np.array(x), target, lr, got_w, got_b))
    return len(cases)


def _update_diagnosis(w, b, x, target, lr, got_w, got_b):
    """What a wrong perceptron step most likely did, from the answer it gave."""
    s = 1.0 if target == 1 else -1.0
    z = float(w @ x + b)
    right = s * z > 0

    def gave(new_w, new_b):
        return np.allclose(got_w, new_w, rtol=1e-9, atol=1e-12) and np.isclose(got_b, new_b)

    if right:
        return (f"the neuron is already right here (sum {z:g}, target {target}), so nothing changes: "
                "update only after a mistake.")
    if gave(w, b) and z == 0:
        return "the sum is exactly 0, and a sum of 0 counts as a mistake: the rule updates here."
    if gave(w, b):
        return (f"the neuron is wrong here (sum {z:g}, target {target}), so the rule must move w and b; "
                + ("for target 0, s = -1 (not 0): subtract." if target == 0 else "add learning_rate * x."))
    if gave(w - lr * s * x, b - lr * s):
        return "you moved the wrong way: add learning_rate * x for target 1, subtract it for target 0."
    if gave(w + s * x, b + s):
        return "the learning rate scales the step: w + learning_rate * s * x, and b + learning_rate * s."
    if gave(w + lr * s * x, b):
        return "the bias moves too: b + learning_rate * s (it is the weight of an input fixed at 1)."
    return "on a mistake, w + learning_rate * s * x and b + learning_rate * s, with s = +1 for target 1, -1 for 0."


@checker("check_xor_network")
def check_xor_network(fn):
    """Check ``fn(x)`` -> 0 or 1: a network of step neurons that computes XOR of x = (x1, x2)."""
    require_callable(fn, "network function")
    hint = "XOR is 1 when exactly one input is 1: OR the two cases 'x1 and not x2', 'x2 and not x1'."
    outputs = []
    for row in GATE_INPUTS:
        describe = f"x={_pair(row)}"
        value = call(fn, row.copy(), describe=describe, hint=hint)
        got = as_number(value)
        if got is None:
            raise Failure(f"for {describe} expected one number (0 or 1), got {value!r} (shape {np.shape(value)}).\n"
                          "   Hint: the hidden neurons give two numbers; the output neuron turns them into one.")
        outputs.append(got)
    if np.allclose(outputs, GATE_TARGETS["XOR"]):
        return len(GATE_INPUTS)
    wrong = next(k for k in range(4) if not np.isclose(outputs[k], GATE_TARGETS["XOR"][k]))
    first = (f"for x={_pair(GATE_INPUTS[wrong])} expected {GATE_TARGETS['XOR'][wrong]:g}, "
             f"got {outputs[wrong]:g}")
    computes = _name_of_table(outputs)
    why = {
        "OR": "it also fires on (1, 1). The output must fire for one input, not for both.",
        "AND": "it fires only on (1, 1), the one row XOR must reject.",
        "NAND": "it also fires on (0, 0). The output must need at least one input.",
        "XNOR": "the exact opposite of XOR: flip the output neuron (negate its weights and bias).",
        "the constant 0": "it never fires: is the output neuron's bias too negative for one active hidden unit?",
        "the constant 1": "it always fires: is the output neuron's bias positive?",
        "a copy of x1": "it ignores x2: the 'x2 and not x1' case is missing or ignored.",
        "a copy of x2": "it ignores x1: the 'x1 and not x2' case is missing or ignored.",
        "x1 and not x2": "only one of the two hidden cases reaches the output: OR them.",
        "x2 and not x1": "only one of the two hidden cases reaches the output: OR them.",
    }.get(computes)
    if why:
        raise Failure(f"{first}: your network computes {computes}; {why}\n   Hint: {hint}")
    raise Failure(f"{first}.\n   Hint: {hint}")
