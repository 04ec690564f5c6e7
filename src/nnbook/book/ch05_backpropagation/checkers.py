"""Chapter 5's exercise checkers, each with its table of wrong answers and diagnoses."""

import os
import traceback

import numpy as np

from nnbook.activations import sigmoid, softmax
from nnbook.checks import (
    Failure,
    as_number,
    as_numbers_or_none,
    call,
    checker,
    diagnose,
    require_callable,
    short,
)
from nnbook.gradcheck import numerical_gradient, rel_error

from .figures import TINY, TOLERANCE, tiny_forward

# --- Exercise checkers ---------------------------------------------------------------------


def _verdict_of(error):
    return f"relative error {error:.2g}; a right gradient gives < {TOLERANCE:g}"


def _expect_shape(name, value, shape, *, describe, diagnoses=()):
    """Raise ``Failure`` unless ``value`` is an array of ``shape``; ``diagnoses`` =
    [(wrong shape, message)] name the likely mistake behind a known wrong shape."""
    array = as_numbers_or_none(value)
    if array is None:
        raise Failure(f"for {describe}, {name} should be an array of shape {shape}; got {short(value)!r:.60}.")
    if array.shape != shape:
        why = next((message for wrong, message in diagnoses if array.shape == wrong),
                   f"{name} has one number per entry of the array it is the gradient of")
        raise Failure(f"for {describe}, {name} should have shape {shape}; got shape {array.shape}.\n   Hint: {why}")
    return array


def _expect_gradient(name, array, expected, *, describe, hint, mistakes=()):
    """Raise ``Failure`` unless ``array`` matches ``expected`` to the gradient check's
    threshold; ``mistakes`` = [(the value a known mistake gives, its diagnosis)]."""
    error = rel_error(array, expected)
    if error < TOLERANCE:
        return
    why = diagnose(array, mistakes, close=lambda got, wrong: rel_error(got, wrong) < TOLERANCE)
    if why:
        raise Failure(f"for {describe}, {name} is wrong ({_verdict_of(error)}).", hint=why)
    raise Failure(f"for {describe}, {name} disagrees with finite differences ({_verdict_of(error)}).\n"
                  f"   Hint: {hint}")


_NUMPY_DIR = os.path.dirname(np.__file__)


def _shape_error(action):
    """The message numpy raises for ``action()``, or None if it runs."""
    try:
        action()
    except ValueError as error:
        return str(error)
    return None


def _diagnosed_shapes(fn, describe, shapes, known, hint):
    """``fn`` with an operation whose shapes do not fit reported as a diagnosis instead of
    numpy's message: the learner's line, the ``shapes`` (a text), and which product it is when
    exactly one of the ``known`` slips [(product, action, np.dot action, fix)] raises numpy's
    very message (else the general ``hint``)."""

    def wrapped(*args):
        try:
            return fn(*args)
        except ValueError as error:
            message = str(error)
            if not any(word in message for word in ("matmul", "aligned", "broadcast")):
                raise
            frames = [frame for frame in traceback.extract_tb(error.__traceback__)
                      if not frame.filename.startswith(_NUMPY_DIR)]   # the learner's last line
            line = frames[-1].line if frames else None
            where = f" in `{line}`" if line else ""
            matches = [(product, fix) for product, *actions, fix in known
                       if message in (_shape_error(action) for action in actions)]
            if len(matches) == 1:
                product, fix = matches[0]
                raise Failure(f"for {describe} your function computes {product}{where}, whose shapes "
                              f"do not fit ({shapes}).", hint=fix) from None
            raise Failure(f"for {describe} the shapes do not fit{where} ({shapes}).", hint=hint) from None

    return wrapped


