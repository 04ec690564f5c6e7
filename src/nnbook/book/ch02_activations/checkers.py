"""Chapter 2's exercise checkers, each with its table of wrong answers and diagnoses."""

import contextlib
import functools

import numpy as np

from nnbook.activations import ACTIVATIONS
from nnbook.checks import Failure, as_number, as_numbers_or_none, call, checker, diagnose, require_callable

# --- Exercise checkers ---------------------------------------------------------------------


@contextlib.contextmanager
def _watching_exp():
    """Within the block, np.exp records the largest argument of every call that overflows
    (above log of the largest float of its type) in the list it yields; np.exp is restored after."""
    real_exp, overflowed = np.exp, []

    def exp(z, *args, **kwargs):
        values = np.asarray(z)
        if values.size and np.issubdtype(values.dtype, np.floating):
            top = np.nanmax(values) if not np.all(np.isnan(values)) else -np.inf
            if top > np.log(np.finfo(values.dtype).max):
                overflowed.append(float(top))
        return real_exp(z, *args, **kwargs)

    np.exp = exp
    try:
        yield overflowed
    finally:
        np.exp = real_exp


@checker("check_stable_sigmoid")
def check_stable_sigmoid(fn):
    """Check ``fn(x)``: the logistic sigmoid of an array, exact and with no overflow warning."""
    from scipy.special import expit

    require_callable(fn, "sigmoid function")
    cases = [
        (np.array([0.0]), "sigmoid(0) is exactly 0.5."),
        (np.array([-2.0, -0.5, 0.5, 2.0]), "1 / (1 + exp(-x)) for moderate x."),
        (np.array([30.0, 700.0, 1000.0]), "large positive x: exp(x) overflows here. np.where(c, a, b) "
         "computes both a and b for every entry, so a branch you do not pick still overflows: compute "
         "e = np.exp(-np.abs(x)) once and build both forms from it."),
        (np.array([-30.0, -700.0, -1000.0]), "large negative x: exp(-x) overflows; "
         "use exp(x) / (1 + exp(x)) for x < 0, where exp only sees numbers <= 0."),
        (np.linspace(-5, 5, 7).reshape(7, 1), "keep the input's shape."),
    ]
    for x, hint in cases:
        describe = f"x={np.round(x.ravel(), 3).tolist()}"
        with _watching_exp() as overflowed:
            value = call(fn, x.copy(), describe=describe, hint=hint, warnings_fail=True)
        if overflowed:
            raise Failure(f"for {describe} your function computed np.exp({overflowed[0]:g}), which overflows to "
                          "inf (a silenced warning, with np.errstate or warnings.filterwarnings, still "
                          "overflows). The answer may even come out right, but the exercise is a sigmoid "
                          "whose exp never overflows.", hint=hint)
        got = as_numbers_or_none(value)
        if got is None or got.shape != x.shape:
            shape = "not numbers" if got is None else f"shape {got.shape}"
            raise Failure(f"for {describe} expected an array of shape {x.shape}, got {shape}.\n   Hint: {hint}")
        expected = expit(x)
        if np.allclose(got, expected, rtol=1e-12, atol=1e-300):
            continue
        tiny = (x < -20) & (got > 10 * expected + 1e-300)
        if np.any(tiny):
            k = np.flatnonzero(tiny.ravel())[0]
            raise Failure(f"for x={x.ravel()[k]:g} expected {expected.ravel()[k]:.3g}, got {got.ravel()[k]:.3g}: "
                          "far too large. Clipping x (or exp) before the formula changes the answer in the "
                          "tails.\n   Hint: sigmoid(x) = exp(x) / (1 + exp(x)) is exact for x < 0 and never "
                          "overflows there; no clipping is needed.")
        raise Failure(f"for {describe} expected {expected.ravel().tolist()}, "
                      f"got {got.ravel().tolist()}.\n   Hint: {hint}")
    return len(cases)


