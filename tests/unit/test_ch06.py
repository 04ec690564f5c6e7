"""Chapter 6 (optimizers): its computations, figures on what they draw, its demos, its checkers."""

import math

import matplotlib as mpl
import numpy as np
import pytest

from nnbook import optim, surfaces, training
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


def test_matched_rates_give_momentum_and_nesterov_alpha_times_one_minus_beta():
    for name in ("momentum", "nesterov"):
        assert ch06.make_optimizer(name, 0.1, 0.9, matched=True).learning_rate == pytest.approx(0.01)
        assert ch06.make_optimizer(name, 0.1, 0.9).learning_rate == 0.1
    for name in ("sgd", "adagrad", "rmsprop", "adam", "amsgrad"):
        assert ch06.make_optimizer(name, 0.1, 0.9, matched=True).learning_rate == 0.1


def test_momentum_at_a_matched_rate_moves_like_sgd_on_a_steady_slope():
    # g = 1 at every step: momentum's steps tend to alpha / (1 - beta), SGD's at that rate are alpha.
    w, opt = {"w": np.zeros(1)}, ch06.make_optimizer("momentum", 0.5, 0.9, matched=True)
    for _ in range(300):
        before = w["w"].copy()
        opt.step(w, {"w": np.ones(1)})
    assert before[0] - w["w"][0] == pytest.approx(0.5, rel=1e-9)


def test_race_runs_matched_rates_and_rejects_an_unknown_setting():
    same = ch06.race_runs("saddle", "SGD, momentum, Adam", 0.1, 0.9, "same α")
    matched = ch06.race_runs("saddle", "SGD, momentum, Adam", 0.1, 0.9, "same effective rate")
    np.testing.assert_array_equal(same["sgd"], matched["sgd"])
    np.testing.assert_array_equal(same["adam"], matched["adam"])
    s = surfaces.saddle()
    alone = optim.trajectory(optim.Momentum(0.1 * (1 - 0.9), 0.9), s.gradient,
                             np.array(ch06.RACE_STARTS["saddle"]), steps=ch06.RACE_STEPS).points
    np.testing.assert_allclose(matched["momentum"], alone, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="rates must be one of"):
        ch06.race_runs("saddle", "SGD, momentum, Adam", 0.1, 0.9, "same")


def test_at_matched_effective_rates_sgd_leaves_the_saddle_before_momentum():
    s = surfaces.saddle()

    def leaves(name, rate, matched):
        opt = ch06.make_optimizer(name, rate, 0.9, matched=matched)
        points = optim.trajectory(opt, s.gradient, np.array([1.8, 0.001]), steps=1000).points
        return np.flatnonzero(s.loss(points) < -0.25)[0]
    for rate in (0.01, 0.1):
        assert leaves("momentum", rate, False) < leaves("sgd", rate, False) < leaves("momentum", rate, True)


def test_on_the_double_well_momentum_crosses_the_hump_where_stable_sgd_cannot():
    well = surfaces.double_well()

    def global_end(name, rate):
        run = optim.trajectory(ch06.make_optimizer(name, rate, 0.9, matched=True), well.gradient,
                               np.array([1.8, 1.5]), steps=2000)
        return not run.diverged and ch06.in_global_basin(well, run.points[-1])
    assert global_end("momentum", 0.1) and not global_end("sgd", 0.1)
    assert not global_end("adam", 0.1)


def test_effective_rates_grow_for_adam_and_corrected_amsgrad_but_not_for_algorithm_2():
    gradients = [10.0] + [0.1] * 30
    rates = ch06.effective_rates(gradients, learning_rate=0.01, beta1=0.0, beta2=0.9)
    assert set(rates) == {key for key, _ in ch06.RATE_CURVES}
    assert rates["adam"][0] == pytest.approx(0.01 / 10)
    assert rates["adam"][-1] > 10 * rates["adam"][0]
    assert np.all(np.diff(rates["amsgrad"]) <= 1e-15)
    assert rates["amsgrad_corrected"][-1] > 2 * rates["amsgrad_corrected"][0]