def _products_diagnosed(fn, x, W, g, describe):
    """``fn``, a dense layer's backward pass, with a product whose shapes do not fit diagnosed
    (``_diagnosed_shapes``) for the usual slips."""
    shapes = f"x is {x.shape}, W is {W.shape}, grad_out is {g.shape}"
    known = [
        ("grad_out @ W", lambda: g @ W, lambda: np.dot(g, W),
         "dx = grad_out @ W.T: W.T is (n_out, n_in), so the product has x's shape (N, n_in)."),
        ("W @ grad_out", lambda: W @ g, lambda: np.dot(W, g),
         "dx = grad_out @ W.T: grad_out comes first, one row per example."),
        ("x @ grad_out", lambda: x @ g, lambda: np.dot(x, g),
         "dW = x.T @ grad_out: x.T is (n_in, N), so the batch axis is summed over."),
        ("x.T @ grad_out.T", lambda: x.T @ g.T, lambda: np.dot(x.T, g.T),
         "dW = x.T @ grad_out: only x is transposed."),
        ("grad_out @ x", lambda: g @ x, lambda: np.dot(g, x),
         "dW = x.T @ grad_out, which has W's shape (n_in, n_out)."),
    ]
    return _diagnosed_shapes(fn, describe, shapes, known,
                             "dx = grad_out @ W.T has x's shape; dW = x.T @ grad_out has W's shape; "
                             "db = grad_out.sum(axis=0) has b's.")


def _two_layer_diagnosed(fn, X, W1, W2, describe):
    """``fn``, the two-layer backward pass, with a product whose shapes do not fit diagnosed
    (``_diagnosed_shapes``): the usual slips go through W2 without its transpose, or take a
    weight gradient with the wrong factor first."""
    n, k, h = len(X), W2.shape[1], W2.shape[0]
    d2, d1, A1 = np.zeros((n, k)), np.zeros((n, h)), np.zeros((n, h))
    shapes = (f"X is {X.shape}, W1 is {W1.shape}, W2 is {W2.shape}; δ2 has Z2's shape {d2.shape}, "
              f"δ1 and A1 have Z1's shape {d1.shape}")
    known = [
        ("δ2 @ W2", lambda: d2 @ W2, lambda: np.dot(d2, W2),
         "δ1 = (δ2 @ W2.T) * (1 - A1**2): going down a layer multiplies by W2 transposed, "
         "(K, H), which gives one row per example and one column per hidden unit."),
        ("W2 @ δ2", lambda: W2 @ d2, lambda: np.dot(W2, d2),
         "δ1 = (δ2 @ W2.T) * (1 - A1**2): δ2 comes first, one row per example."),
        ("A1 @ δ2", lambda: A1 @ d2, lambda: np.dot(A1, d2),
         "dW2 = A1.T @ δ2: A1.T is (H, N), so the batch axis is summed over."),
        ("X @ δ1", lambda: X @ d1, lambda: np.dot(X, d1),
         "dW1 = X.T @ δ1: X.T is (inputs, N), so the batch axis is summed over."),
    ]
    return _diagnosed_shapes(fn, describe, shapes, known,
                             "each gradient has the shape of what it is the gradient of: dW2 = A1.T @ δ2 "
                             "is W2's shape, δ1 = (δ2 @ W2.T) * (1 - A1**2) is Z1's, dW1 = X.T @ δ1 is W1's.")


