"""nnbook.conv: convolution and pooling (loops against im2col, against scipy, against central
differences), the layers in a network, output sizes, and the parameter counts of the classics."""

import re

import numpy as np
import pytest
from scipy.signal import correlate2d

from nnbook.conv import (
    ARCHITECTURES,
    AvgPool2D,
    BatchNormSpec,
    Conv2D,
    ConvSpec,
    DenseSpec,
    Flatten,
    MaxPool2D,
    SubsamplingSpec,
    avg_pool_backward,
    avg_pool_backward_naive,
    avg_pool_forward,
    avg_pool_forward_naive,
    col2im,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    conv2d_forward_naive,
    conv_param_count,
    dropped,
    im2col,
    max_pool_backward,
    max_pool_backward_naive,
    max_pool_forward,
    max_pool_forward_naive,
    output_size,
    param_count,
)
from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.layers import Dense, ReLU, Sequential
from nnbook.losses import softmax_cross_entropy, softmax_cross_entropy_gradient

#: Convolutions to check: (N, C, H, W, F, kh, kw, stride, padding), batch 1 and larger,
#: stride 1 to 3, padding 0 to 2, odd and even sizes, a rectangular kernel.
CONVS = {
    "b1-s1-p0-odd": (1, 2, 5, 5, 3, 3, 3, 1, 0),
    "b3-s1-p1-even": (3, 2, 6, 6, 2, 3, 3, 1, 1),
    "b2-s2-p0-odd": (2, 1, 7, 7, 2, 3, 3, 2, 0),
    "b2-s2-p1-even-kernel": (2, 2, 6, 4, 3, 2, 2, 2, 1),
    "b1-s2-p2-odd": (1, 3, 5, 6, 2, 3, 3, 2, 2),
    "b2-s1-p2-rect-kernel": (2, 1, 4, 5, 2, 2, 3, 1, 2),
    "b2-s3-p1-drops-rows": (2, 1, 8, 7, 2, 3, 3, 3, 1),
}

#: Poolings to check: (N, C, H, W, size, stride): side by side, overlapping, with gaps, dropping rows.
POOLS = {
    "2-side-by-side": (2, 2, 6, 4, 2, None),
    "2-odd-size-drops": (1, 2, 5, 7, 2, None),
    "3-stride-1-overlap": (2, 1, 5, 5, 3, 1),
    "3-stride-2-overlap": (1, 2, 7, 6, 3, 2),
    "2-stride-3-gaps": (2, 1, 7, 8, 2, 3),
}

POOL_FUNCTIONS = {
    "max": (max_pool_forward_naive, max_pool_backward_naive, max_pool_forward, max_pool_backward),
    "avg": (avg_pool_forward_naive, avg_pool_backward_naive, avg_pool_forward, avg_pool_backward),
}


def _conv_data(case, rng):
    n, c, h, w, f, kh, kw, stride, padding = case
    return (rng.normal(size=(n, c, h, w)), rng.normal(size=(f, c, kh, kw)), rng.normal(size=f),
            stride, padding)


# -- sizes ------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, kernel, padding, stride, expected", [
    (8, 3, 1, 1, 8),        # "same" padding
    (5, 3, 0, 1, 3),
    (7, 3, 0, 2, 3),
    (8, 3, 0, 2, 3),        # floor: one row dropped
    (224, 11, 2, 4, 55),    # AlexNet's first layer (torchvision)
    (224, 7, 3, 2, 112),    # ResNet's first layer
    (3, 3, 0, 1, 1),        # the window fills the input
    (1, 3, 1, 5, 1),        # padding makes room for one window
])
def test_output_size_is_the_floor_formula(n, kernel, padding, stride, expected):
    assert output_size(n, kernel, padding, stride) == expected


def test_output_size_raises_when_no_window_fits():
    with pytest.raises(ValueError, match=re.escape(
            "a kernel of size 5 does not fit in an input of size 2 padded by 1 on each side (4)")):
        output_size(2, 5, padding=1)


@pytest.mark.parametrize("arguments, name", [
    ((0, 3, 0, 1), "n"), ((5, 0, 0, 1), "kernel"), ((5, 3, -1, 1), "padding"),
    ((5, 3, 0, 0), "stride"), ((5, 3, 0, 1.0), "stride"), ((5, 2.5, 0, 1), "kernel"),
])
def test_output_size_rejects_bad_arguments(arguments, name):
    with pytest.raises(ValueError, match=f"^{name} must be"):
        output_size(*arguments)


