"""Chapter 5's checkers: right answers pass, each wrong gradient is named, nothing raises."""

import numpy as np

from nnbook.book import ch05_backpropagation as ch05


def right_dense(x, W, b, g):
    return g @ W.T, x.T @ g, g.sum(axis=0)


def test_dense_backward_passes_the_right_answer(capsys):
    assert ch05.check_dense_backward(right_dense)
    assert capsys.readouterr().out.startswith("✓")


def test_dense_backward_names_a_wrong_bias_gradient(capsys):
    result = ch05.check_dense_backward(lambda x, W, b, g: (g @ W.T, x.T @ g, g.mean(axis=0)))
    assert not result and "db" in result.message and "sum, not mean" in result.message


def test_dense_backward_names_a_wrong_weight_gradient():
    result = ch05.check_dense_backward(lambda x, W, b, g: (g @ W.T, (g.T @ x).T * 2, g.sum(axis=0)))
    assert not result and "dW" in result.message


def test_dense_backward_reports_a_placeholder_and_an_error():
    assert "returned None" in ch05.check_dense_backward(lambda x, W, b, g: None).message
    assert "tuple" in ch05.check_dense_backward(lambda x, W, b, g: x).message
    assert "raised" in ch05.check_dense_backward(lambda x, W, b, g: x @ g).message


def test_sigmoid_backward_passes_and_fails():
    s = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    assert ch05.check_sigmoid_backward(lambda x, g: g * s(x) * (1 - s(x)))
    wrong = ch05.check_sigmoid_backward(lambda x, g: g * x * (1 - x))
    assert not wrong and "σ'(x)" in wrong.message
    assert not ch05.check_sigmoid_backward(lambda x, g: None)
