"""Every chapter notebook follows the book's conventions (the ones a reviewer would check).

nbval (run over chapters/) checks that the outputs reproduce; these tests check the shape
of each chapter: executed, accessible, self-checking, linked.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.site.test_site import unlinked_chapter_mentions

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
            assert re.search(r"\w+_demo\(|perf_counter|best_seconds\(|%time", source), (
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


def _glossary():
    """The glossary's entries: {name in lower case: the entry's name and definition}."""
    text = (ROOT / "chapters" / "glossary.md").read_text()
    block = re.search(r"^```\{glossary\}\n(.*?)^```", text, re.S | re.M).group(1)
    entries = re.findall(r"^(\S[^\n]*)\n((?:[ \t]+[^\n]*\n?|\n)*)", block, re.M)
    return {name.strip().lower(): f"{name}\n{body}" for name, body in entries}


def _term_targets(markdown):
    """The glossary entry each {term} role of this markdown points to (lower case): the role's
    text, or its explicit target in {term}`text <Target>`; line breaks count as spaces."""
    targets = []
    for match in re.findall(r"\{term\}`([^`]+)`", markdown):
        target = re.search(r"<([^>]+)>\s*$", match)
        targets.append(" ".join((target.group(1) if target else match).split()).lower())
    return targets


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_glossary_links_resolve(path):
    terms = _glossary()
    for term in _term_targets(_markdown(path)):
        assert term in terms, f"{{term}} {term!r} is not in the glossary"


def test_term_targets_read_every_form_of_the_role():
    assert _term_targets("a {term}`neuron`, {term}`weights <weight>`, {term}`linearly separable\n<linear separability>`"
                         " and {term}`Fully connected\nlayer`") == [
        "neuron", "weight", "linear separability", "fully connected layer"]


#: Section G of the curriculum: every term, with the synonyms the curriculum gives it in
#: parentheses (the entry must name them too).
CURRICULUM_TERMS = {
    "neuron": ["node"], "connection": [], "weight": ["parameter"], "bias": ["offset"],
    "activation function": ["transfer function"], "input layer": [], "hidden layer": [], "output layer": [],
    "fully connected layer": [], "input shape": [], "forward propagation": [], "backpropagation": [],
    "loss function": [], "cost function": [], "mean squared error": [], "binary cross-entropy": [],
    "categorical cross-entropy": [], "gradient": [], "gradient descent": [], "learning rate": [],
    "optimizer": [], "sgd": [], "momentum": [], "rmsprop": [], "adam": [], "batch size": [], "iteration": [],
    "epoch": [], "convergence": [], "regularization": [], "normalization": [], "overfitting": [], "dropout": [],
    "accuracy": [], "precision": [], "recall": ["sensitivity"], "f1 score": [], "confusion matrix": [],
    "convolution": [], "kernel": ["filter"], "stride": [], "padding": [], "pooling": [], "feature map": [],
    "receptive field": [], "recurrent neural network": [], "hidden state": [],
    "backpropagation through time": [], "vanishing gradient": [], "exploding gradient": [],
    "universal approximation theorem": [], "perceptron": [], "linear separability": [],
}


def test_the_glossary_defines_every_curriculum_term_and_its_synonyms():
    entries = _glossary()
    assert len(CURRICULUM_TERMS) == 53
    missing = sorted(term for term in CURRICULUM_TERMS if term not in entries)
    assert missing == [], f"no glossary entry for {missing}"
    for term, synonyms in CURRICULUM_TERMS.items():
        for synonym in synonyms:
            assert re.search(rf"\b{synonym}\b", entries[term], re.I), f"the entry {term!r} does not name {synonym!r}"


def test_every_glossary_entry_is_linked_from_a_chapter():
    """A term no chapter links is a definition no reader is sent to (issue 22)."""
    linked = {term for path in CHAPTERS for term in _term_targets(_markdown(path))}
    unlinked = sorted(set(_glossary()) - linked)
    assert unlinked == [], f"link these from the chapter that first uses them: {unlinked}"


def _citations(text):
    return {key.strip() for keys in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text) for key in keys.split(",")}


def _bibliography():
    """references.bib as {key: the entry's text}."""
    bib = (ROOT / "references.bib").read_text()
    return {match.group(1).strip(): match.group(0) for match in re.finditer(r"@\w+\{([^,]+),.*?\n\}", bib, re.S)}


def _pages():
    """The text of every page that can cite: the chapters' markdown, the other pages of chapters/, intro.md."""
    return [_markdown(path) for path in CHAPTERS] + [p.read_text() for p in sorted((ROOT / "chapters").glob("*.md"))] \
        + [(ROOT / "intro.md").read_text()]


def test_every_bibliography_entry_is_cited():
    """The references page lists cited works only ({bibliography} filters the rest out), so
    an entry no page cites silently vanishes: cite it where it is used, or remove it."""
    cited = set().union(*(_citations(text) for text in _pages()))
    uncited = sorted(set(_bibliography()) - cited)
    assert uncited == [], f"references.bib entries no page cites: {uncited}"


#: The works the curriculum lists under "References to cite": key, an author's surname, year.
CURRICULUM_WORKS = [
    ("mcculloch1943", "McCulloch", 1943), ("rosenblatt1958", "Rosenblatt", 1958), ("minsky1969", "Minsky", 1969),
    ("rumelhart1986", "Rumelhart", 1986), ("cybenko1989", "Cybenko", 1989), ("hornik1991", "Hornik", 1991),
    ("lecun1989", "LeCun", 1989), ("hochreiter1991", "Hochreiter", 1991), ("krizhevsky2012", "Krizhevsky", 2012),
    ("simonyan2014", "Simonyan", 2014), ("szegedy2015", "Szegedy", 2015), ("he2016resnet", "He", 2016),
    ("polyak1964", "Polyak", 1964), ("nesterov1983", "Nesterov", 1983), ("sutskever2013", "Sutskever", 2013),
    ("duchi2011", "Duchi", 2011), ("tieleman2012", "Tieleman", 2012), ("kingma2015", "Kingma", 2015),
    ("reddi2018", "Reddi", 2018), ("glorot2010", "Glorot", 2010), ("he2015init", "He", 2015),
    ("srivastava2014", "Srivastava", 2014), ("hochreiter1997", "Hochreiter", 1997), ("cho2014", "Cho", 2014),
]


@pytest.mark.parametrize("key, author, year", CURRICULUM_WORKS, ids=[w[0] for w in CURRICULUM_WORKS])
def test_the_bibliography_holds_every_curriculum_work(key, author, year):
    entry = _bibliography().get(key)
    assert entry is not None, f"{key} ({author} {year}) is missing from references.bib"
    assert re.search(rf"author\s*=\s*\{{[^\n]*\b{author}\b", entry), f"{key}: not by {author}"
    assert re.search(rf"year\s*=\s*\{{?{year}\b", entry), f"{key}: not from {year}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_citations_exist_in_the_bibliography(path):
    bib = (ROOT / "references.bib").read_text()
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    for key in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", _markdown(path)):
        for one in key.split(","):
            assert one.strip() in keys


def _prose_pieces(markdown):
    """A chapter's markdown as (text, link target) pieces, the way the site shows its prose:
    headings, comments, code blocks, inline code and math left out; a link or a {doc} role
    gives its text with its target; other roles give their text."""
    markdown = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    markdown = re.sub(r"^(`{3,}|~{3,})(?!\{).*?^\1\s*$", " ", markdown, flags=re.S | re.M)  # code blocks
    markdown = re.sub(r"^`{3,}\{[^}]*\}[ \t]*", " ", markdown, flags=re.M)  # a directive's title is prose
    markdown = re.sub(r"^#.*$|^\(\S+\)=\s*$|^`{3,}\s*$|^:\w+:.*$", " ", markdown, flags=re.M)
    markdown = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", markdown, flags=re.S)
    token = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<href>[^)\s]*)\)"
                       r"|\{doc\}`(?P<doc_text>[^`<]*)<(?P<doc>[^>`]+)>`"
                       r"|\{\w+(?::\w+)?\}`(?P<role>[^`]*)`|`[^`]*`")
    pieces, last = [], 0
    for match in token.finditer(markdown):
        pieces.append((markdown[last:match.start()], None))
        if match.group("href") is not None:
            pieces.append((match.group("text"), match.group("href")))
        elif match.group("doc"):
            pieces.append((match.group("doc_text"), match.group("doc")))
        elif match.group("role") is not None:
            pieces.append((re.sub(r"<[^>]*>\s*$", "", match.group("role")), None))
        else:
            pieces.append((" ", None))
        last = match.end()
    return pieces + [(markdown[last:], None)]


