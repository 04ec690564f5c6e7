"""Behaviours of nnbook.optim that mutation testing found untested (tools/mutation.py)."""

import numpy as np
import pytest

from nnbook import optim

SCHEDULES_WITH_AN_INITIAL_RATE = {
    "step_decay": lambda initial: optim.step_decay(0, initial=initial, drop=0.5, every=10),
    "exponential": lambda initial: optim.exponential(0, initial=initial, decay=0.99),
    "cosine": lambda initial: optim.cosine(0, initial=initial, total=10),
    "warmup_cosine": lambda initial: optim.warmup_cosine(0, initial=initial, warmup=2, total=10),
}


@pytest.mark.parametrize("schedule", SCHEDULES_WITH_AN_INITIAL_RATE.values(), ids=SCHEDULES_WITH_AN_INITIAL_RATE)
def test_a_negative_initial_rate_is_rejected_with_an_example(schedule):
    with pytest.raises(ValueError, match=r"^initial must be a positive number \(e\.g\. 0\.1\); got -0\.1$"):
        schedule(-0.1)


def test_a_decay_of_one_keeps_the_rate_constant():
    assert optim.exponential(5, initial=0.1, decay=1.0) == 0.1


def test_a_decay_that_is_not_a_number_names_the_decay():
    with pytest.raises(ValueError, match=r"^decay must be a real number; got '0\.9'$"):
        optim.exponential(0, initial=0.1, decay="0.9")


def test_a_final_rate_equal_to_the_initial_one_gives_a_constant_cosine():
    assert optim.cosine(3, initial=0.1, total=10, final=0.1) == pytest.approx(0.1)


def test_a_final_rate_that_is_not_a_number_names_the_final_rate():
    with pytest.raises(ValueError, match=r"^final must be a real number; got '0'$"):
        optim.cosine(0, initial=0.1, total=10, final="0")


def test_warmup_cosine_names_a_total_that_is_not_a_positive_integer():
    with pytest.raises(ValueError, match=r"^total must be a positive integer; got 0$"):
        optim.warmup_cosine(0, initial=0.1, warmup=0, total=0)


def test_warmup_cosine_ends_at_the_final_rate():
    assert optim.warmup_cosine(10, initial=0.1, warmup=2, total=10, final=0.01) == pytest.approx(0.01)


def test_a_diverging_nesterov_sutskever_run_stops_and_says_why():
    run = optim.nesterov_sutskever(lambda w: 2 * w, np.array([1.0]), learning_rate=2.0, beta=0.9,
                                   steps=50, bound=100.0)
    assert (run.status, run.reason) == ("diverged", "a coordinate passed 100")


@pytest.mark.parametrize("bad, message", [
    ({"learning_rate": -1}, r"^learning_rate must be a positive number \(e\.g\. 0\.01\); got -1$"),
    ({"beta": 1.0}, r"^beta must be in \[0, 1\) \(e\.g\. 0\.9\); got 1\.0$"),
    ({"steps": 0}, r"^steps must be a positive integer; got 0$"),
    ({"bound": 0}, r"^bound must be a positive number \(e\.g\. 1000000\.0\); got 0$"),
    ({"start": [[1.0, 2.0]]}, r"^start must be a vector of shape \(D,\); got shape \(1, 2\)$"),
], ids=["learning_rate", "beta", "steps", "bound", "start"])
def test_nesterov_sutskever_names_a_bad_argument_with_an_example(bad, message):
    arguments = {"start": [1.0, 2.0], **bad}
    start = arguments.pop("start")
    with pytest.raises(ValueError, match=message):
        optim.nesterov_sutskever(lambda w: 2 * w, start, **arguments)
