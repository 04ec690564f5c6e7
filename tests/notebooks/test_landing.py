"""The landing page (intro.md) is a map of the course: a card per chapter (issue 22, part 3).

Each chapter of _toc.yml has a card that links to it, titled as the chapter is, showing its
main figure as a small thumbnail with alt text (drawn by tools/thumbnails.py), and giving its
reading time. These tests read the sources (no build); the built page is checked by the site
tests (tests/site: images decode, links, weight, phones, axe-core).
"""

import importlib.util
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
INTRO = ROOT / "intro.md"
#: The most a thumbnail may weigh (the tool aims at 40 kB; the page shows all of them at once).
MAX_THUMBNAIL_BYTES = 60_000
NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                "fifteen sixteen").split()


def _load_tool():
    spec = importlib.util.spec_from_file_location("thumbnails", ROOT / "tools" / "thumbnails.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _load_tool()


def toc_chapters():
    """The chapter pages of _toc.yml ("chapters/07_training", ...), in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    return [name for name in files if re.fullmatch(r"chapters/\d\d_\w+", name)]


def notebook_title(stem):
    """The first heading of chapters/<stem>.ipynb, or None if the notebook does not exist yet."""
    path = ROOT / "chapters" / f"{stem}.ipynb"
    if not path.exists():
        return None
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^# (.+)$", "".join(cell["source"]), re.M)
            if match:
                return match.group(1).strip()
    return None


_CARD = re.compile(r"^(`{3,})\{grid-item-card\}[ \t]*(?P<title>[^\n]*)\n(?P<options>(?::[\w-]+:[^\n]*\n)*)(?P<body>.*?)^\1[ \t]*$",
                   re.M | re.S)


def cards(text):
    """The grid-item-cards of a MyST page: [{title, options: {name: value}, body}]."""
    found = []
    for match in _CARD.finditer(text):
        options = dict(re.findall(r"^:([\w-]+):[ \t]*(.*)$", match.group("options"), re.M))
        found.append({"title": match.group("title").strip(), "options": options, "body": match.group("body").strip()})
    return found


def landing_problems(text, chapters, root=ROOT):
    """What is wrong with the map of the course on a landing page (an empty list when all is well).

    text: the page's MyST source; chapters: the chapter pages it must map ("chapters/07_training").
    """
    problems, found = [], cards(text)
    by_link = {}
    for card in found:
        link = card["options"].get("link", "")
        if link in by_link:
            problems.append(f"two cards link to {link!r}")
        by_link[link] = card
    alts = {}
    for card in found:
        options, link = card["options"], card["options"].get("link", "")
        stem = link.removeprefix("chapters/")
        if options.get("img-alt"):
            alts.setdefault(options["img-alt"], []).append(card["title"])
        if link in chapters and notebook_title(stem) not in (None, card["title"]):
            problems.append(f"card {card['title']!r}: the chapter is titled {notebook_title(stem)!r}")
    for titles in alts.values():
        if len(titles) > 1:
            problems.append(f"cards {titles} share one alt text (each should say what its figure shows)")
    for chapter in chapters:
        card = by_link.get(chapter)
        if card is None:
            problems.append(f"no card links to {chapter}")
            continue
        options, number = card["options"], chapter.removeprefix("chapters/")[:2]
        where = f"card of {chapter}"
        if options.get("link-type") != "doc":
            problems.append(f"{where}: ':link-type: doc' is missing (the link would be a URL)")
        if not card["title"]:
            problems.append(f"{where} has no title")
        if not 40 <= len(card["body"]) <= 250:
            problems.append(f"{where}: say in one or two lines what the reader will be able to do "
                            f"({len(card['body'])} characters)")
        if not re.search(r"\b\d+ min reading\b", options.get("footer", "")):
            problems.append(f"{where}: no reading time ('NN min reading') in its footer")
        image = options.get("img-top", "")
        if image != f"images/thumbnails/{number}.png":
            problems.append(f"{where}: ':img-top: images/thumbnails/{number}.png' expected, got {image!r}")
        elif not (root / image).is_file():
            problems.append(f"{where}: {image} does not exist (python tools/thumbnails.py --only {number})")
        elif (root / image).stat().st_size > MAX_THUMBNAIL_BYTES:
            problems.append(f"{where}: {image} weighs {(root / image).stat().st_size:,} bytes, "
                            f"over {MAX_THUMBNAIL_BYTES:,}")
        alt = options.get("img-alt", "")
        if len(alt) < 40 or re.search(r"\b(TODO|TBD|FIXME|placeholder)\b", alt, re.I):
            problems.append(f"{where}: the thumbnail needs alt text that says what it shows (got {alt!r})")
    return problems


def test_the_landing_page_maps_every_chapter():
    assert landing_problems(INTRO.read_text(), toc_chapters()) == []


def _drop_card(text, link):
    return "".join(match.group(0) if f":link: {link}\n" not in match.group(0) else ""
                   for match in re.finditer(r"^`{4}\{grid-item-card\}.*?^`{4}\n|.+?(?=^`{4}\{grid-item-card\}|\Z)",
                                            text, re.M | re.S))


def _copy_alt(text, source, target):
    """The page with the alt text of thumbnail ``source`` given to thumbnail ``target`` too."""
    alt = re.search(rf":img-top: images/thumbnails/{source}.png\n:img-alt: (.*)\n", text).group(1)
    return re.sub(rf"(:img-top: images/thumbnails/{target}.png\n:img-alt: ).*\n", lambda m: m.group(1) + alt + "\n", text)


#: A fault planted in the real page, and the start of the problem it must raise.
FAULTS = {
    "a card missing": (lambda t: _drop_card(t, "chapters/03_networks"), "no card links to chapters/03_networks"),
    "a link to the wrong chapter": (lambda t: t.replace(":link: chapters/04_gradient_descent\n",
                                                        ":link: chapters/05_backpropagation\n"),
                                    "two cards link to 'chapters/05_backpropagation'"),
    "a link as a URL": (lambda t: t.replace(":link: chapters/06_optimizers\n:link-type: doc\n",
                                            ":link: chapters/06_optimizers\n"),
                        "card of chapters/06_optimizers: ':link-type: doc' is missing"),
    "a missing thumbnail": (lambda t: t.replace("images/thumbnails/07.png", "images/thumbnails/77.png"),
                            "card of chapters/07_training: ':img-top: images/thumbnails/07.png' expected"),
    "no alt text": (lambda t: re.sub(r"(:img-top: images/thumbnails/08.png\n):img-alt: .*\n", r"\1", t),
                    "card of chapters/08_convolution: the thumbnail needs alt text"),
    "a copied alt text": (lambda t: _copy_alt(t, "01", "02"),
                          "cards ['1. Neurons', '2. Activation functions'] share one alt text"),
    "no reading time": (lambda t: re.sub(r"(:link: chapters/09_recurrent\n(?::.*\n)*?):footer: .*\n", r"\1", t),
                        "card of chapters/09_recurrent: no reading time"),
    "a title the chapter does not have": (lambda t: t.replace("{grid-item-card} 1. Neurons", "{grid-item-card} 1. Nerves"),
                                          "card '1. Nerves': the chapter is titled '1. Neurons'"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_the_map_check_finds_a_planted_fault(fault):
    plant, expected = FAULTS[fault]
    text = INTRO.read_text()
    planted = plant(text)
    assert planted != text, "the fault was not planted"
    problems = landing_problems(planted, toc_chapters())
    assert any(problem.startswith(expected) for problem in problems), problems


def test_the_landing_page_counts_the_numbered_chapters():
    """'Ten chapters and an appendix': the number is the number of chapters that have one."""
    titles = [notebook_title(path.stem) for path in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))]
    numbered = sum(bool(title and re.match(r"\d+\. ", title)) for title in titles)
    said = re.search(r"^## A map of the course\n+(\w+) chapters", INTRO.read_text(), re.M)
    assert said, "the map's first sentence says how many chapters there are"
    assert said.group(1).lower() == NUMBER_WORDS[numbered]


#: The landing page's reading speed ("Reading at about 300 words a minute").
WORDS_PER_MINUTE = 300


def reading_minutes(stem):
    """Minutes to read the prose of chapters/<stem>.ipynb (its markdown cells' words, markup and
    formulas included) at WORDS_PER_MINUTE."""
    cells = json.loads((ROOT / "chapters" / f"{stem}.ipynb").read_text())["cells"]
    words = sum(len("".join(cell["source"]).split()) for cell in cells if cell["cell_type"] == "markdown")
    return words / WORDS_PER_MINUTE


@pytest.mark.parametrize("chapter", toc_chapters())
def test_a_cards_reading_time_fits_the_chapters_length(chapter):
    """Within a quarter (or 3 minutes) of the chapter's words at 300 a minute: the word count
    includes markup and formulas, and a chapter grows a little without its card changing."""
    card = next((card for card in cards(INTRO.read_text()) if card["options"].get("link") == chapter), None)
    stated = re.search(r"\b(\d+) min reading\b", card["options"].get("footer", "")) if card else None
    if stated is None:
        pytest.skip(f"no reading time for {chapter} (test_the_landing_page_maps_every_chapter reports it)")
    measured = reading_minutes(chapter.removeprefix("chapters/"))
    assert abs(int(stated.group(1)) - measured) <= max(3, measured / 4), f"{chapter}: about {measured:.0f} min"


@pytest.mark.parametrize("path", sorted((ROOT / "images" / "thumbnails").glob("*.png")), ids=lambda p: p.name)
def test_every_thumbnail_is_small_and_decodes(path):
    data = path.read_bytes()
    assert len(data) <= MAX_THUMBNAIL_BYTES
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert image.size == TOOL.SIZE


def test_every_chapter_of_the_toc_has_a_thumbnail_chosen():
    numbers = {chapter.removeprefix("chapters/")[:2] for chapter in toc_chapters()}
    assert numbers <= set(TOOL.THUMBNAILS), "add the chapter to THUMBNAILS in tools/thumbnails.py"


@pytest.mark.parametrize("number", sorted(TOOL.THUMBNAILS))
def test_the_thumbnail_table_names_demos_and_figures_that_exist(number):
    choice, module = TOOL.THUMBNAILS[number], TOOL.chapter_module(number)
    if choice.demo:
        assert choice.demo in getattr(module, "DEMOS", {}), f"{module.__name__} has no demo {choice.demo!r}"
    else:
        assert callable(getattr(module, choice.figure, None)), f"{module.__name__} has no {choice.figure}()"


def test_the_tool_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError, match="names a demo or a figure function"):
        TOOL.Thumbnail(demo="playground", figure="plot_ai_venn")
    with pytest.raises(ValueError, match="no thumbnail chosen for chapter '99'"):
        TOOL.main_figure("99")
    with pytest.raises(ValueError, match="chapter 99 has no module"):
        TOOL.chapter_module("99")


def test_the_tool_draws_a_small_thumbnail(tmp_path):
    """One chapter's thumbnail drawn afresh (chapter 0's figure is the quickest to draw)."""
    path, size = TOOL.write("00", out=tmp_path)
    assert path == tmp_path / "00.png" and size == path.stat().st_size <= TOOL.MAX_BYTES
    with Image.open(path) as image:
        assert image.size == TOOL.SIZE and image.mode == "P"
        colours = image.convert("RGB").getcolors(maxcolors=256)
        assert colours is not None and len(colours) > 8, "the thumbnail is (nearly) blank"
