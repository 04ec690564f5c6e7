"""Every data set of the book, generated on the spot (no downloads).

Each generator takes ``seed``: None (the default) gives fresh random data on every call, an
int gives the same data every time (the chapters pass one), a numpy Generator draws from it.

- ``GATE_INPUTS``, ``GATE_TARGETS``, ``gate(name)``: the truth tables of two-input logic gates.
- ``xor()``: XOR as a network's training set, targets as a column (4, 1).
- ``separable_blobs(n)``: two classes a straight line separates (the perceptron's data).
- ``moons(n)``, ``circles(n)``: two classes no straight line separates (chapter 2).
- ``regression(n)``: points on the line y = 2x + 1 plus noise (chapter 4).
- ``xor_points(n)``, ``gaussian_blobs(n)``, ``spirals(n)``, and ``PLAYGROUND``: the two-class
  sets of chapter 7's playground (with moons and circles); ``flip_labels`` adds label noise.
- ``digits()``: scikit-learn's 1,797 handwritten digits, 8x8 (chapters 7, 8 and the appendix).

This module imports only numpy and scikit-learn's generators and bundled data: any module may
use it.
"""

import functools

import numpy as np

from nnbook._validate import as_count, as_number, as_rng


def _constant(array):
    array.setflags(write=False)  # shared by every chapter: nobody may change it in place
    return array


#: The four input pairs of a two-input logic gate, one per row: (x1, x2).
GATE_INPUTS = _constant(np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64))

#: The target output of each two-input gate for the rows of GATE_INPUTS.
GATE_TARGETS = {
    "AND": _constant(np.array([0, 0, 0, 1], dtype=np.float64)),
    "OR": _constant(np.array([0, 1, 1, 1], dtype=np.float64)),
    "NAND": _constant(np.array([1, 1, 1, 0], dtype=np.float64)),
    "NOR": _constant(np.array([1, 0, 0, 0], dtype=np.float64)),
    "XOR": _constant(np.array([0, 1, 1, 0], dtype=np.float64)),
}


def gate(name):
    """The four rows of a two-input logic gate: (X (4, 2), y (4,)), fresh copies."""
    if name not in GATE_TARGETS:
        raise ValueError(f"gate must be one of {sorted(GATE_TARGETS)}; got {name!r}")
    return GATE_INPUTS.copy(), GATE_TARGETS[name].copy()


@functools.lru_cache(maxsize=1)
def _digits():
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return _constant(bunch.images), _constant(bunch.target)


def digits():
    """scikit-learn's 1,797 handwritten digits (bundled with it: no download), fresh copies:
    images (1797, 8, 8), grey levels 0 to 16 as float64, and labels (1797,), 0 to 9."""
    images, labels = _digits()
    return images.copy(), labels.copy()


def xor():
    """XOR as a training set for a network: X (4, 2) and targets Y (4, 1), one column.

    The same rows as ``gate("XOR")``, with the targets as a column because a network's
    output is a batch (N, 1).
    """
    X, y = gate("XOR")
    return X, y[:, None]


def separable_blobs(n=40, *, margin=0.1, seed=None):
    """Two classes in the plane that a straight line separates with room to spare.

    Points are uniform in [-1, 1]^2 and labelled by the side of the line x2 = 0.6 x1 + 0.1;
    points closer than ``margin`` to it are redrawn. Half the points (rounded up) are in
    class 1, so both classes are always present.
    Returns X (n, 2) and y (n,) of 0 / 1, in random order.
    """
    n = as_count(n, "n", minimum=2)
    margin = as_number(margin, "margin")
    if not 0 <= margin < 0.5:
        raise ValueError(f"margin must be in [0, 0.5) so both sides have room; got {margin!r}")
    rng = as_rng(seed)

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


def _random_state(seed):
    """scikit-learn's ``random_state`` for our ``seed``: an int is passed on unchanged (the
    same data as scikit-learn gives for it); None or a Generator give a drawn int."""
    rng = as_rng(seed)  # validates
    if seed is None or isinstance(seed, np.random.Generator):
        return int(rng.integers(2 ** 31 - 1))
    return int(seed)


def moons(n=200, *, noise=0.08, seed=None):
    """Two interleaved half-moons, standardised per column: X (n, 2), y (n,) of 0 / 1."""
    n = as_count(n, "n", minimum=2)
    noise = as_number(noise, "noise")
    from sklearn.datasets import make_moons  # here, not at import: scikit-learn takes seconds to load

    X, y = make_moons(n, noise=noise, random_state=_random_state(seed))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y.astype(np.float64)


