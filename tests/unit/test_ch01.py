"""Chapter 1 (neurons): its figures and demo, tested on what they draw, and its checkers.

The expected values are computed here, independently of the chapter module: a point is on
the orange side when w1 x1 + w2 x2 + b > 0; the gates' truth tables are written out.
"""

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from matplotlib.path import Path

from nnbook import plotting
from nnbook.book import ch01_neurons as ch

from .figures import drawn, full_render, same_drawing, texts_outside_canvas

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
TABLES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0], "NAND": [1, 1, 1, 0], "NOR": [1, 0, 0, 0]}
LIMITS = (-0.5, 1.5)
ORANGE, BLUE = "#E69F00", "#0072B2"


@pytest.fixture(autouse=True)
def _book_style():
    import matplotlib as mpl

    with mpl.rc_context():
        plotting.use_book_style()
        yield


def fires(w1, w2, b, points):
    """The oracle: 1 where the neuron's sum is above 0."""
    points = np.asarray(points, dtype=float)
    return (w1 * points[:, 0] + w2 * points[:, 1] + b > 0).astype(float)


def crosses_the_box(w1, w2, b):
    """The line passes through the square's interior exactly when the sum is positive at one
    corner and negative at another."""
    sums = [w1 * x + w2 * y + b for x in LIMITS for y in LIMITS]
    return min(sums) < 0 < max(sums)


def polygon_area(vertices):
    x, y = np.asarray(vertices, dtype=float).T
    return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))


SETTINGS = [(1.0, 1.0, -1.5), (1.0, 1.0, -0.5), (1.0, -1.0, -0.5), (-1.0, -1.0, 1.5), (0.0, 0.0, 0.5),
            (2.0, -0.3, 2.9), (-1.7, 0.4, -3.0), (0.0, 1.2, -0.6), (1.6, 1.6, -1.6)]


# --- the shading: two polygons that split the square at the line ----------------------------

@pytest.mark.parametrize("w1, w2, b", SETTINGS)
def test_half_planes_split_the_box_by_the_sign_of_the_sum(w1, w2, b, rng):
    on, off = ch.half_planes(w1, w2, b, *LIMITS)
    assert polygon_area(on) + polygon_area(off) == pytest.approx(4.0)  # the square is 2 x 2
    points = rng.uniform(*LIMITS, size=(2000, 2))
    sums = points @ [w1, w2] + b
    clear = np.abs(sums) > 1e-6  # points on the line may fall on either side
    np.testing.assert_array_equal(Path(on).contains_points(points[clear], radius=1e-12) | (polygon_area(on) == 0),
                                  (sums > 0)[clear] | (polygon_area(on) == 0))
    if polygon_area(off) > 0:
        np.testing.assert_array_equal(Path(off).contains_points(points[clear]), (sums < 0)[clear])


def test_a_side_that_misses_the_box_is_an_empty_polygon():
    on, off = ch.half_planes(0.0, 0.0, 0.5, *LIMITS)  # fires everywhere
    assert polygon_area(on) == pytest.approx(4.0) and polygon_area(off) == 0.0


# --- plot_decision_line ---------------------------------------------------------------------

def _decision_line(w1, w2, b, **kwargs):
    _, ax = plotting.new_axes()
    ch.plot_decision_line(np.array([w1, w2]), b, ax, limits=LIMITS, **kwargs)
    return ax


def test_decision_line_lies_on_the_neuron_boundary_inside_the_box(rng):
    for w1, w2, b in rng.uniform(-3, 3, size=(200, 3)):
        lines = _decision_line(w1, w2, b).get_lines()
        assert len(lines) == int(crosses_the_box(w1, w2, b))
        for line in lines:
            x, y = np.asarray(line.get_data())
            np.testing.assert_allclose(w1 * x + w2 * y + b, 0.0, atol=1e-9)
            assert np.all((np.asarray([x, y]) >= LIMITS[0] - 1e-12) & (np.asarray([x, y]) <= LIMITS[1] + 1e-12))
            assert np.hypot(x[1] - x[0], y[1] - y[0]) > 0  # drawn edge to edge, not a dot


@pytest.mark.parametrize("w1, w2, b", [(1.6, 1.6, -1.6), (-1.8, -0.4, -0.3)], ids=["corner-to-corner", "through-a-corner"])
def test_decision_line_is_drawn_when_it_crosses_the_box_through_a_corner(w1, w2, b):
    assert crosses_the_box(w1, w2, b)
    assert len(_decision_line(w1, w2, b).get_lines()) == 1


