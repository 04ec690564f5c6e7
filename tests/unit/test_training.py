"""nnbook.training: the worked 2-2-2 example, scikit-learn as an oracle, XOR, fit."""

import re
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from nnbook import data, losses, training
from nnbook.layers import Dense, ReLU, Sequential
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
                 callback=lambda epoch, network: seen.append(epoch))
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


def test_fit_shows_progress_only_for_runs_longer_than_a_second(capsys, monkeypatch, rng):
    clock = iter(np.arange(0.0, 100.0, 0.6))   # every call to the clock: 0.6 s later
    monkeypatch.setattr(training.time, "perf_counter", lambda: next(clock))
    net = training.mlp([3, 2, 1], seed=0)
    training.fit(net, rng.normal(size=(8, 3)), rng.normal(size=(8, 1)), epochs=5, verbose=True)
    out = capsys.readouterr().out
    assert "epoch 5/5" in out and out.endswith("\n")


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
    with pytest.raises(ValueError, match=re.escape("x is empty (shape (0, 3)); it needs at least one value")):
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
    with pytest.raises(ValueError, match=r"^optimizer must be None \(plain gradient descent\) or an object "
                                         r"with a step\(params, grads\) method"):
        training.fit(net, x, y, optimizer="adam")


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
