"""Behaviours of nnbook.gradcheck that mutation testing found untested (tools/mutation.py)."""

import numpy as np
import pytest

from nnbook import gradcheck
from nnbook.layers import Tanh


def test_check_layer_checks_a_float32_input_in_float64(rng):
    x = rng.normal(size=(4, 3)).astype(np.float32)
    assert gradcheck.check_layer(Tanh(), x, seed=0)["x"] < 1e-6


def test_an_unknown_method_lists_the_two_methods():
    with pytest.raises(ValueError, match=r'^method must be "finite differences" or "backpropagation"; '
                                         r"got 'guessing'$"):
        gradcheck.forward_passes(10, "guessing")
