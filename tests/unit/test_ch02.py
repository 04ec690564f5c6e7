"""Chapter 2 (activations): its figures and demos tested on what they draw, its checkers on
right answers and on the mistakes learners make."""

import warnings

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.path import Path
from scipy.special import expit
from scipy.stats import norm

from nnbook import warp
from nnbook.activations import ACTIVATIONS
from nnbook.book import ch02_activations as ch

from .figures import drawn, texts_outside_canvas


def _gradient_inputs():
    depths = np.arange(1, 6)
    typical = {"sigmoid": 0.2 ** depths, "tanh": 0.6 ** depths}
    norms = {"sigmoid": np.array([1e-4, 1e-3, 1e-2, 0.1, 1.0]), "relu": np.array([2.0, 1.5, 1.0, 1.2, 1.0])}
    return depths, typical, norms


FIGURES = {
    "activations": lambda: ch.plot_activations(ACTIVATIONS),
    "gradient_factors": lambda: ch.plot_gradient_factors(*_gradient_inputs()),
    "circles_lifted": lambda: ch.plot_circles_lifted(),
    **{f"explorer-{name}": (lambda name=name: ch.ActivationExplorer.plot(name=name, scale=5.0, shift=-5.0))
       for name in ACTIVATIONS},
    **{f"space_warp-{stage}": (lambda stage=stage: ch.plot_space_warp(stage)) for stage in (0, 1.5, 3, 6)},
}


# --- every figure ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", FIGURES)
def test_no_text_falls_outside_the_canvas(name):
    assert texts_outside_canvas(FIGURES[name]()) == []


# --- the activations panel ------------------------------------------------------------------

ORACLES = {"sigmoid": expit, "tanh": np.tanh, "relu": lambda x: np.maximum(x, 0),
           "softplus": lambda x: np.logaddexp(0, x), "leaky_relu": lambda x: np.where(x > 0, x, 0.01 * x)}


@pytest.mark.parametrize("name", ORACLES)
def test_activation_panel_draws_the_function_and_its_derivative(name):
    figure = ch.plot_activations(ACTIVATIONS)
    ax = figure.axes[list(ACTIVATIONS).index(name)]
    function, derivative = [line.get_xydata() for line in ax.lines if line.get_linestyle() in ("-", "--")][-2:]
    x = function[:, 0]
    np.testing.assert_allclose(function[:, 1], ORACLES[name](x), atol=1e-12)
    h = 1e-6
    numeric = (ORACLES[name](x + h) - ORACLES[name](x - h)) / (2 * h)
    smooth = np.abs(x) > 1e-3  # away from ReLU's kink
    np.testing.assert_allclose(derivative[smooth, 1], numeric[smooth], atol=1e-6)


# --- vanishing gradients: two quantities, two axes ------------------------------------------

def test_gradient_factors_keeps_path_products_and_measured_norms_on_separate_axes():
    figure = ch.plot_gradient_factors(*_gradient_inputs())
    ax_path, ax_net = figure.axes
    assert "product of slopes" in ax_path.get_ylabel() and "‖∂L/∂W‖" in ax_net.get_ylabel()
    assert ax_path.get_yscale() == ax_net.get_yscale() == "log"


def test_gradient_factors_left_panel_draws_the_products_and_the_best_case():
    depths, typical, _ = _gradient_inputs()
    lines = ch.plot_gradient_factors(*_gradient_inputs()).axes[0].lines
    assert [line.get_label() for line in lines] == ["sigmoid: median product", "tanh: median product",
                                                    "sigmoid at its best: 0.25 per layer"]
    np.testing.assert_allclose(lines[0].get_ydata(), [0.2, 0.04, 0.008, 0.0016, 0.00032])
    np.testing.assert_allclose(lines[2].get_ydata(), [0.25, 0.0625, 0.015625, 0.00390625, 0.0009765625])


def test_gradient_factors_right_panel_draws_each_norm_relative_to_the_last_layer():
    lines = ch.plot_gradient_factors(*_gradient_inputs()).axes[1].lines
    np.testing.assert_allclose(lines[0].get_xydata(), [[1, 1e-4], [2, 1e-3], [3, 1e-2], [4, 0.1], [5, 1.0]])
    np.testing.assert_allclose(lines[1].get_ydata(), [2.0, 1.5, 1.0, 1.2, 1.0])


