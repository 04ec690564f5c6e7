"""Chapter 5 (backpropagation): its figures on what they draw, its demos, its checkers."""

import math
import warnings

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import FancyArrowPatch

from nnbook import data, gradcheck, losses, plotting, training
from nnbook.activations import sigmoid
from nnbook.autodiff import Value, graph
from nnbook.book import ch05_backpropagation as ch

from .figures import full_render, pixels, texts_outside_canvas

# --- the computational-graph figures ---------------------------------------------------------


def _sigmoid_unit():
    i1, i2 = Value(0.05, label="i1"), Value(0.10, label="i2")
    w1, w2 = Value(0.15, label="w1"), Value(0.20, label="w2")
    out = (w1 * i1 + w2 * i2 + Value(0.35, label="b1")).sigmoid()
    out.backward()
    return out


def _two_paths():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    f = a * b + a
    f.backward()
    return f


def _gates():
    graphs = []
    for title, gate in [("add distributes", lambda a, b: a + b), ("multiply swaps", lambda a, b: a * b),
                        ("max routes", lambda a, b: a.max(b))]:
        a, b = Value(3.0, label="a"), Value(-1.0, label="b")
        f = gate(a, b) * 2
        f.backward()
        graphs.append((title, f))
    return graphs


GRAPHS = {"sigmoid unit": _sigmoid_unit, "two paths": _two_paths}


