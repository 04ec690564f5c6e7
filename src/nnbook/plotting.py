"""Figures for the book. Each function takes data (and an optional ``ax``) and returns the figure.

Figures are made with ``matplotlib.figure.Figure``, not pyplot, so a function never leaves a
figure open behind it: a notebook shows the returned figure, a widget redraws it, a test
inspects it.
"""

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, FancyArrowPatch

from nnbook.neuron import GATE_INPUTS, GATE_TARGETS, format_truth_table, score_gates

#: Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}
#: Colour of class 1 and class 0 in every classification figure (with different markers too).
CLASS_COLOURS = (PALETTE["orange"], PALETTE["blue"])
CLASS_MARKERS = ("s", "o")
# Light versions of the class colours for the region where a neuron outputs 0 / 1.
_SATURATED_CMAP = mpl.colors.ListedColormap([(0, 0, 0, 0), mpl.colors.to_rgba(PALETTE["grey"], 0.3)])
_SHADE_CMAP = mpl.colors.ListedColormap([mpl.colors.to_rgba(CLASS_COLOURS[1], 0.15),
                                         mpl.colors.to_rgba(CLASS_COLOURS[0], 0.15)])


def use_book_style():
    """Set matplotlib defaults for the book (palette, sizes, a light grid) and, in a notebook,
    show returned figures as PNG images."""
    _show_figures_in_notebooks()
    mpl.rcParams.update(
        {
            "axes.prop_cycle": mpl.cycler(color=[PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]),
            "figure.dpi": 90,
            "savefig.dpi": 90,
            "figure.figsize": (6.4, 4.0),
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "legend.frameon": False,
        }
    )


def _show_figures_in_notebooks():
    # Our figures never pass through pyplot, so the inline backend never registers a PNG
    # formatter for them; register one, as the inline backend itself would.
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import select_figure_formats
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        # Our figures use constrained layout, so no second "tight" drawing pass is needed.
        select_figure_formats(shell, {"png"}, bbox_inches=None)


def new_axes(ax=None, figsize=None, **subplot_kw):
    """Return (figure, axes): the given axes and its figure, or a fresh single-axes figure."""
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot(**subplot_kw)


def subplots(nrows=1, ncols=1, *, figsize=None, layout="constrained", **kwargs):
    """Return (figure, axes) for a grid of plots, like ``plt.subplots`` but without pyplot.

    layout: "constrained" (tidy, the default) or None for a fixed layout, which draws about
    twice as fast; interactive demos use None and set their margins by hand.
    """
    fig = Figure(figsize=figsize, layout=layout)
    return fig, fig.subplots(nrows, ncols, **kwargs)


