"""Chapter 3's checkers: right answers pass, wrong ones fail with a hint, nothing raises."""

import numpy as np

from nnbook.book import ch03_networks as ch03


def test_dense_forward_passes_the_reference(capsys):
    assert ch03.check_dense_forward(lambda x, W, b: x @ W + b)
    assert capsys.readouterr().out.startswith("✓")


def test_dense_forward_catches_a_missing_bias(capsys):
    assert not ch03.check_dense_forward(lambda x, W, b: x @ W)
    assert "✗" in capsys.readouterr().out


def test_dense_forward_reports_a_transposed_product(capsys):
    assert not ch03.check_dense_forward(lambda x, W, b: W @ x + b)
    assert "✗" in capsys.readouterr().out


def test_dense_forward_reports_a_missing_return():
    assert not ch03.check_dense_forward(lambda x, W, b: None)


def test_parameter_count_accepts_the_computed_count():
    sizes = ch03.EXAMPLE_NETWORK
    assert ch03.check_parameter_count(sum(m * n + n for m, n in zip(sizes, sizes[1:])))


def test_parameter_count_explains_a_weights_only_answer(capsys):
    sizes = ch03.EXAMPLE_NETWORK
    assert not ch03.check_parameter_count(sum(m * n for m, n in zip(sizes, sizes[1:])))
    assert "bias" in capsys.readouterr().out


def test_stable_bce_passes_the_stable_formula():
    assert ch03.check_stable_binary_cross_entropy(
        lambda y, z: np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def test_stable_bce_rejects_the_naive_formula(capsys):
    def naive(y, z):
        p = 1 / (1 + np.exp(-z))
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    assert not ch03.check_stable_binary_cross_entropy(naive)
    assert "✗" in capsys.readouterr().out
