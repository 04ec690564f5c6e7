r"""Convolutional networks: convolution, pooling and flattening on batches of images.

Images are batch first, ``(N, C, H, W)``: N images of C channels (1 for grey digits, 3 for
colour photographs), H rows and W columns. A convolution layer holds F filters
``W: (F, C, kh, kw)`` and biases ``b: (F,)``, and slides each filter over the (zero padded)
input with a step of ``stride`` pixels:

$$ y_{n,f,i,j} = b_f + \sum_{c,u,v} W_{f,c,u,v}\, x^{pad}_{n,\,c,\,i s + u,\,j s + v} $$

This is cross-correlation (the kernel is not flipped), which deep-learning libraries call
convolution: the filters are learned, so a flip would change nothing but the bookkeeping.

Every operation is written twice, on purpose (as cs231n does):

- ``conv2d_forward_naive`` / ``conv2d_backward_naive``, ``max_pool_forward_naive``, ...:
  plain loops over images, filters and window positions, to be read: the sliding window is
  on the page.
- ``conv2d_forward`` / ``conv2d_backward``, ``max_pool_forward``, ...: every window at once.
  ``im2col`` lays the windows out as the rows of a patch matrix, so the whole convolution is
  one matrix product; ``col2im`` adds each row back where it came from (the backward pass).
  The layers use these. Tests check that both give the same numbers. (For speed they compute
  the same product transposed, image by image, with the biases as one more column of the
  filters: see ``_patches``; measured in ``tools/benchmark_training.py``.)

Output sizes follow the frameworks' floor mode: ``output_size(n, k, p, s) = (n + 2p - k) // s
+ 1``; the rows or columns no window reaches are ``dropped(n, k, p, s)``.

``param_count`` counts the parameters of a network from a list of layer specifications
(``ConvSpec``, ``DenseSpec``, ``BatchNormSpec``, ``SubsamplingSpec``), without building it;
``ARCHITECTURES`` holds the classic networks, each with the variant whose published count
it reproduces.
"""

import math
from dataclasses import dataclass

import numpy as np

from nnbook._validate import as_array, as_count, as_rng
from nnbook.layers import INITIALISATIONS, Layer, _per_example_shape, as_dtype

# -- sizes ------------------------------------------------------------------------------------


def _kernel_pair(kernel_size, name="kernel_size"):
    """An int k or a pair (kh, kw) as (kh, kw) of positive ints, or a ValueError."""
    if isinstance(kernel_size, (tuple, list)):
        if len(kernel_size) != 2:
            raise ValueError(f"{name} must be an int or a pair (kh, kw); got {kernel_size!r}")
        return (as_count(kernel_size[0], f"{name}[0]"), as_count(kernel_size[1], f"{name}[1]"))
    size = as_count(kernel_size, name)
    return (size, size)


def output_size(n, kernel, padding=0, stride=1):
    """The number of window positions along one axis: (n + 2 padding - kernel) // stride + 1.

    n: the input's size (rows or columns); kernel: the window's size; padding: zeros added on
    each side; stride: the step between windows. Floor mode, as the frameworks: a last
    window that would stick out of the padded input is not taken (see ``dropped``).
    Raises a ValueError when not even one window fits.
    """
    n, kernel = as_count(n, "n"), as_count(kernel, "kernel")
    padding, stride = as_count(padding, "padding", minimum=0), as_count(stride, "stride")
    padded = n + 2 * padding
    if kernel > padded:
        raise ValueError(f"a kernel of size {kernel} does not fit in an input of size {n} padded "
                         f"by {padding} on each side ({padded}): no output position. Use a kernel "
                         f"of at most {padded}, or more padding")
    return (padded - kernel) // stride + 1


def dropped(n, kernel, padding=0, stride=1):
    """How many rows (or columns) at the end of the padded input no window covers.

    In floor mode the last window ends at (output_size - 1) * stride + kernel; the
    (n + 2 padding - kernel) % stride positions after it (bottom rows, right columns, counted
    in the padded input, so some may be padding) are never seen. 0 when the windows tile the
    padded input to its end.
    """
    output_size(n, kernel, padding, stride)  # checks the arguments and that a window fits
    return (n + 2 * padding - kernel) % stride


def _check_images(x, name="x", channels=None):
    """x as a float array of rank 4 (N, C, H, W), or a ValueError naming that shape."""
    x = as_array(x, name)
    if x.ndim != 4 or (channels is not None and x.shape[1] != channels):
        want = f"(N, {channels}, H, W)" if channels is not None else "(N, C, H, W)"
        raise ValueError(f"{name} must be a batch of images of shape {want}; got shape {x.shape}"
                         + (" (one image is a batch of one: pass x[None])" if x.ndim == 3 else ""))
    return x


