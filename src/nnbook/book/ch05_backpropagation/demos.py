"""Chapter 5's demos: XOR training and vanishing gradients, live and static."""

from nnbook.widgets import Demo, Slider

from .figures import (
    TRAP_LOSS,
    XOR_DEMO_EPOCHS,
    VanishingGradientsFigure,
    XorTrainingFigure,
    gradient_norms,
    xor_state,
)

# --- Demos ---------------------------------------------------------------------------------


def xor_training_demo():
    """Chapter 5: scrub through the epochs of backpropagation on XOR; change the hidden width,
    the learning rate and the seed of the initial weights."""

    controls = {
        "epoch": Slider(0, XOR_DEMO_EPOCHS, XOR_DEMO_EPOCHS, step=10, description="epoch"),
        "hidden": Slider(2, 8, 2, step=1, description="hidden units"),
        "learning_rate": Slider(0.01, 5.0, 0.5, step=0.01, log=True, description="learning rate"),
        "seed": Slider(0, 9, 0, step=1, description="seed"),
    }
    # On the website: one run from its random start to the solution, for a seed that
    # learns with 2 hidden units and a seed that is trapped with 2 but not with 4.
    grid = {"epoch": [0, 100, 200, 300, 1000], "hidden": [2, 4], "seed": [0, 1]}
    return Demo(XorTrainingFigure, controls, grid=grid, caption=xor_caption, training=True,
                alt="Top: the XOR points and the regions where a small tanh network predicts "
                    "class 0 (blue) or 1 (orange), with the 0.5 boundary in black; below: the "
                    "training loss against epochs, the current epoch marked.")


def vanishing_gradients_demo():
    """Chapter 5: slide the depth; watch the first layers' gradients vanish in a sigmoid net."""

    controls = {
        "depth": Slider(2, 30, 10, step=1, description="layers"),
        "width": Slider(4, 64, 32, step=4, description="units per layer"),
    }
    grid = {"depth": [2, 5, 10, 20, 30], "width": [4, 32]}
    return Demo(VanishingGradientsFigure, controls, grid=grid, training=True, caption=vanishing_caption,
                alt="The norm of the weight gradient of each layer, first layer on the left, on a "
                    "log scale, for a deep sigmoid network and a deep ReLU network: the sigmoid "
                    "line falls by orders of magnitude toward the input, the ReLU line stays level "
                    "(or, in a narrow deep network, disappears: every ReLU gradient is 0).")


def xor_caption(epoch, hidden, learning_rate, seed):
    """A frame's caption: how the XOR network is doing at this epoch, in words."""
    correct, loss = xor_state(int(epoch), int(hidden), float(learning_rate), int(seed))
    if correct == 4 and loss < 0.1:
        how = "XOR is solved"
    elif loss > 0.68:
        how = "still on the plateau near log 2 = 0.69 where every run starts, a flat stretch it may yet leave"
    elif correct == 2 and abs(loss - TRAP_LOSS) < 0.01:
        how = ("trapped, not on a plateau: two points get a probability near one half, and the loss "
               "creeps toward log 2 / 2 = 0.35 as the weights grow")
    else:
        how = "learning"
    return (f"Epoch {epoch}, {hidden} hidden units, seed {seed}: {correct} of 4 points right, "
            f"loss {loss:.3f}; {how}.")


def vanishing_caption(depth, width):
    """A frame's caption: how much smaller the first layer's gradient is, in words."""
    results = gradient_norms(int(depth), int(width))
    sig = results["sigmoid"][1]
    text = (f"{depth} layers of {width} units: the first sigmoid layer gets {sig['first/last']:.0e} of "
            f"the last one's gradient (about 1/{sig['per layer']:.1f} per layer)")
    relu = results["relu"][1]
    if relu is None:
        return text + "; every ReLU unit is off for every example, so no gradient flows at all."
    return text + f"; ReLU's first / last ratio is {relu['first/last']:.2g}."


#: Every demo of this chapter, by name (the tests sweep each).
DEMOS = {"xor_training": xor_training_demo, "vanishing_gradients": vanishing_gradients_demo}


