"""Chapter 0, introduction and history: its figures, then its demos, then its exercise checkers."""

from dataclasses import dataclass

import numpy as np
from matplotlib.patches import Ellipse

from nnbook.checks import as_number, checker, Failure
from nnbook.plotting import new_axes, PALETTE

# --- Data: the milestones the timeline is drawn from ------------------------------------


@dataclass(frozen=True)
class Milestone:
    """One event: the year, a short label, one sentence, its era and a citation key."""

    year: int
    label: str
    detail: str
    era: str  # "early", "winter", "revival" or "deep"
    cite: str = ""


MILESTONES = (
    Milestone(1943, "McCulloch-Pitts neuron", "A threshold unit: fire when the weighted inputs pass a threshold.", "early", "mcculloch1943"),
    Milestone(1958, "Perceptron", "Rosenblatt's rule learns the weights from labelled examples.", "early", "rosenblatt1958"),
    Milestone(1969, "Perceptrons (the book)", "Minsky and Papert: one layer is linear and cannot compute XOR.", "winter", "minsky1969"),
    Milestone(1986, "Backpropagation", "Rumelhart, Hinton and Williams train multi-layer nets with sigmoid units.", "revival", "rumelhart1986"),
    Milestone(1989, "Universal approximation", "One hidden layer can approximate any continuous function (Cybenko; Hornik 1991).", "revival", "cybenko1989"),
    Milestone(1989, "LeNet", "LeCun's convolutional network reads handwritten digits.", "revival", "lecun1989"),
    Milestone(1991, "Vanishing gradients", "Hochreiter: gradients shrink layer by layer through saturating units.", "revival", "hochreiter1991"),
    Milestone(2012, "AlexNet", "Wins ImageNet with a top-5 error near 15.3%, far ahead of the runner-up.", "deep", "krizhevsky2012"),
    Milestone(2014, "VGGNet, GoogLeNet", "Deeper nets of small kernels: top-5 errors of about 7.3% and 6.7%.", "deep", "simonyan2014"),
    Milestone(2015, "ResNet", "152 layers with residual connections: top-5 error about 3.6%.", "deep", "he2016resnet"),
)

#: ImageNet (ILSVRC) top-5 error, in percent, of the winning architectures above.
IMAGENET_TOP5_ERROR = {"AlexNet (2012)": 15.3, "VGG (2014)": 7.3, "GoogLeNet (2014)": 6.7, "ResNet (2015)": 3.6}

#: The often-quoted top-5 error of a human annotator on the same task, in percent.
HUMAN_TOP5_ERROR = 5.0


# --- Figures -------------------------------------------------------------------------------


