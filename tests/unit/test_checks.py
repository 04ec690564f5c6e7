"""nnbook.checks: the checker framework, and one sweep over every chapter's checkers.

A chapter's test file (tests/unit/test_chNN.py) holds its checkers' tables: ``RIGHT_ANSWERS``
{id: a call of a checker with a right answer} and ``WRONG_ANSWERS`` {id: (a call with a
typical wrong answer, a phrase of the diagnosis the learner must read)}. The sweep at the
end runs them all, as tests/unit/test_demos.py runs every demo: a right answer ticks, a
wrong one prints a cross and its own diagnosis, and every checker of a tabled chapter has
at least one right and one wrong answer. Checks that fit no table stay in the chapter's file.
"""

import importlib
import importlib.util
import inspect

import numpy as np
import pytest

from nnbook import book
from nnbook.checks import (
    MESSAGE_WIDTH,
    CheckResult,
    Failure,
    as_numbers_or_none,
    call,
    diagnose,
    expect_array,
    expect_number,
    report,
    require_callable,
)

from .checking import assert_diagnosis, assert_ticks

# --- CheckResult ---------------------------------------------------------------------------

@pytest.mark.parametrize("passed", [True, False])
def test_check_result_is_truthy_exactly_when_passed(passed):
    assert bool(CheckResult(passed, "message")) is passed


def test_check_result_displays_nothing_in_a_notebook(capsys):
    assert CheckResult(True, "✓ shown once")._ipython_display_() is None
    assert capsys.readouterr().out == ""


def test_check_result_repr_is_its_message():
    assert repr(CheckResult(False, "✗ why")) == "✗ why"


# --- Failure and its hint -------------------------------------------------------------------

def test_a_failure_puts_its_hint_on_a_line_of_its_own():
    assert str(Failure("for x=1 expected 2, got 3.", hint="double x")) == \
        "for x=1 expected 2, got 3.\n   Hint: double x"


@pytest.mark.parametrize("hint", [None, ""])
def test_a_failure_without_a_hint_is_its_message(hint):
    assert str(Failure("no answer.", hint=hint)) == "no answer."


# --- diagnose: the (wrong answer, diagnosis) tables ------------------------------------------

MISTAKES = [(2.0, "doubled"), ([1.0, 2.0], "a pair"), (-1.0, "the sign")]


@pytest.mark.parametrize("value, diagnosis", [
    (2.0, "doubled"), (2.0 + 1e-9, "doubled"), (np.float64(-1.0), "the sign"), ([1.0, 2.0], "a pair"),
    (np.array([[1.0, 2.0]]), None), (1.5, None), ("abc", None), (None, None),
], ids=["exact", "round-off", "numpy", "array", "other-shape", "none-matches", "text", "None"])
def test_diagnose_names_the_first_mistake_the_value_matches(value, diagnosis):
    assert diagnose(value, MISTAKES) == diagnosis


def test_diagnose_takes_the_tolerances_of_np_allclose():
    assert diagnose(2.1, MISTAKES) is None
    assert diagnose(2.1, MISTAKES, rtol=0.1) == "doubled"
    assert diagnose(2.1, MISTAKES, atol=0.1) == "doubled"


def test_diagnose_takes_a_closeness_of_its_own_for_values_of_the_same_shape():
    far_enough = lambda got, wrong: abs(got - wrong).max() < 0.5  # noqa: E731
    assert diagnose(2.3, MISTAKES, close=far_enough) == "doubled"
    assert diagnose([1.3, 2.3], MISTAKES, close=far_enough) == "a pair"


def test_diagnose_compares_pairs_of_arrays_entry_by_entry():
    mistakes = [((np.array([1.0, 2.0]), np.array([3.0, 4.0])), "the old velocity")]
    assert diagnose((np.array([1.0, 2.0]), np.array([3.0, 4.0])), mistakes) == "the old velocity"
    assert diagnose((np.array([1.0, 2.0]), np.array([3.0, 5.0])), mistakes) is None


# --- as_numbers_or_none ---------------------------------------------------------------------

