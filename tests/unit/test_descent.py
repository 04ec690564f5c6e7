"""nnbook.descent: the worked example exactly, convergence, calm divergence, batch sizes."""

import math
import re
import warnings

import numpy as np
import pytest

from nnbook import data, descent, surfaces


def test_worked_example_path_is_exact():
    run = descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 0.1, steps=3)
    expected = [[1.0, 3.0], [0.8, 2.4], [0.64, 1.92], [0.512, 1.536]]
    assert np.allclose(run.path, expected, rtol=0, atol=1e-15)
    assert np.allclose(run.losses, [10.0, 6.4, 4.096, 2.62144], rtol=1e-14)


def test_good_rate_converges_to_the_minimum_within_tolerance():
    run = descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 0.1, steps=500, tol=1e-8)
    assert run.converged
    assert np.linalg.norm(run.path[-1]) < 1e-8
    assert run.verdict == f"converged in {run.steps} steps"


def test_verdict_counts_the_steps_to_converge():
    run = descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 0.1)  # |grad| = 2 * 0.8^k * |(1, 3)|
    assert run.steps == math.ceil(math.log(1e-3 / (2 * math.sqrt(10))) / math.log(0.8))


def test_a_run_whose_last_allowed_step_lands_has_converged():
    # |grad| = 2 * 0.8^k * sqrt(10) first falls below 1e-3 at k = 40: the 40th step lands, and
    # only the check after the loop can see it.
    run = descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 0.1, steps=40)
    assert (run.status, run.steps, run.verdict) == ("converged", 40, "converged in 40 steps")
    short = descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 0.1, steps=39)
    assert short.verdict.startswith("not converged after 39 steps (ℒ: 10 → ")


@pytest.mark.parametrize("rate", [1.5, 3.0, 1e3, 1e12])
def test_too_large_a_rate_is_flagged_without_warnings_or_nan(rate):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], rate, steps=10_000)
    assert run.diverged
    assert np.all(np.isfinite(run.path)) and np.all(np.isfinite(run.losses))
    assert run.verdict == f"diverged at step {run.steps + 1}"


@pytest.mark.parametrize("name", surfaces.SURFACES)
def test_every_surface_survives_an_absurd_rate(name):
    s = surfaces.SURFACES[name]()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = descent.gradient_descent(s, np.full(s.dim, 2.5), 1e9)
    assert run.diverged and np.all(np.isfinite(run.path))


def test_overshooting_rate_converges_zigzagging():
    run = descent.gradient_descent(surfaces.bowl(1), [2.0], 0.9)
    assert run.converged and run.zigzag
    assert "zig-zagging" in run.verdict


def test_tiny_rate_runs_out_of_steps():
    run = descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 1e-4, steps=50)
    assert run.status == "finished" and run.steps == 50
    assert run.verdict.startswith("not converged after 50 steps")


@pytest.mark.parametrize("curvatures", [(2.0, 20.0), (4.0, 16.0), (1.0, 3.0)])
def test_largest_stable_rate_separates_convergence_from_divergence(curvatures):
    s = surfaces.quadratic(np.diag(curvatures))
    limit = descent.largest_stable_rate(s)
    assert limit == pytest.approx(2 / max(curvatures))
    assert descent.gradient_descent(s, [1.0, 1.0], 0.97 * limit, steps=5000).converged
    assert descent.gradient_descent(s, [1.0, 1.0], 1.03 * limit, steps=5000).diverged


def test_the_largest_stable_rate_itself_bounces_forever():
    """The bound is strict: at 2/λmax the steepest direction flips sign without shrinking."""
    parabola = surfaces.bowl(dim=1)
    run = descent.gradient_descent(parabola, [2.0], descent.largest_stable_rate(parabola), steps=150)
    assert run.status == "finished" and run.zigzag
    np.testing.assert_allclose(np.abs(run.path[:, 0]), 2.0)


