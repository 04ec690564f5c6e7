"""nnbook.regularization: penalties (finite differences, Ridge and Lasso as oracles), Dropout
and EarlyStopping."""

from types import SimpleNamespace

import numpy as np
import pytest
from sklearn.linear_model import Lasso, Ridge

from nnbook import regularization as reg
from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.layers import Dense, ReLU, Sequential
from nnbook.losses import mean_squared_error_gradient, softmax_cross_entropy
from nnbook.training import fit

PENALTIES = {"l1": (reg.l1_penalty, reg.l1_penalty_gradient),
             "l2": (reg.l2_penalty, reg.l2_penalty_gradient)}


def _network(seed=0):
    return Sequential([Dense(3, 4, seed=seed), ReLU(), Dense(4, 2, seed=seed + 1)])


def _with_biases(network, rng):
    """The network with non-zero biases (so a penalised bias would show)."""
    for _name, param, _grad in network.parameters():
        param[...] = rng.normal(size=param.shape)
    return network


# --- penalties --------------------------------------------------------------------------

@pytest.mark.parametrize("kind", PENALTIES)
def test_penalty_gradient_matches_finite_differences(kind, rng):
    penalty, gradient = PENALTIES[kind]
    network = _with_biases(_network(), rng)
    analytic = gradient(network, 0.3)
    for name, param, _grad in network.parameters():
        numerical = numerical_gradient(lambda: penalty(network, 0.3), param)
        assert rel_error(analytic[name], numerical) < 1e-6, name


@pytest.mark.parametrize("kind", PENALTIES)
def test_penalty_leaves_the_biases_alone(kind, rng):
    penalty, gradient = PENALTIES[kind]
    network = _with_biases(_network(), rng)
    weights = {name: param for name, param, grad in network.parameters() if name.endswith(".W")}
    assert penalty(network, 0.5) == pytest.approx(penalty(weights, 0.5), rel=1e-15)
    grads = gradient(network, 0.5)
    assert not grads["0.b"].any() and not grads["2.b"].any()


def test_l2_penalty_is_half_the_strength_times_the_sum_of_squares():
    assert reg.l2_penalty({"W": np.array([[3.0, 4.0]]), "b": np.array([10.0])}, 0.1) == \
        pytest.approx(0.5 * 0.1 * 25)


def test_l1_penalty_is_the_strength_times_the_sum_of_sizes():
    assert reg.l1_penalty(np.array([[3.0, -4.0]]), 0.1) == pytest.approx(0.7)


def test_l1_subgradient_is_zero_at_zero():
    np.testing.assert_array_equal(reg.l1_penalty_gradient(np.array([-2.0, 0.0, 3.0]), 0.5),
                                  [-0.5, 0.0, 0.5])


def test_penalties_accept_the_parameter_list_and_a_dict_alike(rng):
    network = _with_biases(_network(), rng)
    as_dict = {name: param for name, param, grad in network.parameters()}
    assert reg.l2_penalty(network.parameters(), 0.2) == reg.l2_penalty(as_dict, 0.2)


def test_a_single_layer_names_its_bias_b(rng):
    layer = Dense(3, 2, seed=0)
    layer.params["b"][...] = 5.0
    assert reg.l2_penalty(layer, 1.0) == pytest.approx(0.5 * np.sum(layer.params["W"] ** 2))


@pytest.mark.parametrize("l1, l2", [(0.0, 0.2), (0.05, 0.0), (0.05, 0.2)])
def test_add_penalty_gradients_adds_the_gradients_and_returns_the_penalty(l1, l2, rng):
    network = _with_biases(_network(), rng)
    for _name, _param, grad in network.parameters():
        grad[...] = rng.normal(size=grad.shape)
    before = {name: grad.copy() for name, param, grad in network.parameters()}
    expected = reg.l1_penalty(network, l1) + reg.l2_penalty(network, l2)
    g1, g2 = reg.l1_penalty_gradient(network, l1), reg.l2_penalty_gradient(network, l2)
    assert reg.add_penalty_gradients(network, l1=l1, l2=l2) == pytest.approx(expected, rel=1e-12)
    for name, _param, grad in network.parameters():
        np.testing.assert_allclose(grad, before[name] + g1[name] + g2[name], rtol=1e-12)


