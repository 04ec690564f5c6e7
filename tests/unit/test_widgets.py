"""nnbook.widgets (Demo, Slider, Choice, the live and static views) and every demo in nnbook.demos.

The pure function behind each demo is tested first, the ipywidgets wiring second: setting a
control's value in plain pytest fires its observers, no kernel or browser needed.
"""

import ast
import html
import warnings
from html.parser import HTMLParser

import ipywidgets
import numpy as np
import pytest
from matplotlib.figure import Figure

from nnbook import demos, plotting
from nnbook.widgets import Choice, Demo, Slider

GATES_CODE = "plotting.plot_gates(w1=1.0, w2=1.0, b=0.5)"


def describe(**settings):
    """A cheap demo function: its result is text naming its settings."""
    return ", ".join(f"{name}={value}" for name, value in sorted(settings.items()))


def text_demo(**controls):
    controls = controls or {"a": Slider(0.0, 1.0, 0.5), "mode": Choice(("x", "y"), "x")}
    first = next(iter(controls))
    return Demo(describe, controls, frames=[{}, {first: controls[first].extremes[-1]}], alt="Text.")


def titles(figure):
    return (figure.get_suptitle(), *(ax.get_title() for ax in figure.axes))


def _other_value(control):
    """A value of the control that is not its default: the far end or another option."""
    return next(v for v in reversed(control.extremes) if v != control.value)


DEMO_CONTROLS = [(name, control) for name, make in demos.DEMOS.items() for control in make().controls]
DEMO_CORNERS = [(name, corner) for name, make in demos.DEMOS.items() for corner in make().corner_cases()]
DEMO_EXTREMES = [(name, control, value) for name, make in demos.DEMOS.items()
                 for control, spec in make().controls.items() for value in spec.extremes]


class _Tags(HTMLParser):
    """Every start tag of an HTML string, in order, as (tag, {attribute: value})."""

    def __init__(self, text):
        super().__init__()
        self.tags = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def of(self, tag, **attrs):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


@pytest.fixture(scope="module")
def gates_demo():
    return demos.neuron_gates_demo()


@pytest.fixture(scope="module")
def gates_html(gates_demo):
    return gates_demo.static_html()  # renders every frame: ~2 s, so once per module


# --- Demo: the pure function ---------------------------------------------------------------

def test_compute_uses_the_defaults():
    assert text_demo().compute() == "a=0.5, mode=x"


def test_compute_overrides_only_the_named_parameters():
    assert text_demo().compute(mode="y") == "a=0.5, mode=y"


def test_compute_rejects_an_unknown_parameter_naming_the_known_ones():
    with pytest.raises(ValueError, match=r"\['c'\].*\['a', 'mode'\]"):
        text_demo().compute(c=1.0)


def test_gates_demo_computes_the_figure_for_its_settings(gates_demo):
    figure = gates_demo.compute(b=0.5)
    assert isinstance(figure, Figure)
    assert "$b$=0.5" in figure.get_suptitle()


def test_code_is_the_call_with_the_module_prefix(gates_demo):
    assert gates_demo.code(b=0.5) == GATES_CODE


def test_code_evaluates_to_the_demo_figure(gates_demo):
    figure = eval(gates_demo.code(b=0.5), {"plotting": plotting})
    assert isinstance(figure, Figure)
    assert titles(figure) == titles(gates_demo.compute(b=0.5))


def test_code_of_a_function_outside_nnbook_has_no_prefix():
    assert text_demo().code() == "describe(a=0.5, mode='x')"


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
    demo = Demo(train, controls, frames=[{}, settings], alt="Text.")
    call = ast.parse(demo.code(**settings), mode="eval").body
    arguments = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
    for name, value in settings.items():
        assert arguments[name] == pytest.approx(value, rel=1e-3)


def test_corner_cases_put_one_control_at_a_time_at_each_end():
    demo = Demo(describe, {"a": Slider(0.0, 1.0, 0.5), "mode": Choice(("x", "y", "z"), "x")},
                frames=[{}, {}], alt="Text.")
    assert demo.corner_cases() == [{"a": 0.0}, {"a": 1.0}, {"mode": "x"}, {"mode": "y"}, {"mode": "z"}]


# --- construction checks -------------------------------------------------------------------

def test_demo_needs_at_least_two_frames():
    with pytest.raises(ValueError, match="at least 2 frames"):
        Demo(describe, {"a": Slider(0.0, 1.0, 0.5)}, frames=[{}], alt="Text.")


@pytest.mark.parametrize("alt", ["", None])
def test_demo_needs_alt_text(alt):
    with pytest.raises(ValueError, match="alt text"):
        Demo(describe, {"a": Slider(0.0, 1.0, 0.5)}, frames=[{}, {}], alt=alt)


def test_demo_rejects_a_frame_with_a_misspelt_parameter():
    with pytest.raises(ValueError, match=r"\['A'\]"):
        Demo(describe, {"a": Slider(0.0, 1.0, 0.5)}, frames=[{}, {"A": 1.0}], alt="Text.")


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

def test_static_html_has_one_figure_per_frame(gates_demo, gates_html):
    frames = _Tags(gates_html).of("figure")
    assert len(frames) == gates_html.count('<figure class="nnbook-demo-frame"') == len(gates_demo.frames)