def test_no_decision_line_when_the_weights_are_zero():
    assert _decision_line(0.0, 0.0, 0.5).get_lines() == []


def test_decision_line_shades_the_firing_side_orange_and_the_other_blue():
    ax = _decision_line(1.0, 1.0, -1.5)
    on, off = [p for p in ax.patches if isinstance(p, Polygon)]
    assert on.get_facecolor()[:3] == pytest.approx((0xE6 / 255, 0x9F / 255, 0))
    assert off.get_facecolor()[:3] == pytest.approx((0, 0x72 / 255, 0xB2 / 255))
    assert Path(on.get_xy()).contains_point((1.3, 1.3)) and Path(off.get_xy()).contains_point((0, 0))


def test_decision_line_without_shading_draws_only_the_line():
    ax = _decision_line(1.0, 1.0, -1.5, shade=False)
    assert len(ax.patches) == 0 and len(ax.lines) == 1


# --- the gates figure (the demo's figure) ---------------------------------------------------

def _panels(figure):
    return {ax.get_title().split(":")[0]: ax for ax in figure.axes}


@pytest.mark.parametrize("w1, w2, b", SETTINGS)
def test_gates_panels_draw_the_decision_line_of_the_settings(w1, w2, b):
    figure = ch.GatesFigure.plot(w1=w1, w2=w2, b=b)
    for ax in figure.axes:
        (line,) = ax.get_lines()
        x, y = np.asarray(line.get_data(), dtype=float)
        assert len(x) == (2 if crosses_the_box(w1, w2, b) else 0), "the panel lost its decision line"
        np.testing.assert_allclose(w1 * x + w2 * y + b, 0.0, atol=1e-9)
        if len(x):
            assert np.hypot(x[1] - x[0], y[1] - y[0]) > 0.1


@pytest.mark.parametrize("w1, w2, b", [(1.0, 1.0, -1.5), (1.0, -1.0, -0.5), (0.0, 1.2, -0.6)])
def test_gates_panels_show_a_dark_line_where_the_sum_is_zero(w1, w2, b):
    # Rendered pixels, not artists: the point of the line nearest the square's centre is dark.
    figure = ch.GatesFigure.plot(w1=w1, w2=w2, b=b)
    image = full_render(figure)
    w, centre = np.array([w1, w2]), np.array([0.5, 0.5])
    on_line = centre - (w @ centre + b) * w / (w @ w)
    for ax in figure.axes:
        x, y = ax.transData.transform(on_line)
        row, col = int(round(image.shape[0] - y)), int(round(x))
        assert image[row - 2:row + 3, col - 2:col + 3].sum(axis=2).min() < 150, "no dark line where the sum is 0"


@pytest.mark.parametrize("w1, w2, b", SETTINGS)
def test_gates_panels_shade_the_side_where_the_neuron_fires(w1, w2, b, rng):
    figure = ch.GatesFigure.plot(w1=w1, w2=w2, b=b)
    points = rng.uniform(*LIMITS, size=(500, 2))
    sums = points @ [w1, w2] + b
    clear = np.abs(sums) > 1e-6
    for ax in figure.axes:
        on, off = [p for p in ax.patches if isinstance(p, Polygon)]
        assert on.get_facecolor()[:3] == pytest.approx(tuple(int(ORANGE[i:i + 2], 16) / 255 for i in (1, 3, 5)))
        inside_on = Path(on.get_xy()).contains_points(points[clear]) if polygon_area(on.get_xy()) else np.zeros(clear.sum(), bool)
        np.testing.assert_array_equal(inside_on, (sums > 0)[clear])
        assert polygon_area(on.get_xy()) + polygon_area(off.get_xy()) == pytest.approx(4.0)


@pytest.mark.parametrize("w1, w2, b", SETTINGS)
def test_gates_panels_plot_the_four_rows_by_target_and_ring_the_wrong_ones(w1, w2, b):
    figure = ch.GatesFigure.plot(w1=w1, w2=w2, b=b)
    outputs = fires(w1, w2, b, INPUTS)
    for gate, ax in _panels(figure).items():
        target = np.array(TABLES[gate], dtype=float)
        squares, circles, rings = ax.collections
        np.testing.assert_array_equal(squares.get_offsets(), INPUTS[target == 1])
        np.testing.assert_array_equal(circles.get_offsets(), INPUTS[target == 0])
        np.testing.assert_array_equal(np.asarray(rings.get_offsets()).reshape(-1, 2), INPUTS[outputs != target])
        right = int(np.sum(outputs == target))
        assert ax.get_title() == f"{gate}: " + ("all 4 right" if right == 4 else f"{right}/4 right")