def test_batch_gradient_descent_reaches_the_least_squares_solution():
    X, y = data.regression(64, seed=0)
    run = descent.minibatch_descent(X, y, batch_size=64, learning_rate=0.3, epochs=400, seed=0)
    assert np.allclose(run.path[-1], np.linalg.lstsq(X, y, rcond=None)[0], rtol=0, atol=1e-6)


def test_full_batch_steps_equal_gradient_descent_on_the_mse():
    X, y = data.regression(32, seed=0)
    batch = descent.minibatch_descent(X, y, 32, 0.2, epochs=6, seed=0)
    plain = descent.gradient_descent(surfaces.least_squares(X, y), [0.0, 0.0], 0.2, steps=6, tol=1e-300)
    assert np.allclose(batch.path, plain.path)


@pytest.mark.parametrize("batch_size, updates", [(1, 64), (8, 8), (10, 7), (64, 1)])
def test_iterations_per_epoch(batch_size, updates):
    X, y = data.regression(64, seed=0)
    run = descent.minibatch_descent(X, y, batch_size, 0.05, epochs=3, seed=0)
    assert run.iterations_per_epoch == updates == descent.iterations_per_epoch(64, batch_size)
    assert run.iterations == 3 * updates
    assert run.examples[-1] == 3 * 64


def test_minibatch_runs_are_reproducible_and_seeded():
    X, y = data.regression(64, seed=0)
    a, b = (descent.minibatch_descent(X, y, 4, 0.1, seed=s) for s in (1, 1))
    c = descent.minibatch_descent(X, y, 4, 0.1, seed=2)
    assert np.array_equal(a.path, b.path) and not np.array_equal(a.path, c.path)


def test_stochastic_descent_with_a_huge_rate_diverges_calmly():
    X, y = data.regression(64, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = descent.minibatch_descent(X, y, 1, 50.0, seed=0)
    assert run.diverged and np.all(np.isfinite(run.losses))


def test_smaller_batches_end_noisier():
    X, y = data.regression(64, seed=0)
    spread = {b: np.std(descent.minibatch_descent(X, y, b, 0.1, epochs=40, seed=0).losses[-10:]) for b in (1, 64)}
    assert spread[1] > 10 * spread[64]


@pytest.mark.parametrize("call, phrase", [
    (lambda: descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 0.0), "learning_rate must be a positive"),
    (lambda: descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 0.1, steps=0), "steps must be a positive integer"),
    (lambda: descent.gradient_descent(surfaces.bowl(), [1.0], 0.1), r"shape \(2,\)"),
    (lambda: descent.minibatch_descent(*data.regression(8, seed=0), 9, 0.1), "between 1 and the number"),
    (lambda: data.regression(0, seed=0), "n must be a positive integer"),
])
def test_wrong_input_raises_a_value_error(call, phrase):
    with pytest.raises(ValueError, match=phrase):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: descent.minibatch_descent(*data.regression(8, seed=0), 2.0, 0.1), "batch_size must be a positive integer; got 2.0"),
    (lambda: descent.minibatch_descent(*data.regression(8, seed=0), 2, 0.1, epochs=True), "epochs must be a positive integer; got True"),
    (lambda: descent.minibatch_descent(*data.regression(8, seed=0), 2, float("nan")), "learning_rate must be a positive finite number; got nan"),
    (lambda: descent.minibatch_descent(*data.regression(8, seed=0), 2, 0.1, seed=0.5), "seed must be None (fresh randomness), a non-negative integer or a numpy Generator; got 0.5"),
    (lambda: descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 0.1, steps=10.0), "steps must be a positive integer; got 10.0"),
    (lambda: descent.gradient_descent(surfaces.bowl(), [1.0, np.nan], 0.1), "start contains NaN or inf"),
])
def test_bad_counts_rates_seeds_and_points_get_the_exact_message(call, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        call()


def test_minibatch_runs_without_a_seed_shuffle_differently():
    X, y = data.regression(64, seed=0)
    a, b = (descent.minibatch_descent(X, y, 4, 0.1).path for _ in range(2))
    assert not np.array_equal(a, b)


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

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
