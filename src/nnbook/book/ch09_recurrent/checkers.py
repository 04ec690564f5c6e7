"""Chapter 9's exercise checkers, each with its table of (typical wrong answer, diagnosis)."""

import numpy as np

from nnbook import rnn
from nnbook.checks import Failure, as_number, as_numbers_or_none, call, checker, diagnose, require_callable, short

# --- One RNN step by hand ------------------------------------------------------------------------

#: The RNN-step exercise's cases: (x, h_prev, W_xh, W_hh, b); the second is a batch of two rows.
RNN_STEP_CASES = [
    (np.array([1.0, 0.0, 0.0]), np.array([0.5, -0.5]),
     np.array([[0.2, -0.4], [0.1, 0.3], [-0.5, 0.6]]), np.array([[0.7, -0.2], [0.4, 0.9]]), np.array([0.1, -0.1])),
    (np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), np.array([[0.1, 0.2], [-0.3, 0.8]]),
     np.array([[0.2, -0.4], [0.1, 0.3], [-0.5, 0.6]]), np.array([[0.7, -0.2], [0.4, 0.9]]), np.array([0.1, -0.1])),
]


def rnn_step(x, h, W_xh, W_hh, b):
    """The reference: h_t = tanh(x_t W_xh + h_{t-1} W_hh + b), rows as in the book."""
    return np.tanh(x @ W_xh + h @ W_hh + b)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


#: Steps a learner might have written instead, each with what went wrong.
_RNN_STEP_MISTAKES = [
    (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh),
     "you left out the bias b: h_t = tanh(x_t W_xh + h_{t-1} W_hh + b)."),
    (lambda x, h, Wx, Wh, b: x @ Wx + h @ Wh + b,
     "you forgot the tanh: without it the state is a linear function of the inputs and can grow without bound."),
    (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + b),
     "your step ignores h_{t-1}: without h_{t-1} W_hh the layer has no memory (a feed-forward layer)."),
    (lambda x, h, Wx, Wh, b: _sigmoid(x @ Wx + h @ Wh + b),
     "that is a sigmoid: the vanilla RNN's state uses tanh, between −1 and 1."),
    (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh.T + b),
     "you multiplied by W_hh transposed: with rows, h_{t-1} W_hh (shape (H,) times (H, H))."),
    (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h + b),
     "you added h_{t-1} itself: it is first multiplied by the recurrent weights, h_{t-1} W_hh."),
]


@checker("check_rnn_step")
def check_rnn_step(fn):
    """Check ``fn(x, h_prev, W_xh, W_hh, b)`` -> h_t: one step of the vanilla RNN."""
    require_callable(fn, "RNN step")
    for x, h, W_xh, W_hh, b in RNN_STEP_CASES:
        describe = f"x={short(x)}, h_prev={short(h)}"
        value = call(fn, x.copy(), h.copy(), W_xh.copy(), W_hh.copy(), b.copy(), describe=describe)
        got = as_numbers_or_none(value)
        want = rnn_step(x, h, W_xh, W_hh, b)
        if got is None or got.shape != want.shape:
            raise Failure(f"for {describe} expected an array of shape {want.shape} (one state of H = 2 numbers "
                          f"per row of x); got {short(value) if got is None else f'shape {got.shape}'}.")
        if np.allclose(got, want):
            continue
        why = diagnose(got, [(mistake(x, h, W_xh, W_hh, b), diagnosis) for mistake, diagnosis in _RNN_STEP_MISTAKES])
        if why:
            raise Failure(f"for {describe} you returned {short(np.round(got, 4))}.", hint=why)
        raise Failure(f"for {describe} expected {short(np.round(want, 4))}, got {short(np.round(got, 4))}.",
                      hint="h_t = np.tanh(x @ W_xh + h_prev @ W_hh + b).")
    return len(RNN_STEP_CASES)


# --- An RNN layer's parameter count --------------------------------------------------------------

#: The counting exercise: a vocabulary of 65 characters, 100 hidden units, sequences of 25 steps.
COUNT_SIZES = {"D": 65, "H": 100, "T": 25}


def param_counts(D, H):
    """(RNN, LSTM) parameter counts of a layer with D inputs and H units, from the library."""
    return rnn.RNN(D, H, seed=0).n_params, rnn.LSTM(D, H, seed=0).n_params


