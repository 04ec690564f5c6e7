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
    assert _caption("elongated bowl", 0.1) == "Elongated bowl, α = 0.1: not converged after 150 steps, zig-zagging."
    assert _caption("elongated bowl", 0.02).startswith("Elongated bowl, α = 0.02: not converged after 150 steps")
    assert _caption("saddle", 0.02) == "Saddle, α = 0.02: not converged after 150 steps (ℒ: 32.5 → -0.5)."
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
    # the largest stable rate of 2 θ1² + 8 θ2²
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
