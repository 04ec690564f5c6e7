"""What every part of chapter 9 uses: one BLAS thread for training, the word "namaskar", the
three cells with their colours, and the loss at every step."""

import numpy as np

from nnbook import layers, optim, rnn, text, training
from nnbook.plotting import PALETTE

#: The three recurrent cells of the chapter, by the names the page uses.
CELLS = {"RNN": rnn.RNN, "LSTM": rnn.LSTM, "GRU": rnn.GRU}
#: One colour and line style per cell, the same in every figure of the chapter.
STYLES = {
    "RNN": {"color": PALETTE["vermillion"], "ls": "-", "marker": "o"},
    "LSTM": {"color": PALETTE["blue"], "ls": "-", "marker": "s"},
    "GRU": {"color": PALETTE["green"], "ls": "--", "marker": "^"},
}
#: The loss at every step of every sequence, for ``training.fit``: (loss, its gradient).
SEQUENCE_LOSS = (rnn.sequence_softmax_cross_entropy, rnn.sequence_softmax_cross_entropy_gradient)

#: One BLAS thread for every training run of the chapter (shared with the appendix).
one_thread = training.one_thread


# --- "namaskar" ------------------------------------------------------------------------------

#: The chapter's first sequence: eight letters, six distinct ones.
WORD = "namaskar"


def namaskar():
    """The word as a training example: (vocab, x (1, 7, 6) one-hot letters 1-7, y (1, 7) ids of
    letters 2-8). At step t the network reads letter t and must predict letter t + 1."""
    vocab = text.Vocabulary(WORD)
    ids = vocab.encode(WORD)
    return vocab, text.one_hot(ids[:-1], vocab.size)[None], ids[1:][None]


def namaskar_network(hidden=8, *, seed=0, recurrent=True):
    """RNN(6, hidden) then TimeDense(hidden, 6): scores for the next letter at every step.

    recurrent=False: the same sizes without the loop (a dense tanh layer at every step), a
    network that sees one letter at a time."""
    first = rnn.RNN(6, hidden, seed=seed) if recurrent else rnn.TimeDense(6, hidden, seed=seed)
    middle = [] if recurrent else [layers.Activation("tanh")]
    return layers.Sequential([first, *middle, rnn.TimeDense(hidden, 6, seed=seed + 1)])


def train_namaskar(network, *, epochs=50, learning_rate=0.05):
    """Train on the word, the whole sequence as one batch, with Adam; returns the History."""
    _, x, y = namaskar()
    with one_thread():
        return training.fit(network, x, y, loss=SEQUENCE_LOSS, optimizer=optim.Adam(learning_rate),
                            epochs=epochs)


def next_letter_probabilities(network):
    """The network's probabilities for the next letter after each of the 7 letters: (7, 6)."""
    _, x, _ = namaskar()
    return text.temperature_softmax(network.forward(x)[0])


def orthogonal(size, rng):
    """A random orthogonal matrix (size, size): every singular value 1 (QR of a Gaussian)."""
    q, r = np.linalg.qr(rng.normal(size=(size, size)))
    return q * np.sign(np.diag(r))


def set_recurrent_gain(layer, gain, seed=0):
    """Replace the recurrent weights of an RNN, LSTM or GRU by ``gain`` times random orthogonal
    matrices, one per H x H block (so every block's largest singular value is ``gain``)."""
    rng = np.random.default_rng(seed)
    key = "W_hh" if "W_hh" in layer.params else "W_h"
    H = layer.hidden_size
    blocks = layer.params[key].shape[1] // H
    layer.params[key][...] = gain * np.concatenate([orthogonal(H, rng) for _ in range(blocks)], axis=1)
    return layer