def _boxes_and_arrows(figure):
    """Every node box (display extents) and every arrow (its drawn path in display units)."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    out = []
    for ax in figure.axes:
        boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in ax.texts if t.get_bbox_patch()]
        arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
        out.append((ax, boxes, arrows))
    return out


def _inside(points, box, margin=1.0):
    return (points[:, 0] > box.x0 + margin) & (points[:, 0] < box.x1 - margin) & \
           (points[:, 1] > box.y0 + margin) & (points[:, 1] < box.y1 - margin)


@pytest.mark.parametrize("name", GRAPHS)
def test_value_graph_draws_a_box_per_value_with_its_data_and_gradient(name):
    output = GRAPHS[name]()
    nodes, edges = graph(output)
    figure = ch.plot_value_graph(output)
    (ax, boxes, arrows), = _boxes_and_arrows(figure)
    assert len(boxes) == len(nodes) and len(arrows) == len(edges)
    texts = sorted(t.get_text() for t in ax.texts)
    expected = sorted(f"{n.label or n.op or 'const'}\n{n.data:.4g}\n∂={n.grad:.3g}" for n in nodes)
    assert texts == expected


@pytest.mark.parametrize("name", GRAPHS)
def test_value_graph_arrows_end_at_box_edges_and_cross_no_other_box(name):
    # The reported bug: an arrow of the sigmoid unit's graph crossed a product box.
    figure = ch.plot_value_graph(GRAPHS[name]())
    (ax, boxes, arrows), = _boxes_and_arrows(figure)
    for arrow in arrows:
        path = arrow.get_path()   # in data units, as drawn: clipped at the two boxes
        points = ax.transData.transform(path.interpolated(20).vertices)
        for box in boxes:
            assert not np.any(_inside(points, box)), f"an arrow runs through the box at {box}"


def test_the_gate_figure_shows_each_gates_gradients():
    figure = ch.plot_gate_patterns(_gates())
    assert [ax.get_title() for ax in figure.axes] == ["add distributes", "multiply swaps", "max routes"]
    labels = [{t.get_text().split("\n")[0]: t.get_text().split("\n")[2] for t in ax.texts} for ax in figure.axes]
    assert (labels[0]["a"], labels[0]["b"]) == ("∂=2", "∂=2")      # add: both get the upstream 2
    assert (labels[1]["a"], labels[1]["b"]) == ("∂=-2", "∂=6")     # multiply: 2 * b, 2 * a
    assert (labels[2]["a"], labels[2]["b"]) == ("∂=2", "∂=0")      # max: all to the larger
    for ax, boxes, arrows in _boxes_and_arrows(figure):
        for arrow in arrows:
            points = ax.transData.transform(arrow.get_path().interpolated(20).vertices)
            assert not any(np.any(_inside(points, box)) for box in boxes)


# --- the other figures -----------------------------------------------------------------------


def test_gradient_cost_draws_two_passes_per_parameter_against_three():
    n = [94, 346, 1354]
    seconds = {"finite differences": [0.02, 0.2, 0.6], "backpropagation": [1e-4, 2e-4, 4e-4]}
    figure = ch.plot_gradient_cost(n, seconds)
    counted, measured = figure.axes
    lines = [line.get_xydata() for line in counted.lines]
    assert np.array_equal(lines[0], [[94, 188], [346, 692], [1354, 2708]])
    assert np.array_equal(lines[1], [[94, 3], [346, 3], [1354, 3]])
    assert np.allclose(measured.lines[0].get_xydata()[:, 1], seconds["finite differences"])
    for ax in figure.axes:   # a range under a decade would show one labelled tick, so: the counts
        assert [t.get_text() for t in ax.get_xticklabels()] == ["94", "346", "1,354"]
    assert texts_outside_canvas(figure) == []


def test_plateau_figure_draws_the_loss_its_limit_and_the_weight_norm():
    losses_, norms = np.linspace(0.69, 0.35, 50), np.linspace(1.5, 11, 50)
    figure = ch.plot_plateau(losses_, norms)
    ax_loss, ax_norm = figure.axes
    assert np.allclose(ax_loss.lines[0].get_xydata(), np.column_stack([np.arange(1, 51), losses_]))
    assert np.allclose(ax_loss.lines[1].get_ydata(), math.log(2) / 2)
    assert np.allclose(ax_norm.lines[0].get_ydata(), norms)
    assert texts_outside_canvas(figure) == []


@pytest.mark.parametrize("make", [_sigmoid_unit, _two_paths])
def test_value_graph_texts_stay_inside_the_canvas(make):
    assert texts_outside_canvas(ch.plot_value_graph(make(), title="a title")) == []


def test_gate_figure_texts_stay_inside_the_canvas():
    assert texts_outside_canvas(ch.plot_gate_patterns(_gates())) == []


def test_step_error_figure_draws_round_off_truncation_and_the_measured_errors():
    steps = 10.0 ** np.arange(-7, 0)
    errors = np.array([1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-5, 1e-3])
    roundoff = 3e-9 / steps
    figure = ch.plot_step_errors(steps, errors, roundoff, balanced=2e-3)
    (ax,) = figure.axes
    dashed, dotted, dots = ax.lines[:3]
    assert np.allclose(dashed.get_ydata(), roundoff)
    assert np.allclose(dotted.get_ydata(), 1e-3 * (steps / 0.1) ** 2)   # h², through the last error
    assert np.allclose(dots.get_xydata(), np.column_stack([steps, errors]))
    assert [line.get_xdata()[0] for line in ax.lines[3:]] == [0, 2e-3]  # the threshold, the balanced step
    assert texts_outside_canvas(figure) == []


# --- XOR: the demo's run is training.fit, and fit is the chapter's equations ----------------------


def _xor_by_the_equations(hidden, learning_rate, seed, epochs):
    """The chapter's recursion written out for the 2-hidden-1 tanh network (an oracle for fit)."""
    net = training.mlp([2, hidden, 1], "tanh", seed=seed)
    W1, b1, W2, b2 = (net[k].params[key].copy() for k in (0, 2) for key in ("W", "b"))
    X, Y = data.xor()
    for _ in range(epochs):
        A1 = np.tanh(X @ W1 + b1)
        delta2 = (sigmoid(A1 @ W2 + b2) - Y) / len(X)      # binary cross-entropy of the scores
        delta1 = (delta2 @ W2.T) * (1 - A1 ** 2)           # back through W2 and tanh
        W1, b1 = W1 - learning_rate * X.T @ delta1, b1 - learning_rate * delta1.sum(axis=0)
        W2, b2 = W2 - learning_rate * A1.T @ delta2, b2 - learning_rate * delta2.sum(axis=0)
    return W1, b1, W2, b2


@pytest.mark.parametrize("hidden, rate, seed", [(2, 0.5, 0), (2, 0.5, 1), (4, 2.0, 3), (8, 0.05, 9)])
def test_xor_run_follows_the_chapters_equations(hidden, rate, seed):
    weights, _ = ch.xor_run(hidden, rate, seed, epochs=300)
    for got, expected in zip(ch.xor_weights(weights, 300), _xor_by_the_equations(hidden, rate, seed, 300)):
        assert np.allclose(got, expected, rtol=0, atol=1e-12)


def test_xor_run_keeps_read_only_weights_for_every_epoch():
    weights, run_losses = ch.xor_run(2, 0.5, 0, epochs=50)
    assert [w.shape for w in weights] == [(51, 2, 2), (51, 2), (51, 2, 1), (51, 1)]
    assert run_losses.shape == (51,) and run_losses[0] == pytest.approx(0.6967, abs=1e-4)
    assert not any(a.flags.writeable for a in (*weights, run_losses))


