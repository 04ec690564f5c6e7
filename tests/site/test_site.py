"""The built website, checked as a reader's browser sees it."""

import base64
import io
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import yaml
from PIL import Image

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
def test_page_loads_without_javascript_errors(loaded, path):
    result = loaded(path)
    assert result.errors == []
    assert result.blocked == [], "the page requests scripts from outside; add a local copy to CDN_COPIES"


#: Formulas MathJax could not typeset: an error box (`mjx-merror`, with its message in
#: `data-mjx-error`), "Math input error", or an undefined macro drawn in red (noundefined).
_MATH_ERRORS = r"""() => {
  const source = new Map();  // each container's TeX, from MathJax's own list
  for (const item of (window.MathJax && MathJax.startup && MathJax.startup.document
                      ? Array.from(MathJax.startup.document.math) : []))
    source.set(item.typesetRoot, item.math);
  return Array.from(document.querySelectorAll('article mjx-container')).flatMap(c => {
    const box = c.querySelector('mjx-merror, [data-mjx-error]');
    const red = Array.from(c.querySelectorAll('[style*="color"]'))
        .filter(el => getComputedStyle(el).color === 'rgb(255, 0, 0)');
    const where = source.has(c) ? source.get(c).slice(0, 80)
        : (c.closest('p, li, td, dt, dd, div.math, figcaption') || c.parentNode).textContent.trim().slice(0, 80);
    if (box) return [`error box "${box.getAttribute('data-mjx-error') || box.textContent}" in: ${where}`];
    if (c.textContent.includes('Math input error')) return [`Math input error in: ${where}`];
    if (red.length) return [`red (undefined) in: ${where}`];
    return [];
  });
}"""


def _math_problems(page):
    """What is wrong with the page's math once MathJax is done: untypeset formulas, raw TeX
    delimiters, formulas MathJax drew as errors (an empty list when all is well)."""
    page.wait_for_function("() => !window.MathJax || !MathJax.startup || MathJax.startup.promise")
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    leftovers = page.evaluate(
        r"""() => Array.from(document.querySelectorAll('article .math, article span.math, article div.math'))
               .filter(el => !el.querySelector('mjx-container')).map(el => el.textContent.slice(0, 60))"""
    )
    problems = [f"not typeset: {text}" for text in leftovers]
    if re.search(r"\\\(|\\\[|\$\$", page.inner_text("article")):
        problems.append("raw TeX delimiters left on the page")
    return problems + page.evaluate(_MATH_ERRORS)


@pytest.mark.parametrize("path", PAGES)
def test_math_is_typeset(loaded, path):
    assert _math_problems(loaded(path).page) == []


def _add_formulas(*tex):
    """A rewrite for visit(): these formulas, typeset by the page's own MathJax, open its article."""
    spans = "".join(f'<p><span class="math notranslate nohighlight">\\({t}\\)</span></p>' for t in tex)
    return lambda body: body.replace(b'<article class="bd-article">', b'<article class="bd-article">' + spans.encode(), 1)


def test_the_math_check_fails_on_mathjax_errors(visit):
    """A formula MathJax cannot parse (an error box) or a macro it does not know (red text)
    fails the math check; the page's own formulas still pass."""
    page = visit("chapters/notation.html",
                 rewrite={"chapters/notation.html": _add_formulas(r"x^^2", r"\nosuchmacro x")}).page
    problems = _math_problems(page)
    assert len(problems) == 2, problems
    assert problems[0] == 'error box "Missing open brace for superscript" in: x^^2'
    assert problems[1] == "red (undefined) in: \\nosuchmacro x"


def test_the_math_check_fails_on_an_unclosed_brace(visit):
    """MathJax leaves $\\frac{$ as raw text (its closing delimiter sits inside the open
    brace): the untypeset and raw-delimiter checks catch it."""
    page = visit("chapters/notation.html", rewrite={"chapters/notation.html": _add_formulas(r"\frac{")}).page
    assert _math_problems(page) == ["not typeset: \\(\\frac{\\)", "raw TeX delimiters left on the page"]


