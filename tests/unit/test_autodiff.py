"""nnbook.autodiff: the scalar reverse-mode engine against calculus and the matrix version."""

import math
import re

import numpy as np
import pytest

from nnbook import losses
from nnbook.autodiff import Value, graph
from nnbook.gradcheck import rel_error
from nnbook.layers import Activation, Dense, Sequential


def test_product_rule_and_sum_over_paths():
    a, b = Value(2.0), Value(-3.0)
    c = a * b + a
    c.backward()
    assert (a.grad, b.grad) == (-2.0, 2.0)


@pytest.mark.parametrize("op, derivative", [
    (lambda v: v.exp(), math.exp),
    (lambda v: v.tanh(), lambda x: 1 - math.tanh(x) ** 2),
    (lambda v: v.relu(), lambda x: float(x > 0)),
    (lambda v: v ** 3, lambda x: 3 * x ** 2),
    (lambda v: v.sigmoid(), lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2),
    (lambda v: 1 / (v - 5), lambda x: -1 / (x - 5) ** 2),
])
@pytest.mark.parametrize("x", [-1.3, 0.7])
def test_each_operation_has_the_right_derivative(op, derivative, x):
    v = Value(x)
    op(v).backward()
    assert v.grad == pytest.approx(derivative(x), rel=1e-12)


def test_backward_twice_gives_the_same_gradients():
    a = Value(0.5)
    out = (a * a).tanh()
    out.backward()
    first = a.grad
    out.backward()
    assert a.grad == first


def test_graph_lists_nodes_in_topological_order():
    a, b = Value(1.0), Value(2.0)
    nodes, edges = graph(a * b + b)
    assert nodes[-1].op == "+"
    assert all(parent < child for parent, child in edges)
    assert len(nodes) == 4


def test_scalar_engine_matches_the_matrix_backprop(rng):
    x = rng.normal(size=(3, 2))
    y = rng.uniform(size=(3, 2))
    net = Sequential([Dense(2, 3, seed=1), Activation("tanh"), Dense(3, 2, seed=2)])
    net.backward(losses.half_squared_error_gradient(y, net.forward(x)))
    W1, b1 = net[0].params["W"], net[0].params["b"]
    W2, b2 = net[2].params["W"], net[2].params["b"]
    VW1 = [[Value(w) for w in row] for row in W1]
    Vb1 = [Value(b) for b in b1]
    VW2 = [[Value(w) for w in row] for row in W2]
    Vb2 = [Value(b) for b in b2]
    total = Value(0.0)
    for xn, yn in zip(x, y):
        h = [(sum((VW1[i][j] * xn[i] for i in range(2)), Vb1[j])).tanh() for j in range(3)]
        for k in range(2):
            o = sum((VW2[j][k] * h[j] for j in range(3)), Vb2[k])
            total = total + 0.5 * (o - yn[k]) ** 2
    (total / len(x)).backward()
    assert rel_error(np.array([[v.grad for v in row] for row in VW1]), net[0].grads["W"]) < 1e-12
    assert rel_error(np.array([v.grad for v in Vb2]), net[2].grads["b"]) < 1e-12
    assert rel_error(np.array([[v.grad for v in row] for row in VW2]), net[2].grads["W"]) < 1e-12


# --- deep graphs and bad input (issue 9) ----------------------------------------------------

@pytest.mark.parametrize("n", [1_000, 10_000])
def test_backward_through_a_long_sum_needs_no_recursion(n):
    values = [Value(float(k)) for k in range(n)]
    total = sum(values)                  # a chain n deep
    total.backward()
    assert total.data == n * (n - 1) / 2
    assert all(v.grad == 1.0 for v in values)


def test_the_topological_order_is_the_depth_first_post_order():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    d = c + a
    e = d * c
    order = e.topological_order()
    assert [n.label or n.op for n in order] == ["a", "b", "*", "+", "*"]
    assert order[-1] is e and len(order) == len({id(n) for n in order})


@pytest.mark.parametrize("x", [-745.5, -800.0, -1e4])
def test_sigmoid_is_stable_far_below_minus_745(x):
    v = Value(x)
    out = v.sigmoid()
    out.backward()
    assert out.data == pytest.approx(math.exp(x), abs=1e-300) and 0.0 <= out.data
    assert math.isfinite(v.grad) and v.grad >= 0.0