# --- the activation explorer ----------------------------------------------------------------

def _bands(figure):
    return [collection for ax in figure.axes for collection in ax.collections if isinstance(collection, PolyCollection)]


def test_explorer_shades_exactly_where_the_sigmoid_slope_is_under_5_percent_of_its_peak():
    # sigma'(x) = s(1 - s) < 0.05 * 0.25  <=>  s < (1 - sqrt(0.95)) / 2  <=>  |x| > 4.3565...
    edge = -np.log((1 - np.sqrt(0.95)) / 2 / (1 - (1 - np.sqrt(0.95)) / 2))
    assert edge == pytest.approx(4.3565, abs=1e-4)
    for band in _bands(ch.ActivationExplorer.plot(name="sigmoid", scale=1.0, shift=0.0)):
        spans = sorted((path.vertices[:, 0].min(), path.vertices[:, 0].max()) for path in band.get_paths())
        assert len(spans) == 2
        (a, b), (c, d) = spans
        assert a == -6 and d == 6
        assert b == pytest.approx(-edge, abs=0.02) and c == pytest.approx(edge, abs=0.02)


def test_explorer_draws_the_scaled_and_shifted_function_and_its_slope():
    figure = ch.ActivationExplorer.plot(name="tanh", scale=2.0, shift=-1.0)
    (f_line,), (d_line,) = [[line for line in ax.lines if len(line.get_xdata()) > 2] for ax in figure.axes]
    x = f_line.get_xdata()
    np.testing.assert_allclose(f_line.get_ydata(), np.tanh(2 * x - 1), atol=1e-12)
    np.testing.assert_allclose(d_line.get_ydata(), 2 / np.cosh(2 * x - 1) ** 2, atol=1e-12)


def test_explorer_shades_everything_left_of_a_shifted_relus_kink():
    figure = ch.ActivationExplorer.plot(name="relu", scale=1.0, shift=-3.0)
    for band in _bands(figure):
        (path,) = band.get_paths()
        assert path.vertices[:, 0].min() == -6 and path.vertices[:, 0].max() == pytest.approx(3.0, abs=0.02)


@pytest.mark.parametrize("name, scale, shift, expected", [
    ("sigmoid", 1.0, 0.0, 2 * norm.sf(4.3565)),          # both tails beyond |x| = 4.36
    ("relu", 1.0, -3.0, norm.cdf(3.0)),                   # everything left of x = 3
    ("relu", 1.0, 0.0, 0.5),
    ("softplus", 1.0, 3.0, 0.0),
])
def test_saturated_share_matches_the_normal_distribution(name, scale, shift, expected):
    assert ch.saturated_share(name, scale, shift) == pytest.approx(expected, abs=2e-3)


def test_explorer_suptitle_reports_the_saturated_share():
    figure = ch.ActivationExplorer.plot(name="relu", scale=1.0, shift=-3.0)
    assert figure.get_suptitle() == "100% of inputs x ~ N(0, 1) fall where relu is flat"


def test_explorer_calls_relus_off_half_flat_not_saturated():
    figure = ch.ActivationExplorer.plot(name="relu")
    texts = [figure.get_suptitle()] + [t.get_text() for legend in figure.legends for t in legend.get_texts()]
    assert not any("saturated" in text for text in texts)


def test_explorer_caption_says_half_when_half_the_inputs_land_where_it_is_flat():
    assert ch.explorer_caption("relu", 1.0, 0.0).endswith("50% of inputs x ~ N(0, 1) land where the slope is "
                                                          "under 5% of its peak, so about half of the gradient is lost.")


def test_explorer_caption_is_plain_words_with_the_share():
    assert ch.explorer_caption("relu", 1.0, -3.0) == (
        "relu(1x − 3): 100% of inputs x ~ N(0, 1) land where the slope is under 5% of its peak, "
        "so almost no gradient gets through.")
    assert ch.explorer_caption("softplus", 1.0, 3.0).endswith("0% of inputs x ~ N(0, 1) land where the slope is "
                                                              "under 5% of its peak, so the gradient gets through "
                                                              "everywhere.")


