r"""Rosenblatt's perceptron learning rule.

For each example in turn: if the neuron's answer is wrong (or sits on the line: a sum that
is 0 up to round-off), move the weights toward the example when it should have fired and
away when it should not:

$$\mathbf{w} \leftarrow \mathbf{w} + \alpha\, s\, \mathbf{x}, \qquad b \leftarrow b + \alpha\, s,
\qquad s = +1 \text{ for target 1},\ -1 \text{ for target 0}.$$
"""

from dataclasses import dataclass, field

import numpy as np

from nnbook._validate import as_array, as_count, as_number, as_positive_number
from nnbook.neuron import neuron


@dataclass
class PerceptronRun:
    """What a perceptron training run did, epoch by epoch.

    w: final weights (D,); b: final bias; mistakes: updates made in each epoch;
    path: (w, b) after each epoch; converged: an epoch passed with no mistake.
    """

    w: np.ndarray
    b: float
    mistakes: list = field(default_factory=list)
    path: list = field(default_factory=list)
    converged: bool = False

    @property
    def epochs(self):
        """How many epochs ran."""
        return len(self.mistakes)


def perceptron_update(w, b, x, target, learning_rate=1.0):
    r"""One step of the perceptron rule for one example; returns (new w, new b, mistake?).

    w: (D,); b: a number; x: (D,) (lists are accepted); target: 0 or 1; learning_rate:
    $\alpha$, the step's size. The w passed in is never changed: an update returns a new array.
    A sum of 0 counts as a mistake, so the line never rests on a training point. "0" means 0
    up to round-off: with a rate such as 0.1 the weights are not exact binary numbers, and a
    sum that is 0 in exact arithmetic comes out as, say, -2.8e-17. A sum within the
    round-off bound of its terms, $(D + 1)\,\epsilon\,(|\mathbf{w}|\cdot|\mathbf{x}| + |b|)$,
    counts as 0, so from a zero start every learning rate makes the same decisions.
    """
    w = as_array(w, "w (the weights)", ndim=1)
    x = as_array(x, "x (the example)", ndim=1)
    if x.shape != w.shape:
        raise ValueError(f"x must have one value per weight, shape {w.shape}; got {x.shape}")
    b = as_number(b, "b (the bias)")
    if target not in (0, 1) or isinstance(target, (str, bytes)):
        raise ValueError(f"target must be 0 or 1; got {target!r}")
    learning_rate = as_positive_number(learning_rate, "learning_rate")
    sign = 1.0 if target == 1 else -1.0
    z = float(np.dot(w, x) + b)
    if sign * z > round_off_bound(w, b, x):
        return w, b, False
    return w + learning_rate * sign * x, b + learning_rate * sign, True


def round_off_bound(w, b, x):
    r"""How far from 0 rounding can push the sum $\mathbf{w}\cdot\mathbf{x} + b$ of a sum that
    is 0 in exact arithmetic: $(D + 1)\,\epsilon\,(|\mathbf{w}|\cdot|\mathbf{x}| + |b|)$, the
    standard bound for a dot product of $D + 1$ terms (with the bias's input 1)."""
    return (len(x) + 1) * np.finfo(np.float64).eps * float(np.abs(w) @ np.abs(x) + abs(b))


def train_perceptron(X, y, *, epochs=20, learning_rate=1.0, w0=None, b0=0.0):
    """Train one step neuron with the perceptron rule, visiting the rows of X in order.

    X: (N, D); y: (N,) of 0 / 1; stops early after an epoch without mistakes.
    w0: starting weights (D,), zeros by default. Returns a PerceptronRun.
    """
    X, y = _labelled_examples(X, y)
    epochs = as_count(epochs, "epochs")
    learning_rate = as_positive_number(learning_rate, "learning_rate")
    w = np.zeros(X.shape[1]) if w0 is None else as_array(w0, "w0", ndim=1).copy()
    b = as_number(b0, "b0")

    run = PerceptronRun(w=w, b=b)
    for _ in range(epochs):
        mistakes = 0
        for x, target in zip(X, y):
            w, b, wrong = perceptron_update(w, b, x, target, learning_rate)
            mistakes += wrong
        run.mistakes.append(mistakes)
        run.path.append((w.copy(), b))
        if mistakes == 0:
            run.converged = True
            break
    run.w, run.b = w, b
    return run


