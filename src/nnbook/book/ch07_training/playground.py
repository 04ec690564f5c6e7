r"""Chapter 7's playground: TensorFlow Playground's experience, on nnbook's own library.

Choose a data set, its noise and label noise, the input features, the hidden layers, the
activation, the learning rate, the optimizer, L1 / L2, dropout and the batch size; watch the
decision surface, every hidden unit's own map, the network's weights and the loss and
accuracy curves while it trains. Everything trains with ``training.fit``.

Grouped by name stem (``playground``):

- ``PLAYGROUND_DEFAULTS``, ``PLAYGROUND_FEATURES``, ``PLAYGROUND_FEATURE_SETS``: the settings;
- ``playground_data``, ``playground_features``, ``playground_network``: the pieces of a run;
- ``PlaygroundRun`` and ``playground_run(**settings)``: the data, the network, its ``History``
  and a snapshot of its weights after every epoch (pure: settings in, a record out);
  ``playground_pair``: two runs in lockstep that differ in one setting (comparison mode);
- ``PlaygroundFigure``: the figure (a ``LiveFigure``); ``playground_caption``;
- ``playground_demo`` (the website's static view: layers, units and learning rate crossed,
  every other control moved alone) and ``playground_epochs_demo`` (a scrubber over the
  epochs of the default run);
- ``Playground`` and ``playground(X=None, y=None, **settings)``: the live widget, which
  trains in the background (start, pause, step, reset) and accepts your own 2-D data.
"""

import asyncio
import contextlib
import html
import math
import os
import time

import ipywidgets
import matplotlib as mpl
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from nnbook import data, optim, training
from nnbook._validate import as_count, as_number, as_positive_number
from nnbook.activations import ACTIVATIONS, sigmoid
from nnbook.layers import Activation, Dense, Sequential
from nnbook.plotting import CLASS_COLOURS, CLASS_MARKERS, PALETTE, fast_axes, level_segments
from nnbook.regularization import Dropout
from nnbook.widgets import VIEW_VARIABLE, Choice, Demo, LiveFigure, Slider

__all__ = [
    "PLAYGROUND_DEFAULTS", "PLAYGROUND_FEATURES", "PLAYGROUND_FEATURE_SETS", "PLAYGROUND_ACTIVATIONS",
    "playground_settings", "playground_data", "playground_features", "playground_network",
    "PlaygroundRun", "playground_run", "playground_pair", "PlaygroundFigure", "PlaygroundEpochsFigure",
    "playground_caption", "playground_epochs_caption", "playground_controls", "playground_demo",
    "playground_epochs_demo", "Playground", "playground",
]

# --- Settings ---------------------------------------------------------------------------------

#: The input features a network can be given: name -> (label on the figure, function of the
#: points X (N, 2)). The sines use sin(pi x): the plane spans about [-1.5, 1.5], so one
#: period fits across it (sin x would be nearly the line x there).
PLAYGROUND_FEATURES = {
    "x1": ("x₁", lambda X: X[:, 0]),
    "x2": ("x₂", lambda X: X[:, 1]),
    "x1²": ("x₁²", lambda X: X[:, 0] ** 2),
    "x2²": ("x₂²", lambda X: X[:, 1] ** 2),
    "x1·x2": ("x₁x₂", lambda X: X[:, 0] * X[:, 1]),
    "sin πx1": ("sin πx₁", lambda X: np.sin(np.pi * X[:, 0])),
    "sin πx2": ("sin πx₂", lambda X: np.sin(np.pi * X[:, 1])),
}

#: The feature sets of the drop-down (the live widget has a toggle per feature instead).
PLAYGROUND_FEATURE_SETS = {
    "x1, x2": ("x1", "x2"),
    "x1, x2, x1², x2²": ("x1", "x2", "x1²", "x2²"),
    "x1, x2, x1·x2": ("x1", "x2", "x1·x2"),
    "x1, x2, sin πx1, sin πx2": ("x1", "x2", "sin πx1", "sin πx2"),
    "all seven": tuple(PLAYGROUND_FEATURES),
}

#: The hidden units' activations offered (a "linear" one joins if the library defines it).
PLAYGROUND_ACTIVATIONS = tuple(name for name in ("tanh", "relu", "sigmoid", "linear") if name in ACTIVATIONS)

#: Every setting of a run and its default: the data (200 points of circles, half of them to
#: train on), the features, the network (2 hidden layers of 4 tanh units) and its training
#: (plain SGD at 0.3, batches of 10, 50 epochs: about 0.05-0.1 s). ``seed`` fixes everything
#: random: the data (seed), the label flips (seed + 1), the split (seed + 2), the initial
#: weights (seed + 3), the shuffling (seed + 4) and the dropout masks (seed + 5).
PLAYGROUND_DEFAULTS = {
    "dataset": "circles",
    "noise": 0.1,
    "label_noise": 0.0,
    "train_share": 0.5,
    "features": "x1, x2",
    "hidden_layers": 2,
    "units": 4,
    "activation": "tanh",
    "learning_rate": 0.3,
    "optimizer": "sgd",
    "l1": 0.0,
    "l2": 0.0,
    "dropout": 0.0,
    "batch_size": 10,
    "epochs": 50,
    "n": 200,
    "seed": 0,
}

#: The loss: binary cross-entropy of the output score (the network has no output activation).
PLAYGROUND_LOSS = "binary_cross_entropy_from_logits"
#: The settings that only change what is shown, not the run.
_DISPLAY = ("show_test", "boundary")
#: Resolution of the decision surface and of each small map (points per side).
SURFACE_RESOLUTION, MAP_RESOLUTION = 61, 25


def _feature_names(features):
    """A tuple of feature names from a key of PLAYGROUND_FEATURE_SETS or a list of names."""
    if isinstance(features, str):
        if features in PLAYGROUND_FEATURE_SETS:
            return PLAYGROUND_FEATURE_SETS[features]
        if features in PLAYGROUND_FEATURES:
            return (features,)
        raise ValueError(f"features must be one of {list(PLAYGROUND_FEATURE_SETS)} or a list of names "
                         f"from {list(PLAYGROUND_FEATURES)}; got {features!r}")
    try:
        names = tuple(features)
    except TypeError:
        raise ValueError(f"features must be a feature set such as 'x1, x2' or a list of names from "
                         f"{list(PLAYGROUND_FEATURES)}; got {features!r}") from None
    unknown = [name for name in names if name not in PLAYGROUND_FEATURES]
    if unknown or not names or len(set(names)) != len(names):
        raise ValueError(f"features must name at least one of {list(PLAYGROUND_FEATURES)}, each once; "
                         f"got {list(names)}")
    return names


def _share(value, name, low, high):
    value = as_number(value, name)
    if not low <= value <= high:
        raise ValueError(f"{name} must be in [{low:g}, {high:g}]; got {value!r}")
    return value


