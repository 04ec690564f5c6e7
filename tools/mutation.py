"""Mutation testing of the library: how many planted bugs does the unit suite catch, per module?

    nice -n 19 .venv/bin/python tools/mutation.py                  # every module (hours on 2 busy cores)
    nice -n 19 .venv/bin/python tools/mutation.py losses layers    # some modules
    .venv/bin/python tools/mutation.py --table                     # the table of the last run
    .venv/bin/python tools/mutation.py --table --markdown          # the same, for the README

Not part of `make test`. Needs mutmut 3 (`.venv/bin/pip install "mutmut>=3.8,<4"`); its
configuration is `[tool.mutmut]` in pyproject.toml. mutmut copies `src/` and `tests/` into
`mutants/` (git-ignored), plants one change at a time in a function (an operator, a constant, a
keyword argument, a string), and runs only the unit tests that called that function, stopping
at the first failure. A mutant is *killed* when a test fails, *survived* when all pass,
*timeout* when the tests run far longer than on the clean code, *no tests* when no unit test
calls the function. Score = (killed + timeout) / all mutants that were run.

The unit suite must pass on the clean code: mutmut stops otherwise. To leave out a test file
that is red for reasons of its own, pass pytest options through the environment, e.g.
`PYTEST_ADDOPTS="--ignore=tests/unit/test_demos.py"`. One mutmut run covers every module
asked for (one stats run); mutants run fastest first, so an interrupted run has tested part of
every module (`--table` then shows how far it got). Results stay in `mutants/`; a new run of a
module tests all its mutants again. To see a survivor:
`.venv/bin/mutmut show 'nnbook.losses.x_get_loss__mutmut_1'` (`mutmut results` lists them).
"""

import argparse
import collections
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = Path(sys.executable).with_name("mutmut")

#: Every module that is mutated (the table lists them in this order, most important first).
MODULES = [
    "losses", "layers", "activations", "optim", "checks", "widgets", "_validate", "gradcheck",
    "autodiff", "training", "descent", "surfaces", "neuron", "perceptron", "approximation",
    "warp", "data",
]
COLUMNS = ["killed", "survived", "timeout", "no tests", "other"]


def run_mutmut(modules, max_children):
    """One mutmut run over these modules' mutants (one stats run, shared by all of them);
    its output goes to mutants/mutation.log."""
    log = ROOT / "mutants" / "mutation.log"
    log.parent.mkdir(exist_ok=True)
    patterns = [f"nnbook.{module}.*" for module in modules]
    with log.open("w") as out:
        command = [str(MUTMUT), "run", "--max-children", str(max_children), *patterns]
        return subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode


def results():
    """Status of every mutant mutmut has run: {module: Counter(status)}."""
    text = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True,
        check=True,
    ).stdout
    counts = collections.defaultdict(collections.Counter)
    for line in text.splitlines():
        match = re.match(r"\s*nnbook\.(\w+)\.x[_ǁ].*: (.+)$", line)
        if match:
            module, status = match.groups()
            status = status.strip()
            known = status in COLUMNS or status == "not checked"
            counts[module][status if known else "other"] += 1
    return counts


def table(counts, markdown=False):
    """One row per module: mutants, how many were run, their statuses, score (of those run)."""
    header = ["module", "mutants", "run", *COLUMNS, "score"]
    rows = []
    for module in MODULES:
        c = counts.get(module, collections.Counter())
        total = sum(c.values())
        run = total - c["not checked"]
        if not run:
            rows.append([module, str(total), "not run", *[""] * len(COLUMNS), ""])
            continue
        score = (c["killed"] + c["timeout"]) / run
        rows.append([module, str(total), str(run), *[str(c[k]) for k in COLUMNS], f"{score:.0%}"])
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    else:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in [header, *rows]]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", default=MODULES, help="default: all, in this order")
    parser.add_argument("--table", action="store_true", help="only print the last run's table")
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutants (default 2)")
    args = parser.parse_args()
    unknown = sorted(set(args.modules) - set(MODULES))
    if unknown:
        parser.error(f"unknown modules {unknown}; choose from {MODULES}")
    if not MUTMUT.exists():
        sys.exit(f'mutmut is not installed: {sys.executable} -m pip install "mutmut>=3.8,<4"')
    if not args.table:
        code = run_mutmut(args.modules, args.max_children)
        print(f"mutmut exited with {code} (log: mutants/mutation.log)", flush=True)
    print(table(results(), markdown=args.markdown))


if __name__ == "__main__":
    main()