def plot_points(X, y, ax=None, *, labels=("0", "1"), size=70):
    """Scatter 2-D points by class (0: blue circles, 1: orange squares). X: (N, 2); y: (N,)."""
    fig, ax = new_axes(ax)
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    for cls in (1, 0):
        mask = np.asarray(y) == cls
        ax.scatter(X[mask, 0], X[mask, 1], s=size, c=CLASS_COLOURS[1 - cls], marker=CLASS_MARKERS[1 - cls],
                   edgecolors="black", linewidths=0.8, label=f"target {labels[cls]}", zorder=3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return fig


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
    ends = _line_in_box(w1, w2, float(b), lo, hi)
    if ends is not None:
        ax.plot(*ends, color=colour, lw=2, zorder=2)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    return ax.figure


def _line_in_box(w1, w2, b, lo, hi):
    """End points of w1 x + w2 y + b = 0 inside the square [lo, hi]^2, or None if it misses."""
    slack = 1e-9 * max(1.0, hi - lo)  # a crossing exactly at a corner must not round out
    points = []
    for edge in (lo, hi):
        if w2 != 0:  # crossings of the vertical edges x = edge
            y = -(w1 * edge + b) / w2
            if lo - slack <= y <= hi + slack:
                points.append((edge, min(max(y, lo), hi)))
        if w1 != 0:  # crossings of the horizontal edges y = edge
            x = -(w2 * edge + b) / w1
            if lo - slack <= x <= hi + slack:
                points.append((min(max(x, lo), hi), edge))
    if not points:
        return None
    # The two crossings farthest apart; a line touching only a corner has nothing to draw.
    (x0, y0), (x1, y1) = max(((p, q) for p in points for q in points),
                             key=lambda pair: np.hypot(pair[0][0] - pair[1][0], pair[0][1] - pair[1][1]))
    if np.hypot(x1 - x0, y1 - y0) <= slack:
        return None
    return [x0, x1], [y0, y1]


def plot_gates(w1, w2, b, gates=("AND", "OR", "XOR")):
    """One step neuron's decision line over the points of each gate, with its truth table.

    The shaded side is where the neuron outputs 1; a red ring marks a row it gets wrong.
    ``update_gates`` redraws such a figure in place for the live widget.
    """
    fig, axes = subplots(1, len(gates), figsize=(3.1 * len(gates), 3.9), layout=None)
    fig.subplots_adjust(left=0.07, right=0.96, bottom=0.2, top=0.84, wspace=0.35)
    lo, hi = -0.5, 1.5
    panels, dynamic = [], []
    for ax, gate in zip(np.atleast_1d(axes), gates):
        shade = ax.imshow(np.zeros((2, 2)), extent=(lo, hi, lo, hi), origin="lower", cmap=_SHADE_CMAP,
                          vmin=0, vmax=1, interpolation="nearest", aspect="auto", zorder=0)
        (line,) = ax.plot([], [], color=PALETTE["black"], lw=2, zorder=2)
        before = len(ax.collections)
        plot_points(GATE_INPUTS, GATE_TARGETS[gate], ax)
        points = ax.collections[before:]
        rings = ax.scatter(np.empty(0), np.empty(0), s=380, facecolors="none",
                           edgecolors=PALETTE["vermillion"], linewidths=2.5, zorder=4)
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_aspect("equal")
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
        ax.set_xlabel("$x_1$", labelpad=1)
        table = ax.text(0.5, -0.28, "", transform=ax.transAxes, ha="center", va="center", fontsize=9.5)
        title = ax.set_title(" ")
        panels.append({"gate": gate, "shade": shade, "line": line, "rings": rings, "table": table, "title": title})
        # Redrawn on every move, in this order (the shading must stay under the points).
        dynamic += [shade, line, *points, rings, title, table]
    suptitle = fig.suptitle(" ")
    fig.nnbook_gates = {"panels": panels, "suptitle": suptitle, "limits": (lo, hi)}
    fig.nnbook_dynamic = dynamic + [suptitle]
    return _fill_gates(fig, w1, w2, b)


def update_gates(fig, w1, w2, b, gates=("AND", "OR", "XOR")):
    """Redraw a figure made by ``plot_gates`` for new weights, in place (None if it was not)."""
    parts = getattr(fig, "nnbook_gates", None)
    if parts is None or [panel["gate"] for panel in parts["panels"]] != list(gates):
        return None
    return _fill_gates(fig, w1, w2, b)


def _fill_gates(fig, w1, w2, b):
    parts = fig.nnbook_gates
    lo, hi = parts["limits"]
    w = np.array([w1, w2], dtype=float)
    grid = np.linspace(lo, hi, 160)
    fires = (w[0] * grid[None, :] + w[1] * grid[:, None] + b) > 0
    ends = _line_in_box(w[0], w[1], float(b), lo, hi)
    scores = score_gates(w, b, [panel["gate"] for panel in parts["panels"]])
    for panel in parts["panels"]:
        outputs, correct = scores[panel["gate"]]
        panel["shade"].set_data(fires.astype(float))
        panel["line"].set_data(*(ends if ends is not None else ([], [])))
        wrong = outputs != GATE_TARGETS[panel["gate"]]
        panel["rings"].set_offsets(GATE_INPUTS[wrong])
        verdict = "all 4 right" if correct == 4 else f"{correct}/4 right"
        panel["title"].set_text(f"{panel['gate']}: {verdict}")
        panel["title"].set_color("black" if correct == 4 else PALETTE["vermillion"])
        panel["table"].set_text(f"neuron: {format_truth_table(GATE_INPUTS, outputs)}")
    parts["suptitle"].set_text(f"One neuron: $w_1$={w1:g}, $w_2$={w2:g}, $b$={b:g}  (shaded: output 1)")
    return fig


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


def draw_network(layer_sizes, ax=None, *, node_labels=None, edge_labels=None, layer_names=None,
                 input_names=None, max_shown=10):
    """Draw a fully connected network: circles for units, lines for weights.

    layer_sizes: units per layer, inputs first, e.g. [2, 2, 1].
    node_labels: {(layer, unit): text inside the circle};
    edge_labels: {(layer, from_unit, to_unit): text}, layer being the one the edge leaves;
    input_names: text written to the left of each input unit.
    max_shown: a layer with more units shows its first max_shown - 1 units, a "⋮" and its
        last unit, with its size written under it (units are numbered as in the full layer).
    """
    max_shown = max(int(max_shown), 3)
    shown = [list(range(size)) if size <= max_shown else [*range(max_shown - 1), size - 1]
             for size in layer_sizes]
    tallest = max(len(units) + (size > max_shown) for units, size in zip(shown, layer_sizes))
    step = 1.0 if tallest <= 6 else 6.5 / (tallest - 1)   # spacing: the drawing grows, then shrinks
    node_size = 900 if tallest <= 6 else max(900 * step ** 2, 120)
    shrink = 16 if tallest <= 6 else max(16 * step, 6)
    height = step * (tallest - 1) + 1
    fig, ax = new_axes(ax, figsize=(1.9 * len(layer_sizes) + 1, 0.9 * height + 1.4))
    node_labels, edge_labels = node_labels or {}, edge_labels or {}
    position = {}
    for layer, units in enumerate(shown):
        slots = [k + (1 if k == len(units) - 1 and layer_sizes[layer] > max_shown else 0)
                 for k in range(len(units))]
        n_slots = slots[-1] + 1
        for unit, slot in zip(units, slots):
            position[(layer, unit)] = (layer, step * ((n_slots - 1) / 2 - slot))
        if layer_sizes[layer] > max_shown:
            ax.text(layer, step * ((n_slots - 1) / 2 - (n_slots - 2)), "⋮", ha="center",
                    va="center", fontsize=14)
    for layer in range(len(layer_sizes) - 1):
        for i in shown[layer]:
            for j in shown[layer + 1]:
                (x0, y0), (x1, y1) = position[(layer, i)], position[(layer + 1, j)]
                ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>" if tallest <= 6 else "-",
                                             mutation_scale=12,
                                             shrinkA=shrink, shrinkB=shrink, color=PALETTE["grey"],
                                             lw=1.2 if tallest <= 6 else 0.6))
                if (layer, i, j) in edge_labels:
                    t = 0.3 if layer_sizes[layer + 1] > 1 else 0.5
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), edge_labels[(layer, i, j)], ha="center",
                            va="center", fontsize=10, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    colours = [PALETTE["sky"]] + [PALETTE["orange"]] * (len(layer_sizes) - 2) + [PALETTE["green"]]
    for (layer, unit), (x, y) in position.items():
        ax.scatter([x], [y], s=node_size, c=colours[layer], edgecolors="black", zorder=3)
        ax.text(x, y, node_labels.get((layer, unit), ""), ha="center", va="center", fontsize=10, zorder=4)
    for unit, name in enumerate(input_names or []):
        if (0, unit) in position:
            x, y = position[(0, unit)]
            ax.text(x - 0.18, y, name, ha="right", va="center", fontsize=10)
    bottom = -step * (tallest - 1) / 2 - 0.5
    elided = max(layer_sizes) > max_shown
    for layer, size in enumerate(layer_sizes):
        if size > max_shown:
            ax.text(layer, bottom - 0.1, f"{size:,} units", ha="center", va="top", fontsize=9)
    for layer, name in enumerate(layer_names or []):
        ax.text(layer, bottom - (0.45 if elided else 0.1), name, ha="center", va="top", fontsize=10)
    ax.set_xlim(-1.1 if input_names else -0.5, len(layer_sizes) - 0.5)
    ax.set_ylim(bottom - (0.95 if elided else 0.6), step * (tallest - 1) / 2 + 0.5)
    ax.set_axis_off()
    return fig