def test_as_numbers_or_none_gives_float64_arrays():
    got = as_numbers_or_none([1, 2])
    assert got.dtype == np.float64 and got.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("value", ["abc", [1.0, "x"], {"a": 1}], ids=["text", "mixed", "dict"])
def test_as_numbers_or_none_is_none_for_what_is_not_numbers(value):
    assert as_numbers_or_none(value) is None


# --- expect_number and expect_array ----------------------------------------------------------

def test_expect_number_diagnoses_text_as_not_a_number():
    with pytest.raises(Failure, match=r"^for x=1 expected one number, got 'abc' \(shape \(\)\)\.\n   Hint: h$"):
        expect_number("abc", 1.0, describe="x=1", hint="h")


def test_expect_number_shows_the_shape_of_an_array_answer():
    with pytest.raises(Failure, match=r"^for x=1 expected one number, got \[1\.0, 2\.0\] \(shape \(2,\)\)"):
        expect_number([1.0, 2.0], 1.0, describe="x=1", hint="h")


def test_expect_number_rejects_an_answer_off_by_half():
    with pytest.raises(Failure, match=r"^for x=1 expected 1, got 1\.5\.\n   Hint: h$"):
        expect_number(1.5, 1.0, describe="x=1", hint="h")


def test_expect_number_rejects_an_answer_off_in_the_sixth_digit():
    with pytest.raises(Failure, match=r"^for x=1 expected 1, got "):
        expect_number(1.000001, 1.0, describe="x=1", hint="h")


def test_expect_array_accepts_the_right_array():
    assert expect_array([1.0, 2.0], [1.0, 2.0], describe="x=1", hint="h") is None


def test_expect_array_diagnoses_a_wrong_shape():
    with pytest.raises(Failure, match=r"^for x=1 expected an array of shape \(2,\), got shape \(3,\)\.\n   Hint: h$"):
        expect_array([1.0, 2.0, 3.0], [1.0, 2.0], describe="x=1", hint="h")


def test_expect_array_diagnoses_an_answer_that_is_not_numbers():
    with pytest.raises(Failure, match=r"^for x=1 expected an array of shape \(2,\), got not numbers\.\n   Hint: h$"):
        expect_array(["a", "b"], [1.0, 2.0], describe="x=1", hint="h")


def test_expect_array_shows_wrong_values_rounded_as_plain_lists():
    # 0.1 + 0.2 is 0.30000000000000004 in floating point; the learner reads 0.3
    with pytest.raises(Failure, match=r"^for x=1 expected \[1\.0, 0\.4\], got \[1\.0, 0\.3\]\.\n   Hint: h$"):
        expect_array([1.0, 0.1 + 0.2], [1.0, 0.4], describe="x=1", hint="h")


def test_expect_array_rejects_an_answer_off_in_the_sixth_digit():
    with pytest.raises(Failure, match=r"^for x=1 expected \[1\.0, 2\.0\], got \[1\.000001, 2\.0\]"):
        expect_array([1.000001, 2.0], [1.0, 2.0], describe="x=1", hint="h")


# --- report: the verdict ----------------------------------------------------------------------

def test_a_one_case_verdict_says_the_check_passed():
    assert report("check_x", n_cases=1).message == "✓ check_x: the check passed."


def test_a_several_case_verdict_counts_the_checks():
    assert report("check_x", n_cases=3).message == "✓ check_x: all 3 checks passed."


def test_a_long_verdict_fills_lines_to_the_page_width_with_indented_continuations():
    lines = report("check_x", "the answer is wrong " * 12).message.splitlines()
    assert len(lines) > 1
    assert max(len(line) for line in lines) == pytest.approx(MESSAGE_WIDTH, abs=6)  # not 70
    assert all(len(line) <= MESSAGE_WIDTH for line in lines)
    assert all(line.startswith("   ") and not line.startswith("    ") for line in lines[1:])


# --- require_callable and call ----------------------------------------------------------------

def test_passing_a_value_instead_of_a_function_names_its_type():
    with pytest.raises(TypeError, match=r"^pass your step function itself \(the function, without "
                                        r"calling it\); got int$"):
        require_callable(3, "step function")


