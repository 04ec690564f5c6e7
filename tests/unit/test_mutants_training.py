"""Behaviours of nnbook.training that mutation testing found untested (tools/mutation.py)."""

import itertools
import math

import numpy as np
import pytest

from nnbook import training
from nnbook.layers import Layer
from nnbook.layers import Dense, Sequential

# One weight, one bias: w = 1, b = 0, x = 2, y = 0. Prediction 2, mean squared error 4,
# dJ/dpred = 2 (2 - 0) = 4, so dJ/dw = x * 4 = 8 and dJ/db = 4.
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
