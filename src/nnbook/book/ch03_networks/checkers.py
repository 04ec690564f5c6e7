"""Chapter 3's exercise checkers, each with its table of wrong answers and diagnoses."""

import numpy as np

from nnbook.activations import relu, sigmoid
from nnbook.checks import (
    Failure,
    as_number,
    as_numbers_or_none,
    call,
    checker,
    expect_number,
    require_callable,
)
from nnbook.losses import binary_cross_entropy_from_logits

# --- Exercise checkers ---------------------------------------------------------------------

#: The bump of the exercise ch3-bump: (x, y) corners; 0 left of 1 and right of 4.
BUMP_CORNERS = ((1.0, 0.0), (2.0, 3.0), (4.0, 0.0))


def bump_target(x):
    """The exercise's bump: 0 up to x = 1, up with slope 3 to 3 at x = 2, down with slope
    -1.5 to 0 at x = 4, then 0."""
    (x0, _), (x1, peak), (x2, _) = BUMP_CORNERS
    x = np.asarray(x, dtype=np.float64)
    return np.interp(x, [x0, x1, x2], [0.0, peak, 0.0], left=0.0, right=0.0)


def _bump_network(W1, b1, W2, b2):
    """The learner's weights as arrays, checked for shape; raises Failure with a shape hint."""
    arrays = {}
    for name, value, shape, what in (("W1", W1, (1, 3), "one input, three units: [[w1, w2, w3]]"),
                                      ("b1", b1, (3,), "one bias per hidden unit"),
                                      ("W2", W2, (3, 1), "three hidden units into one output: [[v1], [v2], [v3]]"),
                                      ("b2", b2, (1,), "one bias for the output unit: [b]")):
        array = as_numbers_or_none(value)
        if array is None or array.shape != shape:
            got = "not numbers" if array is None else f"shape {array.shape}"
            raise Failure(f"{name} should have shape {shape} ({what}); got {got}.")
        if not np.all(np.isfinite(array)):
            raise Failure(f"{name} holds NaN or inf; every weight must be a finite number.")
        arrays[name] = array
    return arrays


@checker("check_relu_bump")
def check_relu_bump(W1, b1, W2, b2):
    """Check the weights of a 1-3-1 ReLU network, ``relu(x @ W1 + b1) @ W2 + b2``, that
    draws ``bump_target``: 0 up to x = 1, a peak of 3 at x = 2, 0 again from x = 4 on."""
    w = _bump_network(W1, b1, W2, b2)
    x = np.linspace(-2.0, 7.0, 361)[:, None]
    got = (relu(x @ w["W1"] + w["b1"]) @ w["W2"] + w["b2"])[:, 0]
    want = bump_target(x[:, 0])
    if np.allclose(got, want, atol=1e-9):
        return 1

    def at(value):
        return float(np.interp(value, x[:, 0], got))

    used = (np.abs(w["W1"][0]) > 0) & (np.abs(w["W2"][:, 0]) > 0)
    kinks = np.sort(-w["b1"][used] / w["W1"][0, used])
    if not all(np.any(np.isclose(k, [1.0, 2.0, 4.0])) for k in kinks):
        shown = ", ".join(f"{k + 0.0:g}" for k in kinks)   # + 0.0: no "-0"
        raise Failure(f"your units bend at x = {shown}; the bump bends at x = 1, 2 and 4.\n"
                      "   Hint: relu(w x + b) with w = 1 turns on at x = -b, so a kink at x = c "
                      "needs b = -c (the bias is minus the kink).")
    if np.all(w["W1"][0] > 0):
        order = np.argsort(-w["b1"] / w["W1"][0])
        added = (w["W2"][:, 0] * w["W1"][0])[order]   # the slope each unit adds at its kink
        if np.allclose(added, [3.0, -1.5, 0.0]):
            raise Failure("your output weights are the slopes of the three pieces (3, -1.5, 0), but a "
                          "unit stays on after its kink, so their slopes add up: between x = 2 and 4 "
                          "your curve rises with slope 3 + (-1.5) = 1.5.\n"
                          "   Hint: each output weight is the *change* of slope at its kink: "
                          "v2 = -1.5 - 3.")
    if not np.isclose(at(0.0), 0.0) and np.all(kinks >= 1.0):
        raise Failure(f"left of x = 1 your network gives {at(0.0):g} instead of 0.\n"
                      "   Hint: there every unit is off, so only the output bias b2 is left: it "
                      "lifts the whole curve; keep it 0.")
    if not np.isclose(at(2.0), 3.0):
        raise Failure(f"at x = 2 (the peak) your network gives {at(2.0):g}; the bump is 3 high there.\n"
                      "   Hint: between x = 1 and 2 only the first unit is on, so the output rises "
                      "with slope v1 (its output weight): to climb 3 in one step, v1 = 3.")
    if not np.isclose(at(4.0), 0.0):
        slope = at(4.0) / 2 - at(2.0) / 2
        trend = f"falls with slope {slope:g}" if slope < 0 else f"has slope {slope:g}"
        raise Failure(f"at x = 4 your network gives {at(4.0):g} instead of 0: between x = 2 and 4 "
                      f"it {trend}, and the bump falls 3 over a width of 2, slope -1.5.\n"
                      "   Hint: at x = 2 the second unit turns on and adds its output weight v2 to "
                      "the slope: 3 + v2 = -1.5.")
    if not np.isclose(at(6.0), at(5.0)):
        raise Failure(f"right of x = 4 your network keeps changing (slope {at(6.0) - at(5.0):g}); "
                      "the bump stays at 0.\n   Hint: once all three units are on, the slope is "
                      "v1 + v2 + v3, which must be 0.")
    raise Failure("your network does not draw the bump: it should be 0 up to x = 1, 3 at x = 2 "
                  "and 0 again from x = 4 on.\n   Hint: use three units relu(x - c) with kinks "
                  "c = 1, 2, 4; their output weights are the changes of slope at each kink.")