def test_gates_figure_for_the_and_neuron_says_so():
    figure = ch.GatesFigure.plot(w1=1.0, w2=1.0, b=-1.5)
    assert [ax.get_title() for ax in figure.axes] == ["AND: all 4 right", "OR: 2/4 right", "XOR: 1/4 right"]
    texts = [t.get_text() for t in figure.texts]
    assert texts == ["One neuron:  ", "w1 = 1, w2 = 1, b = -1.5", "orange side: output 1",
                     "the neuron computes:  ", "00→0  01→0  10→0  11→1"]
    wants = [t.get_text() for ax in figure.axes for t in ax.texts]
    assert wants == ["AND wants: 00→0  01→0  10→0  11→1", "OR wants: 00→0  01→1  10→1  11→1",
                     "XOR wants: 00→0  01→1  10→1  11→0"]


def test_gates_figure_draws_any_list_of_gates():
    figure = ch.GatesFigure.plot(w1=1.0, w2=1.0, b=-1.5, gates=("AND", "OR", "XOR", "NAND"))
    assert [ax.get_title().split(":")[0] for ax in figure.axes] == ["AND", "OR", "XOR", "NAND"]
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in figure.axes)
    assert len(ch.GatesFigure.plot(w1=1.0, w2=1.0, b=-0.5, gates=("OR",)).axes) == 1


def test_gates_live_update_draws_what_a_fresh_figure_draws():
    live = ch.GatesFigure(w1=1.0, w2=1.0, b=-1.5)
    for w1, w2, b in SETTINGS:
        live.update(w1=w1, w2=w2, b=b)
        assert same_drawing(drawn(live.figure), drawn(ch.GatesFigure.plot(w1=w1, w2=w2, b=b)))


@pytest.mark.parametrize("w1, w2, b", [(1.0, 1.0, -1.5), (-2.0, -2.0, -3.0), (-1.9, 2.0, 2.9)])
def test_gates_figure_text_stays_on_the_canvas(w1, w2, b):
    assert texts_outside_canvas(ch.GatesFigure.plot(w1=w1, w2=w2, b=b)) == []


def test_gates_shading_sits_above_the_axis_objects_for_fast_redraws():
    figure = ch.GatesFigure.plot(w1=1.0, w2=1.0, b=-1.5)
    for ax in figure.axes:
        shading = [p.get_zorder() for p in ax.patches if isinstance(p, Polygon)]
        assert min(shading) > max(ax.xaxis.get_zorder(), ax.yaxis.get_zorder())


# --- the demo and its static preview --------------------------------------------------------

def test_demo_sliders_are_named_as_the_text_names_them():
    demo = ch.neuron_gates_demo()
    assert list(demo.controls) == ["w1", "w2", "b"]
    assert demo.defaults == {"w1": 1.0, "w2": 1.0, "b": -1.5}


def _frame_settings():
    return {(f["w1"], f["w2"], f["b"]) for f in ch.neuron_gates_demo().frames()}


def test_preview_reaches_every_task_the_text_sets():
    frames = _frame_settings()
    # 1. AND at the start, then OR by moving only b.
    assert (1.0, 1.0, -1.5) in frames and list(fires(1, 1, -1.5, INPUTS)) == TABLES["AND"]
    assert (1.0, 1.0, -0.5) in frames and list(fires(1, 1, -0.5, INPUTS)) == TABLES["OR"]
    # 2. Three of XOR's rows (the most a line can get).
    best_xor = max(int(np.sum(fires(*s, INPUTS) == TABLES["XOR"])) for s in frames)
    assert best_xor == 3
    # 3. Both weights at -1: NAND at b = 1.5, NOR at b = 0.5.
    assert (-1.0, -1.0, 1.5) in frames and list(fires(-1, -1, 1.5, INPUTS)) == TABLES["NAND"]
    assert (-1.0, -1.0, 0.5) in frames and list(fires(-1, -1, 0.5, INPUTS)) == TABLES["NOR"]