def _output_hw(who, shape, kernel, stride, padding):
    """(out_h, out_w) for images of ``shape`` (N, C, H, W), or a ValueError that names the
    smallest input the window fits in (who: a layer or a name, shown only in the message)."""
    (kh, kw), (height, width) = kernel, shape[-2:]
    if kh > height + 2 * padding or kw > width + 2 * padding:
        min_h, min_w = max(kh - 2 * padding, 1), max(kw - 2 * padding, 1)
        raise ValueError(f"{who} expects x of shape (N, {shape[1]}, H, W) with H >= {min_h} and "
                         f"W >= {min_w} (a {kh} x {kw} window must fit in the input padded by "
                         f"{padding}); got {tuple(shape)}")
    return ((height + 2 * padding - kh) // stride + 1, (width + 2 * padding - kw) // stride + 1)


# -- the patch matrix -------------------------------------------------------------------------


def _pad(x, padding):
    """x (N, C, H, W) with ``padding`` zeros around each image."""
    if padding == 0:
        return x
    n, c, h, w = x.shape
    padded = np.zeros((n, c, h + 2 * padding, w + 2 * padding), x.dtype)
    padded[:, :, padding:padding + h, padding:padding + w] = x
    return padded


def _windows(x, kh, kw, stride):
    """Every kh x kw window of x (N, C, H, W), stepping by ``stride``: a read-only view of shape
    (N, C, out_h, out_w, kh, kw) that copies nothing (window (i, j) starts at row i*stride,
    column j*stride): x's memory read with other strides (if x is not contiguous, a
    contiguous copy's)."""
    x = np.ascontiguousarray(x)
    n, c, h, w = x.shape
    out_h, out_w = (h - kh) // stride + 1, (w - kw) // stride + 1
    s_n, s_c, s_h, s_w = x.strides
    windows = np.ndarray((n, c, out_h, out_w, kh, kw), x.dtype, buffer=x,
                         strides=(s_n, s_c, s_h * stride, s_w * stride, s_h, s_w))
    windows.flags.writeable = False
    return windows


def _add_windows(stack, shape, stride):
    """The adjoint of ``_windows``: a zero array of ``shape`` (N, C, H, W) with every window
    added back where it was taken (where windows overlap, their values add up).

    stack: (kh, kw, N, C, out_h, out_w), ``stack[u, v]`` the pixel at offset (u, v) of every
    window. One vectorised addition per offset: kh * kw steps, none per image."""
    total = np.zeros(shape, stack.dtype)
    kh, kw, _, _, out_h, out_w = stack.shape
    for u in range(kh):
        for v in range(kw):
            total[:, :, u:u + stride * out_h:stride, v:v + stride * out_w:stride] += stack[u, v]
    return total


def _patches(x, kh, kw, stride, padding):
    """Each image's patch matrix, transposed, with a row of ones below it:
    (N, C * kh * kw + 1, out_h * out_w), one column per window (in the order it slides), one
    row per pixel of a window (the order of ``W[f].ravel()``), then the ones. ``im2col``'s
    matrix is these without the ones, each transposed, stacked image after image.

    This layout is the fast one: ``(W | b) @ patches``, the filters with their biases as one
    more column (the "bias trick": a bias is the weight of an input that is always 1), is
    ``W x + b`` for every window of every image in one product, already in the
    (N, F, out_h * out_w) order of the output; the copy that makes it runs along whole rows
    of windows."""
    windows = _windows(_pad(x, padding), kh, kw, stride)     # (N, C, out_h, out_w, kh, kw)
    n, c, out_h, out_w = windows.shape[:4]
    patches = np.empty((n, c * kh * kw + 1, out_h * out_w), x.dtype)
    pixels = patches[:, :-1].reshape(n, c, kh, kw, out_h, out_w)      # a view: writes land in patches
    pixels[...] = windows.transpose(0, 1, 4, 5, 2, 3)
    patches[:, -1] = 1                                       # the bias's input
    return patches


def _patches_back(dpatches, x_shape, kh, kw, stride, padding):
    """The adjoint of ``_patches``: images of ``x_shape`` with every column of each image's
    (N, C * kh * kw, out_h * out_w) matrix added back onto the window it came from."""
    n, c, h, w = x_shape
    out_h, out_w = (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1
    stack = dpatches.reshape(n, c, kh, kw, out_h, out_w).transpose(2, 3, 0, 1, 4, 5)  # a view
    total = _add_windows(stack, (n, c, h + 2 * padding, w + 2 * padding), stride)
    return total[:, :, padding:padding + h, padding:padding + w]


def im2col(x, kernel_size, stride=1, padding=0):
    """The patch matrix: one row per window position, one column per pixel of a window.

    x: images (N, C, H, W); kernel_size: k or (kh, kw). Returns an array of shape
    (N * out_h * out_w, C * kh * kw): row ``(n * out_h + i) * out_w + j`` is the window of
    image n whose top-left corner is at (i * stride, j * stride) of the zero-padded image,
    flattened channel by channel, each channel row by row: the order of ``W[f].ravel()``.
    The rows follow the window as it slides, left to right, then top to bottom, image after
    image. A convolution is then one matrix product:

        im2col(x, (kh, kw), s, p) @ W.reshape(F, -1).T + b    # (N * out_h * out_w, F)

    Where windows overlap (stride < kernel) a pixel appears in several rows: the matrix
    is larger than the image (kh * kw times for stride 1).
    """
    x = _check_images(x)
    kh, kw = _kernel_pair(kernel_size)
    stride, padding = as_count(stride, "stride"), as_count(padding, "padding", minimum=0)
    _output_hw("im2col", x.shape, (kh, kw), stride, padding)
    pixels = _patches(x, kh, kw, stride, padding)[:, :-1]     # (N, C * kh * kw, out_h * out_w)
    return pixels.transpose(0, 2, 1).reshape(-1, pixels.shape[1])


def col2im(cols, x_shape, kernel_size, stride=1, padding=0):
    """Add each row of a patch matrix back onto the window it came from: images of ``x_shape``.

    cols: (N * out_h * out_w, C * kh * kw), laid out as ``im2col`` makes it; x_shape: the
    images' shape (N, C, H, W). Where windows overlap, their values add up, and what falls on
    the padding is dropped. This is not the inverse of ``im2col`` but its adjoint (transpose):
    it turns the gradient with respect to the patch matrix into the gradient with respect to
    the images. ``col2im(im2col(x, k) * 0 + 1, x.shape, k)`` counts how many windows cover
    each pixel.
    """
    kh, kw = _kernel_pair(kernel_size)
    stride, padding = as_count(stride, "stride"), as_count(padding, "padding", minimum=0)
    x_shape = tuple(_per_example_shape(x_shape, "x_shape"))
    if len(x_shape) != 4 or None in x_shape:
        raise ValueError(f"x_shape must be the images' shape (N, C, H, W); got {x_shape}")
    out_h, out_w = _output_hw("col2im", x_shape, (kh, kw), stride, padding)
    cols = as_array(cols, "cols")
    n, c = x_shape[:2]
    want = (n * out_h * out_w, c * kh * kw)
    if cols.shape != want:
        raise ValueError(f"cols must have shape (N * out_h * out_w, C * kh * kw) = {want} for "
                         f"images of shape {x_shape}; got {cols.shape}")
    dpatches = cols.reshape(n, out_h * out_w, c * kh * kw).transpose(0, 2, 1)   # a view
    return _patches_back(dpatches, x_shape, kh, kw, stride, padding)


# -- convolution ------------------------------------------------------------------------------


def _conv_arguments(x, W, b, stride, padding):
    """Check the arguments of a convolution (b None: no biases to check); return them
    cleaned, with (out_h, out_w)."""
    W = as_array(W, "W")
    if W.ndim != 4:
        raise ValueError(f"W must be filters of shape (F, C, kh, kw); got shape {W.shape}")
    x = _check_images(x, channels=W.shape[1])
    b = None if b is None else as_array(b, "b")
    if b is not None and b.shape != W.shape[:1]:
        raise ValueError(f"b must have shape (F,) = {W.shape[:1]}, one bias per filter; got {b.shape}")
    stride, padding = as_count(stride, "stride"), as_count(padding, "padding", minimum=0)
    out_hw = _output_hw("the convolution", x.shape, W.shape[2:], stride, padding)
    return x, W, b, stride, padding, out_hw


def _check_grad_out(grad_out, expected):
    grad_out = as_array(grad_out, "grad_out")
    if grad_out.shape != tuple(expected):
        raise ValueError(f"grad_out must have the shape of the forward pass's output, "
                         f"{tuple(expected)}; got {grad_out.shape}")
    return grad_out


def conv2d_forward_naive(x, W, b, stride=1, padding=0):
    """Convolution (cross-correlation) by a plain loop over the window's positions: the
    sliding window, to be read.

    x: (N, C, H, W) images; W: (F, C, kh, kw) filters; b: (F,) biases. Returns (N, F, out_h,
    out_w): for each window position (i, j), image n and filter f, the sum of the window
    times the filter, plus the filter's bias. The loop visits the positions one by one; at
    each, ``np.tensordot`` does that sum for every image and every filter at once (a loop
    over images and filters too would read the same and run a hundred times slower).
    """
    x, W, b, stride, padding, (out_h, out_w) = _conv_arguments(x, W, b, stride, padding)
    n_images, n_filters, kh, kw = len(x), len(W), W.shape[2], W.shape[3]
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))  # zeros around
    out = np.zeros((n_images, n_filters, out_h, out_w), np.result_type(x, W, b))
    for i in range(out_h):                          # each window position, row by row
        for j in range(out_w):
            top, left = i * stride, j * stride
            window = x_pad[:, :, top:top + kh, left:left + kw]          # (N, C, kh, kw)
            # out[n, f, i, j] = sum over c, u, v of window[n, c, u, v] * W[f, c, u, v] + b[f]
            out[:, :, i, j] = np.tensordot(window, W, axes=([1, 2, 3], [1, 2, 3])) + b
    return out


