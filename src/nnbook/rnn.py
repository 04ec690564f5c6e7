r"""Recurrent layers: the same weights at every step of a sequence, and backpropagation through time.

Sequences are batch first, as everywhere in the book: ``x`` has shape (N, T, D), N sequences
of T steps with D numbers per step (a one-hot character, a reading of a sensor). A recurrent
layer keeps a hidden state $h_t$ of H numbers per sequence, updates it at every step from the
input and the previous state, and outputs every state: (N, T, D) -> (N, T, H).

    rnn = RNN(6, 16, seed=0)                  # h_t = tanh(x_t W_xh + h_{t-1} W_hh + b)
    head = TimeDense(16, 6, seed=1)           # scores for the next character, at every step
    net = Sequential([rnn, head])             # (N, T, 6) -> (N, T, 6)
    logits = net.forward(x)
    cost = sequence_softmax_cross_entropy(targets, logits)       # targets: (N, T) class ids
    net.backward(sequence_softmax_cross_entropy_gradient(targets, logits))
    clip_by_global_norm(net.flat_grads, 5.0)  # then an optimizer step

- Layers: ``RNN``, ``LSTM``, ``GRU`` (their base ``Recurrent``: states, truncation),
  ``TimeDense`` (one dense layer at every step: many-to-many), ``LastStep`` (the last
  step only: many-to-one, e.g. "given 7 letters, the 8th") and ``Embedding`` (character ids
  (N, T) -> vectors: one-hot codes times a matrix, computed as a row lookup).
- A recurrent layer reads one-hot codes (N, T, D) or, the same model with less work, their
  ids (N, T), an integer array: the one-hot code of id v times $W_{xh}$ is row v of
  $W_{xh}$, so the layer gathers that row instead of multiplying by D numbers of which D - 1
  are zero, and its backward sums each step's gradient into the row it read (no dL/dx:
  ids have no gradient). Tested equal to the one-hot way, gradients included.
- ``rnn_forward_naive`` and ``rnn_backward_naive``: the RNN's equations one step at a time,
  to read; ``RNN`` computes the same (tested equal) the fast way described below.
- The loss at every step: ``sequence_softmax_cross_entropy`` and its ``_gradient``, and
  ``sequence_softmax_cross_entropy_and_gradient`` (both from one softmax, for a training loop).
- Gradient clipping: ``clip_by_global_norm``, ``clip_by_value``, and ``global_norm``.

The initial state $h_0$ is zeros unless ``layer.h0`` holds an (N, H) array; after ``forward``
the last state is ``layer.h_last`` (a copy), so a long text can be read in chunks with the
state carried over (``layer.h0 = layer.h_last``), and after ``backward`` the gradient with
respect to the initial state is ``layer.grad_h0``. The LSTM has a second state, the cell
$c$: ``c0``, ``c_last``, ``grad_c0``. ``state_names`` lists a layer's states (("h",) or
("h", "c")).

Backpropagation through time (BPTT) is backpropagation through the unrolled network: T copies
of one cell that share their weights, so each weight's gradient is the sum of its gradients
at every step. ``truncate=k`` cuts that sum short (see ``Recurrent``).

Inside, the layers work time-major, (T, N, ...), so that each step reads and writes one
contiguous block, and every product that does not need the previous state (the inputs'
projections, the weights' gradients, dL/dx) is one matrix product over all N*T steps at once;
only $h_{t-1} W_{hh}$ and its transpose stay in the loop over time (``np.dot`` into a buffer
made once: for products this small the call costs as much as the arithmetic). A layer's output
is a batch-first view of its time-major buffer; the layers that treat every step alike
(``TimeDense``, ``Embedding``, the fused per-step loss) take the steps in the order they lie in
memory, so nothing is copied between the layers. ``TimeDense`` writes its scores class by
class (the transposed product), so the loss's maximum and sum over each step's scores run
along memory.
"""

import numpy as np

from nnbook import losses as _losses
from nnbook._validate import _Edge, as_array, as_count, as_positive_number, as_rng
from nnbook.layers import INITIALISATIONS, Layer, as_dtype, dense_param_count


def _step_rows(x, time_major=None):
    """A batch of sequences (N, T, D) as a 2-D array of its N*T steps, one per row, for a layer
    that treats every step alike (``TimeDense``, ``Embedding``, the per-step loss); and whether
    the rows are time-major (step 0 of every sequence, then step 1, ...).

    time_major=None: the order the steps lie in memory, so no copy is made: time-major for a
    recurrent layer's output (a transposed view of its (T, N, H) buffer), batch-major for an
    ordinary (N, T, D) array. True or False: that order (a copy if memory holds the other).
    The D numbers of a step need not be adjacent (``TimeDense`` writes its scores column by
    column); only the order of the steps decides.
    """
    if time_major is None:
        N, T = x.shape[:2]
        batch_stride, time_stride = x.strides[:2]
        time_major = N > 1 and T > 1 and time_stride == N * batch_stride \
            and batch_stride != T * time_stride
    if time_major:
        return x.transpose(1, 0, 2).reshape(-1, x.shape[2]), True
    return x.reshape(-1, x.shape[2]), False


def _from_step_rows(rows, N, T, time_major):
    """The inverse of ``_step_rows``: rows (N*T, K) back to (N, T, K) (a view, never a copy)."""
    if time_major:
        return rows.reshape(T, N, -1).transpose(1, 0, 2)
    return rows.reshape(N, T, -1)


