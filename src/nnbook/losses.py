r"""Loss functions: how far a network's predictions are from the targets.

The *loss* scores one example; the *cost* is the mean loss over a batch (or the training
set). Every function here takes ``(y_true, y_pred)`` in that order (as scikit-learn and
Keras do), returns the cost, a float, with ``reduction="mean"`` (the default) and the
per-example losses, shape (N,), with ``reduction="none"``.

Numerically stable: probabilities are clipped to $[\varepsilon, 1 - \varepsilon]$ before
the logarithm, so a confident wrong prediction gives a large finite loss and no warning;
``softmax_cross_entropy`` and ``binary_cross_entropy_from_logits`` work on scores (logits)
and never form a probability that could round to 0.

``LOSSES`` maps names to functions, including the framework spellings ``"mse"``,
``"binary_crossentropy"`` and ``"categorical_crossentropy"``; ``get_loss(name)`` looks one up.

Every function checks its input first and says what is wrong (a ``ValueError``): numbers
only (float32 stays float32, other numbers become float64), no NaN or inf, at least one
example, matching shapes; binary targets in [0, 1]; probabilities in [0, 1] (a prediction
outside is most likely a logit, and the message says so); categorical targets as class
labels 0..K-1 or as rows of probabilities summing to 1: one-hot rows, or soft targets such
as label-smoothed ones.
"""

import numpy as np

from nnbook._validate import as_array
from nnbook.activations import log_softmax, sigmoid, softmax

#: The smallest probability a log is taken of: log(1e-15) = -34.5 is the largest loss per unit.
EPSILON = 1e-15


def _pair(y_true, y_pred, name, pred_name="y_pred"):
    """Both arrays checked (numbers, finite, not empty) in one common float dtype, same shape."""
    y_true = as_array(y_true, f"{name}: y_true")
    y_pred = as_array(y_pred, f"{name}: {pred_name}")
    if y_pred.ndim == 0 or y_true.shape != y_pred.shape:
        raise ValueError(f"{name} expects y_true and {pred_name} of the same shape, (N,) or (N, K); "
                         f"got {y_true.shape} and {y_pred.shape}")
    dtype = np.result_type(y_true, y_pred)
    return y_true.astype(dtype, copy=False), y_pred.astype(dtype, copy=False)


def _value_range(values):
    return f"got values from {values.min():.4g} to {values.max():.4g}"


def _binary_targets(y_true, name):
    """Binary targets: 0/1 labels or probabilities of class 1, so in [0, 1]."""
    if y_true.min() < 0 or y_true.max() > 1:
        raise ValueError(f"{name}: y_true must be in [0, 1] (0/1 labels or probabilities of "
                         f"class 1); {_value_range(y_true)}")
    return y_true


def _probabilities(p, name, scores_loss):
    """Predicted probabilities must lie in [0, 1]; outside, they are most likely logits."""
    if p.min() < 0 or p.max() > 1:
        raise ValueError(f"{name}: predictions must be probabilities in [0, 1]; did you pass "
                         f"logits? (for raw scores use {scores_loss}); {_value_range(p)}")
    return p


def _clip_eps(eps, dtype):
    """eps, or float32's resolution if larger (1 - 1e-15 rounds to 1 in float32)."""
    return max(eps, float(np.finfo(dtype).eps))


def _per_example(values):
    """(N,) stays; (N, K) -> mean over the K outputs of each example."""
    return values if values.ndim == 1 else values.reshape(len(values), -1).mean(axis=1)


def _reduce(losses, reduction):
    if reduction == "mean":
        return float(np.mean(losses))
    if reduction == "none":
        return losses
    raise ValueError(f'reduction must be "mean" or "none"; got {reduction!r}')


def _labels_to_one_hot(labels, n_classes, name):
    """Class labels (N,) of whole numbers 0..K-1 -> one-hot rows (N, K)."""
    fractional = labels != np.round(labels)
    if fractional.any():
        raise ValueError(f"{name}: 1-D y_true must be class labels 0..{n_classes - 1} (whole "
                         f"numbers); got {labels[fractional][0]:g}")
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(f"{name}: labels must lie in 0..{n_classes - 1}; "
                         f"got {labels.min():g}..{labels.max():g}")
    return np.eye(n_classes)[labels.astype(int)]