def test_add_penalty_gradients_keeps_the_networks_flat_gradient_vector(rng):
    network = _with_biases(_network(), rng)
    network.flat_grads[...] = 0.0
    reg.add_penalty_gradients(network, l2=1.0)
    weights = network.layers[0].params["W"]
    np.testing.assert_array_equal(network.layers[0].grads["W"], weights)


def test_l2_penalised_mean_squared_error_is_stationary_at_ridges_solution(rng):
    # mean((y - y_hat)^2) + (lam/2)||W||^2 has gradient (2/N) X^T (X w - y) + lam w, zero where
    # X^T X w + (N lam / 2) w = X^T y: Ridge(alpha = N lam / 2), whose intercept is not penalised.
    X, lam = rng.normal(size=(50, 4)), 0.3
    y = X @ np.array([1.0, -2.0, 0.5, 0.0]) + 3.0 + 0.1 * rng.normal(size=50)
    ridge = Ridge(alpha=len(X) * lam / 2).fit(X, y)
    layer = Dense.from_weights(ridge.coef_[:, None], [ridge.intercept_])
    layer.backward(mean_squared_error_gradient(y[:, None], layer.forward(X)))
    reg.add_penalty_gradients(layer, l2=lam)
    assert np.abs(layer.grads["W"]).max() < 1e-10 and abs(layer.grads["b"][0]) < 1e-10


def test_l1_penalised_mean_squared_error_is_stationary_at_lassos_solution(rng):
    # mean((y - y_hat)^2) + lam |w|_1 is Lasso's (1/2N)||y - X w||^2 + alpha |w|_1 times 2 with
    # alpha = lam / 2: at Lasso's solution our gradient vanishes where w != 0, and the exact
    # zeros it finds are where the data's pull is at most lam.
    X, lam = rng.normal(size=(80, 5)), 0.4
    y = X @ np.array([2.0, 0.0, -1.0, 0.0, 0.05]) + 1.0 + 0.1 * rng.normal(size=80)
    lasso = Lasso(alpha=lam / 2, tol=1e-14, max_iter=100_000).fit(X, y)
    assert (lasso.coef_ == 0).sum() >= 1 and (lasso.coef_ != 0).sum() >= 1
    layer = Dense.from_weights(lasso.coef_[:, None], [lasso.intercept_])
    layer.backward(mean_squared_error_gradient(y[:, None], layer.forward(X)))
    data_pull = layer.grads["W"][:, 0].copy()
    reg.add_penalty_gradients(layer, l1=lam)
    nonzero = lasso.coef_ != 0
    assert np.abs(layer.grads["W"][nonzero, 0]).max() < 1e-8
    assert np.all(np.abs(data_pull[~nonzero]) <= lam)


@pytest.mark.parametrize("strength", [-0.1, np.nan, "0.1", True])
def test_bad_strength_raises(strength):
    with pytest.raises(ValueError, match="strength must be"):
        reg.l2_penalty({"W": np.ones(2)}, strength)


def test_add_penalty_gradients_with_a_negative_strength_raises():
    with pytest.raises(ValueError, match="l1 must be >= 0"):
        reg.add_penalty_gradients(_network(), l1=-1.0)


def test_penalty_of_something_else_raises():
    with pytest.raises(ValueError, match="params must be a network"):
        reg.l2_penalty(3.0, 0.1)


def test_penalty_of_non_float_arrays_raises():
    with pytest.raises(ValueError, match="'W' must be a float numpy array"):
        reg.l1_penalty({"W": [1, 2]}, 0.1)


# --- Dropout ----------------------------------------------------------------------------

def test_dropout_backward_matches_finite_differences_with_a_fixed_mask(rng):
    x, proj = rng.normal(size=(5, 6)), rng.normal(size=(5, 6))
    layer = reg.Dropout(0.4, seed=3)
    layer.forward(x)
    dx = layer.backward(proj)
    loss = lambda: np.sum(reg.Dropout(0.4, seed=3).forward(x) * proj)   # the same mask
    assert rel_error(dx, numerical_gradient(loss, x)) < 1e-6


