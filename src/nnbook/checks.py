"""Self-checking exercises: call a checker with your answer, read what it says.

Every checker tries known cases, shapes and edge cases, then prints either a success or the
first failing case with what was expected, what your code gave, and a hint. A wrong answer
never raises; only misuse of the checker does (e.g. passing a number where it wants a
function). The returned ``CheckResult`` is truthy when the answer passed.
"""

import textwrap

import numpy as np

from nnbook.history import IMAGENET_TOP5_ERROR, MILESTONES
from nnbook.neuron import GATE_INPUTS, GATE_TARGETS, truth_table
from nnbook.perceptron import perceptron_update as _reference_update


class CheckResult:
    """The verdict of a checker: ``passed`` and the ``message`` it printed."""

    def __init__(self, passed, message):
        self.passed = bool(passed)
        self.message = message

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return self.message

    def _ipython_display_(self):
        # The message was printed when the check ran; showing the return value again would
        # print it twice when the check is the last line of a cell.
        pass


MESSAGE_WIDTH = 76  # the width of a code cell's output on the website


def _report(name, failure=None, n_cases=0):
    if failure is None:
        message = f"✓ {name}: " + ("the check passed." if n_cases == 1 else f"all {n_cases} checks passed.")
    else:
        message = f"✗ {name}: {failure}"
    message = "\n".join(
        textwrap.fill(line, MESSAGE_WIDTH, subsequent_indent="   ") for line in message.splitlines()
    )
    print(message)
    return CheckResult(failure is None, message)


def _require_callable(fn, what):
    if not callable(fn):
        raise TypeError(f"pass your {what} itself (the function, without calling it); got {type(fn).__name__}")


def _call(fn, *args):
    """Call the learner's function; return (value, None) or (None, a description of the error)."""
    try:
        return fn(*args), None
    except Exception as error:  # the learner's bug is reported, not raised
        return None, f"{type(error).__name__}: {error}"


def _no_value_failure(value, error, describe, hint):
    """The failure message when the learner's function raised or returned None, else None."""
    if error:
        return f"for {describe} your function raised {error}.\n   Hint: {hint}"
    if value is None:
        return f"for {describe} your function returned None. Did you forget `return`?"
    return None


def _as_number(value):
    if value is None:
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return float(array) if array.size == 1 else None


def _case_failure(fn, args, expected, hint, describe):
    """Run one numeric case; return a failure message or None."""
    value, error = _call(fn, *args)
    failure = _no_value_failure(value, error, describe, hint)
    if failure:
        return failure
    got = _as_number(value)
    if got is None:
        return (f"for {describe} expected one number, got {value!r} "
                f"(shape {np.shape(value)}).\n   Hint: {hint}")
    if not np.isclose(got, expected, rtol=1e-9, atol=1e-9):
        return f"for {describe} expected {expected:g}, got {got:g}.\n   Hint: {hint}"
    return None


def neuron_output(fn):
    """Check ``fn(x, w, b)``: one step neuron, 1.0 when w·x + b > 0, else 0.0.

    x and w are lists or 1-D arrays of the same length; b is a number.
    """
    _require_callable(fn, "neuron function")
    cases = [
        (([1, 1], [1, 1], -1.5), 1.0, "AND fires on (1, 1): 1 + 1 - 1.5 = 0.5 > 0."),
        (([0, 1], [1, 1], -1.5), 0.0, "AND stays silent on (0, 1): 0 + 1 - 1.5 < 0."),
        (([0, 0], [1, 1], 0.5), 1.0, "with all inputs 0 only the bias is left: 0.5 > 0, so it fires."),
        (([2, 3], [1, -1], 1.0), 0.0, "the sum is exactly 0 here; the unit fires only when the sum is above 0."),
        (([2, 3, 4], [0.5, -1, 0.25], 0.2), 0.0, "multiply each input by its weight and add them all: 1 - 3 + 1 + 0.2 = -0.8."),
        (([0.5, 0.5, 0.5, 0.5], [1, 1, 1, 1], -1.9), 1.0, "four inputs, four weights: 2 - 1.9 = 0.1 > 0."),
        ((np.array([-1.0, 2.0]), np.array([3.0, 2.0]), 0.0), 1.0, "numpy arrays must work as well as lists: -3 + 4 = 1 > 0."),
    ]
    for args, expected, hint in cases:
        failure = _case_failure(fn, args, expected, hint, f"x={_short(args[0])}, w={_short(args[1])}, b={args[2]}")
        if failure:
            return _report("neuron_output", failure)
    return _report("neuron_output", n_cases=len(cases))