def test_static_html_shows_only_the_first_frame(gates_html):
    styles = [attrs.get("style") for attrs in _Tags(gates_html).of("figure", **{"class": "nnbook-demo-frame"})]
    assert styles[0] is None
    assert styles[1:] == ["display:none"] * (len(styles) - 1)


def test_static_html_has_one_range_input_over_the_frames(gates_demo, gates_html):
    ranges = _Tags(gates_html).of("input", type="range")
    assert len(ranges) == gates_html.count('<input type="range"') == 1
    assert (ranges[0]["min"], ranges[0]["max"], ranges[0]["value"]) == ("0", str(len(gates_demo.frames) - 1), "0")


def test_static_html_gives_every_image_alt_text(gates_demo, gates_html):
    images = _Tags(gates_html).of("img")
    assert len(images) == len(gates_demo.frames)
    assert all(image.get("alt", "").strip() for image in images)


def test_static_html_alt_text_names_each_frame_settings(gates_demo, gates_html):
    alts = [image["alt"] for image in _Tags(gates_html).of("img")]
    assert alts == [f"{gates_demo.alt} Settings: {gates_demo.code(**frame)}" for frame in gates_demo.frames]


def test_static_html_captions_each_frame_with_its_call(gates_demo, gates_html):
    for frame in gates_demo.frames:
        assert f"<code>{html.escape(gates_demo.code(**frame))}</code>" in gates_html


def test_static_html_has_no_script_tag(gates_html):
    assert "<script" not in gates_html.lower()
    assert all(tag != "script" for tag, _ in _Tags(gates_html).tags)


def test_static_html_is_deterministic(gates_demo, gates_html):
    assert gates_demo.static_html() == gates_html


def test_static_html_escapes_a_text_result():
    demo = Demo(lambda tag: f"<{tag}>", {"tag": Choice(("b", "i"), "b")}, frames=[{}, {"tag": "i"}], alt="Text.")
    assert "<pre>&lt;b&gt;</pre>" in demo.static_html()


def test_mime_bundle_holds_the_live_view_the_static_html_and_plain_text():
    demo = text_demo()
    bundle = demo._repr_mimebundle_()
    assert "model_id" in bundle["application/vnd.jupyter.widget-view+json"]
    assert bundle["text/html"] == demo.static_html()
    assert bundle["text/plain"] == f"Demo: {demo.code()}"


# --- the live view -------------------------------------------------------------------------

@pytest.fixture
def moved_widget(gates_demo):
    """The gates demo's live widget before and after its bias slider moves to 0.7."""
    widget = gates_demo.widget()
    before = widget.result
    widget.controls["b"].value = 0.7
    return widget, before


def test_widget_draws_the_defaults_at_once(gates_demo):
    widget = gates_demo.widget()
    assert widget.settings == gates_demo.defaults
    assert titles(widget.result) == titles(gates_demo.compute())


def test_moving_a_control_updates_the_settings(moved_widget):
    widget, _ = moved_widget
    assert widget.settings == {"w1": 1.0, "w2": 1.0, "b": 0.7}


def test_moving_a_control_redraws_the_figure(moved_widget, gates_demo):
    widget, before = moved_widget
    assert isinstance(widget.result, Figure)  # redrawn in place (Demo(update=...)) or anew
    assert titles(widget.result) == titles(gates_demo.compute(b=0.7))


def test_moving_a_control_updates_the_code_line(moved_widget):
    widget, _ = moved_widget
    assert "b=0.7" in widget.code_line.value


def test_moving_a_control_replaces_the_output(moved_widget):
    widget, _ = moved_widget
    assert len(widget.output.outputs) == 1
    assert widget.output.outputs[0]["output_type"] == "display_data"


def test_choosing_an_option_redraws_a_text_demo():
    widget = text_demo().widget()
    widget.controls["mode"].value = "y"
    assert widget.result == "a=0.5, mode=y"


# --- every demo in the book ----------------------------------------------------------------

@pytest.mark.parametrize("name, corner", DEMO_CORNERS, ids=[f"{n}-{c}" for n, c in DEMO_CORNERS])
def test_demo_corner_case_computes_a_figure_without_warnings(name, corner):
    demo = demos.DEMOS[name]()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure = demo.compute(**corner)
    assert isinstance(figure, Figure)


@pytest.mark.parametrize("name, control, value", DEMO_EXTREMES,
                         ids=[f"{n}-{c}={v}" for n, c, v in DEMO_EXTREMES])
def test_demo_widget_survives_a_control_at_its_end(name, control, value):
    demo = demos.DEMOS[name]()
    widget = demo.widget()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        widget.controls[control].value = value
    assert widget.settings[control] == pytest.approx(value)
    assert widget.code_line.value == f"<code>{html.escape(demo.code(**widget.settings))}</code>"


@pytest.mark.parametrize("name, control", DEMO_CONTROLS, ids=[f"{n}-{c}" for n, c in DEMO_CONTROLS])
def test_demo_figure_depends_on_every_control(name, control):
    demo = demos.DEMOS[name]()
    moved = {control: _other_value(demo.controls[control])}
    assert titles(demo.compute(**moved)) != titles(demo.compute())


@pytest.mark.parametrize("name", demos.DEMOS)
def test_demo_frames_are_distinct_settings(name):
    demo = demos.DEMOS[name]()
    settings = [tuple(sorted({**demo.defaults, **frame}.items())) for frame in demo.frames]
    assert len(set(settings)) == len(settings)
