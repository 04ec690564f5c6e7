"""nnbook.rnn: recurrent layers checked against finite differences, the equations written as
loops, PyTorch (when installed) and reading a sequence in chunks; the per-step loss; clipping."""

import numpy as np
import pytest

from nnbook import gradcheck
from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.layers import Dense, Sequential
from nnbook.losses import softmax_cross_entropy
from nnbook.optim import Adam
from nnbook.rnn import (
    GRU,
    LSTM,
    RNN,
    Embedding,
    LastStep,
    TimeDense,
    clip_by_global_norm,
    clip_by_value,
    global_norm,
    rnn_backward_naive,
    rnn_forward_naive,
    sequence_softmax_cross_entropy,
    sequence_softmax_cross_entropy_and_gradient,
    sequence_softmax_cross_entropy_gradient,
)
from nnbook.text import one_hot

CELLS = {"rnn": RNN, "lstm": LSTM, "gru": GRU}
D, H, N = 3, 4, 2


def _make(cell, **kwargs):
    return CELLS[cell](D, H, seed=1, **kwargs)


def _set_random_states(layer, rng, n=N):
    for name in layer.state_names:
        setattr(layer, f"{name}0", rng.normal(size=(n, layer.hidden_size)))


def _gradients(layer, x, upstream):
    """Everything backward computes: dx, the parameters' and the initial states' gradients."""
    layer.forward(x)
    grads = {"x": layer.backward(upstream)}
    grads.update({key: value.copy() for key, value in layer.grads.items()})
    grads.update({f"{name}0": getattr(layer, f"grad_{name}0").copy() for name in layer.state_names})
    return grads


# --- Backpropagation through time against finite differences -------------------------------

@pytest.mark.parametrize("steps", [1, 2, 10])
@pytest.mark.parametrize("cell", CELLS)
def test_backward_matches_finite_differences_for_every_parameter_input_and_state(cell, steps, rng):
    layer = _make(cell)
    x = rng.normal(size=(N, steps, D))
    _set_random_states(layer, rng)
    upstream = rng.normal(size=(N, steps, H))   # a random projection, not ones

    def loss():
        return np.sum(layer.forward(x) * upstream)

    analytic = _gradients(layer, x, upstream)
    wrt = {"x": x, **layer.params, **{f"{n}0": getattr(layer, f"{n}0") for n in layer.state_names}}
    assert set(wrt) == set(analytic)
    errors = {name: rel_error(analytic[name], numerical_gradient(loss, array)) for name, array in wrt.items()}
    assert max(errors.values()) < 1e-6, errors


# --- The forward pass is the equations of the docstrings -----------------------------------

def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


def _reference(cell, layer, x, h, c):
    """The docstring's equations, one example and one step at a time."""
    p, Hn = layer.params, layer.hidden_size
    outputs = []
    for x_t in x:
        if cell == "rnn":
            h = np.tanh(x_t @ p["W_xh"] + h @ p["W_hh"] + p["b"])
        elif cell == "lstm":
            a = x_t @ p["W_x"] + h @ p["W_h"] + p["b"]
            i, f, g, o = _sigmoid(a[:Hn]), _sigmoid(a[Hn:2 * Hn]), np.tanh(a[2 * Hn:3 * Hn]), _sigmoid(a[3 * Hn:])
            c = f * c + i * g
            h = o * np.tanh(c)
        else:
            ax, ah = x_t @ p["W_x"] + p["b"], h @ p["W_h"]
            r, z = _sigmoid(ax[:Hn] + ah[:Hn]), _sigmoid(ax[Hn:2 * Hn] + ah[Hn:2 * Hn])
            n = np.tanh(ax[2 * Hn:] + r * (ah[2 * Hn:] + p["b_hn"]))
            h = (1 - z) * n + z * h
        outputs.append(h)
    return np.array(outputs)


