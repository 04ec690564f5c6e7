"""nnbook.metrics against scikit-learn on random, imbalanced and absent-class labels."""

import warnings

import numpy as np
import pytest
from sklearn import metrics as skm
from sklearn.exceptions import UndefinedMetricWarning

from nnbook import metrics

ZERO_DIVISION = [0.0, 1.0, np.nan]
SCORES = {"precision": (metrics.precision, skm.precision_score),
          "recall": (metrics.recall, skm.recall_score),
          "f1_score": (metrics.f1_score, skm.f1_score)}


def _binary_case(name, rng):
    """(y_true, y_pred) of two classes, named for what makes them hard."""
    if name == "random":
        return rng.integers(0, 2, 80), rng.integers(0, 2, 80)
    if name == "imbalanced":                       # 5% positives, predictions mostly right
        y = (rng.random(200) < 0.05).astype(int)
        flip = rng.random(200) < 0.1
        return y, np.where(flip, 1 - y, y)
    if name == "nothing_predicted_positive":       # precision 0/0
        return rng.integers(0, 2, 30), np.zeros(30, int)
    if name == "no_positive_example":              # recall 0/0
        return np.zeros(30, int), rng.integers(0, 2, 30)
    if name == "no_positive_anywhere":             # precision, recall and F1 all 0/0
        return np.zeros(30, int), np.zeros(30, int)
    raise KeyError(name)


BINARY_CASES = ["random", "imbalanced", "nothing_predicted_positive", "no_positive_example",
                "no_positive_anywhere"]


def _multiclass_case(name, rng):
    """(y_true, y_pred, labels) of several classes."""
    if name == "random":
        return rng.integers(0, 4, 100), rng.integers(0, 4, 100), None
    if name == "imbalanced":
        y = rng.choice(4, size=300, p=[0.85, 0.1, 0.04, 0.01])
        wrong = rng.random(300) < 0.2
        return y, np.where(wrong, rng.integers(0, 4, 300), y), None
    if name == "predicted_never_true":             # class 3 predicted, never true
        y = rng.integers(0, 3, 60)
        pred = y.copy()
        pred[:10] = 3
        return y, pred, None
    if name == "true_never_predicted":             # class 2 occurs, never predicted
        y = rng.integers(0, 3, 60)
        return y, np.where(y == 2, 0, y), None
    if name == "absent_class_in_labels":           # class 5 in labels, nowhere in the data
        return rng.integers(0, 4, 60), rng.integers(0, 4, 60), [0, 1, 2, 3, 5]
    if name == "subset_of_labels":                 # score classes 2 and 0 only, in that order
        return rng.integers(0, 4, 60), rng.integers(0, 4, 60), [2, 0]
    if name == "strings":
        names = np.array(["cat", "dog", "pig"])
        return names[rng.integers(0, 3, 50)], names[rng.integers(0, 3, 50)], None
    raise KeyError(name)


MULTICLASS_CASES = ["random", "imbalanced", "predicted_never_true", "true_never_predicted",
                    "absent_class_in_labels", "subset_of_labels", "strings"]


def _same(ours, theirs):
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0, equal_nan=True)


# --- accuracy, precision, recall, F1 ----------------------------------------------------

@pytest.mark.parametrize("case", MULTICLASS_CASES[:4] + ["strings"])
def test_accuracy_matches_sklearn(case, rng):
    y, pred, _ = _multiclass_case(case, rng)
    assert metrics.accuracy(y, pred) == pytest.approx(skm.accuracy_score(y, pred), rel=1e-15)


@pytest.mark.parametrize("zero_division", ZERO_DIVISION)
@pytest.mark.parametrize("case", BINARY_CASES)
@pytest.mark.parametrize("metric", SCORES)
def test_binary_score_matches_sklearn(metric, case, zero_division, rng):
    ours, theirs = SCORES[metric]
    y, pred = _binary_case(case, rng)
    _same(ours(y, pred, zero_division=zero_division),
          theirs(y, pred, zero_division=zero_division))


@pytest.mark.parametrize("metric", SCORES)
def test_binary_score_of_another_positive_class_matches_sklearn(metric, rng):
    ours, theirs = SCORES[metric]
    y, pred = np.array(["no", "yes"])[np.stack(_binary_case("imbalanced", rng))]
    _same(ours(y, pred, pos_label="yes"), theirs(y, pred, pos_label="yes"))


