"""Appendix, beyond supervised networks: its computations, figures, demo and exercise checkers.

The computations are small and used by this chapter only: the delta rule, a Kohonen
self-organising map on points of the plane, a Hopfield network that recalls letters,
scikit-learn's ``BernoulliRBM`` as a feature learner on the digits, reusing a hidden layer
from digits 0-4 for digits 5-9, and accuracy against the training-set size.

The notebook imports the package as ``ch``; each module's public names are re-exported here,
and ``DEMOS`` lists the demo.
"""
# ruff: noqa: F401 -- this module re-exports the names of the chapter's modules

from .checkers import (
    DELTA_CASE,
    SOM_CASES,
    TRANSFER_SIZES,
    check_delta_rule,
    check_som_step,
    check_transfer_counts,
    som_row_step,
    transfer_counts,
)
from .demos import (
    DEMOS,
    SomFigure,
    som_caption,
    som_demo,
    som_title,
)
from .experiments import (
    LOGISTIC,
    RBM,
    RBM_CS,
    SIZE_MODELS,
    SIZE_UPDATES,
    SOM,
    TRANSFER,
    TRANSFER_METHODS,
    corrupt,
    delta_rule_step,
    digits01,
    digits_split,
    grid_positions,
    hidden_features,
    hopfield_recall,
    hopfield_weights,
    letters,
    one_thread,
    rbm_comparison,
    rbm_pipeline,
    size_curve,
    som_errors,
    som_run,
    som_step,
    som_test_points,
    source_network,
    transfer_experiment,
)
from .figures import (
    plot_boltzmann_graphs,
    plot_hopfield,
    plot_rbm_components,
    plot_size_curve,
    plot_som_unfolding,
)
