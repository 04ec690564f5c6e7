"""Chapter 6 (optimizers): its computations, figures on what they draw, its demos, its checkers."""

import math

import numpy as np
import pytest

from nnbook import optim, surfaces
from nnbook.book import ch06_optimizers as ch06

from .figures import texts_outside_canvas

# --- computations --------------------------------------------------------------------------------


@pytest.mark.parametrize("surface", list(ch06.RACE_STARTS))
@pytest.mark.parametrize("rate", [1e-3, 0.1, 1.0])
def test_race_gives_each_optimizer_the_path_of_its_own_trajectory(surface, rate):
    s = surfaces.SURFACES[surface]()
    runs = ch06.race(tuple(ch06.NAMES), s.gradient, ch06.RACE_STARTS[surface], learning_rate=rate,
                     beta1=0.8, steps=60)
    for name, points in runs.items():
        alone = optim.trajectory(ch06.make_optimizer(name, rate, 0.8), s.gradient,
                                 np.array(ch06.RACE_STARTS[surface]), steps=60)
        assert points.shape == alone.points.shape, name
        np.testing.assert_allclose(points, alone.points, rtol=1e-12, atol=1e-12)


def test_race_keeps_going_runs_after_one_diverges():
    s = surfaces.SURFACES["Rosenbrock"]()
    runs = ch06.race(("sgd", "adam"), s.gradient, (-1.2, 1.0), learning_rate=0.03, steps=50)
    assert len(runs["sgd"]) < 10 and len(runs["adam"]) == 51


def test_beta1_is_momentums_and_adams_first_decay_and_leaves_rmsprop_alone():
    for name in ("momentum", "nesterov", "adam", "amsgrad"):
        assert ch06.make_optimizer(name, 0.1, 0.5).beta1 == 0.5
    assert ch06.make_optimizer("rmsprop", 0.1, 0.5).beta2 == 0.9
    assert ch06.make_optimizer("sgd", 0.1, 0.5).learning_rate == 0.1


def test_best_settings_are_goh_and_polyaks_formulas():
    best = ch06.best_settings(100.0)
    assert best["sgd"] == pytest.approx((2 / 101, 99 / 101))
    assert best["momentum"] == pytest.approx(((2 / 11) ** 2, (9 / 11) ** 2, 9 / 11))


@pytest.mark.parametrize("kappa", [2.0, 30.0, 400.0])
def test_vectorised_distances_are_the_librarys_sgd_and_momentum(kappa):
    bowl = ch06.conditioning_bowl(kappa)
    best = ch06.best_settings(kappa)
    sgd, mom = ch06.distances([kappa], 80)
    start = np.array(ch06.CONDITION_START)
    for curve, opt in ((sgd[0], optim.SGD(best["sgd"][0])),
                       (mom[0], optim.Momentum(best["momentum"][0], best["momentum"][1]))):
        points = optim.trajectory(opt, bowl.gradient, start, steps=80).points
        np.testing.assert_allclose(curve, np.linalg.norm(points, axis=1) / np.linalg.norm(start),
                                   rtol=1e-9, atol=1e-15)


def test_measured_steps_follow_kappa_and_its_square_root():
    table = ch06.condition_table()
    np.testing.assert_allclose(table["sgd"], table["sgd_theory"], rtol=0.05, atol=2)
    # At the best beta momentum's two roots coincide: the distance falls like t r^t, a little
    # slower than r^t, so it needs more steps than the rate says, but not twice as many.
    assert np.all(table["momentum"] >= table["momentum_theory"] - 1)
    assert np.all(table["momentum"] <= 1.6 * table["momentum_theory"] + 3)
    big = table["kappa"] >= 100
    slope = np.polyfit(np.log(table["kappa"][big]), np.log(table["momentum"][big]), 1)[0]
    assert 0.4 < slope < 0.6
    assert table["sgd"][-1] == 6908


def test_steps_to_converge_counts_until_the_curve_stays_below():
    assert ch06.steps_to_converge([1, 1e-3, 1e-7, 2e-6, 1e-8], factor=1e6) == 4
    assert ch06.steps_to_converge([1e-7], factor=1e6) == 0


def test_effective_rates_grow_for_adam_and_not_for_amsgrad():
    gradients = [10.0] + [0.1] * 30
    adam, amsgrad = ch06.effective_rates(gradients, learning_rate=0.01, beta1=0.0, beta2=0.9)
    assert adam[0] == pytest.approx(0.01 / 10)
    assert adam[-1] > 10 * adam[0]
    assert np.all(np.diff(amsgrad) <= 1e-15)