def test_explorer_preview_reaches_what_the_text_asks_to_try():
    # The chapter: "Try the sigmoid at scale 5, or shifted by 3, and then ReLU shifted by -3."
    frames = ch.activation_explorer_demo().frames()
    for wanted in ({"name": "sigmoid", "scale": 5.0, "shift": 0.0}, {"name": "sigmoid", "scale": 1.0, "shift": 3.0},
                   {"name": "relu", "scale": 1.0, "shift": -3.0}):
        assert wanted in frames


# --- the space warp -------------------------------------------------------------------------

def _offsets(figure):
    ax = figure.axes[0]
    moon_b, moon_a = [c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)]
    return moon_a, moon_b


def _moons_by_class():
    X, y = ch.moons()
    return X[y == 0], X[y == 1]


def test_space_warp_stage_zero_draws_the_input():
    for drawn_points, points in zip(_offsets(ch.plot_space_warp(0)), _moons_by_class()):
        np.testing.assert_array_equal(drawn_points, points)


def test_space_warp_stage_three_draws_the_first_layers_tanh():
    (W1, b1), _ = warp.MOONS_NETWORK["layers"]
    for drawn_points, points in zip(_offsets(ch.plot_space_warp(3)), _moons_by_class()):
        np.testing.assert_allclose(drawn_points, np.tanh(points @ W1 + b1), rtol=1e-12)


def test_space_warp_half_stage_draws_the_midpoint():
    (W1, b1), _ = warp.MOONS_NETWORK["layers"]
    for drawn_points, points in zip(_offsets(ch.plot_space_warp(1.5)), _moons_by_class()):
        np.testing.assert_allclose(drawn_points, points @ W1 + b1 / 2, rtol=1e-12, atol=1e-12)


def test_space_warp_moves_the_grid_lines_with_the_points():
    figure = ch.plot_space_warp(1)
    (grid,) = [c for c in figure.axes[0].collections if isinstance(c, LineCollection)]
    (W1, _), _ = warp.MOONS_NETWORK["layers"]
    first = grid.get_segments()[0]  # the vertical line x1 = -2 of the input grid
    fine = np.linspace(-2, 2, 120)
    np.testing.assert_allclose(first, np.column_stack([np.full(120, -2.0), fine]) @ W1, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("stage", [0, 3, 5.5])
def test_space_warp_draws_no_output_line_before_the_last_stage(stage):
    assert not any(line.get_visible() and len(line.get_xdata()) for line in ch.plot_space_warp(stage).axes[0].lines)


def test_space_warp_last_stage_draws_the_output_neurons_line_between_the_moons():
    figure = ch.plot_space_warp(6)
    (line,) = [line for line in figure.axes[0].lines if line.get_visible()]
    w, b = warp.MOONS_NETWORK["output"]
    np.testing.assert_allclose(line.get_xydata() @ w + b, 0, atol=1e-9)
    moon_a, moon_b = _offsets(figure)
    assert np.all(moon_a @ w + b < 0) and np.all(moon_b @ w + b > 0)


@pytest.mark.parametrize("stage, shown", [(0, ["x"]), (1.5, ["·W1"]), (3, ["tanh"]), (6, ["tanh", "line"])])
def test_space_warp_highlights_the_current_step(stage, shown):
    figure = ch.plot_space_warp(stage)
    bold = [t.get_text() for t in figure.texts if t.get_visible() and t.get_fontweight() == "bold"]
    assert bold == shown


def test_space_warp_captions_say_what_each_kind_of_stage_does():
    assert ch.warp_caption(0) == "Stage 0 of 6, the input: two interleaved moons that no straight line separates."
    assert "linear map x·W1 rotates, stretches and shears" in ch.warp_caption(1)
    assert "shift + b2 slides the whole plane" in ch.warp_caption(5)
    assert ch.warp_caption(6).endswith("now the output neuron's straight line separates the moons.")
    assert ch.warp_caption(2.5) == ("Stage 2.5: part-way from stage 2 to 3, where layer 1's tanh bends the plane "
                                    "into the square from −1 to 1: straight grid lines curve.")


def test_space_warp_is_a_live_figure():
    assert ch.space_warp_demo().function is ch.SpaceWarpFigure


# --- circles: 2 units cannot untangle them, 3 can -------------------------------------------

def test_two_unit_layer_is_invertible():
    W, _ = ch.TWO_UNIT_LAYER
    assert abs(np.linalg.det(W)) > 1


def test_circles_middle_panel_draws_the_two_unit_layers_outputs():
    figure = ch.plot_circles_lifted()
    X, y = ch.circles()
    W, b = ch.TWO_UNIT_LAYER
    inner, outer = [c.get_offsets() for c in figure.axes[1].collections if isinstance(c, PathCollection)]
    np.testing.assert_allclose(inner, np.tanh(X[y == 1] @ W + b), rtol=1e-12)
    np.testing.assert_allclose(outer, np.tanh(X[y == 0] @ W + b), rtol=1e-12)


def test_circles_middle_panel_image_of_the_outer_ring_encloses_the_inner_ring():
    outer_ring, inner_ring = [line.get_xydata() for line in ch.plot_circles_lifted().axes[1].lines[:2]]
    assert np.all(Path(outer_ring).contains_points(inner_ring))


def test_circles_plane_is_the_output_neurons_and_separates_the_lifted_points():
    figure = ch.plot_circles_lifted()
    ax = figure.axes[2]
    w, b = warp.CIRCLES_NETWORKS[3]["output"]
    (plane,) = [c for c in ax.collections if type(c).__name__ == "Poly3DCollection"]
    corners = np.concatenate(list(plane._faces))  # noqa: SLF001 -- its triangles' 3-D vertices (matplotlib 3.11)
    np.testing.assert_allclose(corners @ w + b, 0, atol=1e-9)
    (outline,) = ax.lines
    np.testing.assert_allclose(np.column_stack(outline.get_data_3d()) @ w + b, 0, atol=1e-9)
    X, y = ch.circles()
    hidden = warp.stage_points(X, warp.CIRCLES_NETWORKS[3])[-1]
    assert np.all((hidden @ w + b > 0) == (y == 1))
    assert ax.get_title().endswith("(100%)")


def test_circles_figure_names_every_3d_axis():
    ax = ch.plot_circles_lifted().axes[2]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_zlabel()) == ("unit 1", "unit 2", "unit 3")