def plot_timeline(milestones, ax=None, *, min_gap=4.6):
    """The history of neural networks as a vertical timeline, one labelled entry per milestone.

    Years run down the left; labels sit to the right, pushed apart by at least ``min_gap``
    years so that clustered events (1986-1991, 2012-2015) stay readable.
    """
    fig, ax = new_axes(ax, figsize=(7.4, 9.0))
    era_colours = {"early": PALETTE["blue"], "winter": PALETTE["grey"], "revival": PALETTE["green"], "deep": PALETTE["vermillion"]}
    era_names = {"early": "first neurons", "winter": "the winter", "revival": "the backprop era", "deep": "deep learning"}
    years = np.array([m.year for m in milestones], dtype=float)
    label_y = years.copy()
    for k in range(1, len(label_y)):  # push each label down until it clears the one above
        label_y[k] = max(label_y[k], label_y[k - 1] + min_gap)
    ax.axvline(0, color="black", lw=1.5, zorder=1)
    ax.axhspan(1969, 1986, color=PALETTE["grey"], alpha=0.18, lw=0)
    ax.text(-0.08, 1977.5, "interest\nstalls", ha="right", va="center", fontsize=9, color="dimgray")
    shown = set()
    for m, y_label in zip(milestones, label_y):
        colour = era_colours[m.era]
        ax.scatter([0], [m.year], s=45, color=colour, zorder=3, label=None if m.era in shown else era_names[m.era])
        shown.add(m.era)
        ax.plot([0, 0.12, 0.2], [m.year, y_label, y_label], color=colour, lw=1)
        ax.text(0.22, y_label, f"{m.year}  {m.label}", ha="left", va="center", fontsize=12, fontweight="bold")
        ax.text(0.22, y_label + 2.0, m.detail, ha="left", va="center", fontsize=10, color="#333333")
    ax.set_xlim(-0.45, 3.3)
    ax.set_ylim(label_y.max() + 5, years.min() - 4)  # time runs downwards
    ax.set_xticks([])
    ax.set_yticks(range(10 * (int(years.min()) // 10), int(years.max()) + 1, 10))
    ax.set_ylabel("year")
    ax.spines["bottom"].set_visible(False)
    ax.grid(False)
    ax.set_title("Milestones of neural networks")
    ax.legend(loc="center right", fontsize=9)
    return fig


def plot_ai_venn(ax=None):
    """AI contains machine learning, which contains deep learning: nested ellipses."""
    fig, ax = new_axes(ax, figsize=(6.4, 4.2))
    rings = [
        ((0.0, 0.0), 10.0, 6.6, PALETTE["sky"], "Artificial intelligence", "programs that act intelligently:\nsearch, planning, rules, learning", 2.65),
        ((0.9, -0.45), 7.4, 4.6, PALETTE["orange"], "Machine learning", "fit a model to known data,\nuse it to judge new cases", 1.55),
        ((1.7, -0.95), 4.6, 2.5, PALETTE["vermillion"], "Deep learning", "stacked layers compose simple\nfeatures into abstract ones", 0.35),
    ]
    for (cx, cy), width, height, colour, name, blurb, text_y in rings:
        ax.add_patch(Ellipse((cx, cy), width, height, fc=colour, ec="black", alpha=0.35, lw=1.2))
        ax.text(cx, cy + text_y, name, ha="center", va="center", fontsize=12, fontweight="bold")
        ax.text(cx, cy + text_y - 0.55, blurb, ha="center", va="center", fontsize=8.5)
    ax.set_xlim(-5.2, 5.2)
    ax.set_ylim(-3.5, 3.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title("Where deep learning sits")
    return fig


def plot_top5_errors(errors, human_error, ax=None):
    """Bar chart of ImageNet top-5 errors (percent) with the human error as a dashed line.

    errors: {model label: error in percent}, in chronological order.
    """
    fig, ax = new_axes(ax, figsize=(6.4, 3.4))
    labels, values = list(errors), list(errors.values())
    bars = ax.bar(labels, values, color=PALETTE["blue"], edgecolor="black")
    ax.bar_label(bars, fmt="%.1f%%", padding=2)
    ax.axhline(human_error, color=PALETTE["vermillion"], ls="--", lw=2)
    ax.text(len(labels) - 0.5, human_error + 0.3, f"human, about {human_error:g}%", ha="right",
            va="bottom", color=PALETTE["vermillion"])
    ax.set_ylabel("top-5 error (%)")
    ax.set_title("ImageNet winners: top-5 error")
    ax.set_ylim(0, max(values) * 1.2)
    ax.grid(axis="x")
    return fig


def plot_activations(activations, x=np.linspace(-5, 5, 1001)):
    """Each activation (solid) and its derivative (dashed) in a grid of small panels.

    activations: {name: Activation} (see ``nnbook.activations.ACTIVATIONS``).
    """
    n = len(activations)
    cols = 4
    rows = -(-n // cols)
    fig, axes = subplots(rows, cols, figsize=(3.0 * cols, 2.6 * rows), sharex=True)
    for ax, (name, act) in zip(np.ravel(axes), activations.items()):
        ax.axhline(0, color="black", lw=0.6)
        ax.axvline(0, color="black", lw=0.6)
        ax.plot(x, act.function(x), lw=2.2, color=PALETTE["blue"], label="f(x)")
        ax.plot(x, act.derivative(x), lw=1.8, ls="--", color=PALETTE["vermillion"], label="f′(x)")
        ax.set_title(f"{name}   range {act.output_range}", fontsize=10.5)
        ax.set_ylim(-2, 3)
    for ax in np.ravel(axes)[n:]:
        ax.set_axis_off()
    for ax in np.ravel(axes)[-cols:]:
        ax.set_xlabel("x")
    np.ravel(axes)[0].legend(loc="upper left", fontsize=9)
    fig.suptitle("Activation functions (solid) and their derivatives (dashed)")
    return fig


#: The explorer's sliders reach these extremes; its axes are fixed to fit them (see below).
EXPLORER_MAX_SCALE = 5.0


def plot_activation_explorer(name="sigmoid", scale=1.0, shift=0.0, saturation=0.05):
    r"""One activation applied to $a x + c$, its slope, and where it saturates.

    The slope of $f(a x + c)$ with respect to $x$ is $a f'(a x + c)$. Inputs where that slope
    is below ``saturation`` times its largest possible value are shaded: there a change of x
    hardly changes the output, and almost no gradient flows back. The axes depend on the
    function only, not on the scale and shift, so moving a slider moves the curves against
    still axes (and ``update_activation_explorer`` can redraw in place).
    """
    from matplotlib.patches import Patch

    from nnbook.activations import ACTIVATIONS

    act = ACTIVATIONS[name]
    x = np.linspace(-6, 6, 601)
    peak_slope = float(np.max(act.derivative(np.linspace(-50, 50, 20001))))
    bounded = name in ("step", "sigmoid", "tanh")
    fig, (ax_f, ax_d) = subplots(1, 2, figsize=(9.6, 3.6), layout=None)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.16, top=0.8, wspace=0.25)
    bands = []
    for ax in (ax_f, ax_d):
        ax.axhline(0, color="black", lw=0.6)
        ax.set_xlabel("input x")
        ax.set_xlim(x[0], x[-1])
        bands.append(ax.imshow(np.zeros((1, x.size)), extent=(x[0], x[-1], 0, 1), transform=ax.get_xaxis_transform(),
                               cmap=_SATURATED_CMAP, vmin=0, vmax=1, aspect="auto", interpolation="nearest", zorder=0))
    (line_f,) = ax_f.plot([], [], color=PALETTE["blue"], lw=2.2)
    (line_d,) = ax_d.plot([], [], color=PALETTE["vermillion"], lw=2.2)
    ax_f.set_ylim(-1.2 if bounded else -2.0, 1.2 if bounded else 8.0)
    ax_d.set_ylim(-0.05 * EXPLORER_MAX_SCALE * max(peak_slope, 0.2), 1.1 * EXPLORER_MAX_SCALE * max(peak_slope, 0.2))
    ax_d.set_title("slope d output / dx")
    ax_f.legend(handles=[Patch(color=PALETTE["grey"], alpha=0.3, label="saturated (slope < 5% of peak)")],
                loc="upper left", fontsize=8.5)
    fig.nnbook_explorer = {"name": name, "x": x, "peak": peak_slope, "saturation": saturation, "bands": bands,
                           "lines": (line_f, line_d), "title": ax_f.set_title(" "), "suptitle": fig.suptitle(" ", fontsize=12)}
    parts = fig.nnbook_explorer
    fig.nnbook_dynamic = [*bands, line_f, line_d, parts["title"], parts["suptitle"]]
    return _fill_activation_explorer(fig, scale, shift)


def update_activation_explorer(fig, name="sigmoid", scale=1.0, shift=0.0, saturation=0.05):
    """Redraw a figure made by ``plot_activation_explorer`` in place; None for another function."""
    parts = getattr(fig, "nnbook_explorer", None)
    if parts is None or parts["name"] != name or parts["saturation"] != saturation:
        return None
    return _fill_activation_explorer(fig, scale, shift)


def _fill_activation_explorer(fig, scale, shift):
    from nnbook.activations import ACTIVATIONS

    parts = fig.nnbook_explorer
    name, x = parts["name"], parts["x"]
    act = ACTIVATIONS[name]
    z = scale * x + shift
    slope = scale * act.derivative(z)
    threshold = parts["saturation"] * abs(scale) * parts["peak"]
    flat = np.abs(slope) < threshold if threshold > 0 else np.ones_like(x, dtype=bool)
    # Share of standard-normal inputs that land in the flat region (quantile grid: exact enough).
    probes = _standard_normal_quantiles()
    share = (float(np.mean(np.abs(scale * act.derivative(scale * probes + shift)) < threshold))
             if threshold > 0 else 1.0)
    for band in parts["bands"]:
        band.set_data(flat[None, :].astype(float))
    line_f, line_d = parts["lines"]
    line_f.set_data(x, act.function(z))
    line_d.set_data(x, slope)
    parts["title"].set_text(f"output {name}({scale:g}·x {'+' if shift >= 0 else '−'} {abs(shift):g})")
    parts["suptitle"].set_text(f"{share:.0%} of inputs x ~ N(0, 1) fall where {name} is saturated")
    return fig


def _standard_normal_quantiles(n=2001):
    from scipy.special import ndtri

    return ndtri((np.arange(n) + 0.5) / n)


def plot_space_warp(stage=0.0, network=None, X=None, y=None):
    """The plane, its grid lines and the data, part-way through a network's stages.

    stage: 0 is the input; each layer adds three stages (linear map, shift, tanh);
    fractional values interpolate between stages. At the last stage the output neuron's
    line is drawn: the classes are now linearly separable.
    """
    from matplotlib.collections import LineCollection

    from nnbook import warp

    network = warp.MOONS_NETWORK if network is None else network
    if X is None:
        X, y = warp.moons()
    last = 3 * len(network["layers"])
    stage = float(np.clip(stage, 0, last))
    ticks = np.linspace(-2, 2, 17)
    fine = np.linspace(-2, 2, 120)
    lines = [np.column_stack([np.full_like(fine, t), fine]) for t in ticks]
    lines += [np.column_stack([fine, np.full_like(fine, t)]) for t in ticks]
    grid = np.concatenate(lines)
    points = warp.interpolate_stages(warp.stage_points(X, network), stage)
    moved_grid = warp.interpolate_stages(warp.stage_points(grid, network), stage).reshape(len(lines), len(fine), 2)

    fig, ax = subplots(figsize=(6.4, 6.2), layout=None)
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.09, top=0.84)
    ax.add_collection(LineCollection(moved_grid, colors=PALETTE["grey"], linewidths=0.7, alpha=0.7))
    if stage >= last - 1e-9:
        w, b = network["output"]
        lo, hi = points.min(axis=0) - 0.15, points.max(axis=0) + 0.15
        ends = _line_in_box(w[0] * (hi[0] - lo[0]), w[1] * (hi[1] - lo[1]), b + w @ lo, 0.0, 1.0)
        if ends is not None:
            ax.plot(lo[0] + np.array(ends[0]) * (hi[0] - lo[0]), lo[1] + np.array(ends[1]) * (hi[1] - lo[1]),
                    color="black", lw=2.5, label="output neuron's line")
            ax.legend(loc="lower right", fontsize=9)
    plot_points(points, y, ax, labels=("moon A", "moon B"), size=18)
    # Each axis follows the data, so a stage that squeezes one direction stays readable;
    # the grid lines show how the plane itself was stretched.
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = np.maximum((hi - lo) * 0.08, 0.05)
    ax.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
    ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])
    ax.grid(False)
    ax.set_xlabel("first coordinate")
    ax.set_ylabel("second coordinate")
    here = int(np.floor(stage)) if stage < last else last
    frac = stage - here
    heading = warp.stage_name(here, network) if frac < 1e-9 else f"from {warp.stage_name(here, network)} to {warp.stage_name(here + 1, network)}"
    ax.set_title(f"stage {stage:.2f} of {last}: {heading}", fontsize=10.5)
    steps = ["x"] + [s for k in range(len(network["layers"])) for s in (f"·W{k + 1}", f"+b{k + 1}", "tanh")] + ["line"]
    for k, label in enumerate(steps):
        active = (k == here) if k < len(steps) - 1 else stage >= last - 1e-9
        fig.text(0.1 + 0.87 * k / (len(steps) - 1), 0.93, label, ha="center", va="center", fontsize=11,
                 fontweight="bold" if active else "normal",
                 color=PALETTE["vermillion"] if active else PALETTE["grey"])
    return fig


def plot_circles_lifted(networks=None):
    """Circles through one tanh layer: 2 units cannot separate them, 3 units can.

    Left: the input. Middle: the 2-unit layer's outputs (a plane: no line separates the
    classes). Right: the 3-unit layer's outputs in 3-D, with the output neuron's plane.
    """
    from nnbook import warp

    networks = warp.CIRCLES_NETWORKS if networks is None else networks
    X, y = warp.circles()
    fig = Figure(figsize=(12, 4.0), layout="constrained")
    ax_in = fig.add_subplot(1, 3, 1)
    plot_points(X, y, ax_in, labels=("outer", "inner"), size=18)
    ax_in.set_title("input: no line separates them")
    ax_in.set_aspect("equal")
    ax_two = fig.add_subplot(1, 3, 2)
    hidden_two = warp.stage_points(X, networks[2])[-1]
    plot_points(hidden_two, y, ax_two, labels=("outer", "inner"), size=18)
    accuracy = float(np.mean(warp.predict(X, networks[2]) == y))
    ax_two.set(title=f"2 tanh units: best line gets {accuracy:.0%}", xlabel="unit 1", ylabel="unit 2")
    ax_three = fig.add_subplot(1, 3, 3, projection="3d")
    hidden = warp.stage_points(X, networks[3])[-1]
    for cls in (1, 0):
        mask = y == cls
        ax_three.scatter(*hidden[mask].T, s=14, c=CLASS_COLOURS[1 - cls], marker=CLASS_MARKERS[1 - cls],
                         edgecolors="black", linewidths=0.4, depthshade=False)
    w, b = networks[3]["output"]
    grid = np.linspace(-1, 1, 12)
    g1, g2 = np.meshgrid(grid, grid)
    plane = -(w[0] * g1 + w[1] * g2 + b) / w[2]
    plane[(plane < -1.05) | (plane > 1.05)] = np.nan
    ax_three.plot_surface(g1, g2, plane, color=PALETTE["grey"], alpha=0.35, linewidth=0)
    accuracy = float(np.mean(warp.predict(X, networks[3]) == y))
    ax_three.set(title=f"3 tanh units: a plane gets {accuracy:.0%}", xlabel="unit 1", ylabel="unit 2", zlabel="unit 3")
    ax_three.view_init(elev=22, azim=-60)
    return fig


# --- chapter 4: loss surfaces, descent paths and the learning-rate demos ---------------------

#: Colours of a gradient-descent verdict: settled, overshooting, still crawling, exploded.
VERDICT_COLOURS = {"converged": PALETTE["green"], "zigzag": PALETTE["orange"],
                   "max_steps": "#666666", "diverged": PALETTE["vermillion"]}
_SURFACE_CMAP = mpl.colors.LinearSegmentedColormap.from_list("nnbook_surface", ["#FFFFFF", "#BFDCEF"])


def _surface_grid(surface, n=121):
    """Loss on an n x n grid over the surface's box: (xs, ys, J (n, n))."""
    (x0, x1), (y0, y1) = surface.limits
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    return xs, ys, surface.loss(grid)


def _contour_levels(surface, values, n_levels):
    """Levels spaced evenly in log(J - J*), from near the bottom to the box's upper loss."""
    gap = values - surface.min_loss
    top = float(np.percentile(gap, 90))
    return surface.min_loss + np.geomspace(top * 2e-3, top, n_levels)


def plot_contours(surface, ax=None, *, n_levels=12, mark_minimum=True):
    r"""Contour lines of a 2-D surface over its box, shaded by $\log(J - J^*)$; returns the figure.

    Levels are spaced evenly in $\log(J - J^*)$, so the flat bottom gets lines too.
    """
    if surface.dim != 2:
        raise ValueError(f"plot_contours draws 2-D surfaces; the {surface.name} is {surface.dim}-D")
    fig, ax = new_axes(ax, figsize=(5.0, 4.4))
    xs, ys, values = _surface_grid(surface)
    shade = np.log10(values - surface.min_loss + 1e-3)
    ax.imshow(shade, extent=(xs[0], xs[-1], ys[0], ys[-1]), origin="lower", cmap=_SURFACE_CMAP.reversed(),
              aspect="auto", interpolation="bilinear", zorder=0)
    ax.contour(xs, ys, values, levels=_contour_levels(surface, values, n_levels), colors=PALETTE["blue"],
               linewidths=0.7, alpha=0.6, zorder=1)
    if mark_minimum:
        ax.plot(*surface.minimum, marker="*", ms=14, color=PALETTE["green"], mec="black", zorder=4,
                ls="none", label="minimum")
        for label, point in surface.stationary.items():
            marker = "X" if "saddle" in label else "*"
            ax.plot(*point, marker=marker, ms=10, color="white", mec="black", zorder=4, ls="none", label=label)
    ax.set_xlim(*surface.limits[0])
    ax.set_ylim(*surface.limits[1])
    ax.set_xlabel("θ₁")
    ax.set_ylabel("θ₂")
    ax.grid(False)
    return fig


def plot_path(path, ax, *, colour=PALETTE["vermillion"], label=None, markers=True, **kwargs):
    """Draw a descent path (n, 2) on a contour plot: a line through the points, the start ringed."""
    path = np.asarray(path, dtype=float)
    ax.plot(path[:, 0], path[:, 1], color=colour, lw=1.6, marker="o" if markers else None, ms=3.5,
            label=label, zorder=3, **kwargs)
    ax.plot(*path[0], marker="o", ms=9, mfc="none", mec="black", mew=1.5, zorder=4, ls="none")
    return ax.figure


def plot_gradient_descent(run, surface, ax=None, *, title=None):
    """The worked-example figure: a 2-D surface's contours, the path, and each step's point."""
    fig, ax = new_axes(ax, figsize=(5.4, 4.6))
    plot_contours(surface, ax)
    plot_path(run.path, ax, label=f"gradient descent, α = {run.learning_rate:g}")
    ax.set_aspect("equal")
    ax.set_title(title or f"{surface.name}: {run.verdict}")
    ax.legend(loc="lower left", fontsize=9)
    return fig


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value, _position=None):
    """A log-axis tick label as plain text, 10⁻³ (mathtext labels are slow to lay out)."""
    if value <= 0:
        return ""
    exponent = int(np.floor(np.log10(value) + 1e-9))
    mantissa = value / 10.0 ** exponent
    power = "1" if exponent == 0 else "10" + str(exponent).translate(_SUPERSCRIPTS)
    if -2 <= exponent <= 3:
        return f"{value:g}"
    if abs(mantissa - 1) < 1e-6:
        return power
    return f"{mantissa:.0f}·{power}"


