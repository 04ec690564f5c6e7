"""nnbook.layers: Dense, activation layers and Sequential, against scikit-learn's MLP."""

import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from nnbook import activations, layers
from nnbook.layers import (
    Activation,
    Dense,
    Layer,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
    dense_param_count,
    mlp_param_count,
)


def _fitted_mlp(n_classes, hidden=(8, 6)):
    X, y = make_classification(n_samples=120, n_features=4, n_informative=3, n_redundant=0,
                               n_classes=n_classes, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier(hidden_layer_sizes=hidden, activation="relu", max_iter=60,
                            random_state=0).fit(X, y)
    return mlp, X


def _from_mlp(mlp, output):
    layers = []
    for W, b in zip(mlp.coefs_, mlp.intercepts_):
        layers += [Dense.from_weights(W, b), ReLU()]
    return Sequential([*layers[:-1], output])


def test_sequential_reproduces_sklearn_multiclass_predict_proba():
    mlp, X = _fitted_mlp(n_classes=3)
    net = _from_mlp(mlp, Softmax())
    np.testing.assert_allclose(net.forward(X), mlp.predict_proba(X), rtol=0, atol=1e-10)


def test_sequential_reproduces_sklearn_binary_predict_proba():
    mlp, X = _fitted_mlp(n_classes=2)
    net = _from_mlp(mlp, Sigmoid())
    np.testing.assert_allclose(net.forward(X)[:, 0], mlp.predict_proba(X)[:, 1], rtol=0, atol=1e-10)


def test_dense_forward_is_x_at_w_plus_b(rng):
    layer = Dense(4, 3, seed=1)
    layer.params["b"][...] = rng.normal(size=3)
    x = rng.normal(size=(100, 4))
    np.testing.assert_allclose(layer.forward(x), x @ layer.params["W"] + layer.params["b"])


def test_dense_forward_matches_a_loop_over_units(rng):
    layer = Dense(3, 2, seed=2)
    x = rng.normal(size=(5, 3))
    W, b = layer.params["W"], layer.params["b"]
    naive = [[sum(x[n, i] * W[i, j] for i in range(3)) + b[j] for j in range(2)] for n in range(5)]
    np.testing.assert_allclose(layer.forward(x), naive)


def test_one_sample_and_a_batch_give_the_same_rows(rng):
    layer = Dense(4, 3)
    x = rng.normal(size=(100, 4))
    np.testing.assert_allclose(layer.forward(x[:1]), layer.forward(x)[:1])


def test_dense_caches_its_input_for_backward(rng):
    layer = Dense(2, 2)
    x = rng.normal(size=(3, 2))
    layer.forward(x)
    np.testing.assert_array_equal(layer._x, x)


@pytest.mark.parametrize("shape", [(10, 5), (4,), (2, 4, 1)])
def test_dense_rejects_a_wrong_shape_naming_layer_expected_and_received(shape):
    with pytest.raises(ValueError) as error:
        Dense(4, 3).forward(np.zeros(shape))
    message = str(error.value)
    assert "Dense(4, 3)" in message and "(N, 4)" in message and str(shape) in message


def test_one_sample_without_a_batch_axis_gets_a_reshape_hint():
    with pytest.raises(ValueError, match=r"reshape\(1, -1\)"):
        Dense(4, 3).forward(np.zeros(4))


def test_dense_weights_are_seeded():
    np.testing.assert_array_equal(Dense(4, 3, seed=7).params["W"], Dense(4, 3, seed=7).params["W"])
    assert not np.array_equal(Dense(4, 3, seed=7).params["W"], Dense(4, 3, seed=8).params["W"])


@pytest.mark.parametrize("init, std", [("glorot", np.sqrt(2 / 700)), ("he", np.sqrt(2 / 400)),
                                       ("normal", 1.0)])
def test_dense_initialisation_has_the_rule_s_spread(init, std):
    layer = Dense(400, 300, init=init, seed=0)
    assert layer.params["W"].std() == pytest.approx(std, rel=0.02)
    assert not layer.params["b"].any()


def test_dense_rejects_an_unknown_initialisation():
    with pytest.raises(ValueError, match="glorot"):
        Dense(2, 2, init="xavier-ish")


def test_grads_have_the_params_keys_and_shapes():
    layer = Dense(4, 3)
    assert {k: v.shape for k, v in layer.grads.items()} == {k: v.shape for k, v in layer.params.items()}


def test_a_layer_without_backward_points_to_chapter_5():
    # Dense and the activations got their backward in chapter 5 (tests/unit/test_backward.py)
    with pytest.raises(NotImplementedError, match="chapter 5"):
        Layer().backward(np.zeros((1, 2)))


@pytest.mark.parametrize("layer, name", [(ReLU(), "relu"), (Sigmoid(), "sigmoid"), (Tanh(), "tanh"),
                                         (Activation("elu"), "elu")])
def test_activation_layers_apply_the_library_functions(layer, name, rng):
    x = rng.normal(size=(6, 3))
    np.testing.assert_array_equal(layer.forward(x), activations.ACTIVATIONS[name].function(x))
    assert layer.params == {} and layer.grads == {} and layer.n_params == 0


def test_softmax_layer_rows_sum_to_one(rng):
    y = Softmax().forward(100 * rng.normal(size=(5, 4)))
    np.testing.assert_allclose(y.sum(axis=1), 1.0)


def test_activation_rejects_an_unknown_name():
    with pytest.raises(ValueError, match="relu"):
        Activation("swish-ish")


def test_parameter_count_of_the_example_network_is_computed_from_the_layers():
    sizes = [4, 4, 5, 6, 4, 3, 3]
    layers = []
    for m, n in zip(sizes, sizes[1:]):
        layers += [Dense(m, n), ReLU()]
    net = Sequential(layers)
    assert net.n_params == sum(layer.params["W"].size + layer.params["b"].size
                               for layer in net.layers if isinstance(layer, Dense))
    assert net.n_params == mlp_param_count(sizes)


def test_vgg16_fc1_has_102_760_448_weights():
    pooled = 7 * 7 * 512          # the last pooling output, flattened
    assert pooled == 25_088
    assert dense_param_count(pooled, 4096, bias=False) == 4096 * pooled == 102_760_448
    assert dense_param_count(pooled, 4096) == 102_760_448 + 4096


def test_dense_param_count_matches_a_built_layer():
    assert Dense(13, 7).n_params == dense_param_count(13, 7)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_dense_param_count_rejects_non_positive_integers(bad):
    with pytest.raises(ValueError, match="positive integer"):
        dense_param_count(bad, 4)


def test_sequential_rejects_layers_that_do_not_fit():
    with pytest.raises(ValueError, match=r"Dense\(5, 2\).*Dense\(4, 4\)"):
        Sequential([Dense(4, 4), ReLU(), Dense(5, 2)])


def test_sequential_rejects_a_non_layer():
    with pytest.raises(ValueError, match="must be a Layer"):
        Sequential([Dense(2, 2), np.tanh])


def test_sequential_names_the_first_layer_when_the_input_does_not_fit():
    net = Sequential([Dense(4, 3), ReLU()])
    with pytest.raises(ValueError, match=r"Dense\(4, 3\) expects x of shape \(N, 4\); got \(100, 5\)"):
        net.forward(np.zeros((100, 5)))


def test_trace_returns_every_layer_output(rng):
    net = Sequential([Dense(2, 3), ReLU(), Dense(3, 1)])
    x = rng.normal(size=(4, 2))
    steps = net.trace(x)
    assert [layer for layer, _ in steps] == net.layers
    assert [out.shape for _, out in steps] == [(4, 3), (4, 3), (4, 1)]
    np.testing.assert_array_equal(steps[-1][1], net.forward(x))


def test_summary_lists_layers_output_shapes_and_parameters():
    net = Sequential([Dense(4, 5), ReLU(), Dense(5, 3), Softmax()])
    text = net.summary()
    assert "Dense(4, 5)" in text and "(N, 5)" in text and "(N, 3)" in text
    assert "total parameters: 43" in text
    assert max(len(line) for line in text.splitlines()) <= 76


def test_parameters_pairs_every_array_with_its_gradient():
    net = Sequential([Dense(4, 5), ReLU(), Dense(5, 3)])
    names = [name for name, _, _ in net.parameters()]
    assert names == ["0.W", "0.b", "2.W", "2.b"]
    assert all(p.shape == g.shape for _, p, g in net.parameters())


def test_sequential_packs_parameters_and_gradients_into_two_flat_vectors(rng):
    layers = [Dense(4, 5, seed=0), ReLU(), Dense(5, 3, seed=1)]
    before = [(layer.params[key].copy(), layer.params[key]) for layer in layers[::2] for key in "Wb"]
    x = rng.normal(size=(6, 4))
    expected = x
    for layer in layers:
        expected = layer.forward(expected)
    net = Sequential(layers)
    # the same values, now views of one vector each, in the order of parameters()
    flat_p, flat_g = net._flat_params, net._flat_grads
    assert flat_p.shape == flat_g.shape == (43,) and not np.shares_memory(flat_p, flat_g)
    start = 0
    for (_name, p, g), (value, old) in zip(net.parameters(), before):
        assert p is not old and np.array_equal(p, value)
        assert np.shares_memory(p, flat_p[start:start + p.size])
        assert np.array_equal(flat_p[start:start + p.size], value.ravel())
        assert np.shares_memory(g, flat_g[start:start + g.size])
        start += p.size
    assert np.array_equal(net.forward(x), expected)
    # backward writes into the flat gradient vector
    net.backward(np.ones((6, 3)))
    assert np.array_equal(flat_g[-3:], np.full(3, 6.0))
    # a step on the flat vector moves the layers
    flat_p += 1.0
    assert np.array_equal(layers[2].params["b"], before[3][0] + 1.0)


def test_sequential_refuses_a_layer_used_twice_and_says_why():
    dense = Dense(3, 3, seed=0)
    with pytest.raises(ValueError, match=r"^layer 2, Dense\(3, 3\), is the same object as layer 0: "
                                         r"a layer keeps what its last forward cached"):
        Sequential([dense, ReLU(), dense])


def test_sequential_refuses_layers_of_two_dtypes():
    with pytest.raises(ValueError, match=r"must share one dtype.*float32.*float64"):
        Sequential([Dense(3, 3), ReLU(), Dense(3, 2, dtype=np.float32)])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_network_keeps_its_dtype_from_input_to_gradients(dtype, rng):
    net = Sequential([Dense(4, 5, seed=0, dtype=dtype), Tanh(), Dense(5, 2, seed=1, dtype=dtype)])
    assert net.dtype == dtype and net.flat_params.dtype == dtype and net.flat_grads.dtype == dtype
    y = net.forward(rng.normal(size=(3, 4)))          # float64 data: converted once, at the edge
    assert y.dtype == dtype
    assert net.backward(np.ones((3, 2), dtype)).dtype == dtype
    assert all(p.dtype == g.dtype == dtype for _, p, g in net.parameters())


def test_a_float32_network_computes_what_the_float64_one_does(rng):
    x = rng.normal(size=(5, 4))
    nets = [Sequential([Dense(4, 6, seed=0, dtype=d), ReLU(), Dense(6, 2, seed=1, dtype=d)])
            for d in (np.float64, np.float32)]
    np.testing.assert_allclose(nets[1].forward(x), nets[0].forward(x), rtol=1e-5, atol=1e-6)


def test_a_layer_inside_a_network_is_not_checked_again_but_alone_it_is(rng):
    net = Sequential([Dense(2, 3, seed=0), ReLU()])
    net.forward(rng.normal(size=(4, 2)))
    with pytest.raises(ValueError, match="contains NaN"):
        net.layers[1].forward(np.array([[np.nan, 0.0, 1.0]]))
    with pytest.raises(ValueError, match="contains NaN"):
        net.forward(np.array([[np.nan, 0.0]]))


def test_output_shape_describes_one_example_and_rejects_a_misfit():
    assert Dense(4, 3).output_shape((4,)) == (3,)
    assert ReLU().output_shape((2, 5, 5)) == (2, 5, 5)
    assert Sequential([Dense(4, 3), ReLU(), Dense(3, 7)]).output_shape(4) == (7,)
    with pytest.raises(ValueError, match=r"Dense\(4, 3\) expects examples of shape \(4,\); got \(5,\)"):
        Dense(4, 3).output_shape((5,))


def test_summary_prints_shapes_of_any_rank():
    text = Sequential([ReLU(), Softmax()]).summary((3, 4, 4))
    assert "(N, 3, 4, 4)" in text


def test_train_and_eval_set_every_layers_mode():
    net = Sequential([Dense(2, 2), ReLU()])
    assert net.eval() is net and not any(layer.training for layer in net.layers)
    assert all(layer.training for layer in net.train().layers)
    with pytest.raises(ValueError, match="mode must be True"):
        net.train("yes")


def test_sequential_backward_runs_the_layers_in_reverse():
    calls = []

    class Probe(Layer):
        def __init__(self, tag):
            super().__init__()
            self.tag = tag

        def backward(self, grad_out):
            calls.append(self.tag)
            return grad_out + 1

    assert Sequential([Probe("a"), Probe("b")]).backward(0) == 2
    assert calls == ["b", "a"]


# --- seeds and bad input (issue 9) ----------------------------------------------------------

def test_two_unseeded_dense_layers_get_different_weights():
    assert not np.array_equal(Dense(4, 3).params["W"], Dense(4, 3).params["W"])


def test_layers_seeded_from_one_generator_draw_in_turn():
    rng = np.random.default_rng(0)
    first, second = Dense(4, 3, seed=rng), Dense(4, 3, seed=rng)
    reference = np.random.default_rng(0)
    np.testing.assert_array_equal(first.params["W"], reference.normal(0, np.sqrt(2 / 7), size=(4, 3)))
    np.testing.assert_array_equal(second.params["W"], reference.normal(0, np.sqrt(2 / 7), size=(4, 3)))


@pytest.mark.parametrize("seed, shown", [(True, "True"), (0.5, "0.5")])
def test_dense_rejects_a_seed_that_is_not_an_int_or_generator(seed, shown):
    with pytest.raises(ValueError, match=rf"^seed must be None .*; got {shown}$"):
        Dense(4, 3, seed=seed)


@pytest.mark.parametrize("bad, shown", [(0, "0"), (-3, "-3"), (2.5, "2.5"), (3.0, "3.0"), (True, "True")])
def test_dense_param_count_names_the_bad_count(bad, shown):
    with pytest.raises(ValueError, match=f"^n_in must be a positive integer; got {re.escape(shown)}$"):
        dense_param_count(bad, 4)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_layer_rejects_nan_or_inf_input_naming_itself(bad):
    x = np.zeros((2, 4))
    x[1, 2] = bad
    with pytest.raises(ValueError, match=re.escape("x (the input of Dense(4, 3)) contains NaN or inf")):
        Dense(4, 3).forward(x)
    with pytest.raises(ValueError, match=re.escape("x (the input of ReLU()) contains NaN or inf")):
        ReLU().forward(x)


def test_a_layer_rejects_an_empty_batch():
    with pytest.raises(ValueError, match=re.escape(
            "x (the input of Softmax()) is empty (shape (0, 3)); it needs at least one value")):
        Softmax().forward(np.zeros((0, 3)))


def test_a_layer_rejects_strings():
    with pytest.raises(ValueError, match=re.escape(
            "x (the input of Dense(2, 1)) must be numbers (an int or float array); got dtype <U1")):
        Dense(2, 1).forward([["a", "b"]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_layers_follow_the_one_dtype_rule(dtype, rng):
    x = rng.normal(size=(3, 2)).astype(dtype)
    assert ReLU().forward(x).dtype == dtype and Softmax().forward(x).dtype == dtype
    assert ReLU().forward(x.astype(int)).dtype == np.float64


def test_from_weights_rejects_nan_weights():
    with pytest.raises(ValueError, match=r"^W contains NaN or inf$"):
        Dense.from_weights([[np.nan]], [0.0])


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

def test_a_network_of_one_layer_counts_its_parameters():
    assert layers.mlp_param_count([4, 3]) == 4 * 3 + 3


def test_layer_sizes_without_a_layer_are_rejected_with_the_reason():
    with pytest.raises(ValueError, match=r"layer_sizes needs the input size and at least one layer; got \[4\]"):
        layers.mlp_param_count([4])


def test_calling_a_layer_runs_its_forward(rng):
    layer = Dense(3, 2, seed=0)
    x = rng.normal(size=(4, 3))
    np.testing.assert_array_equal(layer(x), x @ layer.params["W"] + layer.params["b"])


def test_a_layer_without_forward_says_which_class_lacks_it():
    class Doubler(Layer):
        pass

    with pytest.raises(NotImplementedError, match=r"^Doubler does not define forward\(x\)$"):
        Doubler().forward(np.ones((1, 2)))


def test_backward_before_chapter_5_says_where_it_comes():
    with pytest.raises(NotImplementedError, match=r"^Layer\.backward comes in chapter 5 \(backpropagation\); "
                                                  r"chapter 3 only runs networks forward$"):
        Layer().backward(np.ones((1, 2)))


def test_from_weights_rejects_biases_of_the_wrong_length():
    # a single bias would broadcast silently over the 3 outputs
    with pytest.raises(ValueError, match=r"Dense\.from_weights expects W of shape \(n_in, n_out\) and b of "
                                         r"shape \(n_out,\); got \(2, 3\) and \(1,\)"):
        Dense.from_weights(np.ones((2, 3)), [0.5])


def test_from_weights_names_the_biases_when_they_contain_nan():
    with pytest.raises(ValueError, match=r"^b contains NaN or inf$"):
        Dense.from_weights(np.ones((2, 3)), [0.0, np.nan, 0.0])


def test_softmax_layer_normalises_the_last_axis_of_a_3d_batch(rng):
    x = rng.normal(size=(2, 4, 3))          # (N, T, K): a score vector per time step
    y = Softmax().forward(x)
    e = np.exp(x)
    np.testing.assert_allclose(y, e / e.sum(axis=2, keepdims=True))


def test_softmax_layer_backward_of_a_3d_batch_applies_each_rows_jacobian(rng):
    x = rng.normal(size=(2, 4, 3))
    g = rng.normal(size=(2, 4, 3))
    layer = Softmax()
    s = layer.forward(x)
    dx = layer.backward(g)
    for n in range(2):
        for t in range(4):
            jacobian = np.diag(s[n, t]) - np.outer(s[n, t], s[n, t])
            np.testing.assert_allclose(dx[n, t], jacobian @ g[n, t], atol=1e-12)


def test_an_empty_sequential_is_rejected_with_the_reason():
    with pytest.raises(ValueError, match=r"^Sequential needs at least one layer$"):
        Sequential([])


def test_sequential_output_width_follows_every_layer():
    net = Sequential([Dense(4, 5, seed=0), ReLU()])
    assert net.output_width(4) == 5


def test_sequential_repr_lists_its_layers():
    assert repr(Sequential([Dense(4, 5, seed=0), ReLU()])) == "Sequential([Dense(4, 5), ReLU()])"


def test_summary_is_an_aligned_table_of_layers_shapes_and_parameters():
    net = Sequential([Dense(4, 5, seed=0), ReLU(), Dense(5, 3, seed=1), Softmax()])
    assert net.summary() == (
        "layer           output shape  parameters\n"
        "----------------------------------------\n"
        "0: Dense(4, 5)  (N, 5)                25\n"
        "1: ReLU()       (N, 5)                 0\n"
        "2: Dense(5, 3)  (N, 3)                18\n"
        "3: Softmax()    (N, 3)                 0\n"
        "----------------------------------------\n"
        "total parameters: 43"
    )


def test_summary_of_a_network_without_dense_layers_uses_the_given_input_width():
    assert "0: ReLU()  (N, 4)" in Sequential([ReLU()]).summary(input_width=4)


def test_summary_of_a_network_without_dense_layers_shows_an_unknown_width():
    assert "0: ReLU()  (N, ?)" in Sequential([ReLU()]).summary()


def test_a_misfit_after_flatten_is_named_where_the_network_is_entered():
    from nnbook.conv import Conv2D, Flatten

    net = Sequential([Conv2D(1, 4, 3, seed=0), ReLU(), Flatten(), Dense(100, 3)])
    with pytest.raises(ValueError, match=re.escape("for x of shape (2, 1, 8, 8), layer 3: Dense(100, 3) "
                                                   "expects examples of shape (100,); got (144,)")):
        net.forward(np.zeros((2, 1, 8, 8)))