def _targets(y_true, y_pred, name, pred_name="y_pred"):
    """Targets as rows of probabilities (N, K): accepts labels (N,) or rows (N, K) that are
    one-hot or, more generally, in [0, 1] and summing to 1 (soft targets)."""
    y_true = as_array(y_true, f"{name}: y_true")
    y_pred = as_array(y_pred, f"{name}: {pred_name}")
    if y_pred.ndim != 2:
        raise ValueError(f"{name} expects {pred_name} of shape (N, K); got {y_pred.shape}")
    if y_true.shape == (len(y_pred),):
        y_true = _labels_to_one_hot(y_true, y_pred.shape[1], name)
    y_true, y_pred = _pair(y_true, y_pred, name, pred_name)
    tolerance = np.sqrt(np.finfo(y_true.dtype).eps)
    bad = ((y_true < 0) | (y_true > 1)).any(axis=1) | (np.abs(y_true.sum(axis=1) - 1) > tolerance)
    if bad.any():
        row = int(np.argmax(bad))
        raise ValueError(f"{name}: each row of y_true must be one-hot (or probabilities in [0, 1] "
                         f"summing to 1); row {row} is {y_true[row].tolist()}")
    return y_true, y_pred


def _checked_binary(y_true, y_pred, name):
    y_true, p = _pair(y_true, y_pred, name)
    _binary_targets(y_true, name)
    return y_true, _probabilities(p, name, "binary_cross_entropy_from_logits")


def _checked_categorical(y_true, y_pred, name):
    y_true, p = _targets(y_true, y_pred, name)
    return y_true, _probabilities(p, name, "softmax_cross_entropy")


def mean_squared_error(y_true, y_pred, reduction="mean"):
    r"""$\frac{1}{N}\sum_n \frac{1}{K}\sum_k (\hat y_{nk} - y_{nk})^2$. Shapes (N,) or (N, K).

    An error too large to square in the array's dtype (beyond about 1e154 in float64) gives
    a cost of inf, without a warning: the predictions have run away (a diverged run)."""
    y_true, y_pred = _pair(y_true, y_pred, "mean_squared_error")
    with np.errstate(over="ignore"):
        return _reduce(_per_example((y_pred - y_true) ** 2), reduction)


def binary_cross_entropy(y_true, y_pred, reduction="mean", eps=EPSILON):
    r"""Log loss for yes/no targets: $-[y \log p + (1 - y) \log(1 - p)]$, mean over the batch.

    y_true: 0/1 (or in [0, 1]); y_pred: probabilities p of "1" in [0, 1], shape (N,) or
    (N, K) (K independent yes/no outputs, averaged). p is clipped to [eps, 1 - eps].
    """
    y_true, p = _checked_binary(y_true, y_pred, "binary_cross_entropy")
    eps = _clip_eps(eps, p.dtype)
    p = np.clip(p, eps, 1 - eps)
    losses = -(y_true * np.log(p) + (1 - y_true) * np.log1p(-p))
    return _reduce(_per_example(losses), reduction)


def binary_cross_entropy_from_logits(y_true, logits, reduction="mean"):
    r"""Binary cross-entropy of $p = \sigma(z)$, from the score z, stable for any z:

    $\max(z, 0) - z y + \log(1 + e^{-|z|})$, which equals $-[y \log p + (1 - y) \log(1 - p)]$.
    """
    y_true, z = _pair(y_true, logits, "binary_cross_entropy_from_logits", "logits")
    _binary_targets(y_true, "binary_cross_entropy_from_logits")
    losses = np.maximum(z, 0) - z * y_true + np.log1p(np.exp(-np.abs(z)))
    return _reduce(_per_example(losses), reduction)


def categorical_cross_entropy(y_true, y_pred, reduction="mean", eps=EPSILON):
    r"""Multi-class log loss $-\sum_k y_k \log p_k$, mean over the batch.

    y_true: class labels (N,) or one-hot rows (N, K) (soft targets, rows of probabilities
    summing to 1, work too); y_pred: probabilities (N, K) in [0, 1].
    """
    y_true, p = _checked_categorical(y_true, y_pred, "categorical_cross_entropy")
    losses = -np.sum(y_true * np.log(np.clip(p, eps, 1.0)), axis=1)
    return _reduce(losses, reduction)


