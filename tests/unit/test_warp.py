"""nnbook.warp: a small tanh network as a sequence of warps of the plane."""

import re
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from nnbook import data, warp
from nnbook.warp import CIRCLES_NETWORKS, MOONS_NETWORK

NETWORKS = {"moons": MOONS_NETWORK, "circles-2": CIRCLES_NETWORKS[2], "circles-3": CIRCLES_NETWORKS[3]}


# --- data -----------------------------------------------------------------------------------

def test_moons_is_deterministic():
    (X1, y1), (X2, y2) = data.moons(seed=0), data.moons(seed=0)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


def test_moons_has_one_row_and_one_label_per_point():
    X, y = data.moons(seed=0)
    assert X.shape == (200, 2) and y.shape == (200,)


def test_moons_is_standardised_per_column():
    X, _ = data.moons(seed=0)
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1.0, rtol=1e-12)


def test_moons_has_both_classes_and_nothing_else():
    _, y = data.moons(seed=0)
    assert set(np.unique(y)) == {0.0, 1.0}


# --- the committed networks -----------------------------------------------------------------

def test_moons_network_classifies_every_moons_point():
    X, y = data.moons(seed=0)
    np.testing.assert_array_equal(warp.predict(X, MOONS_NETWORK), y)


def test_three_tanh_units_classify_every_circles_point():
    X, y = data.circles(seed=0)
    np.testing.assert_array_equal(warp.predict(X, CIRCLES_NETWORKS[3]), y)


def test_three_tanh_units_mostly_stay_out_of_saturation():
    # the 3-D figure of chapter 2 needs points spread inside the cube, not piled in its corners
    X, _ = data.circles(seed=0)
    hidden = warp.stage_points(X, CIRCLES_NETWORKS[3])[-1]
    assert np.mean(np.abs(hidden) > 0.99) < 0.3


def test_two_tanh_units_are_not_enough_for_the_circles():
    X, y = data.circles(seed=0)
    assert np.mean(warp.predict(X, CIRCLES_NETWORKS[2]) == y) < 0.95


# --- stages ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NETWORKS)
def test_stage_points_has_three_stages_per_layer_plus_the_input(name, rng):
    network = NETWORKS[name]
    states = warp.stage_points(rng.normal(size=(10, 2)), network)
    assert len(states) == 3 * len(network["layers"]) + 1


def test_stage_zero_is_the_input():
    X, _ = data.moons(seed=0)
    np.testing.assert_array_equal(warp.stage_points(X)[0], X)


def test_stage_one_is_the_linear_map():
    X, _ = data.moons(seed=0)
    W1, _ = MOONS_NETWORK["layers"][0]
    np.testing.assert_array_equal(warp.stage_points(X)[1], X @ W1)


def test_stage_two_adds_the_bias():
    X, _ = data.moons(seed=0)
    W1, b1 = MOONS_NETWORK["layers"][0]
    np.testing.assert_array_equal(warp.stage_points(X)[2], X @ W1 + b1)


def test_stage_three_bends_with_tanh():
    states = warp.stage_points(data.moons(seed=0)[0])
    np.testing.assert_array_equal(states[3], np.tanh(states[2]))


def test_second_layer_starts_from_the_first_layers_output():
    states = warp.stage_points(data.moons(seed=0)[0])
    W2, b2 = MOONS_NETWORK["layers"][1]
    np.testing.assert_array_equal(states[4], states[3] @ W2)
    np.testing.assert_array_equal(states[5], states[4] + b2)


def test_last_stage_lies_strictly_inside_minus_one_one():
    # (not true of CIRCLES_NETWORKS[2]: its weights of ~25 push tanh to exactly +-1.0 in float64)
    last = warp.stage_points(data.moons(seed=0)[0])[-1]
    assert np.all(np.abs(last) < 1)


# --- interpolate_stages ---------------------------------------------------------------------

@pytest.fixture
def moons_states():
    return warp.stage_points(data.moons(seed=0)[0])


def test_interpolate_at_an_integer_stage_returns_that_stage_exactly(moons_states):
    for k in range(len(moons_states)):
        np.testing.assert_array_equal(warp.interpolate_stages(moons_states, k), moons_states[k])


def test_interpolate_halfway_returns_the_midpoint(moons_states):
    for k in range(len(moons_states) - 1):
        midpoint = (moons_states[k] + moons_states[k + 1]) / 2
        np.testing.assert_allclose(warp.interpolate_stages(moons_states, k + 0.5), midpoint, rtol=1e-14, atol=1e-15)


def test_interpolate_below_zero_clips_to_the_input(moons_states):
    np.testing.assert_array_equal(warp.interpolate_stages(moons_states, -2.5), moons_states[0])


def test_interpolate_beyond_the_last_stage_clips_to_it(moons_states):
    last = len(moons_states) - 1
    np.testing.assert_array_equal(warp.interpolate_stages(moons_states, last + 3.7), moons_states[-1])


def test_interpolate_at_an_integer_stage_works_when_a_layer_changes_the_width():
    states = warp.stage_points(data.circles(seed=0)[0], CIRCLES_NETWORKS[3])  # widths 2, 3, 3, 3
    np.testing.assert_array_equal(warp.interpolate_stages(states, 0), states[0])


# --- stage names ----------------------------------------------------------------------------

def test_stage_zero_is_named_the_input():
    assert warp.stage_name(0) == "the input"


@pytest.mark.parametrize(
    "index, layer, kind",
    [(1, 1, "linear map"), (2, 1, "shift"), (3, 1, "bend"), (4, 2, "linear map"), (5, 2, "shift"), (6, 2, "bend")],
)
def test_stage_names_go_linear_map_shift_bend_per_layer(index, layer, kind):
    name = warp.stage_name(index)
    assert f"layer {layer}" in name
    assert kind in name
    assert all(other not in name for other in {"linear map", "shift", "bend"} - {kind})


# --- cross-check with scikit-learn ----------------------------------------------------------

def test_predict_matches_scikit_learn_with_the_same_weights():
    X, y = data.moons(seed=0)
    mlp = MLPClassifier(hidden_layer_sizes=(2, 2), activation="tanh", max_iter=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)  # one step, only to set n_layers_, classes_, out_activation_ ...
    assert mlp.out_activation_ == "logistic" and mlp.n_outputs_ == 1
    (W1, b1), (W2, b2) = MOONS_NETWORK["layers"]
    w, b = MOONS_NETWORK["output"]
    mlp.coefs_ = [W1, W2, w.reshape(2, 1)]
    mlp.intercepts_ = [b1, b2, np.array([b])]
    np.testing.assert_array_equal(mlp.predict(X), warp.predict(X, MOONS_NETWORK))


def test_stage_points_rejects_a_single_point_without_a_batch_axis():
    with pytest.raises(ValueError, match=r"^X must be a batch of shape \(N, D\); got shape \(2,\)$"):
        warp.stage_points(np.zeros(2))


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

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
