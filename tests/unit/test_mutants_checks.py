"""Behaviours of the checker framework (nnbook.checks) that mutation testing found untested
(tools/mutation.py): what a learner reads when an answer is right or wrong."""

import pytest

from nnbook.checks import Failure, expect_array, expect_number


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
