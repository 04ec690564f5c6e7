"""Chapter 8: the im2col view. Each window, flattened, becomes one row of the patch matrix;
the convolution is then one matrix product, patch matrix @ flattened kernel.

The demo uses a 5 x 5 input and a 3 x 3 kernel of small integers (stride 1, no padding):
9 windows, a 9 x 9 patch matrix, a 3 x 3 output.
"""

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from nnbook import conv
from nnbook.plotting import PALETTE
from nnbook.widgets import Demo, LiveFigure, Slider

#: The demo's input and kernel: small integers, so every product can be checked by hand.
PATCH_INPUT = np.array([[3, 1, 0, 2, 4],
              [1, 5, 2, 0, 1],
              [0, 2, 6, 1, 0],
              [2, 0, 1, 4, 2],
              [4, 1, 0, 2, 3]], dtype=np.float64)
PATCH_KERNEL = np.array([[1, 0, -1],
              [2, 0, -2],
              [1, 0, -1]], dtype=np.float64)


def patch_matrix():
    """``conv.im2col`` of the demo's input: (9, 9), one row per window."""
    return conv.im2col(PATCH_INPUT[None, None], 3)


def sliding_output():
    """The output by the sliding window (``conv.conv2d_forward_naive``): (3, 3)."""
    return conv.conv2d_forward_naive(PATCH_INPUT[None, None], PATCH_KERNEL[None, None], np.zeros(1))[0, 0]


# Where each block sits, in cell units (x to the right, y down).
_INPUT, _KERNEL, _OUTPUT = (0.0, 1.2), (6.3, 2.2), (10.3, 2.2)
_PATCHES, _KCOL, _OCOL = (0.0, 8.2), (10.0, 8.2), (12.0, 8.2)


def _numbers(ax, values, origin, fill="white"):
    """A block of cells with a number in each: a background (below the texts), the numbers,
    and the grid lines (above where a mask may hide the numbers)."""
    x0, y0 = origin
    rows, columns = values.shape
    ax.add_patch(Rectangle((x0, y0), columns, rows, fc=fill, ec="none", zorder=1))
    for r in range(rows):
        for c in range(columns):
            ax.text(x0 + c + 0.5, y0 + r + 0.5, f"{values[r, c]:g}", ha="center", va="center", fontsize=9,
                    zorder=3)
    lines = [[(x0 + c, y0), (x0 + c, y0 + rows)] for c in range(columns + 1)]
    lines += [[(x0, y0 + r), (x0 + columns, y0 + r)] for r in range(rows + 1)]
    ax.add_collection(LineCollection(lines, colors="#777777", linewidths=0.8, zorder=4.5))


def _box(x, y, width, height):
    """A rectangle's corners, for a Polygon (its vertices are its place, so tests see it move)."""
    return [(x, y), (x + width, y), (x + width, y + height), (x, y + height)]


