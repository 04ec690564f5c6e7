"""Chapter 7 (training in practice): its computations and the claims the page makes from them,
its figures on what they draw, the threshold demo, and the checkers with their wrong answers.
(The playground is tested in test_ch07_playground.py.)"""

import numpy as np
import pytest
import sklearn.metrics as skm

from nnbook import metrics, optim, regularization, training
from nnbook.book import ch07_training as ch
from nnbook.book.ch07_training import checkers, figures, threshold

from .figures import texts_outside_canvas


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    """The chapter's matrices are small: one BLAS thread is several times faster than two (as the
    notebook sets at its top)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield

# --- the data -------------------------------------------------------------------------------


def test_digits_parts_are_the_split_standardised_on_the_training_part_only():
    raw = ch.digits_parts(scaling="none")
    parts = ch.digits_parts()
    x, y = figures._digits()[:2]
    for (a, ya), (b, yb) in zip(raw, training.split(x, y, validation=0.2, test=0.2, seed=0)):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(ya, yb)
    assert [len(p[1]) for p in parts] == [1079, 359, 359]
    scaler = training.Standardizer().fit(raw[0][0])
    for (xs, _), (r, _) in zip(parts, raw):
        np.testing.assert_allclose(xs, scaler.transform(r))
    leaky = ch.digits_parts(scaling="leaky")
    np.testing.assert_allclose(leaky[2][0], training.Standardizer().fit(x).transform(raw[2][0]))
    with pytest.raises(ValueError, match="scaling must be one of"):
        ch.digits_parts(scaling="minmax")


def test_noisy_moons_flip_a_tenth_of_every_part_and_say_which():
    (x, y), (x_val, y_val), (x_test, y_test) = ch.noisy_moons(seed=0)
    assert x.shape == (60, 2) and x_val.shape == x_test.shape == (300, 2)
    assert not np.array_equal(x_val, x_test)
    flipped = ch.moons_flipped(seed=0)
    assert flipped.sum() == 6
    (x240, y240), _, _ = ch.noisy_moons(seed=0, n_train=240)
    assert len(y240) == 240 and ch.moons_flipped(seed=0, n_train=240).sum() == 24


def test_dropout_does_not_change_the_starting_weights():
    plain, dropped = ch.moons_network(seed=3), ch.moons_network(seed=3, dropout=0.5)
    np.testing.assert_array_equal(plain.flat_params, dropped.flat_params)
    assert sum(isinstance(layer, regularization.Dropout) for layer in dropped.layers) == 2


def test_train_moons_is_reproducible_and_measures_the_validation_part():
    a, history_a = ch.train_moons(seed=1, epochs=5)
    b, history_b = ch.train_moons(seed=1, epochs=5)
    np.testing.assert_array_equal(a.flat_params, b.flat_params)
    assert history_a.val_loss == history_b.val_loss and len(history_a.val_loss) == 5


# --- L1: the proximal step -----------------------------------------------------------------


def test_soft_threshold_moves_towards_zero_and_stops_there():
    np.testing.assert_array_equal(ch.soft_threshold(np.array([0.8, 0.001, -0.0004, -0.3]), 0.0015),
                                  [0.8 - 0.0015, 0.0, 0.0, -0.3 + 0.0015])


def test_proximal_step_is_gradient_descent_then_a_soft_threshold_of_the_weights_only():
    w, b = np.array([0.5, 0.002, -0.2]), np.array([0.001, -0.5])
    g_w, g_b = np.array([0.1, 0.0, -0.1]), np.array([0.0, 0.1])
    params, grads = {"0.W": w.copy(), "0.b": b.copy()}, {"0.W": g_w, "0.b": g_b}
    ch.ProximalL1SGD(0.5, 0.01).step(params, grads)
    np.testing.assert_allclose(params["0.W"], ch.soft_threshold(w - 0.5 * g_w, 0.005))
    np.testing.assert_allclose(params["0.b"], b - 0.5 * g_b)     # a bias is not shrunk


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_only_the_proximal_step_gives_exact_zeros(seed):
    """The page's claim: the subgradient leaves no weight exactly 0, the proximal step many."""
    runs = list(ch.weight_runs(seed=seed).values())
    no_penalty, ridge, subgradient, proximal = (w for w, _ in runs)
    assert np.sum(subgradient == 0) == 0 and np.sum(ridge == 0) == 0
    assert np.sum(np.abs(subgradient) < 1e-3) > 0.4 * subgradient.size
    assert np.sum(proximal == 0) > 0.6 * proximal.size


