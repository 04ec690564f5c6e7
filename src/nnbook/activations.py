"""Activation functions: what a neuron does with its weighted sum.

Chapter 1 needs the threshold (step) and ReLU; chapter 2 adds the rest.
"""

import numpy as np


def step(z, threshold=0.0):
    r"""Threshold unit (McCulloch-Pitts): 1 where z > threshold, else 0.

    $$\mathrm{step}(z) = \begin{cases} 1 & z > \theta \\ 0 & z \le \theta \end{cases}$$

    z: any shape -> same shape, float.
    """
    return (np.asarray(z) > threshold).astype(np.float64)


def relu(z):
    r"""Rectified linear unit: $\max(0, z)$, elementwise.

    z: any shape -> same shape.
    """
    return np.maximum(z, 0.0)


def identity(z):
    """The identity: returns z unchanged (a neuron with no activation)."""
    return np.asarray(z, dtype=np.float64)
