"""Chapter 7, training in practice: its data, its experiments and its static figures.

Every experiment is a plain function of its settings and seeds, so the page can call it,
a reader can rerun it with other seeds, and the tests can check it. Two problems recur:

* **the digits** (scikit-learn's bundled 8x8 images, no download), split 60/20/20 into
  training, validation and test parts, stratified and seeded (``digits_parts``);
* **the small noisy moons** (``noisy_moons``): 60 training points with a tenth of their
  labels flipped, where a big network overfits.
"""

import math
import warnings

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from nnbook import data, losses, metrics, optim, training
from nnbook.layers import Activation, Dense, Sequential
from nnbook.plotting import CLASS_COLOURS, CLASS_MARKERS, PALETTE, plain_log_ticks, subplots
from nnbook.regularization import Dropout, EarlyStopping, ProximalL1SGD, is_penalised, soft_threshold  # noqa: F401

# --- The data --------------------------------------------------------------------------------

#: The digits' split: shares of the validation and test parts (the rest trains), and its seed.
DIGITS_SPLIT = {"validation": 0.2, "test": 0.2, "seed": 0}
#: How the digits' pixels (0 to 16) are scaled before training.
SCALINGS = ("standardize", "none", "leaky")


def _digits():
    """The digits as rows of 64 pixels, their labels, and the 8x8 images (``data.digits``)."""
    images, labels = data.digits()
    return images.reshape(len(images), -1), labels, images


def digits_parts(seed=DIGITS_SPLIT["seed"], scaling="standardize"):
    """scikit-learn's digits as ((x_train, y_train), (x_val, y_val), (x_test, y_test)).

    Stratified and seeded (``training.split``, 60/20/20). x: (N, 64) pixels, y: (N,) labels 0-9.
    scaling: "standardize" (a ``Standardizer`` fitted on the training part only, then applied
    to every part), "none" (raw pixels, 0 to 16), or "leaky" (the Standardizer fitted on ALL
    the data, test included: the mistake the chapter measures).
    """
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {SCALINGS}; got {scaling!r}")
    x, y, _ = _digits()
    parts = training.split(x, y, validation=DIGITS_SPLIT["validation"], test=DIGITS_SPLIT["test"],
                           seed=seed)
    if scaling == "none":
        return parts
    scaler = training.Standardizer().fit(parts[0][0] if scaling == "standardize" else x)
    return tuple((scaler.transform(xs), ys) for xs, ys in parts)


#: The small noisy moons: a training set too small for a big network, and labels that lie.
MOONS = {"n_train": 60, "n_val": 300, "n_test": 300, "noise": 0.2, "flip": 0.1}


def noisy_moons(seed=0, n_train=MOONS["n_train"]):
    """Two moons with Gaussian noise 0.2 and 10% of the labels flipped, in three independent
    parts: ``n_train`` (60) training, 300 validation and 300 test points. Returns ((x, y), (x, y), (x, y)),
    x: (N, 2), y: (N,) of 0 and 1. Every part is drawn from the same distribution (flipped
    labels included: new data is just as noisy)."""
    parts = []
    for k, n in enumerate((n_train, MOONS["n_val"], MOONS["n_test"])):
        part_seed = 1000 * seed + k
        x, y = data.moons(n, noise=MOONS["noise"], seed=part_seed)
        parts.append((x, data.flip_labels(y, MOONS["flip"], seed=part_seed + 500)))
    return tuple(parts)


def moons_flipped(seed=0, n_train=MOONS["n_train"]):
    """Which training points of ``noisy_moons(seed, n_train)`` had their label flipped: (N,) bools."""
    (x, y), _, _ = noisy_moons(seed, n_train)
    return y != data.moons(n_train, noise=MOONS["noise"], seed=1000 * seed)[1]


# --- Networks and runs -----------------------------------------------------------------------

#: The digits network of the chapter: 64 pixels, 64 ReLU units, 10 class scores.
DIGITS_SIZES = (64, 64, 10)
#: The real classifier's training: Adam(0.003), batches of 32, 30 epochs.
DIGITS_TRAINING = {"learning_rate": 0.003, "batch_size": 32, "epochs": 30}
#: The big network for 60 moons points: 2-32-32-1, ReLU, 1,185 parameters.
MOONS_SIZES = (2, 32, 32, 1)
#: How every moons network is trained: Adam(0.03) on the whole training set, 100 epochs.
MOONS_TRAINING = {"learning_rate": 0.03, "epochs": 100}


