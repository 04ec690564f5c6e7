r"""Training a network with backpropagation: one step, and the loop around it.

One training step is the whole of chapter 5 in five lines:

    y_pred = network.forward(x)                       # forward
    cost = loss(y, y_pred)                            # how wrong
    network.backward(loss_gradient(y, y_pred))        # backward: fills every layer's grads
    for name, param, grad in network.parameters():
        param -= learning_rate * grad                 # update: gradient descent

``fit`` repeats it over shuffled batches for a number of epochs and returns the loss per
epoch. ``mlp`` builds a randomly initialised fully connected network.
"""

import sys
import time
from dataclasses import dataclass, field

import numpy as np

from nnbook.layers import Activation, Dense, Sequential
from nnbook.losses import get_loss, get_loss_gradient

#: XOR: the four inputs and their targets, shape (4, 2) and (4, 1).
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])

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


def mlp(sizes, activation="tanh", output=None, init=None, seed=0):
    """A fully connected network with layer sizes ``sizes`` (inputs first), randomly initialised.

    activation: the hidden layers' activation; output: an activation name for the output
    layer, or None for raw scores (logits). init: "glorot", "he" (default for ReLU) or "normal".
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2:
        raise ValueError(f"mlp needs the input size and at least one layer; got {sizes}")
    if init is None:
        init = "he" if activation == "relu" else "glorot"
    rng = np.random.default_rng(seed)
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


def train_step(network, x, y, loss="mean_squared_error", learning_rate=0.1, update_biases=True):
    """Forward, loss, backward, update on one batch; returns the loss before the update.

    loss: a name from ``nnbook.losses.LOSSES`` with a known gradient, or a pair
    (loss(y_true, y_pred), gradient(y_true, y_pred)).
    """
    loss_fn, gradient_fn = _loss_pair(loss)
    y_pred = network.forward(x)
    cost = loss_fn(y, y_pred)
    network.backward(gradient_fn(y, y_pred))
    sgd_update(network, learning_rate, update_biases)
    return float(cost)


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


def fit(network, x, y, *, loss="mean_squared_error", learning_rate=0.1, epochs=100,
        batch_size=None, seed=0, verbose=False, callback=None):
    """Train ``network`` by mini-batch gradient descent; return a ``History``.

    batch_size: None for the full batch; seed: the shuffling of the examples each epoch;
    verbose: show a progress line (only if the run lasts longer than a second);
    callback: called as callback(epoch, network) after every epoch (e.g. for snapshots).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(x) != len(y):
        raise ValueError(f"fit expects as many targets as inputs; got {len(x)} and {len(y)}")
    n = len(x)
    batch_size = n if batch_size is None else int(batch_size)
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer; got {batch_size}")
    pair = _loss_pair(loss)
    rng = np.random.default_rng(seed)
    history = History()
    progress = _Progress(epochs, verbose)
    for epoch in range(1, int(epochs) + 1):
        order = rng.permutation(n) if batch_size < n else np.arange(n)
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            total += train_step(network, x[batch], y[batch], pair, learning_rate) * len(batch)
        history.loss.append(total / n)
        progress.show(epoch, history.loss[-1])
        if callback is not None:
            callback(epoch, network)
    progress.close()
    history.seconds = time.perf_counter() - progress.start
    return history


def deep_network(depth, activation="sigmoid", width=32, n_in=8, seed=0):
    """``depth`` Dense layers of ``width`` units, each followed by ``activation``
    (Glorot initialisation for sigmoid and tanh, He for ReLU), for measuring gradients."""
    return mlp([n_in] + [width] * int(depth), activation=activation, output=activation, seed=seed)


def layer_gradient_norms(network, x, y, loss="half_squared_error"):
    """Run one forward and backward pass; return the norm of dL/dW for each Dense layer,
    first layer first."""
    loss_fn, gradient_fn = _loss_pair(loss)
    network.backward(gradient_fn(y, network.forward(x)))
    return np.array([np.linalg.norm(layer.grads["W"]) for layer in network.layers
                     if isinstance(layer, Dense)])


def vanishing_gradients(depth=10, activation="sigmoid", width=32, seed=0):
    """Gradient norm per layer of a deep network on random data (64 examples)."""
    rng = np.random.default_rng(seed)
    network = deep_network(depth, activation, width, seed=seed)
    x = rng.normal(size=(64, 8))
    y = rng.uniform(size=(64, width))
    return layer_gradient_norms(network, x, y)