@pytest.mark.parametrize("hidden, rate, seed", [(2, 0.5, 0), (2, 0.5, 1), (4, 2.0, 3), (8, 0.05, 9)])
def test_xor_run_is_what_training_fit_does(hidden, rate, seed):
    weights, run_losses = ch.xor_run(hidden, rate, seed, epochs=300)
    X, Y = data.xor()
    net = training.mlp([2, hidden, 1], "tanh", seed=seed)
    history = training.fit(net, X, Y, loss="binary_cross_entropy_from_logits", learning_rate=rate, epochs=300)
    assert np.allclose(run_losses[:-1], history.loss, rtol=0, atol=1e-12)
    final = ch.xor_weights(weights, 300)
    assert np.allclose(final[0], net[0].params["W"], atol=1e-12)
    assert np.allclose(final[3], net[2].params["b"], atol=1e-12)
    assert run_losses[-1] == pytest.approx(float(losses.binary_cross_entropy_from_logits(Y, net.forward(X))), abs=1e-12)


@pytest.mark.parametrize("epoch, hidden, seed", [(0, 2, 0), (200, 2, 0), (1000, 4, 1)])
def test_xor_figure_draws_the_networks_regions_boundary_and_losses(epoch, hidden, seed):
    figure = ch.XorTrainingFigure.plot(epoch=epoch, hidden=hidden, learning_rate=0.5, seed=seed)
    ax, ax_loss = figure.axes
    X, Y = data.xor()
    net = training.mlp([2, hidden, 1], "tanh", seed=seed)
    after = [float(losses.binary_cross_entropy_from_logits(Y, net.forward(X)))]
    training.fit(net, X, Y, loss="binary_cross_entropy_from_logits", learning_rate=0.5, epochs=1000,
                 callback=lambda e, n, h: after.append(float(losses.binary_cross_entropy_from_logits(Y, n.forward(X)))))
    net = training.mlp([2, hidden, 1], "tanh", seed=seed)
    if epoch:
        training.fit(net, X, Y, loss="binary_cross_entropy_from_logits", learning_rate=0.5, epochs=epoch)
    gx, gy = np.meshgrid(ch.XOR_GRID, ch.XOR_GRID)
    p = sigmoid(net.forward(np.column_stack([gx.ravel(), gy.ravel()]))).reshape(gx.shape)
    assert np.allclose(ax.images[0].get_array(), p, atol=1e-9)
    for segment in ax.collections[0].get_segments():
        on_line = sigmoid(net.forward(segment))[:, 0]
        assert np.all(np.abs(on_line - 0.5) < 0.02)          # the 0.5 contour of the network
    assert np.allclose(ax_loss.lines[0].get_xydata(), np.column_stack([np.arange(1001), after]), atol=1e-12)
    assert np.allclose(ax_loss.lines[1].get_xydata(), [[epoch, after[epoch]]], atol=1e-12)
    correct = int(np.sum((net.forward(X)[:, 0] > 0) == (Y[:, 0] > 0.5)))
    assert ax.get_title() == f"{correct}/4 right"


def test_the_xor_figures_of_the_preview_stay_inside_their_canvas():
    demo = ch.xor_training_demo()
    live = None
    for settings in demo.frames():   # the texts differ only in their numbers between epochs
        if settings["epoch"] not in (0, 1000):
            continue
        if live is None:
            live = ch.XorTrainingFigure(**settings)
        else:
            live.update(**settings)
        assert texts_outside_canvas(live.figure) == [], settings


@pytest.mark.parametrize("settings, expected", [
    ((0, 2, 0.5, 0), ("Epoch 0, 2 hidden units, seed 0: 2 of 4 points right, loss 0.697; still on the "
                     "starting plateau near log 2 = 0.69.")),
    ((300, 2, 0.5, 0), "Epoch 300, 2 hidden units, seed 0: 4 of 4 points right, loss 0.147; learning."),
    ((1000, 2, 0.5, 0), "Epoch 1000, 2 hidden units, seed 0: 4 of 4 points right, loss 0.009; XOR is solved."),
    ((1000, 2, 0.5, 1), ("Epoch 1000, 2 hidden units, seed 1: 2 of 4 points right, loss 0.350; stuck: two "
                        "points get a probability near one half, the loss near log 2 / 2 = 0.35.")),
    ((1000, 4, 0.5, 1), "Epoch 1000, 4 hidden units, seed 1: 4 of 4 points right, loss 0.005; XOR is solved."),
])
def test_xor_captions_say_in_words_what_the_frame_shows(settings, expected):
    assert ch.xor_caption(*settings) == expected