@pytest.mark.parametrize("x", [-30.0, -1.3, 0.0, 0.7, 30.0])
def test_sigmoid_agrees_with_the_array_version(x):
    from nnbook.activations import sigmoid, sigmoid_derivative
    v = Value(x)
    out = v.sigmoid()
    out.backward()
    assert out.data == pytest.approx(float(sigmoid(x)), rel=1e-15)
    assert v.grad == pytest.approx(float(sigmoid_derivative(x)), rel=1e-12)


def test_sigmoid_of_a_positive_input_keeps_the_graph_the_chapter_draws():
    nodes, _ = graph(Value(0.3775).sigmoid())
    assert [n.op for n in nodes] == ["", "", "*", "exp", "", "+", "**-1"]


def test_a_fractional_power_of_a_negative_number_is_a_clear_error():
    message = "Value ** 0.5 of a negative number (-4) is not a real number; only whole powers of negative numbers are"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Value(-4.0) ** 0.5


def test_a_whole_power_of_a_negative_number_is_fine():
    v = Value(-2.0)
    out = v ** 3
    out.backward()
    assert (out.data, v.grad) == (-8.0, 12.0)


@pytest.mark.parametrize("exponent, kind", [(Value(2.0), "Value"), ("2", "str"), (True, "bool"),
                                            (np.bool_(True), "bool"), (np.array(2.0), "ndarray"),
                                            (2 + 0j, "complex")])
def test_only_int_or_float_exponents_are_accepted(exponent, kind):
    message = f"Value ** k supports a constant number k (an int or a float) only; got {kind}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Value(2.0) ** exponent


@pytest.mark.parametrize("exponent", [np.int64(2), np.int32(2), np.float64(2.0), np.float32(2.0)],
                         ids=["int64", "int32", "float64", "float32"])
def test_a_numpy_number_is_an_exponent_like_python_s(exponent):
    """Issue 22: a numpy integer (a loop index, an array element) works as a Python int does."""
    v = Value(3.0)
    out = v ** exponent
    out.backward()
    assert (out.data, v.grad, out.op) == (9.0, 6.0, "**2")
    assert type(out.data) is float and type(v.grad) is float


def test_a_negative_power_of_zero_is_a_clear_error():
    with pytest.raises(ValueError, match=r"^Value \*\* -1 of 0 is undefined \(division by zero\)$"):
        Value(0.0) ** -1


def test_exp_overflow_is_a_clear_error():
    with pytest.raises(ValueError, match=r"^exp\(800\) overflows a float"):
        Value(800.0).exp()


@pytest.mark.parametrize("a, b, grads", [(3.0, -1.0, (2.0, 0.0)), (-1.0, 3.0, (0.0, 2.0)), (2.0, 2.0, (2.0, 0.0))])
def test_max_routes_the_whole_gradient_to_the_larger_input(a, b, grads):
    va, vb = Value(a), Value(b)
    out = va.max(vb) * 2
    out.backward()
    assert out.data == 2 * max(a, b)
    assert (va.grad, vb.grad) == grads


def test_max_with_a_number_is_relu_when_the_number_is_zero():
    for x in (-0.5, 0.5):
        v, w = Value(x), Value(x)
        v.max(0.0).backward()
        w.relu().backward()
        assert v.grad == w.grad


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

def test_a_new_value_has_a_zero_gradient():
    assert Value(3.0).grad == 0.0


def test_a_value_added_to_itself_gets_gradient_two():
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0


# out = f(a) + a: the "+" node hands a its 1 first, then f's backward must add f'(a) to it.
@pytest.mark.parametrize("op, expected_grad", [
    (lambda v: v ** 2, 2 * 3.0 + 1),                        # 2a + 1 at a = 3
    (lambda v: v.exp(), math.exp(3.0) + 1),                 # e^a + 1
    (lambda v: v.tanh(), (1 - math.tanh(3.0) ** 2) + 1),    # 1 - tanh(a)^2 + 1
    (lambda v: v.relu(), 1.0 + 1),                          # a > 0: slope 1, + 1
])
def test_an_operation_adds_to_a_gradient_that_already_has_a_contribution(op, expected_grad):
    a = Value(3.0)
    (op(a) + a).backward()
    assert a.grad == pytest.approx(expected_grad, rel=1e-12)