def conv2d_backward_naive(grad_out, x, W, stride=1, padding=0):
    """The gradients of a convolution by a plain loop over the window's positions:
    (dL/dx, dL/dW, dL/db).

    grad_out: dL/dy (N, F, out_h, out_w); x, W: the forward pass's input and filters.
    Each output y[n, f, i, j] = sum(window * W[f]) + b[f] sends its gradient g back to what
    made it: g * window to W[f], g * W[f] to the window's pixels, g to b[f]. At each position
    the sums over images (for dW) and over filters (for dx) are one ``np.tensordot``.
    """
    x, W, _, stride, padding, (out_h, out_w) = _conv_arguments(x, W, None, stride, padding)
    n_images, n_filters, kh, kw = len(x), len(W), W.shape[2], W.shape[3]
    grad_out = _check_grad_out(grad_out, (n_images, n_filters, out_h, out_w))
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dtype = np.result_type(grad_out, x, W)
    dx_pad, dW = np.zeros(x_pad.shape, dtype), np.zeros(W.shape, dtype)
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride, j * stride
            g = grad_out[:, :, i, j]                                    # (N, F)
            window = x_pad[:, :, top:top + kh, left:left + kw]          # (N, C, kh, kw)
            dW += np.tensordot(g, window, axes=([0], [0]))              # sum over images n
            dx_pad[:, :, top:top + kh, left:left + kw] += np.tensordot(g, W, axes=([1], [0]))  # over f
    db = grad_out.sum(axis=(0, 2, 3)).astype(dtype, copy=False)         # every g reaches b[f]
    height, width = x.shape[2:]
    return dx_pad[:, :, padding:padding + height, padding:padding + width], dW, db


