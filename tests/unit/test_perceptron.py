"""nnbook.perceptron (Rosenblatt's rule) and the data it trains on (nnbook.data)."""

from types import SimpleNamespace

import numpy as np
import pytest
import scipy.optimize
from sklearn.linear_model import Perceptron

from nnbook import data
from nnbook.perceptron import (
    mistake_bound,
    perceptron_predict,
    perceptron_update,
    plane_margin,
    round_off_bound,
    train_perceptron,
)

DATASETS = {
    "blobs": lambda: data.separable_blobs(seed=0),
    "AND": lambda: data.gate("AND"),
    "OR": lambda: data.gate("OR"),
    "XOR": lambda: data.gate("XOR"),
}


# --- training ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["blobs", "AND", "OR"])
def test_converges_on_separable_data(name):
    X, y = DATASETS[name]()
    run = train_perceptron(X, y, epochs=50)
    assert run.converged
    assert run.mistakes[-1] == 0


@pytest.mark.parametrize("name", ["blobs", "AND", "OR"])
def test_final_weights_classify_every_training_point(name):
    X, y = DATASETS[name]()
    run = train_perceptron(X, y, epochs=50)
    np.testing.assert_array_equal(perceptron_predict(X, run.w, run.b), y)


def test_stops_after_the_first_epoch_without_mistakes():
    X, y = data.gate("AND")
    run = train_perceptron(X, y, epochs=50)
    assert run.mistakes.count(0) == 1
    assert run.epochs == len(run.path) == len(run.mistakes) < 50


def test_never_converges_on_xor():
    X, y = data.gate("XOR")
    run = train_perceptron(X, y, epochs=50)
    assert not run.converged
    assert run.epochs == 50
    assert min(run.mistakes) >= 1


def test_final_weights_are_the_last_point_of_the_path():
    X, y = data.gate("XOR")
    run = train_perceptron(X, y, epochs=7)
    np.testing.assert_array_equal(run.path[-1][0], run.w)
    assert run.path[-1][1] == run.b


@pytest.mark.parametrize("name", ["blobs", "AND", "XOR"])
def test_every_epoch_matches_scikit_learn_perceptron(name):
    X, y = DATASETS[name]()
    run = train_perceptron(X, y, epochs=20)
    oracle = Perceptron(eta0=1.0, shuffle=False, alpha=0.0, penalty=None)
    for epoch, (w, b) in enumerate(run.path, start=1):
        oracle.partial_fit(X, y, classes=[0, 1])
        np.testing.assert_allclose(w, oracle.coef_.ravel(), rtol=0, atol=1e-12, err_msg=f"epoch {epoch}")
        assert b == pytest.approx(oracle.intercept_[0], rel=0, abs=1e-12), f"epoch {epoch}"


def test_training_does_not_modify_the_starting_weights():
    X, y = data.gate("AND")
    w0 = np.array([0.5, -0.5])
    train_perceptron(X, y, w0=w0)
    np.testing.assert_array_equal(w0, [0.5, -0.5])


def test_learning_rate_scales_the_whole_path_from_zero():
    # From w = 0, b = 0 every decision is the same at any scale, so the path scales exactly.
    X, y = data.separable_blobs(seed=0)
    unit = train_perceptron(X, y, epochs=10)
    quarter = train_perceptron(X, y, epochs=10, learning_rate=0.25)
    assert quarter.mistakes == unit.mistakes
    for (w1, b1), (wq, bq) in zip(unit.path, quarter.path):
        np.testing.assert_array_equal(wq, 0.25 * w1)
        assert bq == 0.25 * b1


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND"])
@pytest.mark.parametrize("learning_rate", [0.1, 0.3, 0.7, 0.01])
def test_from_a_zero_start_the_learning_rate_does_not_change_the_decisions(gate, learning_rate):
    # Issue 23: at rate 0.1 a sum that is 0 in exact arithmetic came out as -2.8e-17, and AND
    # "converged" after 4 epochs with a point on its line.
    X, y = data.gate(gate)
    assert train_perceptron(X, y, learning_rate=learning_rate).mistakes == train_perceptron(X, y).mistakes