def moons_network(seed=0, dropout=0.0):
    """The 2-32-32-1 ReLU network (He initialisation), with ``Dropout(dropout)`` after each
    hidden layer if dropout > 0. Its starting weights are those of
    ``training.mlp(MOONS_SIZES, activation="relu", seed=seed)`` whatever the dropout."""
    if not dropout:
        return training.mlp(MOONS_SIZES, activation="relu", seed=seed)
    rng = np.random.default_rng(seed)
    layers = []
    for k, (n_in, n_out) in enumerate(zip(MOONS_SIZES, MOONS_SIZES[1:])):
        layers.append(Dense(n_in, n_out, init="he", seed=rng))
        if k < len(MOONS_SIZES) - 2:
            layers += [Activation("relu"), Dropout(dropout, seed=rng)]
    return Sequential(layers)


def train_moons(seed=0, *, l1=0.0, l2=0.0, dropout=0.0, callback=None, optimizer=None,
                epochs=MOONS_TRAINING["epochs"], n_train=MOONS["n_train"]):
    """Train ``moons_network(seed, dropout)`` on ``noisy_moons(seed, n_train)``'s training part,
    with the validation part measured each epoch. Returns (network, history). optimizer: None
    for Adam(0.03); the whole training set is one batch."""
    (x, y), (x_val, y_val), _ = noisy_moons(seed, n_train)
    network = moons_network(seed, dropout)
    optimizer = optim.Adam(MOONS_TRAINING["learning_rate"]) if optimizer is None else optimizer
    history = training.fit(network, x, y[:, None], loss="binary_cross_entropy_from_logits",
                           optimizer=optimizer, epochs=epochs, validation=(x_val, y_val[:, None]),
                           metrics=["accuracy"], l1=l1, l2=l2, callback=callback, seed=seed)
    return network, history


def moons_scores(network, x):
    """The network's probability of class 1 for each point (N,), in inference mode."""
    network.eval()
    return 1.0 / (1.0 + np.exp(-network.forward(x)[:, 0]))


def train_digits(parts, *, seed=0, sizes=DIGITS_SIZES, activation="relu", init=None,
                 optimizer=None, epochs=DIGITS_TRAINING["epochs"],
                 batch_size=DIGITS_TRAINING["batch_size"], validation=True):
    """Train a digits network on ``parts[0]`` (with ``parts[1]`` as validation data if
    ``validation``). optimizer: None for the chapter's Adam(0.003). Returns (network, history)."""
    (x, y), (x_val, y_val) = parts[0], parts[1]
    network = training.mlp(sizes, activation=activation, init=init, seed=seed)
    optimizer = optim.Adam(DIGITS_TRAINING["learning_rate"]) if optimizer is None else optimizer
    history = training.fit(network, x, y, loss="softmax_cross_entropy", optimizer=optimizer,
                           epochs=epochs, batch_size=batch_size, seed=seed,
                           validation=(x_val, y_val) if validation else None,
                           metrics=["accuracy"] if validation else ())
    return network, history


def predict(network, x):
    """Class labels (N,): the highest score of a digits network, in inference mode."""
    network.eval()
    return network.forward(x).argmax(axis=1)


def summary(values):
    """(median, lowest, highest) of a list of numbers."""
    values = np.asarray(values, dtype=np.float64)
    return float(np.median(values)), float(values.min()), float(values.max())


# --- Initialisation and normalisation, measured -------------------------------------------

#: The initialisation experiment: three hidden layers of 64 units, SGD(0.1), batches of 128,
#: 10 epochs. (With batches of 32 the saturated tanh runs are chaotic: their results change
#: with the round-off of the BLAS kernel, so a page could not print them.)
INIT_SIZES, INIT_EPOCHS, INIT_RATE, INIT_BATCH = (64, 64, 64, 64, 10), 10, 0.1, 128


