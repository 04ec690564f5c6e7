"""Behaviours of nnbook.widgets that mutation testing found untested (tools/mutation.py)."""

from nnbook.widgets import Slider


def test_an_integer_slider_sweeps_integers():
    values = Slider(1, 4, 2, step=1).values()
    assert values == [1, 2, 3, 4]
    assert all(type(v) is int for v in values)  # so a demo's code line shows n=3, not n=3.0
