"""Chapter 2, activation functions: its figures, then its demos, then its exercise checkers."""

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from nnbook import warp
from nnbook.activations import ACTIVATIONS
from nnbook.checks import as_number, call, checker, Failure, require_callable
from nnbook.plotting import CLASS_COLOURS, CLASS_MARKERS, line_in_box, PALETTE, plot_points, subplots
from nnbook.widgets import Choice, Demo, LiveFigure, Slider


# --- Figures -------------------------------------------------------------------------------


# Light versions of the class colours for the region where a neuron outputs 0 / 1.
_SATURATED_CMAP = mpl.colors.ListedColormap([(0, 0, 0, 0), mpl.colors.to_rgba(PALETTE["grey"], 0.3)])


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


class ActivationExplorer(LiveFigure):
    r"""One activation applied to $a x + c$, its slope, and where it saturates.

    The slope of $f(a x + c)$ with respect to $x$ is $a f'(a x + c)$. Inputs where that slope
    is below ``saturation`` times its largest possible value are shaded: there a change of x
    hardly changes the output, and almost no gradient flows back. The axes depend on the
    function only, not on the scale and shift, so moving a slider moves the curves against
    still axes (and the live view redraws in place).
    """

    rebuild_on = ("name", "saturation")

    def draw(self, name="sigmoid", scale=1.0, shift=0.0, saturation=0.05):
        from matplotlib.patches import Patch

        self.act = ACTIVATIONS[name]
        self.name, self.saturation = name, saturation
        self.x = x = np.linspace(-6, 6, 601)
        self.peak = float(np.max(self.act.derivative(np.linspace(-50, 50, 20001))))
        bounded = name in ("step", "sigmoid", "tanh")
        fig, (ax_f, ax_d) = subplots(1, 2, figsize=(9.6, 3.6), layout=None)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.16, top=0.8, wspace=0.25)
        self.bands = []
        for ax in (ax_f, ax_d):
            ax.axhline(0, color="black", lw=0.6)
            ax.set_xlabel("input x")
            ax.set_xlim(x[0], x[-1])
            self.bands.append(ax.imshow(np.zeros((1, x.size)), extent=(x[0], x[-1], 0, 1),
                                        transform=ax.get_xaxis_transform(), cmap=_SATURATED_CMAP, vmin=0,
                                        vmax=1, aspect="auto", interpolation="nearest", zorder=0))
        (self.line_f,) = ax_f.plot([], [], color=PALETTE["blue"], lw=2.2)
        (self.line_d,) = ax_d.plot([], [], color=PALETTE["vermillion"], lw=2.2)
        ax_f.set_ylim(-1.2 if bounded else -2.0, 1.2 if bounded else 8.0)
        top = EXPLORER_MAX_SCALE * max(self.peak, 0.2)
        ax_d.set_ylim(-0.05 * top, 1.1 * top)
        ax_d.set_title("slope d output / dx")
        ax_f.legend(handles=[Patch(color=PALETTE["grey"], alpha=0.3, label="saturated (slope < 5% of peak)")],
                    loc="upper left", fontsize=8.5)
        self.title = ax_f.set_title(" ")
        self.suptitle = fig.suptitle(" ", fontsize=12)
        self.dynamic = [*self.bands, self.line_f, self.line_d, self.title, self.suptitle]
        return fig

    def update(self, name="sigmoid", scale=1.0, shift=0.0, saturation=0.05):
        x, act = self.x, self.act
        z = scale * x + shift
        slope = scale * act.derivative(z)
        threshold = self.saturation * abs(scale) * self.peak
        flat = np.abs(slope) < threshold if threshold > 0 else np.ones_like(x, dtype=bool)
        share = saturated_share(name, scale, shift, self.saturation, peak=self.peak)
        for band in self.bands:
            band.set_data(flat[None, :].astype(float))
        self.line_f.set_data(x, act.function(z))
        self.line_d.set_data(x, slope)
        self.title.set_text(f"output {name}({scale:g}·x {'+' if shift >= 0 else '−'} {abs(shift):g})")
        self.suptitle.set_text(f"{share:.0%} of inputs x ~ N(0, 1) fall where {name} is saturated")


def saturated_share(name, scale, shift, saturation=0.05, *, peak=None):
    """The share of standard-normal inputs x where the slope of f(scale x + shift) is below
    ``saturation`` times its peak (a quantile grid: exact enough for a percentage)."""
    act = ACTIVATIONS[name]
    if peak is None:
        peak = float(np.max(act.derivative(np.linspace(-50, 50, 20001))))
    threshold = saturation * abs(scale) * peak
    if threshold <= 0:
        return 1.0
    probes = _standard_normal_quantiles()
    return float(np.mean(np.abs(scale * act.derivative(scale * probes + shift)) < threshold))


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
        ends = line_in_box(w[0] * (hi[0] - lo[0]), w[1] * (hi[1] - lo[1]), b + w @ lo, 0.0, 1.0)
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


# --- Demos ---------------------------------------------------------------------------------


