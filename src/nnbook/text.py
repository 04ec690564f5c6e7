r"""Characters as data: a vocabulary, one-hot codes, training windows, and text from a model.

A character-level language model reads a text one character at a time and, at every step,
gives scores (logits) for the next character. This module holds everything around the
network (``nnbook.rnn``):

- ``load_text(name)``: a small public-domain text shipped with the book (``TEXTS``).
- ``Vocabulary(text)``: the text's distinct characters, sorted; ``encode`` / ``decode``.
- ``one_hot(ids, size)``: ids (...) -> (..., size) rows of 0s with one 1.
- ``windows(ids, length)``: training pairs, inputs (N, T) and targets (N, T), the targets
  being the inputs shifted by one character; ``stream_batches`` for carrying the state.
- ``temperature_softmax``, ``sample``, ``greedy``, ``beam_search``: text from a model.
- ``perplexity``: exp(mean cross-entropy), "how many characters the model hesitates between".

A model, for the generating functions, is a *step function* ``step(ids, state) -> (logits,
state)``: given the current character of each of B sequences (ids, shape (B,)) and the state
returned by the previous call (None at the start), it returns the logits of the next
character (B, K) and the new state (None, an array or a tuple of arrays, batch first, so
beam search can reorder it). ``step_function(net)`` makes one from a network of ``nnbook``
layers that reads one-hot characters; a hand-made table works too (the tests use one).
"""

from importlib import resources

import numpy as np

from nnbook._validate import as_array, as_count, as_rng
from nnbook.layers import Sequential
from nnbook.losses import softmax_cross_entropy
from nnbook.rnn import Recurrent, sequence_softmax_cross_entropy

#: The texts shipped with the book: name -> file in ``nnbook/datasets`` (sources and licences
#: in ``nnbook/datasets/README.md``).
TEXTS = {
    # The first 63,889 characters (Coriolanus, to the middle of act 2) of Tiny Shakespeare,
    # karpathy/char-rnn data/tinyshakespeare/input.txt; Shakespeare's plays: public domain.
    "tiny_shakespeare": "tiny_shakespeare.txt",
}


def load_text(name="tiny_shakespeare"):
    """A text shipped with the book, read from the installed package (never downloaded)."""
    if name not in TEXTS:
        raise ValueError(f"name must be one of {sorted(TEXTS)}; got {name!r}")
    return resources.files("nnbook.datasets").joinpath(TEXTS[name]).read_text(encoding="utf-8")


def _show_char(char):
    """A character as a learner can read it in a message: 'a', '\\n', ' ' (U+0020)."""
    return repr(char) + (f" (U+{ord(char):04X})" if not char.isprintable() or char.isspace() else "")


class Vocabulary:
    """The distinct characters of a text, sorted, numbered 0..size-1.

        vocab = Vocabulary("namaskar")   # chars: a k m n r s
        vocab.encode("mask")             # array([2, 0, 5, 1])
        vocab.decode([3, 0])             # "na"

    ``chars`` (a str, in id order), ``size`` (also ``len(vocab)``); ``id_of`` maps a
    character to its id. A character that is not in the vocabulary raises a ValueError that
    names it and where it is.
    """

    def __init__(self, text):
        if not isinstance(text, str) or not text:
            raise ValueError(f"Vocabulary is built from a text, a non-empty str; got {text!r}"[:200])
        self.chars = "".join(sorted(set(text)))
        self.id_of = {char: index for index, char in enumerate(self.chars)}

    @property
    def size(self):
        """The number of distinct characters, K (the width of a one-hot code)."""
        return len(self.chars)

    def __len__(self):
        return self.size

    def __contains__(self, char):
        return char in self.id_of

    def encode(self, text):
        """A str -> its characters' ids, an int array of shape (len(text),)."""
        if not isinstance(text, str):
            raise ValueError(f"encode expects a str; got {type(text).__name__} (decode turns ids into text)")
        unknown = set(text) - self.id_of.keys()
        if unknown:
            position = min(text.index(char) for char in unknown)
            raise ValueError(f"character {_show_char(text[position])} at position {position} is not in "
                             f"the vocabulary of {self.size} characters {self.chars!r}; build the "
                             "vocabulary from a text that contains it")
        return np.fromiter((self.id_of[char] for char in text), dtype=np.intp, count=len(text))

    def decode(self, ids):
        """Ids -> text: a str for ids of shape (T,), a list of str for (N, T)."""
        ids = _as_ids(ids, self.size, "ids", ndim=(1, 2))
        if ids.ndim == 2:
            return [self.decode(row) for row in ids]
        return "".join(self.chars[i] for i in ids)

    def __repr__(self):
        shown = self.chars if self.size <= 20 else self.chars[:20] + "..."
        return f"Vocabulary({shown!r}, size={self.size})"


