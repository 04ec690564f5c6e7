"""Small data sets the book generates on the spot (no downloads)."""

import numpy as np

from nnbook.neuron import GATE_INPUTS, GATE_TARGETS


def gate_data(gate):
    """The four rows of a two-input logic gate: (X (4, 2), y (4,))."""
    if gate not in GATE_TARGETS:
        raise ValueError(f"gate must be one of {sorted(GATE_TARGETS)}; got {gate!r}")
    return GATE_INPUTS.copy(), GATE_TARGETS[gate].copy()


def separable_blobs(n=40, *, margin=0.1, seed=0):
    """Two classes in the plane that a straight line separates with room to spare.

    Points are uniform in [-1, 1]^2, labelled by the side of the line x2 = 0.6 x1 + 0.1;
    points closer than ``margin`` to it are dropped and redrawn.
    Returns X (n, 2) and y (n,) of 0 / 1.
    """
    if n < 2:
        raise ValueError(f"n must be at least 2; got {n}")
    rng = np.random.default_rng(seed)

    def signed_distance(p):
        return (p[..., 1] - 0.6 * p[..., 0] - 0.1) / np.hypot(0.6, 1.0)

    points = []
    while len(points) < n:
        p = rng.uniform(-1, 1, size=2)
        if abs(signed_distance(p)) >= margin:
            points.append(p)
    X = np.array(points)
    return X, (signed_distance(X) > 0).astype(np.float64)
