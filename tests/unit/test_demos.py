"""Every demo of the book (each chapter module's ``DEMOS``), tested on what it draws.

A demo's title repeats its settings, so a figure that ignored a control would still seem to
change if only titles were compared: these tests compare the drawn data (line vertices,
image arrays, scatter offsets, patch and collection paths), the pixels of the live redraw
against a fresh figure, and the images of the static view.
"""

import base64
import io
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from nnbook import book, widgets

from .figures import HtmlTags, drawn, full_render, pixels, same_drawing

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
        shown = pixels(base64.b64decode(widget.output.outputs[0]["data"]["image/png"]))
        fresh = demo.compute(**settings)
        assert np.array_equal(shown, full_render(fresh)), f"live view differs from a fresh figure at {settings}"


@pytest.mark.parametrize("key", DEMOS, ids=IDS)
def test_static_view_frames_decode_and_all_differ(key):
    demo = DEMOS[key]()
    sources = [image["src"] for image in HtmlTags(demo.static_html()).of("img")]
    assert len(sources) == len(demo.frames())
    images = [Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))) for src in sources]
    arrays = [np.asarray(image.convert("RGB")) for image in images]
    assert all(image.format == "WEBP" for image in images)
    assert len({array.tobytes() for array in arrays}) == len(arrays)


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