def _fast_axes(ax, title_y=1.02):
    """Make an axes cheap to redraw: plain-text log tick labels, fixed title and label places.

    Matplotlib otherwise re-measures every tick label on each draw to place titles and axis
    labels, and lays out mathtext tick labels afresh whenever the limits change.
    """
    if ax.get_yscale() == "log":
        # 1, 2 and 5 times each power of ten, thinned to at most 7 labels on long ranges.
        ax.yaxis.set_major_locator(mpl.ticker.LogLocator(subs=(1.0, 2.0, 5.0), numticks=7))
        ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(_power_of_ten))
        ax.yaxis.set_minor_locator(mpl.ticker.NullLocator())  # dozens of minor ticks cost
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(5))
    if ax.get_yscale() != "log":
        ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(5))
    ax.title.set_y(title_y)
    ax._autotitlepos = False  # noqa: SLF001 -- what set_title(y=...) does; keeps our title place
    ax.xaxis.set_label_coords(0.5, -0.1)
    ax.yaxis.set_label_coords(-0.12, 0.5)


def _static_axis_labels(ax):
    """Turn an axes' axis labels into plain texts at the same places.

    Axis labels are drawn with their axis; as texts of their own they can stay in the saved
    background of a live figure while the axis (ticks, limits) is redrawn.
    """
    ax.text(0.5, -0.1, ax.get_xlabel(), transform=ax.transAxes, ha="center", va="top")
    ax.text(-0.12, 0.5, ax.get_ylabel(), transform=ax.transAxes, ha="right", va="center", rotation=90)
    ax.set_xlabel("")
    ax.set_ylabel("")


