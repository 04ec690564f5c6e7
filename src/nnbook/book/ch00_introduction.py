"""Chapter 0, introduction and history: its figures, then its demos, then its exercise checkers."""

from dataclasses import dataclass

import numpy as np
from matplotlib.patches import Ellipse, Patch

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
    Milestone(1943, "McCulloch-Pitts neuron", "A threshold unit: it fires when enough of its on/off inputs\nare on to reach a threshold.", "early", "mcculloch1943"),
    Milestone(1958, "Perceptron", "Rosenblatt's rule learns the weights from labelled examples.", "early", "rosenblatt1958"),
    Milestone(1969, "Perceptrons (the book)", "Minsky and Papert: one layer is linear and cannot compute XOR.", "winter", "minsky1969"),
    Milestone(1974, "Backpropagation proposed", "Werbos: train hidden layers with reverse-mode derivatives\n(Linnainmaa 1970). Few notice.", "winter", "werbos1974"),
    Milestone(1986, "Backpropagation", "Rumelhart, Hinton and Williams show multi-layer nets of\nsigmoid units learning useful hidden features; it spreads.", "revival", "rumelhart1986"),
    Milestone(1989, "Universal approximation", "One hidden layer of enough units approximates any\ncontinuous function on a compact set (Cybenko; Hornik 1991).", "revival", "cybenko1989"),
    Milestone(1989, "LeNet", "LeCun's convolutional network reads handwritten digits.", "revival", "lecun1989"),
    Milestone(1991, "Vanishing gradients", "Hochreiter: gradients shrink layer by layer through\nsaturating units.", "revival", "hochreiter1991"),
    Milestone(2012, "AlexNet", "Wins ImageNet with a top-5 error near 15.3%, far ahead\nof the runner-up.", "deep", "krizhevsky2012"),
    Milestone(2014, "GoogLeNet, VGGNet", "Deeper nets: GoogLeNet wins (top-5 error 6.7%),\nVGGNet's 3x3 kernels come second (7.3%).", "deep", "szegedy2015"),
    Milestone(2015, "ResNet", "152 layers with residual connections win: top-5 error\n3.57%.", "deep", "he2016resnet"),
)

#: ImageNet (ILSVRC) classification top-5 error, in percent: the winners of 2012, 2014 and
#: 2015, and VGG, second in 2014 (GoogLeNet won).
IMAGENET_TOP5_ERROR = {"AlexNet (2012)": 15.3, "VGG (2014, 2nd)": 7.3, "GoogLeNet (2014)": 6.7, "ResNet (2015)": 3.57}

#: The often-quoted top-5 error of a human annotator on the same task, in percent.
HUMAN_TOP5_ERROR = 5.0


# --- Figures -------------------------------------------------------------------------------


