"""Chapter 3, networks and forward propagation: its figures, then its demos, then its exercise checkers.

A package, one module a part: ``figures`` (the figures and the computations
behind them), ``demos`` and ``checkers``; every public name is re-exported here, so a notebook
calls ``ch.NAME`` as before.
"""

from .checkers import (
    BATCH_SHAPES,
    BUMP_CORNERS,
    COUNTING_NETWORK,
    INIT_LAYER,
    SLOWDOWN_CASE,
    bump_target,
    check_batch_shapes,
    check_init_std,
    check_param_count,
    check_relu_bump,
    check_slowdown_gradients,
    check_stable_binary_cross_entropy,
    slowdown_gradients,
)
from .demos import (
    DEMOS,
    ApproximationFigure,
    DepthFigure,
    approximation_caption,
    depth_caption,
    depth_demo,
    depth_title,
    universal_approximation_demo,
)
from .figures import (
    INIT_COLOURS,
    INIT_SCHEMES,
    approximation_fit,
    depth_comparison,
    initialisation_spread,
    initialisation_table,
    layer_output_stds,
    plot_initialisation,
    plot_loss_curves,
)

__all__ = [
    "ApproximationFigure",
    "BATCH_SHAPES",
    "BUMP_CORNERS",
    "COUNTING_NETWORK",
    "DEMOS",
    "DepthFigure",
    "INIT_COLOURS",
    "INIT_LAYER",
    "INIT_SCHEMES",
    "SLOWDOWN_CASE",
    "approximation_caption",
    "approximation_fit",
    "bump_target",
    "check_batch_shapes",
    "check_init_std",
    "check_param_count",
    "check_relu_bump",
    "check_slowdown_gradients",
    "check_stable_binary_cross_entropy",
    "depth_caption",
    "depth_comparison",
    "depth_demo",
    "depth_title",
    "initialisation_spread",
    "initialisation_table",
    "layer_output_stds",
    "plot_initialisation",
    "plot_loss_curves",
    "slowdown_gradients",
    "universal_approximation_demo",
]