@checker("check_dense_backward")
def check_dense_backward(fn):
    """Check ``fn(x, W, b, grad_out) -> (dx, dW, db)``, a dense layer's backward pass.

    Each of dx, dW and db is checked on its own (shape, then value against central finite
    differences of sum((x @ W + b) * grad_out)), so a failure names the gradient that is wrong.
    """

    require_callable(fn, "backward function")
    rng = np.random.default_rng(5)
    hints = {
        "dx": "dL/dx = grad_out @ W.T: each input feeds every output through its weight.",
        "dW": "dL/dW = x.T @ grad_out: weight (i, j) is scaled by input i, summed over the batch.",
        "db": "dL/db = grad_out.sum(axis=0): every example's gradient adds up (sum, not mean).",
    }
    cases = [(1, 2, 3), (4, 3, 2), (5, 4, 4)]
    for n, n_in, n_out in cases:
        x, W = rng.normal(size=(n, n_in)), rng.normal(size=(n_in, n_out))
        b, g = rng.normal(size=n_out), rng.normal(size=(n, n_out))
        describe = f"a batch of {n}, W of shape {W.shape}"
        value = call(_products_diagnosed(fn, x, W, g, describe), x.copy(), W.copy(), b.copy(), g.copy(),
                     describe=describe,
                     hint="return the three gradients (dx, dW, db).")
        if not isinstance(value, (tuple, list)) or len(value) != 3:
            raise Failure(f"for {describe} return a tuple (dx, dW, db); got {short(value)}.")
        shapes = {"dx": (x.shape, [((n_in, n), "dx is transposed: grad_out @ W.T has one row per example.")]),
                  "dW": (W.shape, [((n_out, n_in), ("dW is transposed: x.T @ grad_out has W's shape "
                                                   "(n_in, n_out); grad_out.T @ x gives its transpose."))]),
                  "db": (b.shape, [((n,), ("db summed over the wrong axis: sum over the batch, axis=0, "
                                          "one number per output unit.")),
                                   ((1, n_out), ("db has an extra axis: drop keepdims=True, db has b's "
                                                "shape (n_out,)."))])}

        def loss(x=x, W=W, b=b, g=g):
            return np.sum((x @ W + b) * g)

        numeric = {"dx": numerical_gradient(loss, x), "dW": numerical_gradient(loss, W),
                   "db": numerical_gradient(loss, b)}
        mistakes = {"dx": [(g @ W, "dx used W instead of W.T? (grad_out @ W.T)")] if n_in == n_out else [],
                    "dW": [(x.T @ g / n, ("dW divided by the batch size: the loss gradient already "
                                         "carries the 1/N; the layer sums."))] if n > 1 else [],
                    "db": [(g.mean(axis=0), hints["db"])] if n > 1 else []}
        for name, got in zip(("dx", "dW", "db"), value):
            shape, diagnoses = shapes[name]
            array = _expect_shape(name, got, shape, describe=describe, diagnoses=diagnoses)
            _expect_gradient(name, array, numeric[name], describe=describe, hint=hints[name],
                             mistakes=mistakes[name])
    return len(cases)


@checker("check_sigmoid_backward")
def check_sigmoid_backward(fn):
    """Check ``fn(y, grad_out) -> dx`` for a sigmoid layer that kept only its output
    y = σ(x): dx = grad_out * y (1 - y)."""

    require_callable(fn, "backward function")
    rng = np.random.default_rng(6)
    hint = ("the chain rule multiplies grad_out elementwise by the local slope "
            "σ'(x) = σ(x)(1 - σ(x)), and σ(x) is the output y the layer kept: y * (1 - y).")
    cases = [rng.normal(size=(1, 3)), rng.normal(size=(4, 2)) * 3, np.array([[0.0, 10.0, -10.0]])]
    for x in cases:
        y, g = sigmoid(x), rng.normal(size=x.shape)
        describe = f"y of shape {y.shape}" + (" with outputs near 0 and 1" if np.abs(x).max() >= 10 else "")
        value = call(fn, y.copy(), g.copy(), describe=describe, hint=hint)
        array = _expect_shape("dx", value, x.shape, describe=describe)
        s = sigmoid(y)
        mistakes = [
            (g * s * (1 - s), ("y is already σ(x): applying σ to it again gives σ(σ(x)). The slope "
                              "is y * (1 - y), with y as it is.")),
            (y * (1 - y), "that is the local slope alone: multiply it by grad_out (the chain rule)."),
            (g * y, "the slope of σ is σ(x)(1 - σ(x)) = y (1 - y), not y."),
            (g * (1 - y ** 2), "1 - y² is tanh's slope (1 - tanh²); the sigmoid's is y (1 - y)."),
        ]
        _expect_gradient("dx", array, g * y * (1 - y), describe=describe, hint=hint, mistakes=mistakes)
    return len(cases)


#: The answers of the backprop-by-hand exercise: the names the learner fills in.
BY_HAND_KEYS = ("v1", "v2", "w1", "w2", "w3", "b1")


def tiny_gradients(p=TINY):
    """The tiny network's gradients by backpropagation: {name: ∂ℓ/∂name}."""
    f = tiny_forward(p)
    error = f["y_hat"] - p["y"]                       # ∂ℓ/∂ŷ
    delta1 = error * p["v1"] * (f["z1"] > 0)          # through v1, then ReLU's gate
    delta2 = error * p["v2"] * (f["z2"] > 0)
    return {"v1": error * f["h1"], "v2": error * f["h2"], "c": error,
            "w1": delta1 * p["x1"], "w2": delta1 * p["x2"], "b1": delta1,
            "w3": delta2 * p["x1"], "w4": delta2 * p["x2"], "b2": delta2}


