"""Chapter 9 (recurrent networks): its computations, figures on what they draw, its demos, its checkers."""

import numpy as np
import pytest

from nnbook import gradcheck, rnn, text
from nnbook.book import ch09_recurrent as ch09
from nnbook.book.ch09_recurrent import checkers

from .figures import texts_outside_canvas

# --- namaskar ---------------------------------------------------------------------------------------


def test_namaskar_is_seven_one_hot_letters_and_their_successors():
    vocab, x, y = ch09.namaskar()
    assert vocab.chars == "akmnrs" and x.shape == (1, 7, 6) and y.shape == (1, 7)
    assert vocab.decode(np.argmax(x[0], axis=1)) == "namaska" and vocab.decode(y[0]) == "amaskar"


@pytest.mark.parametrize("seed", range(5))
def test_the_recurrent_network_learns_r_and_the_loopless_one_a_third(seed):
    vocab, x, y = ch09.namaskar()
    loop = ch09.namaskar_network(seed=seed)
    ch09.train_namaskar(loop)
    assert ch09.next_letter_probabilities(loop)[-1, vocab.id_of["r"]] > 0.98
    no_loop = ch09.namaskar_network(seed=seed, recurrent=False)
    ch09.train_namaskar(no_loop, epochs=200)
    last = ch09.next_letter_probabilities(no_loop)[-1]
    np.testing.assert_allclose(last[[vocab.id_of[c] for c in "msr"]], 1 / 3, atol=0.01)


def test_a_loopless_network_cannot_beat_the_counted_loss():
    # After each of the three a's, the best a one-letter model can do is 1/3 on each of m, s, r:
    # a mean loss of 3 ln 3 / 7 over the seven steps.
    _, x, y = ch09.namaskar()
    no_loop = ch09.namaskar_network(seed=0, recurrent=False)
    ch09.train_namaskar(no_loop, epochs=200)
    loss = rnn.sequence_softmax_cross_entropy(y, no_loop.forward(x))
    assert 3 * np.log(3) / 7 - 1e-6 < loss < 3 * np.log(3) / 7 + 0.01


