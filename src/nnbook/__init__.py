"""nnbook: the small numpy library that the nnbook course teaches with.

Three kinds of module:

* concepts, one idea each, numpy only (what a learner reads beside a chapter):
  ``activations``, ``neuron``, ``perceptron``, ``layers``, ``losses``, ``approximation``,
  ``surfaces``, ``descent``, ``gradcheck``, ``autodiff``, ``training``, ``warp``, ``optim``,
  ``metrics``, ``regularization``, ``conv``, ``rnn``, ``text`` (characters as data, sampling),
  and ``data`` (every data set of the book);
* book machinery shared by the chapters: ``plotting`` (style and shared figure pieces),
  ``widgets`` (live demos with static views) and ``checks`` (the checker framework);
* one module per chapter in ``nnbook.book``: its figures, demos and exercise checkers.

``import nnbook`` loads the concepts only; matplotlib and ipywidgets are imported by the
book machinery, when a chapter asks for it.
"""

from nnbook import (
                    activations,
                    approximation,
                    autodiff,
                    conv,
                    data,
                    descent,
                    gradcheck,
                    layers,
                    losses,
                    metrics,
                    neuron,
                    optim,
                    perceptron,
                    regularization,
                    rnn,
                    surfaces,
                    text,
                    training,
                    warp,
)
from nnbook.activations import identity, relu, step
from nnbook.neuron import layer, weighted_sum
from nnbook.perceptron import train_perceptron

__all__ = [
    "activations", "approximation", "autodiff", "conv", "data", "descent", "gradcheck", "layers", "losses",
    "metrics", "neuron", "optim", "perceptron", "regularization", "rnn", "surfaces", "text", "training", "warp",
    "identity", "relu", "step", "layer", "weighted_sum", "train_perceptron",
]