@pytest.mark.parametrize("zero_division", ZERO_DIVISION)
@pytest.mark.parametrize("average", ["macro", "weighted", "micro", None])
@pytest.mark.parametrize("case", MULTICLASS_CASES)
@pytest.mark.parametrize("metric", SCORES)
def test_multiclass_score_matches_sklearn(metric, case, average, zero_division, rng):
    ours, theirs = SCORES[metric]
    y, pred, labels = _multiclass_case(case, rng)
    _same(ours(y, pred, average=average, labels=labels, zero_division=zero_division),
          theirs(y, pred, average=average, labels=labels, zero_division=zero_division))


@pytest.mark.parametrize("zero_division", ZERO_DIVISION)
@pytest.mark.parametrize("metric", SCORES)
def test_weighted_score_of_classes_that_never_occur_matches_sklearn(metric, zero_division, rng):
    ours, theirs = SCORES[metric]
    y, pred = rng.integers(0, 3, 40), rng.integers(0, 3, 40)
    _same(ours(y, pred, average="weighted", labels=[7, 8], zero_division=zero_division),
          theirs(y, pred, average="weighted", labels=[7, 8], zero_division=zero_division))


def test_default_zero_division_is_sklearns_default_value_without_a_warning(rng):
    y, pred = _binary_case("nothing_predicted_positive", rng)
    with pytest.warns(UndefinedMetricWarning):
        expected = skm.precision_score(y, pred)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert metrics.precision(y, pred) == expected == 0.0


def test_sensitivity_is_recall():
    assert metrics.sensitivity is metrics.recall


@pytest.mark.parametrize("case", BINARY_CASES[:3])
def test_specificity_is_sklearns_recall_of_the_negative_class(case, rng):
    y, pred = _binary_case(case, rng)
    assert metrics.specificity(y, pred) == pytest.approx(skm.recall_score(y, pred, pos_label=0))


# --- counts and the confusion matrix ----------------------------------------------------

@pytest.mark.parametrize("case", BINARY_CASES)
def test_binary_counts_match_sklearns_confusion_matrix(case, rng):
    y, pred = _binary_case(case, rng)
    tn, fp, fn, tp = skm.confusion_matrix(y, pred, labels=[0, 1]).ravel()
    counts = metrics.binary_counts(y, pred)
    assert (counts.tp, counts.tn, counts.fp, counts.fn) == (tp, tn, fp, fn)
    assert counts.total == len(y)


def test_binary_counts_of_named_classes(rng):
    y, pred = np.array(["benign", "malignant"])[np.stack(_binary_case("random", rng))]
    tn, fp, fn, tp = skm.confusion_matrix(y, pred, labels=["benign", "malignant"]).ravel()
    assert metrics.binary_counts(y, pred, pos_label="malignant") == metrics.BinaryCounts(
        tp=tp, tn=tn, fp=fp, fn=fn)


@pytest.mark.parametrize("case", MULTICLASS_CASES)
def test_confusion_matrix_matches_sklearn(case, rng):
    y, pred, labels = _multiclass_case(case, rng)
    ours = metrics.confusion_matrix(y, pred, labels=labels)
    np.testing.assert_array_equal(ours, skm.confusion_matrix(y, pred, labels=labels))


@pytest.mark.parametrize("normalize", ["true", "pred", "all"])
def test_normalised_confusion_matrix_matches_sklearn(normalize, rng):
    y, pred, labels = _multiclass_case("absent_class_in_labels", rng)
    _same(metrics.confusion_matrix(y, pred, labels=labels, normalize=normalize),
          skm.confusion_matrix(y, pred, labels=labels, normalize=normalize))


def test_confusion_matrix_rows_are_true_classes():
    matrix = metrics.confusion_matrix([0, 0, 1], [1, 1, 1])
    np.testing.assert_array_equal(matrix, [[0, 2], [0, 1]])


# --- mean absolute error ----------------------------------------------------------------

@pytest.mark.parametrize("shape", [(40,), (40, 3)])
def test_mean_absolute_error_matches_sklearn(shape, rng):
    y, y_hat = rng.normal(size=shape), rng.normal(size=shape)
    assert metrics.mean_absolute_error(y, y_hat) == pytest.approx(
        skm.mean_absolute_error(y, y_hat), rel=1e-12)


# --- threshold curves -------------------------------------------------------------------

def _scores_case(name, rng):
    """(y_true, scores, pos_label)."""
    if name == "continuous":
        y = rng.integers(0, 2, 60)
        return y, rng.normal(size=60) + y, 1
    if name == "ties":                             # few distinct scores: many tied examples
        y = rng.integers(0, 2, 80)
        return y, np.round(rng.random(80) + 0.3 * y, 1), 1
    if name == "imbalanced":
        y = (rng.random(300) < 0.04).astype(int)
        return y, rng.random(300) + 0.5 * y, 1
    if name == "strings":
        y = rng.integers(0, 2, 50)
        return np.array(["ham", "spam"])[y], rng.random(50) + 0.4 * y, "spam"
    if name == "minus_one_and_one":
        y = rng.integers(0, 2, 50)
        return 2 * y - 1, np.round(rng.normal(size=50) + y, 1), 1
    raise KeyError(name)