# --- the claims the page makes from its experiments --------------------------------------------


def test_normal_weights_break_training_and_glorot_and_he_do_not():
    runs = ch.init_runs(seeds=(0, 1))
    assert all(runs["relu", "normal"]["diverged"])
    for key, found in runs.items():
        if key != ("relu", "normal"):
            assert not any(found["diverged"]), key
    assert max(runs["tanh", "normal"]["val_accuracy"]) < 0.6
    for key in [("relu", "glorot"), ("relu", "he"), ("tanh", "glorot"), ("tanh", "he")]:
        assert min(runs[key]["val_accuracy"]) > 0.88, key


def test_every_cure_beats_no_cure_in_the_median_and_l2_is_best():
    table = ch.cure_table(seeds=(0, 1, 2))
    medians = {name: np.median(found["loss"]) for name, found in table.items()}
    cured = [name for name in medians if name != "no penalty"]
    assert all(medians[name] < medians["no penalty"] for name in cured)
    assert min(medians, key=medians.get) == "L2, λ = 0.01"


def test_early_stopping_in_the_cure_table_is_the_restored_best_epoch():
    stopper = regularization.EarlyStopping(patience=10)
    _, history = ch.train_moons(seed=0, callback=stopper)
    assert ch.cure_table(seeds=(0,))["early stopping"]["loss"][0] == pytest.approx(min(history.val_loss))


def test_the_penalty_sweep_is_lowest_inside_its_grid():
    sweep = ch.penalty_sweep(seeds=(0, 1, 2))
    best = int(np.argmin(np.median(sweep["val"], axis=1)))
    assert ch.STRENGTHS[best] == 1e-2 and 0 < best < len(ch.STRENGTHS) - 1
    assert np.all(np.diff(np.median(sweep["train"], axis=1)) > 0)   # a penalty always costs fit


def test_the_exercises_best_l2_is_what_the_sweep_finds():
    medians = [np.median([ch.train_moons(seed, l2=lam, n_train=checkers.L2_N_TRAIN)[1].val_loss[-1]
                          for seed in checkers.L2_SEEDS]) for lam in checkers.L2_GRID]
    assert checkers.L2_GRID[int(np.argmin(medians))] == checkers.BEST_L2
    assert sorted(medians)[1] > 1.01 * min(medians)   # a clear winner, not a round-off tie


def test_our_digits_network_reaches_97_percent_on_every_seed():
    """The issue's promise (ours >= 97% test accuracy), on the chapter's split, over ten seeds."""
    parts = ch.digits_parts()
    x_test, y_test = parts[2]
    accuracies = [metrics.accuracy(y_test, ch.predict(ch.train_digits(parts, seed=s, validation=False)[0],
                                                      x_test)) for s in range(10)]
    assert min(accuracies) >= 0.97, accuracies


def test_compare_with_sklearn_trains_both_the_same_way():
    model = ch.sklearn_classifier(seed=0)
    assert model.hidden_layer_sizes == ch.DIGITS_SIZES[1:-1] and model.batch_size == 32
    assert model.max_iter == 30 and model.alpha == 0 and model.learning_rate_init == 0.003
    found = ch.compare_with_sklearn(seeds=(0,))
    assert len(found["ours"]) == len(found["sklearn"]) == 1
    assert min(found["ours"] + found["sklearn"]) > 0.95


def test_weight_decay_equals_l2_for_sgd_and_not_for_adam():
    found = ch.decay_example(steps=100, learning_rate=0.01, strength=0.1, gradient=10.0)
    np.testing.assert_allclose(found["SGD", "L2"], found["SGD", "decay"], rtol=1e-12)
    assert found["Adam", "decay"][1] == pytest.approx(0.999 ** 100)
    assert found["Adam", "L2"][1] < 0.5 and found["Adam", "L2"][0] > found["Adam", "decay"][0]


def test_multiply_adds_count_three_products_per_layer_but_the_datas_gradient():
    assert ch.multiply_adds_per_epoch((64, 64, 10), 1079) == 1079 * (3 * (64 * 64 + 64 * 10) - 64 * 64)


