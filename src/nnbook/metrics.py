r"""Metrics: how good a classifier (or a regression) is, in numbers a person can read.

A loss is what training minimises; a metric is what we report. For a classifier, every
metric here is built from four counts. With one class called *positive* (``pos_label``):

- TP, true positives: positive and predicted positive;
- FN, false negatives: positive but predicted negative (a miss);
- FP, false positives: negative but predicted positive (a false alarm);
- TN, true negatives: negative and predicted negative.

accuracy $= \frac{TP + TN}{N}$, precision $= \frac{TP}{TP + FP}$, recall (sensitivity)
$= \frac{TP}{TP + FN}$, $F_1 = \frac{2PR}{P + R} = \frac{2TP}{2TP + FP + FN}$.
With several classes each class in turn is "positive" against the rest, and the per-class
values are averaged (``average="macro"``, ``"weighted"``, ``"micro"``) or returned
(``average=None``). The threshold curves (``precision_recall_curve``, ``roc_curve``) move
the threshold that turns a score into a yes/no and record these ratios at every step.

**Accuracy and precision in measurement science.** In the laboratory (ISO 5725, the
International Vocabulary of Metrology) *accuracy* is how close measurements come to the
true value, and *precision* is how close repeated measurements come to *each other*,
whatever the true value: darts in a tight cluster off the bull's-eye are precise but not
accurate. Classification borrowed both words and changed their meaning: here accuracy is
the share of predictions that are right, and precision is the share of *positive*
predictions that are right. Neither is about repeating a measurement.

Every function equals ``sklearn.metrics`` (tests/unit/test_metrics.py) with two choices
stated: a ratio whose denominator is 0 (precision with no positive prediction, recall for a
class that never occurs) is ``zero_division`` (0.0 by default, as scikit-learn's default
"warn" gives, but without a warning; 1.0 or ``np.nan`` on request); and the curves raise a
``ValueError`` where scikit-learn warns and returns NaN (a ROC curve needs both classes).
Labels are 1-D arrays of class labels: integers, whole-number floats, bools or strings.
"""

from dataclasses import dataclass

import numpy as np

from nnbook._validate import as_array
from nnbook.losses import _pair

#: The ways to combine per-class scores: see ``precision``.
AVERAGES = ("binary", "micro", "macro", "weighted", None)


# --- Checking labels --------------------------------------------------------------------

def _class_labels(y, name):
    """y as a non-empty 1-D array of class labels (ints, whole floats, bools or strings)."""
    if isinstance(y, (str, bytes)) or y is None:
        raise ValueError(f"{name} must be a 1-D array of class labels; got {type(y).__name__}")
    try:
        array = np.asarray(y)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 1-D array of class labels; got {y!r}") from None
    if array.ndim != 1:
        hint = ""
        if array.ndim == 2:
            hint = (" (for one-hot rows or class probabilities take y.argmax(axis=1); "
                    "for a column, y.ravel())")
        raise ValueError(f"{name} must be a 1-D array of class labels, shape (N,); got shape "
                         f"{array.shape}{hint}")
    if array.size == 0:
        raise ValueError(f"{name} is empty; it needs at least one label")
    kind = array.dtype.kind
    if kind == "f":
        if not np.isfinite(array).all():
            raise ValueError(f"{name} contains NaN or inf; class labels are whole numbers "
                             "or strings")
        fractional = array != np.round(array)
        if fractional.any():
            raise ValueError(f"{name} must be class labels (whole numbers or strings); got "
                             f"{array[fractional][0]:g}. Scores or probabilities must first be "
                             "turned into labels, e.g. (p >= 0.5).astype(int) or p.argmax(axis=1)")
    elif kind == "O":
        if not (all(isinstance(v, str) for v in array)
                or all(isinstance(v, (int, np.integer, bool, np.bool_)) for v in array)):
            raise ValueError(f"{name} must hold labels of one kind (all integers or all "
                             f"strings); got {sorted({type(v).__name__ for v in array})}")
    elif kind not in "biuUS":
        raise ValueError(f"{name} must be class labels (integers or strings); got dtype "
                         f"{array.dtype}")
    return array


def _is_text(array):
    return array.dtype.kind in "US" or (array.dtype.kind == "O" and isinstance(array[0], str))