def _by_hand_mistakes(name):
    """[(the number a typical slip gives for ``name``, what went wrong)] in the tiny network."""
    p, f = TINY, tiny_forward()
    error = f["y_hat"] - p["y"]
    sign = (-tiny_gradients()[name], ("the sign: ℓ = ½(ŷ - y)² gives ∂ℓ/∂ŷ = ŷ - y = "
                                     f"{error:+g} (the prediction {f['y_hat']:g} is too high)."))
    mistakes = {
        "v1": [(error, ("v1's gradient is the error ŷ - y times the input v1 multiplies, h1 = "
                       f"{f['h1']:g}."))],
        "v2": [(error * f["z2"], "v2 multiplies h2 = ReLU(z2) = 0, not z2: its gradient is (ŷ - y) · h2.")],
        "w1": [(error * p["x1"], ("the signal reaching h1 is (ŷ - y) · v1: it flows back through the "
                                 "weight v1.")),
               (error * p["v1"] * p["x2"], (f"{error * p['v1'] * p['x2']:g} is δ1 · x2, w2's gradient: w1 "
                                            f"multiplies x1 = {p['x1']:g}, so ∂ℓ/∂w1 = δ1 · x1."))],
        # (ŷ - y) v1 = δ1 (b1's gradient), (ŷ - y) v1 x1 (w1's) and (ŷ - y) x2 are one number
        # here (x1 = 1, v1 = x2 = 2): the slip is a factor left out, not which one.
        "w2": [(error * p["v1"], (f"{error * p['v1']:g} is two of the three factors: ∂ℓ/∂w2 = (ŷ - y) · v1 · x2 "
                                  f"= {error:g} · {p['v1']:g} · {p['x2']:g}, the error back through v1 (ReLU's "
                                  "slope at z1 > 0 is 1), times the input w2 multiplies, x2 (not x1).")),
               (error, (f"{error:g} is ŷ - y alone: the signal reaching h1 is (ŷ - y) · v1, and w2's "
                        "gradient is that times the input w2 multiplies, x2.")),
               (0.0, (f"h1 is on (z1 = {f['z1']:g} > 0): ReLU's slope there is 1, so the gradient reaches "
                      "w1, w2 and b1; only h2's weights get 0."))],
        "w3": [(error * p["v2"] * p["x1"], (f"h2 is off (z2 = {f['z2']:g} < 0): ReLU's slope there is 0, "
                                           "so no gradient reaches w3 (max routes it elsewhere)."))],
        "b1": [(error, ("the signal reaching h1 is (ŷ - y) · v1, and ReLU's slope at z1 > 0 is 1: "
                       "b1's gradient is that δ1 itself.")),
               (error * p["v1"] * p["x2"], ("a bias multiplies no input (add distributes): ∂ℓ/∂b1 = δ1 · 1 "
                                            "= δ1, not δ1 times x2."))],
    }[name]
    return [sign] + mistakes


@checker("check_backprop_by_hand")
def check_backprop_by_hand(answers):
    """Check ``answers`` = {"v1": ..., "v2": ..., "w1": ..., "w2": ..., "w3": ..., "b1": ...}:
    the gradients of the loss of the tiny network (``TINY``) with respect to those weights."""

    if not isinstance(answers, dict):
        raise TypeError(f"pass a dict of your numbers, {{'v1': ..., 'w1': ...}}; got {type(answers).__name__}")
    missing = [k for k in BY_HAND_KEYS if answers.get(k, ...) is ... or answers.get(k) is None]
    if missing:
        raise Failure(f"fill in every gradient: {', '.join(missing)} "
                      f"{'is' if len(missing) == 1 else 'are'} still missing (None or absent).")
    expected = tiny_gradients()
    for name in BY_HAND_KEYS:
        got = as_number(answers[name])
        if got is None:
            raise Failure(f"∂ℓ/∂{name} should be one number; got {answers[name]!r}.")
        if np.isclose(got, expected[name], rtol=1e-6, atol=1e-9):
            continue
        why = diagnose(got, _by_hand_mistakes(name), rtol=1e-6, atol=1e-9)
        if why:
            raise Failure(f"∂ℓ/∂{name} = {got:g} is not right.", hint=why)
        raise Failure(f"∂ℓ/∂{name} = {got:g} is not right.\n   Hint: go backwards one step at a time: "
                      "∂ℓ/∂ŷ, then the signal at each hidden unit (through its outgoing weight and "
                      "ReLU's slope), then times the input the weight multiplies.")
    return len(BY_HAND_KEYS)


