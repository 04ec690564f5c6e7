"""Chapter 3 (networks, forward propagation, losses): its figures and demos, tested on what
they draw against values computed here; its checkers, with right answers written out and
the wrong answers a learner writes, each with its own diagnosis."""


import numpy as np
import pytest
from matplotlib.collections import LineCollection

from nnbook.book import ch03_networks as ch

from .figures import full_render, pixels, texts_outside_canvas


def said(capsys):
    """What the checker printed, with its line wrapping undone."""
    return " ".join(capsys.readouterr().out.split())


# --- Figures ------------------------------------------------------------------------------


def test_loss_curves_draw_the_three_formulas():
    fig = ch.plot_loss_curves()
    squared, (cross_entropy, squared_p), (softmax_ce,) = fig.axes[0].lines[:1], fig.axes[1].lines, fig.axes[2].lines
    x, y = squared[0].get_xydata().T
    np.testing.assert_allclose(y, (x - 1.0) ** 2)
    p, y = cross_entropy.get_xydata().T
    np.testing.assert_allclose(y, -np.log(p))
    p, y = squared_p.get_xydata().T
    np.testing.assert_allclose(y, (1.0 - p) ** 2)
    z, y = softmax_ce.get_xydata().T
    # -log(e^z / (e^z + e^0 + e^0)) = log(1 + 2 e^-z)
    np.testing.assert_allclose(y, np.log1p(2.0 * np.exp(-z)), rtol=1e-12)


def test_loss_curves_cover_confident_mistakes():
    fig = ch.plot_loss_curves()
    p = fig.axes[1].lines[0].get_xdata()
    assert p.min() <= 1e-3 and p.max() == 1.0
    assert fig.axes[2].lines[0].get_xdata().min() <= -6


def test_initialisation_figure_draws_the_table_it_is_given():
    table = {"A": np.array([1.0, 2.0, 4.0]), "B": np.array([1.0, 0.5, 0.25]), "all zero": np.zeros(3)}
    fig = ch.plot_initialisation(table)
    lines = fig.axes[0].lines
    assert [line.get_label() for line in lines] == ["A", "B"]          # zero cannot sit on a log axis
    np.testing.assert_allclose(lines[0].get_xydata(), [[1, 1.0], [2, 2.0], [3, 4.0]])
    np.testing.assert_allclose(lines[1].get_ydata(), [1.0, 0.5, 0.25])
    assert any("all zero" in text.get_text() for text in fig.axes[0].texts)


def test_he_keeps_the_signal_level_through_ten_relu_layers():
    stds = ch.layer_output_stds(ch.INIT_SCHEMES["He: 2/n_in"])
    assert stds.shape == (10,)
    assert np.all((stds > 0.5) & (stds < 2.0))


def test_glorot_halves_the_second_moment_of_each_relu_layer():
    # Var(w) = 2 / (100 + 100) = 1/n: each layer keeps n Var(w) / 2 = 1/2 of E[a^2], so the
    # std falls by about 1/sqrt(2) per layer: 5 layers -> about 0.177.
    stds = ch.layer_output_stds(ch.INIT_SCHEMES["Glorot: 2/(n_in + n_out)"])
    assert stds[9] / stds[4] == pytest.approx(0.5 ** 2.5, rel=0.3)


def test_too_small_and_too_large_weights_vanish_and_explode():
    small = ch.layer_output_stds(ch.INIT_SCHEMES["N(0, 0.01²): too small"])
    large = ch.layer_output_stds(ch.INIT_SCHEMES["N(0, 1): too large"])
    # per layer: sqrt(100 * 0.01**2 / 2) = 0.07 and sqrt(100 / 2) = 7.1
    assert small[-1] < 1e-9 and large[-1] > 1e7
    assert small[5] / small[4] == pytest.approx(np.sqrt(0.005), rel=0.3)
    assert large[5] / large[4] == pytest.approx(np.sqrt(50.0), rel=0.3)


def test_all_zero_weights_give_a_silent_network():
    np.testing.assert_array_equal(ch.layer_output_stds(ch.INIT_SCHEMES["all zero"]), np.zeros(10))


@pytest.mark.parametrize("make", [
    ch.plot_loss_curves,
    ch.plot_initialisation,
    lambda: ch.ApproximationFigure.plot(target="step", units=60),
    lambda: ch.ApproximationFigure.plot(target="|x|", units=1),
    lambda: ch.DepthFigure.plot(depth=1),
    lambda: ch.DepthFigure.plot(depth=6),
], ids=["loss_curves", "initialisation", "approximation-60", "approximation-1", "depth-1", "depth-6"])
def test_no_text_falls_outside_the_canvas(make):
    assert texts_outside_canvas(make()) == []


