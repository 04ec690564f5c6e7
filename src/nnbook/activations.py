r"""Activation functions and their derivatives: what a neuron does with its weighted sum.

Every function here is numerically stable for any finite input (no overflow or invalid-value
warnings, even for $|x| = 10^4$), keeps the input's shape, and keeps a float32 input float32
(other numeric inputs become float64: the dtype rule of ``nnbook._validate.as_array``).
``ACTIVATIONS`` lists the elementwise ones as ``ActivationSpec`` records with their
derivatives, formulas and ranges, so a chapter or a test can iterate over them.

Infinite inputs give the limits ($\sigma(+\infty) = 1$, $\mathrm{relu}(-\infty) = 0$, ...);
NaN raises a ValueError. An empty array gives an empty array.

Softmax is not elementwise: it maps a vector of scores to probabilities along ``axis``.
Empty scores raise a ValueError; a row with $+\infty$ scores puts all its probability,
shared equally, on them; a row whose scores are all $-\infty$ has a log-sum-exp of $-\infty$
and no softmax (a ValueError).
"""

from dataclasses import dataclass

import numpy as np

from nnbook._validate import as_array

#: SELU's constants (Klambauer et al., 2017), $a_{\text{SELU}}$ and $\lambda_{\text{SELU}}$ on the
#: notation page (never $\alpha$, the learning rate): the values that keep a standard normal
#: input's mean at 0 and variance at 1 after the activation.
SELU_A = 1.6732632423543772848170429916717
SELU_LAMBDA = 1.0507009873554804934193349852946


def _as_float(x, name="x"):
    """x as a float array (float32 stays float32, other numbers become float64); +-inf
    allowed (the limits are defined), NaN not; empty allowed (empty in, empty out)."""
    return as_array(x, name, allow_empty=True, allow_inf=True)


def step(z, threshold=0.0):
    r"""Threshold unit (McCulloch-Pitts): 1 where $z >$ ``threshold``, else 0.

    z: any shape -> same shape.
    """
    z = _as_float(z, "z")
    return (z > threshold).astype(z.dtype)


def step_derivative(z):
    """The step's slope: 0 everywhere (undefined at the jump, where we also return 0)."""
    return np.zeros_like(_as_float(z, "z"))


def identity(z):
    """The identity: returns z unchanged (a neuron with no activation)."""
    return _as_float(z, "z")


def identity_derivative(z):
    """The identity's slope: 1 everywhere."""
    return np.ones_like(_as_float(z, "z"))


def sigmoid(x):
    r"""Logistic sigmoid $\sigma(x) = 1 / (1 + e^{-x})$, computed without overflow.

    For $x < 0$ the equal form $e^{x} / (1 + e^{x})$ is used, so ``exp`` only ever sees
    $-|x| \le 0$. x: any shape -> same shape, values in (0, 1).
    """
    x = _as_float(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_derivative(x):
    r"""$\sigma'(x) = \sigma(x)\,(1 - \sigma(x))$, at most 0.25 (at $x = 0$)."""
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x):
    r"""Hyperbolic tangent, values in (-1, 1): $\tanh(x) = 2\sigma(2x) - 1$."""
    return np.tanh(_as_float(x))


def tanh_derivative(x):
    r"""$\tanh'(x) = 1 - \tanh^2(x)$, at most 1 (at $x = 0$)."""
    t = tanh(x)
    return 1 - t * t


def relu(x):
    r"""Rectified linear unit $\max(0, x)$."""
    x = _as_float(x)
    return np.maximum(x, 0).astype(x.dtype, copy=False)


def relu_derivative(x):
    """ReLU's slope: 1 for x > 0, 0 for x < 0 (and 0 at the kink, by convention)."""
    x = _as_float(x)
    return (x > 0).astype(x.dtype)


def leaky_relu(x, slope=0.01):
    r"""Leaky ReLU: $x$ for $x > 0$, ``slope`` $\cdot\, x$ otherwise; never fully silent."""
    x = _as_float(x)
    return np.where(x > 0, x, slope * x).astype(x.dtype)


def leaky_relu_derivative(x, slope=0.01):
    """Leaky ReLU's slope: 1 for x > 0, ``slope`` otherwise."""
    x = _as_float(x)
    return np.where(x > 0, 1.0, slope).astype(x.dtype)


