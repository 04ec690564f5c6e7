r"""Universal approximation, shown without training: a network whose hidden layer is fixed
and whose output layer is solved by least squares.

The construction (one hidden layer, ``depth=1``): hidden unit $i$ is a ReLU with a *kink* at
$c_i$, the $c_i$ evenly spaced over the interval (weights $\pm 1$, bias $\mp c_i$). Every
weighted sum of such units plus a bias is a piecewise-linear function that bends only at
the $c_i$, and conversely every such function (a "connect the dots" curve) is one of these
sums: three ReLUs already make a hat, $\mathrm{relu}(x - a) - 2\,\mathrm{relu}(x - b) +
\mathrm{relu}(x - c)$. With more units the dots get closer and the curve follows any
continuous target as closely as we like. The output layer's weights are the best such
combination, found by least squares (one linear solve: nothing is trained).

Deeper networks (``depth > 1``) add fixed random ReLU layers (He initialisation, seeded)
after the first; their units bend the already bent features again, so the last hidden layer
can have more linear pieces than units.
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
