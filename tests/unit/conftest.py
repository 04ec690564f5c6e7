"""Shared fixtures for the library's unit tests."""

import os

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot: no display in CI

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def rng():
    """A fresh, seeded generator per test: the same numbers on every run."""
    return np.random.default_rng(0)


@pytest.fixture(scope="session", autouse=True)
def _ipython_dir(tmp_path_factory):
    """DemoWidget.redraw calls InteractiveShell.instance(), which outside a kernel creates a
    shell with a history database; keep that out of the user's ~/.ipython."""
    previous = os.environ.get("IPYTHONDIR")
    os.environ["IPYTHONDIR"] = str(tmp_path_factory.mktemp("ipython"))
    yield
    if previous is None:
        del os.environ["IPYTHONDIR"]
    else:
        os.environ["IPYTHONDIR"] = previous
