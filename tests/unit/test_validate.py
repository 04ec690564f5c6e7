"""nnbook._validate: the one validation policy (seeds, counts, numbers, arrays)."""

import re

import numpy as np
import pytest

from nnbook._validate import as_array, as_count, as_number, as_positive_number, as_rng


def test_an_int_seed_gives_the_same_numbers_as_default_rng():
    assert as_rng(7).normal() == np.random.default_rng(7).normal()


def test_a_numpy_int_seed_is_an_int_seed():
    assert as_rng(np.int64(7)).normal() == np.random.default_rng(7).normal()


def test_a_generator_passes_through_unchanged():
    rng = np.random.default_rng(0)
    assert as_rng(rng) is rng


def test_no_seed_gives_fresh_randomness_each_time():
    assert as_rng(None).normal(size=4).tolist() != as_rng(None).normal(size=4).tolist()


@pytest.mark.parametrize("seed, shown", [(True, "True"), (1.5, "1.5"), (np.float64(2.0), "2.0"),
                                         ("0", "'0'"), (-1, "-1")])
def test_a_seed_that_is_not_none_an_int_or_a_generator_is_rejected(seed, shown):
    message = ("seed must be None (fresh randomness), a non-negative integer or a numpy "
               f"Generator; got {shown}")
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        as_rng(seed)


# --- as_count -------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [1, 3, np.int64(3), np.uint8(3)])
def test_a_positive_integer_is_a_count(value):
    count = as_count(value, "epochs")
    assert count == int(value) and type(count) is int


@pytest.mark.parametrize("value, shown", [
    (2.9, "2.9"), (3.0, "3.0"), (np.float64(2.7), "2.7"), (True, "True"), (np.bool_(True), "True"),
    ("3", "'3'"), (0, "0"), (-2, "-2"), (None, "None"),
])
def test_anything_else_is_not_a_count(value, shown):
    with pytest.raises(ValueError, match=f"^epochs must be a positive integer; got {re.escape(shown)}$"):
        as_count(value, "epochs")


def test_a_count_with_another_minimum_says_so():
    assert as_count(0, "steps", minimum=0) == 0
    with pytest.raises(ValueError, match=r"^n must be an integer of at least 2; got 1$"):
        as_count(1, "n", minimum=2)


# --- numbers --------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_a_number_must_be_finite(value):
    with pytest.raises(ValueError, match="^b must be a finite number; got"):
        as_number(value, "b")


@pytest.mark.parametrize("value", [True, "0.5", None, [0.5]])
def test_a_number_must_be_one_real_number(value):
    with pytest.raises(ValueError, match="^b must be a real number; got"):
        as_number(value, "b")


@pytest.mark.parametrize("value, shown", [(0, "0"), (-0.1, "-0.1"), (np.nan, "nan"), (np.inf, "inf"),
                                          (np.float64(-1.0), "-1.0")])
def test_a_learning_rate_must_be_positive_and_finite(value, shown):
    message = f"learning_rate must be a positive finite number; got {shown}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        as_positive_number(value, "learning_rate")


def test_a_positive_number_comes_back_as_a_float():
    assert as_positive_number(np.float32(0.5), "learning_rate") == 0.5


# --- as_array: one dtype rule ---------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float32_and_float64_keep_their_dtype(dtype):
    assert as_array(np.ones(3, dtype=dtype), "x").dtype == dtype


@pytest.mark.parametrize("value", [[1, 2], np.array([True, False]), np.arange(3, dtype=np.uint8),
                                   np.ones(2, dtype=np.float16), 3])
def test_other_numbers_become_float64(value):
    assert as_array(value, "x").dtype == np.float64


def test_a_float64_array_is_not_copied():
    x = np.ones(3)
    assert as_array(x, "x") is x


@pytest.mark.parametrize("value, dtype", [(np.array(["1", "2"]), "<U1"), (np.array([1.0], dtype=object), "object"),
                                          (np.array([1j]), "complex128")])
def test_non_numbers_name_the_argument_and_the_dtype(value, dtype):
    message = f"y_true must be numbers (an int or float array); got dtype {dtype}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        as_array(value, "y_true")


@pytest.mark.parametrize("value", ["12", None])
def test_a_string_or_none_is_not_an_array(value):
    with pytest.raises(ValueError, match=r"^x must be numbers \(a list or numpy array\); got"):
        as_array(value, "x")


def test_a_ragged_list_is_not_an_array():
    with pytest.raises(ValueError, match=r"^x must be numbers in a rectangular array"):
        as_array([[1.0, 2.0], [3.0]], "x")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_names_the_argument(bad):
    with pytest.raises(ValueError, match=r"^y_true contains NaN or inf$"):
        as_array([1.0, bad], "y_true")


def test_infinities_can_be_allowed_but_nan_cannot():
    assert np.isinf(as_array([np.inf], "x", allow_inf=True)).all()
    with pytest.raises(ValueError, match=r"^x contains NaN$"):
        as_array([np.nan, np.inf], "x", allow_inf=True)


def test_an_empty_array_is_rejected_unless_allowed():
    with pytest.raises(ValueError, match=re.escape("x is empty (shape (0, 3)); it needs at least one value")):
        as_array(np.zeros((0, 3)), "x")
    assert as_array(np.zeros((0, 3)), "x", allow_empty=True).shape == (0, 3)


def test_a_wrong_rank_names_the_allowed_shapes():
    with pytest.raises(ValueError, match=re.escape("w must be a vector of shape (D,); got shape (2, 2)")):
        as_array(np.zeros((2, 2)), "w", ndim=1)
    with pytest.raises(ValueError, match=re.escape(
            "x must be a vector of shape (D,) or a batch of shape (N, D); got shape (1, 1, 2)")):
        as_array(np.zeros((1, 1, 2)), "x", ndim=(1, 2))


# --- Tests written to kill the mutants a mutation run left alive (tools/mutation.py) ---

def test_a_vector_where_a_scalar_is_expected_says_a_scalar():
    with pytest.raises(ValueError, match=r"^x must be a scalar; got shape \(3,\)$"):
        as_array(np.ones(3), "x", ndim=0)


def test_a_rank_without_a_name_is_described_by_its_number_of_axes():
    with pytest.raises(ValueError, match=r"^x must be a 3-d array; got shape \(2,\)$"):
        as_array(np.ones(2), "x", ndim=3)
