"""nnbook.training: the worked 2-2-2 example, scikit-learn as an oracle, XOR, fit."""

import itertools
import math
import re
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from nnbook import data, losses, training
from nnbook.layers import Dense, Layer, ReLU, Sequential
from nnbook.training import WORKED_EXAMPLE as E


def test_worked_example_forward_values():
    net = training.worked_example_network()
    steps = net.trace(E["x"])
    assert steps[0][1][0, 0] == pytest.approx(0.3775, abs=1e-12)
    np.testing.assert_allclose(steps[1][1][0], [0.593269992, 0.596884378], atol=1e-9)
    np.testing.assert_allclose(steps[3][1][0], [0.75136507, 0.772928465], atol=1e-8)
    assert losses.half_squared_error(E["y"], steps[3][1]) == pytest.approx(0.298371109, abs=1e-9)


def test_worked_example_dE_dw5():
    net = training.worked_example_network()
    net.backward(losses.half_squared_error_gradient(E["y"], net.forward(E["x"])))
    assert net[2].grads["W"][0, 0] == pytest.approx(0.082167041, abs=1e-9)


def test_worked_example_weights_after_one_update():
    net = training.worked_example_network()
    cost = training.train_step(net, E["x"], E["y"], "half_squared_error", E["learning_rate"],
                               update_biases=False)
    assert cost == pytest.approx(0.298371109, abs=1e-9)
    w1, w3, w2, w4 = net[0].params["W"].ravel()
    w5, w7, w6, w8 = net[2].params["W"].ravel()
    np.testing.assert_allclose([w5, w6, w7, w8], [0.35891648, 0.408666186, 0.511301270, 0.561370121],
                               atol=1e-8)
    np.testing.assert_allclose([w1, w2, w3, w4], [0.149780716, 0.19956143, 0.24975114, 0.29950229],
                               atol=1e-8)
    np.testing.assert_array_equal(net[0].params["b"], E["b1"])   # the example keeps its biases


def _sklearn_one_step(X, labels, hidden, lr):
    clf = MLPClassifier(hidden_layer_sizes=(hidden,), activation="relu", solver="sgd", momentum=0,
                        nesterovs_momentum=False, alpha=0, learning_rate="constant",
                        learning_rate_init=lr, batch_size=len(X), shuffle=False, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.partial_fit(X, labels, classes=np.unique(labels))   # initialises (and steps once)
        before = ([c.copy() for c in clf.coefs_], [b.copy() for b in clf.intercepts_])
        clf.partial_fit(X, labels)                              # the step we reproduce
    return before, (clf.coefs_, clf.intercepts_)


@pytest.mark.parametrize("n_classes", [3, 4])
def test_one_sgd_step_equals_scikit_learn(n_classes, rng):
    X = rng.normal(size=(20, 4))
    labels = np.arange(20) % n_classes
    (W, b), (W_after, b_after) = _sklearn_one_step(X, labels, hidden=5, lr=0.1)
    net = Sequential([Dense.from_weights(W[0], b[0]), ReLU(), Dense.from_weights(W[1], b[1])])
    training.train_step(net, X, labels, "softmax_cross_entropy", learning_rate=0.1)
    for ours, theirs in zip([net[0].params["W"], net[0].params["b"], net[2].params["W"],
                             net[2].params["b"]], [W_after[0], b_after[0], W_after[1], b_after[1]]):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-10)


def test_xor_is_learned_by_a_2_2_1_network():
    X, Y = data.xor()
    net = training.mlp([2, 2, 1], "tanh", seed=0)
    history = training.fit(net, X, Y, loss="binary_cross_entropy_from_logits",
                           learning_rate=0.5, epochs=1000)
    assert np.array_equal(net.forward(X) > 0, Y > 0.5)
    assert history.loss[-1] < 0.05 < history.loss[0]


def test_fit_returns_one_loss_per_epoch_and_is_reproducible(rng):
    x, y = rng.normal(size=(30, 3)), rng.normal(size=(30, 1))
    runs = []
    for _ in range(2):
        net = training.mlp([3, 4, 1], "tanh", seed=1)
        runs.append(training.fit(net, x, y, epochs=7, batch_size=8, seed=3, learning_rate=0.05))
    assert runs[0].epochs == 7 and runs[0].loss == runs[1].loss


def test_fit_is_silent_unless_verbose(capsys, rng):
    net = training.mlp([3, 2, 1], seed=0)
    training.fit(net, rng.normal(size=(8, 3)), rng.normal(size=(8, 1)), epochs=3)
    assert capsys.readouterr().out == ""


def test_fit_calls_back_after_every_epoch(rng):
    seen = []
    net = training.mlp([3, 2, 1], seed=0)
    training.fit(net, rng.normal(size=(8, 3)), rng.normal(size=(8, 1)), epochs=4,
                 callback=lambda epoch, network, history: seen.append(epoch))
    assert seen == [1, 2, 3, 4]