@pytest.mark.parametrize("cell", CELLS)
def test_forward_computes_the_docstring_equations(cell, rng):
    layer = _make(cell)
    x = rng.normal(size=(N, 5, D))
    _set_random_states(layer, rng)
    y = layer.forward(x)
    c0 = getattr(layer, "c0", None)
    for n in range(N):
        expected = _reference(cell, layer, x[n], layer.h0[n], None if c0 is None else c0[n])
        np.testing.assert_allclose(y[n], expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("cell", CELLS)
def test_forward_matches_pytorch_with_the_documented_weight_mapping(cell, rng):
    torch = pytest.importorskip("torch")
    layer = _make(cell)
    x = rng.normal(size=(N, 5, D))
    _set_random_states(layer, rng)
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](
        D, H, batch_first=True).double()
    p = layer.params
    W_x, W_h = (p["W_xh"], p["W_hh"]) if cell == "rnn" else (p["W_x"], p["W_h"])
    b_hh = np.zeros(W_h.shape[1])
    if cell == "gru":
        b_hh[2 * H:] = p["b_hn"]
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(W_x.T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(W_h.T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(p["b"].copy()))
        module.bias_hh_l0.copy_(torch.from_numpy(b_hh))
        state = torch.from_numpy(layer.h0[None])
        if cell == "lstm":
            state = (state, torch.from_numpy(layer.c0[None]))
        expected, _ = module(torch.from_numpy(x), state)
    np.testing.assert_allclose(layer.forward(x), expected.numpy(), rtol=1e-10, atol=1e-12)


# --- States: zeros by default, carried across chunks ----------------------------------------

@pytest.mark.parametrize("cell", CELLS)
def test_no_initial_state_means_zeros(cell, rng):
    layer = _make(cell)
    x = rng.normal(size=(N, 4, D))
    y_default = layer.forward(x)
    for name in layer.state_names:
        setattr(layer, f"{name}0", np.zeros((N, H)))
    np.testing.assert_array_equal(layer.forward(x), y_default)


@pytest.mark.parametrize("cell", CELLS)
def test_reading_in_two_chunks_with_the_state_carried_equals_one_forward(cell, rng):
    layer = _make(cell)
    x = rng.normal(size=(N, 9, D))
    whole = layer.forward(x)
    assert np.array_equal(layer.h_last, whole[:, -1])
    first = layer.forward(x[:, :4])
    for name in layer.state_names:
        setattr(layer, f"{name}0", getattr(layer, f"{name}_last"))
    second = layer.forward(x[:, 4:])
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), whole, rtol=1e-13, atol=1e-15)


def test_an_initial_state_of_the_wrong_shape_says_what_it_needs(rng):
    layer = RNN(D, H)
    layer.h0 = np.zeros((N + 1, H))
    with pytest.raises(ValueError, match=r"h0 must have shape \(N, H\) = \(2, 4\)"):
        layer.forward(rng.normal(size=(N, 3, D)))


# --- Truncated backpropagation through time -------------------------------------------------

@pytest.mark.parametrize("cell", CELLS)
def test_truncating_at_the_sequence_length_or_more_is_full_bptt(cell, rng):
    x, upstream = rng.normal(size=(N, 6, D)), rng.normal(size=(N, 6, H))
    full = _gradients(_make(cell), x, upstream)
    for truncate in (6, 50):
        truncated = _gradients(_make(cell, truncate=truncate), x, upstream)
        for name in full:
            np.testing.assert_array_equal(truncated[name], full[name])


@pytest.mark.parametrize("cell", CELLS)
def test_truncated_bptt_equals_backward_through_chunks_with_the_state_carried(cell, rng):
    """The loop reference: windows of k steps, each its own forward and backward, h0 carried."""
    steps, k = 8, 3                                   # windows [0, 3), [3, 6), [6, 8)
    x, upstream = rng.normal(size=(N, steps, D)), rng.normal(size=(N, steps, H))
    truncated = _gradients(_make(cell, truncate=k), x, upstream)

    layer = _make(cell)
    expected = {key: np.zeros_like(value) for key, value in layer.params.items()}
    dx = []
    for start in range(0, steps, k):
        chunk = _gradients(layer, x[:, start:start + k], upstream[:, start:start + k])
        dx.append(chunk["x"])
        for key in layer.params:
            expected[key] += chunk[key]
        if start == 0:
            expected.update({f"{n}0": chunk[f"{n}0"] for n in layer.state_names})
        for name in layer.state_names:
            setattr(layer, f"{name}0", getattr(layer, f"{name}_last"))
    expected["x"] = np.concatenate(dx, axis=1)
    for name, value in expected.items():
        np.testing.assert_allclose(truncated[name], value, rtol=1e-12, atol=1e-14, err_msg=name)


def test_a_truncated_gradient_reaches_back_at_most_k_steps(rng):
    """A loss on the last step only: its gradient reaches the last window's inputs, no earlier."""
    steps, k = 7, 3                                    # the last window is [6, 7): one step
    layer = RNN(D, H, seed=0, truncate=k)
    layer.forward(rng.normal(size=(N, steps, D)))
    upstream = np.zeros((N, steps, H))
    upstream[:, -1] = rng.normal(size=(N, H))
    dx = layer.backward(upstream)
    assert np.all(dx[:, :6] == 0) and np.all(dx[:, 6] != 0)
    assert np.all(layer.grad_h0 == 0)


