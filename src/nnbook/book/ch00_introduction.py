"""Chapter 0, introduction and history: its figures, then its demos, then its exercise checkers."""

from dataclasses import dataclass

import numpy as np
from matplotlib.patches import Ellipse, Patch

from nnbook.checks import Failure, as_number, checker, diagnose
from nnbook.plotting import PALETTE, new_axes

# --- Data: the milestones the timeline is drawn from ------------------------------------


@dataclass(frozen=True)
class Milestone:
    """One event: the year, a short label, one sentence, its era and a citation key."""

    year: int
    label: str
    detail: str
    era: str  # "early", "lean", "revival", "kernel" or "deep"
    cite: str = ""


MILESTONES = (
    Milestone(1943, "McCulloch-Pitts neuron", "A threshold unit: it fires when enough of its on/off\ninputs are on to reach a threshold.", "early", "mcculloch1943"),
    Milestone(1949, "Hebb's rule", "Hebb: a connection between cells that fire together\ngrows stronger.", "early", "hebb1949"),
    Milestone(1958, "Perceptron", "Rosenblatt: a fixed random layer feeds response units\nwhose connections learn from reinforcement.", "early", "rosenblatt1958"),
    Milestone(1960, "ADALINE", "Widrow and Hoff: a linear unit trained by the delta\nrule, gradient descent on squared error.", "early", "widrow1960"),
    Milestone(1969, "Perceptrons (the book)", "Minsky and Papert: perceptrons of limited order\ncannot compute parity or connectedness.", "lean", "minsky1969"),
    Milestone(1970, "Reverse-mode differentiation", "Linnainmaa: every derivative of a long computation in\none backward sweep (Werbos: for networks, 1974-82).", "lean", "linnainmaa1970"),
    Milestone(1980, "Neocognitron", "Fukushima: layers of local, shift-tolerant feature\ndetectors, trained without gradients.", "lean", "fukushima1980"),
    Milestone(1982, "Hopfield network", "Hopfield: a recurrent network that stores memories\nas minima of an energy.", "lean", "hopfield1982"),
    Milestone(1985, "Boltzmann machine", "Ackley, Hinton and Sejnowski: a learning rule for the\nhidden units of a stochastic network.", "lean", "ackley1985"),
    Milestone(1986, "Backpropagation", "Rumelhart, Hinton and Williams show multi-layer nets\nof sigmoid units learning useful hidden features.", "revival", "rumelhart1986"),
    Milestone(1989, "Universal approximation", "One hidden layer approximates any continuous function\non a compact set (Cybenko; Hornik et al.; Funahashi).", "revival", "cybenko1989"),
    Milestone(1989, "LeNet", "LeCun's convolutional network, trained by\nbackpropagation, reads handwritten zip codes.", "revival", "lecun1989"),
    Milestone(1991, "Vanishing gradients", "Hochreiter: gradients shrink layer by layer through\nsaturating units.", "revival", "hochreiter1991"),
    Milestone(1995, "Support vector machines", "Cortes and Vapnik: kernel machines, convex to train,\ndraw much of the field away from networks.", "kernel", "cortes1995"),
    Milestone(1997, "LSTM", "Hochreiter and Schmidhuber: gated memory cells carry\ngradients across long sequences.", "kernel", "hochreiter1997"),
    Milestone(1998, "LeNet-5", "LeCun, Bottou, Bengio and Haffner: a convolutional\nnetwork trained end to end reads bank cheques.", "kernel", "lecun1998"),
    Milestone(2006, "Deep belief nets", "Hinton, Osindero and Teh train deep networks one\nlayer at a time: interest in depth returns.", "deep", "hinton2006dbn"),
    Milestone(2012, "AlexNet", "Wins ImageNet: top-5 error 16.4% (15.3% with extra\ntraining data); the runner-up had 26.2%.", "deep", "krizhevsky2012"),
    Milestone(2014, "GoogLeNet, VGGNet", "Deeper nets: GoogLeNet wins (top-5 error 6.7%),\nVGGNet's 3x3 kernels come second (7.3%).", "deep", "szegedy2015"),
    Milestone(2015, "ResNet", "152 layers with residual connections win: top-5\nerror 3.57% (an ensemble of six networks).", "deep", "he2016resnet"),
)

#: The eras of the timeline: {era: (legend name, first year, last year)}; the two lean
#: stretches are shaded (less funding and fewer researchers, but work went on).
ERAS = {"early": ("first neurons", 1943, 1969), "lean": ("lean years, work goes on", 1969, 1986),
        "revival": ("the backprop era", 1986, 1995), "kernel": ("kernel machines lead", 1995, 2006),
        "deep": ("deep learning", 2006, 2015)}

#: ImageNet (ILSVRC) classification top-5 error on the test set, in percent: each year's
#: winner trained on the challenge's own 1.2 million images (AlexNet's 15.3% used extra
#: data), and VGG, second in 2014 (GoogLeNet won). Every entry is an ensemble of networks
#: (Russakovsky et al. 2015; each network's paper).
IMAGENET_TOP5_ERROR = {"AlexNet (2012)": 16.4, "Clarifai (2013)": 11.7, "VGG (2014, 2nd)": 7.3,
                       "GoogLeNet (2014)": 6.7, "ResNet (2015)": 3.57}