CURVE_CASES = ["continuous", "ties", "imbalanced", "strings", "minus_one_and_one"]


@pytest.mark.parametrize("drop_intermediate", [False, True])
@pytest.mark.parametrize("case", CURVE_CASES)
def test_precision_recall_curve_matches_sklearn(case, drop_intermediate, rng):
    y, scores, pos_label = _scores_case(case, rng)
    ours = metrics.precision_recall_curve(y, scores, pos_label=pos_label,
                                          drop_intermediate=drop_intermediate)
    theirs = skm.precision_recall_curve(y, scores, pos_label=pos_label,
                                        drop_intermediate=drop_intermediate)
    for a, b in zip(ours, theirs, strict=True):
        _same(a, b)


def test_precision_recall_curve_with_only_positives_matches_sklearn(rng):
    y, scores = np.ones(20, int), rng.random(20)
    for a, b in zip(metrics.precision_recall_curve(y, scores),
                    skm.precision_recall_curve(y, scores), strict=True):
        _same(a, b)


@pytest.mark.parametrize("drop_intermediate", [False, True])
@pytest.mark.parametrize("case", CURVE_CASES)
def test_roc_curve_matches_sklearn(case, drop_intermediate, rng):
    y, scores, pos_label = _scores_case(case, rng)
    ours = metrics.roc_curve(y, scores, pos_label=pos_label, drop_intermediate=drop_intermediate)
    theirs = skm.roc_curve(y, scores, pos_label=pos_label, drop_intermediate=drop_intermediate)
    for a, b in zip(ours, theirs, strict=True):
        _same(a, b)


def test_roc_curve_drops_intermediate_points_by_default_as_sklearn(rng):
    y, scores, _ = _scores_case("continuous", rng)
    kept = metrics.roc_curve(y, scores)[2]
    every = metrics.roc_curve(y, scores, drop_intermediate=False)[2]
    assert len(kept) < len(every)
    _same(kept, skm.roc_curve(y, scores)[2])


@pytest.mark.parametrize("case", CURVE_CASES)
def test_roc_auc_score_matches_sklearn(case, rng):
    y, scores, pos_label = _scores_case(case, rng)
    positive = y == pos_label
    expected = skm.roc_auc_score(positive, scores)
    ours = metrics.roc_auc_score(y, scores, pos_label=pos_label)
    assert ours == pytest.approx(expected, rel=1e-12)


def test_roc_auc_is_the_chance_a_positive_outscores_a_negative(rng):
    y, scores, _ = _scores_case("ties", rng)
    pos, neg = scores[y == 1][:, None], scores[y == 0][None, :]
    expected = np.mean((pos > neg) + 0.5 * (pos == neg))
    assert metrics.roc_auc_score(y, scores) == pytest.approx(expected, rel=1e-12)


# --- errors a learner can act on --------------------------------------------------------

LABEL_FUNCTIONS = {
    "accuracy": metrics.accuracy, "precision": metrics.precision, "recall": metrics.recall,
    "f1_score": metrics.f1_score, "specificity": metrics.specificity,
    "confusion_matrix": metrics.confusion_matrix, "binary_counts": metrics.binary_counts,
}


@pytest.mark.parametrize("function", LABEL_FUNCTIONS.values(), ids=LABEL_FUNCTIONS.keys())
def test_labels_of_different_lengths_raise(function):
    with pytest.raises(ValueError, match="same length.*got 3 and 2"):
        function([0, 1, 1], [0, 1])


@pytest.mark.parametrize("function", LABEL_FUNCTIONS.values(), ids=LABEL_FUNCTIONS.keys())
def test_empty_labels_raise(function):
    with pytest.raises(ValueError, match="y_true is empty"):
        function([], [])


@pytest.mark.parametrize("function", LABEL_FUNCTIONS.values(), ids=LABEL_FUNCTIONS.keys())
def test_two_dimensional_labels_raise_with_a_hint(function):
    with pytest.raises(ValueError, match=r"1-D.*got shape \(2, 2\).*argmax"):
        function([0, 1], [[0.2, 0.8], [0.9, 0.1]])


def test_fractional_labels_raise_and_say_how_to_threshold():
    with pytest.raises(ValueError, match=r"class labels.*got 0.7.*p >= 0.5"):
        metrics.precision([0, 1], [0.7, 0.2])


