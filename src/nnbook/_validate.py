"""The one validation policy of nnbook: every public function checks its arguments here.

Each helper returns the cleaned value or raises a ``ValueError`` that names the argument and
says what was expected, so a learner can act on it:

- ``as_rng(seed)``: None (fresh randomness), an int (reproducible) or a numpy Generator.
- ``as_count(value, name)``: a positive integer (bools, floats such as 3.0 and strings rejected).
- ``as_number(value, name)`` / ``as_positive_number(value, name)``: a finite real number.
- ``as_non_negative_number``, ``as_fraction`` ([0, 1): a decay rate such as beta1) and
  ``as_decay_factor`` ((0, 1]: a schedule's factor): numbers in a range, for the optimizers.
- ``as_array(value, name, ndim=..., allow_empty=...)``: numbers as an array, with ONE dtype
  rule for activations, layers and losses alike: float32 and float64 arrays keep their dtype,
  every other numeric input (ints, bools, lists of numbers, float16) becomes float64;
  anything else (strings, objects, complex numbers) is rejected. NaN and inf are rejected
  too (``allow_inf=True`` lets the infinities through where a limit is defined).
"""

import numbers

import numpy as np


def _show(value):
    """repr of a value as a learner typed it: 2.9, not np.float64(2.9)."""
    if isinstance(value, np.generic):
        return repr(value.item())
    return repr(value)


def as_rng(seed, name="seed"):
    """A numpy Generator from ``seed``: None -> fresh randomness, an int -> reproducible,
    a Generator -> itself (so several layers can draw from one stream in turn)."""
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"{name} must be None (fresh randomness), a non-negative integer or a "
                         f"numpy Generator; got {_show(seed)}")
    return np.random.default_rng(int(seed))


def as_count(value, name, minimum=1):
    """``value`` as an int of at least ``minimum``; bools, floats (even 3.0) and strings raise.

    A count is a number of things (epochs, units, steps): 2.9 of them has no meaning, and
    silently rounding it would hide the mistake.
    """
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral)
            or value < minimum):
        kind = ("a positive integer" if minimum == 1 else
                "a non-negative integer" if minimum == 0 else f"an integer of at least {minimum}")
        raise ValueError(f"{name} must be {kind}; got {_show(value)}")
    return int(value)


def as_number(value, name):
    """Return ``value`` as a finite float, or raise a ValueError that names ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number; got {_show(value)}")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {_show(value)}")
    return number


def as_positive_number(value, name, example=None):
    """A finite number > 0 (a learning rate, a tolerance), or a ValueError naming ``name``.

    example: None, or a typical value the message suggests: "(e.g. 0.01)".
    """
    hint = "" if example is None else f" (e.g. {_show(example)})"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive number{hint}; got {_show(value)}")
    number = float(value)
    if not (np.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a positive finite number{hint}; got {_show(value)}")
    return number


def as_non_negative_number(value, name):
    """A finite number >= 0 (a weight decay; a learning rate a schedule has brought to 0)."""
    number = as_number(value, name)
    if number < 0:
        raise ValueError(f"{name} must not be negative; got {_show(value)}")
    return number


def as_fraction(value, name, example):
    """A number in [0, 1) (a decay rate: momentum's beta1, Adam's beta2), or a ValueError
    naming ``name`` and suggesting ``example``."""
    number = as_number(value, name)
    if not 0.0 <= number < 1.0:
        raise ValueError(f"{name} must be in [0, 1) (e.g. {_show(example)}); got {_show(value)}")
    return number


def as_decay_factor(value, name, example):
    """A factor in (0, 1] (a learning rate's decay per step or per drop), or a ValueError
    naming ``name`` and suggesting ``example``."""
    number = as_number(value, name)
    if not 0.0 < number <= 1.0:
        raise ValueError(f"{name} must be in (0, 1] (e.g. {_show(example)}); got {_show(value)}")
    return number


class _Edge:
    """Whether arrays are checked. On for everything a learner calls; off inside a loop whose
    data were checked once where it was entered (``Sequential.forward``, ``training.fit``):
    checking the same arrays again on every mini-batch would cost more than the arithmetic."""

    checking = True


def trusted(function, *args):
    """Call ``function(*args)`` with the array checks off: its arrays were checked already."""
    if not _Edge.checking:
        return function(*args)
    _Edge.checking = False
    try:
        return function(*args)
    finally:
        _Edge.checking = True


def as_array(value, name, *, ndim=None, allow_empty=False, allow_inf=False):
    """``value`` as a numeric numpy array, or a ValueError that names ``name``.

    dtype: float32 and float64 are kept; bools, ints and other floats become float64;
    anything else raises. ndim: an int or a tuple of allowed numbers of axes.
    allow_empty: accept an array with no values (otherwise "is empty" raises).
    allow_inf: accept +-inf (NaN always raises).
    """
    if not _Edge.checking and isinstance(value, np.ndarray):
        return value              # inside a checked loop (see ``trusted``)
    if isinstance(value, (str, bytes)) or value is None:
        raise ValueError(f"{name} must be numbers (a list or numpy array); got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers in a rectangular array (a list of equal-length "
                         f"rows or a numpy array); got {value!r}") from None
    if array.dtype != np.float32 and array.dtype != np.float64:
        if array.dtype.kind not in "biuf":
            raise ValueError(f"{name} must be numbers (an int or float array); got dtype {array.dtype}")
        array = array.astype(np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            shapes = " or ".join(_shape_word(n) for n in allowed)
            raise ValueError(f"{name} must be {shapes}; got shape {array.shape}")
    if array.size == 0:
        if not allow_empty:
            raise ValueError(f"{name} is empty (shape {array.shape}); it needs at least one value")
        return array
    if allow_inf:
        if np.isnan(array).any():
            raise ValueError(f"{name} contains NaN")
    elif not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or inf")
    return array


def _shape_word(ndim):
    return {0: "a scalar", 1: "a vector of shape (D,)", 2: "a batch of shape (N, D)"}.get(
        ndim, f"a {ndim}-d array"
    )
