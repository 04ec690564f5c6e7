"""nnbook.checks: every checker passes a right answer, explains a wrong one, and never raises on it."""

import numpy as np
import pytest

from nnbook import neuron, perceptron
from nnbook.activations import step
from nnbook.book import ch00_introduction as ch00
from nnbook.book import ch01_neurons as ch01
from nnbook.checks import MESSAGE_WIDTH, CheckResult

ALEXNET = ch00.IMAGENET_TOP5_ERROR["AlexNet (2012)"]
RESNET = ch00.IMAGENET_TOP5_ERROR["ResNet (2015)"]
RIGHT_REDUCTION = (ALEXNET - RESNET) / ALEXNET
CHRONOLOGICAL = [m.label for m in ch00.MILESTONES]


def right_neuron(x, w, b):
    return float(np.dot(x, w) + b > 0)


def right_update(w, b, x, target, learning_rate):
    return perceptron.perceptron_update(w, b, x, target, learning_rate)[:2]


RIGHT_ANSWERS = {
    "neuron_output": lambda: ch01.check_neuron_output(right_neuron),
    "gate_weights-AND": lambda: ch01.check_gate_weights("AND", *neuron.GATE_WEIGHTS["AND"]),
    "gate_weights-OR": lambda: ch01.check_gate_weights("OR", *neuron.GATE_WEIGHTS["OR"]),
    "gate_weights-NAND": lambda: ch01.check_gate_weights("NAND", *neuron.GATE_WEIGHTS["NAND"]),
    "gate_weights-NOR": lambda: ch01.check_gate_weights("NOR", *neuron.GATE_WEIGHTS["NOR"]),
    "gate_weights-NOT": lambda: ch01.check_gate_weights("NOT", *neuron.GATE_WEIGHTS["NOT"]),
    "perceptron_update": lambda: ch01.check_perceptron_update(right_update),
    "xor_network": lambda: ch01.check_xor_network(neuron.xor_network),
    "milestone_order": lambda: ch00.check_milestone_order(CHRONOLOGICAL),
    "error_reduction": lambda: ch00.check_error_reduction(RIGHT_REDUCTION),
    "ai_ml_dl": lambda: ch00.check_ai_ml_dl(dict(ch00.SYSTEM_EXAMPLES)),
}


def returns_none(*args):
    return None


def divides_by_zero(*args):
    return 1 / 0


def fires_at_zero(x, w, b):  # `>=` where the neuron needs `>`
    return float(np.dot(x, w) + b >= 0)


def forgets_to_sum(x, w, b):  # an array, one entry per input, instead of one number
    return step(np.multiply(x, w) + b)


def never_updates(w, b, x, target, learning_rate):
    return w, b


def one_wrong_answer():
    answers = dict(ch00.SYSTEM_EXAMPLES)
    answers["a spam filter that fits logistic regression to labelled emails"] = "DL"
    return answers


WRONG_ANSWERS = {
    "neuron_output-returns-None": (lambda: ch01.check_neuron_output(returns_none), "return"),
    "neuron_output-raises": (lambda: ch01.check_neuron_output(divides_by_zero), "ZeroDivisionError"),
    "neuron_output-fires-at-zero": (lambda: ch01.check_neuron_output(fires_at_zero), "exactly 0"),
    "neuron_output-returns-array": (lambda: ch01.check_neuron_output(forgets_to_sum), "one number"),
    "gate_weights-AND-wrong-bias": (lambda: ch01.check_gate_weights("AND", [1.0, 1.0], -0.5), "(0, 1)"),
    "gate_weights-AND-wrong-shape": (lambda: ch01.check_gate_weights("AND", [1.0, 1.0, 1.0], -1.5), "2 weight"),
    "perceptron_update-returns-None": (lambda: ch01.check_perceptron_update(returns_none), "return"),
    "perceptron_update-raises": (lambda: ch01.check_perceptron_update(divides_by_zero), "ZeroDivisionError"),
    "perceptron_update-never-updates": (lambda: ch01.check_perceptron_update(never_updates), "expected w="),
    "xor_network-returns-None": (lambda: ch01.check_xor_network(returns_none), "return"),
    "xor_network-one-neuron": (lambda: ch01.check_xor_network(lambda x: neuron.neuron(x, [1.0, 1.0], -0.5)), "XOR"),
    "milestone_order-out-of-order": (lambda: ch00.check_milestone_order(CHRONOLOGICAL[::-1]), "happened later"),
    "milestone_order-unknown-label": (lambda: ch00.check_milestone_order(["Transformers"]), "not a milestone"),
    "error_reduction-percentage": (lambda: ch00.check_error_reduction(100 * RIGHT_REDUCTION), "percentage"),
    "error_reduction-wrong": (lambda: ch00.check_error_reduction(RESNET / ALEXNET), "old error - new error"),
    "error_reduction-None": (lambda: ch00.check_error_reduction(None), "one number"),
    "ai_ml_dl-one-wrong": (lambda: ch00.check_ai_ml_dl(one_wrong_answer()), "expected 'ML', got 'DL'"),
    "ai_ml_dl-missing": (lambda: ch00.check_ai_ml_dl({}), "no answer"),
}