def _checked_ids(ids, V, owner, whole_floats=False):
    """``ids`` checked: a batch (N, T) of integers 0..V-1 (an integer array), or a ValueError
    that names ``owner``. whole_floats: accept floats that are whole numbers (3.0 is id 3)."""
    array = np.asarray(ids)
    if whole_floats and array.dtype.kind == "f" and np.all(np.isfinite(array)) \
            and np.all(array == np.round(array)):
        array = array.astype(np.intp)
    if array.dtype.kind not in "iu":
        raise ValueError(f"{owner!r} expects integer ids 0..{V - 1} (e.g. Vocabulary.encode(text)); "
                         f"got {array.dtype} values that are not all whole numbers")
    if array.ndim != 2 or array.size == 0:
        hint = " (one sequence is a batch of one: pass ids[None])" if array.ndim == 1 else ""
        raise ValueError(f"{owner!r} expects ids of shape (N, T), one per step of each sequence; "
                         f"got shape {array.shape}{hint}")
    if array.min() < 0 or array.max() >= V:
        bad = array.min() if array.min() < 0 else array.max()
        raise ValueError(f"{owner!r} reads ids 0..{V - 1}; got {bad} (build it for as many ids "
                         "as the vocabulary has characters: vocab.size)")
    return array


def _column_sums(rows, out):
    """``rows.sum(axis=0)`` into ``out``, as the product of a row of ones and ``rows``: one BLAS
    call, several times faster than numpy's sum down a few hundred rows."""
    return np.matmul(np.ones(len(rows), rows.dtype), rows, out=out)


class _SumRowsById:
    r"""$\mathrm{onehot}(ids)^\top \cdot rows$, the gradient of a row gather, without the dense
    one-hot matrix: ``sum_rows(ids, rows, out)`` writes into ``out`` (V, E) the sum of the rows
    whose id is v, for every v, each added in the rows' order (what ``np.add.at(out, ids,
    rows)`` computes after zeroing ``out``). ids: (M,) integers 0..V-1; rows: (M, E).

    The one-hot codes, one per column of a (V, M) matrix, are a sparse matrix with a single 1
    per column, which scipy's CSC layout holds as it is (column m's one row number is
    ids[m]); a sparse product adds each row once. A layer keeps one such object: the matrix
    is built once and only its row numbers change from batch to batch."""

    _matrix = None

    def __call__(self, ids, rows, out):
        V, M = out.shape[0], len(ids)
        matrix = self._matrix
        if matrix is None or matrix.shape != (V, M) or matrix.dtype != rows.dtype:
            from scipy import sparse  # here, not at import: `import nnbook` stays quick
            matrix = sparse.csc_array((np.ones(M, rows.dtype), np.array(ids), np.arange(M + 1)),
                                       shape=(V, M))
            self._matrix = matrix
        else:
            matrix.indices[...] = ids       # one entry per column: still sorted, no duplicates
        out[...] = matrix @ rows
        return out


def _sigmoid_(a):
    r"""$\sigma(a) = \frac{1}{2}(1 + \tanh\frac{a}{2})$, in place: exact, never overflows."""
    a *= 0.5
    np.tanh(a, out=a)
    a += 1.0
    a *= 0.5
    return a


