"""Chapter 7's threshold demo: one slider moves precision, recall, F1 and the point on the ROC curve.

A classifier that outputs a probability says "class 1" where the probability reaches a
threshold. The scores are those of the chapter's L2-regularised moons network on its 300 test
points (``threshold_data``); every number the demo shows comes from ``nnbook.metrics``
(``threshold_metrics``), and the notebook checks them against scikit-learn.
"""

import functools

import numpy as np

from nnbook import metrics
from nnbook.plotting import CLASS_COLOURS, PALETTE, subplots
from nnbook.widgets import Demo, LiveFigure, Slider

from .figures import moons_scores, noisy_moons, train_moons

#: The network behind the scores: the moons network with this L2 strength, from this seed.
THRESHOLD_L2, THRESHOLD_SEED = 1e-2, 0


@functools.lru_cache(maxsize=1)
def threshold_data():
    """(y, scores) of the test part of ``noisy_moons(THRESHOLD_SEED)``: labels (N,) of 0 and 1,
    and the L2-regularised network's probability of class 1 for each point (N,). Read-only."""
    network, _ = train_moons(THRESHOLD_SEED, l2=THRESHOLD_L2)
    x_test, y_test = noisy_moons(THRESHOLD_SEED)[2]
    y, scores = y_test.astype(int), moons_scores(network, x_test)
    for array in (y, scores):
        array.setflags(write=False)
    return y, scores


def threshold_metrics(threshold, y=None, scores=None):
    """Everything the demo shows at one threshold: predict 1 where score >= threshold.

    Returns a dict: the counts "tp", "fp", "fn", "tn", and "precision", "recall", "f1",
    "accuracy", "fpr" (false positive rate, 1 - specificity) and "tpr" (= recall), all from
    ``nnbook.metrics``. y, scores: default ``threshold_data()``.
    """
    if y is None or scores is None:
        y, scores = threshold_data()
    predicted = (np.asarray(scores) >= threshold).astype(int)
    counts = metrics.binary_counts(y, predicted)
    return {"tp": counts.tp, "fp": counts.fp, "fn": counts.fn, "tn": counts.tn,
            "precision": metrics.precision(y, predicted), "recall": metrics.recall(y, predicted),
            "f1": metrics.f1_score(y, predicted), "accuracy": metrics.accuracy(y, predicted),
            "fpr": 1.0 - metrics.specificity(y, predicted), "tpr": metrics.recall(y, predicted)}


#: The bars of the demo's lower panel, top to bottom.
BARS = ("precision", "recall", "f1", "accuracy")
BAR_NAMES = {"precision": "precision", "recall": "recall", "f1": "F1", "accuracy": "accuracy"}
BAR_COLOURS = {"precision": PALETTE["blue"], "recall": PALETTE["orange"], "f1": PALETTE["green"],
               "accuracy": PALETTE["grey"]}