def _verdict_colour(run):
    if run.status == "converged":
        return VERDICT_COLOURS["zigzag" if run.zigzag else "converged"]
    return VERDICT_COLOURS[run.status]


#: The learning-rate demo's number of steps, and its tolerance on the gradient's length.
LR_DEMO_STEPS, LR_DEMO_TOL = 150, 1e-3


def plot_learning_rate(surface="bowl", learning_rate=0.1, start_x=1.0, start_y=3.0):
    r"""Gradient descent on one of ``surfaces.SURFACES`` for a learning rate and a start.

    Left: the surface (contours in 2-D, the curve in 1-D) and the path; right: the loss above
    its minimum, $J(\theta) - J^*$, per step on a log scale. The title gives the verdict.
    ``update_learning_rate`` redraws such a figure in place for new settings (faster).
    """
    from nnbook.surfaces import SURFACES

    if surface not in SURFACES:
        raise ValueError(f"surface must be one of {sorted(SURFACES)}; got {surface!r}")
    s = SURFACES[surface]()
    fig, (ax_path, ax_loss) = subplots(1, 2, figsize=(9.6, 4.1), layout=None, width_ratios=[1.1, 1])
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.8, wspace=0.28)
    if s.dim == 2:
        plot_contours(s, ax_path)
        ax_path.legend(loc="lower right", fontsize=8, framealpha=0.8, frameon=True, handletextpad=0.2,
                       borderpad=0.3)
        path_line, = ax_path.plot([], [], color=PALETTE["vermillion"], lw=1.5, marker="o", ms=3, zorder=3)
    else:
        xs = np.linspace(*s.limits[0], 301)
        curve = s.loss(xs[:, None])
        ax_path.plot(xs, curve, color=PALETTE["blue"], lw=2)
        ax_path.plot(s.minimum[0], s.min_loss, marker="*", ms=14, color=PALETTE["green"], mec="black", ls="none")
        for label, point in s.stationary.items():
            ax_path.plot(point[0], s.loss(point), marker="*" if "minimum" in label else "X", ms=10,
                         color="white", mec="black", ls="none", zorder=2)
        ax_path.set_xlim(*s.limits[0])
        ax_path.set_ylim(curve.min() - 0.08 * np.ptp(curve), curve.max() + 0.05 * np.ptp(curve))
        ax_path.set(xlabel="θ", ylabel="J(θ)")
        path_line, = ax_path.plot([], [], color=PALETTE["vermillion"], lw=1.2, marker="o", ms=4, zorder=3)
    start_marker, = ax_path.plot([], [], marker="o", ms=10, mfc="none", mec="black", mew=1.6, ls="none", zorder=4)
    note = ax_path.text(0.02, 0.97, "", transform=ax_path.transAxes, va="top", fontsize=9,
                        color=PALETTE["vermillion"], zorder=5,
                        bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
    ax_path.set_title(s.formula, fontsize=11)
    loss_line, = ax_loss.plot([], [], color=PALETTE["vermillion"], lw=1.5, marker="o", ms=2.5)
    ax_loss.set_yscale("log")
    ax_loss.set(xlabel="step", ylabel="J(θ) − J* (log scale)", title="loss above its minimum, per step")
    _fast_axes(ax_path)
    _fast_axes(ax_loss)
    _static_axis_labels(ax_loss)
    fig.nnbook_learning_rate = {"surface": surface, "s": s, "siblings": {surface: fig}, "path": path_line, "start": start_marker,
                                "note": note, "loss": loss_line, "ax_path": ax_path, "ax_loss": ax_loss}
    # What changes between settings: the live view redraws only these (widgets.figure_png).
    fig.nnbook_dynamic = [path_line, start_marker, note, loss_line, ax_loss.xaxis, ax_loss.yaxis,
                          fig.suptitle("")]
    return _fill_learning_rate(fig, learning_rate, start_x, start_y)


def update_learning_rate(fig, surface="bowl", learning_rate=0.1, start_x=1.0, start_y=3.0):
    """Redraw a figure made by ``plot_learning_rate`` for new settings, in place.

    Only the path, the loss curve and the titles change, so this is much faster than a new
    figure. Returns the figure to show: ``fig`` itself, or for another surface that surface's
    figure (made once, then reused); None when ``fig`` was not made by ``plot_learning_rate``.
    """
    parts = getattr(fig, "nnbook_learning_rate", None)
    if parts is None:
        return None
    siblings = parts["siblings"]  # one figure per surface, shared: switching back is fast too
    if surface not in siblings:
        sibling = plot_learning_rate(surface, learning_rate, start_x, start_y)
        sibling.nnbook_learning_rate["siblings"] = siblings
        siblings[surface] = sibling
        return sibling
    return _fill_learning_rate(siblings[surface], learning_rate, start_x, start_y)


def _fill_learning_rate(fig, learning_rate, start_x, start_y):
    from nnbook.descent import gradient_descent

    parts = fig.nnbook_learning_rate
    s = parts["s"]
    start = [start_x, start_y][:s.dim]
    run = gradient_descent(s, start, learning_rate, steps=LR_DEMO_STEPS, tol=LR_DEMO_TOL)
    colour = _verdict_colour(run)
    if s.dim == 2:
        parts["path"].set_data(run.path[:, 0], run.path[:, 1])
        parts["start"].set_data([start_x], [start_y])
        (x0, x1), (y0, y1) = s.limits
        inside = (run.path[:, 0] >= x0) & (run.path[:, 0] <= x1) & (run.path[:, 1] >= y0) & (run.path[:, 1] <= y1)
    else:
        parts["path"].set_data(run.path[:, 0], run.losses)
        parts["start"].set_data([start_x], [run.losses[0]])
        x0, x1 = s.limits[0]
        y0, y1 = parts["ax_path"].get_ylim()
        inside = (run.path[:, 0] >= x0) & (run.path[:, 0] <= x1) & (run.losses <= y1)
    parts["path"].set_color(colour)
    parts["path"].set_marker("o" if run.steps <= 60 else "")
    outside = np.flatnonzero(~inside)
    if outside.size:
        parts["note"].set_text(f"the path leaves the picture at step {outside[0]}")
    elif run.status == "diverged":
        parts["note"].set_text("the next step jumps far away")
    else:
        parts["note"].set_text("")
    gap = np.maximum(run.losses - s.min_loss, 1e-12)
    parts["loss"].set_data(np.arange(len(gap)), gap)
    parts["loss"].set_color(colour)
    parts["loss"].set_marker("o" if run.steps <= 60 else "")
    ax_loss = parts["ax_loss"]
    ax_loss.set_xlim(-0.5, max(run.steps, 1) + 0.5)
    ax_loss.set_ylim(gap.min() / 4, gap.max() * 4)
    where = f"start ({start_x:.3g}, {start_y:.3g})" if s.dim == 2 else f"start θ = {start_x:.3g}"
    verdict = run.verdict
    if run.converged and run.losses[-1] - s.min_loss > 1e-3:
        verdict += ", but not at the lowest point"
    fig.suptitle(f"{s.name}, α = {learning_rate:.3g}, {where}:  {verdict}", color=colour,
                 fontsize=12.5)
    return fig


#: The batch-size demo's data: 64 seeded examples of y = 2x + 1 + noise, and its epochs.
BATCH_DEMO_EPOCHS = 8


def plot_batch_size(batch_size=8, learning_rate=0.1):
    """Mini-batch gradient descent on a small linear regression, for one batch size.

    Left: the cost's contours over the slope w and bias b, with the path of every update
    (grey: batch gradient descent for comparison); right: the cost per epoch for both, so
    that equal x means equal work. ``update_batch_size`` redraws such a figure in place.
    """
    from nnbook.descent import minibatch_descent, regression_data
    from nnbook.surfaces import least_squares

    X, y = regression_data(64)
    s = least_squares(X, y)
    s = type(s)(s.name, s.formula, s.loss, s.gradient, s.minimum, s.min_loss, ((-0.6, 3.6), (-0.6, 2.6)),
                s.curvature)
    fig, (ax_path, ax_loss) = subplots(1, 2, figsize=(9.6, 4.1), layout=None, width_ratios=[1.1, 1])
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.8, wspace=0.28)
    plot_contours(s, ax_path, mark_minimum=False)
    ax_path.plot(*s.minimum, marker="*", ms=14, color=PALETTE["green"], mec="black", ls="none", zorder=4,
                 label="least squares")
    ax_path.set(xlabel="slope w", ylabel="bias b")
    batch_line, = ax_path.plot([], [], color=PALETTE["black"], lw=1.2, ls="--", marker="s", ms=3,
                               zorder=3, label="batch (all 64)")
    path_line, = ax_path.plot([], [], color=PALETTE["vermillion"], lw=1.0, zorder=3, label="this batch size")
    ax_path.plot(0, 0, marker="o", ms=9, mfc="none", mec="black", mew=1.5, zorder=4, ls="none")
    ax_path.legend(loc="upper left", fontsize=8, framealpha=0.85, frameon=True)
    batch_loss, = ax_loss.plot([], [], color=PALETTE["black"], lw=1.2, ls="--", marker="s", ms=3,
                               label="batch (all 64)")
    loss_line, = ax_loss.plot([], [], color=PALETTE["vermillion"], lw=1.0, label="this batch size")
    ax_loss.axhline(s.min_loss, color=PALETTE["green"], lw=1, ls=":", label="least squares")
    ax_loss.set_yscale("log")
    ax_loss.set_xlim(0, BATCH_DEMO_EPOCHS)
    ax_loss.set(xlabel="epochs (equal work at equal x)", ylabel="cost on all 64 examples",
                title="cost while training")
    ax_loss.legend(loc="upper right", fontsize=8)
    _fast_axes(ax_path)
    _fast_axes(ax_loss)
    _static_axis_labels(ax_loss)
    fig.nnbook_batch_size = {"X": X, "y": y, "s": s, "path": path_line, "loss": loss_line,
                             "batch_path": batch_line, "batch_loss": batch_loss, "ax_loss": ax_loss,
                             "minibatch_descent": minibatch_descent}
    fig.nnbook_dynamic = [path_line, batch_line, loss_line, batch_loss, ax_loss.xaxis, ax_loss.yaxis,
                          fig.suptitle("")]
    return _fill_batch_size(fig, batch_size, learning_rate)


