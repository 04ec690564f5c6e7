"""Fixtures for the site tests: the strict book build, a local server, headless Chromium.

The pages load MathJax from a CDN. There is no internet in CI, so the browser intercepts
that request and serves the copy npm installed in tests/site/node_modules. Any other
request that leaves 127.0.0.1 is blocked and recorded, so a new CDN dependency shows up as
a test failure instead of a silent hang.

To iterate on the browser tests without rebuilding, point NNBOOK_SITE at a built site
(for example `NNBOOK_SITE=_build/html`): the strict build is then skipped, not repeated.
"""

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.timing import STEP_SECONDS

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
VENDOR = Path(__file__).resolve().parent / "node_modules"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

#: CDN prefixes the pages load scripts from, and the local npm copy served in their place.
CDN_COPIES = {"https://cdn.jsdelivr.net/npm/mathjax@3/": VENDOR / "mathjax"}


@dataclass
class BuildResult:
    returncode: int
    output: str
    seconds: float


#: A site built earlier, to test instead of building one (see the module's docstring).
PREBUILT = os.environ.get("NNBOOK_SITE")


#: The strict build, started in the background as soon as the session knows it needs one
#: (``start_book_build``, called by the root conftest once tests are collected): it runs on one
#: core while the unit tests and the notebooks run on the other, instead of after them.
_BUILD = {}


