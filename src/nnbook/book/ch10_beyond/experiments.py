"""The appendix's computations: the delta rule, a self-organising map, a Hopfield network,
BernoulliRBM features on the digits, transfer from digits 0-4 to 5-9, accuracy against data size."""

import functools

import numpy as np

from nnbook import data, optim, training
from nnbook._validate import as_count, as_positive_number
from nnbook.training import one_thread


@functools.lru_cache(maxsize=1)
def digits01():
    """scikit-learn's 1,797 digits, pixels scaled from 0-16 to [0, 1] (what BernoulliRBM
    reads as probabilities), and their labels."""
    images, labels = data.digits()
    return images.reshape(len(images), -1) / 16.0, labels


# --- The delta rule ----------------------------------------------------------------------


def delta_rule_step(w, b, x, y, learning_rate):
    r"""One step of Widrow and Hoff's rule for a linear unit: with $z = \mathbf{w}\cdot\mathbf{x} + b$,
    $\mathbf{w} \leftarrow \mathbf{w} + \alpha (y - z)\mathbf{x}$ and $b \leftarrow b + \alpha (y - z)$.
    Returns the new (w, b); the arguments are left unchanged."""
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    error = y - (w @ x + b)
    return w + learning_rate * error * x, b + learning_rate * error


# --- A self-organising map ---------------------------------------------------------------

#: The map: an 8 x 8 grid of units on points drawn uniformly from the unit square, trained
#: one point per step; the learning rate and the neighbourhood width shrink geometrically
#: from their start to their end over the run; a snapshot every ``every`` steps.
SOM = {"rows": 8, "cols": 8, "steps": 1000, "every": 25, "lr": (0.5, 0.02), "sigma_end": 0.3, "seed": 0}


def grid_positions(rows, cols):
    """The (row, column) of every unit of a rows x cols map, row by row: (rows * cols, 2)."""
    r, c = np.divmod(np.arange(rows * cols), cols)
    return np.stack([r, c], axis=1).astype(float)


def som_step(weights, positions, x, learning_rate, sigma):
    r"""Kohonen's rule, one input: the unit nearest to $\mathbf{x}$ wins, and every unit moves
    towards $\mathbf{x}$ by $\alpha\, h$, where $h = \exp(-d^2 / 2\sigma^2)$ and $d$ is its
    distance *on the map* (``positions``) from the winner. Returns new weights."""
    weights = np.asarray(weights, dtype=float)
    winner = np.argmin(np.sum((weights - x) ** 2, axis=1))
    d2 = np.sum((positions - positions[winner]) ** 2, axis=1)
    h = np.exp(-d2 / (2 * sigma ** 2))
    return weights + learning_rate * h[:, None] * (x - weights)


@functools.lru_cache(maxsize=32)
def som_run(sigma0=3.0, seed=SOM["seed"]):
    """Train the map from a neighbourhood width ``sigma0`` (in grid steps). Returns
    (snapshots (SOM["steps"] // every + 1, units, 2), positions (units, 2)); snapshot k is
    the map after k * every steps."""
    sigma0 = as_positive_number(sigma0, "sigma0", example="3.0 (grid steps)")
    rng = np.random.default_rng(seed)
    steps, every = SOM["steps"], SOM["every"]
    points = rng.uniform(0, 1, (steps, 2))
    positions = grid_positions(SOM["rows"], SOM["cols"])
    weights = rng.uniform(0, 1, (len(positions), 2))                 # a random tangle
    (lr0, lr1), s1 = SOM["lr"], min(SOM["sigma_end"], sigma0)
    snapshots = [weights]
    for t in range(steps):
        f = t / steps
        weights = som_step(weights, positions, points[t], lr0 * (lr1 / lr0) ** f, sigma0 * (s1 / sigma0) ** f)
        if (t + 1) % every == 0:
            snapshots.append(weights)
    return np.array(snapshots), positions


@functools.lru_cache(maxsize=1)
def som_test_points():
    """1,000 fresh points of the unit square, to measure a map on."""
    return np.random.default_rng(99).uniform(0, 1, (1000, 2))


def som_errors(weights, positions, points=None):
    """(topographic error, quantisation error) of a map: the share of points whose nearest and
    second-nearest units are not neighbours on the grid (diagonals count as neighbours), and
    the mean distance from a point to its nearest unit."""
    points = som_test_points() if points is None else points
    d2 = np.sum((points[:, None] - weights[None]) ** 2, axis=2)
    first_two = np.argsort(d2, axis=1)[:, :2]
    apart = np.max(np.abs(positions[first_two[:, 0]] - positions[first_two[:, 1]]), axis=1) > 1
    return float(np.mean(apart)), float(np.mean(np.sqrt(d2.min(axis=1))))


# --- A Hopfield network ------------------------------------------------------------------

