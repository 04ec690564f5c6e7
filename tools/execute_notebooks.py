"""Re-run chapter notebooks top to bottom in a fresh kernel and save their outputs.

    python tools/execute_notebooks.py                       # every chapter
    python tools/execute_notebooks.py chapters/01_neurons.ipynb

This is how committed outputs are refreshed; `make test` (nbval) then checks that a fresh
run reproduces them. Widget state is not stored: the website shows each demo's static
fallback, and a live kernel rebuilds the widgets anyway.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path):
    """Execute one notebook in place; return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=300, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps would make every run a diff
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    return seconds


def main(paths):
    paths = [Path(p).resolve() for p in paths] or sorted((ROOT / "chapters").glob("*.ipynb"))
    for path in paths:
        print(f"{execute(path):6.1f} s  {path.relative_to(ROOT)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
