"""Light pages (issue 12, point 9): demo frames are image files, hidden frames load when shown."""

import re

import pytest

from tests.site.conftest import PHONE
from tests.site.test_site import DEMO_PAGES, PAGES
from tests.timing import STEP_SECONDS

#: The most a page may weigh when it has loaded: its HTML plus the images it shows.
PAGE_BUDGET_BYTES = 1_000_000
#: The most a page may weigh in all: its HTML plus every image it can show (every demo frame).
PAGE_TOTAL_BYTES = 3_000_000

_WEIGHT = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const images = performance.getEntriesByType('resource').filter(r => r.initiatorType === 'img');
    const size = r => Math.max(r.encodedBodySize, r.decodedBodySize, r.transferSize);
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return {html: size(nav), images: images.reduce((s, r) => s + size(r), 0), count: images.length,
            first_paint_ms: paint ? paint.startTime : null, parsed_ms: nav.domInteractive};
}"""


def page_weight(page):
    """{html, images, count, first_paint_ms, parsed_ms} of a loaded page (the browser's own timings)."""
    return page.evaluate(_WEIGHT)


@pytest.mark.parametrize("device", [None, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES)
def test_page_weighs_under_1_mb_when_loaded(loaded, path, device):
    page = (loaded(path, device=device) if device else loaded(path)).page
    weight = page_weight(page)
    assert weight["html"] + weight["images"] <= PAGE_BUDGET_BYTES, f"{path}: {weight}"


def page_total_bytes(site, path):
    """A built page's HTML plus every distinct local image it references (shown or not)."""
    page = site / path
    html = page.read_text()
    images = {(page.parent / src).resolve() for src in re.findall(r'<img[^>]*?\ssrc="([^"]+)"', html)
              if not re.match(r"[a-z]+:", src)}
    return page.stat().st_size + sum(image.stat().st_size for image in images if image.is_file())


@pytest.mark.parametrize("path", PAGES)
def test_page_weighs_under_3_mb_in_all(site, path):
    """Issue 22: with every frame of every demo fetched, a page stays under 3 MB."""
    assert page_total_bytes(site, path) <= PAGE_TOTAL_BYTES, path


def test_the_total_weight_counts_hidden_frames(site, tmp_path):
    page = tmp_path / "page.html"
    (tmp_path / "a.png").write_bytes(b"x" * 1000)
    page.write_text('<img loading="lazy" src="a.png"><img src="a.png"><img src="data:image/png;base64,xx">')
    assert page_total_bytes(tmp_path, "page.html") == page.stat().st_size + 1000


@pytest.mark.parametrize("path", PAGES)
def test_no_image_is_embedded_in_the_page(site, path):
    """Frames are files beside the page (cached by the browser, fetched when shown)."""
    assert 'src="data:image/' not in (site / path).read_text()


@pytest.mark.parametrize("path", DEMO_PAGES)
def test_hidden_frames_load_only_when_shown(visit, path):
    result = visit(path)
    page = result.page
    frames = lambda: set(u for u in result.requests if "/_images/nnbook/" in u)  # noqa: E731
    shown = set(page.evaluate(
        """() => Array.from(document.querySelectorAll('.nnbook-demo-frame img'))
               .filter(i => i.getClientRects().length > 0).map(i => i.src)"""))
    hidden = page.evaluate(
        """() => Array.from(document.querySelectorAll('.nnbook-demo-frame img'))
               .filter(i => i.getClientRects().length === 0).map(i => ({src: i.src, lazy: i.loading}))""")
    first = page.evaluate("() => Array.from(document.querySelectorAll('.nnbook-demo-frame img')).filter(i => i.getClientRects().length > 0).map(i => i.loading)")
    if not hidden:
        pytest.skip(f"{path} has no demo with hidden frames")
    assert all(h["lazy"] == "lazy" for h in hidden), "a hidden frame is not lazy"
    assert all(loading != "lazy" for loading in first), "a shown frame is lazy (it would paint late)"
    loaded = frames()
    assert loaded <= shown | {h["src"] for h in hidden}
    assert not (loaded & {h["src"] for h in hidden} - shown), "hidden frames were fetched at load"
    # moving the first demo's first control fetches the frame it now shows
    demo = page.locator("article .nnbook-demo").first
    control = demo.locator("input[type=range]").first
    control.scroll_into_view_if_needed()
    control.focus()
    page.keyboard.press("ArrowLeft" if control.evaluate("el => +el.value === +el.max") else "ArrowRight")
    now = demo.evaluate(
        "d => Array.from(d.querySelectorAll('.nnbook-demo-frame img')).filter(i => i.getClientRects().length > 0)[0].src")
    page.wait_for_function("src => Array.from(document.images).some(i => i.src === src && i.complete && i.naturalWidth > 0)", arg=now)
    assert now in frames()


def test_first_paint_of_the_largest_chapter(visit, site, pytestconfig):
    """Recorded in the timing report (a timing is reported, never asserted)."""
    largest = max(DEMO_PAGES, key=lambda path: (site / path).stat().st_size)
    weight = page_weight(visit(largest).page)
    assert weight["first_paint_ms"] is not None
    steps = pytestconfig.stash.setdefault(STEP_SECONDS, {})
    steps[f"first paint of {largest} (local server)"] = weight["first_paint_ms"] / 1000
    steps[f"HTML parsed, {largest}"] = weight["parsed_ms"] / 1000