_LETTERS = {
    "H": ["X.....X", "X.....X", "X.....X", "XXXXXXX", "X.....X", "X.....X", "X.....X"],
    "T": ["XXXXXXX", "...X...", "...X...", "...X...", "...X...", "...X...", "...X..."],
    "L": ["X......", "X......", "X......", "X......", "X......", "X......", "XXXXXXX"],
}


def letters():
    """Three 7 x 7 letters as +1 (ink) / -1 (paper) vectors of 49: {letter: (49,)}."""
    return {k: np.array([1.0 if c == "X" else -1.0 for row in rows for c in row]) for k, rows in _LETTERS.items()}


def hopfield_weights(patterns):
    r"""Hebb's rule for a Hopfield network: $W = \frac1N \sum_p \mathbf{p}\mathbf{p}^\top$, no
    unit connected to itself (zero diagonal)."""
    patterns = np.atleast_2d(np.asarray(patterns, dtype=float))
    w = patterns.T @ patterns / patterns.shape[1]
    np.fill_diagonal(w, 0.0)
    return w


def hopfield_recall(w, probe, sweeps=3, seed=0):
    """Update the units one at a time (a random order per sweep): each takes the sign of its
    weighted input (ties keep the unit's state). Returns the states after each sweep,
    (sweeps + 1, N), the probe first."""
    rng = np.random.default_rng(seed)
    state = np.array(probe, dtype=float)
    states = [state.copy()]
    for _ in range(as_count(sweeps, "sweeps")):
        for i in rng.permutation(len(state)):
            total = w[i] @ state
            if abs(total) > 1e-9:       # a tie (0 up to round-off) keeps the state
                state[i] = 1.0 if total > 0 else -1.0
        states.append(state.copy())
    return np.array(states)


def corrupt(pattern, n_flips, seed=0):
    """The pattern with ``n_flips`` pixels, chosen at random, flipped."""
    out = np.array(pattern, dtype=float)
    out[np.random.default_rng(seed).choice(len(out), n_flips, replace=False)] *= -1
    return out


# --- Unsupervised features: BernoulliRBM on the digits -----------------------------------

#: The RBM's settings: 64 hidden units and 20 sweeps keep a fit near half a second on one
#: core (scikit-learn's example uses 100 units on a five-times-larger, shifted set).
RBM = {"n_components": 64, "learning_rate": 0.06, "n_iter": 20, "batch_size": 10}
#: The logistic regressions' inverse penalty strengths compared (larger: weaker penalty).
RBM_CS = (0.1, 1.0, 100.0)
#: Logistic regression run to convergence: with scikit-learn's default tolerance, lbfgs stops
#: where round-off (another CPU's BLAS kernel) decides, and test accuracies move by an image.
LOGISTIC = {"max_iter": 100_000, "tol": 1e-8}


def digits_split(seed, test_size=0.2):
    """A stratified split of ``digits01`` into (x_train, x_test, y_train, y_test)."""
    from sklearn.model_selection import train_test_split

    x, y = digits01()
    return train_test_split(x, y, test_size=test_size, random_state=seed, stratify=y)


def rbm_pipeline(C=100.0, seed=0):
    """An unfitted scikit-learn Pipeline: BernoulliRBM (``RBM``) then logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import BernoulliRBM
    from sklearn.pipeline import Pipeline

    return Pipeline([("rbm", BernoulliRBM(**RBM, random_state=seed)),
                     ("logistic", LogisticRegression(C=C, **LOGISTIC))])


def rbm_comparison(seeds=(0, 1, 2), Cs=RBM_CS):
    """Test accuracies of logistic regression on the raw pixels and on the RBM's features, for
    every C and split: {"raw": (len(Cs), len(seeds)), "rbm": same, "rbms": [fitted RBM per seed]}.
    The RBM is fitted once per split (as ``rbm_pipeline(C, seed)`` fits it, whatever C is)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import BernoulliRBM

    raw, feat, rbms = np.zeros((len(Cs), len(seeds))), np.zeros((len(Cs), len(seeds))), []
    with one_thread():
        for j, seed in enumerate(seeds):
            x_train, x_test, y_train, y_test = digits_split(seed)
            rbm = BernoulliRBM(**RBM, random_state=seed).fit(x_train)
            h_train, h_test = rbm.transform(x_train), rbm.transform(x_test)
            rbms.append(rbm)
            for i, C in enumerate(Cs):
                raw[i, j] = LogisticRegression(C=C, **LOGISTIC).fit(x_train, y_train).score(x_test, y_test)
                feat[i, j] = LogisticRegression(C=C, **LOGISTIC).fit(h_train, y_train).score(h_test, y_test)
    return {"raw": raw, "rbm": feat, "rbms": rbms}