def test_effective_rates_read_the_optimizers_own_state():
    # beta2 = 0.5: s_1 = 0.5 * 4 = 2, s_hat_1 = 4; s_2 = 1 + 0.5 * 1 = 1.5, s_hat_2 = 2.
    rates = ch06.effective_rates([2.0, 1.0], learning_rate=1.0, beta1=0.0, beta2=0.5)
    np.testing.assert_allclose(rates["adam"], [0.5, 1 / math.sqrt(2)])
    np.testing.assert_allclose(rates["amsgrad"], [1 / math.sqrt(2), 1 / math.sqrt(2)])  # the largest s: 2
    # corrected: the largest s over 1 - 0.5^t: 2 / 0.5 = 4, then 2 / 0.75
    np.testing.assert_allclose(rates["amsgrad_corrected"], [0.5, math.sqrt(0.75 / 2)])


def test_reddi_counterexample_defeats_adam_only_with_its_settings():
    beta2 = 1 / (1 + ch06.REDDI_C ** 2)
    assert ch06.reddi_run(optim.Adam(1.0, 0.0, beta2), steps=600)[-1] > 0.99
    assert ch06.reddi_run(optim.AMSGrad(1.0, 0.0, beta2), steps=600)[-1] < -0.95
    assert ch06.reddi_run(optim.Adam(1.0), steps=600)[-1] < -0.99


def test_reddi_run_steps_with_the_decaying_rate_and_projects():
    xs = ch06.reddi_run(optim.SGD(1.0), steps=4, C=3.0, alpha=0.5)
    # x = 0; t = 1: g = 3, step 0.5 * 3: -1.5, projected to -1; t = 2, 3: g = -1; t = 4: g = 3 again
    expected = [-1.0, -1.0 + 0.5 / math.sqrt(2)]
    expected.append(expected[-1] + 0.5 / math.sqrt(3))
    expected.append(max(-1.0, expected[-1] - 0.5 / 2 * 3))
    np.testing.assert_allclose(xs, expected)


def test_temperature_and_the_boltzmann_share_agree_with_scipy():
    from scipy.integrate import quad

    assert ch06.temperature(0.01, 10.0) == pytest.approx(0.5)
    well = surfaces.double_well(dim=1)
    hump = well.stationary["hump"][0]

    def density(x):
        return math.exp(-(float(well.loss(np.array([[x]]))[0]) - well.min_loss) / 0.5)
    left, right = quad(density, -3, hump)[0], quad(density, hump, 3)[0]
    assert ch06.boltzmann_share(0.5) == pytest.approx(left / (left + right), rel=1e-4)
    assert ch06.boltzmann_share(0.05) > 0.99 > ch06.boltzmann_share(2.0) > 0.5


def test_noise_shares_are_seeded_and_count_runs_by_valley():
    sigmas = {"none": np.zeros(200), "loud": np.full(200, 20.0)}
    a = ch06.noise_shares(sigmas, horizons=(0, 200), seed=3)
    b = ch06.noise_shares(sigmas, horizons=(0, 200), seed=3)
    for name in sigmas:
        for h in (0, 200):
            assert a[name][h].shape == (ch06.NOISE_GROUPS,)
            np.testing.assert_array_equal(a[name][h], b[name][h])
    assert np.all(a["none"][200] == 0) and np.all(a["loud"][0] == 0)   # no noise, or no time: no move
    assert np.all(a["loud"][200] > 0.3)


def test_plateau_exit_and_spread():
    assert ch06.plateau_exit([0.3, 0.31, 0.24, 0.1]) == 3
    assert ch06.plateau_exit([0.3, 0.3]) == math.inf
    assert ch06.spread([3, 1, 2]) == "2.000 (1.000–3.000)"
    assert ch06.spread([5, math.inf, math.inf], "{:.0f}", horizon=40) == ">40 (5–>40)"