def test_dropout_zeroes_a_share_rate_and_scales_the_rest(rng):
    x = np.ones((200, 50))
    y = reg.Dropout(0.3, seed=0).forward(x)
    np.testing.assert_allclose(np.unique(y), [0.0, 1 / 0.7], rtol=1e-15)
    assert np.mean(y == 0) == pytest.approx(0.3, abs=0.01)     # 10,000 draws: sd 0.005


def test_dropout_keeps_the_mean(rng):
    x = rng.normal(size=(4, 5))
    layer = reg.Dropout(0.5, seed=1)
    mean = np.mean([layer.forward(x) for _ in range(4000)], axis=0)
    assert np.abs(mean - x).max() < 5 * np.abs(x).max() / np.sqrt(4000)   # 5 standard errors


def test_dropout_is_the_identity_at_inference(rng):
    x = rng.normal(size=(3, 4))
    network = Sequential([Dense(4, 4, seed=0), reg.Dropout(0.5, seed=0)]).eval()
    np.testing.assert_array_equal(network.forward(x), network.layers[0].forward(x))
    np.testing.assert_array_equal(network.backward(np.ones((3, 4))),
                                  np.ones((3, 4)) @ network.layers[0].params["W"].T)


def test_dropout_with_rate_zero_is_the_identity(rng):
    x = rng.normal(size=(3, 4))
    np.testing.assert_array_equal(reg.Dropout(0.0).forward(x), x)


def test_dropout_trains_again_after_train(rng):
    x = np.ones((10, 10))
    network = Sequential([reg.Dropout(0.5, seed=0)])
    network.eval()
    network.train()
    assert (network.forward(x) == 0).any()


