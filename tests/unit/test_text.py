"""nnbook.text: the vocabulary, one-hot codes, training windows, the shipped text, and text from
a model (sampling, greedy, beam search against brute force, perplexity by hand)."""

import itertools
from importlib import resources

import numpy as np
import pytest

from nnbook import text
from nnbook.activations import softmax
from nnbook.layers import Dense, Sequential
from nnbook.rnn import LSTM, RNN, TimeDense

# A hand-made model over the characters a, b, c (ids 0, 1, 2): the next character depends on
# the current one only (a table of probabilities; the state is not used).
#   after the prompt "x" (id 3): a 0.5, b 0.4, c 0.1
#   after a: a 0.34, b 0.33, c 0.33       after b: a 0.9, b 0.05, c 0.05      after c: uniform
TABLE = np.array([[0.34, 0.33, 0.33, 0.0], [0.9, 0.05, 0.05, 0.0], [1 / 3, 1 / 3, 1 / 3, 0.0],
                  [0.5, 0.4, 0.1, 0.0]])


def table_step(ids, state):
    with np.errstate(divide="ignore"):
        return np.log(TABLE[ids]), state


def _log_p(sequence, prompt=3):
    return float(sum(np.log(TABLE[a, b]) for a, b in zip([prompt, *sequence[:-1]], sequence)))


# --- Vocabulary ----------------------------------------------------------------------------

def test_the_vocabulary_is_the_sorted_distinct_characters():
    vocab = text.Vocabulary("namaskar")
    assert vocab.chars == "akmnrs" and len(vocab) == vocab.size == 6
    assert vocab.id_of["n"] == 3 and "z" not in vocab


def test_encode_then_decode_gives_the_text_back():
    vocab = text.Vocabulary("namaskar")
    ids = vocab.encode("mask")
    np.testing.assert_array_equal(ids, [2, 0, 5, 1])
    assert vocab.decode(ids) == "mask"
    assert vocab.decode(np.array([[3, 0], [2, 0]])) == ["na", "ma"]


def test_a_character_outside_the_vocabulary_is_named_with_its_position():
    with pytest.raises(ValueError, match="character 'x' at position 2 is not in the vocabulary of 6"):
        text.Vocabulary("namaskar").encode("naxy")


def test_decode_refuses_ids_outside_the_vocabulary():
    with pytest.raises(ValueError, match=r"0\.\.5.*got 6"):
        text.Vocabulary("namaskar").decode([1, 6])


def test_a_vocabulary_needs_a_non_empty_text():
    for bad in ("", None, ["a", "b"]):
        with pytest.raises(ValueError, match="non-empty str"):
            text.Vocabulary(bad)


# --- One-hot codes and training windows -------------------------------------------------------

def test_one_hot_puts_a_single_one_at_each_id():
    ids = np.array([[3, 0, 2], [1, 1, 5]])
    codes = text.one_hot(ids, 6)
    assert codes.shape == (2, 3, 6)
    np.testing.assert_array_equal(codes, np.eye(6)[ids])
    assert text.one_hot(ids, 6, dtype=np.float32).dtype == np.float32


def test_one_hot_refuses_ids_outside_the_range_and_non_integers():
    with pytest.raises(ValueError, match="0..5"):
        text.one_hot([0, 6], 6)
    with pytest.raises(ValueError, match="integer ids"):
        text.one_hot([0.5, 1], 6)


