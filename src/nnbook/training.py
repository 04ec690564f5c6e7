r"""Training a network with backpropagation: one step, and the loop around it.

One training step is the whole of chapter 5 in five lines:

    y_pred = network.forward(x)                       # forward
    cost = loss(y, y_pred)                            # how wrong
    network.backward(loss_gradient(y, y_pred))        # backward: fills every layer's grads
    for name, param, grad in network.parameters():
        param -= learning_rate * grad                 # update: gradient descent

``fit`` repeats it over shuffled batches for a number of epochs and returns the loss per
epoch. With ``optimizer=`` (for example one of ``nnbook.optim``) the update line becomes
``optimizer.step(params, grads)``, with the two dicts built from ``network.parameters()``.
``mlp`` builds a randomly initialised fully connected network.
"""

import math
import os
import time
from dataclasses import dataclass, field

import numpy as np

from nnbook._validate import _Edge, as_array, as_count, as_number, as_positive_number, as_rng
from nnbook.descent import DIVERGENCE_BOUND, Outcome, divergence
from nnbook.layers import Activation, Dense, Layer, Sequential
from nnbook.losses import (
    _FUSED,
    _LABEL_TARGETS,
    binary_cross_entropy_from_logits,
    get_loss,
    get_loss_gradient,
    softmax_cross_entropy,
)

#: The environment variable that picks a demo's view (``nnbook.widgets``): set on the website
#: ("static") and for the committed notebooks ("light"), unset in a live kernel.
VIEW_VARIABLE = "NNBOOK_DEMO_VIEW"

#: The classic worked example of chapter 5 (a 2-2-2 sigmoid network, one example).
WORKED_EXAMPLE = {
    "x": np.array([[0.05, 0.10]]),
    "y": np.array([[0.01, 0.99]]),
    # W[i, j] connects input i to unit j: w1 = i1->h1, w2 = i2->h1, w3 = i1->h2, w4 = i2->h2
    "W1": np.array([[0.15, 0.25], [0.20, 0.30]]), "b1": np.array([0.35, 0.35]),
    # w5 = h1->o1, w6 = h2->o1, w7 = h1->o2, w8 = h2->o2
    "W2": np.array([[0.40, 0.50], [0.45, 0.55]]), "b2": np.array([0.60, 0.60]),
    "learning_rate": 0.5,
}


def worked_example_network():
    """The 2-2-2 network of the worked example: Dense, sigmoid, Dense, sigmoid."""
    e = WORKED_EXAMPLE
    return Sequential([Dense.from_weights(e["W1"], e["b1"]), Activation("sigmoid"),
                       Dense.from_weights(e["W2"], e["b2"]), Activation("sigmoid")])


def mlp(sizes, activation="tanh", output=None, init=None, seed=None, dtype=np.float64):
    """A fully connected network with layer sizes ``sizes`` (inputs first), randomly initialised.

    activation: the hidden layers' activation; output: an activation name for the output
    layer, or None for raw scores (logits). init: "glorot", "he" (default for ReLU) or "normal".
    seed: None (fresh random weights), an int (the same network every time) or a Generator.
    dtype: float64 (default) or float32, for every layer (the weights are drawn in float64,
    then rounded, so a float32 network starts where the float64 one does).
    """
    sizes = [as_count(s, f"sizes[{k}]") for k, s in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"mlp needs the input size and at least one layer; got {sizes}")
    if init is None:
        init = "he" if activation == "relu" else "glorot"
    rng = as_rng(seed)
    layers = []
    for k, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers.append(Dense(n_in, n_out, init=init, seed=rng, dtype=dtype))
        last = k == len(sizes) - 2
        if not last:
            layers.append(Activation(activation))
        elif output is not None:
            layers.append(Activation(output))
    return Sequential(layers)


