"""Fast live redraws (Demo(update=...), widgets.figure_png): same picture, new settings, no leaks."""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from nnbook import demos, plotting
from nnbook.widgets import Slider, figure_png

FAST = [name for name, make in demos.DEMOS.items() if make().update is not None]


def titles(figure):
    return (figure.get_suptitle(), *(ax.get_title() for ax in figure.axes))


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


@pytest.mark.parametrize("name", FAST)
def test_updated_figure_says_what_a_fresh_one_says(name):
    demo = demos.DEMOS[name]()
    figure = demo.compute()
    for corner in demo.corner_cases():
        settings = demo._settings(corner)
        # None asks the live view for a fresh figure (e.g. another activation was chosen).
        figure = demo.update(figure, **settings) or demo.compute(**corner)
        assert titles(figure) == titles(demo.compute(**corner))


@pytest.mark.parametrize("name", FAST)
def test_blitted_png_matches_a_full_render(name):
    demo = demos.DEMOS[name]()
    figure = demo.compute()
    figure_png(figure)  # saves the background
    corner = demo.frames[1]
    figure = demo.update(figure, **demo._settings(corner))
    fast = pixels(figure_png(figure))
    fresh = demo.compute(**corner)
    fresh.set_dpi(figure.dpi)
    buffer = io.BytesIO()
    fresh.savefig(buffer, format="png", dpi=figure.dpi)
    full = pixels(buffer.getvalue())
    assert fast.shape == full.shape
    assert np.mean(np.abs(fast - full) > 40) < 0.01  # draw order may differ under a legend


@pytest.mark.parametrize("name", FAST)
def test_live_widget_reuses_its_figure_and_shows_a_png(name):
    demo = demos.DEMOS[name]()
    widget = demo.widget()
    first = widget.result
    control = next(n for n, c in demo.controls.items() if isinstance(c, Slider) and c.min != c.value)
    widget.controls[control].value = demo.controls[control].min
    assert widget.result is first
    data = widget.output.outputs[0]["data"]
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    assert titles(widget.result) == titles(demo.compute(**{control: widget.settings[control]}))


def test_update_refuses_a_figure_it_did_not_make():
    assert plotting.update_learning_rate(plotting.plot_gates(1.0, 1.0, -1.5)) is None
    assert plotting.update_batch_size(plotting.plot_gates(1.0, 1.0, -1.5)) is None


def test_switching_surfaces_reuses_each_surface_figure():
    bowl = plotting.plot_learning_rate("bowl")
    saddle = plotting.update_learning_rate(bowl, "saddle")
    assert saddle is not bowl
    assert plotting.update_learning_rate(saddle, "bowl") is bowl
    assert plotting.update_learning_rate(bowl, "saddle") is saddle