def test_the_xor_preview_shows_what_the_text_describes():
    # The text: the loss hardly moves for 100 epochs, falls by 200 and 300; seed 1 gets stuck
    # with two hidden units and four solve it.
    demo = ch.xor_training_demo()
    assert demo.grid == {"epoch": [0, 100, 200, 300, 1000], "hidden": [2, 4], "seed": [0, 1]}
    state = {k: ch.xor_state(k[0], k[1], 0.5, k[2]) for k in [(0, 2, 0), (100, 2, 0), (200, 2, 0),
                                                             (300, 2, 0), (1000, 2, 1), (1000, 4, 1)]}
    assert state[(0, 2, 0)][1] - state[(100, 2, 0)][1] < 0.01 < state[(100, 2, 0)][1] - state[(200, 2, 0)][1]
    assert state[(300, 2, 0)][1] < 0.2
    assert state[(1000, 2, 1)][0] == 2 and state[(1000, 4, 1)][0] == 4


def test_the_stuck_run_creeps_toward_log2_over_2_while_its_weights_grow():
    weights, run_losses = ch.xor_run(2, 0.5, 1, epochs=3000)
    norm = np.sqrt(sum(np.sum(w.reshape(len(w), -1) ** 2, axis=1) for w in weights))
    assert np.all(np.diff(run_losses[500:]) < 0)                     # still falling
    assert np.all(run_losses > ch.PLATEAU_LOSS)                      # never reaching the limit
    assert run_losses[-1] - ch.PLATEAU_LOSS < 0.002
    assert np.all(np.diff(norm[500:]) > 0) and norm[-1] > norm[1000] + 1   # weights keep growing


# --- vanishing gradients ---------------------------------------------------------------------


def test_vanishing_figure_draws_the_measured_norms_of_both_networks():
    figure = ch.VanishingGradientsFigure.plot(depth=10, width=32)
    ax, = figure.axes
    sigmoid_line, relu_line = ax.lines
    assert np.allclose(sigmoid_line.get_xydata()[:, 1], training.vanishing_gradients(10, "sigmoid", 32, seed=0))
    assert np.allclose(relu_line.get_xydata()[:, 1], training.vanishing_gradients(10, "relu", 32, seed=0))
    assert np.array_equal(sigmoid_line.get_xydata()[:, 0], np.arange(1, 11))


def test_a_dead_relu_network_is_said_in_words_not_drawn_as_nan():
    # The reported bug: width 4 and 14 or more layers gave NaN and a RuntimeWarning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure = ch.VanishingGradientsFigure.plot(depth=20, width=4)
    ax, = figure.axes
    assert len(ax.lines[1].get_xydata()) == 0 and len(ax.lines[0].get_xydata()) == 20
    assert any("ReLU: every gradient is exactly 0" in t.get_text() for t in ax.texts)
    assert "every ReLU unit is off" in ch.vanishing_caption(20, 4)
    note, = (t for t in ax.texts if "ReLU:" in t.get_text())   # the longest note clears the legend
    renderer = FigureCanvasAgg(figure).get_renderer()
    legend, note = ax.get_legend().get_window_extent(renderer), note.get_window_extent(renderer)
    assert not legend.overlaps(note) and note.x1 < figure.bbox.x1


def test_every_depth_and_width_of_the_vanishing_demo_computes_without_warnings():
    demo = ch.vanishing_gradients_demo()
    depths, widths = demo.controls["depth"].values(), demo.controls["width"].values()
    assert len(depths) * len(widths) == 464
    dead = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for depth in depths:
            for width in widths:
                results = ch.gradient_norms(depth, width)
                for name, (norms, summary) in results.items():
                    assert norms.shape == (depth,) and np.all(np.isfinite(norms)) and np.all(norms >= 0)
                    if summary is None:
                        assert name == "relu" and not np.any(norms)
                        dead.append((depth, width))
                    else:
                        assert all(np.isfinite(v) and v > 0 for v in summary.values())
                assert ch.vanishing_caption(depth, width).endswith(".")
    assert dead == [(d, 4) for d in range(14, 31)]


