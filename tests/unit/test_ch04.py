"""Chapter 4 (gradient descent): its figures on what they draw, its demos, its checkers."""

import math

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nnbook import data, descent, plotting, surfaces
from nnbook.book import ch04_gradient_descent as ch04

from .figures import texts_outside_canvas

# --- figures: what they draw ------------------------------------------------------------------


def _line_data(ax):
    return [np.asarray(line.get_xydata(), dtype=float) for line in ax.get_lines()]


def _contains_line(ax, expected):
    expected = np.asarray(expected, dtype=float)
    return any(d.shape == expected.shape and np.allclose(d, expected) for d in _line_data(ax))


@pytest.mark.parametrize("surface, rate, start", [
    ("bowl", 0.1, (1.0, 3.0)), ("elongated bowl", 0.1, (-2.0, 1.5)), ("saddle", 0.02, (1.5, 0.0)),
    ("bowl", 1.05, (1.0, 3.0)), ("Rosenbrock", 1e-3, (-1.5, 2.0))])
def test_learning_rate_figure_draws_the_path_and_the_loss_gap_of_gradient_descent(surface, rate, start):
    figure = ch04.LearningRateFigure.plot(surface=surface, learning_rate=rate, start_x=start[0], start_y=start[1])
    s = surfaces.SURFACES[surface]()
    run = descent.gradient_descent(s, list(start), rate, steps=150, tol=1e-3)
    ax_path, ax_loss = figure.axes
    assert _contains_line(ax_path, run.path)
    gap = np.maximum(run.losses - s.min_loss, 1e-12)
    assert _contains_line(ax_loss, np.column_stack([np.arange(len(gap)), gap]))
    if run.status == "finished":   # the title gives the gap left above the minimum
        assert "not converged in 150 steps" in figure.get_suptitle()
        assert f"ℒ − ℒ* = {run.losses[-1] - s.min_loss:.2g}" in figure.get_suptitle()
    else:
        assert run.verdict in figure.get_suptitle()


def test_learning_rate_figure_in_1d_draws_the_path_on_the_curve():
    figure = ch04.LearningRateFigure.plot(surface="double well (1-D)", learning_rate=0.02, start_x=-1.5, start_y=0.0)
    s = surfaces.double_well(1)
    run = descent.gradient_descent(s, [-1.5], 0.02, steps=150, tol=1e-3)
    ax_path = figure.axes[0]
    assert _contains_line(ax_path, np.column_stack([run.path[:, 0], run.losses]))
    xs = np.linspace(-2, 2, 301)
    assert _contains_line(ax_path, np.column_stack([xs, (xs ** 2 - 1) ** 2 + 0.3 * xs]))


def test_a_diverging_run_keeps_labelled_log_ticks():
    # The reported bug: a frame spanning twelve decades showed no y tick label at all.
    figure = ch04.LearningRateFigure.plot(surface="bowl", learning_rate=1.05, start_x=1.0, start_y=3.0)
    ax_loss = figure.axes[1]
    bottom, top = ax_loss.get_ylim()
    assert math.log10(top / bottom) > 10
    assert len(_visible_tick_labels(figure, ax_loss.yaxis)) >= 3


def _visible_tick_labels(figure, axis):
    FigureCanvasAgg(figure).draw()
    lo, hi = sorted(axis.get_view_interval())
    return [t.get_text() for t, loc in zip(axis.get_ticklabels(), axis.get_majorticklocs())
            if lo * (1 - 1e-9) <= loc <= hi * (1 + 1e-9) and t.get_text()]


@pytest.mark.parametrize("decades", [1, 1.5, 2, 3, 4.5, 7, 10, 12, 16, 20, 25, 30])
@pytest.mark.parametrize("bottom", [3.7e-13, 1e-3, 0.25])
def test_every_log_axis_range_of_1_to_30_decades_has_labelled_ticks(decades, bottom):
    figure = Figure(figsize=(4, 3))
    ax = figure.add_subplot()
    ax.set_yscale("log")
    ax.plot([0, 1], [bottom, bottom * 10 ** decades])
    plotting.fast_axes(ax)
    ax.set_ylim(bottom, bottom * 10 ** decades)
    labels = _visible_tick_labels(figure, ax.yaxis)
    assert 2 <= len(labels) <= 8, labels
    assert len(set(labels)) == len(labels)