# --- Demos: what they draw ------------------------------------------------------------------


@pytest.mark.parametrize("target, units", [("wave", 1), ("wave", 16), ("step", 7), ("|x|", 60)])
def test_approximation_draws_a_sum_of_unit_contributions(target, units):
    fig = ch.ApproximationFigure.plot(target=target, units=units)
    top, bottom = fig.axes
    output = top.lines[1].get_ydata()
    segments = [s for c in bottom.collections if isinstance(c, LineCollection) for s in c.get_segments()]
    assert len(segments) == units
    bias = float(np.mean(output - sum(s[:, 1] for s in segments)))
    np.testing.assert_allclose(sum(s[:, 1] for s in segments) + bias, output, atol=1e-9)
    # the network is a least-squares fit: its residual is orthogonal to every unit's output
    target_y = top.lines[0].get_ydata()
    residual = target_y - output
    assert abs(residual.sum()) < 1e-8
    kink_x = top.lines[2].get_xdata()
    assert len(kink_x) == units
    np.testing.assert_allclose(kink_x, -3 + (np.arange(units) + 0.5) * 6 / units)


def test_approximation_error_falls_as_units_grow():
    rms = []
    for units in (2, 8, 60):
        top = ch.ApproximationFigure.plot(target="wave", units=units).axes[0]
        rms.append(np.sqrt(np.mean((top.lines[1].get_ydata() - top.lines[0].get_ydata()) ** 2)))
    assert rms[0] > rms[1] > rms[2] and rms[2] < 0.002


def tent_composed(x, depth):
    """The sawtooth computed here: the tent map u -> 2u (u <= 1/2), 2 - 2u, ``depth`` times."""
    u = np.array(x, dtype=float)
    for _ in range(depth):
        u = np.where(u <= 0.5, 2 * u, 2 - 2 * u)
    return u


@pytest.mark.parametrize("depth", [1, 3, 6])
def test_depth_figure_draws_the_composed_tent_map(depth):
    fig = ch.DepthFigure.plot(depth=depth)
    folds_ax, ax = fig.axes
    drawn = [line for line in folds_ax.lines if len(line.get_xdata())]
    assert len(drawn) == depth
    for k, line in enumerate(drawn, start=1):
        x, y = line.get_xydata().T
        np.testing.assert_allclose(y, tent_composed(x, k), atol=1e-12)
    x, deep = ax.lines[0].get_xydata().T
    np.testing.assert_allclose(deep, tent_composed(x, depth), atol=1e-12)


@pytest.mark.parametrize("depth", [1, 2, 3, 5])
def test_depth_figure_shallow_line_is_the_least_squares_fit(depth):
    ax = ch.DepthFigure.plot(depth=depth).axes[1]
    x, shallow = ax.lines[1].get_xydata().T
    kinks = np.arange(2 * depth) / (2 * depth)
    design = np.column_stack([np.maximum(x[:, None] - kinks, 0.0), np.ones_like(x)])
    weights, *_ = np.linalg.lstsq(design, tent_composed(x, depth), rcond=None)
    np.testing.assert_allclose(shallow, design @ weights, atol=1e-9)


def test_depth_titles_and_captions_say_what_is_drawn():
    assert ch.depth_caption(3) == ("3 layers of 2 ReLU units draw 8 straight pieces; one layer of the same "
                                   "6 units has at most 7, and its least-squares fit misses by up to 0.57, no "
                                   "better than the flat line at 1/2.")
    assert ch.depth_caption(2) == ("2 layers of 2 ReLU units draw 4 straight pieces; one layer of the same "
                                   "4 units can draw them too.")
    assert "64 straight pieces" in ch.DepthFigure.plot(depth=6)._suptitle.get_text()


def test_approximation_caption_gives_the_errors_in_words():
    assert ch.approximation_caption("wave", 16) == (
        "16 hidden units on the wave target: the network misses by 0.030 on average (RMS) and by "
        "at most 0.09.")
    assert ch.approximation_caption("step", 1).startswith("1 hidden unit on the step target")


@pytest.mark.parametrize("name", list(ch.DEMOS))
def test_live_redraw_equals_a_fresh_figure_over_the_whole_grid(name):
    demo = ch.DEMOS[name]()
    widget = demo.widget()
    for settings in demo.frames()[::-1]:
        for control, value in settings.items():
            widget.controls[control].value = value
        shown = pixels(widget.output.value)
        assert np.array_equal(shown, full_render(demo.compute(**settings))), settings


