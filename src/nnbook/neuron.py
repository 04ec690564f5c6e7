r"""The artificial neuron, a layer of them, and logic gates built from one.

A neuron computes $a = f(z)$ with $z = \mathbf{w}\cdot\mathbf{x} + b$: weight each input, add
them up, add the bias, and pass the sum through an activation $f$.
"""

import numpy as np

from nnbook._validate import as_array, as_number, as_positive_number
from nnbook.activations import identity, step
from nnbook.data import GATE_INPUTS, GATE_TARGETS  # the truth tables live with the other data

#: Hand-set (weights, bias) that make one step neuron compute a gate. NOT has one input.
GATE_WEIGHTS = {
    "AND": (np.array([1.0, 1.0]), -1.5),
    "OR": (np.array([1.0, 1.0]), -0.5),
    "NAND": (np.array([-1.0, -1.0]), 1.5),
    "NOR": (np.array([-1.0, -1.0]), 0.5),
    "NOT": (np.array([-1.0]), 0.5),
}

#: A 2-2-1 network of step neurons that computes XOR: hidden OR and NAND, output AND.
XOR_NETWORK = {
    "W_hidden": np.array([[1.0, -1.0], [1.0, -1.0]]),  # columns: the OR unit, the NAND unit
    "b_hidden": np.array([-0.5, 1.5]),
    "w_out": np.array([1.0, 1.0]),
    "b_out": -1.5,
}


def weighted_sum(x, w, b=0.0):
    r"""The neuron's pre-activation $z = \mathbf{w}\cdot\mathbf{x} + b$.

    x: one sample (D,) or a batch (N, D); w: (D,); b: a number.
    Returns a float for one sample, or (N,) for a batch.
    """
    w = as_array(w, "w (the weights)", ndim=1)
    x = as_array(x, "x (the inputs)", ndim=(1, 2))
    b = as_number(b, "b (the bias)")
    if x.shape[-1] != w.shape[0]:
        raise ValueError(
            f"a neuron with {w.shape[0]} weights expects x of shape ({w.shape[0]},) "
            f"or (N, {w.shape[0]}); got {x.shape}"
        )
    z = x @ w + b
    return float(z) if z.ndim == 0 else z


def neuron(x, w, b=0.0, activation=step):
    r"""One artificial neuron: its output $a = f(\mathbf{w}\cdot\mathbf{x} + b)$.

    x: (D,) or (N, D); w: (D,); b: a number; activation: a function applied elementwise
    (default: the threshold unit, output 1 when the sum is above 0).
    Returns a float for one sample, or (N,) for a batch.
    """
    a = activation(weighted_sum(x, w, b))
    return float(a) if np.ndim(a) == 0 else np.asarray(a, dtype=np.float64)


def layer(x, W, b=None, activation=identity):
    r"""A layer of neurons that share the inputs: $\mathbf{a} = f(\mathbf{x} W + \mathbf{b})$.

    Column k of W holds the weights of unit k.
    x: (D,) or (N, D); W: (D, U); b: (U,) or None for no bias -> (U,) or (N, U).
    """
    W = as_array(W, "W (the layer's weights)", ndim=2)
    x = as_array(x, "x (the inputs)", ndim=(1, 2))
    n_in, n_units = W.shape
    if x.shape[-1] != n_in:
        raise ValueError(
            f"a layer with W of shape {W.shape} expects x of shape ({n_in},) or (N, {n_in}); "
            f"got {x.shape}"
        )
    b = np.zeros(n_units) if b is None else as_array(b, "b (the layer's biases)", ndim=1)
    if b.shape != (n_units,):
        raise ValueError(f"b must have shape ({n_units},), one bias per unit; got {b.shape}")
    return np.asarray(activation(x @ W + b), dtype=np.float64)


def truth_table(w, b, inputs=GATE_INPUTS):
    """Outputs of one step neuron with weights w and bias b for every row of ``inputs``.

    w: (D,); b: a number; inputs: (N, D) -> (N,) of 0.0 / 1.0.
    """
    return neuron(inputs, w, b, activation=step)


def format_truth_table(inputs, outputs):
    """One line per truth table: each input row and its output, e.g. "00→0  01→1  10→1  11→1"."""
    return "  ".join(
        "".join(str(int(v)) for v in row) + f"→{int(out)}" for row, out in zip(np.atleast_2d(inputs), outputs)
    )


def xor_network(x, network=XOR_NETWORK):
    """The 2-2-1 step network that computes XOR (hidden OR and NAND, output AND).

    x: (2,) or (N, 2) -> a float or (N,).
    """
    hidden = layer(x, network["W_hidden"], network["b_hidden"], activation=step)
    return neuron(hidden, network["w_out"], network["b_out"], activation=step)


def score_gates(w, b, gates=("AND", "OR", "XOR")):
    """How many of the four gate rows one step neuron gets right, for each gate.

    w: (2,); b: a number. Returns {gate: (outputs (4,), number correct)}.
    """
    outputs = truth_table(w, b)
    return {gate: (outputs, int(np.sum(outputs == GATE_TARGETS[gate]))) for gate in gates}


def best_single_neuron_score(targets, *, limit=2.0, spacing=0.1):
    r"""The most rows of a two-input truth table any single step neuron on a grid gets right.

    Searches every $(w_1, w_2, b)$ with each value on the grid $-$``limit``, ..., ``limit`` in
    steps of ``spacing`` ($41^3 = 68{,}921$ neurons by default). Among the neurons with the
    most rows right it returns the one with the widest **margin**: the smallest distance
    $|w_1 x_1 + w_2 x_2 + b|$ of any row's sum from 0. The sums are computed exactly, in
    whole numbers of steps, so a row whose sum is exactly 0 is never counted right by
    round-off, and the margin tells how far every row is from flipping.

    targets: (4,) for the rows of GATE_INPUTS.
    Returns (best count, (w1, w2, b), margin); the weights and margin are multiples of spacing.
    """
    targets = as_array(targets, "targets", ndim=1)
    if targets.shape != (len(GATE_INPUTS),):
        raise ValueError(f"targets must have shape ({len(GATE_INPUTS)},); got {targets.shape}")
    limit = as_positive_number(limit, "limit")
    spacing = as_positive_number(spacing, "spacing")
    n = int(round(limit / spacing))
    if not np.isclose(n * spacing, limit, rtol=1e-9):
        raise ValueError(f"limit must be a whole number of steps; got limit={limit!r}, spacing={spacing!r}")
    k = np.arange(-n, n + 1)  # the grid in whole steps: exact integer arithmetic below
    k1, k2, kb = (a.ravel() for a in np.meshgrid(k, k, k, indexing="ij"))
    rows = GATE_INPUTS.astype(np.int64)
    sums = rows[:, :1] * k1 + rows[:, 1:] * k2 + kb  # (4, grid**3), in steps
    correct = np.sum((sums > 0) == (targets[:, None] == 1), axis=0)
    margin = np.min(np.abs(sums), axis=0)
    best = int(np.argmax(correct * (3 * n + 1) + margin))  # most rows first, then widest margin

    def value(steps):
        return float(round(int(steps) * spacing, 12))

    return int(correct[best]), (value(k1[best]), value(k2[best]), value(kb[best])), value(margin[best])
