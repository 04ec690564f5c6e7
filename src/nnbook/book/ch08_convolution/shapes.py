"""Chapter 8: padding, stride and the output size, for ANY settings, drawn.

The padded input is a grid of (n + 2p) x (n + 2p) cells; window (i, j) covers rows
i s to i s + k - 1 and columns j s to j s + k - 1 of it. ``conv.output_size`` counts the
windows along one axis (floor mode), ``conv.dropped`` the rows (and columns) at the end that
no window reaches. Where no window fits (k > n + 2p) the figure says so instead of refusing.
"""

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch, Polygon, Rectangle
from matplotlib.path import Path

from nnbook import conv
from nnbook.plotting import PALETTE
from nnbook.widgets import Demo, LiveFigure, Slider

#: The demo's ranges: input size, kernel size, padding and stride.
SIZE, KERNEL, PADDING, STRIDE = (3, 12), (1, 7), (0, 3), (1, 4)


def window_geometry(n, k, p, s):
    """Everything the figure draws, for an n x n input, a k x k kernel, padding p and stride s.

    Returns a dict: padded (n + 2p), out (windows per axis, 0 if none fits), dropped (rows at
    the end no window reaches), starts (each window's first row), coverage (padded x padded:
    how many windows cover each cell), fits (a window fits)."""
    padded = n + 2 * p
    fits = k <= padded
    out = conv.output_size(n, k, p, s) if fits else 0
    dropped = conv.dropped(n, k, p, s) if fits else padded
    starts = np.arange(out) * s
    per_axis = np.zeros(padded, dtype=int)
    for start in starts:
        per_axis[start:start + k] += 1
    return {"padded": padded, "out": out, "dropped": dropped, "starts": starts,
            "coverage": np.outer(per_axis, per_axis), "fits": fits}


def _ring(outer, inner_start, inner_size):
    """The padding: the square [0, outer]^2 less the input's square, as one path (two loops,
    the inner one drawn the other way round, so it is a hole)."""
    a, b = inner_start, inner_start + inner_size
    square = [(0, 0), (outer, 0), (outer, outer), (0, outer), (0, 0)]
    hole = [(a, a), (a, b), (b, b), (b, a), (a, a)]
    codes = [Path.MOVETO, *[Path.LINETO] * 3, Path.CLOSEPOLY]
    return Path(square + hole, codes + codes)


def _band(size, width):
    """The last ``width`` rows and columns of a size x size grid, as one L-shaped polygon."""
    a = size - width
    return [(a, 0), (size, 0), (size, size), (0, size), (0, a), (a, a)]


def _grid_lines(size, rows=None):
    rows = size if rows is None else rows
    return ([[(x, 0), (x, rows)] for x in range(size + 1)] + [[(0, y), (size, y)] for y in range(rows + 1)])