class Recurrent(Layer):
    r"""The base of ``RNN``, ``LSTM`` and ``GRU``: (N, T, input_size) -> (N, T, hidden_size).

    input_size: D, the numbers per step; hidden_size: H, the size of the state. x: floats
    (N, T, D), or integer ids (N, T) in 0..D-1, read as their one-hot codes (a row of the
    input weights per step; see the module's docstring).
    seed: the weights' randomness (None, an int or a numpy Generator). Every weight is drawn
    from $U(-1/\sqrt{H}, 1/\sqrt{H})$ (PyTorch's default), the biases too.
    dtype: float64 or float32 (the weights are drawn in float64, then rounded).
    truncate: None (full backpropagation through time) or k, a positive integer: truncated
    BPTT. The forward pass is unchanged (the state flows through all T steps), but the
    backward pass cuts the sequence into windows of k steps, [0, k), [k, 2k), ..., and does
    not let the gradient cross from one window into the window before it: the gradient of the
    output at step t reaches the steps $k\lfloor t/k \rfloor, \dots, t$ (at most k steps, as
    few as 1) and no step before them. It is exactly what reading the sequence in chunks of k
    steps does, each chunk one forward and backward with ``h0`` set to the previous chunk's
    ``h_last`` (PyTorch's ``h.detach()`` between chunks; min-char-rnn's ``hprev``). The first
    window reaches the initial state, so ``grad_h0`` holds the first window's gradient.
    truncate >= T is full BPTT.
    """

    #: The states this cell carries from step to step (``h0``, ``h_last``, ``grad_h0``...).
    state_names = ("h",)
    _blocks = 1   # how many H-wide blocks the cell's weight matrices have (LSTM: 4 gates)
    _cache = None

    def __init__(self, input_size, hidden_size, *, seed=None, dtype=np.float64, truncate=None):
        super().__init__()
        self.input_size = as_count(input_size, "input_size")
        self.hidden_size = as_count(hidden_size, "hidden_size")
        self.truncate = None if truncate is None else as_count(truncate, "truncate (a number of steps)")
        self.input_shape = (None, self.input_size)
        self.dtype = as_dtype(dtype)
        for name in self.state_names:
            setattr(self, f"{name}0", None)       # the initial state: None means zeros
            setattr(self, f"{name}_last", None)   # the state after the last forward
            setattr(self, f"grad_{name}0", None)  # dL/d(initial state) after backward
        rng = as_rng(seed)
        bound = 1.0 / np.sqrt(self.hidden_size)
        for key, shape in self._param_shapes():
            self.params[key] = rng.uniform(-bound, bound, size=shape).astype(self.dtype)
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}
        self._sum_rows_by_id = _SumRowsById()    # the gradient of reading ids

    def _param_shapes(self):
        D, H, k = self.input_size, self.hidden_size, self._blocks
        return [("W_x", (D, k * H)), ("W_h", (H, k * H)), ("b", (k * H,))]

    # -- the edge: input and initial states -------------------------------------------------
    def reads_ids(self, x):
        """True when ``x`` holds ids (integers, (N, T)) rather than codes (floats, (N, T, D))."""
        return np.asarray(x).dtype.kind in "iu"

    def check_ids(self, ids):
        """``ids`` checked: a batch (N, T) of integers 0..input_size-1, or a ValueError."""
        return _checked_ids(ids, self.input_size, self)

    def _input(self, x):
        if not _Edge.checking:
            return x
        if self.reads_ids(x):
            return self.check_ids(x)
        if np.ndim(x) == 2 and np.shape(x)[1] == self.input_size:
            raise ValueError(f"{self!r} expects x of shape (N, T, {self.input_size}), a batch of "
                             f"sequences (or integer ids of shape (N, T)); got {np.shape(x)} (one "
                             "sequence is a batch of one: pass x[None])")
        return super()._input(x)

    def _inputs_times(self, xs, W, b, out=None):
        r"""$x_t W + b$ for every step at once, as (T*N, width) rows, step 0 first. xs: the
        time-major inputs, codes (T, N, D) or ids (T, N): the one-hot code of id v times W is
        row v of W, so for ids it is a row gather of W + b (no product)."""
        if xs.dtype.kind in "iu":
            return np.take(W + b, xs.reshape(-1), axis=0, out=out)
        rows = np.matmul(xs.reshape(-1, xs.shape[-1]), W, out=out)
        rows += b
        return rows

    def _initial(self, name, n):
        """The initial state ``name`` ("h" or "c") for a batch of n: zeros, or the layer's own."""
        value = getattr(self, f"{name}0")
        if value is None:
            return np.zeros((n, self.hidden_size), self.dtype)
        state = as_array(value, f"{self!r}.{name}0")
        if state.shape != (n, self.hidden_size):
            raise ValueError(f"{self!r}.{name}0 must have shape (N, H) = ({n}, {self.hidden_size}) "
                             f"for this batch of {n} sequences; got {state.shape} (set it to None "
                             "to start from zeros)")
        return state

    def _cut(self, t):
        """True when the gradient must not flow from step t back into step t - 1 (truncation)."""
        return self.truncate is not None and t > 0 and t % self.truncate == 0

    def _check_upstream(self, grad_out):
        """grad_out checked against the last output's shape, time-major view (T, N, H)."""
        expected = None if self._cache is None else (*self._cache["shape"], self.hidden_size)
        return self._upstream(grad_out, expected).transpose(1, 0, 2)

    def _finish_backward(self, dA_x, dA_h, grads_x="W_x", grads_h="W_h", bias="b"):
        """The products outside the loop over time, over all N*T steps at once: the weights'
        gradients (summed over steps, BPTT's sum) and dL/dx. dA_x, dA_h: (T, N, k*H) gradients
        of the input's and the state's pre-activations at every step."""
        cache = self._cache
        T, N = cache["hs"].shape[0] - 1, cache["hs"].shape[1]
        width = dA_x.shape[-1]
        dx2 = dA_x.reshape(T * N, width)
        xs = cache["xs"]
        np.matmul(cache["hs"][:-1].reshape(T * N, -1).T, dA_h.reshape(T * N, -1), out=self.grads[grads_h])
        if xs.dtype.kind in "iu":     # ids: onehot(ids)^T dA_x, the rows summed by id; no dL/dx
            self._sum_rows_by_id(xs.reshape(-1), dx2, out=self.grads[grads_x])
            # every step read exactly one id, so the bias's sum over the steps is the sum of
            # those per-id sums (V rows instead of N*T)
            _column_sums(self.grads[grads_x], out=self.grads[bias])
            return None
        _column_sums(dx2, out=self.grads[bias])
        np.matmul(xs.reshape(T * N, -1).T, dx2, out=self.grads[grads_x])
        if not self.input_grad:       # the network's first layer, while fit trains it
            return None
        dx = dx2 @ self.params[grads_x].T
        return dx.reshape(T, N, -1).transpose(1, 0, 2)   # (N, T, D), batch first again

    def _start_forward(self, x):
        """Checked x, time-major copy (T, N, D) (ids: (T, N)) and the state buffer (T + 1, N, H)
        with h_0."""
        x = self._input(x)
        N, T = x.shape[:2]
        xs = np.ascontiguousarray(x.T if x.ndim == 2 else x.transpose(1, 0, 2))
        hs = np.empty((T + 1, N, self.hidden_size), self.dtype)
        hs[0] = 0.0 if self.h0 is None else self._initial("h", N)
        return xs, hs

    def output_shape(self, input_shape):
        if isinstance(input_shape, tuple) and len(input_shape) == 1:   # ids: (T,) per sequence
            input_shape = (*input_shape, self.input_size)
        input_shape = super().output_shape(input_shape)
        return (input_shape[0], self.hidden_size)

    def __repr__(self):
        extra = "" if self.truncate is None else f", truncate={self.truncate}"
        return f"{type(self).__name__}({self.input_size}, {self.hidden_size}{extra})"


def rnn_forward_naive(x, h0, W_xh, W_hh, b):
    r"""The RNN's forward pass as its equation reads, one step at a time (to read; ``RNN`` runs
    the same arithmetic with time-major buffers and one input product for all steps):

    $h_t = \tanh(x_t W_{xh} + h_{t-1} W_{hh} + b)$. x: (N, T, D), h0: (N, H) -> states (N, T, H).
    """
    h, states = h0, []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ W_xh + h @ W_hh + b)
        states.append(h)
    return np.stack(states, axis=1)


