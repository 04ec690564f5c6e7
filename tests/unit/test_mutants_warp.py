"""Behaviours of nnbook.warp that mutation testing found untested (tools/mutation.py)."""

import re

import numpy as np
import pytest

from nnbook import data, warp
from nnbook.warp import CIRCLES_NETWORKS

# A network with no hidden layer: predict() sees the input itself, so the output neuron's
# sum is x . w + b and can be set by hand.
IDENTITY_NETWORK = {"layers": [], "output": (np.array([1.0, 0.0]), 0.0)}


# --- stage_name ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "index, name",
    [(1, "layer 1: linear map (x W1)"), (2, "layer 1: shift (+ b1)"), (3, "layer 1: bend (tanh)"),
     (4, "layer 2: linear map (x W2)"), (5, "layer 2: shift (+ b2)"), (6, "layer 2: bend (tanh)")],
)
def test_stage_names_show_the_symbol_of_the_stage_with_its_layer_number(index, name):
    assert warp.stage_name(index) == name


# --- interpolate_stages ----------------------------------------------------------------------

def test_interpolate_between_just_two_stages_returns_the_blend():
    a, b = np.zeros((1, 2)), np.array([[4.0, 8.0]])
    np.testing.assert_array_equal(warp.interpolate_stages([a, b], 0.25), [[1.0, 2.0]])


def test_interpolate_at_the_last_stage_works_when_that_stage_changes_the_width():
    states = [np.zeros((1, 2)), np.ones((1, 3))]
    np.testing.assert_array_equal(warp.interpolate_stages(states, 1), np.ones((1, 3)))


def test_interpolate_within_a_layer_works_after_the_width_changed():
    # circles-3: widths 2 (input), 3 (x W1), 3 (+ b1), 3 (tanh); stage 1.5 is halfway
    # through the shift, both ends 3 wide
    states = warp.stage_points(data.circles(seed=0)[0], CIRCLES_NETWORKS[3])
    _, b1 = CIRCLES_NETWORKS[3]["layers"][0]
    np.testing.assert_allclose(warp.interpolate_stages(states, 1.5), states[1] + b1 / 2, rtol=1e-12, atol=1e-12)


def test_interpolate_across_a_change_of_width_says_which_stages_and_widths():
    states = [np.zeros((5, 2)), np.zeros((5, 2)), np.zeros((5, 3))]
    message = "stage 1 -> 2 changes the number of units (2 -> 3); only whole stages can be shown there"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        warp.interpolate_stages(states, 1.5)


def test_interpolate_rejects_a_stage_that_is_not_a_number():
    with pytest.raises(ValueError, match=r"^stage must be a real number"):
        warp.interpolate_stages([np.zeros((1, 2)), np.ones((1, 2))], "1.5")


# --- predict ---------------------------------------------------------------------------------

def test_predict_gives_class_one_for_a_small_positive_sum():
    # sums 0.5 and -0.5: the threshold is 0, not 1
    np.testing.assert_array_equal(warp.predict([[0.5, 7.0], [-0.5, 7.0]], IDENTITY_NETWORK), [1.0, 0.0])


def test_predict_gives_class_zero_for_a_sum_of_exactly_zero():
    # "output neuron's sum > 0": a point on the boundary is not class 1
    np.testing.assert_array_equal(warp.predict([[0.0, 3.0]], IDENTITY_NETWORK), [0.0])
