r"""A character-level language model of the shipped text (the opening of Tiny Shakespeare).

The text is split once: its first 90% trains, its last 10% validates. Training reads windows
of ``CHAR["length"]`` characters side by side (each starts from a zero state) and predicts
every next character (``training.fit`` with the loss at every step); validation reads windows
of ``CHAR["validation_length"]``. The page trains a vanilla RNN for a few epochs;
``tools/train_ch09.py`` trains an LSTM of the same width for longer and ships its weights
(float16, ``nnbook/datasets/ch09_char_lstm.npz``), which the page loads.
"""

import functools
from importlib import resources

import numpy as np

from nnbook import layers, optim, rnn, text, training
from nnbook.widgets import Demo, LiveFigure, Slider

from .common import CELLS, SEQUENCE_LOSS, one_thread

#: The character model's data and training, the same on the page and in tools/train_ch09.py.
CHAR = {"split": 0.9, "length": 50, "validation_length": 100, "batch_size": 32, "hidden": 64,
        "learning_rate": 0.01, "clip_norm": 5.0}
#: The prompt every sample starts from, and how many characters a sample has.
PROMPT, SAMPLE_LENGTH = "First Citizen:\n", 160
#: Logits are rounded to this many decimals before sampling (see ``rounded``).
LOGIT_DECIMALS = 6
#: The shipped, longer-trained LSTM's file in nnbook/datasets.
CHAR_FILE = "ch09_char_lstm.npz"


@functools.lru_cache(maxsize=1)
def char_data():
    """The text, its vocabulary, and one-hot windows: {"text", "vocab", "x", "y", "x_val", "y_val",
    "train_chars", "val_chars"}."""
    full = text.load_text()
    vocab = text.Vocabulary(full)
    ids = vocab.encode(full)
    cut = int(CHAR["split"] * len(ids))
    x_ids, y = text.windows(ids[:cut], CHAR["length"])
    xv_ids, y_val = text.windows(ids[cut:], CHAR["validation_length"])
    return {"text": full, "vocab": vocab, "x": text.one_hot(x_ids, vocab.size), "y": y,
            "x_val": text.one_hot(xv_ids, vocab.size), "y_val": y_val, "train_chars": cut,
            "val_chars": len(ids) - cut}


def char_network(cell="RNN", hidden=None, seed=0):
    """``cell`` (RNN, LSTM or GRU) of ``hidden`` units, then the scores of the next character."""
    size = char_data()["vocab"].size
    hidden = CHAR["hidden"] if hidden is None else hidden
    return layers.Sequential([CELLS[cell](size, hidden, seed=seed), rnn.TimeDense(hidden, size, seed=seed + 1)])


def rounded(step):
    """The step function ``step`` with its logits rounded to ``LOGIT_DECIMALS`` decimals.

    Two CPUs compute the same logits up to the last bits of round-off; a sampled character
    could only differ if a random draw fell within that round-off of a boundary between two
    characters. Rounding first makes the two computations agree exactly in all but a
    vanishing share of cases, so the page's samples are the same on every machine.
    """
    def step_rounded(ids, state):
        logits, state = step(ids, state)
        return np.round(np.asarray(logits, dtype=np.float64), LOGIT_DECIMALS), state

    return step_rounded


def generate(network, length=SAMPLE_LENGTH, *, temperature=1.0, seed=0, prompt=PROMPT):
    """A sample of ``length`` characters after ``prompt`` (temperature, seeded), as text."""
    vocab = char_data()["vocab"]
    step = rounded(text.step_function(network))
    ids = text.sample(step, vocab.encode(prompt), length, temperature=temperature, seed=seed)
    return vocab.decode(ids)


def validation_perplexity(network):
    """exp(the mean cross-entropy per character) on the validation windows."""
    data = char_data()
    with one_thread():
        return text.perplexity(data["y_val"], network.forward(data["x_val"]))