def _conv_forward(x, W, b, stride, padding):
    """The convolution as one matrix product per image; returns (output, patches).

    ``im2col(x) @ W.reshape(F, -1).T + b`` transposed, one image at a time: the filters and
    their biases (F, C kh kw + 1) times the image's patches and a row of ones
    (C kh kw + 1, out_h out_w) are its F feature maps, already in the (N, F, out_h, out_w)
    order the next layer takes (one ``@`` does every image)."""
    (n, _, h, w), (f, _, kh, kw) = x.shape, W.shape
    out_h, out_w = (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1
    patches = _patches(x, kh, kw, stride, padding)          # (N, C * kh * kw + 1, out_h * out_w)
    weights = np.concatenate([W.reshape(f, -1), b[:, None]], axis=1)   # (W | b): (F, C * kh * kw + 1)
    out = weights @ patches                                 # (N, F, out_h * out_w)
    return out.reshape(n, f, out_h, out_w), patches


def _conv_backward(grad_out, patches, x_shape, W, stride, padding, input_grad=True):
    """(dx, dW, db) from the upstream gradient and the forward pass's patches (with their
    row of ones, so dL/db comes out of the same product as dL/dW); dx is None when
    ``input_grad`` is False."""
    f, kh, kw = len(W), W.shape[2], W.shape[3]
    g = grad_out.reshape(len(grad_out), f, -1)            # (N, F, out_h * out_w): a view
    dWb = (g @ patches.transpose(0, 2, 1)).sum(axis=0)    # g times each window (and times 1)
    dW, db = dWb[:, :-1].reshape(W.shape), dWb[:, -1]
    if not input_grad:
        return None, dW, db
    dpatches = W.reshape(f, -1).T @ g                     # each window's pixels: W times g
    return _patches_back(dpatches, x_shape, kh, kw, stride, padding), dW, db


def conv2d_forward(x, W, b, stride=1, padding=0):
    """Convolution (cross-correlation) as one matrix product: the patch matrix times the
    filters, ``im2col(x) @ W.reshape(F, -1).T + b``, reshaped to (N, F, out_h, out_w).

    Same arguments and result as ``conv2d_forward_naive``, without a loop over the images.
    (It computes that product transposed, image by image, ``W.reshape(F, -1) @ patches[n]``,
    so the result comes out in (N, F, out_h, out_w) order with no reordering: see
    ``_conv_forward``.)
    """
    x, W, b, stride, padding, _ = _conv_arguments(x, W, b, stride, padding)
    return _conv_forward(x, W, b, stride, padding)[0]


def conv2d_backward(grad_out, x, W, stride=1, padding=0):
    """The gradients of a convolution as matrix products: (dL/dx, dL/dW, dL/db).

    With G the upstream gradient as a matrix (one row per window, one column per filter) and
    X the patch matrix: dL/dW = G^T X, dL/db = the column sums of G, and dL/dx = col2im(G W),
    which adds every window's share back onto its pixels. Same arguments and results as
    ``conv2d_backward_naive``. (As the forward pass, it runs these products image by image on
    the transposed matrices: ``_conv_backward``.)
    """
    x, W, _, stride, padding, out_hw = _conv_arguments(x, W, None, stride, padding)
    grad_out = _check_grad_out(grad_out, (len(x), len(W), *out_hw))
    kh, kw = W.shape[2:]
    return _conv_backward(grad_out, _patches(x, kh, kw, stride, padding), x.shape, W, stride, padding)


# -- pooling ----------------------------------------------------------------------------------


def _pool_arguments(x, size, stride):
    x = _check_images(x)
    size = as_count(size, "size")
    stride = size if stride is None else as_count(stride, "stride")
    out_hw = _output_hw("the pooling", x.shape, (size, size), stride, 0)
    return x, size, stride, out_hw


def max_pool_forward_naive(x, size, stride=None):
    """Max pooling by a plain loop over the window's positions: the largest value of each
    size x size window, for every image and channel at once.

    x: (N, C, H, W); stride: the step between windows (None: ``size``, windows side by side).
    Each channel is pooled on its own. Returns (N, C, out_h, out_w).
    """
    x, size, stride, (out_h, out_w) = _pool_arguments(x, size, stride)
    out = np.zeros((*x.shape[:2], out_h, out_w), x.dtype)
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride, j * stride
            out[:, :, i, j] = x[:, :, top:top + size, left:left + size].max(axis=(2, 3))
    return out


def max_pool_backward_naive(grad_out, x, size, stride=None):
    """dL/dx of max pooling by a plain loop over the window's positions: each window's
    gradient goes to its maximum only.

    Ties: to the first maximum in row-major order within the window (what ``np.argmax``
    returns), the other pixels get nothing. Overlapping windows (stride < size) that share
    a winner add their gradients there.
    """
    x, size, stride, (out_h, out_w) = _pool_arguments(x, size, stride)
    grad_out = _check_grad_out(grad_out, (*x.shape[:2], out_h, out_w))
    dx = np.zeros(x.shape, np.result_type(grad_out, x))
    images, channels = np.indices(x.shape[:2])
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride, j * stride
            window = x[:, :, top:top + size, left:left + size].reshape(*x.shape[:2], -1)
            u, v = np.divmod(np.argmax(window, axis=2), size)   # each window's first maximum
            np.add.at(dx, (images, channels, top + u, left + v), grad_out[:, :, i, j])
    return dx


def avg_pool_forward_naive(x, size, stride=None):
    """Average pooling by a plain loop over the window's positions: the mean of each
    size x size window (N, C, out_h, out_w)."""
    x, size, stride, (out_h, out_w) = _pool_arguments(x, size, stride)
    out = np.zeros((*x.shape[:2], out_h, out_w), x.dtype)
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride, j * stride
            out[:, :, i, j] = x[:, :, top:top + size, left:left + size].mean(axis=(2, 3))
    return out


def avg_pool_backward_naive(grad_out, x, size, stride=None):
    """dL/dx of average pooling by a plain loop over the window's positions: each window's
    gradient, shared equally (1 / size^2 each) among its pixels; overlapping windows add up."""
    x, size, stride, (out_h, out_w) = _pool_arguments(x, size, stride)
    grad_out = _check_grad_out(grad_out, (*x.shape[:2], out_h, out_w))
    dx = np.zeros(x.shape, np.result_type(grad_out, x))
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride, j * stride
            dx[:, :, top:top + size, left:left + size] += grad_out[:, :, i, j, None, None] / size ** 2
    return dx


def _window_stack(x, size, stride):
    """Every window of x as a stack (size^2, N, C, out_h, out_w): entry u * size + v holds
    the pixel at offset (u, v) of every window (a copy; reductions over its first axis are
    elementwise operations on whole arrays, fast where a reduction over a short last axis is not)."""
    windows = _windows(x, size, size, stride)                 # (N, C, out_h, out_w, size, size)
    return windows.transpose(4, 5, 0, 1, 2, 3).reshape(size * size, *windows.shape[:4])


def _max_pool(x, size, stride):
    """(output, winners): each window's maximum, and a mask (size^2, N, C, out_h, out_w) that
    is True at one place per window: its first maximum in row-major order."""
    stack = _window_stack(x, size, stride)
    out = stack.max(axis=0)
    winners = stack == out                 # every maximum of each window ...
    taken = winners[0].copy()
    for later in winners[1:]:              # ... keeping only the first one
        later &= ~taken
        taken |= later
    return out, winners


def _max_pool_backward(grad_out, winners, x_shape, size, stride):
    """Each window's gradient to its winner, 0 to the other pixels (``winners`` from ``_max_pool``)."""
    n, c, out_h, out_w = grad_out.shape
    if stride < size:                      # overlapping windows: a pixel may win several
        routed = winners * grad_out
        return _add_windows(routed.reshape(size, size, n, c, out_h, out_w), x_shape, stride)
    dx = np.zeros(x_shape, grad_out.dtype)  # separate windows: one product per offset, no sums
    for u in range(size):
        for v in range(size):
            np.multiply(winners[u * size + v], grad_out,
                        out=dx[:, :, u:u + stride * out_h:stride, v:v + stride * out_w:stride])
    return dx


def _avg_pool_backward(grad_out, x_shape, size, stride):
    """Each window's gradient shared equally, 1 / size^2 to each of its pixels."""
    share = grad_out / (size * size)
    return _add_windows(np.broadcast_to(share, (size, size, *share.shape)), x_shape, stride)


def max_pool_forward(x, size, stride=None):
    """Max pooling on every window at once (a strided view, no loop over the images).

    Same arguments and result as ``max_pool_forward_naive``.
    """
    x, size, stride, _ = _pool_arguments(x, size, stride)
    return _max_pool(x, size, stride)[0]


def max_pool_backward(grad_out, x, size, stride=None):
    """dL/dx of max pooling, vectorised: each window's gradient to its first maximum
    (row-major, as ``np.argmax``). Same arguments and result as ``max_pool_backward_naive``."""
    x, size, stride, out_hw = _pool_arguments(x, size, stride)
    grad_out = _check_grad_out(grad_out, (*x.shape[:2], *out_hw))
    winners = _max_pool(x, size, stride)[1]
    return _max_pool_backward(grad_out.astype(np.result_type(grad_out, x), copy=False),
                              winners, x.shape, size, stride)


def avg_pool_forward(x, size, stride=None):
    """Average pooling on every window at once. Same as ``avg_pool_forward_naive``."""
    x, size, stride, _ = _pool_arguments(x, size, stride)
    return _window_stack(x, size, stride).mean(axis=0)


def avg_pool_backward(grad_out, x, size, stride=None):
    """dL/dx of average pooling, vectorised. Same as ``avg_pool_backward_naive``."""
    x, size, stride, out_hw = _pool_arguments(x, size, stride)
    grad_out = _check_grad_out(grad_out, (*x.shape[:2], *out_hw))
    return _avg_pool_backward(grad_out.astype(np.result_type(grad_out, x), copy=False),
                              x.shape, size, stride)


# -- layers -----------------------------------------------------------------------------------


def _output_sizes(who, input_shape, kernel, stride, padding):
    """(out_h, out_w) for one example's (C, H, W); None for an unknown size stays None."""
    sizes = []
    for n, k in zip(input_shape[1:], kernel):
        if n is not None and k > n + 2 * padding:
            min_h, min_w = (max(size - 2 * padding, 1) for size in kernel)
            channels = "?" if input_shape[0] is None else input_shape[0]
            raise ValueError(f"{who} expects examples of shape ({channels}, H, W) with H >= {min_h} "
                             f"and W >= {min_w} (a {kernel[0]} x {kernel[1]} window must fit in the "
                             f"input padded by {padding}); got {tuple(input_shape)}")
        sizes.append(None if n is None else (n + 2 * padding - k) // stride + 1)
    return tuple(sizes)


class Conv2D(Layer):
    r"""Convolution layer: F filters slid over C-channel images (cross-correlation, zero padding).

    x: (N, C, H, W) -> y: (N, F, out_h, out_w), out = output_size(H, kh, padding, stride);
    W: (F, C, kh, kw), b: (F,). kernel_size: k or (kh, kw).
    init: "he" (default, for ReLU), "glorot" or "normal", with fan_in = C kh kw and
    fan_out = F kh kw (each output pixel sees C kh kw inputs); b = 0.
    seed: None, an int or a numpy Generator; dtype: float64 (default) or float32.
    Computes with im2col (``conv2d_forward``); ``conv2d_forward_naive`` is the same in loops.
    """

    _patches = None   # the last forward's patches (None: no forward yet)
    _x_shape = None   # the last forward's input shape
    _out_shape = None

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, *,
                 init="he", seed=None, dtype=np.float64):
        super().__init__()
        self.in_channels = as_count(in_channels, "in_channels")
        self.out_channels = as_count(out_channels, "out_channels")
        self.kernel_size = _kernel_pair(kernel_size)
        self.stride = as_count(stride, "stride")
        self.padding = as_count(padding, "padding", minimum=0)
        if init not in INITIALISATIONS:
            raise ValueError(f"init must be one of {sorted(INITIALISATIONS)}; got {init!r}")
        self.init = init
        self.input_shape = (self.in_channels, None, None)
        self.dtype = as_dtype(dtype)
        kh, kw = self.kernel_size
        scale = INITIALISATIONS[init](self.in_channels * kh * kw, self.out_channels * kh * kw)
        shape = (self.out_channels, self.in_channels, kh, kw)
        self.params["W"] = as_rng(seed).normal(0.0, scale, size=shape).astype(self.dtype)
        self.params["b"] = np.zeros(self.out_channels, self.dtype)
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}

    def forward(self, x):
        x = self._input(x)
        out_hw = _output_hw(self, x.shape, self.kernel_size, self.stride, self.padding)
        out, self._patches = _conv_forward(x, self.params["W"], self.params["b"], self.stride,
                                           self.padding)
        self._x_shape, self._out_shape = x.shape, (len(x), self.out_channels, *out_hw)
        return out

    def backward(self, grad_out):
        """grad_out: (N, F, out_h, out_w) -> dL/dx: (N, C, H, W); fills grads["W"], grads["b"]."""
        grad_out = self._upstream(grad_out, self._out_shape)
        dx, dW, db = _conv_backward(grad_out, self._patches, self._x_shape, self.params["W"],
                                    self.stride, self.padding, self.input_grad)
        self.grads["W"][...] = dW
        self.grads["b"][...] = db
        return dx

    def output_shape(self, input_shape):
        input_shape = super().output_shape(input_shape)
        return (self.out_channels,
                *_output_sizes(repr(self), input_shape, self.kernel_size, self.stride, self.padding))

    def __repr__(self):
        kh, kw = self.kernel_size
        kernel = kh if kh == kw else (kh, kw)
        extra = "".join(f", {name}={value}" for name, value, default in
                        (("stride", self.stride, 1), ("padding", self.padding, 0)) if value != default)
        return f"Conv2D({self.in_channels}, {self.out_channels}, {kernel}{extra})"


