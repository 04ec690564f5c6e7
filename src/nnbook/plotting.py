"""The book's figure style and the figure pieces that two or more chapters use.

Figures are made with ``matplotlib.figure.Figure``, not pyplot, so a function never leaves a
figure open behind it: a notebook shows the returned figure, a widget redraws it, a test
inspects it. A figure that only one chapter draws lives in that chapter's module
(``nnbook.book``); it moves here when a second chapter needs it.
"""

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

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


def use_book_style():
    """Set matplotlib defaults for the book (palette, sizes, a light grid) and, in a notebook,
    show returned figures as PNG images."""
    _show_figures_in_notebooks()
    mpl.rcParams.update(
        {
            "axes.prop_cycle": mpl.cycler(color=[PALETTE[k] for k in ("blue", "orange", "green", "vermillion",
                                                                      "sky", "purple", "black")]),
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


def line_in_box(w1, w2, b, lo, hi):
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


# --- Loss surfaces and descent paths (chapters 4 and 6) ---------------------------------

_SURFACE_CMAP = mpl.colors.LinearSegmentedColormap.from_list("nnbook_surface", ["#FFFFFF", "#BFDCEF"])


def _surface_grid(surface, n=121):
    """Loss on an n x n grid over the surface's box: (xs, ys, loss (n, n))."""
    (x0, x1), (y0, y1) = surface.limits
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    return xs, ys, surface.loss(grid)


def contour_levels(surface, values, n_levels):
    """Levels spaced evenly in log(loss - min_loss), from near the bottom to the box's upper loss.

    values: the loss on a grid over the box; the top level is its 90th percentile above the
    minimum, the lowest 1/500 of that.
    """
    gap = values - surface.min_loss
    top = float(np.percentile(gap, 90))
    return surface.min_loss + np.geomspace(top * 2e-3, top, n_levels)


def plot_contours(surface, ax=None, *, n_levels=12, mark_minimum=True):
    r"""Contour lines of a 2-D surface over its box, shaded by $\log(\mathcal{L} - \mathcal{L}^*)$; returns the figure.

    Levels are spaced evenly in $\log(\mathcal{L} - \mathcal{L}^*)$ (``contour_levels``), so the
    flat bottom gets lines too. mark_minimum: also mark the minimum and the surface's other
    stationary points (``mark_stationary_points``).
    """
    if surface.dim != 2:
        raise ValueError(f"plot_contours draws 2-D surfaces; the {surface.name} is {surface.dim}-D")
    fig, ax = new_axes(ax, figsize=(5.0, 4.4))
    xs, ys, values = _surface_grid(surface)
    shade = np.log10(values - surface.min_loss + 1e-3)
    ax.imshow(shade, extent=(xs[0], xs[-1], ys[0], ys[-1]), origin="lower", cmap=_SURFACE_CMAP.reversed(),
              aspect="auto", interpolation="bilinear", zorder=0)
    ax.contour(xs, ys, values, levels=contour_levels(surface, values, n_levels), colors=PALETTE["blue"],
               linewidths=0.7, alpha=0.6, zorder=1)
    if mark_minimum:
        mark_stationary_points(surface, ax)
    ax.set_xlim(*surface.limits[0])
    ax.set_ylim(*surface.limits[1])
    ax.set_xlabel("θ₁")
    ax.set_ylabel("θ₂")
    ax.grid(False)
    return fig


def mark_stationary_points(surface, ax, *, dim=2):
    """Mark a surface's minimum (green star) and its other stationary points on ``ax``.

    Another point as low as the minimum (the saddle surface has two) gets the same green star
    and no second legend entry; a local minimum a white star; a saddle point or hump an X.
    dim=1 draws them on the curve (x = theta, y = loss) of a 1-D surface.
    """
    def place(point):
        point = np.asarray(point, dtype=float)
        return (point[0], float(surface.loss(point))) if dim == 1 else tuple(point)

    ax.plot(*place(surface.minimum), marker="*", ms=14, color=PALETTE["green"], mec="black", zorder=4,
            ls="none", label="minimum")
    for label, point in surface.stationary.items():
        if np.isclose(float(surface.loss(point)), surface.min_loss, rtol=0, atol=1e-12):
            ax.plot(*place(point), marker="*", ms=14, color=PALETTE["green"], mec="black", zorder=4,
                    ls="none", label="_minimum")  # as low as the minimum: same mark, one legend entry
            continue
        marker = "*" if "minimum" in label else "X"
        ax.plot(*place(point), marker=marker, ms=10, color="white", mec="black", zorder=4, ls="none",
                label=label)


def plot_path(path, ax, *, colour=PALETTE["vermillion"], label=None, markers=True, **kwargs):
    """Draw a descent path (n, 2) on a contour plot: a line through the points, the start ringed."""
    path = np.asarray(path, dtype=float)
    ax.plot(path[:, 0], path[:, 1], color=colour, lw=1.6, marker="o" if markers else None, ms=3.5,
            label=label, zorder=3, **kwargs)
    ax.plot(*path[0], marker="o", ms=9, mfc="none", mec="black", mew=1.5, zorder=4, ls="none")
    return ax.figure


# --- Axes that redraw fast (live demos) ------------------------------------------------

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


class LogTicks(mpl.ticker.Locator):
    """Ticks for a log axis that always label the range, from a fraction of a decade to hundreds.

    Within about a decade: 1, 2 and 5 (or 1 to 9 when those are too few) times a power of
    ten; up to 3 decades: 1, 2 and 5 times each power; beyond: powers of ten, every k-th one,
    so that at most ``max_ticks`` show. (Matplotlib's ``LogLocator`` with ``subs`` gives no
    tick at all on ranges of ten decades or more, and one lone tick on short ranges.)
    """

    def __init__(self, max_ticks=7):
        self.max_ticks = max_ticks

    def __call__(self):
        return self.tick_values(*self.axis.get_view_interval())

    def tick_values(self, vmin, vmax):
        vmin, vmax = sorted((float(vmin), float(vmax)))
        if not (vmax > 0 and np.isfinite(vmax)):
            return np.array([])
        vmin = vmin if vmin > 0 and np.isfinite(vmin) else vmax / 10
        lo, hi = np.log10(vmin), np.log10(vmax)
        decades = np.arange(max(np.floor(lo) - 1, -307), min(np.ceil(hi) + 2, 308))

        def inside(ticks):
            return ticks[(ticks >= vmin * (1 - 1e-9)) & (ticks <= vmax * (1 + 1e-9))]

        if hi - lo <= 3:
            for mantissas in ((1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9)):
                ticks = inside(np.outer(10.0 ** decades, mantissas).ravel())
                if 3 <= len(ticks) <= self.max_ticks:
                    return ticks
        needed = (hi - lo) / (self.max_ticks - 1)  # decades between labels, at least
        stride = next(k for k in (1, 2, 3, 4, 5, 10, 20, 25, 50, 100, 200, 500, 10 ** 9) if k >= needed)
        ticks = inside(10.0 ** decades[decades % stride == 0])
        return ticks if len(ticks) >= 2 else inside(np.outer(10.0 ** decades, (1, 2, 5)).ravel())


def plain_log_ticks(axis):
    """Label a log-scale axis (``ax.xaxis`` or ``ax.yaxis``) at any range, in plain text.

    Ticks from ``LogTicks``, labels like 10⁻³ (mathtext labels are slow to lay out), and no
    minor ticks (dozens of them cost time on every draw).
    """
    axis.set_major_locator(LogTicks())
    axis.set_major_formatter(mpl.ticker.FuncFormatter(_power_of_ten))
    axis.set_minor_locator(mpl.ticker.NullLocator())


def fast_axes(ax, title_y=1.02):
    """Make an axes cheap to redraw: plain-text log tick labels, fixed title and label places.

    Matplotlib otherwise re-measures every tick label on each draw to place titles and axis
    labels, and lays out mathtext tick labels afresh whenever the limits change.
    """
    if ax.get_yscale() == "log":
        plain_log_ticks(ax.yaxis)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(5))
    if ax.get_yscale() != "log":
        ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(5))
    ax.title.set_y(title_y)
    ax._autotitlepos = False  # noqa: SLF001 -- what set_title(y=...) does; keeps our title place
    ax.xaxis.set_label_coords(0.5, -0.1)
    ax.yaxis.set_label_coords(-0.12, 0.5)