def train_char(network, epochs, *, seed=0, learning_rate=None, samples_at=(), sample_seed=0):
    """Train a character model with ``training.fit``; returns (History, {epoch: sample}).

    samples_at: the epochs after which to write a sample (0: before training), each drawn
    with ``sample_seed``. The History holds the training and validation loss per epoch.
    """
    data = char_data()
    samples = {}
    if 0 in samples_at:
        samples[0] = generate(network, seed=sample_seed)

    def callback(epoch, net, _history):
        if epoch in samples_at:
            samples[epoch] = generate(net, seed=sample_seed)

    rate = CHAR["learning_rate"] if learning_rate is None else learning_rate
    with one_thread():
        history = training.fit(network, data["x"], data["y"], loss=SEQUENCE_LOSS, optimizer=optim.Adam(rate),
                               epochs=epochs, batch_size=CHAR["batch_size"], clip_norm=CHAR["clip_norm"],
                               seed=seed, validation=(data["x_val"], data["y_val"]), callback=callback)
    return history, samples


@functools.lru_cache(maxsize=1)
def _shipped():
    with resources.files("nnbook.datasets").joinpath(CHAR_FILE).open("rb") as handle:
        data = np.load(handle)
        return {key: data[key] for key in data.files}


def shipped_model():
    """The LSTM trained by tools/train_ch09.py, its float16 weights loaded into a new network
    (float64). Returns (network, info): info holds its training settings and curves."""
    stored = _shipped()
    vocab = char_data()["vocab"]
    if str(stored["chars"]) != vocab.chars:
        raise ValueError("the shipped model was trained on another vocabulary; re-run tools/train_ch09.py")
    hidden = int(stored["hidden"])
    network = char_network("LSTM", hidden)
    for name, param, _ in network.parameters():
        param[...] = stored[f"param:{name}"].astype(np.float64)
    info = {key: stored[key] for key in stored if not key.startswith("param:")}
    return network, info


# --- The temperature demo --------------------------------------------------------------------------

#: The demo's context: the model reads it, then shows its next-character probabilities.
TEMPERATURE_CONTEXT = "First Citizen:\nWe are accounted poor citizens, the patricians g"
#: How many of the most likely characters the bars show, and the demo sample's length.
TEMPERATURE_BARS, TEMPERATURE_SAMPLE = 12, 200


def show_char(char):
    """A character as the figures show it: '␣' for a space, '↵' for a new line."""
    return {" ": "␣", "\n": "↵"}.get(char, char)


@functools.lru_cache(maxsize=1)
def temperature_logits():
    """The shipped model's logits for the character after ``TEMPERATURE_CONTEXT`` (K,), rounded
    as ``rounded`` rounds them."""
    network, _ = shipped_model()
    vocab = char_data()["vocab"]
    x = text.one_hot(vocab.encode(TEMPERATURE_CONTEXT), vocab.size)[None]
    with one_thread():
        return np.round(network.forward(x)[0, -1], LOGIT_DECIMALS)


@functools.lru_cache(maxsize=64)
def temperature_sample(temperature, seed=0):
    """A sample of ``TEMPERATURE_SAMPLE`` characters from the shipped model at ``temperature``,
    after ``PROMPT`` (cached: the demo's redraws reuse it)."""
    network, _ = shipped_model()
    with one_thread():
        return generate(network, TEMPERATURE_SAMPLE, temperature=temperature, seed=seed)


def wrap_sample(sample, width=44, max_lines=12):
    """A sample laid out for a figure: new lines shown as '↵' and kept, long lines wrapped, at
    most ``max_lines`` lines (then '…')."""
    import textwrap

    shown = "↵\n".join(textwrap.fill(line, width, drop_whitespace=False) for line in sample.split("\n"))
    lines = shown.split("\n")
    return "\n".join(lines[:max_lines]) + ("…" if len(lines) > max_lines else "")


