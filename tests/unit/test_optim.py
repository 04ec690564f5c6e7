"""Tests of nnbook.optim: hand-worked first steps, scikit-learn as an oracle, state, surfaces,
schedules and bad input."""

import math
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from nnbook import optim, regularization, surfaces
from nnbook.layers import Dense, ReLU, Sequential
from nnbook.losses import softmax_cross_entropy_gradient
from nnbook.optim import (
    SGD,
    AdaGrad,
    Adam,
    AdamW,
    AMSGrad,
    Momentum,
    Nesterov,
    RMSprop,
    constant,
    cosine,
    exponential,
    step_decay,
    warmup_cosine,
)

# --- the first three steps on J(w) = 1/2 w^T A w, by hand ------------------------------------
# A = [[3, 1], [1, 2]], w0 = (1, -2), so the gradient A w0 = (1, -3); learning rate 0.1,
# beta 0.9. The literal numbers were worked out with exact fractions.

A = ((3.0, 1.0), (1.0, 2.0))
W0 = (1.0, -2.0)
LR, BETA = 0.1, 0.9


def grad_by_hand(w):
    """A w, in plain Python (no numpy)."""
    return [A[0][0] * w[0] + A[0][1] * w[1], A[1][0] * w[0] + A[1][1] * w[1]]


def three_steps(optimizer, start=W0):
    w = np.array(start, dtype=float)
    params, path = {"w": w}, []
    for _ in range(3):
        optimizer.step(params, {"w": np.array(grad_by_hand(list(w)))})
        path.append(w.copy())
    return np.array(path)


def test_sgd_first_three_steps_by_hand():
    # w <- w - 0.1 A w: (9/10, -17/10), (4/5, -29/20), (141/200, -31/25)
    expected = [[0.9, -1.7], [0.8, -1.45], [0.705, -1.24]]
    assert np.allclose(three_steps(SGD(LR)), expected, rtol=1e-13, atol=0)


def test_momentum_first_three_steps_by_hand():
    # v1 = -0.1 (1, -3) = (-0.1, 0.3), w1 = (0.9, -1.7); g1 = (1, -2.5)
    # v2 = 0.9 v1 - 0.1 g1 = (-0.19, 0.52), w2 = (0.71, -1.18); g2 = (0.95, -1.65)
    # v3 = 0.9 v2 - 0.1 g2 = (-0.266, 0.633), w3 = (0.444, -0.547)
    optimizer = Momentum(LR, beta1=BETA)
    assert np.allclose(three_steps(optimizer), [[0.9, -1.7], [0.71, -1.18], [0.444, -0.547]],
                       rtol=1e-13, atol=0)
    assert np.allclose(optimizer.state["w"]["velocity"], [-0.266, 0.633], rtol=1e-13, atol=0)


# Sutskever et al. (2013): v <- 0.9 v - 0.1 grad(w + 0.9 v); w <- w + v. By hand:
SUTSKEVER_W = [[1.0, -2.0], [0.9, -1.7], [0.71, -1.225], [0.45705, -0.6919]]
# ... and the look-ahead points w + 0.9 v where each next gradient is taken:
SUTSKEVER_AHEAD = [[1.0, -2.0], [0.81, -1.43], [0.539, -0.7975], [0.229395, -0.21211]]


def test_nesterov_sutskever_first_three_steps_by_hand():
    run = optim.nesterov_sutskever(lambda w: np.array(grad_by_hand(w)), W0, learning_rate=LR,
                                   beta1=BETA, steps=3)
    assert np.allclose(run.points, SUTSKEVER_W, rtol=1e-13, atol=0)
    assert np.allclose(run.lookahead, SUTSKEVER_AHEAD, rtol=1e-13, atol=0)


def test_nesterov_library_form_tracks_the_lookahead_point_by_hand():
    optimizer = Nesterov(LR, beta1=BETA)
    path = three_steps(optimizer)
    assert np.allclose(path, SUTSKEVER_AHEAD[1:], rtol=1e-13, atol=0)
    # undo the change of variables: w = u - beta v
    w3 = path[-1] - BETA * optimizer.state["w"]["velocity"]
    assert np.allclose(w3, SUTSKEVER_W[-1], rtol=1e-13, atol=0)


