"""Chapter 4's checkers: a right answer passes, a wrong one is explained, nothing raises on it."""

import math

import pytest

from nnbook.book import ch04_gradient_descent as ch04
from nnbook.checks import MESSAGE_WIDTH


def right_step(theta, gradient, learning_rate):
    return theta - learning_rate * gradient


def in_place_step(theta, gradient, learning_rate):
    theta -= learning_rate * gradient
    return theta


RIGHT = {
    "gradient_step": lambda: ch04.check_gradient_step(right_step),
    "largest_stable_rate": lambda: ch04.check_largest_stable_rate(2 / 16),
    "iterations_per_epoch": lambda: ch04.check_iterations_per_epoch(lambda n, b: math.ceil(n / b)),
}
WRONG = {
    "step-ascends": (lambda: ch04.check_gradient_step(lambda t, g, a: t + a * g), "against it"),
    "step-in-place": (lambda: ch04.check_gradient_step(in_place_step), "in place"),
    "step-None": (lambda: ch04.check_gradient_step(lambda t, g, a: None), "return"),
    "step-raises": (lambda: ch04.check_gradient_step(lambda t, g, a: 1 / 0), "ZeroDivisionError"),
    "step-ellipsis-skeleton": (lambda: ch04.check_gradient_step(lambda t, g, a: ...), "shape"),
    "rate-smaller-curvature": (lambda: ch04.check_largest_stable_rate(0.5), "steepest"),
    "rate-too-small": (lambda: ch04.check_largest_stable_rate(0.1), "larger one"),
    "rate-too-large": (lambda: ch04.check_largest_stable_rate(0.2), "diverges"),
    "rate-skeleton": (lambda: ch04.check_largest_stable_rate(...), "one number"),
    "epochs-floor": (lambda: ch04.check_iterations_per_epoch(lambda n, b: n // b), "one more update"),
    "epochs-None": (lambda: ch04.check_iterations_per_epoch(lambda n, b: None), "return"),
}


@pytest.mark.parametrize("check", RIGHT.values(), ids=RIGHT.keys())
def test_right_answer_passes_with_a_tick(check, capsys):
    assert check()
    assert capsys.readouterr().out.startswith("✓")


@pytest.mark.parametrize("check, phrase", WRONG.values(), ids=WRONG.keys())
def test_wrong_answer_is_explained_without_raising(check, phrase, capsys):
    result = check()
    printed = capsys.readouterr().out
    assert not result
    assert printed.startswith("✗")
    assert phrase in printed.replace("\n   ", " ")
    assert max(len(line) for line in printed.splitlines()) <= MESSAGE_WIDTH


@pytest.mark.parametrize("checker", [ch04.check_gradient_step, ch04.check_iterations_per_epoch])
def test_passing_a_non_callable_is_a_type_error(checker):
    with pytest.raises(TypeError, match="without calling it"):
        checker(0.1)