def test_python_loops_give_numpys_product(rng):
    a, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 5))
    np.testing.assert_allclose(ch.matmul_loops(a.tolist(), b.tolist()), a @ b)


# --- the threshold demo ----------------------------------------------------------------------


@pytest.mark.parametrize("t", [0.05, 0.3, 0.5, 0.77, 0.95])
def test_threshold_metrics_are_scikit_learns(t):
    y, scores = ch.threshold_data()
    found, predicted = ch.threshold_metrics(t), (scores >= t).astype(int)
    assert found["precision"] == pytest.approx(skm.precision_score(y, predicted, zero_division=0.0))
    assert found["recall"] == found["tpr"] == pytest.approx(skm.recall_score(y, predicted))
    assert found["f1"] == pytest.approx(skm.f1_score(y, predicted))
    assert found["accuracy"] == pytest.approx(skm.accuracy_score(y, predicted))
    tn, fp, fn, tp = skm.confusion_matrix(y, predicted).ravel()
    assert (found["tp"], found["fp"], found["fn"], found["tn"]) == (tp, fp, fn, tn)
    assert found["fpr"] == pytest.approx(fp / (fp + tn))


def test_the_best_threshold_for_f1_and_accuracy_is_0_35_not_0_5():
    # the page says both peak at 0.35 of the slider's thresholds, below the default 0.5
    grid = np.round(np.arange(0.05, 0.96, 0.05), 2)
    for key in ("f1", "accuracy"):
        values = [ch.threshold_metrics(t)[key] for t in grid]
        assert grid[int(np.argmax(values))] == 0.35
        assert max(values) > ch.threshold_metrics(0.5)[key]


def test_raw_pixels_jump_by_20_points_and_standardised_ones_by_under_10():
    # the page: raw pixels at α = 0.1 jump by 20 points and more between epochs, at α = 0.01
    # by over ten, and end a point below standardised pixels, which are the steadiest
    runs = ch.scaling_runs(seeds=(0, 1, 2))
    jump = {key: 100 * np.abs(np.diff(curves, axis=1)).max() for key, curves in runs.items()}
    assert jump["none", 0.1] >= 20
    assert 10 < jump["none", 0.01] < jump["none", 0.1]
    assert jump["standardize", 0.1] < 10
    final = {key: np.median(curves[:, -1]) for key, curves in runs.items()}
    assert 0.005 < final["standardize", 0.1] - final["none", 0.01] < 0.02


def test_threshold_data_is_read_only_and_has_both_classes():
    y, scores = ch.threshold_data()
    assert not y.flags.writeable and not scores.flags.writeable
    assert set(np.unique(y)) == {0, 1} and np.all((scores > 0) & (scores < 1))


def test_threshold_figure_draws_the_point_and_bars_of_its_threshold():
    figure = threshold.ThresholdFigure(threshold=0.3)
    found = ch.threshold_metrics(0.3)
    assert figure.point.get_xydata().tolist() == [[found["fpr"], found["tpr"]]]
    assert [figure.bars[name].get_width() for name in threshold.BARS] == [found[n] for n in threshold.BARS]
    assert list(figure.line.get_xdata()) == [0.3, 0.3]
    figure.update(threshold=0.8)
    assert figure.bars["recall"].get_width() == ch.threshold_metrics(0.8)["recall"]


def test_threshold_demo_has_a_static_frame_per_tenth_and_a_caption_in_words():
    demo = ch.threshold_demo()
    assert len(demo.frames()) == 9 and "threshold" in ch.DEMOS
    assert ch.threshold_caption(0.5).startswith("Threshold 0.50: precision 0.842, recall 0.791")


# --- figures: what they draw, and nothing outside the canvas ---------------------------------


def _histories():
    _, plain = ch.train_moons(seed=0, epochs=20)
    stopper = regularization.EarlyStopping(patience=3)
    _, stopped = ch.train_moons(seed=0, epochs=20, callback=stopper)
    return plain, stopped, stopper