def playground_settings(**overrides):
    """The defaults (``PLAYGROUND_DEFAULTS``) updated by ``overrides``, each checked.

    Raises a ValueError naming the setting for an unknown name or a value out of range.
    """
    unknown = set(overrides) - set(PLAYGROUND_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown playground setting(s) {sorted(unknown)}; the settings are "
                         f"{list(PLAYGROUND_DEFAULTS)}")
    s = {**PLAYGROUND_DEFAULTS, **overrides}
    if s["dataset"] not in data.PLAYGROUND:
        raise ValueError(f"dataset must be one of {list(data.PLAYGROUND)}; got {s['dataset']!r}")
    s["noise"] = _share(s["noise"], "noise", 0.0, 2.0)
    s["label_noise"] = _share(s["label_noise"], "label_noise", 0.0, 0.5)
    s["train_share"] = _share(s["train_share"], "train_share", 0.1, 0.9)
    s["features"] = s["features"] if isinstance(s["features"], str) else _feature_names(s["features"])
    _feature_names(s["features"])
    s["hidden_layers"] = as_count(s["hidden_layers"], "hidden_layers", minimum=0)
    s["units"] = as_count(s["units"], "units")
    if s["activation"] not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {PLAYGROUND_ACTIVATIONS} (or {sorted(ACTIVATIONS)}); "
                         f"got {s['activation']!r}")
    s["learning_rate"] = as_positive_number(s["learning_rate"], "learning_rate", 0.3)
    if str(s["optimizer"]).lower() not in optim.OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {list(optim.OPTIMIZERS)}; got {s['optimizer']!r}")
    s["optimizer"] = str(s["optimizer"]).lower()
    for name in ("l1", "l2"):
        s[name] = _share(s[name], name, 0.0, math.inf)
    s["dropout"] = as_number(s["dropout"], "dropout")
    if not 0.0 <= s["dropout"] < 1.0:
        raise ValueError(f"dropout must be in [0, 1) (the share of hidden units switched off); got {s['dropout']!r}")
    s["batch_size"] = as_count(s["batch_size"], "batch_size")
    s["epochs"] = as_count(s["epochs"], "epochs", minimum=0)
    s["n"] = as_count(s["n"], "n", minimum=10)
    s["seed"] = as_count(s["seed"], "seed", minimum=0)
    return s


# --- The pieces of a run ------------------------------------------------------------------------


def _own_data(X, y):
    """A learner's 2-D data checked: X (N, 2) finite numbers, y (N,) of 0 and 1, both classes."""
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("X must be numbers: an array of shape (N, 2), one row (x1, x2) per point") from None
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2): one row (x1, x2) per point; got shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or inf: every point needs two finite coordinates")
    if y is None:
        raise ValueError("give the labels too: playground(X, y) with y of shape (N,), 0 or 1 per point")
    try:
        y = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("y must be class labels 0 and 1, one per row of X") from None
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.shape != (len(X),):
        raise ValueError(f"y must have shape ({len(X)},): one label per row of X; got shape {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold the class labels 0 and 1 only; got the values {np.unique(y)[:6].tolist()}")
    counts = [int(np.sum(y == c)) for c in (0, 1)]
    if min(counts) < 2:
        raise ValueError(f"the playground needs at least 2 points of each class (some to train on, some "
                         f"to test on); got {counts[0]} of class 0 and {counts[1]} of class 1")
    return X, y


def playground_data(dataset="circles", *, noise=0.1, label_noise=0.0, train_share=0.5, n=200, seed=0,
                    X=None, y=None):
    """The playground's training and test points: ((X_train, y_train), (X_test, y_test)).

    X (N, 2), y (N,) of 0/1. The points are ``n`` of ``data.PLAYGROUND[dataset]`` with
    ``noise`` (or your own X, y: then dataset, noise and n are not used), split at random,
    stratified, into a training share and a test share (seed + 2); then a share
    ``label_noise`` of the TRAINING labels is flipped (seed + 1): the test labels stay
    true, so the test accuracy tells how well the network learned the real pattern.
    """
    if X is None:
        X, y = data.PLAYGROUND[dataset](int(n), noise=float(noise), seed=int(seed))
    else:
        X, y = _own_data(X, y)
    train, _, test = training.split(X, y, validation=0.0, test=round(1.0 - float(train_share), 12),
                                    seed=int(seed) + 2)
    y_train = data.flip_labels(train[1], float(label_noise), seed=int(seed) + 1) if label_noise else train[1]
    return (train[0], y_train), test


def playground_features(X, features="x1, x2"):
    """The input features of points X (N, 2) as the columns of an array (N, k).

    features: a key of ``PLAYGROUND_FEATURE_SETS`` ("x1, x2") or a list of names of
    ``PLAYGROUND_FEATURES`` (["x1", "x1²"]).
    """
    names = _feature_names(features)
    X = np.asarray(X, dtype=np.float64)
    return np.column_stack([PLAYGROUND_FEATURES[name][1](X) for name in names])


def playground_network(n_features, hidden_layers=2, units=4, activation="tanh", dropout=0.0, seed=0):
    """The playground's network: ``training.mlp`` with ``hidden_layers`` layers of ``units``,
    one output score (no output activation: the loss takes the score), and, when
    ``dropout`` > 0, a ``Dropout(dropout)`` after each hidden layer (one stream of masks, seeded
    by ``seed`` + 2). The weights are drawn from ``seed``."""
    network = training.mlp([n_features] + [units] * hidden_layers + [1], activation=activation, seed=seed)
    if not dropout or not hidden_layers:
        return network
    masks = np.random.default_rng(seed + 2)
    layers = []
    for layer in network.layers:
        layers.append(layer)
        if isinstance(layer, Activation):
            layers.append(Dropout(dropout, seed=masks))
    return Sequential(layers)


def _extend(history, chunk):
    """Append one call of ``fit``'s History to the run's History."""
    history.loss += chunk.loss
    history.val_loss += chunk.val_loss
    for name, values in chunk.metrics.items():
        history.metrics.setdefault(name, []).extend(values)
    history.learning_rate += chunk.learning_rate
    history.steps += chunk.steps
    history.seconds += chunk.seconds
    history.status, history.reason = chunk.status, chunk.reason