def rnn_backward_naive(grad_out, x, states, h0, W_xh, W_hh, truncate=None):
    r"""Backpropagation through time, one step at a time, last step first (to read; ``RNN.backward``
    computes the same with the weights' products taken once over all the steps).

    grad_out: dL/dh_t from the outputs (N, T, H); x, states, h0: the forward's input, states and
    initial state. At step t the gradient reaching $h_t$ is $\delta_t$ = (from the output at t)
    + (from step t + 1); through tanh it is $g_t = \delta_t \odot (1 - h_t^2)$; each weight adds
    its share at this step, and $g_t W_{hh}^\top$ goes back to step t - 1 (nothing crosses a
    window's start when ``truncate`` = k cuts the sequence into windows of k steps).
    Returns (dL/dx (N, T, D), {"W_xh", "W_hh", "b"}: gradients, dL/dh0 (N, H)).
    """
    grads = {"W_xh": np.zeros_like(W_xh), "W_hh": np.zeros_like(W_hh), "b": np.zeros(W_hh.shape[1], W_hh.dtype)}
    dx = np.zeros_like(x)
    from_next = np.zeros_like(h0)                        # dL/dh_t arriving from step t + 1
    for t in reversed(range(x.shape[1])):
        h_prev = states[:, t - 1] if t > 0 else h0
        g = (grad_out[:, t] + from_next) * (1 - states[:, t] ** 2)
        grads["W_xh"] += x[:, t].T @ g
        grads["W_hh"] += h_prev.T @ g
        grads["b"] += g.sum(axis=0)
        dx[:, t] = g @ W_xh.T
        from_next = g @ W_hh.T
        if truncate is not None and t > 0 and t % truncate == 0:
            from_next = np.zeros_like(from_next)         # the window before gets nothing
    return dx, grads, from_next


class RNN(Recurrent):
    r"""The vanilla (Elman) recurrent layer: one tanh cell, an output at every step.

    $$h_t = \tanh(x_t W_{xh} + h_{t-1} W_{hh} + b), \qquad t = 1, \dots, T$$

    x: (N, T, D) (or ids (N, T): ``Recurrent``) -> all the states (h_1, ..., h_T): (N, T, H).
    params: ``W_xh`` (D, H), ``W_hh`` (H, H), ``b`` (H,): D*H + H*H + H numbers, whatever T.
    Backward through time: with $\delta_t = \partial L/\partial h_t$ (from the output at step
    t plus what step t + 1 sends back), $g_t = \delta_t \odot (1 - h_t^2)$, and
    $\partial L/\partial h_{t-1} \mathrel{+}= g_t W_{hh}^\top$; the weights' gradients are
    sums over the steps: $\partial L/\partial W_{hh} = \sum_t h_{t-1}^\top g_t$.
    ``rnn_forward_naive`` and ``rnn_backward_naive`` write both passes one step at a time.
    See ``Recurrent`` for the arguments (seed, dtype, truncate) and the states.
    """

    def _param_shapes(self):
        D, H = self.input_size, self.hidden_size
        return [("W_xh", (D, H)), ("W_hh", (H, H)), ("b", (H,))]

    def forward(self, x):
        xs, hs = self._start_forward(x)
        T, N = xs.shape[:2]
        W_hh = self.params["W_hh"]
        # every step's x_t W_xh + b at once, written where h_t will be
        self._inputs_times(xs, self.params["W_xh"], self.params["b"], out=hs[1:].reshape(T * N, -1))
        product = np.empty_like(hs[0])
        states = list(hs)                              # hs[t] as views, made once
        for h_prev, h in zip(states, states[1:]):
            np.dot(h_prev, W_hh, out=product)          # h_{t-1} W_hh
            h += product
            np.tanh(h, out=h)                          # h_t = tanh(x_t W_xh + h_{t-1} W_hh + b)
        self._cache = {"xs": xs, "hs": hs, "shape": (N, T)}
        self.h_last = hs[T].copy()
        return hs[1:].transpose(1, 0, 2)                # (N, T, H)

    def backward(self, grad_out):
        """dL/d(all states) (N, T, H) -> dL/dx (N, T, D); fills grads and ``grad_h0``."""
        g = self._check_upstream(grad_out)
        hs = self._cache["hs"]
        T = len(hs) - 1
        W_hh_T = np.ascontiguousarray(self.params["W_hh"].T)   # read row by row: faster
        dz = np.multiply(hs[1:], hs[1:])     # tanh'(z_t) = 1 - h_t^2, for every step at once
        np.subtract(1.0, dz, out=dz)
        dh = np.zeros_like(hs[0])            # dL/dh_t arriving from step t + 1
        for t, g_t, dz_t in zip(range(T - 1, -1, -1), g[::-1], dz[::-1]):   # step t + 1 in the equations
            dh += g_t
            dz_t *= dh                        # g_t = delta_t * (1 - h_t^2)
            if self.truncate is not None and self._cut(t):
                dh[...] = 0.0                 # truncated: nothing flows into the window before
            else:
                np.dot(dz_t, W_hh_T, out=dh)
        self.grad_h0 = dh
        return self._finish_backward(dz, dz, "W_xh", "W_hh", "b")