def _as_ids(ids, size, name, ndim=None):
    """``ids`` as an int array of class ids in 0..size-1 (not empty), or a ValueError."""
    array = np.asarray(ids)
    if array.dtype.kind not in "iu":
        if array.dtype.kind == "f" and array.size and np.all(array == np.round(array)):
            array = array.astype(np.intp)
        else:
            raise ValueError(f"{name} must be integer ids 0..{size - 1}; got dtype {array.dtype}")
    if ndim is not None and array.ndim not in ((ndim,) if isinstance(ndim, int) else ndim):
        raise ValueError(f"{name} must have {ndim} axes; got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty; it needs at least one id")
    low, high = array.min(), array.max()
    if low < 0 or high >= size:
        bad = low if low < 0 else high
        raise ValueError(f"{name} must lie in 0..{size - 1} (a vocabulary of {size}); got {bad}")
    return array


def one_hot(ids, size, dtype=np.float64):
    """Ids of any shape (...) -> one-hot codes (..., size): 1 at each id, 0 elsewhere."""
    size = as_count(size, "size")
    ids = _as_ids(ids, size, "ids")
    codes = np.zeros(ids.shape + (size,), dtype=dtype)
    np.put_along_axis(codes, ids[..., None], 1, axis=-1)
    return codes


def windows(ids, length, *, step=None):
    """Training pairs from a long sequence of ids: (inputs, targets), each (N, length).

    inputs[i] = ids[i*step : i*step + length] and targets[i] = ids[i*step + 1 : i*step + length + 1]:
    at every position the target is the next character. step: how far apart windows start
    (default ``length``: windows side by side, as min-char-rnn reads its text); a window must
    fit whole, so N = (len(ids) - 1 - length) // step + 1.
    """
    ids = _as_ids(ids, np.iinfo(np.intp).max, "ids", ndim=1)
    length = as_count(length, "length")
    step = length if step is None else as_count(step, "step")
    if len(ids) < length + 1:
        raise ValueError(f"windows of length {length} need at least {length + 1} ids (the inputs "
                         f"and the one after them); got {len(ids)}")
    pairs = np.lib.stride_tricks.sliding_window_view(ids, length + 1)[::step]
    return pairs[:, :-1].copy(), pairs[:, 1:].copy()


def stream_batches(ids, batch_size, length):
    """Batches that continue each other, for carrying a recurrent state across batches.

    The ids are cut into ``batch_size`` equal streams (the remainder dropped); batch j holds
    positions [j*length, (j+1)*length) of every stream, so row i of batch j + 1 continues row i
    of batch j, and a layer's ``h0 = h_last`` carries what it read. Returns a list of
    (inputs, targets) pairs, each (batch_size, length), targets shifted by one.
    """
    ids = _as_ids(ids, np.iinfo(np.intp).max, "ids", ndim=1)
    batch_size, length = as_count(batch_size, "batch_size"), as_count(length, "length")
    per_stream = (len(ids) - 1) // batch_size
    if per_stream < length:
        raise ValueError(f"{len(ids)} ids make {batch_size} streams of {per_stream} steps, shorter "
                         f"than one window of length {length}; use fewer streams or shorter windows")
    inputs = ids[:batch_size * per_stream].reshape(batch_size, per_stream)
    targets = ids[1:batch_size * per_stream + 1].reshape(batch_size, per_stream)
    return [(inputs[:, j:j + length].copy(), targets[:, j:j + length].copy())
            for j in range(0, per_stream - length + 1, length)]


