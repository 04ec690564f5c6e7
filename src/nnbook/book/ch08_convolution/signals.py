r"""Chapter 8: convolution as an operation on two functions, and its 1-D demo.

$$(f * g)(t) = \int f(u)\, g(t - u)\, du \qquad\text{(convolution: flip g, shift it to t, overlap)}$$
$$(f \star g)(t) = \int f(u)\, g(u - t)\, du \qquad\text{(cross-correlation: shift g to t, overlap)}$$

The integrals are sums on a fine grid of $u$ (``TAU``, step ``STEP``), exact for the
piecewise functions below up to that step.
"""

import numpy as np

from nnbook.plotting import PALETTE, fast_axes, subplots
from nnbook.widgets import Choice, Demo, LiveFigure, Slider

#: The grid of u on which the functions are drawn and integrated: the midpoints of cells of
#: width STEP (a box [a, b) with a, b on the cell edges then covers exactly (b - a) / STEP points).
STEP = 0.01
TAU = np.round(np.arange(-6.0 + STEP / 2, 6.0, STEP), 10)
#: The shifts t of the output curve (and the demo's slider range).
T_RANGE = (-4.0, 4.0)


def box(x, left=-1.0, right=1.0):
    """1 on [left, right), 0 elsewhere."""
    x = np.asarray(x, dtype=np.float64)
    return ((x >= left) & (x < right)).astype(np.float64)


def ramp(x):
    """A right triangle: rises from 0 at x = 0 to 1 at x = 1.5, then drops to 0."""
    x = np.asarray(x, dtype=np.float64)
    return np.where((x >= 0) & (x < 1.5), x / 1.5, 0.0)


def decay(x):
    """An echo that fades: exp(-x) for x >= 0 (cut at x = 3), 0 before."""
    x = np.asarray(x, dtype=np.float64)
    return np.where((x >= 0) & (x < 3.0), np.exp(-np.clip(x, 0, None)), 0.0)


def two_pulses(x):
    """Two pulses of different heights: a signal to smooth."""
    return box(x, -3.0, -2.0) + 0.6 * box(x, 0.5, 2.5)


#: The pairs (f, g) the demo offers: f stays put, g slides.
PAIRS = {
    "box and box": (box, box, "f: a box", "g: the same box"),
    "box and ramp": (box, ramp, "f: a box", "g: a ramp (not symmetric)"),
    "two pulses and an echo": (two_pulses, decay, "f: two pulses", "g: a fading echo"),
}
OPERATIONS = ("convolution", "cross-correlation")


def slid(g, t, operation, tau=TAU):
    """g as it is laid over f at shift t, on the grid u = tau: g(t - u) (flipped, then shifted)
    for convolution, g(u - t) (shifted only) for cross-correlation."""
    if operation not in OPERATIONS:
        raise ValueError(f"operation must be one of {OPERATIONS}; got {operation!r}")
    return g(t - tau) if operation == "convolution" else g(tau - t)


def overlap(f, g, t, operation, tau=TAU):
    """The output at shift t: the area under f(u) times the slid g."""
    return float(np.sum(f(tau) * slid(g, t, operation, tau)) * STEP)


def output_curve(f, g, operation, ts=None):
    """(ts, outputs) for many shifts at once: every t of ``ts`` (default: T_RANGE, step 0.02)."""
    ts = np.round(np.arange(T_RANGE[0], T_RANGE[1] + 1e-9, 0.02), 10) if ts is None else np.asarray(ts)
    sign = 1.0 if operation == "convolution" else -1.0
    shifted = g(sign * (ts[:, None] - TAU[None, :]))          # one row per shift
    return ts, shifted @ f(TAU) * STEP