@pytest.mark.parametrize("n, kernel, padding, stride, expected", [
    (8, 3, 0, 2, 1), (7, 3, 0, 2, 0), (5, 2, 0, 2, 1), (10, 3, 1, 4, 1), (6, 3, 0, 4, 3),
    (8, 3, 1, 1, 0),
])
def test_dropped_counts_what_no_window_reaches(n, kernel, padding, stride, expected):
    assert dropped(n, kernel, padding, stride) == expected
    last_end = (output_size(n, kernel, padding, stride) - 1) * stride + kernel
    assert last_end + dropped(n, kernel, padding, stride) == n + 2 * padding


def test_dropped_raises_when_no_window_fits():
    with pytest.raises(ValueError, match="does not fit"):
        dropped(3, 4)


# -- the patch matrix -------------------------------------------------------------------------

def test_im2col_rows_are_the_windows_as_they_slide():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(im2col(x, 2, stride=2), [[0, 1, 4, 5], [2, 3, 6, 7],
                                                           [8, 9, 12, 13], [10, 11, 14, 15]])


def test_im2col_pads_with_zeros_and_orders_columns_channel_by_channel():
    x = np.arange(8.0).reshape(1, 2, 2, 2)            # channel 0: 0..3, channel 1: 4..7
    cols = im2col(x, 1, padding=1)                    # 1x1 windows over the 4x4 padded image
    assert cols.shape == (16, 2)
    np.testing.assert_array_equal(cols[5], [0, 4])    # row 1, column 1 of the padded image
    np.testing.assert_array_equal(cols[0], [0, 0])    # a corner of the padding