class _Pool2D(Layer):
    """What max and average pooling share: size, stride, shapes. No parameters; the output
    keeps the input's dtype."""

    _x_shape = None
    _out_shape = None

    def __init__(self, size, stride=None):
        super().__init__()
        self.size = as_count(size, "size")
        self.stride = self.size if stride is None else as_count(stride, "stride")
        self.input_shape = (None, None, None)   # any channels, any size: (C, H, W)

    def _check(self, x):
        x = self._input(x)
        out_hw = _output_hw(self, x.shape, (self.size, self.size), self.stride, 0)
        self._x_shape, self._out_shape = x.shape, (*x.shape[:2], *out_hw)
        return x

    def output_shape(self, input_shape):
        input_shape = super().output_shape(input_shape)
        return (input_shape[0],
                *_output_sizes(repr(self), input_shape, (self.size, self.size), self.stride, 0))

    def __repr__(self):
        extra = "" if self.stride == self.size else f", stride={self.stride}"
        return f"{type(self).__name__}({self.size}{extra})"


class MaxPool2D(_Pool2D):
    """Max pooling: the largest value of each size x size window, channel by channel.

    x: (N, C, H, W) -> (N, C, out_h, out_w); stride: None (= size: windows side by side).
    The gradient goes to each window's maximum only; ties to the first in row-major order.
    """

    _winners = None

    def forward(self, x):
        x = self._check(x)
        out, self._winners = _max_pool(x, self.size, self.stride)
        return out

    def backward(self, grad_out):
        grad_out = self._upstream(grad_out, self._out_shape)
        return _max_pool_backward(grad_out, self._winners, self._x_shape, self.size, self.stride)