class LSTM(Recurrent):
    r"""Long short-term memory (Hochreiter & Schmidhuber 1997, with the forget gate of Gers,
    Schmidhuber & Cummins 2000), as PyTorch's ``nn.LSTM`` writes it:

    $$\begin{aligned}
    i_t &= \sigma(x_t W_{xi} + h_{t-1} W_{hi} + b_i) &&\text{input gate}\\
    f_t &= \sigma(x_t W_{xf} + h_{t-1} W_{hf} + b_f) &&\text{forget gate}\\
    g_t &= \tanh(x_t W_{xg} + h_{t-1} W_{hg} + b_g) &&\text{candidate cell}\\
    o_t &= \sigma(x_t W_{xo} + h_{t-1} W_{ho} + b_o) &&\text{output gate}\\
    c_t &= f_t \odot c_{t-1} + i_t \odot g_t, \qquad h_t = o_t \odot \tanh(c_t)
    \end{aligned}$$

    x: (N, T, D) -> the hidden states h_1..h_T: (N, T, H). Two states: ``h`` and the cell
    ``c`` (``h0``/``c0``, ``h_last``/``c_last``, ``grad_h0``/``grad_c0``).
    params: the four gates side by side in PyTorch's order [i | f | g | o]:
    ``W_x`` (D, 4H), ``W_h`` (H, 4H), ``b`` (4H,) (PyTorch's ``weight_ih_l0.T``,
    ``weight_hh_l0.T`` and ``bias_ih_l0 + bias_hh_l0``). The forget gate's bias starts at 1
    (Gers et al. 2000; Jozefowicz, Zaremba & Sutskever 2015), so the cell keeps what it holds
    until training says otherwise; the other weights start as in ``Recurrent``.
    """

    state_names = ("h", "c")
    _blocks = 4

    def __init__(self, input_size, hidden_size, *, seed=None, dtype=np.float64, truncate=None):
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype, truncate=truncate)
        H = self.hidden_size
        self.params["b"][H:2 * H] = 1.0   # forget-gate bias

    def forward(self, x):
        xs, hs = self._start_forward(x)
        T, N = xs.shape[:2]
        H, W_h = self.hidden_size, self.params["W_h"]
        cs = np.empty_like(hs)
        cs[0] = self._initial("c", N)
        gates = self._inputs_times(xs, self.params["W_x"], self.params["b"]).reshape(T, N, 4 * H)
        tanh_c = np.empty((T, N, H), self.dtype)
        product, ig = np.empty((N, 4 * H), self.dtype), np.empty((N, H), self.dtype)
        for t in range(T):
            a = gates[t]
            np.dot(hs[t], W_h, out=product)
            a += product                             # pre-activations of [i | f | g | o]
            _sigmoid_(a[:, :2 * H])                  # i, f
            np.tanh(a[:, 2 * H:3 * H], out=a[:, 2 * H:3 * H])   # g
            _sigmoid_(a[:, 3 * H:])                  # o
            i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
            np.multiply(f, cs[t], out=cs[t + 1])     # c_t = f * c_{t-1} + i * g
            np.multiply(i, g, out=ig)
            cs[t + 1] += ig
            np.tanh(cs[t + 1], out=tanh_c[t])
            np.multiply(o, tanh_c[t], out=hs[t + 1])  # h_t = o * tanh(c_t)
        self._cache = {"xs": xs, "hs": hs, "cs": cs, "gates": gates, "tanh_c": tanh_c, "shape": (N, T)}
        self.h_last, self.c_last = hs[T].copy(), cs[T].copy()
        return hs[1:].transpose(1, 0, 2)

    def backward(self, grad_out):
        """dL/d(all h_t) (N, T, H) -> dL/dx (N, T, D); fills grads, ``grad_h0`` and ``grad_c0``."""
        G = self._check_upstream(grad_out)
        cache = self._cache
        gates, cs, tanh_c = cache["gates"], cache["cs"], cache["tanh_c"]
        T, N, H = tanh_c.shape
        W_h_T = np.ascontiguousarray(self.params["W_h"].T)
        # the gates' derivatives at every step at once: sigma' = s(1 - s), tanh' = 1 - g^2
        slope = gates * (1.0 - gates)
        slope[..., 2 * H:3 * H] = 1.0 - gates[..., 2 * H:3 * H] ** 2
        o_dtanh = gates[..., 3 * H:] * (1.0 - tanh_c * tanh_c)   # dh_t/dc_t = o * tanh'(c_t)
        dA = np.empty_like(gates)
        dh, dc = np.zeros((N, H), self.dtype), np.zeros((N, H), self.dtype)
        through_h = np.empty((N, H), self.dtype)
        for t in range(T - 1, -1, -1):
            a, d = gates[t], dA[t]
            i, f, g = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H]
            dh += G[t]                                       # dL/dh_t
            np.multiply(dh, tanh_c[t], out=d[:, 3 * H:])     # dL/do = dh * tanh(c_t)
            np.multiply(dh, o_dtanh[t], out=through_h)
            dc += through_h                                  # dL/dc_t
            np.multiply(dc, g, out=d[:, :H])                 # dL/di = dc * g
            np.multiply(dc, cs[t], out=d[:, H:2 * H])        # dL/df = dc * c_{t-1}
            np.multiply(dc, i, out=d[:, 2 * H:3 * H])        # dL/dg = dc * i
            d *= slope[t]                                    # through the gates' nonlinearities
            if self._cut(t):
                dh[...] = 0.0
                dc[...] = 0.0
            else:
                dc *= f                                      # dL/dc_{t-1} = dc * f
                np.dot(d, W_h_T, out=dh)                     # dL/dh_{t-1}
        self.grad_h0, self.grad_c0 = dh, dc
        return self._finish_backward(dA, dA)