def elu(x, a=1.0):
    r"""Exponential linear unit: $x$ for $x > 0$, $a\,(e^{x} - 1)$ otherwise (values above $-a$)."""
    x = _as_float(x)
    negative = a * np.expm1(np.minimum(x, 0))  # exp only sees x <= 0
    return np.where(x > 0, x, negative).astype(x.dtype)


def elu_derivative(x, a=1.0):
    r"""ELU's slope: 1 for $x > 0$, $a\,e^{x}$ otherwise."""
    x = _as_float(x)
    return np.where(x > 0, 1.0, a * np.exp(np.minimum(x, 0))).astype(x.dtype)


def selu(x):
    r"""Scaled ELU: $\lambda_{\text{SELU}}\,x$ for $x > 0$, $\lambda_{\text{SELU}}\,a_{\text{SELU}}\,(e^{x} - 1)$
    otherwise, with ``SELU_LAMBDA`` $\approx 1.0507$ and ``SELU_A`` $\approx 1.6733$."""
    return (SELU_LAMBDA * elu(x, SELU_A)).astype(_as_float(x).dtype)


def selu_derivative(x):
    r"""SELU's slope: $\lambda_{\text{SELU}}$ for $x > 0$, $\lambda_{\text{SELU}}\,a_{\text{SELU}}\,e^{x}$ otherwise."""
    return (SELU_LAMBDA * elu_derivative(x, SELU_A)).astype(_as_float(x).dtype)


def softplus(x):
    r"""Softplus $\log(1 + e^{x})$, a smooth ReLU, computed as $\max(x, 0) + \log(1 + e^{-|x|})$.

    The two forms are equal (for $x > 0$, $\log(1 + e^{x}) = x + \log(e^{-x} + 1)$), but the
    second only ever exponentiates $-|x| \le 0$, so it cannot overflow; ``log1p`` keeps the
    tiny $\log(1 + e^{-|x|})$ of large $|x|$ exact.
    """
    x = _as_float(x)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def softplus_derivative(x):
    """Softplus's slope is the sigmoid."""
    return sigmoid(x)


def _scores(x, axis):
    """Scores as a float array (+-inf allowed, NaN and empty not) with a valid ``axis``."""
    x = as_array(x, "x", allow_inf=True)
    if x.ndim == 0:
        raise ValueError("softmax needs at least one axis of scores; got a scalar")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis} is out of range for scores of shape {x.shape} ({x.ndim} axes)")
    return x


def _shift(x, axis):
    r"""The pieces of a stable log-sum-exp along ``axis``: the maximum m (keepdims), x - m,
    and $\log s$ with $s = \sum_k e^{x_k - m} \ge 1$.

    $\log s$ is computed as $\log(1 + r)$ with ``log1p``, r the sum over every entry but one
    maximum: a confident row's tiny r (say $e^{-40}$) would vanish in $\log(1 + r)$ but not
    in ``log1p``. Rows whose maximum is infinite get x - m = 0 and log s = 0 (callers give
    those rows their limits).
    """
    m = np.max(x, axis=axis, keepdims=True)
    finite = np.isfinite(m)
    shifted = np.where(finite, x - np.where(finite, m, 0), 0).astype(x.dtype, copy=False)
    e = np.exp(shifted)
    np.put_along_axis(e, np.argmax(x, axis=axis, keepdims=True), 0, axis=axis)
    return m, finite, shifted, np.log1p(np.sum(e, axis=axis, keepdims=True))


def _no_all_minus_inf_rows(m, name):
    if np.any(m == -np.inf):
        raise ValueError(f"{name} is undefined for a row whose scores are all -inf (every "
                         "class has zero weight); give at least one score a finite value")


def _infinite_share(x, axis):
    """Rows with +inf scores: their probability, shared equally by the +inf entries."""
    top = x == np.inf
    return top / np.maximum(np.sum(top, axis=axis, keepdims=True), 1)  # other rows: 0, not 0/0


def logsumexp(x, axis=-1, keepdims=False):
    r"""$\log \sum_k e^{x_k}$ along ``axis``, computed as $m + \log \sum_k e^{x_k - m}$, $m = \max_k x_k$.

    x: (..., K), not empty. A row containing $+\infty$ gives $+\infty$; a row of only
    $-\infty$ gives $-\infty$ (the log of an empty sum, $\log 0$).
    """
    x = _scores(x, axis)
    m, finite, _, log_s = _shift(x, axis)
    result = np.where(finite, m + log_s, m).astype(x.dtype, copy=False)
    return result if keepdims else np.squeeze(result, axis=axis)