def _loss_pair(loss):
    if isinstance(loss, tuple):
        if len(loss) != 2 or not all(callable(f) for f in loss):
            raise ValueError("loss must be a name such as 'mean_squared_error', or a pair of "
                             f"functions (loss(y_true, y_pred), gradient(y_true, y_pred)); got {loss!r}")
        return loss
    return get_loss(loss), get_loss_gradient(loss)


def sgd_update(network, learning_rate, update_biases=True):
    """param -= learning_rate * grad for every parameter (biases too, unless told not to)."""
    for name, param, grad in network.parameters():
        if update_biases or not name.endswith(".b"):
            param -= learning_rate * grad


def train_step(network, x, y, loss="mean_squared_error", learning_rate=0.1, update_biases=True,
               *, optimizer=None):
    """Forward, loss, backward, update on one batch; returns the loss before the update.

    loss: a name from ``nnbook.losses.LOSSES`` with a known gradient, or a pair
    (loss(y_true, y_pred), gradient(y_true, y_pred)).
    optimizer: None for plain gradient descent with ``learning_rate`` (``sgd_update``), or an
    optimizer object with ``step(params, grads)`` (then ``learning_rate`` is the optimizer's own).
    """
    network = _as_network(network)
    if optimizer is None:
        learning_rate = as_positive_number(learning_rate, "learning_rate")
    else:
        optimizer = _as_optimizer(optimizer)
    return _step(network, x, y, _loss_pair(loss), learning_rate, update_biases, optimizer)


def _step(network, x, y, loss_pair, learning_rate, update_biases=True, optimizer=None):
    loss_fn, gradient_fn = loss_pair
    y_pred = network.forward(x)
    cost = loss_fn(y, y_pred)
    network.backward(gradient_fn(y, y_pred))
    if optimizer is None:
        sgd_update(network, learning_rate, update_biases)
    else:
        params, grads = {}, {}
        for name, param, grad in network.parameters():
            params[name], grads[name] = param, grad
        optimizer.step(params, grads)   # updates params in place
    return float(cost)


def _as_network(network):
    """A Sequential to train: a Sequential as it is, a single layer wrapped in one."""
    if isinstance(network, Sequential):
        return network
    if isinstance(network, Layer):
        if not network.params:
            raise ValueError(f"{network!r} has no parameters to train")
        return Sequential([network])
    raise ValueError("network must be a Sequential (e.g. training.mlp([2, 8, 1])) or a layer such "
                     f"as Dense(2, 1); got {type(network).__name__}")


def _as_optimizer(optimizer):
    """An optimizer object (something with ``step(params, grads)``), or a ValueError."""
    if isinstance(optimizer, str):
        from nnbook.optim import get_optimizer
        return get_optimizer(optimizer)
    if isinstance(optimizer, type):
        name = optimizer.__name__
        raise ValueError(f"optimizer={name} is the class; pass an optimizer object: "
                         f"optimizer={name}() or, with settings, {name}(learning_rate=0.01)")
    if not callable(getattr(optimizer, "step", None)):
        raise ValueError("optimizer must be None (plain gradient descent), a name such as "
                         "'adam', or an object with a step(params, grads) method, such as "
                         f"nnbook.optim.SGD(0.1); got {optimizer!r}")
    return optimizer


@dataclass
class History(Outcome):
    """What ``fit`` measured, epoch by epoch, and how the run ended.

    loss: the mean training loss of each epoch (the data's loss, without penalties; the
    mean over the epoch's mini-batches, each measured before its update);
    val_loss: the validation loss after each epoch (empty without ``validation``);
    metrics: {name: [value per epoch]}, e.g. "accuracy" and "val_accuracy";
    learning_rate: the learning rate of each epoch's first step (plain descent or an
    optimizer with a ``learning_rate``); steps: the number of updates made;
    status: "finished", "diverged" or "stopped" (``descent.STATUSES``); reason: why.
    """
    loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    learning_rate: list = field(default_factory=list)
    seconds: float = 0.0
    steps: int = 0
    status: str = "finished"
    reason: str = ""

    @property
    def epochs(self):
        """The number of epochs completed."""
        return len(self.loss)


