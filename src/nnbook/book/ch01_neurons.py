"""Chapter 1, neurons: its figures, then its demos, then its exercise checkers."""

import matplotlib as mpl
import numpy as np

from nnbook.checks import as_number, call, checker, expect_number, Failure, require_callable, short
from nnbook.data import GATE_INPUTS, GATE_TARGETS
from nnbook.neuron import format_truth_table, score_gates, truth_table
from nnbook.perceptron import perceptron_update as _reference_update
from nnbook.plotting import CLASS_COLOURS, line_in_box, new_axes, PALETTE, plot_points, subplots
from nnbook.widgets import Demo, LiveFigure, Slider

#: The gates the chapter's figure and demo show, one panel each.
GATES = ("AND", "OR", "XOR")


# --- Figures -------------------------------------------------------------------------------


_SHADE_CMAP = mpl.colors.ListedColormap([mpl.colors.to_rgba(CLASS_COLOURS[1], 0.15),
                                         mpl.colors.to_rgba(CLASS_COLOURS[0], 0.15)])


def plot_decision_line(w, b, ax, *, limits=(-0.5, 1.5), shade=True, colour=PALETTE["black"]):
    r"""Draw the line $w_1 x_1 + w_2 x_2 + b = 0$ and shade the side where the neuron fires.

    Drawn directly (an image for the shading, two end points for the line) rather than with
    contour plots, so that a slider redraw stays fast.
    """
    lo, hi = limits
    w1, w2 = float(w[0]), float(w[1])
    if shade:
        grid = np.linspace(lo, hi, 160)
        fires = (w1 * grid[None, :] + w2 * grid[:, None] + b) > 0
        ax.imshow(fires, extent=(lo, hi, lo, hi), origin="lower", cmap=_SHADE_CMAP, vmin=0, vmax=1,
                  interpolation="nearest", aspect="auto", zorder=0)
    ends = line_in_box(w1, w2, float(b), lo, hi)
    if ends is not None:
        ax.plot(*ends, color=colour, lw=2, zorder=2)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    return ax.figure


class GatesFigure(LiveFigure):
    """One step neuron's decision line over the points of each gate, with its truth table.

    The shaded side is where the neuron outputs 1; a red ring marks a row it gets wrong.
    ``GatesFigure.plot(w1=1, w2=1, b=-1.5)`` draws it; the live demo redraws it in place.
    """

    LIMITS = (-0.5, 1.5)

    def draw(self, w1, w2, b, gates=GATES):
        fig, axes = subplots(1, len(gates), figsize=(3.1 * len(gates), 3.9), layout=None)
        fig.subplots_adjust(left=0.07, right=0.96, bottom=0.2, top=0.84, wspace=0.35)
        lo, hi = self.LIMITS
        self.panels = []
        for ax, gate in zip(np.atleast_1d(axes), gates):
            shade = ax.imshow(np.zeros((2, 2)), extent=(lo, hi, lo, hi), origin="lower", cmap=_SHADE_CMAP,
                              vmin=0, vmax=1, interpolation="nearest", aspect="auto", zorder=0)
            (line,) = ax.plot([], [], color=PALETTE["black"], lw=2, zorder=2)
            before = len(ax.collections)
            plot_points(GATE_INPUTS, GATE_TARGETS[gate], ax)
            points = ax.collections[before:]
            rings = ax.scatter(np.empty(0), np.empty(0), s=380, facecolors="none",
                               edgecolors=PALETTE["vermillion"], linewidths=2.5, zorder=4)
            ax.set(xlim=(lo, hi), ylim=(lo, hi), aspect="equal", xticks=[0, 1], yticks=[0, 1])
            ax.set_xlabel("$x_1$", labelpad=1)
            table = ax.text(0.5, -0.28, "", transform=ax.transAxes, ha="center", va="center", fontsize=9.5)
            title = ax.set_title(" ")
            self.panels.append({"gate": gate, "shade": shade, "line": line, "rings": rings, "table": table,
                                "title": title})
            # Redrawn on every move, in this order (the shading must stay under the points).
            self.dynamic += [shade, line, *points, rings, title, table]
        self.suptitle = fig.suptitle(" ")
        self.dynamic.append(self.suptitle)
        return fig

    def update(self, w1, w2, b, gates=GATES):
        lo, hi = self.LIMITS
        w = np.array([w1, w2], dtype=float)
        grid = np.linspace(lo, hi, 160)
        fires = (w[0] * grid[None, :] + w[1] * grid[:, None] + b) > 0
        ends = line_in_box(w[0], w[1], float(b), lo, hi)
        scores = score_gates(w, b, gates)
        for panel in self.panels:
            outputs, correct = scores[panel["gate"]]
            panel["shade"].set_data(fires.astype(float))
            panel["line"].set_data(*(ends if ends is not None else ([], [])))
            wrong = outputs != GATE_TARGETS[panel["gate"]]
            panel["rings"].set_offsets(GATE_INPUTS[wrong])
            panel["title"].set_text(f"{panel['gate']}: {gate_verdict(correct)}")
            panel["title"].set_color("black" if correct == 4 else PALETTE["vermillion"])
            panel["table"].set_text(f"neuron: {format_truth_table(GATE_INPUTS, outputs)}")
        self.suptitle.set_text(f"One neuron: $w_1$={w1:g}, $w_2$={w2:g}, $b$={b:g}  (shaded: output 1)")


