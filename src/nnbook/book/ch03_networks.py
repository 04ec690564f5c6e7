"""Chapter 3, networks and forward propagation: its figures, then its demos, then its exercise checkers."""

import functools

import matplotlib as mpl
import numpy as np
from matplotlib.collections import LineCollection

from nnbook import approximation
from nnbook.activations import log_softmax, relu, sigmoid
from nnbook.checks import (
    Failure,
    as_number,
    as_numbers_or_none,
    call,
    checker,
    expect_number,
    require_callable,
)
from nnbook.layers import INITIALISATIONS
from nnbook.losses import binary_cross_entropy_from_logits
from nnbook.plotting import PALETTE, fast_axes, subplots
from nnbook.widgets import Choice, Demo, LiveFigure, Slider

# --- Computations of this chapter ----------------------------------------------------------

#: Weight initialisations compared in the chapter: name -> standard deviation of W for a
#: layer with n_in inputs and n_out units (biases start at 0 in every scheme).
INIT_SCHEMES = {
    "all zero": lambda n_in, n_out: 0.0,
    "N(0, 0.01²): too small": lambda n_in, n_out: 0.01,
    "N(0, 1): too large": INITIALISATIONS["normal"],
    "Glorot: 2/(n_in + n_out)": INITIALISATIONS["glorot"],
    "He: 2/n_in": INITIALISATIONS["he"],
}
#: The colour of each scheme in the initialisation figure.
INIT_COLOURS = dict(zip(INIT_SCHEMES, ["grey", "sky", "vermillion", "orange", "blue"]))


def layer_output_stds(std, depth=10, width=100, n=1000, seed=0):
    r"""The standard deviation of each layer's output $A^{[l]}$ in a ReLU network at
    initialisation: ``depth`` Dense(width, width) + ReLU layers with weights drawn from
    $N(0, s^2)$, $s$ = ``std(n_in, n_out)``, biases 0, fed ``n`` standard-normal inputs.

    Returns an array (depth,), layer 1 first.
    """
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, width))
    stds = []
    for _ in range(depth):
        W = rng.normal(0.0, 1.0, size=(width, width)) * std(width, width)
        A = relu(A @ W)
        stds.append(A.std())
    return np.array(stds)


def initialisation_table(depth=10, width=100, seed=0):
    """{scheme name: std of each layer's output, (depth,)} for every scheme of INIT_SCHEMES
    (on one thread, as ``initialisation_spread``)."""
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    with threadpool_limits(limits=1):
        return {name: layer_output_stds(std, depth, width, seed=seed) for name, std in INIT_SCHEMES.items()}


def initialisation_spread(scheme="He: 2/n_in", seeds=range(40), depth=10, width=100):
    """``layer_output_stds`` of one scheme of INIT_SCHEMES for many seeds: an array
    (len(seeds), depth), one row per seed (the table above is seed 0's row). The products
    are small, so numpy runs them on one thread (several threads are slower here)."""
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    with threadpool_limits(limits=1):
        return np.array([layer_output_stds(INIT_SCHEMES[scheme], depth, width, seed=seed) for seed in seeds])


@functools.lru_cache(maxsize=128)   # about 150 kB each (the hidden features)
def approximation_fit(target, units):
    """``approximation.approximate(target, units)``, one hidden layer, cached per setting
    (the demo asks for the same settings again and again)."""
    return approximation.approximate(target, int(units), 1)


@functools.lru_cache(maxsize=16)
def depth_comparison(depth):
    """The sawtooth of ``depth`` folds (``approximation.sawtooth_network``) against a
    one-hidden-layer network with as many units (2 * depth, evenly spaced kinks, output layer
    by least squares), on [0, 1]."""
    return approximation.depth_versus_width(int(depth))


# --- Figures -------------------------------------------------------------------------------


