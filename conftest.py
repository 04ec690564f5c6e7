"""Repository-wide pytest hooks: the notebooks run on a reader's environment and under another
BLAS kernel, and the timing report printed at the end of `make test`."""

import collections
import os
import platform
import sys
from pathlib import Path

import pytest

from tests.timing import NOTES, STEP_SECONDS

NOTEBOOK_BUDGET_SECONDS = 30.0
_seconds_by_notebook = collections.defaultdict(float)


#: The notebooks' committed outputs are made with numpy's OpenBLAS as it picks itself (the
#: machine's own kernel, several threads). nbval re-runs them under another kernel and one
#: thread, as on another CPU: an output that depends on round-off fails here, not on a
#: reader's machine. (Kernels started by nbval inherit these variables; OpenBLAS reads them
#: when numpy loads, so this pytest process itself is unaffected.)
OTHER_BLAS = {"OPENBLAS_CORETYPE": "Prescott", "OPENBLAS_NUM_THREADS": "1"}


#: The Jupyter kernel nbval runs the chapters on (pyproject's addopts): the Python of
#: .venv-reader, which holds requirements.txt alone (what Binder and `make lab` install), so a
#: chapter that needs an author's tool fails here, not for a reader. `make test` creates it.
READER_KERNEL = "nnbook-reader"
NBVAL_KERNEL = pytest.StashKey[str]()


def _reader_kernel_problem():
    """Why the reader's kernel cannot run, or None."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(READER_KERNEL)
    except NoSuchKernel:
        return f"there is no Jupyter kernel {READER_KERNEL!r}"
    if not Path(spec.argv[0]).exists():
        return f"the kernel {READER_KERNEL!r} runs {spec.argv[0]}, which is gone"
    return None


def _choose_nbval_kernel(config):
    """The reader's kernel when it exists; otherwise this environment's, saying so (and never
    under CI, where the check is the point)."""
    option = config.option
    if option.nbval_current_env or option.nbval_kernel_name != READER_KERNEL:
        config.stash[NBVAL_KERNEL] = "this environment's (--nbval-current-env)" if option.nbval_current_env \
            else f"{option.nbval_kernel_name} (--nbval-kernel-name)"
        return
    problem = _reader_kernel_problem()
    if problem is None:
        config.stash[NBVAL_KERNEL] = f"{READER_KERNEL} (.venv-reader: requirements.txt alone)"
        return
    why = f"{problem}; `make test` creates .venv-reader from requirements.txt and registers it"
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"the notebooks must run on a reader's environment: {why}")
    option.nbval_kernel_name, option.nbval_current_env = None, True
    config.stash[NBVAL_KERNEL] = (f"FELL BACK to this environment's, which has the authors' tools ({why}): "
                                  "a chapter that imports one would pass here and fail for a reader")


def pytest_configure(config):
    if not config.getoption("nbval", default=False):
        return
    _choose_nbval_kernel(config)
    if platform.machine() in ("x86_64", "AMD64"):
        for name, value in OTHER_BLAS.items():
            os.environ.setdefault(name, value)


#: Fixtures that need the built site: when a collected test uses one, the build starts at once.
_SITE_FIXTURES = {"book_build", "site", "site_url", "visit"}


def pytest_collection_modifyitems(session, config, items):
    """The site's read-only checks run page by page, sharing one load of each page."""
    if "tests.site.conftest" in sys.modules:
        sys.modules["tests.site.conftest"].order_shared_checks(items)


def pytest_collection_finish(session):
    """Start the strict book build in the background when the site tests will need it, so it
    runs while the unit tests and notebooks do (tests/site/conftest.py waits for it)."""
    if session.config.option.collectonly or not any(_SITE_FIXTURES & set(getattr(item, "fixturenames", ()))
                                                    for item in session.items):
        return
    from tests.site.conftest import start_book_build

    start_book_build()


def pytest_sessionfinish(session):
    if "tests.site.conftest" in sys.modules:
        sys.modules["tests.site.conftest"].stop_book_build()


def pytest_report_header(config):
    if NBVAL_KERNEL in config.stash:
        return f"notebooks (nbval) run on the kernel: {config.stash[NBVAL_KERNEL]}"
    return None


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _seconds_by_notebook[path] += report.duration  # setup (kernel start) + call + teardown


def pytest_terminal_summary(terminalreporter, config):
    steps, notes = config.stash.get(STEP_SECONDS, {}), config.stash.get(NOTES, [])
    if not (_seconds_by_notebook or steps or notes):
        return
    write = terminalreporter.write_line
    terminalreporter.section("timing")
    for step, seconds in steps.items():
        write(f"{seconds:7.1f} s  {step}")
    for line in notes:
        write(line)
    if not _seconds_by_notebook:
        return
    write(f"notebooks (nbval: a fresh kernel, top to bottom), kernel {config.stash.get(NBVAL_KERNEL, '?')}:")
    for path, seconds in sorted(_seconds_by_notebook.items()):
        flag = "" if seconds <= NOTEBOOK_BUDGET_SECONDS else f"   OVER the {NOTEBOOK_BUDGET_SECONDS:.0f} s budget"
        write(f"{seconds:7.1f} s  {Path(path).name}{flag}")
    write(f"{sum(_seconds_by_notebook.values()):7.1f} s  total over {len(_seconds_by_notebook)} notebooks")