def _chapter_of_target(target):
    """The chapter number a link from chapters/ points to: 05_backpropagation.ipynb(#...), or the
    {doc} form 05_backpropagation; None for anything else."""
    found = re.fullmatch(r"(?:\./)?(\d\d)_\w+(?:\.ipynb|\.md)?(?:#\S*)?", target)
    return int(found.group(1)) if found else None


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_mention_is_a_link(path):
    """Issue 22: "chapter 5" in prose is [chapter 5](05_backpropagation.ipynb) (headings
    excepted); "chapters 2 and 5" links each number, "chapters 3 to 6" may link the range to
    its first chapter. The site test checks the same on the built pages."""
    assert unlinked_chapter_mentions(_prose_pieces(_markdown(path)), _chapter_of_target) == []


@pytest.mark.parametrize("name", ["glossary.md", "notation.md"])
def test_every_chapter_mention_on_the_reference_pages_is_a_link(name):
    text = (ROOT / "chapters" / name).read_text()
    assert unlinked_chapter_mentions(_prose_pieces(text), _chapter_of_target) == []


def test_the_source_mention_check_fails_on_a_missing_or_wrong_link():
    def bad(markdown):
        return unlinked_chapter_mentions(_prose_pieces(markdown), _chapter_of_target)
    assert bad("As [chapter 5](05_backpropagation.ipynb) and {doc}`chapter 7 <07_training>` show; "
               "chapters [2](02_activations.ipynb) and [5](05_backpropagation.ipynb); "
               "[Chapters 3 to 6](03_networks.ipynb)'s pieces.") == []
    assert bad("## Back to chapter 5\n\n```python\n# chapter 5\n```\n<!-- chapter 5 -->\n$x_{chapter 5}$ `chapter 5`") == []
    assert len(bad("As chapter 5\nshows.")) == 1
    assert len(bad("As [chapter 5](04_gradient_descent.ipynb) shows.")) == 1
    assert len(bad("As [chapter 5](#ch5-label) shows.")) == 1
    assert len(bad("Chapters [2](02_activations.ipynb) and 5.")) == 1
    assert len(bad("````{exercise} After chapter 4\n:label: x\n````")) == 1


#: "The next section", "the previous section", "a later section", "the section below": a
#: cross-reference to a part of the book, which must be a link (a section of a paper is not).
_SECTION_MENTION = re.compile(r"\b(?:next|previous|later|following|earlier) sections?\b|\bsections? (?:below|above)\b", re.I)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_section_cross_reference_is_a_link(path):
    unlinked = []
    for text, href in _prose_pieces(_markdown(path)):
        if href is None:
            unlinked += [text[max(0, m.start() - 40):m.end() + 20] for m in _SECTION_MENTION.finditer(" ".join(text.split()))]
    assert unlinked == [], "link it to the section: (label)= above its heading, then [the next section](#label)"


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
