"""Every page for every reader (issue 22): axe-core finds nothing serious or critical.

axe-core (tests/site/package.json, a local npm copy) runs in the page as the browser shows
it: every default rule in the light colour scheme, then the rules that depend on colour in
the dark one (the same page switched as the theme's button does it, which saves a load).
Moderate and minor findings are left to judgement; serious and critical ones fail.
"""

import pytest

from tests.site.conftest import VENDOR
from tests.site.test_site import PAGES

AXE = VENDOR / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
#: The rules whose verdict depends on the colour scheme.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

#: Run axe once colours have settled (the theme fades them in over 0.15 s at load).
_RUN_AXE = """async ([theme, rules]) => {
    if (theme && document.documentElement.dataset.theme !== theme) document.documentElement.dataset.theme = theme;
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    await Promise.all(document.getAnimations()
        .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity).map(a => a.finished));
    const options = rules ? {runOnly: {type: 'rule', values: rules}} : {};
    const results = await axe.run(document, {...options, resultTypes: ['violations']});
    return results.violations.map(v => ({id: v.id, impact: v.impact,
        nodes: v.nodes.map(n => n.target.join(' ') + ' ' + n.html.slice(0, 100))}));
}"""


def axe_findings(page, theme=None, rules=None, impacts=FAILING_IMPACTS):
    """["rule (impact): element", ...]: axe-core's findings of these impacts on the page, in
    this colour scheme ("light", "dark", or None for the page's own), for these rules (None: all)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: npm ci --prefix tests/site")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    return [f"{v['id']} ({v['impact']}): {node}"
            for v in page.evaluate(_RUN_AXE, [theme, rules]) if v["impact"] in impacts for node in v["nodes"]]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_finding_in_light_or_dark_mode(loaded, path):
    page = loaded(path).page
    light = axe_findings(page, "light")
    dark = axe_findings(page, "dark", COLOUR_RULES)
    assert (light, dark) == ([], [])


def test_the_accessibility_check_fails_on_planted_violations(visit):
    """A button whose accessible name does not contain its text (what the theme's buttons
    did), an image without alt text, and text readable in light mode only are found."""
    planted = (b'<button aria-label="Toggle hidden content">Show code cell source</button>'
               b'<img src="../_static/none.png">'
               b'<style>html[data-theme=dark] .planted { color: #333 }</style><p class="planted">dim in dark mode</p>')
    page = visit("chapters/notation.html", rewrite={"chapters/notation.html": lambda body: body.replace(
        b'<article class="bd-article">', b'<article class="bd-article">' + planted, 1)}).page
    light = {finding.split(" ", 1)[0] for finding in axe_findings(page, "light")}
    dark = [finding for finding in axe_findings(page, "dark", COLOUR_RULES)]
    assert light == {"label-content-name-mismatch", "image-alt"}, light
    assert len(dark) == 1 and dark[0].startswith("color-contrast (serious): .planted"), dark
