r"""Gradient checking: compare a gradient from backpropagation with finite differences.

The central difference $\frac{f(x + h) - f(x - h)}{2h}$ approximates a partial derivative
with an error of order $h^2$; doing it for every entry of an array gives the numerical
gradient. It costs two evaluations of ``f`` per number, so it is a check, never a way to train.

    rel_error(analytic, numerical_gradient(f, x)) < TOLERANCE   # the gradient is right

Relative error, not absolute: $\max|a - b| / \max(|a| + |b|)$, whatever the gradient's size.
In float64 with $h = 10^{-6}$ the central difference is off by about $h^2 = 10^{-12}$ (times
the third derivative) plus the round-off of subtracting two close values, about
$10^{-16} / h = 10^{-10}$ (times the function's size): a right gradient gives 1e-10 to 1e-8.
A wrong one (a missing factor, a transposed matrix, a forgotten term) gives 1e-3 or worse.
``TOLERANCE`` = 1e-6 sits in that gap, two orders of magnitude from each side; the book's
text, ``verdict`` and the exercise checkers use it, and the tests demand at least as much.
"""

import numpy as np

from nnbook._validate import as_array, as_count, as_rng

#: The step of the central difference: about the cube root of float64's epsilon.
STEP = 1e-6

#: The one gradient-check threshold: a relative error below it means "the gradient is right".
TOLERANCE = 1e-6


def numerical_gradient(f, x, h=STEP):
    """The gradient of the scalar ``f()`` with respect to the array ``x``, by central differences.

    f: a function of no arguments that reads ``x`` (so it sees each nudge); x: a float array,
    changed in place one entry at a time and restored. Returns an array shaped like x.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise ValueError("numerical_gradient expects x as a float numpy array that f reads")
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        plus = float(f())
        x[index] = original - h
        minus = float(f())
        x[index] = original
        grad[index] = (plus - minus) / (2 * h)
    return grad


def rel_error(a, b):
    """max |a - b| / max(|a| + |b|): 0 for equal arrays, about 1 for unrelated ones."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error expects arrays of the same shape; got {a.shape} and {b.shape}")
    scale = np.max(np.abs(a) + np.abs(b)) if a.size else 0.0
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b)) / scale)


def verdict(error):
    """A relative error in words: "ok (< 1e-06)" below ``TOLERANCE``, else "WRONG (error)"."""
    error = float(error)
    if not np.isfinite(error) or error < 0:
        raise ValueError(f"verdict expects a relative error, a number >= 0; got {error}")
    return f"ok (< {TOLERANCE:g})" if error < TOLERANCE else f"WRONG ({error:.2g})"


def check_layer(layer, x, seed=None):
    """Gradient-check a layer's backward at input ``x`` with a random upstream gradient.

    seed: the upstream gradient's randomness (None: fresh, an int: reproducible).
    Returns {"x": error, name: error for each parameter}: the relative error between the
    backward pass and finite differences of sum(layer(x) * g) for a random g.
    """
    x = np.array(as_array(x, "x"), dtype=np.float64)  # a float64 copy: the nudges need it
    rng = as_rng(seed)
    upstream = rng.normal(size=np.shape(layer.forward(x)))

    def loss():
        return np.sum(layer.forward(x) * upstream)

    layer.forward(x)
    dx = layer.backward(upstream)
    errors = {"x": rel_error(dx, numerical_gradient(loss, x))}
    for name, param in layer.params.items():
        analytic = layer.grads[name].copy()
        errors[name] = rel_error(analytic, numerical_gradient(loss, param))
    return errors


def check_network(network, x, y, loss, loss_gradient):
    """Gradient-check every parameter of a Sequential network on the cost loss(y, net(x)).

    Returns {"0.W": error, "0.b": error, ...}, named as in ``network.parameters()``.
    """
    x = np.array(as_array(x, "x"), dtype=np.float64)

    def cost():
        return loss(y, network.forward(x))

    network.backward(loss_gradient(y, network.forward(x)))
    analytic = {name: grad.copy() for name, _, grad in network.parameters()}
    return {name: rel_error(analytic[name], numerical_gradient(cost, param))
            for name, param, _ in network.parameters()}


def forward_passes(n_params, method):
    """What one full gradient costs, counted in forward passes: 2 per parameter by central
    differences; by backpropagation 1 forward pass and 1 backward pass, which costs about 2
    forward passes (a dense layer's backward makes two matrix products, dW and dX, for its
    forward's one): 3 in all, whatever the number of parameters."""
    n_params = as_count(n_params, "n_params")
    if method == "finite differences":
        return 2 * n_params
    if method == "backpropagation":
        return 3
    raise ValueError(f'method must be "finite differences" or "backpropagation"; got {method!r}')
