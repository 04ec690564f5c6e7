"""Chapter 6's exercise checkers, each with its table of wrong answers and diagnoses."""

import math

import numpy as np

from nnbook import optim
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

# --- Exercise checkers -----------------------------------------------------------------------

#: The momentum-step exercise's cases: (w, v, g, alpha, beta).
MOMENTUM_CASES = [
    (np.array([1.0, -2.0]), np.array([0.0, 0.0]), np.array([0.5, 4.0]), 0.1, 0.9),
    (np.array([1.0, -2.0]), np.array([0.2, -0.1]), np.array([0.5, 4.0]), 0.1, 0.9),
    (np.array([3.0]), np.array([-1.0]), np.array([2.0]), 0.05, 0.5),
]


def momentum_step(w, v, g, alpha, beta):
    """The reference: v <- beta v - alpha g; w <- w + v, by the library's own rule
    (``optim.Momentum._update``, the one place the rule is written). Returns (w, v), new arrays."""
    w_new, v_new = np.array(w, dtype=np.float64), np.array(v, dtype=np.float64)
    optim.Momentum(alpha, beta1=beta)._update(w_new, np.asarray(g, dtype=np.float64), v_new)
    return w_new, v_new


#: Steps a learner might have written instead, each with what went wrong.
_MOMENTUM_MISTAKES = [
    (lambda w, v, g, a, b: (w + (b * v + a * g), b * v + a * g),
     "your velocity adds α g: the step then goes uphill. The velocity gathers −α g."),
    (lambda w, v, g, a, b: (w + v, b * v - a * g),
     "you moved w with the old velocity: update v first, then w ← w + (the new v)."),
    (lambda w, v, g, a, b: (w - a * g, -a * g),
     "your velocity forgets the old one: v ← β v − α g keeps β of it."),
    (lambda w, v, g, a, b: (w - a * (b * v + g), b * v + g),
     ("that is the other convention (v ← β v + g, w ← w − α v): here v holds the step itself, "
     "v ← β v − α g, and w ← w + v.")),
]


def _unchanged(describe, given, passed):
    """Raise ``Failure`` if the learner's function changed an array it was passed."""
    for name, before, after in zip(("w", "v", "g"), given, passed):
        if not np.array_equal(before, after):
            raise Failure(f"for {describe} your function changed the {name} it was given, to "
                          f"{short(np.round(after, 6))}.",
                          hint=(f"the caller's {name} must stay as it was: `{name} = ...` makes a new "
                                f"array, while `{name} *= ...`, `{name} += ...` or `{name}[...] = ...` "
                                "write into the caller's."))


@checker("check_momentum_step")
def check_momentum_step(fn):
    """Check ``fn(w, v, g, alpha, beta)`` -> (new w, new v): one step of momentum that leaves
    its arguments unchanged."""
    require_callable(fn, "momentum step")
    for w, v, g, alpha, beta in MOMENTUM_CASES:
        describe = f"w={short(w)}, v={short(v)}, g={short(g)}, alpha={alpha:g}, beta={beta:g}"
        passed = (w.copy(), v.copy(), g.copy())
        value = call(fn, *passed, alpha, beta, describe=describe)
        if not (isinstance(value, tuple) and len(value) == 2):
            raise Failure(f"for {describe} expected a pair (w_new, v_new); got {value!r}.")
        got_w, got_v = as_numbers_or_none(value[0]), as_numbers_or_none(value[1])
        want_w, want_v = momentum_step(w, v, g, alpha, beta)
        if got_w is None or got_v is None or got_w.shape != w.shape or got_v.shape != v.shape:
            raise Failure(f"for {describe} expected two arrays of shape {w.shape}; got {value!r}.")
        if np.allclose(got_w, want_w) and np.allclose(got_v, want_v):
            _unchanged(describe, (w, v, g), passed)
            continue
        why = diagnose((got_w, got_v), [(mistake(w, v, g, alpha, beta), diagnosis)
                                        for mistake, diagnosis in _MOMENTUM_MISTAKES])
        if why:
            raise Failure(f"for {describe} you returned w={short(np.round(got_w, 6))}, "
                          f"v={short(np.round(got_v, 6))}.", hint=why)
        raise Failure(f"for {describe} expected w={short(np.round(want_w, 6))}, v={short(np.round(want_v, 6))}; "
                      f"got w={short(np.round(got_w, 6))}, v={short(np.round(got_v, 6))}.\n"
                      "   Hint: v ← β v − α g, then w ← w + v.")
    return len(MOMENTUM_CASES)


