"""Behaviours of nnbook._validate that mutation testing found untested (tools/mutation.py)."""

import numpy as np
import pytest

from nnbook._validate import as_array


def test_a_vector_where_a_scalar_is_expected_says_a_scalar():
    with pytest.raises(ValueError, match=r"^x must be a scalar; got shape \(3,\)$"):
        as_array(np.ones(3), "x", ndim=0)


def test_a_rank_without_a_name_is_described_by_its_number_of_axes():
    with pytest.raises(ValueError, match=r"^x must be a 3-d array; got shape \(2,\)$"):
        as_array(np.ones(2), "x", ndim=3)