def two_layer_loss(X, Y, W1, b1, W2, b2):
    """The two-layer exercise's loss: mean softmax cross-entropy of tanh(X W1 + b1) W2 + b2."""
    Z2 = np.tanh(X @ W1 + b1) @ W2 + b2
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    return float(-np.mean(np.sum(Y * (Z2 - np.log(np.exp(Z2).sum(axis=1, keepdims=True))), axis=1)))


def _two_layer_variants(X, Y, W1, b1, W2, b2):
    """The right gradients and those of typical slips: {variant: {name: gradient}}."""
    n = len(X)
    Z1 = X @ W1 + b1
    A1 = np.tanh(Z1)
    P = softmax(A1 @ W2 + b2, axis=1)

    def backward(delta2, slope, A=A1):
        delta1 = (delta2 @ W2.T) * slope
        return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0), "W2": A.T @ delta2, "b2": delta2.sum(axis=0)}

    right = backward((P - Y) / n, 1 - A1 ** 2)
    return {
        "right": right,
        "no 1/N": backward(P - Y, 1 - A1 ** 2),
        "no tanh slope": backward((P - Y) / n, 1.0),
        "slope at Z1": backward((P - Y) / n, 1 - Z1 ** 2),
        "Z1 for A1": backward((P - Y) / n, 1 - A1 ** 2, A=Z1),
        "sigmoid slope": backward((P - Y) / n, A1 * (1 - A1)),
        "bias means": {**right, "b1": right["b1"] / n, "b2": right["b2"] / n},
    }


TWO_LAYER_DIAGNOSES = {
    "no 1/N": "your gradients are N times too large: the loss is the MEAN over the batch, so "
              "δ2 = (softmax(Z2) - Y) / N.",
    "no tanh slope": "the signal going back through the hidden layer must be multiplied by tanh's "
                     "slope: δ1 = (δ2 @ W2.T) * (1 - A1**2).",
    "slope at Z1": "tanh'(Z1) = 1 - tanh(Z1)², that is 1 - A1**2; you used 1 - Z1**2.",
    "Z1 for A1": "W2 multiplies the hidden layer's OUTPUT A1 = tanh(Z1), not Z1: dW2 = A1.T @ δ2.",
    "sigmoid slope": "A1 * (1 - A1) is the sigmoid's slope; the hidden units are tanh, whose slope is "
                     "1 - tanh(Z1)² = 1 - A1**2.",
    "bias means": "a bias gradient is the column SUM of its δ: δ2 = (softmax(Z2) - Y) / N already "
                  "carries the 1/N of the mean, so averaging again divides by N twice.",
}


