"""nnbook.gradcheck: central differences, relative error, the robust check and its verdict."""

import copy
import pickle
import re

import numpy as np
import pytest

from nnbook import losses
from nnbook.gradcheck import (
    STEP,
    TOLERANCE,
    TOLERANCES,
    UNSURE,
    GradientError,
    balanced_step,
    check_gradient,
    check_layer,
    check_network,
    forward_passes,
    numerical_gradient,
    rel_error,
    verdict,
)
from nnbook.layers import Activation, Dense, Layer, ReLU, Sequential, Sigmoid, Softmax, Tanh
from nnbook.training import deep_network, mlp

HALF = (losses.half_squared_error, losses.half_squared_error_gradient)


# --- The plain central difference and the relative error -----------------------------------


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


def test_numerical_gradient_takes_any_shape(rng):
    x = rng.normal(size=(2, 3, 2, 2))
    np.testing.assert_allclose(numerical_gradient(lambda: np.sum(x ** 3), x), 3 * x ** 2, atol=1e-7)


def test_numerical_gradient_divides_by_the_step_actually_taken():
    # 100.3 + 0.01 rounds in float32: dividing by the nominal 2h would be off by about 1e-3.
    x = np.array([100.3], dtype=np.float32)
    grad = numerical_gradient(lambda: 3.0 * float(x[0]), x)
    assert grad.dtype == np.float32
    assert abs(float(grad[0]) - 3.0) < 1e-6


def test_numerical_gradient_steps_by_dtype(rng):
    x32 = rng.normal(size=5).astype(np.float32)
    # float32 with float64's step of 1e-6 would be pure round-off; its own step is fine
    assert rel_error(numerical_gradient(lambda: np.sum(x32 ** 2), x32), 2 * x32) < 1e-3
    assert rel_error(numerical_gradient(lambda: np.sum(x32 ** 2), x32, h=STEP), 2 * x32) > 1e-2


@pytest.mark.parametrize("h", [0, -1e-6, np.nan])
def test_numerical_gradient_needs_a_positive_step(h):
    with pytest.raises(ValueError, match="^h must be a positive"):
        numerical_gradient(lambda: 0.0, np.zeros(2), h=h)


