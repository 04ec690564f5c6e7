"""Chapter 7's exercise checkers, each with its table of (wrong answer, diagnosis).

A checker is called with the learner's answer, prints ✓ or the first thing that is wrong
with a hint (``nnbook.checks``), and never raises for a wrong answer.
"""

import numpy as np

from nnbook.checks import (
    Failure,
    as_number,
    as_numbers_or_none,
    call,
    checker,
    diagnose,
    require_callable,
    short,
)

# --- Exercise checkers -----------------------------------------------------------------------

# F1 from a confusion matrix, by hand ---------------------------------------------------------

#: A screening test on 1,000 people, 60 of whom are ill ("positive").
SCREENING = {"tp": 45, "fn": 15, "fp": 30, "tn": 910}


def screening_answers(counts=SCREENING):
    """(precision, recall, F1) of the counts: TP/(TP+FP), TP/(TP+FN), 2TP/(2TP+FP+FN)."""
    tp, fn, fp = counts["tp"], counts["fn"], counts["fp"]
    return tp / (tp + fp), tp / (tp + fn), 2 * tp / (2 * tp + fp + fn)


def _screening_mistakes(counts=SCREENING):
    """{quantity: [(wrong value, diagnosis), ...]}: the usual slips with these counts."""
    tp, fn, fp, tn = counts["tp"], counts["fn"], counts["fp"], counts["tn"]
    n = tp + fn + fp + tn
    precision, recall, f1 = screening_answers(counts)
    accuracy, specificity = (tp + tn) / n, tn / (tn + fp)
    as_percent = "give it as a fraction between 0 and 1, not a percentage."
    return {
        "precision": [
            (recall, "that is TP / (TP + FN), the recall. Precision asks: of those the test "
                     "called ill (TP + FP), how many are?"),
            (accuracy, "that is the accuracy, (TP + TN) / N."),
            (specificity, "that is TN / (TN + FP), the specificity."),
            (100 * precision, as_percent),
        ],
        "recall": [
            (precision, "that is TP / (TP + FP), the precision. Recall asks: of those who are "
                        "ill (TP + FN), how many did the test find?"),
            (specificity, "that is the specificity, the recall of the healthy."),
            (accuracy, "that is the accuracy, (TP + TN) / N."),
            (100 * recall, as_percent),
        ],
        "f1": [
            ((precision + recall) / 2, "that is the arithmetic mean of precision and recall; F1 is "
                                       "their harmonic mean, 2PR / (P + R)."),
            (precision * recall, "that is P·R; F1 = 2PR / (P + R)."),
            (precision * recall / (precision + recall), "you left out the 2: F1 = 2PR / (P + R)."),
            (accuracy, "that is the accuracy; F1 ignores the true negatives."),
            (2 * tn / (2 * tn + fp + fn), "that is the F1 score of the healthy class: here the "
                                         "positive class is the ill."),
            (100 * f1, as_percent),
        ],
    }


@checker("check_f1_by_hand")
def check_f1_by_hand(precision, recall, f1):
    """Check the precision, recall and F1 score of the screening counts ``SCREENING``."""
    mistakes = _screening_mistakes()
    for name, value, expected in zip(("precision", "recall", "f1"), (precision, recall, f1),
                                     screening_answers()):
        got = as_number(value)
        if got is None:
            raise Failure(f"{name} should be one number (e.g. 0.5); got {value!r}.")
        if np.isclose(got, expected, rtol=1e-3, atol=1e-4):
            continue
        why = diagnose(got, mistakes[name], rtol=1e-3, atol=1e-4)
        counts = ", ".join(f"{k.upper()} = {v}" for k, v in SCREENING.items())
        raise Failure(f"{name} = {got:.4g} is not right for {counts}.",
                      hint=why or {"precision": "precision = TP / (TP + FP).",
                                   "recall": "recall = TP / (TP + FN).",
                                   "f1": "F1 = 2PR / (P + R) = 2TP / (2TP + FP + FN)."}[name])
    return 3


# Spot the leak: standardise three parts with the training part's statistics -----------------

def _prepare_cases():
    """Three parts with different means and spreads per feature, so every mistake shows."""
    rng = np.random.default_rng(7)
    x_train = rng.normal([2.0, -1.0, 10.0], [3.0, 0.5, 2.0], size=(20, 3))
    x_val = rng.normal([5.0, 0.0, 8.0], [1.0, 2.0, 1.0], size=(10, 3))
    x_test = rng.normal([-1.0, 1.0, 12.0], [2.0, 1.0, 3.0], size=(8, 3))
    return x_train, x_val, x_test


def _standardise_with(x_fit, parts, ddof=0):
    mean, std = x_fit.mean(axis=0), x_fit.std(axis=0, ddof=ddof)
    return tuple((x - mean) / std for x in parts)


