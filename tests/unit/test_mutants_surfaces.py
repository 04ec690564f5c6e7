"""Behaviours of nnbook.surfaces that mutation testing found untested (tools/mutation.py)."""

import re

import numpy as np
import pytest

from nnbook import surfaces

# L = ((t1 + 2 t2)^2 + (t1 - 2 t2)^2) / 2 = t1^2 + 4 t2^2: Hessian diag(2, 8), minimum (0, 0)
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
