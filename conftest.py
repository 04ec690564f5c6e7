"""Repository-wide pytest hooks: the timing report printed at the end of `make test`."""

import collections
from pathlib import Path

from tests.timing import STEP_SECONDS

NOTEBOOK_BUDGET_SECONDS = 30.0
_seconds_by_notebook = collections.defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _seconds_by_notebook[path] += report.duration  # setup (kernel start) + call + teardown


def pytest_terminal_summary(terminalreporter, config):
    steps = config.stash.get(STEP_SECONDS, {})
    if not (_seconds_by_notebook or steps):
        return
    write = terminalreporter.write_line
    terminalreporter.section("timing")
    for step, seconds in steps.items():
        write(f"{seconds:7.1f} s  {step}")
    if not _seconds_by_notebook:
        return
    write("notebooks (nbval: a fresh kernel, top to bottom):")
    for path, seconds in sorted(_seconds_by_notebook.items()):
        flag = "" if seconds <= NOTEBOOK_BUDGET_SECONDS else f"   OVER the {NOTEBOOK_BUDGET_SECONDS:.0f} s budget"
        write(f"{seconds:7.1f} s  {Path(path).name}{flag}")
    write(f"{sum(_seconds_by_notebook.values()):7.1f} s  total over {len(_seconds_by_notebook)} notebooks")
