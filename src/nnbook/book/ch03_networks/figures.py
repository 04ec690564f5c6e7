"""Chapter 3, networks and forward propagation: its computations and figures."""

import functools

import numpy as np

from nnbook import approximation
from nnbook.activations import log_softmax, relu
from nnbook.layers import INITIALISATIONS
from nnbook.plotting import PALETTE, subplots

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


