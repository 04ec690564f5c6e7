"""nnbook.losses against scikit-learn's metrics and scipy, plus stability at the extremes."""

import re
import warnings

import numpy as np
import pytest
from scipy.special import expit, softmax
from sklearn.metrics import log_loss, mean_squared_error

from nnbook import losses


def test_mse_matches_sklearn(rng):
    y, y_hat = rng.normal(size=(50, 3)), rng.normal(size=(50, 3))
    assert losses.mean_squared_error(y, y_hat) == pytest.approx(mean_squared_error(y, y_hat), rel=1e-12)


def test_mse_of_a_vector_matches_sklearn(rng):
    y, y_hat = rng.normal(size=40), rng.normal(size=40)
    assert losses.mean_squared_error(y, y_hat) == pytest.approx(mean_squared_error(y, y_hat), rel=1e-12)


def test_binary_cross_entropy_matches_log_loss(rng):
    y = rng.integers(0, 2, size=60)
    p = rng.uniform(0.01, 0.99, size=60)
    assert losses.binary_cross_entropy(y, p) == pytest.approx(log_loss(y, p), rel=1e-12)


def test_categorical_cross_entropy_matches_log_loss_for_labels_and_one_hot(rng):
    labels = rng.integers(0, 4, size=60)
    labels[:4] = np.arange(4)                      # every class present, as log_loss needs
    P = softmax(rng.normal(size=(60, 4)), axis=1)
    expected = log_loss(labels, P)
    assert losses.categorical_cross_entropy(labels, P) == pytest.approx(expected, rel=1e-12)
    assert losses.categorical_cross_entropy(np.eye(4)[labels], P) == pytest.approx(expected, rel=1e-12)


def test_softmax_cross_entropy_equals_cce_of_the_softmax(rng):
    labels = rng.integers(0, 3, size=20)
    Z = 3 * rng.normal(size=(20, 3))
    assert losses.softmax_cross_entropy(labels, Z) == pytest.approx(
        losses.categorical_cross_entropy(labels, softmax(Z, axis=1)), rel=1e-12)


def test_bce_from_logits_equals_bce_of_the_sigmoid(rng):
    y = rng.integers(0, 2, size=30).astype(float)
    z = 3 * rng.normal(size=30)
    assert losses.binary_cross_entropy_from_logits(y, z) == pytest.approx(
        losses.binary_cross_entropy(y, expit(z)), rel=1e-12)


@pytest.mark.parametrize("name, y, pred", [
    ("binary_cross_entropy", [1.0, 0.0], [0.0, 1.0]),
    ("binary_cross_entropy_from_logits", [1.0, 0.0], [-1e4, 1e4]),
    ("categorical_cross_entropy", [0, 1], [[0.0, 1.0], [1.0, 0.0]]),
    ("softmax_cross_entropy", [0, 1], [[-1e4, 1e4], [1e4, -1e4]]),
])
def test_confident_wrong_predictions_give_a_large_finite_loss_without_warnings(name, y, pred):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = losses.LOSSES[name](np.array(y), np.array(pred))
    assert np.isfinite(value) and value > 30


def test_softmax_cross_entropy_grows_linearly_for_wrong_logits():
    assert losses.softmax_cross_entropy([0], [[0.0, 1e4]]) == pytest.approx(1e4)


def test_reduction_none_gives_one_loss_per_example_and_mean_gives_the_cost(rng):
    y, p = rng.integers(0, 2, size=8), rng.uniform(0.1, 0.9, size=8)
    per_example = losses.binary_cross_entropy(y, p, reduction="none")
    assert per_example.shape == (8,)
    assert per_example.mean() == pytest.approx(losses.binary_cross_entropy(y, p))