# --- one update ----------------------------------------------------------------------------

def test_a_sum_that_is_zero_up_to_round_off_counts_as_a_mistake():
    w, b, x = np.array([0.1 + 0.2, 0.0]), -0.3, np.array([1.0, 0.0])  # the sum is 5.6e-17, not 0
    assert 0 < w @ x + b <= round_off_bound(w, b, x)
    assert perceptron_update(w, b, x, 1)[2]


def test_a_sum_just_beyond_round_off_is_an_answer():
    w, b, x = np.array([1.0, 1.0]), -2.0 + 1e-12, np.array([1.0, 1.0])
    assert not perceptron_update(w, b, x, 1)[2]


def test_update_leaves_a_correctly_classified_point_alone():
    w, b = np.array([1.0, 1.0]), -1.5
    new_w, new_b, mistake = perceptron_update(w, b, np.array([1.0, 1.0]), 1)
    assert not mistake
    np.testing.assert_array_equal(new_w, w)
    assert new_b == b


def test_update_treats_a_sum_of_exactly_zero_as_a_mistake():
    new_w, new_b, mistake = perceptron_update(np.zeros(2), 0.0, np.array([1.0, 2.0]), 0)
    assert mistake
    np.testing.assert_array_equal(new_w, [-1.0, -2.0])
    assert new_b == -1.0


def test_update_moves_toward_a_missed_positive_example():
    new_w, new_b, mistake = perceptron_update(np.array([0.0, -1.0]), 0.0, np.array([1.0, 1.0]), 1)
    assert mistake
    np.testing.assert_array_equal(new_w, [1.0, 0.0])
    assert new_b == 1.0


def test_update_moves_away_from_a_false_alarm():
    new_w, new_b, mistake = perceptron_update(np.array([1.0, 1.0]), 0.0, np.array([1.0, 0.0]), 0)
    assert mistake
    np.testing.assert_array_equal(new_w, [0.0, 1.0])
    assert new_b == -1.0


def test_learning_rate_scales_the_update(rng):
    w, x = rng.normal(size=3), rng.normal(size=3)
    b = -float(w @ x) - 1.0  # target 1 but the sum is -1: a mistake at any learning rate
    w_unit, b_unit, _ = perceptron_update(w, b, x, 1, learning_rate=1.0)
    w_small, b_small, _ = perceptron_update(w, b, x, 1, learning_rate=0.1)
    np.testing.assert_allclose(w_small - w, 0.1 * (w_unit - w), rtol=1e-12)
    assert b_small - b == pytest.approx(0.1 * (b_unit - b), rel=1e-12)


# --- validation ----------------------------------------------------------------------------

def test_targets_other_than_zero_and_one_are_rejected():
    X, _ = data.gate("AND")
    with pytest.raises(ValueError, match="only 0 and 1"):
        train_perceptron(X, np.array([-1.0, -1.0, -1.0, 1.0]))


def test_one_target_per_row_is_required():
    X, y = data.gate("AND")
    with pytest.raises(ValueError, match=r"\(4,\).*one target per row.*\(3,\)"):
        train_perceptron(X, y[:3])


@pytest.mark.parametrize("epochs", [0, -1, 1.5, True], ids=["0", "-1", "1.5", "True"])
def test_epochs_must_be_a_positive_integer(epochs):
    X, y = data.gate("AND")
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        train_perceptron(X, y, epochs=epochs)


@pytest.mark.parametrize("learning_rate", [0.0, -0.5])
def test_learning_rate_must_be_positive(learning_rate):
    X, y = data.gate("AND")
    with pytest.raises(ValueError, match="learning_rate must be a positive finite number"):
        train_perceptron(X, y, learning_rate=learning_rate)


def test_examples_must_be_a_batch():
    with pytest.raises(ValueError, match="X"):
        train_perceptron([1.0, 0.0], [1.0, 0.0])


# --- data ----------------------------------------------------------------------------------