def adaptive_by_hand(rule, steps=3, lr=LR, beta1=BETA, beta2=0.999, eps=1e-8):
    """The papers' update rules, one coordinate at a time, in plain Python floats."""
    w = list(W0)
    m, v, v_max, total = [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
    path = []
    for t in range(1, steps + 1):
        g = grad_by_hand(w)
        for i in range(2):
            if rule == "adagrad":       # Duchi et al. (2011), diagonal: G += g^2
                total[i] += g[i] ** 2
                w[i] -= lr * g[i] / (math.sqrt(total[i]) + eps)
            elif rule == "rmsprop":     # Tieleman & Hinton (2012), decay 0.9
                v[i] = beta1 * v[i] + (1 - beta1) * g[i] ** 2
                w[i] -= lr * g[i] / (math.sqrt(v[i]) + eps)
            else:
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2
                if rule == "adam":      # Kingma & Ba (2015), Algorithm 1
                    m_hat, v_hat = m[i] / (1 - beta1 ** t), v[i] / (1 - beta2 ** t)
                    w[i] -= lr * m_hat / (math.sqrt(v_hat) + eps)
                elif rule == "amsgrad":  # Reddi et al. (2018), Algorithm 2: no bias correction
                    v_max[i] = max(v_max[i], v[i])
                    w[i] -= lr * m[i] / (math.sqrt(v_max[i]) + eps)
                elif rule == "amsgrad_corrected":  # the PyTorch / Keras variant
                    v_max[i] = max(v_max[i], v[i])
                    m_hat, v_hat = m[i] / (1 - beta1 ** t), v_max[i] / (1 - beta2 ** t)
                    w[i] -= lr * m_hat / (math.sqrt(v_hat) + eps)
        path.append(list(w))
    return np.array(path)


ADAPTIVE = {
    "adagrad": lambda: AdaGrad(LR),
    "rmsprop": lambda: RMSprop(LR, beta2=BETA),
    "adam": lambda: Adam(LR),
    "amsgrad": lambda: AMSGrad(LR),
    "amsgrad_corrected": lambda: AMSGrad(LR, bias_correction=True),
}

# The first step, g0 = (1, -3): Adam and AdaGrad move each coordinate by 0.1 against the
# gradient's sign; RMSprop by 0.1 / sqrt(0.1) and AMSGrad (no bias correction) by
# 0.1 * 0.1 / sqrt(0.001), both sqrt(10) * 0.1 = 0.316227766016838.
FIRST_STEP = {
    "adagrad": [0.9, -1.9],
    "rmsprop": [0.683772233983162, -1.683772233983162],
    "adam": [0.9, -1.9],
    "amsgrad": [0.683772233983162, -1.683772233983162],
    "amsgrad_corrected": [0.9, -1.9],
}


@pytest.mark.parametrize("rule", ADAPTIVE)
def test_adaptive_first_step_literal(rule):
    # eps = 1e-8 against sqrt(v) of about 0.03 shows in the 7th digit
    assert np.allclose(three_steps(ADAPTIVE[rule]())[0], FIRST_STEP[rule], rtol=1e-6, atol=0)


@pytest.mark.parametrize("rule", ADAPTIVE)
def test_adaptive_first_three_steps_follow_the_paper(rule):
    assert np.allclose(three_steps(ADAPTIVE[rule]()), adaptive_by_hand(rule), rtol=1e-12, atol=0)


@pytest.mark.parametrize("scale", [1e-4, 1e-2, 1.0, 1e3, 1e6])
@pytest.mark.parametrize("make", [Adam, AdaGrad], ids=["adam", "adagrad"])
def test_first_step_moves_every_coordinate_by_the_learning_rate(make, scale):
    g = scale * np.array([0.3, -2.0, 5.0, -0.01])
    w = np.zeros(4)
    make(0.05, eps=1e-12).step({"w": w}, {"w": g})
    # up to eps: the shortfall is eps / |g| <= 1e-6 for these gradients
    assert np.allclose(w, -0.05 * np.sign(g), rtol=1e-6, atol=0)
    # exactly alpha g / (|g| + eps)
    assert np.allclose(w, -0.05 * g / (np.abs(g) + 1e-12), rtol=1e-13, atol=0)


def test_adam_adds_epsilon_to_the_corrected_root_as_in_the_paper():
    # With a large eps the placement shows: g = 0.05, eps = 0.1. Paper (Algorithm 1):
    # m_hat = g, v_hat = g^2, step = 0.1 * 0.05 / (0.05 + 0.1) = 1/30.
    w = np.zeros(1)
    Adam(0.1, eps=0.1).step({"w": w}, {"w": np.array([0.05])})
    assert w[0] == pytest.approx(-1 / 30, rel=1e-13)
    # scikit-learn's ordering, lr sqrt(1 - b2) / (1 - b1) * m / (sqrt(v) + eps), would give
    # 0.1 * sqrt(0.001) / 0.1 * 0.005 / (0.05 sqrt(0.001) + 0.1), about 0.00154: not this.
    assert abs(w[0]) > 20 * 0.1 * math.sqrt(0.001) / 0.1 * 0.005 / (0.05 * math.sqrt(0.001) + 0.1)


def test_amsgrad_rate_never_grows_where_adams_does():
    # A large gradient, then small ones: Adam's v decays, so its step per unit gradient grows;
    # AMSGrad keeps the largest v.
    grads = [10.0] + [0.1] * 30
    steps = {}
    for make in (Adam, AMSGrad):
        optimizer, w = make(0.01, beta1=0.0), np.zeros(1)
        sizes = []
        for g in grads:
            before = w[0]
            optimizer.step({"w": w}, {"w": np.array([g])})
            sizes.append(abs(w[0] - before))
        steps[make.__name__] = np.array(sizes[1:])
    assert np.all(np.diff(steps["Adam"]) > 0)
    assert np.all(np.diff(steps["AMSGrad"]) <= 1e-18)


# --- Nesterov: the two forms give the same trajectory -----------------------------------------

@pytest.mark.parametrize("name", ["elongated bowl", "Rosenbrock", "saddle"])
def test_nesterov_reformulation_follows_sutskevers_lookahead_points(name):
    surface = surfaces.SURFACES[name]()
    start = [-1.2, 1.5]
    original = optim.nesterov_sutskever(surface.gradient, start, learning_rate=1e-3, beta1=0.9, steps=60)
    optimizer = Nesterov(1e-3, beta1=0.9)
    u = np.array(start)
    path, w_path = [u.copy()], [u.copy()]
    for _ in range(60):
        optimizer.step({"theta": u}, {"theta": surface.gradient(u)})
        path.append(u.copy())
        w_path.append(u - 0.9 * optimizer.state["theta"]["velocity"])
    assert original.status == "finished"
    assert np.allclose(path, original.lookahead, rtol=1e-12, atol=1e-13)
    assert np.allclose(w_path, original.points, rtol=1e-12, atol=1e-13)
    # and the optimizer's trajectory helper gives the same points
    assert np.allclose(optim.trajectory(Nesterov(1e-3, beta1=0.9), surface.gradient, start,
                                        steps=60).points, path, rtol=1e-12, atol=1e-13)


def test_a_diverging_nesterov_sutskever_run_stops_and_says_why():
    run = optim.nesterov_sutskever(lambda w: 2 * w, np.array([1.0]), learning_rate=2.0, beta1=0.9,
                                   steps=50, bound=100.0)
    assert (run.status, run.reason) == ("diverged", "a coordinate passed 100")


@pytest.mark.parametrize("bad, message", [
    ({"learning_rate": -1}, r"^learning_rate must be a positive finite number \(e\.g\. 0\.01\); got -1$"),
    ({"beta1": 1.0}, r"^beta1 must be in \[0, 1\) \(e\.g\. 0\.9\); got 1\.0$"),
    ({"steps": 0}, r"^steps must be a positive integer; got 0$"),
    ({"bound": 0}, r"^bound must be a positive finite number \(e\.g\. 1000000\.0\); got 0$"),
    ({"start": [[1.0, 2.0]]}, r"^start must be a vector of shape \(D,\); got shape \(1, 2\)$"),
], ids=["learning_rate", "beta1", "steps", "bound", "start"])
def test_nesterov_sutskever_names_a_bad_argument_with_an_example(bad, message):
    arguments = {"start": [1.0, 2.0], **bad}
    start = arguments.pop("start")
    with pytest.raises(ValueError, match=message):
        optim.nesterov_sutskever(lambda w: 2 * w, start, **arguments)


# --- scikit-learn's MLPClassifier as an oracle ------------------------------------------------

def _network_and_data(sizes, seed=0, n=24):
    rng = np.random.default_rng(seed)
    layers = []
    for k, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        dense = Dense(n_in, n_out, seed=rng)
        dense.params["b"][...] = rng.normal(0.0, 0.1, size=n_out)
        layers.append(dense)
        if k < len(sizes) - 2:
            layers.append(ReLU())
    x = rng.normal(size=(n, sizes[0]))
    labels = np.arange(n) % sizes[-1]          # every class present
    rng.shuffle(labels)
    return Sequential(layers), x, labels


def _sklearn_after(sizes, x, labels, weights, steps, **settings):
    """scikit-learn's weights after ``steps`` full-batch updates from ``weights``.

    MLPClassifier cannot start from given weights, so: one fit to build the model, then
    warm_start with our weights. Each fit builds a new optimizer (zero velocity, t = 0), and
    with batch_size = N, shuffle=False one epoch is one step. (partial_fit keeps the first
    call's optimizer, its velocity and its step count, so it cannot start over.)
    """
    clf = MLPClassifier(hidden_layer_sizes=tuple(sizes[1:-1]), activation="relu", alpha=0.0,
                        batch_size=len(x), shuffle=False, warm_start=True, max_iter=1,
                        random_state=0, tol=0.0, n_iter_no_change=10 ** 6, **settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(x, labels)
        assert clf.out_activation_ == "softmax"
        clf.coefs_ = [W.copy() for W, b in weights]
        clf.intercepts_ = [b.copy() for W, b in weights]
        clf.set_params(max_iter=steps)
        clf.fit(x, labels)
    assert clf.n_iter_ == steps
    return clf


SKLEARN = {
    "momentum": (lambda lr: Momentum(lr, beta1=0.9),
                 dict(solver="sgd", momentum=0.9, nesterovs_momentum=False)),
    "nesterov": (lambda lr: Nesterov(lr, beta1=0.9),
                 dict(solver="sgd", momentum=0.9, nesterovs_momentum=True)),
    # a tiny epsilon: scikit-learn adds it to sqrt(v), the paper to sqrt(v_hat)
    "adam": (lambda lr: Adam(lr, eps=1e-30),
             dict(solver="adam", beta_1=0.9, beta_2=0.999, epsilon=1e-30)),
}


@pytest.mark.parametrize("sizes", [(4, 5, 3), (6, 8, 7, 4), (64, 64, 10)],
                         ids=["4-5-3", "6-8-7-4", "64-64-10 (BLAS steps)"])
@pytest.mark.parametrize("name", SKLEARN)
def test_training_matches_sklearn_mlpclassifier(name, sizes):
    make, settings = SKLEARN[name]
    lr = 0.05
    network, x, labels = _network_and_data(sizes)
    one_hot = np.eye(sizes[-1])[labels]
    dense = [layer for layer in network.layers if isinstance(layer, Dense)]
    start = [(layer.params["W"].copy(), layer.params["b"].copy()) for layer in dense]
    params = {name: p for name, p, g in network.parameters()}
    grads = {name: g for name, p, g in network.parameters()}
    optimizer = make(lr)
    for step in range(1, 6):
        logits = network.forward(x)
        network.backward(softmax_cross_entropy_gradient(one_hot, logits))
        optimizer.step(params, grads)
        clf = _sklearn_after(sizes, x, labels, start, step, learning_rate_init=lr, **settings)
        for layer, W, b in zip(dense, clf.coefs_, clf.intercepts_):
            assert np.max(np.abs(layer.params["W"] - W)) < 1e-9
            assert np.max(np.abs(layer.params["b"] - b)) < 1e-9
    # the weights moved: the comparison could fail
    assert max(np.max(np.abs(layer.params["W"] - W0)) for layer, (W0, b0) in zip(dense, start)) > 1e-2


@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
@pytest.mark.parametrize("name", list(optim.OPTIMIZERS))
@pytest.mark.parametrize("sizes", [(4, 5, 3), (64, 64, 10)], ids=["43", "4810"])
def test_a_packed_network_and_separate_arrays_take_the_same_steps(name, sizes, weight_decay):
    """The packed path (the rule once, on the network's flat vectors) against once per array."""
    network, x, labels = _network_and_data(sizes, n=16)
    one_hot = np.eye(sizes[-1])[labels]
    params = {key: p for key, p, g in network.parameters()}
    grads = {key: g for key, p, g in network.parameters()}
    copies = {key: p.copy() for key, p in params.items()}
    start = {key: p.copy() for key, p in params.items()}
    packed, separate = (optim.get_optimizer(name, learning_rate=0.01, weight_decay=weight_decay)
                        for _ in range(2))
    for _ in range(4):
        network.backward(softmax_cross_entropy_gradient(one_hot, network.forward(x)))
        packed.step(params, grads)
        separate.step(copies, {key: g.copy() for key, g in grads.items()})
        for key in params:
            assert np.allclose(params[key], copies[key], rtol=1e-13, atol=1e-15)
    assert packed._packed is not None and separate._packed is None
    assert max(np.max(np.abs(params[key] - start[key])) for key in params) > 1e-3


def test_a_replaced_array_is_still_updated():
    """After the first step an array of the dict may be swapped for another: no shortcut then."""
    network, x, labels = _network_and_data((4, 5, 3))
    params = {key: p for key, p, g in network.parameters()}
    grads = {key: g for key, p, g in network.parameters()}
    optimizer = SGD(0.5)
    grads["0.W"][...] = 1.0
    optimizer.step(params, grads)
    params["0.W"] = params["0.W"].copy()
    before = {key: p.copy() for key, p in params.items()}
    grads["0.W"][...] = 2.0
    optimizer.step(params, grads)
    for key in params:
        assert np.array_equal(params[key], before[key] - 0.5 * grads[key])


# --- state: per parameter, reset, in place ----------------------------------------------------

STATEFUL = {
    "momentum": lambda: Momentum(0.1),
    "nesterov": lambda: Nesterov(0.1),
    "adagrad": lambda: AdaGrad(0.1),
    "rmsprop": lambda: RMSprop(0.1),
    "adam": lambda: Adam(0.1),
    "amsgrad": lambda: AMSGrad(0.1),
    "adamw": lambda: AdamW(0.1),
}
ALL = {"sgd": lambda: SGD(0.1), **STATEFUL}


@pytest.mark.parametrize("name", STATEFUL)
def test_two_parameters_of_the_same_shape_never_share_state(name):
    optimizer = STATEFUL[name]()
    params = {"a": np.zeros((2, 3)), "b": np.zeros((2, 3))}
    optimizer.step(params, {"a": np.ones((2, 3)), "b": -3.0 * np.ones((2, 3))})
    for key in optimizer.state["a"]:
        a, b = optimizer.state["a"][key], optimizer.state["b"][key]
        assert a.shape == b.shape == (2, 3)
        assert not np.shares_memory(a, b) and not np.array_equal(a, b)
    optimizer.step(params, {"a": np.zeros((2, 3)), "b": -3.0 * np.ones((2, 3))})
    # a on its own, with the same gradients: b's state must not have leaked into a
    solo, alone = STATEFUL[name](), np.zeros((2, 3))
    solo.step({"a": alone}, {"a": np.ones((2, 3))})
    solo.step({"a": alone}, {"a": np.zeros((2, 3))})
    assert np.array_equal(params["a"], alone)


@pytest.mark.parametrize("name", ALL)
def test_step_updates_in_place_and_reset_starts_over(name):
    optimizer = ALL[name]()
    w = np.array([1.0, -2.0, 0.5])
    params = {"w": w}
    first = []
    for _ in range(3):
        assert optimizer.step(params, {"w": 2.0 * w}) is None
        assert params["w"] is w
        first.append(w.copy())
    assert optimizer.t == 3
    optimizer.reset()
    assert optimizer.state == {} and optimizer.t == 0
    w[...] = [1.0, -2.0, 0.5]
    for expected in first:
        optimizer.step(params, {"w": 2.0 * w})
        assert np.array_equal(w, expected)


def test_state_has_each_parameters_shape():
    optimizer = Adam()
    params = {"W": np.zeros((3, 4)), "b": np.zeros(4)}
    optimizer.step(params, {"W": np.ones((3, 4)), "b": np.ones(4)})
    assert {k: {n: a.shape for n, a in s.items()} for k, s in optimizer.state.items()} == {
        "W": {"m": (3, 4), "s": (3, 4)}, "b": {"m": (4,), "s": (4,)}}


def test_a_schedule_may_set_the_learning_rate_between_steps():
    optimizer, w = SGD(0.1), np.array([1.0])
    optimizer.learning_rate = 0.5
    optimizer.step({"w": w}, {"w": np.array([1.0])})
    assert w[0] == 0.5
    optimizer.learning_rate = 0.0             # the end of a cosine schedule
    optimizer.step({"w": w}, {"w": np.array([1.0])})
    assert w[0] == 0.5


def test_registry_builds_every_optimizer_by_name():
    assert set(optim.OPTIMIZERS) == {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "amsgrad",
                                     "adamw"}
    optimizer = optim.get_optimizer("Adam", learning_rate=0.01, beta1=0.8)
    assert isinstance(optimizer, Adam) and optimizer.beta1 == 0.8
    assert repr(optimizer) == "Adam(learning_rate=0.01, beta1=0.8, beta2=0.999, eps=1e-08, weight_decay=0.0)"
    assert repr(Momentum()) == "Momentum(learning_rate=0.01, beta1=0.9, weight_decay=0.0)"
    assert repr(RMSprop()) == "RMSprop(learning_rate=0.001, beta2=0.9, eps=1e-08, weight_decay=0.0)"
    assert repr(optim.get_optimizer("AdamW")) == ("AdamW(learning_rate=0.001, beta1=0.9, beta2=0.999, "
                                                  "eps=1e-08, weight_decay=0.01)")
    assert optim.get_optimizer(optimizer) is optimizer


# --- every optimizer on every 2-D surface, at the sliders' extremes ----------------------------

SURFACES_2D = {name: make for name, make in surfaces.SURFACES.items() if make().dim == 2}
LEARNING_RATES = [1e-4, 1e-2, 0.3, 3.0]


def _with_beta(name, lr, beta):
    """The optimizer with its one decay rate set to beta: beta1 (momentum, Adam's) or RMSprop's beta2."""
    if name in ("sgd", "adagrad"):
        return optim.get_optimizer(name, learning_rate=lr)
    if name == "rmsprop":
        return optim.get_optimizer(name, learning_rate=lr, beta2=beta)
    return optim.get_optimizer(name, learning_rate=lr, beta1=beta)


def test_the_demo_surfaces_are_the_five_2d_ones():
    assert sorted(SURFACES_2D) == ["Rosenbrock", "bowl", "double well", "elongated bowl", "saddle"]


@pytest.mark.parametrize("surface_name", SURFACES_2D)
@pytest.mark.parametrize("name", ALL)
def test_every_optimizer_stays_finite_on_every_surface(name, surface_name):
    surface = SURFACES_2D[surface_name]()
    betas = [0.0] if name in ("sgd", "adagrad") else [0.0, 0.5, 0.99]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for lr in LEARNING_RATES:
            for beta in betas:
                for start in ([-1.5, 1.5], [0.0, 0.0]):
                    run = optim.trajectory(_with_beta(name, lr, beta), surface.gradient, start, steps=200)
                    assert np.all(np.isfinite(run.points))
                    assert np.all(np.isfinite(surface.loss(run.points)))
                    assert run.status in ("finished", "diverged")
                    assert run.steps == 200 or run.diverged


def test_trajectory_stops_a_diverging_run_calmly():
    # On the bowl (curvature 2) SGD is stable only below 1: at 3 each step multiplies by -5.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = optim.trajectory(SGD(3.0), surfaces.bowl().gradient, [1.0, 1.0], steps=200)
    assert run.diverged and run.reason == "a coordinate passed 1e+06"
    assert run.steps == 8                     # 5^8 = 390625 < 1e6 < 5^9
    assert np.allclose(run.points[-1], [390625.0, 390625.0])


def test_trajectory_applies_a_schedule():
    run = optim.trajectory(SGD(1.0), surfaces.bowl().gradient, [1.0, 0.0], steps=3,
                           schedule=lambda t: 0.1 * (t + 1))
    # theta <- theta (1 - 2 alpha_t): 1 * 0.8 * 0.6 * 0.4
    assert np.allclose(run.points[:, 0], [1.0, 0.8, 0.48, 0.192], rtol=1e-14)


# --- schedules ---------------------------------------------------------------------------------

def test_schedule_values_by_hand():
    assert constant(7, initial=0.1) == 0.1
    assert [step_decay(t, initial=0.1, drop=0.5, every=10) for t in (0, 9, 10, 19, 20, 25)] == \
        pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025, 0.025], rel=1e-15)
    assert exponential(0, initial=0.1, decay=0.9) == 0.1
    assert exponential(3, initial=0.1, decay=0.9) == pytest.approx(0.0729, rel=1e-14)
    assert cosine(0, initial=0.1, total=100) == 0.1
    assert cosine(50, initial=0.1, total=100) == pytest.approx(0.05, rel=1e-14)
    assert cosine(25, initial=0.1, total=100) == pytest.approx(0.0853553390593274, rel=1e-14)
    assert cosine(100, initial=0.1, total=100) == 0.0
    assert cosine(500, initial=0.1, total=100, final=0.01) == 0.01
    assert cosine(50, initial=0.1, total=100, final=0.01) == pytest.approx(0.055, rel=1e-14)
    assert [warmup_cosine(t, initial=0.1, warmup=4, total=104) for t in range(5)] == \
        pytest.approx([0.025, 0.05, 0.075, 0.1, 0.1], rel=1e-14)
    assert warmup_cosine(54, initial=0.1, warmup=4, total=104) == pytest.approx(0.05, rel=1e-14)
    assert warmup_cosine(104, initial=0.1, warmup=4, total=104) == 0.0
    assert warmup_cosine(3, initial=0.1, warmup=0, total=10) == cosine(3, initial=0.1, total=10)