@pytest.mark.parametrize("a, b, grads", [(3.0, 1.0, (2.0, 1.0)), (1.0, 3.0, (1.0, 2.0))])
def test_max_adds_to_a_gradient_that_already_has_a_contribution(a, b, grads):
    # out = max(a, b) + a + b: each input gets 1 from the sums, the larger one 1 more from max
    va, vb = Value(a), Value(b)
    (va.max(vb) + va + vb).backward()
    assert (va.grad, vb.grad) == grads


def test_rsub_subtracts_a_value_from_a_number():
    v = Value(2.0)
    out = 5 - v
    out.backward()
    assert (out.data, v.grad) == (3.0, -1.0)


def test_the_infinite_power_error_says_k_must_be_finite():
    with pytest.raises(ValueError, match=r"^Value \*\* k needs a finite k; got inf$"):
        Value(2.0) ** float("inf")


def test_a_fractional_power_of_zero_is_zero():
    assert (Value(0.0) ** 0.5).data == 0.0


def test_a_fractional_power_of_a_positive_number_below_one_works():
    v = Value(0.25)
    out = v ** 0.5
    out.backward()
    # 0.25^0.5 = 0.5; d/da a^0.5 = 0.5 / sqrt(a) = 0.5 / 0.5 = 1
    assert (out.data, v.grad) == (0.5, 1.0)


def test_zero_to_the_power_zero_is_one():
    assert (Value(0.0) ** 0).data == 1.0


@pytest.mark.parametrize("exponent, expected_grad", [(1, 1.0), (1.5, 0.0), (2, 0.0)])
def test_powers_of_zero_with_k_at_least_one_have_a_finite_derivative(exponent, expected_grad):
    # d/da a^k = k a^(k-1) at a = 0: 1 for k = 1 (a^0 = 1), 0 for k > 1
    v = Value(0.0)
    (v ** exponent).backward()
    assert v.grad == expected_grad


def test_the_derivative_of_a_fractional_power_at_zero_is_a_clear_error():
    out = Value(0.0) ** 0.5
    with pytest.raises(ValueError, match=r"^the derivative of a \*\* 0.5 at a = 0 is infinite$"):
        out.backward()


def test_exp_overflow_error_gives_the_largest_exponent():
    with pytest.raises(ValueError, match=r"^exp\(800\) overflows a float \(the largest is about e\^709\.78\)$"):
        Value(800.0).exp()


def test_graph_nodes_name_the_operation_that_made_them():
    a, b = Value(0.5), Value(-0.5)
    nodes, _ = graph(a.tanh().relu().max(b))
    assert [n.op for n in nodes] == ["", "tanh", "relu", "", "max"]


def test_relu_has_slope_zero_at_the_kink():
    v = Value(0.0)
    v.relu().backward()
    assert v.grad == 0.0


def test_sigmoid_of_zero_uses_the_positive_input_graph():
    # the a >= 0 form 1 / (1 + e^-a) is built at a = 0 (the a < 0 form only below zero)
    nodes, _ = graph(Value(0.0).sigmoid())
    assert [n.op for n in nodes] == ["", "", "*", "exp", "", "+", "**-1"]


def test_repr_shows_the_label_data_and_gradient():
    assert repr(Value(2.0, label="a")) == "Value(a: data=2, grad=0)"


def test_repr_of_an_unlabelled_value_has_no_name():
    assert repr(Value(0.5)) == "Value(data=0.5, grad=0)"


def test_a_power_of_zero_is_a_constant_with_gradient_zero_even_at_zero():
    # a^0 = 1 for every a, so d(a^0)/da = 0; at a = 0 the formula k a^(k-1) would divide by 0
    for a in (0.0, 2.0):
        v = Value(a)
        out = v ** 0
        out.backward()
        assert (out.data, v.grad) == (1.0, 0.0)
