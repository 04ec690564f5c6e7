"""Behaviours of nnbook.layers that mutation testing found untested (tools/mutation.py)."""

import numpy as np
import pytest

from nnbook import layers
from nnbook.layers import Dense, Layer, ReLU, Sequential, Softmax


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