#: The confidently wrong prediction of the exercise ch3-slowdown: score z, target y.
SLOWDOWN_CASE = {"z": -4.0, "y": 1.0}


def slowdown_gradients(z=SLOWDOWN_CASE["z"], y=SLOWDOWN_CASE["y"]):
    r"""For p = sigmoid(z): d/dz of the squared error (p - y)^2 and of the cross-entropy
    -[y log p + (1 - y) log(1 - p)], as a pair: $2(p - y)\,p(1 - p)$ and $p - y$."""
    p = sigmoid(np.float64(z))
    return float(2 * (p - y) * p * (1 - p)), float(p - y)


@checker("check_slowdown_gradients")
def check_slowdown_gradients(squared_error_gradient, cross_entropy_gradient):
    """Check the two gradients with respect to the score z, for z = -4 and target y = 1, of the
    squared error (sigmoid(z) - y)^2 and of the cross-entropy -log sigmoid(z)."""
    z, y = SLOWDOWN_CASE["z"], SLOWDOWN_CASE["y"]
    p = float(sigmoid(np.float64(z)))
    mse, ce = slowdown_gradients(z, y)
    answers = {}
    for name, value in (("squared_error_gradient", squared_error_gradient),
                        ("cross_entropy_gradient", cross_entropy_gradient)):
        number = as_number(value)
        if number is None or not np.isfinite(number):
            raise Failure(f"{name} should be one finite number; got {value!r}.")
        answers[name] = number
    a, b = answers["squared_error_gradient"], answers["cross_entropy_gradient"]

    def close(u, v):   # equal to two significant figures: the page's own -0.035 and -0.98 pass
        return abs(u - v) <= 0.5 * 10.0 ** (np.floor(np.log10(abs(v))) - 1) + 1e-12

    def nearly(u, v):  # within 10%: "close", with a nudge to recompute
        return abs(u - v) <= 0.1 * abs(v)

    if close(a, ce) and close(b, mse):
        raise Failure("the two answers are swapped: the squared error's gradient is the small one.")
    if not close(a, mse):
        if close(a, 2 * (p - y)):
            hint = ("that is the derivative with respect to p. The loss reaches z through p = sigmoid(z): "
                    "multiply by sigmoid'(z) = p (1 - p) (chain rule).")
        elif close(a, (p - y) * p * (1 - p)):
            hint = "the derivative of (p - y)^2 with respect to p is 2 (p - y): a factor 2 is missing."
        elif close(a, -mse):
            hint = "the sign is flipped: raising z (and p) lowers the loss when y = 1, so the gradient is negative."
        elif nearly(a, mse):
            hint = ("close, but not equal to two significant figures: recompute 2 (p - y) p (1 - p) with "
                    "p = sigmoid(-4) kept unrounded.")
        else:
            hint = "d/dz (p - y)^2 = 2 (p - y) * dp/dz, and dp/dz = p (1 - p) for the sigmoid."
        raise Failure(f"squared_error_gradient: expected {mse:.5g}, got {a:.5g}.\n   Hint: {hint}")
    if not close(b, ce):
        if close(b, -1 / p):
            hint = ("that is the derivative with respect to p (-1/p). Multiply by sigmoid'(z) = p (1 - p): "
                    "the p cancels.")
        elif close(b, -ce):
            hint = "the sign is flipped: raising z lowers the cross-entropy when y = 1, so the gradient is negative."
        elif close(b, -np.log(p)):
            hint = "that is the loss itself, not its gradient."
        elif nearly(b, ce):
            hint = "close, but not equal to two significant figures: recompute p - 1 with p = sigmoid(-4) unrounded."
        else:
            hint = "d/dz [-log sigmoid(z)] = -(1/p) * p (1 - p) = p - 1."
        raise Failure(f"cross_entropy_gradient: expected {ce:.5g}, got {b:.5g}.\n   Hint: {hint}")
    return 2


