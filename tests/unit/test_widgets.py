"""nnbook.widgets: Slider, Choice, Demo (live, static and light views) and LiveFigure.

Small demos made here exercise the machinery; every demo of the book is tested in
test_demos.py. The pure function is tested first, the ipywidgets wiring second: setting a
control's value in plain pytest fires its observers, no kernel or browser needed.
"""

import ast
import base64
import html
import io
import json

import ipywidgets
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from nnbook import widgets
from nnbook.widgets import Choice, Demo, LiveFigure, Slider

from .figures import HtmlTags, full_render, pixels


def describe(**settings):
    """A cheap demo function: its result is text naming its settings."""
    return ", ".join(f"{name}={value}" for name, value in sorted(settings.items()))


def text_demo(**controls):
    controls = controls or {"a": Slider(0.0, 1.0, 0.5), "mode": Choice(("x", "y"), "x")}
    return Demo(describe, controls, grid={"mode": ["x", "y"]}, alt="Text.")


class Dot(LiveFigure):
    """A live figure for the tests: one dot at (x, y), on axes chosen by ``size``."""

    rebuild_on = ("size",)
    draws = 0

    def draw(self, x=0.0, y=0.0, size=1):
        type(self).draws += 1
        figure = Figure(figsize=(2, 2), dpi=50)
        ax = figure.add_subplot()
        ax.set(xlim=(-size, size), ylim=(-size, size))
        self.dot, = ax.plot([], [], "o", color="black")
        self.label = ax.set_title(" ")
        self.dynamic = [self.dot, self.label]
        return figure

    def update(self, x=0.0, y=0.0, size=1):
        self.dot.set_data([x], [y])
        self.label.set_text(f"({x:g}, {y:g})")


def dot_demo():
    controls = {"x": Slider(-1.0, 1.0, 0.0, step=0.5), "y": Slider(-1.0, 1.0, 0.0, step=0.5),
                "size": Choice((1, 2), 1)}
    return Demo(Dot, controls, grid={"x": [-1.0, 0.0, 1.0], "y": [0.0, 1.0]}, alt="A dot.",
                caption=lambda x, y, size: f"the dot at ({x:g}, {y:g})")


@pytest.fixture(scope="module")
def dot_html():
    return dot_demo().static_html()


# --- Demo: the pure function ---------------------------------------------------------------

def test_compute_uses_the_defaults():
    assert text_demo().compute() == "a=0.5, mode=x"


def test_compute_overrides_only_the_named_parameters():
    assert text_demo().compute(mode="y") == "a=0.5, mode=y"


def test_compute_rejects_an_unknown_parameter_naming_the_known_ones():
    with pytest.raises(ValueError, match=r"\['c'\].*\['a', 'mode'\]"):
        text_demo().compute(c=1.0)


def test_compute_of_a_live_figure_demo_is_a_fresh_figure_of_the_settings():
    figure = dot_demo().compute(x=0.5)
    line = figure.axes[0].lines[0]
    assert (list(line.get_xdata()), list(line.get_ydata())) == ([0.5], [0.0])


def test_code_of_a_function_outside_nnbook_has_no_prefix():
    assert text_demo().code() == "describe(a=0.5, mode='x')"


def test_code_of_a_live_figure_calls_its_plot_method():
    assert dot_demo().code(x=0.5) == "Dot.plot(x=0.5, y=0.0, size=1)"


def test_code_of_a_chapter_demo_uses_the_notebooks_name_for_the_chapter():
    from nnbook.book import ch01_neurons

    code = ch01_neurons.neuron_gates_demo().code(b=0.5)
    assert code == "ch.GatesFigure.plot(w1=1.0, w2=1.0, b=0.5)"
    figure = eval(code, {"ch": ch01_neurons})
    assert isinstance(figure, Figure)


def train(lr, steps=1):
    return f"lr={lr}, steps={steps}"


@pytest.mark.parametrize(
    "controls, settings",
    [
        ({"lr": Slider(1e-5, 1.0, 1e-3, log=True)}, {"lr": 1e-5}),
        ({"lr": Slider(0.1, 1.0, 0.5), "steps": Choice((np.int64(1), np.int64(10)), np.int64(1))},
         {"steps": np.int64(10)}),
    ],
    ids=["small-value-of-a-log-slider", "numpy-integer"],
)
def test_code_arguments_evaluate_to_the_settings(controls, settings):
    name = next(iter(settings))
    demo = Demo(train, controls, grid={name: [controls[name].value, settings[name]]}, alt="Text.")
    call = ast.parse(demo.code(**settings), mode="eval").body
    arguments = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
    for key, value in settings.items():
        assert arguments[key] == pytest.approx(value, rel=1e-3)