class PlaygroundRun:
    """One network of the playground: its data, its training so far, and snapshots.

    Made untrained by ``PlaygroundRun(X=None, y=None, **settings)`` (``playground_settings``),
    trained by ``train(epochs)``, which calls ``training.fit`` and continues where the last
    call stopped (the same optimizer object and the same shuffling Generator), so ten calls
    of 5 epochs train exactly as one call of 50.

    settings: the complete settings; X_train, y_train, X_test, y_test: the points (N, 2) and
    labels (N,); features: the feature names; network, optimizer; history: the
    ``training.History`` of every epoch so far (loss, val_loss = the test loss, metrics
    "accuracy" and "val_accuracy"; status "finished" or "diverged"); snapshots: the flat
    weights before training and after each epoch (None if ``snapshots=False``).
    """

    def __init__(self, X=None, y=None, *, snapshots=True, **settings):
        self.settings = playground_settings(**settings)
        s = self.settings
        self.own_data = X is not None
        (self.X_train, self.y_train), (self.X_test, self.y_test) = playground_data(
            s["dataset"], noise=s["noise"], label_noise=s["label_noise"], train_share=s["train_share"],
            n=s["n"], seed=s["seed"], X=X, y=y)
        self.features = _feature_names(s["features"])
        self.F_train = playground_features(self.X_train, self.features)
        self.F_test = playground_features(self.X_test, self.features)
        self.network = playground_network(len(self.features), s["hidden_layers"], s["units"], s["activation"],
                                          s["dropout"], seed=s["seed"] + 3)
        self.optimizer = optim.get_optimizer(s["optimizer"], learning_rate=s["learning_rate"])
        self.rng = np.random.default_rng(s["seed"] + 4)
        self.history = training.History(reason="not trained yet")
        self.snapshots = [self.network.flat_params.copy()] if snapshots else None
        points = np.concatenate([self.X_train, self.X_test])
        low, high = points.min(axis=0), points.max(axis=0)
        pad = 0.1 * np.maximum(high - low, 1e-3)
        #: The square of the plane drawn: (x1 min, x1 max, x2 min, x2 max).
        self.box = (low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1])

    @property
    def epoch(self):
        """The number of epochs trained (a diverged epoch is not counted: it was undone)."""
        return len(self.history.loss)

    @property
    def diverged(self):
        return self.history.status == "diverged"

    def train(self, epochs):
        """Train ``epochs`` more epochs with ``training.fit`` (nothing once the run diverged); self."""
        epochs = as_count(epochs, "epochs", minimum=0)
        if epochs == 0 or self.diverged:
            return self
        s = self.settings
        keep = None
        if self.snapshots is not None:
            def keep(epoch, network, history):
                self.snapshots.append(network.flat_params.copy())
        chunk = training.fit(self.network, self.F_train, self.y_train[:, None], loss=PLAYGROUND_LOSS,
                             optimizer=self.optimizer, epochs=epochs, batch_size=s["batch_size"], seed=self.rng,
                             validation=(self.F_test, self.y_test[:, None]), metrics=["accuracy"],
                             l1=s["l1"], l2=s["l2"], callback=keep)
        _extend(self.history, chunk)
        return self

    @contextlib.contextmanager
    def weights_at(self, epoch=None):
        """Inside the ``with``: the network with its weights after ``epoch`` (None: now), in
        inference mode (dropout off); afterwards, as it was."""
        flat = self.network.flat_params
        saved = None
        if epoch is not None and int(epoch) != self.epoch:
            if self.snapshots is None or not 0 <= int(epoch) < len(self.snapshots):
                raise ValueError(f"this run has no weights for epoch {epoch}: it keeps "
                                 f"{0 if self.snapshots is None else len(self.snapshots)} snapshots")
            saved = flat.copy()
            flat[...] = self.snapshots[int(epoch)]
        self.network.eval()
        try:
            yield self.network
        finally:
            self.network.train()
            if saved is not None:
                flat[...] = saved

    def hidden_outputs(self, X, epoch=None):
        """Every hidden unit's output for points X (M, 2): a list, one (M, units) per layer."""
        with self.weights_at(epoch) as network, np.errstate(all="ignore"):
            steps = network.trace(playground_features(X, self.features))
        return [np.nan_to_num(out, posinf=1e300, neginf=-1e300) for layer, out in steps
                if isinstance(layer, Activation)]

    def probability(self, X, epoch=None):
        """The network's probability of class 1 for points X (M, 2): (M,)."""
        with self.weights_at(epoch) as network, np.errstate(all="ignore"):
            scores = network.forward(playground_features(X, self.features))[:, 0]
        return sigmoid(np.nan_to_num(scores, posinf=1e300, neginf=-1e300))

    def dead_units(self, epoch=None):
        """For each hidden layer, which units are dead: a bool array (units,), True for a unit
        whose output is 0 for every training point (a ReLU whose input is negative for all of
        them: no gradient reaches its weights, so it stays dead)."""
        return [np.all(out == 0, axis=0) for out in self.hidden_outputs(self.X_train, epoch)]

    def weights(self, epoch=None):
        """The weight matrices W (n_in, n_out) of the Dense layers after ``epoch``, copied."""
        with self.weights_at(epoch) as network:
            return [layer.params["W"].copy() for layer in network.layers if isinstance(layer, Dense)]

    def code(self):
        """The library calls that rebuild this network and train it to where it is now."""
        s = self.settings
        opt = optim.OPTIMIZERS[s["optimizer"]].__name__
        sizes = [len(self.features)] + [s["units"]] * s["hidden_layers"] + [1]
        lines = ["import numpy as np", "from nnbook import optim, training"]
        if s["dropout"] and s["hidden_layers"]:
            lines.append("from nnbook.layers import Sequential")
            lines.append("from nnbook.regularization import Dropout")
        lines.append("from nnbook.book import ch07_training as ch")
        lines.append("")
        common = f"label_noise={s['label_noise']!r}, train_share={s['train_share']!r}, seed={s['seed']}"
        if self.own_data:
            lines.append("# X (N, 2) and y (N,): your data")
            lines.append(f"(X_train, y_train), (X_test, y_test) = ch.playground_data(X=X, y=y, {common})")
        else:
            lines.append(f"(X_train, y_train), (X_test, y_test) = ch.playground_data({s['dataset']!r}, "
                         f"noise={s['noise']!r}, {common}, n={s['n']})")
        lines.append(f"F_train = ch.playground_features(X_train, {list(self.features)!r})")
        lines.append(f"F_test = ch.playground_features(X_test, {list(self.features)!r})")
        lines.append(f"network = training.mlp({sizes}, activation={s['activation']!r}, seed={s['seed'] + 3})")
        if s["dropout"] and s["hidden_layers"]:
            lines.append(f"masks = np.random.default_rng({s['seed'] + 5})   # one stream for every Dropout")
            parts = []
            for index, layer in enumerate(layer for layer in self.network.layers if not isinstance(layer, Dropout)):
                parts.append(f"network.layers[{index}]")
                if isinstance(layer, Activation):
                    parts.append(f"Dropout({s['dropout']!r}, seed=masks)")
            lines.append(f"network = Sequential([{', '.join(parts)}])")
        penalties = "".join(f", {name}={s[name]!r}" for name in ("l1", "l2") if s[name])
        lines.append(f"history = training.fit(network, F_train, y_train[:, None], loss={PLAYGROUND_LOSS!r},")
        lines.append(f"                       optimizer=optim.{opt}(learning_rate={s['learning_rate']!r}), "
                     f"epochs={self.epoch}, batch_size={s['batch_size']},")
        lines.append(f"                       seed=np.random.default_rng({s['seed'] + 4}), "
                     f"validation=(F_test, y_test[:, None]),")
        lines.append(f"                       metrics=['accuracy']{penalties})")
        return "\n".join(lines)

    def __repr__(self):
        return f"PlaygroundRun(epoch={self.epoch}, status={self.history.status!r}, {_describe(self.settings)})"


def playground_run(X=None, y=None, **settings):
    """Train a playground network for ``settings["epochs"]`` epochs: a ``PlaygroundRun``
    with its data, network, History and a snapshot of the weights after every epoch.

    Pure: the same settings give the same run. X, y: your own points (N, 2) and labels (N,)
    of 0/1 instead of a data set. The default run takes about 0.05-0.1 s.
    """
    run = PlaygroundRun(X, y, **settings)
    return run.train(run.settings["epochs"])