def init_runs(inits=("glorot", "he", "normal"), activations=("relu", "tanh"), seeds=(0, 1, 2)):
    """Train the initialisation experiment's network on the standardised digits with each
    initialisation and activation, from each seed.

    Returns {(activation, init): {"loss0": [...], "losses": [[per epoch], ...],
    "val_accuracy": [...], "diverged": [...]}}: the loss before training, the training loss
    per epoch, the final validation accuracy (NaN if the run diverged) and whether it did.
    """
    parts = digits_parts()
    (x, y), (x_val, y_val) = parts[0], parts[1]
    results = {}
    for activation in activations:
        for init in inits:
            found = {"loss0": [], "losses": [], "val_accuracy": [], "diverged": []}
            for seed in seeds:
                network = training.mlp(INIT_SIZES, activation=activation, init=init, seed=seed)
                found["loss0"].append(losses.softmax_cross_entropy(y, network.forward(x)))
                history = training.fit(network, x, y, loss="softmax_cross_entropy",
                                       learning_rate=INIT_RATE, epochs=INIT_EPOCHS, batch_size=INIT_BATCH,
                                       seed=seed)
                diverged = history.status == "diverged"
                found["losses"].append(history.loss)
                found["diverged"].append(diverged)
                found["val_accuracy"].append(
                    math.nan if diverged else metrics.accuracy(y_val, predict(network, x_val)))
            results[activation, init] = found
    return results


#: The scaling experiment: the chapter's digits network, SGD, 20 epochs.
SCALING_EPOCHS = 20


def scaling_runs(settings=(("none", 0.1), ("none", 0.01), ("standardize", 0.1)), seeds=(0, 1, 2)):
    """Validation accuracy per epoch for raw and standardised pixels, with plain SGD.

    settings: (scaling, learning rate) pairs. Returns {(scaling, rate): array (seeds, epochs)}.
    """
    results = {}
    for scaling, rate in settings:
        parts = digits_parts(scaling=scaling)
        runs = [train_digits(parts, seed=seed, optimizer=optim.SGD(rate), epochs=SCALING_EPOCHS)[1]
                for seed in seeds]
        results[scaling, rate] = np.array([h.metrics["val_accuracy"] for h in runs])
    return results


#: The leak experiment's training: SGD(0.1), 20 epochs.
LEAK_RATE, LEAK_EPOCHS = 0.1, 20


def leak_runs(splits=(0, 1, 2, 3, 4), seed=0):
    """Test accuracy with the Standardizer fitted on the training part (right) and on all
    the data (the leak), for several splits; the same network and training for both.
    Returns {"standardize": [...], "leaky": [...]}, one accuracy per split."""
    results = {"standardize": [], "leaky": []}
    for split in splits:
        for scaling in results:
            parts = digits_parts(split, scaling)
            network, _ = train_digits(parts, seed=seed, optimizer=optim.SGD(LEAK_RATE),
                                      epochs=LEAK_EPOCHS, validation=False)
            results[scaling].append(metrics.accuracy(parts[2][1], predict(network, parts[2][0])))
    return results


# --- L1: a step that can land on zero ------------------------------------------------------

#: The weight experiment: plain gradient descent on the moons, rate 0.5, 400 epochs.
WEIGHTS_RATE, WEIGHTS_EPOCHS = 0.5, 400


def penalised_weights(network):
    """Every weight of a network (biases left out) as one vector."""
    return np.concatenate([w.ravel() for name, w, _ in network.parameters() if is_penalised(name)])


def weight_runs(seed=0, l2=1e-2, l1=3e-3):
    """The moons network trained by plain gradient descent four ways: no penalty, L2, L1 with
    the subgradient (``fit(l1=...)``) and L1 with the proximal step. Returns {name: (weights,
    validation loss)}."""
    (x, y), (x_val, y_val), _ = noisy_moons(seed)
    settings = {"no penalty": ({}, None), f"L2, λ = {l2:g}": ({"l2": l2}, None),
                f"L1, λ = {l1:g}, subgradient": ({"l1": l1}, None),
                f"L1, λ = {l1:g}, proximal step": ({}, ProximalL1SGD(WEIGHTS_RATE, l1))}
    results = {}
    for name, (penalty, optimizer) in settings.items():
        network = moons_network(seed)
        training.fit(network, x, y[:, None], loss="binary_cross_entropy_from_logits",
                     optimizer=optimizer or optim.SGD(WEIGHTS_RATE), epochs=WEIGHTS_EPOCHS, **penalty)
        network.eval()
        val_loss = losses.binary_cross_entropy_from_logits(y_val[:, None], network.forward(x_val))
        results[name] = (penalised_weights(network), float(val_loss))
    return results


# --- Choosing the penalty, and the size of the training set ----------------------------------

