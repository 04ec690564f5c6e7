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