def softmax_cross_entropy(y_true, logits, reduction="mean"):
    r"""Categorical cross-entropy of softmax(logits), computed from the logits:

    $-\sum_k y_k (z_k - \mathrm{logsumexp}(z))$: finite for any scores, however confident.
    y_true: class labels (N,) or one-hot (or soft) rows (N, K); logits: (N, K).
    """
    y_true, z = _targets(y_true, logits, "softmax_cross_entropy", "logits")
    return _reduce(-np.sum(y_true * log_softmax(z, axis=1), axis=1), reduction)


def softmax_cross_entropy_gradient(y_true, logits):
    r"""The gradient of the mean softmax cross-entropy with respect to the logits:

    $(\mathrm{softmax}(z) - y) / N$: predicted minus target, the simplest gradient in the book.
    """
    y_true, z = _targets(y_true, logits, "softmax_cross_entropy_gradient", "logits")
    return (softmax(z, axis=1) - y_true) / len(z)


#: Every loss by name, with the spellings frameworks use (Keras: "mse", "binary_crossentropy").
LOSSES = {
    "mean_squared_error": mean_squared_error,
    "mse": mean_squared_error,
    "binary_cross_entropy": binary_cross_entropy,
    "binary_crossentropy": binary_cross_entropy,
    "log_loss": binary_cross_entropy,
    "binary_cross_entropy_from_logits": binary_cross_entropy_from_logits,
    "categorical_cross_entropy": categorical_cross_entropy,
    "categorical_crossentropy": categorical_cross_entropy,
    "softmax_cross_entropy": softmax_cross_entropy,
}


def get_loss(name):
    """The loss function called ``name`` (any spelling in ``LOSSES``, case-insensitive)."""
    if callable(name):
        return name
    key = str(name).lower().replace("-", "_").replace(" ", "_")
    if key not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; known: {', '.join(sorted(LOSSES))}")
    return LOSSES[key]


# --- Chapter 5: the gradient of every loss with respect to its predictions ----------------
# Each ``*_gradient(y_true, y_pred)`` returns dJ/dy_pred for the mean cost J (the default
# reduction), with y_pred's shape: the first step of backpropagation.

def _per_output_count(y_pred):
    """N * K: the mean cost divides by the batch size and, for (N, K), the outputs."""
    return y_pred.size


def half_squared_error(y_true, y_pred, reduction="mean"):
    r"""$\frac{1}{N}\sum_n \sum_k \frac{1}{2}(y_{nk} - \hat y_{nk})^2$: the error of the
    classic worked example (chapter 5), summed over the outputs, halved, mean over the batch."""
    y_true, y_pred = _pair(y_true, y_pred, "half_squared_error")
    with np.errstate(over="ignore"):   # inf, silently, for errors beyond the float range
        squares = 0.5 * (y_pred - y_true) ** 2
        losses = squares if squares.ndim == 1 else squares.reshape(len(squares), -1).sum(axis=1)
        return _reduce(losses, reduction)


def half_squared_error_gradient(y_true, y_pred):
    r"""$(\hat y - y) / N$: the halving cancels the 2 of the square."""
    y_true, y_pred = _pair(y_true, y_pred, "half_squared_error_gradient")
    return (y_pred - y_true) / len(y_pred)


def mean_squared_error_gradient(y_true, y_pred):
    r"""$2(\hat y - y) / (N K)$, the gradient of ``mean_squared_error``."""
    y_true, y_pred = _pair(y_true, y_pred, "mean_squared_error_gradient")
    return 2.0 * (y_pred - y_true) / _per_output_count(y_pred)


def binary_cross_entropy_gradient(y_true, y_pred, eps=EPSILON):
    r"""$\frac{1}{NK}\,\frac{p - y}{p(1 - p)}$ with p clipped as in ``binary_cross_entropy``
    (where the clip is active the loss is flat, so the gradient there is 0)."""
    y_true, p = _checked_binary(y_true, y_pred, "binary_cross_entropy_gradient")
    eps = _clip_eps(eps, p.dtype)
    clipped = np.clip(p, eps, 1 - eps)
    grad = (clipped - y_true) / (clipped * (1 - clipped)) / _per_output_count(p)
    return np.where(clipped == p, grad, 0.0)


