"""Chapter 8: receptive fields, theoretical and effective, and what stacking small kernels or
putting 1x1 convolutions in front saves.

The theoretical receptive field of a unit is every input pixel that can change it: after
layers of kernel k_l and stride s_l it is 1 + sum_l (k_l - 1) * (s_1 ... s_{l-1}) pixels wide.
The effective one is how much each pixel does change it: the gradient of the unit with
respect to the input (Luo et al. 2016), which fades towards the edges of the theoretical one.
"""

import numpy as np

from nnbook.conv import Conv2D, conv_param_count

from .cnn import unit_gradient


def receptive_field(layers):
    """Receptive-field widths after each layer of a stack: layers = [(kernel, stride), ...].

    receptive_field([(3, 1), (3, 1), (3, 1)]) == [3, 5, 7]: each 3x3 layer widens the field by
    2 pixels of the input; a stride multiplies how much the layers after it add."""
    size, jump, sizes = 1, 1, []
    for kernel, stride in layers:
        size += (kernel - 1) * jump
        jump *= stride
        sizes.append(size)
    return sizes


def averaging_stack(depth):
    """``depth`` 3x3 convolutions (padding 1) whose kernels all average: 1/9 each, no bias."""
    layers = []
    for _ in range(depth):
        layer = Conv2D(1, 1, 3, padding=1, seed=0)
        layer.params["W"][...] = 1 / 9
        layers.append(layer)
    return layers


def stacked_field(depth, size=21):
    """The effective receptive field of the centre unit after ``depth`` averaging 3x3 layers:
    |d unit / d input| on a size x size input, as shares summing to 1 (size, size)."""
    grad = unit_gradient(averaging_stack(depth), np.zeros((1, 1, size, size)), (0, size // 2, size // 2))
    field = np.abs(grad[0, 0])
    return field / field.sum()


def square_holding(field, share=0.9):
    """The side of the smallest centred square holding at least ``share`` of ``field``'s total
    (an odd side for an odd-sized field centred on its middle pixel)."""
    field = np.asarray(field, dtype=np.float64)
    centre, total = field.shape[0] // 2, field.sum()
    for half in range(centre + 1):
        if field[centre - half:centre + half + 1, centre - half:centre + half + 1].sum() >= share * total - 1e-12:
            return 2 * half + 1
    return field.shape[0]


def stack_versus_one(channels, depth=3):
    """Parameters of ``depth`` stacked 3x3 convolutions (C to C channels each) against one
    convolution with the same receptive field (a (2 depth + 1) kernel): (stack, one)."""
    return depth * conv_param_count(channels, channels, 3), conv_param_count(channels, channels, 2 * depth + 1)


#: GoogLeNet's inception block 3a, 3x3 branch (Szegedy et al. 2015, Table 1): 192 channels in
#: on 28 x 28 maps, a 1x1 convolution down to 96, then 3x3 to 128.
INCEPTION_3A = {"in": 192, "reduce": 96, "out": 128, "size": 28}


def bottleneck_costs(block=INCEPTION_3A):
    """Parameters and multiply-adds of the 3x3 branch with and without its 1x1 reduction:
    {"direct": (params, mults), "reduced": (params, mults)} (same padding, so every layer's
    output is size x size)."""
    c, r, f, n = block["in"], block["reduce"], block["out"], block["size"]
    direct = conv_param_count(c, f, 3)
    reduced = conv_param_count(c, r, 1) + conv_param_count(r, f, 3)
    return {"direct": (direct, n * n * c * f * 9),
            "reduced": (reduced, n * n * (c * r + r * f * 9))}