@pytest.mark.parametrize("shape", [(6, 3), (2, 3, 4, 5)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dropout_keeps_shape_and_dtype(shape, dtype, rng):
    x = rng.normal(size=shape).astype(dtype)
    layer = reg.Dropout(0.25, seed=0)
    y = layer.forward(x)
    assert y.shape == shape and y.dtype == dtype
    assert layer.backward(np.ones(shape, dtype)).dtype == dtype


def test_dropout_output_shape_is_its_input_shape():
    assert reg.Dropout(0.5).output_shape((1, 8, 8)) == (1, 8, 8)


def test_dropout_with_the_same_seed_drops_the_same_units(rng):
    x = rng.normal(size=(4, 6))
    np.testing.assert_array_equal(reg.Dropout(0.5, seed=7).forward(x),
                                  reg.Dropout(0.5, seed=7).forward(x))


def test_dropout_draws_a_new_mask_at_each_forward(rng):
    layer, x = reg.Dropout(0.5, seed=7), rng.normal(size=(4, 6))
    assert not np.array_equal(layer.forward(x), layer.forward(x))


@pytest.mark.parametrize("rate", [1.0, -0.1, 1.5])
def test_dropout_rate_outside_zero_to_one_raises(rate):
    with pytest.raises(ValueError, match=r"rate must be in \[0, 1\)"):
        reg.Dropout(rate)


def test_dropout_of_one_sample_raises_with_a_hint():
    with pytest.raises(ValueError, match=r"Dropout\(0.5\) expects x of shape.*batch of one"):
        reg.Dropout(0.5).forward(np.ones(3))


def test_dropout_backward_before_forward_raises():
    with pytest.raises(ValueError, match="before forward"):
        reg.Dropout(0.5).backward(np.ones((2, 2)))


def test_dropout_backward_of_the_wrong_shape_raises(rng):
    layer = reg.Dropout(0.5, seed=0)
    layer.forward(rng.normal(size=(2, 3)))
    with pytest.raises(ValueError, match=r"grad_out of shape \(2, 3\)"):
        layer.backward(np.ones((3, 2)))


# --- EarlyStopping ----------------------------------------------------------------------

def _history(**series):
    """A fit-like history: loss, val_loss and metrics (the rest of the keywords)."""
    return SimpleNamespace(loss=series.pop("loss", []), val_loss=series.pop("val_loss", []),
                           metrics=series)


def _run(stopper, network, values, monitor="val_loss"):
    """Feed ``values`` as the monitored series, one epoch at a time, with every parameter set
    to the epoch number; return the epoch at which the callback said stop (None: never)."""
    history = _history(loss=[], val_loss=[], val_accuracy=[])
    for epoch, value in enumerate(values, start=1):
        network.flat_params[...] = epoch
        history.loss.append(1.0)
        history.val_loss.append(1.0)
        history.metrics["val_accuracy"].append(0.5)
        series = history.metrics.get(monitor) or getattr(history, monitor)
        series[-1] = value
        if stopper(epoch, network, history):
            return epoch
    return None


def test_early_stopping_stops_after_patience_epochs_without_improvement():
    stopper = reg.EarlyStopping(patience=2)
    assert _run(stopper, _network(), [3.0, 2.0, 2.5, 2.1, 1.0]) == 4
    assert (stopper.best_epoch, stopper.best_value, stopper.stopped_epoch) == (2, 2.0, 4)


def test_early_stopping_restores_the_best_weights_when_it_stops():
    network = _network()
    _run(reg.EarlyStopping(patience=2), network, [3.0, 2.0, 2.5, 2.1])
    assert np.all(network.flat_params == 2.0)


def test_early_stopping_restores_in_place():
    network = _network()
    weights = network.layers[0].params["W"]
    _run(reg.EarlyStopping(patience=1), network, [1.0, 2.0])
    assert network.layers[0].params["W"] is weights and np.all(weights == 1.0)


def test_early_stopping_finish_restores_when_patience_never_ran_out():
    network, stopper = _network(), reg.EarlyStopping(patience=5)
    assert _run(stopper, network, [3.0, 1.0, 2.0]) is None
    assert np.all(network.flat_params == 3.0)
    stopper.finish(network)
    assert np.all(network.flat_params == 2.0)


def test_early_stopping_without_restore_best_keeps_the_last_weights():
    network, stopper = _network(), reg.EarlyStopping(patience=1, restore_best=False)
    _run(stopper, network, [1.0, 2.0])
    stopper.finish(network)
    assert np.all(network.flat_params == 2.0)


def test_early_stopping_keeps_a_copy_not_a_view():
    network, stopper = _network(), reg.EarlyStopping(patience=3)
    _run(stopper, network, [1.0])
    network.flat_params[...] = 99.0
    assert np.all(stopper.best_parameters["0.W"] == 1.0)


def test_early_stopping_maximises_an_accuracy():
    stopper = reg.EarlyStopping(patience=2, monitor="val_accuracy", mode="max")
    assert _run(stopper, _network(), [0.5, 0.9, 0.8, 0.85], monitor="val_accuracy") == 4
    assert stopper.best_epoch == 2


def test_early_stopping_can_watch_the_training_loss():
    stopper = reg.EarlyStopping(patience=1, monitor="loss")
    assert _run(stopper, _network(), [2.0, 1.0, 1.5], monitor="loss") == 3


def test_early_stopping_needs_more_than_min_delta_to_count_an_improvement():
    stopper = reg.EarlyStopping(patience=2, min_delta=0.1)
    assert _run(stopper, _network(), [1.0, 0.95, 0.92]) == 3
    assert stopper.best_epoch == 1


def test_early_stopping_does_not_count_nan_as_an_improvement():
    stopper = reg.EarlyStopping(patience=2)
    assert _run(stopper, _network(), [1.0, np.nan, np.nan]) == 3
    assert stopper.best_epoch == 1


def test_early_stopping_does_not_take_a_nan_first_epoch_as_the_best():
    stopper = reg.EarlyStopping(patience=2)
    _run(stopper, _network(), [np.nan, 3.0])
    assert (stopper.best_epoch, stopper.best_value) == (2, 3.0)


def test_early_stopping_starts_afresh_at_epoch_one():
    network, stopper = _network(), reg.EarlyStopping(patience=2)
    _run(stopper, network, [1.0, 2.0, 3.0])
    assert _run(stopper, network, [5.0, 4.0]) is None
    assert (stopper.best_epoch, stopper.best_value) == (2, 4.0)


def test_early_stopping_on_a_monitor_absent_from_the_history_names_what_there_is():
    history = _history(loss=[1.0], val_accuracy=[0.5])
    with pytest.raises(ValueError, match=r"no 'val_loss' values \(pass validation data.*"
                                         r"\['loss', 'val_accuracy'\]"):
        reg.EarlyStopping()(1, _network(), history)


@pytest.mark.parametrize("patience", [0, -1, 2.5, True])
def test_early_stopping_bad_patience_raises(patience):
    with pytest.raises(ValueError, match="patience must be a positive integer"):
        reg.EarlyStopping(patience=patience)


def test_early_stopping_unknown_mode_raises():
    with pytest.raises(ValueError, match='mode must be "min"'):
        reg.EarlyStopping(mode="auto")


def test_early_stopping_negative_min_delta_raises():
    with pytest.raises(ValueError, match="min_delta must be >= 0"):
        reg.EarlyStopping(min_delta=-0.1)


def test_early_stopping_finish_on_another_network_raises():
    stopper = reg.EarlyStopping()
    _run(stopper, _network(), [1.0])
    with pytest.raises(ValueError, match="not those it saw"):
        stopper.finish(Sequential([Dense(3, 2, seed=0)]))


def test_early_stopping_in_fit_leaves_the_network_at_its_best_validation_epoch(rng):
    # a big network on 20 noisy points overfits: the validation loss turns up, fit stops
    x, x_val = rng.normal(size=(20, 2)), rng.normal(size=(200, 2))
    y, y_val = (x[:, 0] > 0) ^ (rng.random(20) < 0.3), x_val[:, 0] > 0
    network = Sequential([Dense(2, 32, seed=0), ReLU(), Dense(32, 2, seed=1)])
    stopper = reg.EarlyStopping(patience=10)
    history = fit(network, x, y.astype(int), loss="softmax_cross_entropy", optimizer="adam",
                  epochs=2000, validation=(x_val, y_val.astype(int)), callback=stopper, seed=0)
    assert history.status == "stopped" and stopper.stopped_epoch < 2000
    assert stopper.best_value == min(history.val_loss)
    assert softmax_cross_entropy(y_val.astype(int), network.forward(x_val)) == \
        pytest.approx(stopper.best_value, rel=1e-12)


def test_fit_with_l2_takes_the_step_of_the_penalised_gradient(rng):
    x, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    trained, by_hand = _network(), _network()
    fit(trained, x, y, epochs=1, learning_rate=0.1, l2=0.5)
    by_hand.backward(mean_squared_error_gradient(y, by_hand.forward(x)))
    reg.add_penalty_gradients(by_hand, l2=0.5)
    np.testing.assert_allclose(trained.flat_params,
                               by_hand.flat_params - 0.1 * by_hand.flat_grads, rtol=1e-12)


# --- the proximal L1 step -------------------------------------------------------------------

from nnbook import regularization as _reg  # noqa: E402


def test_soft_threshold_moves_towards_zero_and_stops_there():
    np.testing.assert_allclose(_reg.soft_threshold(np.array([0.8, 0.001, -0.0004, -0.3]), 0.0015),
                               [0.7985, 0.0, 0.0, -0.2985], rtol=1e-15, atol=0)
    with pytest.raises(ValueError, match="threshold must not be negative"):
        _reg.soft_threshold([1.0], -0.1)


def test_the_proximal_step_gives_exact_zeros_and_leaves_biases_unshrunk():
    params = {"0.W": np.array([0.01, -0.5]), "0.b": np.array([0.01])}
    grads = {"0.W": np.zeros(2), "0.b": np.zeros(1)}
    _reg.ProximalL1SGD(0.5, 0.1).step(params, grads)
    np.testing.assert_allclose(params["0.W"], [0.0, -0.45], rtol=1e-15, atol=0)
    np.testing.assert_array_equal(params["0.b"], [0.01])
    with pytest.raises(ValueError, match="l1 must not be negative"):
        _reg.ProximalL1SGD(0.5, -1)
