"""Measure how fast every demo of the book redraws when a control moves (the live view).

    python tools/benchmark_demos.py [--repeats 30] [--only NAME]

For each demo in every chapter module's DEMOS: move one control at a time to random
values and time the live redraw in two parts, as the kernel does it:

* compute: the demo's numbers and artists (``LiveFigure.update``, or the whole figure for a
  demo that is a plain function);
* render: the PNG the live view sends (``LiveFigure.png``, which repaints only what changed,
  or a full render of a new figure).

Prints the median and 90th percentile of each and of the total, against the budget: p50
<= 60 ms for an analytic demo, <= 300 ms for a training demo (``Demo(training=True)``).
Run it on an idle machine; it prints and asserts nothing.
"""

import argparse
import base64
import os
import statistics
import tempfile
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--only", default=None, help="a demo name, e.g. learning_rate")
    args = parser.parse_args()
    os.environ.setdefault("IPYTHONDIR", tempfile.mkdtemp())  # no history file in ~/.ipython
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.instance()  # a shell, so plain figures are rendered to PNG as in a kernel
    from nnbook import book, plotting, widgets

    plotting.use_book_style()
    rng = np.random.default_rng(0)
    print(f"{'demo':36s} {'compute p50/p90':>16s} {'render p50/p90':>16s} {'total p50/p90':>16s} {'budget':>7s}")
    for (chapter, name), make_demo in book.all_demos().items():
        if args.only and name != args.only:
            continue
        demo = make_demo()
        view = demo.widget()
        names = list(demo.controls)
        compute, render = [], []
        for k in range(args.repeats):
            control = names[k % len(names)]
            settings = {**view.settings, control: _random_value(demo.controls[control], rng, k)}
            settings = demo.settings(**settings)
            start = time.perf_counter()
            if widgets.is_live_figure(demo.function):
                live = view.live_figure(settings)
                middle = time.perf_counter()
                live.png()
            else:
                figure = demo.function(**settings)
                middle = time.perf_counter()
                data, _ = widgets._display_formatter().format(figure)  # noqa: SLF001
                base64.b64decode(data.get("image/png", ""))
            end = time.perf_counter()
            compute.append(middle - start)
            render.append(end - middle)
        total = [c + r for c, r in zip(compute, render)]
        budget = 300 if getattr(demo, "training", False) else 60
        verdict = "ok" if 1000 * statistics.median(total) <= budget else "OVER"
        print(f"{chapter[:4] + ' ' + name:36s} {_pair(compute)} {_pair(render)} {_pair(total)} "
              f"{budget:4d} ms {verdict}")


def _pair(seconds):
    return f"{1000 * statistics.median(seconds):6.0f}/{1000 * float(np.percentile(seconds, 90)):4.0f} ms"


def _random_value(spec, rng, k):
    values = spec.values()
    return values[int(rng.integers(len(values)))] if len(values) > 1 else values[0]


if __name__ == "__main__":
    main()
