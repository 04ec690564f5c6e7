"""Chapter 9's static figures: the loop and its unrolling, namaskar step by step, the LSTM cell,
the gates along a text, the memory task, and the character model's training."""

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from nnbook.plotting import PALETTE, subplots

from .common import STYLES

#: Diverging colours for values in [-1, 1] (blue below 0, white at 0, orange above): both ends
#: stay apart under every common colour-vision deficiency.
DIVERGING = LinearSegmentedColormap.from_list("nnbook_diverging", [PALETTE["blue"], "#FFFFFF", PALETTE["orange"]])
#: Sequential colours for probabilities and gate values in [0, 1].
SEQUENTIAL = LinearSegmentedColormap.from_list("nnbook_sequential", ["#FFFFFF", PALETTE["sky"], "#08306B"])
#: The colour of each weight matrix in the diagrams: the same colour is the same numbers.
WEIGHT_COLOURS = {"W_xh": PALETTE["blue"], "W_hh": PALETTE["vermillion"], "W_hy": PALETTE["green"]}


# --- the loop and its unrolling ----------------------------------------------------------------

def _box(ax, x, y, text, *, width=0.7, height=0.5, colour="white", edge="black", size=11):
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.04",
                                fc=colour, ec=edge, lw=1.6, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=size, zorder=4)


