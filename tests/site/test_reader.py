"""The website for every reader: phones, dark mode, menus, figures, solutions (issue 12)."""

import pytest

from tests.site.conftest import DESKTOP, PHONE
from tests.site.test_site import DEMO_PAGES, PAGES


def _settle(page):
    """Wait until MathJax (if any) has typeset: layout depends on it."""
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")


# ---- menus -------------------------------------------------------------------------------

def test_phone_menu_button_opens_the_chapter_list(visit):
    page = visit("chapters/02_activations.html", device=PHONE).page
    chapter_link = page.locator("nav.bd-docs-nav a", has_text="Backpropagation")
    assert not chapter_link.is_visible()
    page.locator(".primary-toggle:visible").tap()
    chapter_link.wait_for(state="visible", timeout=3000)
    assert page.locator("#pst-primary-sidebar-modal").evaluate("d => d.open")
    chapter_link.tap()
    page.wait_for_url("**/05_backpropagation.html")


def test_phone_contents_button_opens_the_page_contents(visit):
    page = visit("chapters/01_neurons.html", device=PHONE).page
    toc_link = page.locator("#pst-page-toc-nav a", has_text="Exercises")
    assert not toc_link.is_visible()
    page.locator(".secondary-toggle:visible").tap()
    toc_link.wait_for(state="visible", timeout=3000)
    assert page.locator("#pst-secondary-sidebar-modal").evaluate("d => d.open")


def test_desktop_collapse_button_hides_and_shows_the_sidebar(visit):
    page = visit("chapters/01_neurons.html").page
    sidebar_link = page.locator("nav.bd-docs-nav a", has_text="Gradient descent")
    assert sidebar_link.is_visible()
    article_left = page.locator("article").evaluate("a => a.getBoundingClientRect().left")
    page.locator(".primary-toggle:visible").click()
    sidebar_link.wait_for(state="hidden", timeout=3000)
    assert not page.locator("#pst-primary-sidebar-modal").evaluate("d => d.open"), "opened a dialog instead"
    assert page.locator("article").evaluate("a => a.getBoundingClientRect().left") < article_left
    page.locator(".primary-toggle:visible").click()
    sidebar_link.wait_for(state="visible", timeout=3000)


def test_one_search_box_and_no_empty_top_bar(visit):
    page = visit("chapters/01_neurons.html").page
    assert page.locator(".search-button-field:visible").count() == 1
    assert page.locator("#pst-header").evaluate("h => h.getBoundingClientRect().height") == 0