def playground_pair(name, value, *, X=None, y=None, chunk=5, **settings):
    """The comparison mode: two runs on the same data with the same seeds, the second with
    setting ``name`` changed to ``value``, trained in lockstep (``chunk`` epochs each in turn)
    for ``settings["epochs"]`` epochs. Returns (run_a, run_b)."""
    comparable = [key for key in PLAYGROUND_DEFAULTS if key not in ("seed", "epochs", "n")]
    if name not in comparable:
        raise ValueError(f"compare one of the settings {comparable}; got {name!r}")
    a = PlaygroundRun(X, y, **settings)
    b = PlaygroundRun(X, y, **{**settings, name: value})
    left = a.settings["epochs"]
    while left > 0:
        step = min(chunk, left)
        a.train(step)
        b.train(step)
        left -= step
    return a, b


_RUNS = {}
_RUNS_KEPT = 64


def _run_key(settings):
    s = playground_settings(**settings)
    s["features"] = _feature_names(s["features"])
    return tuple(sorted(s.items()))


def _cached_run(**settings):
    """``playground_run`` for the demos: a frame's figure and caption share one run."""
    key = _run_key(settings)
    run = _RUNS.pop(key, None)
    if run is None:
        run = playground_run(**dict(key))
    _RUNS[key] = run          # most recent last
    while len(_RUNS) > _RUNS_KEPT:
        _RUNS.pop(next(iter(_RUNS)))
    return run


# --- Figures ------------------------------------------------------------------------------------

#: Class 0 blue, class 1 orange, white in between: probabilities, unit outputs and weights.
_CMAP = mpl.colors.LinearSegmentedColormap.from_list("nnbook_playground",
                                                     [CLASS_COLOURS[1], "#FFFFFF", CLASS_COLOURS[0]])
_DEAD = np.array([200, 200, 200, 255], dtype=np.uint8)
_CROSS = np.array([90, 90, 90, 255], dtype=np.uint8)
_NAMES = {"sgd": "SGD", "momentum": "momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
          "rmsprop": "RMSprop", "adam": "Adam", "amsgrad": "AMSGrad", "adamw": "AdamW"}


def _describe(s, sep="; "):
    """The settings in a few words: the data and features, then the network and its training."""
    features = s["features"] if isinstance(s["features"], str) else ", ".join(s["features"])
    net = (f"{s['hidden_layers']} hidden layer{'s' * (s['hidden_layers'] != 1)} of {s['units']} {s['activation']} units"
           if s["hidden_layers"] else f"no hidden layer (units per layer {s['units']}: unused)")
    extra = "".join(f", {label} {s[key]:g}" for key, label in (("l1", "L1"), ("l2", "L2"), ("dropout", "dropout"))
                    if s[key])
    return (f"{s['dataset']} (noise {s['noise']:g}, label noise {s['label_noise']:g}, training share "
            f"{s['train_share']:.0%}), features {features}{sep}{net}, {_NAMES.get(s['optimizer'], s['optimizer'])} "
            f"at learning rate {s['learning_rate']:.3g}, batch size {s['batch_size']}{extra}")


def _layout(sizes, width_px, height_px):
    """Where each unit of a network with layer ``sizes`` (features first) sits in the network
    panel (axes fraction): x per column, the y of each unit per column, and the tile's half
    width and half height (axes fraction) and side (pixels)."""
    columns = len(sizes)
    rows = max(max(sizes), 1)
    x = 0.1 + 0.82 * np.arange(columns) / max(columns - 1, 1)
    pitch = min(0.76 / rows, 0.24)
    side = int(max(4, min(0.8 * pitch * height_px, 0.6 * 0.82 / max(columns - 1, 1) * width_px)))
    ys = [0.5 + pitch * ((size - 1) / 2 - np.arange(size)) for size in sizes]
    return x, ys, side / width_px / 2, side / height_px / 2, side


def _tile(values, side, dead=False):
    """An RGBA tile (side, side, 4) of a map with values in [-1, 1] (rows: x2 from low to high)."""
    index = np.arange(side) * values.shape[0] // side
    rgba = _CMAP(0.5 + 0.5 * np.clip(values[np.ix_(index, index)], -1, 1), bytes=True)
    if dead:
        rgba[...] = _DEAD
        k = np.arange(side)
        for offset in (-1, 0, 1):
            j = np.clip(k + offset, 0, side - 1)
            rgba[k, j] = _CROSS
            rgba[k, side - 1 - j] = _CROSS
    rgba[[0, -1], :] = rgba[:, [0, -1]] = (60, 60, 60, 255)   # a thin frame
    return rgba


def _unit_scale(values, activation):
    """A hidden layer's outputs (R, R, units) on the [-1, 1] scale of the small maps."""
    if activation == "sigmoid":
        return 2 * values - 1
    if activation == "tanh":
        return values
    peak = np.max(np.abs(values), axis=(0, 1), keepdims=True)
    return np.divide(values, peak, out=np.zeros_like(values), where=peak > 0)


