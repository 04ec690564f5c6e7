r"""A task with a known memory length: recall the first symbol after k distractors.

Each sequence is k + 2 symbols: the symbol to remember (one of A, B, C, D), k distractors
drawn from the same four letters, and a question mark; at the question mark the network must
name the first symbol. Chance is 1 in 4. Nothing in the distractors helps, and they look
like the symbol to remember, so the network must keep one symbol for k steps while reading
symbols of the same kind.

Three cells of 16 units read the sequences (many-to-one: ``LastStep`` then a dense layer):
the vanilla RNN; the LSTM as the library builds it (forget-gate bias 1); and the LSTM with
"chrono" initialisation (Tallec & Ollivier 2018): each unit's forget-gate bias
$b_f = \ln u$ with $u$ drawn uniformly from [1, k + 1], and its input-gate bias $-b_f$, so
the units start with memories of 2 to k + 2 steps (a forget gate $f = u/(1 + u)$ keeps a
fraction $f$ per step: about $1/(1 - f) = 1 + u$ steps). The GRU is given the same chrono start on its
update gate, the gate that keeps the old state. Each is trained with Adam (0.01, batches of 32,
gradients clipped at norm 5) on 512 sequences for 40 epochs (640 updates) and tested on 1,000
new sequences. ``tools/train_ch09.py`` runs every k and seed; the results ship with the book
in ``nnbook/datasets/ch09_memory.npz``.
"""

from importlib import resources

import numpy as np

from nnbook import layers, optim, rnn, training

from .common import CELLS, one_thread

#: The task and its training, the same on the page and in tools/train_ch09.py.
MEMORY = {"symbols": "ABCD", "hidden": 16, "train": 512, "test": 1000, "epochs": 40, "batch_size": 32,
          "learning_rate": 0.01, "clip_norm": 5.0}
#: The models compared: name -> (cell, initialisation of its keep-gate biases).
MEMORY_MODELS = {"RNN": ("RNN", None), "LSTM (forget bias 1)": ("LSTM", None),
                 "LSTM (chrono)": ("LSTM", "chrono"), "GRU (chrono)": ("GRU", "chrono")}
#: The memory lengths and seeds of the shipped results.
MEMORY_KS, MEMORY_SEEDS = (5, 10, 20, 40, 80), (0, 1, 2)
#: The shipped results' file in nnbook/datasets.
MEMORY_FILE = "ch09_memory.npz"


def memory_data(k, n, rng):
    """n sequences of the task with k distractors: one-hot inputs (n, k + 2, 5) and the answers
    (n,) in 0..3 (A..D). The fifth input is the question mark."""
    size = len(MEMORY["symbols"])
    sequences = rng.integers(0, size, (n, k + 2))
    sequences[:, -1] = size                      # the question mark
    x = np.zeros((n, k + 2, size + 1))
    np.put_along_axis(x, sequences[..., None], 1.0, axis=-1)
    return x, sequences[:, 0]


def show_sequence(x):
    """One sequence of the task as text: 'B ACDDBA… ?'."""
    letters = MEMORY["symbols"] + "?"
    chars = [letters[i] for i in np.argmax(x, axis=-1)]
    return f"{chars[0]} {''.join(chars[1:-1])} {chars[-1]}"


def chrono_biases(layer, k, seed):
    """Chrono initialisation (Tallec & Ollivier 2018) of the gate that keeps the old state: the
    LSTM's forget gate (bias ln u, u ~ U[1, k + 1]; its input gate -ln u) or the GRU's update
    gate (bias ln u)."""
    H = layer.hidden_size
    keep = np.log(np.random.default_rng(seed).uniform(1.0, k + 1.0, H))
    layer.params["b"][H:2 * H] = keep
    if isinstance(layer, rnn.LSTM):
        layer.params["b"][:H] = -keep
    return layer


def memory_network(model, k, seed=0):
    """The network of ``model`` (a key of ``MEMORY_MODELS``) for memory length k."""
    cell, init = MEMORY_MODELS[model]
    size, H = len(MEMORY["symbols"]), MEMORY["hidden"]
    layer = CELLS[cell](size + 1, H, seed=seed)
    if init == "chrono":
        chrono_biases(layer, k, seed)
    return layers.Sequential([layer, rnn.LastStep(), layers.Dense(H, size, seed=seed + 100)])


def train_memory(model, k, seed=0, epochs=None):
    """Train ``model`` on the task with k distractors; returns (test accuracy, network, History).
    The data, the weights and the batches all follow ``seed``."""
    rng = np.random.default_rng(seed)
    x, y = memory_data(k, MEMORY["train"], rng)
    x_test, y_test = memory_data(k, MEMORY["test"], rng)
    network = memory_network(model, k, seed)
    with one_thread():
        history = training.fit(network, x, y, loss="softmax_cross_entropy",
                               optimizer=optim.Adam(MEMORY["learning_rate"]),
                               epochs=MEMORY["epochs"] if epochs is None else epochs,
                               batch_size=MEMORY["batch_size"], clip_norm=MEMORY["clip_norm"], seed=seed)
        accuracy = float(np.mean(np.argmax(network.forward(x_test), axis=1) == y_test))
    return accuracy, network, history


def memory_results():
    """The shipped results: {"ks": (K,), "seeds": (S,), "models": names, "accuracy": (M, K, S)}."""
    with resources.files("nnbook.datasets").joinpath(MEMORY_FILE).open("rb") as handle:
        data = np.load(handle)
        return {"ks": data["ks"], "seeds": data["seeds"], "models": [str(m) for m in data["models"]],
                "accuracy": data["accuracy"]}