def test_log_ticks_are_1_2_5_on_short_ranges_and_spaced_powers_on_long_ones():
    ticks = plotting.LogTicks()
    np.testing.assert_allclose(ticks.tick_values(1e-3, 1e-2), [1e-3, 2e-3, 5e-3, 1e-2])
    np.testing.assert_allclose(ticks.tick_values(1.0, 1e12), [1, 1e2, 1e4, 1e6, 1e8, 1e10, 1e12])
    np.testing.assert_allclose(ticks.tick_values(1.0, 1e30), [1, 1e5, 1e10, 1e15, 1e20, 1e25, 1e30])


def test_the_log_axis_label_clears_its_widest_tick_labels():
    figure = ch04.LearningRateFigure.plot(surface="Rosenbrock", learning_rate=1e-4, start_x=-1.5, start_y=2.0)
    ax_loss = figure.axes[1]
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.canvas.draw()
    label = next(t for t in ax_loss.texts if t.get_rotation() == 90)
    box = label.get_window_extent(renderer)
    for tick in ax_loss.yaxis.get_ticklabels():
        if tick.get_text():
            assert not box.overlaps(tick.get_window_extent(renderer)), tick.get_text()


def test_plot_contours_levels_are_spaced_evenly_in_log_of_the_gap():
    bowl = surfaces.bowl()
    _, ax = plotting.new_axes()
    plotting.plot_contours(bowl, ax, n_levels=12)
    # The bowl's box is [-3.2, 3.2]^2: the gap on the 121 x 121 grid is x^2 + y^2.
    xs = np.linspace(-3.2, 3.2, 121)
    top = np.percentile(xs[:, None] ** 2 + xs[None, :] ** 2, 90)
    contour = ax.collections[0]
    np.testing.assert_allclose(contour.levels, np.geomspace(top * 2e-3, top, 12))
    for level, path in zip(contour.levels, contour.get_paths()):
        radius = np.hypot(*path.vertices.T)
        np.testing.assert_allclose(radius, np.sqrt(level), rtol=2e-2)  # circles x^2 + y^2 = level (grid-interpolated)


def test_saddle_marks_both_minima_alike_with_one_legend_entry():
    _, ax = plotting.new_axes()
    plotting.plot_contours(surfaces.saddle(), ax)
    labels = [text.get_text() for text in ax.legend().get_texts()]
    assert labels == ["minimum", "saddle point"]
    stars = [line for line in ax.get_lines() if line.get_marker() == "*"]
    assert sorted(tuple(line.get_xydata()[0]) for line in stars) == [(0.0, -1.0), (0.0, 1.0)]
    assert {line.get_markerfacecolor() for line in stars} == {plotting.PALETTE["green"]}


def test_double_well_marks_the_local_minimum_apart_from_the_global_one():
    _, ax = plotting.new_axes()
    plotting.plot_contours(surfaces.double_well(), ax)
    assert [text.get_text() for text in ax.legend().get_texts()] == ["minimum", "local minimum", "saddle point"]


def test_worked_example_figure_draws_the_run():
    run = descent.gradient_descent(surfaces.bowl(), [1.0, 3.0], 0.1)
    figure = ch04.plot_gradient_descent(run, surfaces.bowl())
    assert _contains_line(figure.axes[0], run.path)
    assert figure.axes[0].get_title() == "bowl: converged in 40 steps"


def test_plot_runs_draws_each_run_on_its_surface():
    well, saddle = surfaces.double_well(), surfaces.saddle()
    left = descent.gradient_descent(well, [-1.8, 1.5], 0.05, steps=300)
    ridge = descent.gradient_descent(saddle, [1.5, 0.0], 0.1, steps=300)
    figure = ch04.plot_runs([(well, {"from the left": left}), (saddle, {"on the ridge": ridge})])
    assert _contains_line(figure.axes[0], left.path) and _contains_line(figure.axes[1], ridge.path)
    assert np.allclose(ridge.path[-1], [0, 0], atol=1e-3)  # the ridge run stops at the saddle point