def test_train_moons_is_reproducible_and_follows_a_schedule():
    a = ch06.train_moons(optim.SGD(0.1), epochs=3)
    b = ch06.train_moons(optim.SGD(0.1), epochs=3)
    np.testing.assert_array_equal(a[0], b[0])
    assert a[1] == b[1] and 0 <= a[1] <= 1
    seen = []
    opt = optim.SGD(0.1)
    ch06.train_moons(opt, epochs=3, schedule=lambda t: seen.append(t) or 0.1 / (t + 1))
    assert seen == [0, 1, 2, 3] and opt.learning_rate == 0.1 / 4


def test_train_moons_measures_accuracy_on_the_held_out_points():
    X, y, X_out, y_out = ch06.moons_split()
    assert X.shape == (ch06.TRAIN_N, 2) and X_out.shape == (ch06.MOONS["n"] - ch06.TRAIN_N, 2)
    network = training.mlp(ch06.TRAIN_SIZES, seed=2)
    training.fit(network, X, y[:, None], loss="binary_cross_entropy_from_logits", epochs=2,
                 batch_size=ch06.TRAIN_BATCH, seed=2, optimizer=optim.Adam(0.01))
    expected = np.mean((network.forward(X_out)[:, 0] > 0) == (y_out == 1))
    assert ch06.train_moons(optim.Adam(0.01), epochs=2, seed=2)[1] == expected


def test_train_seeds_gives_one_row_per_seed_and_a_fresh_optimizer_each():
    made = []

    def make():
        made.append(optim.SGD(0.1))
        return made[-1]
    losses, accuracies = ch06.train_seeds(make, epochs=2, seeds=(1, 2))
    assert losses.shape == (2, 2) and accuracies.shape == (2,) and len({id(o) for o in made}) == 2
    np.testing.assert_array_equal(losses[1], ch06.train_moons(optim.SGD(0.1), epochs=2, seed=2)[0])


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
    two_seeds = np.array([[1.0, 0.5, 0.2], [0.8, 0.4, 0.3]])
    return {
        "family": ch06.plot_family_tree,
        "rates": lambda: ch06.plot_effective_rates(gradients, ch06.effective_rates(gradients)),
        "schedules": lambda: ch06.plot_schedules({"constant": lambda t: 0.1}, 10, {"constant": two_seeds}),
        "paths": lambda: ch06.plot_paths([(surfaces.saddle(), {"a": (np.zeros((3, 2)), "sgd")})]),
        "training": lambda: ch06.plot_training({"SGD, α = 0.1": (two_seeds, [0.9, 0.8], ch06.STYLES["sgd"])}),
        "race": lambda: ch06.RaceFigure.plot(surface="double well", optimizers="all seven"),
        "race-matched": lambda: ch06.RaceFigure.plot(surface="saddle", learning_rate=0.1, rates="same effective rate"),
        "condition": lambda: ch06.ConditionFigure.plot(kappa=1000.0),
    }


@pytest.mark.parametrize("name", list(_figures()))
def test_no_text_of_a_chapter_figure_falls_outside_its_canvas(name):
    assert texts_outside_canvas(_figures()[name]()) == []


def test_effective_rates_figure_draws_the_three_rates():
    gradients = [10.0] + [0.1] * 20
    rates = ch06.effective_rates(gradients)
    figure = ch06.plot_effective_rates(gradients, rates)
    steps = np.arange(1, len(gradients) + 1)
    for key, _ in ch06.RATE_CURVES:
        assert _contains(figure.axes[1], np.column_stack([steps, rates[key]])), key
    assert [t.get_text() for t in figure.axes[1].get_legend().get_texts()] == [label for _, label in ch06.RATE_CURVES]


def test_training_figure_draws_the_median_over_seeds_and_the_range():
    losses = np.array([[1.0, 0.5, 0.2], [0.8, 0.4, 0.3], [0.9, 0.6, 0.1]])
    figure = ch06.plot_training({"Adam": (losses, [0.9, 0.8, 0.95], ch06.STYLES["adam"])})
    assert _contains(figure.axes[0], [[1, 0.9], [2, 0.5], [3, 0.2]])
    bar = figure.axes[1].patches[0]
    assert bar.get_width() == pytest.approx(90.0)
    whisker = figure.axes[1].collections[0].get_segments()[0]
    np.testing.assert_allclose(whisker[:, 0], [80.0, 95.0])


