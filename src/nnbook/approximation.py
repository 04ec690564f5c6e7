r"""Universal approximation, shown without training: a network whose hidden layer is fixed
and whose output layer is solved by least squares.

The construction (one hidden layer, ``depth=1``): hidden unit $i$ is a ReLU with a *kink* at
$c_i$, the $c_i$ evenly spaced over the interval (weights $\pm 1$, bias $\mp c_i$). Every
weighted sum of such units plus a bias is a piecewise-linear function that bends only at
the $c_i$ (a "connect the dots" curve with its dots above the $c_i$; not every such curve:
with these fixed signs a sloped straight line, for one, is fitted only approximately). Three
ReLUs already make a hat, $\mathrm{relu}(x - c_1) - 2\,\mathrm{relu}(x - c_2) +
\mathrm{relu}(x - c_3)$ with $c_2 - c_1 = c_3 - c_2$. With more units the dots get closer and the curve follows any
continuous target as closely as we like. The output layer's weights are the best such
combination, found by least squares (one linear solve: nothing is trained).

Deeper networks (``depth > 1``) add fixed random ReLU layers (He initialisation) after the
first. Random, untrained layers do not make the fit better; what depth can buy is shown by
a construction instead: ``sawtooth_network(depth)`` folds the interval ``depth`` times with 2
ReLU units per layer and draws $2^{depth}$ straight pieces, where one hidden layer of the same
$2 \cdot depth$ units has at most $2 \cdot depth + 1$ (``depth_versus_width``; Telgarsky, 2016).
"""

from dataclasses import dataclass

import numpy as np

from nnbook._validate import as_count, as_rng
from nnbook.layers import Dense, ReLU, Sequential

#: The interval every target is approximated on.
INTERVAL = (-3.0, 3.0)

#: 1-D target functions for the demo: name -> f(x).
TARGETS = {
    "wave": lambda x: np.sin(1.5 * x) + 0.4 * np.cos(4.0 * x),
    "bump": lambda x: np.exp(-2.0 * x ** 2),
    "step": lambda x: (x > 0.5).astype(np.float64),
    "|x|": lambda x: np.abs(x),
}


@dataclass
class Approximation:
    """A fitted network and how well it matches the target on the grid ``x``."""

    network: Sequential
    x: np.ndarray          # (n_points,)
    target: np.ndarray     # (n_points,)
    output: np.ndarray     # (n_points,)
    features: np.ndarray   # (n_points, units): the last hidden layer's outputs
    kinks: np.ndarray      # (units,): where the first layer's units bend

    @property
    def rms_error(self):
        return float(np.sqrt(np.mean((self.output - self.target) ** 2)))

    @property
    def max_error(self):
        return float(np.max(np.abs(self.output - self.target)))


def kink_positions(units, interval=INTERVAL):
    """Evenly spaced kinks: the midpoints of ``units`` equal cells of the interval."""
    units = as_count(units, "units")
    lo, hi = interval
    return lo + (np.arange(units) + 0.5) * (hi - lo) / units


def hidden_layers(units, depth=1, interval=INTERVAL, seed=None):
    """The fixed hidden part: Dense(1, units) + ReLU with kinks spread over the interval,
    then ``depth - 1`` random Dense(units, units) + ReLU layers.

    seed: the random layers' weights (None: fresh, an int: reproducible); unused at depth 1.
    """
    units, depth = as_count(units, "units"), as_count(depth, "depth")
    signs = np.where(np.arange(units) % 2 == 0, 1.0, -1.0)   # alternate: open right, open left
    first = Dense.from_weights(signs[None, :], -signs * kink_positions(units, interval))
    layers = [first, ReLU()]
    rng = as_rng(seed)
    for _ in range(depth - 1):
        layers += [Dense(units, units, init="he", seed=rng), ReLU()]
    return layers


def solve_output_layer(features, y):
    """The Dense(units, 1) whose output is closest to y in least squares: [H, 1] @ [w; b] ~ y."""
    design = np.column_stack([features, np.ones(len(features))])
    solution, *_ = np.linalg.lstsq(design, y, rcond=None)
    return Dense.from_weights(solution[:-1, None], solution[-1:])