#: The four cures compared over seeds: {name: keyword arguments of ``train_moons``}.
CURES = {"no penalty": {}, "L2, λ = 0.01": {"l2": 1e-2}, "dropout 0.5": {"dropout": 0.5},
         "early stopping": {"patience": 10}}


def cure_table(seeds=(0, 1, 2, 3, 4), cures=CURES):
    """The validation loss and accuracy of the trained moons network (for early stopping: of the
    restored best epoch) for each cure and seed. Returns {name: {"loss": [...], "accuracy": [...]}}."""
    table = {}
    for name, settings in cures.items():
        found = {"loss": [], "accuracy": []}
        options = dict(settings)
        patience = options.pop("patience", None)
        for seed in seeds:
            callback = None if patience is None else EarlyStopping(patience=patience)
            network, _ = train_moons(seed, callback=callback, **options)
            x_val, y_val = noisy_moons(seed)[1]
            network.eval()
            scores = network.forward(x_val)
            found["loss"].append(float(losses.binary_cross_entropy_from_logits(y_val[:, None], scores)))
            found["accuracy"].append(metrics.accuracy(y_val.astype(int), (scores[:, 0] > 0).astype(int)))
        table[name] = found
    return table


#: The L2 strengths of the sweep (0 is drawn apart: a log axis has no 0).
STRENGTHS = (0.0, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1)


def penalty_sweep(strengths=STRENGTHS, seeds=(0, 1, 2)):
    """Final training and validation loss of the moons network for each L2 strength and seed.
    Returns {"train": (strengths, seeds), "val": (strengths, seeds)} arrays."""
    train, val = np.empty((len(strengths), len(seeds))), np.empty((len(strengths), len(seeds)))
    for i, strength in enumerate(strengths):
        for j, seed in enumerate(seeds):
            _, history = train_moons(seed, l2=strength)
            train[i, j], val[i, j] = history.loss[-1], history.val_loss[-1]
    return {"train": train, "val": val}


#: The learning curve's training-set sizes, and the updates every run gets.
SIZES, SIZE_UPDATES = (50, 100, 200, 400, 1079), 400


def size_curve(sizes=SIZES, seeds=(0, 1, 2)):
    """Training and validation accuracy of the digits network trained on the first n examples
    of the training part, for each n and seed. Every run makes about ``SIZE_UPDATES`` updates
    (batches of 32), so a small set is not also under-trained. Returns {"train": (sizes,
    seeds), "val": (sizes, seeds)} arrays."""
    parts = digits_parts()
    (x, y), (x_val, y_val) = parts[0], parts[1]
    train, val = np.empty((len(sizes), len(seeds))), np.empty((len(sizes), len(seeds)))
    for i, n in enumerate(sizes):
        epochs = max(1, round(SIZE_UPDATES / math.ceil(n / 32)))
        for j, seed in enumerate(seeds):
            network, _ = train_digits(((x[:n], y[:n]), (x_val, y_val)), seed=seed, epochs=epochs,
                                      validation=False)
            train[i, j] = metrics.accuracy(y[:n], predict(network, x[:n]))
            val[i, j] = metrics.accuracy(y_val, predict(network, x_val))
    return {"train": train, "val": val}


# --- Weight decay and L2 for Adam -----------------------------------------------------------

def decay_example(steps=100, learning_rate=0.01, strength=0.1, gradient=10.0):
    """Two weights, both starting at 1: the loss gradient of the first flips between
    +gradient and -gradient at every step (it averages 0), the second has none. Each
    optimizer takes ``steps`` steps with an L2 penalty in the loss (gradient + strength * w)
    and with decoupled weight decay (``weight_decay=strength``). Returns {(optimizer name,
    "L2" or "decay"): final weights (2,)}. The intended shrinking is (1 - rate * strength) ** steps."""
    out = {}
    for name, make in (("SGD", optim.SGD), ("Adam", optim.Adam)):
        for kind in ("L2", "decay"):
            w = {"w": np.ones(2)}
            opt = make(learning_rate, weight_decay=strength if kind == "decay" else 0.0)
            for t in range(steps):
                g = np.array([gradient * (-1.0) ** t, 0.0])
                if kind == "L2":
                    g = g + strength * w["w"]
                opt.step(w, {"w": g})
            out[name, kind] = w["w"].copy()
    return out


# --- The real classifier: ours and scikit-learn's ------------------------------------------------

