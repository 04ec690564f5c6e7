"""nnbook.approximation: fixed ReLU kinks and a least-squares output layer."""

import re

import numpy as np
import pytest

from nnbook import approximation
from nnbook.layers import Dense, ReLU, Sequential


@pytest.mark.parametrize("target", list(approximation.TARGETS))
def test_error_shrinks_as_units_grow(target):
    errors = [approximation.approximate(target, units).rms_error for units in (2, 8, 60)]
    assert errors[0] > errors[1] > errors[2]


def test_sixty_units_follow_the_wave_closely():
    assert approximation.approximate("wave", 60).max_error < 0.02


def test_first_layer_units_bend_at_their_kinks():
    layers = approximation.hidden_layers(5)
    kinks = approximation.kink_positions(5)
    features = Sequential(layers).forward(kinks[:, None])
    np.testing.assert_allclose(np.diag(features), 0.0, atol=1e-12)


def test_kinks_are_evenly_spread_inside_the_interval():
    kinks = approximation.kink_positions(4, (0.0, 4.0))
    np.testing.assert_allclose(kinks, [0.5, 1.5, 2.5, 3.5])


def test_output_layer_is_the_least_squares_solution(rng):
    H = rng.normal(size=(40, 5))
    y = rng.normal(size=40)
    layer = approximation.solve_output_layer(H, y)
    residual = y - layer.forward(H)[:, 0]
    design = np.column_stack([H, np.ones(40)])
    np.testing.assert_allclose(design.T @ residual, 0.0, atol=1e-10)   # normal equations


def test_three_relus_make_a_hat():
    hat = Sequential([Dense.from_weights([[1.0, 1.0, 1.0]], [0.0, -1.0, -2.0]), ReLU(),
                      Dense.from_weights([[1.0], [-2.0], [1.0]], [0.0])])
    x = np.array([[-1.0], [0.0], [0.5], [1.0], [1.5], [2.0], [3.0]])
    np.testing.assert_allclose(hat.forward(x)[:, 0], [0, 0, 0.5, 1, 0.5, 0, 0])


def test_deeper_networks_have_more_parameters():
    shallow = approximation.approximate("wave", 10, depth=1).network.n_params
    deep = approximation.approximate("wave", 10, depth=3).network.n_params
    assert deep == shallow + 2 * (10 * 10 + 10)


@pytest.mark.parametrize("units, depth", [(0, 1), (3, 0), (2.5, 1)])
def test_bad_sizes_are_rejected(units, depth):
    with pytest.raises(ValueError, match="positive integer"):
        approximation.hidden_layers(units, depth)


@pytest.mark.parametrize("units, shown", [(3.0, "3.0"), (True, "True"), (np.float64(4.0), "4.0")])
def test_a_float_or_bool_unit_count_is_rejected(units, shown):
    with pytest.raises(ValueError, match=f"^units must be a positive integer; got {re.escape(shown)}$"):
        approximation.approximate("wave", units)


def test_an_int_seed_makes_a_deep_approximation_reproducible():
    a, b = (approximation.approximate("wave", 8, depth=2, seed=4).output for _ in range(2))
    np.testing.assert_array_equal(a, b)


def test_deep_approximations_without_a_seed_differ():
    a, b = (approximation.approximate("wave", 8, depth=2).output for _ in range(2))
    assert not np.array_equal(a, b)


def test_a_one_layer_approximation_has_no_randomness():
    a, b = (approximation.approximate("wave", 8).output for _ in range(2))
    np.testing.assert_array_equal(a, b)


def test_an_unknown_target_lists_the_known_ones():
    with pytest.raises(ValueError, match=re.escape("target must be one of ['bump', 'step', 'wave', '|x|'] or a function; got 'sine'")):
        approximation.approximate("sine")


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 5, 6])
def test_sawtooth_network_has_two_to_the_depth_pieces(depth):
    x = np.linspace(0.0, 1.0, 961)
    y = approximation.sawtooth_network(depth).forward(x[:, None])[:, 0]
    assert approximation.count_pieces(x, y) == 2 ** depth
    teeth = np.arange(2 ** (depth - 1)) / 2 ** (depth - 1)         # where each tooth starts
    np.testing.assert_allclose(np.interp(teeth, x, y), 0.0, atol=1e-12)
    np.testing.assert_allclose(np.interp(teeth + 0.5 / 2 ** (depth - 1), x, y), 1.0, atol=1e-12)