def test_plot_runs_dashes_the_second_path_so_a_path_beside_it_stays_visible():
    saddle = surfaces.saddle()
    runs = {f"from (1.5, {n:g})": descent.gradient_descent(saddle, [1.5, n], 0.1, steps=300) for n in [0.0, 0.01]}
    ax = ch04.plot_runs([(saddle, runs)]).axes[0]
    styles = {line.get_label(): line.get_linestyle() for line in ax.get_lines()}
    assert styles["from (1.5, 0)"] == "-" and styles["from (1.5, 0.01)"] == "--"


@pytest.mark.parametrize("name", ["slope", "worked example", "runs", "feature scaling",
                                  "learning_rate frame 0", "batch_size frame 0"])
def test_figures_are_at_most_two_panels_wide_for_a_phone(name):
    """At most 7.2 inches wide: on a 390-pixel screen its 9-point text stays about 7 pixels high."""
    assert FIGURES[name]().get_figwidth() <= 7.2


@pytest.mark.parametrize("make", [lambda: ch04.LearningRateFigure.plot(surface="elongated bowl"),
                                  lambda: ch04.BatchSizeFigure.plot(batch_size=4)])
def test_demo_contours_are_drawn_on_equal_axis_scales(make):
    assert make().axes[0].get_aspect() == 1.0


def test_slope_figure_draws_the_tangent_and_gradient_directions():
    figure = ch04.plot_slope_and_gradients(theta=1.5, ratio=4.0)
    ax_slope, ax_grad = figure.axes
    ts = np.linspace(-3, 3, 200)
    assert _contains_line(ax_slope, np.column_stack([ts, 2.25 + 3.0 * (ts - 1.5)]))  # slope 3 through (1.5, 2.25)
    arrows = ax_grad.collections[-1]
    points, directions = arrows.get_offsets(), np.column_stack([arrows.U, arrows.V])
    gradient = np.column_stack([2 * points[:, 0], 8 * points[:, 1]])  # of θ1² + 4 θ2²
    np.testing.assert_allclose(directions, gradient / np.linalg.norm(gradient, axis=1, keepdims=True))


def test_level_ellipse_points_lie_on_the_level_with_the_expected_half_lengths():
    H = np.array([[2.0, 0.0], [0.0, 8.0]])
    points = ch04.level_ellipse(H, [1.0, -1.0], 1.0)
    d = points - [1.0, -1.0]
    np.testing.assert_allclose(0.5 * np.einsum("ni,ij,nj->n", d, H, d), 1.0)
    np.testing.assert_allclose(np.ptp(points, axis=0), [2.0, 1.0], rtol=1e-3)  # half-lengths 1 and 0.5


def test_condition_number_and_its_portable_rounding():
    assert ch04.condition_number(surfaces.quadratic(np.diag([4.0, 16.0]))) == pytest.approx(4.0)
    assert [ch04.portable(v) for v in (9929.505, 287.749, 22.6352, 1.04356, 11.1958)] == [
        "9,930", "288", "22.6", "1.04", "11.2"]


def _scaling_costs():
    rng = np.random.default_rng(3)
    x = np.column_stack([rng.uniform(1, 6, 40), rng.uniform(0, 60, 40)])
    y = x @ [50.0, -1.5] + 100 + rng.normal(0, 15, 40)
    designs = {"raw": x, "standardised": (x - x.mean(axis=0)) / x.std(axis=0)}
    costs = {name: surfaces.least_squares(np.column_stack([f, np.ones(40)]), y) for name, f in designs.items()}
    runs = {name: descent.gradient_descent(c, np.zeros(3), 1 / np.linalg.eigvalsh(surfaces.hessian(c)).max(),
                                           steps=500, tol=1e-300) for name, c in costs.items()}
    return costs, runs


def test_feature_scaling_figure_draws_level_sets_of_each_cost_on_equal_scales():
    costs, runs = _scaling_costs()
    figure = ch04.plot_feature_scaling(costs, runs)
    for ax, cost in zip(figure.axes, costs.values()):
        H = surfaces.hessian(cost)[1:, 1:]  # over (weight of age, bias)
        center = cost.minimum[1:]
        ellipses = [line.get_xydata() for line in ax.get_lines() if len(line.get_xydata()) > 1]
        assert len(ellipses) == 7
        levels = [0.5 * np.einsum("ni,ij,nj->n", e - center, H, e - center) for e in ellipses]
        for level in levels:
            np.testing.assert_allclose(level, level[0], rtol=1e-9)  # each line is one level set
        np.testing.assert_allclose([lv[0] for lv in levels], np.geomspace(1e-3, 1, 7))
        assert ax.get_aspect() == 1.0
        assert np.ptp(ax.get_xlim()) == pytest.approx(np.ptp(ax.get_ylim()))
    kappa = np.linalg.cond(surfaces.hessian(costs["raw"]))
    assert figure.axes[0].get_title() == f"raw\nκ = {ch04.portable(kappa)}"