# -- A buggy Adam: find the two bugs --------------------------------------------------------

#: The buggy Adam of the exercise, as the page shows it: t counted from 0, and eps inside the root.
BUGGY_ADAM_SOURCE = '''\
def buggy_adam(w, gradients, alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    m, s = np.zeros_like(w), np.zeros_like(w)
    for t, g in enumerate(gradients):
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g ** 2
        m_hat = m / (1 - beta1 ** t)
        s_hat = s / (1 - beta2 ** t)
        w = w - alpha * m_hat / np.sqrt(s_hat + eps)
    return w
'''


def _adam_variant(w, gradients, alpha, beta1, beta2, eps, *, first=1, root_eps=False, correct=True):
    """Adam with a known slip: t counted from ``first``, eps inside the root, no correction."""
    w = np.array(w, dtype=np.float64)
    m, s = np.zeros_like(w), np.zeros_like(w)
    with np.errstate(divide="ignore", invalid="ignore"):
        for t, g in enumerate(np.asarray(gradients, dtype=np.float64), start=first):
            m = beta1 * m + (1 - beta1) * g
            s = beta2 * s + (1 - beta2) * g ** 2
            m_hat = m / (1 - beta1 ** t) if correct else m
            s_hat = s / (1 - beta2 ** t) if correct else s
            w = w - alpha * m_hat / (np.sqrt(s_hat + eps) if root_eps else np.sqrt(s_hat) + eps)
    return w