def test_softmax_cross_entropy_gradient_matches_finite_differences(rng):
    labels = rng.integers(0, 3, size=5)
    Z = rng.normal(size=(5, 3))
    h = 1e-6
    numerical = np.zeros_like(Z)
    for index in np.ndindex(Z.shape):
        up, down = Z.copy(), Z.copy()
        up[index] += h
        down[index] -= h
        numerical[index] = (losses.softmax_cross_entropy(labels, up)
                            - losses.softmax_cross_entropy(labels, down)) / (2 * h)
    np.testing.assert_allclose(losses.softmax_cross_entropy_gradient(labels, Z), numerical, atol=1e-8)


@pytest.mark.parametrize("alias, function", [
    ("mse", losses.mean_squared_error),
    ("binary_crossentropy", losses.binary_cross_entropy),
    ("categorical_crossentropy", losses.categorical_cross_entropy),
    ("Mean-Squared-Error", losses.mean_squared_error),
])
def test_framework_spellings_find_the_loss(alias, function):
    assert losses.get_loss(alias) is function


def test_unknown_loss_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="mse"):
        losses.get_loss("hinge")


def test_mismatched_shapes_name_the_loss_and_both_shapes():
    with pytest.raises(ValueError, match=r"mean_squared_error.*\(3,\).*\(4,\)"):
        losses.mean_squared_error(np.zeros(3), np.zeros(4))


def test_labels_out_of_range_are_rejected():
    with pytest.raises(ValueError, match="0..2"):
        losses.categorical_cross_entropy([0, 3], np.full((2, 3), 1 / 3))


def test_unknown_reduction_is_rejected():
    with pytest.raises(ValueError, match="reduction"):
        losses.mean_squared_error([1.0], [2.0], reduction="sum")


# --- bad input (issue 9): every loss and gradient says what is wrong ------------------------

#: Every loss and gradient function with a valid (y_true, y_pred) for it.
_P = np.array([[0.2, 0.8], [0.6, 0.4]])
_ONE_HOT = np.array([[0.0, 1.0], [1.0, 0.0]])
VALID = {
    "mean_squared_error": (losses.mean_squared_error, _ONE_HOT, _P),
    "half_squared_error": (losses.half_squared_error, _ONE_HOT, _P),
    "binary_cross_entropy": (losses.binary_cross_entropy, _ONE_HOT, _P),
    "binary_cross_entropy_from_logits": (losses.binary_cross_entropy_from_logits, _ONE_HOT, _P),
    "categorical_cross_entropy": (losses.categorical_cross_entropy, _ONE_HOT, _P),
    "softmax_cross_entropy": (losses.softmax_cross_entropy, _ONE_HOT, _P),
}
VALID |= {f"{name}_gradient": (losses.LOSS_GRADIENTS[f], y, p) for name, (f, y, p) in VALID.items()}
PRED_NAME = {name: "logits" if "logits" in name or "softmax" in name else "y_pred" for name in VALID}


@pytest.mark.parametrize("name", VALID)
def test_valid_input_is_accepted(name):
    function, y, p = VALID[name]
    assert np.all(np.isfinite(function(y, p)))


@pytest.mark.parametrize("name", VALID)
def test_an_empty_batch_is_a_clear_error(name):
    function, _, _ = VALID[name]
    message = f"{name}: y_true is empty (shape (0, 2)); it needs at least one value"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        function(np.zeros((0, 2)), np.zeros((0, 2)))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("name", VALID)
def test_nan_or_inf_names_the_argument(name, bad):
    function, y, p = VALID[name]
    y_bad, p_bad = y.copy(), p.copy()
    y_bad[0, 0], p_bad[0, 0] = bad, bad
    with pytest.raises(ValueError, match=f"^{re.escape(name)}: y_true contains NaN or inf$"):
        function(y_bad, p)
    with pytest.raises(ValueError, match=f"^{re.escape(name)}: {PRED_NAME[name]} contains NaN or inf$"):
        function(y, p_bad)


BINARY = [n for n in VALID if n.startswith("binary_cross_entropy")]