class GRU(Recurrent):
    r"""Gated recurrent unit (Cho et al. 2014) in PyTorch's form (``nn.GRU``):

    $$\begin{aligned}
    r_t &= \sigma(x_t W_{xr} + h_{t-1} W_{hr} + b_r) &&\text{reset gate}\\
    z_t &= \sigma(x_t W_{xz} + h_{t-1} W_{hz} + b_z) &&\text{update gate}\\
    n_t &= \tanh\big(x_t W_{xn} + b_n + r_t \odot (h_{t-1} W_{hn} + b_{hn})\big) &&\text{candidate}\\
    h_t &= (1 - z_t) \odot n_t + z_t \odot h_{t-1}
    \end{aligned}$$

    Where the reset gate acts: here (PyTorch, cuDNN) it multiplies $h_{t-1} W_{hn} + b_{hn}$,
    after the product; Cho et al. (2014) and d2l reset the state before it,
    $n_t = \tanh(x_t W_{xn} + (r_t \odot h_{t-1}) W_{hn} + b_n)$. The two are different
    functions of the weights (the same numbers only when r = 1); PyTorch's lets one product
    $h_{t-1} [W_{hr} | W_{hz} | W_{hn}]$ serve all three gates. The update convention is
    Cho's and PyTorch's: $z_t = 1$ keeps the old state (d2l writes the same).

    x: (N, T, D) -> (N, T, H). params: [r | z | n] side by side: ``W_x`` (D, 3H),
    ``W_h`` (H, 3H), ``b`` (3H,) (PyTorch's ``bias_ih_l0`` plus, for r and z, the matching
    part of ``bias_hh_l0``), and ``b_hn`` (H,), the part of ``bias_hh_l0`` inside the reset.
    """

    _blocks = 3

    def _param_shapes(self):
        return [*super()._param_shapes(), ("b_hn", (self.hidden_size,))]

    def forward(self, x):
        xs, hs = self._start_forward(x)
        T, N = xs.shape[:2]
        H, W_h, b_hn = self.hidden_size, self.params["W_h"], self.params["b_hn"]
        gates = self._inputs_times(xs, self.params["W_x"], self.params["b"]).reshape(T, N, 3 * H)
        hn = np.empty((T, N, H), self.dtype)            # h_{t-1} W_hn + b_hn, kept for backward
        product, rh = np.empty((N, 3 * H), self.dtype), np.empty((N, H), self.dtype)
        for t in range(T):
            a = gates[t]
            np.dot(hs[t], W_h, out=product)
            a[:, :2 * H] += product[:, :2 * H]
            _sigmoid_(a[:, :2 * H])                      # r, z
            r, z, n = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
            np.add(product[:, 2 * H:], b_hn, out=hn[t])
            np.multiply(r, hn[t], out=rh)
            n += rh
            np.tanh(n, out=n)                            # n_t
            np.subtract(hs[t], n, out=hs[t + 1])         # h_t = n + z * (h_{t-1} - n)
            hs[t + 1] *= z
            hs[t + 1] += n
        self._cache = {"xs": xs, "hs": hs, "gates": gates, "hn": hn, "shape": (N, T)}
        self.h_last = hs[T].copy()
        return hs[1:].transpose(1, 0, 2)

    def backward(self, grad_out):
        """dL/d(all h_t) (N, T, H) -> dL/dx (N, T, D); fills grads and ``grad_h0``."""
        G = self._check_upstream(grad_out)
        cache = self._cache
        gates, hs, hn = cache["gates"], cache["hs"], cache["hn"]
        T, N, H = hn.shape
        r, z, n = gates[..., :H], gates[..., H:2 * H], gates[..., 2 * H:]
        W_h_T = np.ascontiguousarray(self.params["W_h"].T)
        # every step at once: dL/da_n = dh (1 - z)(1 - n^2); dL/da_z = dh (h_{t-1} - n) z (1 - z);
        # dL/da_r = dL/da_n * hn * r (1 - r)
        to_n = (1.0 - z) * (1.0 - n * n)
        to_z = (hs[:-1] - n) * z * (1.0 - z)
        to_r = hn * r * (1.0 - r)
        dA_h = np.empty_like(gates)       # [dL/da_r | dL/da_z | dL/d(h W_hn + b_hn)]
        dA_n = np.empty_like(hn)          # dL/d(pre-activation of n)
        product = np.empty((N, H), self.dtype)
        dh = np.zeros((N, H), self.dtype)
        for t in range(T - 1, -1, -1):
            d = dA_h[t]
            dh += G[t]                                        # dL/dh_t
            np.multiply(dh, to_n[t], out=dA_n[t])
            np.multiply(dh, to_z[t], out=d[:, H:2 * H])
            np.multiply(dA_n[t], to_r[t], out=d[:, :H])
            np.multiply(dA_n[t], r[t], out=d[:, 2 * H:])       # through r * (h W_hn + b_hn)
            if self._cut(t):
                dh[...] = 0.0
            else:
                dh *= z[t]                                     # h_t's direct path z * h_{t-1}
                np.dot(d, W_h_T, out=product)
                dh += product
        self.grad_h0 = dh
        _column_sums(dA_h[..., 2 * H:].reshape(T * N, H), out=self.grads["b_hn"])
        dA_x = np.concatenate([dA_h[..., :2 * H], dA_n], axis=-1)   # [r | z | n] input side
        return self._finish_backward(dA_x, dA_h)


class TimeDense(Layer):
    """The same dense layer at every time step: y[:, t] = x[:, t] @ W + b.

    x: (N, T, n_in) -> (N, T, n_out); one matrix product over all N*T steps. The weights are
    initialised as ``nnbook.layers.Dense``'s (init="glorot", "he" or "normal"); W: (n_in, n_out),
    b: (n_out,). It turns a recurrent layer's states into scores at every step.
    """

    _x = None  # the last forward's input, as (N*T, n_in) (None: no forward yet)

    def __init__(self, n_in, n_out, *, init="glorot", seed=None, dtype=np.float64):
        super().__init__()
        dense_param_count(n_in, n_out)  # validates the sizes
        if init not in INITIALISATIONS:
            raise ValueError(f"init must be one of {sorted(INITIALISATIONS)}; got {init!r}")
        self.n_in, self.n_out, self.init = int(n_in), int(n_out), init
        self.input_shape = (None, self.n_in)
        self.dtype = as_dtype(dtype)
        scale = INITIALISATIONS[init](self.n_in, self.n_out)
        weights = as_rng(seed).normal(0.0, scale, size=(self.n_in, self.n_out))
        self.params["W"] = weights.astype(self.dtype)
        self.params["b"] = np.zeros(self.n_out, self.dtype)
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}

    def forward(self, x):
        x = self._input(x)
        N, T, _ = x.shape
        # the N*T steps as rows, in the order they lie in memory (no copy); the output keeps it
        self._x, self._time_major = _step_rows(x)   # backward needs the input, nothing else
        self._shape = (N, T)
        # y = x W + b, written column by column (y^T = W^T x^T): the loss's sums over each
        # step's n_out scores then run along memory, several times faster than along rows
        columns = np.matmul(self.params["W"].T, self._x.T)
        columns += self.params["b"][:, None]
        return _from_step_rows(columns.T, N, T, self._time_major)

    def backward(self, grad_out):
        """grad_out: (N, T, n_out) -> dL/dx: (N, T, n_in); fills grads (sums over N and T)."""
        g = self._upstream(grad_out, None if self._x is None else (*self._shape, self.n_out))
        g2 = _step_rows(g, self._time_major)[0]     # rows in the forward's order
        np.matmul(self._x.T, g2, out=self.grads["W"])
        _column_sums(g2, out=self.grads["b"])
        if not self.input_grad:
            return None
        return _from_step_rows(g2 @ self.params["W"].T, *self._shape, self._time_major)

    def output_shape(self, input_shape):
        input_shape = super().output_shape(input_shape)
        return (input_shape[0], self.n_out)

    def __repr__(self):
        return f"TimeDense({self.n_in}, {self.n_out})"