def test_effective_rates_read_the_optimizers_own_state():
    # beta2 = 0.5: s_1 = 0.5 * 4 = 2, s_hat_1 = 4; s_2 = 1 + 0.5 * 1 = 1.5, s_hat_2 = 2.
    adam, amsgrad = ch06.effective_rates([2.0, 1.0], learning_rate=1.0, beta1=0.0, beta2=0.5)
    np.testing.assert_allclose(adam, [0.5, 1 / math.sqrt(2)])
    np.testing.assert_allclose(amsgrad, [1 / math.sqrt(2), 1 / math.sqrt(2)])  # the largest s: 2


def test_noisy_gradient_is_seeded():
    f = surfaces.double_well().gradient
    a, b = ch06.noisy(f, 1.0, seed=3), ch06.noisy(f, 1.0, seed=3)
    np.testing.assert_array_equal(a(np.zeros(2)), b(np.zeros(2)))
    assert not np.array_equal(a(np.zeros(2)), a(np.zeros(2)))


def test_train_moons_is_reproducible_and_follows_a_schedule():
    a = ch06.train_moons(optim.SGD(0.1), epochs=3)
    b = ch06.train_moons(optim.SGD(0.1), epochs=3)
    np.testing.assert_array_equal(a[0], b[0])
    assert a[1] == b[1] and 0 <= a[1] <= 1
    seen = []
    opt = optim.SGD(0.1)
    ch06.train_moons(opt, epochs=3, schedule=lambda t: seen.append(t) or 0.1 / (t + 1))
    assert seen == [0, 1, 2, 3] and opt.learning_rate == 0.1 / 4


# --- figures: what they draw ---------------------------------------------------------------------


def _lines(ax):
    return [np.asarray(line.get_xydata(), dtype=float) for line in ax.get_lines()]


def _contains(ax, expected):
    expected = np.asarray(expected, dtype=float)
    return any(d.shape == expected.shape and np.allclose(d, expected) for d in _lines(ax))


@pytest.mark.parametrize("surface", list(ch06.RACE_STARTS))
def test_race_figure_draws_each_path_and_its_loss_gap(surface):
    figure = ch06.RaceFigure.plot(surface=surface, optimizers="all seven", learning_rate=0.01, beta=0.9)
    s = surfaces.SURFACES[surface]()
    ax_path, ax_loss = figure.axes
    for name in ch06.NAMES:
        points = optim.trajectory(ch06.make_optimizer(name, 0.01, 0.9), s.gradient,
                                  np.array(ch06.RACE_STARTS[surface]), steps=ch06.RACE_STEPS).points
        assert _contains(ax_path, points), name
        gap = np.clip(s.loss(points) - s.min_loss, 1e-12, None)
        assert _contains(ax_loss, np.column_stack([np.arange(len(gap)), gap])), name


def test_race_figure_draws_only_the_chosen_set():
    figure = ch06.RaceFigure.plot(surface="saddle", optimizers="Adam vs AMSGrad", learning_rate=0.01, beta=0.9)
    drawn = [line for line in figure.axes[0].get_lines()[-len(ch06.NAMES):] if len(line.get_xdata())]
    assert len(drawn) == 2
    labels = [t.get_text() for t in figure.axes[1].texts if t.get_text().startswith(("Adam", "AMSGrad"))]
    assert len(labels) == 2


def test_race_verdicts_in_words():
    well = surfaces.double_well()
    runs = ch06.race_runs("double well", "SGD, momentum, Adam", 0.01, 0.9)
    assert ch06.race_verdict(runs["sgd"], well) == "stuck at the local minimum"
    assert ch06.race_verdict(runs["momentum"], well).startswith("at the minimum from step")
    runs = ch06.race_runs("Rosenbrock", "SGD, momentum, Adam", 0.03, 0.9)
    assert ch06.race_verdict(runs["sgd"], surfaces.rosenbrock()).startswith("diverged at step")


