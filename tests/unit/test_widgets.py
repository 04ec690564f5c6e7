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
import re
import shutil
import subprocess

import ipywidgets
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.legend import Legend
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


def playground(**extra):
    """A text demo of six controls: a 3 x 2 grid of two, four more moved one at a time."""
    controls = {"a": Slider(0, 2, 1, step=1), "b": Choice(("x", "y"), "x"), "c": Slider(0.0, 1.0, 0.5),
                "d": Slider(0, 3, 0, step=1), "e": Choice(("p", "q", "r"), "q"), "f": Slider(1, 9, 5, step=1)}
    grid, vary = {"a": [0, 1, 2], "b": ["x", "y"]}, {"c": [0.0, 0.5, 1.0], "d": [0, 1, 2, 3], "e": ["p", "q", "r"],
                                                      "f": [1, 5, 9]}
    return Demo(describe, controls, **{"grid": grid, "vary": vary, "alt": "Text.", **extra})


@pytest.fixture(scope="module")
def playground_html():
    return playground().static_html()


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


# --- vary: controls moved one at a time ------------------------------------------------------

def test_varied_frames_add_up_instead_of_multiplying():
    # 3 x 2 grid frames, then 2 + 3 + 2 + 2 frames of the four controls moved alone
    assert len(playground().frames()) == 3 * 2 + (3 - 1) + (4 - 1) + (3 - 1) + (3 - 1) == 15


def test_varied_frames_follow_the_grid_and_move_one_control_from_the_defaults():
    demo = playground()
    frames = demo.frames()
    assert frames[:6] == [demo.settings(a=a, b=b) for a in (0, 1, 2) for b in ("x", "y")]
    assert frames[6:] == [demo.settings(c=0.0), demo.settings(c=1.0), demo.settings(d=1), demo.settings(d=2),
                          demo.settings(d=3), demo.settings(e="p"), demo.settings(e="r"), demo.settings(f=1),
                          demo.settings(f=9)]


def test_a_demo_may_vary_controls_without_a_grid():
    demo = Demo(describe, {"a": Slider(0, 2, 1, step=1), "b": Slider(0, 2, 0, step=1)},
                vary={"a": [0, 1, 2], "b": [0, 2]}, alt="Text.")
    assert demo.frames() == [{"a": 1, "b": 0}, {"a": 0, "b": 0}, {"a": 2, "b": 0}, {"a": 1, "b": 2}]


def move(demo, positions, name, to):
    """What the page's script does to the inputs when the reader moves ``name`` to ``to``: a
    varied control puts every other input back to its start, a grid control the varied ones."""
    start = {n: demo._start_index(n) for n in positions}
    moved = {**positions, name: to}
    for other in positions:
        if other != name and (name in demo.vary or other in demo.vary):
            moved[other] = start[other]
    return moved


def reachable_states(demo):
    """Every state of the inputs a reader can reach from the start, by moves of one input."""
    values = {**demo.grid, **demo.vary}
    start = {name: demo._start_index(name) for name in values}
    seen, todo = {tuple(start.items())}, [start]
    while todo:
        state = todo.pop()
        for name, options in values.items():
            for to in range(len(options)):
                new = move(demo, state, name, to)
                if tuple(new.items()) not in seen:
                    seen.add(tuple(new.items()))
                    todo.append(new)
    return [dict(state) for state in seen]


@pytest.mark.parametrize("make", [playground, dot_demo, lambda: Demo(
    describe, {"a": Slider(0, 2, 1, step=1), "b": Slider(0, 2, 0, step=1)}, vary={"a": [0, 1, 2], "b": [0, 2]},
    alt="Text.")], ids=["grid-and-vary", "grid", "vary"])
def test_every_reachable_state_of_the_inputs_shows_the_frame_of_the_values_shown(make):
    demo = make()
    values = {**demo.grid, **demo.vary}
    frames = demo.frames()
    states = reachable_states(demo)
    shown = set()
    for state in states:
        index = demo.frame_index(state)
        shown.add(index)
        assert frames[index] == demo.settings(**{name: values[name][at] for name, at in state.items()}), state
    assert shown == set(range(len(frames)))  # every frame reachable, none dead
    assert len(states) == len(frames)        # no state shows values that have no frame