def test_truncate_must_be_a_positive_number_of_steps():
    with pytest.raises(ValueError, match="truncate"):
        RNN(D, H, truncate=0)


# --- dtypes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", CELLS)
def test_a_float32_layer_computes_what_float64_does(cell, rng):
    x, upstream = rng.normal(size=(N, 10, D)), rng.normal(size=(N, 10, H))
    wide, narrow = _make(cell), _make(cell, dtype=np.float32)
    expected = _gradients(wide, x, upstream)
    got = _gradients(narrow, x.astype(np.float32), upstream.astype(np.float32))
    np.testing.assert_allclose(narrow.forward(x), wide.forward(x), rtol=1e-5, atol=1e-5)
    for name in expected:
        assert got[name].dtype == np.float32, name
        assert rel_error(got[name], expected[name]) < 1e-5, name


# --- Shapes and bad input -------------------------------------------------------------------

@pytest.mark.parametrize("cell, count", [("rnn", D * H + H * H + H), ("lstm", 4 * (D * H + H * H + H)),
                                         ("gru", 3 * (D * H + H * H + H) + H)])
def test_parameter_count_does_not_depend_on_the_sequence_length(cell, count):
    assert _make(cell).n_params == count


@pytest.mark.parametrize("cell", CELLS)
def test_output_shape_keeps_the_time_axis(cell):
    assert _make(cell).output_shape((None, D)) == (None, H)
    assert _make(cell).output_shape((7, D)) == (7, H)


@pytest.mark.parametrize("shape, message", [
    ((N, 5, D + 1), r"expects x of shape \(N, \?, 3\); got \(2, 5, 4\)"),   # wrong width
    ((N, 5), r"expects x of shape \(N, \?, 3\); got \(2, 5\)"),              # wrong rank
    ((5, D), r"one sequence is a batch of one: pass x\[None\]"),              # a sequence, no batch
    ((N, 5, D, 1), r"expects x of shape"),                                    # too many axes
])
@pytest.mark.parametrize("cell", CELLS)
def test_a_sequence_of_the_wrong_rank_or_width_is_refused(cell, shape, message):
    with pytest.raises(ValueError, match=message):
        _make(cell).forward(np.zeros(shape))


def test_backward_before_forward_is_refused():
    with pytest.raises(ValueError, match="before forward"):
        RNN(D, H).backward(np.zeros((N, 2, H)))


def test_backward_refuses_an_upstream_gradient_of_another_shape(rng):
    layer = GRU(D, H)
    layer.forward(rng.normal(size=(N, 3, D)))
    with pytest.raises(ValueError, match=r"grad_out of shape \(2, 3, 4\)"):
        layer.backward(np.zeros((N, 2, H)))


def test_the_lstm_forget_gate_starts_open():
    assert np.all(LSTM(D, H, seed=0).params["b"][H:2 * H] == 1.0)


def test_repr_names_the_sizes_and_the_truncation():
    assert repr(LSTM(3, 8, truncate=5)) == "LSTM(3, 8, truncate=5)"
    assert repr(TimeDense(8, 3)) == "TimeDense(8, 3)"


# --- TimeDense and the per-step loss -----------------------------------------------------------

def test_time_dense_is_one_dense_layer_at_every_step(rng):
    layer = TimeDense(D, 5, seed=0)
    x = rng.normal(size=(N, 4, D))
    expected = np.stack([x[:, t] @ layer.params["W"] + layer.params["b"] for t in range(4)], axis=1)
    np.testing.assert_allclose(layer.forward(x), expected, rtol=1e-14)


def test_time_dense_backward_matches_finite_differences(rng):
    errors = gradcheck.check_layer(TimeDense(D, 5, seed=0), rng.normal(size=(N, 4, D)), seed=1)
    assert max(errors.values()) < 1e-6, errors


def test_last_step_keeps_the_last_step_and_sends_the_gradient_back_there(rng):
    x = rng.normal(size=(N, 4, D))
    np.testing.assert_array_equal(LastStep().forward(x), x[:, -1])
    errors = gradcheck.check_layer(LastStep(), x, seed=1)
    assert max(errors.values()) < 1e-6, errors


def test_a_many_to_one_network_scores_one_class_per_sequence(rng):
    net = Sequential([GRU(D, H, seed=0), LastStep(), Dense(H, 5, seed=1)])
    assert net.output_shape((None, D)) == (5,)
    assert net.forward(rng.normal(size=(N, 7, D))).shape == (N, 5)


