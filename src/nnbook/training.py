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

import sys
import time
from dataclasses import dataclass, field

import numpy as np

from nnbook._validate import as_array, as_count, as_positive_number, as_rng
from nnbook.layers import Activation, Dense, Sequential
from nnbook.losses import get_loss, get_loss_gradient

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


def mlp(sizes, activation="tanh", output=None, init=None, seed=None):
    """A fully connected network with layer sizes ``sizes`` (inputs first), randomly initialised.

    activation: the hidden layers' activation; output: an activation name for the output
    layer, or None for raw scores (logits). init: "glorot", "he" (default for ReLU) or "normal".
    seed: None (fresh random weights), an int (the same network every time) or a Generator.
    """
    sizes = [as_count(s, f"sizes[{k}]") for k, s in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"mlp needs the input size and at least one layer; got {sizes}")
    if init is None:
        init = "he" if activation == "relu" else "glorot"
    rng = as_rng(seed)
    layers = []
    for k, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers.append(Dense(n_in, n_out, init=init, seed=rng))
        last = k == len(sizes) - 2
        if not last:
            layers.append(Activation(activation))
        elif output is not None:
            layers.append(Activation(output))
    return Sequential(layers)


def _loss_pair(loss):
    if isinstance(loss, tuple):
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
    object with ``step(params, grads)`` (then ``learning_rate`` is the optimizer's own).
    """
    if optimizer is None:
        learning_rate = as_positive_number(learning_rate, "learning_rate")
    else:
        _check_optimizer(optimizer, network)
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


def _check_optimizer(optimizer, network):
    if not callable(getattr(optimizer, "step", None)):
        raise ValueError("optimizer must be None (plain gradient descent) or an object with a "
                         f"step(params, grads) method, such as nnbook.optim.SGD; got {optimizer!r}")
    if not callable(getattr(network, "parameters", None)):
        raise ValueError("an optimizer needs network.parameters() (a Sequential) to find the "
                         f"arrays to update; got {type(network).__name__}")


@dataclass
class History:
    """What ``fit`` measured: the mean training loss per epoch and the seconds it took."""
    loss: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def epochs(self):
        return len(self.loss)


class _Progress:
    """A one-line progress display that appears only once a run has lasted a second."""

    def __init__(self, epochs, enabled):
        self.epochs, self.enabled = epochs, enabled
        self.start = time.perf_counter()
        self.last = None

    def show(self, epoch, loss):
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.start < 1.0 or (self.last is not None and now - self.last < 0.25):
            return
        self.last = now
        sys.stdout.write(f"\repoch {epoch}/{self.epochs}  loss {loss:.4g}")
        sys.stdout.flush()

    def close(self):
        if self.last is not None:
            sys.stdout.write("\n")


def fit(network, x, y, *, loss="mean_squared_error", learning_rate=None, epochs=100,
        batch_size=None, seed=None, verbose=False, callback=None, optimizer=None):
    """Train ``network`` by mini-batch gradient descent; return a ``History``.

    x: (N, ...) inputs, y: (N, ...) targets, N >= 1, finite numbers.
    learning_rate: the step of plain gradient descent (0.1 if not given); with an
    ``optimizer`` leave it out: the optimizer has its own.
    epochs: a positive integer; batch_size: a positive integer, or None for the full batch
    (a size above N is the full batch too); seed: the shuffling of the examples each epoch
    (None: fresh, an int: reproducible; the full batch is not shuffled);
    verbose: show a progress line (only if the run lasts longer than a second);
    callback: called as callback(epoch, network) after every epoch (e.g. for snapshots);
    optimizer: None, or an object with ``step(params, grads)`` (``nnbook.optim``), called
    after every backward with dicts {name: array} built from ``network.parameters()``.
    """
    x = as_array(x, "x")
    y = as_array(y, "y")
    if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
        raise ValueError(f"fit expects as many targets as inputs (one row each); got x of shape "
                         f"{x.shape} and y of shape {y.shape}")
    n = len(x)
    if optimizer is None:
        learning_rate = as_positive_number(0.1 if learning_rate is None else learning_rate,
                                           "learning_rate")
    else:
        _check_optimizer(optimizer, network)
        if learning_rate is not None:
            raise ValueError("fit got both an optimizer and a learning_rate: give the learning "
                             "rate to the optimizer (e.g. Adam(learning_rate=0.01))")
    epochs = as_count(epochs, "epochs")
    batch_size = n if batch_size is None else as_count(batch_size, "batch_size")
    pair = _loss_pair(loss)
    rng = as_rng(seed)
    history = History()
    progress = _Progress(epochs, verbose)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n) if batch_size < n else np.arange(n)
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            total += _step(network, x[batch], y[batch], pair, learning_rate,
                           optimizer=optimizer) * len(batch)
        history.loss.append(total / n)
        progress.show(epoch, history.loss[-1])
        if callback is not None:
            callback(epoch, network)
    progress.close()
    history.seconds = time.perf_counter() - progress.start
    return history


def deep_network(depth, activation="sigmoid", width=32, n_in=8, seed=None):
    """``depth`` Dense layers of ``width`` units, each followed by ``activation``
    (Glorot initialisation for sigmoid and tanh, He for ReLU), for measuring gradients."""
    depth, width = as_count(depth, "depth"), as_count(width, "width")
    return mlp([n_in] + [width] * depth, activation=activation, output=activation, seed=seed)


def layer_gradient_norms(network, x, y, loss="half_squared_error"):
    """Run one forward and backward pass; return the norm of dL/dW for each Dense layer,
    first layer first: an array (number of Dense layers,) of finite numbers >= 0.

    A norm is exactly 0 when no gradient reaches that layer, as in a "dead" ReLU network
    whose units are all off for every example: then every norm is 0 (never NaN), and a
    ratio such as first / last is undefined, so check ``norms[-1] > 0`` before dividing.
    """
    loss_fn, gradient_fn = _loss_pair(loss)
    network.backward(gradient_fn(y, network.forward(x)))
    return np.array([np.linalg.norm(layer.grads["W"]) for layer in network.layers
                     if isinstance(layer, Dense)])


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
