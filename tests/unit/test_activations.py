"""nnbook.activations: elementwise activations, their derivatives, softmax and friends."""

import re
import warnings

import numpy as np
import pytest
from scipy import special
from scipy.integrate import quad
from scipy.stats import norm

from nnbook import activations
from nnbook.activations import (
    ACTIVATIONS,
    SELU_A,
    SELU_LAMBDA,
    elu,
    log_softmax,
    logsumexp,
    relu,
    relu_derivative,
    selu,
    sigmoid,
    sigmoid_derivative,
    softmax,
    softmax_jacobian,
    softplus,
    tanh,
    tanh_derivative,
)

NAMES = list(ACTIVATIONS)

#: Every registered elementwise callable, function and derivative, as (id, callable).
ELEMENTWISE = {name: a.function for name, a in ACTIVATIONS.items()}
ELEMENTWISE |= {f"{name}_derivative": a.derivative for name, a in ACTIVATIONS.items()}

#: The functions that reduce or normalise along an axis.
ALONG_AXIS = {"softmax": softmax, "log_softmax": log_softmax, "logsumexp": logsumexp}

#: Inputs that overflow a naive exp: the chapter's "numerically stable" promise.
EXTREMES = [1e4, -1e4, 1e3, -1e3, 88.0, -88.0, 50.0, -50.0, 0.0]