def _same_kind(a, a_name, b, b_name):
    if _is_text(a) != _is_text(b):
        text, number = (a_name, b_name) if _is_text(a) else (b_name, a_name)
        raise ValueError(f"{text} holds strings and {number} numbers; use the same kind of "
                         "labels in both")


def _label_pair(y_true, y_pred, name):
    """Both label arrays checked, of the same length and the same kind (numbers or strings)."""
    y_true = _class_labels(y_true, f"{name}: y_true")
    y_pred = _class_labels(y_pred, f"{name}: y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(f"{name} expects y_true and y_pred of the same length (one prediction "
                         f"per example); got {len(y_true)} and {len(y_pred)}")
    _same_kind(y_true, "y_true", y_pred, "y_pred")
    return y_true, y_pred


def _present(y_true, y_pred):
    """The sorted labels that occur in y_true or y_pred (scikit-learn's unique_labels)."""
    return np.unique(np.concatenate([y_true, y_pred]))


def _checked_labels(labels, y_true, name):
    """The ``labels=`` argument: 1-D, no repeats, the same kind of label as y_true."""
    labels = _class_labels(labels, f"{name}: labels")
    _same_kind(labels, "labels", y_true, "y_true")
    if len(np.unique(labels)) != len(labels):
        raise ValueError(f"{name}: labels lists a class twice; got {labels.tolist()}")
    return labels


def _binary_labels(y_true, y_pred, pos_label, name):
    """Check the data has at most two classes and that pos_label is one of them."""
    present = _present(y_true, y_pred)
    if _is_text(present) != isinstance(pos_label, str):
        raise ValueError(f"{name}: pos_label={pos_label!r} is not one of the classes "
                         f"{present.tolist()}; pass the positive class as pos_label=...")
    if len(present) > 2:
        raise ValueError(f"{name}: y_true and y_pred hold {len(present)} classes "
                         f"{present.tolist()}, but this is the two-class (binary) form; for "
                         "several classes choose average='macro', 'weighted', 'micro' or None "
                         "(one score per class)")
    if len(present) == 2 and pos_label not in present.tolist():
        raise ValueError(f"{name}: pos_label={pos_label!r} is not one of the classes "
                         f"{present.tolist()}; pass the positive class as pos_label=...")


def _zero_division(value):
    if value is not None and not isinstance(value, (str, bool, np.bool_)):
        number = float(value) if isinstance(value, (int, float, np.number)) else None
        if number is not None and (number in (0.0, 1.0) or np.isnan(number)):
            return number
    raise ValueError(f"zero_division must be 0.0, 1.0 or np.nan (the value of a ratio whose "
                     f"denominator is 0); got {value!r}")


def _divide(numerator, denominator, zero_division):
    """numerator / denominator elementwise, zero_division where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    safe = np.where(denominator == 0, 1.0, denominator)
    return np.where(denominator == 0, zero_division, numerator / safe)


# --- Counting ---------------------------------------------------------------------------

def _one_hot(y, labels):
    """(N, K) booleans: example n has label k. Labels outside ``labels`` give a row of False."""
    return y[:, None] == labels[None, :]


def confusion_matrix(y_true, y_pred, labels=None, normalize=None):
    r"""The confusion matrix C: C[i, j] counts the examples of true class i predicted as j.

    Rows are the true classes, columns the predicted ones (as scikit-learn), in the order of
    ``labels`` (default: every label in y_true or y_pred, sorted); the diagonal holds the
    right answers. Examples whose true or predicted label is not in ``labels`` are left out.
    A class of ``labels`` that never occurs gives a row and column of zeros; at least one
    of ``labels`` must occur in y_true.

    y_true, y_pred: (N,) class labels. Returns (K, K) ints, or floats with ``normalize``:
    "true" (each row sums to 1: the share of each true class), "pred" (each column sums to
    1), "all" (everything sums to 1); a row or column of zeros stays zeros.
    """
    y_true, y_pred = _label_pair(y_true, y_pred, "confusion_matrix")
    if labels is None:
        labels = _present(y_true, y_pred)
    else:
        labels = _checked_labels(labels, y_true, "confusion_matrix")
        if not np.isin(labels, y_true).any():
            raise ValueError(f"confusion_matrix: none of labels {labels.tolist()} occurs in "
                             f"y_true (which holds {np.unique(y_true).tolist()})")
    true_hot, pred_hot = _one_hot(y_true, labels), _one_hot(y_pred, labels)
    matrix = true_hot.T.astype(np.int64) @ pred_hot.astype(np.int64)
    if normalize is None:
        return matrix
    axes = {"true": 1, "pred": 0, "all": None}
    if normalize not in axes:
        raise ValueError(f'normalize must be None, "true", "pred" or "all"; got {normalize!r}')
    totals = matrix.sum(axis=axes[normalize], keepdims=axes[normalize] is not None)
    return _divide(matrix, np.broadcast_to(totals, matrix.shape), 0.0)


@dataclass(frozen=True)
class BinaryCounts:
    """The four counts of a two-class problem: true/false positives and negatives."""
    tp: int
    tn: int
    fp: int
    fn: int

    @property
    def total(self):
        return self.tp + self.tn + self.fp + self.fn


def binary_counts(y_true, y_pred, pos_label=1):
    r"""TP, TN, FP and FN of a two-class problem, named (a ``BinaryCounts``).

    y_true, y_pred: (N,) labels of at most two classes; pos_label: the positive class
    (the other one is negative). TP: $y = \hat y =$ pos; TN: both negative; FP: predicted
    positive, truly negative; FN: predicted negative, truly positive. scikit-learn's
    ``confusion_matrix(y_true, y_pred, labels=[neg, pos]).ravel()`` is (TN, FP, FN, TP).
    """
    y_true, y_pred = _label_pair(y_true, y_pred, "binary_counts")
    _binary_labels(y_true, y_pred, pos_label, "binary_counts")
    true, pred = y_true == pos_label, y_pred == pos_label
    return BinaryCounts(tp=int(np.sum(true & pred)), tn=int(np.sum(~true & ~pred)),
                        fp=int(np.sum(~true & pred)), fn=int(np.sum(true & ~pred)))


def _class_counts(y_true, y_pred, average, pos_label, labels, name):
    """Per class: TP, predicted count (TP + FP) and true count (TP + FN), as int arrays."""
    y_true, y_pred = _label_pair(y_true, y_pred, name)
    if average not in AVERAGES:
        raise ValueError(f"{name}: average must be one of {list(AVERAGES)}; got {average!r}")
    if average == "binary":
        _binary_labels(y_true, y_pred, pos_label, name)
        labels = np.asarray([pos_label])
    elif labels is None:
        labels = _present(y_true, y_pred)
    else:
        labels = _checked_labels(labels, y_true, name)
    true_hot, pred_hot = _one_hot(y_true, labels), _one_hot(y_pred, labels)
    tp = np.sum(true_hot & pred_hot, axis=0)
    predicted, actual = pred_hot.sum(axis=0), true_hot.sum(axis=0)
    if average == "micro":
        return tp.sum(keepdims=True), predicted.sum(keepdims=True), actual.sum(keepdims=True)
    return tp, predicted, actual


def _average(values, support, average):
    """Combine per-class values; NaN values (from zero_division=np.nan) are left out."""
    if average is None:
        return values
    keep = ~np.isnan(values)
    if not keep.any():
        return float("nan")
    values, support = values[keep], support[keep]
    if average == "weighted" and support.sum() > 0:
        return float(np.average(values, weights=support))
    return float(np.mean(values))


# --- Scores from labels -----------------------------------------------------------------

def accuracy(y_true, y_pred):
    r"""The share of right predictions: $\frac{1}{N}\sum_n [\hat y_n = y_n]$, in [0, 1].

    y_true, y_pred: (N,) class labels (any number of classes).
    """
    y_true, y_pred = _label_pair(y_true, y_pred, "accuracy")
    return float(np.mean(y_true == y_pred))


_SCORE_PARAMETERS = """
    y_true, y_pred: (N,) class labels.
    average: "binary" (default: the score of the class ``pos_label``; at most two classes),
    "macro" (the plain mean over the classes: each class counts the same), "weighted" (the
    mean weighted by each class's number of true examples, its support), "micro" (pool the
    counts of all classes, then divide) or None (an array, one score per class in the order
    of ``labels``).
    pos_label: the positive class when average="binary" (ignored otherwise).
    labels: the classes to score when average is not "binary" (default: every label in
    y_true or y_pred, sorted); a class may be listed that never occurs.
    zero_division: the value of a ratio whose denominator is 0: 0.0 (default, as
    scikit-learn's default but without its warning), 1.0 or np.nan (NaN scores are left out
    of the averages).
    Returns a float, or a (K,) array when average=None.
"""


def precision(y_true, y_pred, *, average="binary", pos_label=1, labels=None, zero_division=0.0):
    zero_division = _zero_division(zero_division)
    tp, predicted, actual = _class_counts(y_true, y_pred, average, pos_label, labels, "precision")
    return _average(_divide(tp, predicted, zero_division), actual, average)


def recall(y_true, y_pred, *, average="binary", pos_label=1, labels=None, zero_division=0.0):
    zero_division = _zero_division(zero_division)
    tp, predicted, actual = _class_counts(y_true, y_pred, average, pos_label, labels, "recall")
    return _average(_divide(tp, actual, zero_division), actual, average)


def f1_score(y_true, y_pred, *, average="binary", pos_label=1, labels=None, zero_division=0.0):
    zero_division = _zero_division(zero_division)
    tp, predicted, actual = _class_counts(y_true, y_pred, average, pos_label, labels, "f1_score")
    return _average(_divide(2 * tp, predicted + actual, zero_division), actual, average)


precision.__doc__ = r"""Precision: of the examples predicted positive, the share that are.

    $\mathrm{precision} = \frac{TP}{TP + FP}$ (0/0: ``zero_division``, e.g. when nothing is
    predicted positive). High precision: few false alarms.
""" + _SCORE_PARAMETERS
recall.__doc__ = r"""Recall (sensitivity, true positive rate): of the positives, the share found.

    $\mathrm{recall} = \frac{TP}{TP + FN}$ (0/0: ``zero_division``, e.g. for a class that
    never occurs in y_true). High recall: few misses.
""" + _SCORE_PARAMETERS
f1_score.__doc__ = r"""F1: the harmonic mean of precision P and recall R, high only if both are.

    $F_1 = \frac{2PR}{P + R} = \frac{2TP}{2TP + FP + FN}$, computed from the counts (as
    scikit-learn), so it is 0.0 (not ``zero_division``) when P or R is ill-defined but some
    example is positive; 0/0 (no positive example, none predicted) gives ``zero_division``.
""" + _SCORE_PARAMETERS

#: Sensitivity is recall under the name medicine uses.
sensitivity = recall


def specificity(y_true, y_pred, *, pos_label=1, zero_division=0.0):
    r"""Specificity (true negative rate): of the negatives, the share predicted negative.

    $\mathrm{specificity} = \frac{TN}{TN + FP} = 1 - \mathrm{FPR}$, two classes only: the
    recall of the negative class. y_true, y_pred: (N,) labels; pos_label: the positive class;
    zero_division: the value when there is no negative example (0.0, 1.0 or np.nan).
    """
    zero_division = _zero_division(zero_division)
    counts = binary_counts(y_true, y_pred, pos_label=pos_label)
    return float(_divide(counts.tn, counts.tn + counts.fp, zero_division))


def mean_absolute_error(y_true, y_pred):
    r"""$\frac{1}{N K}\sum_{n,k} |\hat y_{nk} - y_{nk}|$: the typical size of an error, in
    the units of y. Shapes (N,) or (N, K) (the mean over all outputs, as scikit-learn's
    default). The mean squared error is ``nnbook.losses.mean_squared_error``."""
    y_true, y_pred = _pair(y_true, y_pred, "mean_absolute_error")
    if y_true.ndim > 2:
        raise ValueError(f"mean_absolute_error expects shape (N,) or (N, K); got {y_true.shape}")
    return float(np.mean(np.abs(y_pred - y_true)))


# --- Threshold curves (two classes, from scores) ----------------------------------------

def _checked_scores(y_true, scores, pos_label, name):
    """y_true as booleans (True = pos_label) and the scores as float64, both checked."""
    y_true = _class_labels(y_true, f"{name}: y_true")
    scores = as_array(scores, f"{name}: scores", ndim=(1, 2))
    if scores.ndim == 2:
        raise ValueError(f"{name} expects scores of shape (N,), one per example; got "
                         f"{scores.shape} (for class probabilities p of shape (N, 2) pass "
                         "p[:, 1], those of the positive class)")
    if len(y_true) != len(scores):
        raise ValueError(f"{name} expects one score per example; got {len(y_true)} labels and "
                         f"{len(scores)} scores")
    classes = np.unique(y_true).tolist()
    if len(classes) > 2:
        raise ValueError(f"{name} needs two classes in y_true (binary); got {len(classes)}: "
                         f"{classes}. For one class against the rest pass y_true == k and the "
                         "scores of class k")
    if len(classes) == 2 and pos_label not in classes:
        raise ValueError(f"{name}: pos_label={pos_label!r} is not one of the classes {classes}; "
                         "pass the positive class as pos_label=...")
    return y_true == pos_label, scores.astype(np.float64, copy=False)


def _counts_at_thresholds(positive, scores):
    """FP and TP counts when "positive" means score >= t, for each distinct score t, from
    the highest score down (scikit-learn's confusion_matrix_at_thresholds)."""
    order = np.argsort(scores, kind="mergesort")[::-1]
    scores, positive = scores[order], positive[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1]
    tps = np.cumsum(positive)[last_of_tie].astype(np.float64)
    fps = 1.0 + last_of_tie - tps
    return fps, tps, scores[last_of_tie]


def precision_recall_curve(y_true, scores, *, pos_label=1, drop_intermediate=False):
    r"""Precision and recall at every threshold t: predict positive where score >= t.

    y_true: (N,) labels of two classes (at least one ``pos_label``); scores: (N,) floats,
    higher meaning more likely positive (a probability or a logit).
    Returns (precision, recall, thresholds), as scikit-learn: thresholds are the distinct
    scores in increasing order, (T,); precision and recall are (T + 1,), with recall
    decreasing and a last point (precision 1, recall 0) that has no threshold.
    drop_intermediate (default False, as scikit-learn): leave out thresholds where the true
    positives do not change from both neighbours (they add no new recall).
    """
    positive, scores = _checked_scores(y_true, scores, pos_label, "precision_recall_curve")
    if not positive.any():
        raise ValueError(f"precision_recall_curve: y_true has no example of the positive "
                         f"class {pos_label!r}, so recall is undefined")
    fps, tps, thresholds = _counts_at_thresholds(positive, scores)
    if drop_intermediate and len(tps) > 2:
        keep = np.r_[True, (np.diff(tps[:-1]) != 0) | (np.diff(tps[1:]) != 0), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    precision_values = _divide(tps, tps + fps, 0.0)
    recall_values = tps / tps[-1]
    return (np.r_[precision_values[::-1], 1.0], np.r_[recall_values[::-1], 0.0],
            thresholds[::-1])


def roc_curve(y_true, scores, *, pos_label=1, drop_intermediate=True):
    r"""The ROC curve: false and true positive rates at every threshold t (positive: score >= t).

    $\mathrm{TPR} = \frac{TP}{TP + FN}$ (recall), $\mathrm{FPR} = \frac{FP}{FP + TN}$
    (1 - specificity). y_true: (N,) labels with both classes; scores: (N,) floats, higher
    meaning more likely positive. Returns (fpr, tpr, thresholds), as scikit-learn: thresholds
    decreasing, the first one inf (nothing predicted positive: the point (0, 0)).
    drop_intermediate (default True, as scikit-learn): leave out points on a straight
    segment between their neighbours; the curve and its area do not change.
    """
    positive, scores = _checked_scores(y_true, scores, pos_label, "roc_curve")
    if positive.all() or not positive.any():
        raise ValueError(f"roc_curve needs both classes in y_true; got only "
                         f"{np.unique(np.asarray(y_true)).tolist()}")
    fps, tps, thresholds = _counts_at_thresholds(positive, scores)
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    return fps / fps[-1], tps / tps[-1], np.r_[np.inf, thresholds]


def roc_auc_score(y_true, scores, *, pos_label=1):
    r"""The area under the ROC curve (trapezoids), in [0, 1]: 0.5 is guessing, 1 perfect.

    It equals the probability that a random positive scores higher than a random negative
    (a tie counting one half): $\frac{1}{PN}\sum_{i \in +}\sum_{j \in -}
    ([s_i > s_j] + \tfrac12 [s_i = s_j])$. y_true: (N,) labels with both classes; scores: (N,).
    """
    fpr, tpr, _ = roc_curve(y_true, scores, pos_label=pos_label)
    return float(np.trapezoid(tpr, fpr))


__all__ = [
    "AVERAGES", "BinaryCounts", "accuracy", "binary_counts", "confusion_matrix", "f1_score",
    "mean_absolute_error", "precision", "precision_recall_curve", "recall", "roc_auc_score",
    "roc_curve", "sensitivity", "specificity",
]