def sklearn_classifier(seed=0):
    """scikit-learn's MLPClassifier set up like our digits network: one hidden layer of 64
    ReLU units, Adam(0.003), batches of 32, exactly 30 epochs, no penalty (alpha=0), no early
    stop (tol=0 and a patience longer than the run)."""
    from sklearn.neural_network import MLPClassifier

    epochs = DIGITS_TRAINING["epochs"]
    return MLPClassifier(hidden_layer_sizes=DIGITS_SIZES[1:-1], activation="relu", solver="adam",
                         learning_rate_init=DIGITS_TRAINING["learning_rate"],
                         batch_size=DIGITS_TRAINING["batch_size"], max_iter=epochs, alpha=0.0,
                         tol=0.0, n_iter_no_change=epochs + 1, random_state=seed)


def fit_sklearn(model, x, y):
    """``model.fit(x, y)`` without the warning that it used all its epochs (we asked it to)."""
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(x, y)


def compare_with_sklearn(seeds=(1, 2, 3, 4)):
    """Train our digits network and MLPClassifier from each seed on the same standardised split.
    Returns {"ours": [test accuracy per seed], "sklearn": [...]}."""
    parts = digits_parts()
    (x, y), _, (x_test, y_test) = parts
    found = {"ours": [], "sklearn": []}
    for seed in seeds:
        network, _ = train_digits(parts, seed=seed, validation=False)
        found["ours"].append(metrics.accuracy(y_test, predict(network, x_test)))
        found["sklearn"].append(float(fit_sklearn(sklearn_classifier(seed), x, y).score(x_test, y_test)))
    return found


# --- Why GPUs ---------------------------------------------------------------------------------