def _progress_bar(epochs, verbose):
    """A tqdm bar over the epochs, shown once a run has lasted a second; None when silent.

    On the website and in the committed notebooks (``NNBOOK_DEMO_VIEW`` set) a bar would be
    a frozen widget or stray text, so there is none; in a kernel it is a live widget, in a
    terminal a line that updates in place."""
    if not verbose or os.environ.get(VIEW_VARIABLE) in ("static", "light"):
        return None
    from tqdm.auto import tqdm
    return tqdm(total=epochs, unit="epoch", delay=1.0, leave=False)


def _accuracy_for(loss_fn):
    """The accuracy of raw outputs for a loss: argmax for several classes, a threshold for one."""
    threshold = 0.0 if loss_fn is binary_cross_entropy_from_logits else 0.5

    def accuracy(y, out):
        if out.ndim == 2 and out.shape[1] > 1:
            predicted = np.argmax(out, axis=1)
            truth = y if y.ndim == 1 else np.argmax(y, axis=1)
        else:
            predicted = (out.reshape(len(out)) > threshold)
            truth = y.reshape(len(y)) > 0.5
        return float(np.mean(predicted == truth))

    return accuracy


def _metric_functions(metrics, loss_fn):
    """{name: function(y_true, output) -> float} from names ("accuracy") and functions."""
    if isinstance(metrics, str) or callable(metrics):
        metrics = [metrics]
    functions = {}
    for metric in metrics:
        if metric == "accuracy":
            functions["accuracy"] = _accuracy_for(loss_fn)
        elif callable(metric):
            functions[getattr(metric, "__name__", "metric")] = metric
        else:
            raise ValueError(f"metrics must be 'accuracy' or functions f(y_true, output); got {metric!r}")
    return functions


def _targets_for(y, loss_fn, name):
    """Targets checked once: class labels as integers for a loss that takes labels (the
    softmax loss with y (N,), or a loss registered in ``losses._LABEL_TARGETS``), else floats."""
    y = as_array(y, name)
    takes_labels = (loss_fn is softmax_cross_entropy and y.ndim == 1) or loss_fn in _LABEL_TARGETS
    if takes_labels and np.array_equal(y, np.round(y)) and y.min() >= 0:
        return y.astype(np.intp)
    return y