def softmax(x, axis=-1):
    r"""Softmax along ``axis``: $e^{x_k} / \sum_j e^{x_j}$, computed with the maximum subtracted.

    Subtracting the same number from every score changes nothing in the result but keeps
    every exponent at most 0. x: (..., K), not empty -> same shape, entries in [0, 1],
    summing to 1. A row with $+\infty$ scores shares its probability equally among them
    (the limit); a row of only $-\infty$ raises a ValueError (no limit exists).
    """
    x = _scores(x, axis)
    m = np.max(x, axis=axis, keepdims=True)
    _no_all_minus_inf_rows(m, "softmax")
    finite = np.isfinite(m)
    if finite.all():  # the usual case, as the formula reads
        e = np.exp(x - m)
        return e / np.sum(e, axis=axis, keepdims=True)
    e = np.exp(np.where(finite, x - np.where(finite, m, 0), 0))
    return np.where(finite, e / np.sum(e, axis=axis, keepdims=True),
                    _infinite_share(x, axis)).astype(x.dtype, copy=False)


def log_softmax(x, axis=-1):
    r"""$\log \mathrm{softmax}(x) = (x - m) - \log \sum_k e^{x_k - m}$, finite even where softmax
    underflows to 0.

    Computed in that order (not as $x - \mathrm{logsumexp}(x)$, which rounds to the scale of
    $m$), so a confidently right score keeps its tiny log-probability: $\log\mathrm{softmax}
    ([0, 40])_1 \approx -4.2\times 10^{-18}$, not 0. Rows with $+\infty$ or only $-\infty$
    scores: as in ``softmax`` ($\log$ of the shared probability, $-\infty$ elsewhere).
    """
    x = _scores(x, axis)
    m, finite, shifted, log_s = _shift(x, axis)
    _no_all_minus_inf_rows(m, "log_softmax")
    result = shifted - log_s
    if finite.all():
        return result
    with np.errstate(divide="ignore"):  # log 0 = -inf for the finite scores of a +inf row
        limit = np.log(_infinite_share(x, axis))
    return np.where(finite, result, limit).astype(x.dtype, copy=False)


def softmax_jacobian(x):
    r"""The derivative of softmax for one score vector: $J_{ij} = s_i(\delta_{ij} - s_j)$.

    x: (K,) -> (K, K).
    """
    x = as_array(x, "x", allow_inf=True)
    if x.ndim != 1:
        raise ValueError(f"softmax_jacobian takes one score vector of shape (K,); got {x.shape}")
    s = softmax(x)
    return np.diag(s) - np.outer(s, s)


@dataclass(frozen=True)
class ActivationSpec:
    """The record of an elementwise activation: its function, derivative, formula and range.

    (A record to iterate over, e.g. to plot every activation; the layer that applies one in a
    network is ``nnbook.layers.Activation``.)
    """

    name: str
    function: callable
    derivative: callable
    formula: str  # LaTeX
    output_range: str
    kinks: tuple = ()  # inputs where the derivative jumps (skip them in finite differences)


#: Every elementwise activation of the book, in the order chapter 2 presents them.
ACTIVATIONS = {
    a.name: a
    for a in [
        ActivationSpec("step", step, step_derivative, r"1 \text{ if } x > 0 \text{ else } 0", "{0, 1}", (0.0,)),
        ActivationSpec("sigmoid", sigmoid, sigmoid_derivative, r"\frac{1}{1 + e^{-x}}", "(0, 1)"),
        ActivationSpec("tanh", tanh, tanh_derivative, r"\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", "(-1, 1)"),
        ActivationSpec("relu", relu, relu_derivative, r"\max(0, x)", "[0, ∞)", (0.0,)),
        ActivationSpec("leaky_relu", leaky_relu, leaky_relu_derivative, r"\max(0.01x, x)", "(-∞, ∞)", (0.0,)),
        ActivationSpec("elu", elu, elu_derivative, r"x \text{ if } x > 0 \text{ else } e^{x} - 1", "(-1, ∞)", (0.0,)),
        ActivationSpec("selu", selu, selu_derivative,
                       r"\lambda_{\text{SELU}}\,(x \text{ if } x > 0 \text{ else } a_{\text{SELU}}(e^{x} - 1))",
                       "(-1.758, ∞)", (0.0,)),
        ActivationSpec("softplus", softplus, softplus_derivative, r"\log(1 + e^{x})", "(0, ∞)"),
    ]
}