# --- recurrent weights at a gain ---------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["RNN", "LSTM", "GRU"])
def test_every_recurrent_block_gets_singular_values_equal_to_the_gain(cell):
    layer = ch09.set_recurrent_gain(ch09.CELLS[cell](3, 5, seed=0), 1.7, seed=0)
    weights = layer.params["W_hh" if cell == "RNN" else "W_h"]
    for block in np.split(weights, weights.shape[1] // 5, axis=1):
        np.testing.assert_allclose(np.linalg.svd(block, compute_uv=False), 1.7)


# --- gradient flow -----------------------------------------------------------------------------------


def test_gradient_by_lag_is_the_librarys_input_gradient_of_the_last_state():
    x, p = ch09.gradients.flow_data()
    layer = ch09.gradients.flow_layer("RNN", 1.3, 1.0)
    x_small = x[:2, :6].copy()
    upstream = np.zeros((2, 6, ch09.FLOW["hidden"]))
    upstream[:, -1] = p[:2]
    layer.forward(x_small)
    dx = layer.backward(upstream)
    errors = gradcheck.check_gradient(lambda: np.sum(layer.forward(x_small)[:, -1] * p[:2]), x_small, dx)
    assert errors.ok


def test_vanishing_below_gain_one_and_exploding_rnn_above():
    small = ch09.flow_summary(gain=0.5, gate_bias=1.0)
    assert all(ratio < 1e-4 for ratio in small.values()) and small["RNN"] < 1e-15
    large = ch09.flow_summary(gain=2.0, gate_bias=1.0)
    assert large["RNN"] > 1e3
    assert ch09.flow_summary(gain=1.0, gate_bias=1.0)["RNN"] < 1e-3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_below_one_largest_singular_value_the_gradient_shrinks_at_least_that_fast(seed):
    """The page's sufficient condition: ||delta_{t-k}|| <= sigma_max^k ||delta_t||, any inputs."""
    rng = np.random.default_rng(seed)
    layer = rnn.RNN(5, 6, seed=seed)
    W = rng.normal(size=(6, 6))
    W *= 0.9 / np.linalg.svd(W, compute_uv=False)[0]                # sigma_max = 0.9
    layer.params["W_hh"][...] = W
    h = layer.forward(rng.normal(scale=3.0, size=(1, 30, 5)))[0]
    delta = rng.normal(size=6)
    size = np.linalg.norm(delta)
    for k, t in enumerate(reversed(range(30)), start=1):          # one step back per factor
        delta = (delta * (1 - h[t] ** 2)) @ W.T
        assert np.linalg.norm(delta) <= 0.9 ** k * size * (1 + 1e-9)


def test_a_largest_singular_value_above_one_is_not_enough_to_explode():
    """The page: sigma_max > 1 is necessary, not sufficient; at gain 1 (sigma_max = 1) the tanh
    slopes alone make the RNN's gradient vanish, and at gain 1.25 it still shrinks."""
    assert ch09.flow_summary(gain=1.0)["RNN"] < 1e-3
    assert ch09.flow_summary(gain=1.25)["RNN"] < 1
    assert ch09.flow_summary(gain=1.5)["RNN"] > 1                  # "above about 1.5 ... climbs"


def test_an_open_keep_gate_holds_the_gated_cells_gradient():
    open_gate = ch09.flow_summary(gain=1.0, gate_bias=5.0)
    assert 0.5 < open_gate["GRU"] < 2 and 1 < open_gate["LSTM"] < 100      # as the page says
    assert ch09.flow_summary(gain=1.0, gate_bias=0.0)["GRU"] < 1e-4


def test_the_flow_figure_draws_each_cells_gradient_by_lag():
    figure = ch09.GradientFlowFigure.plot(gain=1.5, gate_bias=3.0)
    lines = figure.axes[0].get_lines()
    for cell, line in zip(ch09.CELLS, lines):
        expected = np.maximum(ch09.gradient_by_lag(cell, 1.5, 3.0), ch09.gradients.FLOW_RANGE[0])
        np.testing.assert_allclose(line.get_ydata(), expected)


def test_flow_caption_in_words():
    assert ch09.flow_caption(1.0, 1.0).startswith("Gain 1, gate bias 1: the gradient 59 steps back")


# --- clipping ---------------------------------------------------------------------------------------


def test_the_clipping_optimizer_records_the_norm_before_clipping_and_clips():
    optimizer = ch09.ClippingOptimizer(0.5, threshold=1.0)
    params, grads = {"w": np.zeros(2)}, {"w": np.array([3.0, 4.0])}
    optimizer.step(params, grads)
    assert optimizer.norms == [5.0]
    np.testing.assert_allclose(params["w"], [-0.3, -0.4])


@pytest.fixture(scope="module")
def unclipped():
    return ch09.clip_run(None)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_lab_runs_first_two_gradients_are_its_spikes(seed):
    norms, _ = ch09.clip_run(None, seed)
    assert len(norms) == ch09.CLIP["steps"]
    assert set(np.argsort(norms)[-2:]) == {0, 1} and norms[:2].min() > 40 * np.median(norms)
    assert 100 < norms[1] / np.median(norms) < 1e5                  # "hundreds to tens of thousands"


@pytest.mark.parametrize("seed", [0, 1])
def test_most_thresholds_around_twice_the_median_end_lower(seed):
    """The clipping exercise's solution compares five thresholds, not one chaotic run."""
    norms, losses = ch09.clip_run(None, seed)
    threshold = 2 * np.median(norms)
    nearby = [ch09.final_loss(ch09.clip_run(f * threshold, seed)[1]) for f in (0.75, 1, 1.25, 1.5, 2)]
    assert np.mean(np.array(nearby) < ch09.final_loss(losses)) > 0.5


def test_other_seeds_spike_differently_as_the_page_says():
    norms3, norms4 = ch09.clip_run(None, 3)[0], ch09.clip_run(None, 4)[0]
    assert norms3[0] > 40 * np.median(norms3) and norms3[1] < 3 * np.median(norms3)
    assert norms4[1] > 1e6 * np.median(norms4)


@pytest.mark.parametrize("threshold", ch09.CLIP_THRESHOLDS[:-1])
def test_every_lab_threshold_up_to_8_ends_lower_than_no_clipping(unclipped, threshold):
    _, clipped = ch09.clip_run(threshold)
    assert ch09.clipping.final_loss(clipped) < ch09.clipping.final_loss(unclipped[1]) - 0.3


def test_clipping_at_32_does_not_rescue_the_lab_run(unclipped):
    _, clipped = ch09.clip_run(32.0)
    assert ch09.clipping.final_loss(clipped) > ch09.clipping.final_loss(unclipped[1]) - 0.3


@pytest.mark.parametrize("seed", [1, 2])
def test_clipping_at_one_ends_lower_with_other_seeds(seed):
    (_, losses), (_, clipped) = ch09.clip_run(None, seed), ch09.clip_run(1.0, seed)
    assert ch09.clipping.final_loss(clipped) < ch09.clipping.final_loss(losses) - 0.3


@pytest.mark.parametrize("times", checkers.CLIP_RANGE)
def test_thresholds_at_both_ends_of_the_accepted_range_end_lower_than_no_clipping(unclipped, times):
    norms, losses = unclipped
    threshold = times * float(np.median(norms))
    _, clipped = ch09.clip_run(threshold)
    assert ch09.clipping.final_loss(clipped) < ch09.clipping.final_loss(losses) - 0.3


def test_the_clipping_figure_draws_both_runs_and_the_threshold(unclipped):
    figure = ch09.ClippingFigure.plot(threshold=2.0)
    ax_hist, ax_loss = figure.axes
    assert list(ax_hist.get_lines()[0].get_xdata()) == [2.0, 2.0]
    lines = ax_loss.get_lines()
    np.testing.assert_allclose(lines[0].get_ydata(), unclipped[1])
    np.testing.assert_allclose(lines[1].get_ydata(), ch09.clip_run(2.0)[1])
    assert sum(patch.get_height() for patch in ax_hist.patches) == ch09.CLIP["steps"]


# --- the memory task ---------------------------------------------------------------------------------


def test_memory_sequences_start_with_the_answer_and_end_with_the_question():
    x, answers = ch09.memory_data(7, 50, np.random.default_rng(0))
    assert x.shape == (50, 9, 5) and np.all(x.sum(axis=2) == 1)
    np.testing.assert_array_equal(np.argmax(x[:, 0], axis=1), answers)
    assert np.all(x[:, -1, 4] == 1) and np.all(x[:, :-1, 4] == 0)
    assert ch09.show_sequence(x[0])[0] == "ABCD"[answers[0]] and ch09.show_sequence(x[0]).endswith(" ?")


def test_chrono_biases_start_the_memories_between_one_and_k_steps():
    lstm = ch09.chrono_biases(rnn.LSTM(5, 16, seed=0), 40, seed=0)
    forget, given = lstm.params["b"][16:32], lstm.params["b"][:16]
    assert np.all((forget >= 0) & (forget <= np.log(41)))
    np.testing.assert_array_equal(given, -forget)
    gru = ch09.chrono_biases(rnn.GRU(5, 16, seed=0), 40, seed=0)
    np.testing.assert_array_equal(gru.params["b"][16:32], forget)


def test_the_shipped_memory_results_support_the_pages_claims():
    results = ch09.memory_results()
    accuracy = results["accuracy"]
    assert accuracy.shape == (len(ch09.MEMORY_MODELS), len(ch09.MEMORY_KS), len(ch09.MEMORY_SEEDS))
    assert results["models"] == list(ch09.MEMORY_MODELS)
    by_model = dict(zip(results["models"], accuracy))
    assert np.all(by_model["LSTM (chrono)"] >= 0.95) and np.all(by_model["GRU (chrono)"] >= 0.95)
    assert np.all(by_model["RNN"][:2] == 1.0)                       # k = 5, 10: every seed
    assert by_model["RNN"][-1].max() < 0.35                          # k = 80: chance
    assert by_model["LSTM (forget bias 1)"][-1].max() < 0.35


def test_train_memory_reproduces_a_shipped_entry():
    results = ch09.memory_results()
    accuracy, _, _ = ch09.train_memory("RNN", 5, seed=2)
    assert accuracy == results["accuracy"][0, 0, 2]


# --- the character model -----------------------------------------------------------------------------


def test_char_data_splits_the_text_ninety_ten():
    data = ch09.char_data()
    assert data["train_chars"] + data["val_chars"] == len(data["text"]) == 63_889
    assert data["x"].shape[1:] == (ch09.CHAR["length"], 59) and data["x_val"].shape[1] == 100


def test_rounded_rounds_the_logits_and_keeps_the_state():
    step = ch09.rounded(lambda ids, state: (np.array([[0.1234567891, -2.0000004]]), "state"))
    logits, state = step(np.array([0]), None)
    np.testing.assert_array_equal(logits, [[0.123457, -2.0]])
    assert state == "state"


def test_generate_is_seeded():
    network = ch09.char_network("RNN", 8, seed=0)
    assert ch09.generate(network, 30, seed=3) == ch09.generate(network, 30, seed=3)
    assert ch09.generate(network, 30, seed=3) != ch09.generate(network, 30, seed=4)


def test_the_shipped_lstm_loads_and_beats_the_frequency_baseline():
    network, info = ch09.shipped_model()
    assert network.layers[0].hidden_size == int(info["hidden"])
    assert ch09.validation_perplexity(network) < 8.0
    np.testing.assert_allclose(ch09.validation_perplexity(network), np.exp(info["val_loss"][-1]), rtol=0.01)


def test_sequence_log_probability_is_beam_searchs_score():
    network, _ = ch09.shipped_model()
    vocab = ch09.char_data()["vocab"]
    prompt = vocab.encode(ch09.PROMPT)
    ids, score = text.beam_search(ch09.rounded(text.step_function(network)), prompt, 20, beam_width=3)[0]
    assert ch09.sequence_log_probability(network, prompt, ids) == pytest.approx(score, abs=1e-6)


def test_the_temperature_figure_draws_the_tempered_probabilities():
    figure = ch09.TemperatureFigure.plot(temperature=0.5)
    bars = [segment[1, 1] for segment in figure.axes[0].collections[0].get_segments()]
    expected = np.sort(text.temperature_softmax(ch09.temperature_logits(), 0.5))[::-1][:12]
    np.testing.assert_allclose(bars, expected)
    shown = figure.axes[1].texts[-1].get_text()
    assert shown.replace("↵\n", "\n").replace("\n", "")[:20] == \
        ch09.charmodel.temperature_sample(0.5).replace("\n", "")[:20]


# --- figures: what they draw -------------------------------------------------------------------------


def _figures():
    vocab, x, y = ch09.namaskar()
    net = ch09.namaskar_network()
    states = net.layers[0].forward(x)[0]
    p = ch09.next_letter_probabilities(net)
    history = type("History", (), {"loss": [3.0, 2.5], "val_loss": [3.1, 2.7]})()
    traces = {"forget gate, unit 3": np.full(5, 0.5), "input gate, unit 1": np.linspace(0, 1, 5)}
    return {
        "unrolled": ch09.plot_unrolled,
        "namaskar": lambda: ch09.plot_namaskar("namaskar", states, p, vocab.chars, p[-1]),
        "lstm cell": ch09.plot_lstm_cell,
        "gates": lambda: ch09.plot_gates_along_text("ab\ncd", traces),
        "memory": lambda: ch09.plot_memory(ch09.memory_results()),
        "char training": lambda: ch09.plot_char_training(history, 6.0, "shipped"),
        "flow": lambda: ch09.GradientFlowFigure.plot(gain=4.0, gate_bias=5.0),
        "clipping": lambda: ch09.ClippingFigure.plot(threshold=0.25),
        "temperature": lambda: ch09.TemperatureFigure.plot(temperature=3.0),
    }


@pytest.mark.parametrize("name", list(_figures()))
def test_no_text_of_a_chapter_figure_falls_outside_its_canvas(name):
    assert texts_outside_canvas(_figures()[name]()) == []


def test_the_namaskar_figure_frames_the_true_next_letters():
    vocab, x, _ = ch09.namaskar()
    net = ch09.namaskar_network()
    figure = ch09.plot_namaskar("namaskar", net.layers[0].forward(x)[0], ch09.next_letter_probabilities(net),
                                vocab.chars)
    frames = list(figure.axes[1].patches)                 # the middle panel: the predictions
    rows = sorted((round(p.get_x() + 0.5), round(p.get_y() + 0.5)) for p in frames)
    assert rows == [(t, vocab.id_of[c]) for t, c in enumerate("amaskar")]


def test_the_most_correlated_unit_is_found_with_its_means():
    feature = np.array([True, False, True, False, False, True])
    values = np.random.default_rng(0).uniform(0.4, 0.6, (6, 4))
    values[:, 2] = np.where(feature, 0.1, 0.9)
    assert ch09.most_correlated_unit(values, feature) == (2, pytest.approx(0.1), pytest.approx(0.9))


def test_the_memory_figure_draws_the_mean_of_each_model():
    results = ch09.memory_results()
    figure = ch09.plot_memory(results)
    means = [line.get_ydata() for line in figure.axes[0].get_lines() if len(line.get_ydata()) == 5]
    for mean, rows in zip(means, results["accuracy"]):
        np.testing.assert_allclose(mean, rows.mean(axis=1))


def test_demo_controls_are_labelled():
    for make in ch09.DEMOS.values():
        for name, control in make().controls.items():
            assert control.description, name


# --- checkers ------------------------------------------------------------------------------------------


def _right_step(x, h, W_xh, W_hh, b):
    return np.tanh(x @ W_xh + h @ W_hh + b)


def _right_bptt(x1, x2, h0, w, u, b, y):
    return checkers.bptt_two_steps(x1, x2, h0, w, u, b, y)


def _last_step_only(x1, x2, h0, w, u, b, y):
    h1 = np.tanh(w * x1 + u * h0 + b)
    h2 = np.tanh(w * x2 + u * h1 + b)
    g2 = (h2 - y) * (1 - h2 ** 2)
    return g2 * x2, g2 * h1, g2


def _no_slope_at_step_one(x1, x2, h0, w, u, b, y):
    h1 = np.tanh(w * x1 + u * h0 + b)
    h2 = np.tanh(w * x2 + u * h1 + b)
    g2 = (h2 - y) * (1 - h2 ** 2)
    g1 = g2 * u
    return g2 * x2 + g1 * x1, g2 * h1 + g1 * h0, g2 + g1


def _u_times_h_t(x1, x2, h0, w, u, b, y):
    h1 = np.tanh(w * x1 + u * h0 + b)
    h2 = np.tanh(w * x2 + u * h1 + b)
    g2 = (h2 - y) * (1 - h2 ** 2)
    g1 = g2 * u * (1 - h1 ** 2)
    return g2 * x2 + g1 * x1, g2 * h2 + g1 * h1, g2 + g1


def _flipped(x1, x2, h0, w, u, b, y):
    return tuple(-g for g in checkers.bptt_two_steps(x1, x2, h0, w, u, b, y))


RIGHT_ANSWERS = {
    "rnn-step": lambda: ch09.check_rnn_step(_right_step),
    "param-counts": lambda: ch09.check_param_counts(16_600, 66_400),
    "bptt": lambda: ch09.check_bptt_two_steps(_right_bptt),
    "clip-twice-median": lambda: ch09.check_clip_threshold(2 * np.median(ch09.clip_run(None)[0])),
}

WRONG_ANSWERS = {
    "step-no-bias": (lambda: ch09.check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh)), "left out the bias"),
    "step-no-tanh": (lambda: ch09.check_rnn_step(lambda x, h, Wx, Wh, b: x @ Wx + h @ Wh + b), "forgot the tanh"),
    "step-no-memory": (lambda: ch09.check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + b)), "no memory"),
    "step-sigmoid": (lambda: ch09.check_rnn_step(lambda x, h, Wx, Wh, b: 1 / (1 + np.exp(-(x @ Wx + h @ Wh + b)))),
                     "sigmoid"),
    "step-transposed": (lambda: ch09.check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh.T + b)),
                        "transposed"),
    "step-plus-h": (lambda: ch09.check_rnn_step(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h + b)), "h_{t-1} itself"),
    "step-None": (lambda: ch09.check_rnn_step(lambda x, h, Wx, Wh, b: None), "return"),
    "step-scalar": (lambda: ch09.check_rnn_step(lambda x, h, Wx, Wh, b: 0.5), "shape"),
    "count-no-bias": (lambda: ch09.check_param_counts(16_500, 66_400), "left out the bias"),
    "count-whh-as-hd": (lambda: ch09.check_param_counts(13_100, 66_400), "H × H, not H × D"),
    "count-times-t": (lambda: ch09.check_param_counts(415_000, 66_400), "counted once"),
    "count-with-output": (lambda: ch09.check_param_counts(23_165, 66_400), "output layer"),
    "count-no-whh": (lambda: ch09.check_param_counts(6_600, 66_400), "left out W_hh"),
    "count-two-biases": (lambda: ch09.check_param_counts(16_700, 66_400), "PyTorch keeps two"),
    "count-lstm-as-rnn": (lambda: ch09.check_param_counts(16_600, 16_600), "four blocks"),
    "count-lstm-no-bias": (lambda: ch09.check_param_counts(16_600, 66_000), "left out the biases"),
    "count-lstm-three": (lambda: ch09.check_param_counts(16_600, 49_800), "like a GRU"),
    "count-lstm-cell-weights": (lambda: ch09.check_param_counts(16_600, 66_500), "no weights of its own"),
    "count-lstm-times-t": (lambda: ch09.check_param_counts(16_600, 1_660_000), "count them once"),
    "count-skeleton": (lambda: ch09.check_param_counts(..., ...), "two whole numbers"),
    "bptt-last-step": (lambda: ch09.check_bptt_two_steps(_last_step_only), "only the last step"),
    "bptt-no-slope": (lambda: ch09.check_bptt_two_steps(_no_slope_at_step_one), "forgot step 1's tanh"),
    "bptt-u-times-h-t": (lambda: ch09.check_bptt_two_steps(_u_times_h_t), "uses h_{t−1}"),
    "bptt-sign": (lambda: ch09.check_bptt_two_steps(_flipped), "sign is flipped"),
    "bptt-one-number": (lambda: ch09.check_bptt_two_steps(lambda *args: 0.1), "three numbers"),
    "clip-too-low": (lambda: ch09.check_clip_threshold(0.3), "only shrinks every step"),
    "clip-never": (lambda: ch09.check_clip_threshold(1e6), "never clips"),
    "clip-too-high": (lambda: ch09.check_clip_threshold(30.0), "still get through"),
    "clip-negative": (lambda: ch09.check_clip_threshold(-1.0), "positive number"),
    "clip-skeleton": (lambda: ch09.check_clip_threshold(...), "positive number"),
}


