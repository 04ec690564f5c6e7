"""Repository-wide pytest hooks: another BLAS kernel for the notebooks, and the timing report
printed at the end of `make test`."""

import collections
import os
import platform
from pathlib import Path

from tests.timing import STEP_SECONDS

NOTEBOOK_BUDGET_SECONDS = 30.0
_seconds_by_notebook = collections.defaultdict(float)


#: The notebooks' committed outputs are made with numpy's OpenBLAS as it picks itself (the
#: machine's own kernel, several threads). nbval re-runs them under another kernel and one
#: thread, as on another CPU: an output that depends on round-off fails here, not on a
#: reader's machine. (Kernels started by nbval inherit these variables; OpenBLAS reads them
#: when numpy loads, so this pytest process itself is unaffected.)
OTHER_BLAS = {"OPENBLAS_CORETYPE": "Prescott", "OPENBLAS_NUM_THREADS": "1"}


def pytest_configure(config):
    if config.getoption("nbval", default=False) and platform.machine() in ("x86_64", "AMD64"):
        for name, value in OTHER_BLAS.items():
            os.environ.setdefault(name, value)


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