def test_schedules_figure_uses_no_optimizers_colour():
    figure = ch06.plot_schedules({f"s{k}": (lambda t: 0.1) for k in range(5)}, 5)
    optimizer_colours = {mpl.colors.to_hex(style["color"]) for style in ch06.STYLES.values()}
    drawn = {mpl.colors.to_hex(line.get_color()) for line in figure.axes[0].get_lines()}
    assert len(drawn) == 5 and not drawn & optimizer_colours


# --- demos: previews and captions ----------------------------------------------------------------


def test_race_preview_shows_both_rate_settings_on_every_surface():
    demo = ch06.race_demo()
    frames = demo.frames()
    assert len(frames) == 32
    assert {(f["surface"], f["rates"]) for f in frames} == {(s, r) for s in ch06.RACE_STARTS for r in ch06.RACE_RATES}


def test_race_captions_in_plain_words():
    assert ch06.race_caption("double well", "SGD, momentum, Adam", 0.01, 0.9) == (
        "Double well, α = 0.01: SGD stuck at the local minimum; momentum at the minimum from step 148; "
        "Adam still 0.64 above the minimum.")
    assert ch06.race_caption("saddle", "SGD, momentum, Adam", 0.1, 0.9, "same effective rate") == (
        "Saddle, effective rate 0.1 for all (momentum's α = 0.01): SGD left the saddle at step 23, at the "
        "minimum from 39; momentum left the saddle at step 44, at the minimum from 158; Adam left "
        "the saddle at step 16, at the minimum from 137.")
    # leaving (below halfway from the saddle point to the minima) is not settling: the order differs
    assert ch06.race_caption("saddle", "SGD, momentum, Adam", 0.01, 0.9) == (
        "Saddle, α = 0.01: SGD still 0.31 above the minimum; momentum left the saddle at step 44, at the "
        "minimum from 158; Adam left the saddle at step 168, still 0.13 above.")


def test_race_says_diverging_when_the_loss_is_rising_inside_the_bound():
    # On the valley (curvature 20) SGD at 0.101 grows by |1 - 2.02| = 1.02 per step: not yet past the bound.
    runs = ch06.race_runs("elongated bowl", "SGD, momentum, Adam", 0.101, 0.9)
    assert len(runs["sgd"]) == ch06.RACE_STEPS + 1
    assert ch06.race_verdict(runs["sgd"], surfaces.SURFACES["elongated bowl"]()).startswith("diverging: ")


def test_race_title_names_the_rate_setting():
    figure = ch06.RaceFigure.plot(surface="saddle", learning_rate=0.1, rates="same effective rate")
    assert "effective rate 0.1 (momentum's α: 0.01)" in figure.texts[-1].get_text() + figure.get_suptitle()


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


def _in_place_momentum(w, v, g, alpha, beta):
    v *= beta
    v -= alpha * g
    w += v
    return w, v


def _buggy_adam():
    namespace = {"np": np}
    exec(ch06.BUGGY_ADAM_SOURCE, namespace)
    return namespace["buggy_adam"]


