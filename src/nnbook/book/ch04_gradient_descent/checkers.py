"""Chapter 4's exercise checkers, each with its table of wrong answers and diagnoses."""

import numpy as np

from nnbook.checks import (
    Failure,
    as_number,
    as_numbers_or_none,
    call,
    checker,
    diagnose,
    expect_number,
    require_callable,
    short,
)

# --- Exercise checkers ---------------------------------------------------------------------

#: The two-steps exercise: L(θ) = θ1² + θ1·θ2 + 2θ2² from (2, 1) with α = 0.1.
TWO_STEPS_START, TWO_STEPS_RATE = (2.0, 1.0), 0.1


def two_steps_loss_gradient(theta):
    """The gradient of the two-steps exercise's loss: (2θ1 + θ2, θ1 + 4θ2)."""
    t1, t2 = theta
    return np.array([2 * t1 + t2, t1 + 4 * t2])


def _two_steps(gradient):
    first = np.array(TWO_STEPS_START) - TWO_STEPS_RATE * gradient(np.array(TWO_STEPS_START))
    return first, first - TWO_STEPS_RATE * gradient(first)


#: Gradients a learner might have used instead, each with what went wrong.
_TWO_STEPS_MISTAKES = [
    (lambda t: -two_steps_loss_gradient(t),
     "you stepped uphill: the rule subtracts α times the gradient, it does not add it."),
    (lambda t: np.array([2 * t[0], 4 * t[1]]),
     "your gradient misses the cross term: ∂(θ₁θ₂)/∂θ₁ = θ₂ and ∂(θ₁θ₂)/∂θ₂ = θ₁."),
    (lambda t: np.array([2 * t[0] + t[1], t[0] + 2 * t[1]]),
     "the derivative of 2θ₂² is 4θ₂, not 2θ₂."),
    (lambda t: np.array([t[0] + t[1], t[0] + 4 * t[1]]),
     "the derivative of θ₁² is 2θ₁, not θ₁."),
]


@checker("check_two_steps")
def check_two_steps(theta_1, theta_2):
    r"""Check two steps of gradient descent done by hand: ``theta_1`` and ``theta_2``, the
    points after the first and the second step on $\mathcal{L}(\theta) = \theta_1^2 +
    \theta_1\theta_2 + 2\theta_2^2$ from $(2, 1)$ with $\alpha = 0.1$."""
    first, second = _two_steps(two_steps_loss_gradient)
    for name, value in (("theta_1", theta_1), ("theta_2", theta_2)):
        got = as_numbers_or_none(value)
        if value is ... or got is None or got.shape != (2,):
            raise Failure(f"{name} should be a point, two numbers like np.array([0.5, -1.0]); got {value!r}.")
    got_1, got_2 = as_numbers_or_none(theta_1), as_numbers_or_none(theta_2)
    right_1, right_2 = np.allclose(got_1, first, atol=1e-6), np.allclose(got_2, second, atol=1e-6)
    if right_1 and right_2:
        return 2
    why = diagnose(got_1, [(_two_steps(gradient)[0], diagnosis) for gradient, diagnosis in _TWO_STEPS_MISTAKES],
                   atol=1e-6)
    if why:
        raise Failure(f"theta_1 = {short(got_1)} is not the first step.", hint=why)
    if not right_1:
        raise Failure(f"theta_1 = {short(got_1)} is not the first step. Compute the gradient at (2, 1), "
                      "multiply it by α = 0.1 and subtract.")
    if np.allclose(got_2, first - TWO_STEPS_RATE * two_steps_loss_gradient(TWO_STEPS_START), atol=1e-6):
        raise Failure(f"theta_1 is right, but theta_2 = {short(got_2)} reuses the gradient at the start.\n"
                      "   Hint: measure the slope again at theta_1: the gradient changes at every point.")
    why = diagnose(got_2, [(first - TWO_STEPS_RATE * gradient(first), diagnosis)
                           for gradient, diagnosis in _TWO_STEPS_MISTAKES], atol=1e-6)
    if why:
        raise Failure(f"theta_1 is right, but theta_2 = {short(got_2)} is not.", hint=why)
    raise Failure(f"theta_1 is right, but theta_2 = {short(got_2)} is not. Compute the gradient at theta_1, "
                  "multiply it by α = 0.1 and subtract it from theta_1.")