def test_feature_scaling_figure_draws_each_runs_gap_per_step():
    costs, runs = _scaling_costs()
    ax = ch04.plot_feature_scaling(costs, runs).axes[-1]
    gap = runs["raw"].losses - costs["raw"].min_loss  # step k drawn at x = k, from step 1
    assert _contains_line(ax, np.column_stack([np.arange(1, len(gap)), gap[1:]]))


def test_batch_size_figure_draws_minibatch_descent_and_batch_descent():
    figure = ch04.BatchSizeFigure.plot(batch_size=4, learning_rate=0.3)
    X, y = data.regression(64, seed=0)
    run = descent.minibatch_descent(X, y, 4, 0.3, epochs=8, seed=0)
    full = descent.minibatch_descent(X, y, 64, 0.3, epochs=8, seed=0)
    ax_path, ax_loss = figure.axes
    assert _contains_line(ax_path, run.path) and _contains_line(ax_path, full.path)
    assert _contains_line(ax_loss, np.column_stack([run.examples / 64, run.losses]))
    assert len(run.path) == 8 * 16 + 1


def test_batch_size_title_counts_updates_in_words():
    figure = ch04.BatchSizeFigure.plot(batch_size=64, learning_rate=0.3)
    assert figure.get_suptitle() == "batch size 64 (batch), α = 0.3:\n1 update per epoch, 8 in 8 epochs, final cost 0.088"
    diverged = ch04.BatchSizeFigure.plot(batch_size=1, learning_rate=0.6)
    assert diverged.get_suptitle() == "batch size 1 (stochastic), α = 0.6:\n64 updates per epoch, diverged in epoch 2"


def _chapter_figures():
    costs, runs = _scaling_costs()
    bowl = surfaces.bowl()
    figures = {
        "slope": ch04.plot_slope_and_gradients,
        "worked example": lambda: ch04.plot_gradient_descent(descent.gradient_descent(bowl, [1, 3], 0.1), bowl),
        "runs": lambda: ch04.plot_runs([(surfaces.saddle(), {
            "a": descent.gradient_descent(surfaces.saddle(), [1.5, 0.01], 0.1, steps=300)})]),
        "feature scaling": lambda: ch04.plot_feature_scaling(costs, runs),
    }
    for name, make in ch04.DEMOS.items():
        demo = make()
        for k, settings in enumerate(demo.frames()):
            figures[f"{name} frame {k}"] = lambda demo=demo, settings=settings: demo.compute(**settings)
    return figures


FIGURES = _chapter_figures()


@pytest.mark.parametrize("name", FIGURES)
def test_no_text_of_a_chapter_figure_falls_outside_its_canvas(name):
    assert texts_outside_canvas(FIGURES[name]()) == []


# --- demos: the previews show what the text asks for -------------------------------------------


def _caption(surface, rate):
    return ch04.learning_rate_caption(surface, rate, 1.0, 3.0)


def test_learning_rate_preview_has_the_settings_the_text_names():
    demo = ch04.learning_rate_demo()
    assert demo.grid == {"surface": ["bowl", "elongated bowl", "saddle", "double well (1-D)"],
                         "learning_rate": [0.001, 0.02, 0.1, 0.5, 0.9, 1.05]}
    assert _caption("bowl", 0.5) == "Bowl, α = 0.5: converged in 1 step at (0.00, 0.00)."
    assert _caption("bowl", 0.1).startswith("Bowl, α = 0.1: converged in 40 steps")
    assert _caption("bowl", 0.9) == "Bowl, α = 0.9: converged in 40 steps at (0.00, 0.00), zig-zagging."
    assert _caption("bowl", 1.05) == "Bowl, α = 1.05: diverged at step 134."
    assert _caption("elongated bowl", 0.1) == "Elongated bowl, α = 0.1: not converged in 150 steps, zig-zagging: ℒ − ℒ* = 90."
    # Issue 23: these two frames had said only "not converged", with the loss 4.8e-6 above the
    # minimum and convergence (by the gradient test) at step 187.
    assert _caption("elongated bowl", 0.02) == ("Elongated bowl, α = 0.02: not converged in 150 steps: "
                                                "ℒ − ℒ* = 4.8e-06 and falling.")
    assert _caption("saddle", 0.02) == "Saddle, α = 0.02: not converged in 150 steps: ℒ − ℒ* = 4.8e-06 and falling."
    assert _caption("saddle", 0.1) == "Saddle, α = 0.1: converged in 35 steps at (0.00, -1.00)."
    assert _caption("double well (1-D)", 0.1) == (
        "Double well (1-D), α = 0.1: converged in 5 steps at θ = 0.96, not the lowest point.")