def said(result):
    """A checker's message with its line wrapping undone."""
    return " ".join(result.message.split())


# --- check_stable_sigmoid -------------------------------------------------------------------

def right_sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def test_stable_sigmoid_accepts_a_stable_sigmoid(capsys):
    assert ch.check_stable_sigmoid(right_sigmoid)
    assert capsys.readouterr().out == "✓ check_stable_sigmoid: all 5 checks passed.\n"


def test_stable_sigmoid_accepts_scipys_expit():
    assert ch.check_stable_sigmoid(expit)


def test_stable_sigmoid_expects_the_textbook_values():
    table = {0.0: 0.5, 2.0: 0.8807970779778823, -2.0: 0.11920292202211755}
    result = ch.check_stable_sigmoid(lambda x: np.vectorize(lambda v: table[float(v)])(x))
    assert not result and "for x=[-2.0, -0.5, 0.5, 2.0]" in said(result)  # the table has no -0.5


def test_stable_sigmoid_rejects_the_naive_formula_for_its_overflow_warning():
    result = ch.check_stable_sigmoid(lambda x: 1 / (1 + np.exp(-x)))
    assert not result
    assert "for x=[-30.0, -700.0, -1000.0] numpy warned: overflow encountered in exp" in said(result)
    assert "exp(-x) overflows" in said(result)


def naive_sigmoid_silenced(x):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def naive_sigmoid_filtered(x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return 1 / (1 + np.exp(-x))


@pytest.mark.parametrize("fn", [naive_sigmoid_silenced, naive_sigmoid_filtered])
def test_stable_sigmoid_rejects_the_naive_formula_with_its_warning_silenced(fn):
    # Issue 23: the naive formula's values are right in float64, so only the overflow shows it.
    real_exp = np.exp
    result = ch.check_stable_sigmoid(fn)
    assert not result and "computed np.exp(1000), which overflows to inf" in said(result)
    assert np.exp is real_exp


def test_stable_sigmoid_puts_np_exp_back_even_when_the_function_raises():
    real_exp = np.exp
    ch.check_stable_sigmoid(lambda x: 1 / 0)
    assert np.exp is real_exp


def test_stable_sigmoid_rejects_np_where_over_two_overflowing_forms():
    result = ch.check_stable_sigmoid(lambda x: np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x))))
    assert not result
    assert "for x=[30.0, 700.0, 1000.0] numpy warned: overflow" in said(result)
    assert "computes both a and b for every entry" in said(result)


