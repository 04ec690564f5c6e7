"""nnbook.checks: the checker framework's verdict object.

Each chapter's checkers are tested in that chapter's test file (tests/unit/test_chNN.py),
with right answers and the typical wrong answers a learner writes.
"""

import pytest

from nnbook.checks import CheckResult


# --- CheckResult ---------------------------------------------------------------------------

@pytest.mark.parametrize("passed", [True, False])
def test_check_result_is_truthy_exactly_when_passed(passed):
    assert bool(CheckResult(passed, "message")) is passed


def test_check_result_displays_nothing_in_a_notebook(capsys):
    assert CheckResult(True, "✓ shown once")._ipython_display_() is None
    assert capsys.readouterr().out == ""


def test_check_result_repr_is_its_message():
    assert repr(CheckResult(False, "✗ why")) == "✗ why"
