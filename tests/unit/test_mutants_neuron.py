"""Behaviours of nnbook.neuron that mutation testing found untested (tools/mutation.py)."""

import numpy as np
import pytest

from nnbook.data import GATE_TARGETS
from nnbook.neuron import best_single_neuron_score, layer, neuron, weighted_sum

# --- weighted_sum and neuron --------------------------------------------------------------------

def test_weighted_sum_has_no_bias_by_default():
    assert weighted_sum([1.0, 2.0], [3.0, 4.0]) == 11.0    # 1 * 3 + 2 * 4


def test_neuron_has_no_bias_by_default():
    # the sum is exactly 0 without a bias, so the step neuron stays silent
    assert neuron([0.0, 0.0], [1.0, 1.0]) == 0.0


def test_a_bias_that_is_not_finite_is_named_b():
    with pytest.raises(ValueError, match=r"^b \(the bias\) must be a finite number; got nan$"):
        weighted_sum([1.0, 1.0], [1.0, 1.0], float("nan"))


def test_neuron_of_one_sample_is_a_plain_float():
    assert type(neuron([1.0, 1.0], [1.0, 1.0], -1.5)) is float


def test_neuron_outputs_floats_even_when_the_activation_gives_booleans():
    a = neuron([[0.0, 0.0], [1.0, 1.0]], [1.0, 1.0], -1.5, activation=lambda z: z > 0)
    assert a.dtype == np.float64
    np.testing.assert_array_equal(a, [0.0, 1.0])


# --- layer --------------------------------------------------------------------------------------

def test_layer_outputs_floats_even_when_the_activation_gives_booleans():
    a = layer([1.0, 2.0], [[1.0, -1.0], [1.0, -1.0]], activation=lambda z: z > 0)
    assert a.dtype == np.float64
    np.testing.assert_array_equal(a, [1.0, 0.0])          # sums 3 and -3


def test_layer_weights_that_are_not_a_matrix_are_named_W():
    with pytest.raises(ValueError, match=r"^W \(the layer's weights\) must be a batch of shape \(N, D\); "
                                         r"got shape \(2,\)$"):
        layer([1.0, 2.0], [1.0, 1.0])


def test_layer_rejects_inputs_with_three_axes():
    with pytest.raises(ValueError, match=r"^x \(the inputs\) must be a vector of shape \(D,\) or a batch of "
                                         r"shape \(N, D\); got shape \(1, 1, 2\)$"):
        layer(np.zeros((1, 1, 2)), np.ones((2, 3)))


def test_layer_biases_with_nan_are_named_b():
    with pytest.raises(ValueError, match=r"^b \(the layer's biases\) contains NaN or inf$"):
        layer([1.0, 2.0], np.ones((2, 2)), [0.0, float("nan")])


# --- best_single_neuron_score -------------------------------------------------------------------

def test_a_row_whose_sum_is_exactly_zero_counts_as_silent():
    # Grid {-1, 0, 1}: the only neuron with every AND row right is (1, 1, -1), whose sums are
    # -1, 0, 0, 1: rows 01 and 10 sit on the line, and a step neuron does not fire there.
    assert best_single_neuron_score(GATE_TARGETS["AND"], limit=1.0, spacing=1.0) == (4, (1.0, 1.0, -1.0), 0.0)


def test_best_single_neuron_score_names_targets_with_nan():
    with pytest.raises(ValueError, match=r"^targets contains NaN or inf$"):
        best_single_neuron_score([0.0, 0.0, 0.0, float("nan")])


def test_best_single_neuron_score_names_a_limit_that_is_not_positive():
    with pytest.raises(ValueError, match=r"^limit must be a positive finite number; got 0$"):
        best_single_neuron_score(GATE_TARGETS["AND"], limit=0)


def test_best_single_neuron_score_names_a_spacing_that_is_not_positive():
    with pytest.raises(ValueError, match=r"^spacing must be a positive finite number; got -0.1$"):
        best_single_neuron_score(GATE_TARGETS["AND"], spacing=-0.1)


def test_a_spacing_that_almost_divides_the_limit_is_rejected():
    # 3 * 0.333333 = 0.999999: one part in a million short of the limit, not a whole number of steps
    with pytest.raises(ValueError, match="limit must be a whole number of steps"):
        best_single_neuron_score(GATE_TARGETS["AND"], limit=1.0, spacing=0.333333)