@checker("check_stable_binary_cross_entropy")
def check_stable_binary_cross_entropy(fn):
    """Check ``fn(y, z)``: mean binary cross-entropy of sigmoid(z) for targets y, computed
    from the scores z, finite and without warnings for any z."""

    require_callable(fn, "loss function")
    hint_stable = ("use max(z, 0) - z * y + log(1 + exp(-|z|)) (np.log1p), which never "
                   "exponentiates a positive number.")
    cases = [
        (np.array([1.0]), np.array([0.0]), "sigmoid(0) = 0.5, so the loss is log 2."),
        (np.array([1.0, 0.0, 1.0]), np.array([2.0, -1.0, -0.5]),
         "-[y log p + (1 - y) log(1 - p)] with p = sigmoid(z), averaged over the batch."),
        (np.array([0.0, 1.0]), np.array([3.0, 3.0]), "the mean over the batch, not the sum."),
        (np.array([1.0, 0.0]), np.array([-800.0, 800.0]),
         "confidently wrong: the loss is about 800 each, finite. " + hint_stable),
        (np.array([1.0, 0.0]), np.array([800.0, -800.0]), "confidently right: the loss is ~0. " + hint_stable),
    ]
    for y, z, hint in cases:
        expected = binary_cross_entropy_from_logits(y, z)
        describe = f"y={y.tolist()}, z={z.tolist()}"
        value = call(fn, y.copy(), z.copy(), describe=describe, hint=hint, warnings_fail=True)
        got = as_number(value)
        if got is not None and not np.isclose(got, expected, rtol=1e-9, atol=1e-9):
            if len(y) > 1 and np.isclose(got, expected * len(y), rtol=1e-9):
                hint = f"{got:g} is the sum over the {len(y)} examples; the cost is their mean (np.mean)."
            elif np.isclose(got, -expected, rtol=1e-9):
                hint = "the sign is flipped: the cross-entropy is -[y log p + (1 - y) log(1 - p)], never negative."
            elif expected > 100 and got < 0.5 * expected:
                hint = ("the prediction is wrong by a score of 800, so the loss is about 800; clipping p "
                        "(or the score) caps it and hides how wrong the network is. " + hint_stable)
        expect_number(value, expected, describe=describe, hint=hint)
    return len(cases)


# --- Counting, shapes, initial scale: the exercises on this chapter's bookkeeping -----------