@pytest.mark.parametrize("settings, expected", [
    ((10, 32), ("10 layers of 32 units: the first sigmoid layer gets 9e-07 of the last one's gradient (about "
               "1/4.7 per layer); ReLU's first / last ratio is 0.33.")),
    ((30, 4), ("30 layers of 4 units: the first sigmoid layer gets 2e-19 of the last one's gradient (about "
              "1/4.4 per layer); every ReLU unit is off for every example, so no gradient flows at all.")),
])
def test_vanishing_captions(settings, expected):
    assert ch.vanishing_caption(*settings) == expected


def test_the_vanishing_preview_shows_what_the_text_describes():
    demo = ch.vanishing_gradients_demo()
    assert demo.grid == {"depth": [2, 5, 10, 20, 30], "width": [4, 32]}
    for depth in [10, 20, 30]:
        for width in [4, 32]:
            per_layer = ch.gradient_norms(depth, width)["sigmoid"][1]["per layer"]
            assert 4 < per_layer < 5                                  # "a factor of about 4 to 5"
    assert ch.gradient_norms(20, 4)["relu"][1] is None and ch.gradient_norms(30, 4)["relu"][1] is None
    assert ch.gradient_norms(10, 4)["relu"][1] is not None


def test_the_vanishing_frames_stay_inside_their_canvas():
    live = None
    for settings in ch.vanishing_gradients_demo().frames():
        live = live or ch.VanishingGradientsFigure(**settings)
        live.update(**settings)
        assert texts_outside_canvas(live.figure) == [], settings


# --- computations the chapter prints ------------------------------------------------------------


def test_dense_multiplications_count_one_product_forward_and_two_backward():
    assert ch.dense_multiplications([10, 4, 10], 32) == {"forward": 2560, "backward": 3840}
    assert ch.dense_multiplications([8] + [32] * 10, 32) == {"forward": 303104, "backward": 598016}


def test_cached_arrays_are_each_layers_input():
    net = training.deep_network(10, "sigmoid", width=32, seed=0)
    net.forward(np.zeros((64, 8)))
    kept = ch.cached_arrays(net)
    assert len(kept) == 20
    assert sum(nbytes for *_, nbytes in kept) == (64 * 8 + 19 * 64 * 32) * 8


def test_the_tiny_network_by_hand():
    assert ch.tiny_forward() == {"z1": 0.5, "h1": 0.5, "z2": -0.5, "h2": 0.0, "y_hat": 1.5,
                                 "loss": pytest.approx(0.18)}
    expected = {"v1": 0.3, "v2": 0.0, "c": 0.6, "w1": 1.2, "w2": 2.4, "b1": 1.2, "w3": 0.0, "w4": 0.0, "b2": 0.0}
    assert ch.tiny_gradients() == pytest.approx(expected)


def test_the_tiny_networks_gradients_are_the_value_engines():
    p = {k: Value(v) for k, v in ch.TINY.items()}
    h1 = (p["w1"] * p["x1"] + p["w2"] * p["x2"] + p["b1"]).relu()
    h2 = (p["w3"] * p["x1"] + p["w4"] * p["x2"] + p["b2"]).relu()
    loss = 0.5 * (p["v1"] * h1 + p["v2"] * h2 + p["c"] - p["y"]) ** 2
    loss.backward()
    expected = {k: ch.tiny_gradients()[k] for k in ch.BY_HAND_KEYS}
    assert {k: p[k].grad for k in ch.BY_HAND_KEYS} == pytest.approx(expected)


def test_the_checkers_use_the_one_gradient_check_threshold():
    assert ch.TOLERANCE == gradcheck.TOLERANCE == 1e-6


# --- checkers: right answers and the typical wrong ones ------------------------------------------

RIGHT_BY_HAND = {"v1": 0.3, "v2": 0.0, "w1": 1.2, "w2": 2.4, "w3": 0.0, "b1": 1.2}


def test_by_hand_passes_the_right_numbers(capsys):
    assert ch.check_backprop_by_hand(RIGHT_BY_HAND)
    assert capsys.readouterr().out == "✓ check_backprop_by_hand: all 6 checks passed.\n"