def fit(network, x, y, *, loss="mean_squared_error", optimizer=None, learning_rate=None,
        epochs=100, batch_size=None, schedule=None, validation=None, metrics=(), l1=0.0, l2=0.0,
        clip_norm=None, callback=None, seed=None, verbose=False, bound=DIVERGENCE_BOUND):
    r"""Train ``network`` by mini-batch gradient descent; return its ``History``.

    network: a ``Sequential`` (or one layer); x: (N, ...) inputs, y: (N, ...) targets
    (class labels (N,) for the softmax loss), N >= 1, finite numbers. x is converted once to
    the network's dtype (float64 or float32), and the layers do not check it again.
    loss: a name from ``nnbook.losses.LOSSES`` with a known gradient, or a pair of functions.
    optimizer: None (plain gradient descent: $w \leftarrow w - \alpha g$ with
    ``learning_rate``, 0.1 if not given), a name ("adam"), or an optimizer object
    (``nnbook.optim``); with an optimizer leave ``learning_rate`` out: it has its own.
    epochs: a positive integer; batch_size: a positive integer, or None for the full batch
    (a size above N is the full batch too); seed: the shuffling of the examples each epoch
    (None: fresh, an int: reproducible; the full batch is not shuffled).
    schedule: None, or a function t -> the learning rate of update t (t = 0, 1, ..., as in
    ``optim.trajectory``; e.g. ``lambda t: optim.cosine(t, initial=0.1, total=1000)``).
    validation: None or (x_val, y_val): its loss (and metrics) after every epoch, with the
    network in inference mode (``network.eval()``: dropout off).
    metrics: names ("accuracy") or functions f(y_true, output) -> float, recorded per epoch
    for the training data (as "accuracy") and the validation data ("val_accuracy").
    l1, l2: the strength of an L1 or L2 penalty on the weights (not the biases), added to
    the loss's gradient (``nnbook.regularization``).
    clip_norm: None, or a positive number: before every update, a gradient whose global norm
    (over all the parameters) is larger is scaled down to that norm (``rnn.clip_by_global_norm``;
    recurrent networks need it, chapter 9).
    callback: called as callback(epoch, network, history) after every epoch; if it returns
    True the run stops ("stopped"); if it has a ``finish(network)`` method, that is called
    at the end (``regularization.EarlyStopping`` restores the best weights there).
    verbose: a progress bar (tqdm) for runs longer than a second.
    bound: the run stops as "diverged" when the loss or a gradient stops being finite, or a
    parameter's size passes ``bound``; the network is then put back as it was at the start
    of that epoch, and the history keeps only finite losses. No overflow warning escapes.
    """
    network = _as_network(network)
    if optimizer is None:
        learning_rate = as_positive_number(0.1 if learning_rate is None else learning_rate,
                                           "learning_rate")
    else:
        optimizer = _as_optimizer(optimizer)
        if learning_rate is not None:
            raise ValueError("fit got both an optimizer and a learning_rate: give the learning "
                             "rate to the optimizer (e.g. Adam(learning_rate=0.01))")
    if schedule is not None and not callable(schedule):
        raise ValueError("schedule must be None or a function t -> learning rate (e.g. lambda t: "
                         f"optim.cosine(t, initial=0.1, total=1000)); got {schedule!r}")
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be a function (epoch, network, history); got {callback!r}")
    epochs = as_count(epochs, "epochs")
    bound = as_positive_number(bound, "bound")
    if clip_norm is not None:
        clip_norm = as_positive_number(clip_norm, "clip_norm")
    penalty = {"l1": as_number(l1, "l1"), "l2": as_number(l2, "l2")}
    if min(penalty.values()) < 0:
        raise ValueError(f"l1 and l2 must not be negative; got l1={l1!r}, l2={l2!r}")
    loss_fn, gradient_fn = _loss_pair(loss)
    fused = _FUSED.get(loss_fn)
    x = network.check_input(x)
    y = _targets_for(y, loss_fn, "y")
    if y.ndim == 0 or len(x) != len(y):
        raise ValueError(f"fit expects as many targets as inputs (one row each); got x of shape "
                         f"{x.shape} and y of shape {y.shape}")
    n = len(x)
    batch_size = n if batch_size is None else min(as_count(batch_size, "batch_size"), n)
    if y.dtype.kind == "f" and network.dtype is not None:
        y = y.astype(network.dtype, copy=False)
    data = [("", x, y)]
    if validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
            raise ValueError(f"validation must be a pair (x_val, y_val); got {type(validation).__name__}")
        x_val = network.check_input(validation[0])
        y_val = _targets_for(validation[1], loss_fn, "validation y")
        if y_val.ndim == 0 or len(x_val) != len(y_val):
            raise ValueError(f"validation expects as many targets as inputs; got {x_val.shape} and "
                             f"{y_val.shape}")
        if y_val.dtype.kind == "f" and network.dtype is not None:
            y_val = y_val.astype(network.dtype, copy=False)
        data.append(("val_", x_val, y_val))
    # The targets, checked once against the network's output shape with the checked loss
    # (class labels: the loss checks the first example's shape, their range is checked here).
    for _, xs, ys in data:
        out_shape = network.output_shape(xs.shape[1:])
        checked = ys[:1] if ys.dtype.kind == "i" else ys
        loss_fn(checked, np.full((len(checked), *out_shape), 0.5, dtype=network.dtype or np.float64))
        if ys.dtype.kind == "i" and ys.max() >= out_shape[-1]:
            raise ValueError(f"class labels must lie in 0..{out_shape[-1] - 1} (the network has "
                             f"{out_shape[-1]} outputs); got {ys.max()}")
    if fused is None:
        def fused(y, out):
            return loss_fn(y, out), gradient_fn(y, out)
    metric_fns = _metric_functions(metrics, loss_fn)
    regularize = None
    if penalty["l1"] or penalty["l2"]:
        from nnbook.regularization import add_penalty_gradients
        regularize = add_penalty_gradients
    flat, flat_grads = network.flat_params, network.flat_grads
    if flat is None:
        raise ValueError(f"{network!r} has no parameters to train")
    scratch = np.empty_like(flat)
    packed_step = getattr(optimizer, "_packed_step", None)   # nnbook's optimizers (not a learner's own)
    params = {name: p for name, p, _ in network.parameters()}
    grads = {name: g for name, _, g in network.parameters()}
    rng = as_rng(seed)
    history = History()
    bar = _progress_bar(epochs, verbose)
    start_time = time.perf_counter()
    network.train()
    first_layer, first_input_grad = network.layers[0], network.layers[0].input_grad
    first_layer.input_grad = False                             # nothing needs dL/dx of the data
    checking, _Edge.checking = _Edge.checking, False     # checked above: trust the data now
    t = 0
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for epoch in range(1, epochs + 1):
                saved = flat.copy()
                # a new order each epoch; each batch gathers its rows (no shuffled copy of the data)
                order = rng.permutation(n) if batch_size < n else None
                total, problem = 0.0, None
                for first in range(0, n, batch_size):
                    if order is None:
                        xb, yb = x, y
                    else:
                        rows = order[first:first + batch_size]
                        xb, yb = x[rows], y[rows]
                    rate = learning_rate if schedule is None else schedule(t)
                    if first == 0:
                        history.learning_rate.append(
                            rate if optimizer is None or schedule is not None
                            else getattr(optimizer, "learning_rate", None))
                    out = network.forward(xb)
                    cost, grad = fused(yb, out)
                    if not math.isfinite(cost):
                        problem = f"the loss became {cost}"
                        break
                    network.backward(grad)
                    if regularize is not None:
                        regularize(network, **penalty)
                    squared_norm = float(np.vdot(flat_grads, flat_grads))
                    if not math.isfinite(squared_norm):
                        problem = "the gradient stopped being finite"
                        break
                    if clip_norm is not None and squared_norm > clip_norm * clip_norm:
                        flat_grads *= clip_norm / math.sqrt(squared_norm)
                    if optimizer is None:
                        np.multiply(flat_grads, rate, out=scratch)
                        flat -= scratch                      # w <- w - alpha g
                    else:
                        if schedule is not None:
                            optimizer.learning_rate = rate
                        # checked by step once per epoch; between, the gradient's sum of
                        # squares above was the check (the arrays are the same)
                        if first == 0 or packed_step is None or not packed_step():
                            optimizer.step(params, grads)
                    total += cost * len(xb)
                    t += 1
                if problem is None:
                    problem = divergence(flat, bound=bound) or None
                if problem is not None:
                    flat[...] = saved
                    history.status = "diverged"
                    history.reason = (f"{problem} in epoch {epoch} (update {t + 1}): the network "
                                      f"was put back as it was at the start of that epoch. Try a "
                                      f"smaller learning rate")
                    if history.learning_rate and len(history.learning_rate) > len(history.loss):
                        history.learning_rate.pop()
                    break
                history.loss.append(total / n)
                history.steps = t
                _record(history, network, metric_fns, data, fused, epoch == 1)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(loss=f"{history.loss[-1]:.4g}")
                if callback is not None and trusted_off(callback, epoch, network, history):
                    history.status = "stopped"
                    history.reason = f"the callback stopped the run after epoch {epoch}"
                    break
            else:
                history.reason = f"used all {epochs} epochs"
    finally:
        _Edge.checking = checking
        first_layer.input_grad = first_input_grad
        network.train()
        if bar is not None:
            bar.close()
    if callback is not None and callable(getattr(callback, "finish", None)):
        callback.finish(network)
    history.seconds = time.perf_counter() - start_time
    return history


