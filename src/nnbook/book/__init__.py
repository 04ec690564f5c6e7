"""One module per chapter: that chapter's figures, then its demos, then its exercise checkers.

A chapter's notebook imports the concepts it teaches plus its own module
(``from nnbook.book import ch04_gradient_descent as ch``). A figure or computation that a
second chapter needs moves down into ``nnbook.plotting`` or a concept module.
"""

import importlib

#: The chapter modules, in reading order.
CHAPTERS = (
    "ch00_introduction",
    "ch01_neurons",
    "ch02_activations",
    "ch03_networks",
    "ch04_gradient_descent",
    "ch05_backpropagation",
    "ch06_optimizers",
    "ch07_training",
    "ch08_convolution",
    "ch09_recurrent",
    "ch10_beyond",
)


def chapter(name):
    """The chapter module ``nnbook.book.<name>``."""
    if name not in CHAPTERS:
        raise ValueError(f"no chapter module {name!r}; the chapters are {list(CHAPTERS)}")
    return importlib.import_module(f"nnbook.book.{name}")


def all_demos():
    """Every demo of the book: {(chapter, demo name): factory}, from each chapter's ``DEMOS``."""
    demos = {}
    for name in CHAPTERS:
        for demo_name, factory in getattr(chapter(name), "DEMOS", {}).items():
            demos[(name, demo_name)] = factory
    return demos