def update_batch_size(fig, batch_size=8, learning_rate=0.1):
    """Redraw a figure made by ``plot_batch_size`` for new settings, in place (None if it is not one)."""
    if getattr(fig, "nnbook_batch_size", None) is None:
        return None
    return _fill_batch_size(fig, batch_size, learning_rate)


def _fill_batch_size(fig, batch_size, learning_rate):
    parts = fig.nnbook_batch_size
    X, y, s = parts["X"], parts["y"], parts["s"]
    n = len(y)
    batch_size = int(batch_size)
    run = parts["minibatch_descent"](X, y, batch_size, learning_rate, epochs=BATCH_DEMO_EPOCHS)
    full = parts["minibatch_descent"](X, y, n, learning_rate, epochs=BATCH_DEMO_EPOCHS)
    parts["path"].set_data(run.path[:, 0], run.path[:, 1])
    parts["batch_path"].set_data(full.path[:, 0], full.path[:, 1])
    parts["loss"].set_data(run.examples / n, run.losses)
    parts["batch_loss"].set_data(full.examples / n, full.losses)
    both = np.concatenate([run.losses, full.losses])
    parts["ax_loss"].set_ylim(s.min_loss * 0.7, max(both.max(), s.min_loss) * 2)
    kind = "stochastic" if batch_size == 1 else "batch" if batch_size == n else "mini-batch"
    if run.diverged:
        outcome = f"diverged in epoch {int(run.examples[-1] // n) + 1}"
        colour = VERDICT_COLOURS["diverged"]
    else:
        outcome = f"final cost {run.losses[-1]:.3f} (best {s.min_loss:.3f})"
        colour = "black"
    fig.suptitle(f"batch size {batch_size} ({kind}), α = {learning_rate:.3g}: "
                 f"{run.iterations_per_epoch} update{'s' if run.iterations_per_epoch > 1 else ''} per epoch, "
                 f"each averaging {batch_size} "
                 f"example{'s' if batch_size > 1 else ''}\n"
                 f"{run.iterations} updates in {BATCH_DEMO_EPOCHS} epochs, {outcome}",
                 fontsize=11.5, color=colour)
    return fig


