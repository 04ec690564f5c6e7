"""nnbook.surfaces: analytic gradients against central differences, minima where they are said to be."""

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