def perceptron_predict(X, w, b):
    """Class (0 or 1) a trained perceptron gives each row of X. X: (N, D) -> (N,)."""
    return neuron(X, w, b)


def mistake_bound(X, y):
    r"""Novikoff's bound on the perceptron's mistakes, for data that a line separates.

    Append the bias's constant input 1 to every example, $\tilde{\mathbf{x}} = (\mathbf{x}, 1)$.
    $R$ is the longest $\|\tilde{\mathbf{x}}\|$; the margin $\gamma$ is the largest
    $\min_n s_n\, \mathbf{u}\cdot\tilde{\mathbf{x}}_n$ over unit vectors $\mathbf{u}$
    ($s_n = \pm 1$ for targets 1 / 0), found as $1 / \|\mathbf{v}\|$ for the shortest
    $\mathbf{v}$ with every $s_n\, \mathbf{v}\cdot\tilde{\mathbf{x}}_n \ge 1$. Started from
    zero weights, the rule makes at most $(R / \gamma)^2$ mistakes, whatever the learning rate.

    X: (N, D); y: (N,) of 0 / 1, both classes linearly separable.
    Returns (R, margin, bound).
    """
    from scipy.optimize import minimize  # only this function needs scipy

    X, y = _labelled_examples(X, y)
    X_tilde = np.column_stack([X, np.ones(len(X))])
    s = 2.0 * y - 1.0
    result = minimize(lambda v: v @ v, np.zeros(X_tilde.shape[1]), jac=lambda v: 2 * v, method="SLSQP",
                      constraints=[{"type": "ineq", "fun": lambda v: s * (X_tilde @ v) - 1,
                                    "jac": lambda v: s[:, None] * X_tilde}])
    if not result.success or np.min(s * (X_tilde @ result.x)) < 1 - 1e-6:
        raise ValueError("no line separates these classes, so the perceptron has no mistake bound")
    R = float(np.max(np.linalg.norm(X_tilde, axis=1)))
    margin = float(1.0 / np.linalg.norm(result.x))
    return R, margin, (R / margin) ** 2


def plane_margin(X, y):
    r"""The widest gap a separating line (hyperplane) leaves to its nearest example, measured
    in the input space itself: $\max \min_n s_n (\mathbf{w}\cdot\mathbf{x}_n + b) / \|\mathbf{w}\|$,
    found as $1 / \|\mathbf{w}\|$ for the shortest $\mathbf{w}$ (any b) with every
    $s_n (\mathbf{w}\cdot\mathbf{x}_n + b) \ge 1$ (a hard-margin support vector machine).

    This is the gap one sees in a plot of the data; ``mistake_bound``'s margin is measured
    with the bias's input 1 appended, where b counts in the length too, so it is smaller.
    X: (N, D); y: (N,) of 0 / 1, linearly separable. Returns the margin.
    """
    from scipy.optimize import minimize

    X, y = _labelled_examples(X, y)
    s = 2.0 * y - 1.0
    D = X.shape[1]
    X_tilde = np.column_stack([X, np.ones(len(X))])
    result = minimize(lambda v: v[:D] @ v[:D], np.zeros(D + 1), jac=lambda v: np.append(2 * v[:D], 0.0),
                      method="SLSQP", constraints=[{"type": "ineq", "fun": lambda v: s * (X_tilde @ v) - 1,
                                                    "jac": lambda v: s[:, None] * X_tilde}])
    if not result.success or np.min(s * (X_tilde @ result.x)) < 1 - 1e-6:
        raise ValueError("no line separates these classes, so they have no margin")
    return float(1.0 / np.linalg.norm(result.x[:D]))


def _labelled_examples(X, y):
    """X as (N, D) and y as (N,) of 0 / 1, or a ValueError that says what is wrong."""
    X = as_array(X, "X (the examples)", ndim=2)
    y = as_array(y, "y (the targets)", ndim=1)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), one target per row of X; got {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold only 0 and 1; got {np.unique(y)}")
    return X, y
