"""Behaviours of the checker framework (nnbook.checks) that mutation testing found untested
(tools/mutation.py): what a learner reads when an answer is right or wrong."""

import numpy as np
import pytest

from nnbook.checks import MESSAGE_WIDTH, Failure, call, expect_array, expect_number, report, require_callable


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


def test_expect_array_rejects_an_answer_off_in_the_sixth_digit():
    with pytest.raises(Failure, match=r"^for x=1 expected \[1\.0, 2\.0\], got \[1\.000001, 2\.0\]"):
        expect_array([1.000001, 2.0], [1.0, 2.0], describe="x=1", hint="h")