def prepare_reference(x_train, x_val, x_test):
    """The right answer: mean and standard deviation of each feature of the TRAINING part,
    applied to all three parts (what ``training.Standardizer`` does)."""
    return _standardise_with(x_train, (x_train, x_val, x_test))


def _prepare_mistakes(x_train, x_val, x_test):
    parts = (x_train, x_val, x_test)
    everything = np.concatenate(parts)
    return [
        (_standardise_with(everything, parts),
         "your mean and standard deviation come from all the data, the validation and test "
         "parts included: that is the leak. Measure them on x_train only."),
        (_standardise_with(np.concatenate(parts[:2]), parts),
         "the validation part leaked into the statistics: measure them on x_train only."),
        (tuple(_standardise_with(x, (x,))[0] for x in parts),
         "each part was standardised with its own mean and standard deviation. Use the "
         "training part's for all three: a model meets new data with what it learned in "
         "training (and a single new example has no standard deviation of its own)."),
        (_standardise_with(x_train, parts, ddof=1),
         "you divided by the sample standard deviation (ddof=1); Standardizer and "
         "scikit-learn's StandardScaler use np.std's default, ddof=0."),
        (tuple(x - x_train.mean(axis=0) for x in parts),
         "you subtracted the mean but did not divide by the standard deviation."),
        (tuple((x - x_train.mean()) / x_train.std() for x in parts),
         "one mean and one standard deviation over every number: standardise each feature "
         "(each column) on its own, with axis=0."),
        (tuple((x - x_train.min(axis=0)) / np.ptp(x_train, axis=0) for x in parts),
         "that is min-max scaling to [0, 1] (what MinMaxScaler does), not standardising: "
         "subtract the training mean and divide by the training standard deviation."),
        (_standardise_with(x_train, parts)[:2] + (x_test,),
         "x_test was returned unchanged: transform it with the training statistics too."),
    ]


@checker("check_prepare")
def check_prepare(fn):
    """Check ``fn(x_train, x_val, x_test)`` -> the three parts standardised without a leak."""
    require_callable(fn, "prepare function")
    cases = _prepare_cases()
    copies = tuple(x.copy() for x in cases)
    value = call(fn, *copies, describe="three parts of shapes (20, 3), (10, 3), (8, 3)")
    if not all(np.array_equal(a, b) for a, b in zip(copies, cases)):
        raise Failure("your function changed the arrays it was given; return new arrays instead.")
    if not (isinstance(value, (tuple, list)) and len(value) == 3):
        raise Failure(f"return the three parts, (x_train, x_val, x_test); got {type(value).__name__}"
                      + (f" of length {len(value)}" if isinstance(value, (tuple, list)) else "") + ".")
    got = [as_numbers_or_none(v) for v in value]
    expected = prepare_reference(*cases)
    if any(g is None or g.shape != e.shape for g, e in zip(got, expected)):
        raise Failure(f"expected arrays of shapes {[e.shape for e in expected]}; got "
                      f"{[None if g is None else g.shape for g in got]}.")
    if all(np.allclose(g, e) for g, e in zip(got, expected)):
        return 1
    for wrong, why in _prepare_mistakes(*cases):
        if all(np.allclose(g, w) for g, w in zip(got, wrong)):
            raise Failure("the parts are not standardised with the training statistics.", hint=why)
    names = ("x_train", "x_val", "x_test")
    first = next(k for k, (g, e) in enumerate(zip(got, expected)) if not np.allclose(g, e))
    raise Failure(f"{names[first]} is not (x - mean) / std with the mean and std of each feature of "
                  f"x_train; its first row is {short(np.round(got[first][0], 4))}, expected "
                  f"{short(np.round(expected[first][0], 4))}.",
                  hint="mean = x_train.mean(axis=0), std = x_train.std(axis=0), for all three parts.")


# The L2 strength with the lowest validation loss, with 480 training points -----------------

#: The exercise's grid of L2 strengths, its training-set size and its seeds.
L2_GRID, L2_N_TRAIN, L2_SEEDS = (0.0, 1e-3, 3e-3, 1e-2, 3e-2), 480, (0, 1, 2)
#: Its answer: the strength whose median validation loss over the seeds is lowest (the tests
#: recompute it: ``tests/unit/test_ch07.py``).
BEST_L2 = 3e-3
#: What the chapter found with 60 training points.
BEST_L2_60 = 1e-2