def test_stable_sigmoid_rejects_a_clipped_input_for_its_wrong_tails():
    result = ch.check_stable_sigmoid(lambda x: 1 / (1 + np.exp(-np.clip(x, -30, 30))))
    assert not result
    assert "for x=-700 expected 9.86e-305, got 9.36e-14: far too large" in said(result)
    assert "Clipping x" in said(result)


def test_stable_sigmoid_rejects_a_flattened_output():
    result = ch.check_stable_sigmoid(lambda x: right_sigmoid(x).ravel())
    assert not result and "expected an array of shape (7, 1), got shape (7,)" in said(result)


def test_stable_sigmoid_reports_a_missing_return():
    result = ch.check_stable_sigmoid(lambda x: None)
    assert not result and "returned None" in said(result)


# --- check_relu_derivative ------------------------------------------------------------------

def test_relu_derivative_accepts_the_right_answer(capsys):
    assert ch.check_relu_derivative(lambda x: (x > 0).astype(float))
    assert capsys.readouterr().out == "✓ check_relu_derivative: all 5 checks passed.\n"


def test_relu_derivative_expects_these_literal_slopes():
    table = {2.0: 1.0, -3.0: 0.0, 0.0: 0.0, -1.0: 0.0, 0.5: 1.0, 4.0: 1.0, -0.1: 0.0, -2.0: 0.0, 1.0: 1.0}
    assert ch.check_relu_derivative(lambda x: np.vectorize(lambda v: table[float(v)])(x))


def test_relu_derivative_rejects_slope_one_at_zero():
    result = ch.check_relu_derivative(lambda x: (x >= 0).astype(float))
    assert not result
    assert "for x=[0.0] you returned [1.0]: slope 1 at x = 0" in said(result)
    assert "test x > 0, not x >= 0" in said(result)


def test_relu_derivative_rejects_a_boolean_array():
    result = ch.check_relu_derivative(lambda x: x > 0)
    assert not result and "True/False values (dtype bool)" in said(result) and ".astype(float)" in said(result)


def test_relu_derivative_rejects_relu_itself():
    result = ch.check_relu_derivative(lambda x: np.maximum(x, 0))
    assert not result and "for x=[2.0] you returned ReLU's values [2.0], not its slope [1.0]" in said(result)


def test_relu_derivative_rejects_the_sign_function():
    result = ch.check_relu_derivative(lambda x: np.sign(x))
    assert not result and "for x=[-3.0] you returned [-1.0]: negative slopes where x < 0" in said(result)


def test_relu_derivative_rejects_a_flattened_output():
    result = ch.check_relu_derivative(lambda x: (x > 0).astype(float).ravel())
    assert not result and "expected an array of shape (2, 3), got shape (6,)" in said(result)


# --- check_tanh_saturation ------------------------------------------------------------------

@pytest.mark.parametrize("answer", [2.9932, 2.993, 2.99322, np.float64(2.9932), np.array([2.9932]),
                                    2.99, 3, 3.0])  # the page's own "about 3" and a two-decimal rounding
def test_tanh_saturation_accepts_the_right_answer(answer, capsys):
    assert ch.check_tanh_saturation(answer)
    assert capsys.readouterr().out == "✓ check_tanh_saturation: the check passed.\n"


@pytest.mark.parametrize("answer, diagnosis", [
    (2.6467, "that solves tanh(x) = 0.99"),                  # np.arctanh(0.99): forgot the square
    (1.8184, "where the slope falls below 0.1 (10%)"),       # np.arctanh(np.sqrt(0.9)): percent slip
    (0.0100, "that solves tanh(x) = 0.01"),                  # np.arctanh(0.01)
    (-2.9932, "that is the negative solution"),
    (171.50, "converted to degrees"),                        # np.degrees of the right answer
])
def test_tanh_saturation_names_each_typical_mistake(answer, diagnosis):
    result = ch.check_tanh_saturation(answer)
    assert not result and diagnosis in said(result)


