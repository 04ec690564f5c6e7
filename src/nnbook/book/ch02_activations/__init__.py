"""Chapter 2, activation functions: its experiments, figures, demos and exercise checkers.

A package, one module a part: ``figures`` (the figures and the computations
behind them), ``demos`` and ``checkers``; every public name is re-exported here, so a notebook
calls ``ch.NAME`` as before.
"""

from .checkers import (
    ACTIVATION_JOBS,
    ACTIVATION_NAMES,
    COLLAPSE_STACKS,
    TANH_CLOSE,
    TANH_TOLERANCE,
    check_activation_choices,
    check_collapse,
    check_relu_derivative,
    check_stable_sigmoid,
    check_tanh_saturation,
    collapse_stack,
)
from .demos import (
    DEMOS,
    activation_explorer_demo,
    explorer_caption,
    space_warp_demo,
    warp_caption,
)
from .figures import (
    EXPLORER_MAX_SCALE,
    TWO_UNIT_LAYER,
    ActivationExplorer,
    SpaceWarpFigure,
    affine_test_gap,
    circles,
    first_layer_share,
    layer_signals,
    moons,
    plot_activations,
    plot_circles_lifted,
    plot_gradient_factors,
    plot_space_warp,
    saturated_share,
)

__all__ = [
    "ACTIVATION_JOBS",
    "ACTIVATION_NAMES",
    "ActivationExplorer",
    "COLLAPSE_STACKS",
    "DEMOS",
    "EXPLORER_MAX_SCALE",
    "SpaceWarpFigure",
    "TANH_CLOSE",
    "TANH_TOLERANCE",
    "TWO_UNIT_LAYER",
    "activation_explorer_demo",
    "affine_test_gap",
    "check_activation_choices",
    "check_collapse",
    "check_relu_derivative",
    "check_stable_sigmoid",
    "check_tanh_saturation",
    "circles",
    "collapse_stack",
    "explorer_caption",
    "first_layer_share",
    "layer_signals",
    "moons",
    "plot_activations",
    "plot_circles_lifted",
    "plot_gradient_factors",
    "plot_space_warp",
    "saturated_share",
    "space_warp_demo",
    "warp_caption",
]