# --- right answers -------------------------------------------------------------------------

@pytest.mark.parametrize("check", RIGHT_ANSWERS.values(), ids=RIGHT_ANSWERS.keys())
def test_right_answer_passes(check):
    result = check()
    assert isinstance(result, CheckResult)
    assert result


@pytest.mark.parametrize("check", RIGHT_ANSWERS.values(), ids=RIGHT_ANSWERS.keys())
def test_right_answer_prints_a_tick(check, capsys):
    check()
    printed = capsys.readouterr().out
    assert printed.startswith("✓")


def test_ai_ml_dl_ignores_the_case_of_the_answers():
    assert ch00.check_ai_ml_dl({example: circle.lower() for example, circle in ch00.SYSTEM_EXAMPLES.items()})


def test_milestones_of_the_same_year_pass_in_either_order():
    same_year = [m.label for m in ch00.MILESTONES if m.year == 1989]
    assert len(same_year) == 2
    assert ch00.check_milestone_order(same_year) and ch00.check_milestone_order(same_year[::-1])


# --- wrong answers -------------------------------------------------------------------------

@pytest.mark.parametrize("check, _", WRONG_ANSWERS.values(), ids=WRONG_ANSWERS.keys())
def test_wrong_answer_fails_without_raising(check, _):
    result = check()
    assert isinstance(result, CheckResult)
    assert not result


@pytest.mark.parametrize("check, phrase", WRONG_ANSWERS.values(), ids=WRONG_ANSWERS.keys())
def test_wrong_answer_prints_a_cross_and_a_helpful_message(check, phrase, capsys):
    result = check()
    printed = capsys.readouterr().out
    assert printed.startswith("✗")
    assert phrase in printed.replace("\n   ", " ")  # the phrase may be wrapped onto two lines
    assert printed.rstrip("\n") == result.message


@pytest.mark.parametrize("weights", [([1.0, 1.0], -0.5), ([1.0, -1.0], 0.0), ([-2.0, 0.1], -0.1), ([0.0, 0.0], 0.0)],
                         ids=["OR", "slanted", "best-of-grid", "zero"])
def test_no_weights_pass_xor(weights, capsys):
    result = ch01.check_gate_weights("XOR", *weights)
    assert not result
    assert "no single line" in capsys.readouterr().out.replace("\n   ", " ")


# --- misuse --------------------------------------------------------------------------------

@pytest.mark.parametrize("checker", [ch01.check_neuron_output, ch01.check_perceptron_update, ch01.check_xor_network])
def test_passing_a_non_callable_is_a_type_error(checker):
    with pytest.raises(TypeError, match="the function, without calling it"):
        checker(1.0)


def test_gate_weights_rejects_an_unknown_gate():
    with pytest.raises(ValueError, match="XNOR"):
        ch01.check_gate_weights("XNOR", [1.0, 1.0], 0.0)


def test_ai_ml_dl_rejects_a_list():
    with pytest.raises(TypeError, match="dict"):
        ch00.check_ai_ml_dl(list(ch00.SYSTEM_EXAMPLES.values()))


def test_milestone_order_rejects_a_string():
    with pytest.raises(TypeError, match="list"):
        ch00.check_milestone_order("Perceptron")


# --- CheckResult ---------------------------------------------------------------------------

@pytest.mark.parametrize("passed", [True, False])
def test_check_result_is_truthy_exactly_when_passed(passed):
    assert bool(CheckResult(passed, "message")) is passed


def test_check_result_displays_nothing_in_a_notebook(capsys):
    assert CheckResult(True, "✓ shown once")._ipython_display_() is None
    assert capsys.readouterr().out == ""


def test_check_result_repr_is_its_message():
    assert repr(CheckResult(False, "✗ why")) == "✗ why"


# --- message width -------------------------------------------------------------------------

LONG_MESSAGES = {
    "milestone-labels-listed": lambda: ch00.check_milestone_order(["Transformers"]),
    "ai_ml_dl-hint": lambda: ch00.check_ai_ml_dl(one_wrong_answer()),
    "array-repr": lambda: ch01.check_neuron_output(lambda x, w, b: np.zeros((3, 4))),
    "perceptron-hint": lambda: ch01.check_perceptron_update(never_updates),
    "xor-hint": lambda: ch01.check_gate_weights("XOR", [1.0, 1.0], -0.5),
    "long-exception": lambda: ch01.check_neuron_output(lambda x, w, b: np.dot([1.0] * 40, [1.0] * 41)),
}


@pytest.mark.parametrize("check", LONG_MESSAGES.values(), ids=LONG_MESSAGES.keys())
def test_every_printed_line_fits_the_page(check, capsys):
    check()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 2  # the message really was long enough to wrap
    assert max(len(line) for line in lines) <= MESSAGE_WIDTH
