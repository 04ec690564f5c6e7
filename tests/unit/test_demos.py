"""Every demo of the book (each chapter module's ``DEMOS``), tested on what it draws.

A demo's title repeats its settings, so a figure that ignored a control would still seem to
change if only titles were compared: these tests compare the drawn data (line vertices,
image arrays, scatter offsets, patch and collection paths) and the pixels of the live redraw
against a fresh figure. The frames of the static view are compared by what they show (data,
texts, limits) without rendering them: the site's tests decode every frame's image, and
encoding them here again took a third of the unit suite.
"""

import itertools
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnbook import book, widgets
from nnbook.widgets import Demo, Slider

from .figures import drawn, full_render, picture, pixels, same_drawing, same_picture

DEMOS = book.all_demos()
IDS = [f"{chapter[:4]}-{name}" for chapter, name in DEMOS]
CONTROLS = [(key, control) for key, make in DEMOS.items() for control in make().controls]
CONTROL_IDS = [f"{key[0][:4]}-{key[1]}-{control}" for key, control in CONTROLS]
LIVE = [key for key, make in DEMOS.items() if widgets.is_live_figure(make().function)]


def other_value(control):
    """A value of the control that is not its default: the far end, or another option."""
    values = control.values()
    return next(v for v in (values[-1], values[0], *values) if v != control.value)


def sweep_values(control):
    """Every value a live control can take."""
    return control.values()


@pytest.mark.parametrize("key, control", CONTROLS, ids=CONTROL_IDS)
def test_every_control_changes_what_is_drawn(key, control):
    demo = DEMOS[key]()
    moved = demo.compute(**{control: other_value(demo.controls[control])})
    assert not same_drawing(drawn(moved), drawn(demo.compute())), f"moving {control} changed only the text"


@pytest.mark.parametrize("key, control", CONTROLS, ids=CONTROL_IDS)
def test_every_value_of_every_control_draws_finite_data_without_warnings(key, control):
    demo = DEMOS[key]()
    live = None
    for value in sweep_values(demo.controls[control]):
        settings = demo.settings(**{control: value})
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            if widgets.is_live_figure(demo.function) and live is not None and \
                    demo.function.key_of(settings) == live.key:
                live.update(**settings)
                figure = live.figure
            elif widgets.is_live_figure(demo.function):
                live = demo.function(**settings)
                figure = live.figure
            else:
                figure = demo.compute(**settings)
        assert isinstance(figure, Figure)
        for kind, data in drawn(figure):
            if kind in ("line", "offsets"):
                assert np.all(np.isfinite(data)), f"{control}={value}: a {kind} holds NaN or inf"
        figure.clear()


@pytest.mark.parametrize("key", LIVE, ids=[f"{c[:4]}-{n}" for c, n in LIVE])
def test_live_redraw_shows_the_pixels_of_a_fresh_figure(key):
    demo = DEMOS[key]()
    widget = demo.widget()
    frames = demo.frames()
    for settings in [frames[-1], frames[len(frames) // 2], frames[0]]:
        for name, value in settings.items():
            widget.controls[name].value = value
        shown = pixels(widget.output.value)
        fresh = demo.compute(**settings)
        assert np.array_equal(shown, full_render(fresh)), f"live view differs from a fresh figure at {settings}"


def same_frames(demo):
    """Pairs of the static view's frames (indices) that show the same picture: a wasted
    frame, or a control that changes nothing."""
    pictures, live = [], {}
    for settings in demo.frames():
        if widgets.is_live_figure(demo.function):  # updated in place: as a fresh figure (tested below)
            key = demo.function.key_of(settings)
            if key in live:
                live[key].update(**settings)
            else:
                live[key] = demo.function(**settings)
            pictures.append(picture(live[key].figure))
        else:
            figure = demo.compute(**settings)
            pictures.append(picture(figure))
            figure.clear()
    return [(i, j) for i, j in itertools.combinations(range(len(pictures)), 2)
            if same_picture(pictures[i], pictures[j])]


@pytest.mark.parametrize("key", DEMOS, ids=IDS)
def test_static_view_frames_all_differ(key):
    assert same_frames(DEMOS[key]()) == []


def test_same_frames_finds_a_control_that_changes_nothing():
    def plot(a, b):  # b is ignored: its frames repeat the default's
        figure = Figure()
        figure.add_subplot().plot([0, 1], [a, a])
        return figure

    demo = Demo(plot, {"a": Slider(0, 2, 1, step=1), "b": Slider(0, 2, 0, step=1)}, grid={"a": [0, 1]},
                vary={"b": [0, 2]}, alt="A line.")
    assert same_frames(demo) == [(1, 2)]  # (a = 1, b = 0) and (a = 1, b = 2)


@pytest.mark.parametrize("key", DEMOS, ids=IDS)
def test_static_grid_frames_are_distinct_settings(key):
    frames = DEMOS[key]().frames()
    assert len({tuple(sorted(f.items())) for f in frames}) == len(frames) <= widgets.MAX_FRAMES


@pytest.mark.parametrize("key", DEMOS, ids=IDS)
def test_code_line_draws_the_demo_figure(key):
    demo = DEMOS[key]()
    settings = demo.frames()[-1]
    figure = eval(demo.code(**settings), {"ch": book.chapter(key[0])})
    assert same_drawing(drawn(figure), drawn(demo.compute(**settings)))


@pytest.mark.parametrize("key", DEMOS, ids=IDS)
def test_captions_are_plain_sentences(key):
    demo = DEMOS[key]()
    if demo.caption is None:
        pytest.skip("this demo has no captions yet")
    for settings in demo.frames():
        caption = demo.caption(**settings)
        assert caption.strip() and caption.endswith(".") and "\n" not in caption
