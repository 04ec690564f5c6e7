"""Chapter 8: the exercise checkers and their tables of (wrong answer, diagnosis)."""

import numpy as np
from scipy.signal import convolve2d, correlate2d

from nnbook import conv
from nnbook.checks import Failure, as_number, as_numbers_or_none, call, checker, diagnose, require_callable, short

# --- An output shape ------------------------------------------------------------------------------

#: The output-shape exercise's cases: (x_shape (N, C, H, W), filters F, kernel k, padding p, stride s).
#: Non-square images catch swapped sizes; several paddings and strides tell the mistakes apart.
SHAPE_CASES = [
    ((8, 3, 32, 32), 16, 3, 1, 1),
    ((8, 3, 32, 32), 16, 5, 2, 2),
    ((4, 1, 28, 20), 6, 5, 0, 1),
    ((2, 16, 9, 12), 32, 3, 0, 2),
    ((1, 3, 224, 224), 64, 7, 3, 2),
    ((5, 2, 10, 7), 4, 4, 1, 3),
]


def right_shape(x_shape, filters, kernel, padding, stride):
    n, _, h, w = x_shape
    return (n, filters, conv.output_size(h, kernel, padding, stride), conv.output_size(w, kernel, padding, stride))


def _shape_with(size):
    """The shape a mistaken size formula ``size(n, k, p, s)`` gives (batch and filters right)."""
    return lambda x_shape, f, k, p, s: (x_shape[0], f, size(x_shape[2], k, p, s), size(x_shape[3], k, p, s))