@checker("check_relu_derivative")
def check_relu_derivative(fn):
    """Check ``fn(x)``: ReLU's derivative of an array: 1.0 where x > 0, else 0.0 (0 at x = 0)."""
    require_callable(fn, "derivative function")
    cases = [
        (np.array([2.0]), "for x > 0, ReLU(x) = x, so the slope is 1."),
        (np.array([-3.0]), "for x < 0, ReLU(x) = 0, a flat line: slope 0."),
        (np.array([0.0]), "at the kink we use 0 (the book's convention): test x > 0, not x >= 0."),
        (np.array([-1.0, 0.5, 0.0, 4.0, -0.1]), "work elementwise on the whole array."),
        (np.arange(-3.0, 3.0).reshape(2, 3), "keep the input's shape."),
    ]
    for x, hint in cases:
        expected = (x > 0).astype(np.float64)
        describe = f"x={x.tolist()}"
        value = call(fn, x.copy(), describe=describe, hint=hint)
        got = as_numbers_or_none(value)
        if got is None or got.shape != x.shape:
            shape = "not numbers" if got is None else f"shape {got.shape}"
            raise Failure(f"for {describe} expected an array of shape {x.shape}, got {shape}.\n   Hint: {hint}")
        if np.array_equal(got, expected) and np.asarray(value).dtype == bool:
            raise Failure(f"for {describe} you returned True/False values (dtype bool); a derivative is a "
                          "number that backpropagation multiplies by.\n   Hint: turn the comparison into "
                          "floats with .astype(float).")
        if np.array_equal(got, expected):
            continue
        if np.array_equal(got, np.maximum(x, 0)):
            raise Failure(f"for {describe} you returned ReLU's values {got.tolist()}, not its slope "
                          f"{expected.tolist()}.\n   Hint: the slope of max(0, x) is 1 wherever x > 0.")
        if np.any(got[x < 0] < 0):
            raise Failure(f"for {describe} you returned {got.tolist()}: negative slopes where x < 0. "
                          "ReLU is flat (0) there, not falling.\n   Hint: np.sign(x) is -1 for x < 0; "
                          "use x > 0.")
        if np.any(got[x == 0] != 0):
            raise Failure(f"for {describe} you returned {got.tolist()}: slope {got[x == 0][0]:g} at x = 0. "
                          f"ReLU has a kink there; the book (like most libraries) uses 0.\n   Hint: {hint}")
        raise Failure(f"for {describe} expected {expected.tolist()}, got {got.tolist()}.\n   Hint: {hint}")
    return len(cases)


#: Wrong answers to the tanh exercise that a learner reaches, and what each one solved.
_TANH_MISTAKES = (
    (float(np.arctanh(0.99)), "that solves tanh(x) = 0.99 (or 1 - tanh(x) = 0.01); the slope is "
     "1 - tanh(x)**2, so the condition is tanh(x)**2 = 0.99: take the square root before np.arctanh."),
    (float(np.arctanh(np.sqrt(0.9))), "that is where the slope falls below 0.1 (10%); the question asks "
     "for 0.01 (1%)."),
    (float(np.arctanh(0.01)), "that solves tanh(x) = 0.01; the condition is on the slope, "
     "1 - tanh(x)**2 = 0.01."),
    (-float(np.arctanh(np.sqrt(0.99))), "that is the negative solution; the question asks for x > 0 "
     "(the slope is symmetric, so drop the sign)."),
    (float(np.degrees(np.arctanh(np.sqrt(0.99)))), "that is the answer converted to degrees; x is not an "
     "angle, so keep np.arctanh's value as it is."),
)


#: How far from artanh(sqrt(0.99)) = 2.9932 an answer may be: the page's own "about 3" and
#: any rounding to two decimals (2.99) pass; within ``TANH_CLOSE`` the checker says "close".
TANH_TOLERANCE, TANH_CLOSE = 0.01, 0.1


@checker("check_tanh_saturation")
def check_tanh_saturation(x_flat):
    """Check the smallest x > 0 where tanh's slope falls below 0.01: 2.9932..., and any
    sensible rounding of it (2.99, 3) passes."""
    expected = float(np.arctanh(np.sqrt(0.99)))
    got = as_number(x_flat)
    if got is None:
        raise Failure(f"expected one number, got {x_flat!r}.")
    if abs(got - expected) <= TANH_TOLERANCE:
        return 1
    why = diagnose(got, _TANH_MISTAKES, close=lambda got, wrong: abs(got - wrong) <= 5e-4 * max(1.0, abs(wrong)))
    if why:
        raise Failure(f"{got:.4f} is not it: {why}")
    direction = "larger" if got < expected else "smaller"
    if abs(got - expected) <= TANH_CLOSE:
        raise Failure(f"{got:.4f} is close, but the answer is a little {direction} (off by "
                      f"{abs(got - expected):.2f}).", hint="compute it from the formula rather than reading it "
                      "off the plot: 1 - tanh(x)**2 = 0.01, so x = np.arctanh(np.sqrt(0.99)).")
    raise Failure(f"{got:.4f} is not it; the answer is {direction}.",
                  hint="solve 1 - tanh(x)**2 = 0.01 for tanh(x), then apply np.arctanh.")


