"""nnbook.plotting: every function returns a matplotlib Figure (never a pyplot one) with labelled axes."""

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from nnbook import data, perceptron, plotting
from nnbook.book import ch00_introduction as ch00
from nnbook.book import ch01_neurons as ch01
from nnbook.neuron import GATE_INPUTS, GATE_TARGETS


def mistakes_runs():
    X, y = data.gate_data("AND")
    Xx, yx = data.gate_data("XOR")
    return {"AND": perceptron.train_perceptron(X, y).mistakes,
            "XOR": perceptron.train_perceptron(Xx, yx, epochs=8).mistakes}


FIGURES = {
    "plot_points": lambda ax=None: plotting.plot_points(*data.separable_blobs(20), ax=ax),
    "plot_gates": lambda ax=None: ch01.GatesFigure.plot(w1=1.0, w2=1.0, b=-1.5),
    "plot_mistakes": lambda ax=None: ch01.plot_mistakes(mistakes_runs(), ax=ax),
    "draw_network": lambda ax=None: plotting.draw_network([2, 2, 1], ax=ax, node_labels={(0, 0): "x1"},
                                                          edge_labels={(0, 0, 0): "1"}, layer_names=["in", "h", "out"],
                                                          input_names=["$x_1$", "$x_2$"]),
    "plot_timeline": lambda ax=None: ch00.plot_timeline(ch00.MILESTONES, ax=ax),
    "plot_ai_venn": lambda ax=None: ch00.plot_ai_venn(ax=ax),
    "plot_top5_errors": lambda ax=None: ch00.plot_top5_errors(ch00.IMAGENET_TOP5_ERROR,
                                                                  ch00.HUMAN_TOP5_ERROR, ax=ax),
}
TAKES_AX = [name for name in FIGURES if name != "plot_gates"]


@pytest.mark.parametrize("make", FIGURES.values(), ids=FIGURES.keys())
def test_returns_a_figure(make):
    assert isinstance(make(), Figure)


@pytest.mark.parametrize("make", FIGURES.values(), ids=FIGURES.keys())
def test_figure_is_not_a_pyplot_figure(make):
    assert make().canvas.manager is None  # pyplot figures have a manager; ours are never left open


@pytest.mark.parametrize("name", TAKES_AX)
def test_draws_on_a_given_axes_and_returns_its_figure(name):
    figure, ax = plotting.new_axes()
    assert FIGURES[name](ax=ax) is figure
    assert figure.axes == [ax]
    assert ax.has_data() or ax.patches or ax.texts


def test_subplots_returns_a_figure_and_a_grid_of_axes():
    figure, axes = plotting.subplots(2, 3)
    assert isinstance(figure, Figure)
    assert np.shape(axes) == (2, 3)
    assert figure.axes == list(np.ravel(axes))


def test_new_axes_makes_a_figure_with_one_axes():
    figure, ax = plotting.new_axes(figsize=(3, 2))
    assert isinstance(figure, Figure)
    assert figure.axes == [ax]
    assert tuple(figure.get_size_inches()) == (3, 2)


def test_new_axes_returns_a_given_axes_and_its_figure():
    figure, ax = plotting.subplots(1, 2)
    assert plotting.new_axes(ax[1]) == (figure, ax[1])


def test_plot_points_labels_its_axes():
    ax = FIGURES["plot_points"]().axes[0]
    assert ax.get_xlabel() and ax.get_ylabel()


def test_plot_points_draws_every_point_once():
    X, y = data.separable_blobs(20)
    ax = plotting.plot_points(X, y).axes[0]
    offsets = np.vstack([c.get_offsets() for c in ax.collections])
    assert sorted(map(tuple, offsets)) == sorted(map(tuple, X))


def test_plot_gates_has_one_labelled_panel_per_gate():
    figure = ch01.GatesFigure.plot(w1=1.0, w2=1.0, b=-1.5, gates=("AND", "OR", "XOR", "NAND"))
    assert [ax.get_title().split(":")[0] for ax in figure.axes] == ["AND", "OR", "XOR", "NAND"]
    for ax in figure.axes:
        assert ax.get_xlabel() and ax.get_ylabel()


def test_plot_gates_titles_report_each_gate_score():
    figure = ch01.GatesFigure.plot(w1=1.0, w2=1.0, b=-1.5)  # the AND neuron
    outputs = (GATE_INPUTS @ [1.0, 1.0] - 1.5 > 0).astype(float)
    correct = {gate: int(np.sum(outputs == GATE_TARGETS[gate])) for gate in ("AND", "OR", "XOR")}
    assert correct == {"AND": 4, "OR": 2, "XOR": 1}
    assert [ax.get_title() for ax in figure.axes] == ["AND: all 4 right", "OR: 2/4 right", "XOR: 1/4 right"]


def test_plot_gates_shows_the_truth_table_under_each_panel():
    figure = ch01.GatesFigure.plot(w1=1.0, w2=1.0, b=-1.5)
    assert any("00→0  01→0  10→0  11→1" in text.get_text() for text in figure.axes[0].texts)


def test_plot_gates_suptitle_names_the_weights():
    assert ch01.GatesFigure.plot(w1=0.5, w2=-1.0, b=0.25).get_suptitle() == (
        "One neuron: $w_1$=0.5, $w_2$=-1, $b$=0.25  (shaded: output 1)")