@pytest.mark.parametrize("name,settings", [
    ("step_decay", dict(initial=0.1, drop=0.5, every=7)),
    ("exponential", dict(initial=0.1, decay=0.97)),
    ("cosine", dict(initial=0.1, total=50, final=0.001)),
])
def test_decaying_schedules_never_increase(name, settings):
    rates = np.array([optim.SCHEDULES[name](t, **settings) for t in range(120)])
    assert np.all(np.diff(rates) <= 0) and rates[0] == 0.1 and rates[-1] < rates[0]


def test_warmup_is_linear_then_the_rate_decays():
    rates = np.array([warmup_cosine(t, initial=0.2, warmup=10, total=60) for t in range(80)])
    assert np.allclose(np.diff(rates[:10]), 0.02, rtol=1e-12)
    assert rates[9] == pytest.approx(0.2) and rates.max() == pytest.approx(0.2)
    assert np.all(np.diff(rates[10:]) <= 0) and rates[-1] == 0.0


SCHEDULES_WITH_AN_INITIAL_RATE = {
    "step_decay": lambda initial: optim.step_decay(0, initial=initial, drop=0.5, every=10),
    "exponential": lambda initial: optim.exponential(0, initial=initial, decay=0.99),
    "cosine": lambda initial: optim.cosine(0, initial=initial, total=10),
    "warmup_cosine": lambda initial: optim.warmup_cosine(0, initial=initial, warmup=2, total=10),
}