def gate_weights(gate, w, b):
    """Check that one step neuron with weights ``w`` and bias ``b`` computes ``gate``."""
    if gate not in GATE_TARGETS and gate != "NOT":
        raise ValueError(f"gate must be one of {sorted(GATE_TARGETS) + ['NOT']}; got {gate!r}")
    inputs = np.array([[0.0], [1.0]]) if gate == "NOT" else GATE_INPUTS
    targets = np.array([1.0, 0.0]) if gate == "NOT" else GATE_TARGETS[gate]
    w = np.atleast_1d(np.asarray(w, dtype=np.float64))
    if w.shape != (inputs.shape[1],):
        return _report(f"gate_weights({gate!r})",
                       f"{gate} has {inputs.shape[1]} input(s), so w needs {inputs.shape[1]} weight(s); got shape {w.shape}.")
    outputs = truth_table(w, float(b), inputs)
    for row, target, output in zip(inputs, targets, outputs):
        if target != output:
            if gate == "XOR":
                hint = "no single line separates XOR's points: this one cannot pass (see the widget above)."
            else:
                hint = f"on input {tuple(int(v) for v in row)} the sum is {float(row @ w + b):g}; it must be {'above' if target else 'at or below'} 0."
            return _report(f"gate_weights({gate!r})",
                           f"on input {tuple(int(v) for v in row)} expected {int(target)}, your neuron gives {int(output)}.\n   Hint: {hint}")
    return _report(f"gate_weights({gate!r})", n_cases=len(inputs))


def perceptron_update(fn):
    """Check ``fn(w, b, x, target, learning_rate)`` -> (new w, new b): one perceptron-rule step.

    Update only on a mistake (a sum of exactly 0 counts as one): add learning_rate * x to w
    and learning_rate to b when the target is 1, subtract them when it is 0.
    """
    _require_callable(fn, "update function")
    cases = [
        (([0.0, 0.0], 0.0, [1.0, 1.0], 1, 1.0), "start at zero, the sum is 0: a mistake, so move toward x."),
        (([1.0, 1.0], 0.0, [1.0, 0.0], 0, 1.0), "target 0 but the sum is 1 > 0: subtract x and 1 from b."),
        (([1.0, 1.0], -1.5, [1.0, 1.0], 1, 1.0), "the answer is already right (sum 0.5 > 0): change nothing."),
        (([0.5, -0.5], 0.2, [2.0, 1.0], 0, 0.1), "the learning rate scales the step: w - 0.1 x, b - 0.1."),
        (([0.0, 1.0, 0.0], 0.0, [1.0, -1.0, 2.0], 1, 0.5), "three inputs work the same way."),
    ]
    for (w, b, x, target, lr), hint in cases:
        expected_w, expected_b, _ = _reference_update(np.array(w), b, np.array(x), target, lr)
        describe = f"w={w}, b={b}, x={x}, target={target}, learning_rate={lr}"
        value, error = _call(fn, np.array(w), b, np.array(x), target, lr)
        if error:
            return _report("perceptron_update", f"for {describe} your function raised {error}.")
        if value is None:
            return _report("perceptron_update", f"for {describe} your function returned None. Did you forget `return`?")
        if not (isinstance(value, tuple) and len(value) == 2):
            return _report("perceptron_update", f"for {describe} expected a pair (new_w, new_b), got {value!r}.")
        got_w, got_b = np.asarray(value[0], dtype=np.float64), _as_number(value[1])
        if got_w.shape != expected_w.shape or got_b is None:
            return _report("perceptron_update",
                           f"for {describe} expected new_w of shape {expected_w.shape} and a number new_b; "
                           f"got shape {got_w.shape} and {value[1]!r}.")
        if not (np.allclose(got_w, expected_w) and np.isclose(got_b, expected_b)):
            return _report("perceptron_update",
                           f"for {describe} expected w={expected_w.tolist()}, b={expected_b:g}; "
                           f"got w={got_w.tolist()}, b={got_b:g}.\n   Hint: {hint}")
    return _report("perceptron_update", n_cases=len(cases))