class PatchesFigure(LiveFigure):
    """The first ``window`` windows laid out as rows of the patch matrix; their products with
    the flattened kernel are the first ``window`` outputs, in the sliding window's order.

    Everything is drawn once, complete; white masks hide the rows, outputs and cells not
    reached yet (a redraw moves five rectangles instead of rewriting a hundred numbers)."""

    def draw(self, window=4):
        fig = Figure(figsize=(5.6, 7.0))
        ax = fig.add_axes((0.01, 0.01, 0.98, 0.85))
        ax.set(xlim=(-0.3, 13.6), ylim=(17.6, -0.2), aspect="equal")
        ax.set_axis_off()
        out = sliding_output()
        blue = "#D5EAF7"
        _numbers(ax, PATCH_INPUT, _INPUT)
        _numbers(ax, PATCH_KERNEL, _KERNEL)
        _numbers(ax, out, _OUTPUT, fill=blue)
        _numbers(ax, patch_matrix(), _PATCHES, fill=blue)
        _numbers(ax, PATCH_KERNEL.reshape(9, 1), _KCOL)
        _numbers(ax, out.reshape(9, 1), _OCOL, fill=blue)
        for (x, y), label in ((_INPUT, "input x (5 x 5)"), (_KERNEL, "kernel (3 x 3)"), (_OUTPUT, "output (3 x 3)"),
                              (_PATCHES, "patch matrix: row r = window r, flattened"), (_KCOL, "kernel"),
                              (_OCOL, "out")):
            ax.text(x, y - 0.25, label, ha="left", va="bottom", fontsize=9)
        ax.text(9.5, _PATCHES[1] + 4.5, "@", ha="center", va="center", fontsize=14)
        ax.text(11.5, _PATCHES[1] + 4.5, "=", ha="center", va="center", fontsize=14)
        mask = {"fc": "white", "ec": "none", "zorder": 3.5}
        self.patch_mask, self.col_mask = Polygon(_box(0, 0, 9, 1), **mask), Polygon(_box(0, 0, 1, 1), **mask)
        self.out_masks = [Polygon(_box(0, 0, 3, 1), **mask), Polygon(_box(0, 0, 1, 1), **mask)]
        mark = {"fill": False, "ec": PALETTE["orange"], "lw": 3, "zorder": 5}
        self.window, self.current = Polygon(_box(0, 0, 3, 3), **mark), Polygon(_box(0, 0, 9, 1), **mark)
        self.out_cell, self.col_cell = Polygon(_box(0, 0, 1, 1), **mark), Polygon(_box(0, 0, 1, 1), **mark)
        self.dynamic = [self.patch_mask, self.col_mask, *self.out_masks, self.window, self.current,
                        self.out_cell, self.col_cell]
        for patch in self.dynamic:
            ax.add_patch(patch)
        self.title = fig.suptitle("", fontsize=10.5)
        self.dynamic.append(self.title)
        return fig

    def update(self, window=4):
        cols, out = patch_matrix(), sliding_output().ravel()
        r = window - 1
        i, j = divmod(r, 3)
        self.patch_mask.set_xy(_box(_PATCHES[0], _PATCHES[1] + window, 9, 9 - window))
        self.col_mask.set_xy(_box(_OCOL[0], _OCOL[1] + window, 1, 9 - window))
        rows_below, right = self.out_masks      # the output cells after (i, j), in reading order
        rows_below.set_xy(_box(_OUTPUT[0], _OUTPUT[1] + i + 1, 3, 2 - i))
        right.set_xy(_box(_OUTPUT[0] + j + 1, _OUTPUT[1] + i, 2 - j, 1))
        self.window.set_xy(_box(_INPUT[0] + j, _INPUT[1] + i, 3, 3))
        self.current.set_xy(_box(_PATCHES[0], _PATCHES[1] + r, 9, 1))
        self.out_cell.set_xy(_box(_OUTPUT[0] + j, _OUTPUT[1] + i, 1, 1))
        self.col_cell.set_xy(_box(_OCOL[0], _OCOL[1] + r, 1, 1))
        products = " + ".join(f"{a:g}·{b:g}" if b >= 0 else f"{a:g}·({b:g})"
                              for a, b in zip(cols[r], PATCH_KERNEL.ravel()) if b != 0).replace("-", "−")
        self.title.set_text(f"window {window} of 9, corner at row {i}, column {j}:\nrow {window} of the patch "
                            f"matrix @ kernel\n= {products} = {out[r]:g}".replace("= -", "= −"))


def patches_caption(window):
    r = window - 1
    i, j = divmod(r, 3)
    return (f"Window {window} of 9 (row {i}, column {j}) is row {window} of the patch matrix; times the "
            f"flattened kernel it gives output {sliding_output().ravel()[r]:g}, as the sliding window does.")


def patches_demo():
    """Chapter 8: the patch matrix filled row by row as the window slides."""
    controls = {"window": Slider(1, 9, 4, step=1, description="windows laid out")}
    return Demo(PatchesFigure, controls, grid={"window": list(range(1, 10))}, caption=patches_caption,
                alt="Top: a 5 by 5 input of small integers with the current 3 by 3 window outlined in "
                    "orange, the 3 by 3 kernel, and the 3 by 3 output filled so far. Bottom: the 9 by 9 "
                    "patch matrix, one row per window position, filled row by row up to the current "
                    "window, times the kernel flattened into a column, equals the column of outputs "
                    "filled so far.")