def approximate(target="wave", units=10, depth=1, n_points=300, interval=INTERVAL, seed=None):
    """Fit ``target`` (a name in TARGETS or a function) with fixed hidden layers and a
    least-squares output layer; return an ``Approximation``.

    seed: the weights of the random hidden layers when depth > 1 (None: fresh, an int:
    reproducible); a depth-1 network has no randomness.
    """
    if isinstance(target, str) and target not in TARGETS:
        raise ValueError(f"target must be one of {sorted(TARGETS)} or a function; got {target!r}")
    units = as_count(units, "units")
    f = TARGETS[target] if isinstance(target, str) else target
    x = np.linspace(*interval, as_count(n_points, "n_points", minimum=2))
    y = f(x)
    hidden = Sequential(hidden_layers(units, depth, interval, seed))
    features = hidden.forward(x[:, None])
    output_layer = solve_output_layer(features, y)
    network = Sequential([*hidden.layers, output_layer])
    return Approximation(network, x, y, network.forward(x[:, None])[:, 0], features,
                         kink_positions(units, interval))


# --- What depth buys -------------------------------------------------------------------------


def sawtooth_network(depth):
    r"""A ReLU network of ``depth`` hidden layers of 2 units that draws a sawtooth with
    $2^{depth}$ linear pieces on [0, 1] (Telgarsky, 2016).

    Each hidden layer computes the *tent map* $\mathrm{tent}(s) = 2\,\mathrm{relu}(s) - 4\,\mathrm{relu}(s - 1/2)$
    of the previous output (up from 0 to 1 on [0, 1/2], back down on [1/2, 1]); the output
    combination $[2, -4]$ of one layer is folded into the weights of the next. Composing the
    tent map ``depth`` times doubles the number of teeth each time: $6 \cdot depth + 1$
    parameters for $2^{depth}$ pieces.
    """
    depth = as_count(depth, "depth")
    layers = [Dense.from_weights([[1.0, 1.0]], [0.0, -0.5]), ReLU()]
    for _ in range(depth - 1):
        layers += [Dense.from_weights([[2.0, 2.0], [-4.0, -4.0]], [0.0, -0.5]), ReLU()]
    layers.append(Dense.from_weights([[2.0], [-4.0]], [0.0]))
    return Sequential(layers)


def count_pieces(x, y, tol=1e-7):
    """The number of straight pieces of the polyline (x, y): 1 + the number of grid points
    where the slope changes. Exact for a piecewise-linear curve whose bends lie on the grid."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    slopes = np.diff(y) / np.diff(x)
    scale = max(1.0, float(np.abs(slopes).max()))
    return 1 + int(np.sum(np.abs(np.diff(slopes)) > tol * scale))


@dataclass
class DepthVersusWidth:
    """A sawtooth drawn by a deep, narrow network, and a shallow fit of it (one hidden layer of
    as many units, evenly spaced kinks, output layer by least squares)."""

    depth: int
    x: np.ndarray              # (n_points,) on [0, 1]
    folds: list                # depth arrays (n_points,): the output after 1, 2, ... folds
    deep: np.ndarray           # (n_points,): the deep network's output (the last fold)
    shallow: np.ndarray        # (n_points,): one hidden layer of 2 * depth units, least squares
    deep_pieces: int
    shallow_pieces: int

    @property
    def shallow_max_error(self):
        return float(np.max(np.abs(self.shallow - self.deep)))


def depth_versus_width(depth, n_points=961):
    """Compare ``sawtooth_network(depth)`` (2 * depth hidden units) on [0, 1] with the
    one-hidden-layer network of as many units whose kinks are evenly spaced from 0
    (relu(x - k / (2 * depth)), k = 0, 1, ...) and whose output layer is solved by least
    squares. n_points - 1 should be a multiple of 2**depth and of 2 * depth, so that every
    bend lies on the grid (961 points suit every depth up to 6)."""
    depth = as_count(depth, "depth")
    network = sawtooth_network(depth)
    x = np.linspace(0.0, 1.0, as_count(n_points, "n_points", minimum=2))
    folds, h = [], x[:, None]
    for layer in network.layers[:-1]:
        h = layer.forward(h)
        if isinstance(layer, ReLU):
            folds.append(h @ np.array([2.0, -4.0]))    # what this layer's 2 units draw
    deep = network.forward(x[:, None])[:, 0]
    kinks = np.arange(2 * depth) / (2 * depth)
    first = Dense.from_weights(np.ones((1, 2 * depth)), -kinks)
    hidden = Sequential([first, ReLU()])
    shallow_net = Sequential([first, ReLU(), solve_output_layer(hidden.forward(x[:, None]), deep)])
    shallow = shallow_net.forward(x[:, None])[:, 0]
    return DepthVersusWidth(depth, x, folds, deep, shallow, count_pieces(x, deep), count_pieces(x, shallow))