def matmul_loops(a, b):
    """The matrix product of two lists of lists, by three Python loops: what numpy's ``@`` does."""
    n, k, m = len(a), len(b), len(b[0])
    out = [[0.0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            total = 0.0
            for p in range(k):
                total += a[i][p] * b[p][j]
            out[i][j] = total
    return out


def multiply_adds_per_epoch(sizes, n_examples):
    """Multiply-adds of the matrix products in one epoch of ``fit`` on a dense network with
    layer sizes ``sizes``: per example and layer, n_in * n_out for X W forward and as many for
    each of backward's two products (dL/dW, and dL/dX for the layer below), but the first
    layer's dL/dX, the gradient of the data, is skipped (``fit`` asks no layer for it)."""
    per_layer = [a * b for a, b in zip(sizes, sizes[1:])]
    return n_examples * (3 * sum(per_layer) - per_layer[0])


# --- Figures ---------------------------------------------------------------------------------

#: One colour per setting, the same in every figure of the chapter.
COLOURS = {"train": PALETTE["blue"], "val": PALETTE["vermillion"], "test": PALETTE["green"],
           "glorot": PALETTE["blue"], "he": PALETTE["green"], "normal": PALETTE["vermillion"]}
WIDTH = 5.6  # inches: readable on a phone


def _epochs(values):
    return np.arange(1, len(values) + 1)


def plot_learning_curves(history):
    """Top: training and validation loss per epoch (log scale); bottom: training and validation
    accuracy per epoch."""
    fig, (ax_loss, ax_acc) = subplots(2, 1, figsize=(WIDTH, 6.2), sharex=True)
    ax_loss.plot(_epochs(history.loss), history.loss, lw=2, color=COLOURS["train"], label="training")
    ax_loss.plot(_epochs(history.val_loss), history.val_loss, lw=2, color=COLOURS["val"],
                 ls="--", label="validation")
    ax_loss.set_yscale("log")
    ax_loss.set(ylabel="loss (log scale)", title="Loss per epoch")
    for key, colour, ls, label in (("accuracy", COLOURS["train"], "-", "training"),
                                   ("val_accuracy", COLOURS["val"], "--", "validation")):
        values = 100 * np.asarray(history.metrics[key])
        ax_acc.plot(_epochs(values), values, lw=2, color=colour, ls=ls, label=label)
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title="Accuracy per epoch")
    ax_acc.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax_loss.legend(loc="lower left")
    ax_acc.legend(loc="lower right")
    return fig


def plot_init(results):
    """The training loss per epoch of each (activation, initialisation) of ``init_runs``, in one
    panel: colour for the initialisation, solid for ReLU and dashed for tanh; the median over
    the seeds; epoch 0 is the loss before training. A run that diverged is said in the legend
    (and if all did, the loss before training is marked with a cross)."""
    fig, ax = subplots(figsize=(WIDTH, 4.6))
    styles = {"relu": "-", "tanh": "--"}
    for (activation, init), found in results.items():
        finished = [[l0, *curve] for l0, curve, bad in
                    zip(found["loss0"], found["losses"], found["diverged"]) if not bad]
        n_bad = sum(found["diverged"])
        ok = [a for a in found["val_accuracy"] if a == a]   # NaN: diverged
        label = f"{activation}, {init}" + (f": {n_bad} of {len(found['diverged'])} runs diverged" if n_bad else
                                            f": validation {100 * np.median(ok):.0f}%")
        if finished:
            curves = np.array(finished)
            ax.plot(np.arange(curves.shape[1]), np.median(curves, axis=0), lw=2, color=COLOURS[init],
                    ls=styles.get(activation, ":"), label=label)
        else:
            ax.plot(0, np.median(found["loss0"]), "X", ms=10, color=COLOURS[init], label=label)
    ax.set_yscale("log")
    ax.set(xlabel="epoch (0: before training)", ylabel="training loss (log scale)",
           title=f"3 hidden layers of 64, SGD α = {INIT_RATE:g}, B = {INIT_BATCH}\n(median of the seeds)")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.legend(loc="upper right", fontsize=8.5)
    return fig


def plot_scaling(results):
    """Validation accuracy per epoch for each (scaling, rate): median line, range band."""
    fig, ax = subplots(figsize=(WIDTH, 4.6))
    styles = {("none", 0.1): (PALETTE["vermillion"], "--"), ("none", 0.01): (PALETTE["orange"], ":"),
              ("standardize", 0.1): (PALETTE["blue"], "-")}
    names = {"none": "raw pixels (0 to 16)", "standardize": "standardised"}
    lowest = 100.0
    for (scaling, rate), curves in results.items():
        colour, ls = styles.get((scaling, rate), (PALETTE["grey"], "-"))
        values = 100 * curves
        epochs = _epochs(values[0])
        ax.plot(epochs, np.median(values, axis=0), lw=2, color=colour, ls=ls,
                label=f"{names[scaling]}, α = {rate:g}")
        ax.fill_between(epochs, values.min(axis=0), values.max(axis=0), color=colour, alpha=0.18)
        lowest = min(lowest, values.min())
    ax.set(xlabel="epoch", ylabel="validation accuracy (%)", ylim=(10 * math.floor(lowest / 10), 100),
           title="The digits with and without standardisation\n(median of the seeds, range shaded)")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    fig.legend(loc="outside lower center", ncols=1, fontsize=9)
    return fig


#: Class 0 blue, class 1 orange, white where the network cannot tell (p = 0.5).
BOUNDARY_CMAP = mpl.colors.LinearSegmentedColormap.from_list(
    "nnbook_classes", [CLASS_COLOURS[1], "#FFFFFF", CLASS_COLOURS[0]])


def _boundary(ax, network, x, y, title, flipped=None):
    """The network's probability of class 1 over the plane as shades, its 0.5 line, the points
    (the flipped ones ringed)."""
    low, high = x.min(axis=0) - 0.3, x.max(axis=0) + 0.3
    xx, yy = np.meshgrid(np.linspace(low[0], high[0], 120), np.linspace(low[1], high[1], 90))
    p = moons_scores(network, np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    ax.contourf(xx, yy, p, levels=[0, 0.1, 0.3, 0.5, 0.7, 0.9, 1], cmap=BOUNDARY_CMAP, alpha=0.55)
    ax.contour(xx, yy, p, levels=[0.5], colors="black", linewidths=1.6)
    for cls in (1, 0):
        mask = y == cls
        ax.scatter(x[mask, 0], x[mask, 1], s=34, c=CLASS_COLOURS[1 - cls], marker=CLASS_MARKERS[1 - cls],
                   edgecolors="black", linewidths=0.7, label=f"label {cls}", zorder=3)
    if flipped is not None and np.any(flipped):
        ax.scatter(x[flipped, 0], x[flipped, 1], s=170, facecolors="none", edgecolors="black",
                   linewidths=1.4, label="label flipped", zorder=4)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title, aspect="equal", xlim=(low[0], high[0]),
           ylim=(low[1], high[1]))


def plot_overfitting(networks, histories, x, y, flipped=None):
    """One panel per network of ``networks`` ({name: network}): its decision boundary over the
    training points x (N, 2), labels y (N,) (``flipped`` ones ringed); below them, if
    ``histories`` ({name: History}) is not empty, the training (solid) and validation (dashed)
    loss per epoch of each run."""
    rows = len(networks) + (1 if histories else 0)
    fig, axes = subplots(rows, 1, figsize=(WIDTH, 3.5 * len(networks) + (3.0 if histories else 0)),
                         height_ratios=[1] * len(networks) + ([1.15] if histories else []))
    axes = np.atleast_1d(axes)
    for ax, (name, network) in zip(axes, networks.items()):
        _boundary(ax, network, x, y, f"{name}: the training points and the boundary", flipped)
    axes[0].legend(loc="lower left", fontsize=8, framealpha=0.9, frameon=True)
    if not histories:
        return fig
    ax = axes[-1]
    colours = [PALETTE["vermillion"], PALETTE["blue"], PALETTE["green"], PALETTE["purple"]]
    for (name, history), colour in zip(histories.items(), colours):
        ax.plot(_epochs(history.loss), history.loss, color=colour, lw=2, label=f"{name}: training")
        ax.plot(_epochs(history.val_loss), history.val_loss, color=colour, lw=2, ls="--",
                label=f"{name}: validation")
    ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="loss (log scale)", title="Training and validation loss")
    ax.legend(loc="lower left", fontsize=8.5)
    return fig