def test_the_sequence_loss_is_the_mean_of_every_steps_softmax_cross_entropy(rng):
    logits, targets = rng.normal(size=(N, 4, 5)), rng.integers(0, 5, size=(N, 4))
    per_step = [softmax_cross_entropy(targets[:, t], logits[:, t], reduction="none") for t in range(4)]
    np.testing.assert_allclose(sequence_softmax_cross_entropy(targets, logits, reduction="none"),
                               np.stack(per_step, axis=1), rtol=1e-14)
    assert sequence_softmax_cross_entropy(targets, logits) == pytest.approx(np.mean(per_step), rel=1e-14)


def test_the_sequence_loss_gradient_matches_finite_differences(rng):
    logits, targets = rng.normal(size=(N, 4, 5)), rng.integers(0, 5, size=(N, 4))
    numerical = numerical_gradient(lambda: sequence_softmax_cross_entropy(targets, logits), logits)
    assert rel_error(sequence_softmax_cross_entropy_gradient(targets, logits), numerical) < 1e-6


def test_the_fused_loss_and_gradient_equal_the_two_functions(rng):
    logits, targets = rng.normal(size=(N, 4, 5)), rng.integers(0, 5, size=(N, 4))
    cost, grad = sequence_softmax_cross_entropy_and_gradient(targets, logits)
    assert cost == pytest.approx(sequence_softmax_cross_entropy(targets, logits), rel=1e-14)
    np.testing.assert_allclose(grad, sequence_softmax_cross_entropy_gradient(targets, logits), rtol=1e-14)
    targets[0, 0] = 5                                         # a class the logits do not have
    with pytest.raises(ValueError, match=r"0\.\.4"):
        sequence_softmax_cross_entropy_and_gradient(targets, logits)


def test_the_sequence_loss_wants_a_target_per_step():
    with pytest.raises(ValueError, match=r"y_true of shape \(N, T\).*got \(2, 3\) and \(2, 4, 5\)"):
        sequence_softmax_cross_entropy(np.zeros((2, 3), int), np.zeros((2, 4, 5)))


@pytest.mark.parametrize("cell", CELLS)
def test_a_network_of_a_recurrent_layer_and_time_dense_passes_the_gradient_check(cell, rng):
    net = Sequential([_make(cell), TimeDense(H, 5, seed=2)])   # parameters packed into one vector
    x, targets = rng.normal(size=(N, 6, D)), rng.integers(0, 5, size=(N, 6))
    errors = gradcheck.check_network(net, x, targets, sequence_softmax_cross_entropy,
                                     sequence_softmax_cross_entropy_gradient)
    assert max(errors.values()) < 1e-6, errors


def test_a_small_rnn_learns_namaskar():
    """The chapter's example: after "namaska" comes "r" (and "a" is followed by m, s and r)."""
    chars = "akmnrs"
    ids = np.array([chars.index(c) for c in "namaskar"])
    x, targets = np.eye(6)[ids[:-1]][None], ids[1:][None]
    net = Sequential([RNN(6, 16, seed=0), TimeDense(16, 6, seed=1)])
    optimizer = Adam(0.05)
    for _ in range(150):
        logits = net.forward(x)
        net.backward(sequence_softmax_cross_entropy_gradient(targets, logits))
        optimizer.step({"p": net.flat_params}, {"p": net.flat_grads})
    logits = net.forward(x)
    p_r = np.exp(logits[0, -1] - logits[0, -1].max())
    assert sequence_softmax_cross_entropy(targets, logits) < 0.05
    assert p_r[chars.index("r")] / p_r.sum() > 0.95


# --- The readable RNN (one step at a time) against the layer ----------------------------------