@pytest.mark.parametrize("answer, direction", [(3.2, "smaller"), (0.0, "larger"), (5.0, "smaller")])
def test_tanh_saturation_says_which_way_otherwise(answer, direction):
    result = ch.check_tanh_saturation(answer)
    assert not result and f"the answer is {direction}" in said(result) and "close" not in said(result)


@pytest.mark.parametrize("answer, direction", [(2.98, "larger"), (2.9, "larger"), (3.05, "smaller")])
def test_tanh_saturation_says_close_when_close(answer, direction):
    result = ch.check_tanh_saturation(answer)
    assert not result and f"is close, but the answer is a little {direction}" in said(result)


def test_tanh_saturation_rejects_more_than_one_number():
    result = ch.check_tanh_saturation([2.9932, 2.9932])
    assert not result and "expected one number" in said(result)


# --- the demos' registry --------------------------------------------------------------------

def test_chapter_lists_its_two_demos():
    assert set(ch.DEMOS) == {"activation_explorer", "space_warp"}
    assert all(drawn(make().compute()) for make in ch.DEMOS.values())


# --- check_collapse -------------------------------------------------------------------------

def right_collapse(Ws, bs):
    W, b = Ws[0], bs[0]
    for W_next, b_next in zip(Ws[1:], bs[1:]):
        W, b = W @ W_next, b @ W_next + b_next
    return W, b


def test_collapse_stack_by_hand():
    # x -> (x [1, 2] + [1, 1]) [3; 4] + 2 = 11 x + (3 + 4 + 2)
    W, b = ch.collapse_stack([np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]])],
                             [np.array([1.0, 1.0]), np.array([2.0])])
    assert W.tolist() == [[11.0]] and b.tolist() == [9.0]


def test_collapse_accepts_the_right_answer(capsys):
    assert ch.check_collapse(right_collapse)
    assert capsys.readouterr().out == "✓ check_collapse: all 4 checks passed.\n"


def test_collapse_accepts_a_row_shaped_bias():
    assert ch.check_collapse(lambda Ws, bs: (right_collapse(Ws, bs)[0], right_collapse(Ws, bs)[1][None, :]))


def test_collapse_names_the_last_bias_only():
    result = ch.check_collapse(lambda Ws, bs: (right_collapse(Ws, bs)[0], bs[-1]))
    assert not result and "your b is the last layer's bias only" in said(result)
    assert "b = b @ W_next + b_next" in said(result)


def test_collapse_names_summed_biases():
    result = ch.check_collapse(lambda Ws, bs: (right_collapse(Ws, bs)[0], np.sum(bs, axis=0)))
    assert not result and "your b adds up the biases" in said(result)


def test_collapse_names_dropped_later_biases():
    result = ch.check_collapse(lambda Ws, bs: right_collapse(Ws, [bs[0]] + [0 * b for b in bs[1:]]))
    assert not result and "leaves out their own biases" in said(result)


def test_collapse_names_a_fixed_number_of_layers():
    result = ch.check_collapse(lambda Ws, bs: right_collapse(Ws[:3], bs[:3]))
    assert not result and "the product of the first 3 weight matrices only, not of all 5" in said(result)


def test_collapse_names_the_reverse_order():
    result = ch.check_collapse(lambda Ws, bs: right_collapse(Ws[::-1], bs[::-1]))
    assert not result and "multiplies the matrices in reverse order" in said(result)


def test_collapse_names_a_missing_bias():
    result = ch.check_collapse(lambda Ws, bs: right_collapse(Ws, bs)[0])
    assert not result and "expected a pair (W, b), got ndarray" in said(result)


def test_collapse_names_a_wrong_shape_of_w():
    result = ch.check_collapse(lambda Ws, bs: (right_collapse(Ws, bs)[0].T[:, :2], right_collapse(Ws, bs)[1]))
    assert not result and "W should have shape (3, 3)" in said(result)


# --- check_activation_choices ---------------------------------------------------------------

RIGHT_CHOICES = {
    "the hidden layers of a 20-layer network": "relu",
    "the output giving the probability that an email is spam": "sigmoid",
    "the outputs giving the probabilities of the 10 digits": "softmax",
    "the output predicting tomorrow's temperature in °C": "identity",
}


def test_activation_choices_accept_the_right_jobs(capsys):
    assert ch.check_activation_choices(RIGHT_CHOICES)
    assert capsys.readouterr().out == "✓ check_activation_choices: all 4 checks passed.\n"