#: The network of the counting exercise: 784 inputs (28 x 28 pixels), two hidden layers, 10 classes.
COUNTING_NETWORK = (784, 128, 64, 10)


def _same_to_two_figures(got, expected):
    """True when ``got`` equals ``expected`` to two significant figures (a rounded answer)."""
    return abs(got - expected) <= 0.5 * 10.0 ** (np.floor(np.log10(abs(expected))) - 1) + 1e-15


@checker("check_param_count")
def check_param_count(n_params):
    """Check the number of parameters (weights and biases) of the fully connected network
    with layer sizes ``COUNTING_NETWORK``, inputs first."""
    sizes = COUNTING_NETWORK
    pairs = list(zip(sizes, sizes[1:]))
    expected = sum(m * n + n for m, n in pairs)
    got = as_number(n_params)
    if got is None:
        raise Failure(f"expected one number, the count; got {n_params!r}.")
    if got == expected:
        return 1
    weights = sum(m * n for m, n in pairs)
    mistakes = [
        (weights, "that counts the weights only: every unit of a hidden or output layer also has a bias."),
        (expected + sizes[0], "the input layer has no biases (it only passes the pixels on): biases "
                              "belong to the layers that compute, one per unit."),
        (sum(m * n + m for m, n in pairs), "one bias per *unit* of a layer (n of them), not per input (m)."),
        (sum(m * n + n for m, n in pairs[1:]), "that leaves out the first layer, 784 inputs into 128 units: "
                                               "the largest one."),
        (sum(m * n + n for m, n in pairs[:-1]), "that leaves out the output layer, 64 units into 10."),
        (sum(sizes), "that counts the units (the circles), not the connections (the arrows) between them."),
        (sum(sizes[1:]), "that is the number of biases only: add the weights, m x n per layer."),
        (float(np.prod(sizes)), "the layers are not multiplied together: each layer has m x n weights, and the "
                                "layers' counts add."),
    ]
    for value, why in mistakes:
        if got == value:
            raise Failure(f"got {got:,.0f}: {why}")
    raise Failure(f"got {got:,.0f}, expected another count.",
                  hint="layer by layer, m inputs into n units: m x n weights and n biases; then add the layers.")


#: The batch of the shapes exercise: 32 images of 28 x 28 pixels, flattened, through
#: Dense(784, 128) -> ReLU -> Dense(128, 10) -> softmax.
BATCH_SHAPES = {"X": (32, 784), "W1": (784, 128), "b1": (128,), "Z1": (32, 128), "A1": (32, 128),
                "W2": (128, 10), "b2": (10,), "Z2": (32, 10), "P": (32, 10)}


@checker("check_batch_shapes")
def check_batch_shapes(shapes):
    """Check ``shapes``: {name: shape tuple} for every array of ``BATCH_SHAPES`` (a bias of
    shape (1, n) is accepted for (n,): broadcasting treats them alike)."""
    if not isinstance(shapes, dict):
        raise TypeError(f"pass a dict {{name: shape}}; got {type(shapes).__name__}")
    why = {
        "X": {(784, 32): "batch first: one row per example, one column per feature, so (N, D).",
              (32, 28, 28): "a Dense layer takes rows of features: flatten each 28 x 28 image into 784 numbers.",
              (1, 784): "that is one example; the batch holds 32 of them, one per row."},
        "W1": {(128, 784): "W has one row per input and one column per unit, (n_in, n_out), so that X @ W "
                           "multiplies (32, 784) by (784, 128).",
               (32, 128): "the weights do not depend on the batch: W is shared by every example."},
        "b1": {(32, 128): "one bias per unit, shared by every example; broadcasting adds it to each row.",
               (784,): "one bias per unit of the layer (128), not per input."},
        "Z1": {(128, 32): "rows are examples, columns units: X @ W1 has X's rows and W1's columns.",
               (32, 784): "X @ W1 has as many columns as W1: one per unit."},
        "A1": {(32,): "the activation works on each entry: A1 has the same shape as Z1."},
        "W2": {(10, 128): "W has one row per input and one column per unit, (n_in, n_out)."},
        "b2": {(32, 10): "one bias per unit, shared by every example."},
        "Z2": {(10, 32): "rows are examples: (N, number of classes)."},
        "P": {(32,): "softmax gives each example a probability per class: the same shape as Z2. The "
                     "predicted class, P.argmax(axis=1), is the (32,) array."},
    }
    for name, expected in BATCH_SHAPES.items():
        if name not in shapes:
            raise Failure(f"no shape for {name!r}; give all of {', '.join(BATCH_SHAPES)}.")
        try:
            got = tuple(int(size) for size in np.atleast_1d(shapes[name]))
        except (TypeError, ValueError):
            raise Failure(f"{name}: a shape is a tuple of sizes such as (32, 784); got {shapes[name]!r}.") from None
        if got == expected or (name.startswith("b") and got == (1, *expected)):
            continue
        reason = why[name].get(got, "follow the data: X @ W1 + b1 gives Z1, relu gives A1, A1 @ W2 + b2 gives "
                                    "Z2, softmax gives P.")
        raise Failure(f"{name}: expected shape {expected}, got {got}.", hint=reason)
    return len(BATCH_SHAPES)


