"""Every chapter notebook follows the book's conventions (the ones a reviewer would check).

nbval (run over chapters/) checks that the outputs reproduce; these tests check the shape
of each chapter: executed, accessible, self-checking, linked.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
IGNORE_OUTPUT_TAG = "nbval-ignore-output"
MAX_NOTEBOOK_BYTES = 1_000_000  # committed outputs are light: demos keep one PNG


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _code_cells(path):
    return [cell for cell in _cells(path) if cell["cell_type"] == "code"]


def _source(cell):
    return "".join(cell["source"])


def _markdown(path):
    return "\n".join(_source(cell) for cell in _cells(path) if cell["cell_type"] == "markdown")


def test_every_chapter_is_in_the_table_of_contents():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    listed = {chapter["file"] for part in toc["parts"] for chapter in part["chapters"]}
    assert {f"chapters/{path.stem}" for path in CHAPTERS} <= listed


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_was_run_top_to_bottom(path):
    counts = [cell["execution_count"] for cell in _code_cells(path)]
    assert None not in counts, "re-run the notebook (make notebooks) so nbval checks every cell"
    assert counts == list(range(1, len(counts) + 1)), "cells were run out of order"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_committed_errors_or_warnings(path):
    for cell in _code_cells(path):
        for output in cell["outputs"]:
            assert output["output_type"] != "error", _source(cell)[:200]
            if output["output_type"] == "stream":
                assert output["name"] == "stdout", f"stderr output (a warning?) in: {_source(cell)[:200]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_first_code_cell_imports_nnbook_and_sets_the_style(path):
    first = _source(_code_cells(path)[0])
    assert "from nnbook import" in first and "use_book_style()" in first


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_path_hacks_or_downloads(path):
    code = "\n".join(_source(cell) for cell in _code_cells(path))
    for forbidden in ["sys.path", "urlopen", "requests.get", "fetch_openml", "load_dataset("]:
        assert forbidden not in code


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_figure_has_alt_text(path):
    for cell in _code_cells(path):
        if re.search(r"\w+_demo\(\)\s*$", _source(cell)):
            continue  # a demo carries its own alt text (nnbook.widgets.Demo), tested in tests/unit
        if any("image/png" in output.get("data", {}) for output in cell["outputs"]):
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 30, f"figure without alt text: {_source(cell)[:120]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_only_widget_and_timing_cells_skip_output_checks(path):
    for cell in _code_cells(path):
        if IGNORE_OUTPUT_TAG in cell["metadata"].get("tags", []):
            source = _source(cell)
            assert re.search(r"\w+_demo\(|perf_counter|%time", source), (
                f"only widget and timing cells may carry {IGNORE_OUTPUT_TAG}: {source[:120]}")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_objectives_summary_and_exercises(path):
    text = _markdown(path)
    assert "By the end of this chapter you can" in text
    assert "## Summary" in text and "## Exercises" in text
    exercises = re.findall(r"\{exercise\}", text)
    assert len(exercises) >= 3
    assert text.count("{solution-start}") + text.count("{solution}") == len(exercises)
    assert all(":class: dropdown" in block for block in re.findall(r"\{solution(?:-start)?\}[^`]*", text))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_at_least_two_exercises_are_self_checked(path):
    checked = [cell for cell in _code_cells(path) if re.search(r"^ch\.check_\w+\(", _source(cell), re.M)]
    assert len(checked) >= 4, "each self-checked exercise has a learner cell and a solution cell"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_glossary_links_resolve(path):
    glossary = (ROOT / "chapters" / "glossary.md").read_text()
    terms = {line.strip().lower() for line in glossary.splitlines() if line and not line.startswith((" ", "#", "`", "Every"))}
    for match in re.findall(r"\{term\}`([^`]+)`", _markdown(path)):
        target = re.search(r"<([^>]+)>", match)
        term = (target.group(1) if target else match).strip().lower()
        assert term in terms, f"{{term}} {match!r} is not in the glossary"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_citations_exist_in_the_bibliography(path):
    bib = (ROOT / "references.bib").read_text()
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    for key in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", _markdown(path)):
        for one in key.split(","):
            assert one.strip() in keys


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_size_is_reasonable(path):
    assert path.stat().st_size < MAX_NOTEBOOK_BYTES


#: A number printed in scientific notation with an exponent of -13 or below: round-off scale.
TINY = re.compile(r"(?<![\w.])-?\d(?:\.\d+)?e-(?:1[3-9]|[2-9]\d|\d{3})\b")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_round_off_scale_number_in_a_checked_output(path):
    """Round-off differs between CPUs, BLAS kernels and thread counts: print it as a bound."""
    for cell in _code_cells(path):
        if IGNORE_OUTPUT_TAG in cell["metadata"].get("tags", []):
            continue
        for output in cell["outputs"]:
            text = "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
            hit = TINY.search(text)
            assert hit is None, (f"{hit.group(0)} is at round-off scale; print a bound such as '< 1e-12' "
                                 f"instead: {_source(cell)[:120]}")


def test_the_tiny_number_rule_catches_round_off_and_spares_ordinary_numbers():
    assert TINY.search("difference 8.88e-16") and TINY.search("err 4e-300") and TINY.search("x = 1.0e-13")
    assert not TINY.search("lr 1e-3, loss 2.5e-05, bound < 1e-12, id 3e-14x")