@checker("check_param_counts")
def check_param_counts(rnn_count, lstm_count):
    """Check the parameter counts of an RNN layer and an LSTM layer with D = 65, H = 100."""
    D, H, T = COUNT_SIZES["D"], COUNT_SIZES["H"], COUNT_SIZES["T"]
    right_rnn, right_lstm = param_counts(D, H)
    got_rnn, got_lstm = as_number(rnn_count), as_number(lstm_count)
    if got_rnn is None or got_lstm is None:
        raise Failure(f"expected two whole numbers, the RNN's count and the LSTM's; got {rnn_count!r} and "
                      f"{lstm_count!r}.")
    rnn_mistakes = {
        D * H + H * H: "you left out the bias: b has H numbers too.",
        D * H + H * D + H: "W_hh maps the state to the state: it is H × H, not H × D.",
        T * right_rnn: "the weights are shared by all T steps: they are counted once, whatever T is.",
        D * H + H * H + H + H * D + D: "that includes the output layer (W_hy and its bias); the question asks "
                                       "for the recurrent layer alone.",
        D * H + H: "you left out W_hh, the H × H recurrent weights that carry the state.",
        D * H + H * H + 2 * H: "one bias vector of H numbers is enough (PyTorch keeps two, b_ih and b_hh, "
                               "which add up to one).",
    }
    if got_rnn != right_rnn:
        hint = rnn_mistakes.get(int(round(got_rnn)), "count W_xh (D × H), W_hh (H × H) and b (H).")
        raise Failure(f"{got_rnn:,.0f} is not the RNN layer's count.", hint=hint)
    lstm_mistakes = {
        right_rnn: "an LSTM has four blocks (the gates i, f, o and the candidate g), each the size of an RNN's "
                   "weights: four times as many.",
        4 * (D * H + H * H): "you left out the biases: each of the four blocks has H of them.",
        3 * right_rnn: "that is three blocks, like a GRU; the LSTM has four: i, f, g and o.",
        4 * right_rnn + H: "the cell state c has no weights of its own; only the four blocks do.",
        4 * T * right_rnn: "the weights are shared by all T steps: count them once.",
        4 * (right_rnn + H): "that is PyTorch's nn.LSTM, which keeps two bias vectors (b_ih and b_hh) per "
                             "block; the book's LSTM, like the equations, has one b of H per block.",
    }
    if got_lstm != right_lstm:
        hint = lstm_mistakes.get(int(round(got_lstm)), "four blocks, each W_x (D × H), W_h (H × H) and b (H).")
        raise Failure(f"{got_lstm:,.0f} is not the LSTM layer's count.", hint=hint)
    return 2


# --- One BPTT step for T = 2 ----------------------------------------------------------------------

#: The BPTT exercise's cases: (x1, x2, h0, w, u, b, y) for one unit, two steps.
BPTT_CASES = [(1.0, -0.5, 0.2, 0.8, 0.5, 0.1, 1.0), (0.3, 1.2, -0.6, -1.1, 0.9, 0.2, -0.5),
              (-1.0, 0.4, 0.7, 0.6, -1.3, -0.3, 0.4)]


def _forward_two(x1, x2, h0, w, u, b):
    h1 = np.tanh(w * x1 + u * h0 + b)
    return h1, np.tanh(w * x2 + u * h1 + b)


def bptt_two_steps(x1, x2, h0, w, u, b, y):
    """The reference: (dL/dw, dL/du, dL/db) for L = (h2 - y)^2 / 2, summed over both steps."""
    h1, h2 = _forward_two(x1, x2, h0, w, u, b)
    g2 = (h2 - y) * (1 - h2 ** 2)          # dL/d(pre-activation at step 2)
    g1 = g2 * u * (1 - h1 ** 2)            # sent back through u, then through step 1's tanh
    return g2 * x2 + g1 * x1, g2 * h1 + g1 * h0, g2 + g1