def xor_network(fn):
    """Check ``fn(x)`` -> 0 or 1: a network of step neurons that computes XOR of x = (x1, x2)."""
    _require_callable(fn, "network function")
    for row, target in zip(GATE_INPUTS, GATE_TARGETS["XOR"]):
        failure = _case_failure(fn, (row.copy(),), target,
                                "XOR is 1 when exactly one input is 1. Try hidden units for OR and NAND, and AND them.",
                                f"x={tuple(int(v) for v in row)}")
        if failure:
            return _report("xor_network", failure)
    return _report("xor_network", n_cases=len(GATE_INPUTS))


def milestone_order(labels):
    """Check that ``labels`` (milestone labels from chapter 0) are in chronological order."""
    if isinstance(labels, str) or not hasattr(labels, "__iter__"):
        raise TypeError(f"pass a list of milestone labels; got {type(labels).__name__}")
    year = {m.label: m.year for m in MILESTONES}
    labels = list(labels)
    for label in labels:
        if label not in year:
            return _report("milestone_order", f"{label!r} is not a milestone label. Labels: {sorted(year)}.")
    if len(labels) < 2:
        return _report("milestone_order", f"give at least two milestone labels to order; got {labels!r}.")
    for earlier, later in zip(labels, labels[1:]):
        if year[earlier] > year[later]:
            return _report("milestone_order",
                           f"{earlier!r} comes before {later!r} in your list, but happened later "
                           f"({year[earlier]} vs {year[later]}).")
    return _report("milestone_order", n_cases=max(len(labels) - 1, 0))


def error_reduction(fraction):
    """Check the fraction by which ImageNet top-5 error fell from AlexNet (2012) to ResNet (2015)."""
    alexnet, resnet = IMAGENET_TOP5_ERROR["AlexNet (2012)"], IMAGENET_TOP5_ERROR["ResNet (2015)"]
    expected = (alexnet - resnet) / alexnet
    got = _as_number(fraction)
    if got is None:
        return _report("error_reduction", f"expected one number (a fraction like 0.5), got {fraction!r}.")
    if np.isclose(got, expected * 100, rtol=1e-3):
        return _report("error_reduction", f"that is the percentage ({got:.4g}); give the fraction, {expected:.4f}.")
    if not np.isclose(got, expected, rtol=1e-3):
        return _report("error_reduction",
                       f"expected {expected:.4f}, got {got:.4g}.\n   Hint: (old error - new error) / old error.")
    return _report("error_reduction", n_cases=1)


#: Chapter 0's examples of systems, and the narrowest circle of the Venn figure each sits in.
SYSTEM_EXAMPLES = {
    "a chess program that searches moves with hand-written rules": "AI",
    "a spam filter that fits logistic regression to labelled emails": "ML",
    "a photo tagger built from 50 stacked convolutional layers": "DL",
    "a route planner that runs a shortest-path search": "AI",
    "a house-price model from a decision tree fitted to past sales": "ML",
    "a speech recogniser with a deep recurrent network": "DL",
}


def ai_ml_dl(answers):
    """Check ``answers``: {example: "AI" / "ML" / "DL"}, the narrowest circle each example sits in."""
    if not isinstance(answers, dict):
        raise TypeError(f"pass a dict {{example: 'AI' | 'ML' | 'DL'}}; got {type(answers).__name__}")
    why = {"AI": "it follows rules or searches; nothing is fitted to data",
           "ML": "it fits a model to data, but not a deep stack of layers",
           "DL": "it learns features with many stacked layers"}
    for example, expected in SYSTEM_EXAMPLES.items():
        got = answers.get(example)
        if got is None:
            return _report("ai_ml_dl", f"no answer for {example!r}.")
        if str(got).upper() != expected:
            return _report("ai_ml_dl", f"{example!r}: expected {expected!r}, got {got!r}.\n   Hint: {why[expected]}.")
    return _report("ai_ml_dl", n_cases=len(SYSTEM_EXAMPLES))


