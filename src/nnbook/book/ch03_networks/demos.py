"""Chapter 3's demos: universal approximation and depth, live and static."""

import matplotlib as mpl
import numpy as np
from matplotlib.collections import LineCollection

from nnbook import approximation
from nnbook.plotting import PALETTE, fast_axes, subplots
from nnbook.widgets import Choice, Demo, LiveFigure, Slider

from .figures import approximation_fit, depth_comparison

# --- Demos ---------------------------------------------------------------------------------


class ApproximationFigure(LiveFigure):
    """One hidden layer of ReLU units with fixed kinks and a least-squares output layer,
    approximating a 1-D target (``nnbook.approximation``). Top: the target and the network;
    bottom: each hidden unit's contribution (its output times its output weight)."""

    rebuild_on = ("target",)

    def draw(self, target="wave", units=4):
        fit = approximation_fit(target, 1)
        fig, (ax, ax_units) = subplots(2, 1, figsize=(7.5, 5.2), layout=None, sharex=True,
                                       gridspec_kw={"height_ratios": [2, 1]})
        fig.subplots_adjust(left=0.13, right=0.97, top=0.86, bottom=0.13, hspace=0.12)
        ax.plot(fit.x, fit.target, color=PALETTE["black"], ls="--", lw=1.5, label="target", zorder=2)
        self.output, = ax.plot([], [], color=PALETTE["blue"], lw=2, label="network", zorder=3)
        self.kinks, = ax.plot([], [], "o", ms=3, color=PALETTE["vermillion"], label="kinks (one per unit)",
                              zorder=4)
        low, high = fit.target.min(), fit.target.max()
        ax.set_ylim(low - 0.35 * (high - low), high + 0.35 * (high - low))
        ax.set_xlim(*approximation.INTERVAL)
        legend = ax.legend(loc="upper left", ncol=3, fontsize=9)
        ax.set_ylabel("y")
        self.units = LineCollection([], lw=0.8, alpha=0.8, zorder=3)
        ax_units.add_collection(self.units)
        fast_axes(ax)
        fast_axes(ax_units)
        # Axis labels as plain texts, and the x axis: they stay in the saved background, only
        # the y axis and the lines are repainted.
        x_label = ax_units.text(0.5, -0.3, "x", transform=ax_units.transAxes, ha="center", va="top")
        y_label = ax_units.text(-0.1, 0.5, "unit × weight", transform=ax_units.transAxes, ha="right",
                                va="center", rotation=90)
        self.fixed = [legend, x_label, y_label, ax_units.xaxis]
        self.ax_units = ax_units
        self.suptitle = fig.suptitle("", fontsize=11.5)
        self.dynamic = [self.output, self.kinks, ax_units.yaxis, self.units, self.suptitle]
        return fig

    def update(self, target="wave", units=4):
        fit = approximation_fit(target, units)
        self.output.set_data(fit.x, fit.output)
        self.kinks.set_data(fit.kinks, np.interp(fit.kinks, fit.x, fit.output))
        weights = fit.network.layers[-1].params["W"][:, 0]
        contributions = fit.features * weights                      # (n_points, units)
        self.units.set_segments([np.column_stack([fit.x, c]) for c in contributions.T])
        colours = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple")]
        self.units.set_color([colours[k % len(colours)] for k in range(int(units))])
        top = max(float(np.abs(contributions).max()), 1e-3) * 1.1
        self.ax_units.set_ylim(-top, top)
        self.suptitle.set_text(
            f"{units} hidden unit{'s' if units > 1 else ''}, one hidden layer: {fit.network.n_params} parameters\n"
            f"RMS error {fit.rms_error:.4f}, largest error {fit.max_error:.3f}")


def approximation_caption(target, units):
    """A frame's caption: the fit's error for these settings, in words."""
    fit = approximation_fit(target, units)
    return (f"{units} hidden unit{'s' if units > 1 else ''} on the {target} target: the network "
            f"misses by {fit.rms_error:.3f} on average (RMS) and by at most {fit.max_error:.2f}.")


def universal_approximation_demo():
    """Chapter 3: slide the number of hidden units of one hidden layer; watch the fit close in."""
    controls = {
        "target": Choice(tuple(approximation.TARGETS), "wave"),
        "units": Slider(1, 60, 4, step=1, description="hidden units"),
    }
    grid = {"target": ["wave", "step", "bump", "|x|"], "units": [1, 2, 4, 8, 16, 60]}
    return Demo(ApproximationFigure, controls, grid=grid, caption=approximation_caption,
                alt="Top: a 1-D target function (dashed) and the output of a one-hidden-layer ReLU "
                    "network whose hidden units have fixed kinks (dots) and whose output layer is "
                    "solved by least squares; the title gives the RMS and largest errors. Bottom: "
                    "each hidden unit's weighted contribution, a bent line.")