def trusted_off(function, *args):
    """Call a learner's function with the checks on (it is not part of the checked loop)."""
    _Edge.checking = True
    try:
        return function(*args)
    finally:
        _Edge.checking = False


_controller = None


def one_thread():
    """A context in which numpy's BLAS uses one thread: ``with one_thread(): fit(...)``.

    The book's networks are small (a 32 x 64 by 64 x 64 product per step of chapter 9's
    recurrent network), and splitting each product over two threads gains little: on a busy
    2-core machine a training step of chapter 9's character model took a steady 6.5 ms on one
    thread and from 5 to 150 ms on two.
    """
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController  # installed with scikit-learn

        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def _record(history, network, metric_fns, data, fused, first):
    """After an epoch: the training metrics (on the whole training set, in inference mode,
    with the weights reached) and the validation loss and metrics."""
    if not metric_fns and len(data) == 1:
        return
    network.eval()
    for prefix, xs, ys in data:
        out = network.forward(xs)
        if prefix:
            history.val_loss.append(fused(ys, out)[0])
        for name, function in metric_fns.items():
            history.metrics.setdefault(prefix + name, []).append(float(function(ys, out)))
    network.train()


def split(x, y, *, validation=0.2, test=0.2, stratify=True, seed=None):
    """Split a data set into training, validation and test parts, at random (seeded).

    x: (N, ...), y: (N, ...); validation, test: the shares of the examples (each in [0, 1),
    together below 1; 0 gives an empty part). stratify: keep each class's share the same
    in every part (y must then be class labels (N,)): within each class the examples are
    shuffled and cut at the same shares (each part's count of a class is rounded to the
    nearest whole example). Returns ((x_train, y_train), (x_val, y_val), (x_test, y_test)),
    each in random order.
    """
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
        raise ValueError(f"split expects as many targets as inputs; got x of shape {x.shape} "
                         f"and y of shape {y.shape}")
    shares = []
    for name, share in (("validation", validation), ("test", test)):
        share = as_number(share, name)
        if not 0.0 <= share < 1.0:
            raise ValueError(f"{name} must be a share in [0, 1) (e.g. 0.2); got {share!r}")
        shares.append(share)
    if sum(shares) >= 1.0:
        raise ValueError(f"validation + test must leave examples to train on; got "
                         f"{shares[0]} + {shares[1]} >= 1")
    if not isinstance(stratify, bool):
        raise ValueError(f"stratify must be True or False; got {stratify!r}")
    rng = as_rng(seed)
    if stratify:
        if y.ndim != 1:
            raise ValueError(f"stratify=True needs class labels y of shape (N,); got {y.shape} "
                             "(pass stratify=False for other targets)")
        groups = [np.flatnonzero(y == label) for label in np.unique(y)]
    else:
        groups = [np.arange(len(y))]
    parts = [[], [], []]
    for group in groups:
        group = rng.permutation(group)
        n_val = int(round(shares[0] * len(group)))
        n_test = int(round(shares[1] * len(group)))
        n_val, n_test = min(n_val, len(group)), min(n_test, len(group) - n_val)
        parts[1].append(group[:n_val])
        parts[2].append(group[n_val:n_val + n_test])
        parts[0].append(group[n_val + n_test:])
    out = []
    for indices in parts:
        order = rng.permutation(np.concatenate(indices))
        out.append((x[order], y[order]))
    if len(out[0][0]) == 0:
        raise ValueError("the training part is empty: use smaller validation and test shares")
    return tuple(out)