#: Shapes a learner might compute instead, each with what went wrong.
SHAPE_MISTAKES = [
    (_shape_with(lambda n, k, p, s: (n - k) // s + 1),
     "you left the padding out: it adds p rows (and columns) on each side, so n + 2p."),
    (_shape_with(lambda n, k, p, s: (n + p - k) // s + 1),
     "the padding goes on both sides: n + 2p, not n + p."),
    (_shape_with(lambda n, k, p, s: (n + 2 * p - k) // s),
     "off by one: count the first window too, (n + 2p − k) // s + 1."),
    (_shape_with(lambda n, k, p, s: -(-(n + 2 * p - k) // s) + 1),
     "that rounds up: a last window that would stick out of the padded input is not taken (floor, //)."),
    (_shape_with(lambda n, k, p, s: n + 2 * p - k + 1),
     "you left the stride out: the window moves s pixels at a time, so divide by s."),
    (_shape_with(lambda n, k, p, s: (n + 2 * p - k + 1) // s),
     "add 1 after dividing by the stride: (n + 2p − k) // s + 1."),
    (lambda x_shape, f, k, p, s: (x_shape[0], x_shape[1], *right_shape(x_shape, f, k, p, s)[2:]),
     "the output has one channel per filter (F), not the input's C channels."),
    (lambda x_shape, f, k, p, s: (x_shape[0], f, *right_shape(x_shape, f, k, p, s)[2:][::-1]),
     "height and width are swapped: H_out comes from H, W_out from W."),
]


@checker("check_output_shape")
def check_output_shape(fn):
    """Check ``fn(x_shape, filters, kernel, padding, stride)`` -> the output shape of a
    convolution layer with ``filters`` filters of kernel x kernel on images of ``x_shape``."""
    require_callable(fn, "output shape function")
    answers = []
    for x_shape, f, k, p, s in SHAPE_CASES:
        describe = f"x_shape={x_shape}, filters={f}, kernel={k}, padding={p}, stride={s}"
        value = call(fn, x_shape, f, k, p, s, describe=describe)
        got = as_numbers_or_none(value)
        if got is None or got.shape != (4,):
            raise Failure(f"for {describe} expected four numbers (N, F, H_out, W_out); got {value!r}.")
        answers.append(tuple(got))
    wanted = [right_shape(*case) for case in SHAPE_CASES]
    wrong = [k for k, (got, want) in enumerate(zip(answers, wanted)) if got != want]
    if not wrong:
        return len(SHAPE_CASES)
    # A known mistake explains the answer when it gives the same shapes for EVERY case.
    why = next((d for mistake, d in SHAPE_MISTAKES if [mistake(*case) for case in SHAPE_CASES] == answers), None)
    x_shape, f, k, p, s = SHAPE_CASES[wrong[0]]
    returned = tuple(int(v) if float(v).is_integer() else float(v) for v in answers[wrong[0]])
    if why is None and any(not float(v).is_integer() for v in returned):
        why = ("a size must be a whole number: when the stride does not divide n + 2p − k, the last "
               "rows no window reaches are dropped, so divide with // (floor), not /.")
    raise Failure(f"for x_shape={x_shape}, filters={f}, kernel={k}, padding={p}, stride={s} you returned "
                  f"{returned}; expected {wanted[wrong[0]]}.",
                  hint=why or "H_out = (H + 2p − k) // s + 1, and the same for W.")


# --- A convolution layer's parameters --------------------------------------------------------------

#: The parameter-count exercise: Conv2D(64, 128, 3), i.e. C = 64, F = 128, k = 3.
PARAMS_LAYER = {"in_channels": 64, "out_channels": 128, "kernel_size": 3}


def _param_mistakes():
    c, f, k = PARAMS_LAYER["in_channels"], PARAMS_LAYER["out_channels"], PARAMS_LAYER["kernel_size"]
    return [
        (c * f * k * k, "you left the biases out: one per filter, F more."),
        (c * f * k * k + c, "one bias per filter (output channel), not per input channel: + F, not + C."),
        (c * f * k + f, "a 3x3 kernel has k² = 9 weights per channel, not k = 3."),
        (f * k * k + f, "each filter spans ALL input channels: C k² weights per filter, not k²."),
        (c * k * k + c, "there are F filters, one per output channel, each with C k² weights."),
        ((c * k * k + 1) * f * 2, "count each filter once: (C k² + 1) F."),
        (c * f + f, "the kernel is 3x3: each filter has C k² weights, not C."),
        ((c + f) * k * k + f, "weights multiply: each of the F filters holds C x k x k of them."),
    ]


@checker("check_conv_params")
def check_conv_params(count):
    """Check ``count``: the number of parameters of ``Conv2D(64, 128, 3)``."""
    got = as_number(count)
    if got is None:
        raise Failure(f"expected one number (a count of parameters), got {count!r}.")
    c, f, k = PARAMS_LAYER["in_channels"], PARAMS_LAYER["out_channels"], PARAMS_LAYER["kernel_size"]
    want = conv.conv_param_count(c, f, k)
    if got == want:
        return 1
    why = diagnose(got, _param_mistakes(), rtol=0, atol=0.5)
    if why is None and got > want and got % want == 0:
        why = ("the count does not depend on the image size: the same filters slide over every position.")
    raise Failure(f"{got:,.0f} is not the number of parameters of Conv2D(64, 128, 3).",
                  hint=why or "F filters of C x k x k weights each, plus one bias per filter.")


# --- One convolution's backward by hand ------------------------------------------------------------

#: The backward exercise: a 3x3 input, a 2x2 kernel, stride 1, no padding; the upstream
#: gradient delta = dL/dy has the output's shape, 2x2.
BACKWARD_CASE = {
    "x": np.array([[1, 2, 0], [3, 1, 1], [0, 2, 4]], dtype=np.float64),
    "W": np.array([[1, -1], [2, 0]], dtype=np.float64),
    "delta": np.array([[1, 2], [-1, 1]], dtype=np.float64),
}


def backward_answer(case=BACKWARD_CASE):
    """(dW, dx) from the library's loops (``conv.conv2d_backward_naive``)."""
    dx, dW, _ = conv.conv2d_backward_naive(case["delta"][None, None], case["x"][None, None], case["W"][None, None])
    return dW[0, 0], dx[0, 0]


def _backward_mistakes(case=BACKWARD_CASE):
    x, W, g = case["x"], case["W"], case["delta"]
    dW, dx = backward_answer(case)
    return {
        "dW": [(convolve2d(x, g, mode="valid"), "that is a convolution (δ flipped). dW[u, v] = "
                "Σ δ[i, j] x[i + u, j + v]: slide δ over x WITHOUT flipping it (cross-correlation)."),
               (dW.T, "rows and columns are swapped: dW[u, v] pairs δ with x shifted u rows down, v columns right."),
               (correlate2d(x, W, mode="valid"), "that is the forward output y. dW correlates x with the upstream "
                "gradient δ, not with W.")],
        "dx": [(correlate2d(np.pad(g, 1), W, mode="valid"), "the kernel must be turned 180° for dx: each output "
                "pushes δ·W back onto its window, which is a full convolution of δ with W (a cross-correlation "
                "with the FLIPPED W)."),
               (dx.T, "rows and columns are swapped: window (i, j) covers x[i:i+2, j:j+2].")],
    }


@checker("check_conv_backward")
def check_conv_backward(dW, dx):
    """Check ``dW`` (2x2) and ``dx`` (3x3), the gradients of L = sum(delta * y) for the
    forward pass y = x cross-correlated with W (``BACKWARD_CASE``, stride 1, no padding)."""
    want_dW, want_dx = backward_answer()
    mistakes = _backward_mistakes()
    for name, value, want in (("dW", dW, want_dW), ("dx", dx, want_dx)):
        got = as_numbers_or_none(value)
        if value is ... or got is None or got.shape != want.shape:
            shape = "x" if name == "dx" else "W"
            raise Failure(f"{name} must have {shape}'s shape {want.shape}, e.g. np.array(...) of "
                          f"{want.shape[0]} rows; got {value!r}.")
        if np.allclose(got, want):
            continue
        why = diagnose(got, mistakes[name])
        raise Failure(f"{name} = {short(np.round(got, 6) + 0.0)} is not right.",
                      hint=why or (f"{name} collects, for every output (i, j), δ[i, j] times what that output "
                                   "multiplied: the window x[i:i+2, j:j+2] for dW, the weights W for dx."))
    return 2


# --- A kernel that finds vertical edges -------------------------------------------------------------


def _edge_images(size=8):
    """Test images: a vertical edge, a horizontal edge, a flat grey, and noise-free stripes."""
    vertical = np.zeros((size, size))
    vertical[:, size // 2:] = 1.0
    return {"vertical edge": vertical, "horizontal edge": vertical.T.copy(), "flat": np.full((size, size), 0.7)}


def responses(kernel):
    """The largest |output| of ``kernel`` (no padding) on each test image: {image: value}."""
    kernel = np.asarray(kernel, dtype=np.float64)
    return {name: float(np.abs(correlate2d(image, kernel, mode="valid")).max())
            for name, image in _edge_images().items()}


@checker("check_vertical_edge_kernel")
def check_vertical_edge_kernel(kernel):
    """Check a 3x3 ``kernel`` that responds to vertical edges (left and right differ) and gives
    0 on flat areas and on horizontal edges."""
    got = as_numbers_or_none(kernel)
    if kernel is ... or got is None or got.shape != (3, 3):
        raise Failure(f"expected a 3x3 array of numbers, e.g. np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]]); "
                      f"got {kernel!r}.")
    found = responses(got)
    scale = float(np.abs(got).max())
    if scale == 0:
        raise Failure("an all-zero kernel finds nothing: every output is 0.")
    tol = 1e-9 * scale
    if found["flat"] > tol:
        raise Failure(f"on a flat grey image (every pixel 0.7) your kernel gives {found['flat']:.3g}, not 0.",
                      hint=f"its weights add up to {got.sum():g}; an edge detector's must add up to 0, so "
                           "that only a CHANGE of brightness gives an output.")
    if found["horizontal edge"] > tol and found["vertical edge"] <= tol:
        raise Failure("your kernel finds horizontal edges (top and bottom differ), not vertical ones.",
                      hint="turn it a quarter: compare the left column with the right one (its transpose).")
    if found["horizontal edge"] > tol:
        raise Failure(f"your kernel also answers a horizontal edge ({found['horizontal edge']:.3g}).",
                      hint="make every ROW add up to 0, so top and bottom do not matter; only left and "
                           "right should differ.")
    if found["vertical edge"] <= tol:
        raise Failure("your kernel gives 0 on a vertical edge too.",
                      hint="give the left column and the right column different weights, e.g. +1 on the "
                           "left and −1 on the right.")
    return 3
