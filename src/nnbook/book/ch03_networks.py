"""Chapter 3, networks and forward propagation: its figures, then its demos, then its exercise checkers."""

import numpy as np

from nnbook.activations import log_softmax
from nnbook.approximation import approximate, TARGETS
from nnbook.checks import as_number, call, checker, expect_number, Failure, require_callable
from nnbook.layers import mlp_param_count
from nnbook.losses import binary_cross_entropy_from_logits as reference
from nnbook.plotting import PALETTE, subplots
from nnbook.widgets import Choice, Demo, Slider


# --- Figures -------------------------------------------------------------------------------


# --- chapter 3: networks, losses, universal approximation --------------------------------

def plot_loss_curves(target_class_scores=np.linspace(-6, 6, 241)):
    """Three losses against the prediction for a fixed target.

    Left: squared error of a regression output, target 1. Middle: binary cross-entropy and
    squared error of a probability p, target 1. Right: softmax cross-entropy against the
    score (logit) of the correct class, the other two scores 0.
    """

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


# --- Demos ---------------------------------------------------------------------------------


def universal_approximation_demo():
    """Chapter 3: slide the number of hidden units (and layers); watch the fit close in."""

    controls = {
        "target": Choice(tuple(TARGETS), "wave"),
        "units": Slider(1, 60, 4, step=1, description="hidden units"),
        "depth": Slider(1, 4, 1, step=1, description="hidden layers"),
    }
    grid = {"target": ["wave", "step", "bump", "|x|"], "units": [1, 2, 4, 8, 16, 60]}
    return Demo(plot_approximation, controls, grid=grid, caption=approximation_caption,
                alt="Top: a 1-D target function (dashed) and the output of a ReLU network whose "
                    "hidden units have fixed kinks and whose output layer is solved by least "
                    "squares; the title gives the RMS error. Bottom: each hidden unit's "
                    "weighted contribution, a bent line.")


def approximation_caption(target, units, depth):
    """A frame's caption: the fit's RMS error for these settings."""
    fit = approximate(target, int(units), int(depth))
    return f"{units} hidden unit{'s' if units > 1 else ''} on the {target} target: RMS error {fit.rms_error:.3f}."


#: Every demo of this chapter, by name (the tests sweep each).
DEMOS = {"universal_approximation": universal_approximation_demo}


# --- Exercise checkers ---------------------------------------------------------------------


@checker("check_dense_forward")
def check_dense_forward(fn):
    """Check ``fn(x, W, b)`` -> x @ W + b: a dense layer's forward pass on a batch.

    x: (N, n_in), W: (n_in, n_out), b: (n_out,) -> (N, n_out).
    """
    require_callable(fn, "forward function")
    rng = np.random.default_rng(3)
    cases = [
        ((1, 2, 1), "one sample is a batch of one row: (1, 2) @ (2, 1) + (1,) -> (1, 1)."),
        ((1, 4, 3), "one sample, three units: the result has one row and three columns."),
        ((100, 4, 3), "a batch of 100: the same product, one output row per sample."),
        ((5, 3, 2), "W has one row per input and one column per unit: use x @ W, not W @ x."),
    ]
    for (n, n_in, n_out), hint in cases:
        x = rng.normal(size=(n, n_in))
        W = rng.normal(size=(n_in, n_out))
        b = rng.normal(size=n_out)
        expected = x @ W + b
        describe = f"x of shape {x.shape}, W {W.shape}, b {b.shape}"
        value = call(fn, x.copy(), W.copy(), b.copy(), describe=describe, hint=hint)
        got = np.asarray(value, dtype=np.float64)
        if got.shape != expected.shape:
            raise Failure(f"for {describe} expected shape {expected.shape}, got "
                                            f"{got.shape}.\n   Hint: {hint}")
        if not np.allclose(got, expected, rtol=1e-9, atol=1e-12):
            raise Failure(f"for {describe} the numbers differ from x @ W + b.\n"
                                            f"   Hint: add b to every row; {hint}")
    return len(cases)


#: Chapter 3's example network: 4 inputs, hidden layers of 4, 5, 6, 4 and 3 units, 3 outputs.
EXAMPLE_NETWORK = (4, 4, 5, 6, 4, 3, 3)


@checker("check_parameter_count")
def check_parameter_count(count, layer_sizes=EXAMPLE_NETWORK):
    """Check ``count``: the weights plus biases of a fully connected network of these sizes."""

    expected = mlp_param_count(layer_sizes)
    weights = mlp_param_count(layer_sizes, bias=False)
    got = as_number(count)
    if got is None:
        raise Failure(f"expected one whole number, got {count!r}.")
    if got == weights:
        raise Failure(f"{int(got)} counts the weights only; every unit outside the "
                             "input layer also has a bias.")
    if got != expected:
        raise Failure(f"{got:g} is not it.\n   Hint: a layer of m inputs and n units "
                             "has m * n weights and n biases; add over the layers (the input "
                             "layer has none).")
    return 1


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
        expected = reference(y, z)
        describe = f"y={y.tolist()}, z={z.tolist()}"
        value = call(fn, y.copy(), z.copy(), describe=describe, hint=hint, warnings_fail=True)
        expect_number(value, expected, describe=describe, hint=hint)
    return len(cases)
