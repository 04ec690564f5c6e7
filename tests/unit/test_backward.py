"""Chapter 5: every layer's and loss's backward agrees with central finite differences."""

import re

import numpy as np
import pytest

from nnbook import losses
from nnbook.activations import ACTIVATIONS
from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.layers import Activation, Dense, ReLU, Sequential, Sigmoid, Softmax, Tanh

LAYERS = {
    "dense": lambda: Dense(5, 3, init="normal", seed=1),
    "relu": ReLU,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "softmax": Softmax,
    **{f"activation-{name}": (lambda name=name: Activation(name))
       for name in ACTIVATIONS if name != "step"},
    "sequential": lambda: Sequential([Dense(5, 4, seed=2), Tanh(), Dense(4, 3, seed=3), Softmax()]),
}


def _input(layer, rng):
    x = rng.normal(size=(6, 5))
    x[np.abs(x) < 1e-3] = 0.1      # keep away from the kinks of ReLU-like activations
    return x


@pytest.mark.parametrize("make_layer", LAYERS.values(), ids=LAYERS.keys())
def test_backward_input_gradient_matches_finite_differences(make_layer, rng):
    layer = make_layer()
    x = _input(layer, rng)
    proj = rng.normal(size=layer.forward(x).shape)   # random upstream gradient, not ones

    def loss():
        return np.sum(layer.forward(x) * proj)

    layer.forward(x)
    dx = layer.backward(proj)
    assert rel_error(dx, numerical_gradient(loss, x)) < 1e-6


@pytest.mark.parametrize("make_layer", [LAYERS["dense"], LAYERS["sequential"]], ids=["dense", "sequential"])
def test_backward_parameter_gradients_match_finite_differences(make_layer, rng):
    layer = make_layer()
    x = _input(layer, rng)
    proj = rng.normal(size=layer.forward(x).shape)

    def loss():
        return np.sum(layer.forward(x) * proj)

    layer.forward(x)
    layer.backward(proj)
    layers = layer.layers if isinstance(layer, Sequential) else [layer]
    for sub in layers:
        for name, param in sub.params.items():
            analytic = sub.grads[name].copy()
            assert rel_error(analytic, numerical_gradient(loss, param)) < 1e-6, (sub, name)


def test_dense_backward_is_the_three_formulas(rng):
    layer = Dense(3, 2, seed=0)
    x, g = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    layer.forward(x)
    dx = layer.backward(g)
    np.testing.assert_allclose(layer.grads["W"], x.T @ g)
    np.testing.assert_allclose(layer.grads["b"], g.sum(axis=0))
    np.testing.assert_allclose(dx, g @ layer.params["W"].T)


def test_dense_backward_names_the_expected_shape():
    layer = Dense(3, 2)
    layer.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=re.escape(
            "Dense(3, 2).backward expects grad_out of shape (4, 2), the shape of its last output; "
            "got (4, 3)")):
        layer.backward(np.zeros((4, 3)))


LOSS_CASES = {
    "mean_squared_error": (losses.mean_squared_error, losses.mean_squared_error_gradient, "real"),
    "half_squared_error": (losses.half_squared_error, losses.half_squared_error_gradient, "real"),
    "binary_cross_entropy": (losses.binary_cross_entropy, losses.binary_cross_entropy_gradient, "prob"),
    "binary_cross_entropy_from_logits": (losses.binary_cross_entropy_from_logits,
                                         losses.binary_cross_entropy_from_logits_gradient, "real"),
    "categorical_cross_entropy": (losses.categorical_cross_entropy,
                                  losses.categorical_cross_entropy_gradient, "simplex"),
    "softmax_cross_entropy": (losses.softmax_cross_entropy, losses.softmax_cross_entropy_gradient, "onehot"),
}


def _loss_inputs(loss, kind, rng, shape=(5, 3)):
    if kind == "real":
        y_true, y_pred = rng.normal(size=shape), rng.normal(size=shape)
        if loss is losses.binary_cross_entropy_from_logits:
            y_true = rng.uniform(size=shape)
    elif kind == "prob":
        y_true, y_pred = rng.uniform(size=shape), rng.uniform(0.1, 0.9, size=shape)
    else:
        y_true = np.eye(3)[rng.integers(0, 3, size=5)]
        y_pred = rng.uniform(0.1, 0.9, size=shape) if kind == "simplex" else rng.normal(size=shape)
    return y_true, y_pred