class DepthFigure(LiveFigure):
    """What depth buys: ``depth`` hidden layers of 2 ReLU units each fold the interval once
    more (a sawtooth with 2**depth linear pieces), while one hidden layer of as many units
    (2 * depth, least squares) has at most 2 * depth + 1 pieces.

    Left: the output after each fold (the tent map applied 1, 2, ... times); right: the deep
    network against a one-hidden-layer network of the same number of units, kinks evenly
    spaced and output layer fitted by least squares (not the best such network: no network
    of one layer can have more than 2 * depth + 1 pieces, which is the point).
    """

    MAX_DEPTH = 6

    def draw(self, depth=3):
        fig, (ax_folds, ax) = subplots(1, 2, figsize=(9.6, 3.9), layout=None, width_ratios=[1, 1.25])
        fig.subplots_adjust(left=0.07, right=0.98, top=0.78, bottom=0.15, wspace=0.22)
        # Layer 1 light, the last layer dark: one hue, so the order reads without a legend.
        shades = mpl.colormaps["Blues"](np.linspace(0.35, 1.0, self.MAX_DEPTH))
        self.folds = [ax_folds.plot([], [], color=shades[k], lw=1.0 + 0.25 * k)[0] for k in range(self.MAX_DEPTH)]
        ax_folds.set(xlim=(0, 1), ylim=(-0.05, 1.3), xlabel="x", ylabel="output after layer $l$",
                     title="each layer folds the last one")
        note = ax_folds.text(0.5, 1.2, "light: layer 1 (one tooth); darker: later layers", ha="center",
                             va="center", fontsize=8.5, color=PALETTE["black"])
        self.deep, = ax.plot([], [], color=PALETTE["blue"], lw=1.8, label="deep: 2 units per layer", zorder=3)
        self.shallow, = ax.plot([], [], color=PALETTE["vermillion"], lw=1.5, ls="--",
                                label="one layer, same number of units", zorder=4)
        ax.set(xlim=(0, 1), ylim=(-0.25, 1.5), xlabel="x", ylabel="network output",
               title="the same units, in one layer")
        legend = ax.legend(loc="upper center", ncol=2, fontsize=8)
        fast_axes(ax_folds)
        fast_axes(ax)
        self.fixed = [note, legend]
        self.suptitle = fig.suptitle("", fontsize=11.5)
        self.dynamic = [*self.folds, self.deep, self.shallow, self.suptitle]
        return fig

    def update(self, depth=3):
        result = depth_comparison(depth)
        for k, line in enumerate(self.folds):
            if k < depth:
                line.set_data(result.x, result.folds[k])
            else:
                line.set_data([], [])
        self.deep.set_data(result.x, result.deep)
        self.shallow.set_data(result.x, result.shallow)
        self.suptitle.set_text(depth_title(depth, result))


def depth_title(depth, result):
    """The depth figure's two-line title: pieces of the deep network, then the shallow one."""
    units = 2 * depth
    deep = (f"{depth} hidden layer{'s' if depth > 1 else ''} of 2 ReLU units ({units} units): "
            f"{result.deep_pieces} straight pieces")
    if result.shallow_max_error < 1e-9:
        return deep + f"\none hidden layer of {units} units draws the same curve exactly"
    return deep + (f"\none hidden layer of {units} units: at most {units + 1} pieces; "
                   f"this least-squares fit misses by up to {result.shallow_max_error:.2f}")


def depth_caption(depth):
    """A frame's caption: pieces and error, in words."""
    result = depth_comparison(depth)
    deep = (f"{depth} layer{'s' if depth > 1 else ''} of 2 ReLU units draw{'s' if depth == 1 else ''} "
            f"{result.deep_pieces} straight pieces")
    if result.shallow_max_error < 1e-9:
        return deep + f"; one layer of the same {2 * depth} units can draw them too."
    return (deep + f"; one layer of the same {2 * depth} units has at most {2 * depth + 1}, and its "
            f"least-squares fit misses by up to {result.shallow_max_error:.2f}, no better than the "
            "flat line at 1/2.")


def depth_demo():
    """Chapter 3: slide the depth of a 2-unit-wide ReLU network; count its linear pieces."""
    controls = {"depth": Slider(1, DepthFigure.MAX_DEPTH, 3, step=1, description="hidden layers")}
    return Demo(DepthFigure, controls, grid={"depth": list(range(1, DepthFigure.MAX_DEPTH + 1))},
                caption=depth_caption,
                alt="Left: the output of a ReLU network of 2 units per layer after each of its "
                    "layers, each one folding the previous zigzag into twice as many teeth. Right: "
                    "the deep network's sawtooth (solid) against the least-squares fit of a "
                    "one-hidden-layer network with the same number of units (dashed), which "
                    "cannot follow the teeth once there are more of them than units.")


#: Every demo of this chapter, by name (the tests sweep each).
DEMOS = {"universal_approximation": universal_approximation_demo, "depth": depth_demo}


