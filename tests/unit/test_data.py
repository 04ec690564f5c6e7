"""nnbook.data: every data set of the book, seeded or fresh."""

import re

import numpy as np
import pytest

from nnbook import data

SEEDED = {
    "moons": lambda seed: data.moons(seed=seed),
    "circles": lambda seed: data.circles(seed=seed),
    "regression": lambda seed: data.regression(seed=seed),
    "separable_blobs": lambda seed: data.separable_blobs(seed=seed),
}


@pytest.mark.parametrize("make", SEEDED.values(), ids=SEEDED.keys())
def test_the_same_int_seed_gives_the_same_data(make):
    (X1, y1), (X2, y2) = make(3), make(3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("make", SEEDED.values(), ids=SEEDED.keys())
def test_no_seed_gives_fresh_data(make):
    assert not np.array_equal(make(None)[0], make(None)[0])


@pytest.mark.parametrize("make", SEEDED.values(), ids=SEEDED.keys())
def test_a_generator_is_drawn_from(make):
    rng = np.random.default_rng(0)
    assert not np.array_equal(make(rng)[0], make(rng)[0])


@pytest.mark.parametrize("make", SEEDED.values(), ids=SEEDED.keys())
def test_a_float_seed_is_rejected(make):
    with pytest.raises(ValueError, match=r"^seed must be None \(fresh randomness\)"):
        make(1.5)


def test_moons_with_an_int_seed_is_scikit_learns_for_that_seed():
    from sklearn.datasets import make_moons
    X, y = make_moons(200, noise=0.08, random_state=4)
    ours, labels = data.moons(seed=4)
    np.testing.assert_array_equal(ours, (X - X.mean(axis=0)) / X.std(axis=0))
    np.testing.assert_array_equal(labels, y)


def test_regression_is_the_line_two_x_plus_one_with_a_bias_column():
    X, y = data.regression(500, noise=0.0, seed=0)
    np.testing.assert_array_equal(X[:, 1], 1.0)
    np.testing.assert_allclose(y, 2 * X[:, 0] + 1, atol=1e-12)


def test_regression_rejects_a_count_that_is_not_a_positive_integer():
    with pytest.raises(ValueError, match=r"^n must be a positive integer; got 2\.5$"):
        data.regression(2.5)


def test_xor_has_the_gate_rows_and_a_target_column():
    X, Y = data.xor()
    np.testing.assert_array_equal(X, data.GATE_INPUTS)
    np.testing.assert_array_equal(Y, data.GATE_TARGETS["XOR"][:, None])


def test_gate_returns_copies_of_the_truth_table():
    X, y = data.gate("AND")
    X[0, 0] = 9.0
    y[0] = 9.0
    assert data.GATE_INPUTS[0, 0] == 0.0 and data.GATE_TARGETS["AND"][0] == 0.0


def test_the_shared_truth_tables_are_read_only():
    with pytest.raises(ValueError, match="read-only"):
        data.GATE_INPUTS[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        data.GATE_TARGETS["XOR"][0] = 1.0


def test_an_unknown_gate_lists_the_known_ones():
    message = "gate must be one of ['AND', 'NAND', 'NOR', 'OR', 'XOR']; got 'XNOR'"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        data.gate("XNOR")


def test_data_imports_no_other_nnbook_module_than_validate():
    import ast
    import inspect
    tree = ast.parse(inspect.getsource(data))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert {m for m in imported if m.startswith("nnbook")} == {"nnbook._validate"}
