"""The live view: in JupyterLab a demo shows working ipywidgets controls, not the static preview.

Starts JupyterLab on 127.0.0.1 in a scratch folder, runs a notebook that displays every demo
in nnbook.demos.DEMOS, moves one control of each and checks that the figure is redrawn and
the printed call follows the control.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

from nnbook.demos import DEMOS


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("lab")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("from nnbook import demos, plotting\nplotting.use_book_style()")]
    notebook.cells += [nbformat.v4.new_code_cell(f"demos.DEMOS[{name!r}]()") for name in DEMOS]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "demos.ipynb")
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [str(bin_dir / "jupyter-lab"), "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--allow-root",
         "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={folder}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("JupyterLab did not start within 60 s")
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=20)


def test_every_demo_is_live_in_jupyterlab(browser, lab_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{lab_url}/lab/tree/demos.ipynb")
    page.wait_for_selector(".jp-Notebook .jp-Cell .jp-InputArea-editor", timeout=90_000)
    _run_all_cells_once_the_kernel_is_ready(page)
    outputs = page.locator(".jp-Notebook .jp-Cell .jp-OutputArea")
    for index, name in enumerate(DEMOS, start=1):
        cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
        cell.locator(".widget-readout").first.wait_for(timeout=120_000)
        cell.locator(".jp-OutputArea img").first.wait_for(timeout=30_000)
        assert cell.locator(".nnbook-demo").count() == 0, "JupyterLab showed the static preview, not the widget"
        before = cell.locator(".jp-OutputArea img").first.get_attribute("src")
        last_control = list(DEMOS[name]().controls.values())[-1]
        cell.locator(".widget-readout").last.click()
        page.keyboard.press("Control+A")
        value = last_control.max
        page.keyboard.type(str(value))
        page.keyboard.press("Enter")
        page.wait_for_function(
            "([cell, before]) => { const img = document.querySelectorAll('.jp-Notebook .jp-Cell')[cell]"
            ".querySelector('.jp-OutputArea img'); return img && img.src !== before; }",
            arg=[index, before], timeout=30_000)
        assert f"={value}" in cell.locator(".widget-html-content").last.inner_text()
    assert outputs.count() >= len(DEMOS)
    assert errors == []
    page.close()


def _run_all_cells_once_the_kernel_is_ready(page):
    # A fresh JupyterLab may show the notebook before its kernel accepts requests, and
    # cells "run" then stay unexecuted: wait for "Idle", run all, and retry if nothing ran.
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.jp-StatusBar-TextItem'))"
        ".some(item => item.textContent.includes('Idle'))", timeout=90_000)
    # Retry only while the first cell has not even started ("[ ]:"); once it runs ("[*]:",
    # then "[1]:"), the demos take their time (each draws its static frames too).
    first_prompt = page.locator(".jp-Notebook .jp-Cell").first.locator(".jp-InputPrompt")
    for _ in range(3):
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            expect(first_prompt).not_to_have_text(re.compile(r"\[\s*\]"), timeout=20_000)
            return
        except AssertionError:
            continue
    pytest.fail("the notebook's cells did not run in JupyterLab (kernel never ready)")