# --- Text from a model --------------------------------------------------------------------

def _as_temperature(temperature):
    if (isinstance(temperature, (bool, np.bool_)) or not isinstance(temperature, (int, float, np.number))
            or not np.isfinite(temperature) or temperature <= 0):
        raise ValueError(f"temperature must be a number > 0 (1: the model's own probabilities, "
                         f"< 1: sharper, > 1: flatter); got {temperature!r}")
    return float(temperature)


def _softmax_rows(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def temperature_softmax(logits, temperature=1.0):
    r"""The next character's probabilities at a temperature: $\mathrm{softmax}(z / \tau)$.

    $\tau = 1$: the model's own probabilities; $\tau \to 0$: all the probability on the
    largest score (greedy); large $\tau$: towards uniform. logits: (..., K). temperature > 0.
    """
    temperature = _as_temperature(temperature)
    logits = as_array(logits, "logits")
    if logits.ndim == 0:
        raise ValueError("logits needs at least one axis of scores; got a scalar")
    return _softmax_rows(logits.astype(np.float64) / temperature)


def _as_prompt(prompt):
    prompt = np.asarray(prompt)
    if prompt.ndim != 1 or prompt.size == 0 or prompt.dtype.kind not in "iu":
        raise ValueError(f"prompt must be a non-empty 1-D array of character ids (vocab.encode(text)); "
                         f"got {prompt!r}"[:200])
    return prompt


def _take(state, rows):
    """The state of the sequences ``rows`` (an index array): batch-first arrays, reordered."""
    if state is None:
        return None
    if isinstance(state, (tuple, list)):
        return type(state)(_take(part, rows) for part in state)
    return state[rows]


def _logits_of(step, ids, state):
    logits, state = step(np.asarray(ids), state)
    return np.asarray(logits, dtype=np.float64), state


def _read_prompt(step, prompt, copies=1):
    """Feed the prompt through the model: the logits after its last character, and the state."""
    state = None
    for char in prompt:
        logits, state = _logits_of(step, np.full(copies, char), state)
    return logits, state


def sample(step, prompt, length, *, temperature=1.0, seed=None):
    """Generate ``length`` character ids after ``prompt`` by drawing each from the model.

    step: the model, ``step(ids, state) -> (logits, state)`` (see the module's doc, and
    ``step_function``); prompt: the ids to start from, at least one. Each next character is
    drawn from ``temperature_softmax(logits, temperature)``. seed: None, an int (the same text
    every time) or a Generator. Returns the generated ids (length,), without the prompt.
    """
    prompt, length = _as_prompt(prompt), as_count(length, "length")
    temperature, rng = _as_temperature(temperature), as_rng(seed)
    logits, state = _read_prompt(step, prompt)
    out = np.empty(length, dtype=np.intp)
    for k in range(length):
        cumulative = np.cumsum(_softmax_rows(logits[0] / temperature))
        out[k] = min(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"),
                     len(cumulative) - 1)
        if k < length - 1:
            logits, state = _logits_of(step, out[k:k + 1], state)
    return out


def greedy(step, prompt, length):
    """Generate ``length`` ids after ``prompt``, each the model's most likely next character.

    Deterministic; the same as ``sample`` as the temperature goes to 0. Often repeats itself:
    the most likely character at each step need not make the most likely text (``beam_search``).
    """
    prompt, length = _as_prompt(prompt), as_count(length, "length")
    logits, state = _read_prompt(step, prompt)
    out = np.empty(length, dtype=np.intp)
    for k in range(length):
        out[k] = int(np.argmax(logits[0]))
        if k < length - 1:
            logits, state = _logits_of(step, out[k:k + 1], state)
    return out


def beam_search(step, prompt, length, *, beam_width=3):
    r"""The ``beam_width`` most likely continuations of ``length`` characters, kept step by step.

    At every step each of the k kept sequences is extended by every character, scored by its
    log-probability $\sum \log p(\text{char} \mid \text{before})$ under the model (temperature
    1), and the k best of the k*K extensions are kept. beam_width=1 is ``greedy``; a wider
    beam can find a text whose first character is not the most likely one but whose whole is
    (it is still not guaranteed to find the best). Returns [(ids (length,), log-probability),
    ...], best first (ties: the smaller ids first), at most beam_width of them.
    """
    prompt, length = _as_prompt(prompt), as_count(length, "length")
    beam_width = as_count(beam_width, "beam_width")
    logits, state = _read_prompt(step, prompt)
    sequences = np.empty((1, 0), dtype=np.intp)
    scores = np.zeros(1)
    for k in range(length):
        log_p = logits - logits.max(axis=1, keepdims=True)
        log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
        candidates = (scores[:, None] + log_p).ravel()
        best = np.argsort(-candidates, kind="stable")[:beam_width]
        parents, chars = np.divmod(best, log_p.shape[1])
        sequences = np.concatenate([sequences[parents], chars[:, None]], axis=1)
        scores = candidates[best]
        if k < length - 1:
            logits, state = _logits_of(step, chars, _take(state, parents))
    return [(sequences[i], float(scores[i])) for i in range(len(scores))]


def _recurrent_layers(network):
    layers = network.layers if isinstance(network, Sequential) else [network]
    found = []
    for layer in layers:
        if isinstance(layer, Sequential):
            found += _recurrent_layers(layer)
        elif isinstance(layer, Recurrent):
            found.append(layer)
    return found


def step_function(network):
    """A step function ``step(ids, state) -> (logits, state)`` for a network of ``nnbook`` layers
    (a Sequential or one layer) that maps one-hot characters (N, T, K) to logits (N, T, K).

    Each call runs the network on one character per sequence, (B, 1, K), starting each
    recurrent layer from ``state`` (None: zeros) and returning its states after the step, so
    generating n characters costs n one-step forward passes. The layers' own ``h0``/``c0`` are
    left as they were. Put a network with dropout in inference mode first (``net.eval()``).
    """
    recurrent = _recurrent_layers(network)
    size = network.input_shape[-1] if network.input_shape else None
    if not recurrent or size is None:
        raise ValueError(f"step_function needs a network with a recurrent layer (RNN, LSTM, GRU) "
                         f"whose input width is known; got {network!r}")
    names = [(layer, name) for layer in recurrent for name in layer.state_names]

    def step(ids, state):
        saved = [getattr(layer, f"{name}0") for layer, name in names]
        try:
            for (layer, name), value in zip(names, state or [None] * len(names)):
                setattr(layer, f"{name}0", value)
            logits = network.forward(one_hot(ids, size)[:, None, :])
            new_state = tuple(getattr(layer, f"{name}_last") for layer, name in names)
        finally:
            for (layer, name), value in zip(names, saved):
                setattr(layer, f"{name}0", value)
        return logits[:, -1, :], new_state

    return step


def perplexity(y_true, logits):
    r"""$\exp$ of the mean cross-entropy of the logits for the targets (natural log).

    A model that spreads its probability evenly over m characters has perplexity m; a perfect
    one, 1. y_true: (N, T) ids with logits (N, T, K) (``sequence_softmax_cross_entropy``), or
    (N,) with (N, K). A loss curve converts directly: ``np.exp(losses)``.
    """
    if np.ndim(logits) == 3:
        return float(np.exp(sequence_softmax_cross_entropy(y_true, logits)))
    return float(np.exp(softmax_cross_entropy(y_true, logits)))