def _short(value):
    return np.asarray(value).tolist()


def stable_sigmoid(fn):
    """Check ``fn(x)``: the logistic sigmoid of an array, exact and with no overflow warning."""
    import warnings

    from scipy.special import expit

    _require_callable(fn, "sigmoid function")
    cases = [
        (np.array([0.0]), "sigmoid(0) is exactly 0.5."),
        (np.array([-2.0, -0.5, 0.5, 2.0]), "1 / (1 + exp(-x)) for moderate x."),
        (np.array([30.0, 700.0, 1000.0]), "large positive x: the answer is (very nearly) 1."),
        (np.array([-30.0, -700.0, -1000.0]), "large negative x: exp(-x) overflows; "
         "use exp(x) / (1 + exp(x)) for x < 0, where exp only sees numbers <= 0."),
        (np.linspace(-5, 5, 7).reshape(7, 1), "keep the input's shape."),
    ]
    for x, hint in cases:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value, error = _call(fn, x.copy())
        describe = f"x={np.round(x.ravel(), 3).tolist()}"
        failure = _no_value_failure(value, error, describe, hint)
        if failure:
            return _report("stable_sigmoid", failure)
        if caught:
            return _report("stable_sigmoid", f"for {describe} numpy warned: {caught[0].message}.\n   Hint: {hint}")
        got = np.asarray(value, dtype=np.float64)
        if got.shape != x.shape:
            return _report("stable_sigmoid", f"for {describe} expected shape {x.shape}, got {got.shape}.\n   Hint: {hint}")
        if not np.allclose(got, expit(x), rtol=1e-12, atol=1e-300):
            return _report("stable_sigmoid", f"for {describe} expected {expit(x).ravel().tolist()}, "
                                             f"got {got.ravel().tolist()}.\n   Hint: {hint}")
    return _report("stable_sigmoid", n_cases=len(cases))


def relu_derivative(fn):
    """Check ``fn(x)``: ReLU's derivative of an array: 1 where x > 0, else 0 (0 at x = 0)."""
    _require_callable(fn, "derivative function")
    cases = [
        (np.array([2.0]), "for x > 0, ReLU(x) = x, so the slope is 1."),
        (np.array([-3.0]), "for x < 0, ReLU(x) = 0, a flat line: slope 0."),
        (np.array([0.0]), "at the kink we use 0 (the book's convention)."),
        (np.array([-1.0, 0.5, 0.0, 4.0, -0.1]), "work elementwise on the whole array."),
        (np.arange(-3.0, 3.0).reshape(2, 3), "keep the input's shape."),
    ]
    for x, hint in cases:
        expected = (x > 0).astype(np.float64)
        value, error = _call(fn, x.copy())
        describe = f"x={x.tolist()}"
        failure = _no_value_failure(value, error, describe, hint)
        if failure:
            return _report("relu_derivative", failure)
        got = np.asarray(value, dtype=np.float64)
        if got.shape != x.shape or not np.array_equal(got, expected):
            return _report("relu_derivative", f"for {describe} expected {expected.tolist()}, got "
                                              f"{got.tolist()}.\n   Hint: {hint}")
    return _report("relu_derivative", n_cases=len(cases))


def tanh_saturation(x_flat):
    """Check the smallest x > 0 where tanh's slope falls below 0.01 (to 3 decimals)."""
    expected = float(np.arctanh(np.sqrt(0.99)))
    got = _as_number(x_flat)
    if got is None:
        return _report("tanh_saturation", f"expected one number, got {x_flat!r}.")
    if abs(got - expected) > 5e-4:
        direction = "larger" if got < expected else "smaller"
        return _report("tanh_saturation", f"{got:.4f} is not it; the answer is {direction}.\n   Hint: "
                                          "solve 1 - tanh(x)**2 = 0.01 for tanh(x), then apply np.arctanh.")
    return _report("tanh_saturation", n_cases=1)


