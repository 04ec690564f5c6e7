"""nnbook.surfaces: analytic gradients against central differences, minima where they are said to be."""

import re

import numpy as np
import pytest

from nnbook import data, surfaces

ALL = {**surfaces.SURFACES,
       "quadratic": lambda: surfaces.quadratic([[3.0, 1.0], [1.0, 2.0]], [0.5, -1.0]),
       "least squares": lambda: surfaces.least_squares(*data.regression(20, seed=0))}


def numerical_gradient(loss, theta, h=1e-6):
    """Central differences, one coordinate at a time."""
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = h
        grad[i] = (loss(theta + step) - loss(theta - step)) / (2 * h)
    return grad


def rel_error(a, b):
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))


@pytest.mark.parametrize("make", ALL.values(), ids=ALL.keys())
def test_gradient_matches_central_differences(make, rng):
    s = make()
    for theta in rng.uniform(-1.5, 1.5, size=(5, s.dim)):
        assert rel_error(s.gradient(theta), numerical_gradient(s.loss, theta)) < 1e-6


@pytest.mark.parametrize("make", ALL.values(), ids=ALL.keys())
def test_gradient_is_zero_at_the_minimum(make):
    s = make()
    assert np.allclose(s.gradient(s.minimum), 0.0, atol=1e-9)
    assert s.loss(s.minimum) == pytest.approx(s.min_loss, abs=1e-12)


@pytest.mark.parametrize("make", ALL.values(), ids=ALL.keys())
def test_minimum_is_lowest_on_a_grid_over_the_box(make):
    s = make()
    axes = [np.linspace(lo, hi, 81) for lo, hi in s.limits]
    grid = np.stack(np.meshgrid(*axes), axis=-1).reshape(-1, s.dim)
    assert s.loss(grid).min() >= s.min_loss - 1e-12


@pytest.mark.parametrize("make", ALL.values(), ids=ALL.keys())
def test_loss_and_gradient_work_on_a_grid_of_points(make, rng):
    s = make()
    grid = rng.normal(size=(4, 3, s.dim))
    assert s.loss(grid).shape == (4, 3)
    assert s.gradient(grid).shape == (4, 3, s.dim)
    assert np.allclose(s.gradient(grid)[1, 2], s.gradient(grid[1, 2]))


@pytest.mark.parametrize("make", ALL.values(), ids=ALL.keys())
def test_stationary_points_have_zero_gradient(make):
    s = make()
    for point in s.stationary.values():
        assert np.allclose(s.gradient(point), 0.0, atol=1e-9)


def test_worked_example_values():
    bowl = surfaces.bowl()
    assert bowl.loss([1.0, 3.0]) == 10.0
    assert np.array_equal(bowl.gradient([1.0, 3.0]), [2.0, 6.0])


def test_least_squares_minimum_is_lstsq(rng):
    X, y = rng.normal(size=(30, 3)), rng.normal(size=30)
    assert np.allclose(surfaces.least_squares(X, y).minimum, np.linalg.lstsq(X, y, rcond=None)[0])


@pytest.mark.parametrize("make, expected", [(surfaces.bowl, 2.0), (lambda: surfaces.elongated_bowl(10), 20.0),
                                            (surfaces.saddle, 4.0)])
def test_curvature_is_the_largest_hessian_eigenvalue(make, expected):
    assert make().curvature == pytest.approx(expected)


def test_hessian_of_a_quadratic_is_recovered():
    H = np.array([[3.0, 1.0], [1.0, 2.0]])
    assert np.allclose(surfaces.hessian(surfaces.quadratic(H, [1.0, 2.0])), H)


def test_double_well_has_a_higher_local_minimum():
    s = surfaces.double_well()
    assert s.loss(s.stationary["local minimum"]) > s.min_loss
    assert s.minimum[0] < 0 < s.stationary["local minimum"][0]


@pytest.mark.parametrize("call, phrase", [
    (lambda: surfaces.bowl().loss([1.0, 2.0, 3.0]), r"\(2,\)"),
    (lambda: surfaces.bowl().check_point([1.0], "start"), r"shape \(2,\)"),
    (lambda: surfaces.quadratic([[1.0, 0.0], [0.0, -1.0]]), "positive definite"),
    (lambda: surfaces.elongated_bowl(0.5), "at least 1"),
    (lambda: surfaces.least_squares(np.ones((3, 2)), np.ones(4)), "one row per example"),
    (lambda: surfaces.bowl(3), "1 or 2"),
])
def test_wrong_input_raises_a_value_error_naming_what_is_expected(call, phrase):
    with pytest.raises(ValueError, match=phrase):
        call()


def test_renaming_a_surface_keeps_every_other_field():
    parabola, base = surfaces.bowl(1), surfaces.quadratic(2.0 * np.eye(1))
    assert (parabola.name, parabola.formula) == ("parabola", "ℒ = θ²")
    assert (parabola.limits, parabola.curvature, parabola.min_loss) == (base.limits, base.curvature, base.min_loss)
    assert parabola.loss([1.5]) == base.loss([1.5]) and parabola.stationary == base.stationary


def test_least_squares_rejects_nan_targets():
    with pytest.raises(ValueError, match=r"^y contains NaN or inf$"):
        surfaces.least_squares(np.ones((3, 2)), [1.0, np.nan, 0.0])


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