def plot_loss_curves(target_class_scores=None):
    """Three losses against the prediction for a fixed target.

    Left: squared error of a regression output, target 1. Middle: binary cross-entropy and
    squared error of a probability p, target 1. Right: softmax cross-entropy against the
    score (logit) of the correct class, the other two scores 0.
    """

    # One panel above the other: each keeps the page's width on a phone.
    fig, axes = subplots(3, 1, figsize=(6.4, 8.6))
    y_hat = np.linspace(-1, 3, 201)
    axes[0].plot(y_hat, (y_hat - 1) ** 2, color=PALETTE["blue"])
    axes[0].axvline(1, color=PALETTE["grey"], ls=":")
    axes[0].set(xlabel="prediction $\\hat y$", ylabel="loss $\\ell$", title="Squared error, target $y = 1$")
    p = np.linspace(1e-3, 1, 400)
    axes[1].plot(p, -np.log(p), color=PALETTE["vermillion"], label="cross-entropy $-\\log p$")
    axes[1].plot(p, (1 - p) ** 2, color=PALETTE["blue"], ls="--", label="squared error $(1 - p)^2$")
    axes[1].set(xlabel="predicted probability $p$ of class 1", ylabel="loss $\\ell$", ylim=(0, 7),
                title="Binary, target $y = 1$")
    axes[1].legend(loc="upper right")
    z = np.linspace(-6, 6, 241) if target_class_scores is None else np.asarray(target_class_scores, dtype=np.float64)
    scores = np.column_stack([z, np.zeros_like(z), np.zeros_like(z)])
    axes[2].plot(z, -log_softmax(scores, axis=1)[:, 0], color=PALETTE["vermillion"])
    axes[2].set(xlabel="score $z_1$ of the correct class (others 0)", ylabel="loss $\\ell$",
                title="Softmax + cross-entropy")
    return fig


def plot_initialisation(table=None):
    """The standard deviation of each layer's output at initialisation, one line per scheme
    (log scale); ``table`` from ``initialisation_table`` (computed if not given). The all-zero
    scheme has standard deviation 0, which a log scale cannot show: it is named in a note."""
    table = initialisation_table() if table is None else table
    fig, ax = subplots(figsize=(7.5, 4.2))
    zero = []
    for name, stds in table.items():
        if not np.any(stds > 0):
            zero.append(name)
            continue
        layers = np.arange(1, len(stds) + 1)
        ax.plot(layers, stds, marker="o", ms=4, color=PALETTE[INIT_COLOURS.get(name, "black")], label=name)
    ax.set_yscale("log")
    ax.set(xlabel="layer $l$", ylabel="std of the layer's output $A^{[l]}$",
           title="10 ReLU layers of 100 units at initialisation")
    ax.set_xticks(np.arange(1, len(next(iter(table.values()))) + 1))
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=9, title="Var(w) / scheme",
              title_fontsize=9)
    if zero:
        ax.text(1.02, 0.05, "\n".join(f"{name}: std 0 in every\nlayer (not drawn)" for name in zero),
                transform=ax.transAxes, fontsize=8.5, va="bottom", color=PALETTE["grey"])
    return fig


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


# --- Exercise checkers ---------------------------------------------------------------------

#: The bump of the exercise ch3-bump: (x, y) corners; 0 left of 1 and right of 4.
BUMP_CORNERS = ((1.0, 0.0), (2.0, 3.0), (4.0, 0.0))


def bump_target(x):
    """The exercise's bump: 0 up to x = 1, up with slope 3 to 3 at x = 2, down with slope
    -1.5 to 0 at x = 4, then 0."""
    (x0, _), (x1, peak), (x2, _) = BUMP_CORNERS
    x = np.asarray(x, dtype=np.float64)
    return np.interp(x, [x0, x1, x2], [0.0, peak, 0.0], left=0.0, right=0.0)


def _bump_network(W1, b1, W2, b2):
    """The learner's weights as arrays, checked for shape; raises Failure with a shape hint."""
    arrays = {}
    for name, value, shape, what in (("W1", W1, (1, 3), "one input, three units: [[w1, w2, w3]]"),
                                      ("b1", b1, (3,), "one bias per hidden unit"),
                                      ("W2", W2, (3, 1), "three hidden units into one output: [[v1], [v2], [v3]]"),
                                      ("b2", b2, (1,), "one bias for the output unit: [b]")):
        array = as_numbers_or_none(value)
        if array is None or array.shape != shape:
            got = "not numbers" if array is None else f"shape {array.shape}"
            raise Failure(f"{name} should have shape {shape} ({what}); got {got}.")
        if not np.all(np.isfinite(array)):
            raise Failure(f"{name} holds NaN or inf; every weight must be a finite number.")
        arrays[name] = array
    return arrays