def test_plot_gates_with_one_gate_has_one_panel():
    assert len(ch01.GatesFigure.plot(w1=1.0, w2=1.0, b=-0.5, gates=("OR",)).axes) == 1


def test_plot_mistakes_is_titled_and_labelled():
    ax = FIGURES["plot_mistakes"]().axes[0]
    assert ax.get_title() and ax.get_xlabel() == "epoch" and ax.get_ylabel()


def test_plot_mistakes_draws_one_line_per_run():
    runs = mistakes_runs()
    ax = ch01.plot_mistakes(runs).axes[0]
    assert [line.get_label() for line in ax.get_lines()] == list(runs)
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), runs["XOR"])


def test_plot_timeline_is_titled_with_years_on_the_y_axis():
    ax = FIGURES["plot_timeline"]().axes[0]
    assert ax.get_title()
    assert ax.get_ylabel() == "year"


def test_plot_timeline_runs_time_downwards():
    bottom, top = FIGURES["plot_timeline"]().axes[0].get_ylim()
    assert bottom > top


def test_plot_timeline_labels_every_milestone():
    texts = [t.get_text() for t in FIGURES["plot_timeline"]().axes[0].texts]
    for milestone in ch00.MILESTONES:
        assert f"{milestone.year}  {milestone.label}" in texts


def test_plot_ai_venn_is_titled_and_names_three_circles():
    ax = ch00.plot_ai_venn().axes[0]
    assert ax.get_title()
    assert len(ax.patches) == 3
    names = {t.get_text() for t in ax.texts}
    assert {"Artificial intelligence", "Machine learning", "Deep learning"} <= names


def test_plot_top5_errors_is_titled_and_labelled():
    ax = FIGURES["plot_top5_errors"]().axes[0]
    assert ax.get_title()
    assert ax.get_ylabel() == "top-5 error (%)"


def test_plot_top5_errors_draws_one_bar_per_model():
    ax = FIGURES["plot_top5_errors"]().axes[0]
    heights = [bar.get_height() for bar in ax.containers[0]]
    assert heights == list(ch00.IMAGENET_TOP5_ERROR.values())


def test_draw_network_draws_one_circle_per_unit():
    ax = plotting.draw_network([4, 5, 6, 4, 3]).axes[0]
    circles = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sum(len(c.get_offsets()) for c in circles) == 22


def test_draw_network_draws_one_arrow_per_weight():
    ax = plotting.draw_network([4, 5, 6, 4, 3]).axes[0]
    assert len(ax.patches) == 4 * 5 + 5 * 6 + 6 * 4 + 4 * 3


def test_use_book_style_sets_the_okabe_ito_cycle():
    with mpl.rc_context():
        plotting.use_book_style()
        colours = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    assert colours[0] == "#0072B2"
    assert set(colours) <= set(plotting.PALETTE.values())


def test_class_colours_are_from_the_palette():
    assert set(plotting.CLASS_COLOURS) <= set(plotting.PALETTE.values())


# --- the decision line ---------------------------------------------------------------------

LIMITS = (-0.5, 1.5)


def _crosses_the_box(w1, w2, b):
    """Oracle: the line w1 x + w2 y + b = 0 passes through the square's interior exactly when
    the sum is positive at one corner and negative at another."""
    sums = [w1 * x + w2 * y + b for x in LIMITS for y in LIMITS]
    return min(sums) < 0 < max(sums)


def _decision_lines(w1, w2, b):
    _, ax = plotting.new_axes()
    ch01.plot_decision_line(np.array([w1, w2]), b, ax, limits=LIMITS)
    return ax.get_lines()


def test_decision_line_lies_on_the_neuron_boundary_inside_the_box(rng):
    for w1, w2, b in rng.uniform(-3, 3, size=(200, 3)):
        lines = _decision_lines(w1, w2, b)
        assert len(lines) == int(_crosses_the_box(w1, w2, b))
        for line in lines:
            x, y = line.get_data()
            np.testing.assert_allclose(w1 * np.asarray(x) + w2 * np.asarray(y) + b, 0.0, atol=1e-9)
            assert np.all((np.asarray([x, y]) >= LIMITS[0] - 1e-12) & (np.asarray([x, y]) <= LIMITS[1] + 1e-12))


def test_no_decision_line_when_the_weights_are_zero():
    assert _decision_lines(0.0, 0.0, 0.5) == []


def test_decision_line_shading_covers_the_box():
    _, ax = plotting.new_axes()
    ch01.plot_decision_line(np.array([1.0, 1.0]), -1.5, ax, limits=LIMITS)
    assert len(ax.images) == 1
    assert tuple(ax.images[0].get_extent()) == (*LIMITS, *LIMITS)


@pytest.mark.parametrize("w1, w2, b", [(1.6, 1.6, -1.6), (-1.8, -0.4, -0.3)],
                         ids=["corner-to-corner", "through-one-corner"])
def test_decision_line_is_drawn_when_it_crosses_the_box_through_a_corner(w1, w2, b):
    assert _crosses_the_box(w1, w2, b)
    assert len(_decision_lines(w1, w2, b)) == 1


def test_subplots_without_layout_engine_for_fast_redraws():
    figure, _ = plotting.subplots(1, 2, layout=None)
    assert figure.get_layout_engine() is None