def test_fit_rejects_mismatched_data():
    with pytest.raises(ValueError, match="as many targets"):
        training.fit(training.mlp([2, 1]), np.zeros((3, 2)), np.zeros((2, 1)))


def test_sigmoid_gradients_vanish_and_relu_gradients_do_not():
    sigmoid = training.vanishing_gradients(10, "sigmoid", seed=0)
    relu = training.vanishing_gradients(10, "relu", seed=0)
    assert len(sigmoid) == 10
    assert sigmoid[0] / sigmoid[-1] < 1e-4
    assert relu[0] / relu[-1] > 1e-2


# --- fit checks its arguments up front (issue 9) --------------------------------------------

def _net_and_data(rng):
    return training.mlp([3, 2, 1], seed=0), rng.normal(size=(8, 3)), rng.normal(size=(8, 1))


@pytest.mark.parametrize("rate, shown", [(np.nan, "nan"), (np.inf, "inf"), (0, "0"), (-0.1, "-0.1"),
                                         ("0.1", "'0.1'")])
def test_fit_rejects_a_learning_rate_that_is_not_positive_and_finite(rate, shown, rng):
    net, x, y = _net_and_data(rng)
    before = [p.copy() for _, p, _ in net.parameters()]
    with pytest.raises(ValueError, match=re.escape("learning_rate must be a")):
        training.fit(net, x, y, learning_rate=rate)
    assert all(np.array_equal(a, p) for a, (_, p, _) in zip(before, net.parameters()))  # untouched


@pytest.mark.parametrize("epochs, shown", [(2.9, "2.9"), (3.0, "3.0"), (True, "True"), (0, "0"),
                                           (np.float64(2.0), "2.0")])
def test_fit_rejects_epochs_that_are_not_a_positive_integer(epochs, shown, rng):
    net, x, y = _net_and_data(rng)
    with pytest.raises(ValueError, match=f"^epochs must be a positive integer; got {re.escape(shown)}$"):
        training.fit(net, x, y, epochs=epochs)


@pytest.mark.parametrize("batch_size, shown", [(2.7, "2.7"), (True, "True"), (0, "0"), (-4, "-4")])
def test_fit_rejects_a_batch_size_that_is_not_a_positive_integer(batch_size, shown, rng):
    net, x, y = _net_and_data(rng)
    with pytest.raises(ValueError, match=f"^batch_size must be a positive integer; got {re.escape(shown)}$"):
        training.fit(net, x, y, batch_size=batch_size)


def test_fit_of_the_issue_example_raises_instead_of_running_two_epochs(rng):
    net, x, y = _net_and_data(rng)
    with pytest.raises(ValueError, match="^epochs must be a positive integer; got 2.9$"):
        training.fit(net, x, y, epochs=2.9, batch_size=2.7)


def test_fit_rejects_an_empty_data_set_as_empty(rng):
    net, x, y = _net_and_data(rng)
    with pytest.raises(ValueError, match=re.escape("is empty (shape (0, 3)); it needs at least one value")):
        training.fit(net, x[:0], y[:0])


def test_fit_rejects_nan_targets(rng):
    net, x, y = _net_and_data(rng)
    y[3] = np.nan
    with pytest.raises(ValueError, match=r"^y contains NaN or inf$"):
        training.fit(net, x, y)


def test_fit_with_no_seed_still_runs_the_full_batch_the_same_way(rng):
    _, x, y = _net_and_data(rng)
    runs = [training.fit(training.mlp([3, 2, 1], seed=0), x, y, epochs=5).loss for _ in range(2)]
    assert runs[0] == runs[1]          # the full batch is not shuffled: nothing random


def test_unseeded_networks_differ():
    a, b = training.mlp([3, 4, 1]), training.mlp([3, 4, 1])
    assert not np.array_equal(a[0].params["W"], b[0].params["W"])


def test_mlp_rejects_sizes_that_are_not_positive_integers():
    with pytest.raises(ValueError, match=r"^sizes\[1\] must be a positive integer; got 2\.5$"):
        training.mlp([3, 2.5, 1])


# --- the optimizer protocol (issue 11) --------------------------------------------------------

class _RecordingSGD:
    """A fake optimizer: plain gradient descent that records what it was given."""

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate
        self.calls = []

    def step(self, params, grads):
        self.calls.append((sorted(params), sorted(grads)))
        for name in params:
            params[name] -= self.learning_rate * grads[name]

    def reset(self):
        self.calls = []


