"""Chapter 8, convolutional networks: its figures, its demos and its checkers.

The notebook imports the package as ``ch`` (``from nnbook.book import ch08_convolution as ch``);
each module's public names are re-exported here, and ``DEMOS`` lists every demo:

- ``signals``: convolution of two functions (flip, shift, overlap) and its 1-D demo;
- ``kernels``: classic 3x3 kernels on a photograph and a digit;
- ``shapes``: padding, stride and the output size, for any settings;
- ``patches``: the im2col view, the patch matrix filled row by row;
- ``cnn``: the digits CNN: data, training (filters saved per epoch), the MLP it is compared
  with, shifted digits, effective receptive fields, the filters' scrubber;
- ``explainer``: every layer's feature maps for a chosen or drawn digit;
- ``receptive``: receptive fields, stacked small kernels, 1x1 reductions;
- ``architectures``: the classic networks, counted;
- ``figures``: the static figures; ``checkers``: the exercises' checkers.
"""

from .architectures import TABLE, architecture_rows, architecture_table, conv_share, longest_path
from .checkers import (
    BACKWARD_CASE,
    PARAMS_LAYER,
    SHAPE_CASES,
    SHAPE_MISTAKES,
    backward_answer,
    check_conv_backward,
    check_conv_params,
    check_output_shape,
    check_vertical_edge_kernel,
    responses,
    right_shape,
)
from .cnn import (
    DIGITS_SPLIT,
    MLP_SIZES,
    SHIFTS,
    TRAINING,
    DigitImages,
    FiltersFigure,
    Run,
    accuracy,
    digit_images,
    digits_cnn,
    digits_mlp,
    effective_field,
    filter_mosaic,
    filters_caption,
    filters_demo,
    filters_title,
    flops_per_image,
    one_thread,
    shift_images,
    shifted_accuracy,
    theoretical_field,
    train_cnn,
    train_mlp,
    unit_gradient,
)
from .explainer import (
    DRAWINGS,
    ExplainerDemo,
    ExplainerFigure,
    ExplainerWidget,
    as_drawing,
    default_digit,
    explainer_caption,
    explainer_demo,
    layer_outputs,
    network_input,
    parse_drawing,
    percent,
    presets,
)
from .figures import (
    BACKWARD,
    POOLING,
    draw_numbers,
    full_convolution,
    pipeline_rows,
    plot_backward,
    plot_effective_fields,
    plot_max_pool_routing,
    plot_pipeline,
    plot_pooling,
    plot_receptive_fields,
    plot_training,
    relative_change,
)
from .kernels import (
    IMAGES,
    KERNEL_NOTES,
    KERNELS,
    KernelFigure,
    digit,
    filtered,
    kernel_caption,
    kernels_demo,
    load_image,
    photograph,
)
from .patches import (
    PATCH_INPUT,
    PATCH_KERNEL,
    PatchesFigure,
    patch_matrix,
    patches_caption,
    patches_demo,
    sliding_output,
)
from .receptive import (
    INCEPTION_3A,
    averaging_stack,
    bottleneck_costs,
    receptive_field,
    square_holding,
    stack_versus_one,
    stacked_field,
)
from .shapes import (
    KERNEL,
    PADDING,
    SIZE,
    STRIDE,
    ShapesFigure,
    shapes_caption,
    shapes_demo,
    shapes_title,
    window_geometry,
)
from .signals import (
    OPERATIONS,
    PAIRS,
    STEP,
    T_RANGE,
    TAU,
    ConvolutionFigure,
    box,
    convolution_caption,
    convolution_demo,
    decay,
    output_curve,
    overlap,
    ramp,
    slid,
    two_pulses,
)

#: Every demo of the chapter, in reading order: {name: function that builds the Demo}.
DEMOS = {
    "convolution": convolution_demo,
    "kernels": kernels_demo,
    "shapes": shapes_demo,
    "patches": patches_demo,
    "filters": filters_demo,
    "explainer": explainer_demo,
}

#: The chapter's public names (what ``ch.`` reaches in the notebook).
__all__ = [
    "accuracy", "architecture_rows", "architecture_table", "as_drawing", "averaging_stack", "BACKWARD",
    "backward_answer", "BACKWARD_CASE", "bottleneck_costs", "box", "check_conv_backward", "check_conv_params",
    "check_output_shape", "check_vertical_edge_kernel", "conv_share", "convolution_caption",
    "convolution_demo", "ConvolutionFigure", "decay", "default_digit", "digit", "digit_images", "DigitImages",
    "digits_cnn", "digits_mlp", "DIGITS_SPLIT", "draw_numbers", "DRAWINGS", "effective_field",
    "explainer_caption", "explainer_demo", "ExplainerDemo", "ExplainerFigure", "ExplainerWidget",
    "filter_mosaic", "filtered", "filters_caption", "filters_demo", "filters_title", "FiltersFigure",
    "flops_per_image", "full_convolution", "IMAGES", "INCEPTION_3A", "KERNEL", "kernel_caption",
    "KERNEL_NOTES", "KernelFigure", "KERNELS", "kernels_demo", "layer_outputs", "load_image", "longest_path",
    "MLP_SIZES", "network_input", "one_thread", "OPERATIONS", "output_curve", "overlap", "PADDING", "PAIRS",
    "PARAMS_LAYER", "parse_drawing", "PATCH_INPUT", "PATCH_KERNEL", "patch_matrix", "patches_caption",
    "patches_demo", "PatchesFigure", "percent", "photograph", "pipeline_rows", "plot_backward",
    "plot_effective_fields", "plot_max_pool_routing", "plot_pipeline", "plot_pooling",
    "plot_receptive_fields", "plot_training", "POOLING", "presets", "ramp", "receptive_field",
    "relative_change", "responses", "right_shape", "Run", "SHAPE_CASES", "SHAPE_MISTAKES", "shapes_caption",
    "shapes_demo", "shapes_title", "ShapesFigure", "shift_images", "shifted_accuracy", "SHIFTS", "SIZE",
    "slid", "sliding_output", "square_holding", "stack_versus_one", "stacked_field", "STEP", "STRIDE",
    "T_RANGE", "TABLE", "TAU", "theoretical_field", "train_cnn", "train_mlp", "TRAINING", "two_pulses",
    "unit_gradient", "window_geometry", "DEMOS",
]