def test_the_approximation_demo_has_no_depth_control():
    # Random, untrained extra layers made the fit worse; depth has its own demo (the sawtooth).
    assert set(ch.universal_approximation_demo().controls) == {"target", "units"}
    assert set(ch.depth_demo().controls) == {"depth"}


# --- Checkers ---------------------------------------------------------------------------------

BUMP = ([[1.0, 1.0, 1.0]], [-1.0, -2.0, -4.0], [[3.0], [-4.5], [1.5]], [0.0])


def test_bump_target_has_its_corners():
    np.testing.assert_allclose(ch.bump_target([0.0, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0]), [0, 0, 1.5, 3, 1.5, 0, 0])


def test_relu_bump_accepts_the_weights_worked_out_by_hand(capsys):
    assert ch.check_relu_bump(*BUMP)
    assert said(capsys).startswith("✓ check_relu_bump")


def test_relu_bump_accepts_the_units_in_another_order():
    assert ch.check_relu_bump([[1.0, 1.0, 1.0]], [-4.0, -1.0, -2.0], [[1.5], [3.0], [-4.5]], [0.0])


def test_relu_bump_names_the_peak_when_the_hat_weights_are_copied(capsys):
    assert not ch.check_relu_bump([[1.0, 1.0, 1.0]], [-1.0, -2.0, -4.0], [[1.0], [-2.0], [1.0]], [0.0])
    out = said(capsys)
    assert "at x = 2 (the peak) your network gives 1" in out and "v1 = 3" in out


def test_relu_bump_explains_the_sign_of_the_biases(capsys):
    assert not ch.check_relu_bump([[1.0, 1.0, 1.0]], [1.0, 2.0, 4.0], [[3.0], [-4.5], [1.5]], [0.0])
    out = said(capsys)
    assert "your units bend at x = -4, -2, -1" in out and "b = -c" in out


def test_relu_bump_explains_a_symmetric_fall(capsys):
    assert not ch.check_relu_bump([[1.0, 1.0, 1.0]], [-1.0, -2.0, -4.0], [[3.0], [-6.0], [3.0]], [0.0])
    out = said(capsys)
    assert "falls with slope -3" in out and "3 + v2 = -1.5" in out


def test_relu_bump_explains_slopes_given_as_output_weights(capsys):
    assert not ch.check_relu_bump([[1.0, 1.0, 1.0]], [-1.0, -2.0, -4.0], [[3.0], [-1.5], [0.0]], [0.0])
    out = said(capsys)
    assert "the slopes of the three pieces (3, -1.5, 0)" in out and "v2 = -1.5 - 3" in out


def test_relu_bump_says_a_rising_curve_rises(capsys):
    assert not ch.check_relu_bump([[1.0, 1.0, 1.0]], [-1.0, -2.0, -4.0], [[3.0], [-2.0], [0.0]], [0.0])
    out = said(capsys)
    assert "between x = 2 and 4 it has slope 1," in out and "falls with slope 1" not in out


def test_relu_bump_explains_a_missing_third_unit(capsys):
    assert not ch.check_relu_bump([[1.0, 1.0, 1.0]], [-1.0, -2.0, -4.0], [[3.0], [-4.5], [0.0]], [0.0])
    out = said(capsys)
    assert "right of x = 4 your network keeps changing (slope -1.5)" in out and "v1 + v2 + v3" in out


def test_relu_bump_explains_a_lifted_curve(capsys):
    assert not ch.check_relu_bump(BUMP[0], BUMP[1], BUMP[2], [0.5])
    out = said(capsys)
    assert "left of x = 1 your network gives 0.5" in out and "output bias b2" in out


def test_relu_bump_explains_a_transposed_weight_matrix(capsys):
    assert not ch.check_relu_bump([[1.0], [1.0], [1.0]], BUMP[1], BUMP[2], BUMP[3])
    assert "W1 should have shape (1, 3)" in said(capsys)


SLOWDOWN = (-0.03469004214168024, -0.9820137900379085)   # 2(p - 1) p (1 - p) and p - 1, p = sigmoid(-4)


def test_slowdown_gradients_formula_gives_the_literal_values():
    assert ch.slowdown_gradients() == pytest.approx(SLOWDOWN, rel=1e-12)


@pytest.mark.parametrize("answer", [SLOWDOWN, (-0.0347, -0.982), (-0.035, -0.98)],
                         ids=["exact", "rounded", "two-figures-as-on-the-page"])