@pytest.mark.parametrize("case", LOSS_CASES.values(), ids=LOSS_CASES.keys())
def test_loss_gradient_matches_finite_differences(case, rng):
    loss, gradient, kind = case
    y_true, y_pred = _loss_inputs(loss, kind, rng)
    analytic = gradient(y_true, y_pred)
    numeric = numerical_gradient(lambda: loss(y_true, y_pred), y_pred)
    assert analytic.shape == y_pred.shape
    assert rel_error(analytic, numeric) < 1e-6


KIND_OF = {case[0]: case[2] for case in LOSS_CASES.values()}


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_every_registered_name_has_the_gradient_of_its_own_loss(name, rng):
    """The registry pairs each spelling with the right gradient: ``fit(loss="mse")`` trains on
    the gradient of mean squared error, not of half the squared error."""
    loss, gradient = losses.get_loss(name), losses.get_loss_gradient(name)
    y_true, y_pred = _loss_inputs(loss, KIND_OF[loss], rng)
    numeric = numerical_gradient(lambda: loss(y_true, y_pred), y_pred)
    assert rel_error(gradient(y_true, y_pred), numeric) < 1e-6


def test_every_loss_has_its_gradient_registered():
    for name in ["mse", "binary_crossentropy", "categorical_crossentropy", "softmax_cross_entropy",
                 "binary_cross_entropy_from_logits", "half_squared_error"]:
        assert callable(losses.get_loss_gradient(name))


def test_softmax_cross_entropy_through_the_softmax_layer_equals_the_shortcut(rng):
    z = rng.normal(size=(4, 3))
    y = np.eye(3)[[0, 2, 1, 1]]
    layer = Softmax()
    p = layer.forward(z)
    via_layer = layer.backward(losses.categorical_cross_entropy_gradient(y, p))
    np.testing.assert_allclose(via_layer, losses.softmax_cross_entropy_gradient(y, z), atol=1e-12)


# --- bad upstream gradients (issue 9): every layer says what it expected --------------------

SINGLE_LAYERS = {name: make for name, make in LAYERS.items() if name != "sequential"}


@pytest.mark.parametrize("make_layer", SINGLE_LAYERS.values(), ids=SINGLE_LAYERS.keys())
def test_backward_before_any_forward_is_a_clear_value_error(make_layer):
    layer = make_layer()
    message = (f"{layer!r}.backward was called before forward; run forward(x) first (backward "
               "uses what forward cached)")
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        layer.backward(np.ones((6, 3)))


@pytest.mark.parametrize("bad_shape", [(6, 1), (1, 3), (6,), (6, 3, 1)], ids=str)
@pytest.mark.parametrize("make_layer", SINGLE_LAYERS.values(), ids=SINGLE_LAYERS.keys())
def test_an_upstream_gradient_of_the_wrong_shape_is_not_broadcast(make_layer, bad_shape, rng):
    layer = make_layer()
    out = layer.forward(_input(layer, rng))
    bad = np.ones(bad_shape)
    message = (f"{layer!r}.backward expects grad_out of shape {out.shape}, the shape of its last "
               f"output; got {bad_shape}")
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        layer.backward(bad)


def test_sequential_backward_reports_the_last_layers_expected_shape(rng):
    net = LAYERS["sequential"]()
    net.forward(rng.normal(size=(6, 5)))
    with pytest.raises(ValueError, match=re.escape("Softmax().backward expects grad_out of shape (6, 3)")):
        net.backward(np.ones((6, 1)))


@pytest.mark.parametrize("make_layer", SINGLE_LAYERS.values(), ids=SINGLE_LAYERS.keys())
def test_an_upstream_gradient_with_nan_is_rejected(make_layer, rng):
    layer = make_layer()
    out = layer.forward(_input(layer, rng))
    g = np.ones(out.shape)
    g[0, 0] = np.nan
    message = f"grad_out (the upstream gradient of {layer!r}) contains NaN or inf"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        layer.backward(g)


def test_a_subclass_of_dense_keeps_the_checks(rng):
    class MeanBiasDense(Dense):          # chapter 5's deliberately wrong layer
        def backward(self, grad_out):
            dx = super().backward(grad_out)
            self.grads["b"][...] = grad_out.mean(axis=0)
            return dx

    layer = MeanBiasDense(3, 2, seed=0)
    with pytest.raises(ValueError, match="before forward"):
        layer.backward(np.ones((4, 2)))
