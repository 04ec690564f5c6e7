"""nnbook.gradcheck: central differences, relative error, layer and network checks."""

import re

import numpy as np
import pytest

from nnbook import losses
from nnbook.gradcheck import (
    TOLERANCE,
    check_layer,
    check_network,
    forward_passes,
    numerical_gradient,
    rel_error,
    verdict,
)
from nnbook.layers import Dense, Tanh
from nnbook.training import mlp


def test_numerical_gradient_of_a_quadratic(rng):
    x = rng.normal(size=(3, 2))
    grad = numerical_gradient(lambda: np.sum(x ** 2), x)
    np.testing.assert_allclose(grad, 2 * x, atol=1e-8)


def test_numerical_gradient_restores_x(rng):
    x = rng.normal(size=4)
    before = x.copy()
    numerical_gradient(lambda: np.sum(np.sin(x)), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_rejects_integer_arrays():
    with pytest.raises(ValueError, match="float"):
        numerical_gradient(lambda: 0.0, np.arange(3))


def test_rel_error_is_zero_for_equal_and_about_one_for_opposite():
    a = np.array([1.0, -2.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(a, -a) == pytest.approx(1.0)
    assert rel_error(np.zeros(2), np.zeros(2)) == 0.0


def test_rel_error_rejects_different_shapes():
    with pytest.raises(ValueError, match="same shape"):
        rel_error(np.zeros(2), np.zeros(3))


def test_check_layer_passes_dense_and_tanh(rng):
    for layer in (Dense(4, 3, seed=0), Tanh()):
        errors = check_layer(layer, rng.normal(size=(5, 4)), seed=0)
        assert max(errors.values()) < 1e-7


def test_check_layer_finds_a_wrong_bias_gradient(rng):
    class MeanBias(Dense):
        def backward(self, grad_out):
            dx = super().backward(grad_out)
            self.grads["b"][...] = grad_out.mean(axis=0)   # the bug: mean, not sum
            return dx

    errors = check_layer(MeanBias(4, 3, seed=0), rng.normal(size=(5, 4)), seed=0)
    assert errors["b"] > 0.1 and errors["W"] < 1e-7 and errors["x"] < 1e-7


def test_check_network_names_every_parameter(rng):
    net = mlp([3, 4, 2], "tanh", seed=0)
    x, y = rng.normal(size=(6, 3)), np.eye(2)[rng.integers(0, 2, size=6)]
    errors = check_network(net, x, y, losses.softmax_cross_entropy, losses.softmax_cross_entropy_gradient)
    assert list(errors) == ["0.W", "0.b", "2.W", "2.b"]
    assert max(errors.values()) < 1e-7


def test_forward_passes_counts():
    assert forward_passes(1000, "finite differences") == 2000
    assert forward_passes(1000, "backpropagation") == 3   # 1 forward + 1 backward (about 2)
    with pytest.raises(ValueError):
        forward_passes(10, "guessing")


@pytest.mark.parametrize("n_params, shown", [(10.5, "10.5"), (True, "True"), (0, "0")])
def test_forward_passes_needs_a_positive_integer(n_params, shown):
    with pytest.raises(ValueError, match=f"^n_params must be a positive integer; got {re.escape(shown)}$"):
        forward_passes(n_params, "backpropagation")


def test_check_layer_with_an_int_seed_is_reproducible(rng):
    layer = Dense(4, 3, seed=0)
    x = rng.normal(size=(5, 4))
    assert check_layer(layer, x, seed=1) == check_layer(layer, x, seed=1)


def test_check_layer_rejects_nan_input():
    with pytest.raises(ValueError, match=r"^x contains NaN or inf$"):
        check_layer(Dense(2, 2, seed=0), [[np.nan, 0.0]])


@pytest.mark.parametrize("error, expected", [(0.0, "ok (< 1e-06)"), (9.9e-7, "ok (< 1e-06)"),
                                             (1e-6, "WRONG (1e-06)"), (0.6, "WRONG (0.6)")])
def test_verdict_uses_the_one_threshold(error, expected):
    assert TOLERANCE == 1e-6
    assert verdict(error) == expected


@pytest.mark.parametrize("error", [np.nan, -1.0, np.inf])
def test_verdict_rejects_what_is_not_a_relative_error(error):
    with pytest.raises(ValueError, match=r"^verdict expects a relative error, a number >= 0; got "):
        verdict(error)


def test_a_right_gradient_is_far_below_the_threshold_and_a_wrong_one_far_above(rng):
    net = mlp([3, 5, 2], "tanh", seed=0)
    x, y = rng.normal(size=(6, 3)), np.eye(2)[rng.integers(0, 2, size=6)]
    right = check_network(net, x, y, losses.softmax_cross_entropy, losses.softmax_cross_entropy_gradient)
    assert max(right.values()) < TOLERANCE / 100
    wrong = check_network(net, x, y, losses.softmax_cross_entropy,
                          lambda y, z: 2 * losses.softmax_cross_entropy_gradient(y, z))  # a factor 2 off
    assert min(wrong.values()) > TOLERANCE * 100