def test_no_setting_makes_and_and_or_right_together():
    # Why task 1 says "one at a time": AND and OR disagree on rows 01 and 10.
    disagree = [k for k in range(4) if TABLES["AND"][k] != TABLES["OR"][k]]
    assert disagree == [1, 2]


@pytest.mark.parametrize("settings, caption", [
    ((1.0, 1.0, -1.5), "AND: all 4 right; OR: 2/4 right; XOR: 1/4 right."),
    ((1.0, 1.0, -0.5), "AND: 2/4 right; OR: all 4 right; XOR: 3/4 right."),
    ((1.0, -1.0, -0.5), "AND: 2/4 right; OR: 2/4 right; XOR: 3/4 right."),
    ((-1.0, -1.0, 1.5), "AND: 0/4 right; OR: 2/4 right; XOR: 3/4 right."),  # NAND
])
def test_frame_captions_count_the_right_rows_in_plain_words(settings, caption):
    assert ch.gates_caption(*settings) == caption


# --- the hidden-space figure ----------------------------------------------------------------

def test_hidden_space_puts_each_input_where_the_hidden_layer_sends_it():
    figure = ch.plot_xor_hidden_space()
    ax_in, ax_hidden = figure.axes
    # OR and NAND of the rows 00, 01, 10, 11, worked by hand:
    hidden = np.array([[0, 1], [1, 1], [1, 1], [1, 0]], dtype=float)
    xor = np.array(TABLES["XOR"])
    squares, circles = ax_hidden.collections
    np.testing.assert_array_equal(squares.get_offsets(), hidden[xor == 1])
    np.testing.assert_array_equal(circles.get_offsets(), hidden[xor == 0])
    labels = {t.get_text(): tuple(t.xy) for t in ax_hidden.texts}
    assert labels == {"(0, 0) → (0, 1)": (0.0, 1.0), "(0, 1), (1, 0) → (1, 1)": (1.0, 1.0),
                      "(1, 1) → (1, 0)": (1.0, 0.0)}


def test_hidden_space_draws_the_or_nand_and_and_lines():
    figure = ch.plot_xor_hidden_space()
    ax_in, ax_hidden = figure.axes
    (or_line, nand_line) = [line for line in ax_in.get_lines() if len(line.get_xdata())]
    for line, (w1, w2, b) in [(or_line, (1, 1, -0.5)), (nand_line, (-1, -1, 1.5))]:
        x, y = np.asarray(line.get_data(), dtype=float)
        np.testing.assert_allclose(w1 * x + w2 * y + b, 0.0, atol=1e-9)
    (and_line,) = ax_hidden.get_lines()
    x, y = np.asarray(and_line.get_data(), dtype=float)
    np.testing.assert_allclose(x + y - 1.5, 0.0, atol=1e-9)
    assert [t.get_text() for t in ax_in.get_legend().get_texts()][:2] == ["OR neuron's line", "NAND neuron's line"]


def test_hidden_space_text_stays_on_the_canvas():
    assert texts_outside_canvas(ch.plot_xor_hidden_space()) == []


# --- the mistakes figure --------------------------------------------------------------------

def test_mistakes_figure_draws_one_line_per_run_with_its_counts():
    runs = {"AND": [2, 3, 3, 2, 2, 3, 2, 1, 0], "XOR": [4] * 6}
    ax = ch.plot_mistakes(runs).axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["AND", "XOR"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_xydata(), np.column_stack([np.arange(1, 10), runs["AND"]]))
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), [4] * 6)
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() and ax.get_title()
    assert texts_outside_canvas(ax.figure) == []


def test_mistakes_figure_draws_on_a_given_axes():
    figure, ax = plotting.new_axes()
    assert ch.plot_mistakes({"AND": [1, 0]}, ax=ax) is figure and isinstance(figure, Figure)


# --- the chapter's other figures -----------------------------------------------------------

def on_canvas(figure):
    """texts_outside_canvas, for figures with axes turned off (network diagrams): such axes
    draw no tick labels, so their ticks are removed first (the drawing does not change)."""
    for ax in figure.axes:
        if not ax.axison:
            ax.set(xticks=[], yticks=[])
    return texts_outside_canvas(figure)