def test_separable_blobs_is_deterministic_for_a_seed():
    X1, y1 = data.separable_blobs(30, seed=3)
    X2, y2 = data.separable_blobs(30, seed=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


def test_separable_blobs_differs_between_seeds():
    assert not np.array_equal(data.separable_blobs(30, seed=0)[0], data.separable_blobs(30, seed=1)[0])


@pytest.mark.parametrize("n", [10, 40, 101])
def test_separable_blobs_has_the_requested_size(n):
    X, y = data.separable_blobs(n, seed=0)
    assert X.shape == (n, 2) and y.shape == (n,)


@pytest.mark.parametrize("seed", range(5))
def test_separable_blobs_has_both_classes(seed):
    _, y = data.separable_blobs(40, seed=seed)
    assert set(np.unique(y)) == {0.0, 1.0}


@pytest.mark.parametrize("margin", [0.0, 0.1, 0.3])
def test_separable_blobs_keeps_every_point_at_least_margin_from_the_line(margin):
    X, y = data.separable_blobs(60, margin=margin, seed=2)
    # distance of (x1, x2) to the line 0.6 x1 - x2 + 0.1 = 0, and the side it lies on
    signed = (X[:, 1] - 0.6 * X[:, 0] - 0.1) / np.sqrt(0.6**2 + 1.0)
    assert np.all(np.abs(signed) >= margin)
    np.testing.assert_array_equal(y, (signed > 0).astype(float))


def test_separable_blobs_points_lie_in_the_unit_square():
    X, _ = data.separable_blobs(60, seed=0)
    assert np.all(np.abs(X) <= 1.0)


def test_separable_blobs_rejects_fewer_than_two_points():
    with pytest.raises(ValueError, match="at least 2"):
        data.separable_blobs(1)


def test_separable_blobs_has_both_classes_for_the_smallest_n():
    _, y = data.separable_blobs(2, seed=0)
    assert set(np.unique(y)) == {0.0, 1.0}


class _DrawBudgetExceeded(Exception):
    pass


class _CountingGenerator:
    """A numpy Generator that gives up after `budget` calls to uniform(), so a loop that
    would never end fails the test instead of hanging it."""

    def __init__(self, seed, budget=10_000):
        self._rng = np.random.Generator(np.random.PCG64(seed))
        self._left = budget

    def uniform(self, *args, **kwargs):
        self._left -= 1
        if self._left < 0:
            raise _DrawBudgetExceeded("separable_blobs kept drawing points")
        return self._rng.uniform(*args, **kwargs)


def test_separable_blobs_rejects_a_margin_no_point_can_have(monkeypatch):
    monkeypatch.setattr(data.np.random, "default_rng", _CountingGenerator)
    with pytest.raises(ValueError, match="margin"):
        data.separable_blobs(10, margin=2.0)


def test_gate_data_returns_copies():
    X, y = data.gate("AND")
    X[:] = 9.0
    y[:] = 9.0
    X2, y2 = data.gate("AND")
    assert X2.max() == 1.0 and y2.max() == 1.0


def test_gate_data_rejects_an_unknown_gate():
    with pytest.raises(ValueError, match="XNOR"):
        data.gate("XNOR")


@pytest.mark.parametrize("epochs, shown", [(2.0, "2.0"), (True, "True")])
def test_epochs_of_float_or_bool_type_are_rejected(epochs, shown):
    X, y = data.gate("AND")
    with pytest.raises(ValueError, match=f"^epochs must be a positive integer; got {shown}$"):
        train_perceptron(X, y, epochs=epochs)


@pytest.mark.parametrize("rate, shown", [(float("nan"), "nan"), (float("inf"), "inf"), (-1.0, "-1.0")])
def test_a_learning_rate_must_be_positive_and_finite(rate, shown):
    X, y = data.gate("AND")
    with pytest.raises(ValueError, match=f"^learning_rate must be a positive finite number; got {shown}$"):
        train_perceptron(X, y, learning_rate=rate)


def test_update_accepts_lists_as_the_chapter_writes_them():
    new_w, new_b, mistake = perceptron_update([0.0, 0.0], 0.0, [1.0, 1.0], 1)
    assert mistake and new_b == 1.0
    np.testing.assert_array_equal(new_w, [1.0, 1.0])


@pytest.mark.parametrize("w, b, x, target, learning_rate, message", [
    ([1.0, 1.0], 0.0, [1.0, 1.0, 1.0], 1, 1.0, r"x must have one value per weight, shape \(2,\); got \(3,\)"),
    ([1.0, 1.0], 0.0, [1.0, 1.0], -1, 1.0, "target must be 0 or 1; got -1"),
    ([1.0, 1.0], 0.0, [1.0, 1.0], "1", 1.0, "target must be 0 or 1; got '1'"),
    ([1.0, 1.0], 0.0, [1.0, 1.0], 1, 0.0, "learning_rate must be a positive finite number; got 0.0"),
    ([[1.0, 1.0]], 0.0, [1.0, 1.0], 1, 1.0, r"w \(the weights\) must be"),
    ([1.0, 1.0], float("nan"), [1.0, 1.0], 1, 1.0, r"b \(the bias\) must be"),
])
def test_update_rejects_wrong_input_with_a_message(w, b, x, target, learning_rate, message):
    with pytest.raises(ValueError, match=message):
        perceptron_update(w, b, x, target, learning_rate)


# --- Novikoff's mistake bound ----------------------------------------------------------------

def test_mistake_bound_of_two_points_worked_by_hand():
    # x~ = (1, 1) and (-1, 1); u = (1, 0) gives both a margin of 1; R = sqrt(2); bound 2.
    R, margin, bound = mistake_bound([[1.0], [-1.0]], [1, 0])
    assert R == pytest.approx(np.sqrt(2)) and margin == pytest.approx(1.0, rel=1e-6)
    assert bound == pytest.approx(2.0, rel=1e-6)


def test_mistake_bound_of_and_is_51():
    # x~ rows (0,0,1), (0,1,1), (1,0,1), (1,1,1): R = sqrt(3); best u is (2, 2, -3) / sqrt(17), margin 1 / sqrt(17)
    R, margin, bound = mistake_bound(*data.gate("AND"))
    assert R == pytest.approx(np.sqrt(3)) and margin == pytest.approx(1 / np.sqrt(17), rel=1e-6)
    assert bound == pytest.approx(51.0, rel=1e-6)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("learning_rate", [1.0, 0.1])
def test_perceptron_never_makes_more_mistakes_than_the_bound(seed, learning_rate):
    X, y = data.separable_blobs(30, margin=0.05, seed=seed)
    run = train_perceptron(X, y, epochs=500, learning_rate=learning_rate)
    assert run.converged
    assert sum(run.mistakes) <= mistake_bound(X, y)[2]


def test_plane_margin_of_and_worked_by_hand():
    # the line x1 + x2 = 1.5 is 0.5 / sqrt(2) from (1, 1), (0, 1) and (1, 0)
    assert plane_margin(*data.gate("AND")) == pytest.approx(0.5 / np.sqrt(2), rel=1e-6)


@pytest.mark.parametrize("seed", range(3))
def test_plane_margin_matches_a_hard_margin_svm(seed):
    from sklearn.svm import SVC

    X, y = data.separable_blobs(30, margin=0.05, seed=seed)
    svm = SVC(kernel="linear", C=1e8).fit(X, y)
    assert plane_margin(X, y) == pytest.approx(1 / np.linalg.norm(svm.coef_), rel=1e-3)


def test_plane_margin_is_at_least_the_augmented_margin():
    X, y = data.gate("AND")
    assert plane_margin(X, y) > mistake_bound(X, y)[1]


def test_plane_margin_refuses_classes_no_line_separates():
    with pytest.raises(ValueError, match="no line separates these classes"):
        plane_margin(*data.gate("XOR"))


def test_mistake_bound_refuses_classes_no_line_separates():
    with pytest.raises(ValueError, match="no line separates these classes"):
        mistake_bound(*data.gate("XOR"))


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

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