# --- chapter 4: gradient descent ----------------------------------------------------------

def gradient_step(fn):
    """Check ``fn(theta, gradient, learning_rate)`` -> the new theta: one gradient-descent step.

    theta and gradient are 1-D arrays of the same length; the answer is
    theta - learning_rate * gradient, a new array (theta itself must not change).
    """
    _require_callable(fn, "step function")
    cases = [
        (([1.0, 3.0], [2.0, 6.0], 0.1), "the worked example: (1, 3) - 0.1 * (2, 6) = (0.8, 2.4)."),
        (([0.8, 2.4], [1.6, 4.8], 0.1), "the second step of the worked example: (0.64, 1.92)."),
        (([2.0], [4.0], 0.25), "one parameter works the same way: 2 - 0.25 * 4 = 1."),
        (([0.0, 1.0, -1.0], [-2.0, 0.5, 0.0], 0.5), "subtract the gradient: a negative slope moves you up."),
        (([1.0, 1.0], [0.0, 0.0], 0.3), "where the gradient is 0 the step is 0: you stay put."),
    ]
    for (theta, grad, lr), hint in cases:
        theta_in = np.array(theta)
        describe = f"theta={theta}, gradient={grad}, learning_rate={lr}"
        value, error = _call(fn, theta_in, np.array(grad), lr)
        failure = _no_value_failure(value, error, describe, hint)
        if failure:
            return _report("gradient_step", failure)
        expected = np.array(theta) - lr * np.array(grad)
        try:
            got = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            got = None
        if got is None or got.shape != expected.shape:
            return _report("gradient_step", f"for {describe} expected an array of shape {expected.shape}, "
                                            f"got {value!r}.\n   Hint: {hint}")
        if not np.array_equal(theta_in, np.array(theta)):
            return _report("gradient_step", f"for {describe} your function changed theta in place "
                                            "(it now holds the new point). Return a new array: "
                                            "theta - learning_rate * gradient.")
        if not np.allclose(got, expected, rtol=1e-9, atol=1e-12):
            sign = " You added the gradient: descent goes against it." if np.allclose(
                got, np.array(theta) + lr * np.array(grad)) else ""
            return _report("gradient_step", f"for {describe} expected {_short(expected)}, got "
                                            f"{_short(np.round(got, 12))}.{sign}\n   Hint: {hint}")
    return _report("gradient_step", n_cases=len(cases))


#: The quadratic of the stability exercise: J = 2 θ1² + 8 θ2², Hessian diag(4, 16).
STABILITY_CURVATURES = (4.0, 16.0)


def largest_stable_rate(alpha):
    """Check ``alpha``: the largest learning rate for which gradient descent on
    J = 2 θ1² + 8 θ2² still converges (the supremum of the stable rates)."""
    got = _as_number(alpha)
    if got is None:
        return _report("largest_stable_rate", f"expected one number (a learning rate), got {alpha!r}.")
    expected = 2.0 / max(STABILITY_CURVATURES)
    if np.isclose(got, expected, rtol=1e-3):
        return _report("largest_stable_rate", n_cases=1)
    factors = ", ".join(f"|1 - {got:g}·{c:g}| = {abs(1 - got * c):.3g}" for c in STABILITY_CURVATURES)
    if np.isclose(got, 2.0 / min(STABILITY_CURVATURES), rtol=1e-3):
        hint = ("that is 2 / the smaller curvature. Every direction must be stable, and the "
                "steepest one (curvature 16) fails first.")
    elif got > expected:
        hint = "at this rate one direction's distance grows each step, so the run diverges."
    elif got > 0:
        hint = ("this rate converges, but a larger one would too. Find where a factor "
                "|1 - α·curvature| reaches 1.")
    else:
        hint = "a learning rate is positive."
    return _report("largest_stable_rate",
                   f"{got:g} is not the largest stable rate. One step multiplies the distance "
                   f"along each axis by {factors}.\n   Hint: {hint}")