def test_corner_cases_put_one_control_at_a_time_at_each_end():
    demo = Demo(describe, {"a": Slider(0.0, 1.0, 0.5), "mode": Choice(("x", "y", "z"), "x")},
                grid={"mode": ["x", "y"]}, alt="Text.")
    assert demo.corner_cases() == [{"a": 0.0}, {"a": 1.0}, {"mode": "x"}, {"mode": "z"}]


def test_frames_are_the_grid_in_order_with_the_other_controls_at_their_defaults():
    assert [(f["x"], f["y"], f["size"]) for f in dot_demo().frames()] == [
        (-1.0, 0.0, 1), (-1.0, 1.0, 1), (0.0, 0.0, 1), (0.0, 1.0, 1), (1.0, 0.0, 1), (1.0, 1.0, 1)]


# --- Slider values -------------------------------------------------------------------------

def test_slider_values_are_every_step():
    assert Slider(-1.0, 1.0, 0.0, step=0.5).values() == [-1.0, -0.5, 0.0, 0.5, 1.0]


def test_integer_slider_values_are_integers():
    assert Slider(2, 10, 4, step=4).values() == [2, 6, 10]


def test_log_slider_values_are_ten_per_decade_from_end_to_end():
    values = Slider(1e-3, 1.0, 1e-2, log=True).values()
    assert len(values) == 31
    assert values[0] == pytest.approx(1e-3) and values[-1] == pytest.approx(1.0)
    assert values[10] == pytest.approx(1e-2)


# --- construction checks -------------------------------------------------------------------

@pytest.mark.parametrize("values", [[0.5], list(np.linspace(0.0, 1.0, 31))], ids=["one", "thirty-one"])
def test_demo_grid_gives_two_to_thirty_frames(values):
    grid = {"a": values}
    with pytest.raises(ValueError, match="2 to 30 frames"):
        Demo(describe, {"a": Slider(0.0, 1.0, 0.5)}, grid=grid, alt="Text.")


@pytest.mark.parametrize("alt", ["", None])
def test_demo_needs_alt_text(alt):
    with pytest.raises(ValueError, match="alt text"):
        Demo(describe, {"a": Slider(0.0, 1.0, 0.5)}, grid={"a": [0.0, 1.0]}, alt=alt)


def test_demo_rejects_a_grid_with_a_misspelt_parameter():
    with pytest.raises(ValueError, match=r"\['A'\]"):
        Demo(describe, {"a": Slider(0.0, 1.0, 0.5)}, grid={"A": [0.0, 1.0]}, alt="Text.")


@pytest.mark.parametrize("value", [-0.1, 1.1])
def test_slider_rejects_a_value_outside_its_range(value):
    with pytest.raises(ValueError, match=r"\[0.0, 1.0\]"):
        Slider(0.0, 1.0, value)


@pytest.mark.parametrize("low", [0.0, -1.0])
def test_log_slider_needs_a_positive_minimum(low):
    with pytest.raises(ValueError, match="min > 0"):
        Slider(low, 1.0, 0.5, log=True)


def test_choice_rejects_a_value_not_among_its_options():
    with pytest.raises(ValueError, match="one of"):
        Choice(("AND", "OR"), "XOR")


# --- control kinds -------------------------------------------------------------------------

def test_float_slider_becomes_a_float_slider():
    control = Slider(-2.0, 2.0, 1.0, step=0.1).make("w1")
    assert type(control) is ipywidgets.FloatSlider
    assert (control.min, control.max, control.value, control.description) == (-2.0, 2.0, 1.0, "w1")


def test_integer_slider_becomes_an_int_slider():
    control = Slider(1, 10, 3, step=1).make("n")
    assert type(control) is ipywidgets.IntSlider
    assert (control.min, control.max, control.value) == (1, 10, 3)


def test_log_slider_becomes_a_log_slider_over_the_exponents():
    control = Slider(1e-3, 1.0, 1e-2, log=True).make("lr")
    assert type(control) is ipywidgets.FloatLogSlider
    assert (control.base, control.min, control.max) == (10, -3.0, 0.0)
    assert control.value == pytest.approx(1e-2)