@pytest.mark.parametrize("target", [2.0, -1.0])
@pytest.mark.parametrize("name", BINARY)
def test_binary_targets_outside_zero_one_are_rejected(name, target):
    function, y, p = VALID[name]
    y = y.copy()
    y[0, 0] = target
    message = (f"{name}: y_true must be in [0, 1] (0/1 labels or probabilities of class 1); "
               f"got values from {min(target, 0):g} to {max(target, 1):g}")
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        function(y, p)


def test_bce_from_logits_can_no_longer_be_negative():
    with pytest.raises(ValueError, match="y_true must be in"):
        losses.binary_cross_entropy_from_logits([2.0], [3.0])   # was -2.95


@pytest.mark.parametrize("prediction", [1.5, -0.2])
@pytest.mark.parametrize("name", ["binary_cross_entropy", "binary_cross_entropy_gradient"])
def test_bce_predictions_outside_zero_one_suggest_logits(name, prediction):
    message = (f"{name}: predictions must be probabilities in [0, 1]; did you pass logits? (for "
               "raw scores use binary_cross_entropy_from_logits); got values from "
               f"{min(prediction, 0.5):g} to {max(prediction, 0.5):g}")
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        VALID[name][0]([1.0, 0.0], [prediction, 0.5])


@pytest.mark.parametrize("name", ["categorical_cross_entropy", "categorical_cross_entropy_gradient"])
def test_categorical_predictions_outside_zero_one_suggest_softmax_cross_entropy(name):
    with pytest.raises(ValueError, match=re.escape(
            f"{name}: predictions must be probabilities in [0, 1]; did you pass logits? (for raw "
            "scores use softmax_cross_entropy)")):
        VALID[name][0]([0, 1], [[2.0, -1.0], [0.5, 0.5]])


CATEGORICAL = [n for n in VALID if "categorical" in n or "softmax" in n]


@pytest.mark.parametrize("row", [[2.0, 0.0], [1.0, 1.0], [0.0, 0.0], [-0.5, 1.5]], ids=str)
@pytest.mark.parametrize("name", CATEGORICAL)
def test_rows_that_are_not_one_hot_or_probabilities_are_rejected(name, row):
    function, _, p = VALID[name]
    y = np.array([[0.0, 1.0], row])
    message = (f"{name}: each row of y_true must be one-hot (or probabilities in [0, 1] summing "
               f"to 1); row 1 is {row}")
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        function(y, p)


def test_soft_targets_give_the_cross_entropy_of_the_distributions(rng):
    y = np.array([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1]])    # label smoothing
    z = rng.normal(size=(2, 3))
    expected = -np.mean(np.sum(y * np.log(softmax(z, axis=1)), axis=1))
    assert losses.softmax_cross_entropy(y, z) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("name", CATEGORICAL)
def test_non_numeric_labels_are_a_clear_error(name):
    function, _, p = VALID[name]
    message = f"{name}: y_true must be numbers (an int or float array); got dtype <U3"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        function(["cat", "dog"], p)


@pytest.mark.parametrize("labels, shown", [([0, 2], "0..2"), ([-1, 0], "-1..0")])
@pytest.mark.parametrize("name", CATEGORICAL)
def test_integer_labels_out_of_range_name_the_range(name, labels, shown):
    function, _, p = VALID[name]
    with pytest.raises(ValueError, match=f"^{re.escape(name)}: labels must lie in 0..1; got {shown}$"):
        function(labels, p)


@pytest.mark.parametrize("name", CATEGORICAL)
def test_fractional_labels_are_rejected(name):
    function, _, p = VALID[name]
    message = f"{name}: 1-D y_true must be class labels 0..1 (whole numbers); got 0.5"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        function([0.5, 1.0], p)


def test_a_confidently_right_prediction_has_a_tiny_positive_loss():
    loss = losses.softmax_cross_entropy([1], [[0.0, 40.0]])
    assert 0 < loss == pytest.approx(4.248354255291589e-18, rel=1e-12)