def test_condition_figure_draws_both_curves_and_marks_kappa():
    figure = ch06.ConditionFigure.plot(kappa=30.0)
    sgd, mom = ch06.distances([30.0], ch06.CONDITION_SHOWN_STEPS)
    ax_d, ax_s = figure.axes
    steps = np.arange(ch06.CONDITION_SHOWN_STEPS + 1)
    for curve in (sgd[0], mom[0]):
        shown = curve > 1e-8
        assert _contains(ax_d, np.column_stack([steps[shown], curve[shown]]))
    table = ch06.condition_table()
    assert _contains(ax_s, np.column_stack([table["kappa"], table["sgd"]]))
    assert _contains(ax_s, np.column_stack([table["kappa"], table["momentum_theory"]]))
    assert "κ = 30" in figure.get_suptitle()


def test_family_tree_has_seven_boxes_and_eight_arrows():
    figure = ch06.plot_family_tree()
    ax = figure.axes[0]
    names = {t.get_text() for t in ax.texts}
    assert set(ch06.NAMES.values()) <= names
    arrows = [p for p in ax.patches if type(p).__name__ == "FancyArrowPatch"]
    assert len(arrows) == 7  # SGD→momentum→Nesterov, SGD→AdaGrad→RMSprop, both→Adam→AMSGrad


def _figures():
    gradients = [10.0] + [0.1] * 20
    return {
        "family": ch06.plot_family_tree,
        "rates": lambda: ch06.plot_effective_rates(gradients, *ch06.effective_rates(gradients)),
        "schedules": lambda: ch06.plot_schedules({"constant": lambda t: 0.1}, 10, {"constant": [1.0, 0.5]}),
        "paths": lambda: ch06.plot_paths([(surfaces.saddle(), {"a": (np.zeros((3, 2)), "sgd")})]),
        "training": lambda: ch06.plot_training({"sgd": [1.0, 0.5]}, {"sgd": 0.9}),
        "race": lambda: ch06.RaceFigure.plot(surface="double well", optimizers="all seven"),
        "condition": lambda: ch06.ConditionFigure.plot(kappa=1000.0),
    }


@pytest.mark.parametrize("name", list(_figures()))
def test_no_text_of_a_chapter_figure_falls_outside_its_canvas(name):
    assert texts_outside_canvas(_figures()[name]()) == []


# --- demos: previews and captions ----------------------------------------------------------------


def test_race_preview_is_a_grid_of_at_most_25_frames():
    demo = ch06.race_demo()
    assert len(demo.frames()) == 20


def test_race_captions_in_plain_words():
    assert ch06.race_caption("double well", "SGD, momentum, Adam", 0.01, 0.9) == (
        "Double well, α = 0.01: SGD stuck at the local minimum; momentum at the minimum from step 148; "
        "Adam still 0.64 above the minimum.")


def test_condition_caption_measures_and_predicts():
    assert ch06.condition_caption(100.0) == (
        "κ = 100: gradient descent needs 691 steps (theory 691), momentum 93 (theory 69).")


def test_demo_controls_are_labelled():
    for make in ch06.DEMOS.values():
        for name, control in make().controls.items():
            assert control.description, name


# --- checkers ------------------------------------------------------------------------------------


def _right_momentum(w, v, g, alpha, beta):
    v = beta * v - alpha * g
    return w + v, v


RIGHT_ANSWERS = {
    "momentum-step": lambda: ch06.check_momentum_step(_right_momentum),
    "adam-first-step": lambda: ch06.check_adam_first_step(
        [0.5, -20.0, 0.001], [0.25, 400.0, 1e-6], [-0.01, 0.01, -0.0099999]),
    "adam-first-step-sign": lambda: ch06.check_adam_first_step(
        np.array([0.5, -20.0, 0.001]), np.array([0.25, 400.0, 1e-6]), [-0.01, 0.01, -0.01]),
    "momentum-stable-rate": lambda: ch06.check_momentum_stable_rate(0.2375),
    "schedule-value": lambda: ch06.check_schedule_value(0.0853553390593),
}