def plot_timeline(milestones, ax=None, *, min_gap=4.6):
    """The history of neural networks as a vertical timeline, one labelled entry per milestone.

    Years run down the left; labels sit to the right, pushed apart by at least ``min_gap``
    years so that clustered events (1986-1991, 2012-2015) stay readable.
    """
    fig, ax = new_axes(ax, figsize=(7.4, 9.0))
    era_colours = {"early": PALETTE["blue"], "winter": PALETTE["grey"], "revival": PALETTE["green"], "deep": PALETTE["vermillion"]}
    era_names = {"early": "first neurons", "winter": "the winter", "revival": "the backprop era", "deep": "deep learning"}
    years = np.array([m.year for m in milestones], dtype=float)
    label_y = years.copy()
    for k in range(1, len(label_y)):  # push each label down until it clears the one above
        label_y[k] = max(label_y[k], label_y[k - 1] + min_gap)
    ax.axvline(0, color="black", lw=1.5, zorder=1)
    ax.axhspan(1969, 1986, color=PALETTE["grey"], alpha=0.18, lw=0)
    ax.text(-0.08, 1977.5, "interest\nstalls", ha="right", va="center", fontsize=9, color="dimgray")
    shown = set()
    for m, y_label in zip(milestones, label_y):
        colour = era_colours[m.era]
        ax.scatter([0], [m.year], s=45, color=colour, zorder=3, label=None if m.era in shown else era_names[m.era])
        shown.add(m.era)
        ax.plot([0, 0.12, 0.2], [m.year, y_label, y_label], color=colour, lw=1)
        ax.text(0.22, y_label, f"{m.year}  {m.label}", ha="left", va="center", fontsize=12, fontweight="bold")
        ax.text(0.22, y_label + 2.0, m.detail, ha="left", va="center", fontsize=10, color="#333333")
    ax.set_xlim(-0.45, 3.3)
    ax.set_ylim(label_y.max() + 5, years.min() - 4)  # time runs downwards
    ax.set_xticks([])
    ax.set_yticks(range(10 * (int(years.min()) // 10), int(years.max()) + 1, 10))
    ax.set_ylabel("year")
    ax.spines["bottom"].set_visible(False)
    ax.grid(False)
    ax.set_title("Milestones of neural networks")
    ax.legend(loc="center right", fontsize=9)
    return fig


def plot_ai_venn(ax=None):
    """AI contains machine learning, which contains deep learning: nested ellipses."""
    fig, ax = new_axes(ax, figsize=(6.4, 4.2))
    rings = [
        ((0.0, 0.0), 10.0, 6.6, PALETTE["sky"], "Artificial intelligence", "programs that act intelligently:\nsearch, planning, rules, learning", 2.65),
        ((0.9, -0.45), 7.4, 4.6, PALETTE["orange"], "Machine learning", "fit a model to known data,\nuse it to judge new cases", 1.55),
        ((1.7, -0.95), 4.6, 2.5, PALETTE["vermillion"], "Deep learning", "stacked layers compose simple\nfeatures into abstract ones", 0.35),
    ]
    for (cx, cy), width, height, colour, name, blurb, text_y in rings:
        ax.add_patch(Ellipse((cx, cy), width, height, fc=colour, ec="black", alpha=0.35, lw=1.2))
        ax.text(cx, cy + text_y, name, ha="center", va="center", fontsize=12, fontweight="bold")
        ax.text(cx, cy + text_y - 0.55, blurb, ha="center", va="center", fontsize=8.5)
    ax.set_xlim(-5.2, 5.2)
    ax.set_ylim(-3.5, 3.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title("Where deep learning sits")
    return fig


def plot_top5_errors(errors, human_error, ax=None):
    """Bar chart of ImageNet top-5 errors (percent) with the human error as a dashed line.

    errors: {model label: error in percent}, in chronological order.
    """
    fig, ax = new_axes(ax, figsize=(6.4, 3.4))
    labels, values = list(errors), list(errors.values())
    bars = ax.bar(labels, values, color=PALETTE["blue"], edgecolor="black")
    ax.bar_label(bars, fmt="%.1f%%", padding=2)
    ax.axhline(human_error, color=PALETTE["vermillion"], ls="--", lw=2)
    ax.text(len(labels) - 0.5, human_error + 0.3, f"human, about {human_error:g}%", ha="right",
            va="bottom", color=PALETTE["vermillion"])
    ax.set_ylabel("top-5 error (%)")
    ax.set_title("ImageNet winners: top-5 error")
    ax.set_ylim(0, max(values) * 1.2)
    ax.grid(axis="x")
    return fig


# --- Exercise checkers ---------------------------------------------------------------------


@checker("check_milestone_order")
def check_milestone_order(labels):
    """Check that ``labels`` (milestone labels from chapter 0) are in chronological order."""
    if isinstance(labels, str) or not hasattr(labels, "__iter__"):
        raise TypeError(f"pass a list of milestone labels; got {type(labels).__name__}")
    year = {m.label: m.year for m in MILESTONES}
    labels = list(labels)
    for label in labels:
        if label not in year:
            raise Failure(f"{label!r} is not a milestone label. Labels: {sorted(year)}.")
    if len(labels) < 2:
        raise Failure(f"give at least two milestone labels to order; got {labels!r}.")
    for earlier, later in zip(labels, labels[1:]):
        if year[earlier] > year[later]:
            raise Failure(f"{earlier!r} comes before {later!r} in your list, but happened later "
                           f"({year[earlier]} vs {year[later]}).")
    return max(len(labels) - 1, 0)


@checker("check_error_reduction")
def check_error_reduction(fraction):
    """Check the fraction by which ImageNet top-5 error fell from AlexNet (2012) to ResNet (2015)."""
    alexnet, resnet = IMAGENET_TOP5_ERROR["AlexNet (2012)"], IMAGENET_TOP5_ERROR["ResNet (2015)"]
    expected = (alexnet - resnet) / alexnet
    got = as_number(fraction)
    if got is None:
        raise Failure(f"expected one number (a fraction like 0.5), got {fraction!r}.")
    if np.isclose(got, expected * 100, rtol=1e-3):
        raise Failure(f"that is the percentage ({got:.4g}); give the fraction, {expected:.4f}.")
    if not np.isclose(got, expected, rtol=1e-3):
        raise Failure(f"expected {expected:.4f}, got {got:.4g}.\n   Hint: (old error - new error) / old error.")
    return 1


#: Chapter 0's examples of systems, and the narrowest circle of the Venn figure each sits in.
SYSTEM_EXAMPLES = {
    "a chess program that searches moves with hand-written rules": "AI",
    "a spam filter that fits logistic regression to labelled emails": "ML",
    "a photo tagger built from 50 stacked convolutional layers": "DL",
    "a route planner that runs a shortest-path search": "AI",
    "a house-price model from a decision tree fitted to past sales": "ML",
    "a speech recogniser with a deep recurrent network": "DL",
}


@checker("check_ai_ml_dl")
def check_ai_ml_dl(answers):
    """Check ``answers``: {example: "AI" / "ML" / "DL"}, the narrowest circle each example sits in."""
    if not isinstance(answers, dict):
        raise TypeError(f"pass a dict {{example: 'AI' | 'ML' | 'DL'}}; got {type(answers).__name__}")
    why = {"AI": "it follows rules or searches; nothing is fitted to data",
           "ML": "it fits a model to data, but not a deep stack of layers",
           "DL": "it learns features with many stacked layers"}
    for example, expected in SYSTEM_EXAMPLES.items():
        got = answers.get(example)
        if got is None:
            raise Failure(f"no answer for {example!r}.")
        if str(got).upper() != expected:
            raise Failure(f"{example!r}: expected {expected!r}, got {got!r}.\n   Hint: {why[expected]}.")
    return len(SYSTEM_EXAMPLES)