@pytest.mark.parametrize("wrong, diagnosis", [
    ({"v1": -0.3}, "the sign: ℓ = ½(ŷ - y)² gives ∂ℓ/∂ŷ = ŷ - y = +0.6"),
    ({"v1": 0.6}, "times the input v1 multiplies, h1 = 0.5"),
    ({"v2": -0.3}, "v2 multiplies h2 = ReLU(z2) = 0, not z2"),
    ({"w1": 0.6}, "it flows back through the weight v1"),
    ({"w2": 1.2}, "1.2 is two of the three factors: ∂ℓ/∂w2 = (ŷ - y) · v1 · x2"),   # δ1, δ1 x1 or (ŷ - y) x2
    ({"w3": -0.6}, "h2 is off (z2 = -0.5 < 0): ReLU's slope there is 0"),
    ({"b1": 0.6}, "b1's gradient is that δ1 itself"),
    ({"w2": 7.0}, "go backwards one step at a time"),
])
def test_by_hand_names_each_typical_slip(wrong, diagnosis):
    result = ch.check_backprop_by_hand({**RIGHT_BY_HAND, **wrong})
    assert not result and diagnosis in result.message.replace("\n   ", " ")


def test_by_hand_reports_missing_and_non_numbers():
    assert "v1, v2, w1, w2, w3, b1 are still missing" in ch.check_backprop_by_hand(
        dict.fromkeys(RIGHT_BY_HAND)).message.replace("\n   ", " ")
    without_b1 = {k: v for k, v in RIGHT_BY_HAND.items() if k != "b1"}
    assert "b1 is still missing" in ch.check_backprop_by_hand(without_b1).message
    assert "should be one number; got 'abc'" in ch.check_backprop_by_hand({**RIGHT_BY_HAND, "w1": "abc"}).message
    with pytest.raises(TypeError, match="pass a dict of your numbers"):
        ch.check_backprop_by_hand([0.3, 0.0])


def _two_layer(X, Y, W1, b1, W2, b2, *, mean=True, slope="A1", a_for_w2="A1", transpose=False, b_axis=0):
    Z1 = X @ W1 + b1
    A1 = np.tanh(Z1)
    Z2 = A1 @ W2 + b2
    P = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    delta2 = (P - Y) / (len(X) if mean else 1)
    factor = {"A1": 1 - A1 ** 2, "Z1": 1 - Z1 ** 2, "none": 1.0}[slope]
    delta1 = (delta2 @ W2.T) * factor
    dW1 = (delta1.T @ X) if transpose else X.T @ delta1
    A = A1 if a_for_w2 == "A1" else Z1
    return {"W1": dW1, "b1": delta1.sum(axis=b_axis), "W2": A.T @ delta2, "b2": delta2.sum(axis=0)}


def test_two_layer_passes_the_right_backward_pass(capsys):
    assert ch.check_two_layer_backward(_two_layer)
    assert capsys.readouterr().out == "✓ check_two_layer_backward: all 3 checks passed.\n"


def test_two_layer_right_answer_agrees_with_hand_worked_numbers():
    # One example, one hidden unit, two classes: every number by hand.
    X, Y = np.array([[1.0, 2.0]]), np.array([[1.0, 0.0]])
    W1, b1, W2, b2 = np.array([[0.5], [-0.25]]), np.array([0.0]), np.array([[1.0, -1.0]]), np.zeros(2)
    # Z1 = 0, A1 = 0, Z2 = (0, 0), P = (0.5, 0.5), delta2 = (-0.5, 0.5), delta1 = (-0.5 - 0.5) * 1 = -1
    grads = _two_layer(X, Y, W1, b1, W2, b2)
    assert np.allclose(grads["W2"], [[0.0, 0.0]]) and np.allclose(grads["b2"], [-0.5, 0.5])
    assert np.allclose(grads["W1"], [[-1.0], [-2.0]]) and np.allclose(grads["b1"], [-1.0])
    assert ch.two_layer_loss(X, Y, W1, b1, W2, b2) == pytest.approx(math.log(2))


@pytest.mark.parametrize("mistake, diagnosis", [
    ({"mean": False}, "N times too large: the loss is the MEAN over the batch"),
    ({"slope": "none"}, "must be multiplied by tanh's slope"),
    ({"slope": "Z1"}, "that is 1 - A1**2; you used 1 - Z1**2"),
    ({"a_for_w2": "Z1"}, "W2 multiplies the hidden layer's OUTPUT A1"),
    ({"transpose": True}, "dW1 is transposed"),
    ({"b_axis": 1}, "db1 summed over the wrong axis"),
])
def test_two_layer_names_each_typical_slip(mistake, diagnosis):
    result = ch.check_two_layer_backward(lambda *args: _two_layer(*args, **mistake))
    assert not result and diagnosis in result.message.replace("\n   ", " ")