@checker("check_best_l2")
def check_best_l2(strength):
    """Check ``strength``: the L2 strength of ``L2_GRID`` with the lowest median validation loss
    when the moons network trains on 480 points (seeds 0, 1, 2)."""
    got = as_number(strength)
    if got is None:
        raise Failure(f"expected one number from the grid {list(L2_GRID)}; got {strength!r}.")
    if np.isclose(got, BEST_L2, rtol=1e-6):
        return 1
    if not any(np.isclose(got, value, rtol=1e-6, atol=1e-12) for value in L2_GRID):
        hint = f"pick one of the strengths of the grid: {list(L2_GRID)}."
    elif got == 0:
        hint = ("without a penalty the TRAINING loss is lowest, never the validation loss here: "
                "choose by the validation loss.")
    elif np.isclose(got, BEST_L2_60):
        hint = ("that was the best strength with 60 training points. With eight times more data "
                "the network overfits less, and a weaker penalty does better: run the sweep.")
    elif got > BEST_L2:
        hint = ("that penalty is too strong: it pulls the weights so hard that the network "
                "underfits (its training loss rises too). Compare the medians again.")
    else:
        hint = ("that penalty is a little too weak: the median validation loss is lower one or two "
                "steps up the grid.")
    raise Failure(f"λ = {got:g} does not give the lowest median validation loss.", hint=hint)


# Read a learning curve: when does early stopping stop, which weights does it keep? ----------

#: The validation loss after each epoch (epoch 1 first) of the exercise's run, and its patience.
STOPPING_LOSSES = (0.90, 0.62, 0.50, 0.46, 0.47, 0.44, 0.45, 0.46, 0.44, 0.48, 0.50, 0.53)
STOPPING_PATIENCE = 3


def stopping_answer(val_losses=STOPPING_LOSSES, patience=STOPPING_PATIENCE):
    """(the epoch after which training stops, the epoch whose weights are restored), as
    ``regularization.EarlyStopping(patience)`` decides: an improvement must be strictly lower;
    epochs count from 1. The stop is the last epoch if patience never runs out."""
    best, best_epoch, wait = None, None, 0
    for epoch, value in enumerate(val_losses, start=1):
        if best is None or value < best:
            best, best_epoch, wait = value, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(val_losses), best_epoch


def _stopping_mistakes():
    stop, best = stopping_answer()
    tie = stopping_answer([v - 1e-9 * (k == 8) for k, v in enumerate(STOPPING_LOSSES)])
    return [
        (tie, "you counted epoch 9's 0.44 as an improvement, but it only equals the best so far; "
              "an improvement must be lower."),
        ((stop - 1, best - 1), "epochs count from 1 here: the first loss is epoch 1's."),
        ((stop, best - 1), "epochs count from 1 here: the first loss is epoch 1's."),
        ((stop - 1, best), f"patience {STOPPING_PATIENCE} means {STOPPING_PATIENCE} epochs in a row "
                           "without improvement; count them after the best epoch."),
        ((stop, stop), f"the weights put back are not the last epoch's, and epoch {stop}'s loss only "
                       f"ties the best: they are those of epoch {best}, the first to reach it."),
        ((len(STOPPING_LOSSES), best), f"patience runs out before the end: {STOPPING_PATIENCE} "
                                       "epochs in a row without a new lowest loss stop it."),
        ((best, stop), "the two are swapped: the stop comes first in the argument list, and it "
                       "comes after the best epoch, never before it."),
    ]


@checker("check_early_stopping")
def check_early_stopping(stopped_epoch, restored_epoch):
    """Check the epoch after which early stopping (patience ``STOPPING_PATIENCE``) stops on
    ``STOPPING_LOSSES``, and the epoch whose weights it restores."""
    stop, best = stopping_answer()
    got = [as_number(stopped_epoch), as_number(restored_epoch)]
    if any(g is None or g != round(g) for g in got):
        raise Failure(f"give two epoch numbers (whole numbers from 1 to {len(STOPPING_LOSSES)}); "
                      f"got {stopped_epoch!r}, {restored_epoch!r}.")
    if got == [stop, best]:
        return 1
    why = diagnose(np.array(got), [(np.array(w), d) for w, d in _stopping_mistakes()])
    if got[0] == stop:
        raise Failure(f"epoch {stop} is right for the stop, but epoch {got[1]:g} is not the one restored.",
                      hint=why or "the restored weights are those of the epoch with the lowest loss.")
    raise Failure(f"training does not stop after epoch {got[0]:g}.",
                  hint=why or ("follow the best loss so far and count the epochs since it last "
                               f"fell; at {STOPPING_PATIENCE} training stops."))


__all__ = [
    "BEST_L2", "BEST_L2_60", "L2_GRID", "L2_N_TRAIN", "L2_SEEDS", "SCREENING", "STOPPING_LOSSES",
    "STOPPING_PATIENCE", "check_best_l2", "check_early_stopping", "check_f1_by_hand",
    "check_prepare", "prepare_reference", "screening_answers", "stopping_answer",
]