class Embedding(Layer):
    r"""A lookup table: integer ids (N, T) -> vectors (N, T, E), row ``id`` of W for every id.

    ``Embedding(V, E)`` computes what one-hot codes times a (V, E) matrix compute,
    ``one_hot(ids, V) @ W``, as what it is: a row gather, ``W[ids]``, instead of V products by
    0 or 1 for each of the E numbers. Its backward is the transposed product,
    $\partial L/\partial W = \mathrm{onehot}(ids)^\top g$: row v of the gradient is the sum of
    the upstream gradients at every step that read id v (``np.add.at(dW, ids, g)``, computed
    as a sparse product, as a recurrent layer reading ids does). Ids have no gradient:
    ``backward`` returns None, so an Embedding is a network's first layer, e.g.
    ``Sequential([Embedding(V, 32), RNN(32, 64), TimeDense(64, V)])`` reads a text as
    character ids (N, T) instead of one-hot (N, T, V), with vectors of 32 numbers learnt for
    each character. (``RNN(V, 64)`` reads ids too, as their one-hot codes.)

    W: (V, E), drawn from N(0, 1) as PyTorch's ``nn.Embedding`` draws it; dtype float64 or
    float32. Ids: integers 0..V-1 (whole floats are accepted); anything else, a ValueError.
    """

    _ids = None    # the last forward's ids as rows, in the output's memory order

    def __init__(self, num_embeddings, embedding_dim, *, seed=None, dtype=np.float64):
        super().__init__()
        self.num_embeddings = as_count(num_embeddings, "num_embeddings (the number of ids, V)")
        self.embedding_dim = as_count(embedding_dim, "embedding_dim (the size of a vector, E)")
        self.input_shape = (None,)
        self.dtype = as_dtype(dtype)
        weights = as_rng(seed).normal(size=(self.num_embeddings, self.embedding_dim))
        self.params["W"] = weights.astype(self.dtype)
        self.grads = {"W": np.zeros_like(self.params["W"])}
        self._sum_rows_by_id = _SumRowsById()    # the gradient of reading ids

    def check_ids(self, ids):
        """``ids`` checked: a batch (N, T) of integers 0..V-1 (as an integer array), or a ValueError."""
        return _checked_ids(ids, self.num_embeddings, self, whole_floats=True)

    def reads_ids(self, x):
        """An Embedding reads ids, whatever their type (``check_ids`` says what is wrong)."""
        return True

    def forward(self, x):
        if _Edge.checking:
            ids = self.check_ids(x)
        else:   # checked where the network was entered (Sequential.check_input keeps ids integers)
            ids = x if x.dtype.kind in "iu" else x.astype(np.intp)
        N, T = ids.shape
        # time-major rows, so a recurrent layer reads each step as one block (no copy there)
        self._ids, self._shape = ids.T.reshape(-1), (N, T)
        return _from_step_rows(self.params["W"][self._ids], N, T, time_major=True)

    def backward(self, grad_out):
        """dL/d(vectors) (N, T, E) -> None (ids have no gradient); fills ``grads["W"]``."""
        E = self.embedding_dim
        g = self._upstream(grad_out, None if self._ids is None else (*self._shape, E))
        rows = _step_rows(g, time_major=True)[0]            # in the order of self._ids
        self._sum_rows_by_id(self._ids, rows, out=self.grads["W"])   # np.add.at(dW, ids, rows)
        return None

    def output_shape(self, input_shape):
        input_shape = super().output_shape(input_shape)
        return (input_shape[0], self.embedding_dim)

    def __repr__(self):
        return f"Embedding({self.num_embeddings}, {self.embedding_dim})"


class LastStep(Layer):
    """The last step of every sequence: (N, T, D) -> (N, D), for a prediction per sequence.

    ``Sequential([RNN(6, 16), LastStep(), Dense(16, 6)])`` reads 7 letters and scores the 8th
    (many-to-one); backward puts the gradient at the last step and zeros at the others.
    """

    _shape = None  # the last forward's input shape (None: no forward yet)

    def forward(self, x):
        x = self._input(x)
        if x.ndim != 3:
            raise ValueError(f"LastStep expects sequences of shape (N, T, D); got {x.shape}")
        self._shape = x.shape
        return x[:, -1]

    def backward(self, grad_out):
        """dL/d(last step) (N, D) -> dL/dx (N, T, D): zeros but at the last step."""
        shape = self._shape
        g = self._upstream(grad_out, None if shape is None else (shape[0], shape[2]))
        dx = np.zeros(shape, dtype=g.dtype)
        dx[:, -1] = g
        return dx

    def output_shape(self, input_shape):
        input_shape = super().output_shape(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f"LastStep expects sequences, examples of shape (T, D); got {input_shape}")
        return (input_shape[1],)


# --- The loss at every step --------------------------------------------------------------

def _sequence_pair(y_true, logits, name):
    """Targets (N, T) of class ids and logits (N, T, K), checked, flattened to (N*T,), (N*T, K)."""
    logits = as_array(logits, f"{name}: logits")
    y_true = np.asarray(y_true)
    if logits.ndim != 3 or y_true.shape != logits.shape[:2]:
        raise ValueError(f"{name} expects y_true of shape (N, T) (a class id per step) and logits "
                         f"of shape (N, T, K); got {y_true.shape} and {logits.shape}")
    return y_true.reshape(-1), logits.reshape(-1, logits.shape[-1])