@checker("check_two_layer_backward")
def check_two_layer_backward(fn):
    """Check ``fn(X, Y, W1, b1, W2, b2) -> {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}``:
    the full backward pass of Z1 = X W1 + b1, A1 = tanh(Z1), Z2 = A1 W2 + b2 and the mean
    softmax cross-entropy of Z2 against one-hot Y."""

    require_callable(fn, "backward function")
    rng = np.random.default_rng(7)
    cases = [(1, 2, 3, 2), (5, 3, 4, 3), (8, 2, 5, 4)]
    hint = ("go back one layer at a time: δ2 = (softmax(Z2) - Y) / N, dW2 = A1.T @ δ2, db2 = δ2's "
            "column sums; δ1 = (δ2 @ W2.T) * (1 - A1**2), dW1 = X.T @ δ1, db1 = δ1's column sums.")
    for n, d, h, k in cases:
        X = rng.normal(size=(n, d))
        Y = np.eye(k)[rng.integers(k, size=n)]
        params = {"W1": rng.normal(size=(d, h)), "b1": rng.normal(size=h) * 0.1,
                  "W2": rng.normal(size=(h, k)), "b2": rng.normal(size=k) * 0.1}
        describe = f"a batch of {n}, {d} inputs, {h} hidden units, {k} classes"
        value = call(_two_layer_diagnosed(fn, X, params["W1"], params["W2"], describe), X.copy(), Y.copy(),
                     *(p.copy() for p in params.values()), describe=describe,
                     hint='return a dict {"W1": ..., "b1": ..., "W2": ..., "b2": ...}.')
        if not isinstance(value, dict) or set(value) != set(params):
            got = sorted(value) if isinstance(value, dict) else type(value).__name__
            raise Failure(f'for {describe} return a dict with the keys "W1", "b1", "W2", "b2"; got {got}.')
        variants = _two_layer_variants(X, Y, **params)
        for name in ("W2", "b2", "W1", "b1"):   # the order backpropagation finds them
            shape = params[name].shape
            diagnoses = [((shape[1], shape[0]), (f"d{name} is transposed: it has {name}'s shape, "
                                                f"{'A1' if name == 'W2' else 'X'}.T @ δ."))] if name[0] == "W" \
                else [((n,), f"d{name} summed over the wrong axis: sum over the batch (axis=0)."),
                      ((1, shape[0]), f"d{name} has an extra axis: it has {name}'s shape {shape}.")]
            array = _expect_shape(f"d{name}", value[name], shape, describe=describe, diagnoses=diagnoses)
            mistakes = [(variants[v][name], TWO_LAYER_DIAGNOSES[v]) for v in TWO_LAYER_DIAGNOSES]
            _expect_gradient(f"d{name}", array, variants["right"][name], describe=describe, hint=hint,
                             mistakes=mistakes)
    return len(cases)


def _as_written(f, x, h, central=True, rows=False):
    """What a learner's loop computes, divided by the step as written (2h or h, not the step the
    rounded x + h really takes, as ``gradcheck.numerical_gradient`` does): each entry of x nudged
    on both sides (``central``) or forward only, or each whole row x[i] (``rows``: the slip of
    ``for i in range(len(x))`` on a 2-D x, which gives the sum of the row's partial derivatives)."""
    grad = np.zeros_like(x)
    for index in (range(len(x)) if rows else np.ndindex(x.shape)):
        plus = x.copy()
        plus[index] += h
        if central:
            minus = x.copy()
            minus[index] -= h
            grad[index] = (f(plus) - f(minus)) / (2 * h)
        else:
            grad[index] = (f(plus) - f(x)) / h
    return grad


def _along(a, b):
    """True when the arrays point the same way (cosine above 0.99): an error shaped like
    another's, whatever its size."""
    a, b = np.ravel(a), np.ravel(b)
    norms = np.linalg.norm(a) * np.linalg.norm(b)
    return bool(norms > 0 and np.dot(a, b) / norms > 0.99)


