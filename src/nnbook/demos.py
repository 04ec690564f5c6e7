"""The book's interactive demos, one factory per demo, registered in ``DEMOS``.

Each factory returns a ``widgets.Demo``; the chapter shows it, the tests fuzz it.
"""

from nnbook.plotting import (plot_activation_explorer, plot_gates, plot_space_warp,
                             update_activation_explorer, update_gates)
from nnbook.widgets import Choice, Demo, Slider


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
    return Demo(plot_gates, controls, frames=frames, update=update_gates,
                alt="Three panels (AND, OR, XOR) of the four input points, the neuron's decision "
                    "line, the side where it outputs 1 shaded, and wrong rows ringed.")


def activation_explorer_demo():
    """Chapter 2: pick an activation, scale and shift its input, watch saturation appear."""
    from nnbook.activations import ACTIVATIONS

    controls = {
        "name": Choice(tuple(ACTIVATIONS), "sigmoid"),
        "scale": Slider(0.2, 5.0, 1.0, step=0.1),
        "shift": Slider(-5.0, 5.0, 0.0, step=0.25),
    }
    # The static tour: sigmoid growing steeper and shifted into its tail, then the others.
    frames = [{"scale": s} for s in (1.0, 2.5, 5.0)] + [{"shift": 3.0}, {"scale": 2.5, "shift": -4.0}]
    frames += [{"name": n} for n in ("tanh", "relu", "selu", "softplus")]
    frames += [{"name": "relu", "shift": -3.0}]
    return Demo(plot_activation_explorer, controls, frames=frames, update=update_activation_explorer,
                alt="Left: the activation applied to scale times x plus shift; right: its slope. "
                    "Inputs where the slope is under 5% of its peak are shaded as saturated.")


def space_warp_demo():
    """Chapter 2: slide through a small network's stages and watch the plane bend."""
    controls = {"stage": Slider(0.0, 6.0, 0.0, step=0.1)}
    frames = [{"stage": s} for s in (0.0, 0.5, 1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 5.5, 6.0)]
    return Demo(plot_space_warp, controls, frames=frames,
                alt="The two-moons data and the grid lines of the plane, moved by the network's "
                    "stages: linear map, shift and tanh bend for each of two layers; at the end a "
                    "straight line separates the moons.")


def learning_rate_demo():
    """Chapter 4: slide the learning rate over five decades; watch descent crawl, work, zig-zag, explode."""
    from nnbook.plotting import plot_learning_rate, update_learning_rate
    from nnbook.surfaces import SURFACES

    controls = {
        "surface": Choice(tuple(SURFACES), "bowl"),
        "learning_rate": Slider(1e-4, 3.0, 0.1, step=0.01, log=True, description="learning rate α"),
        "start_x": Slider(-3.2, 3.2, 1.0, step=0.1, description="start θ₁"),
        "start_y": Slider(-3.2, 3.2, 3.0, step=0.1, description="start θ₂"),
    }
    # The static tour: the worked example's bowl from crawl to divergence, then the long
    # valley (where one direction limits the rate), a 1-D zig-zag, and a local minimum.
    frames = [{"learning_rate": a} for a in (0.001, 0.02, 0.1, 0.5, 0.9, 1.05)]
    frames += [{"surface": "elongated bowl", "learning_rate": a} for a in (0.02, 0.09, 0.11)]
    frames += [{"surface": "parabola (1-D)", "learning_rate": 0.85, "start_x": 2.5},
               {"surface": "double well (1-D)", "learning_rate": 0.05, "start_x": 1.8},
               {"surface": "double well (1-D)", "learning_rate": 0.05, "start_x": -0.2}]
    return Demo(plot_learning_rate, controls, frames=frames, update=update_learning_rate,
                alt="Left: the loss surface (contour lines, or the curve in 1-D) with the path of "
                    "gradient descent from the start point; right: the loss above its minimum per "
                    "step on a log scale. The title states the verdict: converged, zig-zagging, "
                    "not converged, or diverged at a step.")


