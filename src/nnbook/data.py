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

    Points are uniform in [-1, 1]^2 and labelled by the side of the line x2 = 0.6 x1 + 0.1;
    points closer than ``margin`` to it are redrawn. Half the points (rounded up) are in
    class 1, so both classes are always present.
    Returns X (n, 2) and y (n,) of 0 / 1, in random order.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer of at least 2; got {n!r}")
    if not 0 <= margin < 0.5:
        raise ValueError(f"margin must be in [0, 0.5) so both sides have room; got {margin!r}")
    rng = np.random.default_rng(seed)

    def signed_distance(p):
        return (p[..., 1] - 0.6 * p[..., 0] - 0.1) / np.hypot(0.6, 1.0)

    wanted = {1: (n + 1) // 2, 0: n // 2}
    points = {0: [], 1: []}
    while any(len(points[c]) < wanted[c] for c in (0, 1)):
        p = rng.uniform(-1, 1, size=2)
        distance = signed_distance(p)
        label = int(distance > 0)
        if abs(distance) >= margin and len(points[label]) < wanted[label]:
            points[label].append(p)
    X = rng.permutation(np.array(points[1] + points[0]))
    return X, (signed_distance(X) > 0).astype(np.float64)