class AvgPool2D(_Pool2D):
    """Average pooling: the mean of each size x size window, channel by channel.

    x: (N, C, H, W) -> (N, C, out_h, out_w); the gradient is shared equally by the window.
    """

    def forward(self, x):
        x = self._check(x)
        return _window_stack(x, self.size, self.stride).mean(axis=0)

    def backward(self, grad_out):
        grad_out = self._upstream(grad_out, self._out_shape)
        return _avg_pool_backward(grad_out, self._x_shape, self.size, self.stride)


class Flatten(Layer):
    """Each example as one vector: (N, C, H, W) -> (N, C * H * W) (any (N, ...) -> (N, D)),
    in row-major order: channel by channel, each channel row by row."""

    _x_shape = None

    def forward(self, x):
        x = self._input(x)
        self._x_shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, grad_out):
        grad_out = self._upstream(
            grad_out, None if self._x_shape is None else (self._x_shape[0], math.prod(self._x_shape[1:])))
        return grad_out.reshape(self._x_shape)

    def output_shape(self, input_shape):
        input_shape = super().output_shape(input_shape)
        return (None if None in input_shape else int(np.prod(input_shape)),)


# -- counting parameters ----------------------------------------------------------------------


def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    """The parameters of a convolution: C * F * kh * kw weights (+ F biases).

    Independent of the image size: the same filters slide over every position.
    """
    kh, kw = _kernel_pair(kernel_size)
    c, f = as_count(in_channels, "in_channels"), as_count(out_channels, "out_channels")
    return c * f * kh * kw + (f if bias else 0)


