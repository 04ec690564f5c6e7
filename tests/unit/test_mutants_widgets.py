"""Behaviours of nnbook.widgets that mutation testing found untested (tools/mutation.py)."""

import re

from nnbook.widgets import Choice, Demo, Slider


def test_an_integer_slider_sweeps_integers():
    values = Slider(1, 4, 2, step=1).values()
    assert values == [1, 2, 3, 4]
    assert all(type(v) is int for v in values)  # so a demo's code line shows n=3, not n=3.0


def _text_demo(grid, **controls):
    return Demo(lambda a, b: f"a={a} b={b}", controls, grid=grid, alt="text")


def test_the_static_note_of_one_varied_control_says_the_slider():
    page = _text_demo({"a": [0, 1, 2]}, a=Slider(0, 2, 1, step=1), b=Choice(("x", "y"), "x")).static_html()
    assert "move the slider below the figure to see it for 3 settings" in page


def test_the_static_note_of_two_varied_controls_counts_the_sliders():
    page = _text_demo({"a": [0, 2], "b": ["x", "y"]}, a=Slider(0, 2, 1, step=1), b=Choice(("x", "y"), "x")).static_html()
    assert "move the 2 sliders below the figure to see it for 4 settings" in page


def test_a_static_control_is_labelled_by_its_description_else_by_its_name():
    page = _text_demo({"a": [0, 2], "b": ["x", "y"]}, a=Slider(0, 2, 1, step=1, description="weight a"),
                      b=Choice(("x", "y"), "x")).static_html()
    labels = re.findall(r'<span class="nnbook-demo-name">(.*?)</span>', page)
    assert labels == ["weight a", "b"]


def test_a_static_range_input_spans_the_grid_values_as_json():
    page = _text_demo({"a": [0, 1, 2]}, a=Slider(0, 2, 1, step=1), b=Choice(("x", "y"), "x")).static_html()
    assert '<input type="range" min="0" max="2" step="1" value="1" ' in page
    assert """data-values='["0", "1", "2"]'""" in page
