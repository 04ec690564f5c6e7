"""Behaviours of nnbook.autodiff that mutation testing found untested (tools/mutation.py)."""

import math

import pytest

from nnbook.autodiff import Value, graph


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