WRONG_ANSWERS = {
    "momentum-uphill": (lambda: ch06.check_momentum_step(lambda w, v, g, a, b: (w + b * v + a * g, b * v + a * g)),
                        "goes uphill"),
    "momentum-old-velocity": (lambda: ch06.check_momentum_step(lambda w, v, g, a, b: (w + v, b * v - a * g)),
                              "old velocity"),
    "momentum-forgets": (lambda: ch06.check_momentum_step(lambda w, v, g, a, b: (w - a * g, -a * g)),
                         "forgets the old one"),
    "momentum-pytorch-form": (lambda: ch06.check_momentum_step(
        lambda w, v, g, a, b: (w - a * (b * v + g), b * v + g)), "other convention"),
    "momentum-single": (lambda: ch06.check_momentum_step(lambda w, v, g, a, b: w - a * g), "a pair"),
    "momentum-None": (lambda: ch06.check_momentum_step(lambda w, v, g, a, b: None), "return"),
    "adam-m-uncorrected": (lambda: ch06.check_adam_first_step([0.05, -2.0, 0.0001], [0.25, 400, 1e-6],
                                                             [-0.01, 0.01, -0.01]), "before the correction"),
    "adam-s-uncorrected": (lambda: ch06.check_adam_first_step([0.5, -20.0, 0.001], [0.00025, 0.4, 1e-9],
                                                             [-0.01, 0.01, -0.01]), "0.001"),
    "adam-s-not-squared": (lambda: ch06.check_adam_first_step([0.5, -20.0, 0.001], [0.5, 20, 0.001],
                                                             [-0.01, 0.01, -0.01]), "SQUARED"),
    "adam-uphill": (lambda: ch06.check_adam_first_step([0.5, -20.0, 0.001], [0.25, 400, 1e-6],
                                                      [0.01, -0.01, 0.01]), "uphill"),
    "adam-sgd-step": (lambda: ch06.check_adam_first_step([0.5, -20.0, 0.001], [0.25, 400, 1e-6],
                                                        [-0.005, 0.2, -1e-5]), "plain SGD"),
    "adam-skeleton": (lambda: ch06.check_adam_first_step(..., ..., ...), "three numbers"),
    "stable-plain-gd": (lambda: ch06.check_momentum_stable_rate(0.125), "plain gradient descent"),
    "stable-smaller-curvature": (lambda: ch06.check_momentum_stable_rate(0.95), "steepest"),
    "stable-coefficient": (lambda: ch06.check_momentum_stable_rate(0.475), "second derivative"),
    "stable-one-minus-beta": (lambda: ch06.check_momentum_stable_rate(0.0125), "1 + β"),
    "stable-too-large": (lambda: ch06.check_momentum_stable_rate(0.3), "diverges"),
    "stable-skeleton": (lambda: ch06.check_momentum_stable_rate(...), "one number"),
    "schedule-no-warmup": (lambda: ch06.check_schedule_value(0.05 * (1 + math.cos(math.pi * 35 / 110))),
                           "left the warm-up out"),
    "schedule-total-not-shortened": (lambda: ch06.check_schedule_value(0.05 * (1 + math.cos(math.pi * 25 / 110))),
                                     "not 110"),
    "schedule-not-shifted": (lambda: ch06.check_schedule_value(0.05 * (1 + math.cos(math.pi * 35 / 100))),
                             "t − 10"),
    "schedule-plain-cosine": (lambda: ch06.check_schedule_value(0.1 * math.cos(math.pi / 4)), "never below"),
    "schedule-skeleton": (lambda: ch06.check_schedule_value(...), "one number"),
}


# The tables are swept by tests/unit/test_checks.py (ticks, diagnoses, distinct messages).


def test_checker_answers_are_the_librarys():
    params = {"w": np.zeros(3)}
    adam = optim.Adam(**ch06.ADAM_SETTINGS)
    adam.step(params, {"w": ch06.ADAM_GRADIENT.copy()})
    np.testing.assert_allclose(params["w"], [-0.01, 0.01, -0.0099999], rtol=1e-6)
    assert optim.warmup_cosine(35, initial=0.1, warmup=10, total=110) == pytest.approx(0.0853553390593)
    w, v = {"w": np.array([1.0, -2.0])}, optim.Momentum(0.1, 0.9)
    v.step(w, {"w": np.array([0.5, 4.0])})
    np.testing.assert_allclose(w["w"], [0.95, -2.4])


def test_momentum_on_the_stability_exercise_diverges_just_above_the_answer():
    bowl = surfaces.quadratic(np.diag([4.0, 16.0]))
    for rate, diverges in ((0.99 * 0.2375, False), (1.01 * 0.2375, True)):
        run = optim.trajectory(optim.Momentum(rate, 0.9), bowl.gradient, np.array([1.0, 1.0]), steps=3000)
        assert run.diverged == diverges or (not diverges and np.abs(run.points[-1]).max() < 1e-3)


def test_momentum_step_checker_rejects_a_non_callable():
    with pytest.raises(TypeError, match="without calling it"):
        ch06.check_momentum_step(0.1)
