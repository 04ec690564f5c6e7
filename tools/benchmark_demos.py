"""Measure how fast every demo redraws when a control moves (the live widget's callback).

    python tools/benchmark_demos.py [--repeats 30]

For each demo in nnbook.demos.DEMOS: move each control to random values, time the redraw
(compute the figure and render it to PNG, as the kernel does), and print the median, the
90th percentile and the ratio to the course's 100 ms budget for a slider. Prints; asserts nothing.
"""

import argparse
import os
import statistics
import tempfile
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("IPYTHONDIR", tempfile.mkdtemp())  # no history file in ~/.ipython
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.instance()  # a shell, so figures are rendered to PNG as in a kernel
    from nnbook import plotting
    from nnbook.demos import DEMOS

    plotting.use_book_style()
    rng = np.random.default_rng(0)
    budget = 0.100
    print(f"{'demo':24s} {'median':>8s} {'p90':>8s} {'median / 100 ms':>16s}")
    for name, make_demo in DEMOS.items():
        live = make_demo().widget()
        names = list(live.controls)
        seconds = []
        for k in range(args.repeats):
            name_k = names[k % len(names)]
            spec = live.demo.controls[name_k]
            value = _random_value(spec, rng, k)
            start = time.perf_counter()
            live.controls[name_k].value = value
            seconds.append(time.perf_counter() - start)
        median, p90 = statistics.median(seconds), float(np.percentile(seconds, 90))
        print(f"{name:24s} {1000 * median:6.0f} ms {1000 * p90:6.0f} ms {median / budget:16.2f}")


def _random_value(spec, rng, k):
    from nnbook.widgets import Choice

    if isinstance(spec, Choice):
        return spec.options[k % len(spec.options)]
    if spec.log:
        return float(10 ** rng.uniform(np.log10(spec.min), np.log10(spec.max)))
    value = float(rng.uniform(spec.min, spec.max))
    return int(round(value)) if isinstance(spec.value, int) and isinstance(spec.step, int) else value


if __name__ == "__main__":
    main()