class ShapesFigure(LiveFigure):
    """Top: the padded input (padding hatched grey), shaded by how many windows cover each
    cell, a dot at the centre of every window, the first and last windows outlined, and the
    rows and columns floor mode drops hatched red. Bottom: the output grid."""

    def draw(self, size=8, kernel=3, padding=1, stride=2):
        fig = Figure(figsize=(5.6, 8.6))
        ax_in, ax_out = fig.add_axes((0.06, 0.36, 0.88, 0.52)), fig.add_axes((0.3, 0.015, 0.4, 0.22))
        largest = SIZE[1] + 2 * PADDING[1]      # images of the largest grid; NaN where unused
        self.coverage = ax_in.imshow(np.zeros((largest, largest)), cmap="Blues", vmin=0, vmax=1,
                                     interpolation="nearest", extent=(0, largest, largest, 0), zorder=0)
        self.padding = PathPatch(_ring(2, 1, 0), facecolor="#DDDDDD", edgecolor="none", hatch="//", zorder=1)
        self.dropped = Polygon(_band(2, 1), facecolor="none", edgecolor=PALETTE["vermillion"], hatch="xx",
                               linewidth=0, zorder=2)
        ax_in.add_patch(self.padding)
        ax_in.add_patch(self.dropped)
        self.grid = LineCollection([], colors="#888888", linewidths=0.6, zorder=3)
        ax_in.add_collection(self.grid)
        self.input_box = Rectangle((0, 0), 1, 1, fill=False, ec="black", lw=2.2, zorder=4)
        self.first = Rectangle((0, 0), 1, 1, fill=False, ec=PALETTE["blue"], lw=3, zorder=5)
        self.last = Rectangle((0, 0), 1, 1, fill=False, ec=PALETTE["orange"], lw=3, ls="--", zorder=5)
        for patch in (self.input_box, self.first, self.last):
            ax_in.add_patch(patch)
        self.centres = ax_in.scatter([], [], s=14, c="black", zorder=6)
        self.message = ax_in.text(0.5, 0.5, "", transform=ax_in.transAxes, ha="center", va="center",
                                  fontsize=11, color=PALETTE["vermillion"], weight="bold", zorder=7,
                                  bbox={"fc": "white", "ec": PALETTE["vermillion"], "pad": 4})
        self.in_title = ax_in.set_title("", fontsize=10)
        self.out_cells = ax_out.imshow(np.zeros((largest, largest)), cmap="Blues", vmin=0, vmax=1,
                                       interpolation="nearest", extent=(0, largest, largest, 0))
        self.largest = largest
        self.out_grid = LineCollection([], colors="#555555", linewidths=0.8)
        ax_out.add_collection(self.out_grid)
        self.out_title = ax_out.set_title("", fontsize=10)
        for ax in (ax_in, ax_out):
            ax.set_aspect("equal")
            ax.set_axis_off()
        handles = [Patch(fc="#DDDDDD", hatch="//", label="padding (zeros)"),
                   Patch(fc=PALETTE["sky"], label="input pixel (darker: more windows)"),
                   Patch(fc="none", ec=PALETTE["blue"], lw=2.5, label="first window"),
                   Patch(fc="none", ec=PALETTE["orange"], lw=2.5, ls="--", label="last window"),
                   Patch(fc="none", ec=PALETTE["vermillion"], hatch="xx", lw=0, label="dropped (floor mode)")]
        fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.352), ncols=2, fontsize=8.5,
                   handlelength=1.6, columnspacing=1.0)
        self.suptitle = fig.suptitle("", fontsize=11, y=0.99)
        self.axes = (ax_in, ax_out)
        self.dynamic = [self.coverage, self.padding, self.dropped, self.grid, self.input_box, self.first,
                        self.last, self.centres, self.message, self.in_title, self.out_cells, self.out_grid,
                        self.out_title, self.suptitle]
        return fig

    def update(self, size=8, kernel=3, padding=1, stride=2):
        n, k, p, s = size, kernel, padding, stride
        g = window_geometry(n, k, p, s)
        P, out, dropped = g["padded"], g["out"], g["dropped"]
        ax_in, ax_out = self.axes
        ax_in.set(xlim=(-0.2, P + 0.2), ylim=(P + 0.2, -0.2))
        most = max(int(g["coverage"].max()), 1)
        inside = np.zeros((P, P), dtype=bool)
        inside[p:p + n, p:p + n] = True
        shade = np.full((self.largest, self.largest), np.nan)
        shade[:P, :P] = np.where(inside, 0.12 + 0.75 * g["coverage"] / most, 0.0)
        self.coverage.set_data(shade)
        self.padding.set_path(_ring(P, p, n))
        self.padding.set_visible(p > 0)
        self.dropped.set_xy(_band(P, dropped if g["fits"] else 0))
        self.dropped.set_visible(bool(dropped) and g["fits"])
        self.grid.set_segments(_grid_lines(P))
        self.input_box.set_bounds(p, p, n, n)
        if g["fits"]:
            last = g["starts"][-1]
            self.first.set_bounds(0, 0, k, k)
            self.last.set_bounds(last, last, k, k)
            centres = g["starts"] + k / 2
            cx, cy = np.meshgrid(centres, centres)
            self.centres.set_offsets(np.column_stack([cx.ravel(), cy.ravel()]))
            self.message.set_text("")
            self.message.set_visible(False)
        else:
            self.centres.set_offsets(np.empty((0, 2)))
            self.message.set_text(f"a {k} x {k} kernel does not fit\nin {n} + 2·{p} = {P} pixels:\n"
                                  "no window, no output")
            self.message.set_visible(True)
        for patch in (self.first, self.last):
            patch.set_visible(g["fits"])
        self.in_title.set_text(f"input {n} x {n}, padded by {p}: {P} x {P}; kernel {k} x {k}, stride {s}")
        shown = max(out, 1)
        ax_out.set(xlim=(-0.05 * shown, 1.05 * shown), ylim=(1.05 * shown, -0.05 * shown))
        cells = np.full((self.largest, self.largest), np.nan)
        cells[:out, :out] = 0.35
        self.out_cells.set_data(cells)
        self.out_cells.set_visible(out > 0)
        self.out_grid.set_segments(_grid_lines(out) if out else [])
        self.out_title.set_text(f"output: {out} x {out}" if out else "output: none")
        self.suptitle.set_text(shapes_title(n, k, p, s))