@pytest.mark.parametrize("steps", [1, 2, 10])
def test_the_readable_forward_computes_what_the_layer_does(steps, rng):
    layer = RNN(D, H, seed=1)
    x, layer.h0 = rng.normal(size=(N, steps, D)), rng.normal(size=(N, H))
    p = layer.params
    np.testing.assert_allclose(layer.forward(x), rnn_forward_naive(x, layer.h0, p["W_xh"], p["W_hh"], p["b"]),
                               rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("truncate", [None, 1, 3])
@pytest.mark.parametrize("steps", [1, 2, 10])
def test_the_readable_bptt_computes_what_the_layer_does(steps, truncate, rng):
    layer = RNN(D, H, seed=1, truncate=truncate)
    x, upstream, layer.h0 = rng.normal(size=(N, steps, D)), rng.normal(size=(N, steps, H)), rng.normal(size=(N, H))
    fast = _gradients(layer, x, upstream)
    p = layer.params
    states = rnn_forward_naive(x, layer.h0, p["W_xh"], p["W_hh"], p["b"])
    dx, grads, dh0 = rnn_backward_naive(upstream, x, states, layer.h0, p["W_xh"], p["W_hh"], truncate)
    for name, value in {"x": dx, **grads, "h0": dh0}.items():
        np.testing.assert_allclose(fast[name], value, rtol=1e-12, atol=1e-14, err_msg=name)


@pytest.mark.parametrize("steps", [1, 2, 10])
def test_the_readable_bptt_matches_finite_differences(steps, rng):
    x, h0, upstream = rng.normal(size=(N, steps, D)), rng.normal(size=(N, H)), rng.normal(size=(N, steps, H))
    p = {key: value.copy() for key, value in RNN(D, H, seed=1).params.items()}

    def loss():
        return np.sum(rnn_forward_naive(x, h0, p["W_xh"], p["W_hh"], p["b"]) * upstream)

    states = rnn_forward_naive(x, h0, p["W_xh"], p["W_hh"], p["b"])
    dx, grads, dh0 = rnn_backward_naive(upstream, x, states, h0, p["W_xh"], p["W_hh"])
    for name, analytic, array in [("x", dx, x), ("h0", dh0, h0), *((k, grads[k], p[k]) for k in grads)]:
        assert rel_error(analytic, numerical_gradient(loss, array)) < 1e-6, name


# --- Layers in a network pass each other time-major views: nothing copied, nothing changed ------

def test_time_dense_on_a_recurrent_layers_output_equals_it_on_a_contiguous_copy(rng):
    states = RNN(D, H, seed=0).forward(rng.normal(size=(N, 5, D)))   # a view of a (T, N, H) buffer
    assert not states.flags.c_contiguous
    upstream = rng.normal(size=(N, 5, 6))
    results = []
    for x in (states, np.ascontiguousarray(states)):
        layer = TimeDense(H, 6, seed=1)
        out = layer.forward(x)
        dx = layer.backward(upstream)        # the upstream gradient in the other layout: still right
        results.append((out, dx, layer.grads["W"].copy(), layer.grads["b"].copy()))
    for view, copy in zip(*results):
        np.testing.assert_allclose(view, copy, rtol=1e-13, atol=1e-15)


def test_the_fused_loss_on_time_major_logits_equals_it_on_a_contiguous_copy(rng):
    logits = np.ascontiguousarray(rng.normal(size=(4, N, 5))).transpose(1, 0, 2)   # (N, T, K) view
    targets = rng.integers(0, 5, size=(N, 4))
    cost, grad = sequence_softmax_cross_entropy_and_gradient(targets, logits)
    expected_cost, expected_grad = sequence_softmax_cross_entropy_and_gradient(targets, np.ascontiguousarray(logits))
    assert cost == pytest.approx(expected_cost, rel=1e-14)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-14)
    np.testing.assert_allclose(grad, sequence_softmax_cross_entropy_gradient(targets, logits), rtol=1e-14)


def test_the_scores_pass_from_time_dense_through_the_loss_and_back_without_a_copy(rng):
    from nnbook.rnn import _step_rows

    net = Sequential([RNN(D, H, seed=0), TimeDense(H, 6, seed=1)])
    logits = net.forward(rng.normal(size=(N, 5, D)))
    rows, time_major = _step_rows(logits)
    assert time_major and np.shares_memory(rows, logits)
    assert rows.flags.f_contiguous            # each class's scores lie together: fast row sums
    targets = rng.integers(0, 6, size=(N, 5))
    cost, grad = sequence_softmax_cross_entropy_and_gradient(targets, logits)
    assert np.shares_memory(_step_rows(grad)[0], grad)
    assert cost == pytest.approx(softmax_cross_entropy(targets.reshape(-1), np.ascontiguousarray(logits).reshape(-1, 6)),
                                 rel=1e-14)
    for batch_major in (np.ascontiguousarray(logits), rng.normal(size=(1, 5, 6)), rng.normal(size=(N, 1, 6))):
        rows, time_major = _step_rows(batch_major)
        assert not time_major and np.shares_memory(rows, batch_major)


def test_time_dense_skips_the_input_gradient_when_told(rng):
    layer = TimeDense(D, 5, seed=0)
    layer.forward(rng.normal(size=(N, 4, D)))
    layer.input_grad = False
    assert layer.backward(rng.normal(size=(N, 4, 5))) is None
    assert np.any(layer.grads["W"] != 0)


# --- Embedding: ids -> vectors, a row lookup ---------------------------------------------------

V, E = 7, 3


def test_embedding_is_one_hot_codes_times_its_matrix(rng):
    layer = Embedding(V, E, seed=0)
    ids = rng.integers(0, V, size=(N, 5))
    np.testing.assert_array_equal(layer.forward(ids), one_hot(ids, V) @ layer.params["W"])