def test_weight_histograms_count_the_exact_zeros():
    runs = {"a": (np.array([0.0, 0.0, 0.5, -0.0005]), 0.5), "b": (np.array([0.1, -0.2, 1e-4, 3.0]), 0.6)}
    figure = ch.plot_weight_histograms(runs)
    texts = [t.get_text() for ax in figure.axes for t in ax.texts]
    assert texts[0].startswith("exactly 0: 2\n|w| < 0.001: 3") and texts[1].startswith("exactly 0: 0\n|w| < 0.001: 1")


def test_regularizers_figure_marks_the_restored_best_epoch():
    plain, stopped, stopper = _histories()
    figure = ch.plot_regularizers({"no penalty": plain, "early stopping": stopped},
                                  stopping=("early stopping", stopper))
    marks = [line.get_xydata()[0].tolist() for line in figure.axes[0].lines if len(line.get_xdata()) == 1]
    assert [stopper.best_epoch, stopped.val_loss[stopper.best_epoch - 1]] in marks


def test_confusion_figure_outlines_each_wrong_cell_and_shows_each_wrong_image():
    y_true, y_pred = np.array([0, 1, 2, 2, 3]), np.array([0, 1, 1, 2, 0])
    images = np.arange(5 * 64, dtype=float).reshape(5, 8, 8)
    figure = ch.plot_confusion(y_true, y_pred, images)
    assert len(figure.axes[0].patches) == 2                    # cells (2, 1) and (3, 0)
    titles = [ax.get_title() for ax in figure.axes[1:]]
    assert titles == ["2 → 1", "3 → 0"]
    np.testing.assert_array_equal(figure.axes[1].images[0].get_array(), images[2])


def _fake_init_runs():
    """What ``init_runs`` returns, for two seeds, without training: normal ReLU diverged."""
    runs = {}
    for activation in ("relu", "tanh"):
        for init in ("glorot", "he", "normal"):
            bad = activation == "relu" and init == "normal"
            runs[activation, init] = {"loss0": [2.3, 2.5], "losses": [[] if bad else [1.0, 0.5]] * 2,
                                      "val_accuracy": [np.nan if bad else 0.9] * 2, "diverged": [bad] * 2}
    return runs


def test_init_figure_draws_the_median_of_the_finished_runs_and_marks_the_diverged():
    figure = ch.plot_init(_fake_init_runs())
    ax = figure.axes[0]
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[2] == "relu, normal: 2 of 2 runs diverged" and labels[3] == "tanh, glorot: validation 90%"
    lines = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(lines) == 3 and np.allclose(lines[0].get_xydata(), [[0, 2.4], [1, 1.0], [2, 0.5]])


def _figures():
    parts_sizes = (50, 100)
    plain, stopped, stopper = _histories()
    (x, y), _, _ = ch.noisy_moons(0)
    network, history = ch.train_moons(seed=0, epochs=5)
    digits_history = ch.train_digits(ch.digits_parts(), seed=0, epochs=2)[1]
    return {
        "learning curves": lambda: ch.plot_learning_curves(digits_history),
        "init": lambda: ch.plot_init(_fake_init_runs()),
        "scaling": lambda: ch.plot_scaling({("none", 0.1): np.full((2, 3), 0.5),
                                            ("standardize", 0.1): np.full((2, 3), 0.9)}),
        "overfitting": lambda: ch.plot_overfitting({"no penalty": network}, {"no penalty": history}, x, y,
                                                   ch.moons_flipped(0)),
        "histograms": lambda: ch.plot_weight_histograms(ch.weight_runs(seed=0)),
        "regularizers": lambda: ch.plot_regularizers({"no penalty": plain, "early stopping": stopped},
                                                     stopping=("early stopping", stopper)),
        "sweep": lambda: ch.plot_penalty_sweep((0.0, 0.01, 0.1), {"train": np.ones((3, 2)) * [[1], [2], [3]],
                                                                  "val": np.ones((3, 2)) * [[3], [1], [2]]}),
        "size": lambda: ch.plot_size_curve(parts_sizes, {"train": np.ones((2, 2)), "val": np.full((2, 2), 0.8)}),
        "confusion": lambda: ch.plot_confusion(np.arange(10), (np.arange(10) + 1) % 10,
                                               np.zeros((10, 8, 8))),
        "threshold": lambda: ch.ThresholdFigure.plot(threshold=0.95),
    }


def test_no_text_of_a_chapter_figure_falls_outside_its_canvas():
    for name, make in _figures().items():
        assert texts_outside_canvas(make()) == [], name


