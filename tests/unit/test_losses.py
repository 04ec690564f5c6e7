"""nnbook.losses against scikit-learn's metrics and scipy, plus stability at the extremes."""

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