def gate_verdict(correct):
    """'all 4 right' or 'k/4 right'."""
    return "all 4 right" if correct == 4 else f"{correct}/4 right"


def plot_mistakes(runs, ax=None):
    """Mistakes per epoch of perceptron runs. runs: {label: list of mistakes per epoch}."""
    fig, ax = new_axes(ax, figsize=(6.4, 3.2))
    for label, mistakes in runs.items():
        ax.plot(np.arange(1, len(mistakes) + 1), mistakes, marker="o", label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mistakes in the epoch")
    ax.set_ylim(bottom=0)
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
    # On the website: both weights at +-1 and five biases. This reaches AND (1, 1, -1.5),
    # OR (1, 1, -0.5), "always on" (b = 0.5), NAND (-1, -1, 1.5) and a slanted line that
    # gets 3 of XOR's rows, the most any single line can (1, -1, -0.5).
    grid = {"w1": [-1.0, 1.0], "w2": [-1.0, 1.0], "b": [-2.5, -1.5, -0.5, 0.5, 1.5]}
    return Demo(GatesFigure, controls, grid=grid, caption=gates_caption,
                alt="Three panels (AND, OR, XOR) of the four input points, the neuron's decision "
                    "line, the side where it outputs 1 shaded, and wrong rows ringed.")


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

    x and w are lists or 1-D arrays of the same length; b is a number.
    """
    require_callable(fn, "neuron function")
    cases = [
        (([1, 1], [1, 1], -1.5), 1.0, "AND fires on (1, 1): 1 + 1 - 1.5 = 0.5 > 0."),
        (([0, 1], [1, 1], -1.5), 0.0, "AND stays silent on (0, 1): 0 + 1 - 1.5 < 0."),
        (([0, 0], [1, 1], 0.5), 1.0, "with all inputs 0 only the bias is left: 0.5 > 0, so it fires."),
        (([2, 3], [1, -1], 1.0), 0.0, "the sum is exactly 0 here; the unit fires only when the sum is above 0."),
        (([2, 3, 4], [0.5, -1, 0.25], 0.2), 0.0, "multiply each input by its weight and add them all: 1 - 3 + 1 + 0.2 = -0.8."),
        (([0.5, 0.5, 0.5, 0.5], [1, 1, 1, 1], -1.9), 1.0, "four inputs, four weights: 2 - 1.9 = 0.1 > 0."),
        ((np.array([-1.0, 2.0]), np.array([3.0, 2.0]), 0.0), 1.0, "numpy arrays must work as well as lists: -3 + 4 = 1 > 0."),
    ]
    for args, expected, hint in cases:
        describe = f"x={short(args[0])}, w={short(args[1])}, b={args[2]}"
        expect_number(call(fn, *args, describe=describe, hint=hint), expected, describe=describe, hint=hint)
    return len(cases)


@checker(lambda gate, w, b: f"check_gate_weights({gate!r})")
def check_gate_weights(gate, w, b):
    """Check that one step neuron with weights ``w`` and bias ``b`` computes ``gate``."""
    if gate not in GATE_TARGETS and gate != "NOT":
        raise ValueError(f"gate must be one of {sorted(GATE_TARGETS) + ['NOT']}; got {gate!r}")
    inputs = np.array([[0.0], [1.0]]) if gate == "NOT" else GATE_INPUTS
    targets = np.array([1.0, 0.0]) if gate == "NOT" else GATE_TARGETS[gate]
    w = np.atleast_1d(np.asarray(w, dtype=np.float64))
    if w.shape != (inputs.shape[1],):
        raise Failure(f"{gate} has {inputs.shape[1]} input(s), so w needs {inputs.shape[1]} weight(s); got shape {w.shape}.")
    outputs = truth_table(w, float(b), inputs)
    for row, target, output in zip(inputs, targets, outputs):
        if target != output:
            if gate == "XOR":
                hint = "no single line separates XOR's points: this one cannot pass (see the widget above)."
            else:
                hint = f"on input {tuple(int(v) for v in row)} the sum is {float(row @ w + b):g}; it must be {'above' if target else 'at or below'} 0."
            raise Failure(f"on input {tuple(int(v) for v in row)} expected {int(target)}, your neuron gives {int(output)}.\n   Hint: {hint}")
    return len(inputs)


@checker("check_perceptron_update")
def check_perceptron_update(fn):
    """Check ``fn(w, b, x, target, learning_rate)`` -> (new w, new b): one perceptron-rule step.

    Update only on a mistake (a sum of exactly 0 counts as one): add learning_rate * x to w
    and learning_rate to b when the target is 1, subtract them when it is 0.
    """
    require_callable(fn, "update function")
    cases = [
        (([0.0, 0.0], 0.0, [1.0, 1.0], 1, 1.0), "start at zero, the sum is 0: a mistake, so move toward x."),
        (([1.0, 1.0], 0.0, [1.0, 0.0], 0, 1.0), "target 0 but the sum is 1 > 0: subtract x and 1 from b."),
        (([1.0, 1.0], -1.5, [1.0, 1.0], 1, 1.0), "the answer is already right (sum 0.5 > 0): change nothing."),
        (([0.5, -0.5], 0.2, [2.0, 1.0], 0, 0.1), "the learning rate scales the step: w - 0.1 x, b - 0.1."),
        (([0.0, 1.0, 0.0], 0.0, [1.0, -1.0, 2.0], 1, 0.5), "three inputs work the same way."),
    ]
    for (w, b, x, target, lr), hint in cases:
        expected_w, expected_b, _ = _reference_update(np.array(w), b, np.array(x), target, lr)
        describe = f"w={w}, b={b}, x={x}, target={target}, learning_rate={lr}"
        value = call(fn, np.array(w), b, np.array(x), target, lr, describe=describe)
        if not (isinstance(value, tuple) and len(value) == 2):
            raise Failure(f"for {describe} expected a pair (new_w, new_b), got {value!r}.")
        got_w, got_b = np.asarray(value[0], dtype=np.float64), as_number(value[1])
        if got_w.shape != expected_w.shape or got_b is None:
            raise Failure(f"for {describe} expected new_w of shape {expected_w.shape} and a number new_b; "
                           f"got shape {got_w.shape} and {value[1]!r}.")
        if not (np.allclose(got_w, expected_w) and np.isclose(got_b, expected_b)):
            raise Failure(f"for {describe} expected w={expected_w.tolist()}, b={expected_b:g}; "
                           f"got w={got_w.tolist()}, b={got_b:g}.\n   Hint: {hint}")
    return len(cases)


@checker("check_xor_network")
def check_xor_network(fn):
    """Check ``fn(x)`` -> 0 or 1: a network of step neurons that computes XOR of x = (x1, x2)."""
    require_callable(fn, "network function")
    for row, target in zip(GATE_INPUTS, GATE_TARGETS["XOR"]):
        describe = f"x={tuple(int(v) for v in row)}"
        hint = "XOR is 1 when exactly one input is 1. Try hidden units for OR and NAND, and AND them."
        expect_number(call(fn, row.copy(), describe=describe, hint=hint), target, describe=describe, hint=hint)
    return len(GATE_INPUTS)
