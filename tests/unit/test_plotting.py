"""nnbook.plotting: every function returns a matplotlib Figure (never a pyplot one) with labelled axes."""

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from nnbook import data, plotting

FIGURES = {
    "plot_points": lambda ax=None: plotting.plot_points(*data.separable_blobs(20), ax=ax),
    "draw_network": lambda ax=None: plotting.draw_network([2, 2, 1], ax=ax, node_labels={(0, 0): "x1"},
                                                          edge_labels={(0, 0, 0): "1"}, layer_names=["in", "h", "out"],
                                                          input_names=["$x_1$", "$x_2$"]),
}
TAKES_AX = list(FIGURES)


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


def test_subplots_without_layout_engine_for_fast_redraws():
    figure, _ = plotting.subplots(1, 2, layout=None)
    assert figure.get_layout_engine() is None