class ThresholdFigure(LiveFigure):
    """Top: the scores of each class with the threshold; middle: the ROC curve with the point of
    this threshold; bottom: precision, recall, F1 and accuracy as bars."""

    def draw(self, threshold=0.5):
        y, scores = threshold_data()
        fig, (ax_s, ax_roc, ax_m) = subplots(3, 1, figsize=(5.6, 9.4), layout=None,
                                             height_ratios=[1, 1.3, 0.75])
        fig.subplots_adjust(left=0.17, right=0.95, top=0.89, bottom=0.06, hspace=0.55)
        edges = np.linspace(0, 1, 21)
        for cls, name in ((0, "class 0"), (1, "class 1")):
            ax_s.hist(scores[y == cls], bins=edges, histtype="step", lw=2.2, color=CLASS_COLOURS[1 - cls],
                      ls="-" if cls else "--", label=f"truly {name} ({np.sum(y == cls)})")
        ax_s.set(xlim=(0, 1), xlabel="score: the network's probability of class 1", ylabel="test points",
                 title="Scores by true class; predicted 1 right of the line")
        ax_s.legend(loc="upper center", fontsize=8.5, frameon=True, framealpha=0.9)
        fpr, tpr, _ = metrics.roc_curve(y, scores)
        auc = metrics.roc_auc_score(y, scores)
        ax_roc.plot(fpr, tpr, lw=2, color=PALETTE["black"], label=f"ROC curve (area {auc:.3f})")
        ax_roc.plot([0, 1], [0, 1], color=PALETTE["grey"], ls=":", lw=1.5, label="guessing")
        ax_roc.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), aspect="equal",
                   xlabel="false positive rate FP / (FP + TN)", ylabel="true positive rate (recall)",
                   title="ROC curve: every threshold at once")
        ax_roc.legend(loc="lower right", fontsize=8.5)
        ax_m.set(xlim=(0, 1.18), ylim=(-0.6, len(BARS) - 0.4), xlabel="value",
                 title="At this threshold")
        ax_m.set_yticks(range(len(BARS)), [BAR_NAMES[b] for b in BARS])
        ax_m.invert_yaxis()
        ax_m.grid(axis="y", visible=False)
        self.line = ax_s.axvline(threshold, color=PALETTE["vermillion"], lw=2.2)
        self.point, = ax_roc.plot([], [], "o", ms=11, color=PALETTE["vermillion"], mec="black", zorder=4)
        self.bars = {name: ax_m.barh(k, 0.0, color=BAR_COLOURS[name], height=0.7)[0]
                     for k, name in enumerate(BARS)}
        self.values = {name: ax_m.text(0.0, k, "", va="center", fontsize=9.5) for k, name in enumerate(BARS)}
        self.suptitle = fig.suptitle("", fontsize=12)
        self.dynamic = [self.line, self.point, *self.bars.values(), *self.values.values(),
                        self.suptitle]
        self.fixed = [ax_s.get_legend(), ax_roc.get_legend()]
        return fig

    def update(self, threshold=0.5):
        found = threshold_metrics(threshold)
        self.line.set_xdata([threshold, threshold])
        self.point.set_data([found["fpr"]], [found["tpr"]])
        for name in BARS:
            self.bars[name].set_width(found[name])
            self.values[name].set_x(found[name] + 0.02)
            self.values[name].set_text(f"{found[name]:.3f}")
        self.suptitle.set_text(f"Threshold {threshold:.2f}: predict class 1 where the score ≥ {threshold:.2f}\n"
                               f"TP {found['tp']}, FP {found['fp']}, FN {found['fn']}, TN {found['tn']}")


def threshold_caption(threshold=0.5):
    """A frame's caption: the four numbers in words."""
    found = threshold_metrics(threshold)
    return (f"Threshold {threshold:.2f}: precision {found['precision']:.3f}, recall {found['recall']:.3f}, "
            f"F1 {found['f1']:.3f}; {found['fp']} false alarms and {found['fn']} misses "
            f"among {sum(found[k] for k in ('tp', 'fp', 'fn', 'tn'))} test points.")


def threshold_demo():
    """Chapter 7: slide the threshold; precision, recall, F1 and the ROC point follow."""
    controls = {"threshold": Slider(0.05, 0.95, 0.5, step=0.05, description="threshold")}
    grid = {"threshold": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]}
    return Demo(ThresholdFigure, controls, grid=grid, caption=threshold_caption,
                alt="Top: histograms of the network's scores on 300 test points, one outline per "
                    "true class, with a vertical line at the threshold; the title gives the counts of true and "
                    "false positives and negatives. Middle: the ROC curve (true positive "
                    "rate against false positive rate) with a dot at the point of this threshold. "
                    "Bottom: bars for precision, recall, F1 and accuracy at this threshold. Moving "
                    "the threshold up moves the dot down the curve towards the origin, raises "
                    "precision and lowers recall.")


#: The demos of this module, by name (the tests sweep each).
DEMOS = {"threshold": threshold_demo}
