"""Behaviours of nnbook.approximation that mutation testing found untested (tools/mutation.py)."""

import numpy as np
import pytest

from nnbook import approximation
from nnbook.layers import Sequential

# --- the fixed hidden layer ---------------------------------------------------------------------

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
