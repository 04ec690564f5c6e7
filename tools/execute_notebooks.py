"""Re-run chapter notebooks top to bottom in a fresh kernel and save their outputs.

    python tools/execute_notebooks.py                       # every chapter
    python tools/execute_notebooks.py chapters/01_neurons.ipynb

This is how committed outputs are refreshed; `make test` (nbval) then checks that a fresh
run reproduces them. Demos store their light view (the default figure as one PNG; see
``nnbook.widgets``): no widget state, no random ids, so a re-run with no code change leaves
the files as they were. The website re-executes every notebook and shows the full static
view of each demo; a live kernel shows the widgets.
"""

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from nnbook.widgets import VIEW_VARIABLE

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
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    return seconds


def merge_streams(outputs):
    """One output per run of consecutive prints to the same stream: how a print arrives in
    pieces depends on timing, so unmerged outputs would differ between runs."""
    merged = []
    for output in outputs:
        if (output.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1]["name"] == output["name"]):
            merged[-1]["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def main(paths):
    os.environ[VIEW_VARIABLE] = "light"  # inherited by the kernels started below
    paths = [Path(p).resolve() for p in paths] or sorted((ROOT / "chapters").glob("*.ipynb"))
    for path in paths:
        print(f"{execute(path):6.1f} s  {path.relative_to(ROOT)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