# --- chapter 3: networks, losses, universal approximation --------------------------------

def plot_loss_curves(target_class_scores=np.linspace(-6, 6, 241)):
    """Three losses against the prediction for a fixed target.

    Left: squared error of a regression output, target 1. Middle: binary cross-entropy and
    squared error of a probability p, target 1. Right: softmax cross-entropy against the
    score (logit) of the correct class, the other two scores 0.
    """
    from nnbook.activations import log_softmax

    fig, axes = subplots(1, 3, figsize=(11, 3.4))
    y_hat = np.linspace(-1, 3, 201)
    axes[0].plot(y_hat, (y_hat - 1) ** 2, color=PALETTE["blue"])
    axes[0].axvline(1, color=PALETTE["grey"], ls=":")
    axes[0].set(xlabel="prediction $\\hat y$", ylabel="loss", title="MSE, target $y = 1$")
    p = np.linspace(1e-3, 1, 400)
    axes[1].plot(p, -np.log(p), color=PALETTE["vermillion"], label="cross-entropy $-\\log p$")
    axes[1].plot(p, (1 - p) ** 2, color=PALETTE["blue"], ls="--", label="squared error $(1 - p)^2$")
    axes[1].set(xlabel="predicted probability $p$ of class 1", ylim=(0, 7),
                title="Binary, target $y = 1$")
    axes[1].legend(loc="upper right")
    z = np.asarray(target_class_scores, dtype=np.float64)
    scores = np.column_stack([z, np.zeros_like(z), np.zeros_like(z)])
    axes[2].plot(z, -log_softmax(scores, axis=1)[:, 0], color=PALETTE["vermillion"])
    axes[2].set(xlabel="score $z_1$ of the correct class (others 0)",
                title="Softmax + cross-entropy")
    return fig


def plot_approximation(target="wave", units=10, depth=1):
    """A network with fixed hidden layers and a least-squares output approximating a 1-D
    target (``nnbook.approximation``). Top: target and network; bottom: each last-layer
    hidden unit's contribution (its output times its output weight)."""
    from nnbook.approximation import approximate

    fit = approximate(target, int(units), int(depth))
    fig, (ax, ax_units) = subplots(2, 1, figsize=(7.5, 5.2), layout=None, sharex=True,
                                   gridspec_kw={"height_ratios": [2, 1]})
    fig.subplots_adjust(left=0.13, right=0.97, top=0.86, bottom=0.1, hspace=0.12)
    ax.plot(fit.x, fit.target, color=PALETTE["black"], ls="--", lw=1.5, label="target")
    ax.plot(fit.x, fit.output, color=PALETTE["blue"], lw=2, label="network")
    if depth == 1:
        ax.plot(fit.kinks, np.interp(fit.kinks, fit.x, fit.output), "o", ms=3,
                color=PALETTE["vermillion"], label="kinks (one per unit)")
    low, high = fit.target.min(), fit.target.max()
    ax.set_ylim(low - 0.35 * (high - low), high + 0.35 * (high - low))
    ax.legend(loc="upper left", ncol=3, fontsize=9)
    ax.set_ylabel("y")
    weights = fit.network.layers[-1].params["W"][:, 0]
    contributions = fit.features * weights
    ax_units.plot(fit.x, contributions, lw=0.8, alpha=0.7)
    ax_units.set(xlabel="x", ylabel="unit × weight")
    layers = "1 hidden layer" if depth == 1 else f"{depth} hidden layers"
    fig.suptitle(f"{units} unit{'s' if units > 1 else ''} per layer, {layers}: "
                 f"{fit.network.n_params} parameters\n"
                 f"RMS error {fit.rms_error:.4f}, largest error {fit.max_error:.3f}",
                 fontsize=11.5)
    return fig


# --- Chapter 5: backpropagation -------------------------------------------------------------

from functools import lru_cache as _lru_cache  # noqa: E402