def test_fit_with_an_sgd_like_optimizer_equals_fit_without_one(rng):
    x, y = rng.normal(size=(30, 3)), rng.normal(size=(30, 1))
    plain_net, opt_net = training.mlp([3, 4, 1], seed=1), training.mlp([3, 4, 1], seed=1)
    plain = training.fit(plain_net, x, y, epochs=5, batch_size=8, seed=3, learning_rate=0.05)
    optimizer = _RecordingSGD(0.05)
    with_opt = training.fit(opt_net, x, y, epochs=5, batch_size=8, seed=3, optimizer=optimizer)
    assert with_opt.loss == plain.loss
    for (_, a, _), (_, b, _) in zip(plain_net.parameters(), opt_net.parameters()):
        np.testing.assert_array_equal(a, b)
    assert len(optimizer.calls) == 5 * 4                       # one step per batch
    assert optimizer.calls[0] == (["0.W", "0.b", "2.W", "2.b"],) * 2


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "adamw", "amsgrad"])
def test_fits_fast_steps_between_epochs_equal_checked_steps_exactly(name, rng, monkeypatch):
    """Between the first batches of two epochs fit steps the packed vectors without step's
    checks (it has checked the gradient itself): the same numbers, bit for bit."""
    from nnbook import optim

    x, y = rng.normal(size=(30, 3)), rng.normal(size=(30, 1))
    runs = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(optim.Optimizer, "_packed_step", lambda self: False)
        net = training.mlp([3, 4, 1], seed=1)
        optimizer = optim.get_optimizer(name, learning_rate=0.01)
        history = training.fit(net, x, y, epochs=4, batch_size=8, seed=3, optimizer=optimizer)
        runs.append((history.loss, net.flat_params.copy(), optimizer.t))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert runs[0][2] == runs[1][2] == 4 * 4