@pytest.mark.parametrize("hidden", ["leaky_relu", "ELU", "selu", "tanh", "Leaky ReLU"])
def test_activation_choices_accept_every_sensible_hidden_activation(hidden):
    assert ch.check_activation_choices({**RIGHT_CHOICES, "the hidden layers of a 20-layer network": hidden})


@pytest.mark.parametrize("job, answer, diagnosis", [
    ("the hidden layers of a 20-layer network", "sigmoid", "shrinks about fourfold per layer"),
    ("the hidden layers of a 20-layer network", "identity", "collapse into one linear layer"),
    ("the output giving the probability that an email is spam", "relu", "which is no probability"),
    ("the output giving the probability that an email is spam", "softmax", "softmax of one output is always exactly 1"),
    ("the outputs giving the probabilities of the 10 digits", "sigmoid", "need not sum to 1"),
    ("the output predicting tomorrow's temperature in °C", "relu", "never predict a frost"),
    ("the output predicting tomorrow's temperature in °C", "tanh", "between -1 and 1 degrees"),
    ("the output predicting tomorrow's temperature in °C", "step", "think about the range of values"),
])
def test_activation_choices_say_what_goes_wrong_with_a_poor_choice(job, answer, diagnosis):
    result = ch.check_activation_choices({**RIGHT_CHOICES, job: answer})
    assert not result and diagnosis in said(result)


def test_activation_choices_name_the_known_activations_for_an_unknown_one():
    result = ch.check_activation_choices({**RIGHT_CHOICES, "the output predicting tomorrow's temperature in °C": "gelu"})
    assert not result and "'gelu' is not one of the names step, sigmoid" in said(result)


def test_activation_choices_ask_for_a_missing_job():
    result = ch.check_activation_choices({})
    assert not result and "no answer for 'the hidden layers of a 20-layer network'." in said(result)


def test_activation_choices_reject_a_list():
    with pytest.raises(TypeError, match="pass a dict"):
        ch.check_activation_choices(list(RIGHT_CHOICES.values()))


# --- the chapter's experiments over seeds ------------------------------------------------------

def test_first_layer_share_is_the_vanishing_gradients_ratio():
    from nnbook import training

    norms = training.vanishing_gradients(10, "relu", 32, seed=3)
    assert ch.first_layer_share(3) == pytest.approx(norms[0] / norms[-1], rel=1e-12)


def test_first_layer_share_with_32_non_negative_inputs_is_level_with_the_last_layer():
    shares = [ch.first_layer_share(seed, 32, "non-negative") for seed in range(30)]
    assert 0.8 < np.median(shares) < 1.2


def test_first_layer_share_rejects_an_unknown_kind_of_input():
    with pytest.raises(ValueError, match="inputs must be 'raw' or 'non-negative'"):
        ch.first_layer_share(0, inputs="uniform")


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_layer_signals_weight_row_is_the_vanishing_gradients_measurement(activation):
    from nnbook import training

    signals = ch.layer_signals(activation, 2)
    assert signals.shape == (3, 10)
    np.testing.assert_allclose(signals[2], training.vanishing_gradients(10, activation, 32, seed=2), rtol=1e-12)


def test_layer_signals_first_input_is_the_data():
    rng = np.random.default_rng(4)
    assert ch.layer_signals("tanh", 4)[0, 0] == pytest.approx(np.linalg.norm(rng.normal(size=(64, 8))))


def test_affine_test_gap_is_zero_for_an_affine_map_and_not_for_relu(rng):
    W, b = rng.normal(size=(2, 3)), rng.normal(size=3)
    a, c = rng.normal(size=(2, 50, 2))
    assert np.all(ch.affine_test_gap(lambda v: v @ W + b, a, c) < 1e-12)
    assert ch.affine_test_gap(lambda v: np.maximum(v @ W + b, 0), np.array([[1.0, 0.0]]), np.array([[-2.0, 0.0]]))[0] \
        == pytest.approx(np.max(np.abs(np.maximum(np.array([-1.0, 0.0]) @ W + b, 0)
                                       - (np.maximum(W[0] + b, 0) + np.maximum(-2 * W[0] + b, 0) - np.maximum(b, 0)))))