def _run_colour(name):
    for word, colour in (("L2", "blue"), ("subgradient", "orange"), ("proximal", "green")):
        if word in name:
            return PALETTE[colour]
    return PALETTE["grey"]


def plot_weight_histograms(runs, small=1e-3):
    """One histogram of the weights per run ({name: (weights, validation loss)}, as
    ``weight_runs`` gives), stacked, with the count of weights exactly 0 and of weights below
    ``small`` in size."""
    fig, axes = subplots(len(runs), 1, figsize=(WIDTH, 2.0 * len(runs) + 0.6), sharex=True)
    axes = np.atleast_1d(axes)
    edges = np.linspace(-1.5, 1.5, 61)
    for ax, (name, (weights, val_loss)) in zip(axes, runs.items()):
        colour = _run_colour(name)
        counts, _ = np.histogram(np.clip(weights, edges[0], edges[-1]), bins=edges)
        ax.stairs(np.maximum(counts, 0.5), edges, baseline=0.5, fill=True, color=colour)
        ax.set_yscale("log")
        ax.set_ylim(0.7, 2 * weights.size)
        plain_log_ticks(ax.yaxis)
        zeros, tiny = int(np.sum(weights == 0)), int(np.sum(np.abs(weights) < small))
        ax.set_title(f"{name}: validation loss {val_loss:.2f}", fontsize=10.5)
        ax.text(0.99, 0.93, f"exactly 0: {zeros:,}\n|w| < {small:g}: {tiny:,}\nof {weights.size:,}",
                transform=ax.transAxes, ha="right", va="top", fontsize=9,
                bbox={"fc": "white", "ec": "none", "alpha": 0.85})
        ax.set_ylabel("weights")
    axes[-1].set_xlabel("weight value (beyond ±1.5 counted at the ends)")
    return fig


def plot_regularizers(histories, stopping=None):
    """Validation loss per epoch of each run (log scale); the early-stopping run's best epoch
    and last epoch marked. histories: {name: History}; stopping: (name, EarlyStopping)."""
    fig, ax = subplots(figsize=(WIDTH, 4.4))
    colours = [PALETTE["vermillion"], PALETTE["blue"], PALETTE["purple"], PALETTE["black"]]
    for (name, history), colour in zip(histories.items(), colours):
        ax.plot(_epochs(history.val_loss), history.val_loss, lw=2, color=colour, label=name)
    if stopping is not None:
        name, rule = stopping
        values = histories[name].val_loss
        ax.plot(rule.best_epoch, values[rule.best_epoch - 1], "o", ms=9, mfc="none", mec="black", mew=2,
                label=f"best epoch {rule.best_epoch}: weights restored")
        ax.plot(len(values), values[-1], "s", ms=7, color="black",
                label=f"stopped after epoch {len(values)}")
    ax.set(xlabel="epoch", ylabel="validation loss", title="The same network, uncured and cured three ways")
    ax.legend(loc="upper left", fontsize=8.5)
    return fig