#: Every image of the article, hidden demo frames included: its file fetched (no cache) and
#: decoded by the browser from those bytes, at the size its width/height attributes state;
#: the bytes come back too (base64), for a strict decode in Python (Chromium draws a WebP
#: cut short as far as it goes, grey below, without an error).
_DECODE_IMAGES = """() => Promise.all(Array.from(document.querySelectorAll('article img')).map(async img => {
    const report = {src: (img.getAttribute('src') || '').slice(0, 80), alt: img.getAttribute('alt') || '',
                    hidden: img.closest('[hidden]') !== null || img.getClientRects().length === 0,
                    shown_loaded: img.complete && img.naturalWidth > 0, error: null, type: '', data: ''};
    try {
        const response = await fetch(img.src, {cache: 'no-store'});
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const blob = await response.blob();
        report.type = blob.type;
        report.data = await new Promise((resolve, reject) => {
            const reader = new FileReader();
            reader.onload = () => resolve(reader.result.slice(reader.result.indexOf(',') + 1));
            reader.onerror = () => reject(reader.error);
            reader.readAsDataURL(blob);
        });
        const url = URL.createObjectURL(blob);
        const copy = new Image();
        copy.src = url;
        try { await copy.decode(); } finally { URL.revokeObjectURL(url); }
        if (copy.naturalWidth === 0) throw new Error('decoded to an empty image');
        const width = img.getAttribute('width'), height = img.getAttribute('height');
        if (width && height && (+width !== copy.naturalWidth || +height !== copy.naturalHeight))
            throw new Error(`decoded ${copy.naturalWidth}x${copy.naturalHeight}, the page says ${width}x${height}`);
    } catch (error) {
        report.error = String(error.message || error);
    }
    return report;
}))"""


def _image_problems(page):
    """Images that do not decode (hidden or lazy frames too), shown ones that did not load,
    and images without real alt text: missing, a placeholder, or one alt for several
    images (an empty list when all is well)."""
    problems, alts = [], {}
    for image in page.evaluate(_DECODE_IMAGES):
        if not image["error"] and image["type"] != "image/svg+xml":
            image["error"] = _strict_decode_error(base64.b64decode(image["data"]))
        if image["error"]:
            problems.append(f"does not decode ({image['error']}): {image['src']}")
        elif not image["hidden"] and not image["shown_loaded"]:
            problems.append(f"shown but not loaded: {image['src']}")
        if len(image["alt"]) <= 15 or image["alt"].endswith(".png"):
            problems.append(f"missing alt text: {image['src']} ({image['alt']!r})")
        elif _PLACEHOLDER.search(image["alt"]):
            problems.append(f"placeholder alt text: {image['src']} ({image['alt'][:60]!r})")
        alts.setdefault(image["alt"], set()).add(image["src"])
    for alt, sources in alts.items():
        if len(sources) > 1 and len(alt) > 15:
            problems.append(f"{len(sources)} different images share one alt text (each should say what it shows): {alt[:60]!r}")
    return problems


#: Alt text not written yet.
_PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|placeholder|lorem ipsum)\b", re.I)