def test_batch_size_preview_captions():
    assert ch04.batch_size_caption(64, 0.02) == "Batch size 64, α = 0.02: 1 update per epoch, final cost 2.857."
    assert ch04.batch_size_caption(1, 0.6) == "Batch size 1, α = 0.6: 64 updates per epoch, diverged."
    assert ch04.batch_size_caption(16, 0.1) == "Batch size 16, α = 0.1: 4 updates per epoch, final cost 0.087."


def test_demo_controls_are_labelled():
    for make in ch04.DEMOS.values():
        for name, control in make().controls.items():
            assert control.description, name


# --- checkers -----------------------------------------------------------------------------------


RIGHT_ANSWERS = {
    "two-steps": lambda: ch04.check_two_steps(np.array([1.5, 0.4]), np.array([1.16, 0.09])),
    "two-steps-lists": lambda: ch04.check_two_steps([1.5, 0.4], (1.16, 0.09)),
    "largest-stable-rate": lambda: ch04.check_largest_stable_rate(0.125),
    "iterations-ceil": lambda: ch04.check_iterations_per_epoch(lambda n, b: math.ceil(n / b)),
    "iterations-floor-division-trick": lambda: ch04.check_iterations_per_epoch(lambda n, b: -(-n // b)),
    "standardise": lambda: ch04.check_standardise(lambda X: (X - X.mean(axis=0)) / X.std(axis=0)),
    "kappa-from-correlation": lambda: ch04.check_kappa_from_correlation(4.0),
}

WRONG_ANSWERS = {
    # two steps by hand on L = θ1² + θ1θ2 + 2θ2² from (2, 1), α = 0.1
    "steps-uphill": (lambda: ch04.check_two_steps([2.5, 1.6], [3.16, 2.49]), "stepped uphill"),
    "steps-no-cross-term": (lambda: ch04.check_two_steps([1.6, 0.6], [1.28, 0.36]), "cross term"),
    "steps-derivative-of-2θ2²": (lambda: ch04.check_two_steps([1.5, 0.6], [1.2, 0.3]), "4θ₂, not 2θ₂"),
    "steps-derivative-of-θ1²": (lambda: ch04.check_two_steps([1.7, 0.4], [1.2, 0.3]), "2θ₁, not θ₁"),
    "steps-stale-gradient": (lambda: ch04.check_two_steps([1.5, 0.4], [1.0, -0.2]), "reuses the gradient"),
    "steps-second-no-cross": (lambda: ch04.check_two_steps([1.5, 0.4], [1.2, 0.24]), "cross term"),
    "steps-second-other": (lambda: ch04.check_two_steps([1.5, 0.4], [1.0, 0.0]), "at theta_1"),
    "steps-first-other": (lambda: ch04.check_two_steps([1.0, 0.0], [1.0, 0.0]), "gradient at (2, 1)"),
    "steps-skeleton": (lambda: ch04.check_two_steps(..., ...), "two numbers"),
    "steps-three-numbers": (lambda: ch04.check_two_steps([1.5, 0.4, 0.0], [1.16, 0.09]), "two numbers"),
    # feature scaling: standardise, and kappa of two correlated standardised features
    "standardise-rows": (lambda: ch04.check_standardise(lambda X: (X - X.mean(axis=1, keepdims=True))
                                                        / X.std(axis=1, keepdims=True)), "standardises each row"),
    "standardise-min-max": (lambda: ch04.check_standardise(lambda X: (X - X.min(axis=0)) / np.ptp(X, axis=0)),
                            "that is min-max scaling"),
    "kappa-inverted": (lambda: ch04.check_kappa_from_correlation(0.25), "lambda_min / lambda_max"),
    "kappa-close": (lambda: ch04.check_kappa_from_correlation(3.8), "close, but not it"),
    # the stability threshold of 2 θ1² + 8 θ2²
    "rate-smaller-curvature": (lambda: ch04.check_largest_stable_rate(0.5), "steepest"),
    "rate-coefficient-not-curvature": (lambda: ch04.check_largest_stable_rate(0.25), "coefficient 8"),
    "rate-one-over-curvature": (lambda: ch04.check_largest_stable_rate(1 / 16), "zig-zags"),
    "rate-too-small": (lambda: ch04.check_largest_stable_rate(0.1), "larger one"),
    "rate-too-large": (lambda: ch04.check_largest_stable_rate(0.2), "diverges"),
    "rate-negative": (lambda: ch04.check_largest_stable_rate(-0.125), "positive"),
    "rate-skeleton": (lambda: ch04.check_largest_stable_rate(...), "one number"),
    # iterations in an epoch
    "epochs-floor": (lambda: ch04.check_iterations_per_epoch(lambda n, b: n // b), "one more update"),
    "epochs-true-division": (lambda: ch04.check_iterations_per_epoch(lambda n, b: n / b), "fraction"),
    "epochs-batch-size": (lambda: ch04.check_iterations_per_epoch(lambda n, b: b), "batch size"),
    "epochs-round": (lambda: ch04.check_iterations_per_epoch(lambda n, b: round(n / b)), "one more update"),
    "epochs-None": (lambda: ch04.check_iterations_per_epoch(lambda n, b: None), "return"),
    "epochs-raises": (lambda: ch04.check_iterations_per_epoch(lambda n, b: n / 0), "ZeroDivisionError"),
}


# The tables are swept by tests/unit/test_checks.py (ticks, diagnoses, distinct messages).


def test_two_steps_expected_points_are_the_hand_worked_ones():
    # L = θ1² + θ1θ2 + 2θ2²: gradient (2θ1 + θ2, θ1 + 4θ2); (5, 6) at (2, 1), (3.4, 3.1) at (1.5, 0.4).
    np.testing.assert_allclose(ch04.two_steps_loss_gradient([2.0, 1.0]), [5.0, 6.0])
    np.testing.assert_allclose(ch04.two_steps_loss_gradient([1.5, 0.4]), [3.4, 3.1])


def test_iterations_checker_rejects_a_non_callable():
    with pytest.raises(TypeError, match="without calling it"):
        ch04.check_iterations_per_epoch(0.1)


# --- experiments over seeds and batch sizes ----------------------------------------------------

def test_house_prices_seed_0_is_the_chapters_data():
    rng = np.random.default_rng(0)
    rooms, age = rng.integers(1, 7, 50).astype(float), rng.uniform(0, 60, 50)
    price = 50 * rooms - 1.5 * age + 100 + rng.normal(0, 15, 50)
    features, prices = ch04.house_prices()
    np.testing.assert_array_equal(features, np.column_stack([rooms, age]))
    np.testing.assert_array_equal(prices, price)


@pytest.mark.parametrize("seed", range(6))
def test_standardised_kappa_is_one_plus_r_over_one_minus_r(seed):
    raw, price = ch04.house_prices(seed=seed)
    x = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    r = np.corrcoef(raw.T)[0, 1]
    cost = surfaces.least_squares(np.column_stack([x, np.ones(len(x))]), price)
    assert ch04.condition_number(cost) == pytest.approx((1 + abs(r)) / (1 - abs(r)), rel=1e-9)


def test_steps_to_reach_counts_one_step_for_a_round_bowl_and_none_when_too_few():
    X = np.column_stack([np.array([1.0, -1.0, 1.0, -1.0]), np.array([1.0, 1.0, -1.0, -1.0]), np.ones(4)])
    round_cost = surfaces.least_squares(X, np.array([1.0, 2.0, 3.0, 5.0]))
    assert ch04.steps_to_reach(round_cost) == 1
    raw, price = ch04.house_prices()
    assert ch04.steps_to_reach(surfaces.least_squares(np.column_stack([raw, np.ones(50)]), price), max_steps=50) is None


def test_predicted_steps_is_kappa_log_over_two_for_large_kappa():
    assert ch04.predicted_steps(1000.0) == pytest.approx(1000 * np.log(1e6) / 2, rel=1e-3)
    assert ch04.predicted_steps(1.0) == 1.0


def test_minibatch_gradient_noise_matches_its_formula_and_vanishes_for_the_full_batch():
    X, y = data.regression(64, seed=0)
    noise = ch04.minibatch_gradient_noise(X, y, [0.0, 0.0], [1, 4, 16, 64])
    for b in (1, 4, 16):
        predicted, measured = noise[b]
        assert measured == pytest.approx(predicted, rel=0.03)
    assert noise[64][0] == 0 and noise[64][1] < 1e-20
    assert noise[1][0] / noise[4][0] == pytest.approx((63 / 1) / (60 / 4))


def test_minibatch_gradient_noise_uses_the_gradient_of_the_mean_squared_error():
    X, y = data.regression(64, seed=0)
    theta = np.array([0.5, -0.2])
    per_example = np.array([surfaces.least_squares(X[i:i + 1], y[i:i + 1]).gradient(theta) for i in range(64)])
    s2 = per_example.var(axis=0, ddof=1).sum()
    assert ch04.minibatch_gradient_noise(X, y, theta, [8], draws=10)[8][0] == pytest.approx(s2 * 56 / (64 * 8))


# --- checkers: feature scaling -------------------------------------------------------------------

@pytest.mark.parametrize("fn", [lambda X: (X - X.mean(axis=0)) / X.std(axis=0),
                                lambda X: (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)],
                         ids=["numpy-std", "sample-std"])
def test_standardise_accepts_either_standard_deviation(fn):
    assert ch04.check_standardise(fn)


@pytest.mark.parametrize("fn, diagnosis", [
    (lambda X: (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True), "standardises each row"),
    (lambda X: (X - X.min(axis=0)) / np.ptp(X, axis=0), "that is min-max scaling"),
    (lambda X: X - X.mean(axis=0), "only centres"),
    (lambda X: X / X.std(axis=0), "only scales"),
    (lambda X: (X - X.mean(axis=0)) / X.var(axis=0), "divides by the variance"),
    (lambda X: (X - X.mean()) / X.std(), "one mean and one spread for the whole array"),
    (lambda X: X * 0, "expected 0 and 1"),
], ids=["rows", "min-max", "centre-only", "scale-only", "variance", "global", "zeros"])
def test_standardise_diagnoses_each_slip(fn, diagnosis, capsys):
    assert not ch04.check_standardise(fn)
    assert diagnosis in " ".join(capsys.readouterr().out.split())


def test_standardise_refuses_to_change_x_in_place(capsys):
    def in_place(X):
        X -= X.mean(axis=0)
        X /= X.std(axis=0)
        return X

    assert not ch04.check_standardise(in_place)
    assert "changed X in place" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [4, 4.0, np.float64(1.6 / 0.4), 4.01])
def test_kappa_from_correlation_accepts_four(answer):
    assert ch04.check_kappa_from_correlation(answer)


@pytest.mark.parametrize("answer, diagnosis", [
    (0.25, "lambda_min / lambda_max"),
    (1.6, "divides by the bias's eigenvalue"),
    (2.5, "divides the bias's eigenvalue by the smallest"),
    (1.5625, "the eigenvalues of [[1, r], [r, 1]]"),
    (0.6, "the correlation is not the condition number"),
    (3.8, "close, but not it"),
    (10.0, "find its eigenvalues"),
])
def test_kappa_from_correlation_diagnoses_each_slip(answer, diagnosis, capsys):
    assert not ch04.check_kappa_from_correlation(answer)
    assert diagnosis in " ".join(capsys.readouterr().out.split())


def test_kappa_from_correlation_agrees_with_the_hessian():
    r = ch04.KAPPA_CORRELATION
    H = 2 * np.array([[1, r, 0], [r, 1, 0], [0, 0, 1]])
    eigenvalues = np.linalg.eigvalsh(H)
    assert eigenvalues.max() / eigenvalues.min() == pytest.approx((1 + r) / (1 - r))