def test_neuron_diagram_has_four_inputs_one_neuron_and_a_weight_per_arrow():
    figure = ch.plot_neuron_diagram(n_inputs=4)
    ax = figure.axes[0]
    assert sum(len(c.get_offsets()) for c in ax.collections) == 5
    assert len(ax.patches) == 4  # one arrow per weight
    texts = {t.get_text() for t in ax.texts}
    assert {"$x_1$", "$x_4$", "$w_1$", "$w_4$", "Σ, f", "$a = f(z)$"} <= texts
    assert on_canvas(figure) == []


def test_step_activation_is_zero_up_to_zero_and_one_after():
    figure = ch.plot_step_activation()
    (line,) = figure.axes[0].get_lines()
    z, y = np.asarray(line.get_data(), dtype=float)
    assert z.min() == -3 and z.max() == 3
    np.testing.assert_array_equal(y, (z > 0).astype(float))
    assert y[np.argmin(np.abs(z))] == 0.0  # z = 0 itself gives 0
    assert texts_outside_canvas(figure) == []


def test_transactions_network_shows_the_worked_example_weights():
    figure = ch.plot_transactions_network()
    texts = [t.get_text() for t in figure.axes[0].texts]
    for label in ["2", "3", "i", "j", "k", "family members", "accounts"]:
        assert label in texts
    # weights 1, 1, -1, 1 into the hidden units, 2 and -1 into k; "2" is also the first input
    assert (texts.count("1"), texts.count("−1"), texts.count("2")) == (3, 2, 2)
    assert on_canvas(figure) == []


def test_perceptron_runs_figure_draws_the_counts_and_the_learned_line():
    from nnbook.perceptron import PerceptronRun

    X = np.array([[-0.5, 0.8], [0.5, -0.8], [0.2, 0.9], [-0.9, -0.3]])
    y = np.array([1.0, 0.0, 1.0, 0.0])
    runs = {"separable points": PerceptronRun(w=np.array([0.4, 1.0]), b=-0.1, mistakes=[3, 1, 0]),
            "XOR": PerceptronRun(w=np.zeros(2), b=0.0, mistakes=[4, 4, 4, 4])}
    figure = ch.plot_perceptron_runs(runs, X, y)
    ax_curve, ax_line = figure.axes
    np.testing.assert_array_equal(ax_curve.get_lines()[0].get_ydata(), [3, 1, 0])
    np.testing.assert_array_equal(ax_curve.get_lines()[1].get_ydata(), [4, 4, 4, 4])
    (line,) = ax_line.get_lines()
    x, yy = np.asarray(line.get_data(), dtype=float)
    np.testing.assert_allclose(0.4 * x + 1.0 * yy - 0.1, 0.0, atol=1e-9)
    offsets = np.vstack([c.get_offsets() for c in ax_line.collections])
    assert sorted(map(tuple, offsets)) == sorted(map(tuple, X))
    assert texts_outside_canvas(figure) == []


# --- checkers: right answers ----------------------------------------------------------------

def right_neuron(x, w, b):
    return 1.0 if np.dot(x, w) + b > 0 else 0.0


def right_batch_neuron(x, w, b):  # one example (D,) -> a number; a batch (N, D) -> (N,)
    return np.where(np.dot(x, w) + b > 0, 1.0, 0.0)


def right_update(w, b, x, target, learning_rate):
    s = 1.0 if target == 1 else -1.0
    if s * (np.dot(w, x) + b) > 0:
        return w, b
    return w + learning_rate * s * np.asarray(x), b + learning_rate * s


def right_xor(x):
    only_first = right_neuron(x, [1.0, -1.0], -0.5)
    only_second = right_neuron(x, [-1.0, 1.0], -0.5)
    return right_neuron([only_first, only_second], [1.0, 1.0], -0.5)