def plot_timeline(milestones, ax=None, *, min_gap=4.6):
    """The history of neural networks as a vertical timeline, one labelled entry per milestone.

    Years run down the left; labels sit to the right, pushed apart by at least ``min_gap``
    years (more for a two-line description) so that clustered events (1986-1991,
    2012-2015) stay readable. The era legend sits below the axes, clear of the grey band.
    """
    fig, ax = new_axes(ax, figsize=(6.8, 10.0))  # as narrow as the longest line allows: phones shrink it
    era_colours = {"early": PALETTE["blue"], "winter": PALETTE["grey"], "revival": PALETTE["green"], "deep": PALETTE["vermillion"]}
    era_names = {"early": "first neurons", "winter": "the winter", "revival": "the backprop era", "deep": "deep learning"}
    years = np.array([m.year for m in milestones], dtype=float)
    lines = np.array([m.detail.count("\n") + 1 for m in milestones])
    label_y = years.copy()
    for k in range(1, len(label_y)):  # push each label down until it clears the one above
        label_y[k] = max(label_y[k], label_y[k - 1] + min_gap + 1.6 * (lines[k - 1] - 1))
    ax.axvline(0, color="black", lw=1.5, zorder=1)
    ax.axhspan(1969, 1986, color=PALETTE["grey"], alpha=0.18, lw=0)
    ax.text(-0.08, 1977.5, "interest\nstalls", ha="right", va="center", fontsize=9, color="dimgray")
    shown = set()
    for m, y_label, n_lines in zip(milestones, label_y, lines):
        colour = era_colours[m.era]
        ax.scatter([0], [m.year], s=45, color=colour, zorder=3, label=None if m.era in shown else era_names[m.era])
        shown.add(m.era)
        ax.plot([0, 0.12, 0.2], [m.year, y_label, y_label], color=colour, lw=1)
        ax.text(0.22, y_label, f"{m.year}  {m.label}", ha="left", va="center", fontsize=12, fontweight="bold")
        ax.text(0.22, y_label + 1.2, m.detail, ha="left", va="top", fontsize=10, color="#333333", linespacing=1.15)
    ax.set_xlim(-0.45, 3.3)
    ax.set_ylim(label_y.max() + 3 + 1.6 * lines[-1], years.min() - 4)  # time runs downwards
    ax.set_xticks([])
    ax.set_yticks(range(10 * (int(years.min()) // 10), int(years.max()) + 1, 10))
    ax.set_ylabel("year")
    ax.spines["bottom"].set_visible(False)
    ax.grid(False)
    ax.set_title("Milestones of neural networks")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.005), ncols=4, fontsize=9, frameon=False)
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
    ax.set(xticks=[], yticks=[])  # no tick labels, even for tools that ignore set_axis_off
    ax.set_axis_off()
    ax.set_title("Where deep learning sits")
    return fig


def plot_top5_errors(errors, human_error, ax=None):
    """Bar chart of ImageNet top-5 errors (percent) with the human error as a dashed line.

    errors: {model label: error in percent}, in chronological order.
    """
    fig, ax = new_axes(ax, figsize=(6.4, 3.4))
    labels, values = list(errors), list(errors.values())
    second = ["2nd" in label for label in labels]  # a runner-up (VGG, 2014) is drawn lighter
    colours = [PALETTE["sky"] if runner_up else PALETTE["blue"] for runner_up in second]
    bars = ax.bar([label.replace(" (", "\n(") for label in labels], values, color=colours, edgecolor="black")
    if any(second):
        ax.legend(handles=[Patch(facecolor=PALETTE["blue"], edgecolor="black", label="winner of its year"),
                           Patch(facecolor=PALETTE["sky"], edgecolor="black", label="second place")],
                  loc="upper right", fontsize=9)
    ax.bar_label(bars, fmt="%g%%", padding=2)
    ax.axhline(human_error, color=PALETTE["vermillion"], ls="--", lw=2)
    ax.text(len(labels) - 0.5, human_error + 0.3, f"human, about {human_error:g}%", ha="right",
            va="bottom", color=PALETTE["vermillion"])
    ax.set_ylabel("top-5 error (%)")
    ax.set_title("ImageNet classification (ILSVRC): top-5 error")
    ax.set_ylim(0, max(values) * 1.2)
    ax.grid(axis="x")
    return fig


# --- Exercise checkers ---------------------------------------------------------------------


#: Why some milestones could only come after others: {(later, earlier): the reason}.
BUILDS_ON = {
    ("Perceptron", "McCulloch-Pitts neuron"): "the perceptron is a threshold neuron whose weights are learned",
    ("Backpropagation", "Perceptron"): "backpropagation trains multi-layer perceptrons, where the perceptron rule cannot",
    ("LeNet", "Backpropagation"): "LeNet's convolutional layers were trained with backpropagation",
    ("Vanishing gradients", "Backpropagation"): "the gradients that vanish are the ones backpropagation passes back",
    ("AlexNet", "LeNet"): "AlexNet is a much larger convolutional network of LeNet's kind, trained on GPUs",
    ("ResNet", "AlexNet"): "ResNet's residual connections made networks far deeper than AlexNet's 8 layers trainable",
    ("Perceptrons (the book)", "Perceptron"): "Minsky and Papert analysed Rosenblatt's perceptron",
}


@checker("check_milestone_order")
def check_milestone_order(labels):
    """Check that ``labels`` (milestone labels from chapter 0) are in chronological order.

    A pair in the wrong order is explained by what the later milestone builds on
    (``BUILDS_ON``) when the chapter says so, else by the two years.
    """
    if isinstance(labels, str) or not hasattr(labels, "__iter__"):
        raise TypeError(f"pass a list of milestone labels; got {type(labels).__name__}")
    year = {m.label: m.year for m in MILESTONES}
    labels = list(labels)
    for label in labels:
        if label not in year:
            raise Failure(f"{label!r} is not a milestone label. Labels: {sorted(year)}.")
    if len(labels) < 2:
        raise Failure(f"give at least two milestone labels to order; got {labels!r}.")
    if len(set(labels)) < len(labels):
        twice = next(label for label in labels if labels.count(label) > 1)
        raise Failure(f"{twice!r} appears twice in your list; each milestone goes in once.")
    for k, earlier in enumerate(labels):  # the first pair, in list order, that is out of order
        for later in labels[k + 1:]:
            if year[earlier] > year[later]:
                reason = BUILDS_ON.get((earlier, later))
                if reason:
                    raise Failure(f"{earlier!r} comes before {later!r} in your list, but it builds on it: "
                                  f"{reason}.")
                raise Failure(f"{earlier!r} comes before {later!r} in your list, but happened later "
                              f"({year[earlier]} vs {year[later]}).")
    return len(labels) - 1


@checker("check_yearly_factor")
def check_yearly_factor(factor):
    r"""Check the factor that, applied once a year from 2012 to 2015, takes AlexNet's top-5
    error to ResNet's: $f^3 = e_{2015} / e_{2012}$, so $f = (e_{2015} / e_{2012})^{1/3}$."""
    old, new = IMAGENET_TOP5_ERROR["AlexNet (2012)"], IMAGENET_TOP5_ERROR["ResNet (2015)"]
    expected = (new / old) ** (1 / 3)
    got = as_number(factor)
    if got is None:
        raise Failure(f"expected one number (a factor such as 0.5), got {factor!r}.")
    if np.isclose(got, expected, rtol=1e-3):
        return 1
    three_years = "2012 to 2015 is three yearly steps (2012→2013→2014→2015)"
    mistakes = [  # (what the learner computed, diagnosis)
        (100 * expected, "that looks like a percentage; give the factor as a number below 1."),
        (new / old, f"that is the factor for all three years together; {three_years}, and three equal "
                    "factors multiply: f * f * f = new / old."),
        (new / old / 3, "dividing by 3 shares out a difference, not a factor. Three equal factors multiply: "
                        "f * f * f = new / old, so take a cube root."),
        (1 - (1 - new / old) / 3, "that takes off the same amount each year (a straight line). A constant "
                                  "factor compounds: f * f * f = new / old."),
        ((new / old) ** (1 / 4), f"{three_years}, not four."),
        ((old / new) ** (1 / 3), "that is how many times smaller the error got each year (old / new). Give "
                                 "the factor the error is multiplied by, a number below 1."),
        ((old - new) / old, "that is the fraction of the error removed over all three years, not a yearly "
                            "factor."),
    ]
    for value, diagnosis in mistakes:
        if np.isclose(got, value, rtol=1e-3):
            raise Failure(f"got {got:.4g}: {diagnosis}")
    raise Failure(f"got {got:.4g}; applied three times it gives {old:g}% * {got:.4g}^3 = {old * got ** 3:.3g}%, "
                  f"not {new:g}%.\n   Hint: f * f * f = new / old.")


#: Chapter 0's examples of systems, and the narrowest circle of the Venn figure each sits in.
SYSTEM_EXAMPLES = {
    "a chess program that searches moves with hand-written rules": "AI",
    "a spam filter that fits logistic regression to labelled emails": "ML",
    "a photo tagger built from 50 stacked convolutional layers": "DL",
    "a route planner that runs a shortest-path search": "AI",
    "a house-price model from a decision tree fitted to past sales": "ML",
    "a speech recogniser with a deep recurrent network": "DL",
    "a single perceptron trained on labelled examples": "ML",
}


#: Hints for the examples that test a common confusion.
SPECIAL_HINTS = {
    "a single perceptron trained on labelled examples": "it is a neural network and it learns from data, "
    "but one neuron is no deep stack of layers: not every neural network is deep learning",
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
        if str(got).upper() not in why:
            raise Failure(f"{example!r}: answer with 'AI', 'ML' or 'DL'; got {got!r}.")
        if str(got).upper() != expected:
            hint = SPECIAL_HINTS.get(example, why[expected])
            raise Failure(f"{example!r}: expected {expected!r}, got {got!r}.\n   Hint: {hint}.")
    return len(SYSTEM_EXAMPLES)
