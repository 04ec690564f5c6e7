r"""The clipping lab: a run whose gradients explode, with and without clipping by global norm.

A character RNN of 32 units starts with recurrent weights twice an orthogonal matrix (gain 2:
the exploding side of the gradient-flow demo) and trains with plain gradient descent
($\alpha = 1$) on 16 windows of 50 characters of the shipped text, all of them at every step,
for 120 steps. ``ClippingOptimizer`` wraps the descent: before each step it records the
gradient's global norm and, given a threshold, rescales the gradient to that norm
(``rnn.clip_by_global_norm``).
"""

import functools

import numpy as np

from nnbook import layers, optim, rnn, text, training
from nnbook.plotting import PALETTE, plain_log_ticks, subplots
from nnbook.widgets import Choice, Demo, LiveFigure

from .charmodel import char_data
from .common import SEQUENCE_LOSS, one_thread, set_recurrent_gain

#: The lab's run: windows, their length, hidden units, recurrent gain, learning rate, steps.
CLIP = {"windows": 16, "length": 50, "hidden": 32, "gain": 2.0, "learning_rate": 1.0, "steps": 120}
#: The thresholds the lab offers (None: no clipping).
CLIP_THRESHOLDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 32.0)


class ClippingOptimizer:
    """Plain gradient descent that records each step's gradient norm and, if ``threshold`` is
    set, clips the gradient to that global norm first: an optimizer object for ``fit``."""

    def __init__(self, learning_rate, threshold=None):
        self.descent = optim.SGD(learning_rate)
        self.learning_rate = learning_rate
        self.threshold = threshold
        self.norms = []

    def step(self, params, grads):
        arrays = list(grads.values())
        if self.threshold is None:
            self.norms.append(rnn.global_norm(arrays))
        else:
            self.norms.append(rnn.clip_by_global_norm(arrays, self.threshold))   # the norm before
        self.descent.step(params, grads)


@functools.lru_cache(maxsize=4)
def clip_data(seed=0):
    """The lab's data: ``CLIP["windows"]`` windows of the training text, chosen with ``seed``."""
    data = char_data()
    ids = data["vocab"].encode(data["text"][:data["train_chars"]])
    x_ids, y = text.windows(ids, CLIP["length"])
    pick = np.random.default_rng(seed).choice(len(x_ids), CLIP["windows"], replace=False)
    return text.one_hot(x_ids[pick], data["vocab"].size), y[pick]


@functools.lru_cache(maxsize=32)
def clip_run(threshold=None, seed=0):
    """One run of the lab: (gradient norms before clipping (steps,), loss per step (steps,)).
    The loss of step t is measured before its update (``History.loss`` of full-batch epochs)."""
    x, y = clip_data(seed)
    size, H = x.shape[-1], CLIP["hidden"]
    cell = set_recurrent_gain(rnn.RNN(size, H, seed=seed), CLIP["gain"], seed=seed)
    network = layers.Sequential([cell, rnn.TimeDense(H, size, seed=seed + 1)])
    optimizer = ClippingOptimizer(CLIP["learning_rate"], threshold)
    with one_thread():
        history = training.fit(network, x, y, loss=SEQUENCE_LOSS, optimizer=optimizer, epochs=CLIP["steps"])
    return np.array(optimizer.norms), np.array(history.loss)


def clipped_share(norms, threshold):
    """The share of steps whose gradient norm was above ``threshold`` (clipped)."""
    return float(np.mean(np.asarray(norms) > threshold))


class ClippingFigure(LiveFigure):
    """Top: the histogram of the gradient norms of the run without clipping (log scale), with
    the threshold drawn in; bottom: the loss per step without clipping and with it."""

    def draw(self, threshold=1.0):
        fig, (ax_h, ax_l) = subplots(2, 1, figsize=(5.6, 7.4), layout=None)
        fig.subplots_adjust(left=0.14, right=0.96, bottom=0.08, top=0.87, hspace=0.42)
        norms, losses = clip_run(None)
        bins = np.geomspace(10 ** -1.5, 1e5, 39)
        ax_h.hist(np.clip(norms, bins[0], bins[-1]), bins=bins, color=PALETTE["grey"], edgecolor="white")
        ax_h.set_xscale("log")
        plain_log_ticks(ax_h.xaxis)
        ax_h.set(xlabel="gradient norm ‖g‖ at a step (log scale)", ylabel="steps",
                 title=f"Gradient norms of the {CLIP['steps']} steps without clipping")
        self.line = ax_h.axvline(threshold, color=PALETTE["blue"], lw=2.5)
        self.share = ax_h.text(0.98, 0.95, "", transform=ax_h.transAxes, ha="right", va="top", fontsize=9.5,
                               color=PALETTE["blue"])
        steps = np.arange(1, len(losses) + 1)
        ax_l.plot(steps, losses, color=PALETTE["black"], lw=1.3, label="without clipping")
        self.clipped, = ax_l.plot(steps, losses, color=PALETTE["blue"], lw=1.8, label="clipped at the threshold")
        ax_l.set(xlabel="step", ylabel="training loss (nats per character)", xlim=(0, len(losses) + 1),
                 ylim=(2.6, 6.0), title="The same run, clipped and not")
        ax_l.legend(loc="upper right", fontsize=9)
        self.title = fig.suptitle("", fontsize=11)
        self.fixed = [ax_l.get_legend()]
        self.dynamic = [self.line, self.share, self.clipped, self.title]
        return fig

    def update(self, threshold=1.0):
        norms, losses = clip_run(None)
        clipped_norms, clipped_losses = clip_run(threshold)
        self.line.set_xdata([threshold, threshold])
        self.share.set_text(f"threshold {threshold:g}:\n{clipped_share(norms, threshold):.0%} of these steps clipped")
        self.clipped.set_ydata(clipped_losses)
        self.title.set_text(clip_title(threshold, losses, clipped_losses))


#: The lab's measure of where a run ended: the mean loss of its last steps (one step's loss jumps).
LAST = 20


def final_loss(losses):
    """The mean loss of the last ``LAST`` steps of a run."""
    return float(np.mean(np.asarray(losses)[-LAST:]))


def clip_title(threshold, losses, clipped_losses):
    return (f"Clipping at ‖g‖ = {threshold:g}: mean loss of the last {LAST} steps\n"
            f"{final_loss(clipped_losses):.2f}, against {final_loss(losses):.2f} without clipping")


def clip_caption(threshold):
    norms, losses = clip_run(None)
    _, clipped = clip_run(threshold)
    return (f"Threshold {threshold:g}: {clipped_share(norms, threshold):.0%} of the unclipped run's steps lie "
            f"above it; the mean loss of the last {LAST} steps is {final_loss(clipped):.2f} with clipping and "
            f"{final_loss(losses):.2f} without.")


def clipping_demo():
    """Chapter 9: the clipping lab, the threshold as a control."""
    controls = {"threshold": Choice(CLIP_THRESHOLDS, 1.0, description="clip at ‖g‖ =")}
    return Demo(ClippingFigure, controls, grid={"threshold": list(CLIP_THRESHOLDS)}, caption=clip_caption,
                training=True,
                alt="Top: a histogram of the gradient norms of a character RNN's 120 training steps, "
                    "on a log scale: most steps lie between 0.3 and 3; two, the first two steps, lie "
                    "far to the right, at dozens to thousands; a vertical line marks the chosen clipping "
                    "threshold. Bottom: the training loss per step without clipping, jumping up again "
                    "and again, and with clipping at the threshold, which for thresholds up to 8 falls "
                    "more steadily and ends lower.")