def test_sawtooth_network_has_two_units_per_hidden_layer():
    net = approximation.sawtooth_network(4)
    widths = [layer.n_out for layer in net.layers if hasattr(layer, "n_out")]
    assert widths == [2, 2, 2, 2, 1]
    assert net.n_params == 6 * 4 + 1


def test_count_pieces_counts_bends_on_the_grid():
    x = np.linspace(0.0, 4.0, 9)
    assert approximation.count_pieces(x, np.abs(x - 2.0)) == 2
    assert approximation.count_pieces(x, 3.0 * x + 1.0) == 1
    assert approximation.count_pieces(x, np.maximum(x - 1, 0) - np.maximum(x - 3, 0)) == 3


def test_one_layer_draws_the_sawtooth_only_while_it_has_enough_units():
    for depth in (1, 2):      # 2 * depth units are as many as the 2**depth pieces need
        assert approximation.depth_versus_width(depth).shallow_max_error < 1e-9
    for depth in (3, 4, 5, 6):
        result = approximation.depth_versus_width(depth)
        assert result.deep_pieces == 2 ** depth
        assert result.shallow_pieces <= 2 * depth + 1 < result.deep_pieces
        assert result.shallow_max_error > 0.4


@pytest.mark.parametrize("depth", [0, 2.0, True])
def test_sawtooth_depth_must_be_a_count(depth):
    with pytest.raises(ValueError, match="depth must be a positive integer"):
        approximation.sawtooth_network(depth)


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

def test_hidden_units_alternate_between_opening_right_and_opening_left():
    # Kinks 0.5, 1.5, 2.5, 3.5 on (0, 4): units 0 and 2 are relu(x - c), units 1 and 3 relu(c - x).
    hidden = Sequential(approximation.hidden_layers(4, interval=(0.0, 4.0)))
    np.testing.assert_allclose(hidden.forward(np.array([[0.0], [4.0]])),
                               [[0.0, 1.5, 0.0, 3.5],
                                [3.5, 0.0, 1.5, 0.0]])


def test_random_hidden_layers_use_he_initialisation():
    # He: W ~ N(0, 2 / n_in), so std(W) * sqrt(n_in) is sqrt(2) (Glorot would give 1).
    W = approximation.hidden_layers(200, depth=2, seed=0)[2].params["W"]
    assert np.std(W) * np.sqrt(200) == pytest.approx(np.sqrt(2), rel=0.05)


# --- approximate --------------------------------------------------------------------------------

def test_approximate_fits_the_wave_with_ten_units_on_three_hundred_points_by_default():
    result = approximation.approximate()
    x = np.linspace(-3.0, 3.0, 300)
    np.testing.assert_array_equal(result.x, x)
    np.testing.assert_allclose(result.target, np.sin(1.5 * x) + 0.4 * np.cos(4.0 * x))
    # ten equal cells of width 0.6 on (-3, 3): kinks at their midpoints
    np.testing.assert_allclose(result.kinks, -2.7 + 0.6 * np.arange(10))
    assert result.features.shape == (300, 10)


def test_approximate_accepts_a_function_as_the_target():
    # 3 units on (-3, 3) bend at -2, 0, 2 as relu(x + 2), relu(-x), relu(x - 2): a target built
    # from exactly these is fitted exactly.
    def target(x):
        return 1.0 + np.maximum(x + 2.0, 0.0) - 2.0 * np.maximum(-x, 0.0) + 0.5 * np.maximum(x - 2.0, 0.0)

    result = approximation.approximate(target, units=3, n_points=7)
    np.testing.assert_allclose(result.target, [-5.0, -3.0, 0.0, 3.0, 4.0, 5.0, 6.5])
    np.testing.assert_allclose(result.output, result.target, atol=1e-9)


def test_approximate_returns_the_hidden_features_at_every_grid_point():
    # 3 units on (-3, 3): kinks -2, 0, 2 with signs +, -, +: relu(x + 2), relu(-x), relu(x - 2).
    result = approximation.approximate("bump", units=3, n_points=7)
    np.testing.assert_allclose(result.kinks, [-2.0, 0.0, 2.0])
    np.testing.assert_allclose(result.features, [[0, 3, 0], [0, 2, 0], [1, 1, 0], [2, 0, 0],
                                                 [3, 0, 0], [4, 0, 0], [5, 0, 1]])


