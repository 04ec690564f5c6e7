"""Behaviours of nnbook.gradcheck that mutation testing found untested (tools/mutation.py)."""

import numpy as np
import pytest

from nnbook import gradcheck, losses
from nnbook.layers import Dense, Sequential, Tanh


def test_check_layer_checks_a_float32_input_in_float64(rng):
    x = rng.normal(size=(4, 3)).astype(np.float32)
    assert gradcheck.check_layer(Tanh(), x, seed=0)["x"] < 1e-6


def test_an_unknown_method_lists_the_two_methods():
    with pytest.raises(ValueError, match=r'^method must be "finite differences" or "backpropagation"; '
                                         r"got 'guessing'$"):
        gradcheck.forward_passes(10, "guessing")


def test_check_network_names_an_input_with_nan():
    net = Sequential([Dense(2, 1, seed=0)])
    with pytest.raises(ValueError, match=r"^x contains NaN or inf$"):
        gradcheck.check_network(net, [[np.nan, 0.0]], [[1.0]], losses.mean_squared_error,
                                losses.mean_squared_error_gradient)