def test_two_layer_reports_a_wrong_return_value():
    assert "returned None" in ch.check_two_layer_backward(lambda *args: None).message
    assert 'return a dict with the keys "W1", "b1", "W2", "b2"' in ch.check_two_layer_backward(
        lambda *args: tuple(_two_layer(*args).values())).message.replace("\n   ", " ")


def _central(f, x, h=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


def test_numerical_gradient_passes_central_differences(capsys):
    assert ch.check_numerical_gradient(_central)
    assert ch.check_numerical_gradient(lambda f, x, h=1e-6: gradcheck.numerical_gradient(lambda: f(x), x, h))
    assert capsys.readouterr().out.count("✓ check_numerical_gradient: all 2 checks passed.") == 2


def _whole_rows(f, x, h=1e-6):
    """for i in range(len(x)) on a 2-D x nudges row i, not one entry (not a one-sided slip)."""
    grad = np.zeros_like(x)
    for i in range(len(x)):
        plus, minus = x.copy(), x.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


def _one_sided(f, x, h=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        plus = x.copy()
        plus[i] += h
        grad[i] = (f(plus) - f(x)) / h
    return grad


def _no_restore(f, x, h=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        plus = f(x)
        x[i] -= 2 * h
        grad[i] = (plus - f(x)) / (2 * h)
    return grad


def _stale(f, x, h=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        nudged = x.copy()
        nudged[i] += h
        grad[i] = (f(x) - f(x)) / (2 * h)   # evaluates the original x: never sees the nudge
    return grad


@pytest.mark.parametrize("wrong, diagnosis", [
    (lambda f, x, h=1e-6: 2 * _central(f, x, h), "the two points x - h and x + h are 2h apart"),
    (_one_sided, "a one-sided difference"),
    (lambda f, x, h=1e-6: _one_sided(f, x, 1e-4), "a one-sided difference"),   # another step
    (_whole_rows, "each nudge moved a whole row"),
    (_no_restore, "your function left x changed"),
    (_stale, "f never saw the nudged x"),
    (lambda f, x, h=1e-6: _central(f, x, h) + 0.1, "for each entry i: (f(x + h eᵢ) - f(x - h eᵢ)) / (2h)"),
])
def test_numerical_gradient_names_each_typical_slip(wrong, diagnosis):
    result = ch.check_numerical_gradient(wrong)
    assert not result and diagnosis in result.message.replace("\n   ", " ")


def right_dense(x, W, b, g):
    return g @ W.T, x.T @ g, g.sum(axis=0)


def test_dense_backward_passes_the_right_answer(capsys):
    assert ch.check_dense_backward(right_dense)
    assert capsys.readouterr().out == "✓ check_dense_backward: all 3 checks passed.\n"


@pytest.mark.parametrize("wrong, diagnosis", [
    (lambda x, W, b, g: (g @ W.T, x.T @ g, g.mean(axis=0)), "db is wrong"),
    (lambda x, W, b, g: (g @ W.T, x.T @ g, g.mean(axis=0)), "(sum, not mean)"),
    (lambda x, W, b, g: (g @ W.T, g.T @ x, g.sum(axis=0)), "dW is transposed"),
    (lambda x, W, b, g: (g @ W.T, x.T @ g, g.sum(axis=0, keepdims=True)), "drop keepdims=True"),
    (lambda x, W, b, g: (g @ W.T, x.T @ g, g.sum(axis=1)), "db summed over the wrong axis"),
    (lambda x, W, b, g: (g @ W.T, x.T @ g / len(x), g.sum(axis=0)), "dW divided by the batch size"),
    (lambda x, W, b, g: ((g @ W.T).T, x.T @ g, g.sum(axis=0)), "dx is transposed"),
])
def test_dense_backward_names_each_typical_slip(wrong, diagnosis):
    result = ch.check_dense_backward(wrong)
    assert not result and diagnosis in result.message.replace("\n   ", " ")


def _dx_with_W_untransposed(x, W, b, grad_out):
    dx = grad_out @ W
    return dx, x.T @ grad_out, grad_out.sum(axis=0)


def _dW_with_x_untransposed(x, W, b, grad_out):
    dW = np.dot(x, grad_out)
    return grad_out @ W.T, dW, grad_out.sum(axis=0)


@pytest.mark.parametrize("wrong, diagnosis", [
    (_dx_with_W_untransposed, "computes grad_out @ W in `dx = grad_out @ W`, whose shapes do not fit "
                              "(x is (1, 2), W is (2, 3), grad_out is (1, 3)). Hint: dx = grad_out @ W.T"),
    (_dW_with_x_untransposed, "computes x @ grad_out in `dW = np.dot(x, grad_out)`, whose shapes do not fit"),
    (lambda x, W, b, g: (g @ W.T, g @ x, g.sum(axis=0)), "the shapes do not fit in `(lambda x, W, b, g:"),
])
def test_dense_backward_diagnoses_a_product_that_does_not_fit_instead_of_numpys_message(wrong, diagnosis):
    result = ch.check_dense_backward(wrong)
    message = result.message.replace("\n   ", " ")
    assert not result and diagnosis in message
    assert "matmul" not in message and "gufunc" not in message and "aligned" not in message


def test_dense_backward_reports_a_placeholder_and_an_error():
    assert "returned None" in ch.check_dense_backward(lambda x, W, b, g: None).message
    assert "tuple" in ch.check_dense_backward(lambda x, W, b, g: x).message
    assert "raised" in ch.check_dense_backward(lambda x, W, b, g: x @ g).message


def test_sigmoid_backward_passes_the_right_answer(capsys):
    assert ch.check_sigmoid_backward(lambda y, g: g * y * (1 - y))
    assert capsys.readouterr().out == "✓ check_sigmoid_backward: all 3 checks passed.\n"


def test_sigmoid_backward_is_checked_at_known_numbers():
    # σ(0) = 1/2, so dx = g / 4 there; the checker must reject an answer off at one entry.
    assert not ch.check_sigmoid_backward(lambda y, g: g * y * (1 - y) + (y == 0.5) * 1e-3)


@pytest.mark.parametrize("wrong, diagnosis", [
    (lambda y, g: g * sigmoid(y) * (1 - sigmoid(y)), "applying σ to it again"),
    (lambda y, g: y * (1 - y), "multiply it by grad_out"),
    (lambda y, g: g * y, "not y"),
    (lambda y, g: g * (1 - y), "σ(x) is the output y the layer kept: y * (1 - y)"),
    (lambda y, g: g * y * (1 - y).T, "should have shape"),
])
def test_sigmoid_backward_names_each_typical_slip(wrong, diagnosis):
    result = ch.check_sigmoid_backward(wrong)
    assert not result and diagnosis in result.message.replace("\n   ", " ")


@pytest.mark.parametrize("make", [
    lambda X, Y: X ** 2 + Y ** 2,                       # a circle
    lambda X, Y: X * Y,                                  # a saddle: the level crosses itself
    lambda X, Y: np.sin(3 * X) + np.cos(2 * Y),          # several pieces
])
def test_level_segments_trace_the_same_line_as_matplotlibs_contour(make):
    from matplotlib.figure import Figure

    xs, ys = np.linspace(-1.3, 1.2, 41), np.linspace(-1.1, 1.4, 37)
    X, Y = np.meshgrid(xs, ys)
    values = make(X, Y)
    level = 0.5 if make(0.3, 0.4) != 0.3 * 0.4 else 0.0
    ours = plotting.level_segments(xs, ys, values, level)
    theirs = Figure().add_subplot().contour(X, Y, values, levels=[level]).allsegs[0]
    length = lambda segs: sum(np.sum(np.hypot(*np.diff(s, axis=0).T)) for s in segs)
    assert length(ours) == pytest.approx(length(theirs), rel=1e-6)
    assert len(ours) > 0


def test_the_worked_examples_network_drawing_stays_inside_its_canvas():
    from nnbook import plotting

    names = ["w1", "w3", "w2", "w4", "w5", "w7", "w6", "w8"]
    edges = [(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1), (1, 0, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)]
    figure = plotting.draw_network(
        [2, 2, 2], edge_labels=dict(zip(edges, names)),
        node_labels={(0, 0): "i1", (0, 1): "i2", (1, 0): "h1", (1, 1): "h2", (2, 0): "o1", (2, 1): "o2"},
        layer_names=["inputs", "hidden (b1)", "outputs (b2)"])
    assert texts_outside_canvas(figure) == []
    assert sorted(t.get_text() for t in figure.axes[0].texts if t.get_text() in names) == sorted(names)


def test_live_redraw_into_and_out_of_a_dead_network_shows_a_fresh_figures_pixels():
    live = ch.VanishingGradientsFigure(depth=10, width=32)
    live.png()
    for settings in [{"depth": 20, "width": 4}, {"depth": 3, "width": 64}, {"depth": 30, "width": 4}]:
        live.update(**settings)
        shown = pixels(live.png())
        assert np.array_equal(shown, full_render(ch.VanishingGradientsFigure.plot(**settings))), settings