def _strict_decode_error(data):
    """Why Pillow cannot decode these bytes to the last pixel, or None."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception as error:  # noqa: BLE001 - any decoder error is the finding
        return f"Pillow: {error}"
    return None


@pytest.mark.parametrize("path", PAGES)
def test_images_decode_and_have_alt_text(loaded, path):
    assert _image_problems(loaded(path).page) == []


def _a_hidden_frame(site, path):
    """The file (a path under the site) of a demo frame the page does not show at load."""
    html = (site / path).read_text()
    hidden = re.search(r'<figure class="nnbook-demo-frame"[^>]*\bhidden\b[^>]*>\s*<img[^>]*?src="([^"]+)"', html)
    assert hidden, f"{path} has no hidden demo frame"
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), hidden.group(1)))


@pytest.mark.parametrize("fault", ["truncated", "not an image"])
def test_the_image_check_fails_on_a_broken_hidden_frame(visit, site, fault):
    """A hidden (lazy) frame whose file is cut short or is not an image fails the image check."""
    path = "chapters/01_neurons.html"
    frame = _a_hidden_frame(site, path)

    def damage(body):
        return body[: len(body) // 3] if fault == "truncated" else b"<html>Not found</html>"

    problems = _image_problems(visit(path, rewrite={frame: damage}).page)
    assert len(problems) == 1 and problems[0].startswith("does not decode"), problems
    assert posixpath.basename(frame) in problems[0]


@pytest.mark.parametrize("path", PAGES)
def test_no_dead_widget_controls(loaded, path):
    page = loaded(path).page
    dead = page.evaluate(
        """() => ({
            widgets: document.querySelectorAll('.jupyter-widgets, .widget-slider, script[type="application/vnd.jupyter.widget-view+json"]').length,
            stray_inputs: Array.from(document.querySelectorAll('article input, article select'))
                .filter(el => !el.closest('.nnbook-demo') && el.type !== 'checkbox').length})"""
    )
    assert dead == {"widgets": 0, "stray_inputs": 0}


DEMO_PAGES = [path for path in PAGES if re.match(r"chapters/\d\d_", path)]

#: What a demo shows now: the one visible frame's image and caption, every control's value.
_DEMO_STATE = """d => ({
    frames: Array.from(d.querySelectorAll('.nnbook-demo-frame'))
        .filter(f => f.getClientRects().length > 0)
        .map(f => ({src: f.querySelector('img') ? f.querySelector('img').src : f.textContent,
                    caption: (f.querySelector('figcaption') || {}).textContent || ''})),
    values: Array.from(d.querySelectorAll('.nnbook-demo-control')).map(c => ({
        name: (c.querySelector('.nnbook-demo-name') || {}).textContent || '',
        shown: (c.querySelector('output') || {}).textContent || '',
        valuetext: c.querySelector('input').getAttribute('aria-valuetext')}))})"""


#: An element the Tab key reaches: in the tab order, enabled, shown, not inert.
_IN_TAB_ORDER = """el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0
                         && !el.closest('[inert], [aria-hidden="true"]')"""


@pytest.mark.parametrize("path", DEMO_PAGES)
def test_every_demo_control_moves_the_figure_and_its_value(visit, path):
    """Issue 9: each range input of every demo, reached by the Tab key and moved by a key
    press, changes what is shown (issue 22: every static control works from the keyboard)."""
    page = visit(path).page
    demos = page.locator("article .nnbook-demo")
    for d in range(demos.count()):
        demo = demos.nth(d)
        demo.scroll_into_view_if_needed()
        inputs = demo.locator(".nnbook-demo-control input[type=range]")
        assert inputs.count() >= 1, f"demo {d} of {path} has no control"
        for k in range(inputs.count()):
            control = inputs.nth(k)
            where = f"control {k} of demo {d} on {path}"
            before = demo.evaluate(_DEMO_STATE)
            assert len(before["frames"]) == 1, f"demo {d} of {path} shows {len(before['frames'])} frames"
            assert control.evaluate(_IN_TAB_ORDER), f"{where} cannot be reached with the Tab key"
            at_max = control.evaluate("el => +el.value === +el.max")
            control.focus()
            page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
            after = demo.evaluate(_DEMO_STATE)
            assert len(after["frames"]) == 1, f"{where}: {len(after['frames'])} frames shown"
            assert after["frames"][0]["src"] != before["frames"][0]["src"], f"{where} is dead: the figure did not change"
            moved_before, moved_after = before["values"][k], after["values"][k]
            assert moved_after["name"].strip(), f"{where} has no label"
            assert moved_after["shown"] != moved_before["shown"], f"{where}: the shown value did not change"
            assert moved_after["valuetext"] == moved_after["shown"], f"{where}: aria-valuetext is stale"
            assert [v for i, v in enumerate(after["values"]) if i != k] == \
                   [v for i, v in enumerate(before["values"]) if i != k], f"{where} changed another control"
            page.keyboard.press("ArrowRight" if at_max else "ArrowLeft")  # put it back
            assert demo.evaluate(_DEMO_STATE) == before, f"{where}: moving back does not restore the view"


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


def test_live_code_is_off(site):
    """Thebe ("Live Code") is not offered: it is untested, and the rocket menu's Binder runs pages live."""
    for path in PAGES:
        page = (site / path).read_text()
        assert "thebe-launch-button" not in page and "Live Code" not in page, path


def test_the_landing_page_starts_a_learner_at_chapter_0(visit):
    page = visit("intro.html").page
    text = page.inner_text("article")
    assert text.index("Start with chapter 0") < text.index("Three ways to use this book")
    assert "git clone https://github.com/nnbook/nnbook.git" in text
    assert page.locator("article a[href*='mybinder.org']").count() >= 1
    page.locator("article a.sd-btn", has_text="Start with chapter 0").click()
    page.wait_for_url("**/chapters/00_introduction.html")


