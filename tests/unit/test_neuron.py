"""nnbook.neuron: the weighted sum, one neuron, a layer, and logic gates from one neuron."""

from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import linprog

from nnbook.activations import identity, relu, step
from nnbook.data import GATE_INPUTS, GATE_TARGETS
from nnbook.neuron import (
    GATE_WEIGHTS,
    best_single_neuron_score,
    format_truth_table,
    layer,
    neuron,
    truth_table,
    weighted_sum,
    xor_network,
)

TWO_INPUT_GATES = ["AND", "OR", "NAND", "NOR"]


# --- weighted_sum --------------------------------------------------------------------------

def test_weighted_sum_of_one_sample_is_a_float(rng):
    x, w = rng.normal(size=3), rng.normal(size=3)
    z = weighted_sum(x, w, 0.5)
    assert type(z) is float
    assert z == pytest.approx(x @ w + 0.5, rel=1e-12)


def test_weighted_sum_of_a_batch_has_one_sum_per_row(rng):
    X, w = rng.normal(size=(7, 3)), rng.normal(size=3)
    z = weighted_sum(X, w, -0.25)
    assert z.shape == (7,)
    np.testing.assert_allclose(z, X @ w - 0.25, rtol=1e-12)


def test_weighted_sum_accepts_lists():
    assert weighted_sum([2, 3], [1, -1], 1) == 0.0


# --- neuron ---------------------------------------------------------------------------------

def test_step_neuron_fires_when_the_sum_is_above_zero():
    assert neuron([1, 1], [1, 1], -1.5) == 1.0


def test_step_neuron_is_silent_when_the_sum_is_below_zero():
    assert neuron([0, 1], [1, 1], -1.5) == 0.0


def test_step_neuron_is_silent_when_the_sum_is_exactly_zero():
    assert weighted_sum([2, 3], [1, -1], 1.0) == 0.0  # the premise: exactly on the line
    assert neuron([2, 3], [1, -1], 1.0) == 0.0


def test_neuron_of_a_batch_matches_step_of_the_sums(rng):
    X, w = rng.normal(size=(20, 4)), rng.normal(size=4)
    np.testing.assert_array_equal(neuron(X, w, 0.1), (X @ w + 0.1 > 0).astype(float))


# --- layer ----------------------------------------------------------------------------------

def test_layer_maps_one_sample_to_one_output_per_unit(rng):
    x, W, b = rng.normal(size=3), rng.normal(size=(3, 5)), rng.normal(size=5)
    y = layer(x, W, b)
    assert y.shape == (5,)
    np.testing.assert_allclose(y, x @ W + b, rtol=1e-12)


def test_layer_maps_a_batch_to_one_row_per_sample(rng):
    X, W = rng.normal(size=(4, 3)), rng.normal(size=(3, 5))
    y = layer(X, W)
    assert y.shape == (4, 5)
    np.testing.assert_allclose(y, X @ W, rtol=1e-12)