# The tables are swept by tests/unit/test_checks.py (ticks, diagnoses, distinct messages).


def test_the_reference_step_is_the_librarys_rnn():
    for x, h, W_xh, W_hh, b in checkers.RNN_STEP_CASES:
        layer = rnn.RNN(3, 2)
        layer.params["W_xh"][...], layer.params["W_hh"][...], layer.params["b"][...] = W_xh, W_hh, b
        rows = np.atleast_2d(x)
        layer.h0 = np.atleast_2d(h)
        np.testing.assert_allclose(layer.forward(rows[:, None])[:, 0], np.atleast_2d(checkers.rnn_step(x, h, W_xh, W_hh, b)))


def test_the_reference_counts_are_the_formulas():
    assert checkers.param_counts(65, 100) == (65 * 100 + 100 * 100 + 100, 4 * (65 * 100 + 100 * 100 + 100))


@pytest.mark.parametrize("case", checkers.BPTT_CASES)
def test_the_reference_bptt_is_the_librarys(case):
    x1, x2, h0, w, u, b, y = case
    cell = rnn.RNN(1, 1)
    cell.params["W_xh"][...], cell.params["W_hh"][...], cell.params["b"][...] = w, u, b
    cell.h0 = np.array([[h0]])
    h2 = cell.forward(np.array([[[x1], [x2]]]))[0, -1, 0]
    cell.backward(np.array([[[0.0], [h2 - y]]]))
    np.testing.assert_allclose(checkers.bptt_two_steps(*case),
                               [cell.grads[name].item() for name in ("W_xh", "W_hh", "b")])


def test_the_rnn_step_exercise_numbers_are_the_solutions():
    np.testing.assert_allclose(checkers.rnn_step(*checkers.RNN_STEP_CASES[0]), [np.tanh(0.45), np.tanh(-1.05)])
