"""Behaviours of nnbook.losses that mutation testing found untested (tools/mutation.py)."""

import numpy as np
import pytest

from nnbook import losses


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