@checker("check_numerical_gradient")
def check_numerical_gradient(fn):
    """Check ``fn(f, x, h=1e-6) -> array``: the gradient of the scalar function f at the
    array x by central differences, with x unchanged afterwards."""

    require_callable(fn, "function")
    cases = [
        (lambda x: float(np.sum(x ** 3)), np.array([1.0, -2.0, 0.5]), "f(x) = sum(x³), gradient 3x²"),
        (lambda x: float(np.exp(3 * x[0, 0]) + x[0, 1] * x[1, 0]), np.array([[1.0, 2.0], [-1.0, 0.5]]),
         "f(x) = e^(3 x₀₀) + x₀₁ x₁₀ on a 2x2 array"),
    ]
    exact = [lambda x: 3 * x ** 2,
             lambda x: np.array([[3 * np.exp(3 * x[0, 0]), x[1, 0]], [x[0, 1], 0.0]])]
    for (f, x, describe), gradient in zip(cases, exact):
        x_in = x.copy()
        value = call(fn, f, x_in, describe=describe, hint="return an array shaped like x.")
        if not np.array_equal(x_in, x):
            if np.allclose(x_in, x, rtol=1e-12, atol=0):   # put back by arithmetic: off by round-off
                raise Failure(f"for {describe} your function left x changed, by round-off "
                              f"({short(x_in)} instead of {short(x)}).\n   Hint: adding h and "
                              "subtracting it again does not always give the same number back in floating "
                              "point. Save the entry and put it back (old = x[i], ..., x[i] = old), or nudge "
                              "a copy of x.")
            raise Failure(f"for {describe} your function left x changed ({short(x_in)} instead of "
                          f"{short(x)}).\n   Hint: nudge a copy of x, or put each entry back after its nudge.")
        array = _expect_shape("the gradient", value, x.shape, describe=describe)
        expected = gradient(x)
        h = 1e-6
        forward = _as_written(f, x, h, central=False)
        one_sided = ("a one-sided difference (f(x + h) - f(x)) / h is off by about h f''/2; the "
                     "central difference (f(x + h) - f(x - h)) / 2h is far closer.")
        mistakes = [
            (2 * expected, "twice the slope: the two points x - h and x + h are 2h apart, divide by 2h."),
            (forward, one_sided),
            (np.zeros_like(x), "every entry is 0: f never saw the nudged x. Evaluate f on the nudged array."),
        ]
        if x.ndim > 1:
            mistakes.append((_as_written(f, x, h, rows=True), (
                "each nudge moved a whole row: on a 2-D array x[i] is row i. Nudge one entry at a "
                "time, x[index] for index in np.ndindex(x.shape).")))
        error = rel_error(array, expected)
        if error < 1e-8:   # central differences are this close on these smooth functions
            continue
        for wrong, diagnosis in mistakes:
            if rel_error(array, wrong) < 1e-8:
                raise Failure(f"for {describe} your gradient is off (relative error {error:.2g}).\n"
                              f"   Hint: {diagnosis}")
        other = next((step for step in 10.0 ** np.arange(-13, 0) if not np.isclose(step, h)
                      and rel_error(array, _as_written(f, x, step)) < 1e-10), None)
        if other is not None:
            why = ("a larger step adds truncation error, about h² f‴/6" if other > h
                   else "a smaller step adds round-off, about ε|f|/h")
            raise Failure(f"for {describe} your gradient is off (relative error {error:.2g}): it is the "
                          f"central difference with the step {other:g}, not with h = {h:g}.\n   Hint: use "
                          f"the step h your function is given (1e-6 by default): {why}.")
        if _along(array - expected, forward - expected):   # a one-sided difference with another h
            raise Failure(f"for {describe} your gradient is off (relative error {error:.2g}).\n"
                          f"   Hint: {one_sided}")
        raise Failure(f"for {describe} expected {short(np.round(expected, 6))}, got "
                      f"{short(np.round(array, 6))}.\n   Hint: for each entry i: "
                      "(f(x + h eᵢ) - f(x - h eᵢ)) / (2h).")
    return len(cases)


#: The softmax exercise's batch: scores Z (2 examples, 3 classes) and the target classes.
SOFTMAX_SCORES = ((2.0, 1.0, 0.0), (0.0, 0.0, 0.0))
SOFTMAX_LABELS = (1, 2)


def softmax_gradient_variants(Z=SOFTMAX_SCORES, labels=SOFTMAX_LABELS):
    """∂𝓛/∂Z for the mean softmax cross-entropy of scores ``Z`` against ``labels``, and the
    values of typical slips: {variant: (N, K) array}; "right" is (softmax(Z) - Y) / N."""
    Z = np.asarray(Z, dtype=float)
    n = len(Z)
    Y = np.eye(Z.shape[1])[list(labels)]
    P = softmax(Z, axis=1)
    return {
        "right": (P - Y) / n,
        "no 1/N": P - Y,
        "sign": (Y - P) / n,
        "sign, no 1/N": Y - P,
        "no -y": P / n,
        "stopped at p": -Y / P / n,
        "own path only": -Y * (1 - P) / n,
        "scores for p": (Z - Y) / n,
        "unnormalised": (np.exp(Z) - Y) / n,
        "softmax over the batch": (softmax(Z, axis=0) - Y) / n,
        "classes from 1": (P - np.eye(Z.shape[1])[[label - 1 for label in labels]]) / n,
    }