def _central_difference(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def _rel_error(analytic, numeric):
    analytic, numeric = np.asarray(analytic), np.asarray(numeric)
    return np.max(np.abs(analytic - numeric) / np.maximum(1e-8, np.abs(analytic) + np.abs(numeric)))


def _strictly(f, *args, **kwargs):
    """f(*args) with every warning (overflow, invalid value, ...) raised as an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return f(*args, **kwargs)


# --- derivatives against finite differences ------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences_away_from_kinks(name):
    activation = ACTIVATIONS[name]
    x = np.linspace(-6, 6, 200)
    for kink in activation.kinks:
        x = x[np.abs(x - kink) >= 1e-3]
    numeric = _central_difference(activation.function, x)
    assert _rel_error(activation.derivative(x), numeric) < 1e-6


def test_step_derivative_is_zero_and_so_is_its_finite_difference():
    step = ACTIVATIONS["step"]
    x = np.array([-3.0, -0.5, 0.5, 3.0])
    np.testing.assert_array_equal(step.derivative(x), 0.0)
    np.testing.assert_array_equal(_central_difference(step.function, x), 0.0)


# --- oracles --------------------------------------------------------------------------------

def test_sigmoid_matches_scipy_expit(rng):
    x = rng.normal(scale=10, size=500)
    np.testing.assert_allclose(sigmoid(x), special.expit(x), rtol=1e-14, atol=1e-300)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_matches_scipy(rng, axis):
    x = rng.normal(scale=5, size=(6, 7))
    np.testing.assert_allclose(softmax(x, axis=axis), special.softmax(x, axis=axis), rtol=1e-13)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_log_softmax_matches_scipy(rng, axis):
    x = rng.normal(scale=5, size=(6, 7))
    np.testing.assert_allclose(log_softmax(x, axis=axis), special.log_softmax(x, axis=axis), rtol=1e-13)


@pytest.mark.parametrize("keepdims", [False, True], ids=["no-keepdims", "keepdims"])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_logsumexp_matches_scipy(rng, axis, keepdims):
    x = rng.normal(scale=5, size=(6, 7))
    ours = logsumexp(x, axis=axis, keepdims=keepdims)
    theirs = special.logsumexp(x, axis=axis, keepdims=keepdims)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-13)


def test_softplus_matches_logaddexp(rng):
    x = rng.normal(scale=20, size=500)
    np.testing.assert_allclose(softplus(x), np.logaddexp(0, x), rtol=1e-13, atol=1e-300)


def test_tanh_matches_numpy(rng):
    x = rng.normal(scale=5, size=500)
    np.testing.assert_array_equal(tanh(x), np.tanh(x))


@pytest.mark.parametrize("a", [1.0, 0.5, SELU_A])
def test_elu_matches_the_textbook_formula_for_moderate_inputs(rng, a):
    x = rng.uniform(-5, 5, size=500)
    textbook = np.where(x > 0, x, a * (np.exp(x) - 1))
    np.testing.assert_allclose(elu(x, a), textbook, rtol=1e-9, atol=1e-15)


# --- softmax_jacobian -----------------------------------------------------------------------

def test_softmax_jacobian_matches_central_differences(rng):
    x, h = rng.normal(size=5), 1e-6
    numeric = np.empty((5, 5))
    for j in range(5):
        e = np.zeros(5)
        e[j] = h
        numeric[:, j] = (softmax(x + e) - softmax(x - e)) / (2 * h)  # column j: d s / d x_j
    assert _rel_error(softmax_jacobian(x), numeric) < 1e-6


def test_softmax_jacobian_rows_sum_to_zero(rng):
    J = softmax_jacobian(rng.normal(scale=3, size=5))
    assert J.shape == (5, 5)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)


# --- SELU's constants -----------------------------------------------------------------------

def _normal_moment_of_selu(power):
    integrand = lambda z: float(selu(z)) ** power * norm.pdf(z)  # noqa: E731
    kw = dict(epsabs=1e-12, epsrel=1e-12)
    return quad(integrand, -np.inf, 0, **kw)[0] + quad(integrand, 0, np.inf, **kw)[0]  # split at the kink


def test_selu_keeps_a_standard_normal_mean_at_zero():
    assert abs(_normal_moment_of_selu(1)) < 1e-6


def test_selu_keeps_a_standard_normal_second_moment_at_one():
    assert abs(_normal_moment_of_selu(2) - 1) < 1e-6


def test_selu_lambda_times_a_is_the_lower_bound():
    assert SELU_LAMBDA * SELU_A == pytest.approx(1.7581, abs=1e-4)


# --- numerical stability --------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_is_finite_and_silent_at_extreme_inputs(name, dtype):
    y = _strictly(ELEMENTWISE[name], np.array(EXTREMES, dtype=dtype))
    assert np.all(np.isfinite(y))


def _extreme_rows(dtype):
    values = np.array(EXTREMES)
    rows = [values, values[::-1], np.roll(values, 3)]
    rows += [[v, -v, 0.0] + [v] * 6 for v in values]  # one huge score against its opposite
    return np.array(rows, dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", ALONG_AXIS)
def test_along_axis_is_finite_and_silent_at_extreme_inputs(name, dtype):
    y = _strictly(ALONG_AXIS[name], _extreme_rows(dtype), axis=-1)
    assert np.all(np.isfinite(y))


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-12), (np.float32, 1e-6)], ids=["float64", "float32"])
def test_softmax_rows_sum_to_one_at_extreme_inputs(dtype, tol):
    s = _strictly(softmax, _extreme_rows(dtype), axis=-1)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, atol=tol)


def test_softmax_jacobian_is_finite_and_silent_at_extreme_inputs():
    J = _strictly(softmax_jacobian, np.array(EXTREMES))
    assert np.all(np.isfinite(J))


def test_the_stability_check_would_catch_a_naive_sigmoid():
    naive = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    with pytest.raises(RuntimeWarning, match="overflow"):
        _strictly(naive, np.array([-1e4]))


# --- shapes and dtypes ----------------------------------------------------------------------

SHAPES = [(), (7,), (3, 4), (2, 3, 4)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_keeps_the_input_shape(name, shape, rng):
    y = ELEMENTWISE[name](rng.normal(size=shape))
    assert np.shape(y) == shape


def test_elementwise_of_a_python_float_is_zero_dimensional():
    for f in ELEMENTWISE.values():
        assert np.shape(f(0.3)) == ()


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("shape", [(), (3, 4)], ids=str)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_keeps_a_float_dtype(name, shape, dtype, rng):
    x = rng.normal(size=shape).astype(dtype)
    assert np.asarray(ELEMENTWISE[name](x)).dtype == dtype


@pytest.mark.parametrize("x", [np.arange(-3, 4), np.array([True, False, True])], ids=["int", "bool"])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_turns_integers_and_bools_into_float64(name, x):
    assert np.asarray(ELEMENTWISE[name](x)).dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_and_log_softmax_keep_shape_and_dtype(name, dtype, rng):
    x = rng.normal(size=(2, 3, 4)).astype(dtype)
    y = ALONG_AXIS[name](x, axis=1)
    assert y.shape == x.shape and y.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_logsumexp_drops_the_axis_and_keeps_the_dtype(dtype, rng):
    x = rng.normal(size=(2, 3, 4)).astype(dtype)
    y = logsumexp(x, axis=1)
    assert y.shape == (2, 4) and y.dtype == dtype


@pytest.mark.parametrize("name", ALONG_AXIS)
def test_along_axis_turns_integers_into_float64(name):
    assert ALONG_AXIS[name](np.arange(6).reshape(2, 3)).dtype == np.float64


# --- bad input ------------------------------------------------------------------------------

EVERY_FUNCTION = ELEMENTWISE | ALONG_AXIS | {"softmax_jacobian": softmax_jacobian}
NOT_NUMBERS = {
    "str-array": np.array(["1", "2"]),
    "list-of-str": ["a", "b"],
    "object-array": np.array([1.0, 2.0], dtype=object),
}


@pytest.mark.parametrize("bad", NOT_NUMBERS)
@pytest.mark.parametrize("name", EVERY_FUNCTION)
def test_input_that_is_not_numbers_is_rejected(name, bad):
    with pytest.raises(ValueError, match="numbers"):
        EVERY_FUNCTION[name](NOT_NUMBERS[bad])


@pytest.mark.parametrize("axis", [2, -3])
@pytest.mark.parametrize("name", ALONG_AXIS)
def test_axis_out_of_range_names_the_axis_and_the_shape(name, axis):
    with pytest.raises(ValueError, match=rf"axis {axis}\b.*\(3, 4\)"):
        ALONG_AXIS[name](np.zeros((3, 4)), axis=axis)


@pytest.mark.parametrize("name", ALONG_AXIS)
def test_a_zero_dimensional_score_is_rejected(name):
    with pytest.raises(ValueError, match="scalar"):
        ALONG_AXIS[name](np.float64(1.5))


def test_softmax_jacobian_of_a_matrix_asks_for_one_vector():
    with pytest.raises(ValueError, match=r"\(K,\)"):
        softmax_jacobian(np.zeros((2, 3)))


# --- saturation: what the chapter says about vanishing slopes -------------------------------

GRID = np.arange(-1000, 1001) / 100  # -10 .. 10 in steps of 0.01, with an exact 0


def test_sigmoid_derivative_peaks_at_a_quarter_at_zero():
    d = sigmoid_derivative(GRID)
    assert d.max() == 0.25
    assert GRID[np.argmax(d)] == 0.0


def test_tanh_derivative_peaks_at_one_at_zero():
    d = tanh_derivative(GRID)
    assert d.max() == 1.0
    assert GRID[np.argmax(d)] == 0.0


@pytest.mark.parametrize("derivative", [sigmoid_derivative, tanh_derivative], ids=["sigmoid", "tanh"])
def test_slope_vanishes_beyond_eight(derivative):
    x = np.linspace(8, 50, 200)
    assert np.all(derivative(x) < 1e-3)
    assert np.all(derivative(-x) < 1e-3)


def test_relu_derivative_is_exactly_one_for_positive_and_zero_for_negative(rng):
    x = rng.normal(scale=10, size=500)
    x = x[x != 0]
    np.testing.assert_array_equal(relu_derivative(x), np.where(x > 0, 1.0, 0.0))


# --- ranges ---------------------------------------------------------------------------------

MODERATE = np.linspace(-29.9, 29.9, 2001)


def test_sigmoid_is_strictly_between_zero_and_one_for_moderate_inputs():
    s = sigmoid(MODERATE)
    assert np.all((s > 0) & (s < 1))


def test_tanh_is_strictly_between_minus_one_and_one_for_moderate_inputs():
    t = tanh(np.linspace(-18, 18, 2001))  # beyond |x| ~ 19.1, float64 rounds tanh to +-1
    assert np.all((t > -1) & (t < 1))


def test_relu_is_never_negative(rng):
    assert np.all(relu(rng.normal(scale=10, size=500)) >= 0)


def test_elu_stays_above_minus_one():
    assert np.all(elu(MODERATE) > -1)


def test_softplus_is_positive_above_minus_thirty():
    assert np.all(softplus(MODERATE) > 0)


# --- infinities, NaN and empty input: defined limits or clear errors (issue 9) --------------

def test_the_activation_record_is_called_activation_spec():
    from nnbook.activations import ActivationSpec
    assert all(isinstance(spec, ActivationSpec) for spec in ACTIVATIONS.values())


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_gives_the_limits_at_infinity_silently(name):
    y = _strictly(ELEMENTWISE[name], np.array([np.inf, -np.inf]))
    assert not np.isnan(y).any()


def test_elementwise_limits_at_infinity_are_the_right_ones():
    x = np.array([-np.inf, np.inf])
    np.testing.assert_array_equal(sigmoid(x), [0.0, 1.0])
    np.testing.assert_array_equal(tanh(x), [-1.0, 1.0])
    np.testing.assert_array_equal(relu(x), [0.0, np.inf])
    np.testing.assert_array_equal(elu(x), [-1.0, np.inf])
    np.testing.assert_array_equal(softplus(x), [0.0, np.inf])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_rejects_nan_naming_the_argument(name):
    with pytest.raises(ValueError, match=r"^[xz] contains NaN$"):
        ELEMENTWISE[name](np.array([0.0, np.nan]))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_of_an_empty_array_is_an_empty_array(name):
    assert ELEMENTWISE[name](np.zeros((0, 3))).shape == (0, 3)


@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0)], ids=str)
@pytest.mark.parametrize("name", ALONG_AXIS)
def test_along_axis_rejects_empty_scores(name, shape):
    with pytest.raises(ValueError, match=rf"^x is empty \(shape {re.escape(str(shape))}\); it needs at least one value$"):
        ALONG_AXIS[name](np.zeros(shape))


@pytest.mark.parametrize("name", ALONG_AXIS)
def test_along_axis_rejects_nan(name):
    with pytest.raises(ValueError, match=r"^x contains NaN$"):
        ALONG_AXIS[name](np.array([[0.0, np.nan]]))


def test_softmax_of_a_row_with_plus_inf_shares_the_mass_among_the_inf_entries():
    s = _strictly(softmax, np.array([[1.0, np.inf, 1e4, np.inf], [0.0, 1.0, 2.0, 3.0]]))
    np.testing.assert_array_equal(s[0], [0.0, 0.5, 0.0, 0.5])
    np.testing.assert_allclose(s[1], special.softmax([0.0, 1.0, 2.0, 3.0]), rtol=1e-15)


def test_log_softmax_of_a_row_with_plus_inf_is_the_log_of_that_limit():
    y = _strictly(log_softmax, np.array([1.0, np.inf, np.inf]))
    np.testing.assert_array_equal(y, [-np.inf, -np.log(2), -np.log(2)])


def test_logsumexp_of_infinite_rows_is_the_limit():
    x = np.array([[-np.inf, -np.inf], [1.0, np.inf], [-np.inf, 0.0]])
    np.testing.assert_array_equal(_strictly(logsumexp, x), [-np.inf, np.inf, 0.0])


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_of_an_all_minus_inf_row_is_undefined(name):
    message = (f"{name} is undefined for a row whose scores are all -inf (every class has zero "
               "weight); give at least one score a finite value")
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        ALONG_AXIS[name](np.array([[0.0, 1.0], [-np.inf, -np.inf]]))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_limits_work_along_any_axis(axis):
    x = np.array([[np.inf, 0.0], [np.inf, np.inf]])
    s = _strictly(softmax, x, axis=axis)
    np.testing.assert_allclose(s.sum(axis=axis), 1.0)
    assert not np.isnan(s).any()


def test_log_softmax_keeps_the_tiny_log_probability_of_a_confident_class():
    y = log_softmax(np.array([0.0, 40.0]))
    assert 0 < -y[1] == pytest.approx(np.exp(-40.0), rel=1e-12)   # about 4.2e-18, not 0


def test_log_softmax_matches_scipy_for_large_logits(rng):
    x = 1e3 * rng.normal(size=(20, 5))
    np.testing.assert_allclose(log_softmax(x), special.log_softmax(x, axis=-1), rtol=1e-15, atol=1e-12)


def test_logsumexp_of_large_scores_matches_scipy(rng):
    x = 30 * rng.normal(size=(20, 6))
    np.testing.assert_allclose(logsumexp(x), special.logsumexp(x, axis=-1), rtol=1e-15)


def test_no_formula_uses_the_learning_rates_symbol():
    # notation.md: alpha is the learning rate; SELU's constants are lambda_SELU and a_SELU
    assert not any(r"\alpha" in spec.formula for spec in ACTIVATIONS.values())
    assert r"\lambda_{\text{SELU}}" in ACTIVATIONS["selu"].formula and r"a_{\text{SELU}}" in ACTIVATIONS["selu"].formula


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

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