def _bptt_mistakes(x1, x2, h0, w, u, b, y):
    h1, h2 = _forward_two(x1, x2, h0, w, u, b)
    e = h2 - y
    g2 = e * (1 - h2 ** 2)
    g1 = g2 * u * (1 - h1 ** 2)
    no_slope = g2 * u                        # step 1's tanh' forgotten
    return [
        ((g2 * x2, g2 * h1, g2),
         "you kept only the last step's terms. The same w, u and b acted at step 1 too: add g1 x1, g1 h0 and "
         "g1, with g1 = g2 · u · (1 − h1²). (That is truncated BPTT with k = 1.)"),
        ((g2 * x2 + no_slope * x1, g2 * h1 + no_slope * h0, g2 + no_slope),
         "going back from step 2 to step 1 you forgot step 1's tanh: g1 = g2 · u · (1 − h1²)."),
        ((e * x2 + e * u * x1, e * h1 + e * u * h0, e + e * u),
         "you left out the tanh slopes (1 − h²) at both steps."),
        ((-(g2 * x2 + g1 * x1), -(g2 * h1 + g1 * h0), -(g2 + g1)),
         "the sign is flipped: dL/dh2 = h2 − y, not y − h2."),
        ((g2 * x2 + g1 * x1, g2 * h2 + g1 * h1, g2 + g1),
         "u multiplies the state before each step: its gradient at step t uses h_{t−1} (h1 and h0), not h_t."),
        ((g2 * x2 + g1 * x1, g2 * h1, g2 + g1),
         "u also acted at step 1, on h0: add g1 · h0 to its gradient."),
    ]


@checker("check_bptt_two_steps")
def check_bptt_two_steps(fn):
    """Check ``fn(x1, x2, h0, w, u, b, y)`` -> (dL/dw, dL/du, dL/db) for a one-unit RNN over two
    steps with L = (h2 - y)^2 / 2."""
    require_callable(fn, "BPTT function")
    for case in BPTT_CASES:
        describe = "x1={}, x2={}, h0={}, w={}, u={}, b={}, y={}".format(*case)
        value = call(fn, *case, describe=describe)
        got = as_numbers_or_none(value)
        if got is None or got.shape != (3,):
            raise Failure(f"for {describe} expected three numbers (dL/dw, dL/du, dL/db); got {value!r}.")
        want = np.array(bptt_two_steps(*case))
        if np.allclose(got, want, rtol=1e-6, atol=1e-9):
            continue
        why = diagnose(got, [(np.array(wrong), diagnosis) for wrong, diagnosis in _bptt_mistakes(*case)])
        if why:
            raise Failure(f"for {describe} you returned {short(np.round(got, 5))}.", hint=why)
        raise Failure(f"for {describe} expected {short(np.round(want, 5))}, got {short(np.round(got, 5))}.",
                      hint="g2 = (h2 − y)(1 − h2²), g1 = g2 · u · (1 − h1²); dL/dw = g2 x2 + g1 x1, "
                           "dL/du = g2 h1 + g1 h0, dL/db = g2 + g1.")
    return len(BPTT_CASES)


# --- A clipping threshold from a histogram --------------------------------------------------------

#: A good threshold for the lab's run, in multiples of its median gradient norm: above the bulk
#: of the histogram (most steps untouched), well below its spikes (Pascanu et al. 2013 found half
#: to ten times the average norm to work).
CLIP_RANGE = (1.0, 10.0)


@checker("check_clip_threshold")
def check_clip_threshold(threshold):
    """Check a clipping threshold read from the lab's histogram (``clip_run(None)``, seed 0):
    between the median norm (at most half of the steps clipped) and ten times it (the spikes,
    tens to hundreds of times the median, are cut)."""
    from .clipping import clip_run, clipped_share

    got = as_number(threshold)
    if got is None or not np.isfinite(got) or got <= 0:
        raise Failure(f"expected one positive number, a gradient norm; got {threshold!r}.")
    norms, _ = clip_run(None)
    median, largest = float(np.median(norms)), float(np.max(norms))
    low, high = CLIP_RANGE[0] * median, CLIP_RANGE[1] * median
    share = clipped_share(norms, got)
    if got < low:
        raise Failure(f"a threshold of {got:g} clips {share:.0%} of the steps.",
                      hint=f"most steps are ordinary (the median norm is {median:.2f}); clipping them too "
                           "only shrinks every step, like a smaller learning rate. Go above the bulk of "
                           "the histogram.")
    if got >= largest:
        raise Failure(f"a threshold of {got:g} never clips: the largest norm was {largest:.1f}.",
                      hint="put it below the spikes, just above the bulk of the histogram.")
    if got > high:
        raise Failure(f"a threshold of {got:g} clips only {share:.1%} of the steps; steps with gradients "
                      f"up to {got / median:.0f} times the median norm still get through.",
                      hint="come down to where the bulk of the histogram ends, a few times the median.")
    return 1