def activation_explorer_demo():
    """Pick an activation, scale and shift its input, watch saturation appear."""
    controls = {
        "name": Choice(tuple(ACTIVATIONS), "sigmoid", description="function"),
        "scale": Slider(0.2, 5.0, 1.0, step=0.1),
        "shift": Slider(-5.0, 5.0, 0.0, step=0.25),
    }
    grid = {"name": ["sigmoid", "tanh", "relu", "softplus"], "scale": [1.0, 2.5], "shift": [-3.0, 0.0, 3.0]}
    return Demo(ActivationExplorer, controls, grid=grid, caption=explorer_caption,
                alt="Left: the activation applied to scale times x plus shift; right: its slope. "
                    "Inputs where the slope is under 5% of its peak are shaded as saturated.")


def explorer_caption(name, scale, shift):
    """A frame's caption: how much of a standard-normal input lands where the function is flat."""
    share = saturated_share(name, scale, shift)
    return f"{name}({scale:g}·x {'+' if shift >= 0 else '−'} {abs(shift):g}): {share:.0%} of inputs saturated."


def space_warp_demo():
    """Slide through a small network's stages and watch the plane bend."""
    controls = {"stage": Slider(0.0, 6.0, 0.0, step=0.1)}
    grid = {"stage": [k / 2 for k in range(13)]}
    return Demo(plot_space_warp, controls, grid=grid, caption=lambda stage: warp_caption(stage),
                alt="The two-moons data and the grid lines of the plane, moved by the network's "
                    "stages: linear map, shift and tanh bend for each of two layers; at the end a "
                    "straight line separates the moons.")


def warp_caption(stage, network=None):
    """A frame's caption: the stage of the network the plane has reached."""
    network = warp.MOONS_NETWORK if network is None else network
    here = int(np.floor(stage))
    if stage == here:
        return f"Stage {here}: {warp.stage_name(here, network)}."
    return f"Half-way from {warp.stage_name(here, network)} to {warp.stage_name(here + 1, network)}."


#: Every demo of this chapter, by name (the tests sweep each).
DEMOS = {"activation_explorer": activation_explorer_demo, "space_warp": space_warp_demo}


# --- Exercise checkers ---------------------------------------------------------------------


@checker("check_stable_sigmoid")
def check_stable_sigmoid(fn):
    """Check ``fn(x)``: the logistic sigmoid of an array, exact and with no overflow warning."""
    from scipy.special import expit

    require_callable(fn, "sigmoid function")
    cases = [
        (np.array([0.0]), "sigmoid(0) is exactly 0.5."),
        (np.array([-2.0, -0.5, 0.5, 2.0]), "1 / (1 + exp(-x)) for moderate x."),
        (np.array([30.0, 700.0, 1000.0]), "large positive x: the answer is (very nearly) 1."),
        (np.array([-30.0, -700.0, -1000.0]), "large negative x: exp(-x) overflows; "
         "use exp(x) / (1 + exp(x)) for x < 0, where exp only sees numbers <= 0."),
        (np.linspace(-5, 5, 7).reshape(7, 1), "keep the input's shape."),
    ]
    for x, hint in cases:
        describe = f"x={np.round(x.ravel(), 3).tolist()}"
        value = call(fn, x.copy(), describe=describe, hint=hint, warnings_fail=True)
        got = np.asarray(value, dtype=np.float64)
        if got.shape != x.shape:
            raise Failure(f"for {describe} expected shape {x.shape}, got {got.shape}.\n   Hint: {hint}")
        if not np.allclose(got, expit(x), rtol=1e-12, atol=1e-300):
            raise Failure(f"for {describe} expected {expit(x).ravel().tolist()}, "
                                             f"got {got.ravel().tolist()}.\n   Hint: {hint}")
    return len(cases)


@checker("check_relu_derivative")
def check_relu_derivative(fn):
    """Check ``fn(x)``: ReLU's derivative of an array: 1 where x > 0, else 0 (0 at x = 0)."""
    require_callable(fn, "derivative function")
    cases = [
        (np.array([2.0]), "for x > 0, ReLU(x) = x, so the slope is 1."),
        (np.array([-3.0]), "for x < 0, ReLU(x) = 0, a flat line: slope 0."),
        (np.array([0.0]), "at the kink we use 0 (the book's convention)."),
        (np.array([-1.0, 0.5, 0.0, 4.0, -0.1]), "work elementwise on the whole array."),
        (np.arange(-3.0, 3.0).reshape(2, 3), "keep the input's shape."),
    ]
    for x, hint in cases:
        expected = (x > 0).astype(np.float64)
        describe = f"x={x.tolist()}"
        value = call(fn, x.copy(), describe=describe, hint=hint)
        got = np.asarray(value, dtype=np.float64)
        if got.shape != x.shape or not np.array_equal(got, expected):
            raise Failure(f"for {describe} expected {expected.tolist()}, got "
                                              f"{got.tolist()}.\n   Hint: {hint}")
    return len(cases)


@checker("check_tanh_saturation")
def check_tanh_saturation(x_flat):
    """Check the smallest x > 0 where tanh's slope falls below 0.01 (to 3 decimals)."""
    expected = float(np.arctanh(np.sqrt(0.99)))
    got = as_number(x_flat)
    if got is None:
        raise Failure(f"expected one number, got {x_flat!r}.")
    if abs(got - expected) > 5e-4:
        direction = "larger" if got < expected else "smaller"
        raise Failure(f"{got:.4f} is not it; the answer is {direction}.\n   Hint: "
                                          "solve 1 - tanh(x)**2 = 0.01 for tanh(x), then apply np.arctanh.")
    return 1