def test_nan_labels_raise():
    with pytest.raises(ValueError, match="y_true contains NaN"):
        metrics.accuracy([0.0, np.nan], [0, 1])


def test_strings_against_numbers_raise():
    with pytest.raises(ValueError, match="y_pred holds strings and y_true numbers"):
        metrics.accuracy([0, 1], ["0", "1"])


def test_mixed_label_kinds_in_one_array_raise():
    with pytest.raises(ValueError, match="one kind"):
        metrics.accuracy(np.array([0, "a"], dtype=object), np.array([0, 1]))


@pytest.mark.parametrize("metric", SCORES)
def test_binary_average_on_several_classes_raises_naming_the_others(metric):
    with pytest.raises(ValueError, match=r"3 classes \[0, 1, 2\].*'macro'"):
        SCORES[metric][0]([0, 1, 2], [0, 1, 1])


@pytest.mark.parametrize("metric", SCORES)
def test_unknown_average_raises(metric):
    with pytest.raises(ValueError, match="average must be one of"):
        SCORES[metric][0]([0, 1], [0, 1], average="mean")


@pytest.mark.parametrize("value", ["warn", 0.5, None, True])
def test_bad_zero_division_raises(value):
    with pytest.raises(ValueError, match="zero_division must be 0.0, 1.0 or np.nan"):
        metrics.recall([0, 1], [0, 1], zero_division=value)


@pytest.mark.parametrize("function", [metrics.precision, metrics.binary_counts])
def test_pos_label_that_is_not_a_class_raises(function):
    with pytest.raises(ValueError, match=r"pos_label=1 is not one of the classes \['a', 'b'\]"):
        function(["a", "b"], ["b", "a"])


def test_repeated_labels_raise():
    with pytest.raises(ValueError, match="lists a class twice"):
        metrics.precision([0, 1], [0, 1], average="macro", labels=[0, 1, 1])


def test_labels_none_of_which_occur_raise():
    with pytest.raises(ValueError, match=r"none of labels \[7, 8\] occurs in y_true"):
        metrics.confusion_matrix([0, 1], [0, 1], labels=[7, 8])


def test_unknown_normalize_raises():
    with pytest.raises(ValueError, match="normalize must be"):
        metrics.confusion_matrix([0, 1], [0, 1], normalize="rows")


def test_mean_absolute_error_of_different_shapes_raises():
    with pytest.raises(ValueError, match="same shape"):
        metrics.mean_absolute_error([1.0, 2.0], [1.0, 2.0, 3.0])


CURVES = {"precision_recall_curve": metrics.precision_recall_curve,
          "roc_curve": metrics.roc_curve, "roc_auc_score": metrics.roc_auc_score}


@pytest.mark.parametrize("curve", CURVES.values(), ids=CURVES.keys())
def test_curve_with_nan_scores_raises(curve):
    with pytest.raises(ValueError, match="scores contains NaN"):
        curve([0, 1, 1], [0.1, np.nan, 0.3])


@pytest.mark.parametrize("curve", CURVES.values(), ids=CURVES.keys())
def test_curve_with_one_score_per_class_raises_with_a_hint(curve):
    with pytest.raises(ValueError, match=r"scores of shape \(N,\).*got \(2, 2\).*p\[:, 1\]"):
        curve([0, 1], [[0.9, 0.1], [0.2, 0.8]])


@pytest.mark.parametrize("curve", CURVES.values(), ids=CURVES.keys())
def test_curve_with_mismatched_lengths_raises(curve):
    with pytest.raises(ValueError, match="one score per example; got 3 labels and 2 scores"):
        curve([0, 1, 1], [0.1, 0.2])


@pytest.mark.parametrize("curve", CURVES.values(), ids=CURVES.keys())
def test_curve_of_several_classes_raises_with_one_against_the_rest(curve):
    with pytest.raises(ValueError, match=r"two classes.*got 3.*y_true == k"):
        curve([0, 1, 2], [0.1, 0.2, 0.3])


@pytest.mark.parametrize("curve", [metrics.roc_curve, metrics.roc_auc_score])
def test_roc_of_one_class_raises(curve):
    with pytest.raises(ValueError, match=r"both classes.*only \[1\]"):
        curve([1, 1, 1], [0.1, 0.2, 0.3])


def test_precision_recall_curve_without_positives_raises():
    with pytest.raises(ValueError, match="no example of the positive class 1"):
        metrics.precision_recall_curve([0, 0, 0], [0.1, 0.2, 0.3])


def test_curve_pos_label_that_is_not_a_class_raises():
    with pytest.raises(ValueError, match=r"pos_label=1 is not one of the classes \[2, 3\]"):
        metrics.roc_curve([2, 3, 3], [0.1, 0.2, 0.3])