class Standardizer:
    r"""Standardise each input feature: $x' = (x - \mu) / \sigma$, with $\mu$ and $\sigma$
    measured on the TRAINING data only and then applied, unchanged, to every other part.

    Fitting them on all the data (validation and test included) lets the test set leak into
    training: a mild leak, but the test score is then no longer a fair estimate (chapter 7).
    A feature that is constant in the training data keeps $\sigma = 1$ (it is only shifted).
    Equal to scikit-learn's ``StandardScaler`` (population standard deviation).

        scaler = Standardizer().fit(x_train)
        x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)
    """

    mean = None
    scale = None

    def fit(self, x):
        """Measure each feature's mean and standard deviation on x: (N, ...)."""
        x = as_array(x, "x")
        if x.ndim < 2:
            raise ValueError(f"Standardizer expects x of shape (N, D); got {x.shape}")
        self.mean = x.mean(axis=0)
        std = x.std(axis=0)
        self.scale = np.where(std > 0, std, 1.0).astype(x.dtype, copy=False)
        return self

    def transform(self, x):
        """(x - mean) / scale with the training data's mean and scale."""
        if self.mean is None:
            raise ValueError("fit the Standardizer on the training data first: Standardizer().fit(x_train)")
        x = as_array(x, "x")
        if x.shape[1:] != self.mean.shape:
            raise ValueError(f"this Standardizer was fitted on examples of shape {self.mean.shape}; "
                             f"got x of shape {x.shape}")
        return (x - self.mean) / self.scale

    def fit_transform(self, x):
        return self.fit(x).transform(x)