def test_rel_error_is_zero_for_equal_and_about_one_for_opposite():
    a = np.array([1.0, -2.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(a, -a) == pytest.approx(1.0)
    assert rel_error(np.zeros(2), np.zeros(2)) == 0.0


def test_rel_error_rejects_different_shapes():
    with pytest.raises(ValueError, match="same shape"):
        rel_error(np.zeros(2), np.zeros(3))


# --- The step and the verdict --------------------------------------------------------------


def test_balanced_step_grows_as_the_gradient_shrinks_and_with_epsilon():
    assert balanced_step(1.0, 0.1) == pytest.approx((3 * 2.22e-16 / 0.1) ** (1 / 3), rel=1e-3)
    assert balanced_step(1.0, 1e-7) == pytest.approx(100 * balanced_step(1.0, 0.1))   # a deep network's first layer
    assert balanced_step(1.0, 0.1, np.float32) == pytest.approx(0.0153, rel=1e-2)
    assert balanced_step(1.0, 0.0) == balanced_step(1.0, 1e-30) == 0.1   # capped


def test_balanced_step_rejects_another_dtype():
    with pytest.raises(ValueError, match=r"^dtype must be float64 or float32"):
        balanced_step(1.0, 0.1, np.float16)


@pytest.mark.parametrize("error, expected", [(0.0, "ok (< 1e-06)"), (9.9e-7, "ok (< 1e-06)"),
                                             (1e-6, "WRONG (1e-06)"), (0.6, "WRONG (0.6)")])
def test_verdict_of_a_plain_number_uses_the_one_threshold(error, expected):
    assert TOLERANCE == 1e-6
    assert verdict(error) == expected


@pytest.mark.parametrize("error", [np.nan, -1.0, np.inf])
def test_verdict_rejects_what_is_not_a_relative_error(error):
    with pytest.raises(ValueError, match=r"^verdict expects a relative error, a number >= 0; got "):
        verdict(error)


def _result(error, tolerance, dtype=np.float64, kinks=0, checked=10):
    return GradientError(error, step=1e-5, expected=tolerance / 10, tolerance=tolerance, dtype=dtype,
                         kinks=kinks, checked=checked)


@pytest.mark.parametrize("result, status, words", [
    (_result(3e-9, 1e-6), "ok", "ok (< 1e-06)"),
    (_result(2e-7, 3e-5), "ok", "ok (< 1e-04)"),
    (_result(0.6, 1e-6), "WRONG", "WRONG (0.6; a right gradient < 1e-06)"),
    (_result(0.3, 0.2), "WRONG", "WRONG (0.3; a right gradient < 0.2)"),
    (_result(0.004, 0.02, np.float32), "unsure",
     "unsure (0.004; a right gradient can be off by up to 1e-01 here: round-off in float32; check in float64)"),
    (_result(0.004, 0.02), "unsure",
     "unsure (0.004; a right gradient can be off by up to 1e-01 here: round-off: the function hardly depends on it)"),
    (_result(0.004, 0.02, np.float32, kinks=6), "unsure",
     "unsure (0.004; a right gradient can be off by up to 1e-01 here: most nudges cross a kink, "
     "such as a ReLU switching)"),
])
def test_a_gradient_error_is_judged_by_its_own_tolerance(result, status, words):
    assert result.status == status and result.ok == (status == "ok")
    assert verdict(result) == words


def test_a_gradient_error_is_a_float_that_keeps_its_details_when_copied():
    result = _result(2e-7, 3e-5, np.float32, kinks=1)
    assert result == 2e-7 and result < 1e-6 and isinstance(result, float)
    for twin in (copy.deepcopy(result), pickle.loads(pickle.dumps(result))):
        assert twin == result and vars(twin) == vars(result) and twin.status == result.status


# --- check_gradient ------------------------------------------------------------------------


def test_check_gradient_passes_a_right_gradient_and_restores_x(rng):
    x = rng.normal(size=(3, 4, 2))
    before = x.copy()
    result = check_gradient(lambda: np.sum(np.sin(x)), x, np.cos(x))
    assert result.ok and result < 1e-9 and result.checked == x.size
    np.testing.assert_array_equal(x, before)


def test_check_gradient_finds_a_gradient_off_by_one_percent(rng):
    x = rng.normal(size=6)
    assert check_gradient(lambda: np.sum(np.sin(x)), x, 1.01 * np.cos(x)).status == "WRONG"


def test_check_gradient_checks_the_entries_asked_for(rng):
    x = rng.normal(size=(10, 10))
    calls = []

    def f():
        calls.append(1)
        return np.sum(x ** 2)

    result = check_gradient(f, x, 2 * x, entries=7, seed=0)
    assert result.checked == 7 and len(calls) == 1 + 4 * 7   # the centre, then x +- h, x +- 2h


def test_check_gradient_rejects_a_gradient_of_another_shape():
    with pytest.raises(ValueError, match=r"^check_gradient expects analytic of x's shape \(3,\); got \(2,\)$"):
        check_gradient(lambda: 0.0, np.zeros(3), np.zeros(2))


def test_a_nudge_across_a_kink_is_left_out_not_called_wrong():
    # |x| at x = 1e-9 has slope 1, but x +- h lands on both sides of the kink at 0.
    x = np.array([1e-9, 0.5, -0.7, 1.2, 2.0])
    result = check_gradient(lambda: np.sum(np.abs(x)), x, np.sign(x))
    assert result.kinks == 1 and result.ok
    assert check_gradient(lambda: np.sum(np.abs(x)), x, -np.sign(x)).status == "WRONG"


def test_the_step_asked_for_is_the_step_taken(rng):
    x = rng.normal(size=3)
    assert check_gradient(lambda: np.sum(x ** 2), x, 2 * x, step=1e-4).step == 1e-4
    with pytest.raises(ValueError, match="^step must be a positive"):
        check_gradient(lambda: np.sum(x ** 2), x, 2 * x, step=0.0)


# --- Layers of any shape and dtype ---------------------------------------------------------


class ChannelScale(Layer):
    """A layer on (N, C, ...) batches: y = gamma[c] x^2 / 2 + beta[c] (like a convolution's
    per-channel parameters), with ``slip`` planting a bug in its backward."""

    def __init__(self, channels, dtype=np.float64, slip=None):
        super().__init__()
        rng = np.random.default_rng(1)
        self.dtype, self.slip = np.dtype(dtype), slip
        self.params = {"gamma": rng.normal(size=channels).astype(dtype),
                       "beta": rng.normal(size=channels).astype(dtype)}
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}

    def _per_channel(self, v):
        return v.reshape((1, -1) + (1,) * (self._x.ndim - 2))

    def forward(self, x):
        self._x = x
        return self._per_channel(self.params["gamma"]) * x ** 2 / 2 + self._per_channel(self.params["beta"])

    def backward(self, grad_out):
        axes = (0, *range(2, self._x.ndim))
        self.grads["gamma"][...] = np.sum(grad_out * self._x ** 2 / 2, axis=axes) * (1.01 if self.slip == "1%" else 1)
        self.grads["beta"][...] = np.sum(grad_out, axis=axes)
        dx = grad_out * self._per_channel(self.params["gamma"]) * self._x
        return dx / 2 if self.slip == "half" else dx


class SlipDense(Dense):
    """Dense with a planted bug: "transposed" dW, "1%" too large a dW, or "half" dx."""

    def __init__(self, *args, slip=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.slip = slip

    def backward(self, grad_out):
        dx = super().backward(grad_out)
        if self.slip == "transposed":
            self.grads["W"][...] = self.grads["W"].T.copy()
        elif self.slip == "1%":
            self.grads["W"][...] *= 1.01
        return dx / 2 if self.slip == "half" else dx


LAYERS = {
    "dense": (lambda dtype: Dense(6, 6, seed=0, dtype=dtype), (8, 6)),
    "tanh on images": (lambda dtype: Tanh(), (2, 3, 4, 4)),
    "sigmoid": (lambda dtype: Sigmoid(), (5, 7)),
    "relu on images": (lambda dtype: ReLU(), (2, 3, 4, 4)),
    "softmax on sequences": (lambda dtype: Softmax(), (4, 3, 5)),
    "per-channel parameters": (lambda dtype: ChannelScale(3, dtype), (2, 3, 4, 4)),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", LAYERS)
def test_check_layer_passes_every_right_layer_of_any_shape_in_both_dtypes(name, dtype):
    make, shape = LAYERS[name]
    for seed in range(3):
        x = np.random.default_rng(seed + 10).normal(size=shape).astype(dtype)
        errors = check_layer(make(dtype), x, seed=seed)
        for key, error in errors.items():
            assert error.ok and error < error.tolerance / 3, (seed, key, verdict(error))
            assert error.dtype == dtype and error.tolerance >= TOLERANCES[np.dtype(dtype)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("layer, shape, key", [
    (lambda dtype: SlipDense(6, 6, seed=0, dtype=dtype, slip="transposed"), (8, 6), "W"),
    (lambda dtype: SlipDense(6, 6, seed=0, dtype=dtype, slip="1%"), (8, 6), "W"),
    (lambda dtype: SlipDense(6, 6, seed=0, dtype=dtype, slip="half"), (8, 6), "x"),
    (lambda dtype: ChannelScale(3, dtype, slip="1%"), (2, 3, 4, 4), "gamma"),
    (lambda dtype: ChannelScale(3, dtype, slip="half"), (2, 3, 4, 4), "x"),
], ids=["transposed W", "dW 1% off", "dx missing a factor 2", "per-channel 1% off", "per-channel dx halved"])
def test_check_layer_finds_a_planted_bug_in_both_dtypes(layer, shape, key, dtype):
    for seed in range(3):
        x = np.random.default_rng(seed + 10).normal(size=shape).astype(dtype)   # not the upstream's seed:
        errors = check_layer(layer(dtype), x, seed=seed)                      # x.T @ x is symmetric
        assert errors[key].status == "WRONG", (seed, verdict(errors[key]))
        assert all(error.ok for name, error in errors.items() if name != key)


def test_check_layer_finds_a_wrong_bias_gradient(rng):
    class MeanBias(Dense):
        def backward(self, grad_out):
            dx = super().backward(grad_out)
            self.grads["b"][...] = grad_out.mean(axis=0)   # the bug: mean, not sum
            return dx

    errors = check_layer(MeanBias(4, 3, seed=0), rng.normal(size=(5, 4)), seed=0)
    assert errors["b"] > 0.1 and errors["W"] < 1e-7 and errors["x"] < 1e-7
    assert [error.status for error in errors.values()] == ["ok", "ok", "WRONG"]


def test_check_layer_with_an_int_seed_is_reproducible(rng):
    layer = Dense(4, 3, seed=0)
    x = rng.normal(size=(5, 4))
    assert check_layer(layer, x, seed=1) == check_layer(layer, x, seed=1)


def test_check_layer_rejects_nan_input():
    with pytest.raises(ValueError, match=r"^x contains NaN or inf$"):
        check_layer(Dense(2, 2, seed=0), [[np.nan, 0.0]])


def test_check_layer_checks_a_float32_input_in_float32_with_float32s_step(rng):
    x = rng.normal(size=(4, 3)).astype(np.float32)
    error = check_layer(Tanh(), x, seed=0)["x"]
    assert error.ok and error.dtype == np.float32 and error.tolerance >= 1e-3 and error.step > 1e-3


def test_check_layer_checks_a_float64_layer_in_float64_whatever_its_input(rng):
    errors = check_layer(Dense(3, 2, seed=0), rng.normal(size=(4, 3)).astype(np.float32), seed=0)
    assert {error.dtype for error in errors.values()} == {np.dtype(np.float64)}


# --- Networks: the deep sigmoid network that cried wolf, float32, planted bugs -------------


def _deep_case(seed):
    """The chapter's 10-layer sigmoid network and data (as ``vanishing_gradients`` draws them)."""
    rng = np.random.default_rng(seed)
    net = deep_network(10, "sigmoid", 32, seed=seed)
    return net, rng.normal(size=(64, 8)), rng.uniform(size=(64, 32))


def test_a_fixed_step_of_1e_6_cries_wolf_on_a_deep_network():
    net, x, y = _deep_case(0)
    net.backward(HALF[1](y, net.forward(x)))
    first = net[0].grads["W"].copy()
    error = rel_error(first, numerical_gradient(lambda: HALF[0](y, net.forward(x)), net[0].params["W"]))
    assert error > 100 * TOLERANCE     # a right gradient, "WRONG" by the fixed threshold


@pytest.mark.parametrize("seed", range(3))
def test_a_deep_sigmoid_network_passes_and_each_planted_bug_is_caught(seed):
    net, x, y = _deep_case(seed)
    right = check_network(net, x, y, *HALF, entries=8, seed=seed)
    for name, error in right.items():
        assert error.ok and error < error.tolerance / 3, (name, verdict(error))
    assert right["0.W"].step > 100 * STEP          # the step chosen for the tiny first-layer gradient
    for slip in (1.01, 0.5):                         # 1% off, a factor 2 missing
        wrong = check_network(net, x, y, HALF[0], lambda t, p, s=slip: s * HALF[1](t, p), entries=8, seed=seed)
        assert all(error.status == "WRONG" for error in wrong.values()), slip


def test_a_transposed_weight_gradient_deep_inside_is_caught():
    rng = np.random.default_rng(0)
    layers = []
    for k, (n_in, n_out) in enumerate(zip([8] + [32] * 9, [32] * 10)):
        layers += [SlipDense(n_in, n_out, seed=rng, slip="transposed" if k == 5 else None), Sigmoid()]
    net = Sequential(layers)
    x, y = rng.normal(size=(64, 8)), rng.uniform(size=(64, 32))
    errors = check_network(net, x, y, *HALF, entries=12, seed=0)
    assert [name for name, error in errors.items() if error.status == "WRONG"] == ["10.W"]
    assert all(error.ok for name, error in errors.items() if name != "10.W")


def _float32_network(sizes, activation, seed):
    rng = np.random.default_rng(seed)
    layers = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        layers += [Dense(n_in, n_out, seed=rng, dtype=np.float32), Activation(activation)]
    net = Sequential(layers)
    x = rng.normal(size=(64, sizes[0])).astype(np.float32)
    y = rng.uniform(size=(64, sizes[-1])).astype(np.float32)
    return net, x, y


@pytest.mark.parametrize("seed", range(3))
def test_a_float32_network_passes_and_a_one_percent_slip_is_caught(seed):
    net, x, y = _float32_network([4, 8, 8, 4], "tanh", seed)
    right = check_network(net, x, y, *HALF, entries=12, seed=seed)
    for name, error in right.items():
        assert error.ok and error.dtype == np.float32 and error.step > 1e-3, (name, verdict(error))
    wrong = check_network(net, x, y, HALF[0], lambda t, p: 1.01 * HALF[1](t, p), entries=12, seed=seed)
    assert all(error.status == "WRONG" for error in wrong.values())


@pytest.mark.parametrize("seed", range(3))
def test_float32_is_unsure_where_round_off_hides_the_gradient_never_wrong(seed):
    # In float32 the first layers of a deep sigmoid network barely move the loss.
    net, x, y = _float32_network([8] + [32] * 10, "sigmoid", seed)
    right = check_network(net, x, y, *HALF, entries=6, seed=seed)
    assert right["0.W"].status == "unsure" and "float64" in verdict(right["0.W"])
    assert right["18.W"].ok
    assert not any(error.status == "WRONG" for error in right.values())
    wrong = check_network(net, x, y, HALF[0], lambda t, p: 1.01 * HALF[1](t, p), entries=6, seed=seed)
    assert not any(error.ok for error in wrong.values())     # 1% off is never "ok"
    halved = check_network(net, x, y, HALF[0], lambda t, p: 0.5 * HALF[1](t, p), entries=6, seed=seed)
    assert halved["18.W"].status == "WRONG"


@pytest.mark.parametrize("seed", range(3))
def test_a_float32_relu_network_never_cries_wolf_and_a_factor_two_shows(seed):
    net, x, y = _float32_network([8, 16, 16, 16], "relu", seed)
    right = check_network(net, x, y, *HALF, entries=12, seed=seed)
    assert not any(error.status == "WRONG" for error in right.values())
    assert sum(error.kinks for error in right.values()) > 0
    wrong = check_network(net, x, y, HALF[0], lambda t, p: 2 * HALF[1](t, p), entries=12, seed=seed)
    assert not any(error.ok for error in wrong.values())
    assert any(error.status == "WRONG" for error in wrong.values())


def test_check_network_names_an_input_with_nan():
    net = Sequential([Dense(2, 1, seed=0)])
    with pytest.raises(ValueError, match=r"^x contains NaN or inf$"):
        check_network(net, [[np.nan, 0.0]], [[1.0]], losses.mean_squared_error, losses.mean_squared_error_gradient)


def test_check_gradient_of_an_empty_array_is_ok():
    assert check_gradient(lambda: 0.0, np.zeros((0, 3)), np.zeros((0, 3))).ok


def test_check_network_names_every_parameter(rng):
    net = mlp([3, 4, 2], "tanh", seed=0)
    x, y = rng.normal(size=(6, 3)), np.eye(2)[rng.integers(0, 2, size=6)]
    errors = check_network(net, x, y, losses.softmax_cross_entropy, losses.softmax_cross_entropy_gradient)
    assert list(errors) == ["0.W", "0.b", "2.W", "2.b"]
    assert max(errors.values()) < 1e-7


def test_a_right_gradient_is_far_below_the_threshold_and_a_wrong_one_far_above(rng):
    net = mlp([3, 5, 2], "tanh", seed=0)
    x, y = rng.normal(size=(6, 3)), np.eye(2)[rng.integers(0, 2, size=6)]
    right = check_network(net, x, y, losses.softmax_cross_entropy, losses.softmax_cross_entropy_gradient)
    assert max(right.values()) < TOLERANCE / 100
    wrong = check_network(net, x, y, losses.softmax_cross_entropy,
                          lambda y, z: 2 * losses.softmax_cross_entropy_gradient(y, z))  # a factor 2 off
    assert min(wrong.values()) > TOLERANCE * 100


def test_ok_always_means_a_slip_of_one_percent_would_show():
    assert UNSURE < 0.9 * 0.01 / 2.01      # a gradient 1% off has a relative error of 0.005


def test_a_gradient_found_only_across_kinks_is_never_called_ok():
    # Only x[0] moves f, and its nudges cross the kink at 0: the other entries' zeros prove nothing.
    x = np.array([1e-9, 0.3, 0.5, -0.2, 0.1, 0.7, -0.4, 0.9])
    right = check_gradient(lambda: abs(x[0]), x, np.eye(8)[0])
    halved = check_gradient(lambda: abs(x[0]), x, np.eye(8)[0] / 2)
    assert right.kinks == 1 and right.status == "unsure" and halved.status != "ok"


# --- Cost ----------------------------------------------------------------------------------


def test_forward_passes_counts():
    assert forward_passes(1000, "finite differences") == 2000
    assert forward_passes(1000, "backpropagation") == 3   # 1 forward + 1 backward (about 2)


def test_an_unknown_method_lists_the_two_methods():
    with pytest.raises(ValueError, match=r'^method must be "finite differences" or "backpropagation"; '
                                         r"got 'guessing'$"):
        forward_passes(10, "guessing")


@pytest.mark.parametrize("n_params, shown", [(10.5, "10.5"), (True, "True"), (0, "0")])
def test_forward_passes_needs_a_positive_integer(n_params, shown):
    with pytest.raises(ValueError, match=f"^n_params must be a positive integer; got {re.escape(shown)}$"):
        forward_passes(n_params, "backpropagation")


@pytest.mark.parametrize("value, tolerance, expected", [
    (0.6, 1e-6, "WRONG (0.6; a right gradient < 1e-06)"),      # far above: the power of ten
    (0.005, 0.0041, "WRONG (0.005; a right gradient < 0.0041)"),  # 1e-02 would contradict 0.005
    (0.0042, 0.00411, "WRONG (0.0042; a right gradient < 0.0042)"),
])
def test_a_wrong_verdict_never_states_a_bound_above_the_error(value, tolerance, expected):
    error = GradientError(value, step=1e-5, expected=tolerance / 10, tolerance=tolerance)
    assert error.status == "WRONG"
    assert verdict(error) == expected