def batch_size_demo():
    """Chapter 4: slide the batch size from 1 (stochastic) to 64 (batch); watch the path get noisy."""
    from nnbook.plotting import plot_batch_size, update_batch_size

    controls = {
        "batch_size": Slider(1, 64, 8, step=1, description="batch size"),
        "learning_rate": Slider(0.003, 1.0, 0.1, step=0.01, log=True, description="learning rate α"),
    }
    frames = [{"batch_size": b} for b in (64, 16, 4, 1)]
    frames += [{"batch_size": 1, "learning_rate": 0.02}, {"batch_size": 64, "learning_rate": 0.6},
               {"batch_size": 1, "learning_rate": 0.3}]
    return Demo(plot_batch_size, controls, frames=frames, update=update_batch_size,
                alt="Left: contour lines of the cost of a linear model over its slope w and bias b, "
                    "with the path of every update for the chosen batch size and, dashed, for batch "
                    "gradient descent. Right: the cost on all 64 examples against epochs, for both.")


def universal_approximation_demo():
    """Chapter 3: slide the number of hidden units (and layers); watch the fit close in."""
    from nnbook.approximation import TARGETS
    from nnbook.plotting import plot_approximation

    controls = {
        "target": Choice(tuple(TARGETS), "wave"),
        "units": Slider(1, 60, 4, step=1, description="hidden units"),
        "depth": Slider(1, 4, 1, step=1, description="hidden layers"),
    }
    frames = [{"units": u} for u in (1, 2, 4, 8, 16, 32, 60)]
    frames += [{"target": "step", "units": u} for u in (8, 60)]
    frames += [{"target": "bump", "units": 3}, {"target": "|x|", "units": 2},
               {"units": 16, "depth": 3}]
    return Demo(plot_approximation, controls, frames=frames,
                alt="Top: a 1-D target function (dashed) and the output of a ReLU network whose "
                    "hidden units have fixed kinks and whose output layer is solved by least "
                    "squares; the title gives the RMS error. Bottom: each hidden unit's "
                    "weighted contribution, a bent line.")


def xor_training_demo():
    """Chapter 5: scrub through the epochs of backpropagation on XOR; change the hidden width,
    the learning rate and the seed of the initial weights."""
    from nnbook.plotting import XOR_DEMO_EPOCHS, plot_xor_training

    controls = {
        "epoch": Slider(0, XOR_DEMO_EPOCHS, XOR_DEMO_EPOCHS, step=10, description="epoch"),
        "hidden": Slider(2, 8, 2, step=1, description="hidden units"),
        "learning_rate": Slider(0.01, 5.0, 0.5, step=0.01, log=True, description="learning rate"),
        "seed": Slider(0, 9, 0, step=1, description="seed"),
    }
    # The static tour: one run from its random start to the solution, then a seed that
    # gets stuck with 2 hidden units and the same seed freed by 4.
    frames = [{"epoch": e} for e in (0, 100, 200, 250, 300, 400, 1000)]
    frames += [{"seed": 1}, {"seed": 1, "hidden": 4}, {"learning_rate": 0.05}]
    return Demo(plot_xor_training, controls, frames=frames,
                alt="Left: the XOR points and the regions where a small tanh network predicts "
                    "class 0 (blue) or 1 (orange), with the 0.5 boundary in black; right: the "
                    "training loss against epochs, the current epoch marked.")


def vanishing_gradients_demo():
    """Chapter 5: slide the depth; watch the first layers' gradients vanish in a sigmoid net."""
    from nnbook.plotting import plot_vanishing_gradients

    controls = {
        "depth": Slider(2, 30, 10, step=1, description="layers"),
        "width": Slider(4, 64, 32, step=4, description="units per layer"),
    }
    frames = [{"depth": d} for d in (2, 5, 10, 20, 30)] + [{"width": 8}, {"width": 64}]
    return Demo(plot_vanishing_gradients, controls, frames=frames,
                alt="The norm of the weight gradient of each layer, first layer on the left, on a "
                    "log scale, for a deep sigmoid network and a deep ReLU network: the sigmoid "
                    "line falls by orders of magnitude toward the input, the ReLU line stays level.")


#: Every demo in the book, by name: the tests move every control of each.
DEMOS = {
    "neuron_gates": neuron_gates_demo,
    "activation_explorer": activation_explorer_demo,
    "space_warp": space_warp_demo,
    "universal_approximation": universal_approximation_demo,
    "learning_rate": learning_rate_demo,
    "batch_size": batch_size_demo,
    "xor_training": xor_training_demo,
    "vanishing_gradients": vanishing_gradients_demo,
}