@checker("check_relu_bump")
def check_relu_bump(W1, b1, W2, b2):
    """Check the weights of a 1-3-1 ReLU network, ``relu(x @ W1 + b1) @ W2 + b2``, that
    draws ``bump_target``: 0 up to x = 1, a peak of 3 at x = 2, 0 again from x = 4 on."""
    w = _bump_network(W1, b1, W2, b2)
    x = np.linspace(-2.0, 7.0, 361)[:, None]
    got = (relu(x @ w["W1"] + w["b1"]) @ w["W2"] + w["b2"])[:, 0]
    want = bump_target(x[:, 0])
    if np.allclose(got, want, atol=1e-9):
        return 1

    def at(value):
        return float(np.interp(value, x[:, 0], got))

    used = (np.abs(w["W1"][0]) > 0) & (np.abs(w["W2"][:, 0]) > 0)
    kinks = np.sort(-w["b1"][used] / w["W1"][0, used])
    if not all(np.any(np.isclose(k, [1.0, 2.0, 4.0])) for k in kinks):
        shown = ", ".join(f"{k + 0.0:g}" for k in kinks)   # + 0.0: no "-0"
        raise Failure(f"your units bend at x = {shown}; the bump bends at x = 1, 2 and 4.\n"
                      "   Hint: relu(w x + b) with w = 1 turns on at x = -b, so a kink at x = c "
                      "needs b = -c (the bias is minus the kink).")
    if np.all(w["W1"][0] > 0):
        order = np.argsort(-w["b1"] / w["W1"][0])
        added = (w["W2"][:, 0] * w["W1"][0])[order]   # the slope each unit adds at its kink
        if np.allclose(added, [3.0, -1.5, 0.0]):
            raise Failure("your output weights are the slopes of the three pieces (3, -1.5, 0), but a "
                          "unit stays on after its kink, so their slopes add up: between x = 2 and 4 "
                          "your curve rises with slope 3 + (-1.5) = 1.5.\n"
                          "   Hint: each output weight is the *change* of slope at its kink: "
                          "v2 = -1.5 - 3.")
    if not np.isclose(at(0.0), 0.0) and np.all(kinks >= 1.0):
        raise Failure(f"left of x = 1 your network gives {at(0.0):g} instead of 0.\n"
                      "   Hint: there every unit is off, so only the output bias b2 is left: it "
                      "lifts the whole curve; keep it 0.")
    if not np.isclose(at(2.0), 3.0):
        raise Failure(f"at x = 2 (the peak) your network gives {at(2.0):g}; the bump is 3 high there.\n"
                      "   Hint: between x = 1 and 2 only the first unit is on, so the output rises "
                      "with slope v1 (its output weight): to climb 3 in one step, v1 = 3.")
    if not np.isclose(at(4.0), 0.0):
        slope = at(4.0) / 2 - at(2.0) / 2
        trend = f"falls with slope {slope:g}" if slope < 0 else f"has slope {slope:g}"
        raise Failure(f"at x = 4 your network gives {at(4.0):g} instead of 0: between x = 2 and 4 "
                      f"it {trend}, and the bump falls 3 over a width of 2, slope -1.5.\n"
                      "   Hint: at x = 2 the second unit turns on and adds its output weight v2 to "
                      "the slope: 3 + v2 = -1.5.")
    if not np.isclose(at(6.0), at(5.0)):
        raise Failure(f"right of x = 4 your network keeps changing (slope {at(6.0) - at(5.0):g}); "
                      "the bump stays at 0.\n   Hint: once all three units are on, the slope is "
                      "v1 + v2 + v3, which must be 0.")
    raise Failure("your network does not draw the bump: it should be 0 up to x = 1, 3 at x = 2 "
                  "and 0 again from x = 4 on.\n   Hint: use three units relu(x - c) with kinks "
                  "c = 1, 2, 4; their output weights are the changes of slope at each kink.")


#: The confidently wrong prediction of the exercise ch3-slowdown: score z, target y.
SLOWDOWN_CASE = {"z": -4.0, "y": 1.0}


def slowdown_gradients(z=SLOWDOWN_CASE["z"], y=SLOWDOWN_CASE["y"]):
    r"""For p = sigmoid(z): d/dz of the squared error (p - y)^2 and of the cross-entropy
    -[y log p + (1 - y) log(1 - p)], as a pair: $2(p - y)\,p(1 - p)$ and $p - y$."""
    p = sigmoid(np.float64(z))
    return float(2 * (p - y) * p * (1 - p)), float(p - y)