def test_fit_calls_a_subclasss_own_step_for_every_batch(rng):
    from nnbook import optim

    class Counting(optim.Adam):
        calls = 0

        def step(self, params, grads):
            Counting.calls += 1
            super().step(params, grads)

    net, x, y = _net_and_data(rng)
    training.fit(net, x, y, epochs=3, batch_size=2, seed=0, optimizer=Counting(0.01))
    assert Counting.calls == 3 * -(-len(x) // 2)


def test_an_optimizer_moved_to_a_second_network_steps_only_that_network(rng):
    from nnbook import optim

    x, y = rng.normal(size=(12, 3)), rng.normal(size=(12, 1))
    first, second = training.mlp([3, 4, 1], seed=1), training.mlp([3, 4, 1], seed=2)
    optimizer = optim.Adam(0.01)
    training.fit(first, x, y, epochs=2, batch_size=4, seed=0, optimizer=optimizer)
    kept, before = first.flat_params.copy(), second.flat_params.copy()
    training.fit(second, x, y, epochs=2, batch_size=4, seed=0, optimizer=optimizer)
    np.testing.assert_array_equal(first.flat_params, kept)
    assert np.any(second.flat_params != before)


def test_fit_hands_the_optimizer_the_networks_own_arrays(rng):
    net, x, y = _net_and_data(rng)
    seen = {}

    class Spy(_RecordingSGD):
        def step(self, params, grads):
            seen.update(params=params, grads=grads)

    training.fit(net, x, y, epochs=1, optimizer=Spy(0.1))
    for name, param, grad in net.parameters():
        assert seen["params"][name] is param and seen["grads"][name] is grad


def test_fit_without_an_optimizer_is_todays_gradient_descent(rng):
    x, y = rng.normal(size=(12, 3)), rng.normal(size=(12, 1))
    net, manual = training.mlp([3, 4, 1], seed=2), training.mlp([3, 4, 1], seed=2)
    training.fit(net, x, y, epochs=3, learning_rate=0.2)
    for _ in range(3):
        manual.backward(losses.mean_squared_error_gradient(y, manual.forward(x)))
        for _, param, grad in manual.parameters():
            param -= 0.2 * grad
    for (_, a, _), (_, b, _) in zip(net.parameters(), manual.parameters()):
        np.testing.assert_array_equal(a, b)


def test_fit_rejects_a_learning_rate_beside_an_optimizer(rng):
    net, x, y = _net_and_data(rng)
    with pytest.raises(ValueError, match=r"^fit got both an optimizer and a learning_rate"):
        training.fit(net, x, y, learning_rate=0.1, optimizer=_RecordingSGD(0.1))


def test_fit_rejects_an_optimizer_without_step(rng):
    net, x, y = _net_and_data(rng)
    with pytest.raises(ValueError, match=r"^optimizer must be None \(plain gradient descent\), a name "
                                         r"such as 'adam', or an object with a step\(params, grads\) method"):
        training.fit(net, x, y, optimizer=object())


# --- vanishing gradients: a dead ReLU net is well-defined (issue 9) -----------------------------

@pytest.mark.parametrize("depth", range(14, 31))
def test_a_dead_relu_network_has_zero_gradients_without_nan_or_warnings(depth):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        norms = training.vanishing_gradients(depth, "relu", width=4, seed=0)
    assert norms.shape == (depth,) and np.all(norms == 0.0)


def test_vanishing_gradients_over_the_demos_widths_is_finite_and_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for width in range(4, 65, 4):
            for depth in (2, 14, 22, 30):
                for activation in ("sigmoid", "relu"):
                    norms = training.vanishing_gradients(depth, activation, width, seed=0)
                    assert norms.shape == (depth,) and np.all(np.isfinite(norms)) and np.all(norms >= 0)


def test_vanishing_gradients_rejects_a_float_depth():
    with pytest.raises(ValueError, match=r"^depth must be a positive integer; got 10\.5$"):
        training.vanishing_gradients(10.5)


# --- one fit for the book: schedules, divergence, validation, metrics, callbacks, dtypes ------

from nnbook import losses as _losses  # noqa: E402
from nnbook import optim as _optim  # noqa: E402
from nnbook.layers import Dense as _Dense  # noqa: E402


def _blobs(rng, n=60):
    x = rng.normal(size=(n, 2))
    return x, (x[:, 0] + x[:, 1] > 0).astype(float)[:, None]


@pytest.mark.parametrize("name, y_shape", [("mean_squared_error", (7, 3)), ("half_squared_error", (7, 3)),
                                           ("binary_cross_entropy_from_logits", (7, 3)),
                                           ("softmax_cross_entropy", (7,)), ("softmax_cross_entropy", (7, 3))])
def test_the_fused_loss_and_gradient_equal_the_checked_pair(name, y_shape, rng):
    out = rng.normal(size=(7, 3))
    if name == "softmax_cross_entropy":
        labels = rng.integers(0, 3, size=7)
        y = labels if y_shape == (7,) else np.eye(3)[labels]
    elif name == "binary_cross_entropy_from_logits":
        y = rng.integers(0, 2, size=y_shape).astype(float)
    else:
        y = rng.normal(size=y_shape)
    loss, gradient = _losses.get_loss(name), _losses.get_loss_gradient(name)
    cost, grad = _losses._FUSED[loss](y, out)
    assert cost == pytest.approx(loss(y, out), rel=1e-14)
    np.testing.assert_allclose(grad, gradient(y, out), rtol=1e-14, atol=1e-17)


def test_a_schedule_sets_the_rate_of_every_update(rng):
    x, y = _blobs(rng)
    seen = []

    def schedule(t):
        seen.append(t)
        return 0.1 / (1 + t)

    history = training.fit(training.mlp([2, 4, 1], seed=0), x, y, epochs=3, batch_size=20,
                           schedule=schedule, seed=0)
    assert seen == list(range(9)) and history.steps == 9
    assert history.learning_rate == [0.1, 0.1 / 4, 0.1 / 7]


def test_a_schedule_with_an_optimizer_sets_its_rate(rng):
    x, y = _blobs(rng)
    opt = _optim.SGD(1.0)
    training.fit(training.mlp([2, 4, 1], seed=0), x, y, epochs=2, optimizer=opt,
                 schedule=lambda t: 0.5 ** t)
    assert opt.learning_rate == 0.5


def test_the_same_run_with_a_constant_schedule_equals_no_schedule(rng):
    x, y = _blobs(rng)
    a, b = training.mlp([2, 4, 1], seed=0), training.mlp([2, 4, 1], seed=0)
    ha = training.fit(a, x, y, epochs=3, batch_size=16, seed=1, learning_rate=0.3)
    hb = training.fit(b, x, y, epochs=3, batch_size=16, seed=1, schedule=lambda t: 0.3)
    assert ha.loss == hb.loss


def test_a_diverging_run_stops_says_so_and_puts_the_network_back(rng):
    x, y = _blobs(rng)
    y = y * 1e3
    net = training.mlp([2, 16, 16, 1], activation="relu", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # no overflow warning may escape
        history = training.fit(net, x, y, learning_rate=50.0, epochs=50)
    assert history.status == "diverged" and history.diverged
    assert "Try a smaller learning rate" in history.reason
    assert all(np.isfinite(history.loss))
    assert np.all(np.isfinite(net.flat_params))
    assert len(history.learning_rate) == history.epochs


def test_a_run_that_does_not_diverge_is_finished(rng):
    x, y = _blobs(rng)
    history = training.fit(training.mlp([2, 4, 1], seed=0), x, y, epochs=2)
    assert history.status == "finished" and history.reason == "used all 2 epochs"


def test_validation_and_accuracy_are_recorded_every_epoch(rng):
    x, y = _blobs(rng, 80)
    net = training.mlp([2, 8, 1], seed=0)
    history = training.fit(net, x[:60], y[:60], loss="binary_cross_entropy_from_logits",
                           validation=(x[60:], y[60:]), metrics=["accuracy"], epochs=5,
                           learning_rate=0.5)
    assert len(history.val_loss) == len(history.metrics["accuracy"]) == 5
    assert len(history.metrics["val_accuracy"]) == 5
    out = net.forward(x[60:])
    assert history.val_loss[-1] == pytest.approx(_losses.binary_cross_entropy_from_logits(y[60:], out))
    assert history.metrics["val_accuracy"][-1] == np.mean((out > 0) == (y[60:] > 0.5))


def test_multiclass_accuracy_uses_the_argmax(rng):
    x = rng.normal(size=(30, 2))
    labels = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0).astype(int)
    net = training.mlp([2, 8, 3], seed=0)
    history = training.fit(net, x, labels, loss="softmax_cross_entropy", metrics="accuracy",
                           epochs=3, learning_rate=0.5)
    assert history.metrics["accuracy"][-1] == np.mean(net.forward(x).argmax(axis=1) == labels)


def test_a_callback_that_returns_true_stops_the_run_and_finish_is_called(rng):
    x, y = _blobs(rng)

    class Stop:
        finished = False

        def __call__(self, epoch, network, history):
            return epoch == 2

        def finish(self, network):
            self.finished = True

    stop = Stop()
    history = training.fit(training.mlp([2, 4, 1], seed=0), x, y, epochs=10, callback=stop)
    assert history.status == "stopped" and history.epochs == 2 and stop.finished


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fit_keeps_the_networks_dtype(dtype, rng):
    x, y = _blobs(rng)
    net = training.mlp([2, 4, 1], seed=0, dtype=dtype)
    training.fit(net, x, y, epochs=2, optimizer=_optim.Adam(0.01))
    assert net.dtype == dtype and all(p.dtype == dtype for _, p, _ in net.parameters())


def test_float32_training_follows_float64_training(rng):
    x, y = _blobs(rng)
    histories = [training.fit(training.mlp([2, 4, 1], seed=0, dtype=d), x, y, epochs=20,
                              batch_size=10, seed=0) for d in (np.float64, np.float32)]
    np.testing.assert_allclose(histories[1].loss, histories[0].loss, rtol=1e-4)


def test_an_optimizer_class_instead_of_an_object_is_a_clear_error(rng):
    x, y = _blobs(rng)
    with pytest.raises(ValueError, match=r"^optimizer=Adam is the class; pass an optimizer object: "
                                         r"optimizer=Adam\(\)"):
        training.fit(training.mlp([2, 4, 1], seed=0), x, y, optimizer=_optim.Adam)


def test_an_optimizer_can_be_named(rng):
    x, y = _blobs(rng)
    history = training.fit(training.mlp([2, 4, 1], seed=0), x, y, optimizer="adam", epochs=2)
    assert history.epochs == 2


def test_a_bare_dense_layer_can_be_fitted(rng):
    x = rng.normal(size=(50, 3))
    y = x @ np.array([[1.0], [-2.0], [0.5]]) + 0.3
    layer = _Dense(3, 1, seed=0)
    training.fit(layer, x, y, epochs=300, learning_rate=0.1)
    np.testing.assert_allclose(layer.params["W"][:, 0], [1.0, -2.0, 0.5], atol=1e-3)
    np.testing.assert_allclose(layer.params["b"], [0.3], atol=1e-3)


def test_a_bad_schedule_or_callback_is_named(rng):
    x, y = _blobs(rng)
    net = training.mlp([2, 4, 1], seed=0)
    with pytest.raises(ValueError, match="schedule must be None or a function"):
        training.fit(net, x, y, schedule=0.1)
    with pytest.raises(ValueError, match="callback must be a function"):
        training.fit(net, x, y, callback=3)
    with pytest.raises(ValueError, match="validation must be a pair"):
        training.fit(net, x, y, validation=x)


def test_mean_squared_error_of_huge_errors_is_inf_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _losses.mean_squared_error([0.0], [1e200]) == np.inf
        assert _losses.half_squared_error([0.0], [1e200]) == np.inf


# --- splits and standardisation (chapter 7) -------------------------------------------------

from sklearn.preprocessing import StandardScaler as _StandardScaler  # noqa: E402

from nnbook import data as _data  # noqa: E402


def test_a_stratified_split_keeps_each_class_share_in_every_part(rng):
    y = np.repeat([0, 1, 2], [100, 50, 10])
    x = np.arange(len(y))[:, None].astype(float)
    parts = training.split(x, y, validation=0.2, test=0.3, seed=0)
    for (xs, ys), share in zip(parts, (0.5, 0.2, 0.3)):
        assert np.bincount(ys.astype(int), minlength=3).tolist() == [round(100 * share), round(50 * share),
                                                                     round(10 * share)] or share == 0.5
        np.testing.assert_array_equal(xs[:, 0].astype(int), np.arange(len(y))[xs[:, 0].astype(int)])
    rows = np.concatenate([p[0][:, 0] for p in parts])
    assert sorted(rows) == list(range(len(y)))               # every example once
    assert np.array_equal(y[parts[0][0][:, 0].astype(int)], parts[0][1])   # rows keep their labels


def test_a_split_is_reproducible_with_a_seed(rng):
    x, y = rng.normal(size=(40, 2)), np.arange(40) % 2
    a, b = training.split(x, y, seed=3), training.split(x, y, seed=3)
    assert all(np.array_equal(p[0], q[0]) for p, q in zip(a, b))


@pytest.mark.parametrize("kwargs, message", [({"validation": 1.0}, "validation must be a share"),
                                             ({"test": -0.1}, "test must be a share"),
                                             ({"validation": 0.6, "test": 0.4}, "must leave examples"),
                                             ({"stratify": "yes"}, "stratify must be True")])
def test_a_split_names_its_bad_arguments(kwargs, message, rng):
    with pytest.raises(ValueError, match=message):
        training.split(rng.normal(size=(10, 2)), np.arange(10) % 2, **kwargs)


def test_the_standardizer_equals_scikit_learns_and_uses_the_training_data_only(rng):
    train, test = rng.normal(3.0, 2.0, size=(50, 4)), rng.normal(size=(20, 4))
    train[:, 2] = 5.0                                     # a constant feature: only shifted
    scaler = training.Standardizer().fit(train)
    reference = _StandardScaler().fit(train)
    np.testing.assert_allclose(scaler.transform(test), reference.transform(test), rtol=1e-12)
    np.testing.assert_allclose(scaler.transform(train), reference.transform(train), rtol=1e-12)


def test_the_standardizer_must_be_fitted_first_and_on_the_same_width(rng):
    with pytest.raises(ValueError, match="fit the Standardizer on the training data first"):
        training.Standardizer().transform(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"fitted on examples of shape \(2,\)"):
        training.Standardizer().fit(np.ones((3, 2))).transform(np.zeros((2, 3)))


@pytest.mark.parametrize("name", sorted(_data.PLAYGROUND))
def test_every_playground_set_is_two_balanced_classes_near_the_unit_square(name):
    x, y = _data.PLAYGROUND[name](400, noise=0.1, seed=0)
    assert x.shape == (400, 2) and set(np.unique(y)) == {0.0, 1.0}
    assert 0.4 < y.mean() < 0.6 and np.abs(x).max() < 3
    np.testing.assert_array_equal(_data.PLAYGROUND[name](400, noise=0.1, seed=0)[0], x)


def test_flip_labels_flips_exactly_the_share_asked():
    y = np.array([0.0, 1.0] * 50)
    flipped = _data.flip_labels(y, 0.1, seed=0)
    assert np.sum(flipped != y) == 10
    with pytest.raises(ValueError, match="share must be in"):
        _data.flip_labels(y, 1.5)


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

X, Y = np.array([[2.0]]), np.array([[0.0]])


def _one_weight_net():
    return Sequential([Dense.from_weights([[1.0]], [0.0])])


def _w_and_b(net):
    return net[0].params["W"][0, 0], net[0].params["b"][0]


class _RecordingNetwork(Layer):
    """A stand-in layer: predicts 0, records the inputs of each batch, one parameter (never moved)."""

    input_shape = (1,)

    def __init__(self):
        super().__init__()
        self.params, self.grads = {"w": np.zeros(1)}, {"w": np.zeros(1)}
        self.batches = []

    def forward(self, x):
        self.batches.append(x[:, 0].tolist())
        self._n = len(x)
        return np.zeros((len(x), 1))

    def backward(self, grad):
        self.grads["w"][...] = 0.0
        return np.zeros((self._n, 1))


class _PlainSGD:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate
        self.names = []

    def step(self, params, grads):
        self.names.append(sorted(params))
        for name in params:
            params[name] -= self.learning_rate * grads[name]


def _clock(monkeypatch, times):
    """Make time.perf_counter return ``times`` in turn (then keep counting on, 100 s apart)."""
    ticks = itertools.chain(times, itertools.count(times[-1] + 100.0, 100.0))
    monkeypatch.setattr(training.time, "perf_counter", lambda: next(ticks))


# --- defaults ---------------------------------------------------------------------------------

def test_sgd_update_updates_the_biases_by_default():
    net = _one_weight_net()
    net.forward(X)
    net.backward(np.array([[4.0]]))      # dJ/dw = 8, dJ/db = 4
    training.sgd_update(net, 0.5)
    assert _w_and_b(net) == (1.0 - 0.5 * 8, 0.0 - 0.5 * 4)


def test_train_step_defaults_to_mean_squared_error_and_a_learning_rate_of_a_tenth():
    net = _one_weight_net()
    cost = training.train_step(net, X, Y)
    assert cost == 4.0
    assert _w_and_b(net) == pytest.approx((1.0 - 0.1 * 8, 0.0 - 0.1 * 4), abs=1e-15)


def test_fit_defaults_to_a_learning_rate_of_a_tenth():
    net = _one_weight_net()
    history = training.fit(net, X, Y, epochs=1)
    assert history.loss == [4.0]
    assert _w_and_b(net) == pytest.approx((0.2, -0.4), abs=1e-15)


def test_fit_runs_100_epochs_by_default():
    assert training.fit(_RecordingNetwork(), np.zeros((2, 1)), np.zeros((2, 1))).epochs == 100


def test_fit_is_not_verbose_by_default_even_for_a_long_run(capsys, monkeypatch):
    _clock(monkeypatch, [0.0])           # every clock reading 100 s after the last
    training.fit(_RecordingNetwork(), np.zeros((2, 1)), np.zeros((2, 1)), epochs=3)
    assert capsys.readouterr().out == ""


# --- train_step's checks and optimizer ------------------------------------------------------------

def test_train_step_names_a_bad_learning_rate():
    with pytest.raises(ValueError, match=r"^learning_rate must be a positive finite number; got 0$"):
        training.train_step(_one_weight_net(), X, Y, learning_rate=0)


def test_train_step_with_an_optimizer_lets_it_make_the_update():
    net, optimizer = _one_weight_net(), _PlainSGD(0.5)
    training.train_step(net, X, Y, optimizer=optimizer)
    assert optimizer.names == [["0.W", "0.b"]]
    assert _w_and_b(net) == (1.0 - 0.5 * 8, 0.0 - 0.5 * 4)   # the optimizer's rate, not 0.1


def test_training_something_that_is_not_a_network_is_a_clear_error():
    with pytest.raises(ValueError, match=r"^network must be a Sequential .* or a layer such as "
                                         r"Dense\(2, 1\); got object$"):
        training.train_step(object(), X, Y, optimizer=_PlainSGD(0.1))


def test_fit_with_both_an_optimizer_and_a_learning_rate_says_where_the_rate_goes():
    with pytest.raises(ValueError, match=r"^fit got both an optimizer and a learning_rate: give the "
                                         r"learning rate to the optimizer \(e\.g\. Adam\(learning_rate=0\.01\)\)$"):
        training.fit(_one_weight_net(), X, Y, learning_rate=0.1, optimizer=_PlainSGD(0.1))


# --- fit's data checks ---------------------------------------------------------------------------

def test_fit_rejects_a_single_number_as_the_inputs():
    with pytest.raises(ValueError, match=r"^Dense\(1, 1\) expects x of shape \(N, 1\); got \(\)"):
        training.fit(_one_weight_net(), 1.0, [1.0])


def test_fit_leaves_one_dimensional_inputs_to_the_first_layer_to_reject():
    with pytest.raises(ValueError, match=r"^Dense\(1, 1\) expects x of shape \(N, 1\); got \(3,\)"):
        training.fit(_one_weight_net(), np.array([1.0, 2.0, 3.0]), np.zeros((3, 1)), epochs=1)


def test_fit_accepts_class_labels_of_shape_n():
    # zero weights give equal logits for 3 classes: softmax 1/3 each, cross-entropy ln 3
    net = Sequential([Dense.from_weights(np.zeros((2, 3)), np.zeros(3))])
    history = training.fit(net, np.ones((4, 2)), np.array([0, 1, 2, 1]),
                           loss="softmax_cross_entropy", epochs=1)
    assert history.loss == [pytest.approx(math.log(3), rel=1e-12)]


# --- fit's batches ---------------------------------------------------------------------------

def test_fit_shuffles_the_examples_when_batches_are_smaller_than_the_data():
    net = _RecordingNetwork()
    training.fit(net, np.arange(8.0).reshape(8, 1), np.zeros((8, 1)), epochs=1, batch_size=1, seed=0)
    order = [batch[0] for batch in net.batches]
    assert sorted(order) == list(range(8)) and order != list(range(8))


def test_fit_loss_is_the_mean_over_all_batches_of_an_epoch():
    # predictions 0, targets 1..4: the epoch's loss is (1 + 4 + 9 + 16) / 4 = 7.5,
    # whichever way the examples fall into the batches of 3 and 1
    y = np.array([[1.0], [2.0], [3.0], [4.0]])
    history = training.fit(_RecordingNetwork(), np.zeros((4, 1)), y, epochs=1, batch_size=3, seed=0)
    assert history.loss == [7.5]


def test_fit_history_records_the_seconds_the_run_took(monkeypatch):
    _clock(monkeypatch, [100.0, 102.5])  # start, end (a silent run reads the clock only twice)
    history = training.fit(_RecordingNetwork(), np.zeros((2, 1)), np.zeros((2, 1)), epochs=2)
    assert history.seconds == 2.5


# --- the progress bar ------------------------------------------------------------------------------

def test_no_progress_bar_unless_verbose_or_on_the_website(monkeypatch):
    assert training._progress_bar(5, False) is None
    for view in ("static", "light"):
        monkeypatch.setenv(training.VIEW_VARIABLE, view)
        assert training._progress_bar(5, True) is None


def test_the_progress_bar_counts_epochs_and_waits_a_second(monkeypatch):
    monkeypatch.delenv(training.VIEW_VARIABLE, raising=False)
    bar = training._progress_bar(5, True)
    try:
        assert bar.total == 5 and bar.delay == 1.0
    finally:
        bar.close()


def test_a_verbose_fit_moves_its_bar_once_per_epoch(monkeypatch):
    updates = []

    class Bar:
        def update(self, n):
            updates.append(n)

        def set_postfix(self, **kwargs):
            updates.append(kwargs)

        def close(self):
            updates.append("closed")

    monkeypatch.setattr(training, "_progress_bar", lambda epochs, verbose: Bar() if verbose else None)
    training.fit(_RecordingNetwork(), np.zeros((2, 1)), np.zeros((2, 1)), epochs=3, verbose=True)
    assert updates.count(1) == 3 and updates[-1] == "closed"


def test_clip_norm_scales_a_large_gradient_down_to_the_norm(rng):
    x, y = rng.normal(size=(20, 3)), 100 * rng.normal(size=(20, 1))
    a, b = training.mlp([3, 4, 1], seed=0), training.mlp([3, 4, 1], seed=0)
    start = b.flat_params.copy()
    training.fit(a, x, y, epochs=1, learning_rate=0.1, clip_norm=1e-3)
    assert np.linalg.norm(a.flat_params - start) == pytest.approx(0.1 * 1e-3, rel=1e-9)
    training.fit(b, x, y, epochs=1, learning_rate=0.1, clip_norm=1e9)   # not reached: no change
    np.testing.assert_array_equal(b.flat_params, start - 0.1 * b.flat_grads)
    with pytest.raises(ValueError, match="clip_norm must be a positive"):
        training.fit(a, x, y, clip_norm=0)


def test_fit_trains_a_recurrent_network_on_class_ids(rng):
    from nnbook.rnn import RNN, TimeDense, sequence_softmax_cross_entropy, sequence_softmax_cross_entropy_gradient
    from nnbook.text import Vocabulary, one_hot

    vocab = Vocabulary("namaskar")
    ids = vocab.encode("namaskar")
    x, y = one_hot(ids[None, :7], vocab.size), ids[None, 1:8]
    net = Sequential([RNN(vocab.size, 8, seed=0), TimeDense(8, vocab.size, seed=1)])
    history = training.fit(net, x, y, loss=(sequence_softmax_cross_entropy, sequence_softmax_cross_entropy_gradient),
                           optimizer=_optim.Adam(0.05), epochs=100, clip_norm=5.0)
    assert history.loss[-1] < 0.01 and history.status == "finished"
    assert vocab.decode(net.forward(x)[0].argmax(axis=1)) == "amaskar"


@pytest.mark.parametrize("make", ["dense", "conv", "rnn"])
def test_fit_skips_the_data_gradient_of_the_first_layer_and_restores_the_flag(make, rng):
    from nnbook.conv import Conv2D, Flatten
    from nnbook.rnn import RNN, LastStep

    if make == "dense":
        net, x = training.mlp([3, 4, 1], seed=0), rng.normal(size=(8, 3))
    elif make == "conv":
        net, x = Sequential([Conv2D(1, 2, 3, seed=0), Flatten(), _Dense(8, 1, seed=1)]), rng.normal(size=(8, 1, 4, 4))
    else:
        net, x = Sequential([RNN(2, 3, seed=0), LastStep(), _Dense(3, 1, seed=1)]), rng.normal(size=(8, 5, 2))
    y = rng.normal(size=(8, 1))
    skipped = []
    original = net.layers[0].backward
    net.layers[0].backward = lambda g: skipped.append(original(g) is None)
    training.fit(net, x, y, epochs=2, batch_size=4)
    assert skipped == [True] * 4 and net.layers[0].input_grad
    del net.layers[0].backward
    if make == "dense":     # skipping dL/dx changes no update: fit equals steps that compute it
        a, b = training.mlp([3, 4, 1], seed=0), training.mlp([3, 4, 1], seed=0)
        training.fit(a, x, y, epochs=2)
        for _ in range(2):
            training.train_step(b, x, y, learning_rate=0.1)
        np.testing.assert_array_equal(a.flat_params, b.flat_params)
    assert net.backward(np.ones_like(net.forward(x))).shape == x.shape   # outside fit: dL/dx again


def test_fit_names_a_class_label_the_network_has_no_output_for(rng):
    net = training.mlp([2, 4, 3], seed=0)
    with pytest.raises(ValueError, match=r"class labels must lie in 0..2 \(the network has 3 outputs\); got 3"):
        training.fit(net, rng.normal(size=(5, 2)), [0, 1, 2, 3, 0], loss="softmax_cross_entropy")
    with pytest.raises(ValueError, match="whole"):
        training.fit(net, rng.normal(size=(5, 2)), [0, 1, 2, 1.5, 0], loss="softmax_cross_entropy")