def plot_value_graph(output, ax=None, *, title=None, show_grad=True):
    """The computational graph behind an ``autodiff.Value``: a box per value (its label or
    operation, its data and, after ``backward``, its gradient), arrows from inputs to results."""
    from nnbook.autodiff import graph

    nodes, edges = graph(output)
    depth = [0] * len(nodes)
    for parent, child in sorted(edges, key=lambda e: e[1]):
        depth[child] = max(depth[child], depth[parent] + 1)
    columns = {}
    for k, d in enumerate(depth):
        columns.setdefault(d, []).append(k)
    tallest = max(len(c) for c in columns.values())
    fig, ax = new_axes(ax, figsize=(1.05 * (max(depth) + 1) + 0.4, 0.8 * tallest + 0.8))
    position = {}
    for d, members in columns.items():
        for slot, k in enumerate(members):
            position[k] = (d, (len(members) - 1) / 2 - slot)
    for parent, child in edges:
        ax.add_patch(FancyArrowPatch(position[parent], position[child], arrowstyle="-|>",
                                     mutation_scale=10, shrinkA=26, shrinkB=26,
                                     color=PALETTE["grey"], lw=1))
    for k, node in enumerate(nodes):
        name = node.label or node.op or "const"
        text = f"{name}\n{node.data:.4g}" + (f"\n∂={node.grad:.3g}" if show_grad else "")
        colour = PALETTE["sky"] if not node._parents else PALETTE["orange"]  # noqa: SLF001
        if k == len(nodes) - 1:
            colour = PALETTE["green"]
        x, y = position[k]
        ax.text(x, y, text, ha="center", va="center", fontsize=8.5, linespacing=1.15,
                bbox=dict(boxstyle="round,pad=0.3", fc=mpl.colors.to_rgba(colour, 0.35), ec=colour))
    ax.set_xlim(-0.6, max(depth) + 0.6)
    ax.set_ylim(-tallest / 2 - 0.1, tallest / 2 + 0.1)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig


def plot_gradient_cost(n_params, seconds=None):
    """Forward passes for one gradient, finite differences vs backpropagation, against the
    number of parameters (log-log); with ``seconds`` = {method: [seconds per n]} a second
    panel shows measured times."""
    from nnbook.gradcheck import forward_passes

    n_params = np.asarray(n_params)
    panels = 2 if seconds else 1
    fig, axes = subplots(1, panels, figsize=(4.6 * panels + 0.6, 3.6), squeeze=False)
    colours = {"finite differences": PALETTE["vermillion"], "backpropagation": PALETTE["blue"]}
    ax = axes[0, 0]
    for method, colour in colours.items():
        ax.plot(n_params, [forward_passes(n, method) for n in n_params], "o-", color=colour,
                label=method)
    ax.set(xscale="log", yscale="log", xlabel="parameters", ylabel="passes per gradient",
           title="Cost counted in passes")
    ax.legend()
    if seconds:
        ax = axes[0, 1]
        for method, colour in colours.items():
            ax.plot(n_params, seconds[method], "o-", color=colour, label=method)
        ax.set(xscale="log", yscale="log", xlabel="parameters", ylabel="seconds per gradient",
               title="Cost measured on this machine")
        ax.legend()
    return fig


XOR_DEMO_EPOCHS = 1000


@_lru_cache(maxsize=32)   # one training run per setting, then replayed
def _xor_run(hidden, learning_rate, seed):
    """Train a 2-hidden-1 tanh network on XOR; keep its weights after every epoch."""
    from nnbook.training import XOR_X, XOR_Y, fit, mlp

    net = mlp([2, hidden, 1], "tanh", seed=seed)
    snapshots = [[p.copy() for _, p, _ in net.parameters()]]
    history = fit(net, XOR_X, XOR_Y, loss="binary_cross_entropy_from_logits",
                  learning_rate=learning_rate, epochs=XOR_DEMO_EPOCHS,
                  callback=lambda epoch, n: snapshots.append([p.copy() for _, p, _ in n.parameters()]))
    return net, snapshots, history.loss


def plot_xor_training(epoch=XOR_DEMO_EPOCHS, hidden=2, learning_rate=0.5, seed=0):
    """XOR learned by backpropagation: the decision regions of a 2-``hidden``-1 tanh network
    after ``epoch`` epochs of full-batch gradient descent (left), and the loss (right)."""
    from nnbook.activations import sigmoid
    from nnbook.training import XOR_X, XOR_Y

    hidden, epoch, seed = int(hidden), int(epoch), int(seed)
    net, snapshots, losses = _xor_run(hidden, float(learning_rate), seed)
    for (_, param, _), saved in zip(net.parameters(), snapshots[epoch]):
        param[...] = saved
    grid = np.linspace(-0.5, 1.5, 81)
    gx, gy = np.meshgrid(grid, grid)
    p = sigmoid(net.forward(np.column_stack([gx.ravel(), gy.ravel()]))).reshape(gx.shape)
    scores = net.forward(XOR_X)[:, 0]
    correct = int(np.sum((scores > 0) == (XOR_Y[:, 0] > 0.5)))
    fig, (ax, ax_loss) = subplots(1, 2, figsize=(9, 4), layout=None,
                                  gridspec_kw={"width_ratios": [1, 1.15]})
    fig.subplots_adjust(left=0.07, right=0.97, top=0.8, bottom=0.14, wspace=0.3)
    cmap = mpl.colors.LinearSegmentedColormap.from_list(
        "nnbook_xor", [CLASS_COLOURS[1], "#FFFFFF", CLASS_COLOURS[0]])   # class 0 blue, 1 orange
    ax.contourf(gx, gy, p, levels=np.linspace(0, 1, 11), cmap=cmap, alpha=0.45)
    ax.contour(gx, gy, p, levels=[0.5], colors=PALETTE["black"], linewidths=1.5)
    plot_points(XOR_X, XOR_Y[:, 0].astype(int), ax)
    ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), aspect="equal", xlabel="$x_1$", ylabel="$x_2$",
           title=f"{correct}/4 right")
    epochs = np.arange(1, len(losses) + 1)
    ax_loss.plot(epochs, losses, color=PALETTE["blue"])
    if epoch > 0:
        ax_loss.plot([epoch], [losses[epoch - 1]], "o", color=PALETTE["vermillion"])
    ax_loss.set(ylim=(0, max(0.8, max(losses[:1]) * 1.05)), xlabel="epoch",
                ylabel="loss (mean cross-entropy)",
                title=f"loss {losses[epoch - 1]:.3g} at epoch {epoch}" if epoch else
                "loss over the run (epoch 0: the start)")
    fig.suptitle(f"Epoch {epoch}: 2-{hidden}-1 tanh network, learning rate {learning_rate:.3g}, "
                 f"seed {seed}")
    return fig


def plot_vanishing_gradients(depth=10, width=32, seed=0):
    """The gradient norm ‖∂L/∂W‖ of each layer of a deep sigmoid network and a deep ReLU
    network (same data, same widths), first layer on the left, on a log scale."""
    from nnbook.training import vanishing_gradients

    depth, width = int(depth), int(width)
    fig, ax = subplots(figsize=(7.5, 4))
    layers = np.arange(1, depth + 1)
    ratios = {}
    for name, colour in (("sigmoid", PALETTE["vermillion"]), ("relu", PALETTE["blue"])):
        norms = vanishing_gradients(depth, name, width, seed)
        ratios[name] = norms[0] / norms[-1]
        ax.plot(layers, norms, "o-", color=colour, label=f"{name}: first / last = {ratios[name]:.1e}")
    ax.set(yscale="log", xlabel="layer (1 = nearest the input)", ylabel="‖∂L/∂W‖",
           title=f"{depth} layers of {width} units: gradient norm per layer")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.legend(loc="lower right")
    return fig
