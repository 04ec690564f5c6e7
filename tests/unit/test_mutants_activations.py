"""Behaviours of nnbook.activations that mutation testing found untested (tools/mutation.py)."""

import numpy as np
import pytest

from nnbook import activations


@pytest.mark.parametrize("function", [activations.step, activations.step_derivative,
                                      activations.identity, activations.identity_derivative])
def test_nan_is_reported_under_the_argument_name_z(function):
    with pytest.raises(ValueError, match=r"^z contains NaN$"):
        function([0.0, np.nan])


def test_identity_derivative_is_one_everywhere():
    np.testing.assert_array_equal(activations.identity_derivative([-2.0, 0.0, 3.0]), [1.0, 1.0, 1.0])


def test_logsumexp_of_a_batch_of_one_row_keeps_the_batch_axis():
    result = activations.logsumexp(np.zeros((1, 3)))
    assert result.shape == (1,)
    np.testing.assert_allclose(result, [np.log(3.0)])


def test_softmax_jacobian_of_an_infinite_score_is_zero():
    # all the probability sits on the +inf score: nothing moves it
    np.testing.assert_array_equal(activations.softmax_jacobian([np.inf, 0.0]), np.zeros((2, 2)))


def test_softmax_jacobian_names_scores_with_nan():
    with pytest.raises(ValueError, match=r"^x contains NaN$"):
        activations.softmax_jacobian([0.0, np.nan])