def _arrow(ax, start, end, colour, *, label=None, label_at=0.5, offset=(0.0, 0.0), rad=0.0, lw=1.8):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=13, color=colour, lw=lw,
                                 connectionstyle=f"arc3,rad={rad}", shrinkA=2, shrinkB=2, zorder=2))
    if label:
        x = start[0] + label_at * (end[0] - start[0]) + offset[0]
        y = start[1] + label_at * (end[1] - start[1]) + offset[1]
        ax.text(x, y, label, ha="center", va="center", fontsize=9.5, color=colour,
                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none"), zorder=5)


def plot_unrolled(inputs="nama", outputs="amas"):
    """Top: the recurrent layer as one cell with a loop; bottom: the same cell unrolled over
    len(inputs) steps, a deep feed-forward network whose layers share W_xh, W_hh and W_hy."""
    fig, (ax_loop, ax_unrolled) = subplots(2, 1, figsize=(5.6, 6.4), height_ratios=[1, 1.25])
    for ax in (ax_loop, ax_unrolled):
        ax.set_axis_off()
    c = WEIGHT_COLOURS
    # The folded cell.
    ax_loop.set(xlim=(-2.2, 2.2), ylim=(-1.55, 1.5))
    ax_loop.set_title("A recurrent layer: one cell and a loop", fontsize=12)
    _box(ax_loop, 0, 0, "$h_t$", width=0.9, height=0.6, colour="#FBE3D6")
    _box(ax_loop, 0, -1.2, "$x_t$", width=0.7, height=0.45, colour="#E3EEF8")
    _box(ax_loop, 0, 1.2, "$\\hat y_t$", width=0.7, height=0.45, colour="#DDF1E9")
    _arrow(ax_loop, (0, -0.97), (0, -0.32), c["W_xh"], label="$W_{xh}$", offset=(0.45, 0))
    _arrow(ax_loop, (0, 0.32), (0, 0.97), c["W_hy"], label="$W_{hy}$", offset=(0.45, 0))
    _arrow(ax_loop, (0.46, 0.2), (0.46, -0.2), c["W_hh"], rad=-1.7)
    ax_loop.text(1.28, 0.0, "$W_{hh}$: $h_{t-1}$\nfeeds $h_t$", ha="left", va="center", fontsize=9.5,
                 color=c["W_hh"])
    ax_loop.text(-2.15, 0.0, "$h_t = \\tanh(x_t W_{xh}$\n$\\;+ h_{t-1} W_{hh} + b)$", ha="left",
                 va="center", fontsize=9.5)
    # The unrolled network.
    T = len(inputs)
    step = 1.25
    ax_unrolled.set(xlim=(-1.05, step * (T - 1) + 0.65), ylim=(-1.75, 1.55))
    ax_unrolled.set_title(f"Unrolled over {T} steps: the same weights in every column", fontsize=12)
    _box(ax_unrolled, -0.75, 0, "$h_0$", width=0.5, height=0.5, colour="#EEEEEE", size=10)
    for t in range(T):
        x = step * t
        _box(ax_unrolled, x, 0, f"$h_{t + 1}$", width=0.62, height=0.5, colour="#FBE3D6", size=10)
        _box(ax_unrolled, x, -1.2, f"'{inputs[t]}'", width=0.62, height=0.42, colour="#E3EEF8", size=10)
        _box(ax_unrolled, x, 1.2, f"'{outputs[t]}'?", width=0.72, height=0.42, colour="#DDF1E9", size=10)
        _arrow(ax_unrolled, (x, -0.99), (x, -0.27), c["W_xh"], label="$W_{xh}$" if t == 0 else None,
               offset=(0.32, 0), lw=1.5)
        _arrow(ax_unrolled, (x, 0.27), (x, 0.99), c["W_hy"], label="$W_{hy}$" if t == 0 else None,
               offset=(0.32, 0), lw=1.5)
        start = -0.5 if t == 0 else x - step + 0.31                 # from h_0's box, or h_t's
        _arrow(ax_unrolled, (start, 0), (x - 0.33, 0), c["W_hh"], label="$W_{hh}$" if t == 1 else None,
               offset=(0, 0.2), lw=1.5)
    ax_unrolled.text(-1.0, -1.2, "read", ha="left", va="center", fontsize=9, color="#444444")
    ax_unrolled.text(-1.0, 1.2, "predict", ha="left", va="center", fontsize=9, color="#444444")
    ax_unrolled.text(step * (T - 1) / 2, -1.62, "time →", ha="center", va="center", fontsize=10)
    return fig


# --- namaskar, step by step -----------------------------------------------------------------------

def plot_namaskar(word, states, probabilities, vocab_chars, feed_forward=None):
    """The trained namaskar network step by step.

    word: the whole word (its first T letters are read, each next one is the truth);
    states: (T, H) the hidden states h_1..h_T; probabilities: (T, K) the predicted next-letter
    distribution at each step; vocab_chars: the K letters in id order. feed_forward: (K,) the
    8th-letter distribution of a network without the loop, drawn beside the recurrent one's.
    Top: the hidden state as colours; middle: the prediction at every step with the true next
    letter framed; bottom: the prediction for the 8th letter.
    """
    states, probabilities = np.asarray(states), np.asarray(probabilities)
    T, H = states.shape
    fig, (ax_h, ax_p, ax_bar) = subplots(3, 1, figsize=(5.6, 9.4), height_ratios=[H, len(vocab_chars), 5.5])
    steps = [f"{t + 1}\n'{letter}'" for t, letter in enumerate(word[:T])]
    image = ax_h.imshow(states.T, cmap=DIVERGING, vmin=-1, vmax=1, aspect="auto")
    for t in range(T):
        for unit in range(H):
            value = states[t, unit]
            ax_h.text(t, unit, f"{value:+.2f}", ha="center", va="center", fontsize=7.5,
                      color="white" if value < -0.6 else "black")
    ax_h.set_xticks(range(T), steps, fontsize=9)
    ax_h.set_yticks(range(H), [str(u + 1) for u in range(H)], fontsize=8)
    ax_h.set(ylabel="hidden unit", title="The hidden state $h_t$ after reading letter t")
    fig.colorbar(image, ax=ax_h, shrink=0.9, label="$h_t$ (tanh: −1 to 1)")
    image = ax_p.imshow(probabilities.T, cmap=SEQUENTIAL, vmin=0, vmax=1, aspect="auto")
    for t in range(T):
        target = vocab_chars.index(word[t + 1])
        ax_p.add_patch(Rectangle((t - 0.5, target - 0.5), 1, 1, fill=False, ec=PALETTE["vermillion"], lw=2.2))
    ax_p.set_xticks(range(T), steps, fontsize=9)
    ax_p.set_yticks(range(len(vocab_chars)), [f"'{c}'" for c in vocab_chars], fontsize=9)
    ax_p.set(ylabel="next letter", title="Its prediction of the next letter (frame: the truth)")
    fig.colorbar(image, ax=ax_p, shrink=0.9, label="probability")
    for ax in (ax_h, ax_p):
        ax.grid(False)
    x = np.arange(len(vocab_chars))
    last = probabilities[-1]
    width = 0.4 if feed_forward is not None else 0.6
    shift = width / 2 if feed_forward is not None else 0.0
    ax_bar.bar(x - shift, last, width, color=STYLES["RNN"]["color"], label="recurrent network")
    for k, p in enumerate(last):
        if p >= 0.01:
            ax_bar.text(k - shift, p + 0.02, f"{p:.3f}", ha="center", va="bottom", fontsize=8)
    if feed_forward is not None:
        ax_bar.bar(x + shift, feed_forward, width, color=PALETTE["grey"], hatch="//", edgecolor="white",
                   label="one letter at a time (no loop)")
        for k, p in enumerate(feed_forward):
            if p >= 0.01:
                ax_bar.text(k + shift, p + 0.02, f"{p:.2f}", ha="center", va="bottom", fontsize=8)
    ax_bar.set_xticks(x, [f"'{c}'" for c in vocab_chars])
    ax_bar.set(ylim=(0, 1.18), ylabel="probability", xlabel="8th letter",
               title=f"After '{word[:T]}': what comes next?")
    ax_bar.legend(loc="upper left", fontsize=8.5)
    return fig


# --- the LSTM cell ----------------------------------------------------------------------------------

def _circle(ax, x, y, text, colour="white", radius=0.28, size=12):
    from matplotlib.patches import Circle

    ax.add_patch(Circle((x, y), radius, fc=colour, ec="black", lw=1.4, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=size, zorder=4)


def plot_lstm_cell():
    """The LSTM cell: the cell state runs along the top, changed only by a product (forget) and
    a sum (write); four blocks read [h_{t-1}, x_t]; the output gate reads out tanh(c_t)."""
    fig, ax = subplots(figsize=(5.6, 4.9))
    ax.set(xlim=(-0.3, 10.3), ylim=(-0.9, 6.5))
    ax.set_axis_off()
    ax.add_patch(FancyBboxPatch((0.5, 0.2), 9.0, 5.5, boxstyle="round,pad=0.1", fc="#F7F7F7", ec="#777777",
                                lw=1.2, zorder=0))
    dark = "#333333"
    cell_colour = PALETTE["vermillion"]
    # The cell state: c_{t-1} -> (x f) -> (+ i*g) -> c_t
    _arrow(ax, (-0.2, 5.0), (2.22, 5.0), cell_colour, lw=2.6)
    _arrow(ax, (2.78, 5.0), (4.72, 5.0), cell_colour, lw=2.6)
    _arrow(ax, (5.28, 5.0), (10.2, 5.0), cell_colour, lw=2.6)
    ax.text(-0.1, 5.2, "$c_{t-1}$", ha="left", va="bottom", fontsize=12, color=cell_colour)
    ax.text(9.95, 5.2, "$c_t$", ha="right", va="bottom", fontsize=12, color=cell_colour)
    _circle(ax, 2.5, 5.0, "×")
    _circle(ax, 5.0, 5.0, "+")
    # The inputs: h_{t-1} and x_t, read by the four blocks.
    _arrow(ax, (-0.2, 0.8), (7.3, 0.8), dark, lw=1.6)
    ax.text(-0.2, 0.5, "$h_{t-1}$", ha="left", va="top", fontsize=12)
    _arrow(ax, (1.2, -0.8), (1.2, 0.75), dark, lw=1.6)
    ax.text(1.35, -0.75, "$x_t$", ha="left", va="bottom", fontsize=12)
    gates = [(2.5, "σ", "forget $f_t$", PALETTE["blue"]), (4.1, "σ", "input $i_t$", PALETTE["green"]),
             (5.7, "tanh", "candidate $g_t$", PALETTE["orange"]), (7.3, "σ", "output $o_t$", PALETTE["purple"])]
    for x, name, label, colour in gates:
        ax.plot([x, x], [0.8, 1.75], color=dark, lw=1.6, zorder=1)
        ax.add_patch(FancyBboxPatch((x - 0.475, 1.775), 0.95, 0.55, boxstyle="round,pad=0.04", fc="white",
                                    ec=colour, lw=2.6, zorder=3))
        ax.text(x, 2.05, name, ha="center", va="center", fontsize=12, zorder=4)
        ax.text(x, 1.45, label, ha="center", va="center", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.1", fc="#F7F7F7", ec="none"), zorder=4)
    # forget: f multiplies the old cell state
    _arrow(ax, (2.5, 2.33), (2.5, 4.72), PALETTE["blue"], lw=1.8)
    # input and candidate: i * g is added to the cell
    _circle(ax, 5.0, 3.6, "×")
    _arrow(ax, (4.1, 2.33), (4.8, 3.42), PALETTE["green"], lw=1.8)
    _arrow(ax, (5.7, 2.33), (5.2, 3.42), PALETTE["orange"], lw=1.8)
    _arrow(ax, (5.0, 3.88), (5.0, 4.72), dark, lw=1.8)
    # output: h_t = o * tanh(c_t)
    ax.plot([8.5, 8.5], [5.0, 4.3], color=cell_colour, lw=1.8, zorder=1)
    _box(ax, 8.5, 4.0, "tanh", width=0.85, height=0.5, colour="#FBE3D6", size=11)
    _circle(ax, 8.5, 2.05, "×")
    _arrow(ax, (8.5, 3.75), (8.5, 2.33), cell_colour, lw=1.8)
    _arrow(ax, (7.78, 2.05), (8.22, 2.05), PALETTE["purple"], lw=1.8)
    _arrow(ax, (8.78, 2.05), (10.2, 2.05), dark, lw=2.0)
    ax.text(9.95, 2.25, "$h_t$", ha="right", va="bottom", fontsize=12)
    ax.text(5.0, 6.25, "the cell state: only × f and + i·g touch it", ha="center", va="center", fontsize=10,
            color=cell_colour)
    ax.set_title("The LSTM cell", fontsize=12)
    return fig


# --- gates along a text -----------------------------------------------------------------------------

def most_correlated_unit(values, feature):
    """The unit whose values follow a yes/no feature of the text most closely.

    values: (T, H) a gate's values at every character; feature: (T,) booleans (e.g. "is a
    space"). Returns (unit, its mean value where the feature holds, its mean elsewhere), the
    unit being the one with the largest |correlation| between its values and the feature."""
    values, feature = np.asarray(values, dtype=float), np.asarray(feature, dtype=float)
    centred = values - values.mean(axis=0)
    f = feature - feature.mean()
    correlation = (f @ centred) / (np.linalg.norm(f) * np.linalg.norm(centred, axis=0) + 1e-300)
    unit = int(np.argmax(np.abs(correlation)))
    on = feature.astype(bool)
    return unit, float(values[on, unit].mean()), float(values[~on, unit].mean())


#: One colour per gate in the traces along a text.
GATE_COLOURS = {"forget": PALETTE["blue"], "input": PALETTE["green"], "output": PALETTE["purple"]}


def plot_gates_along_text(chars, traces):
    """Gate values of single LSTM units along a text, one panel per trace.

    chars: the characters read (length T); traces: {label: (T,) values in [0, 1]}, the label
    starting with the gate's name ("forget", "input" or "output"). Characters across the bottom
    (␣ a space, ↵ a new line)."""
    from .charmodel import show_char

    T = len(chars)
    fig, axes = subplots(len(traces), 1, figsize=(5.6, 0.9 + 1.45 * len(traces)), sharex=True)
    axes = np.atleast_1d(axes)
    steps = np.arange(T)
    for ax, (label, values) in zip(axes, traces.items()):
        colour = next((c for name, c in GATE_COLOURS.items() if label.startswith(name)), PALETTE["black"])
        ax.plot(steps, values, color=colour, lw=1.8, marker="o", ms=3)
        ax.set(ylim=(-0.05, 1.08), yticks=[0, 0.5, 1])
        ax.set_title(label, fontsize=10, loc="left")
        ax.set_ylabel("gate", fontsize=9)
        for t, char in enumerate(chars):
            if char in " \n":
                ax.axvspan(t - 0.5, t + 0.5, color="#E8E8E8", zorder=0, lw=0)
    axes[-1].set_xticks(steps, [show_char(c) for c in chars], fontsize=7.5, family="monospace")
    axes[-1].tick_params(axis="x", length=0)
    axes[-1].set_xlim(-0.6, T - 0.4)
    axes[-1].set_xlabel("the text, one character per step (grey: spaces and new lines)")
    for ax in axes:
        ax.grid(axis="x", visible=False)
    return fig


# --- the memory task ------------------------------------------------------------------------------

#: Colours and markers of the memory task's models.
MEMORY_STYLES = {
    "RNN": {"color": PALETTE["vermillion"], "marker": "o", "ls": "-"},
    "LSTM (forget bias 1)": {"color": PALETTE["sky"], "marker": "s", "ls": ":"},
    "LSTM (chrono)": {"color": PALETTE["blue"], "marker": "s", "ls": "-"},
    "GRU (chrono)": {"color": PALETTE["green"], "marker": "^", "ls": "--"},
}


def plot_memory(results):
    """Test accuracy against the memory length k (log scale): a dot per seed, a line through
    the mean, one colour per model; chance (1 in 4) dotted. results: ``memory_results()``."""
    fig, ax = subplots(figsize=(5.6, 4.4))
    ks = np.asarray(results["ks"], dtype=float)
    n = len(results["models"])
    for m, model in enumerate(results["models"]):
        style = MEMORY_STYLES.get(model, {"color": PALETTE["black"], "marker": "o", "ls": "-"})
        accuracy = np.asarray(results["accuracy"][m])
        spread = ks * (1 + 0.06 * (m - (n - 1) / 2))          # side by side: dots do not hide each other
        for s in range(accuracy.shape[1]):
            ax.scatter(spread, accuracy[:, s], color=style["color"], marker=style["marker"], s=26, alpha=0.75,
                       zorder=3)
        ax.plot(spread, accuracy.mean(axis=1), color=style["color"], ls=style["ls"], lw=2, label=model)
    ax.axhline(0.25, color=PALETTE["grey"], ls=":", lw=1.5)
    ax.text(ks[0], 0.27, "chance: 1 in 4", fontsize=9, color="#555555")
    ax.set_xscale("log")
    ax.set_xticks(ks, [f"{int(k)}" for k in ks])
    ax.minorticks_off()
    ax.set(ylim=(0, 1.05), xlabel="memory length k (the number of distractors)",
           ylabel="test accuracy", title="Recall the first symbol after k distractors\n"
                                         f"(dots: {np.shape(results['accuracy'])[2]} seeds; lines: their mean)")
    ax.legend(loc="lower left", fontsize=8.5)
    return fig


# --- the character model's training -----------------------------------------------------------------

def plot_char_training(history, shipped_perplexity=None, shipped_label=None):
    """The loss (top) and the perplexity (bottom) per epoch, on the training and validation text;
    the shipped model's validation perplexity as a dashed line (if given)."""
    fig, (ax_loss, ax_ppl) = subplots(2, 1, figsize=(5.6, 6.6), sharex=True)
    epochs = np.arange(1, len(history.loss) + 1)
    curves = [("training text", history.loss, PALETTE["black"], "-"),
              ("validation text", history.val_loss, PALETTE["vermillion"], "--")]
    for label, losses, colour, ls in curves:
        ax_loss.plot(epochs, losses, color=colour, ls=ls, lw=2, marker="o", ms=4, label=label)
        ax_ppl.plot(epochs, np.exp(losses), color=colour, ls=ls, lw=2, marker="o", ms=4, label=label)
    ax_loss.set(ylabel="loss (nats per character)", title="Cross-entropy per character")
    ax_ppl.set(xlabel="epoch", ylabel="perplexity", title="Perplexity = e^loss")
    if shipped_perplexity is not None:
        ax_ppl.axhline(shipped_perplexity, color=PALETTE["blue"], ls=":", lw=2, label=shipped_label)
    ax_loss.legend(fontsize=9)
    ax_ppl.legend(fontsize=9)
    return fig