def test_embedding_backward_sums_the_gradients_of_every_step_that_read_an_id(rng):
    layer = Embedding(V, E, seed=0)
    ids = rng.integers(0, V, size=(N, 6))
    upstream = rng.normal(size=(N, 6, E))
    layer.forward(ids)
    assert layer.backward(upstream) is None                       # ids have no gradient
    by_product = one_hot(ids, V).reshape(-1, V).T @ upstream.reshape(-1, E)
    by_add_at = np.zeros((V, E))
    np.add.at(by_add_at, ids.reshape(-1), upstream.reshape(-1, E))
    np.testing.assert_allclose(layer.grads["W"], by_product, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(layer.grads["W"], by_add_at, rtol=1e-13, atol=1e-15)
    assert np.all(layer.grads["W"][np.setdiff1d(np.arange(V), ids)] == 0)   # unread ids: zero


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_embedding_backward_matches_finite_differences(dtype, rng):
    layer = Embedding(V, E, seed=0, dtype=dtype)
    ids = rng.integers(0, V, size=(N, 4))
    upstream = rng.normal(size=(N, 4, E))
    layer.forward(ids)
    layer.backward(upstream.astype(dtype))
    assert layer.grads["W"].dtype == dtype
    W = layer.params["W"].astype(np.float64)          # differences in float64: the map is linear

    def loss():
        return np.sum(W[ids] * upstream)

    assert rel_error(layer.grads["W"], numerical_gradient(loss, W)) < (1e-6 if dtype == np.float64 else 1e-5)


def test_embedding_matches_pytorch(rng):
    torch = pytest.importorskip("torch")
    layer = Embedding(V, E, seed=0)
    ids = rng.integers(0, V, size=(N, 5))
    upstream = rng.normal(size=(N, 5, E))
    module = torch.nn.Embedding(V, E).double()
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(layer.params["W"].copy()))
    out = module(torch.from_numpy(ids))
    out.backward(torch.from_numpy(upstream))
    np.testing.assert_array_equal(layer.forward(ids), out.detach().numpy())
    layer.backward(upstream)
    np.testing.assert_allclose(layer.grads["W"], module.weight.grad.numpy(), rtol=1e-13, atol=1e-15)


def test_a_network_reading_ids_equals_the_one_reading_one_hot_codes(rng):
    """Embedding(V, H) then RNN(H, H) with W_xh = I is RNN(V, H) on one-hot codes, gradients too."""
    ids, targets = rng.integers(0, V, size=(N, 6)), rng.integers(0, V, size=(N, 6))
    by_ids = Sequential([Embedding(V, H, seed=0), RNN(H, H, seed=1), TimeDense(H, V, seed=2)])
    by_codes = Sequential([RNN(V, H, seed=1), TimeDense(H, V, seed=2)])
    by_ids[1].params["W_xh"][...] = np.eye(H)
    by_codes[0].params["W_xh"][...] = by_ids[0].params["W"]
    for key in ("W_hh", "b"):
        by_codes[0].params[key][...] = by_ids[1].params[key]
    results = []
    for net, x in ((by_ids, ids), (by_codes, one_hot(ids, V))):
        logits = net.forward(x)
        net.backward(sequence_softmax_cross_entropy_gradient(targets, logits))
        results.append((logits, net[-2].grads["W_hh"].copy(), net[-1].grads["W"].copy()))
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(by_ids[0].grads["W"], by_codes[0].grads["W_xh"], rtol=1e-12, atol=1e-14)


def test_an_embedding_network_passes_the_gradient_check_and_trains_on_ids(rng):
    from nnbook import training

    net = Sequential([Embedding(V, E, seed=0), RNN(E, H, seed=1), TimeDense(H, V, seed=2)])
    ids, targets = rng.integers(0, V, size=(N, 6)), rng.integers(0, V, size=(N, 6))
    errors = gradcheck.check_network(net, ids, targets, sequence_softmax_cross_entropy,
                                     sequence_softmax_cross_entropy_gradient)
    assert max(errors.values()) < 1e-6, errors
    history = training.fit(net, ids, targets, loss=(sequence_softmax_cross_entropy, sequence_softmax_cross_entropy_gradient),
                           optimizer=Adam(0.05), epochs=100, seed=0)
    assert history.loss[-1] < 0.1 * history.loss[0]