def test_slowdown_accepts_the_two_gradients(answer, capsys):
    assert ch.check_slowdown_gradients(*answer)
    assert "✓" in said(capsys)


@pytest.mark.parametrize("answer, diagnosis", [
    ((-1.964027580075817, SLOWDOWN[1]), "derivative with respect to p"),
    ((-0.017345021070840124, SLOWDOWN[1]), "a factor 2 is missing"),
    ((0.03469004214168024, SLOWDOWN[1]), "the sign is flipped"),
    ((SLOWDOWN[0], -55.598150033144236), "derivative with respect to p (-1/p)"),
    ((SLOWDOWN[0], 0.9820137900379085), "the sign is flipped"),
    ((SLOWDOWN[0], 4.0181499279178094), "the loss itself"),
    ((SLOWDOWN[1], SLOWDOWN[0]), "swapped"),
    ((None, SLOWDOWN[1]), "should be one finite number"),
], ids=["mse-dl/dp", "mse-no-2", "mse-sign", "ce-dl/dp", "ce-sign", "ce-loss", "swapped", "none"])
def test_slowdown_diagnoses_each_mistake(answer, diagnosis, capsys):
    assert not ch.check_slowdown_gradients(*answer)
    assert diagnosis in said(capsys)


@pytest.mark.parametrize("answer", [(-0.034, SLOWDOWN[1]), (-0.036, SLOWDOWN[1]), (SLOWDOWN[0], -0.95)])
def test_slowdown_says_close_when_close(answer, capsys):
    assert not ch.check_slowdown_gradients(*answer)
    assert "close, but not equal to two significant figures" in said(capsys)


def test_slowdown_does_not_call_a_far_answer_close(capsys):
    assert not ch.check_slowdown_gradients(-0.5, SLOWDOWN[1])
    assert "close" not in said(capsys)


# --- the bookkeeping exercises: counts, shapes, initial scale ---------------------------------

def test_param_count_accepts_the_count_the_library_gives(capsys):
    from nnbook.layers import mlp_param_count

    assert ch.check_param_count(mlp_param_count(ch.COUNTING_NETWORK)) and ch.check_param_count(109386.0)
    assert "✓" in said(capsys)


@pytest.mark.parametrize("answer, diagnosis", [
    (784 * 128 + 128 * 64 + 64 * 10, "counts the weights only"),
    (109386 + 784, "the input layer has no biases"),
    (784 * 128 + 784 + 128 * 64 + 128 + 64 * 10 + 64, "one bias per *unit*"),
    (128 * 64 + 64 + 64 * 10 + 10, "leaves out the first layer"),
    (784 + 128 + 64 + 10, "counts the units (the circles)"),
    (784 * 128 * 64 * 10, "the layers are not multiplied together"),
    (12345, "m x n weights and n biases"),
    ("many", "expected one number"),
])
def test_param_count_diagnoses_each_slip(answer, diagnosis, capsys):
    assert not ch.check_param_count(answer)
    assert diagnosis in said(capsys)


def test_batch_shapes_accept_the_shapes_and_a_row_shaped_bias(capsys):
    assert ch.check_batch_shapes(ch.BATCH_SHAPES)
    assert ch.check_batch_shapes({**ch.BATCH_SHAPES, "b1": (1, 128), "b2": [1, 10]})


def test_batch_shapes_match_what_the_layers_compute():
    from nnbook.layers import Dense, ReLU

    X = np.zeros(ch.BATCH_SHAPES["X"])
    first, second = Dense(784, 128, seed=0), Dense(128, 10, seed=1)
    Z1 = first.forward(X)
    A1 = ReLU().forward(Z1)
    Z2 = second.forward(A1)
    assert (first.params["W"].shape, first.params["b"].shape, Z1.shape, A1.shape, second.params["W"].shape,
            second.params["b"].shape, Z2.shape) == tuple(ch.BATCH_SHAPES[k] for k in
                                                           ["W1", "b1", "Z1", "A1", "W2", "b2", "Z2"])


@pytest.mark.parametrize("name, shape, diagnosis", [
    ("X", (784, 32), "batch first"),
    ("X", (32, 28, 28), "flatten each 28 x 28 image"),
    ("W1", (128, 784), "one row per input and one column per unit"),
    ("b1", (32, 128), "shared by every example"),
    ("Z1", (128, 32), "rows are examples"),
    ("P", (32,), "P.argmax(axis=1)"),
    ("Z2", (32, 128), "follow the data"),
])
def test_batch_shapes_diagnose_each_slip(name, shape, diagnosis, capsys):
    assert not ch.check_batch_shapes({**ch.BATCH_SHAPES, name: shape})
    assert diagnosis in said(capsys)