LEAST_SQUARES_X = np.array([[1.0, 2.0], [1.0, -2.0]])


# --- bowl ------------------------------------------------------------------------------------

def test_the_two_dimensional_bowl_has_its_formula():
    assert surfaces.bowl(2).formula == "ℒ = θ₁² + θ₂²"


# --- rosenbrock ------------------------------------------------------------------------------

def test_rosenbrock_is_called_rosenbrock_with_its_formula():
    s = surfaces.rosenbrock()
    assert s.name == "Rosenbrock"
    assert s.formula == "ℒ = (1 − θ₁)² + 100 (θ₂ − θ₁²)²"


def test_rosenbrock_defaults_are_a_one_and_b_one_hundred():
    s = surfaces.rosenbrock()
    np.testing.assert_array_equal(s.minimum, [1.0, 1.0])
    assert s.loss([0.0, 0.0]) == 1.0  # (a - 0)^2 = a^2
    assert s.loss([1.0, 0.0]) == 100.0  # b (0 - 1)^2 = b


def test_rosenbrock_minimum_is_at_a_and_a_squared():
    np.testing.assert_array_equal(surfaces.rosenbrock(a=2.0).minimum, [2.0, 4.0])


def test_rosenbrock_default_curvature():
    # Hessian at (1, 1): [[802, -400], [-400, 200]]: trace 1002, determinant 400, so the
    # largest eigenvalue is (1002 + sqrt(1002^2 - 1600)) / 2
    assert surfaces.rosenbrock().curvature == pytest.approx(1001.6006392, rel=1e-9)


def test_rosenbrock_curvature_with_other_a_and_b():
    # a = 2, b = 1: Hessian at (2, 4): [[2 + 32, -8], [-8, 2]]: trace 36, determinant 4,
    # so the largest eigenvalue is 18 + sqrt(320)
    assert surfaces.rosenbrock(a=2.0, b=1.0).curvature == pytest.approx(35.8885438, rel=1e-9)


def test_rosenbrock_accepts_a_b_below_one():
    assert surfaces.rosenbrock(b=0.5).loss([1.0, 0.0]) == 0.5


def test_rosenbrock_rejects_a_b_of_zero():
    with pytest.raises(ValueError, match=r"^b must be positive; got 0\.0$"):
        surfaces.rosenbrock(b=0.0)


@pytest.mark.parametrize("argument", ["a", "b"])
def test_rosenbrock_rejects_a_parameter_that_is_not_a_number(argument):
    with pytest.raises(ValueError, match=f"^{argument} must be a real number"):
        surfaces.rosenbrock(**{argument: "one"})


def test_rosenbrock_box_shows_the_classic_start_and_the_minimum():
    # chapter 6 races the optimisers from (-1.2, 1) to the minimum (1, 1)
    s = surfaces.rosenbrock()
    for point in [(-1.2, 1.0), (1.0, 1.0)]:
        assert all(lo <= p <= hi for p, (lo, hi) in zip(point, s.limits))


# --- least_squares ---------------------------------------------------------------------------

def test_least_squares_is_called_mean_squared_error_with_its_formula():
    s = surfaces.least_squares(LEAST_SQUARES_X, [0.0, 0.0])
    assert s.name == "mean squared error"
    assert s.formula == "ℒ = ‖Xθ − y‖² / N"


def test_least_squares_curvature_is_the_largest_eigenvalue_of_two_over_n_xtx():
    assert surfaces.least_squares(LEAST_SQUARES_X, [0.0, 0.0]).curvature == pytest.approx(8.0)


def test_least_squares_box_is_centred_on_the_minimum():
    s = surfaces.least_squares(LEAST_SQUARES_X, [3.0, -1.0])  # minimum (1, 1): t1 = (3 - 1) / 2, t2 = 4 / 4
    np.testing.assert_allclose(s.minimum, [1.0, 1.0])
    for (lo, hi), best in zip(s.limits, s.minimum):
        assert lo < best < hi
        assert (lo + hi) / 2 == pytest.approx(best)


def test_least_squares_rejects_inputs_without_a_batch_axis():
    with pytest.raises(ValueError, match=r"^X must be a batch of shape \(N, D\); got shape \(3,\)$"):
        surfaces.least_squares([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])


def test_least_squares_rejects_targets_as_a_column():
    with pytest.raises(ValueError, match=r"^y must be a vector"):
        surfaces.least_squares(np.ones((3, 2)), np.ones((3, 1)))


def test_least_squares_with_too_few_targets_counts_rows_and_targets():
    message = "X and y need one row per example; got 3 rows and 4 targets"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        surfaces.least_squares(np.ones((3, 2)), np.ones(4))


# --- Surface.check_point ---------------------------------------------------------------------

def test_check_point_calls_the_point_theta_by_default():
    with pytest.raises(ValueError, match=r"^theta for the bowl \(2-D\) must have shape \(2,\); got shape \(1,\)$"):
        surfaces.bowl().check_point([1.0])


def test_check_point_accepts_a_plain_number_on_the_parabola():
    np.testing.assert_array_equal(surfaces.bowl(1).check_point(1.5), [1.5])