class ConvolutionFigure(LiveFigure):
    """Top: f, and g flipped and slid to t (or only slid), the overlap shaded. Bottom: the
    output, the overlap's area, for every shift (faint) and up to t (bold)."""

    rebuild_on = ("pair", "operation")

    def draw(self, pair="box and ramp", operation="convolution", t=0.5):
        f, g, f_label, g_label = PAIRS[pair]
        fig, (ax_top, ax_out) = subplots(2, 1, figsize=(5.6, 6.2), layout=None, sharex=True)
        fig.subplots_adjust(left=0.14, right=0.96, bottom=0.09, top=0.87, hspace=0.3)
        ax_top.plot(TAU, f(TAU), color=PALETTE["blue"], lw=2.2, label=f_label)
        self.slid, = ax_top.plot([], [], color=PALETTE["orange"], lw=2.2, ls="--",
                                 label=g_label + (", flipped and slid to t" if operation == "convolution"
                                                  else ", slid to t"))
        self.fill = ax_top.fill_between(TAU, 0, 0, color=PALETTE["green"], alpha=0.45, lw=0,
                                        label="the product: its area is the output")
        self.shift = ax_top.axvline(t, color=PALETTE["grey"], lw=1, ls=":")
        ax_top.set(ylim=(-0.05, 1.75), ylabel="value", xlim=T_RANGE)
        ax_top.legend(loc="upper left", fontsize=8.5, ncols=1)
        ts, values = output_curve(f, g, operation)
        self.ts, self.values = ts, values
        ax_out.plot(ts, values, color=PALETTE["grey"], lw=1, alpha=0.6)
        self.sofar, = ax_out.plot([], [], color=PALETTE["vermillion"], lw=2.2)
        self.dot, = ax_out.plot([], [], "o", color=PALETTE["vermillion"], ms=8)
        symbol = "(f * g)(t)" if operation == "convolution" else "(f ⋆ g)(t)"
        ax_out.set(xlabel="u (top), shift t (bottom)", ylabel=symbol, ylim=(-0.05, 1.15 * values.max() + 0.05))
        for ax in (ax_top, ax_out):
            fast_axes(ax)
        ax_out.set_title(f"the {operation}: the area for every shift", fontsize=10.5)
        self.title = fig.suptitle("", fontsize=11)
        self.f, self.g, self.operation = f, g, operation
        self.dynamic = [self.fill, self.slid, self.shift, self.sofar, self.dot, self.title]
        self.fixed = [ax_top.get_legend()]
        return fig

    def update(self, pair="box and ramp", operation="convolution", t=0.5):
        g_slid = slid(self.g, t, operation)
        product = self.f(TAU) * g_slid
        self.slid.set_data(TAU, g_slid)
        top = np.column_stack([TAU, product])
        self.fill.set_verts([np.vstack([top, [[TAU[-1], 0.0], [TAU[0], 0.0]]])])
        self.shift.set_xdata([t, t])
        upto = self.ts <= t + 1e-9
        self.sofar.set_data(self.ts[upto], self.values[upto])
        value = overlap(self.f, self.g, t, operation)
        self.dot.set_data([t], [value])
        flip = "g flipped, shifted" if operation == "convolution" else "g shifted (not flipped)"
        self.title.set_text(f"{flip} to t = {t:g}:\noverlap area = {value:.3f}")


def convolution_caption(pair, operation, t):
    f, g, *_ = PAIRS[pair]
    value = overlap(f, g, t, operation)
    how = "flipped and slid" if operation == "convolution" else "slid without flipping"
    return f"{pair.capitalize()}, {operation}: g {how} to t = {t:g}; the shaded overlap has area {value:.3f}."


def convolution_demo():
    """Chapter 8: convolution of two 1-D functions, the shift t on a slider."""
    controls = {
        "pair": Choice(tuple(PAIRS), "box and ramp", description="functions"),
        "operation": Choice(OPERATIONS, "convolution", description="operation"),
        "t": Slider(T_RANGE[0], T_RANGE[1], 0.5, step=0.25, description="shift t"),
    }
    grid = {"operation": list(OPERATIONS), "t": [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0]}
    return Demo(ConvolutionFigure, controls, grid=grid,
                vary={"pair": list(PAIRS)}, caption=convolution_caption,
                alt="Top: a function f drawn in blue and a second function g drawn dashed in orange, "
                    "flipped (for convolution) and slid to the shift t, with the region under their "
                    "product shaded green. Bottom: the area of that product for every shift, faint, "
                    "and in bold up to the current t, ending in a dot.")
