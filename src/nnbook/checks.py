"""The checker framework behind the self-checking exercises.

A learner calls a checker with their answer and reads what it says: a success, or the first
failing case with what was expected, what their code gave, and a hint. A wrong answer never
raises; only misuse of the checker does (e.g. passing a number where it wants a function).
The returned ``CheckResult`` is truthy when the answer passed.

The checkers themselves live in the chapter modules (``nnbook.book.chNN_...``) and are
written with ``@checker``: the body runs its cases, raises ``Failure(message)`` at the
first wrong one, and returns the number of cases that passed::

    @checker("check_iterations_per_epoch")
    def check_iterations_per_epoch(fn):
        require_callable(fn, "function")
        for ...:
            value = call(fn, n_examples, batch_size, describe="n_examples=...", hint="...")
            ...
            why = diagnose(value, [(what a known mistake returns, what went wrong), ...])
            if why:
                raise Failure(f"for ... expected ..., got ....", hint=why)
        return len(cases)

A failure's hint goes on a line of its own, ``"\\n   Hint: ..."``: ``Failure(message, hint=...)``
writes it, so every checker prints it the same way.

Warnings raised while a checker runs (by the learner's code, typically numpy's overflow
warnings) are captured, so they never spill into the page; ``call(..., warnings_fail=True)``
turns them into a failure for exercises about numerical stability.
"""

import functools
import textwrap
import warnings

import numpy as np

MESSAGE_WIDTH = 76  # the width of a code cell's output on the website


class CheckResult:
    """The verdict of a checker: ``passed`` and the ``message`` it printed."""

    def __init__(self, passed, message):
        self.passed = bool(passed)
        self.message = message

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return self.message

    def _ipython_display_(self):
        # The message was printed when the check ran; showing the return value again would
        # print it twice when the check is the last line of a cell.
        pass


class Failure(Exception):
    """A wrong answer: the message is what the learner reads, then the hint (if any) on a line
    of its own: ``Failure("for x=2 expected 4, got 5.", hint="square x")``."""

    def __init__(self, message, hint=None):
        super().__init__(f"{message}\n   Hint: {hint}" if hint else message)


def report(name, failure=None, n_cases=0):
    """Print the verdict (wrapped to the page width) and return it as a CheckResult."""
    if failure is None:
        message = f"✓ {name}: " + ("the check passed." if n_cases == 1 else f"all {n_cases} checks passed.")
    else:
        message = f"✗ {name}: {failure}"
    message = "\n".join(
        textwrap.fill(line, MESSAGE_WIDTH, subsequent_indent="   ") for line in message.splitlines()
    )
    print(message)
    return CheckResult(failure is None, message)


def checker(name):
    """Make a checker from a function that raises ``Failure`` or returns its number of cases.

    name: the name printed in the verdict, or a function of the checker's arguments that
    returns it (e.g. ``lambda gate, w, b: f"check_gate_weights({gate!r})"``).
    """

    def decorate(body):
        @functools.wraps(body)
        def run(*args, **kwargs):
            title = name(*args, **kwargs) if callable(name) else name
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the learner's warnings never reach the page
                try:
                    n_cases = body(*args, **kwargs)
                except Failure as failure:
                    return report(title, str(failure))
            return report(title, n_cases=n_cases)

        return run

    return decorate


def require_callable(fn, what):
    """Raise a TypeError (misuse, not a wrong answer) unless ``fn`` is a function."""
    if not callable(fn):
        raise TypeError(f"pass your {what} itself (the function, without calling it); got {type(fn).__name__}")


def call(fn, *args, describe, hint=None, warnings_fail=False):
    """Call the learner's function and return its value; raise ``Failure`` if it raised,
    returned None or (with ``warnings_fail``) made numpy warn."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn(*args)
        except Failure:
            raise
        except Exception as error:  # the learner's bug is reported, not raised
            raise Failure(f"for {describe} your function raised {type(error).__name__}: {error}.", hint=hint) from None
    if warnings_fail and caught:
        raise Failure(f"for {describe} numpy warned: {caught[0].message}.", hint=hint)
    if value is None:
        raise Failure(f"for {describe} your function returned None. Did you forget `return`?")
    return value


def as_number(value):
    """``value`` as one float, or None if it is not a single number."""
    if value is None:
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return float(array.reshape(())) if array.size == 1 else None


def as_numbers_or_none(value):
    """``value`` as a float64 array, or None if it is not numbers (a wrong answer, reported;
    ``nnbook._validate.as_array`` raises instead, for the library's own arguments)."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def expect_number(value, expected, *, describe, hint, rtol=1e-9, atol=1e-9):
    """Raise ``Failure`` unless ``value`` is one number close to ``expected``."""
    got = as_number(value)
    if got is None:
        raise Failure(f"for {describe} expected one number, got {value!r} (shape {np.shape(value)}).", hint=hint)
    if not np.isclose(got, expected, rtol=rtol, atol=atol):
        raise Failure(f"for {describe} expected {expected:.10g}, got {got:.10g}.", hint=hint)


def expect_array(value, expected, *, describe, hint, rtol=1e-9, atol=1e-12):
    """Raise ``Failure`` unless ``value`` is an array of ``expected``'s shape and values."""
    got = as_numbers_or_none(value)
    if got is None or got.shape != np.shape(expected):
        shape = "not numbers" if got is None else f"shape {got.shape}"
        raise Failure(f"for {describe} expected an array of shape {np.shape(expected)}, got {shape}.", hint=hint)
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        raise Failure(f"for {describe} expected {short(expected)}, got {short(np.round(got, 12))}.", hint=hint)


def diagnose(value, mistakes, *, rtol=1e-5, atol=1e-8, close=None):
    """The diagnosis of the first known mistake ``value`` matches, or None.

    mistakes: [(the value a known mistake gives, what went wrong), ...]. ``value`` matches a
    mistake's value of the same shape whose every entry is close (``np.allclose`` with
    ``rtol`` and ``atol``; or, given ``close(value, wrong) -> bool``, when that says so).
    """
    got = as_numbers_or_none(value)
    if got is None:
        return None
    for wrong, diagnosis in mistakes:
        wrong = np.asarray(wrong, dtype=np.float64)
        if got.shape == wrong.shape and (close(got, wrong) if close else np.allclose(got, wrong, rtol=rtol, atol=atol)):
            return diagnosis
    return None


def short(value):
    """A value as plain nested lists, for messages."""
    return np.asarray(value).tolist()