def test_choice_becomes_a_dropdown():
    control = Choice(("AND", "OR"), "OR", description="gate").make("g")
    assert type(control) is ipywidgets.Dropdown
    assert (control.options, control.value, control.description) == (("AND", "OR"), "OR", "gate")


# --- the static view -----------------------------------------------------------------------

def frame_images(page):
    """The decoded image of every frame of a static view, in order."""
    images = []
    for attrs in HtmlTags(page).of("img"):
        data = attrs["src"].split(",", 1)[1]
        images.append(np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")))
    return images


def test_static_html_has_one_figure_per_frame(dot_html):
    assert len(HtmlTags(dot_html).of("figure")) == len(dot_demo().frames()) == 6


def test_static_html_shows_only_the_frame_of_the_default_settings(dot_html):
    frames = HtmlTags(dot_html).of("figure")
    shown = [int(f["data-index"]) for f in frames if "hidden" not in f]
    assert shown == [2]  # x = 0.0 (index 1 of 3), y = 0.0 (index 0 of 2): 1 * 2 + 0


def test_static_html_loads_hidden_frames_lazily(dot_html):
    lazy = [attrs.get("loading") for attrs in HtmlTags(dot_html).of("img")]
    assert lazy == ["lazy", "lazy", None, "lazy", "lazy", "lazy"]


def test_static_html_has_one_labelled_range_input_per_grid_control(dot_html):
    inputs = HtmlTags(dot_html).of("input", type="range")
    assert [(i["min"], i["max"], i["value"]) for i in inputs] == [("0", "2", "1"), ("0", "1", "0")]
    assert [json.loads(i["data-values"]) for i in inputs] == [["-1", "0", "1"], ["0", "1"]]
    assert [i["aria-valuetext"] for i in inputs] == ["0", "0"]
    names = [s for s in dot_html.split('class="nnbook-demo-name">')[1:]]
    assert [n.split("<", 1)[0] for n in names] == ["x", "y"]


def test_static_html_frames_follow_the_grid_order(dot_html):
    images = frame_images(dot_html)
    for index, settings in enumerate(dot_demo().frames()):
        fresh = Dot.plot(**settings)
        buffer = io.BytesIO()
        fresh.savefig(buffer, format="png", dpi=widgets.FRAME_DPI)
        expected = np.asarray(Image.open(buffer).convert("RGB"), dtype=np.int16)
        assert images[index].shape == expected.shape
        assert np.mean(np.abs(images[index] - expected)) < 3  # lossy WebP of the same picture


def test_static_html_frames_are_all_different(dot_html):
    images = frame_images(dot_html)
    assert len({image.tobytes() for image in images}) == len(images)


def test_static_html_alt_text_names_each_frame_settings(dot_html):
    demo = dot_demo()
    alts = [image["alt"] for image in HtmlTags(dot_html).of("img")]
    assert alts == [f"{demo.alt} Settings: {demo.code(**frame)}" for frame in demo.frames()]


def test_static_html_captions_each_frame_in_words_and_with_its_call(dot_html):
    demo = dot_demo()
    for frame in demo.frames():
        caption = f"the dot at ({frame['x']:g}, {frame['y']:g})"
        assert (f'<span class="nnbook-demo-caption">{html.escape(caption)}</span> '
                f'<code class="nnbook-demo-call">{html.escape(demo.code(**frame))}</code>') in dot_html


def test_static_html_has_no_script_tag(dot_html):
    assert "<script" not in dot_html.lower()


def test_static_html_is_deterministic(dot_html):
    assert dot_demo().static_html() == dot_html


def test_static_html_escapes_a_text_result():
    demo = Demo(lambda tag: f"<{tag}>", {"tag": Choice(("b", "i"), "b")}, grid={"tag": ["b", "i"]}, alt="Text.")
    assert "<pre>&lt;b&gt;</pre>" in demo.static_html()


# --- the three views -----------------------------------------------------------------------

def test_live_view_is_the_widget_and_plain_text(monkeypatch):
    monkeypatch.delenv(widgets.VIEW_VARIABLE, raising=False)
    demo = text_demo()
    bundle = demo._repr_mimebundle_()
    assert "model_id" in bundle["application/vnd.jupyter.widget-view+json"]
    assert bundle["text/plain"] == f"Demo: {demo.code()}"
    assert "text/html" not in bundle


def test_static_view_is_the_static_html_and_no_widget(monkeypatch):
    monkeypatch.setenv(widgets.VIEW_VARIABLE, "static")
    demo = text_demo()
    bundle = demo._repr_mimebundle_()
    assert bundle == {"text/html": demo.static_html(), "text/plain": f"Demo: {demo.code()}"}


def test_light_view_is_the_default_figure_as_one_png(monkeypatch):
    monkeypatch.setenv(widgets.VIEW_VARIABLE, "light")
    bundle = dot_demo()._repr_mimebundle_()
    assert set(bundle) == {"image/png", "text/plain"}
    image = pixels(base64.b64decode(bundle["image/png"]))
    assert np.array_equal(image, full_render(Dot.plot()))


# --- the live view -------------------------------------------------------------------------

@pytest.fixture
def moved_widget():
    """The dot demo's live widget before and after its x slider moves to 0.5."""
    widget = dot_demo().widget()
    before = widget.result
    widget.controls["x"].value = 0.5
    return widget, before


def test_widget_draws_the_defaults_at_once():
    widget = dot_demo().widget()
    assert widget.settings == dot_demo().defaults
    assert list(widget.result.axes[0].lines[0].get_xdata()) == [0.0]


def test_moving_a_control_updates_the_settings(moved_widget):
    widget, _ = moved_widget
    assert widget.settings == {"x": 0.5, "y": 0.0, "size": 1}


def test_moving_a_control_redraws_the_same_figure_in_place(moved_widget):
    widget, before = moved_widget
    assert widget.result is before
    assert list(widget.result.axes[0].lines[0].get_xdata()) == [0.5]


def test_moving_a_control_shows_the_png_of_a_fresh_figure(moved_widget):
    widget, _ = moved_widget
    data = widget.output.outputs[0]["data"]
    shown = pixels(base64.b64decode(data["image/png"]))
    assert np.array_equal(shown, full_render(Dot.plot(x=0.5)))


def test_moving_a_control_updates_the_code_line(moved_widget):
    widget, _ = moved_widget
    assert widget.code_line.value == "<code>Dot.plot(x=0.5, y=0.0, size=1)</code>"


def test_moving_a_control_replaces_the_output(moved_widget):
    widget, _ = moved_widget
    assert len(widget.output.outputs) == 1
    assert widget.output.outputs[0]["output_type"] == "display_data"


def test_a_rebuild_setting_makes_a_new_figure_and_switching_back_reuses_the_first():
    widget = dot_demo().widget()
    first = widget.result
    widget.controls["size"].value = 2
    assert widget.result is not first
    assert widget.result.axes[0].get_xlim() == (-2.0, 2.0)
    widget.controls["size"].value = 1
    assert widget.result is first


def test_the_live_view_keeps_a_bounded_number_of_figures():
    widget = dot_demo().widget()
    for size in range(widgets.DemoWidget.KEEP + 3):
        widget.live_figure({"x": 0.0, "y": 0.0, "size": size + 10})
    assert len(widget._live) == widgets.DemoWidget.KEEP


def test_choosing_an_option_redraws_a_text_demo():
    widget = text_demo().widget()
    widget.controls["mode"].value = "y"
    assert widget.result == "a=0.5, mode=y"


# --- LiveFigure ----------------------------------------------------------------------------

def test_live_figure_png_after_updates_equals_a_full_render_of_fresh_figures():
    live = Dot(x=0.0, y=0.0, size=1)
    live.png()  # saves the background
    for x, y in [(0.5, 0.5), (-1.0, 0.0), (1.0, -1.0)]:
        live.update(x=x, y=y, size=1)
        assert np.array_equal(pixels(live.png()), full_render(Dot.plot(x=x, y=y)))


def test_live_figure_draws_once_and_then_only_updates():
    Dot.draws = 0
    live = Dot()
    for x in (0.5, 1.0):
        live.update(x=x)
        live.png()
    assert Dot.draws == 1


def test_live_figure_key_names_the_rebuild_settings():
    assert Dot.key_of({"x": 1.0, "y": 0.0, "size": 2}) == (2,)


def test_a_log_slider_reaches_its_round_default_from_any_minimum():
    control = Slider(0.003, 1.0, 0.1, step=0.01, log=True).make("lr")
    assert (control.min, control.max) == (-2.52, 0.0)  # the exponent grid holds -1 exactly
    control.value = 0.1
    assert control.value == pytest.approx(0.1, rel=1e-12)