def test_approximate_works_on_the_interval_it_is_given():
    # (0, 4) with 2 units: cells of width 2, kinks at 1 and 3; hidden relu(x - 1), relu(3 - x).
    result = approximation.approximate("bump", units=2, n_points=5, interval=(0.0, 4.0))
    np.testing.assert_array_equal(result.x, [0.0, 1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(result.kinks, [1.0, 3.0])
    np.testing.assert_allclose(result.features, [[0, 3], [0, 2], [1, 1], [2, 0], [3, 0]])


def test_approximate_accepts_two_points_the_ends_of_the_interval():
    np.testing.assert_array_equal(approximation.approximate(n_points=2).x, [-3.0, 3.0])


# --- count_pieces -------------------------------------------------------------------------------

def test_count_pieces_of_a_straight_line_on_an_uneven_grid_is_one():
    # steps 1, 2, 1 but the slope is 2 throughout
    assert approximation.count_pieces([0.0, 1.0, 3.0, 4.0], [0.0, 2.0, 6.0, 8.0]) == 1


def test_count_pieces_counts_a_slope_change_larger_than_tol_when_slopes_are_gentle():
    # slopes 0 then 0.15: the change 0.15 is above tol = 0.1 (slopes below 1 are not rescaled)
    assert approximation.count_pieces([0.0, 1.0, 2.0], [0.0, 0.0, 0.15], tol=0.1) == 2


def test_count_pieces_measures_tol_relative_to_the_steepest_slope():
    # slopes 10 then 10.5: the change 0.5 is below tol * 10.5 = 1.05, so one piece
    assert approximation.count_pieces([0.0, 1.0, 2.0], [0.0, 10.0, 20.5], tol=0.1) == 1


# --- depth_versus_width -------------------------------------------------------------------------

def test_depth_versus_width_keeps_each_fold_of_the_sawtooth():
    # tent(x) rises 0 -> 1 on [0, 1/2] and falls back on [1/2, 1]; the second fold is tent(tent(x)).
    result = approximation.depth_versus_width(2, n_points=9)
    assert result.depth == 2
    np.testing.assert_allclose(result.x, np.arange(9) / 8)
    assert len(result.folds) == 2
    np.testing.assert_allclose(result.folds[0], [0, 0.25, 0.5, 0.75, 1, 0.75, 0.5, 0.25, 0], atol=1e-12)
    np.testing.assert_allclose(result.folds[1], [0, 0.5, 1, 0.5, 0, 0.5, 1, 0.5, 0], atol=1e-12)


def test_depth_versus_width_accepts_two_points():
    # the one-fold tent is 0 at both ends of [0, 1]: one flat piece
    result = approximation.depth_versus_width(1, n_points=2)
    np.testing.assert_array_equal(result.x, [0.0, 1.0])
    np.testing.assert_allclose(result.deep, [0.0, 0.0], atol=1e-12)
    assert result.deep_pieces == 1


# --- bad counts name the argument -------------------------------------------------------------

BAD_COUNTS = {
    "hidden_layers-units": (lambda: approximation.hidden_layers(0), "units must be a positive integer; got 0"),
    "hidden_layers-depth": (lambda: approximation.hidden_layers(3, depth=0),
                            "depth must be a positive integer; got 0"),
    "kink_positions-units": (lambda: approximation.kink_positions(0), "units must be a positive integer; got 0"),
    "approximate-n_points": (lambda: approximation.approximate(n_points=1),
                             "n_points must be an integer of at least 2; got 1"),
    "depth_versus_width-n_points": (lambda: approximation.depth_versus_width(2, n_points=1),
                                    "n_points must be an integer of at least 2; got 1"),
    "depth_versus_width-depth": (lambda: approximation.depth_versus_width(0),
                                 "depth must be a positive integer; got 0"),
}


@pytest.mark.parametrize("call, message", BAD_COUNTS.values(), ids=BAD_COUNTS.keys())
def test_a_bad_count_is_named(call, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        call()