def iterations_per_epoch(fn):
    """Check ``fn(n_examples, batch_size)`` -> the number of updates in one epoch."""
    _require_callable(fn, "function")
    cases = [
        ((1000, 32), 32, "31 full batches of 32 cover 992 examples; the last 8 make one more update."),
        ((64, 64), 1, "batch gradient descent: the whole set is one batch, one update per epoch."),
        ((64, 1), 64, "stochastic gradient descent: one update per example."),
        ((100, 25), 4, "100 / 25 divides exactly: 4 updates."),
        ((10, 100), 1, "a batch larger than the data set is the whole set: still one update."),
    ]
    for args, expected, hint in cases:
        failure = _case_failure(fn, args, expected, hint, f"n_examples={args[0]}, batch_size={args[1]}")
        if failure:
            return _report("iterations_per_epoch", failure)
    return _report("iterations_per_epoch", n_cases=len(cases))


def dense_forward(fn):
    """Check ``fn(x, W, b)`` -> x @ W + b: a dense layer's forward pass on a batch.

    x: (N, n_in), W: (n_in, n_out), b: (n_out,) -> (N, n_out).
    """
    _require_callable(fn, "forward function")
    rng = np.random.default_rng(3)
    cases = [
        ((1, 2, 1), "one sample is a batch of one row: (1, 2) @ (2, 1) + (1,) -> (1, 1)."),
        ((1, 4, 3), "one sample, three units: the result has one row and three columns."),
        ((100, 4, 3), "a batch of 100: the same product, one output row per sample."),
        ((5, 3, 2), "W has one row per input and one column per unit: use x @ W, not W @ x."),
    ]
    for (n, n_in, n_out), hint in cases:
        x = rng.normal(size=(n, n_in))
        W = rng.normal(size=(n_in, n_out))
        b = rng.normal(size=n_out)
        expected = x @ W + b
        describe = f"x of shape {x.shape}, W {W.shape}, b {b.shape}"
        value, error = _call(fn, x.copy(), W.copy(), b.copy())
        failure = _no_value_failure(value, error, describe, hint)
        if failure:
            return _report("dense_forward", failure)
        got = np.asarray(value, dtype=np.float64)
        if got.shape != expected.shape:
            return _report("dense_forward", f"for {describe} expected shape {expected.shape}, got "
                                            f"{got.shape}.\n   Hint: {hint}")
        if not np.allclose(got, expected, rtol=1e-9, atol=1e-12):
            return _report("dense_forward", f"for {describe} the numbers differ from x @ W + b.\n"
                                            f"   Hint: add b to every row; {hint}")
    return _report("dense_forward", n_cases=len(cases))


#: Chapter 3's example network: 4 inputs, hidden layers of 4, 5, 6, 4 and 3 units, 3 outputs.
EXAMPLE_NETWORK = (4, 4, 5, 6, 4, 3, 3)


def parameter_count(count, layer_sizes=EXAMPLE_NETWORK):
    """Check ``count``: the weights plus biases of a fully connected network of these sizes."""
    from nnbook.layers import mlp_param_count

    expected = mlp_param_count(layer_sizes)
    weights = mlp_param_count(layer_sizes, bias=False)
    got = _as_number(count)
    name = "parameter_count"
    if got is None:
        return _report(name, f"expected one whole number, got {count!r}.")
    if got == weights:
        return _report(name, f"{int(got)} counts the weights only; every unit outside the "
                             "input layer also has a bias.")
    if got != expected:
        return _report(name, f"{got:g} is not it.\n   Hint: a layer of m inputs and n units "
                             "has m * n weights and n biases; add over the layers (the input "
                             "layer has none).")
    return _report(name, n_cases=1)