def shapes_title(n, k, p, s):
    """The output size formula with the numbers in, and what floor mode drops."""
    P = n + 2 * p
    if k > P:
        return f"output size: none, since {k} > {n} + 2·{p}:\nthe kernel is larger than the padded input"
    g = window_geometry(n, k, p, s)
    rest = (f"floor mode drops the last {g['dropped']} row{'s' if g['dropped'] > 1 else ''} and column"
            f"{'s' if g['dropped'] > 1 else ''}" if g["dropped"] else "the windows reach the last row and column")
    return f"output size ⌊({n} + 2·{p} − {k}) / {s}⌋ + 1 = ⌊{P - k} / {s}⌋ + 1 = {g['out']};\n{rest}"


def shapes_caption(size, kernel, padding, stride):
    n, k, p, s = size, kernel, padding, stride
    g = window_geometry(n, k, p, s)
    if not g["fits"]:
        return (f"A {k} x {k} kernel on a {n} x {n} input padded by {p}: no window fits in "
                f"{g['padded']} x {g['padded']} pixels, so there is no output.")
    unseen = int(np.sum(g["coverage"][p:p + n, p:p + n] == 0))
    words = (f"A {k} x {k} kernel with stride {s} on a {n} x {n} input padded by {p}: "
             f"{g['out']} x {g['out']} windows, so the output is {g['out']} x {g['out']}")
    if g["dropped"]:
        words += f"; floor mode drops {g['dropped']} row(s) and column(s) at the end"
    if unseen:
        words += f"; {unseen} input pixel(s) are never inside a window"
    return words + "."


def shapes_demo():
    """Chapter 8: any input size, kernel, padding and stride; the windows and the output size."""
    controls = {
        "size": Slider(*SIZE, 8, step=1, description="input size n"),
        "kernel": Slider(*KERNEL, 3, step=1, description="kernel k"),
        "padding": Slider(*PADDING, 1, step=1, description="padding p"),
        "stride": Slider(*STRIDE, 2, step=1, description="stride s"),
    }
    return Demo(ShapesFigure, controls, grid={"padding": [0, 1, 2], "stride": [1, 2, 3]},
                vary={"size": [5, 6, 7, 8, 9, 10], "kernel": [1, 2, 3, 4, 5, 7]}, caption=shapes_caption,
                alt="Top: the padded input as a grid of squares, the padding hatched grey, the input "
                    "pixels shaded blue by how many windows cover them, a black dot at the centre of "
                    "every window position, the first window outlined in blue and the last in dashed "
                    "orange, and the rows and columns no window reaches hatched in red. Bottom: the "
                    "output grid, one square per window position, with its size in the title.")
