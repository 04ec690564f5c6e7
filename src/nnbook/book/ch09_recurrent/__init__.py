"""Chapter 9, recurrent networks: its figures, demos and checkers.

The notebook imports the package as ``ch`` (``from nnbook.book import ch09_recurrent as ch``);
each module's public names are re-exported here, and ``DEMOS`` lists every demo.

- ``common``: one BLAS thread for training, the word namaskar, the cells and their colours;
- ``figures``: the static figures;
- ``gradients``: how far back a gradient reaches (the gradient-flow demo);
- ``clipping``: the clipping lab;
- ``memory``: recall the first symbol after k distractors;
- ``charmodel``: the character model, its samples, the temperature demo;
- ``checkers``: the exercises' checkers.
"""
# ruff: noqa: F401 -- this module re-exports the names of the chapter's modules

from .charmodel import (
    CHAR,
    CHAR_FILE,
    PROMPT,
    TEMPERATURE_CONTEXT,
    TemperatureFigure,
    char_data,
    char_network,
    generate,
    rounded,
    sequence_log_probability,
    shipped_model,
    show_char,
    temperature_caption,
    temperature_demo,
    temperature_logits,
    train_char,
    validation_perplexity,
)
from .checkers import (
    BPTT_CASES,
    COUNT_SIZES,
    bptt_two_steps,
    check_bptt_two_steps,
    check_clip_threshold,
    check_param_counts,
    check_rnn_step,
    param_counts,
    rnn_step,
)
from .clipping import (
    CLIP,
    CLIP_THRESHOLDS,
    ClippingFigure,
    ClippingOptimizer,
    clip_caption,
    clip_data,
    clip_run,
    clipped_share,
    clipping_demo,
    final_loss,
)
from .common import (
    CELLS,
    SEQUENCE_LOSS,
    STYLES,
    WORD,
    namaskar,
    namaskar_network,
    next_letter_probabilities,
    one_thread,
    orthogonal,
    set_recurrent_gain,
    train_namaskar,
)
from .figures import (
    MEMORY_STYLES,
    most_correlated_unit,
    plot_char_training,
    plot_gates_along_text,
    plot_lstm_cell,
    plot_memory,
    plot_namaskar,
    plot_unrolled,
)
from .gradients import (
    FLOW,
    GradientFlowFigure,
    flow_caption,
    flow_summary,
    gradient_by_lag,
    gradient_flow_demo,
)
from .memory import (
    MEMORY,
    MEMORY_FILE,
    MEMORY_KS,
    MEMORY_MODELS,
    MEMORY_SEEDS,
    chrono_biases,
    memory_data,
    memory_network,
    memory_results,
    show_sequence,
    train_memory,
)

#: Every demo of the chapter: {name: function that builds the Demo}.
DEMOS = {"gradient_flow": gradient_flow_demo, "clipping": clipping_demo, "temperature": temperature_demo}
