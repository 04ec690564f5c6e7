"""Input checks shared by the public functions: clear errors a learner can act on."""

import numbers

import numpy as np


def as_float_array(value, name, *, ndim=None):
    """Return ``value`` as a float64 array, or raise a ValueError that names ``name``.

    ndim: an int or a tuple of allowed numbers of dimensions.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise ValueError(f"{name} must be numbers (a list or numpy array); got {type(value).__name__}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be numbers (a list or numpy array); got {value!r}"
        ) from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            shapes = " or ".join(_shape_word(n) for n in allowed)
            raise ValueError(f"{name} must be {shapes}; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers; got {array!r}")
    return array


def as_number(value, name):
    """Return ``value`` as a finite float, or raise a ValueError that names ``name``."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise ValueError(f"{name} must be a real number; got {value!r}")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return number


def _shape_word(ndim):
    return {0: "a scalar", 1: "a vector of shape (D,)", 2: "a batch of shape (N, D)"}.get(
        ndim, f"a {ndim}-d array"
    )