def stable_binary_cross_entropy(fn):
    """Check ``fn(y, z)``: mean binary cross-entropy of sigmoid(z) for targets y, computed
    from the scores z, finite and without warnings for any z."""
    import warnings

    from nnbook.losses import binary_cross_entropy_from_logits as reference

    _require_callable(fn, "loss function")
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
        expected = reference(y, z)
        describe = f"y={y.tolist()}, z={z.tolist()}"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value, error = _call(fn, y.copy(), z.copy())
        if error:
            return _report("stable_binary_cross_entropy", f"for {describe} your function raised {error}.\n   Hint: {hint}")
        if caught:
            return _report("stable_binary_cross_entropy",
                           f"for {describe} numpy warned: {caught[0].message}.\n   Hint: {hint}")
        failure = _case_failure(lambda: value, (), expected, hint, describe)
        if failure:
            return _report("stable_binary_cross_entropy", failure)
    return _report("stable_binary_cross_entropy", n_cases=len(cases))


# --- Chapter 5: backpropagation ----------------------------------------------------------

def _gradient_failure(name, value, numeric, describe, hint, tol=1e-6):
    """Compare one gradient with its finite-difference estimate; a failure message or None."""
    from nnbook.gradcheck import rel_error

    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if value is None or array is None or array.shape != numeric.shape:
        got = "None" if value is None else (f"shape {array.shape}" if array is not None else _short(value))
        return (f"for {describe}, {name} should have shape {numeric.shape}; got {got}.\n"
                f"   Hint: {hint}")
    error = rel_error(array, numeric)
    if not error < tol:
        return (f"for {describe}, {name} disagrees with finite differences (relative error "
                f"{error:.2g}; a right gradient gives < 1e-6).\n   Hint: {hint}")
    return None


def dense_backward(fn):
    """Check ``fn(x, W, b, grad_out) -> (dx, dW, db)``, a dense layer's backward pass.

    Each of dx, dW and db is checked on its own against central finite differences of
    sum((x @ W + b) * grad_out), so a failure names the gradient that is wrong.
    """
    from nnbook.gradcheck import numerical_gradient

    _require_callable(fn, "backward function")
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
        value, error = _call(fn, x.copy(), W.copy(), b.copy(), g.copy())
        if error:
            return _report("dense_backward", f"for {describe} your function raised {error}.\n"
                                             "   Hint: return the three gradients (dx, dW, db).")
        if not isinstance(value, (tuple, list)) or len(value) != 3:
            return _report("dense_backward", f"for {describe} return a tuple (dx, dW, db); got "
                                             f"{_short(value)}.")

        def loss():
            return np.sum((x @ W + b) * g)

        numeric = {"dx": numerical_gradient(loss, x), "dW": numerical_gradient(loss, W),
                   "db": numerical_gradient(loss, b)}
        for name, got in zip(("dx", "dW", "db"), value):
            failure = _gradient_failure(name, got, numeric[name], describe, hints[name])
            if failure:
                return _report("dense_backward", failure)
    return _report("dense_backward", n_cases=len(cases))


def sigmoid_backward(fn):
    """Check ``fn(x, grad_out) -> dx`` for the sigmoid layer: dx = grad_out * s (1 - s)."""
    from nnbook.activations import sigmoid
    from nnbook.gradcheck import numerical_gradient

    _require_callable(fn, "backward function")
    rng = np.random.default_rng(6)
    hint = ("the chain rule multiplies grad_out elementwise by the local slope "
            "σ'(x) = σ(x)(1 - σ(x)), with σ(x) computed from the input x.")
    cases = [rng.normal(size=(1, 3)), rng.normal(size=(4, 2)) * 3, np.array([[0.0, 10.0, -10.0]])]
    for x in cases:
        g = rng.normal(size=x.shape)
        describe = f"x of shape {x.shape}" + (" with large inputs" if np.abs(x).max() >= 10 else "")
        value, error = _call(fn, x.copy(), g.copy())
        if error:
            return _report("sigmoid_backward", f"for {describe} your function raised {error}.\n"
                                               f"   Hint: {hint}")
        numeric = numerical_gradient(lambda: np.sum(sigmoid(x) * g), x)
        failure = _gradient_failure("dx", value, numeric, describe, hint)
        if failure:
            return _report("sigmoid_backward", failure)
    return _report("sigmoid_backward", n_cases=len(cases))