def _check_bias(bias):
    if not isinstance(bias, (bool, np.bool_)):
        raise ValueError(f"bias must be True or False; got {bias!r}")


@dataclass(frozen=True)
class ConvSpec:
    """A convolution from in_channels to out_channels with a kernel_size (k or (kh, kw))
    window: C F kh kw weights, plus F biases when bias (False when a batch norm follows)."""

    in_channels: int
    out_channels: int
    kernel_size: object
    bias: bool = True

    def __post_init__(self):
        _check_bias(self.bias)
        conv_param_count(self.in_channels, self.out_channels, self.kernel_size, self.bias)

    @property
    def n_params(self):
        return conv_param_count(self.in_channels, self.out_channels, self.kernel_size, self.bias)


@dataclass(frozen=True)
class DenseSpec:
    """A fully connected layer: n_in n_out weights, plus n_out biases when bias."""

    n_in: int
    n_out: int
    bias: bool = True

    def __post_init__(self):
        _check_bias(self.bias)
        as_count(self.n_in, "n_in"), as_count(self.n_out, "n_out")

    @property
    def n_params(self):
        return self.n_in * self.n_out + (self.n_out if self.bias else 0)


@dataclass(frozen=True)
class BatchNormSpec:
    """Batch normalisation over ``channels``: a scale and a shift per channel (2 C).

    The running mean and variance it keeps for inference are statistics, not parameters
    (PyTorch calls them buffers): not counted."""

    channels: int

    def __post_init__(self):
        as_count(self.channels, "channels")

    @property
    def n_params(self):
        return 2 * self.channels


@dataclass(frozen=True)
class SubsamplingSpec:
    """LeNet-5's (1998) subsampling over ``channels``: each map's 2x2 sums times a trainable
    coefficient plus a trainable bias, 2 per map (today's pooling has none)."""

    channels: int

    def __post_init__(self):
        as_count(self.channels, "channels")

    @property
    def n_params(self):
        return 2 * self.channels


#: The layer specifications ``param_count`` knows.
SPECS = (ConvSpec, DenseSpec, BatchNormSpec, SubsamplingSpec)


def param_count(specs):
    """The number of parameters of a network given as a list of layer specifications.

    specs: ConvSpec, DenseSpec, BatchNormSpec and SubsamplingSpec objects (layers without
    parameters, such as ReLU and pooling, need not be listed). Nothing is allocated, so it
    counts networks far too large to build here, e.g.

        param_count([ConvSpec(1, 6, 5), ConvSpec(6, 16, 5), DenseSpec(400, 120)])
    """
    total = 0
    for index, spec in enumerate(specs):
        if not isinstance(spec, SPECS):
            raise ValueError(f"spec {index} must be one of {', '.join(s.__name__ for s in SPECS)} "
                             f"(e.g. ConvSpec(3, 64, 3)); got {spec!r}")
        total += spec.n_params
    return total


@dataclass(frozen=True)
class Architecture:
    """A published network as layer specifications: name, variant (which version the count
    is for, and where it comes from) and layers (the specs)."""

    name: str
    variant: str
    layers: tuple

    @property
    def n_params(self):
        return param_count(self.layers)


def _lenet5():
    return (ConvSpec(1, 6, 5), ConvSpec(6, 16, 5), ConvSpec(16, 120, 5),
            DenseSpec(120, 84), DenseSpec(84, 10))


def _lenet5_1998():
    # C3's partial connections (LeCun et al. 1998, Table I): maps 0-5 see 3 of S2's maps,
    # 6-14 see 4, map 15 sees all 6: three groups of full convolutions.
    c3 = (ConvSpec(3, 6, 5), ConvSpec(4, 9, 5), ConvSpec(6, 1, 5))
    return (ConvSpec(1, 6, 5), SubsamplingSpec(6), *c3, SubsamplingSpec(16),
            ConvSpec(16, 120, 5), DenseSpec(120, 84))