@checker("check_slowdown_gradients")
def check_slowdown_gradients(squared_error_gradient, cross_entropy_gradient):
    """Check the two gradients with respect to the score z, for z = -4 and target y = 1, of the
    squared error (sigmoid(z) - y)^2 and of the cross-entropy -log sigmoid(z)."""
    z, y = SLOWDOWN_CASE["z"], SLOWDOWN_CASE["y"]
    p = float(sigmoid(np.float64(z)))
    mse, ce = slowdown_gradients(z, y)
    answers = {}
    for name, value in (("squared_error_gradient", squared_error_gradient),
                        ("cross_entropy_gradient", cross_entropy_gradient)):
        number = as_number(value)
        if number is None or not np.isfinite(number):
            raise Failure(f"{name} should be one finite number; got {value!r}.")
        answers[name] = number
    a, b = answers["squared_error_gradient"], answers["cross_entropy_gradient"]

    def close(u, v):   # equal to two significant figures: the page's own -0.035 and -0.98 pass
        return abs(u - v) <= 0.5 * 10.0 ** (np.floor(np.log10(abs(v))) - 1) + 1e-12

    def nearly(u, v):  # within 10%: "close", with a nudge to recompute
        return abs(u - v) <= 0.1 * abs(v)

    if close(a, ce) and close(b, mse):
        raise Failure("the two answers are swapped: the squared error's gradient is the small one.")
    if not close(a, mse):
        if close(a, 2 * (p - y)):
            hint = ("that is the derivative with respect to p. The loss reaches z through p = sigmoid(z): "
                    "multiply by sigmoid'(z) = p (1 - p) (chain rule).")
        elif close(a, (p - y) * p * (1 - p)):
            hint = "the derivative of (p - y)^2 with respect to p is 2 (p - y): a factor 2 is missing."
        elif close(a, -mse):
            hint = "the sign is flipped: raising z (and p) lowers the loss when y = 1, so the gradient is negative."
        elif nearly(a, mse):
            hint = ("close, but not equal to two significant figures: recompute 2 (p - y) p (1 - p) with "
                    "p = sigmoid(-4) kept unrounded.")
        else:
            hint = "d/dz (p - y)^2 = 2 (p - y) * dp/dz, and dp/dz = p (1 - p) for the sigmoid."
        raise Failure(f"squared_error_gradient: expected {mse:.5g}, got {a:.5g}.\n   Hint: {hint}")
    if not close(b, ce):
        if close(b, -1 / p):
            hint = ("that is the derivative with respect to p (-1/p). Multiply by sigmoid'(z) = p (1 - p): "
                    "the p cancels.")
        elif close(b, -ce):
            hint = "the sign is flipped: raising z lowers the cross-entropy when y = 1, so the gradient is negative."
        elif close(b, -np.log(p)):
            hint = "that is the loss itself, not its gradient."
        elif nearly(b, ce):
            hint = "close, but not equal to two significant figures: recompute p - 1 with p = sigmoid(-4) unrounded."
        else:
            hint = "d/dz [-log sigmoid(z)] = -(1/p) * p (1 - p) = p - 1."
        raise Failure(f"cross_entropy_gradient: expected {ce:.5g}, got {b:.5g}.\n   Hint: {hint}")
    return 2


@checker("check_stable_binary_cross_entropy")
def check_stable_binary_cross_entropy(fn):
    """Check ``fn(y, z)``: mean binary cross-entropy of sigmoid(z) for targets y, computed
    from the scores z, finite and without warnings for any z."""

    require_callable(fn, "loss function")
    hint_stable = ("use max(z, 0) - z * y + log(1 + exp(-|z|)) (np.log1p), which never "
                   "exponentiates a positive number.")
    cases = [
        (np.array([1.0]), np.array([0.0]), "sigmoid(0) = 0.5, so the loss is log 2."),
        (np.array([1.0, 0.0, 1.0]), np.array([2.0, -1.0, -0.5]),
         "-[y log p + (1 - y) log(1 - p)] with p = sigmoid(z), averaged over the batch."),
        (np.array([0.0, 1.0]), np.array([3.0, 3.0]), "the mean over the batch, not the sum."),
        (np.array([1.0, 0.0]), np.array([-800.0, 800.0]),
         "confidently wrong: the loss is about 800 each, finite. " + hint_stable),
        (np.array([1.0, 0.0]), np.array([800.0, -800.0]), "confidently right: the loss is ~0. " + hint_stable),
    ]
    for y, z, hint in cases:
        expected = binary_cross_entropy_from_logits(y, z)
        describe = f"y={y.tolist()}, z={z.tolist()}"
        value = call(fn, y.copy(), z.copy(), describe=describe, hint=hint, warnings_fail=True)
        got = as_number(value)
        if got is not None and not np.isclose(got, expected, rtol=1e-9, atol=1e-9):
            if len(y) > 1 and np.isclose(got, expected * len(y), rtol=1e-9):
                hint = f"{got:g} is the sum over the {len(y)} examples; the cost is their mean (np.mean)."
            elif np.isclose(got, -expected, rtol=1e-9):
                hint = "the sign is flipped: the cross-entropy is -[y log p + (1 - y) log(1 - p)], never negative."
            elif expected > 100 and got < 0.5 * expected:
                hint = ("the prediction is wrong by a score of 800, so the loss is about 800; clipping p "
                        "(or the score) caps it and hides how wrong the network is. " + hint_stable)
        expect_number(value, expected, describe=describe, hint=hint)
    return len(cases)