SOFTMAX_DIAGNOSES = {
    "no 1/N": "twice too large: 𝓛 is the MEAN over the 2 examples, so each row is divided by N = 2.",
    "sign": "the sign: ∂ℓ/∂z_j = p_j - y_j. Raising the right class's score lowers the loss, so its "
            "entry is negative.",
    "sign, no 1/N": "the sign (∂ℓ/∂z_j = p_j - y_j, the right class's entry is negative), and 𝓛 is the "
                    "mean over N = 2 examples: divide by 2.",
    "no -y": "that is p / N: the target's -1 is missing. ∂ℓ/∂z_j = p_j - y_j.",
    "stopped at p": "that is ∂ℓ/∂p = -y / p: go on through the softmax, summing over the K paths from "
                    "z_j through every p_k.",
    "own path only": "you followed only the path from z_j through its own p_j: z_j is in every p_k's "
                     "denominator, and the paths through the other p_k add p_j to every entry.",
    "scores for p": "z - y uses the scores: turn them into probabilities first, p = softmax(z).",
    "unnormalised": "exp(z) alone is not a probability: divide by the row's sum, p_k = e^(z_k) / Σ_j e^(z_j).",
    "softmax over the batch": "the softmax is taken over each example's K scores (along a row, axis=1), "
                              "not over the batch.",
    "classes from 1": "the classes count from 0: class 1 is the SECOND column and class 2 the third, so "
                      "the target's -1 goes in column 1 of the first row and column 2 of the second.",
}


@checker("check_softmax_gradient")
def check_softmax_gradient(answer):
    """Check ``answer``: ∂𝓛/∂Z, by hand, for the mean softmax cross-entropy of the scores
    ``SOFTMAX_SCORES`` (2 examples, 3 classes) against the classes ``SOFTMAX_LABELS``.
    Answers rounded to two decimals pass."""

    variants = softmax_gradient_variants()
    expected = variants["right"]
    describe = "Z = [[2, 1, 0], [0, 0, 0]], classes 1 and 2"
    entries = np.ravel(np.asarray(answer, dtype=object)) if answer is not None else [None]
    if any(entry is None or entry is ... for entry in entries):
        raise Failure("fill in all six numbers of ∂𝓛/∂Z (one row per example, one column per class).")
    got = as_numbers_or_none(answer)
    if got is None:
        raise Failure(f"∂𝓛/∂Z should be numbers, 2 rows of 3; got {short(answer)!r:.60}.")
    if got.shape != expected.shape:
        why = {(3, 2): "it is transposed: one row per example (2), one column per class (3).",
               (3,): "one row per example: the gradient has Z's shape, (2, 3), not summed over the batch.",
               (6,): "write it as 2 rows of 3, Z's shape."}.get(got.shape, "∂𝓛/∂Z has Z's shape, (2, 3).")
        raise Failure(f"for {describe}, ∂𝓛/∂Z should have shape (2, 3); got shape {got.shape}.", hint=why)
    close = 0.0051   # two decimals pass
    if np.allclose(got, expected, rtol=0, atol=close):
        return 1
    why = diagnose(got, [(variants[v], SOFTMAX_DIAGNOSES[v]) for v in SOFTMAX_DIAGNOSES], rtol=0, atol=close)
    if why:
        raise Failure(f"for {describe}, ∂𝓛/∂Z is not right.", hint=why)
    error = np.abs(got - expected).max()
    if error < 0.05:   # one decimal, or probabilities rounded early
        raise Failure(f"for {describe}, ∂𝓛/∂Z is close, but off by up to {error:.2g}.",
                      hint="give two decimals, and keep three decimals of each p_k until the end.")
    if not np.allclose(got.sum(axis=1), 0, atol=3 * close):
        raise Failure(f"for {describe}, ∂𝓛/∂Z is not right: its rows sum to "
                      f"{short(np.round(got.sum(axis=1), 3))}.",
                      hint="each row p - y sums to 0, since the probabilities and the one-hot target "
                           "each sum to 1.")
    raise Failure(f"for {describe}, ∂𝓛/∂Z is not right.",
                  hint="for each example p = softmax(z), then (p - y) / N, with y one-hot.")
