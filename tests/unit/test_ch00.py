"""Chapter 0 (introduction and history): its figures, tested on what they draw, its data and its checkers."""

import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, Rectangle

from nnbook import plotting
from nnbook.book import ch00_introduction as ch

from .figures import texts_outside_canvas

ROOT = Path(__file__).resolve().parents[2]

FIGURES = {
    "plot_timeline": lambda ax=None: ch.plot_timeline(ch.MILESTONES, ax=ax),
    "plot_ai_venn": lambda ax=None: ch.plot_ai_venn(ax=ax),
    "plot_top5_errors": lambda ax=None: ch.plot_top5_errors(ch.IMAGENET_TOP5_ERROR, ch.HUMAN_TOP5_ERROR, ax=ax),
}


@pytest.fixture(autouse=True)
def _book_style():
    """Every figure is tested in the style the book draws it with."""
    import matplotlib as mpl

    with mpl.rc_context():
        plotting.use_book_style()
        yield


# --- every figure -------------------------------------------------------------------------

@pytest.mark.parametrize("make", FIGURES.values(), ids=FIGURES.keys())
def test_returns_a_figure_that_is_not_a_pyplot_figure(make):
    figure = make()
    assert isinstance(figure, Figure)
    assert figure.canvas.manager is None


@pytest.mark.parametrize("name", FIGURES)
def test_draws_on_a_given_axes_and_returns_its_figure(name):
    figure, ax = plotting.new_axes()
    assert FIGURES[name](ax=ax) is figure
    assert figure.axes == [ax]


@pytest.mark.parametrize("make", FIGURES.values(), ids=FIGURES.keys())
def test_no_text_falls_outside_the_canvas(make):
    assert texts_outside_canvas(make()) == []


# --- the timeline -------------------------------------------------------------------------

def _timeline():
    return ch.plot_timeline(ch.MILESTONES).axes[0]


def test_timeline_puts_one_dot_per_milestone_on_the_axis_at_its_year():
    ax = _timeline()
    dots = np.vstack([c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)])
    years = [1943, 1949, 1958, 1960, 1969, 1970, 1980, 1982, 1985, 1986, 1989, 1989, 1991, 1995, 1997, 1998,
             2006, 2012, 2014, 2015]
    np.testing.assert_array_equal(dots, np.column_stack([np.zeros(len(years)), years]))


def test_timeline_joins_each_dot_to_its_label():
    ax = _timeline()
    heads = {t.get_text(): t.get_position()[1] for t in ax.texts if re.match(r"\d{4}  ", t.get_text())}
    for milestone, line in zip(ch.MILESTONES, ax.lines[1:]):  # lines[0] is the axis line
        x, y = line.get_data()
        assert (x[0], y[0]) == (0, milestone.year)
        assert y[-1] == heads[f"{milestone.year}  {milestone.label}"]


def test_timeline_runs_time_downwards_with_years_on_the_y_axis():
    ax = _timeline()
    bottom, top = ax.get_ylim()
    assert bottom > top
    assert ax.get_ylabel() == "year" and ax.get_title()


def test_timeline_shades_the_lean_years_and_the_kernel_era():
    ax = _timeline()
    bands = [p for p in ax.patches if isinstance(p, Rectangle) or p.get_path().vertices.size]
    spans = [np.unique(np.round(p.get_path().transformed(p.get_patch_transform()).vertices[:, 1], 6)) for p in bands]
    assert any(np.array_equal(span, [1969, 1986]) for span in spans)
    assert any(np.array_equal(span, [1995, 2006]) for span in spans)


def test_timeline_labels_keep_the_order_of_the_years():
    ax = _timeline()
    heads = [t.get_position()[1] for t in ax.texts if re.match(r"\d{4}  ", t.get_text())]
    assert np.all(np.diff(heads) > 0)


def test_timeline_labels_do_not_overlap_each_other():
    figure = ch.plot_timeline(ch.MILESTONES)
    texts_outside_canvas(figure)  # draws the figure
    renderer = figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in figure.axes[0].texts if t.get_text().strip()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
            assert min(overlap) <= 0.5, "two labels of the timeline overlap"


def test_timeline_legend_stays_clear_of_the_winter_band():
    figure = ch.plot_timeline(ch.MILESTONES)
    texts_outside_canvas(figure)
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    legend = ax.get_legend().get_window_extent(renderer)
    band = ax.transData.transform([[0, 1969], [0, 2006]])[:, 1]
    assert legend.y1 < band.min() or legend.y0 > band.max()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "first neurons", "lean years, work goes on", "the backprop era", "kernel machines lead", "deep learning"]


def test_timeline_has_a_bold_label_for_every_milestone():
    texts = [t.get_text() for t in _timeline().texts]
    for milestone in ch.MILESTONES:
        assert f"{milestone.year}  {milestone.label}" in texts


# --- the facts the figures are drawn from (issue 10) ----------------------------------------

def _milestone(label):
    return next(m for m in ch.MILESTONES if m.label == label)


def test_every_milestone_cites_a_reference_in_the_bibliography():
    keys = set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text(), flags=re.M))
    assert {m.cite for m in ch.MILESTONES} <= keys