# --- Counting, shapes, initial scale: the exercises on this chapter's bookkeeping -----------

#: The network of the counting exercise: 784 inputs (28 x 28 pixels), two hidden layers, 10 classes.
COUNTING_NETWORK = (784, 128, 64, 10)


def _same_to_two_figures(got, expected):
    """True when ``got`` equals ``expected`` to two significant figures (a rounded answer)."""
    return abs(got - expected) <= 0.5 * 10.0 ** (np.floor(np.log10(abs(expected))) - 1) + 1e-15


@checker("check_param_count")
def check_param_count(n_params):
    """Check the number of parameters (weights and biases) of the fully connected network
    with layer sizes ``COUNTING_NETWORK``, inputs first."""
    sizes = COUNTING_NETWORK
    pairs = list(zip(sizes, sizes[1:]))
    expected = sum(m * n + n for m, n in pairs)
    got = as_number(n_params)
    if got is None:
        raise Failure(f"expected one number, the count; got {n_params!r}.")
    if got == expected:
        return 1
    weights = sum(m * n for m, n in pairs)
    mistakes = [
        (weights, "that counts the weights only: every unit of a hidden or output layer also has a bias."),
        (expected + sizes[0], "the input layer has no biases (it only passes the pixels on): biases "
                              "belong to the layers that compute, one per unit."),
        (sum(m * n + m for m, n in pairs), "one bias per *unit* of a layer (n of them), not per input (m)."),
        (sum(m * n + n for m, n in pairs[1:]), "that leaves out the first layer, 784 inputs into 128 units: "
                                               "the largest one."),
        (sum(m * n + n for m, n in pairs[:-1]), "that leaves out the output layer, 64 units into 10."),
        (sum(sizes), "that counts the units (the circles), not the connections (the arrows) between them."),
        (sum(sizes[1:]), "that is the number of biases only: add the weights, m x n per layer."),
        (float(np.prod(sizes)), "the layers are not multiplied together: each layer has m x n weights, and the "
                                "layers' counts add."),
    ]
    for value, why in mistakes:
        if got == value:
            raise Failure(f"got {got:,.0f}: {why}")
    raise Failure(f"got {got:,.0f}, expected another count.",
                  hint="layer by layer, m inputs into n units: m x n weights and n biases; then add the layers.")


#: The batch of the shapes exercise: 32 images of 28 x 28 pixels, flattened, through
#: Dense(784, 128) -> ReLU -> Dense(128, 10) -> softmax.
BATCH_SHAPES = {"X": (32, 784), "W1": (784, 128), "b1": (128,), "Z1": (32, 128), "A1": (32, 128),
                "W2": (128, 10), "b2": (10,), "Z2": (32, 10), "P": (32, 10)}