def _overflows(x):
    return np.exp(x)


def test_a_numpy_warning_is_not_a_failure_by_default():
    assert call(_overflows, 1000.0, describe="x=1000") == np.inf


def test_a_numpy_warning_fails_a_stability_check_with_the_warning_and_the_hint():
    with pytest.raises(Failure, match=r"^for x=1000 numpy warned: overflow encountered in exp\.\n   Hint: h$"):
        call(_overflows, 1000.0, describe="x=1000", hint="h", warnings_fail=True)


def test_an_exception_in_the_learners_function_is_reported_without_a_hint_line():
    with pytest.raises(Failure, match=r"^for x=0 your function raised ZeroDivisionError: division by zero\.$"):
        call(lambda x: 1 / x, 0, describe="x=0")


def test_an_exception_in_the_learners_function_is_reported_with_the_hint():
    with pytest.raises(Failure, match=r"^for x=0 your function raised ZeroDivisionError: division by zero\.\n"
                                      r"   Hint: h$"):
        call(lambda x: 1 / x, 0, describe="x=0", hint="h")


# --- every chapter's checkers, from the chapters' tables ------------------------------------------

def _chapter_tests(chapter):
    """The chapter's test module (tests/unit/test_chNN.py), or None while it has none."""
    name = f"{__package__}.test_{chapter[:4]}"
    return importlib.import_module(name) if importlib.util.find_spec(name) else None


#: The chapters whose test file holds RIGHT_ANSWERS and WRONG_ANSWERS.
TABLED = [chapter for chapter in book.CHAPTERS if hasattr(_chapter_tests(chapter), "WRONG_ANSWERS")]
RIGHT = {f"{chapter[:4]}-{key}": check for chapter in TABLED
         for key, check in _chapter_tests(chapter).RIGHT_ANSWERS.items()}
WRONG = {f"{chapter[:4]}-{key}": case for chapter in TABLED
         for key, case in _chapter_tests(chapter).WRONG_ANSWERS.items()}


def _checkers(chapter):
    """The names of a chapter module's checkers (``check_...`` functions)."""
    module = book.chapter(chapter)
    return {name for name, value in vars(module).items() if name.startswith("check_") and inspect.isfunction(value)}


def _called(check):
    """The names of the checkers a table's entry calls."""
    return {name for name in check.__code__.co_names if name.startswith("check_")}


def test_the_tabled_chapters_are_at_least_those_of_chapters_0_1_4_and_6():
    assert {"ch00_introduction", "ch01_neurons", "ch04_gradient_descent", "ch06_optimizers"} <= set(TABLED)


@pytest.mark.parametrize("check", RIGHT.values(), ids=RIGHT.keys())
def test_right_answer_passes_with_a_tick(check, capsys):
    assert_ticks(check, capsys)


@pytest.mark.parametrize("check, diagnosis", WRONG.values(), ids=WRONG.keys())
def test_wrong_answer_fails_with_its_own_diagnosis(check, diagnosis, capsys):
    assert_diagnosis(check, diagnosis, capsys)


@pytest.mark.parametrize("chapter", TABLED)
def test_wrong_answers_with_different_diagnoses_get_different_messages(chapter, capsys):
    messages = {}
    for check, diagnosis in _chapter_tests(chapter).WRONG_ANSWERS.values():
        messages.setdefault(check().message, set()).add(diagnosis)
    capsys.readouterr()
    assert [d for d in messages.values() if len(d) > 1] == []


@pytest.mark.parametrize("chapter", TABLED)
def test_every_checker_has_a_right_and_a_wrong_answer_in_the_tables(chapter):
    tests = _chapter_tests(chapter)
    right = set().union(*map(_called, tests.RIGHT_ANSWERS.values()))
    wrong = set().union(*(_called(check) for check, _ in tests.WRONG_ANSWERS.values()))
    assert _checkers(chapter) - right == set(), "checkers without a right answer"
    assert _checkers(chapter) - wrong == set(), "checkers without a wrong answer"