#: The quadratic of the stability exercise: L = 2 θ1² + 8 θ2², Hessian diag(4, 16).
STABILITY_CURVATURES = (4.0, 16.0)


@checker("check_largest_stable_rate")
def check_largest_stable_rate(alpha):
    r"""Check ``alpha``: the largest learning rate for which gradient descent on
    $\mathcal{L} = 2\theta_1^2 + 8\theta_2^2$ still converges (the supremum of the stable rates)."""
    got = as_number(alpha)
    if got is None:
        raise Failure(f"expected one number (a learning rate), got {alpha!r}.")
    expected = 2.0 / max(STABILITY_CURVATURES)
    if np.isclose(got, expected, rtol=1e-3):
        return 1
    factors = ", ".join(f"|1 − {got:g}·{c:g}| = {abs(1 - got * c):.3g}" for c in STABILITY_CURVATURES)
    if np.isclose(got, 2.0 / min(STABILITY_CURVATURES), rtol=1e-3):
        hint = ("that is 2 / the smaller curvature. Every direction must be stable, and the "
                "steepest one (curvature 16) fails first.")
    elif np.isclose(got, 2.0 / 8.0, rtol=1e-3):
        hint = ("you used the coefficient 8 as the curvature. The curvature is the second "
                "derivative: 8θ₂² bends with 16.")
    elif np.isclose(got, 1.0 / max(STABILITY_CURVATURES), rtol=1e-3):
        hint = ("at 1/16 the steep direction lands on its minimum in one step; above it, θ₂ "
                "overshoots and zig-zags, but still shrinks. Find where it stops shrinking.")
    elif got > expected:
        hint = "at this rate one direction's distance grows each step, so the run diverges."
    elif got > 0:
        hint = ("this rate converges, but a larger one would too. Find where a factor "
                "|1 − α·curvature| reaches 1.")
    else:
        hint = "a learning rate is positive."
    raise Failure(f"{got:g} is not the stability threshold. One step multiplies the distance "
                  f"along each axis by {factors}.\n   Hint: {hint}")


@checker("check_iterations_per_epoch")
def check_iterations_per_epoch(fn):
    """Check ``fn(n_examples, batch_size)`` -> the number of updates in one epoch."""
    require_callable(fn, "function")
    cases = [
        ((1000, 32), 32, "31 full batches of 32 cover 992 examples; the last 8 make one more update."),
        ((64, 64), 1, "batch gradient descent: the whole set is one batch, one update per epoch."),
        ((64, 1), 64, "stochastic gradient descent: one update per example."),
        ((100, 25), 4, "100 / 25 divides exactly: 4 updates."),
        ((10, 100), 1, "a batch larger than the data set is the whole set: still one update."),
    ]
    for (n, b), expected, hint in cases:
        describe = f"n_examples={n}, batch_size={b}"
        value = call(fn, n, b, describe=describe, hint=hint)
        got = as_number(value)
        if got is not None and not float(got).is_integer():
            raise Failure(f"for {describe} you returned {got:g}, a fraction of an update.\n   Hint: "
                          "an epoch makes whole updates; the last, smaller batch is one more.")
        if got is not None and got == b and got != expected:
            raise Failure(f"for {describe} you returned the batch size, {b}.\n   Hint: count the batches "
                          "(updates), not the examples in one.")
        expect_number(value, expected, describe=describe, hint=hint)
    return len(cases)


# --- Exercise checkers: feature scaling ------------------------------------------------------


