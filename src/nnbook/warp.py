r"""A layer as a warp of space: the stages a small network moves its inputs through.

A dense layer with a tanh does three things to every point $\mathbf{x}$ of the plane:
a linear map $\mathbf{x} W$ (rotate, scale, shear), a shift $+\,\mathbf{b}$, and a bend
$\tanh(\cdot)$. Chapter 2 shows the two-moons data passing through two such layers, stage by
stage, until one straight line (the output neuron) separates the classes.

The weights below were fitted once with scikit-learn (``MLPClassifier``, tanh, lbfgs) to
``nnbook.data.moons(seed=0)`` and ``nnbook.data.circles(seed=0)``, and are committed as
numbers, so the pictures never change; the tests check they still classify that data
perfectly.
"""

import numpy as np

from nnbook._validate import as_array, as_number
from nnbook.activations import tanh

#: Two tanh layers of 2 units, then one output neuron, fitted to ``data.moons(seed=0)``.
MOONS_NETWORK = {
    "layers": [
        (np.array([[-3.761502, -0.633366], [-1.866417, 0.126511]]), np.array([-0.343977, -0.087226])),
        (np.array([[-3.646802, 1.765096], [6.002202, -3.130681]]), np.array([0.099487, 0.065756])),
    ],
    "output": (np.array([-7.912171, 4.156001]), -0.970412),
}

#: One tanh layer fitted to ``data.circles(seed=0)``: with 2 units (the best of 10 fits; its
#: weights of about 25 push most outputs to +-1) and with 3 units (fitted with a weight penalty,
#: ``MLPClassifier(alpha=1.0)``, so the units stay out of saturation and the 3-D picture of
#: chapter 2 shows the lifted rings rather than the cube's corners).
CIRCLES_NETWORKS = {
    2: {"layers": [(np.array([[-25.839011, 18.952432], [5.796978, -6.441958]]), np.array([13.190766, 10.627078]))],
        "output": (np.array([8.563253, 8.960105]), -16.199771)},
    3: {"layers": [(np.array([[2.728697, 2.435609, 0.330797], [-1.16769, 1.67666, -2.894331]]),
                    np.array([-1.571393, 1.582656, 1.612477]))],
        "output": (np.array([-3.732919, 3.715647, 3.694917]), -6.676248)},
}

STAGE_KINDS = ("linear map", "shift", "bend")


def stage_points(X, network=MOONS_NETWORK):
    """The points after every stage: [x, xW1, xW1 + b1, tanh(.), xW2 ...], 3 per layer + 1.

    X: (N, 2) -> list of (N, units) arrays.
    """
    states = [as_array(X, "X", ndim=2)]
    for W, b in network["layers"]:
        states.append(states[-1] @ W)
        states.append(states[-1] + b)
        states.append(tanh(states[-1]))
    return states


def stage_name(index, network=MOONS_NETWORK):
    """A short name for stage ``index`` (0 = the input), e.g. "layer 2: shift (+ b2)"."""
    if index == 0:
        return "the input"
    layer, kind = divmod(index - 1, 3)
    symbol = (f"x W{layer + 1}", f"+ b{layer + 1}", "tanh")[kind]
    return f"layer {layer + 1}: {STAGE_KINDS[kind]} ({symbol})"


def interpolate_stages(states, stage):
    """Positions part-way between stages: ``stage`` = 1.5 is halfway from stage 1 to 2."""
    last = len(states) - 1
    stage = min(max(as_number(stage, "stage"), 0.0), float(last))
    k = min(int(np.floor(stage)), last - 1)
    s = stage - k
    if s == 0 or last == 0:
        return states[k]
    if s == 1:
        return states[k + 1]
    if states[k].shape != states[k + 1].shape:
        raise ValueError(f"stage {k} -> {k + 1} changes the number of units "
                         f"({states[k].shape[-1]} -> {states[k + 1].shape[-1]}); "
                         "only whole stages can be shown there")
    return (1 - s) * states[k] + s * states[k + 1]


def predict(X, network):
    """Class 0 / 1 that the network gives each row of X (output neuron's sum > 0)."""
    hidden = stage_points(X, network)[-1]
    w, b = network["output"]
    return (hidden @ w + b > 0).astype(np.float64)