def static_axis_labels(ax):
    """Turn an axes' axis labels into plain texts at the same places.

    Axis labels are drawn with their axis; as texts of their own they can stay in the saved
    background of a live figure while the axis (ticks, limits) is redrawn.
    """
    ax.text(0.5, -0.1, ax.get_xlabel(), transform=ax.transAxes, ha="center", va="top")
    ax.text(-0.12, 0.5, ax.get_ylabel(), transform=ax.transAxes, ha="right", va="center", rotation=90)
    ax.set_xlabel("")
    ax.set_ylabel("")


def level_segments(xs, ys, values, level):
    """The line where a gridded function crosses ``level`` (marching squares), as segments.

    xs (nx,), ys (ny,): the grid; values (ny, nx): the function on it. Returns an array
    (n, 2, 2) of segments, one or two per grid cell the line passes through, each end on a
    cell edge where linear interpolation between the two corners gives ``level``.
    """
    s = np.asarray(values, dtype=float) - level
    x0, y0 = np.meshgrid(xs[:-1], ys[:-1])
    x1, y1 = np.meshgrid(xs[1:], ys[1:])
    a, b, c, d = s[:-1, :-1], s[:-1, 1:], s[1:, 1:], s[1:, :-1]   # corners: bottom-left, anticlockwise

    def crossing(u, v, pu, pv):
        """Where the level is crossed between corners u at pu and v at pv (NaN if it is not)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where((u > 0) != (v > 0), u / (u - v), np.nan)
        return np.stack([pu[0] + t * (pv[0] - pu[0]), pu[1] + t * (pv[1] - pu[1])], axis=-1)

    edges = np.stack([crossing(a, b, (x0, y0), (x1, y0)),     # bottom
                      crossing(b, c, (x1, y0), (x1, y1)),     # right
                      crossing(d, c, (x0, y1), (x1, y1)),     # top
                      crossing(a, d, (x0, y0), (x0, y1))],    # left
                     axis=2).reshape(-1, 4, 2)
    found = ~np.isnan(edges[..., 0])
    count = found.sum(axis=1)
    two = edges[count == 2]
    order = np.argsort(~found[count == 2], axis=1, kind="stable")[:, :2]
    segments = [np.take_along_axis(two, order[..., None], axis=1)]
    # A saddle cell (four crossings): pair them by the sign at the cell's centre.
    centre = ((a + b + c + d) / 4).ravel()[count == 4]
    corner = a.ravel()[count == 4]
    four = edges[count == 4]
    same = (centre > 0) == (corner > 0)
    pairs = np.where(same[:, None, None], [[0, 1], [2, 3]], [[0, 3], [1, 2]])   # cut off b, d or a, c
    for cell, pair in zip(four, pairs):
        segments.append(cell[pair])
    return np.concatenate(segments) if segments else np.empty((0, 2, 2))