def test_float32_probabilities_near_one_give_a_finite_loss_without_warnings():
    y = np.array([1.0, 0.0], dtype=np.float32)
    p = np.array([1.0, 0.0], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = losses.binary_cross_entropy(y, p)
        grad = losses.binary_cross_entropy_gradient(y, p)
    assert np.isfinite(loss) and loss < 1e-6 and np.all(np.isfinite(grad))


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

def test_categorical_cross_entropy_gradient_is_zero_where_a_probability_is_zero():
    # p = 0 for a class that is not the target: the clipped loss is flat there, so the
    # gradient is 0 (not 0/0); the target class gets -1 / (N p) = -1 / 0.5.
    y = np.array([[1.0, 0.0, 0.0]])
    p = np.array([[0.5, 0.5, 0.0]])
    np.testing.assert_array_equal(losses.categorical_cross_entropy_gradient(y, p), [[-2.0, 0.0, 0.0]])


def test_binary_cross_entropy_gradient_is_zero_where_a_probability_is_clipped():
    # p = 0 with target 0 sits in the clipped (flat) region: gradient 0. The other example,
    # p = 0.5 with target 1, gets (p - y) / (p (1 - p)) / N = -0.5 / 0.25 / 2 = -1.
    np.testing.assert_allclose(losses.binary_cross_entropy_gradient([0.0, 1.0], [0.0, 0.5]), [0.0, -1.0])


def test_softmax_cross_entropy_with_targets_of_another_width_names_the_logits():
    with pytest.raises(ValueError, match=r"softmax_cross_entropy expects y_true and logits of the "
                                         r"same shape, \(N,\) or \(N, K\); got \(2, 2\) and \(2, 3\)"):
        losses.softmax_cross_entropy(np.eye(2), np.zeros((2, 3)))


def test_get_loss_returns_a_loss_function_passed_to_it():
    def my_loss(y_true, y_pred):
        return 0.0

    assert losses.get_loss(my_loss) is my_loss


def test_a_loss_without_a_known_gradient_says_to_pass_both_functions():
    def my_loss(y_true, y_pred):
        return 0.0

    with pytest.raises(ValueError, match=r"no gradient is known for .*my_loss.*; pass \(loss, gradient\) functions"):
        losses.get_loss_gradient(my_loss)


def test_reduction_none_of_several_outputs_gives_each_examples_mean_over_its_outputs():
    y = np.array([[0.0, 0.0], [1.0, 1.0]])
    p = np.array([[1.0, 3.0], [1.0, 2.0]])
    # example 0: (1 + 9) / 2 = 5; example 1: (0 + 1) / 2 = 0.5
    np.testing.assert_allclose(losses.mean_squared_error(y, p, reduction="none"), [5.0, 0.5])


def test_float32_inputs_give_a_float32_gradient():
    y = np.array([[0.0, 1.0]], dtype=np.float32)
    p = np.array([[0.5, 0.5]], dtype=np.float32)
    assert losses.mean_squared_error_gradient(y, p).dtype == np.float32


@pytest.mark.parametrize("float64_argument", ["y_true", "y_pred"])
def test_a_float64_argument_makes_the_gradient_float64(float64_argument):
    y = np.array([[0.0, 1.0]], dtype=np.float64 if float64_argument == "y_true" else np.float32)
    p = np.array([[0.5, 0.5]], dtype=np.float64 if float64_argument == "y_pred" else np.float32)
    assert losses.mean_squared_error_gradient(y, p).dtype == np.float64


def test_one_dimensional_logits_are_rejected_with_the_expected_shape():
    with pytest.raises(ValueError, match=r"softmax_cross_entropy expects logits of shape \(N, K\); got \(2,\)"):
        losses.softmax_cross_entropy([0, 1], [0.2, 0.8])


def test_a_loss_name_with_spaces_finds_the_loss():
    assert losses.get_loss("Binary Cross Entropy") is losses.binary_cross_entropy


def test_unknown_loss_lists_the_known_names_separated_by_commas():
    with pytest.raises(ValueError, match=r"known: binary_cross_entropy, binary_cross_entropy_from_logits, "):
        losses.get_loss("hinge")
