"""Behaviours of nnbook.descent that mutation testing found untested (tools/mutation.py)."""

import warnings

import numpy as np
import pytest

from nnbook import data, descent, surfaces

# Two examples, two weights, X = I and y = 0: L = (t1^2 + t2^2) / 2 and the full-batch
# gradient is (2/2) X^T X t = t, so a step with rate a multiplies t by (1 - a).
IDENTITY_X, ZERO_Y = np.eye(2), np.zeros(2)


def test_minibatch_descent_runs_five_epochs_by_default():
    X, y = data.regression(8, seed=0)
    run = descent.minibatch_descent(X, y, 4, 0.1, seed=0)
    assert (run.iterations, run.examples[-1]) == (5 * 2, 5 * 8)


def test_minibatch_descent_starts_from_the_given_point():
    run = descent.minibatch_descent(IDENTITY_X, ZERO_Y, 2, 0.25, epochs=1, start=[1.0, -2.0], seed=0)
    np.testing.assert_array_equal(run.path, [[1.0, -2.0], [0.75, -1.5]])
    np.testing.assert_array_equal(run.losses, [(1.0 + 4.0) / 2, (0.5625 + 2.25) / 2])


def test_minibatch_descent_names_a_start_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"^start for the mean squared error \(2-D\) must have shape "
                                         r"\(2,\); got shape \(3,\)$"):
        descent.minibatch_descent(IDENTITY_X, ZERO_Y, 2, 0.1, start=[0.0, 0.0, 0.0])


def test_a_minibatch_run_that_did_not_diverge_is_finished():
    run = descent.minibatch_descent(IDENTITY_X, ZERO_Y, 2, 0.25, epochs=1, seed=0)
    assert run.status == "finished" and not run.diverged


def test_a_minibatch_run_remembers_its_batch_size_and_learning_rate():
    X, y = data.regression(8, seed=0)
    run = descent.minibatch_descent(X, y, 4, 0.1, epochs=1, seed=0)
    assert (run.batch_size, run.learning_rate) == (4, 0.1)


def test_minibatch_descent_stops_before_a_coordinate_passes_the_bound():
    # one example x = 1, y = 0, rate 2: each step multiplies t by 1 - 2 * 2 = -3. From 1 the
    # points are (-3)^k; (-3)^12 = 531441 is inside the bound, 3^13 = 1594323 is past it,
    # while its loss (3^13)^2 is still a finite number.
    run = descent.minibatch_descent([[1.0]], [0.0], 1, 2.0, epochs=20, start=[1.0], seed=0)
    assert run.diverged
    np.testing.assert_array_equal(run.path[:, 0], [(-3.0) ** k for k in range(13)])


def test_a_diverged_minibatch_run_makes_no_more_updates_in_later_epochs():
    # batches of one: x = 2 multiplies t by 1 - 2 * 0.5 * 4 = -3 (explodes), x = 0.9 by
    # 1 - 2 * 0.5 * 0.81 = 0.19 (shrinks back). Once a run has diverged it must stay stopped,
    # so more epochs cannot change it.
    X, y = [[2.0], [0.9]], [0.0, 0.0]
    short = descent.minibatch_descent(X, y, 1, 0.5, epochs=1, start=[4e5], seed=0)
    long = descent.minibatch_descent(X, y, 1, 0.5, epochs=30, start=[4e5], seed=0)
    assert short.diverged and long.diverged
    np.testing.assert_array_equal(long.path, short.path)
    np.testing.assert_array_equal(long.losses, short.losses)


@pytest.mark.parametrize("rate", [1e300, 1e308])   # 1e300 overflows the loss, 1e308 gives inf * 0
def test_minibatch_descent_diverges_without_floating_point_warnings(rate):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = descent.minibatch_descent([[1.0, 0.0]], [0.0], 1, rate, epochs=1, start=[1.0, 1.0])
    assert run.diverged and run.iterations == 0


def test_iterations_per_epoch_names_a_bad_number_of_examples():
    with pytest.raises(ValueError, match=r"^n_examples must be a positive integer; got 0$"):
        descent.iterations_per_epoch(0, 2)


def test_iterations_per_epoch_names_a_bad_batch_size():
    with pytest.raises(ValueError, match=r"^batch_size must be a positive integer; got 2\.5$"):
        descent.iterations_per_epoch(10, 2.5)


# --- gradient_descent ----------------------------------------------------------------------------

def test_gradient_descent_makes_at_most_100_steps_by_default():
    run = descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 1e-4)
    assert (run.status, run.steps) == ("finished", 100)


def test_gradient_descent_names_a_bad_tolerance():
    with pytest.raises(ValueError, match=r"^tol must be a positive finite number; got 0$"):
        descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 0.1, tol=0)


def test_gradient_descent_whose_step_overflows_diverges_without_warnings():
    # rate 1e308 times the gradient (2, 6) at (1, 3) is past the largest float
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 1e308)
    assert run.diverged and run.steps == 0


def test_gradient_descent_stops_as_diverged_when_the_gradient_itself_overflows():
    # a finite loss whose gradient is already infinite at the start (a cusp, |theta|^(1/2) style)
    cusp = surfaces.Surface(name="cusp", formula="-", loss=lambda t: np.sum(np.abs(t), axis=-1),
                            gradient=lambda t: np.full_like(t, np.inf), minimum=np.zeros(2),
                            min_loss=0.0, limits=((-1, 1), (-1, 1)), curvature=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = descent.gradient_descent(cusp, [1.3, 0.0], 0.1)
    assert (run.status, run.reason, run.steps) == ("diverged", "the gradient overflowed", 0)


def test_gradient_descent_refuses_a_start_whose_loss_is_not_finite():
    # curvature 1.5e308: the loss 1/2 * 1.5e308 * 1.3^2 overflows to inf at the start itself
    with pytest.raises(ValueError, match=r"the loss at start \[1\.3, 0\.0\] is inf, not a finite number"):
        descent.gradient_descent(surfaces.quadratic(np.diag([1.5e308, 1.0])), [1.3, 0.0], 0.1)
