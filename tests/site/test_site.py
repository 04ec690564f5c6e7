"""The built website, checked as a reader's browser sees it."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from tests.site.conftest import ROOT



def test_book_builds_without_warnings(book_build):
    warnings = [line for line in book_build.output.splitlines() if "WARNING" in line and "[IPKernelApp]" not in line]
    assert book_build.returncode == 0, book_build.output[-4000:]
    assert warnings == []


def _toc_pages():
    """Every page _toc.yml lists, as the path of its built HTML file."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    return [f"{name}.html" for name in files]


PAGES = _toc_pages()


def test_every_page_of_the_toc_was_built(site):
    built = {str(p.relative_to(site)) for p in site.rglob("*.html")}
    assert set(PAGES) <= built


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_javascript_errors(visit, path):
    result = visit(path)
    assert result.errors == []
    assert result.blocked == [], "the page requests scripts from outside; add a local copy to CDN_COPIES"


@pytest.mark.parametrize("path", PAGES)
def test_math_is_typeset(visit, path):
    page = visit(path).page
    page.wait_for_function("() => !window.MathJax || !MathJax.startup || MathJax.startup.promise")
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    leftovers = page.evaluate(
        r"""() => Array.from(document.querySelectorAll('article .math, article span.math, article div.math'))
               .filter(el => !el.querySelector('mjx-container')).map(el => el.textContent.slice(0, 60))"""
    )
    assert leftovers == []
    text = page.inner_text("article")
    assert not re.search(r"\\\(|\\\[|\$\$", text), "raw TeX delimiters left on the page"


@pytest.mark.parametrize("path", PAGES)
def test_images_load_and_have_alt_text(visit, path):
    page = visit(path).page
    images = page.evaluate(
        """() => Array.from(document.querySelectorAll('article img')).map(img => ({
               src: img.src.slice(0, 80), alt: img.getAttribute('alt') || '',
               loaded: img.complete && (img.naturalWidth > 0 || img.style.display === 'none'
                                        || img.closest('[style*="display:none"], [style*="display: none"]') !== null)}))"""
    )
    for image in images:
        assert image["loaded"], f"image did not load: {image['src']}"
        assert len(image["alt"]) > 15 and not image["alt"].endswith(".png"), f"missing alt text: {image}"


@pytest.mark.parametrize("path", PAGES)
def test_no_dead_widget_controls(visit, path):
    page = visit(path).page
    dead = page.evaluate(
        """() => ({
            widgets: document.querySelectorAll('.jupyter-widgets, .widget-slider, script[type="application/vnd.jupyter.widget-view+json"]').length,
            stray_inputs: Array.from(document.querySelectorAll('article input, article select'))
                .filter(el => !el.closest('.nnbook-demo') && el.type !== 'checkbox').length})"""
    )
    assert dead == {"widgets": 0, "stray_inputs": 0}


def test_chapter_1_fallback_scrubber_changes_the_figure(visit):
    page = visit("chapters/01_neurons.html").page
    demo = page.locator(".nnbook-demo").first
    assert demo.locator(".nnbook-demo-frame").count() >= 5
    visible_src = """d => Array.from(d.querySelectorAll('.nnbook-demo-frame'))
                          .filter(f => f.style.display !== 'none').map(f => f.querySelector('img').src)"""
    before = demo.evaluate(visible_src)
    assert len(before) == 1
    scrubber = demo.locator("input.nnbook-scrubber")
    scrubber.evaluate("el => { el.value = 3; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    after = demo.evaluate(visible_src)
    assert len(after) == 1 and after != before
    assert "Setting 4 of" in demo.locator(".nnbook-demo-frame:visible figcaption").inner_text()


def test_solutions_are_hidden_until_opened(visit):
    page = visit("chapters/01_neurons.html").page
    solutions = page.locator(".solution")
    assert solutions.count() >= 4
    for index in range(solutions.count()):
        body = solutions.nth(index).locator(".solution-content, section").first
        assert not body.is_visible()


def test_a_cell_that_raises_fails_the_build(tmp_path):
    """The strict build must not publish a page whose code is broken."""
    for name in ("_config.yml", "references.bib"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "_ext", tmp_path / "_ext")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: broken\n")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Broken"), nbformat.v4.new_code_cell("1 / 0")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "broken.ipynb")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    completed = subprocess.run([str(jupyter_book), "build", str(tmp_path), "--all", "-W", "-n", "--keep-going"],
                               capture_output=True, text=True)
    assert completed.returncode != 0
    assert "ZeroDivisionError" in completed.stdout + completed.stderr


def test_live_code_kernel_starts_next_to_the_notebook(site):
    """Thebe's kernel must run in the chapter's own folder (a wrong path breaks relative files)."""
    page = (site / "chapters" / "01_neurons.html").read_text()
    config = re.search(r'<script type="text/x-thebe-config">(.*?)</script>', page, re.S).group(1)
    assert re.search(r'repo:\s*"nnbook/nnbook"', config)
    path = re.search(r'path:\s*"([^"]*)"', config).group(1)
    assert Path(path) == Path("chapters")