def test_windows_pair_each_input_with_the_next_character():
    ids = np.arange(11)
    inputs, targets = text.windows(ids, 3)
    np.testing.assert_array_equal(inputs, [[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    np.testing.assert_array_equal(targets, inputs + 1)
    overlapping, _ = text.windows(ids, 3, step=1)
    assert overlapping.shape == (8, 3)


def test_windows_need_the_inputs_and_one_more_character():
    with pytest.raises(ValueError, match="at least 4 ids"):
        text.windows(np.arange(3), 3)


def test_stream_batches_continue_each_row_from_one_batch_to_the_next():
    batches = text.stream_batches(np.arange(21), batch_size=2, length=4)   # streams 0..9, 10..19
    assert len(batches) == 2
    (x1, y1), (x2, y2) = batches
    np.testing.assert_array_equal(x1, [[0, 1, 2, 3], [10, 11, 12, 13]])
    np.testing.assert_array_equal(x2, [[4, 5, 6, 7], [14, 15, 16, 17]])
    np.testing.assert_array_equal(y2, x2 + 1)


# --- The shipped text ---------------------------------------------------------------------------

def test_the_shipped_text_loads_from_the_package():
    shakespeare = text.load_text("tiny_shakespeare")
    assert shakespeare.startswith("First Citizen:\nBefore we proceed any further, hear me speak.")
    assert len(shakespeare.encode("utf-8")) <= 100_000
    assert text.Vocabulary(shakespeare).size == 59
    folder = resources.files("nnbook.datasets")
    assert "public domain" in folder.joinpath("README.md").read_text(encoding="utf-8")


def test_an_unknown_text_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="tiny_shakespeare"):
        text.load_text("hamlet")


# --- Text from a model ------------------------------------------------------------------------------

def test_temperature_softmax_is_softmax_of_the_scaled_logits(rng):
    logits = rng.normal(size=(3, 5))
    for temperature in (0.5, 1.0, 2.0):
        np.testing.assert_allclose(text.temperature_softmax(logits, temperature),
                                   softmax(logits / temperature), rtol=1e-14)
    cold = text.temperature_softmax(logits, 1e-3)
    np.testing.assert_allclose(cold, np.eye(5)[np.argmax(logits, axis=1)], atol=1e-12)


@pytest.mark.parametrize("temperature", [0, -1.0, float("nan"), True, "1"])
def test_a_temperature_that_is_not_a_positive_number_is_refused(temperature):
    with pytest.raises(ValueError, match="temperature must be a number > 0"):
        text.temperature_softmax([1.0, 2.0], temperature)
    with pytest.raises(ValueError, match="temperature must be a number > 0"):
        text.sample(table_step, [3], 5, temperature=temperature)


def test_sampling_with_a_seed_gives_the_same_text_every_time():
    first = text.sample(table_step, [3], 30, seed=7)
    np.testing.assert_array_equal(text.sample(table_step, [3], 30, seed=7), first)
    assert not np.array_equal(text.sample(table_step, [3], 30, seed=8), first)


def test_samples_follow_the_models_probabilities_at_the_temperature():
    rng = np.random.default_rng(0)
    for temperature in (1.0, 2.0):
        firsts = np.array([text.sample(table_step, [3], 1, temperature=temperature, seed=rng)[0]
                           for _ in range(4000)])
        frequencies = np.bincount(firsts, minlength=4) / len(firsts)
        expected = text.temperature_softmax(np.log(TABLE[3, :3]), temperature)
        np.testing.assert_allclose(frequencies[:3], expected, atol=0.025)   # about 3 standard errors


def test_greedy_takes_the_most_likely_character_each_time():
    np.testing.assert_array_equal(text.greedy(table_step, [3], 3), [0, 0, 0])   # a, then a, a


def test_sampling_at_a_low_temperature_is_greedy():
    np.testing.assert_array_equal(text.sample(table_step, [3], 6, temperature=1e-3, seed=0),
                                  text.greedy(table_step, [3], 6))


def test_beam_search_finds_the_likelier_text_that_greedy_misses():
    """Greedy takes a (0.5) and then has 0.34 at best: 0.17; "ba" has 0.4 * 0.9 = 0.36."""
    (best, log_p), (second, _) = text.beam_search(table_step, [3], 2, beam_width=2)
    np.testing.assert_array_equal(text.greedy(table_step, [3], 2), [0, 0])
    np.testing.assert_array_equal(best, [1, 0])
    assert log_p == pytest.approx(np.log(0.4 * 0.9))
    np.testing.assert_array_equal(second, [0, 0])


def test_beam_search_as_wide_as_all_texts_ranks_them_exactly():
    """Brute force over all 3^3 continuations: the beam keeps the true top 5, in order."""
    everything = sorted((-_log_p(list(s)), s) for s in itertools.product(range(3), repeat=3))
    found = text.beam_search(table_step, [3], 3, beam_width=27)
    for (ids, log_p), (neg_log_p, expected) in zip(found[:5], everything[:5]):
        assert log_p == pytest.approx(-neg_log_p)
        assert tuple(ids) == expected or log_p == pytest.approx(_log_p(list(ids)))


def test_a_beam_of_width_one_is_greedy():
    [(ids, log_p)] = text.beam_search(table_step, [3], 4, beam_width=1)
    np.testing.assert_array_equal(ids, text.greedy(table_step, [3], 4))
    assert log_p == pytest.approx(_log_p(list(ids)))


@pytest.mark.parametrize("width", [0, -2, 1.5])
def test_a_beam_width_that_is_not_a_positive_integer_is_refused(width):
    with pytest.raises(ValueError, match="beam_width must be a positive integer"):
        text.beam_search(table_step, [3], 2, beam_width=width)


def test_a_prompt_must_be_ids():
    with pytest.raises(ValueError, match="prompt must be a non-empty 1-D array"):
        text.greedy(table_step, [], 3)
    with pytest.raises(ValueError, match="prompt must be a non-empty 1-D array"):
        text.greedy(table_step, "abc", 3)


# --- A network as a model -------------------------------------------------------------------------

def test_a_networks_step_function_gives_what_one_forward_on_the_whole_text_gives(rng):
    net = Sequential([LSTM(5, 8, seed=0), RNN(8, 6, seed=1), TimeDense(6, 5, seed=2)])
    ids = rng.integers(0, 5, size=7)
    whole = net.forward(text.one_hot(ids, 5)[None])[0]
    step, state = text.step_function(net), None
    for t, char in enumerate(ids):
        logits, state = step(np.array([char]), state)
        np.testing.assert_allclose(logits[0], whole[t], rtol=1e-12, atol=1e-14)
    assert all(getattr(layer, f"{name}0") is None for layer in net.layers[:2] for name in layer.state_names)


def test_a_step_function_needs_a_recurrent_layer():
    with pytest.raises(ValueError, match="recurrent layer"):
        text.step_function(Sequential([Dense(5, 5)]))


# --- Perplexity --------------------------------------------------------------------------------------

def test_perplexity_is_exp_of_the_mean_cross_entropy_by_hand():
    logits = np.log(np.array([[[0.5, 0.25, 0.25], [0.1, 0.8, 0.1]]]))   # (1, 2, 3) probabilities
    targets = np.array([[0, 2]])                                         # p = 0.5, then 0.1
    assert text.perplexity(targets, logits) == pytest.approx(np.exp(-(np.log(0.5) + np.log(0.1)) / 2))
    assert text.perplexity(targets, logits) == pytest.approx(1 / np.sqrt(0.05))   # geometric mean


def test_a_uniform_model_has_the_vocabulary_size_as_perplexity():
    assert text.perplexity(np.array([0, 3, 1]), np.zeros((3, 7))) == pytest.approx(7.0)