@pytest.mark.parametrize("case", CONVS.values(), ids=CONVS.keys())
def test_im2col_times_the_filters_is_the_convolution(case, rng):
    x, W, b, stride, padding = _conv_data(case, rng)
    out = conv2d_forward_naive(x, W, b, stride, padding)
    product = im2col(x, W.shape[2:], stride, padding) @ W.reshape(len(W), -1).T + b
    n, f, out_h, out_w = out.shape
    np.testing.assert_allclose(product.reshape(n, out_h, out_w, f).transpose(0, 3, 1, 2), out,
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", CONVS.values(), ids=CONVS.keys())
def test_col2im_is_the_adjoint_of_im2col(case, rng):
    x, W, _, stride, padding = _conv_data(case, rng)
    cols = im2col(x, W.shape[2:], stride, padding)
    c = rng.normal(size=cols.shape)
    assert np.sum(cols * c) == pytest.approx(np.sum(x * col2im(c, x.shape, W.shape[2:], stride, padding)))


def test_col2im_of_ones_counts_the_windows_covering_each_pixel():
    x = np.zeros((1, 1, 4, 4))
    counts = col2im(np.ones_like(im2col(x, 3)), x.shape, 3)[0, 0]
    np.testing.assert_array_equal(counts, [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])


def test_col2im_rejects_a_matrix_of_the_wrong_shape():
    with pytest.raises(ValueError, match=re.escape("cols must have shape (N * out_h * out_w, "
                                                   "C * kh * kw) = (8, 9)")):
        col2im(np.zeros((8, 4)), (2, 1, 4, 4), 3, stride=2, padding=1)


# -- convolution ------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CONVS.values(), ids=CONVS.keys())
def test_conv_naive_matches_scipy_correlate2d(case, rng):
    x, W, b, stride, padding = _conv_data(case, rng)
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    expected = np.array([[sum(correlate2d(padded[n, c], W[f, c], mode="valid")
                              for c in range(x.shape[1]))[::stride, ::stride] + b[f]
                          for f in range(len(W))] for n in range(len(x))])
    np.testing.assert_allclose(conv2d_forward_naive(x, W, b, stride, padding), expected,
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", CONVS.values(), ids=CONVS.keys())
def test_conv_fast_forward_matches_naive(case, rng):
    x, W, b, stride, padding = _conv_data(case, rng)
    np.testing.assert_allclose(conv2d_forward(x, W, b, stride, padding),
                               conv2d_forward_naive(x, W, b, stride, padding), rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", CONVS.values(), ids=CONVS.keys())
def test_conv_fast_backward_matches_naive(case, rng):
    x, W, b, stride, padding = _conv_data(case, rng)
    g = rng.normal(size=conv2d_forward(x, W, b, stride, padding).shape)
    for fast, naive in zip(conv2d_backward(g, x, W, stride, padding),
                           conv2d_backward_naive(g, x, W, stride, padding)):
        np.testing.assert_allclose(fast, naive, rtol=0, atol=1e-12)


@pytest.mark.parametrize("wrt", ["x", "W", "b"])
@pytest.mark.parametrize("case", CONVS.values(), ids=CONVS.keys())
def test_conv_backward_matches_finite_differences(case, wrt, rng):
    x, W, b, stride, padding = _conv_data(case, rng)
    proj = rng.normal(size=conv2d_forward(x, W, b, stride, padding).shape)  # not ones
    gradients = dict(zip("xWb", conv2d_backward(proj, x, W, stride, padding)))

    def loss():
        return np.sum(conv2d_forward(x, W, b, stride, padding) * proj)

    assert rel_error(gradients[wrt], numerical_gradient(loss, {"x": x, "W": W, "b": b}[wrt])) < 1e-6


def test_fast_functions_take_images_that_are_not_contiguous(rng):
    x = rng.normal(size=(7, 6, 3, 2)).transpose(2, 3, 0, 1)      # (3, 2, 7, 6), a strided view
    W, b = rng.normal(size=(4, 2, 3, 3)), rng.normal(size=4)
    assert not x.flags.c_contiguous
    np.testing.assert_allclose(conv2d_forward(x, W, b, 2, 0), conv2d_forward_naive(x, W, b, 2, 0),
                               rtol=0, atol=1e-12)
    np.testing.assert_array_equal(max_pool_forward(x, 2), max_pool_forward_naive(x, 2))
    g = rng.normal(size=(3, 2, 3, 3))
    np.testing.assert_array_equal(max_pool_backward(g, x, 2), max_pool_backward_naive(g, x, 2))


def test_conv_of_a_float32_batch_stays_float32(rng):
    x, W, b = (rng.normal(size=s).astype(np.float32) for s in [(2, 1, 5, 5), (3, 1, 3, 3), (3,)])
    assert conv2d_forward(x, W, b).dtype == np.float32
    assert all(g.dtype == np.float32 for g in conv2d_backward(np.ones((2, 3, 3, 3), np.float32), x, W))


# -- pooling ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", POOL_FUNCTIONS)
@pytest.mark.parametrize("case", POOLS.values(), ids=POOLS.keys())
def test_pool_fast_matches_naive(case, kind, rng):
    *shape, size, stride = case
    forward_naive, backward_naive, forward, backward = POOL_FUNCTIONS[kind]
    x = rng.normal(size=shape)
    out = forward(x, size, stride)
    np.testing.assert_allclose(out, forward_naive(x, size, stride), rtol=0, atol=1e-12)
    g = rng.normal(size=out.shape)
    np.testing.assert_allclose(backward(g, x, size, stride), backward_naive(g, x, size, stride),
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("kind", POOL_FUNCTIONS)
@pytest.mark.parametrize("case", POOLS.values(), ids=POOLS.keys())
def test_pool_backward_matches_finite_differences(case, kind, rng):
    *shape, size, stride = case
    _, _, forward, backward = POOL_FUNCTIONS[kind]
    x = rng.normal(size=shape)                      # distinct values: no ties to nudge across
    proj = rng.normal(size=forward(x, size, stride).shape)

    def loss():
        return np.sum(forward(x, size, stride) * proj)

    assert rel_error(backward(proj, x, size, stride), numerical_gradient(loss, x)) < 1e-6


@pytest.mark.parametrize("backward", [max_pool_backward, max_pool_backward_naive],
                         ids=["fast", "naive"])
def test_max_pool_tie_goes_to_the_first_maximum_in_row_major_order(backward):
    x = np.array([[[[1.0, 3.0, 2.0, 2.0],
                    [3.0, 0.0, 2.0, 2.0]]]])        # window 1: 3 at (0,1) and (1,0); window 2: all 2
    dx = backward(np.array([[[[10.0, 20.0]]]]), x, 2)
    np.testing.assert_array_equal(dx, [[[[0, 10, 20, 0], [0, 0, 0, 0]]]])


@pytest.mark.parametrize("backward", [max_pool_backward, max_pool_backward_naive],
                         ids=["fast", "naive"])
def test_max_pool_overlapping_windows_add_up_at_a_shared_winner(backward):
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 5.0                               # the maximum of all four 2x2 windows
    g = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    dx = backward(g, x, 2, stride=1)
    assert dx[0, 0, 1, 1] == 10.0 and np.count_nonzero(dx) == 1


def test_avg_pool_shares_the_gradient_equally():
    dx = avg_pool_backward(np.array([[[[4.0]]]]), np.zeros((1, 1, 2, 3)), 2)
    np.testing.assert_array_equal(dx, [[[[1, 1, 0], [1, 1, 0]]]])   # column 2 is dropped


# -- layers -----------------------------------------------------------------------------------

LAYERS = {
    "conv-s1-p1": (lambda: Conv2D(2, 3, 3, padding=1, init="normal", seed=1), (2, 2, 5, 4)),
    "conv-s2-p2": (lambda: Conv2D(1, 2, (2, 3), stride=2, padding=2, seed=2), (1, 1, 5, 6)),
    "max-pool": (lambda: MaxPool2D(2), (2, 2, 5, 4)),
    "max-pool-overlap": (lambda: MaxPool2D(3, stride=2), (2, 1, 7, 5)),
    "avg-pool": (lambda: AvgPool2D(2, stride=1), (1, 2, 4, 5)),
    "flatten": (Flatten, (2, 3, 2, 2)),
}


@pytest.mark.parametrize("make_layer, shape", LAYERS.values(), ids=LAYERS.keys())
def test_layer_backward_matches_finite_differences(make_layer, shape, rng):
    layer = make_layer()
    x = rng.normal(size=shape)
    proj = rng.normal(size=layer.forward(x).shape)

    def loss():
        return np.sum(layer.forward(x) * proj)

    layer.forward(x)
    dx = layer.backward(proj)
    assert rel_error(dx, numerical_gradient(loss, x)) < 1e-6
    for name, param in layer.params.items():
        analytic = layer.grads[name].copy()
        assert rel_error(analytic, numerical_gradient(loss, param)) < 1e-6, name


@pytest.mark.parametrize("make_layer, shape", LAYERS.values(), ids=LAYERS.keys())
def test_layer_output_shape_is_the_shape_forward_gives(make_layer, shape, rng):
    layer = make_layer()
    assert layer.forward(rng.normal(size=shape)).shape == (shape[0], *layer.output_shape(shape[1:]))


@pytest.mark.parametrize("make_layer, shape", LAYERS.values(), ids=LAYERS.keys())
def test_layer_keeps_float32(make_layer, shape, rng):
    layer = make_layer()
    if isinstance(layer, Conv2D):
        layer = Conv2D(layer.in_channels, layer.out_channels, layer.kernel_size, layer.stride,
                       layer.padding, dtype=np.float32)
    y = layer.forward(rng.normal(size=shape).astype(np.float32))
    dx = layer.backward(np.ones_like(y))
    assert y.dtype == dx.dtype == np.float32
    assert all(g.dtype == np.float32 for g in layer.grads.values())


def test_conv2d_layer_computes_conv2d_forward_with_its_parameters(rng):
    layer = Conv2D(2, 3, 3, stride=2, padding=1, seed=0)
    layer.params["b"][...] = rng.normal(size=3)
    x = rng.normal(size=(2, 2, 6, 5))
    np.testing.assert_allclose(layer.forward(x), conv2d_forward_naive(
        x, layer.params["W"], layer.params["b"], stride=2, padding=1), rtol=0, atol=1e-12)


def test_conv2d_he_init_has_the_fan_in_of_one_window():
    W = Conv2D(8, 64, 3, seed=0).params["W"]
    assert W.shape == (64, 8, 3, 3)
    assert W.std() == pytest.approx(np.sqrt(2 / (8 * 3 * 3)), rel=0.05)


def test_conv2d_backward_overwrites_the_gradients(rng):
    layer = Conv2D(1, 2, 3, seed=0)
    x, g = rng.normal(size=(2, 1, 4, 4)), rng.normal(size=(2, 2, 2, 2))
    layer.forward(x)
    layer.backward(g)
    first = {key: value.copy() for key, value in layer.grads.items()}
    layer.backward(g)
    for key in first:
        np.testing.assert_array_equal(layer.grads[key], first[key])


def test_flatten_keeps_row_major_order(rng):
    x = rng.normal(size=(2, 3, 2, 4))
    np.testing.assert_array_equal(Flatten().forward(x), x.reshape(2, 24))


def test_conv_and_pool_output_shape_keep_an_unknown_size_unknown():
    assert Conv2D(1, 4, 3, stride=2).output_shape((1, None, 9)) == (4, None, 4)
    assert MaxPool2D(2).output_shape((None, 7, None)) == (None, 3, None)


def test_flatten_output_shape_of_an_unknown_size_is_unknown():
    assert Flatten().output_shape((16, None, None)) == (None,)


def test_sequential_cnn_summary_shows_each_shape():
    net = Sequential([Conv2D(1, 16, 3, padding=1, seed=0), ReLU(), MaxPool2D(2), Flatten(),
                      Dense(256, 10, seed=1)])
    summary = net.summary((1, 8, 8))
    for shown in ["(N, 16, 8, 8)", "(N, 16, 4, 4)", "(N, 256)", "(N, 10)", "total parameters: 2,730"]:
        assert shown in summary
    assert net.n_params == param_count([ConvSpec(1, 16, 3), DenseSpec(256, 10)])


def test_sequential_cnn_gradients_match_finite_differences(rng):
    net = Sequential([Conv2D(1, 3, 3, padding=1, seed=0), ReLU(), MaxPool2D(2), Flatten(),
                      Dense(18, 4, seed=1)])
    x, y = rng.normal(size=(3, 1, 4, 6)), np.array([0, 3, 1])
    net.backward(softmax_cross_entropy_gradient(y, net.forward(x)))
    for name, param, grad in net.parameters():
        analytic = grad.copy()
        numerical = numerical_gradient(lambda: softmax_cross_entropy(y, net.forward(x)), param)
        assert rel_error(analytic, numerical) < 1e-6, name


def test_sequential_of_float32_layers_trains_in_float32(rng):
    net = Sequential([Conv2D(1, 2, 3, seed=0, dtype=np.float32), ReLU(), AvgPool2D(2), Flatten(),
                      Dense(8, 3, seed=1, dtype=np.float32)])
    out = net.forward(rng.normal(size=(4, 1, 6, 6)))
    net.backward(np.ones_like(out))
    assert out.dtype == net.flat_grads.dtype == np.float32


def test_sequential_rejects_channels_that_do_not_match():
    with pytest.raises(ValueError, match=re.escape("expects examples of shape (3, None, None)")):
        Sequential([Conv2D(1, 4, 3), Conv2D(3, 2, 3)])


def test_sequential_rejects_an_image_too_small_for_the_next_kernel():
    net = Sequential([Conv2D(1, 4, 3), MaxPool2D(2), Conv2D(4, 2, 3)])
    with pytest.raises(ValueError, match=re.escape("Conv2D(4, 2, 3) expects examples of shape "
                                                   "(4, H, W) with H >= 3 and W >= 3")):
        net.summary((1, 6, 6))
    with pytest.raises(ValueError, match=re.escape("for x of shape (1, 1, 6, 6), layer 2: Conv2D(4, 2, 3) "
                                                   "expects examples of shape (4, H, W) with H >= 3")):
        net.forward(np.zeros((1, 1, 6, 6)))      # found where the network is entered


# -- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("shape, message", [
    ((8, 8), "Conv2D(1, 4, 3) expects x of shape (N, 1, ?, ?); got (8, 8)"),
    ((1, 8, 8), "Conv2D(1, 4, 3) expects x of shape (N, 1, ?, ?); got (1, 8, 8)"),
    ((2, 1, 1, 8, 8), "Conv2D(1, 4, 3) expects x of shape (N, 1, ?, ?); got (2, 1, 1, 8, 8)"),
    ((2, 3, 8, 8), "Conv2D(1, 4, 3) expects x of shape (N, 1, ?, ?); got (2, 3, 8, 8)"),
    ((2, 1, 2, 8), "Conv2D(1, 4, 3) expects x of shape (N, 1, H, W) with H >= 3 and W >= 3 "
                   "(a 3 x 3 window must fit in the input padded by 0); got (2, 1, 2, 8)"),
])
def test_conv2d_names_the_expected_shape(shape, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Conv2D(1, 4, 3).forward(np.zeros(shape))


def test_conv2d_padding_lets_a_small_image_through():
    assert Conv2D(1, 4, 5, padding=2).forward(np.zeros((1, 1, 1, 1))).shape == (1, 4, 1, 1)


@pytest.mark.parametrize("arguments, name", [
    ((0, 4, 3), "in_channels"), ((1, 0, 3), "out_channels"), ((1, 4, 0), "kernel_size"),
    ((1, 4, (3, 0)), r"kernel_size\[1\]"), ((1, 4, 3, 0), "stride"), ((1, 4, 3, -1), "stride"),
    ((1, 4, 3, 1, -1), "padding"), ((1, 4, 3, 1, 1.0), "padding"),
])
def test_conv2d_rejects_bad_sizes(arguments, name):
    with pytest.raises(ValueError, match=f"^{name} must be"):
        Conv2D(*arguments)


def test_conv2d_rejects_a_kernel_that_is_not_a_pair():
    with pytest.raises(ValueError, match=re.escape("kernel_size must be an int or a pair (kh, kw)")):
        Conv2D(1, 4, (3, 3, 3))


@pytest.mark.parametrize("make_pool, name", [
    (lambda: MaxPool2D(0), "size"), (lambda: AvgPool2D(2, stride=0), "stride"),
    (lambda: MaxPool2D(2.0), "size"),
])
def test_pool_rejects_bad_sizes(make_pool, name):
    with pytest.raises(ValueError, match=f"^{name} must be"):
        make_pool()


def test_pool_names_the_smallest_image_it_takes():
    with pytest.raises(ValueError, match=re.escape("MaxPool2D(3) expects x of shape (N, 2, H, W) "
                                                   "with H >= 3 and W >= 3")):
        MaxPool2D(3).forward(np.zeros((1, 2, 2, 5)))


def test_pool_rejects_images_without_a_channel_axis():
    with pytest.raises(ValueError, match=re.escape("MaxPool2D(2) expects x of shape (N, ?, ?, ?); "
                                                   "got (4, 8, 8)")):
        MaxPool2D(2).forward(np.zeros((4, 8, 8)))


@pytest.mark.parametrize("arguments, message", [
    (((2, 8, 8), (4, 1, 3, 3), (4,)), "x must be a batch of images of shape (N, 1, H, W); got shape (2, 8, 8)"),
    (((2, 3, 8, 8), (4, 1, 3, 3), (4,)), "x must be a batch of images of shape (N, 1, H, W); got shape (2, 3, 8, 8)"),
    (((2, 1, 8, 8), (4, 3, 3), (4,)), "W must be filters of shape (F, C, kh, kw); got shape (4, 3, 3)"),
    (((2, 1, 8, 8), (4, 1, 3, 3), (3,)), "b must have shape (F,) = (4,), one bias per filter; got (3,)"),
    (((2, 1, 2, 2), (4, 1, 3, 3), (4,)), "expects x of shape (N, 1, H, W) with H >= 3 and W >= 3"),
])
def test_conv_functions_name_the_expected_shapes(arguments, message):
    x, W, b = (np.zeros(shape) for shape in arguments)
    for forward in (conv2d_forward, conv2d_forward_naive):
        with pytest.raises(ValueError, match=re.escape(message)):
            forward(x, W, b)


@pytest.mark.parametrize("backward", [conv2d_backward, conv2d_backward_naive], ids=["fast", "naive"])
def test_conv_backward_names_the_shape_of_the_output(backward):
    with pytest.raises(ValueError, match=re.escape("grad_out must have the shape of the forward "
                                                   "pass's output, (2, 4, 6, 6); got (2, 4, 8, 8)")):
        backward(np.zeros((2, 4, 8, 8)), np.zeros((2, 1, 8, 8)), np.zeros((4, 1, 3, 3)))


@pytest.mark.parametrize("make_layer", [lambda: Conv2D(1, 2, 3), lambda: MaxPool2D(2),
                                        lambda: AvgPool2D(2), Flatten], ids=["conv", "max", "avg", "flatten"])
def test_layer_backward_before_forward_says_so(make_layer):
    with pytest.raises(ValueError, match="backward was called before forward"):
        make_layer().backward(np.zeros((1, 2, 2, 2)))


def test_layer_backward_names_the_output_shape():
    layer = Conv2D(1, 2, 3)
    layer.forward(np.zeros((2, 1, 5, 5)))
    with pytest.raises(ValueError, match=re.escape("expects grad_out of shape (2, 2, 3, 3)")):
        layer.backward(np.zeros((2, 2, 5, 5)))


# -- counting parameters ----------------------------------------------------------------------

@pytest.mark.parametrize("name, count", [
    ("LeNet-5", 61_706),
    ("LeNet-5 (1998)", 60_000),
    ("AlexNet", 61_100_840),
    ("VGG16", 138_357_544),
    ("GoogLeNet", 6_624_904),
    ("GoogLeNet (with auxiliary classifiers)", 13_004_888),
    ("ResNet-18", 11_689_512),
    ("ResNet-50", 25_557_032),
])
def test_architecture_reproduces_the_published_count(name, count):
    architecture = ARCHITECTURES[name]
    assert param_count(architecture.layers) == architecture.n_params == count
    assert f"{count:,}" in architecture.variant      # each entry says which count it is


def test_conv_param_count_is_weights_plus_biases():
    assert conv_param_count(3, 64, 3) == 3 * 64 * 9 + 64
    assert conv_param_count(3, 64, (1, 7), bias=False) == 3 * 64 * 7
    assert ConvSpec(16, 120, 5).n_params == 48_120                 # LeNet-5's C5


def test_batch_norm_and_subsampling_count_two_per_channel():
    assert BatchNormSpec(64).n_params == SubsamplingSpec(64).n_params == 128


def test_dense_spec_counts_like_a_dense_layer():
    assert DenseSpec(256, 10).n_params == Dense(256, 10).n_params
    assert DenseSpec(256, 10, bias=False).n_params == 2560


def test_param_count_rejects_what_is_not_a_spec():
    with pytest.raises(ValueError, match=re.escape("spec 1 must be one of ConvSpec, DenseSpec")):
        param_count([ConvSpec(1, 6, 5), (6, 16, 5)])


@pytest.mark.parametrize("make_spec, name", [
    (lambda: ConvSpec(0, 6, 5), "in_channels"), (lambda: ConvSpec(1, 6, 5, bias=1), "bias"),
    (lambda: DenseSpec(10, -1), "n_out"), (lambda: BatchNormSpec(2.0), "channels"),
])
def test_specs_reject_bad_sizes(make_spec, name):
    with pytest.raises(ValueError, match=f"^{name} must be"):
        make_spec()


# -- training: the same batches and the same Adam give the same numbers -----------------------
# With the same starting weights, fed the same batches in float64, training the digits CNN with
# ``fit`` and Adam must compute what an independent implementation computes, to round-off:
# after 1, 10 and 100 updates. A difference in Adam (epsilon, bias correction), in how the loss
# is averaged over a batch, or in a gradient shows here as a gap far above round-off.

RATE = 0.01
#: (examples, epochs): 300 examples are 9 batches of 32 and one of 12, so a loss summed
#: instead of averaged, or averaged over 32, would show.
UPDATES = {"1-update": (32, 1), "10-updates": (300, 1), "100-updates": (300, 10)}


@pytest.fixture(scope="module")
def digits():
    from sklearn.datasets import load_digits

    data = load_digits()
    return (data.images / 16.0)[:, None], data.target


def _small_cnn():
    return Sequential([Conv2D(1, 4, 3, padding=1, seed=0), ReLU(), MaxPool2D(2), Flatten(),
                       Dense(4 * 4 * 4, 10, seed=1)])


def _fit(x, y, epochs):
    """The library: ``fit`` with Adam, batches of 32 (shuffled by seed 0), the fast layers."""
    from nnbook.optim import Adam
    from nnbook.training import fit

    net = _small_cnn()
    history = fit(net, x, y, loss="softmax_cross_entropy", optimizer=Adam(RATE), epochs=epochs,
                  batch_size=32, seed=0)
    return [p for _, p, _ in net.parameters()], history.loss


def _batches(n, epochs):
    """fit's batches: each epoch a permutation from one generator seeded 0 (none for one batch)."""
    rng = np.random.default_rng(0)
    orders = [rng.permutation(n) if n > 32 else np.arange(n) for _ in range(epochs)]
    return [order[first:first + 32] for order in orders for first in range(0, n, 32)]


def _fit_by_hand(x, y, epochs):
    """The oracle, in plain numpy: the loop versions of the layers, the softmax cross-entropy
    averaged over the batch, and Adam as Kingma & Ba's Algorithm 1 (epsilon added to the
    square root of the corrected second moment)."""
    W, b, V, c = (p.copy() for _, p, _ in _small_cnn().parameters())
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in (W, b, V, c)]
    losses, epoch_loss = [], 0.0
    steps_per_epoch = -(-len(x) // 32)
    for t, batch in enumerate(_batches(len(x), epochs), start=1):
        xb, yb, n = x[batch], y[batch], len(batch)
        z = conv2d_forward_naive(xb, W, b, 1, 1)
        a = np.maximum(z, 0)
        pooled = max_pool_forward_naive(a, 2)
        scores = pooled.reshape(n, -1) @ V + c
        shifted = scores - scores.max(axis=1, keepdims=True)
        prob = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        epoch_loss += -np.log(prob[np.arange(n), yb]).sum()
        d = prob
        d[np.arange(n), yb] -= 1
        d /= n                                                  # the mean over the batch
        dV, dc = pooled.reshape(n, -1).T @ d, d.sum(axis=0)
        da = max_pool_backward_naive((d @ V.T).reshape(pooled.shape), a, 2)
        _, dW, db = conv2d_backward_naive(da * (z > 0), xb, W, 1, 1)
        for p, g, (m, s) in zip((W, b, V, c), (dW, db, dV, dc), moments):
            m[...] = 0.9 * m + 0.1 * g
            s[...] = 0.999 * s + 0.001 * g * g
            p -= RATE * (m / (1 - 0.9 ** t)) / (np.sqrt(s / (1 - 0.999 ** t)) + 1e-8)
        if t % steps_per_epoch == 0:
            losses.append(epoch_loss / len(x))
            epoch_loss = 0.0
    return [W, b, V, c], losses


@pytest.mark.parametrize("examples, epochs", UPDATES.values(), ids=UPDATES.keys())
def test_fit_trains_the_cnn_as_plain_numpy_does_on_the_same_batches(digits, examples, epochs):
    x, y = digits[0][:examples], digits[1][:examples]
    params, losses = _fit(x, y, epochs)
    expected, expected_losses = _fit_by_hand(x, y, epochs)
    for name, p, q in zip(["conv W", "conv b", "dense W", "dense b"], params, expected):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-10, err_msg=name)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-12, atol=0)


@pytest.mark.parametrize("examples, epochs", UPDATES.values(), ids=UPDATES.keys())
def test_fit_trains_the_cnn_as_pytorch_does_on_the_same_batches(digits, examples, epochs):
    torch = pytest.importorskip("torch")
    x, y = digits[0][:examples], digits[1][:examples]
    params, losses = _fit(x, y, epochs)
    W, b, V, c = (p for _, p, _ in _small_cnn().parameters())
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Flatten(), torch.nn.Linear(64, 10)).double()
    with torch.no_grad():                                  # torch's Linear is x @ V.T
        for target, value in zip((model[0].weight, model[0].bias, model[4].weight, model[4].bias), (W, b, V.T, c)):
            target.copy_(torch.from_numpy(np.ascontiguousarray(value)))
    optimizer = torch.optim.Adam(model.parameters(), lr=RATE)   # its defaults are Adam's: 0.9, 0.999, 1e-8
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    total, threads = 0.0, torch.get_num_threads()
    torch.set_num_threads(1)                     # small products: threads only wait (see PITFALLS)
    try:
        for batch in _batches(len(x), epochs):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xt[batch]), yt[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
    finally:
        torch.set_num_threads(threads)
    expected = [t.detach().numpy() for t in (model[0].weight, model[0].bias, model[4].weight.T, model[4].bias)]
    for name, p, q in zip(["conv W", "conv b", "dense W", "dense b"], params, expected):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-10, err_msg=name)
    assert np.mean(losses) * epochs == pytest.approx(total / len(x), rel=1e-12)