#: The layer of the initialisation exercise: n_in inputs into n_out ReLU units.
INIT_LAYER = {"n_in": 512, "n_out": 256}


@checker("check_init_std")
def check_init_std(he_std, glorot_std):
    """Check the standard deviations of He's and Glorot's normal initialisations for the layer
    ``INIT_LAYER``: sqrt(2 / n_in) and sqrt(2 / (n_in + n_out)); two significant figures suffice."""
    n_in, n_out = INIT_LAYER["n_in"], INIT_LAYER["n_out"]
    he, glorot = float(np.sqrt(2 / n_in)), float(np.sqrt(2 / (n_in + n_out)))
    answers = {}
    for name, value in (("he_std", he_std), ("glorot_std", glorot_std)):
        number = as_number(value)
        if number is None or not np.isfinite(number) or number <= 0:
            raise Failure(f"{name} should be one positive number, a standard deviation; got {value!r}.")
        answers[name] = number
    for name, expected, mistakes in (
        ("he_std", he, [
            (2 / n_in, "that is the variance; np.random.normal takes the standard deviation, its square root."),
            (np.sqrt(2 / n_out), "He's scale counts the inputs of each unit, n_in = 512, not the units."),
            (np.sqrt(1 / n_in), "the 2 is missing: it makes up for the half of the signal ReLU switches off."),
            (np.sqrt(2 / (n_in + n_out)), "that is Glorot's scale; He's is 2 / n_in."),
        ]),
        ("glorot_std", glorot, [
            (2 / (n_in + n_out), "that is the variance; the standard deviation is its square root."),
            (np.sqrt(6 / (n_in + n_out)), "that is the limit a of Glorot's uniform version U(-a, a), "
                                          "a = sqrt(6 / (n_in + n_out)); its standard deviation is a / sqrt(3)."),
            (np.sqrt(1 / (n_in + n_out)), "the 2 is missing: Glorot's variance is 2 / (n_in + n_out), the "
                                          "mean of 1 / n_in and 1 / n_out in the harmonic sense."),
            (np.sqrt(2 / n_in), "that is He's scale; Glorot's averages the inputs and the units: 2 / (n_in + n_out)."),
            (np.sqrt(1 / n_in), "that is 1 / n_in (LeCun's scale); Glorot's is 2 / (n_in + n_out)."),
        ])):
        got = answers[name]
        if _same_to_two_figures(got, expected):
            continue
        why = next((text for value, text in mistakes if _same_to_two_figures(got, value)), None)
        if why is None and abs(got - expected) <= 0.1 * expected:
            why = "close, but not equal to two significant figures: compute it with np.sqrt rather than by eye."
        raise Failure(f"{name}: expected {expected:.4g}, got {got:.4g}.",
                      hint=why or "Var(w) = 2 / n_in (He) or 2 / (n_in + n_out) (Glorot); the standard "
                                  "deviation is the square root of the variance.")
    return 2