def _alexnet():
    return (ConvSpec(3, 64, 11), ConvSpec(64, 192, 5), ConvSpec(192, 384, 3),
            ConvSpec(384, 256, 3), ConvSpec(256, 256, 3),
            DenseSpec(256 * 6 * 6, 4096), DenseSpec(4096, 4096), DenseSpec(4096, 1000))


def _vgg16():
    widths = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]
    convs = tuple(ConvSpec(c, f, 3) for c, f in zip([3] + widths, widths))
    return (*convs, DenseSpec(512 * 7 * 7, 4096), DenseSpec(4096, 4096), DenseSpec(4096, 1000))


def _conv_bn(c, f, k):
    """torchvision's BasicConv2d / ResNet convolution: a convolution without bias, then batch norm."""
    return (ConvSpec(c, f, k, bias=False), BatchNormSpec(f))


def _inception(c, ones, reduce3, threes, reduce5, fives, pool):
    # torchvision's branch "5x5" uses a 3x3 kernel (kept for its pretrained weights)
    return (*_conv_bn(c, ones, 1),
            *_conv_bn(c, reduce3, 1), *_conv_bn(reduce3, threes, 3),
            *_conv_bn(c, reduce5, 1), *_conv_bn(reduce5, fives, 3),
            *_conv_bn(c, pool, 1))


def _googlenet(aux=False):
    blocks = [(192, 64, 96, 128, 16, 32, 32), (256, 128, 128, 192, 32, 96, 64),
              (480, 192, 96, 208, 16, 48, 64), (512, 160, 112, 224, 24, 64, 64),
              (512, 128, 128, 256, 24, 64, 64), (512, 112, 144, 288, 32, 64, 64),
              (528, 256, 160, 320, 32, 128, 128), (832, 256, 160, 320, 32, 128, 128),
              (832, 384, 192, 384, 48, 128, 128)]
    layers = [*_conv_bn(3, 64, 7), *_conv_bn(64, 64, 1), *_conv_bn(64, 192, 3)]
    for block in blocks:
        layers += _inception(*block)
    layers.append(DenseSpec(1024, 1000))
    if aux:   # after inception 4a (512 channels) and 4d (528)
        for c in (512, 528):
            layers += [*_conv_bn(c, 128, 1), DenseSpec(2048, 1024), DenseSpec(1024, 1000)]
    return tuple(layers)


def _resnet(blocks, bottleneck):
    layers = [*_conv_bn(3, 64, 7)]
    c = 64
    for stage, count in enumerate(blocks):
        width = 64 * 2 ** stage
        out = width * 4 if bottleneck else width
        for block in range(count):
            if bottleneck:
                layers += [*_conv_bn(c, width, 1), *_conv_bn(width, width, 3), *_conv_bn(width, out, 1)]
            else:
                layers += [*_conv_bn(c, width, 3), *_conv_bn(width, width, 3)]
            if c != out or (block == 0 and stage > 0):   # the shortcut's 1x1 projection
                layers += _conv_bn(c, out, 1)
            c = out
    layers.append(DenseSpec(c, 1000))
    return tuple(layers)


#: The classic architectures, each as the variant whose published parameter count it
#: reproduces (the tests check every count). Batch norm: scale and shift counted, running
#: statistics not (as ``sum(p.numel() for p in model.parameters())`` in PyTorch).
ARCHITECTURES = {arch.name: arch for arch in (
    Architecture("LeNet-5", "the common modern reading of LeCun et al. (1998): full "
                 "connections in C3, C5 a 5x5 convolution to 120 maps, pooling without "
                 "parameters, a dense 10-way output instead of the RBF layer: 61,706",
                 _lenet5()),
    Architecture("LeNet-5 (1998)", "LeCun et al. (1998) as published: trainable subsampling "
                 "(2 per map), C3's partial connection table (1,516), F6 of 84; the RBF output "
                 "layer's 840 weights were chosen by hand and are not counted: 60,000",
                 _lenet5_1998()),
    Architecture("AlexNet", "torchvision's alexnet (one-GPU form, 64-192-384-256-256 filters, "
                 "after Krizhevsky's 'one weird trick'), 1000 classes: 61,100,840",
                 _alexnet()),
    Architecture("VGG16", "torchvision's vgg16 (Simonyan & Zisserman configuration D, no "
                 "batch norm), 1000 classes: 138,357,544", _vgg16()),
    Architecture("GoogLeNet", "torchvision's googlenet without the two auxiliary classifiers "
                 "(as used for inference), batch norm after every convolution, its '5x5' branch "
                 "with 3x3 kernels: 6,624,904", _googlenet()),
    Architecture("GoogLeNet (with auxiliary classifiers)", "torchvision's googlenet with "
                 "aux_logits=True, as trained: 13,004,888", _googlenet(aux=True)),
    Architecture("ResNet-18", "torchvision's resnet18 (He et al. 2016, basic blocks "
                 "[2, 2, 2, 2]), batch norm's scale and shift counted: 11,689,512",
                 _resnet([2, 2, 2, 2], bottleneck=False)),
    Architecture("ResNet-50", "torchvision's resnet50 (bottleneck blocks [3, 4, 6, 3], stride "
                 "on the 3x3 convolution, v1.5), batch norm's scale and shift counted: 25,557,032",
                 _resnet([3, 4, 6, 3], bottleneck=True)),
)}
