"""Chapter 7, training in practice: its figures, the playground, its checkers.

The notebook imports the package as ``ch`` (``from nnbook.book import ch07_training as ch``);
each module's public names are re-exported here, and ``DEMOS`` lists every demo.
"""
# ruff: noqa: F401 -- this module re-exports the names of the chapter's modules

from .checkers import (
    BEST_L2,
    L2_GRID,
    L2_N_TRAIN,
    L2_SEEDS,
    SCREENING,
    STOPPING_LOSSES,
    STOPPING_PATIENCE,
    check_best_l2,
    check_early_stopping,
    check_f1_by_hand,
    check_prepare,
)
from .figures import (
    CURES,
    DIGITS_SIZES,
    DIGITS_SPLIT,
    DIGITS_TRAINING,
    INIT_BATCH,
    INIT_EPOCHS,
    INIT_RATE,
    INIT_SIZES,
    MOONS,
    MOONS_SIZES,
    MOONS_TRAINING,
    SIZES,
    STRENGTHS,
    ProximalL1SGD,
    compare_with_sklearn,
    cure_table,
    decay_example,
    digits_parts,
    fit_sklearn,
    init_runs,
    leak_runs,
    matmul_loops,
    moons_flipped,
    moons_network,
    moons_scores,
    multiply_adds_per_epoch,
    noisy_moons,
    penalised_weights,
    penalty_sweep,
    plot_confusion,
    plot_init,
    plot_learning_curves,
    plot_overfitting,
    plot_penalty_sweep,
    plot_regularizers,
    plot_scaling,
    plot_size_curve,
    plot_weight_histograms,
    predict,
    scaling_runs,
    size_curve,
    sklearn_classifier,
    soft_threshold,
    summary,
    train_digits,
    train_moons,
    weight_runs,
)
from .playground import DEMOS as _PLAYGROUND_DEMOS
from .playground import (
    PLAYGROUND_ACTIVATIONS,
    PLAYGROUND_DEFAULTS,
    PLAYGROUND_FEATURE_SETS,
    PLAYGROUND_FEATURES,
    Playground,
    PlaygroundEpochsFigure,
    PlaygroundFigure,
    PlaygroundRun,
    playground,
    playground_caption,
    playground_controls,
    playground_data,
    playground_demo,
    playground_epochs_caption,
    playground_epochs_demo,
    playground_features,
    playground_network,
    playground_pair,
    playground_run,
    playground_settings,
)
from .threshold import DEMOS as _THRESHOLD_DEMOS
from .threshold import ThresholdFigure, threshold_caption, threshold_data, threshold_demo, threshold_metrics

#: Every demo of the chapter: {name: function that builds the Demo}.
DEMOS = {**_PLAYGROUND_DEMOS, **_THRESHOLD_DEMOS}