class TemperatureFigure(LiveFigure):
    """Top: the probabilities of the 12 characters the model finds likeliest after the context,
    at the chosen temperature (the model's own, at 1, as outlines); bottom: a sample of 200
    characters at that temperature."""

    def draw(self, temperature=1.0):
        from nnbook.plotting import PALETTE, subplots

        fig, (ax_bar, ax_text) = subplots(2, 1, figsize=(5.6, 6.9), height_ratios=[1.3, 1], layout=None)
        fig.subplots_adjust(left=0.13, right=0.97, bottom=0.02, top=0.86, hspace=0.3)
        logits = temperature_logits()
        vocab = char_data()["vocab"]
        self.order = np.argsort(-logits, kind="stable")[:TEMPERATURE_BARS]
        x = np.arange(TEMPERATURE_BARS)
        at_one = text.temperature_softmax(logits, 1.0)[self.order]
        # The bars are thick vertical segments (one LineCollection), so a redraw changes their data.
        self.bars = ax_bar.vlines(x, 0, at_one, color=PALETTE["blue"], lw=19, capstyle="butt")
        ax_bar.bar(x, at_one, 0.7, fill=False, edgecolor=PALETTE["black"], lw=1.2, ls="--",
                   label="τ = 1: the model's own probabilities", zorder=3)
        ax_bar.set_xticks(x, [f"'{show_char(vocab.chars[i])}'" for i in self.order])
        ax_bar.set(ylim=(0, 1.0), ylabel="probability of the next character",
                   title=f"After “…{TEMPERATURE_CONTEXT[-22:]}”")
        ax_bar.legend(loc="upper right", fontsize=8.5)
        ax_text.set_axis_off()
        ax_text.set(xlim=(0, 1), ylim=(0, 1))
        ax_text.text(0.0, 1.0, f"A sample after “{PROMPT.strip()}”:", ha="left", va="top", fontsize=9.5,
                     style="italic", transform=ax_text.transAxes)
        self.sample = ax_text.text(0.0, 0.92, "", ha="left", va="top", family="monospace", fontsize=9,
                                   transform=ax_text.transAxes, linespacing=1.25)
        self.title = fig.suptitle("", fontsize=11.5)
        self.fixed = [ax_bar.get_legend()]
        self.dynamic = [self.bars, self.sample, self.title]
        return fig

    def update(self, temperature=1.0):
        probabilities = text.temperature_softmax(temperature_logits(), temperature)[self.order]
        self.bars.set_segments([[(k, 0.0), (k, p)] for k, p in enumerate(probabilities)])
        self.sample.set_text(wrap_sample(temperature_sample(float(temperature))))
        self.title.set_text(temperature_title(temperature))


def temperature_title(temperature):
    p = text.temperature_softmax(temperature_logits(), temperature)
    entropy = float(-np.sum(p * np.log(np.maximum(p, 1e-300))))
    return (f"Temperature τ = {temperature:.2g}: the likeliest character has p = {p.max():.2f};\n"
            f"the model hesitates between about {np.exp(entropy):.1f} characters (e^entropy)")


def temperature_caption(temperature):
    p = text.temperature_softmax(temperature_logits(), temperature)
    vocab = char_data()["vocab"]
    best = vocab.chars[int(np.argmax(p))]
    sample = temperature_sample(float(temperature))
    first_line = sample.split("\n", 1)[0].strip()
    return (f"At temperature {temperature:g} the likeliest next character, '{show_char(best)}', has probability "
            f"{p.max():.2f}; the sample begins “{first_line[:40]}”.")


def temperature_demo():
    """Chapter 9: the temperature reshapes the next-character probabilities and the sampled text."""
    controls = {"temperature": Slider(0.1, 3.0, 1.0, step=0.05, log=True, description="temperature τ")}
    return Demo(TemperatureFigure, controls, grid={"temperature": [0.2, 0.5, 0.8, 1.0, 1.3, 2.0]},
                caption=temperature_caption,
                alt="Top: bars of the probabilities of the twelve characters the trained LSTM finds "
                    "likeliest after a line of the play, at the chosen temperature, with dashed outlines "
                    "at temperature 1; a low temperature puts almost all the probability on one "
                    "character, a high one spreads it out. Bottom: 200 characters sampled at that "
                    "temperature: repetitive at low temperatures, play-like at about 0.8 to 1, "
                    "garbled at high ones.")


def sequence_log_probability(network, prompt, ids):
    r"""$\ln P(\text{ids} \mid \text{prompt})$ under the model: the sum over the generated
    characters of the log-probability the model gave each, reading prompt and text in one pass
    (logits rounded as ``rounded`` rounds them)."""
    vocab = char_data()["vocab"]
    sequence = np.concatenate([np.asarray(prompt), np.asarray(ids)])
    x = text.one_hot(sequence[:-1], vocab.size)[None]
    with one_thread():
        logits = np.round(network.forward(x)[0], LOGIT_DECIMALS)[len(prompt) - 1:]
    log_p = logits - logits.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    return float(np.sum(log_p[np.arange(len(ids)), ids]))
