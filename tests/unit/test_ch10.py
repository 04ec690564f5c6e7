"""Appendix (beyond supervised networks): its computations and the page's claims, its figures on
what they draw, its demo, its checkers."""

import numpy as np
import pytest

from nnbook import layers, training
from nnbook.book import ch10_beyond as ch10

from .figures import texts_outside_canvas

# --- the delta rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_the_delta_rule_is_a_gradient_step_on_half_the_squared_error(seed):
    rng = np.random.default_rng(seed)
    w, x = rng.normal(size=3), rng.normal(size=3)
    b, y, alpha = float(rng.normal()), float(rng.normal()), 0.05
    w_new, b_new = ch10.delta_rule_step(w, b, x, y, alpha)
    unit = layers.Dense(3, 1)
    unit.params["W"][:, 0], unit.params["b"][:] = w, b
    training.train_step(unit, x[None], np.array([[y]]), loss="half_squared_error", learning_rate=alpha)
    np.testing.assert_allclose(unit.params["W"][:, 0], w_new)
    assert unit.params["b"][0] == pytest.approx(b_new)


def test_the_delta_rule_leaves_its_arguments_alone():
    w = np.array([0.5, -0.3])
    ch10.delta_rule_step(w, 0.1, np.array([2.0, 1.0]), 1.0, 0.1)
    np.testing.assert_array_equal(w, [0.5, -0.3])


# --- the self-organising map ------------------------------------------------------------------


def test_the_som_step_moves_the_nearest_unit_most_and_by_alpha():
    weights = np.array([[0.0], [0.5], [1.0]])
    new = ch10.som_row_step(weights, [0.8], 0.5, 1.0)
    moved = np.abs(new - weights).ravel()
    assert np.argmax(moved) == 2 and moved[2] == pytest.approx(0.5 * 0.2)
    np.testing.assert_allclose(new.ravel(), [0.4 * np.exp(-2), 0.5 + 0.15 * np.exp(-0.5), 0.9])


def test_the_som_neighbourhood_is_measured_on_the_grid():
    positions = ch10.grid_positions(2, 3)
    np.testing.assert_array_equal(positions[4], [1, 1])
    # Two units with the same weights but different grid places move differently.
    weights = np.zeros((6, 2))
    weights[0] = [1.0, 1.0]
    new = ch10.som_step(weights, positions, np.array([1.0, 1.0]), 1.0, 1.0)
    assert new[1, 0] > new[2, 0] > 0          # grid distance 1 moves more than distance 2


@pytest.mark.parametrize("seed", range(4))
def test_a_wide_start_untangles_the_map_and_a_narrow_one_does_not(seed):
    wide = ch10.som_errors(*_last(ch10.som_run(2.0, seed)))
    narrow = ch10.som_errors(*_last(ch10.som_run(0.5, seed)))
    assert wide[0] < 0.01 and narrow[0] > 0.5
    assert 0.05 < wide[1] < 0.07 and 0.05 < narrow[1] < 0.07      # both end as close to the data


