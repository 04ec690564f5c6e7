"""Helpers for testing the exercise checkers: a right answer ticks, a wrong one gets its diagnosis."""

from nnbook.checks import MESSAGE_WIDTH, CheckResult


def assert_ticks(check, capsys):
    """The checker passes (its CheckResult is true) and prints a tick."""
    result = check()
    assert isinstance(result, CheckResult) and result
    assert capsys.readouterr().out.startswith("✓")


def assert_diagnosis(check, diagnosis, capsys):
    """The checker fails, prints exactly its message (a cross first, lines that fit the page),
    and the message contains ``diagnosis`` (wherever the text wraps)."""
    result = check()
    printed = capsys.readouterr().out
    assert isinstance(result, CheckResult) and not result
    assert printed.startswith("✗") and printed.rstrip("\n") == result.message
    assert diagnosis in " ".join(printed.split())
    assert max(len(line) for line in printed.splitlines()) <= MESSAGE_WIDTH