RIGHT_ANSWERS = {
    "neuron": lambda: ch.check_neuron_output(right_batch_neuron),
    "neuron-returns-bool-as-int": lambda: ch.check_neuron_output(lambda x, w, b: (np.dot(x, w) + b > 0).astype(int)),
    "neuron-matmul": lambda: ch.check_neuron_output(lambda x, w, b: (np.asarray(x) @ np.asarray(w) + b > 0) * 1.0),
    "gate-AND": lambda: ch.check_gate_weights("AND", [1.0, 1.0], -1.5),
    "gate-OR": lambda: ch.check_gate_weights("OR", [1.0, 1.0], -0.5),
    "gate-NAND": lambda: ch.check_gate_weights("NAND", [-1.0, -1.0], 1.5),
    "gate-NOR": lambda: ch.check_gate_weights("NOR", [-1.0, -1.0], 0.5),
    "gate-NOR-other-weights": lambda: ch.check_gate_weights("NOR", [-2.0, -3.0], 1.0),
    "gate-NOT": lambda: ch.check_gate_weights("NOT", [-1.0], 0.5),
    "gate-NOR-margin-1": lambda: ch.check_gate_weights("NOR", [-2.0, -2.0], 1.0, margin=1),  # sums 1, -1, -1, -3
    "gate-NOR-bias-in-a-list": lambda: ch.check_gate_weights("NOR", np.array([-2.0, -2.0]), [1.0], margin=1),
    "gate-NOR-margin-1-wider": lambda: ch.check_gate_weights("NOR", [-3.0, -2.5], 1.5, margin=1),
    "gate-NOR-margin-round-off": lambda: ch.check_gate_weights("NOR", [-2.0, -2.0], 49 * (1 / 49), margin=1),  # 1 - 1e-16
    "update": lambda: ch.check_perceptron_update(right_update),
    "xor-network": lambda: ch.check_xor_network(right_xor),
}


# --- checkers: wrong answers, each with its own diagnosis ----------------------------------

def returns_none(*args):
    return None


def divides_by_zero(*args):
    return 1 / 0


def update_in_place(w, b, x, target, learning_rate):  # `w += ...` changes the caller's array
    s = 1.0 if target == 1 else -1.0
    if s * (np.dot(w, x) + b) > 0:
        return w, b
    w += learning_rate * s * x
    return w, b + learning_rate * s


def update_always(w, b, x, target, learning_rate):  # forgets the "only after a mistake"
    s = 1.0 if target == 1 else -1.0
    return w + learning_rate * s * x, b + learning_rate * s


def update_zero_is_right(w, b, x, target, learning_rate):  # `>= 0` where a sum of 0 is a mistake
    s = 1.0 if target == 1 else -1.0
    if s * (np.dot(w, x) + b) >= 0:
        return w, b
    return w + learning_rate * s * x, b + learning_rate * s


def update_with_target_as_sign(w, b, x, target, learning_rate):  # s = target: 0 for target 0
    if (1 if target == 1 else -1) * (np.dot(w, x) + b) > 0:
        return w, b
    return w + learning_rate * target * x, b + learning_rate * target


def update_wrong_way(w, b, x, target, learning_rate):
    s = 1.0 if target == 1 else -1.0
    if s * (np.dot(w, x) + b) > 0:
        return w, b
    return w - learning_rate * s * x, b - learning_rate * s


def update_without_rate(w, b, x, target, learning_rate):
    s = 1.0 if target == 1 else -1.0
    if s * (np.dot(w, x) + b) > 0:
        return w, b
    return w + s * x, b + s


def update_forgets_bias(w, b, x, target, learning_rate):
    s = 1.0 if target == 1 else -1.0
    if s * (np.dot(w, x) + b) > 0:
        return w, b
    return w + learning_rate * s * x, b


def xor_with_and_output(x):  # the two "one but not the other" units, then AND instead of OR
    hidden = [right_neuron(x, [1.0, -1.0], -0.5), right_neuron(x, [-1.0, 1.0], -0.5)]
    return right_neuron(hidden, [1.0, 1.0], -1.5)


def xor_flipped(x):
    return 1.0 - right_xor(x)


def xor_one_case(x):  # the second hidden unit never reaches the output
    return right_neuron(x, [1.0, -1.0], -0.5)


