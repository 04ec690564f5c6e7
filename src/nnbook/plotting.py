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
    """
    w = np.array([w1, w2], dtype=float)
    scores = score_gates(w, b, gates)
    fig, axes = subplots(1, len(gates), figsize=(3.1 * len(gates), 3.9), layout=None)
    fig.subplots_adjust(left=0.07, right=0.96, bottom=0.2, top=0.84, wspace=0.35)
    for ax, gate in zip(np.atleast_1d(axes), gates):
        outputs, correct = scores[gate]
        targets = GATE_TARGETS[gate]
        plot_decision_line(w, b, ax)
        plot_points(GATE_INPUTS, targets, ax)
        wrong = outputs != targets
        ax.scatter(GATE_INPUTS[wrong, 0], GATE_INPUTS[wrong, 1], s=380, facecolors="none",
                   edgecolors=PALETTE["vermillion"], linewidths=2.5, zorder=4)
        table = format_truth_table(GATE_INPUTS, outputs)
        verdict = "all 4 right" if correct == 4 else f"{correct}/4 right"
        ax.set_title(f"{gate}: {verdict}", color="black" if correct == 4 else PALETTE["vermillion"])
        ax.set_xlabel(f"$x_1$\nneuron: {table}", fontsize=9.5)
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
    fig.suptitle(f"One neuron: $w_1$={w1:g}, $w_2$={w2:g}, $b$={b:g}  (shaded: output 1)")
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
                 input_names=None):
    """Draw a fully connected network: circles for units, lines for weights.

    layer_sizes: units per layer, inputs first, e.g. [2, 2, 1].
    node_labels: {(layer, unit): text inside the circle};
    edge_labels: {(layer, from_unit, to_unit): text}, layer being the one the edge leaves;
    input_names: text written to the left of each input unit.
    """
    fig, ax = new_axes(ax, figsize=(1.9 * len(layer_sizes) + 1, 0.9 * max(layer_sizes) + 1.4))
    node_labels, edge_labels = node_labels or {}, edge_labels or {}
    tallest = max(layer_sizes)
    position = {(layer, unit): (layer, (size - 1) / 2 - unit) for layer, size in enumerate(layer_sizes) for unit in range(size)}
    for layer in range(len(layer_sizes) - 1):
        for i in range(layer_sizes[layer]):
            for j in range(layer_sizes[layer + 1]):
                (x0, y0), (x1, y1) = position[(layer, i)], position[(layer + 1, j)]
                ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=12,
                                             shrinkA=16, shrinkB=16, color=PALETTE["grey"], lw=1.2))
                if (layer, i, j) in edge_labels:
                    t = 0.3 if layer_sizes[layer + 1] > 1 else 0.5
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), edge_labels[(layer, i, j)], ha="center",
                            va="center", fontsize=10, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    colours = [PALETTE["sky"]] + [PALETTE["orange"]] * (len(layer_sizes) - 2) + [PALETTE["green"]]
    for (layer, unit), (x, y) in position.items():
        ax.scatter([x], [y], s=900, c=colours[layer], edgecolors="black", zorder=3)
        ax.text(x, y, node_labels.get((layer, unit), ""), ha="center", va="center", fontsize=10, zorder=4)
    for unit, name in enumerate(input_names or []):
        x, y = position[(0, unit)]
        ax.text(x - 0.18, y, name, ha="right", va="center", fontsize=10)
    if layer_names:
        for layer, name in enumerate(layer_names):
            ax.text(layer, -tallest / 2 - 0.1, name, ha="center", va="top", fontsize=10)
    ax.set_xlim(-1.1 if input_names else -0.5, len(layer_sizes) - 0.5)
    ax.set_ylim(-tallest / 2 - 0.6, tallest / 2)
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