def test_layer_column_k_holds_the_weights_of_unit_k(rng):
    X, W, b = rng.normal(size=(6, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    y = layer(X, W, b, activation=step)
    for k in range(4):
        np.testing.assert_array_equal(y[:, k], neuron(X, W[:, k], b[k]))


def test_layer_rejects_a_bias_of_the_wrong_shape(rng):
    with pytest.raises(ValueError, match=r"\(5,\).*\(4,\)"):
        layer(rng.normal(size=3), rng.normal(size=(3, 5)), np.zeros(4))


def test_layer_rejects_inputs_of_the_wrong_width(rng):
    with pytest.raises(ValueError, match=r"\(3, 5\).*\(3,\).*got \(4,\)"):
        layer(rng.normal(size=4), rng.normal(size=(3, 5)))


# --- the curriculum's worked example --------------------------------------------------------

W_HIDDEN = np.array([[1.0, -1.0], [1.0, 1.0]])  # columns: hidden units i and j
W_OUT = np.array([2.0, -1.0])


def _two_layer(x, activation):
    hidden = layer(x, W_HIDDEN, activation=activation)
    return hidden, float(layer(hidden, W_OUT[:, None], activation=activation)[0])


@pytest.mark.parametrize(
    "x, activation, expected_i, expected_j, expected_k",
    [
        ((2, 3), identity, 5, 1, 9),
        ((2, 3), relu, 5, 1, 9),
        ((4, 1), identity, 5, -3, 13),
        ((4, 1), relu, 5, 0, 10),
    ],
    ids=["x=(2,3)-identity", "x=(2,3)-relu", "x=(4,1)-identity", "x=(4,1)-relu"],
)
def test_worked_example_hidden_and_output_values(x, activation, expected_i, expected_j, expected_k):
    (i, j), k = _two_layer(np.array(x, dtype=float), activation)
    assert (i, j, k) == (expected_i, expected_j, expected_k)


# --- gates ----------------------------------------------------------------------------------

@pytest.mark.parametrize("gate", TWO_INPUT_GATES)
def test_gate_weights_reproduce_the_truth_table(gate):
    w, b = GATE_WEIGHTS[gate]
    np.testing.assert_array_equal(truth_table(w, b), GATE_TARGETS[gate])


def test_not_weights_invert_the_input():
    w, b = GATE_WEIGHTS["NOT"]
    np.testing.assert_array_equal(truth_table(w, b, np.array([[0.0], [1.0]])), [1.0, 0.0])


def test_gate_weights_cover_every_gate_but_xor():
    assert set(GATE_WEIGHTS) == set(GATE_TARGETS) - {"XOR"} | {"NOT"}


def test_xor_network_computes_xor_on_a_batch():
    np.testing.assert_array_equal(xor_network(GATE_INPUTS), [0.0, 1.0, 1.0, 0.0])


@pytest.mark.parametrize("row", range(4))
def test_xor_network_computes_xor_one_sample_at_a_time(row):
    assert xor_network(GATE_INPUTS[row]) == GATE_TARGETS["XOR"][row]


@pytest.mark.parametrize("gate", TWO_INPUT_GATES)
def test_one_neuron_gets_every_row_of_a_linear_gate(gate):
    score, _, _ = best_single_neuron_score(GATE_TARGETS[gate])
    assert score == 4


def test_one_neuron_gets_at_most_three_rows_of_xor():
    score, _, _ = best_single_neuron_score(GATE_TARGETS["XOR"])
    assert score == 3


def _exact_sums(w1, w2, b):
    """The four rows' sums in exact rational arithmetic (the decimals as written)."""
    w1, w2, b = (Fraction(str(v)) for v in (w1, w2, b))
    return [w1 * int(x1) + w2 * int(x2) + b for x1, x2 in GATE_INPUTS]


@pytest.mark.parametrize("gate", TWO_INPUT_GATES + ["XOR"])
def test_best_single_neuron_weights_reach_the_score_in_exact_arithmetic(gate):
    score, (w1, w2, b), margin = best_single_neuron_score(GATE_TARGETS[gate])
    sums = _exact_sums(w1, w2, b)
    right = sum((z > 0) == (t == 1) for z, t in zip(sums, GATE_TARGETS[gate]))
    assert right == score
    assert min(abs(z) for z in sums) == Fraction(str(margin)) > 0  # no row sits on the line


@pytest.mark.parametrize("gate, expected", [
    ("AND", (4, (1.2, 1.2, -1.8), 0.6)),    # sums -1.8, -0.6, -0.6, 0.6
    ("OR", (4, (2.0, 2.0, -1.0), 1.0)),     # sums -1, 1, 1, 3
    ("NAND", (4, (-1.4, -1.4, 2.0), 0.6)),  # sums 2, 0.6, 0.6, -0.8
    ("XOR", (3, (-2.0, 2.0, -1.0), 1.0)),   # sums -1, 1, -3 (wrong), -1
])
def test_best_single_neuron_is_the_widest_margin_solution(gate, expected):
    assert best_single_neuron_score(GATE_TARGETS[gate]) == expected


def test_no_grid_neuron_has_a_wider_margin_for_and():
    # Oracle: the brute force in exact fractions over a coarser grid (step 0.5) agrees.
    values = [Fraction(k, 2) for k in range(-4, 5)]
    best = max(min(abs(z) for z in _exact_sums(w1, w2, b))
               for w1 in values for w2 in values for b in values
               if all((z > 0) == (t == 1) for z, t in zip(_exact_sums(w1, w2, b), GATE_TARGETS["AND"])))
    assert Fraction(str(best_single_neuron_score(GATE_TARGETS["AND"], spacing=0.5)[2])) == best


def test_best_single_neuron_score_rejects_a_limit_that_is_not_a_whole_number_of_steps():
    with pytest.raises(ValueError, match="limit must be a whole number of steps; got limit=1.0, spacing=0.3"):
        best_single_neuron_score(GATE_TARGETS["AND"], limit=1.0, spacing=0.3)


def _margin_one_line(targets):
    """linprog: is there (w1, w2, b) with w.x + b >= 1 on target 1 and <= -1 on target 0?"""
    sign = np.where(targets == 1, 1.0, -1.0)
    rows = np.hstack([GATE_INPUTS, np.ones((4, 1))])  # (x1, x2, 1) . (w1, w2, b)
    return linprog(np.zeros(3), A_ub=-sign[:, None] * rows, b_ub=-np.ones(4),
                   bounds=[(None, None)] * 3, method="highs")


@pytest.mark.parametrize("gate", ["AND", "OR"])
def test_linear_program_finds_a_separating_line_for(gate):
    result = _margin_one_line(GATE_TARGETS[gate])
    assert result.status == 0
    w1, w2, b = result.x
    np.testing.assert_array_equal(truth_table([w1, w2], b), GATE_TARGETS[gate])


def test_linear_program_proves_no_line_separates_xor():
    assert _margin_one_line(GATE_TARGETS["XOR"]).status == 2  # 2: infeasible


def test_format_truth_table_for_and():
    w, b = GATE_WEIGHTS["AND"]
    assert format_truth_table(GATE_INPUTS, truth_table(w, b)) == "00→0  01→0  10→0  11→1"


# --- validation -----------------------------------------------------------------------------

def test_wrong_number_of_inputs_names_expected_and_received_shapes():
    with pytest.raises(ValueError) as info:
        neuron([1.0, 2.0, 3.0], [1.0, 1.0])
    assert "(2,)" in str(info.value) and "(3,)" in str(info.value)


def test_batch_of_the_wrong_width_names_both_shapes():
    with pytest.raises(ValueError) as info:
        weighted_sum(np.zeros((5, 3)), [1.0, 1.0])
    assert "(N, 2)" in str(info.value) and "(5, 3)" in str(info.value)


def test_weights_that_are_not_a_vector_are_rejected():
    with pytest.raises(ValueError, match=r"vector of shape \(D,\).*\(2, 2\)"):
        weighted_sum([1.0, 2.0], [[1.0, 1.0], [1.0, 1.0]])


def test_three_dimensional_inputs_are_rejected():
    with pytest.raises(ValueError, match=r"\(1, 1, 2\)"):
        weighted_sum(np.zeros((1, 1, 2)), [1.0, 1.0])


@pytest.mark.parametrize("x", ["12", None, ["a", "b"]], ids=["str", "None", "list-of-str"])
def test_inputs_that_are_not_numbers_are_rejected(x):
    with pytest.raises(ValueError, match="numbers"):
        neuron(x, [1.0, 1.0])


@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
def test_inputs_that_are_not_finite_are_rejected(bad):
    with pytest.raises(ValueError, match=r"^x \(the inputs\) contains NaN or inf$"):
        neuron([1.0, bad], [1.0, 1.0])


def test_nan_weights_are_rejected():
    with pytest.raises(ValueError, match=r"^w \(the weights\) contains NaN or inf$"):
        weighted_sum([1.0, 1.0], [np.nan, 1.0])


@pytest.mark.parametrize("b", [True, "0.5", None, [0.5], np.nan], ids=["bool", "str", "None", "list", "nan"])
def test_a_bias_that_is_not_one_real_number_is_rejected(b):
    with pytest.raises(ValueError, match="b"):
        neuron([1.0, 1.0], [1.0, 1.0], b)


def test_best_single_neuron_score_rejects_targets_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"\(4,\).*\(3,\)"):
        best_single_neuron_score([0, 1, 1])


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

def test_weighted_sum_has_no_bias_by_default():
    assert weighted_sum([1.0, 2.0], [3.0, 4.0]) == 11.0    # 1 * 3 + 2 * 4


def test_neuron_has_no_bias_by_default():
    # the sum is exactly 0 without a bias, so the step neuron stays silent
    assert neuron([0.0, 0.0], [1.0, 1.0]) == 0.0


def test_a_bias_that_is_not_finite_is_named_b():
    with pytest.raises(ValueError, match=r"^b \(the bias\) must be a finite number; got nan$"):
        weighted_sum([1.0, 1.0], [1.0, 1.0], float("nan"))


def test_neuron_of_one_sample_is_a_plain_float():
    assert type(neuron([1.0, 1.0], [1.0, 1.0], -1.5)) is float


def test_neuron_outputs_floats_even_when_the_activation_gives_booleans():
    a = neuron([[0.0, 0.0], [1.0, 1.0]], [1.0, 1.0], -1.5, activation=lambda z: z > 0)
    assert a.dtype == np.float64
    np.testing.assert_array_equal(a, [0.0, 1.0])


# --- layer --------------------------------------------------------------------------------------

def test_layer_outputs_floats_even_when_the_activation_gives_booleans():
    a = layer([1.0, 2.0], [[1.0, -1.0], [1.0, -1.0]], activation=lambda z: z > 0)
    assert a.dtype == np.float64
    np.testing.assert_array_equal(a, [1.0, 0.0])          # sums 3 and -3


def test_layer_weights_that_are_not_a_matrix_are_named_W():
    with pytest.raises(ValueError, match=r"^W \(the layer's weights\) must be a batch of shape \(N, D\); "
                                         r"got shape \(2,\)$"):
        layer([1.0, 2.0], [1.0, 1.0])


def test_layer_rejects_inputs_with_three_axes():
    with pytest.raises(ValueError, match=r"^x \(the inputs\) must be a vector of shape \(D,\) or a batch of "
                                         r"shape \(N, D\); got shape \(1, 1, 2\)$"):
        layer(np.zeros((1, 1, 2)), np.ones((2, 3)))


def test_layer_biases_with_nan_are_named_b():
    with pytest.raises(ValueError, match=r"^b \(the layer's biases\) contains NaN or inf$"):
        layer([1.0, 2.0], np.ones((2, 2)), [0.0, float("nan")])


# --- best_single_neuron_score -------------------------------------------------------------------

def test_a_row_whose_sum_is_exactly_zero_counts_as_silent():
    # Grid {-1, 0, 1}: the only neuron with every AND row right is (1, 1, -1), whose sums are
    # -1, 0, 0, 1: rows 01 and 10 sit on the line, and a step neuron does not fire there.
    assert best_single_neuron_score(GATE_TARGETS["AND"], limit=1.0, spacing=1.0) == (4, (1.0, 1.0, -1.0), 0.0)


def test_best_single_neuron_score_names_targets_with_nan():
    with pytest.raises(ValueError, match=r"^targets contains NaN or inf$"):
        best_single_neuron_score([0.0, 0.0, 0.0, float("nan")])


def test_best_single_neuron_score_names_a_limit_that_is_not_positive():
    with pytest.raises(ValueError, match=r"^limit must be a positive finite number; got 0$"):
        best_single_neuron_score(GATE_TARGETS["AND"], limit=0)


def test_best_single_neuron_score_names_a_spacing_that_is_not_positive():
    with pytest.raises(ValueError, match=r"^spacing must be a positive finite number; got -0.1$"):
        best_single_neuron_score(GATE_TARGETS["AND"], spacing=-0.1)


def test_a_spacing_that_almost_divides_the_limit_is_rejected():
    # 3 * 0.333333 = 0.999999: one part in a million short of the limit, not a whole number of steps
    with pytest.raises(ValueError, match="limit must be a whole number of steps"):
        best_single_neuron_score(GATE_TARGETS["AND"], limit=1.0, spacing=0.333333)