#: The cases: (w, gradients (steps, n)). The third weight's gradients are about 1e-5, where eps
#: inside the root (sqrt(1e-10 + 1e-8) ~ 1e-4) shrinks the steps tenfold.
ADAM_CASES = [
    (np.array([1.0, -2.0, 0.5]), np.array([[0.5, -20.0, 1e-5], [0.4, -10.0, 2e-5], [0.3, 5.0, -1e-5]])),
    (np.array([0.0, 1.0, -1.0]),
     np.array([[np.sin(k), 3.0 * np.cos(k / 2), 2e-5 * np.sin(k / 3 + 1)] for k in range(1, 26)])),
]
#: The settings every case runs with (the defaults of the buggy function).
ADAM_SETTINGS = {"alpha": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


def adam_reference(w, gradients, alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    """The weights after Adam's steps on ``gradients``, by the library's ``optim.Adam``."""
    params = {"w": np.array(w, dtype=np.float64)}
    opt = optim.Adam(alpha, beta1, beta2, eps)
    for g in np.asarray(gradients, dtype=np.float64):
        opt.step(params, {"w": g.copy()})
    return params["w"]


_ADAM_MISTAKES = [
    ({"first": 0}, "t starts at 0 (enumerate counts from 0): the first step divides by 1 − β⁰ = 0, "
                   "which makes m̂ and ŝ infinite and the step NaN. Count from 1: enumerate(gradients, start=1)."),
    ({"root_eps": True}, "ε is inside the root: √(ŝ + ε) is at least √ε = 10⁻⁴, so a weight whose "
                         "gradients are about 10⁻⁵ moves far too little. Adam adds ε outside: √ŝ + ε."),
    ({"first": 2}, "the bias correction is one step late: the first step must divide by 1 − β¹, "
                   "so count t = 1, 2, ... and use β ** t (not β ** (t + 1))."),
    ({"correct": False}, "the bias correction is gone: without it m and s start near 0 and the first "
                         "steps are (1 − β₁)/√(1 − β₂) ≈ 3.16 times too long. Keep it, and count t from 1."),
]


@checker("check_adam")
def check_adam(fn):
    """Check ``fn(w, gradients, alpha, beta1, beta2, eps)`` -> the weights after Adam's steps
    (Kingma & Ba's Algorithm 1), leaving its arguments unchanged."""
    require_callable(fn, "Adam")
    settings = tuple(ADAM_SETTINGS.values())
    for w, gradients in ADAM_CASES:
        describe = f"w={short(w)} and {len(gradients)} gradients starting {short(gradients[0])}"
        passed = (w.copy(), gradients.copy())
        value = call(fn, *passed, *settings, describe=describe)
        got, want = as_numbers_or_none(value), adam_reference(w, gradients, *settings)
        if got is None or got.shape != w.shape:
            raise Failure(f"for {describe} expected the new weights, an array of shape {w.shape}; got {value!r}.")
        if np.allclose(got, want, rtol=1e-6, atol=1e-12):
            for name, before, after in (("w", w, passed[0]), ("gradients", gradients, passed[1])):
                if not np.array_equal(before, after):
                    raise Failure(f"for {describe} your function changed the {name} it was given.",
                                  hint=f"work on a copy, or write `{name} = ...` (a new array), not `{name} -= ...`.")
            continue
        if not np.all(np.isfinite(got)):
            raise Failure(f"for {describe} you returned {short(got)}.", hint=_ADAM_MISTAKES[0][1])
        why = diagnose(got, [(_adam_variant(w, gradients, *settings, **slip), hint)
                             for slip, hint in _ADAM_MISTAKES[1:]], rtol=1e-6, atol=1e-12)
        if why:
            raise Failure(f"for {describe} you returned {short(np.round(got, 8))}.", hint=why)
        raise Failure(f"for {describe} expected {short(np.round(want, 8))}; got {short(np.round(got, 8))}.\n"
                      "   Hint: compare each line with Algorithm 1 above; optim.Adam runs it.")
    return len(ADAM_CASES)


# -- Where momentum becomes unstable ----------------------------------------------------------

#: The stability exercise's cases: (curvatures, beta) -> the largest stable learning rate.
STABLE_CASES = [((4.0, 16.0), 0.9), ((1.0, 100.0), 0.5), ((2.0, 20.0), 0.0), ((0.5,), 0.99)]


def stable_rate(curvatures, beta):
    r"""The supremum of the rates at which momentum converges on a quadratic with these
    curvatures: $2(1+\beta)/\lambda_{\max}$."""
    return 2 * (1 + beta) / max(curvatures)


_STABLE_MISTAKES = [
    (lambda lam, b: 2 / max(lam), "2 / λmax is plain gradient descent's limit (β = 0). With β > 0 the limit "
                                  "moves: find where a root of r² − (1 + β − αλ) r + β = 0 reaches −1."),
    (lambda lam, b: 2 * (1 + b) / min(lam), "every direction must converge, and the steepest one (the largest "
                                            "curvature) fails first."),
    (lambda lam, b: 2 * (1 - b) / max(lam), "that keeps the effective rate α/(1 − β) below 2/λ: safe, but not "
                                            "the limit. Put r = −1 into r² − (1 + β − αλ) r + β = 0."),
    (lambda lam, b: (1 + b) / max(lam), "a factor 2 is missing: at r = −1, 1 + (1 + β − αλ) + β = 0."),
    (lambda lam, b: 2 * (1 + b) / sum(lam), "the directions do not add up: each must converge on its own, "
                                            "and the steepest fails first."),
]


@checker("check_momentum_stable_rate")
def check_momentum_stable_rate(fn):
    r"""Check ``fn(curvatures, beta)`` -> the largest learning rate (the supremum) at which
    momentum with decay ``beta`` converges on a quadratic with these curvatures."""
    require_callable(fn, "function")
    for curvatures, beta in STABLE_CASES:
        describe = f"curvatures={list(curvatures)}, beta={beta:g}"
        value = call(fn, list(curvatures), beta, describe=describe)
        got, want = as_number(value), stable_rate(curvatures, beta)
        if got is None:
            raise Failure(f"for {describe} expected one number (a learning rate); got {value!r}.")
        if np.isclose(got, want, rtol=1e-6):
            continue
        why = diagnose(got, [(mistake(curvatures, beta), hint) for mistake, hint in _STABLE_MISTAKES],
                       rtol=1e-6, atol=0)
        if why is None:
            why = ("at this rate the steep direction's oscillation grows: the run diverges." if got > want else
                   "this rate converges, but larger ones do too." if got > 0 else "a learning rate is positive.")
        raise Failure(f"for {describe} expected {want:.6g}; got {got:.6g}.", hint=why)
    return len(STABLE_CASES)


# -- A schedule's value ---------------------------------------------------------------------

#: The schedule exercise: warm up over 10 steps to 0.1, then a cosine to 0 until step 110.
SCHEDULE_SETTINGS = {"initial": 0.1, "warmup": 10, "total": 110}
SCHEDULE_STEP = 35
#: A value by hand is right if it is this close (relative): 0.0854 and 0.08536 both pass.
SCHEDULE_RTOL = 1e-3


def _half_cosine(a0, step, length, *, degrees=False):
    """½ a0 (1 + cos(π step / length)), with cos taking degrees if ``degrees`` (a calculator slip)."""
    angle = math.pi * step / length
    return 0.5 * a0 * (1 + math.cos(math.radians(angle) if degrees else angle))


@checker("check_schedule_value")
def check_schedule_value(rate):
    """Check ``rate``: the learning rate at step 35 of a 10-step warm-up to 0.1, then a cosine to 0
    at step 110 (``optim.warmup_cosine``), computed by hand to three or more significant figures."""
    got = as_number(rate)
    if got is None:
        raise Failure(f"expected one number (a learning rate), got {rate!r}.")
    s = SCHEDULE_SETTINGS
    t, w, total, a0 = SCHEDULE_STEP, s["warmup"], s["total"], s["initial"]
    expected = optim.warmup_cosine(t, **s)
    if np.isclose(got, expected, rtol=SCHEDULE_RTOL, atol=0):
        return 1
    mistakes = [
        (_half_cosine(a0, t - w + 1, total - w), "off by one: the warm-up is steps 0 to 9, so step 10 is the "
                                                  "cosine's step 0 and step 35 its step 35 − 10 = 25, not 26."),
        (_half_cosine(a0, t - w - 1, total - w), "off by one: step 10 is the cosine's step 0, so step 35 is "
                                                  "its step 35 − 10 = 25, not 24."),
        (_half_cosine(a0, t, total), "you left the warm-up out: the cosine starts at step 10 and lasts 100 steps."),
        (_half_cosine(a0, t - w, total), "the cosine lasts total − warmup = 100 steps, not 110."),
        (_half_cosine(a0, t, total - w), "count the cosine's steps from the end of the warm-up: t − 10."),
        (_half_cosine(a0, t - w, total - w, degrees=True),
         "that is α₀ itself, or nearly: if cos(π·25/100) came out as 1, your calculator took the angle "
         "0.785 in degrees. It is in radians (45°), and by step 35 the cosine has lowered the rate."),
        (0.5 * a0 * (1 + math.cos(180 * (t - w) / (total - w))),
         "cos(45) took 45 as radians: the angle is 45 degrees, π/4 in radians."),
        (a0 * math.cos(math.pi * (t - w) / (total - w)),
         "a cosine schedule is ½ α₀ (1 + cos(π t / T)): it runs from α₀ down to 0, never below."),
    ]
    hint = diagnose(got, mistakes, rtol=SCHEDULE_RTOL, atol=0)
    if hint is None and np.isclose(got, expected, rtol=0.02, atol=0):
        hint = "close, but round less: keep three significant figures or more (π and √2 included)."
    if hint is None:
        hint = "after the warm-up, α = ½ · 0.1 · (1 + cos(π (t − 10) / 100))."
    raise Failure(f"{got:g} is not the rate at step {t}.", hint=hint)