# --- Transfer: a hidden layer learned on digits 0-4, reused for 5-9 ----------------------

TRANSFER = {"hidden": 64, "source_epochs": 30, "target_epochs": 200, "learning_rate": 0.01}
TRANSFER_METHODS = ("frozen", "fine-tuned", "from scratch")


@functools.lru_cache(maxsize=1)
def source_network():
    """A 64-64-5 ReLU network trained on every image of the digits 0-4 (Adam, 30 epochs)."""
    x, y = digits01()
    low = y < 5
    network = training.mlp([64, TRANSFER["hidden"], 5], activation="relu", seed=0)
    with one_thread():
        training.fit(network, x[low], y[low], loss="softmax_cross_entropy",
                     optimizer=optim.Adam(TRANSFER["learning_rate"]), epochs=TRANSFER["source_epochs"],
                     batch_size=32, seed=0)
    return network


def hidden_features(network, x):
    """What the first layer (Dense then ReLU) of ``network`` makes of the images x."""
    dense = network.layers[0]
    return np.maximum(0.0, x @ dense.params["W"] + dense.params["b"])


def _fit_small(network, x, y, seed):
    training.fit(network, x, y, loss="softmax_cross_entropy", optimizer=optim.Adam(TRANSFER["learning_rate"]),
                 epochs=TRANSFER["target_epochs"], seed=seed)       # the full batch: few images


def transfer_experiment(per_class=(2, 5, 20), seeds=(0, 1, 2, 3, 4)):
    """Test accuracy on the digits 5-9 (every image not trained on) after training on
    ``per_class`` images of each: {method: (len(per_class), len(seeds))}, the methods being a new
    output layer on the source's frozen hidden layer, the whole source-started network
    fine-tuned, and a 64-64-5 network from scratch."""
    x, y = digits01()
    x, y = x[y >= 5], y[y >= 5] - 5
    source = source_network()
    found = {method: np.zeros((len(per_class), len(seeds))) for method in TRANSFER_METHODS}
    with one_thread():
        for i, n in enumerate(per_class):
            n = as_count(n, "per_class")
            for j, seed in enumerate(seeds):
                rng = np.random.default_rng(seed)
                train = np.concatenate([rng.choice(np.flatnonzero(y == c), n, replace=False) for c in range(5)])
                test = np.setdiff1d(np.arange(len(y)), train)
                head = training.mlp([TRANSFER["hidden"], 5], seed=seed)
                _fit_small(head, hidden_features(source, x[train]), y[train], seed)
                tuned = training.mlp([64, TRANSFER["hidden"], 5], activation="relu", seed=seed)
                tuned.layers[0].params["W"][...] = source.layers[0].params["W"]
                tuned.layers[0].params["b"][...] = source.layers[0].params["b"]
                _fit_small(tuned, x[train], y[train], seed)
                scratch = training.mlp([64, TRANSFER["hidden"], 5], activation="relu", seed=seed)
                _fit_small(scratch, x[train], y[train], seed)
                outputs = (head.forward(hidden_features(source, x[test])), tuned.forward(x[test]),
                           scratch.forward(x[test]))
                for method, out in zip(TRANSFER_METHODS, outputs):
                    found[method][i, j] = np.mean(np.argmax(out, axis=1) == y[test])
    return found


# --- More data or a better model: accuracy against the training-set size -----------------

SIZE_MODELS = ("logistic regression", "network 64-64-10")
#: Updates per network run: the same number of steps whatever the training-set size.
SIZE_UPDATES = 2000


def size_curve(sizes=(50, 100, 200, 400, 800, 1437), seeds=(0, 1, 2, 3, 4)):
    """Test accuracy of both ``SIZE_MODELS`` trained on the first ``size`` images of each
    split's 1,437 training images: {model: (len(sizes), len(seeds))}."""
    from sklearn.linear_model import LogisticRegression

    found = {model: np.zeros((len(sizes), len(seeds))) for model in SIZE_MODELS}
    with one_thread():
        for j, seed in enumerate(seeds):
            x_train, x_test, y_train, y_test = digits_split(seed)
            for i, n in enumerate(sizes):
                n = as_count(n, "size")
                x, y = x_train[:n], y_train[:n]
                found[SIZE_MODELS[0]][i, j] = LogisticRegression(**LOGISTIC).fit(x, y).score(x_test, y_test)
                network = training.mlp([64, 64, 10], activation="relu", seed=seed)
                epochs = max(1, SIZE_UPDATES // -(-n // 32))
                training.fit(network, x, y, loss="softmax_cross_entropy", optimizer=optim.Adam(0.003),
                             epochs=epochs, batch_size=32, seed=seed)
                found[SIZE_MODELS[1]][i, j] = np.mean(np.argmax(network.forward(x_test), axis=1) == y_test)
    return found