WRONG_ANSWERS = {
    "neuron-none": (lambda: ch.check_neuron_output(returns_none), "returned None. Did you forget `return`?"),
    "neuron-one-example-only": (lambda: ch.check_neuron_output(right_neuron),
                                "w=[1.0, 1.0], b=-1.5 your function raised ValueError: The truth value of an "
                                "array with more than one element is ambiguous. Use a.any() or a.all(). Hint: for "
                                "a batch, z = X @ w + b is an array of N sums"),
    "neuron-batch-collapsed": (lambda: ch.check_neuron_output(
        lambda x, w, b: float(np.all(np.dot(x, w) + b > 0))),
        "your function returned one number, 0; a batch of 4 examples needs 4 outputs, one per row."),
    "neuron-batch-column": (lambda: ch.check_neuron_output(
        lambda x, w, b: np.where(np.dot(x, w) + b > 0, 1.0, 0.0).reshape(-1, 1)),
        "expected an array of shape (4,), got shape (4, 1)."),
    "neuron-batch-w-first": (lambda: ch.check_neuron_output(
        lambda x, w, b: np.where(np.asarray(w) @ np.asarray(x) + b > 0, 1.0, 0.0)),
        "your function raised ValueError: matmul: Input operand 1 has a mismatch"),
    "neuron-raises": (lambda: ch.check_neuron_output(divides_by_zero), "raised ZeroDivisionError"),
    "neuron-raises-at-length": (lambda: ch.check_neuron_output(lambda x, w, b: np.dot([1.0] * 40, [1.0] * 41)),
                                "your function raised ValueError: shapes (40,) and (41,) not aligned"),
    "neuron-fires-at-zero": (lambda: ch.check_neuron_output(lambda x, w, b: float(np.dot(x, w) + b >= 0)),
                             "the sum is exactly 0 here; the unit fires only when the sum is above 0 (use >, not >=)."),
    "neuron-no-bias": (lambda: ch.check_neuron_output(lambda x, w, b: float(np.dot(x, w) > 0)),
                       "expected 1, got 0: the answer without the bias. Hint: add b to the weighted sum"),
    "neuron-matmul-on-lists": (lambda: ch.check_neuron_output(lambda x, w, b: np.where(x @ w + b > 0, 1.0, 0.0)),
                               "raised TypeError: unsupported operand type(s) for @: 'list' and 'list'. Hint: x "
                               "and w may arrive as Python lists, and `@` does not work on lists"),
    "neuron-sigmoid": (lambda: ch.check_neuron_output(lambda x, w, b: 1 / (1 + np.exp(-(np.dot(x, w) + b)))),
                       "returned 0.6225, the sigmoid of the sum z = 0.5. Hint: this exercise's neuron is the "
                       "threshold unit"),
    "neuron-returns-the-sum": (lambda: ch.check_neuron_output(lambda x, w, b: float(np.dot(x, w) + b)),
                               "returned the weighted sum z = 0.5 itself."),
    "neuron-no-sum": (lambda: ch.check_neuron_output(lambda x, w, b: (np.multiply(x, w) + b > 0).astype(float)),
                      "expected one number, got array([1., 1.])"),
    "gate-AND-with-OR-bias": (lambda: ch.check_gate_weights("AND", [1.0, 1.0], -0.5),
                              "your neuron computes OR, not AND. On input (0, 1) expected 0, your neuron gives 1. "
                              "Hint: on input (0, 1) the sum is 0.5; it must be at or below 0."),
    "gate-NOR-zero-bias": (lambda: ch.check_gate_weights("NOR", [-1.0, -1.0], 0.0),
                           "your neuron computes the constant 0, not NOR. On input (0, 0) expected 1"),
    "gate-NAND-row": (lambda: ch.check_gate_weights("NAND", [-1.0, -0.2], 0.5),  # computes "not x1"
                      "✗ check_gate_weights('NAND'): On input (1, 0) expected 1, your neuron gives 0. "
                      "Hint: on input (1, 0) the sum is -0.5; it must be above 0."),
    "gate-NOR-bias-list": (lambda: ch.check_gate_weights("NOR", [-2.0, -2.0], [1.0, 1.0], margin=1),
                           "b must be one number, the neuron's bias; got [1.0, 1.0]."),
    "gate-wrong-shape": (lambda: ch.check_gate_weights("AND", [1.0, 1.0, 1.0], -1.5),
                         "AND has 2 input(s), so w needs 2 weight(s); got shape (3,)."),
    "gate-NOR-margin-too-small": (lambda: ch.check_gate_weights("NOR", [-1.0, -1.0], 0.5, margin=1),
                                  "your neuron computes NOR, but on input (0, 0) the sum is 0.5, only 0.5 away "
                                  "from 0; every sum must be at least 1 away from 0. Hint: multiply every weight "
                                  "and the bias by the same positive number"),
    "gate-NOR-margin-on-the-line": (lambda: ch.check_gate_weights("NOR", [-1.0, -1.0], 1.0, margin=1),
                                    "on input (0, 1) the sum is exactly 0: the row sits on the line, and only "
                                    "the tie rule (0 counts as 'off') gets it right; every sum must be at least "
                                    "1 away from 0. Hint: scaling cannot move a sum of 0"),
    "gate-NOR-margin-wrong-gate": (lambda: ch.check_gate_weights("NOR", [2.0, 2.0], -1.0, margin=1),
                                   "your neuron computes OR, not NOR. On input (0, 0) expected 1"),
    "gate-XOR": (lambda: ch.check_gate_weights("XOR", [1.0, -1.0], -0.5),
                 "no single line separates XOR's points: this one cannot pass"),
    "update-none": (lambda: ch.check_perceptron_update(returns_none), "returned None. Did you forget `return`?"),
    "update-in-place": (lambda: ch.check_perceptron_update(update_in_place),
                        "your function changed w in place (the array passed in now holds [1.0, 1.0])."),
    "update-always": (lambda: ch.check_perceptron_update(update_always),
                      "the neuron is already right here (sum 0.5, target 1), so nothing changes"),
    "update-zero-is-right": (lambda: ch.check_perceptron_update(update_zero_is_right),
                             "the sum is exactly 0, and a sum of 0 counts as a mistake"),
    "update-target-as-sign": (lambda: ch.check_perceptron_update(update_with_target_as_sign),
                              "for target 0, s = -1 (not 0): subtract."),
    "update-wrong-way": (lambda: ch.check_perceptron_update(update_wrong_way),
                         "you moved the wrong way: add learning_rate * x for target 1"),
    "update-no-rate": (lambda: ch.check_perceptron_update(update_without_rate),
                       "the learning rate scales the step"),
    "update-no-bias": (lambda: ch.check_perceptron_update(update_forgets_bias), "the bias moves too"),
    "update-not-a-pair": (lambda: ch.check_perceptron_update(lambda w, b, x, t, lr: np.append(w, b)),
                          "expected a pair (new_w, new_b)"),
    "xor-none": (lambda: ch.check_xor_network(returns_none), "returned None. Did you forget `return`?"),
    "xor-one-neuron-or": (lambda: ch.check_xor_network(lambda x: right_neuron(x, [1.0, 1.0], -0.5)),
                          "for x=(1, 1) expected 0, got 1: your network computes OR; it also fires on (1, 1)."),
    "xor-and-output": (lambda: ch.check_xor_network(xor_with_and_output),
                       "your network computes the constant 0; it never fires"),
    "xor-flipped": (lambda: ch.check_xor_network(xor_flipped), "your network computes XNOR; the exact opposite"),
    "xor-one-case": (lambda: ch.check_xor_network(xor_one_case),
                     "your network computes x1 and not x2; only one of the two hidden cases reaches the output"),
    "xor-hidden-pair": (lambda: ch.check_xor_network(lambda x: np.array([right_neuron(x, [1.0, 1.0], -0.5),
                                                                          right_neuron(x, [-1.0, -1.0], 1.5)])),
                        "the hidden neurons give two numbers; the output neuron turns them into one."),
}