def circles(n=200, *, noise=0.05, factor=0.4, seed=None):
    """A small circle inside a larger one: X (n, 2), y (n,) of 0 / 1 (1 = inner).

    factor: the inner circle's radius relative to the outer one's (1).
    """
    n = as_count(n, "n", minimum=2)
    noise = as_number(noise, "noise")
    factor = as_number(factor, "factor")
    from sklearn.datasets import make_circles

    X, y = make_circles(n, noise=noise, factor=factor, random_state=_random_state(seed))
    return X, y.astype(np.float64)


def regression(n=64, *, noise=0.3, seed=None):
    r"""Points of the line $y = 2x + 1$ plus noise, for a linear model: (X (n, 2), y (n,)).

    X's first column is $x$ (uniform in [-1, 2]), its second is 1, so that the model
    $\hat y = X\theta$ with $\theta = (w, b)$ has a slope and a bias.
    """
    n = as_count(n, "n")
    noise = as_number(noise, "noise")
    rng = as_rng(seed)
    x = rng.uniform(-1.0, 2.0, size=n)
    y = 2.0 * x + 1.0 + noise * rng.normal(size=n)
    return np.column_stack([x, np.ones(n)]), y


def xor_points(n=200, *, noise=0.0, seed=None):
    """XOR in the plane: points uniform in [-1, 1]^2, class 1 where x1 and x2 have the same
    sign. Points within 0.05 of an axis are pushed out to 0.05 (a visible gap, as in
    TensorFlow Playground), then noise (Gaussian, std ``noise``) moves them.
    Returns X (n, 2), y (n,) of 0 / 1."""
    n = as_count(n, "n", minimum=2)
    noise = _noise(noise)
    rng = as_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    X += np.where(X >= 0, 0.05, -0.05) * (np.abs(X) < 0.05)
    y = (X[:, 0] * X[:, 1] > 0).astype(np.float64)
    return X + noise * rng.normal(size=X.shape), y


def gaussian_blobs(n=200, *, noise=0.3, seed=None):
    """Two round Gaussian clouds centred at (-0.6, -0.6) (class 0) and (0.6, 0.6) (class 1),
    each of standard deviation ``noise`` per axis; half the points (rounded up) in class 1.
    Returns X (n, 2), y (n,) of 0 / 1, in random order."""
    n = as_count(n, "n", minimum=2)
    noise = _noise(noise)
    rng = as_rng(seed)
    y = rng.permutation(np.arange(n) < (n + 1) // 2).astype(np.float64)
    centres = np.where(y[:, None] == 1, 0.6, -0.6)
    return centres + noise * rng.normal(size=(n, 2)), y


def spirals(n=200, *, noise=0.0, turns=1.5, seed=None):
    """Two interleaved spirals, one per class, each ``turns`` turns from the centre out to
    radius 1 (TensorFlow Playground's hardest set). noise: Gaussian, std per axis.
    Returns X (n, 2), y (n,) of 0 / 1, in random order."""
    n = as_count(n, "n", minimum=2)
    noise = _noise(noise)
    turns = as_number(turns, "turns")
    if turns <= 0:
        raise ValueError(f"turns must be positive (e.g. 1.5); got {turns!r}")
    rng = as_rng(seed)
    y = rng.permutation(np.arange(n) < (n + 1) // 2).astype(np.float64)
    r = rng.uniform(0.05, 1.0, size=n)
    angle = 2 * np.pi * turns * r + np.pi * y
    X = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    return X + noise * rng.normal(size=X.shape), y


def _noise(noise):
    noise = as_number(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must not be negative (it is a standard deviation); got {noise!r}")
    return noise


def flip_labels(y, share, *, seed=None):
    """A copy of 0/1 labels ``y`` (n,) with a ``share`` of them, chosen at random, flipped:
    label noise. share in [0, 1]; round(share * n) labels flip exactly."""
    from nnbook._validate import as_array

    y = as_array(y, "y", ndim=1)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("flip_labels expects labels 0 and 1")
    share = as_number(share, "share")
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"share must be in [0, 1] (a fraction of the labels); got {share!r}")
    rng = as_rng(seed)
    flipped = y.copy()
    chosen = rng.choice(len(y), size=int(round(share * len(y))), replace=False)
    flipped[chosen] = 1.0 - flipped[chosen]
    return flipped


#: The playground's data sets (chapter 7): name -> generator(n, noise=..., seed=...).
PLAYGROUND = {
    "xor": xor_points,
    "circles": circles,
    "blobs": gaussian_blobs,
    "spirals": spirals,
    "moons": moons,
}