def collapse_stack(Ws, bs):
    r"""The one layer equal to a stack of layers without activations: (W, b) with
    $W = W^{[1]} W^{[2]} \cdots$ and the bias carried through, $b \leftarrow b\,W^{[l]} + b^{[l]}$.

    Ws: [(n_0, n_1), (n_1, n_2), ...]; bs: [(n_1,), (n_2,), ...] -> W (n_0, n_L), b (n_L,).
    """
    W, b = np.asarray(Ws[0], dtype=np.float64), np.asarray(bs[0], dtype=np.float64)
    for W_next, b_next in zip(Ws[1:], bs[1:]):
        W, b = W @ W_next, b @ W_next + b_next
    return W, b


#: The stacks ``check_collapse`` tries, in order: square layers first (most slips give a
#: wrong number there rather than a shape error), then other lengths and sizes.
COLLAPSE_STACKS = (
    ([3, 3, 3, 3, 3, 3], "five layers of 3 units"),
    ([2, 3, 4, 2], "three layers, as in the chapter's first cell"),
    ([2, 5, 1], "two layers"),
    ([3, 2], "one layer (nothing to collapse)"),
)


@checker("check_collapse")
def check_collapse(fn):
    """Check ``fn(Ws, bs) -> (W, b)``: the single layer equal to a stack of layers without
    activations, for stacks of 1 to 5 layers."""
    require_callable(fn, "collapse function")
    rng = np.random.default_rng(7)
    hint = "carry the bias along, layer by layer: W = W @ W_next and b = b @ W_next + b_next."
    for sizes, what in COLLAPSE_STACKS:
        Ws = [rng.normal(size=(m, n)) for m, n in zip(sizes, sizes[1:])]
        bs = [rng.normal(size=n) for n in sizes[1:]]
        describe = f"{what}, sizes {sizes}"
        value = call(fn, [W.copy() for W in Ws], [b.copy() for b in bs], describe=describe, hint=hint)
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            raise Failure(f"for {describe} expected a pair (W, b), got {type(value).__name__}.\n"
                          "   Hint: end with `return W, b`.")
        W_true, b_true = collapse_stack(Ws, bs)
        W, b = as_numbers_or_none(value[0]), as_numbers_or_none(value[1])
        if W is None or W.shape != W_true.shape:
            got = "not numbers" if W is None else f"shape {W.shape}"
            raise Failure(f"for {describe} W should have shape {W_true.shape} (the first layer's "
                          f"{sizes[0]} inputs by the last layer's {sizes[-1]} units); got {got}.\n"
                          "   Hint: multiply the weight matrices in the order the data meets them: "
                          "Ws[0] @ Ws[1] @ ...")
        if b is None or b.size != b_true.size:
            got = "not numbers" if b is None else f"shape {b.shape}"
            raise Failure(f"for {describe} b should have shape {b_true.shape} (one bias per unit of "
                          f"the last layer); got {got}.\n   Hint: {hint}")
        b = b.reshape(b_true.shape)
        if not np.allclose(W, W_true):
            products = [functools.reduce(np.matmul, Ws[:k]) for k in range(1, len(Ws))]
            short = [k for k, P in enumerate(products, start=1) if np.allclose(W, P)]
            if short:
                raise Failure(f"for {describe} your W is the product of the first {short[0]} weight "
                              f"matrices only, not of all {len(Ws)}.\n   Hint: loop over every layer, "
                              "however many there are.")
            if len(Ws) > 1 and np.allclose(W, functools.reduce(np.matmul, Ws[::-1])):
                raise Failure(f"for {describe} your W multiplies the matrices in reverse order. The "
                              "input meets W1 first: (x W1) W2 = x (W1 W2), so W = W1 W2 ..., not W2 W1."
                              f"\n   Hint: {hint}")
            raise Failure(f"for {describe} your W is wrong (b not yet checked).\n   Hint: {hint}")
        if np.allclose(b, b_true):
            continue
        if len(bs) > 1 and np.allclose(b, bs[-1]):
            raise Failure(f"for {describe} your b is the last layer's bias only. The earlier biases "
                          "pass through the later layers too: (x W1 + b1) W2 + b2 = x W1 W2 + "
                          f"(b1 W2 + b2).\n   Hint: {hint}")
        if len(bs) > 1 and len({len(v) for v in bs}) == 1 and np.allclose(b, np.sum(bs, axis=0)):
            raise Failure(f"for {describe} your b adds up the biases. But each bias is multiplied by "
                          "the weights of every later layer on its way: (x W1 + b1) W2 + b2 = "
                          f"x W1 W2 + (b1 W2 + b2).\n   Hint: {hint}")
        if len(bs) > 1 and np.allclose(b, bs[0] @ functools.reduce(np.matmul, Ws[1:])):
            raise Failure(f"for {describe} your b carries the first layer's bias through the later "
                          "layers but leaves out their own biases.\n   Hint: after each "
                          "multiplication add that layer's bias: b = b @ W_next + b_next.")
        raise Failure(f"for {describe} your W is right but your b is wrong.\n   Hint: {hint}")
    return len(COLLAPSE_STACKS)