def _adam(first=1, root_eps=False, correct=True, in_place=False):
    """A learner's Adam with the given slips (as the exercise's buggy one has some)."""
    def adam(w, gradients, alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
        if not in_place:
            w = w.copy()
        m, s = np.zeros_like(w), np.zeros_like(w)
        with np.errstate(divide="ignore", invalid="ignore"):
            for t, g in enumerate(gradients, start=first):
                m = beta1 * m + (1 - beta1) * g
                s = beta2 * s + (1 - beta2) * g ** 2
                m_hat, s_hat = (m / (1 - beta1 ** t), s / (1 - beta2 ** t)) if correct else (m, s)
                w -= alpha * m_hat / (np.sqrt(s_hat + eps) if root_eps else np.sqrt(s_hat) + eps)
        return w
    return adam


RIGHT_ANSWERS = {
    "momentum-step": lambda: ch06.check_momentum_step(_right_momentum),
    "adam": lambda: ch06.check_adam(_adam()),
    "adam-reference": lambda: ch06.check_adam(ch06.adam_reference),
    "stable-rate": lambda: ch06.check_momentum_stable_rate(lambda lam, b: 2 * (1 + b) / max(lam)),
    "schedule-value": lambda: ch06.check_schedule_value(0.0853553390593),
    "schedule-value-by-hand": lambda: ch06.check_schedule_value(0.0854),
    "schedule-value-six-digits": lambda: ch06.check_schedule_value(0.085355),
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
    "momentum-in-place": (lambda: ch06.check_momentum_step(_in_place_momentum), "changed the w it was given"),
    "momentum-velocity-in-place": (lambda: ch06.check_momentum_step(
        lambda w, v, g, a, b: (w + (v.__imul__(b), v.__isub__(a * g))[1], v)), "changed the v it was given"),
    "momentum-single": (lambda: ch06.check_momentum_step(lambda w, v, g, a, b: w - a * g), "a pair"),
    "momentum-None": (lambda: ch06.check_momentum_step(lambda w, v, g, a, b: None), "return"),
    "adam-buggy-as-given": (lambda: ch06.check_adam(_buggy_adam()), "t starts at 0"),
    "adam-t-from-0": (lambda: ch06.check_adam(_adam(first=0)), "t starts at 0"),
    "adam-eps-in-root": (lambda: ch06.check_adam(_adam(root_eps=True)), "ε is inside the root"),
    "adam-correction-late": (lambda: ch06.check_adam(_adam(first=2)), "one step late"),
    "adam-no-correction": (lambda: ch06.check_adam(_adam(correct=False)), "bias correction is gone"),
    "adam-in-place": (lambda: ch06.check_adam(_adam(in_place=True)), "changed the w it was given"),
    "adam-shape": (lambda: ch06.check_adam(lambda w, g, *settings: 0.0), "an array of shape (3,)"),
    "adam-None": (lambda: ch06.check_adam(lambda w, g, *settings: None), "return"),
    "stable-plain-gd": (lambda: ch06.check_momentum_stable_rate(lambda lam, b: 2 / max(lam)), "plain gradient descent"),
    "stable-flattest": (lambda: ch06.check_momentum_stable_rate(lambda lam, b: 2 * (1 + b) / min(lam)), "steepest one"),
    "stable-one-minus-beta": (lambda: ch06.check_momentum_stable_rate(lambda lam, b: 2 * (1 - b) / max(lam)),
                              "keeps the effective rate"),
    "stable-no-two": (lambda: ch06.check_momentum_stable_rate(lambda lam, b: (1 + b) / max(lam)), "factor 2"),
    "stable-sum": (lambda: ch06.check_momentum_stable_rate(lambda lam, b: 2 * (1 + b) / sum(lam)), "do not add up"),
    "stable-one-number": (lambda: ch06.check_momentum_stable_rate(lambda lam, b: 0.2375), "diverges"),
    "stable-too-small": (lambda: ch06.check_momentum_stable_rate(lambda lam, b: 0.5 / max(lam)), "larger ones"),
    "stable-not-a-number": (lambda: ch06.check_momentum_stable_rate(lambda lam, b: [1, 2]), "one number"),
    "schedule-off-by-one-t-9": (lambda: ch06.check_schedule_value(0.05 * (1 + math.cos(math.pi * 26 / 100))),
                                "not 26"),
    "schedule-off-by-one-by-hand": (lambda: ch06.check_schedule_value(0.0842), "not 26"),
    "schedule-off-by-one-t-11": (lambda: ch06.check_schedule_value(0.05 * (1 + math.cos(math.pi * 24 / 100))),
                                 "not 24"),
    "schedule-degrees-mode": (lambda: ch06.check_schedule_value(0.05 * (1 + math.cos(math.radians(math.pi / 4)))),
                              "in degrees"),
    "schedule-cos-45-radians": (lambda: ch06.check_schedule_value(0.05 * (1 + math.cos(45))), "took 45 as radians"),
    "schedule-cos-45-by-hand": (lambda: ch06.check_schedule_value(0.0763), "took 45 as radians"),
    "schedule-no-warmup": (lambda: ch06.check_schedule_value(0.05 * (1 + math.cos(math.pi * 35 / 110))),
                           "left the warm-up out"),
    "schedule-total-not-shortened": (lambda: ch06.check_schedule_value(0.05 * (1 + math.cos(math.pi * 25 / 110))),
                                     "not 110"),
    "schedule-not-shifted": (lambda: ch06.check_schedule_value(0.05 * (1 + math.cos(math.pi * 35 / 100))),
                             "t − 10"),
    "schedule-plain-cosine": (lambda: ch06.check_schedule_value(0.1 * math.cos(math.pi / 4)), "never below"),
    "schedule-rounded-too-much": (lambda: ch06.check_schedule_value(0.085), "round less"),
    "schedule-skeleton": (lambda: ch06.check_schedule_value(...), "one number"),
}


# The tables are swept by tests/unit/test_checks.py (ticks, diagnoses, distinct messages).


def test_checker_answers_are_the_librarys():
    assert optim.warmup_cosine(35, initial=0.1, warmup=10, total=110) == pytest.approx(0.0853553390593)
    w, v = {"w": np.array([1.0, -2.0])}, optim.Momentum(0.1, 0.9)
    v.step(w, {"w": np.array([0.5, 4.0])})
    np.testing.assert_allclose(w["w"], [0.95, -2.4])
    for case in ch06.STABLE_CASES:
        assert ch06.stable_rate(*case) == pytest.approx(2 * (1 + case[1]) / max(case[0]))


def test_adam_reference_is_kingma_and_bas_algorithm_1_by_hand():
    w, gradients = ch06.ADAM_CASES[0]
    m, s, expected = np.zeros(3), np.zeros(3), w.copy()
    for t, g in enumerate(gradients, start=1):
        m = 0.9 * m + 0.1 * g
        s = 0.999 * s + 0.001 * g * g
        expected = expected - 0.01 * (m / (1 - 0.9 ** t)) / (np.sqrt(s / (1 - 0.999 ** t)) + 1e-8)
    np.testing.assert_allclose(ch06.adam_reference(w, gradients), expected, rtol=1e-12)


def test_eps_inside_the_root_changes_only_the_tiny_gradients_weight_much():
    w, gradients = ch06.ADAM_CASES[0]
    right = ch06.adam_reference(w, gradients) - w
    wrong = ch06._adam_variant(w, gradients, 0.01, 0.9, 0.999, 1e-8, root_eps=True) - w
    np.testing.assert_allclose(wrong[:2], right[:2], rtol=1e-3)
    assert abs(wrong[2]) < abs(right[2]) / 5


def test_every_stability_case_diverges_just_above_its_answer():
    for curvatures, beta in ch06.STABLE_CASES:
        bowl = surfaces.quadratic(np.diag(curvatures))
        limit = ch06.stable_rate(curvatures, beta)
        start = np.ones(len(curvatures))
        above = optim.trajectory(optim.Momentum(1.01 * limit, beta), bowl.gradient, start, steps=20000)
        below = optim.trajectory(optim.Momentum(0.99 * limit, beta), bowl.gradient, start, steps=20000)
        assert above.diverged and not below.diverged, (curvatures, beta)


def test_the_schedule_checker_accepts_careful_rounding_and_no_more():
    exact = optim.warmup_cosine(35, initial=0.1, warmup=10, total=110)
    assert ch06.check_schedule_value(round(exact, 4)) and ch06.check_schedule_value(exact * (1 + 9e-4))
    assert not ch06.check_schedule_value(exact * (1 + 2e-3))


def test_momentum_step_checker_rejects_a_non_callable():
    with pytest.raises(TypeError, match="without calling it"):
        ch06.check_momentum_step(0.1)
