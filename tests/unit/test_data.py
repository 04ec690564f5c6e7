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


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

def _distance_to_the_blobs_line(X):
    # the line x2 = 0.6 x1 + 0.1, i.e. -0.6 x1 + x2 - 0.1 = 0, whose normal has length sqrt(1.36)
    return np.abs(X[:, 1] - 0.6 * X[:, 0] - 0.1) / np.sqrt(1.36)


# --- constants -------------------------------------------------------------------------------

def test_constant_makes_an_array_read_only():
    # (GATE_INPUTS and GATE_TARGETS are made at import; this checks the helper itself)
    array = data._constant(np.zeros(3))
    assert not array.flags.writeable


# --- default sizes ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "make, n",
    [(data.separable_blobs, 40), (data.moons, 200), (data.circles, 200), (data.regression, 64)],
    ids=["separable_blobs", "moons", "circles", "regression"],
)
def test_default_number_of_points(make, n):
    X, y = make(seed=0)
    assert X.shape == (n, 2) and y.shape == (n,)


# --- separable_blobs -------------------------------------------------------------------------

@pytest.mark.parametrize("n", [40, 41])
@pytest.mark.parametrize("seed", range(10))
def test_separable_blobs_puts_half_the_points_rounded_up_in_class_one(n, seed):
    X, y = data.separable_blobs(n, seed=seed)
    assert X.shape == (n, 2)
    assert y.sum() == (n + 1) // 2 and (y == 0).sum() == n // 2


def test_separable_blobs_keeps_every_point_at_least_the_margin_from_the_line():
    X, _ = data.separable_blobs(1000, margin=0.1, seed=0)
    assert _distance_to_the_blobs_line(X).min() >= 0.1


def test_separable_blobs_gap_is_the_margin_and_not_wider():
    # uniform points are redrawn only when closer than the margin: with 1000 points some land
    # just outside it (the strip from 0.1 to 0.11 holds about 1% of the square)
    X, _ = data.separable_blobs(1000, margin=0.1, seed=0)
    assert _distance_to_the_blobs_line(X).min() < 0.11


def test_separable_blobs_rejects_a_margin_of_one_half():
    with pytest.raises(ValueError, match=r"^margin must be in \[0, 0\.5\) so both sides have room; got 0\.5$"):
        data.separable_blobs(margin=0.5)


def test_separable_blobs_rejects_a_margin_that_is_not_a_number():
    with pytest.raises(ValueError, match=r"^margin must be a real number"):
        data.separable_blobs(margin="wide")


def test_separable_blobs_rejects_a_single_point():
    with pytest.raises(ValueError, match=r"^n must be an integer of at least 2; got 1$"):
        data.separable_blobs(1)


# --- seeds for scikit-learn ------------------------------------------------------------------

def test_a_generator_gives_many_different_scikit_learn_seeds():
    rng = np.random.default_rng(0)
    drawn = {data._random_state(rng) for _ in range(200)}
    assert len(drawn) > 190  # drawn from about 2**31 values, so nearly all distinct


# --- moons -----------------------------------------------------------------------------------

def test_moons_of_two_points_gives_one_of_each_class():
    # without noise: the outer moon's first point (1, 0) and the inner one's (0, 0.5),
    # standardised per column: (1, -1) and (-1, 1)
    X, y = data.moons(2, noise=0.0, seed=0)
    np.testing.assert_allclose(X, [[-1.0, 1.0], [1.0, -1.0]])
    np.testing.assert_array_equal(y, [1.0, 0.0])


def test_moons_rejects_a_single_point():
    with pytest.raises(ValueError, match=r"^n must be an integer of at least 2; got 1$"):
        data.moons(1)


def test_moons_rejects_a_noise_that_is_not_a_number():
    with pytest.raises(ValueError, match=r"^noise must be a real number"):
        data.moons(noise="lots")


# --- circles ---------------------------------------------------------------------------------

def test_circles_without_noise_lie_on_radius_one_and_factor():
    X, y = data.circles(8, noise=0.0, factor=0.4, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.4)  # 1 = inner


def test_circles_default_noise_spreads_the_radii_by_about_five_hundredths():
    X, y = data.circles(2000, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    # Gaussian noise of standard deviation 0.05 on each coordinate moves the radius by about
    # as much; 1000 points per ring estimate it within a few percent
    assert 0.045 < np.std(radius[y == 0] - 1.0) < 0.055
    assert 0.045 < np.std(radius[y == 1] - 0.4) < 0.055


def test_circles_of_two_points_gives_one_of_each_class():
    X, y = data.circles(2, noise=0.0, seed=0)
    assert X.shape == (2, 2)
    assert sorted(y) == [0.0, 1.0]


def test_circles_rejects_a_single_point():
    with pytest.raises(ValueError, match=r"^n must be an integer of at least 2; got 1$"):
        data.circles(1)


@pytest.mark.parametrize("argument", ["noise", "factor"])
def test_circles_rejects_a_parameter_that_is_not_a_number(argument):
    with pytest.raises(ValueError, match=f"^{argument} must be a real number"):
        data.circles(**{argument: "big"})


# --- regression ------------------------------------------------------------------------------

def test_regression_rejects_a_noise_that_is_not_a_number():
    with pytest.raises(ValueError, match=r"^noise must be a real number"):
        data.regression(noise="lots")


def test_digits_are_scikit_learns_bundled_set_as_fresh_copies():
    from sklearn.datasets import load_digits

    images, labels = data.digits()
    bunch = load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float64 and labels.shape == (1797,)
    assert np.array_equal(images, bunch.images) and np.array_equal(labels, bunch.target)
    images[0, 0, 0], labels[0] = 99.0, 7
    again, again_labels = data.digits()
    assert again[0, 0, 0] == bunch.images[0, 0, 0] and again_labels[0] == bunch.target[0]