@pytest.mark.parametrize("schedule", SCHEDULES_WITH_AN_INITIAL_RATE.values(), ids=SCHEDULES_WITH_AN_INITIAL_RATE)
def test_a_negative_initial_rate_is_rejected_with_an_example(schedule):
    with pytest.raises(ValueError, match=r"^initial must be a positive finite number \(e\.g\. 0\.1\); got -0\.1$"):
        schedule(-0.1)


def test_a_decay_of_one_keeps_the_rate_constant():
    assert optim.exponential(5, initial=0.1, decay=1.0) == 0.1


def test_a_decay_that_is_not_a_number_names_the_decay():
    with pytest.raises(ValueError, match=r"^decay must be a real number; got '0\.9'$"):
        optim.exponential(0, initial=0.1, decay="0.9")


def test_a_final_rate_equal_to_the_initial_one_gives_a_constant_cosine():
    assert optim.cosine(3, initial=0.1, total=10, final=0.1) == pytest.approx(0.1)


def test_a_final_rate_that_is_not_a_number_names_the_final_rate():
    with pytest.raises(ValueError, match=r"^final must be a real number; got '0'$"):
        optim.cosine(0, initial=0.1, total=10, final="0")


def test_warmup_cosine_names_a_total_that_is_not_a_positive_integer():
    with pytest.raises(ValueError, match=r"^total must be a positive integer; got 0$"):
        optim.warmup_cosine(0, initial=0.1, warmup=0, total=0)