def sequence_softmax_cross_entropy(y_true, logits, reduction="mean"):
    r"""Softmax cross-entropy at every step of every sequence, averaged over all N*T steps:

    $J = \frac{1}{NT}\sum_{n,t} -\log \mathrm{softmax}(z_{nt})_{y_{nt}}$ (PyTorch's
    ``CrossEntropyLoss`` on (N*T, K); min-char-rnn sums over the steps instead, T times this).
    y_true: (N, T) class ids 0..K-1; logits: (N, T, K). reduction="none": the (N, T) losses.
    ``nnbook.losses.softmax_cross_entropy`` on the flattened steps does the work.
    """
    y, z = _sequence_pair(y_true, logits, "sequence_softmax_cross_entropy")
    losses = _losses.softmax_cross_entropy(y, z, reduction=reduction)
    return losses if reduction == "mean" else losses.reshape(np.shape(logits)[:2])


def sequence_softmax_cross_entropy_gradient(y_true, logits):
    r"""dJ/dlogits of ``sequence_softmax_cross_entropy``: $(\mathrm{softmax}(z) - y)/(NT)$, (N, T, K)."""
    y, z = _sequence_pair(y_true, logits, "sequence_softmax_cross_entropy_gradient")
    return _losses.softmax_cross_entropy_gradient(y, z).reshape(np.shape(logits))


def sequence_softmax_cross_entropy_and_gradient(y_true, logits):
    """(cost, gradient) of ``sequence_softmax_cross_entropy`` from one softmax, for a training
    loop: the same numbers as the two functions, with the targets checked once (class ids in
    0..K-1) and the logits trusted (they come from the network)."""
    logits = np.asarray(logits)
    y_true = np.asarray(y_true)
    if logits.ndim != 3 or y_true.shape != logits.shape[:2]:
        _sequence_pair(y_true, logits, "sequence_softmax_cross_entropy_and_gradient")  # raises
    K = logits.shape[2]
    if y_true.dtype.kind not in "iu" or y_true.min() < 0 or y_true.max() >= K:
        _losses.softmax_cross_entropy(y_true.reshape(-1), logits.reshape(-1, K))  # says what is wrong
        y_true = y_true.astype(np.intp)                                             # whole floats
    return _fused_sequence(y_true, logits)


def _fused_sequence(y_true, logits):
    """``sequence_softmax_cross_entropy_and_gradient`` for targets already checked (class ids,
    an integer array (N, T)) and logits (N, T, K) from the network: ``fit``'s path, which
    checks the targets once, at the edge."""
    N, T, K = logits.shape
    z, time_major = _step_rows(logits)     # the steps in memory order: no copy (mean over all)
    y = (y_true.T if time_major else y_true).reshape(-1)
    cost, grad = _losses._FUSED[_losses.softmax_cross_entropy](y, z)
    return cost, _from_step_rows(grad, N, T, time_major)


# ``training.fit`` takes loss=(sequence_softmax_cross_entropy, sequence_softmax_cross_entropy_gradient)
# with class ids (N, T) as targets, and then computes both from one softmax per batch.
_losses._FUSED[sequence_softmax_cross_entropy] = _fused_sequence
_losses._LABEL_TARGETS.add(sequence_softmax_cross_entropy)


# --- Gradient clipping -------------------------------------------------------------------

def _gradient_arrays(grads, name):
    """The arrays of a dict, list or tuple of gradients (or one array): float, writeable."""
    if isinstance(grads, np.ndarray):
        arrays = [grads]
    elif isinstance(grads, dict):
        arrays = list(grads.values())
    elif isinstance(grads, (list, tuple)):
        arrays = list(grads)
    else:
        raise ValueError(f"{name} clips a dict or list of gradient arrays (e.g. layer.grads, "
                         f"net.flat_grads); got {type(grads).__name__}")
    for array in arrays:
        if not (isinstance(array, np.ndarray) and array.dtype.kind == "f" and array.flags.writeable):
            raise ValueError(f"{name} clips in place, so every gradient must be a writeable float "
                             f"numpy array; got {type(array).__name__}"
                             + (f" of dtype {array.dtype}" if isinstance(array, np.ndarray) else ""))
    return arrays


def _norm(arrays, name):
    total = sum(float(np.dot(a.ravel(), a.ravel())) for a in arrays)
    norm = float(np.sqrt(total))
    if not np.isfinite(norm):
        raise ValueError(f"{name}: the gradients contain NaN or inf (the run has diverged); "
                         "clipping cannot repair them: lower the learning rate or clip earlier")
    return norm


def global_norm(grads):
    r"""$\lVert g \rVert = \sqrt{\sum_i \lVert g_i \rVert^2}$: all the gradients as one long vector."""
    return _norm(_gradient_arrays(grads, "global_norm"), "global_norm")


def clip_by_global_norm(grads, max_norm):
    r"""Rescale all the gradients together so their global norm is at most ``max_norm``:

    $g \leftarrow g \cdot \min(1, \theta / \lVert g \rVert)$ (Pascanu, Mikolov & Bengio 2013; d2l's
    ``grad_clipping``). Every array is scaled by the same factor, so the step keeps its
    direction and only gets shorter. In place on a dict or list of arrays (or one array, such
    as a network's ``flat_grads``); returns the global norm before clipping.
    """
    arrays = _gradient_arrays(grads, "clip_by_global_norm")
    max_norm = as_positive_number(max_norm, "max_norm")
    norm = _norm(arrays, "clip_by_global_norm")
    if norm > max_norm:
        scale = max_norm / norm
        for array in arrays:
            array *= scale
    return norm


def clip_by_value(grads, limit):
    """Clip every number of every gradient to [-limit, limit] (min-char-rnn: limit 5).

    Each number is cut on its own, so a large gradient changes direction as well as length
    (the large components shrink, the small ones stay). In place on a dict or list of arrays
    (or one array); returns the global norm before clipping, as ``clip_by_global_norm`` does.
    """
    arrays = _gradient_arrays(grads, "clip_by_value")
    limit = as_positive_number(limit, "limit")
    norm = _norm(arrays, "clip_by_value")
    for array in arrays:
        np.clip(array, -limit, limit, out=array)
    return norm

