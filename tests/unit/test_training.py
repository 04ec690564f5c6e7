"""nnbook.training: the worked 2-2-2 example, scikit-learn as an oracle, XOR, fit."""

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
    sigmoid = training.vanishing_gradients(10, "sigmoid")
    relu = training.vanishing_gradients(10, "relu")
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