def test_penalty_sweep_figure_names_the_best_strength_of_the_validation_medians():
    figure = ch.plot_penalty_sweep((0.0, 0.01, 0.1), {"train": np.ones((3, 2)), "val": np.array([[3.0, 3], [1, 2], [2, 2]])})
    assert "λ = 0.01" in figure.axes[0].get_title()


# --- checkers --------------------------------------------------------------------------------


def _right_prepare(x_train, x_val, x_test):
    scaler = training.Standardizer().fit(x_train)
    return scaler.transform(x_train), scaler.transform(x_val), scaler.transform(x_test)


def _stats(parts, fit, ddof=0):
    mean, std = fit.mean(axis=0), fit.std(axis=0, ddof=ddof)
    return tuple((x - mean) / std for x in parts)


RIGHT_ANSWERS = {
    "f1": lambda: ch.check_f1_by_hand(0.6, 0.75, 2 / 3),
    "f1-rounded": lambda: ch.check_f1_by_hand(0.6, 0.75, 0.667),
    "prepare": lambda: ch.check_prepare(_right_prepare),
    "prepare-list": lambda: ch.check_prepare(lambda a, b, c: list(_right_prepare(a, b, c))),
    "best-l2": lambda: ch.check_best_l2(0.003),
    "stopping": lambda: ch.check_early_stopping(9, 6),
}

WRONG_ANSWERS = {
    "precision-is-recall": (lambda: ch.check_f1_by_hand(0.75, 0.6, 2 / 3), "the recall"),
    "precision-is-accuracy": (lambda: ch.check_f1_by_hand(0.955, 0.75, 2 / 3), "the accuracy"),
    "precision-percent": (lambda: ch.check_f1_by_hand(60, 75, 66.7), "not a percentage"),
    "precision-specificity": (lambda: ch.check_f1_by_hand(910 / 940, 0.75, 2 / 3), "specificity"),
    "recall-is-precision": (lambda: ch.check_f1_by_hand(0.6, 0.6, 2 / 3), "the precision"),
    "f1-arithmetic": (lambda: ch.check_f1_by_hand(0.6, 0.75, 0.675), "arithmetic mean"),
    "f1-no-two": (lambda: ch.check_f1_by_hand(0.6, 0.75, 1 / 3), "left out the 2"),
    "f1-product": (lambda: ch.check_f1_by_hand(0.6, 0.75, 0.45), "P·R"),
    "f1-of-negatives": (lambda: ch.check_f1_by_hand(0.6, 0.75, 1820 / 1865), "healthy class"),
    "f1-unknown": (lambda: ch.check_f1_by_hand(0.6, 0.75, 0.5), "2PR / (P + R)"),
    "f1-skeleton": (lambda: ch.check_f1_by_hand(..., ..., ...), "one number"),
    "prepare-leak": (lambda: ch.check_prepare(lambda a, b, c: _stats((a, b, c), np.concatenate([a, b, c]))),
                     "that is the leak"),
    "prepare-val-leak": (lambda: ch.check_prepare(lambda a, b, c: _stats((a, b, c), np.concatenate([a, b]))),
                         "validation part leaked"),
    "prepare-each-own": (lambda: ch.check_prepare(lambda a, b, c: tuple(_stats((x,), x)[0] for x in (a, b, c))),
                         "its own mean"),
    "prepare-ddof": (lambda: ch.check_prepare(lambda a, b, c: _stats((a, b, c), a, ddof=1)), "ddof=1"),
    "prepare-centred-only": (lambda: ch.check_prepare(lambda a, b, c: tuple(x - a.mean(axis=0) for x in (a, b, c))),
                             "did not divide"),
    "prepare-global": (lambda: ch.check_prepare(lambda a, b, c: tuple((x - a.mean()) / a.std() for x in (a, b, c))),
                       "axis=0"),
    "prepare-test-untouched": (lambda: ch.check_prepare(lambda a, b, c: _stats((a, b), a) + (c,)),
                               "returned unchanged"),
    "prepare-in-place": (lambda: ch.check_prepare(_in_place_prepare), "changed the arrays"),
    "prepare-min-max": (lambda: ch.check_prepare(
        lambda a, b, c: tuple((x - a.min(axis=0)) / (a.max(axis=0) - a.min(axis=0)) for x in (a, b, c))),
        "min-max"),
    "prepare-pair": (lambda: ch.check_prepare(lambda a, b, c: (a, b)), "length 2"),
    "prepare-none": (lambda: ch.check_prepare(lambda a, b, c: None), "return"),
    "prepare-other": (lambda: ch.check_prepare(lambda a, b, c: _stats((a, b, c), a * 2)), "first row"),
    "l2-zero": (lambda: ch.check_best_l2(0.0), "TRAINING loss"),
    "l2-sixty-points": (lambda: ch.check_best_l2(0.01), "60 training points"),
    "l2-too-strong": (lambda: ch.check_best_l2(0.03), "too strong"),
    "l2-too-weak": (lambda: ch.check_best_l2(0.001), "too weak"),
    "l2-off-grid": (lambda: ch.check_best_l2(0.005), "pick one of the strengths"),
    "l2-skeleton": (lambda: ch.check_best_l2(...), "one number"),
    "stop-tie": (lambda: ch.check_early_stopping(12, 9), "only equals the best"),
    "stop-zero-based": (lambda: ch.check_early_stopping(8, 5), "count from 1"),
    "stop-best-zero-based": (lambda: ch.check_early_stopping(9, 5), "count from 1"),
    "stop-patience-off-by-one": (lambda: ch.check_early_stopping(8, 6), "in a row"),
    "stop-last-weights": (lambda: ch.check_early_stopping(9, 9), "those of epoch 6"),
    "stop-never": (lambda: ch.check_early_stopping(12, 6), "patience runs out"),
    "stop-swapped": (lambda: ch.check_early_stopping(6, 9), "swapped"),
    "stop-skeleton": (lambda: ch.check_early_stopping(..., ...), "two epoch numbers"),
    "stop-fraction": (lambda: ch.check_early_stopping(9.5, 6), "whole numbers"),
}


