"""Screenshot pages of the built site in headless Chromium, to look at them as a reader would.

    python tools/screenshot.py chapters/01_neurons.html [more pages] [--out /tmp/shots]

Pages are served from _build/html on 127.0.0.1, with MathJax from tests/site/node_modules.
"""

import argparse
from pathlib import Path

import sys

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from tests.site.conftest import CHROMIUM_ARGS, SITE, _route, _QuietHandler  # noqa: F401


def main():
    import functools
    import http.server
    import threading

    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--out", default="/tmp/nnbook-shots")
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 1000})
        page.route("**/*", functools.partial(_route, blocked=[]))
        for name in args.pages:
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{name}", wait_until="networkidle")
            page.wait_for_timeout(500)
            target = out / (name.replace("/", "_").replace(".html", ".png"))
            page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
