"""nnbook: the small numpy library that the nnbook course teaches with.

Modules, one idea each: ``activations``, ``neuron``, ``perceptron``, ``data``, ``history``,
``plotting``, ``widgets`` (live demos with a static fallback), ``demos`` (the book's demos)
and ``checks`` (self-checking exercises).
"""

from nnbook import activations, checks, data, demos, history, neuron, perceptron, plotting, widgets
from nnbook.activations import identity, relu, step
from nnbook.neuron import layer, weighted_sum
from nnbook.perceptron import train_perceptron
from nnbook import descent, surfaces  # chapter 4: loss surfaces, gradient descent
from nnbook import approximation, layers, losses  # chapter 3: layers, losses
from nnbook import autodiff, gradcheck, training  # chapter 5: backpropagation

__all__ = [
    "activations", "checks", "data", "demos", "history", "neuron", "perceptron", "plotting", "widgets",
    "identity", "relu", "step", "layer", "weighted_sum", "train_perceptron",
    "descent", "surfaces",
    "approximation", "layers", "losses",
    "autodiff", "gradcheck", "training",
]