# ---- phones: width, figures, captions ----------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(loaded, path):
    page = loaded(path, device=PHONE).page
    _settle(page)
    wide = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const culprits = Array.from(document.querySelectorAll('article *'))
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .filter(el => !el.closest('.highlight, .cell_output pre, mjx-container, .table-wrapper, .pst-scrollable-table-container'))
                .map(el => el.tagName + '.' + el.className + ': ' + (el.textContent || '').slice(0, 40));
            return {scroll: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 5)};
        }"""
    )
    assert wide["scroll"] <= wide["width"], f"{path} scrolls sideways: {wide}"
    spilled = page.evaluate(
        """() => Array.from(document.querySelectorAll('article .nnbook-demo')).flatMap(d => {
            const right = d.getBoundingClientRect().right;
            return Array.from(d.querySelectorAll('*')).filter(el => el.getBoundingClientRect().right > right + 1)
                .map(el => el.tagName + ': ' + el.textContent.slice(0, 40));
        })"""
    )
    assert spilled == [], f"{path}: text spills out of a demo's box"


_BROKEN_WORDS = """async () => {
    await document.fonts.ready;
    const broken = [];
    const check = caption => {
        if (!caption.getClientRects().length) return;
        const walker = document.createTreeWalker(caption, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const re = /[^\\s\\-\u2010(]+/g;  // a word; a break after a hyphen or a call's ( is fine
            let m;
            while ((m = re.exec(node.data))) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (tops.size > 1) broken.push(m[0]);
            }
        }
    };
    document.querySelectorAll('article figcaption, article .caption-text, article .nnbook-demo-note').forEach(check);
    // every frame of every demo, not only the one shown at load
    for (const demo of document.querySelectorAll('article .nnbook-demo')) {
        const frames = Array.from(demo.querySelectorAll('.nnbook-demo-frame'));
        const saved = frames.map(f => [f.hidden, f.style.display]);
        for (const frame of frames) {
            frames.forEach(f => { f.hidden = f !== frame; f.style.display = f === frame ? '' : 'none'; });
            frame.querySelectorAll('figcaption').forEach(check);
        }
        frames.forEach((f, i) => { f.hidden = saved[i][0]; f.style.display = saved[i][1]; });
    }
    return Array.from(new Set(broken));
}"""


@pytest.mark.parametrize("path", PAGES)
def test_captions_wrap_between_words_on_a_phone(loaded, path):
    page = loaded(path, device=PHONE).page
    _settle(page)
    assert page.evaluate(_BROKEN_WORDS) == [], f"{path}: words broken across lines"


def test_a_figure_opens_full_size_when_tapped_on_a_phone(visit):
    page = visit("chapters/03_networks.html", device=PHONE).page
    figure = page.locator("article .cell_output img").first
    figure.scroll_into_view_if_needed()
    shown = figure.evaluate("i => ({shown: i.getBoundingClientRect().width, natural: i.naturalWidth})")
    assert shown["natural"] > 1.5 * shown["shown"], "the test needs a figure the phone shrinks"
    figure.tap()
    dialog = page.locator("dialog.nnbook-zoom")
    dialog.wait_for(state="visible", timeout=3000)
    big = dialog.locator("img").evaluate(
        "i => ({width: i.getBoundingClientRect().width, natural: i.naturalWidth, alt: i.alt})")
    assert abs(big["width"] - big["natural"]) <= 1, "the figure is not at full size"
    assert len(big["alt"]) > 15
    body = dialog.locator(".nnbook-zoom-body")
    assert body.evaluate("b => b.scrollWidth > b.clientWidth"), "a full-size figure wider than the phone must scroll"
    dialog.locator("button.nnbook-zoom-close").tap()
    dialog.wait_for(state="hidden", timeout=3000)


# ---- dark mode: contrast of every text inside a demo ------------------------------------

_CONTRAST = """root => {
    const parse = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
    const background = el => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
        }
        let rgb = [255, 255, 255];
        for (const [r, g, b, a] of layers.reverse()) rgb = [r * a + rgb[0] * (1 - a), g * a + rgb[1] * (1 - a), b * a + rgb[2] * (1 - a)];
        return rgb;
    };
    const luminance = ([r, g, b]) => {
        const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const results = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.data.trim()) continue;
        const el = node.parentElement;
        const style = getComputedStyle(el);
        const fg = parse(style.color), bg = background(el);
        const blended = [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3]));
        const [l1, l2] = [luminance(blended), luminance(bg)].sort((a, b) => b - a);
        results.push({text: node.data.trim().slice(0, 30), tag: el.tagName, ratio: (l1 + 0.05) / (l2 + 0.05),
                      color: style.color, background: 'rgb(' + bg.map(Math.round).join(',') + ')'});
    }
    return results;
}"""


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("path", DEMO_PAGES)
def test_every_text_in_a_demo_has_enough_contrast(loaded, path, dark):
    page = loaded(path, dark=dark).page
    assert page.evaluate("document.documentElement.dataset.theme") == ("dark" if dark else "light")
    demos = page.locator("article .nnbook-demo")
    low = []
    for d in range(demos.count()):
        for text in demos.nth(d).evaluate(_CONTRAST):
            if text["ratio"] < 4.5:
                low.append(text)
    assert low == [], f"text below 4.5:1 on {path}: {low[:5]}"


# ---- exercises -----------------------------------------------------------------------------

def test_the_solution_bar_opens_the_solution_in_place(visit):
    page = visit("chapters/01_neurons.html").page
    solution = page.locator(".solution").first
    bar = solution.locator(".admonition-title")
    body = solution.locator("section").first
    bar.scroll_into_view_if_needed()
    assert not body.is_visible()
    assert bar.locator("a[href]").count() == 0, "the bar is a link (it jumps away)"
    scroll_before = page.evaluate("window.scrollY")
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    body.wait_for(state="visible", timeout=3000)
    assert abs(page.evaluate("window.scrollY") - scroll_before) < 5, "the page jumped"


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_launch_menu_offers_binder_not_live_code(visit, device):
    page = visit("chapters/01_neurons.html", device=device).page
    launch = page.locator(".dropdown-launch-buttons")
    assert launch.locator("a", has_text="Binder").count() == 1
    assert page.get_by_text("Live Code").count() == 0