def test_the_map_starts_spread_over_the_square_and_pulls_together_before_it_spreads_out():
    # The alt texts of the figure and of the demo: random over the square at step 0, a small
    # grid by step 25 that is still well inside the square at step 250, spread out at 1,000.
    def area(weights):
        return np.ptp(weights[:, 0]) * np.ptp(weights[:, 1])

    for seed in range(4):
        snapshots, positions = ch10.som_run(3.0, seed)
        every = ch10.SOM["every"]
        assert area(snapshots[0]) > 0.8 and ch10.som_errors(snapshots[0], positions)[0] > 0.8
        assert area(snapshots[25 // every]) < 0.35
        assert area(snapshots[250 // every]) < 0.5 < area(snapshots[-1])


def _last(run):
    snapshots, positions = run
    return snapshots[-1], positions


def test_som_run_rejects_a_width_that_is_not_positive():
    with pytest.raises(ValueError, match="sigma0"):
        ch10.som_run(0.0)


# --- the Hopfield network ---------------------------------------------------------------------


def test_stored_letters_are_fixed_points():
    stored = ch10.letters()
    w = ch10.hopfield_weights(list(stored.values()))
    assert np.all(np.diag(w) == 0) and np.allclose(w, w.T)
    for pattern in stored.values():
        np.testing.assert_array_equal(ch10.hopfield_recall(w, pattern, 2)[-1], pattern)


def test_recall_never_raises_the_energy():
    stored = ch10.letters()
    w = ch10.hopfield_weights(list(stored.values()))
    states = ch10.hopfield_recall(w, ch10.corrupt(stored["T"], 20, seed=3), 4, seed=3)
    energies = [-0.5 * s @ w @ s for s in states]
    assert all(b <= a + 1e-12 for a, b in zip(energies, energies[1:]))


@pytest.mark.parametrize("seed", range(10))
def test_ten_flipped_pixels_are_repaired_in_one_sweep(seed):
    stored = ch10.letters()
    w = ch10.hopfield_weights(list(stored.values()))
    for pattern in stored.values():
        states = ch10.hopfield_recall(w, ch10.corrupt(pattern, 10, seed=seed), 1, seed=seed)
        np.testing.assert_array_equal(states[-1], pattern)


def test_corrupt_flips_exactly_n_pixels():
    pattern = ch10.letters()["L"]
    assert np.sum(ch10.corrupt(pattern, 7, seed=1) != pattern) == 7


# --- the RBM, transfer and the learning curve: the page's claims ----------------------------------


@pytest.fixture(scope="module")
def rbm_found():
    return ch10.rbm_comparison()


def test_raw_pixels_beat_the_rbm_features_on_the_plain_digits(rbm_found):
    assert np.all(rbm_found["raw"] > rbm_found["rbm"])
    assert rbm_found["raw"].shape == (len(ch10.RBM_CS), 3) and len(rbm_found["rbms"]) == 3


def test_the_pipeline_fits_the_rbm_as_the_comparison_does(rbm_found):
    x_train, x_test, y_train, y_test = ch10.digits_split(1)
    pipeline = ch10.rbm_pipeline(C=ch10.RBM_CS[0], seed=1).fit(x_train, y_train)
    np.testing.assert_array_equal(pipeline.named_steps["rbm"].components_, rbm_found["rbms"][1].components_)
    assert pipeline.score(x_test, y_test) == rbm_found["rbm"][0, 1]


def _shifted(x):
    """The images and four copies shifted by one pixel (right, left, down, up), as in
    scikit-learn's example of the RBM pipeline."""
    images = np.pad(x.reshape(-1, 8, 8), ((0, 0), (1, 1), (1, 1)))
    copies = [np.roll(images, shift, axis=(1, 2))[:, 1:-1, 1:-1].reshape(len(x), -1)
              for shift in ((0, 1), (0, -1), (1, 0), (-1, 0))]
    return np.concatenate([x, *copies])


def test_on_the_shifted_digits_the_rbm_pipeline_is_ahead_of_raw_pixels():
    # The page says so: scikit-learn's example's data (every image shifted by a pixel each way)
    # and its settings (100 units, 20 sweeps, C = 6000 after the RBM, C = 100 on raw pixels).
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import BernoulliRBM

    x, y = ch10.digits01()
    x_train, x_test, y_train, y_test = train_test_split(_shifted(x), np.tile(y, 5), test_size=0.2, random_state=0)
    with ch10.one_thread():
        rbm = BernoulliRBM(n_components=100, learning_rate=0.06, n_iter=20, random_state=0).fit(x_train)
        ours = LogisticRegression(C=6000.0, max_iter=5000).fit(rbm.transform(x_train), y_train)
        raw = LogisticRegression(C=100.0, max_iter=5000).fit(x_train, y_train)
    assert ours.score(rbm.transform(x_test), y_test) > raw.score(x_test, y_test) + 0.05


def test_the_pixels_are_in_the_unit_interval():
    x, y = ch10.digits01()
    assert x.shape == (1797, 64) and x.min() == 0 and x.max() == 1


TRANSFER_DRAWS = {"page": (0, 1, 2, 3, 4), "other": (5, 6, 7, 8, 9)}


@pytest.fixture(scope="module", params=list(TRANSFER_DRAWS))
def transfer(request):
    # The page's five draws of the few training images, and five others: its words hold for both.
    return ch10.transfer_experiment(per_class=(2, 5, 20), seeds=TRANSFER_DRAWS[request.param])


def test_the_frozen_layer_is_the_worst_at_every_size(transfer):
    frozen = np.median(transfer["frozen"], axis=1)
    assert np.all(frozen < np.median(transfer["fine-tuned"], axis=1))
    assert np.all(frozen < np.median(transfer["from scratch"], axis=1))


def test_fine_tuning_is_never_above_the_spread_of_training_from_scratch(transfer):
    tuned, scratch = np.median(transfer["fine-tuned"], axis=1), transfer["from scratch"]
    assert np.all(tuned <= scratch.max(axis=1))


def test_the_source_network_knows_its_own_digits():
    x, y = ch10.digits01()
    network = ch10.source_network()
    low = y < 5
    assert np.mean(np.argmax(network.forward(x[low]), axis=1) == y[low]) > 0.99


SIZE_SPLITS = {"page": (0, 1, 2, 3, 4), "other": (5, 6, 7, 8, 9)}


@pytest.fixture(scope="module", params=list(SIZE_SPLITS))
def size_curve(request):
    return request.param, ch10.size_curve(sizes=(50, 100, 200, 400, 800, 1437), seeds=SIZE_SPLITS[request.param])


def _data_won(curve):
    """Per size but the last and per split: did doubling the images gain the linear model more
    than the network gained over it at this size?"""
    linear, network = (curve[m] for m in ch10.SIZE_MODELS)
    return np.diff(linear, axis=0) > (network - linear)[:-1]


def test_more_data_gains_more_than_the_better_model_up_to_200_images(size_curve):
    won = _data_won(size_curve[1]).sum(axis=1)
    assert np.all(won[:2] == 5) and won[2] >= 4          # 50, 100: every split; 200: all but one at most


def test_from_400_images_the_better_model_gains_more_in_most_splits(size_curve):
    # With only splits 0, 1, 2 (an earlier version of the page) more data looked better at
    # every size; over ten splits it is not.
    won = _data_won(size_curve[1]).sum(axis=1)
    assert np.all(won[3:] <= 2)


def test_the_size_curve_as_the_page_and_its_figure_describe_it(size_curve):
    name, curve = size_curve
    linear, network = (np.median(curve[m], axis=1) for m in ch10.SIZE_MODELS)
    if name == "page":                                   # the alt text: above at every size
        assert np.all(network > linear) and 0.03 < network[0] - linear[0] < 0.05
        assert np.all(network[2:] - linear[2:] < 0.01)
    assert linear[0] < 0.85 and linear[-1] > 0.96
    assert np.diff(linear)[0] > 0.08 and np.all(np.diff(linear)[3:] < 0.02)   # steep, then flat


# --- figures: what they draw ------------------------------------------------------------------------


def _figures():
    stored = ch10.letters()
    w = ch10.hopfield_weights(list(stored.values()))
    probe = ch10.corrupt(stored["H"], 10)
    curve = {m: np.full((3, 2), 0.9) for m in ch10.SIZE_MODELS}
    rbm = type("RBM", (), {"components_": np.random.default_rng(0).normal(size=(64, 64))})()
    return {
        "hopfield": lambda: ch10.plot_hopfield(stored, probe, ch10.hopfield_recall(w, probe, 2)),
        "boltzmann": ch10.plot_boltzmann_graphs,
        "som": ch10.plot_som_unfolding,
        "components": lambda: ch10.plot_rbm_components(rbm),
        "size": lambda: ch10.plot_size_curve((50, 100, 200), curve),
        "demo": lambda: ch10.SomFigure.plot(step=1000, sigma0=0.5),
    }


@pytest.mark.parametrize("name", list(_figures()))
def test_no_text_of_a_chapter_figure_falls_outside_its_canvas(name):
    assert texts_outside_canvas(_figures()[name]()) == []


def test_the_components_figure_draws_every_unit_as_an_8_by_8_image():
    components = np.random.default_rng(1).normal(size=(64, 64))
    rbm = type("RBM", (), {"components_": components})()
    images = [ax.images[0].get_array() for ax in ch10.plot_rbm_components(rbm).axes if ax.images]
    assert len(images) == 64
    np.testing.assert_array_equal(images[5], components[5].reshape(8, 8))


def test_the_size_figure_draws_the_medians():
    curve = {ch10.SIZE_MODELS[0]: np.array([[0.8, 0.7, 0.9], [0.85, 0.9, 0.8], [0.9, 0.95, 0.91]]),
             ch10.SIZE_MODELS[1]: np.full((3, 3), 0.95)}
    lines = ch10.plot_size_curve((50, 100, 200), curve).axes[0].get_lines()
    np.testing.assert_allclose(lines[0].get_ydata(), np.median(curve[ch10.SIZE_MODELS[0]], axis=1))


def test_the_boltzmann_figure_joins_every_pair_left_and_only_across_layers_right():
    left, right = ch10.plot_boltzmann_graphs().axes
    assert len(left.get_lines()) == 15 and len(right.get_lines()) == 9


def test_the_som_demo_draws_the_snapshot_of_its_step():
    figure = ch10.SomFigure.plot(step=250, sigma0=2.0)
    snapshots, _ = ch10.som_run(2.0)
    grid = snapshots[250 // ch10.SOM["every"]].reshape(8, 8, 2)
    np.testing.assert_allclose(figure.axes[0].get_lines()[3].get_xydata(), grid[3])


def test_demo_controls_are_labelled():
    for make in ch10.DEMOS.values():
        for name, control in make().controls.items():
            assert control.description, name


def test_som_caption_in_words():
    assert ch10.som_caption(1000, 3.0).startswith("After 1000 steps from a neighbourhood width of 3 grid steps, 0%")


# --- checkers -----------------------------------------------------------------------------------------


def _right_som(weights, x, learning_rate, sigma):
    return ch10.som_row_step(weights, x, learning_rate, sigma)


def _som_variant(kind):
    def step(weights, x, learning_rate, sigma):
        places = np.arange(len(weights))
        nearest = np.argmin(np.sum((weights - x) ** 2, axis=1))
        winner = np.argmax(weights @ x) if kind == "dot" else nearest
        if kind == "farthest":
            winner = np.argmax(np.sum((weights - x) ** 2, axis=1))
        if kind == "input-space":
            d2 = np.sum((weights - weights[nearest]) ** 2, axis=1)
        elif kind == "d-not-squared":
            d2 = np.abs(places - winner).astype(float)
        else:
            d2 = (places - winner) ** 2.0
        width = {"no-two": sigma ** 2, "sigma-not-squared": 2 * sigma}.get(kind, 2 * sigma ** 2)
        h = np.exp((1.0 if kind == "positive-exponent" else -1.0) * d2 / width)
        if kind == "only-winner":
            h = (places == winner).astype(float)
        if kind == "no-h":
            h = np.ones(len(weights))
        lr = 1.0 if kind == "no-lr" else learning_rate
        sign = -1.0 if kind == "away" else 1.0
        if kind == "in-place":
            weights += learning_rate * h[:, None] * (x - weights)
            return weights
        return weights + sign * lr * h[:, None] * (x - weights)
    return step


RIGHT_ANSWERS = {
    "delta": lambda: ch10.check_delta_rule([0.54, -0.28], 0.12),
    "delta-rounded": lambda: ch10.check_delta_rule(np.array([0.5402, -0.2801]), 0.1199),
    "som": lambda: ch10.check_som_step(_right_som),
    "transfer": lambda: ch10.check_transfer_counts(325, 4485),
}

WRONG_ANSWERS = {
    "delta-perceptron": (lambda: ch10.check_delta_rule([0.5, -0.3], 0.1), "perceptron rule"),
    "delta-sign": (lambda: ch10.check_delta_rule([0.46, -0.32], 0.08), "wrong way"),
    "delta-no-alpha": (lambda: ch10.check_delta_rule([0.9, -0.1], 0.3), "learning rate is missing"),
    "delta-bias-fixed": (lambda: ch10.check_delta_rule([0.54, -0.28], 0.1), "the bias moves too"),
    "delta-doubled": (lambda: ch10.check_delta_rule([0.58, -0.26], 0.14), "doubled"),
    "delta-other": (lambda: ch10.check_delta_rule([0.6, -0.2], 0.2), "first z = w · x + b"),
    "delta-no-bias-in-z": (lambda: ch10.check_delta_rule([0.56, -0.27], 0.13), "the bias belongs in the sum"),
    "delta-changes": (lambda: ch10.check_delta_rule([0.04, 0.02], 0.02), "those are the changes"),
    "delta-skeleton": (lambda: ch10.check_delta_rule(..., ...), "two numbers"),
    "delta-three-weights": (lambda: ch10.check_delta_rule([0.54, -0.28, 0.0], 0.12), "two numbers"),
    "som-away": (lambda: ch10.check_som_step(_som_variant("away")), "moved away"),
    "som-only-winner": (lambda: ch10.check_som_step(_som_variant("only-winner")), "only the winner"),
    "som-input-space": (lambda: ch10.check_som_step(_som_variant("input-space")), "distance on the map"),
    "som-no-two": (lambda: ch10.check_som_step(_som_variant("no-two")), "the 2 is missing"),
    "som-dot": (lambda: ch10.check_som_step(_som_variant("dot")), "largest dot product"),
    "som-no-lr": (lambda: ch10.check_som_step(_som_variant("no-lr")), "learning rate is missing"),
    "som-in-place": (lambda: ch10.check_som_step(_som_variant("in-place")), "changed the weights"),
    "som-no-h": (lambda: ch10.check_som_step(_som_variant("no-h")), "the full α"),
    "som-sigma-not-squared": (lambda: ch10.check_som_step(_som_variant("sigma-not-squared")), "σ is squared"),
    "som-d-not-squared": (lambda: ch10.check_som_step(_som_variant("d-not-squared")), "d is squared"),
    "som-positive-exponent": (lambda: ch10.check_som_step(_som_variant("positive-exponent")), "exponent is negative"),
    "som-farthest": (lambda: ch10.check_som_step(_som_variant("farthest")), "not the farthest"),
    "som-None": (lambda: ch10.check_som_step(lambda w, x, lr, s: None), "return"),
    "som-shape": (lambda: ch10.check_som_step(lambda w, x, lr, s: w.ravel() + 0), "one row per unit"),
    "transfer-no-bias": (lambda: ch10.check_transfer_counts(320, 4485), "a bias for each"),
    "transfer-counted-frozen": (lambda: ch10.check_transfer_counts(4485, 4485), "frozen layer is not trained"),
    "transfer-ten-classes": (lambda: ch10.check_transfer_counts(650, 4485), "5 classes"),
    "transfer-hidden-layer": (lambda: ch10.check_transfer_counts(4160, 4485), "that is the frozen hidden layer"),
    "transfer-scratch-no-bias": (lambda: ch10.check_transfer_counts(325, 4416), "biases are trained too"),
    "transfer-scratch-frozen": (lambda: ch10.check_transfer_counts(325, 325), "nothing is frozen"),
    "transfer-scratch-hidden": (lambda: ch10.check_transfer_counts(325, 4160), "output layer is trained as well"),
    "transfer-other": (lambda: ch10.check_transfer_counts(325, 5000), "n × m weights"),
    "transfer-swapped": (lambda: ch10.check_transfer_counts(4485, 325), "wrong way round"),
    "transfer-skeleton": (lambda: ch10.check_transfer_counts(..., ...), "two whole numbers"),
}


# The tables are swept by tests/unit/test_checks.py (ticks, diagnoses, distinct messages).


def test_the_reference_counts_are_the_library_formula():
    frozen, scratch = ch10.transfer_counts()
    assert frozen == layers.dense_param_count(64, 5) and scratch == layers.mlp_param_count([64, 64, 5])
