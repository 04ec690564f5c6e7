"""Chapter 2's demos: the activation explorer and the space warp, live and static."""

import numpy as np

from nnbook import warp
from nnbook.activations import ACTIVATIONS
from nnbook.widgets import Choice, Demo, Slider

from .figures import EXPLORER_MAX_SCALE, ActivationExplorer, SpaceWarpFigure, saturated_share

# --- Demos ---------------------------------------------------------------------------------


def activation_explorer_demo():
    """Pick an activation, scale and shift its input, watch flat regions (saturation) appear."""
    controls = {
        "name": Choice(tuple(ACTIVATIONS), "sigmoid", description="function"),
        "scale": Slider(0.2, EXPLORER_MAX_SCALE, 1.0, step=0.1),
        "shift": Slider(-5.0, 5.0, 0.0, step=0.25),
    }
    # What the text asks for: sigmoid at scale 5 or shifted by 3, ReLU shifted by -3.
    grid = {"name": ["sigmoid", "tanh", "relu", "softplus"], "scale": [1.0, 5.0], "shift": [-3.0, 0.0, 3.0]}
    return Demo(ActivationExplorer, controls, grid=grid, caption=explorer_caption,
                alt="Left: the activation applied to scale times x plus shift; right: its slope. "
                    "Inputs where the slope is under 5% of its peak are shaded as flat.")


def explorer_caption(name, scale, shift):
    """A frame's caption: how much of a standard-normal input lands where the function is flat."""
    share = saturated_share(name, scale, shift)
    call = f"{name}({scale:g}x {'+' if shift >= 0 else '−'} {abs(shift):g})"
    if share >= 0.995:
        verdict = "almost no gradient gets through"
    elif share > 0.55:
        verdict = "most of the gradient is lost"
    elif share >= 0.45:
        verdict = "about half of the gradient is lost"
    elif share > 0.005:
        verdict = "some of the gradient is lost"
    else:
        verdict = "the gradient gets through everywhere"
    return (f"{call}: {share:.0%} of inputs x ~ N(0, 1) land where the slope is under 5% of its peak, "
            f"so {verdict}.")


def space_warp_demo():
    """Slide through a small network's stages and watch the plane bend."""
    controls = {"stage": Slider(0.0, 6.0, 0.0, step=0.1)}
    grid = {"stage": [k / 2 for k in range(13)]}
    return Demo(SpaceWarpFigure, controls, grid=grid, caption=warp_caption,
                alt="The two-moons data and the grid lines of the plane, moved by the network's "
                    "stages: linear map, shift and tanh bend for each of two layers; at the end a "
                    "straight line separates the moons.")


_STAGE_SENTENCES = (
    "linear map x·W{k} rotates, stretches and shears the plane: grid lines stay straight and parallel",
    "shift + b{k} slides the whole plane",
    "tanh bends the plane into the square from −1 to 1: straight grid lines curve",
)


def warp_caption(stage, network=None):
    """A frame's caption: in plain words, what the stage the plane has reached does."""
    network = warp.MOONS_NETWORK if network is None else network
    last = 3 * len(network["layers"])
    stage = float(np.clip(stage, 0, last))
    here = int(np.floor(stage))

    def sentence(index):
        if index == 0:
            return "the input: two interleaved moons that no straight line separates"
        layer, kind = divmod(index - 1, 3)
        return f"layer {layer + 1}'s " + _STAGE_SENTENCES[kind].format(k=layer + 1)

    if stage == here:
        text = f"Stage {here} of {last}, {sentence(here)}"
        if here == last:
            text += "; now the output neuron's straight line separates the moons"
        return text + "."
    return f"Stage {stage:g}: part-way from stage {here} to {here + 1}, where {sentence(here + 1)}."


#: Every demo of this chapter, by name (the tests sweep each).
DEMOS = {"activation_explorer": activation_explorer_demo, "space_warp": space_warp_demo}