@pytest.mark.parametrize("ids, message", [
    (np.array([[0, 7]]), r"ids 0\.\.6; got 7"),                    # outside the vocabulary
    (np.array([[-1, 2]]), r"ids 0\.\.6; got -1"),
    (np.array([[0.5, 2.0]]), r"integer ids 0\.\.6"),               # not whole numbers
    (np.array(["a", "b"]), r"integer ids 0\.\.6"),
    (np.array([1, 2, 3]), r"shape \(N, T\).*pass ids\[None\]"),    # one sequence, no batch
    (np.zeros((2, 3, 7)), r"shape \(N, T\)"),                       # one-hot codes, not ids
])
def test_embedding_refuses_what_is_not_a_batch_of_ids(ids, message):
    with pytest.raises(ValueError, match=message):
        Embedding(V, E).forward(ids)
    with pytest.raises(ValueError, match=message):                 # and at a network's edge
        Sequential([Embedding(V, E), RNN(E, H)]).forward(ids)


def test_embedding_takes_whole_floats_and_names_its_sizes():
    layer = Embedding(V, E, seed=0)
    np.testing.assert_array_equal(layer.forward(np.array([[1.0, 2.0]])), layer.params["W"][[[1, 2]]])
    assert repr(layer) == "Embedding(7, 3)" and layer.n_params == V * E
    with pytest.raises(ValueError, match="embedding_dim"):
        Embedding(V, 0)


# --- Recurrent layers reading ids: one-hot codes as row numbers ------------------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("truncate", [None, 2])
@pytest.mark.parametrize("cell", CELLS)
def test_a_recurrent_layer_reading_ids_computes_what_it_does_on_one_hot_codes(cell, truncate, dtype, rng):
    ids = rng.integers(0, D, size=(N, 5))
    upstream = rng.normal(size=(N, 5, H)).astype(dtype)
    by_ids, by_codes = _make(cell, truncate=truncate, dtype=dtype), _make(cell, truncate=truncate, dtype=dtype)
    for layer in (by_ids, by_codes):
        _set_random_states(layer, np.random.default_rng(3))
    tol = {"rtol": 1e-12, "atol": 1e-14} if dtype == np.float64 else {"rtol": 1e-5, "atol": 1e-6}
    np.testing.assert_allclose(by_ids.forward(ids), by_codes.forward(one_hot(ids, D, dtype=dtype)), **tol)
    assert by_ids.backward(upstream) is None                     # ids have no gradient
    by_codes.backward(upstream)
    for key in by_codes.grads:
        assert by_ids.grads[key].dtype == dtype
        np.testing.assert_allclose(by_ids.grads[key], by_codes.grads[key], **tol, err_msg=key)
    for name in by_ids.state_names:
        np.testing.assert_allclose(getattr(by_ids, f"grad_{name}0"), getattr(by_codes, f"grad_{name}0"), **tol)


@pytest.mark.parametrize("cell", CELLS)
def test_a_recurrent_layer_reading_ids_passes_the_gradient_check(cell, rng):
    net = Sequential([_make(cell), TimeDense(H, 5, seed=2)])
    ids, targets = rng.integers(0, D, size=(N, 4)), rng.integers(0, 5, size=(N, 4))
    errors = gradcheck.check_network(net, ids, targets, sequence_softmax_cross_entropy,
                                     sequence_softmax_cross_entropy_gradient)
    assert max(errors.values()) < 1e-6, errors