@checker("check_batch_shapes")
def check_batch_shapes(shapes):
    """Check ``shapes``: {name: shape tuple} for every array of ``BATCH_SHAPES`` (a bias of
    shape (1, n) is accepted for (n,): broadcasting treats them alike)."""
    if not isinstance(shapes, dict):
        raise TypeError(f"pass a dict {{name: shape}}; got {type(shapes).__name__}")
    why = {
        "X": {(784, 32): "batch first: one row per example, one column per feature, so (N, D).",
              (32, 28, 28): "a Dense layer takes rows of features: flatten each 28 x 28 image into 784 numbers.",
              (1, 784): "that is one example; the batch holds 32 of them, one per row."},
        "W1": {(128, 784): "W has one row per input and one column per unit, (n_in, n_out), so that X @ W "
                           "multiplies (32, 784) by (784, 128).",
               (32, 128): "the weights do not depend on the batch: W is shared by every example."},
        "b1": {(32, 128): "one bias per unit, shared by every example; broadcasting adds it to each row.",
               (784,): "one bias per unit of the layer (128), not per input."},
        "Z1": {(128, 32): "rows are examples, columns units: X @ W1 has X's rows and W1's columns.",
               (32, 784): "X @ W1 has as many columns as W1: one per unit."},
        "A1": {(32,): "the activation works on each entry: A1 has the same shape as Z1."},
        "W2": {(10, 128): "W has one row per input and one column per unit, (n_in, n_out)."},
        "b2": {(32, 10): "one bias per unit, shared by every example."},
        "Z2": {(10, 32): "rows are examples: (N, number of classes)."},
        "P": {(32,): "softmax gives each example a probability per class: the same shape as Z2. The "
                     "predicted class, P.argmax(axis=1), is the (32,) array."},
    }
    for name, expected in BATCH_SHAPES.items():
        if name not in shapes:
            raise Failure(f"no shape for {name!r}; give all of {', '.join(BATCH_SHAPES)}.")
        try:
            got = tuple(int(size) for size in np.atleast_1d(shapes[name]))
        except (TypeError, ValueError):
            raise Failure(f"{name}: a shape is a tuple of sizes such as (32, 784); got {shapes[name]!r}.") from None
        if got == expected or (name.startswith("b") and got == (1, *expected)):
            continue
        reason = why[name].get(got, "follow the data: X @ W1 + b1 gives Z1, relu gives A1, A1 @ W2 + b2 gives "
                                    "Z2, softmax gives P.")
        raise Failure(f"{name}: expected shape {expected}, got {got}.", hint=reason)
    return len(BATCH_SHAPES)


#: The layer of the initialisation exercise: n_in inputs into n_out ReLU units.
INIT_LAYER = {"n_in": 512, "n_out": 256}


@checker("check_init_std")
def check_init_std(he_std, glorot_std):
    """Check the standard deviations of He's and Glorot's normal initialisations for the layer
    ``INIT_LAYER``: sqrt(2 / n_in) and sqrt(2 / (n_in + n_out)); two significant figures suffice."""
    n_in, n_out = INIT_LAYER["n_in"], INIT_LAYER["n_out"]
    he, glorot = float(np.sqrt(2 / n_in)), float(np.sqrt(2 / (n_in + n_out)))
    answers = {}
    for name, value in (("he_std", he_std), ("glorot_std", glorot_std)):
        number = as_number(value)
        if number is None or not np.isfinite(number) or number <= 0:
            raise Failure(f"{name} should be one positive number, a standard deviation; got {value!r}.")
        answers[name] = number
    for name, expected, mistakes in (
        ("he_std", he, [
            (2 / n_in, "that is the variance; np.random.normal takes the standard deviation, its square root."),
            (np.sqrt(2 / n_out), "He's scale counts the inputs of each unit, n_in = 512, not the units."),
            (np.sqrt(1 / n_in), "the 2 is missing: it makes up for the half of the signal ReLU switches off."),
            (np.sqrt(2 / (n_in + n_out)), "that is Glorot's scale; He's is 2 / n_in."),
        ]),
        ("glorot_std", glorot, [
            (2 / (n_in + n_out), "that is the variance; the standard deviation is its square root."),
            (np.sqrt(6 / (n_in + n_out)), "that is the limit a of Glorot's uniform version U(-a, a), "
                                          "a = sqrt(6 / (n_in + n_out)); its standard deviation is a / sqrt(3)."),
            (np.sqrt(1 / (n_in + n_out)), "the 2 is missing: Glorot's variance is 2 / (n_in + n_out), the "
                                          "mean of 1 / n_in and 1 / n_out in the harmonic sense."),
            (np.sqrt(2 / n_in), "that is He's scale; Glorot's averages the inputs and the units: 2 / (n_in + n_out)."),
            (np.sqrt(1 / n_in), "that is 1 / n_in (LeCun's scale); Glorot's is 2 / (n_in + n_out)."),
        ])):
        got = answers[name]
        if _same_to_two_figures(got, expected):
            continue
        why = next((text for value, text in mistakes if _same_to_two_figures(got, value)), None)
        if why is None and abs(got - expected) <= 0.1 * expected:
            why = "close, but not equal to two significant figures: compute it with np.sqrt rather than by eye."
        raise Failure(f"{name}: expected {expected:.4g}, got {got:.4g}.",
                      hint=why or "Var(w) = 2 / n_in (He) or 2 / (n_in + n_out) (Glorot); the standard "
                                  "deviation is the square root of the variance.")
    return 2