def test_universal_approximation_is_stated_for_continuous_functions_on_compact_sets():
    detail = " ".join(_milestone("Universal approximation").detail.split())
    assert "continuous function on a compact set" in detail and "one hidden layer" in detail.lower()


def test_2014_milestone_says_googlenet_won_and_vgg_came_second():
    detail = " ".join(_milestone("GoogLeNet, VGGNet").detail.split())
    assert "GoogLeNet wins" in detail and "second" in detail


def test_reverse_mode_came_in_the_lean_years_and_names_werbos():
    early = _milestone("Reverse-mode differentiation")
    assert (early.year, early.era, early.cite) == (1970, "lean", "linnainmaa1970")
    assert "Werbos" in early.detail


def test_minsky_papert_is_stated_as_their_theorems_not_as_xor():
    detail = " ".join(_milestone("Perceptrons (the book)").detail.split())
    assert "order" in detail and "parity" in detail and "XOR" not in detail


def test_the_lean_years_hold_the_work_done_in_them():
    lean = {m.label for m in ch.MILESTONES if m.era == "lean"}
    assert {"Neocognitron", "Hopfield network", "Boltzmann machine"} <= lean


def test_the_timeline_has_the_kernel_era_and_the_2006_restart():
    assert _milestone("Support vector machines").era == "kernel"
    assert (_milestone("Deep belief nets").year, _milestone("Deep belief nets").era) == (2006, "deep")
    assert {"Hebb's rule", "ADALINE", "LSTM", "LeNet-5"} <= {m.label for m in ch.MILESTONES}


# --- the top-5 errors -----------------------------------------------------------------------

def test_top5_bars_have_the_published_errors_on_the_challenge_data():
    ax = FIGURES["plot_top5_errors"]().axes[0]
    assert [bar.get_height() for bar in ax.containers[0]] == [16.4, 11.7, 7.3, 6.7, 3.57]
    assert ax.get_ylabel() == "top-5 error (%)"


def test_alexnet_milestone_gives_both_of_its_errors():
    detail = " ".join(_milestone("AlexNet").detail.split())
    assert "16.4%" in detail and "15.3% with extra training data" in detail


def test_top5_marks_vgg_as_second_place_not_a_winner():
    ax = FIGURES["plot_top5_errors"]().axes[0]
    colours = [tuple(bar.get_facecolor()) for bar in ax.containers[0]]
    assert colours[2] != colours[0] and colours[0] == colours[1] == colours[3] == colours[4]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["winner of its year", "second place"]
    assert "winner" not in ax.get_title().lower()
    assert ax.get_xticklabels()[2].get_text() == "VGG\n(2014, 2nd)"


def test_top5_draws_one_annotators_error_as_a_horizontal_line_at_5_1_percent():
    ax = FIGURES["plot_top5_errors"]().axes[0]
    (line,) = ax.lines
    np.testing.assert_array_equal(line.get_ydata(), [5.1, 5.1])
    assert any("one human" in t.get_text() and "5.1%" in t.get_text() for t in ax.texts)


# --- the Venn figure ------------------------------------------------------------------------

def test_venn_nests_deep_learning_in_machine_learning_in_ai():
    ax = FIGURES["plot_ai_venn"]().axes[0]
    ellipses = [p for p in ax.patches if isinstance(p, Ellipse)]
    assert len(ellipses) == 3
    outlines = [e.get_path().transformed(e.get_patch_transform()) for e in ellipses]
    assert outlines[0].contains_path(outlines[1]) and outlines[1].contains_path(outlines[2])
    names = {t.get_text() for t in ax.texts}
    assert {"Artificial intelligence", "Machine learning", "Deep learning"} <= names


# --- checkers: right answers ----------------------------------------------------------------

CHRONOLOGICAL = ["McCulloch-Pitts neuron", "Perceptron", "Backpropagation", "LeNet", "AlexNet", "ResNet"]
RIGHT_CIRCLES = {
    "a chess program that searches moves with hand-written rules": "AI",
    "a spam filter that fits logistic regression to labelled emails": "ML",
    "a photo tagger built from 50 stacked convolutional layers": "DL",
    "a route planner that runs a shortest-path search": "AI",
    "a house-price model from a decision tree fitted to past sales": "ML",
    "a speech recogniser with a deep recurrent network": "DL",
    "a single perceptron trained on labelled examples": "ML",
}

RIGHT_ANSWERS = {
    "order": lambda: ch.check_milestone_order(CHRONOLOGICAL),
    "order-same-year": lambda: ch.check_milestone_order(CHRONOLOGICAL[:3] + ["Universal approximation"]
                                                        + CHRONOLOGICAL[3:]),
    "order-same-year-swapped": lambda: ch.check_milestone_order(CHRONOLOGICAL[:4] + ["Universal approximation"]
                                                                + CHRONOLOGICAL[4:]),
    "order-with-extras": lambda: ch.check_milestone_order(["McCulloch-Pitts neuron", "Hebb's rule", "Perceptron",
                                                           "Reverse-mode differentiation", "Backpropagation",
                                                           "LeNet", "LeNet-5", "AlexNet", "ResNet"]),
    "yearly-factor": lambda: ch.check_yearly_factor(0.60155),  # (3.57 / 16.4) ** (1 / 3)
    "yearly-factor-numpy": lambda: ch.check_yearly_factor(np.float64(0.6016)),
    "circles": lambda: ch.check_ai_ml_dl(RIGHT_CIRCLES),
    "circles-lower-case": lambda: ch.check_ai_ml_dl({k: v.lower() for k, v in RIGHT_CIRCLES.items()}),
}