def plot_penalty_sweep(strengths, sweep):
    """Final training and validation loss against the L2 strength (log axis; the unpenalised
    run drawn as horizontal lines): median over seeds, range as error bars; best marked."""
    strengths = np.asarray(strengths, dtype=np.float64)
    positive = strengths > 0
    fig, ax = subplots(figsize=(WIDTH, 4.8))
    for key, colour, marker, label in (("train", COLOURS["train"], "o", "training"),
                                       ("val", COLOURS["val"], "s", "validation")):
        values = sweep[key]
        median = np.median(values, axis=1)
        spread = np.vstack([median - values.min(axis=1), values.max(axis=1) - median])
        ax.errorbar(strengths[positive], median[positive], yerr=spread[:, positive], color=colour,
                    marker=marker, lw=2, capsize=3, label=f"{label} loss")
        if not positive.all():
            ax.axhline(median[~positive][0], color=colour, ls=":", lw=1.5,
                       label=f"{label} loss without penalty")
    best = strengths[np.argmin(np.median(sweep["val"], axis=1))]
    ax.axvline(best, color=PALETTE["grey"], lw=1, ls="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set(xlabel="L2 strength λ (log scale)", ylabel="loss after 100 epochs (log scale)",
           title=f"Lowest median validation loss at λ = {best:g}\n(median of the seeds; bars: range)")
    fig.legend(loc="outside lower center", ncols=2, fontsize=8.5)
    return fig


def plot_size_curve(sizes, curve):
    """Training and validation accuracy against the training-set size (log axis): median over
    seeds with the range as a band."""
    fig, ax = subplots(figsize=(WIDTH, 4.0))
    for key, colour, marker, label in (("train", COLOURS["train"], "o", "training"),
                                       ("val", COLOURS["val"], "s", "validation")):
        values = 100 * curve[key]
        ax.plot(sizes, np.median(values, axis=1), marker=marker, lw=2, color=colour, label=label)
        ax.fill_between(sizes, values.min(axis=1), values.max(axis=1), color=colour, alpha=0.2)
    ax.set_xscale("log")
    ax.set_xticks(sizes, [f"{n:,}" for n in sizes])
    ax.minorticks_off()
    ax.set(xlabel="training examples (log scale)", ylabel="accuracy (%)",
           title="More data: the validation accuracy climbs")
    ax.legend(loc="lower right")
    return fig


def plot_confusion(y_true, y_pred, images, max_shown=12):
    """Top: the confusion matrix of the digits (rows: true class, columns: predicted), each
    wrong cell outlined; bottom: the misclassified test images, each titled with its cell."""
    matrix = metrics.confusion_matrix(y_true, y_pred, labels=np.arange(10))
    wrong = np.flatnonzero(y_true != y_pred)
    wrong = wrong[np.lexsort((y_pred[wrong], y_true[wrong]))][:max_shown]
    columns = 6
    rows = max(1, math.ceil(len(wrong) / columns))
    fig = Figure(figsize=(WIDTH, 5.9 + 1.15 * rows), layout="constrained")
    grid = fig.add_gridspec(1 + rows, columns, height_ratios=[5.0] + [1.0] * rows)
    ax = fig.add_subplot(grid[0, :])
    ax.imshow(np.log1p(matrix), cmap="Blues")
    for i in range(10):
        for j in range(10):
            if matrix[i, j]:
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8.5,
                        color="white" if i == j else "black")
            if i != j and matrix[i, j]:
                ax.add_patch(_cell_box(j, i))
    ax.set(xticks=range(10), yticks=range(10), xlabel="predicted digit", ylabel="true digit",
           title=f"{len(y_true)} test digits, {int(np.sum(y_true != y_pred))} wrong: the outlined cells,\n"
                 "drawn below, each titled true → predicted")
    ax.grid(False)
    for k, index in enumerate(wrong):
        sub = fig.add_subplot(grid[1 + k // columns, k % columns])
        sub.imshow(images[index], cmap="gray_r")
        sub.set_title(f"{y_true[index]} → {y_pred[index]}", fontsize=9.5)
        sub.set(xticks=[], yticks=[])
    return fig


def _cell_box(column, row):
    from matplotlib.patches import Rectangle

    return Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False, ec=PALETTE["vermillion"], lw=2)