def test_warmup_cosine_ends_at_the_final_rate():
    assert optim.warmup_cosine(10, initial=0.1, warmup=2, total=10, final=0.01) == pytest.approx(0.01)


def test_schedules_registry():
    assert optim.SCHEDULES == {"constant": constant, "step_decay": step_decay, "exponential": exponential,
                               "cosine": cosine, "warmup_cosine": warmup_cosine}


@pytest.mark.parametrize("call,message", [
    (lambda: cosine(-1, initial=0.1, total=10), "t must be a non-negative integer; got -1"),
    (lambda: cosine(1.5, initial=0.1, total=10), "t must be a non-negative integer; got 1.5"),
    (lambda: constant(True, initial=0.1), "t must be a non-negative integer; got True"),
    (lambda: constant(0, initial=0.0), "initial must be a positive finite number (e.g. 0.1); got 0.0"),
    (lambda: step_decay(0, initial=0.1, drop=0.0, every=5), "drop must be in (0, 1] (e.g. 0.5); got 0.0"),
    (lambda: step_decay(0, initial=0.1, drop=0.5, every=0), "every must be a positive integer; got 0"),
    (lambda: exponential(0, initial=0.1, decay=1.1), "decay must be in (0, 1] (e.g. 0.99); got 1.1"),
    (lambda: cosine(0, initial=0.1, total=0), "total must be a positive integer; got 0"),
    (lambda: cosine(0, initial=0.1, total=10, final=0.2), "final must be between 0 and initial (0.1); got 0.2"),
    (lambda: warmup_cosine(0, initial=0.1, warmup=10, total=10), "total must be larger than warmup (10); got 10"),
    (lambda: warmup_cosine(0, initial=0.1, warmup=-1, total=10), "warmup must be a non-negative integer; got -1"),
])
def test_schedules_reject_bad_settings(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert str(error.value) == message


# --- bad input to the optimizers ---------------------------------------------------------------

@pytest.mark.parametrize("call,message", [
    (lambda: SGD(0.0), "learning_rate must be a positive finite number (e.g. 0.01); got 0.0"),
    (lambda: Adam(-1e-3), "learning_rate must be a positive finite number (e.g. 0.01); got -0.001"),
    (lambda: Momentum(float("nan")), "learning_rate must be a positive finite number (e.g. 0.01); got nan"),
    (lambda: RMSprop(float("inf")), "learning_rate must be a positive finite number (e.g. 0.01); got inf"),
    (lambda: SGD("0.1"), "learning_rate must be a positive number (e.g. 0.01); got '0.1'"),
    (lambda: Momentum(0.1, beta1=1.0), "beta1 must be in [0, 1) (e.g. 0.9); got 1.0"),
    (lambda: Nesterov(0.1, beta1=-0.1), "beta1 must be in [0, 1) (e.g. 0.9); got -0.1"),
    (lambda: RMSprop(0.1, beta2=1.0), "beta2 must be in [0, 1) (e.g. 0.9); got 1.0"),
    (lambda: Adam(beta2=1.0), "beta2 must be in [0, 1) (e.g. 0.999); got 1.0"),
    (lambda: AMSGrad(beta1=1.5), "beta1 must be in [0, 1) (e.g. 0.9); got 1.5"),
    (lambda: AdaGrad(eps=0.0), "eps must be a positive finite number (e.g. 1e-08); got 0.0"),
    (lambda: AMSGrad(bias_correction="yes"), "bias_correction must be True or False; got 'yes'"),
    (lambda: SGD(0.1, weight_decay=-0.01), "weight_decay must not be negative; got -0.01"),
    (lambda: AdamW(weight_decay="0.01"), "weight_decay must be a real number; got '0.01'"),
    (lambda: optim.get_optimizer("adamax"),
     "unknown optimizer 'adamax'; known: sgd, momentum, nesterov, adagrad, rmsprop, adam, amsgrad, adamw"),
])
def test_bad_hyper_parameters_raise(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert str(error.value) == message


def test_a_negative_learning_rate_cannot_be_set_later():
    optimizer = SGD(0.1)
    with pytest.raises(ValueError, match=r"^learning_rate must not be negative; got -0\.1$"):
        optimizer.learning_rate = -0.1


@pytest.mark.parametrize("params,grads,message", [
    ({"W": np.zeros((4, 3)), "b": np.zeros(3)}, {"W": np.zeros((4, 3)), "c": np.zeros(3)},
     "grads must have the same keys as params; missing from grads: ['b']; not in params: ['c']"),
    ({"W": np.zeros((4, 3))}, {"W": np.zeros((3, 4))},
     ("grads['W'] has shape (3, 4) but params['W'] has shape (4, 3); each gradient must have its "
      "parameter's shape")),
    ({"W": np.zeros(3)}, {"W": np.array([0.0, np.nan, 1.0])},
     ("grads['W'] is not finite (NaN or infinity): the run has diverged; nothing was updated. "
      "Lower the learning rate, or stop the run here")),
    ({"W": np.zeros(2)}, {"W": np.array([1e200, 1.0])},
     ("the gradients are too large to square (largest |g| = 1e+200): the run has diverged; "
      "nothing was updated. Lower the learning rate")),
    ({"W": np.zeros(3, dtype=int)}, {"W": np.zeros(3)},
     "params['W'] must be a float numpy array (it is updated in place); got ndarray of dtype int64"),
    ({"W": [0.0, 0.0]}, {"W": np.zeros(2)},
     "params['W'] must be a float numpy array (it is updated in place); got list"),
    ({"W": np.zeros(2)}, {"W": np.zeros(2, dtype=complex)},
     "grads['W'] must be a numpy array of real numbers; got ndarray of dtype complex128"),
    ({"W": np.zeros(2)}, {"W": np.array([0.0, None])},
     "grads['W'] must be a numpy array of real numbers; got ndarray of dtype object"),
    ({"W": np.zeros(2)}, {"W": [0.0, 0.0]}, "grads['W'] must be a numpy array of real numbers; got list"),
    ({"W": np.zeros(2)}, {"W": np.zeros(2)}, None),  # read-only: see below
    (np.zeros(3), np.zeros(3), "params must be a dict {name: array}; got ndarray"),
    ({}, {}, "params is empty: there is nothing to optimise"),
])
@pytest.mark.parametrize("name", ["sgd", "adam"])
def test_bad_params_or_grads_raise(name, params, grads, message):
    optimizer = ALL[name]()
    if message is None:
        params["W"].flags.writeable = False
        message = ("params['W'] is read-only, but the optimizer updates it in place; nothing was "
                   "updated. Pass a writeable array (e.g. a copy)")
    with pytest.raises(ValueError) as error:
        optimizer.step(params, grads)
    assert str(error.value) == message


@pytest.mark.parametrize("name", ALL)
def test_a_nonfinite_gradient_later_changes_nothing(name):
    optimizer = ALL[name]()
    w = np.array([1.0, 2.0])
    optimizer.step({"w": w}, {"w": np.array([0.5, -0.5])})
    before = w.copy(), {k: a.copy() for k, a in optimizer.state["w"].items()}
    with pytest.raises(ValueError, match=r"^grads\['w'\] is not finite"):
        optimizer.step({"w": w}, {"w": np.array([np.inf, 0.0])})
    assert np.array_equal(w, before[0]) and optimizer.t == 1
    assert all(np.array_equal(optimizer.state["w"][k], a) for k, a in before[1].items())


def test_other_parameters_after_the_first_step_need_a_reset():
    optimizer = Momentum(0.1)
    optimizer.step({"w": np.zeros(2)}, {"w": np.ones(2)})
    message = ("this Momentum has state for the parameters ['w']; got ['v']: call reset() before "
               "stepping other parameters (or use a new optimizer)")
    with pytest.raises(ValueError) as error:
        optimizer.step({"v": np.zeros(2)}, {"v": np.ones(2)})
    assert str(error.value) == message
    with pytest.raises(ValueError, match=r"^params\['w'\] has shape \(3,\) but the state for it has shape \(2,\)"):
        optimizer.step({"w": np.zeros(3)}, {"w": np.ones(3)})
    optimizer.reset()
    optimizer.step({"v": np.zeros(2)}, {"v": np.ones(2)})


# --- every step completes, or changes nothing --------------------------------------------------

def _two_parameters():
    params = {"a": np.array([1.0, 2.0]), "b": np.array([[0.5, -1.0], [2.0, 0.25]])}
    grads = {"a": np.array([0.1, -0.2]), "b": np.array([[0.3, 0.4], [-0.5, 0.6]])}
    return params, grads


def _snapshot(optimizer, params):
    """Everything a step may change: t, the parameters, the state."""
    return (optimizer.t, {key: p.copy() for key, p in params.items()},
            {key: {name: a.copy() for name, a in state.items()} for key, state in optimizer.state.items()})


def _assert_unchanged(optimizer, params, snapshot):
    t, values, state = snapshot
    assert optimizer.t == t
    assert all(np.array_equal(params[key], value) for key, value in values.items())
    assert optimizer.state.keys() == state.keys()
    for key, arrays in state.items():
        assert all(np.array_equal(optimizer.state[key][name], a) for name, a in arrays.items())


BAD_LATER_GRADIENTS = {
    "complex": (lambda g: g.astype(complex),
                r"^grads\['b'\] must be a numpy array of real numbers; got ndarray of dtype complex128$"),
    "object": (lambda g: g.astype(object),
               r"^grads\['b'\] must be a numpy array of real numbers; got ndarray of dtype object$"),
    "NaN": (lambda g: np.where(g > 0.5, np.nan, g), r"^grads\['b'\] is not finite"),
    "infinite": (lambda g: np.where(g > 0.5, -np.inf, g), r"^grads\['b'\] is not finite"),
    "shape": (lambda g: g.T.reshape(1, 4), r"^grads\['b'\] has shape \(1, 4\) but params\['b'\]"),
}


@pytest.mark.parametrize("bad", BAD_LATER_GRADIENTS)
@pytest.mark.parametrize("name", ALL)
def test_a_bad_gradient_after_the_first_step_changes_nothing(name, bad):
    make_bad, message = BAD_LATER_GRADIENTS[bad]
    optimizer = ALL[name]()
    params, grads = _two_parameters()
    optimizer.step(params, grads)
    before = _snapshot(optimizer, params)
    with pytest.raises(ValueError, match=message):
        optimizer.step(params, {"a": grads["a"], "b": make_bad(grads["b"])})
    _assert_unchanged(optimizer, params, before)
    optimizer.step(params, grads)                 # and the next good step is taken
    assert optimizer.t == 2


@pytest.mark.parametrize("later", [False, True], ids=["first step", "later step"])
@pytest.mark.parametrize("name", ALL)
def test_a_read_only_parameter_changes_nothing(name, later):
    optimizer = ALL[name]()
    params, grads = _two_parameters()
    if later:
        optimizer.step(params, grads)
    params["b"].flags.writeable = False          # "a" comes first: it must not be updated alone
    before = _snapshot(optimizer, params)
    with pytest.raises(ValueError, match=r"^params\['b'\] is read-only, but the optimizer updates it"):
        optimizer.step(params, grads)
    _assert_unchanged(optimizer, params, before)


def test_a_read_only_parameter_of_a_packed_network_changes_nothing():
    network, x, labels = _network_and_data((4, 5, 3))
    params = {key: p for key, p, g in network.parameters()}
    grads = {key: g for key, p, g in network.parameters()}
    optimizer = Adam(0.1)
    network.backward(softmax_cross_entropy_gradient(np.eye(3)[labels], network.forward(x)))
    optimizer.step(params, grads)
    assert optimizer._packed is not None
    params["2.b"].flags.writeable = False         # the last array of the flat vector
    before = _snapshot(optimizer, params)
    with pytest.raises(ValueError, match=r"^params\['2\.b'\] is read-only"):
        optimizer.step(params, grads)
    _assert_unchanged(optimizer, params, before)


def test_integer_gradients_are_used_as_floats():
    w = np.zeros(2)
    AdaGrad(0.1, eps=1e-12).step({"w": w}, {"w": np.array([100, -3], dtype=np.int8)})  # 100² overflows int8
    assert np.allclose(w, [-0.1, 0.1], rtol=1e-12, atol=0)


# --- dtypes and shapes: float32 stays float32, any shape ----------------------------------------

def _packed_arrays(shapes, dtype, seed=0):
    """Parameters and gradients as views of two flat vectors, laid out as a Sequential does."""
    rng = np.random.default_rng(seed)
    total = sum(math.prod(shape) for shape in shapes.values())
    flat_params = rng.normal(size=total).astype(dtype)
    flat_grads = rng.normal(size=total).astype(dtype)
    params, grads, start = {}, {}, 0
    for key, shape in shapes.items():
        end = start + math.prod(shape)
        params[key] = flat_params[start:end].reshape(shape)
        grads[key] = flat_grads[start:end].reshape(shape)
        start = end
    return flat_params, flat_grads, params, grads


SHAPES = {"kernel": (2, 3, 4, 2), "W": (5, 3), "b": (3,), "scale": ()}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ALL)
def test_packed_and_separate_steps_keep_the_dtype_and_agree_exactly(name, dtype):
    flat_params, flat_grads, params, grads = _packed_arrays(SHAPES, dtype)
    separate = {key: p.copy() for key, p in params.items()}
    packed_optimizer, separate_optimizer = ALL[name](), ALL[name]()
    for _ in range(3):
        packed_optimizer.step(params, grads)
        separate_optimizer.step(separate, {key: g.copy() for key, g in grads.items()})
    assert packed_optimizer._packed[0] is flat_params and separate_optimizer._packed is None
    assert flat_params.dtype == dtype
    for key, p in params.items():
        # elementwise rules: the same operations on the same numbers, whether flat or not
        assert separate[key].dtype == dtype and np.array_equal(p, separate[key])
        for state in (packed_optimizer.state[key], separate_optimizer.state[key]):
            assert all(a.dtype == dtype and a.shape == SHAPES[key] for a in state.values())


@pytest.mark.parametrize("name", ALL)
def test_float32_steps_follow_the_float64_ones(name):
    runs = {}
    for dtype in (np.float32, np.float64):
        _, _, params, grads = _packed_arrays({"W": (4, 3), "b": (3,)}, dtype)
        optimizer = ALL[name]()
        for _ in range(5):
            optimizer.step(params, grads)
        runs[dtype] = params
    for key in ("W", "b"):
        assert np.allclose(runs[np.float32][key], runs[np.float64][key], rtol=1e-5, atol=1e-6)


def test_the_packed_vectors_are_found_only_where_the_arrays_tile_them():
    flat, _, params, _ = _packed_arrays(SHAPES, np.float64)
    arrays = list(params.values())
    assert optim._tiled_vector(arrays) is flat
    head = optim._tiled_vector(arrays[:2])                     # the start of the vector
    assert np.shares_memory(head, flat) and head.size == 2 * 3 * 4 * 2 + 5 * 3
    assert optim._tiled_vector(arrays[::-1]) is None          # out of order
    assert optim._tiled_vector([arrays[0], arrays[2]]) is None  # a gap
    assert optim._tiled_vector([arrays[0].copy(), arrays[1]]) is None
    assert optim._tiled_vector([np.zeros((2, 3))[0]]) is None  # a row of a matrix


def test_a_network_is_stepped_on_its_own_flat_vectors_and_shows_state_per_parameter():
    network, x, labels = _network_and_data((4, 5, 3))
    params = {key: p for key, p, g in network.parameters()}
    grads = {key: g for key, p, g in network.parameters()}
    optimizer = Adam(0.1)
    network.backward(softmax_cross_entropy_gradient(np.eye(3)[labels], network.forward(x)))
    optimizer.step(params, grads)
    flat_params, flat_grads, (m, s) = optimizer._packed
    assert flat_params is network.flat_params and flat_grads is network.flat_grads
    for key, p in params.items():
        assert optimizer.state[key]["m"].shape == p.shape and np.shares_memory(optimizer.state[key]["m"], m)
        assert np.allclose(optimizer.state[key]["s"], 0.001 * grads[key] ** 2, rtol=1e-12, atol=0)  # (1 - beta2) g²


# --- decoupled weight decay ---------------------------------------------------------------------

def test_sgd_weight_decay_is_an_l2_penalty_exactly():
    # Numbers with few binary digits: every product and sum is exact, so equal means equal.
    w0, g = np.array([1.5, -0.75, 2.0]), np.array([0.25, 0.5, -1.0])
    decayed, penalised = w0.copy(), w0.copy()
    SGD(0.5, weight_decay=0.25).step({"W": decayed}, {"W": g})
    penalty = regularization.l2_penalty_gradient({"W": penalised}, 0.25)["W"]   # lambda w
    SGD(0.5).step({"W": penalised}, {"W": g + penalty})
    assert np.array_equal(decayed, [1.1875, -0.90625, 2.25]) and np.array_equal(penalised, decayed)


def test_sgd_weight_decay_follows_an_l2_penalty_over_many_steps(rng):
    target = rng.normal(size=5)
    decayed, penalised = np.zeros(5), np.zeros(5)
    with_decay, with_penalty = SGD(0.1, weight_decay=0.3), SGD(0.1)
    for _ in range(200):                          # each step cuts the distance 0.87 times
        with_decay.step({"W": decayed}, {"W": decayed - target})
        with_penalty.step({"W": penalised}, {"W": penalised - target + 0.3 * penalised})
    assert np.allclose(decayed, penalised, rtol=1e-13, atol=0)
    assert np.allclose(decayed, target / 1.3, rtol=1e-6)        # the minimum of the penalised loss


def test_adam_weight_decay_is_not_an_l2_penalty():
    # w = (1, 1), gradients (0, 10), lambda = 0.1, alpha = 0.01, one step:
    # decoupled: both weights shrink by alpha lambda = 0.001 first; Adam's step then moves the
    #   second by alpha (its first step is alpha sign(g)), the first not at all (g = 0):
    #   (0.999, 0.989).
    # L2: the gradients become g + lambda w = (0.1, 10.1); Adam moves both by alpha: (0.99, 0.99).
    decayed, penalised = np.ones(2), np.ones(2)
    Adam(0.01, weight_decay=0.1).step({"W": decayed}, {"W": np.array([0.0, 10.0])})
    Adam(0.01).step({"W": penalised}, {"W": np.array([0.0, 10.0]) + 0.1 * penalised})
    assert np.allclose(decayed, [0.999, 0.989], rtol=1e-9, atol=0)
    assert np.allclose(penalised, [0.99, 0.99], rtol=1e-7, atol=0)


def test_adamw_is_adam_with_a_weight_decay_of_one_hundredth():
    runs = []
    for optimizer in (AdamW(0.01), Adam(0.01, weight_decay=0.01)):
        _, _, params, grads = _packed_arrays({"W": (3, 2), "b": (2,)}, np.float64)
        for _ in range(4):
            optimizer.step(params, grads)
        runs.append(params)
    assert AdamW().weight_decay == 0.01 and optim.get_optimizer("adamw").weight_decay == 0.01
    assert all(np.array_equal(runs[0][key], runs[1][key]) for key in ("W", "b"))


@pytest.mark.parametrize("name", ALL)
def test_weight_decay_shrinks_every_array_biases_too(name):
    params = {"W": np.ones((2, 2)), "b": np.ones(2)}
    optimizer = optim.get_optimizer(name, learning_rate=0.1, weight_decay=0.5)
    optimizer.step(params, {"W": np.zeros((2, 2)), "b": np.zeros(2)})   # no gradient: decay only
    assert np.allclose(params["W"], 0.95, rtol=1e-15) and np.allclose(params["b"], 0.95, rtol=1e-15)