def test_frame_index_of_a_varied_control_skips_its_start():
    demo = playground()
    start = {name: demo._start_index(name) for name in {**demo.grid, **demo.vary}}
    assert demo.frame_index(start) == 1 * 2 + 0                 # a = 1, b = "x": the defaults
    assert demo.frame_index({**start, "c": 0}) == 6             # c's first value, after the 6 grid frames
    assert demo.frame_index({**start, "c": 2}) == 7             # its start (index 1) has no frame of its own
    assert demo.frame_index({**start, "d": 3}) == 6 + 2 + 2
    assert demo.frame_index({**start, "f": 2}) == 14


def test_static_html_marks_the_varied_controls_and_starts_every_input_at_its_default(playground_html):
    inputs = HtmlTags(playground_html).of("input", type="range")
    assert [i["value"] for i in inputs] == ["1", "0", "1", "0", "1", "1"]
    assert ["data-alone" in i for i in inputs] == [False, False, True, True, True, True]
    labels = [a["class"] for a in HtmlTags(playground_html).of("label")]
    assert labels == ["nnbook-demo-control"] * 2 + ["nnbook-demo-control nnbook-demo-alone"] * 4
    assert [i["aria-valuetext"] for i in inputs] == ["1", "x", "0.5", "0", "q", "5"]


def test_static_html_of_varied_controls_shows_only_the_default_frame(playground_html):
    frames = HtmlTags(playground_html).of("figure")
    assert len(frames) == 15
    assert [int(f["data-index"]) for f in frames if "hidden" not in f] == [2]


def test_static_note_says_which_controls_move_alone_and_what_moving_them_does(playground_html):
    note = " ".join(re.search(r"<em>(.*?)</em>", playground_html, re.S).group(1).split())
    assert note.startswith("Static preview: move the 6 sliders below the figure to see it for 15 settings. "
                           "“a” and “b” combine freely; “c”, “d”, “e” and “f” show one change at a time: "
                           "moving one of them puts every other slider back to its start, and moving “a” "
                           "or “b” puts them back to the start. To move every control freely")


def test_static_note_of_one_varied_control_and_no_grid():
    demo = Demo(describe, {"a": Slider(0, 2, 1, step=1, description="rate")}, vary={"a": [0, 1, 2]}, alt="Text.")
    assert ("for 3 settings. “rate” shows one change at a time: moving it puts every other slider back to "
            "its start. To move") in demo.static_html()


def test_static_handler_needs_no_ampersand_or_double_quote_inside_its_attribute():
    assert not set('&"') & set(widgets._ON_INPUT)