#: Every card of a page: the path its link opens, the link's name, the title shown, its image.
_CARDS = """() => Array.from(document.querySelectorAll('article .sd-card')).map(card => {
    const link = card.querySelector('a.sd-stretched-link'), img = card.querySelector('img.sd-card-img-top');
    return {path: link ? new URL(link.href).pathname.replace(/^\\//, '') : '', name: link ? link.textContent.trim() : '',
            title: (card.querySelector('.sd-card-title') || {textContent: ''}).textContent.trim(),
            image: !!img && img.complete && img.naturalWidth > 0};
})"""


def test_the_landing_page_maps_every_chapter_with_a_card(visit):
    """Issue 22, part 3: a card per chapter, its thumbnail shown, the whole card a link named
    by the title it shows (tests/notebooks/test_landing.py checks the source)."""
    page = visit("intro.html").page
    cards = {card["path"]: card for card in page.evaluate(_CARDS)}
    for path in [p for p in PAGES if re.match(r"chapters/\d\d_", p)]:
        assert path in cards, f"no card on the landing page opens {path}"
        card = cards[path]
        assert card["image"], f"the card of {path} shows no thumbnail"
        assert card["title"] and card["name"] == card["title"], f"the card of {path}: link named {card['name']!r}"
    image = page.locator("article .sd-card", has_text="7. Training in practice").locator("img")
    image.scroll_into_view_if_needed()
    box = image.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a click anywhere on the card
    page.wait_for_url("**/chapters/07_training.html")


_CHAPTER_MENTION = re.compile(r"\b[Cc]hapters? ((?:\d+(?:, | and | to |-|–))*\d+)")

#: A separator after which a number ends a range ("chapters 3 to 6"), not a list ("2 and 5").
_RANGE = re.compile(r"-|–| to ")


def unlinked_chapter_mentions(pieces, chapter_of):
    """The mentions of a chapter ("chapter 5", "chapters 2 and 5", "chapters 3 to 6") that are not
    links to that chapter, with some context. `pieces` is the prose in reading order, as
    (text, href) pairs (href None outside a link; headings, code and math already left out);
    `chapter_of(href)` is the number of the chapter a link points to, or None.

    Every number of a mention must lie inside a link to its own chapter, except the end of a
    range, which may share the link of the range's start: "[chapters 3 to 6](03_networks.ipynb)"
    and "chapters [2](02_activations.ipynb) and [5](05_backpropagation.ipynb)" both pass.
    """
    text, hrefs = "", []
    for piece, href in pieces:
        piece = re.sub(r"\s+", " ", piece)
        if text.endswith(" ") and piece.startswith(" "):
            piece = piece[1:]
        text += piece
        hrefs += [href] * len(piece)
    bad = []
    for mention in _CHAPTER_MENTION.finditer(text):
        previous, previous_end = None, None
        for number in re.finditer(r"\d+", mention.group(1)):
            start, end = mention.start(1) + number.start(), mention.start(1) + number.end()
            allowed = {int(number.group(0))}
            if previous is not None and _RANGE.fullmatch(text[previous_end:start]):
                allowed.add(previous)
            targets = {chapter_of(href) if href else None for href in hrefs[start:end]}
            if len(targets) != 1 or not targets <= allowed:
                bad.append(text[max(0, mention.start() - 40):mention.end() + 40])
                break
            previous, previous_end = int(number.group(0)), end
    return bad


class _ArticleProse(HTMLParser):
    """The prose of a built page's article as (text, href) pieces: headings, code, cell outputs
    (what code printed or drew), bibliography entries and scripts left out."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    SKIP_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "script", "style", "mjx-container"}
    #: what code printed or drew; a heading's link; a bibliography entry (a chapter of another work)
    SKIP_CLASSES = {"cell_output", "headerlink", "citation"}

    def __init__(self):
        super().__init__()
        self.pieces, self.stack, self.inside = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.inside = True
        if tag in self.VOID or not self.inside:
            return
        classes = set((attrs.get("class") or "").split())
        skip = tag in self.SKIP_TAGS or bool(classes & self.SKIP_CLASSES)
        self.stack.append((tag, attrs.get("href") if tag == "a" else None, skip))

    def handle_endtag(self, tag):
        if tag == "article":
            self.inside = False
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self.inside or any(skip for _, _, skip in self.stack):
            return
        hrefs = [href for tag, href, _ in self.stack if href]
        self.pieces.append((data, hrefs[-1] if hrefs else None))


def article_prose(html):
    """(text, href) pieces of the article of a built page (see _ArticleProse)."""
    parser = _ArticleProse()
    parser.feed(html)
    return parser.pieces


def _chapter_of_href(page):
    """For a page (a path under the site): the chapter number a link's href points to, or None."""
    def chapter_of(href):
        if re.match(r"[a-z]+:", href):
            return None  # another site
        path = href.split("#")[0]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
        found = re.fullmatch(r"chapters/(\d+)_[^/]*\.html", target)
        return int(found.group(1)) if found else None
    return chapter_of


