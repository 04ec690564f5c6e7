"""Behaviours of nnbook.perceptron that mutation testing found untested (tools/mutation.py)."""

from types import SimpleNamespace

import numpy as np
import pytest
import scipy.optimize

from nnbook import data
from nnbook.perceptron import mistake_bound, perceptron_update, train_perceptron


def test_training_runs_twenty_epochs_by_default():
    # XOR never converges, so the run lasts exactly as many epochs as the default allows.
    run = train_perceptron(*data.gate("XOR"))
    assert run.epochs == 20


def test_training_starts_from_the_given_weights_and_bias():
    # w0 = (1, 1), b0 = -1.5 already computes AND: the first epoch makes no mistake,
    # and the run ends where it started. From zeros it would need several epochs.
    run = train_perceptron(*data.gate("AND"), w0=[1.0, 1.0], b0=-1.5)
    assert run.mistakes == [0] and run.converged
    np.testing.assert_array_equal(run.w, [1.0, 1.0])
    assert run.b == -1.5


def test_training_from_given_weights_updates_them():
    # AND from w0 = (1, 1), b0 = 0: rows 00 (sum 0, target 0) -> b = -1; 01 (sum 0) -> w = (1, 0),
    # b = -2; 10 (sum -1, right); 11 (sum -1, target 1) -> w = (2, 1), b = -1. Three mistakes.
    run = train_perceptron(*data.gate("AND"), epochs=1, w0=[1.0, 1.0])
    assert run.mistakes == [3]
    np.testing.assert_array_equal(run.w, [2.0, 1.0])
    assert run.b == -1.0


def test_starting_weights_that_are_not_a_vector_are_named_w0():
    with pytest.raises(ValueError, match=r"^w0 must be a vector of shape \(D,\); got shape \(1, 2\)$"):
        train_perceptron(*data.gate("AND"), w0=[[0.5, -0.5]])


def test_a_starting_bias_that_is_not_finite_is_named_b0():
    with pytest.raises(ValueError, match=r"^b0 must be a finite number; got nan$"):
        train_perceptron(*data.gate("AND"), b0=float("nan"))


def test_an_example_with_nan_is_named_x():
    with pytest.raises(ValueError, match=r"^x \(the example\) contains NaN or inf$"):
        perceptron_update([1.0, 1.0], 0.0, [1.0, float("nan")], 1)


def test_examples_that_are_not_a_batch_are_named_x():
    with pytest.raises(ValueError, match=r"^X \(the examples\) must be a batch of shape \(N, D\); got shape \(2,\)$"):
        train_perceptron([1.0, 0.0], [1.0, 0.0])


def test_targets_with_nan_are_named_y():
    X, _ = data.gate("AND")
    with pytest.raises(ValueError, match=r"^y \(the targets\) contains NaN or inf$"):
        train_perceptron(X, [0.0, 0.0, 0.0, float("nan")])


def test_targets_other_than_zero_and_one_are_listed_in_the_error():
    X, _ = data.gate("AND")
    with pytest.raises(ValueError, match=r"^y must hold only 0 and 1; got \[0\. 1\. 2\.\]$"):
        train_perceptron(X, [0.0, 2.0, 0.0, 1.0])


def test_the_mistake_bound_error_says_the_classes_are_not_separable():
    with pytest.raises(ValueError, match=r"^no line separates these classes, so the perceptron has no mistake bound$"):
        mistake_bound(*data.gate("XOR"))


def test_mistake_bound_checks_the_constraints_even_when_the_optimiser_reports_success(monkeypatch):
    # An optimiser that claims success with v = 0.5 (1, 0) leaves both constraints at 0.5 < 1:
    # the margin it implies is not real, so mistake_bound must refuse it.
    def claims_success(fun, x0, **kwargs):
        return SimpleNamespace(success=True, x=np.array([0.5, 0.0]))

    monkeypatch.setattr(scipy.optimize, "minimize", claims_success)
    with pytest.raises(ValueError, match="no line separates these classes"):
        mistake_bound([[1.0], [-1.0]], [1, 0])
