r"""How far back a gradient reaches: the gradient norm against the time lag, measured.

The same 16 random sequences of 60 steps go through an RNN, an LSTM and a GRU of 32 units
whose recurrent weights are ``gain`` times random orthogonal matrices (every H x H block
has all its singular values equal to ``gain``). The loss reads the last state only,
$\mathcal{L} = \sum_n h_T^{(n)} \cdot p^{(n)}$ with a fixed random $p$; backpropagation through
time gives $\partial\mathcal{L}/\partial x_t$ for every step, and its size at lag $T - t$ says how
much the input $k$ steps back can still change the loss at the end.
"""

import functools

import numpy as np

from nnbook.plotting import LogTicks, fast_axes, subplots
from nnbook.widgets import Demo, LiveFigure, Slider

from .common import CELLS, STYLES, one_thread, set_recurrent_gain

#: The measurement's sizes: sequences, steps, inputs per step, hidden units.
FLOW = {"n": 16, "steps": 60, "inputs": 8, "hidden": 32, "seed": 0}
#: The plot's range of gradient sizes (smaller values are drawn at the bottom edge).
FLOW_RANGE = (1e-14, 1e10)


@functools.lru_cache(maxsize=1)
def flow_data():
    """The fixed inputs (n, steps, inputs) and the projection p (n, hidden) of the loss."""
    rng = np.random.default_rng(FLOW["seed"])
    x = rng.normal(size=(FLOW["n"], FLOW["steps"], FLOW["inputs"]))
    return x, rng.normal(size=(FLOW["n"], FLOW["hidden"]))


def flow_layer(cell, gain, gate_bias):
    """The cell ("RNN", "LSTM" or "GRU") with recurrent weights ``gain`` x orthogonal and, for
    the gated cells, the bias of the gate that keeps the old state set to ``gate_bias`` (the
    LSTM's forget gate f, the GRU's update gate z: both are the second block of ``b``)."""
    layer = CELLS[cell](FLOW["inputs"], FLOW["hidden"], seed=1)
    set_recurrent_gain(layer, gain, seed=2)
    if cell != "RNN":
        H = FLOW["hidden"]
        layer.params["b"][H:2 * H] = gate_bias
    return layer


def gradient_by_lag(cell, gain=1.0, gate_bias=1.0):
    r"""The root-mean-square over the sequences of $\lVert\partial\mathcal{L}/\partial x_{T-k}\rVert$
    for k = 0, 1, ..., T - 1 (index k: k steps back from the last step)."""
    x, p = flow_data()
    layer = flow_layer(cell, gain, gate_bias)
    with one_thread():
        out = layer.forward(x)
        upstream = np.zeros_like(out)
        upstream[:, -1] = p                # the loss reads the last state only
        dx = layer.backward(upstream)
    return np.sqrt(np.mean(np.sum(dx * dx, axis=2), axis=0))[::-1]


def flow_summary(gain=1.0, gate_bias=1.0, lag=None):
    """{cell: the gradient at ``lag`` steps back over the gradient at lag 0} (default: the
    longest lag)."""
    lag = FLOW["steps"] - 1 if lag is None else lag
    out = {}
    for cell in CELLS:
        norms = gradient_by_lag(cell, gain, gate_bias)
        out[cell] = float(norms[lag] / norms[0])
    return out


def _number(ratio):
    """A ratio as a learner reads it: '300', '7.8', '0.011', '4e-5', '3e+10'."""
    if 10 <= ratio < 1e3:
        return f"{ratio:.0f}"
    if 1e-2 <= ratio < 10:
        return f"{ratio:.2g}"
    return f"{ratio:.0e}".replace("e+0", "e+").replace("e-0", "e-")


class GradientFlowFigure(LiveFigure):
    """The gradient's size against the lag, one line per cell, log scale."""

    def draw(self, gain=1.0, gate_bias=1.0):
        fig, ax = subplots(figsize=(5.6, 4.6), layout=None)
        fig.subplots_adjust(left=0.16, right=0.97, bottom=0.13, top=0.76)
        lags = np.arange(FLOW["steps"])
        self.lines = {}
        for cell, style in STYLES.items():
            self.lines[cell], = ax.plot(lags, np.ones_like(lags, dtype=float), color=style["color"],
                                        ls=style["ls"], lw=2.2, label=cell)
        ax.set_yscale("log")
        ax.set(xlim=(0, FLOW["steps"] - 1), ylim=FLOW_RANGE, xlabel="lag k: steps back from the last step",
               ylabel="gradient size ‖∂L/∂x‖")
        fast_axes(ax)
        ax.yaxis.set_major_locator(LogTicks())
        # Outside the axes, so a redraw never repaints it.
        fig.legend(handles=list(self.lines.values()), loc="upper center", bbox_to_anchor=(0.56, 0.865),
                   ncols=3, fontsize=9.5)
        self.title = fig.suptitle("", fontsize=10.5)
        self.dynamic = [*self.lines.values(), self.title]
        return fig

    def update(self, gain=1.0, gate_bias=1.0):
        low = FLOW_RANGE[0]
        ratios = {}
        for cell, line in self.lines.items():
            norms = gradient_by_lag(cell, gain, gate_bias)
            line.set_ydata(np.maximum(norms, low))
            ratios[cell] = norms[-1] / norms[0]
        self.title.set_text(flow_title(gain, gate_bias, ratios))


def flow_title(gain, gate_bias, ratios):
    back = FLOW["steps"] - 1
    parts = ", ".join(f"{cell} ×{_number(ratio)}" for cell, ratio in ratios.items())
    return (f"Recurrent gain {gain:.3g}, gate bias {gate_bias:g}; the gradient\n"
            f"{back} steps back, relative to lag 0: {parts}")


def flow_caption(gain, gate_bias):
    ratios = flow_summary(gain, gate_bias)
    back = FLOW["steps"] - 1
    words = [f"{_number(ratio)} for the {cell}" for cell, ratio in ratios.items()]
    return (f"Gain {gain:g}, gate bias {gate_bias:g}: the gradient {back} steps back, relative to its size "
            "at the last step, is " + ", ".join(words[:-1]) + f" and {words[-1]}.")


def gradient_flow_demo():
    """Chapter 9: the gradient's size against the lag for the RNN, LSTM and GRU; the recurrent
    gain and the keep-gate bias as sliders."""
    controls = {
        "gain": Slider(0.25, 4.0, 1.0, step=0.25, description="recurrent gain"),
        "gate_bias": Slider(0.0, 5.0, 1.0, step=0.5, description="gate bias (LSTM f, GRU z)"),
    }
    grid = {"gain": [0.5, 1.0, 1.5, 2.0, 4.0], "gate_bias": [0.0, 1.0, 3.0, 5.0]}
    return Demo(GradientFlowFigure, controls, grid=grid, caption=flow_caption,
                alt="The size of the gradient of a loss at the last step with respect to the input "
                    "k steps earlier, against k from 0 to 59, on a log scale, for an RNN, an LSTM and "
                    "a GRU reading the same random sequences. With recurrent gains below 1 every line "
                    "falls, the RNN's fastest; above about 1.5 the RNN's line rises steeply (exploding); "
                    "a large gate bias keeps the LSTM's and GRU's lines flat.")