@checker("check_standardise")
def check_standardise(fn):
    """Check ``fn(X) -> X'``: every column of X (one feature per column, one example per row)
    standardised to mean 0 and standard deviation 1 (numpy's or the sample standard deviation)."""
    require_callable(fn, "standardise function")
    rng = np.random.default_rng(3)
    cases = [
        (np.column_stack([rng.integers(1, 7, 20), rng.uniform(0, 60, 20)]).astype(float),
         "rooms and ages: 20 examples of 2 features"),
        (np.column_stack([rng.normal(5, 2, 30), rng.normal(-100, 50, 30), rng.uniform(0, 1, 30)]),
         "30 examples of 3 features"),
    ]
    for X, what in cases:
        original = X.copy()
        value = call(fn, X, describe=what, hint="standardise each column: subtract its mean, divide by its spread.")
        got = as_numbers_or_none(value)
        if got is None or got.shape != X.shape:
            shape = "not numbers" if got is None else f"shape {got.shape}"
            raise Failure(f"for {what} expected an array of shape {X.shape}, got {shape}.")
        mean, std = X.mean(axis=0), X.std(axis=0)
        right = [(X - mean) / std, (X - mean) / X.std(axis=0, ddof=1)]
        if any(np.allclose(got, r, atol=1e-9) for r in right):
            if not np.array_equal(X, original):
                raise Failure(f"for {what} your function changed X in place; return a new array, the "
                              "caller may still need the raw features.")
            continue
        mistakes = [
            ((X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True),
             "that standardises each row (axis=1), one example's features against each other; each "
             "*column*, one feature over all examples, needs axis=0."),
            ((X - X.min(axis=0)) / np.ptp(X, axis=0), "that is min-max scaling: it maps each feature to [0, 1] "
             "but leaves its mean near 0.5, coupled with the bias."),
            (X - mean, "that only centres the features; divide by each column's standard deviation too."),
            (X / std, "that only scales; subtract each column's mean first."),
            ((X - mean) / X.var(axis=0), "that divides by the variance; divide by its square root, the "
             "standard deviation."),
            ((X - X.mean()) / X.std(), "that uses one mean and one spread for the whole array; each feature "
             "(column) needs its own: axis=0."),
        ]
        for wrong, why in mistakes:
            if np.allclose(got, wrong, atol=1e-9):
                raise Failure(f"for {what}: {why}")
        raise Failure(f"for {what} your columns have means {short(np.round(got.mean(axis=0), 3))} and "
                      f"standard deviations {short(np.round(got.std(axis=0), 3))}; expected 0 and 1.",
                      hint="(X - X.mean(axis=0)) / X.std(axis=0).")
    return len(cases)


#: The correlation of the two standardised features of the condition-number exercise.
KAPPA_CORRELATION = 0.6


@checker("check_kappa_from_correlation")
def check_kappa_from_correlation(kappa):
    r"""Check $\kappa$ of the least-squares cost of a linear model with a bias on two
    standardised features of correlation r = ``KAPPA_CORRELATION``: the Hessian's
    eigenvalues are $2(1 + r)$, $2(1 - r)$ and 2, so $\kappa = (1 + |r|) / (1 - |r|)$."""
    r = KAPPA_CORRELATION
    expected = (1 + r) / (1 - r)
    got = as_number(kappa)
    if got is None:
        raise Failure(f"expected one number, got {kappa!r}.")
    if abs(got - expected) <= 0.005 * expected:
        return 1
    mistakes = [
        ((1 - r) / (1 + r), "that is lambda_min / lambda_max; kappa is the largest over the smallest, at least 1."),
        (1 + r, "that divides by the bias's eigenvalue 2 (scaled to 1); the smallest eigenvalue is 2 (1 - r) "
                "from the two features, below the bias's 2."),
        (1 / (1 - r), "that divides the bias's eigenvalue by the smallest; kappa is the largest, 2 (1 + r), "
                      "over the smallest."),
        (1 / (1 - r ** 2), "the eigenvalues of [[1, r], [r, 1]] are 1 + r and 1 - r: take their ratio."),
        (r, "the correlation is not the condition number: find the eigenvalues of the Hessian first."),
    ]
    for value, why in mistakes:
        if abs(got - value) <= 0.005 * abs(value):
            raise Failure(f"got {got:.4g}: {why}")
    if abs(got - expected) <= 0.1 * expected:
        raise Failure(f"got {got:.4g}: close, but not it.", hint="kappa = (1 + r) / (1 - r), computed exactly.")
    raise Failure(f"got {got:.4g}.", hint="the Hessian over (w1, w2, b) is 2 [[1, r, 0], [r, 1, 0], [0, 0, 1]] for "
                  "standardised features: find its eigenvalues.")