class PlaygroundFigure(LiveFigure):
    """The playground: the network (top; each input, hidden unit and the output drawn as a
    small map of its value over the plane, a dead ReLU unit grey with a cross, weights as lines
    whose colour is the sign and width the size), the decision surface with the training
    points, on a toggle the test points (bottom left), and the training and test loss and
    accuracy per epoch (bottom right). Settings: those of ``playground_run``, plus
    ``show_test``, ``boundary`` (the 0.5 line) and ``epoch`` (None: the last).

    ``PlaygroundFigure(run=run)`` draws a run made elsewhere (your data, a live run), and
    ``show(run, compare=other)`` redraws it in place, with a second run's curves dashed.
    """

    WIDTH, HEIGHT = 7.8, 7.4

    def draw(self, **settings):
        fig = Figure(figsize=(self.WIDTH, self.HEIGHT))
        self.suptitle = fig.text(0.5, 0.99, " ", ha="center", va="top", fontsize=12, weight="bold")
        self.subtitle = fig.text(0.5, 0.958, " ", ha="center", va="top", fontsize=8.5, color="#333333")
        # The network: one RGBA image of every small map, the weights under it, labels over it.
        ax = self.ax_net = fig.add_axes([0.01, 0.525, 0.98, 0.355])
        ax.set_axis_off()
        ax.set(xlim=(0, 1), ylim=(0, 1))
        # The image has a pixel per pixel of the axes at the figure's dpi: no resampling.
        self.net_px = (int(round(0.98 * self.WIDTH * fig.dpi)), int(round(0.355 * self.HEIGHT * fig.dpi)))
        self.weights = LineCollection([], zorder=1, capstyle="round")
        ax.add_collection(self.weights)
        self.mosaic = ax.imshow(np.zeros((2, 2, 4), np.uint8), extent=(0, 1, 0, 1), origin="lower", aspect="auto",
                                interpolation="none", zorder=2)
        self.feature_labels = [ax.text(0, 0, "", ha="right", va="center", fontsize=8.5, zorder=3)
                               for _ in PLAYGROUND_FEATURES]
        self.column_labels = [ax.text(0, 0.965, "", ha="center", va="top", fontsize=8.5, zorder=3) for _ in range(9)]
        self.net_note = ax.text(0.99, 0.0, "", ha="right", va="bottom", fontsize=8.5, zorder=3)
        key = ax.text(0.01, 0.0, "weights: orange +, blue −, width = size\nmaps: blue low, orange high",
                      ha="left", va="bottom", fontsize=8, color="#333333", zorder=3)
        # The decision surface.
        ax = self.ax_surface = fig.add_axes([0.085, 0.06, 0.40, 0.40])
        self.surface = ax.imshow(np.full((2, 2), 0.5), origin="lower", aspect="auto", cmap=_CMAP, vmin=0, vmax=1,
                                 interpolation="bilinear", alpha=0.7, zorder=0.5, extent=(0, 1, 0, 1))
        ax.set(xlim=(0, 1), ylim=(0, 1))
        self.boundary = LineCollection([], colors=PALETTE["black"], linewidths=1.3, zorder=1)
        ax.add_collection(self.boundary)
        self.points = {}
        for part in ("train", "test"):
            for cls in (0, 1):
                colour, marker = CLASS_COLOURS[1 - cls], CLASS_MARKERS[1 - cls]
                style = (dict(c=colour, edgecolors="black", linewidths=0.5) if part == "train" else
                         dict(facecolors="white", edgecolors=colour, linewidths=1.4))
                self.points[part, cls] = ax.scatter(np.empty(0), np.empty(0), s=20, marker=marker, zorder=3, **style)
        ax.grid(False)
        ax.set(xticks=[], yticks=[])   # the plane's box follows the data; ticks would cost every redraw
        ax.set_xlabel("x₁", labelpad=2)
        ax.set_ylabel("x₂", labelpad=8, rotation=0, va="center")
        ax.set_title("P(class 1): training points filled, test hollow", fontsize=9.5)
        self.status = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=9.5,
                              zorder=5, color=PALETTE["vermillion"], weight="bold",
                              bbox=dict(boxstyle="round", fc="white", ec=PALETTE["vermillion"], alpha=0.92))
        # The curves: loss and accuracy per epoch, training solid and test dashed... per colour.
        self.ax_loss = fig.add_axes([0.6, 0.29, 0.37, 0.17])
        self.ax_accuracy = fig.add_axes([0.6, 0.06, 0.37, 0.17], sharex=self.ax_loss)
        self.curves = {}
        for ax, name in ((self.ax_loss, "loss"), (self.ax_accuracy, "accuracy")):
            for part, colour in (("train", PALETTE["blue"]), ("test", PALETTE["vermillion"])):
                for run, style in (("a", "-"), ("b", "--")):
                    self.curves[name, part, run], = ax.plot([], [], style, color=colour, lw=1.5,
                                                            label=f"{'training' if part == 'train' else 'test'}"
                                                            if run == "a" else None)
            fast_axes(ax, title_y=1.0)
            ax.set_ylabel(name)
            ax.yaxis.set_label_coords(-0.16, 0.5)
        self.ax_loss.tick_params(labelbottom=False)
        self.ax_accuracy.set_xlabel("epoch")
        self.ax_accuracy.xaxis.set_label_coords(0.5, -0.2)
        self.ax_accuracy.set_ylim(0, 1.03)
        self.ax_accuracy.yaxis.set_major_locator(mpl.ticker.FixedLocator([0, 0.5, 1]))
        legend = self.ax_loss.legend(loc="upper right", fontsize=8, ncol=2)
        self.fixed = [key, legend]
        self.dynamic = [self.weights, self.mosaic, *self.feature_labels, *self.column_labels, self.net_note,
                        self.surface, self.boundary, *self.points.values(), self.status, *self.curves.values(),
                        self.ax_loss.xaxis, self.ax_loss.yaxis, self.ax_accuracy.xaxis,
                        self.suptitle, self.subtitle]
        return fig

    def update(self, run=None, epoch=None, show_test=False, boundary=True, **settings):
        if run is None:
            run = _cached_run(**settings)
            epochs = run.settings["epochs"]
        else:
            epochs = None
        self.show(run, epoch=epoch, show_test=show_test, boundary=boundary, epochs=epochs)

    def show(self, run, *, epoch=None, compare=None, show_test=False, boundary=True, epochs=None):
        """Redraw for ``run`` after ``epoch`` (None: its last), with the dashed curves of
        ``compare`` (another run, or None); the epoch axis reaches ``epochs`` (None: the run's)."""
        epoch = run.epoch if epoch is None else min(int(epoch), run.epoch)
        self._show_network(run, epoch)
        self._show_surface(run, epoch, bool(show_test), bool(boundary))
        self._show_curves(run, epoch, compare, epochs)
        self._show_titles(run, epoch, compare)

    def _show_surface(self, run, epoch, show_test, boundary):
        # The axes show the run's box as the unit square (it has no ticks): the image, the
        # boundary and the points are placed in box fractions, so the limits never change.
        x0, x1, y0, y1 = run.box
        xs, ys = np.linspace(x0, x1, SURFACE_RESOLUTION), np.linspace(y0, y1, SURFACE_RESOLUTION)
        gx, gy = np.meshgrid(xs, ys)
        p = run.probability(np.column_stack([gx.ravel(), gy.ravel()]), epoch).reshape(gx.shape)
        self.surface.set_data(p)
        unit = np.linspace(0, 1, SURFACE_RESOLUTION)
        self.boundary.set_segments(level_segments(unit, unit, p, 0.5) if boundary else [])
        low, size = np.array([x0, y0]), np.array([x1 - x0, y1 - y0])
        for part, X, y in (("train", run.X_train, run.y_train), ("test", run.X_test, run.y_test)):
            for cls in (0, 1):
                shown = X[y == cls] if part == "train" or show_test else np.empty((0, 2))
                self.points[part, cls].set_offsets((shown - low) / size)
        if run.diverged and epoch == run.epoch:
            self.status.set_text(f"Diverged in epoch {run.epoch + 1}: paused.\nTry a learning rate smaller "
                                 f"than {run.settings['learning_rate']:.3g}.\n(Shown: the weights before it.)")
        else:
            self.status.set_text("")
        self.status.set_visible(bool(self.status.get_text()))

    def _show_network(self, run, epoch):
        s = run.settings
        sizes = [len(run.features)] + [s["units"]] * s["hidden_layers"] + [1]
        width, height = self.net_px
        x, ys, half_w, half_h, side = _layout(sizes, width, height)
        x0, x1, y0, y1 = run.box
        gx, gy = np.meshgrid(np.linspace(x0, x1, MAP_RESOLUTION), np.linspace(y0, y1, MAP_RESOLUTION))
        grid = np.column_stack([gx.ravel(), gy.ravel()])
        shape = (MAP_RESOLUTION, MAP_RESOLUTION)
        inputs = playground_features(grid, run.features)
        peak = np.max(np.abs(inputs), axis=0)
        maps = [[(v / p if p > 0 else v).reshape(shape) for v, p in zip(inputs.T, peak)]]
        hidden = run.hidden_outputs(grid, epoch)
        dead = run.dead_units(epoch)
        deads = [np.zeros(len(run.features), bool)]
        for out, gone in zip(hidden, dead):
            scaled = _unit_scale(out.reshape(*shape, -1), s["activation"])
            maps.append([scaled[..., k] for k in range(scaled.shape[-1])])
            deads.append(gone)
        maps.append([2 * run.probability(grid, epoch).reshape(shape) - 1])
        deads.append(np.zeros(1, bool))
        image = np.zeros((height, width, 4), np.uint8)
        for column, (units, gone) in enumerate(zip(maps, deads)):
            for unit, values in enumerate(units):
                left = min(max(int(round(x[column] * width)) - side // 2, 0), width - side)
                bottom = min(max(int(round(ys[column][unit] * height)) - side // 2, 0), height - side)
                image[bottom:bottom + side, left:left + side] = _tile(values, side, bool(gone[unit]))
        self.mosaic.set_data(image)
        # The weights: a line from each unit to each unit of the next column.
        segments, values = [], []
        for column, W in enumerate(run.weights(epoch)):
            a = np.stack(np.broadcast_arrays(x[column] + half_w, ys[column][:, None]), axis=-1)
            b = np.stack(np.broadcast_arrays(x[column + 1] - half_w, ys[column + 1][None, :]), axis=-1)
            a, b = np.broadcast_arrays(a, b)
            segments.append(np.stack([a, b], axis=2).reshape(-1, 2, 2))
            values.append(W.ravel())
        segments, values = np.concatenate(segments), np.nan_to_num(np.concatenate(values))
        size = np.minimum(np.abs(values) / 2.0, 1.0)
        colours = np.where(values[:, None] > 0, mpl.colors.to_rgba_array(CLASS_COLOURS[0]),
                           mpl.colors.to_rgba_array(CLASS_COLOURS[1]))
        colours[:, 3] = 0.25 + 0.75 * size
        self.weights.set_segments(segments)
        self.weights.set_color(colours)
        self.weights.set_linewidth(np.where(np.abs(values) < 1e-3, 0.0, 0.3 + 3.2 * size))
        # Labels: the features, each column, and the dead units.
        for k, label in enumerate(self.feature_labels):
            if k < len(run.features):
                label.set_text(PLAYGROUND_FEATURES[run.features[k]][0])
                label.set_position((x[0] - half_w - 0.006, ys[0][k]))
            else:
                label.set_text("")
        titles = ["inputs"] + [f"layer {k + 1}" for k in range(s["hidden_layers"])] + ["output"]
        for k, label in enumerate(self.column_labels):
            label.set_text(titles[k] if k < len(titles) else "")
            label.set_x(x[k] if k < len(titles) else 0)
        n_dead = int(sum(np.sum(gone) for gone in dead))
        units = s["hidden_layers"] * s["units"]
        self.net_note.set_text(f"{n_dead} of {units} hidden units dead (grey ×)" if n_dead else
                               f"{units} hidden {s['activation']} units, {run.network.n_params} weights and biases")

    def _show_curves(self, run, epoch, compare, epochs):
        top = 0.75
        for key, source in (("a", run), ("b", compare)):
            h = source.history if source is not None else None
            shown = epoch if key == "a" else (source.epoch if source is not None else 0)
            series = {} if h is None else {
                ("loss", "train"): h.loss, ("loss", "test"): h.val_loss,
                ("accuracy", "train"): h.metrics.get("accuracy", []),
                ("accuracy", "test"): h.metrics.get("val_accuracy", [])}
            for (name, part), values in series.items():
                values = np.nan_to_num(np.asarray(values[:shown], dtype=float), nan=1e6, posinf=1e6)
                self.curves[name, part, key].set_data(np.arange(1, len(values) + 1), values)
                if name == "loss" and len(values) and np.isfinite(values).any():
                    top = max(top, float(np.nanmax(values[np.isfinite(values)])))
            if h is None:
                for name in ("loss", "accuracy"):
                    for part in ("train", "test"):
                        self.curves[name, part, key].set_data([], [])
        right = max(epochs or 0, run.epoch, compare.epoch if compare is not None else 0, 10)
        for ax in (self.ax_loss, self.ax_accuracy):
            ax.set_xlim(0, right)
        self.ax_loss.set_ylim(0, 1.08 * min(top, 1e6))

    def _show_titles(self, run, epoch, compare):
        h = run.history
        if epoch == 0:
            head = "Epoch 0: the untrained network"
        else:
            k = epoch - 1
            head = (f"Epoch {epoch}: test accuracy {h.metrics['val_accuracy'][k]:.0%} (training "
                    f"{h.metrics['accuracy'][k]:.0%}), test loss {h.val_loss[k]:.3f}")
        if run.diverged and epoch == run.epoch:
            head = f"Epoch {epoch}: diverged in the next epoch, paused"
        self.suptitle.set_text(head)
        sub = _describe(run.settings, sep="\n") if not run.own_data else \
            "your data, " + _describe(run.settings, sep="\n").split("), ", 1)[1]
        if compare is not None:
            changed = [k for k in run.settings if run.settings[k] != compare.settings[k]]
            what = ", ".join(f"{k} = {compare.settings[k]!r}" for k in changed) or "the same settings"
            result = (f"diverged in epoch {compare.epoch + 1}" if compare.diverged else
                      f"test accuracy {compare.history.metrics['val_accuracy'][-1]:.0%}" if compare.epoch else
                      "not trained yet")
            sub += f"\nDashed curves: the same with {what}: {result}"
        self.subtitle.set_text(sub)


def playground_caption(show_test=False, boundary=True, epoch=None, **settings):
    """A frame's caption: what the playground shows for these settings, in words."""
    run = _cached_run(**settings)
    s = run.settings
    epoch = run.epoch if epoch is None else min(int(epoch), run.epoch)
    start = _describe(s)
    start = start[0].upper() + start[1:]
    if run.diverged and epoch == run.epoch:
        return (f"{start}: the run diverged in epoch {run.epoch + 1} and was paused; a smaller learning rate "
                f"would train.")
    if epoch == 0:
        return f"{start}: the untrained network, before its first epoch."
    k = epoch - 1
    test, train = run.history.metrics["val_accuracy"][k], run.history.metrics["accuracy"][k]
    dead = int(sum(np.sum(gone) for gone in run.dead_units(epoch)))
    how = ("it has learned the pattern" if test >= 0.95 else "it fits the training points better than the "
           "test points: overfitting" if train - test > 0.1 else "it has not learned the pattern yet"
           if test < 0.8 else "it has mostly learned the pattern")
    return (f"{start}: after {epoch} epochs the test accuracy is {test:.0%} (training {train:.0%}); {how}"
            + (f"; {dead} hidden units are dead" if dead else "") + ".")


class PlaygroundEpochsFigure(PlaygroundFigure):
    """The playground's default run after ``epoch`` epochs (its snapshots): a scrubber."""

    def update(self, epoch=PLAYGROUND_DEFAULTS["epochs"], **settings):
        super().update(epoch=epoch)


def playground_epochs_caption(epoch):
    """A scrubber frame's caption."""
    return playground_caption(epoch=epoch)


# --- Demos --------------------------------------------------------------------------------------


def playground_controls():
    """The playground's controls: {setting: Slider or Choice}, at the defaults."""
    d = PLAYGROUND_DEFAULTS
    return {
        "dataset": Choice(tuple(data.PLAYGROUND), d["dataset"], description="data"),
        "noise": Slider(0.0, 0.5, d["noise"], step=0.1, description="noise"),
        "label_noise": Slider(0.0, 0.4, d["label_noise"], step=0.1, description="label noise"),
        "train_share": Slider(0.1, 0.9, d["train_share"], step=0.1, description="training share"),
        "features": Choice(tuple(PLAYGROUND_FEATURE_SETS), d["features"], description="features"),
        "hidden_layers": Slider(0, 6, d["hidden_layers"], step=1, description="hidden layers"),
        "units": Slider(1, 16, d["units"], step=1, description="units per layer"),
        "activation": Choice(PLAYGROUND_ACTIVATIONS, d["activation"], description="activation"),
        "learning_rate": Slider(0.001, 10.0, d["learning_rate"], step=0.01, log=True, description="learning rate"),
        "optimizer": Choice(tuple(optim.OPTIMIZERS), d["optimizer"], description="optimizer"),
        "l1": Choice((0.0, 0.001, 0.003, 0.01, 0.03, 0.1), d["l1"], description="L1"),
        "l2": Choice((0.0, 0.001, 0.003, 0.01, 0.03, 0.1), d["l2"], description="L2"),
        "dropout": Slider(0.0, 0.5, d["dropout"], step=0.1, description="dropout"),
        "batch_size": Choice((1, 5, 10, 25, 50, 100), d["batch_size"], description="batch size"),
        "show_test": Choice((False, True), False, description="test points"),
        "boundary": Choice((True, False), True, description="boundary"),
    }


def playground_demo():
    """Chapter 7's playground as a Demo: on the website, hidden layers, units per layer and
    learning rate crossed (18 frames), every other control moved alone from the defaults
    (16 frames); live, every control (``playground()`` is the live widget that trains)."""
    grid = {"hidden_layers": [0, 2, 4], "units": [2, 4], "learning_rate": [0.03, 0.3, 3.0]}
    vary = {
        "dataset": list(data.PLAYGROUND),
        "noise": [0.1, 0.4],
        "label_noise": [0.0, 0.2],
        "train_share": [0.2, 0.5],
        "features": ["x1, x2", "x1, x2, x1², x2²"],
        "activation": ["tanh", "relu"],
        "optimizer": ["sgd", "adam"],
        "l1": [0.0, 0.01],
        "l2": [0.0, 0.01],
        "dropout": [0.0, 0.3],
        "batch_size": [10, 100],
        "show_test": [False, True],
        "boundary": [True, False],
    }
    return Demo(PlaygroundFigure, playground_controls(), grid=grid, vary=vary, caption=playground_caption,
                training=True,
                alt="Top: a network drawn as small maps, one per input feature, hidden unit and the output, "
                    "each coloured blue (low) to orange (high) over the plane, joined by lines whose colour "
                    "is the weight's sign and width its size. Bottom left: the decision surface, blue for "
                    "class 0 and orange for class 1, with the boundary and the points. Bottom right: training "
                    "and test loss and accuracy against epochs.")


def playground_epochs_demo():
    """The default run of the playground, epoch by epoch: a scrubber (50 epochs, snapshots)."""
    total = PLAYGROUND_DEFAULTS["epochs"]
    controls = {"epoch": Slider(0, total, total, step=5, description="epoch")}
    return Demo(PlaygroundEpochsFigure, controls, grid={"epoch": [0, 5, 10, 20, total]},
                caption=playground_epochs_caption, training=True,
                alt="The playground's default network (circles, two hidden layers of four tanh units) after "
                    "a chosen number of epochs: its units' maps, the decision surface and the curves so far.")


# --- The live playground ------------------------------------------------------------------------


def _event_loop():
    """The running event loop (a kernel's), else the thread's current one."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.get_event_loop_policy().get_event_loop()


class Playground(ipywidgets.VBox):
    """The live playground (JupyterLab, Binder): controls, start / pause / one step / reset,
    the figure, a status line, the code that reproduces the network, a comparison mode.

    Training runs in chunks of a few epochs in an asyncio task on the kernel's event loop,
    with a redraw after each chunk and ``await asyncio.sleep(0)`` between chunks, so a moved
    control is answered while it trains. A chunk lasts about ``CHUNK_SECONDS``. Changing a
    setting of the run starts a new run (epoch 0) with it, still training if it was; the two
    display toggles only redraw. A run that diverges pauses and says so.
    """

    CHUNK_SECONDS = 0.1
    MAX_CHUNK = 25
    MAX_EPOCHS = 5000

    def __init__(self, X=None, y=None, *, compare=None, **settings):
        if X is not None or y is not None:
            X, y = _own_data(X, y)
        self.X, self.y = X, y
        display = {name: settings.pop(name) for name in _DISPLAY if name in settings}
        settings = playground_settings(**settings)
        self.fixed_settings = {name: settings[name] for name in ("n", "seed", "epochs")}
        specs = playground_controls()
        self.specs = specs
        self.controls = {}
        for name, spec in specs.items():
            if name == "features":
                continue
            control = spec.make(name)
            value = display.get(name, settings.get(name, spec.value))
            if isinstance(spec, Slider) and not spec.min <= value <= spec.max:
                raise ValueError(f"the live playground's {name} slider goes from {spec.min:g} to {spec.max:g}; got "
                                 f"{value!r} (playground_run(...) trains any value)")
            if isinstance(control, ipywidgets.Dropdown) and value not in control.options:
                control.options = (*control.options, value)
            control.value = value
            self.controls[name] = control
        if X is not None:
            for name in ("dataset", "noise"):
                self.controls[name].disabled = True
        chosen = _feature_names(settings["features"])
        self.feature_toggles = {name: ipywidgets.ToggleButton(value=name in chosen, description=label,
                                                              layout={"width": "70px"})
                                for name, (label, _) in PLAYGROUND_FEATURES.items()}
        self.buttons = {name: ipywidgets.Button(description=label, layout={"width": "90px"})
                        for name, label in (("start", "▶ start"), ("pause", "⏸ pause"), ("step", "⏭ step"),
                                            ("reset", "↺ reset"))}
        comparable = [name for name in specs if name not in _DISPLAY]
        self.compare_name = ipywidgets.Dropdown(
            options=[("off", "")] + [(specs[n].description or n, n) for n in comparable], value="",
            description="compare")
        self.compare_box = ipywidgets.HBox([])
        self.compare_value = None
        self.image = ipywidgets.Image(format="png")
        self.status = ipywidgets.HTML()
        self.code_box = ipywidgets.HTML()
        self.running = False
        self._task = None
        self._chunk = 1
        self.runs = []
        rows = [ipywidgets.HBox(list(self.buttons.values()) + [self.status]),
                ipywidgets.HBox([self.controls[n] for n in ("dataset", "noise", "label_noise", "train_share")],
                                layout={"flex_flow": "row wrap"}),
                ipywidgets.HBox([ipywidgets.Label("features")] + list(self.feature_toggles.values()),
                                layout={"flex_flow": "row wrap"}),
                ipywidgets.HBox([self.controls[n] for n in ("hidden_layers", "units", "activation", "learning_rate",
                                                            "optimizer", "batch_size", "l1", "l2", "dropout")],
                                layout={"flex_flow": "row wrap"}),
                ipywidgets.HBox([self.controls["show_test"], self.controls["boundary"], self.compare_name,
                                 self.compare_box], layout={"flex_flow": "row wrap"}),
                self.image, self.code_box]
        super().__init__(rows)
        for name, control in self.controls.items():
            control.observe(self._redraw_only if name in _DISPLAY else self._setting_changed, names="value")
        for toggle in self.feature_toggles.values():
            toggle.observe(self._features_changed, names="value")
        self.compare_name.observe(self._compare_changed, names="value")
        for name, button in self.buttons.items():
            button.on_click(getattr(self, f"_on_{name}"))
        self.figure = None
        if compare is not None:
            name, value = compare
            self.compare_name.value = name
            self.compare_value.value = value
        else:
            self.reset()

    # -- settings ----------------------------------------------------------------------------

    @property
    def settings(self):
        """The run's settings as the controls show them (features as a tuple of names)."""
        values = {name: control.value for name, control in self.controls.items() if name not in _DISPLAY}
        values["features"] = tuple(name for name, toggle in self.feature_toggles.items() if toggle.value)
        return {**values, **self.fixed_settings}

    @property
    def compare_settings(self):
        """The second run's settings in comparison mode, or None."""
        if not self.compare_name.value or self.compare_value is None:
            return None
        return {**self.settings, self.compare_name.value: self.compare_value.value}

    def _setting_changed(self, change=None):
        self.reset(keep_running=True)

    def _redraw_only(self, change=None):
        self.redraw()

    def _features_changed(self, change):
        if not any(toggle.value for toggle in self.feature_toggles.values()):
            change.owner.value = True     # at least one input: put it back (this calls us again)
            return
        self.reset(keep_running=True)

    def _compare_changed(self, change=None):
        name = self.compare_name.value
        if self.compare_value is not None:
            self.compare_value.unobserve(self._setting_changed, names="value")
        if not name:
            self.compare_value = None
            self.compare_box.children = ()
        else:
            spec = self.specs[name]
            current = self.settings[name] if name != "features" else PLAYGROUND_DEFAULTS["features"]
            values = spec.values()
            other = next(v for v in (values[-1], values[0], *values) if v != current)
            widget = spec.make(name)
            widget.description = f"{spec.description or name} (dashed)"
            widget.value = other
            widget.observe(self._setting_changed, names="value")
            self.compare_value = widget
            self.compare_box.children = (widget,)
        self.reset(keep_running=True)

    # -- the buttons -------------------------------------------------------------------------

    def _on_start(self, button=None):
        self.start()

    def _on_pause(self, button=None):
        self.pause()

    def _on_step(self, button=None):
        self.step()

    def _on_reset(self, button=None):
        self.reset()

    def start(self):
        """Train in the background (an asyncio task on the kernel's event loop) until paused."""
        if not self.runs:
            return
        if any(run.diverged for run in self.runs):
            self._say("The run diverged: press reset (or change a setting), with a smaller learning rate.")
            return
        self.running = True
        if self._task is None:      # one task at most: a paused task not yet ended just goes on
            self._task = asyncio.ensure_future(self._train_loop(), loop=_event_loop())
        self._say_state()

    def pause(self):
        """Stop after the chunk being trained (at once if none is)."""
        self.running = False
        self._say_state()

    def step(self):
        """Pause, then train one epoch and redraw."""
        self.pause()
        self.train(1)

    def reset(self, keep_running=False):
        """New, untrained runs with the controls' settings; a running training task goes on
        with them if ``keep_running`` (a moved control), else it pauses (the reset button)."""
        if not keep_running:
            self.running = False
        try:
            runs = [PlaygroundRun(self.X, self.y, snapshots=False, **self.settings)]
            if self.compare_settings is not None:
                runs.append(PlaygroundRun(self.X, self.y, snapshots=False, **self.compare_settings))
        except ValueError as error:
            self.running = False
            self._say(f"Cannot build this run: {html.escape(str(error))}")
            return
        self.runs = runs
        self._chunk = 1
        self.redraw()

    def train(self, epochs):
        """Train every run ``epochs`` epochs in lockstep (no asyncio), then redraw; pause on divergence."""
        start = time.perf_counter()
        for run in self.runs:
            run.train(epochs)
        seconds = (time.perf_counter() - start) / max(epochs, 1)
        self._chunk = int(np.clip(self.CHUNK_SECONDS / max(seconds, 1e-6), 1, self.MAX_CHUNK))
        if any(run.diverged for run in self.runs) or self.runs[0].epoch >= self.MAX_EPOCHS:
            self.running = False
        self.redraw()

    async def _train_loop(self):
        try:
            while self.running:
                self.train(self._chunk)
                await asyncio.sleep(0)   # let the kernel answer a moved control or a button
        except Exception as error:       # a task's error would otherwise vanish unseen
            self.running = False
            self._say(f"Training stopped: {html.escape(str(error))}")
        finally:
            self._task = None

    # -- drawing -----------------------------------------------------------------------------

    def redraw(self):
        """Show the runs: the figure, the status line, the code."""
        if not self.runs:
            return
        run = self.runs[0]
        compare = self.runs[1] if len(self.runs) > 1 else None
        display = {name: self.controls[name].value for name in _DISPLAY}
        if self.figure is None:
            self.figure = PlaygroundFigure(run=run, **display)
        self.figure.show(run, compare=compare, **display)
        self.image.value = self.figure.png()
        self.code_box.value = ("<details><summary>The library calls that rebuild this network</summary><pre>"
                               f"{html.escape(run.code())}</pre></details>")
        self._say_state()

    def _say_state(self):
        if not self.runs:
            return
        diverged = [run for run in self.runs if run.diverged]
        run = self.runs[0]
        if diverged:
            which = "" if len(self.runs) == 1 else (" (the solid run)" if diverged[0] is run else " (the dashed run)")
            rate = diverged[0].settings["learning_rate"]
            cause = diverged[0].history.reason.split(":")[0]
            self._say(f"<b>Diverged{which}</b>: {html.escape(cause)}; the weights shown are those before that "
                      f"epoch. Paused: try a learning rate smaller than {rate:.3g}, then reset.")
        elif run.epoch >= self.MAX_EPOCHS:
            self._say(f"Paused after {run.epoch} epochs (the most the playground trains).")
        else:
            self._say(f"Epoch {run.epoch}: {'training' if self.running else 'paused'}.")

    def _say(self, text):
        self.status.value = text


def playground(X=None, y=None, **settings):
    """The playground: live in a kernel, the static preview on the website.

    X (N, 2), y (N,) of 0/1: your own data (two classes in the plane) instead of a data set.
    settings: any of ``PLAYGROUND_DEFAULTS`` (and ``show_test``, ``boundary``) as the start;
    ``compare=(name, value)`` starts in comparison mode.

    Live (JupyterLab, Binder): a ``Playground`` widget that trains while you watch. On the
    website and in the committed notebooks (``NNBOOK_DEMO_VIEW`` = "static" or "light") there
    is no kernel to train, so it returns the static view (``playground_demo()``) or, for your
    data, the figure of a run of ``epochs`` epochs.
    """
    if X is not None or y is not None:
        X, y = _own_data(X, y)
    if os.environ.get(VIEW_VARIABLE) in ("static", "light"):
        display = {name: settings.pop(name) for name in _DISPLAY if name in settings}
        settings.pop("compare", None)
        if X is None and not settings and not display:
            return playground_demo()
        return PlaygroundFigure.plot(run=playground_run(X, y, **settings), **display)
    return Playground(X, y, **settings)


DEMOS = {"playground": playground_demo, "playground_epochs": playground_epochs_demo}