def test_fit_on_ids_follows_fit_on_one_hot_codes(rng):
    from nnbook import training

    ids, targets = rng.integers(0, D, size=(12, 6)), rng.integers(0, 5, size=(12, 6))
    loss = (sequence_softmax_cross_entropy, sequence_softmax_cross_entropy_gradient)
    runs = []
    for x in (ids, one_hot(ids, D)):
        net = Sequential([RNN(D, H, seed=1), TimeDense(H, 5, seed=2)])
        history = training.fit(net, x, targets, loss=loss, optimizer=Adam(0.05), epochs=20, batch_size=4,
                               clip_norm=1.0, seed=0)
        runs.append((history.loss, net.flat_params.copy()))
    np.testing.assert_allclose(runs[0][0], runs[1][0], rtol=1e-10)
    np.testing.assert_allclose(runs[0][1], runs[1][1], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("ids, message", [
    (np.array([[0, 3]]), r"RNN\(3, 4\) reads ids 0\.\.2; got 3"),      # outside the vocabulary
    (np.array([[-1, 2]]), r"reads ids 0\.\.2; got -1"),
    (np.array([1, 2, 0]), r"shape \(N, T\).*pass ids\[None\]"),         # one sequence, no batch
    (np.zeros((2, 3, 4), int), r"shape \(N, T\)"),                       # a rank too many
])
def test_a_recurrent_layer_refuses_ids_it_cannot_read(ids, message):
    with pytest.raises(ValueError, match=message):
        RNN(D, H).forward(ids)
    with pytest.raises(ValueError, match=message):                     # and at a network's edge
        Sequential([RNN(D, H), TimeDense(H, 5)]).forward(ids)


def test_floats_of_one_sequence_are_still_read_as_codes_and_refused_with_a_hint():
    with pytest.raises(ValueError, match=r"\(N, T, 3\).*integer ids of shape \(N, T\).*x\[None\]"):
        RNN(D, H).forward(np.zeros((5, D)))


def test_the_network_keeps_ids_integers_and_knows_the_output_shape(rng):
    net = Sequential([RNN(D, H, seed=0), TimeDense(H, 5, seed=1)])
    ids = rng.integers(0, D, size=(N, 4)).astype(np.int32)
    assert net.check_input(ids).dtype.kind == "i"
    assert net.output_shape((4,)) == (4, 5)
    assert net.forward(ids).shape == (N, 4, 5)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_summing_rows_by_id_is_add_at_exactly_for_every_batch_shape(dtype, rng):
    from nnbook.rnn import _SumRowsById

    sums = _SumRowsById()
    for M, V_ in ((10, 4), (10, 4), (7, 4), (7, 6), (30, 6)):     # same shape twice, then new ones
        ids = rng.integers(0, V_ - 1, size=M)                    # the last id never read
        rows = rng.normal(size=(M, 3)).astype(dtype)
        out = np.full((V_, 3), np.nan, dtype)
        sums(ids, rows, out)
        expected = np.zeros((V_, 3), dtype)
        np.add.at(expected, ids, rows)
        np.testing.assert_array_equal(out, expected)
        assert np.all(out[V_ - 1] == 0)


# --- Gradient clipping ---------------------------------------------------------------------------

def _big_gradients():
    return {"W": np.array([[30.0, -1.0], [0.5, 2.0]]), "b": np.array([-40.0, 0.1])}


def test_clip_by_global_norm_shrinks_the_whole_gradient_to_max_norm():
    grads = _big_gradients()
    norm = clip_by_global_norm(grads, 5.0)
    assert norm == pytest.approx(np.sqrt(30**2 + 1 + 0.25 + 4 + 40**2 + 0.01))
    assert global_norm(grads) == pytest.approx(5.0)


def test_clip_by_global_norm_leaves_a_small_gradient_alone():
    grads = {"W": np.array([0.3, -0.4])}
    assert clip_by_global_norm(grads, 1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(grads["W"], [0.3, -0.4])


def test_clip_by_value_cuts_each_number_to_the_limit():
    grads = _big_gradients()
    norm_before = global_norm(_big_gradients())
    assert clip_by_value(grads, 5.0) == pytest.approx(norm_before)
    np.testing.assert_array_equal(grads["W"], [[5.0, -1.0], [0.5, 2.0]])
    np.testing.assert_array_equal(grads["b"], [-5.0, 0.1])


def test_global_norm_clipping_keeps_the_direction_and_value_clipping_changes_it():
    def direction(grads):
        flat = np.concatenate([g.ravel() for g in grads.values()])
        return flat / np.linalg.norm(flat)

    original, by_norm, by_value = _big_gradients(), _big_gradients(), _big_gradients()
    clip_by_global_norm(by_norm, 5.0)
    clip_by_value(by_value, 5.0)
    assert direction(by_norm) @ direction(original) == pytest.approx(1.0, abs=1e-12)
    assert direction(by_value) @ direction(original) < 0.96  # about 17 degrees off
    assert by_norm["b"][0] / by_norm["W"][0, 0] == pytest.approx(-40 / 30)
    assert by_value["b"][0] / by_value["W"][0, 0] == -1.0     # both cut to the limit


def test_clipping_works_on_a_list_and_on_a_networks_flat_gradients():
    grads = [np.array([3.0, 4.0]), np.array([12.0])]
    assert clip_by_global_norm(grads, 1.0) == pytest.approx(13.0)
    np.testing.assert_allclose(grads[1], [12.0 / 13.0])
    net = Sequential([RNN(2, 3, seed=0), TimeDense(3, 2, seed=0)])
    net.flat_grads[...] = 10.0
    clip_by_value(net.flat_grads, 1.0)
    assert np.all(net[0].grads["W_hh"] == 1.0)               # the layers' grads are views


@pytest.mark.parametrize("clip", [clip_by_global_norm, clip_by_value])
def test_clipping_refuses_diverged_gradients_and_things_it_cannot_change(clip):
    with pytest.raises(ValueError, match="NaN or inf"):
        clip({"W": np.array([1.0, np.nan])}, 1.0)
    with pytest.raises(ValueError, match="writeable float numpy array"):
        clip([[1.0, 2.0]], 1.0)
    with pytest.raises(ValueError, match="positive"):
        clip({"W": np.ones(2)}, 0.0)
