"""The appendix's exercise checkers."""

import numpy as np

from nnbook.checks import Failure, as_number, as_numbers_or_none, call, checker, diagnose, require_callable, short

from .experiments import delta_rule_step, som_step

#: The delta-rule exercise: weights, bias, input, target, learning rate.
DELTA_CASE = {"w": (0.5, -0.3), "b": 0.1, "x": (2.0, 1.0), "y": 1.0, "learning_rate": 0.1}


def _delta_mistakes():
    w, b, x = np.array(DELTA_CASE["w"]), DELTA_CASE["b"], np.array(DELTA_CASE["x"])
    y, lr = DELTA_CASE["y"], DELTA_CASE["learning_rate"]
    z = w @ x + b
    e = y - z
    return [
        ((*w, b), "nothing moved: that is the perceptron rule, which waits for a wrong thresholded "
                  f"output. The delta rule uses the sum itself: z = {z:g} is {e:g} short of the target."),
        ((*(w - lr * e * x), b - lr * e), "the step goes the wrong way: add α (y − z) x; the sum is "
                                          "below the target, so the weights of positive inputs grow."),
        ((*(w + e * x), b + e), "the learning rate is missing: every change is α (y − z) times the input."),
        ((*(w + lr * e * x), b), "the bias moves too: b + α (y − z), as a weight on an input fixed at 1."),
        ((*(w + 2 * lr * e * x), b + 2 * lr * e),
         "the steps are doubled: the rule descends ½ (y − z)², whose ½ cancels the 2 of the square."),
        ((*(w + lr * (y - w @ x) * x), b + lr * (y - w @ x)),
         f"the bias belongs in the sum: z = w · x + b = {z:g}, not w · x = {w @ x:g}."),
        ((*(lr * e * x), lr * e), "those are the changes; the new weights and bias are the old ones plus them."),
    ]


@checker("check_delta_rule")
def check_delta_rule(w_new, b_new):
    """Check one delta-rule step worked by hand on ``DELTA_CASE``."""
    got_w, got_b = as_numbers_or_none(w_new), as_number(b_new)
    if got_w is None or got_w.shape != (2,) or got_b is None:
        raise Failure(f"give w_new as two numbers, e.g. [0.5, -0.3], and b_new as one; got {w_new!r}, {b_new!r}.")
    w, b = delta_rule_step(DELTA_CASE["w"], DELTA_CASE["b"], DELTA_CASE["x"], DELTA_CASE["y"],
                           DELTA_CASE["learning_rate"])
    answer = np.array([*got_w, got_b])
    if np.allclose(answer, [*w, b], atol=5e-4):
        return 1
    why = diagnose(answer, _delta_mistakes(), atol=5e-4)
    raise Failure(f"expected w_new = {short(np.round(w, 4))}, b_new = {b:.4g}; got {short(np.round(got_w, 4))}, "
                  f"{got_b:.4g}.", hint=why or "first z = w · x + b, then the error y − z; each weight moves "
                  "by α (y − z) times its input, the bias by α (y − z).")


#: The map of the SOM exercise's cases: units in a row at grid places 0, 1, 2, ...
SOM_CASES = [  # weights, x, learning_rate, sigma
    ([[0.0], [0.5], [1.0]], [0.8], 0.5, 1.0),
    ([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], [0.9, 0.2], 0.1, 0.5),
    ([[0.2, 0.9], [0.1, 0.1], [0.8, 0.4], [0.5, 0.5], [0.9, 0.9]], [0.3, 0.2], 0.3, 2.0),
]


def som_row_step(weights, x, learning_rate, sigma):
    """The reference: ``som_step`` for units in a row (grid places 0, 1, 2, ...)."""
    weights = np.asarray(weights, dtype=float)
    return som_step(weights, np.arange(len(weights), dtype=float)[:, None], np.asarray(x, dtype=float),
                    learning_rate, sigma)


def _som_mistakes(weights, x, lr, sigma):
    w, x = np.asarray(weights, dtype=float), np.asarray(x, dtype=float)
    places = np.arange(len(w), dtype=float)
    near = np.argmin(np.sum((w - x) ** 2, axis=1))
    only = w.copy()
    only[near] += lr * (x - w[near])
    input_h = np.exp(-np.sum((w - w[near]) ** 2, axis=1) / (2 * sigma ** 2))
    h = np.exp(-(places - near) ** 2 / (2 * sigma ** 2))
    dot = int(np.argmax(w @ x))
    h_dot = np.exp(-(places - dot) ** 2 / (2 * sigma ** 2))
    far = int(np.argmax(np.sum((w - x) ** 2, axis=1)))
    h_far = np.exp(-(places - far) ** 2 / (2 * sigma ** 2))
    return [
        (w - lr * h[:, None] * (x - w), "the units moved away from x: add α h (x − w)."),
        (only, "only the winner moved: its neighbours on the map move too, by α h with "
               "h = exp(−d² / 2σ²)."),
        (w + lr * input_h[:, None] * (x - w), "d is the distance on the map (between grid places), "
                                              "not between the units' weights."),
        (w + lr * np.exp(-(places - near) ** 2 / sigma ** 2)[:, None] * (x - w),
         "the neighbourhood is exp(−d² / (2σ²)): the 2 is missing."),
        (w + lr * h_dot[:, None] * (x - w), "the winner is the unit *nearest* to x (smallest distance), "
                                            "not the one with the largest dot product."),
        (w + h[:, None] * (x - w), "the learning rate is missing: each unit moves by α h (x − w)."),
        (w + lr * (x - w), "every unit moved by the full α: the neighbourhood factor h = exp(−d² / (2σ²)) "
                           "shrinks the step of units far from the winner on the map."),
        (w + lr * np.exp(-(places - near) ** 2 / (2 * sigma))[:, None] * (x - w),
         "σ is squared in the neighbourhood: h = exp(−d² / (2σ²))."),
        (w + lr * np.exp(-np.abs(places - near) / (2 * sigma ** 2))[:, None] * (x - w),
         "d is squared in the neighbourhood: h = exp(−d² / (2σ²))."),
        (w + lr * np.exp(+(places - near) ** 2 / (2 * sigma ** 2))[:, None] * (x - w),
         "the exponent is negative, h = exp(−d² / (2σ²)), so h is 1 at the winner and falls with d."),
        (w + lr * h_far[:, None] * (x - w), "the winner is the unit *nearest* to x, not the farthest."),
    ]