@pytest.mark.parametrize("path", PAGES)
def test_every_chapter_mention_is_a_link_to_that_chapter(site, path):
    """Issue 22: every "chapter N" in a page's prose (not in a heading, code or a cell's output)
    is a link to chapter N's page; in "chapters 2 and 5" each number links its own chapter, in
    "chapters 3 to 6" the range may be one link to its first chapter."""
    html = (site / path).read_text()
    assert unlinked_chapter_mentions(article_prose(html), _chapter_of_href(path)) == []


def test_the_mention_check_fails_on_a_missing_or_wrong_link():
    def bad(html, page="chapters/07_training.html"):
        return unlinked_chapter_mentions(article_prose(f"<article>{html}</article>"), _chapter_of_href(page))
    assert bad('<p>As <a href="05_backpropagation.html#x">chapter 5</a> showed.</p>') == []
    assert bad('<p>Chapters <a href="02_a.html">2</a> and <a href="05_b.html">5</a>; '
               '<a href="03_c.html">chapters 3 to 6</a>.</p>') == []
    assert bad("<h2>Back to chapter 5</h2><pre>chapter 5</pre>"
               '<div class="cell_output">chapter 5</div><p>this <a href="#here">section</a></p>') == []
    assert bad('<p>See <a href="#later">chapter 7</a>, this page.</p>') == []
    assert bad('<div class="citation"><p>Nielsen, chapter 5: why are deep networks hard to train?</p></div>') == []
    assert len(bad("<p>As chapter 5 showed.</p>")) == 1
    assert len(bad('<p>As <a href="04_gradient_descent.html">chapter 5</a> showed.</p>')) == 1
    assert len(bad('<p>Chapters <a href="02_a.html">2</a> and 5.</p>')) == 1
    assert len(bad('<p><a href="02_a.html">Chapters 2 and 5</a>.</p>')) == 1


def _unwritten_chapters_mentioned(text, written):
    """Mentions of a chapter not in the book yet without '(to come)' right after, or of a
    written chapter still announced as 'to come' (the glossary's notes, once it lands)."""
    text = re.sub(r"\s+", " ", text)
    bad = []
    for match in _CHAPTER_MENTION.finditer(text):
        numbers = {int(n) for n in re.findall(r"\d+", match.group(1))}
        to_come = "to come" in text[match.end():match.end() + 40]
        if (numbers - written and not to_come) or (to_come and numbers <= written):
            bad.append(text[max(0, match.start() - 40):match.end() + 40])
    return bad


def test_no_page_points_to_a_chapter_that_is_not_written(site):
    """Issue 12, point 8: chapters 6-9 are announced as 'to come' until they exist, and no longer after."""
    written = {int(re.match(r"chapters/(\d+)_", p).group(1)) for p in PAGES if re.match(r"chapters/\d+_", p)}
    bad = {}
    for path in PAGES:
        article = re.search(r"<article.*?</article>", (site / path).read_text(), re.S).group(0)
        found = _unwritten_chapters_mentioned(re.sub(r"<[^>]+>", " ", article), written)
        if found:
            bad[path] = found
    found = _unwritten_chapters_mentioned((ROOT / "README.md").read_text(), written)
    if found:
        bad["README.md"] = found
    assert bad == {}, "see /tmp/team/notebook_edits_from_website.md for the chapters' wording"


def test_readers_install_no_authors_tools():
    """requirements.txt (make lab, Binder) is a reader's set; the book and the tests are dev-only."""
    def names(path):
        lines = [line.split("#")[0].strip() for line in (ROOT / path).read_text().splitlines()]
        return {re.split(r"[<>=!~\[ ]", line)[0].lower() for line in lines if line and not line.startswith("-")}
    reader, dev = names("requirements.txt"), names("requirements-dev.txt")
    authors = {"jupyter-book", "sphinx-exercise", "sphinxcontrib-bibtex", "sphinx-book-theme", "pytest", "nbval", "playwright"}
    assert reader & authors == set()
    assert authors <= dev
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text()
    assert "-e ." in (ROOT / "requirements.txt").read_text().splitlines()
