r"""Activation functions and their derivatives: what a neuron does with its weighted sum.

Every function here is numerically stable for any finite input (no overflow or invalid-value
warnings, even for $|x| = 10^4$), keeps the input's shape, and keeps a float32 input float32
(other inputs become float64). ``ACTIVATIONS`` lists the elementwise ones with their
derivatives, formulas and ranges, so a chapter or a test can iterate over them.

Softmax is not elementwise: it maps a vector of scores to probabilities along ``axis``.
"""

from dataclasses import dataclass

import numpy as np

#: SELU's constants (Klambauer et al., 2017): the values that keep a standard normal input's
#: mean at 0 and variance at 1 after the activation.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _as_float(x, name="x"):
    """x as a float array: float32 stays float32, everything else numeric becomes float64."""
    array = np.asarray(x)
    if array.dtype == np.float32 or array.dtype == np.float64:
        return array
    if array.dtype.kind in "biuf":  # bool, int, uint, other floats
        return array.astype(np.float64)
    raise ValueError(f"{name} must be numbers (an int or float array); got dtype {array.dtype}")


def step(z, threshold=0.0):
    r"""Threshold unit (McCulloch-Pitts): 1 where $z > \theta$, else 0.

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
    return np.maximum(x, 0).astype(x.dtype)


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


def elu(x, alpha=1.0):
    r"""Exponential linear unit: $x$ for $x > 0$, $\alpha (e^{x} - 1)$ otherwise."""
    x = _as_float(x)
    negative = alpha * np.expm1(np.minimum(x, 0))  # exp only sees x <= 0
    return np.where(x > 0, x, negative).astype(x.dtype)


def elu_derivative(x, alpha=1.0):
    r"""ELU's slope: 1 for $x > 0$, $\alpha e^{x}$ otherwise."""
    x = _as_float(x)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0))).astype(x.dtype)


def selu(x):
    r"""Scaled ELU: $\lambda\,\mathrm{ELU}_\alpha(x)$ with SELU's two constants."""
    return (SELU_SCALE * elu(x, SELU_ALPHA)).astype(_as_float(x).dtype)


def selu_derivative(x):
    r"""SELU's slope: $\lambda$ for $x > 0$, $\lambda \alpha e^{x}$ otherwise."""
    return (SELU_SCALE * elu_derivative(x, SELU_ALPHA)).astype(_as_float(x).dtype)


def softplus(x):
    r"""Softplus $\log(1 + e^{x})$, a smooth ReLU, as $\max(x, 0) + \log(1 + e^{-|x|})$."""
    x = _as_float(x)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def softplus_derivative(x):
    """Softplus's slope is the sigmoid."""
    return sigmoid(x)


def _check_axis(x, axis):
    if x.ndim == 0:
        raise ValueError("softmax needs at least one axis of scores; got a scalar")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis} is out of range for scores of shape {x.shape} ({x.ndim} axes)")


def logsumexp(x, axis=-1, keepdims=False):
    r"""$\log \sum_k e^{x_k}$ along ``axis``, computed as $m + \log \sum_k e^{x_k - m}$, $m = \max_k x_k$."""
    x = _as_float(x)
    _check_axis(x, axis)
    m = np.max(x, axis=axis, keepdims=True)
    result = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
    return result if keepdims else np.squeeze(result, axis=axis)


def softmax(x, axis=-1):
    r"""Softmax along ``axis``: $e^{x_k} / \sum_j e^{x_j}$, computed with the maximum subtracted.

    Subtracting the same number from every score changes nothing in the result but keeps
    every exponent at most 0. x: (..., K) -> same shape, entries in (0, 1], summing to 1.
    """
    x = _as_float(x)
    _check_axis(x, axis)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    r"""$\log \mathrm{softmax}(x) = x - \mathrm{logsumexp}(x)$, finite even where softmax underflows to 0."""
    x = _as_float(x)
    return x - logsumexp(x, axis=axis, keepdims=True)


def softmax_jacobian(x):
    r"""The derivative of softmax for one score vector: $J_{ij} = s_i(\delta_{ij} - s_j)$.

    x: (K,) -> (K, K).
    """
    x = _as_float(x)
    if x.ndim != 1:
        raise ValueError(f"softmax_jacobian takes one score vector of shape (K,); got {x.shape}")
    s = softmax(x)
    return np.diag(s) - np.outer(s, s)


@dataclass(frozen=True)
class Activation:
    """An elementwise activation with its derivative, formula and range, for iterating over."""

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
        Activation("step", step, step_derivative, r"1 \text{ if } x > 0 \text{ else } 0", "{0, 1}", (0.0,)),
        Activation("sigmoid", sigmoid, sigmoid_derivative, r"\frac{1}{1 + e^{-x}}", "(0, 1)"),
        Activation("tanh", tanh, tanh_derivative, r"\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", "(-1, 1)"),
        Activation("relu", relu, relu_derivative, r"\max(0, x)", "[0, ∞)", (0.0,)),
        Activation("leaky_relu", leaky_relu, leaky_relu_derivative, r"\max(0.01x, x)", "(-∞, ∞)", (0.0,)),
        Activation("elu", elu, elu_derivative, r"x \text{ if } x > 0 \text{ else } e^{x} - 1", "(-1, ∞)", (0.0,)),
        Activation("selu", selu, selu_derivative, r"\lambda\,(x \text{ if } x > 0 \text{ else } \alpha(e^{x} - 1))",
                   "(-λα, ∞) ≈ (-1.758, ∞)", (0.0,)),
        Activation("softplus", softplus, softplus_derivative, r"\log(1 + e^{x})", "(0, ∞)"),
    ]
}