def binary_cross_entropy_from_logits_gradient(y_true, logits):
    r"""$(\sigma(z) - y) / (N K)$: predicted probability minus target, as for softmax."""
    y_true, z = _pair(y_true, logits, "binary_cross_entropy_from_logits_gradient", "logits")
    _binary_targets(y_true, "binary_cross_entropy_from_logits_gradient")
    return (sigmoid(z) - y_true) / _per_output_count(z)


def categorical_cross_entropy_gradient(y_true, y_pred, eps=EPSILON):
    r"""$-y_k / (N p_k)$ (0 where p is clipped), the gradient of ``categorical_cross_entropy``."""
    y_true, p = _checked_categorical(y_true, y_pred, "categorical_cross_entropy_gradient")
    clipped = np.clip(p, eps, 1.0)
    return np.where(clipped == p, -y_true / clipped, 0.0) / len(p)


LOSSES["half_squared_error"] = half_squared_error

#: Every loss function -> its gradient with respect to y_pred (or the logits).
LOSS_GRADIENTS = {
    mean_squared_error: mean_squared_error_gradient,
    half_squared_error: half_squared_error_gradient,
    binary_cross_entropy: binary_cross_entropy_gradient,
    binary_cross_entropy_from_logits: binary_cross_entropy_from_logits_gradient,
    categorical_cross_entropy: categorical_cross_entropy_gradient,
    softmax_cross_entropy: softmax_cross_entropy_gradient,
}


def get_loss_gradient(name):
    """The gradient function of the loss called ``name`` (or of the loss function itself)."""
    loss = get_loss(name)
    if loss not in LOSS_GRADIENTS:
        raise ValueError(f"no gradient is known for {name!r}; pass (loss, gradient) functions")
    return LOSS_GRADIENTS[loss]


# --- the training loop's fast path: cost and gradient in one pass, no checks ---------------
# ``training.fit`` checks the targets once, with the functions above, then calls these on
# every mini-batch. Each computes exactly what the checked pair computes (tested), sharing
# the work (one softmax for the cost and its gradient, class labels used as indices rather
# than one-hot rows).

def _fused_mean_squared_error(y, out):
    diff = out - y
    return float(np.mean(_per_example(diff ** 2))), 2.0 * diff / diff.size


def _fused_half_squared_error(y, out):
    diff = out - y
    squares = 0.5 * diff ** 2
    losses = squares if squares.ndim == 1 else squares.reshape(len(squares), -1).sum(axis=1)
    return float(np.mean(losses)), diff / len(diff)


def _fused_binary_from_logits(y, z):
    losses = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return float(np.mean(_per_example(losses))), (sigmoid(z) - y) / z.size


def _fused_softmax_cross_entropy(y, z):
    r"""y: class labels (N,) as integers, or rows of probabilities (N, K). One softmax serves
    the cost, $\log s - (z_y - m)$ with $s = \sum_k e^{z_k - m}$, and the gradient."""
    n = len(z)
    grad = z - z.max(axis=1, keepdims=True)              # shifted: z - m
    if y.ndim == 1:
        rows = np.arange(n)
        picked = grad[rows, y]                          # z_y - m, before the exponential
    else:
        picked = (y * grad).sum(axis=1)
    np.exp(grad, out=grad)
    total = grad.sum(axis=1, keepdims=True)
    grad /= total                                       # softmax(z)
    cost = float((np.log(total[:, 0]) - picked).sum()) / n
    if y.ndim == 1:
        grad[rows, y] -= 1.0
    else:
        grad -= y
    grad /= n
    return cost, grad


#: Losses whose targets are class labels (``fit`` passes them as integers); chapter 9's
#: sequence loss registers itself here.
_LABEL_TARGETS = set()

#: loss function -> fused (cost, gradient) function for checked inputs (``training.fit``).
_FUSED = {
    mean_squared_error: _fused_mean_squared_error,
    half_squared_error: _fused_half_squared_error,
    binary_cross_entropy_from_logits: _fused_binary_from_logits,
    softmax_cross_entropy: _fused_softmax_cross_entropy,
}