def test_batch_shapes_ask_for_a_missing_array(capsys):
    assert not ch.check_batch_shapes({"X": (32, 784)})
    assert "no shape for 'W1'" in said(capsys)


@pytest.mark.parametrize("answer", [(np.sqrt(2 / 512), np.sqrt(2 / 768)), (0.0625, 0.051), (0.063, 0.051)])
def test_init_std_accepts_the_two_scales_to_two_figures(answer, capsys):
    assert ch.check_init_std(*answer)


@pytest.mark.parametrize("answer, diagnosis", [
    ((2 / 512, 0.051), "that is the variance"),
    ((np.sqrt(2 / 256), 0.051), "counts the inputs of each unit"),
    ((np.sqrt(1 / 512), 0.051), "the 2 is missing"),
    ((0.0625, np.sqrt(6 / 768)), "Glorot's uniform version"),
    ((0.0625, np.sqrt(2 / 512)), "that is He's scale"),
    ((0.06, 0.051), "close, but not equal to two significant figures"),
    ((0.0625, -1.0), "should be one positive number"),
])
def test_init_std_diagnoses_each_slip(answer, diagnosis, capsys):
    assert not ch.check_init_std(*answer)
    assert diagnosis in said(capsys)


def test_init_std_matches_the_library_initialisations():
    from nnbook.layers import INITIALISATIONS

    assert INITIALISATIONS["he"](512, 256) == pytest.approx(np.sqrt(2 / 512))
    assert INITIALISATIONS["glorot"](512, 256) == pytest.approx(np.sqrt(2 / 768))


def test_initialisation_spread_rows_are_the_per_seed_measurements():
    spread = ch.initialisation_spread(seeds=[0, 3], depth=4)
    assert spread.shape == (2, 4)
    np.testing.assert_array_equal(spread[0], ch.layer_output_stds(ch.INIT_SCHEMES["He: 2/n_in"], 4, seed=0))
    np.testing.assert_array_equal(spread[1], ch.layer_output_stds(ch.INIT_SCHEMES["He: 2/n_in"], 4, seed=3))


def stable_bce(y, z):
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


#: The checker's cases with their values worked out: log 2, then the means of the stable formula.
BCE_VALUES = {
    ((1.0,), (0.0,)): 0.6931471805599453,
    ((1.0, 0.0, 1.0), (2.0, -1.0, -0.5)): 0.47142222758043406,
    ((0.0, 1.0), (3.0, 3.0)): 1.548587351573742,
    ((1.0, 0.0), (-800.0, 800.0)): 800.0,
    ((1.0, 0.0), (800.0, -800.0)): 0.0,
}


def test_stable_bce_expects_the_literal_values(capsys):
    assert ch.check_stable_binary_cross_entropy(lambda y, z: BCE_VALUES[(tuple(y), tuple(z))])
    assert "all 5 checks passed" in said(capsys)


def test_stable_bce_passes_the_stable_formula():
    assert ch.check_stable_binary_cross_entropy(stable_bce)


def test_stable_bce_rejects_the_naive_formula_by_its_warning(capsys):
    def naive(y, z):
        p = 1 / (1 + np.exp(-z))
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    assert not ch.check_stable_binary_cross_entropy(naive)
    out = said(capsys)
    assert "numpy warned: overflow" in out and "np.log1p" in out


def test_stable_bce_names_a_sum_instead_of_a_mean(capsys):
    assert not ch.check_stable_binary_cross_entropy(lambda y, z: np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
    assert "is the sum over the 3 examples" in said(capsys)


def test_stable_bce_names_a_flipped_sign(capsys):
    assert not ch.check_stable_binary_cross_entropy(lambda y, z: -stable_bce(y, z))
    assert "the sign is flipped" in said(capsys)


def test_stable_bce_names_clipping(capsys):
    def clipped(y, z):
        p = np.clip(1 / (1 + np.exp(-np.clip(z, -30, 30))), 1e-15, 1 - 1e-15)
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    assert not ch.check_stable_binary_cross_entropy(clipped)
    assert "clipping p" in said(capsys)


def test_stable_bce_reports_a_missing_return(capsys):
    assert not ch.check_stable_binary_cross_entropy(lambda y, z: None)
    assert "Did you forget `return`?" in said(capsys)
