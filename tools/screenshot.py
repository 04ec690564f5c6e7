"""Look at pages of the built site as a reader would, and measure how heavy they are.

    python tools/screenshot.py chapters/01_neurons.html [more pages] [--out /tmp/shots]
    python tools/screenshot.py --width 390 --dark chapters/04_gradient_descent.html
    python tools/screenshot.py --weights            # every page of _toc.yml: bytes, first paint

Pages are served from _build/html (or --site DIR) on 127.0.0.1, with MathJax from
tests/site/node_modules. --weights prints, per page, the HTML's bytes, the images shown at
load (count and bytes), the first contentful paint and the moment the HTML is parsed
(domInteractive), medians of --repeat fresh loads with an empty cache.
"""

import argparse
import functools
import http.server
import statistics
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from tests.site.conftest import CHROMIUM_ARGS, SITE, _QuietHandler, _route  # noqa: E402
from tests.site.test_site import PAGES  # noqa: E402
from tests.site.test_weight import page_weight  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--out", default="/tmp/nnbook-shots")
    parser.add_argument("--site", default=str(SITE))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--dark", action="store_true", help="dark colour scheme")
    parser.add_argument("--weights", action="store_true", help="measure page weights and first paint instead")
    parser.add_argument("--repeat", type=int, default=5, help="loads per page for --weights")
    args = parser.parse_args()
    pages = args.pages or PAGES
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=args.site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        options = {"viewport": {"width": args.width, "height": 1000}, "color_scheme": "dark" if args.dark else "light"}
        if args.weights:
            print(f"{'page':40} {'HTML kB':>8} {'images':>6} {'img kB':>8} {'total kB':>9} "
                  f"{'first paint ms':>15} {'parsed ms':>10}")
        for name in pages:
            if args.weights:
                runs = []
                for _ in range(args.repeat):  # a fresh context each time: nothing cached
                    context = browser.new_context(**options)
                    page = context.new_page()
                    page.route("**/*", functools.partial(_route, blocked=[]))
                    page.goto(f"{base}/{name}", wait_until="networkidle")
                    runs.append(page_weight(page))
                    context.close()
                w = runs[0]
                paint = statistics.median(r["first_paint_ms"] for r in runs)
                parsed = statistics.median(r["parsed_ms"] for r in runs)
                print(f"{name:40} {w['html'] / 1e3:8.0f} {w['count']:6d} {w['images'] / 1e3:8.0f} "
                      f"{(w['html'] + w['images']) / 1e3:9.0f} {paint:15.0f} {parsed:10.0f}")
                continue
            context = browser.new_context(**options)
            page = context.new_page()
            page.route("**/*", functools.partial(_route, blocked=[]))
            page.goto(f"{base}/{name}", wait_until="networkidle")
            page.wait_for_timeout(500)
            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)
            target = out / (name.replace("/", "_").replace(".html", f"-{args.width}{'-dark' if args.dark else ''}.png"))
            page.screenshot(path=str(target), full_page=True)
            print(target)
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