# The tables are swept by tests/unit/test_checks.py (ticks, diagnoses, distinct messages).


def test_update_checker_leaves_no_trace_of_a_mutating_answer_in_its_cases():
    # The in-place check must compare with a copy, or a second run would start from changed data.
    first = ch.check_perceptron_update(update_in_place).message
    assert ch.check_perceptron_update(update_in_place).message == first


@pytest.mark.parametrize("weights", [([1.0, 1.0], -0.5), ([1.0, -1.0], 0.0), ([-2.0, 2.0], -1.0), ([0.0, 0.0], 0.0)],
                         ids=["OR", "slanted", "best-of-grid", "zero"])
def test_no_weights_pass_xor(weights, capsys):
    assert not ch.check_gate_weights("XOR", *weights)
    assert "no single line" in " ".join(capsys.readouterr().out.split())


# --- checkers: misuse -----------------------------------------------------------------------

@pytest.mark.parametrize("checker", [ch.check_neuron_output, ch.check_perceptron_update, ch.check_xor_network])
def test_passing_a_non_callable_is_a_type_error(checker):
    with pytest.raises(TypeError, match="the function, without calling it"):
        checker(1.0)


def test_gate_weights_rejects_a_negative_margin():
    with pytest.raises(ValueError, match="margin must be a number >= 0; got -1.0"):
        ch.check_gate_weights("NOR", [-2.0, -2.0], 1.0, margin=-1)


def test_gate_weights_rejects_an_unknown_gate():
    with pytest.raises(ValueError, match="gate must be one of .*; got 'XNOR'"):
        ch.check_gate_weights("XNOR", [1.0, 1.0], 0.0)