_FAKE_DOM = r"""
// The page's handler on a fake DOM of the demo's inputs; random moves; after each, the one
// shown frame must be the frame of the values the outputs show, and aria-valuetext must agree.
const spec = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const frames = spec.frames.map((_, i) => ({hidden: i !== spec.shown}));
const demo = {querySelectorAll: s => s.includes('frame') ? frames : inputs};
const inputs = spec.controls.map(c => {
  const attrs = c.alone ? {'data-alone': ''} : {}, output = {textContent: c.values[c.start]};
  return {max: String(c.values.length - 1), value: String(c.start), defaultValue: String(c.start),
          dataset: {values: JSON.stringify(c.values)}, hasAttribute: n => n in attrs,
          setAttribute: (n, v) => { attrs[n] = v; }, getAttribute: n => attrs[n],
          parentNode: {querySelector: () => output}, closest: () => demo, output};
});
const handler = new Function(spec.handler);
let seed = 1;
const random = n => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
for (let step = 0; step < 3000; step++) {
  const input = inputs[random(inputs.length)], max = +input.max, to = random(max + 1);
  input.value = String(to);
  handler.call(input);
  const shown = frames.flatMap((f, i) => f.hidden ? [] : [spec.frames[i]]);
  const values = inputs.map(i => i.output.textContent).join(' ');
  const stale = inputs.some(i => i.getAttribute('aria-valuetext') !== i.output.textContent);
  if (shown.length !== 1 || shown[0] !== values || stale) {
    console.log(`move ${step}: shown ${JSON.stringify(shown)}, values ${values}`); process.exit(1);
  }
}
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the page's script")
@pytest.mark.parametrize("make", [playground, dot_demo], ids=["grid-and-vary", "grid"])
def test_the_page_script_shows_the_frame_of_the_values_shown_after_any_moves(make):
    demo = make()
    values = {**demo.grid, **demo.vary}
    start = {name: demo._start_index(name) for name in values}
    spec = {"handler": widgets._ON_INPUT, "shown": demo.frame_index(start),
            "controls": [{"values": [widgets._display(v) for v in options], "start": start[name],
                          "alone": name in demo.vary} for name, options in values.items()],
            "frames": [" ".join(widgets._display(frame[name]) for name in values) for frame in demo.frames()]}
    run = subprocess.run(["node", "-e", _FAKE_DOM], input=json.dumps(spec), capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr


# --- Slider values -------------------------------------------------------------------------

def test_slider_values_are_every_step():
    assert Slider(-1.0, 1.0, 0.0, step=0.5).values() == [-1.0, -0.5, 0.0, 0.5, 1.0]


def test_integer_slider_values_are_integers():
    assert Slider(2, 10, 4, step=4).values() == [2, 6, 10]
    values = Slider(1, 4, 2, step=1).values()
    assert values == [1, 2, 3, 4]
    assert all(type(v) is int for v in values)  # so a demo's code line shows n=3, not n=3.0


def test_log_slider_values_are_ten_per_decade_from_end_to_end():
    values = Slider(1e-3, 1.0, 1e-2, log=True).values()
    assert len(values) == 31
    assert values[0] == pytest.approx(1e-3) and values[-1] == pytest.approx(1.0)
    assert values[10] == pytest.approx(1e-2)


# --- construction checks -------------------------------------------------------------------

@pytest.mark.parametrize("values", [[0.5], list(np.linspace(0.0, 1.0, widgets.MAX_FRAMES + 1))],
                         ids=["one", "one-too-many"])
def test_demo_grid_gives_two_to_max_frames(values):
    grid = {"a": values}
    with pytest.raises(ValueError, match=f"2 to {widgets.MAX_FRAMES} frames; got {len(values)}"):
        Demo(describe, {"a": Slider(0.0, 1.0, 0.5)}, grid=grid, alt="Text.")


def test_max_frames_is_forty():
    assert widgets.MAX_FRAMES == 40


def test_varied_frames_count_towards_the_limit():
    controls = {"a": Slider(0, 9, 0, step=1), "b": Slider(0, 39, 0, step=1)}
    Demo(describe, controls, grid={"a": [0, 1]}, vary={"b": list(range(39))}, alt="Text.")  # 2 + 38 = 40
    with pytest.raises(ValueError, match="got 41"):
        Demo(describe, controls, grid={"a": [0, 1]}, vary={"b": list(range(40))}, alt="Text.")


@pytest.mark.parametrize("vary, message", [
    ({"b": [1, 2]}, r"vary\['b'\] needs the default 0 once"),
    ({"b": [0, 0, 1]}, r"vary\['b'\] needs the default 0 once"),
    ({"b": [0]}, "at least one other value"),
    ({"a": [0, 1]}, r"\['a'\] in both grid and vary"),
    ({"B": [0, 1]}, r"vary names unknown parameter\(s\) \['B'\]"),
], ids=["no-default", "default-twice", "default-only", "also-in-grid", "misspelt"])
def test_demo_rejects_a_bad_vary(vary, message):
    with pytest.raises(ValueError, match=message):
        Demo(describe, {"a": Slider(0, 2, 0, step=1), "b": Slider(0, 2, 0, step=1)}, grid={"a": [0, 1]},
             vary=vary, alt="Text.")


def test_demo_needs_a_grid_or_a_vary():
    with pytest.raises(ValueError, match="at least one parameter"):
        Demo(describe, {"a": Slider(0, 2, 0, step=1)}, alt="Text.")


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


def test_static_html_frames_are_webp_images(dot_html):
    sources = [attrs["src"] for attrs in HtmlTags(dot_html).of("img")]
    assert all(src.startswith("data:image/webp;base64,") for src in sources)
    assert Image.open(io.BytesIO(base64.b64decode(sources[0].split(",", 1)[1]))).format == "WEBP"


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


def _ab_demo(grid, description=""):
    return Demo(lambda a, b: f"a={a} b={b}", {"a": Slider(0, 2, 1, step=1, description=description),
                                              "b": Choice(("x", "y"), "x")}, grid=grid, alt="text")


def test_the_static_note_of_one_varied_control_says_the_slider():
    page = _ab_demo({"a": [0, 1, 2]}).static_html()
    assert "move the slider below the figure to see it for 3 settings. To move every control" in page


def test_the_static_note_of_two_varied_controls_counts_the_sliders():
    page = _ab_demo({"a": [0, 2], "b": ["x", "y"]}).static_html()
    assert "move the 2 sliders below the figure to see it for 4 settings. To move every control" in page


def test_a_static_control_is_labelled_by_its_description_else_by_its_name():
    page = _ab_demo({"a": [0, 2], "b": ["x", "y"]}, description="weight a").static_html()
    labels = re.findall(r'<span class="nnbook-demo-name">(.*?)</span>', page)
    assert labels == ["weight a", "b"]


def test_a_static_range_input_spans_the_grid_values_as_json():
    page = _ab_demo({"a": [0, 1, 2]}).static_html()
    assert '<input type="range" min="0" max="2" step="1" value="1" ' in page
    assert """data-values='["0", "1", "2"]'""" in page


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
    shown = pixels(widget.output.value)
    assert np.array_equal(shown, full_render(Dot.plot(x=0.5)))


def test_moving_a_control_updates_the_code_line(moved_widget):
    widget, _ = moved_widget
    assert widget.code_line.value == "<code>Dot.plot(x=0.5, y=0.0, size=1)</code>"


def test_a_live_figure_is_shown_as_an_image_widget(moved_widget):
    """Its PNG bytes travel as a binary buffer (issue 22: quicker than an Output's base64)."""
    widget, _ = moved_widget
    assert isinstance(widget.output, ipywidgets.Image) and widget.output.format == "png"
    assert bytes(widget.output.value).startswith(b"\x89PNG\r\n\x1a\n")


def test_the_same_picture_is_not_sent_twice(moved_widget):
    widget, _ = moved_widget
    sent = []
    widget.output.observe(lambda change: sent.append(change["new"]), names="value")
    widget.redraw()                          # the same settings again: the same picture
    widget.controls["x"].value = -0.5
    assert len(sent) == 1 and np.array_equal(pixels(sent[0]), full_render(Dot.plot(x=-0.5)))


def test_a_text_demo_replaces_its_output():
    widget = text_demo().widget()
    widget.controls["mode"].value = "y"
    assert len(widget.output.outputs) == 1
    assert widget.output.outputs[0]["output_type"] == "display_data"
    assert widget.output.outputs[0]["data"]["text/plain"] == "'a=0.5, mode=y'"


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

class Words(LiveFigure):
    """A live figure for the glyph cache: texts that move by fractions of a pixel, turn and
    change, plain and mathtext."""

    def draw(self, x=0.3, angle=0):
        figure = Figure(figsize=(3, 2), dpi=72)
        ax = figure.add_subplot()
        self.word = ax.text(x, 0.5, "", rotation=angle)
        self.math = ax.text(0.1, x, "")
        self.dynamic = [self.word, self.math]
        return figure

    def update(self, x=0.3, angle=0):
        self.word.set_position((x, 0.5))
        self.word.set_rotation(angle)
        self.word.set_text(f"x = {x:.4f}: WAVE fi")
        self.math.set_position((0.1, x))
        self.math.set_text(rf"$\alpha = {x:.3f}$")


def test_text_from_the_glyph_cache_has_the_pixels_of_a_fresh_render():
    """Issue 22: glyphs rendered once per subpixel phase and reused are the same pixels."""
    live = Words()
    live.png()
    for x, angle in [(0.3001, 0), (0.31, 0), (0.4123, 90), (0.3, 0), (0.3, 33), (0.5555, 0)]:
        live.update(x=x, angle=angle)
        assert np.array_equal(pixels(live.png()), full_render(Words.plot(x=x, angle=angle))), (x, angle)


def test_the_glyph_cache_serves_this_matplotlib():
    """If this fails after a matplotlib upgrade, compare widgets' GlyphCachingRenderer with the
    new RendererAgg.draw_text and _draw_text_glyphs_and_boxes, then widen
    _glyph_cache_supported (without the cache live redraws are 1.5-4x slower, still right)."""
    live = Words()
    live.png()
    assert widgets._glyph_cache_supported()
    renderer = live.figure.canvas.get_renderer()
    assert type(renderer).__name__ == "GlyphCachingRenderer" and renderer._glyphs and renderer._layouts


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


class Sweep(LiveFigure):
    """A line swept across a legend and a note; ``fixed`` lists them, or not."""

    listed = True

    def draw(self, height=0.0):
        figure = Figure(figsize=(2.5, 2), dpi=60)
        ax = figure.add_subplot()
        ax.set(xlim=(0, 1), ylim=(-1, 1), title="a still title")
        ax.plot([0, 1], [0.9, 0.9], lw=8, color="tab:green", label="a wide legend entry")
        self.line, = ax.plot([], [], lw=6, color="black", zorder=3)
        self.legend = ax.legend(loc="upper left", framealpha=1)
        self.note = ax.text(0.5, 0.0, "a still note", ha="center", fontsize=14)
        self.dynamic = [self.line]
        if self.listed:
            self.fixed = [self.legend, self.note]
        return figure

    def update(self, height=0.0):
        self.line.set_data([0, 1], [height, height])


class SweepUnlisted(Sweep):
    listed = False


def test_fixed_artists_and_titles_go_just_below_the_lowest_dynamic_artist():
    live = Sweep()
    ax = live.figure.axes[0]
    assert live.legend.get_zorder() == live.note.get_zorder() == ax.title.get_zorder() == pytest.approx(2.9)
    assert isinstance(live.legend, Legend) and live.line.get_zorder() == 3


def test_artists_not_listed_as_fixed_keep_their_place_and_are_repainted():
    live = SweepUnlisted()
    assert live.legend.get_zorder() == 5 and live.note.get_zorder() == 3
    assert live.figure.axes[0].title.get_zorder() == pytest.approx(2.9)  # titles are fixed unless dynamic
    repainted = live._repaint_list()
    assert live.legend in repainted and live.note in repainted


class Shade(LiveFigure):
    """A band of shading that moves over the grid lines and under a still line."""

    def draw(self, left=0.0):
        figure = Figure(figsize=(2.5, 2), dpi=60)
        ax = figure.add_subplot()
        ax.grid(True, lw=3)
        ax.set(xlim=(0, 1), ylim=(0, 1))
        ax.plot([0, 1], [0.5, 0.5], lw=4, color="black")
        self.band = ax.axvspan(left, left + 0.3, color="tab:orange")
        self.dynamic = [self.band]
        return figure

    def update(self, left=0.0):
        self.band.set_x(left)


def test_axis_objects_go_below_a_dynamic_shading():
    live = Shade()
    ax = live.figure.axes[0]
    assert live.band.get_zorder() == 1  # a patch's default
    assert ax.xaxis.get_zorder() == ax.yaxis.get_zorder() == pytest.approx(0.9)
    assert ax.xaxis not in live._repaint_list() and ax.lines[0] in live._repaint_list()


def test_live_figure_repaints_a_moving_shading_as_a_fresh_figure_draws_it():
    live = Shade(left=0.0)
    live.png()
    for left in (0.35, 0.7):
        live.update(left=left)
        assert np.array_equal(pixels(live.png()), full_render(Shade.plot(left=left)))


def test_a_dynamic_title_stays_where_it_was():
    live = Dot()
    assert live.label.get_zorder() == 3


@pytest.mark.parametrize("make", [Sweep, SweepUnlisted], ids=["fixed", "repainted"])
def test_live_figure_with_fixed_artists_redraws_the_pixels_of_a_fresh_figure(make):
    live = make(height=-0.5)
    live.png()
    for height in (0.9, 0.0, 0.6):  # through the legend, the note, the legend's edge
        live.update(height=height)
        assert np.array_equal(pixels(live.png()), full_render(make.plot(height=height)))


def test_live_figure_key_names_the_rebuild_settings():
    assert Dot.key_of({"x": 1.0, "y": 0.0, "size": 2}) == (2,)


def test_a_log_slider_reaches_its_round_default_from_any_minimum():
    control = Slider(0.003, 1.0, 0.1, step=0.01, log=True).make("lr")
    assert (control.min, control.max) == (-2.52, 0.0)  # the exponent grid holds -1 exactly
    control.value = 0.1
    assert control.value == pytest.approx(0.1, rel=1e-12)