def _in_place_prepare(x_train, x_val, x_test):
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    for x in (x_train, x_val, x_test):
        x -= mean
        x /= std
    return x_train, x_val, x_test


def test_checker_answers_are_the_librarys():
    tp, fn, fp = (checkers.SCREENING[k] for k in ("tp", "fn", "fp"))
    y_true = np.r_[np.ones(tp + fn), np.zeros(fp + checkers.SCREENING["tn"])].astype(int)
    y_pred = np.r_[np.ones(tp), np.zeros(fn), np.ones(fp), np.zeros(checkers.SCREENING["tn"])].astype(int)
    assert checkers.screening_answers() == pytest.approx(
        (metrics.precision(y_true, y_pred), metrics.recall(y_true, y_pred), metrics.f1_score(y_true, y_pred)))
    rng = np.random.default_rng(1)
    parts = [rng.normal(size=(n, 3)) for n in (5, 4, 3)]
    for a, b in zip(checkers.prepare_reference(*parts), _right_prepare(*parts)):
        np.testing.assert_allclose(a, b)


def test_stopping_answer_is_the_librarys_early_stopping():
    stopper = regularization.EarlyStopping(patience=checkers.STOPPING_PATIENCE)
    record = training.History()
    network = ch.moons_network()
    for epoch, value in enumerate(checkers.STOPPING_LOSSES, start=1):
        record.val_loss.append(value)
        if stopper(epoch, network, record):
            break
    assert checkers.stopping_answer() == (epoch, stopper.best_epoch) == (9, 6)
    assert checkers.stopping_answer([3.0, 2.0, 1.0]) == (3, 3)     # patience never runs out


def test_prepare_checker_rejects_a_non_callable():
    with pytest.raises(TypeError, match="without calling it"):
        ch.check_prepare(np.zeros(3))


def test_adamw_is_adam_with_decoupled_decay():
    w1, w2 = {"w": np.ones(3)}, {"w": np.ones(3)}
    a, b = optim.AdamW(0.01, weight_decay=0.1), optim.Adam(0.01, weight_decay=0.1)
    for g in ([1.0, 0.0, -2.0], [0.5, 0.0, 1.0]):
        a.step(w1, {"w": np.array(g)})
        b.step(w2, {"w": np.array(g)})
    np.testing.assert_array_equal(w1["w"], w2["w"])