@checker("check_som_step")
def check_som_step(fn):
    """Check ``fn(weights, x, learning_rate, sigma)`` -> new weights: one step of Kohonen's rule
    on a map whose units sit in a row."""
    require_callable(fn, "function")
    for weights, x, lr, sigma in SOM_CASES:
        w_in = np.array(weights, dtype=float)
        describe = f"weights={weights}, x={x}, learning_rate={lr}, sigma={sigma}"
        value = call(fn, w_in, np.array(x, dtype=float), lr, sigma, describe=describe)
        if not np.array_equal(w_in, np.array(weights, dtype=float)):
            raise Failure(f"for {describe} your function changed the weights passed in. Return new "
                          "weights (weights + ...), not weights += ...: the caller may need the old map.")
        expected = som_row_step(weights, x, lr, sigma)
        got = as_numbers_or_none(value)
        if got is None or got.shape != expected.shape:
            shape = "not numbers" if got is None else f"shape {got.shape}"
            raise Failure(f"for {describe} expected new weights of shape {expected.shape}, got {shape}.",
                          hint="return one row per unit, like the weights you were given.")
        if not np.allclose(got, expected, rtol=1e-6, atol=1e-9):
            why = diagnose(got, _som_mistakes(weights, x, lr, sigma))
            raise Failure(f"for {describe} expected {short(np.round(expected, 4))}, got {short(np.round(got, 4))}.",
                          hint=why or "find the nearest unit, then move every unit by α h (x − w), "
                                      "h = exp(−d² / (2σ²)) with d its place on the map minus the winner's.")
    return len(SOM_CASES)


#: The transfer exercise: the source network's sizes and the new task's classes.
TRANSFER_SIZES = (64, 64, 5)


def transfer_counts(sizes=TRANSFER_SIZES):
    """(numbers trained with the hidden layer frozen, numbers trained from scratch)."""
    n_in, hidden, out = sizes
    head = hidden * out + out
    return head, n_in * hidden + hidden + head


@checker("check_transfer_counts")
def check_transfer_counts(frozen, scratch):
    """Check the numbers of trained parameters with the hidden layer frozen and from scratch."""
    got = [as_number(v) for v in (frozen, scratch)]
    if None in got or any(v != int(v) or v <= 0 for v in got):
        raise Failure(f"give two whole numbers of parameters; got {frozen!r}, {scratch!r}.")
    right_frozen, right_scratch = transfer_counts()
    n_in, hidden, out = TRANSFER_SIZES
    frozen_mistakes = [
        (hidden * out, "the new output layer has a bias for each of its 5 units too."),
        (right_scratch, "the frozen layer is not trained: count only what changes, the new output layer."),
        (hidden * 10 + 10, "the new task has 5 classes (5 to 9), so the output layer has 5 units."),
        (n_in * hidden + hidden, "that is the frozen hidden layer; training changes only the new output layer."),
    ]
    scratch_mistakes = [
        (n_in * hidden + hidden * out, "from scratch, every layer's biases are trained too."),
        (right_frozen, "from scratch nothing is frozen: the hidden layer's 64 × 64 weights and 64 biases "
                       "are trained as well."),
        (n_in * hidden + hidden, "from scratch the output layer is trained as well as the hidden one."),
    ]
    if (got[0], got[1]) == (right_scratch, right_frozen):
        raise Failure(f"frozen: {int(got[0]):,}, from scratch: {int(got[1]):,} are the two numbers the "
                      "wrong way round.", hint="frozen, only the new output layer is trained: the "
                      "smaller number.")
    for value, right, mistakes, name in ((got[0], right_frozen, frozen_mistakes, "frozen"),
                                         (got[1], right_scratch, scratch_mistakes, "from scratch")):
        if value != right:
            why = diagnose(value, mistakes)
            raise Failure(f"{name}: {int(value):,} is not the number of trained parameters.",
                          hint=why or "a dense layer from n inputs to m units has n × m weights and m biases.")
    return 2