#: The jobs of the "choose the activation" exercise: {job: (the activations that do it well,
#: {a poor choice: what goes wrong with it})}. "identity" and "softmax" count as answers too.
ACTIVATION_JOBS = {
    "the hidden layers of a 20-layer network": (
        {"relu", "leaky_relu", "elu", "selu", "tanh", "softplus"},
        {"sigmoid": "its slope is at most 0.25, and Glorot's scale does not allow for that: through 20 "
                    "layers the backward signal shrinks about fourfold per layer",
         "step": "its slope is 0 everywhere: no gradient reaches any weight",
         "identity": "without a non-linear activation the 20 layers collapse into one linear layer",
         "softmax": "softmax ties a layer's units into probabilities that sum to 1; hidden units need no such "
                    "constraint, and it squeezes their signal"}),
    "the output giving the probability that an email is spam": (
        {"sigmoid"},
        {"relu": "it can output 3.7, which is no probability",
         "tanh": "it can output -0.5, which is no probability",
         "softmax": "softmax of one output is always exactly 1",
         "identity": "its output can be any number, not a probability between 0 and 1",
         "step": "it answers 0 or 1 with no confidence in between, and its slope 0 gives no gradient"}),
    "the outputs giving the probabilities of the 10 digits": (
        {"softmax"},
        {"sigmoid": "ten separate sigmoids need not sum to 1, but an image shows exactly one digit",
         "relu": "ReLU outputs are neither bounded by 1 nor made to sum to 1",
         "identity": "raw scores are not probabilities: they can be negative and need not sum to 1",
         "tanh": "tanh outputs can be negative and need not sum to 1"}),
    "the output predicting tomorrow's temperature in °C": (
        {"identity"},
        {"relu": "it can never predict a frost: its output is never below 0",
         "softplus": "its output is always above 0, so it cannot predict a frost",
         "sigmoid": "its output stays between 0 and 1 degrees",
         "tanh": "its output stays between -1 and 1 degrees",
         "elu": "its output never goes below -1 degree"}),
}

#: Every name the checker knows.
ACTIVATION_NAMES = tuple(ACTIVATIONS) + ("identity", "softmax")


@checker("check_activation_choices")
def check_activation_choices(choices):
    """Check ``choices``: {job in ACTIVATION_JOBS: the name of an activation for it}."""
    if not isinstance(choices, dict):
        raise TypeError(f"pass a dict {{job: activation name}}; got {type(choices).__name__}")
    for job, (good, poor) in ACTIVATION_JOBS.items():
        name = choices.get(job)
        if name is None:
            raise Failure(f"no answer for {job!r}.")
        name = str(name).strip().lower().replace(" ", "_").replace("-", "_")
        if name not in ACTIVATION_NAMES:
            raise Failure(f"{job!r}: {choices[job]!r} is not one of the names {', '.join(ACTIVATION_NAMES)}.")
        if name in good:
            continue
        why = poor.get(name, "think about the range of values this job needs, and whether gradients get through")
        raise Failure(f"{job!r}: {name} is a poor choice: {why}.")
    return len(ACTIVATION_JOBS)