def start_book_build():
    """Start the strict build (every warning an error, a raising cell fails it) in the
    background, once; ``book_build`` waits for it."""
    if PREBUILT or _BUILD:
        return
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        [str(Path(bin_dir) / "jupyter-book"), "build", str(ROOT), "--all", "-W", "-n", "--keep-going"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    _BUILD.update(process=process, log=log, start=time.perf_counter())


def stop_book_build():
    """End a background build nobody waited for (the session stopped early)."""
    process = _BUILD.get("process")
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def book_build(pytestconfig):
    """The strict build's result, waiting for the background build (or starting it now)."""
    if PREBUILT:
        pytest.skip(f"NNBOOK_SITE={PREBUILT}: testing that site instead of building one")
    start_book_build()
    returncode = _BUILD["process"].wait()
    seconds = time.perf_counter() - _BUILD["start"]
    _BUILD["log"].seek(0)
    output = _BUILD["log"].read()
    pytestconfig.stash.setdefault(STEP_SECONDS, {})[
        "strict book build (all pages, notebooks executed; in the background beside the unit tests)"] = seconds
    return BuildResult(returncode, output, seconds)


@pytest.fixture(scope="session")
def site(request):
    """The built site's pages: the build must have succeeded."""
    if PREBUILT:
        return Path(PREBUILT).resolve()
    book_build = request.getfixturevalue("book_build")
    if book_build.returncode != 0:
        pytest.fail("the book build failed; see test_book_builds_without_warnings")
    return SITE


@pytest.fixture(scope="session")
def site_url(site):
    """Serve the built site on 127.0.0.1 for the browser; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _browser_missing_reason():
    if not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        return "Debian's chromium is not installed (apt-get install chromium)"
    if not (VENDOR / "mathjax").exists():
        return "the local MathJax copy is missing (npm ci --prefix tests/site)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download)."""
    reason = _browser_missing_reason()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run under CI=true: {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageVisit:
    """A loaded page and what went wrong while loading it."""

    page: object
    errors: list = field(default_factory=list)
    blocked: list = field(default_factory=list)
    requests: list = field(default_factory=list)


#: A phone (the width of a common one, with touch) and a desktop.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _open(context, site_url, path, rewrite=None):
    """Open a page of the built site in a browser context and wait until it has settled."""
    page = context.new_page()
    result = PageVisit(page)
    page.on("pageerror", lambda error: result.errors.append(f"page error: {error}"))
    page.on("console", lambda msg: msg.type == "error" and result.errors.append(f"console: {msg.text}"))
    page.on("request", lambda request: result.requests.append(request.url))
    rewrites = {f"{site_url}/{name}": change for name, change in (rewrite or {}).items()}
    page.route("**/*", functools.partial(_route, blocked=result.blocked, rewrites=rewrites))
    response = page.goto(f"{site_url}/{path}", wait_until="load")
    assert response is not None and response.ok, f"{path} did not load: {response and response.status}"
    try:  # the load event has fired; let late requests (fonts, MathJax) settle
        page.wait_for_load_state("networkidle", timeout=30_000)
    except PlaywrightTimeoutError:
        pass  # on 2 busy cores a page rarely never goes 500 ms without a request
    return result


def _context(browser, device, dark):
    return browser.new_context(**device, color_scheme="dark" if dark else "light")


@pytest.fixture
def visit(browser, site_url):
    """visit(path, device=DESKTOP, dark=False, rewrite=None) -> PageVisit: open a page of the built site.

    CDNs are served from local copies; `dark=True` asks for the dark colour scheme (the
    site follows the system's, `default_mode: auto`). `rewrite` plants a fault for a test
    that shows a check can fail: {path under the site: function(bytes) -> bytes} changes
    what the server sends for those files (this page only).
    """
    contexts = {}

    def open_page(path, device=DESKTOP, dark=False, rewrite=None):
        key = (id(device), dark)
        if key not in contexts:
            contexts[key] = _context(browser, device, dark)
        return _open(contexts[key], site_url, path, rewrite)

    yield open_page
    for context in contexts.values():
        context.close()


#: The checks that only read a page share one load of it (``loaded``), in this order: the
#: weight while the page is fresh, what the load logged, then what only reads the page, and
#: last axe-core, which switches the page's colour scheme. ``order_shared_checks`` runs them
#: page by page, so each page is loaded once per device and colour scheme, not once per check.
SHARED_CHECKS = (
    "test_page_weighs_under_1_mb_when_loaded",
    "test_page_loads_without_javascript_errors",
    "test_math_is_typeset",
    "test_no_dead_widget_controls",
    "test_images_decode_and_have_alt_text",
    "test_no_page_scrolls_sideways_on_a_phone",
    "test_captions_wrap_between_words_on_a_phone",
    "test_every_text_in_a_demo_has_enough_contrast",
    "test_no_serious_accessibility_finding_in_light_or_dark_mode",
)


def order_shared_checks(items):
    """Reorder collected tests in place: the checks that use ``loaded`` together, page by page
    (in the order of SHARED_CHECKS), where the first of them was."""
    shared = [item for item in items if "loaded" in getattr(item, "fixturenames", ())]
    if not shared:
        return
    first = items.index(shared[0])
    rest = [item for item in items if "loaded" not in getattr(item, "fixturenames", ())]
    shared.sort(key=lambda item: (item.callspec.params.get("path", ""), SHARED_CHECKS.index(item.originalname)))
    items[:] = rest[:first] + shared + rest[first:]


@pytest.fixture(scope="session")
def loaded(browser, site_url):
    """loaded(path, device=DESKTOP, dark=False) -> PageVisit: like ``visit``, but one load of a
    page shared by the checks that only read it (see SHARED_CHECKS); opening another page closes
    the previous one of that device and colour scheme."""
    current = {}

    def open_page(path, device=DESKTOP, dark=False):
        key = (id(device), dark)
        if key in current and current[key][0] == path:
            return current[key][2]
        if key in current:
            current[key][1].close()
        context = _context(browser, device, dark)
        current[key] = (path, context, _open(context, site_url, path))
        return current[key][2]

    yield open_page
    for _, context, _ in current.values():
        context.close()


try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
except ImportError:  # the browser fixture skips the tests then
    PlaywrightTimeoutError = Exception


def _route(route, blocked, rewrites=None):
    url = route.request.url
    if rewrites and url.split("?")[0].split("#")[0] in rewrites:
        response = route.fetch()
        return route.fulfill(response=response, body=rewrites[url.split("?")[0].split("#")[0]](response.body()))
    if urlparse(url).hostname == "127.0.0.1" or url.startswith("data:"):
        return route.continue_()
    for prefix, folder in CDN_COPIES.items():
        if url.startswith(prefix):
            local = folder / urlparse(url[len(prefix):]).path
            if local.is_file():
                return route.fulfill(path=str(local))
    blocked.append(url)
    return route.abort()