def deep_network(depth, activation="sigmoid", width=32, n_in=8, seed=None):
    """``depth`` Dense layers of ``width`` units, each followed by ``activation``
    (Glorot initialisation for sigmoid and tanh, He for ReLU), for measuring gradients."""
    depth, width = as_count(depth, "depth"), as_count(width, "width")
    return mlp([n_in] + [width] * depth, activation=activation, output=activation, seed=seed)


def layer_gradient_norms(network, x, y, loss="half_squared_error"):
    """Run one forward and backward pass; return the norm of the gradient of each layer's
    weights (every parameter but the biases: W for a Dense layer, all of a recurrent layer's
    weight matrices), first layer first: an array (number of layers with weights,) >= 0.

    A norm is exactly 0 when no gradient reaches that layer, as in a "dead" ReLU network
    whose units are all off for every example: then every norm is 0 (never NaN), and a
    ratio such as first / last is undefined, so check ``norms[-1] > 0`` before dividing.
    """
    loss_fn, gradient_fn = _loss_pair(loss)
    network.backward(gradient_fn(y, network.forward(x)))
    return np.array([np.sqrt(sum(np.sum(g * g) for g in weights))
                     for weights in _weight_gradients(network) if weights])


def _weight_gradients(network):
    """Per layer, the gradients of its weights: every parameter but the biases ("b...")."""
    return [[layer.grads[key] for key in layer.params if not key.startswith("b")]
            for layer in network.layers]


def vanishing_gradients(depth=10, activation="sigmoid", width=32, seed=None):
    """Gradient norm per layer of a deep network on random data (64 examples): an array
    (depth,), first layer first, from ``layer_gradient_norms`` (all zeros for a dead ReLU
    network, e.g. width 4 and depth 14 or more with seed 0; never NaN).

    seed: the network's weights and the data (None: fresh, an int: reproducible).
    """
    rng = as_rng(seed)   # the data; the network draws its weights from the same seed
    network = deep_network(depth, activation, width, seed=seed)
    x = rng.normal(size=(64, 8))
    y = rng.uniform(size=(64, width))
    return layer_gradient_norms(network, x, y)