def test_the_chapter_examples_are_the_ones_the_test_answers():
    assert ch.SYSTEM_EXAMPLES == RIGHT_CIRCLES


# --- checkers: wrong answers, each with its own diagnosis ----------------------------------

def _circles_with(example, answer):
    return {**RIGHT_CIRCLES, example: answer}


WRONG_ANSWERS = {
    "order-needs-backprop": (lambda: ch.check_milestone_order(["LeNet", "Backpropagation"]),
                             "'LeNet' comes before 'Backpropagation' in your list, but it builds on it: "
                             "LeNet's convolutional layers were trained with backpropagation."),
    "order-needs-neuron": (lambda: ch.check_milestone_order(["Perceptron", "McCulloch-Pitts neuron", "ResNet"]),
                           "builds on it: the perceptron is a threshold neuron whose weights are learned."),
    "order-years": (lambda: ch.check_milestone_order(["ResNet", "Perceptron"]),
                    "'ResNet' comes before 'Perceptron' in your list, but happened later (2015 vs 1958)."),
    "order-twice": (lambda: ch.check_milestone_order(["Perceptron", "LeNet", "Perceptron"]),
                    "'Perceptron' appears twice in your list"),
    "order-unknown": (lambda: ch.check_milestone_order(["Transformers", "LeNet"]),
                      "'Transformers' is not a milestone label."),
    "order-one": (lambda: ch.check_milestone_order(["LeNet"]), "give at least two milestone labels"),
    "order-incomplete": (lambda: ch.check_milestone_order(["McCulloch-Pitts neuron", "Perceptron", "LeNet"]),
                         "your list is in order but leaves out 'ResNet', 'Backpropagation', 'AlexNet'"),
    "order-needs-reverse-mode": (lambda: ch.check_milestone_order(["Backpropagation", "Reverse-mode differentiation"]),
                                 "backpropagation is reverse-mode differentiation applied to a network's loss"),
    "factor-none": (lambda: ch.check_yearly_factor(None), "expected one number (a factor such as 0.5), got None."),
    "factor-total": (lambda: ch.check_yearly_factor(3.57 / 16.4), "the factor for all three years together"),
    "factor-divided": (lambda: ch.check_yearly_factor(3.57 / 16.4 / 3), "shares out a difference, not a factor"),
    "factor-linear": (lambda: ch.check_yearly_factor(0.7392), "takes off the same amount each year"),
    "factor-four-years": (lambda: ch.check_yearly_factor(0.6831), "three yearly steps (2012→2013→2014→2015), not four."),
    "factor-inverted": (lambda: ch.check_yearly_factor(1.6624), "how many times smaller the error got each year"),
    "factor-percent": (lambda: ch.check_yearly_factor(60.16), "looks like a percentage"),
    "factor-removed": (lambda: ch.check_yearly_factor(0.7823), "the fraction of the error removed over all three years"),
    "factor-other": (lambda: ch.check_yearly_factor(0.5), "applied three times it gives 16.4% * 0.5^3 = 2.05%, not 3.57%."),
    "circles-ml-as-dl": (lambda: ch.check_ai_ml_dl(_circles_with(
        "a spam filter that fits logistic regression to labelled emails", "DL")),
        "expected 'ML', got 'DL'. Hint: it fits a model to data, but not a deep stack of layers."),
    "circles-perceptron-as-dl": (lambda: ch.check_ai_ml_dl(_circles_with(
        "a single perceptron trained on labelled examples", "DL")), "not every neural network is deep learning"),
    "circles-rules-as-ml": (lambda: ch.check_ai_ml_dl(_circles_with(
        "a route planner that runs a shortest-path search", "ML")),
        "expected 'AI', got 'ML'. Hint: it follows rules or searches; nothing is fitted to data."),
    "circles-missing": (lambda: ch.check_ai_ml_dl({}), "no answer for 'a chess program"),
    "circles-not-a-circle": (lambda: ch.check_ai_ml_dl(_circles_with(
        "a speech recogniser with a deep recurrent network", "NN")), "answer with 'AI', 'ML' or 'DL'; got 'NN'."),
}


# The tables are swept by tests/unit/test_checks.py (ticks, diagnoses, distinct messages).


# --- checkers: misuse -----------------------------------------------------------------------

def test_milestone_order_rejects_a_string():
    with pytest.raises(TypeError, match="pass a list of milestone labels; got str"):
        ch.check_milestone_order("Perceptron")


def test_ai_ml_dl_rejects_a_list():
    with pytest.raises(TypeError, match="pass a dict"):
        ch.check_ai_ml_dl(list(RIGHT_CIRCLES.values()))