#: The top-5 error of one trained human annotator on 1,500 test images, in percent
#: (Russakovsky et al. 2015); a second, less trained annotator had 12.0% on 258 images.
HUMAN_TOP5_ERROR = 5.1


# --- Figures -------------------------------------------------------------------------------


def plot_timeline(milestones, ax=None, *, eras=None, inches_per_label=0.62):
    """The history of neural networks as a vertical timeline, one labelled entry per milestone.

    Years run down the left, on a true scale; the labels sit to the right, evenly spaced from
    the first year to the last, each joined to its year by a line, so that clustered events
    (1980-1998, 2012-2015) stay readable. The lean stretches of ``eras`` (default ``ERAS``)
    are shaded; the era legend sits below the axes, clear of the shading.
    """
    eras = ERAS if eras is None else eras
    n = len(milestones)
    fig, ax = new_axes(ax, figsize=(6.8, 1.6 + inches_per_label * n))  # as narrow as the longest line allows
    era_colours = {"early": PALETTE["blue"], "lean": PALETTE["grey"], "revival": PALETTE["green"],
                   "kernel": PALETTE["purple"], "deep": PALETTE["vermillion"]}
    years = np.array([m.year for m in milestones], dtype=float)
    lines = np.array([m.detail.count("\n") + 1 for m in milestones])
    label_y = np.linspace(years.min(), years.max(), n)  # evenly spaced, in the years' own order
    ax.axvline(0, color="black", lw=1.5, zorder=1)
    for era in ("lean", "kernel"):
        if era in eras and any(m.era == era for m in milestones):
            name, first, last = eras[era]
            ax.axhspan(first, last, color=era_colours[era], alpha=0.15, lw=0)
            ax.text(-0.08, (first + last) / 2, name.split(",")[0].replace(" ", "\n", 1), ha="right",
                    va="center", fontsize=9, color="dimgray")
    shown = set()
    for m, y_label in zip(milestones, label_y):
        colour = era_colours[m.era]
        ax.scatter([0], [m.year], s=45, color=colour, zorder=3, label=None if m.era in shown else eras[m.era][0])
        shown.add(m.era)
        ax.plot([0, 0.12, 0.2], [m.year, y_label, y_label], color=colour, lw=1)
        ax.text(0.22, y_label, f"{m.year}  {m.label}", ha="left", va="center", fontsize=12, fontweight="bold")
        ax.annotate(m.detail, (0.22, y_label), xytext=(0, -8), textcoords="offset points", ha="left", va="top",
                    fontsize=10, color="#333333", linespacing=1.15)
    ax.set_xlim(-0.45, 3.3)
    ax.set_ylim(label_y.max() + 1.2 + 1.3 * lines[-1], years.min() - 2)  # time runs downwards
    ax.set_xticks([])
    ax.set_yticks(range(10 * (int(years.min()) // 10), int(years.max()) + 1, 10))
    ax.set_ylabel("year")
    ax.spines["bottom"].set_visible(False)
    ax.grid(False)
    ax.set_title("Milestones of neural networks")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.005), ncols=3, fontsize=9, frameon=False)
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
    """Bar chart of ImageNet top-5 errors (percent) with one human annotator's error as a
    dashed line, labelled above the last bar.

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
    ax.text(len(labels) - 1, human_error + 0.3, f"one human\nannotator,\n{human_error:g}%", ha="center",
            va="bottom", color=PALETTE["vermillion"], fontsize=9, linespacing=1.1)
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
    ("Backpropagation", "Reverse-mode differentiation"): "backpropagation is reverse-mode differentiation "
    "applied to a network's loss",
    ("LeNet-5", "LeNet"): "LeNet-5 is the grown-up LeNet",
}

#: The milestones the ordering exercise names: a complete answer orders all of them.
ORDER_EXERCISE = ("ResNet", "Perceptron", "Backpropagation", "LeNet", "AlexNet", "McCulloch-Pitts neuron")


@checker("check_milestone_order")
def check_milestone_order(labels):
    """Check that ``labels`` (milestone labels from chapter 0) are in chronological order and
    include every milestone the exercise names (``ORDER_EXERCISE``; others may be added).

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
    missing = [label for label in ORDER_EXERCISE if label not in labels]
    if missing:
        raise Failure(f"your list is in order but leaves out {', '.join(map(repr, missing))}; the exercise "
                      f"asks for all {len(ORDER_EXERCISE)} of {', '.join(map(repr, ORDER_EXERCISE))}.")
    return len(labels)


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
    why = diagnose(got, mistakes, rtol=1e-3)
    if why:
        raise Failure(f"got {got:.4g}: {why}")
    raise Failure(f"got {got:.4g}; applied three times it gives {old:g}% * {got:.4g}^3 = {old * got ** 3:.3g}%, "
                  f"not {new:g}%.", hint="f * f * f = new / old.")


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
