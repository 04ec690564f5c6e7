"""The book's interactive demos, one factory per demo, registered in ``DEMOS``.

Each factory returns a ``widgets.Demo``; the chapter shows it, the tests fuzz it.
"""

from nnbook.plotting import plot_gates
from nnbook.widgets import Demo, Slider


def neuron_gates_demo():
    """Chapter 1: move w1, w2 and b; watch one neuron's line over the AND, OR and XOR points."""
    controls = {
        "w1": Slider(-2.0, 2.0, 1.0, step=0.1),
        "w2": Slider(-2.0, 2.0, 1.0, step=0.1),
        "b": Slider(-3.0, 3.0, -1.5, step=0.1),
    }
    # The static tour: AND, slide the bias through OR to "always on" and "never", then NAND
    # and a slanted line that gets 3 of XOR's rows, the most any single line can.
    frames = [{"b": b} for b in (-1.5, -1.0, -0.5, 0.5, -2.5)]
    frames += [{"w1": -1.0, "w2": -1.0, "b": 1.5}, {"w1": 1.0, "w2": -1.0, "b": -0.5}]
    return Demo(plot_gates, controls, frames=frames,
                alt="Three panels (AND, OR, XOR) of the four input points, the neuron's decision "
                    "line, the side where it outputs 1 shaded, and wrong rows ringed.")


#: Every demo in the book, by name: the tests move every control of each.
DEMOS = {"neuron_gates": neuron_gates_demo}
