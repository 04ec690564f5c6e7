r"""Gradient descent, step by step: the whole path, and a verdict on how it went.

The update rule is one line,

$$\theta \leftarrow \theta - \alpha \, \nabla \mathcal{L}(\theta),$$

and everything else here is bookkeeping: keep every point and loss, stop when the gradient
is (nearly) zero, and stop calmly, with a reason, when the run explodes. A run never
produces NaN, infinity or an overflow warning: it stops at the last finite point.

    run = descent.gradient_descent(surfaces.bowl(), start=[1.0, 3.0], learning_rate=0.1)
    run.path[:4]       # (1, 3), (0.8, 2.4), (0.64, 1.92), (0.512, 1.536)
    run.verdict        # 'converged in 40 steps'

``minibatch_descent`` does the same for a linear model on data, with the batch size as a
parameter: 1 is stochastic gradient descent, N (all the data) is batch gradient descent
(its data set: ``nnbook.data.regression``).
"""

import math
from dataclasses import dataclass, field

import numpy as np

from nnbook._validate import as_array, as_count, as_positive_number, as_rng
from nnbook.surfaces import least_squares

#: A run is declared diverged when any coordinate's size passes this (or a value stops being finite).
DIVERGENCE_BOUND = 1e6

#: How a run ended: the one vocabulary of every run record of the book (``Run``,
#: ``MinibatchRun``, ``optim.Trajectory``, ``training.History``).
STATUSES = {
    "converged": "the gradient became (nearly) zero",
    "finished": "it used every step or epoch it was given",
    "diverged": "it exploded (a value passed the bound or stopped being finite) and was stopped",
    "stopped": "a callback stopped it early (e.g. early stopping)",
}


def divergence(point, loss=0.0, bound=DIVERGENCE_BOUND):
    """Why a run must stop at ``point`` ("" when it need not): a coordinate whose size reaches
    ``bound``, or a loss (or coordinate) that is not finite. The one divergence test of every
    loop of the book (``gradient_descent``, ``minibatch_descent``, ``optim.trajectory``...)."""
    if not np.all(np.abs(point) < bound):       # NaN fails this comparison too
        return f"a coordinate passed {bound:g}"
    if not math.isfinite(loss):
        return "the loss stopped being finite"
    return ""


class Outcome:
    """What every run record shares: ``status`` (a key of ``STATUSES``) and ``reason`` (a
    sentence for a reader), with a property per status."""

    @property
    def converged(self):
        return self.status == "converged"

    @property
    def finished(self):
        return self.status == "finished"

    @property
    def diverged(self):
        return self.status == "diverged"

    @property
    def stopped(self):
        return self.status == "stopped"


@dataclass(frozen=True)
class Run(Outcome):
    """One run of gradient descent.

    path: (n_steps + 1, D), the start then every point visited; losses: (n_steps + 1,).
    status: "converged" (gradient norm below tol), "diverged" (the point ran past
    ``DIVERGENCE_BOUND`` or stopped being finite) or "finished" (out of steps): ``STATUSES``.
    """

    path: np.ndarray = field(repr=False)
    losses: np.ndarray = field(repr=False)
    status: str
    learning_rate: float
    reason: str = ""

    @property
    def steps(self):
        """The number of updates made."""
        return len(self.path) - 1

    @property
    def zigzag(self):
        """True when most consecutive steps point in opposite directions (overshooting)."""
        moves = np.diff(self.path, axis=0)
        if len(moves) < 3:
            return False
        turns = np.einsum("ij,ij->i", moves[1:], moves[:-1]) < 0
        return bool(turns.mean() > 0.5)

    @property
    def verdict(self):
        """One line for a reader: 'converged in 23 steps', 'diverged at step 7', ..."""
        if self.status == "converged":
            steps = f"{self.steps} step" + ("" if self.steps == 1 else "s")
            return f"converged in {steps}" + (", zig-zagging" if self.zigzag else "")
        if self.status == "diverged":
            return f"diverged at step {self.steps + 1}"
        return (f"not converged after {self.steps} steps"
                + (", zig-zagging" if self.zigzag else f" (ℒ: {self.losses[0]:.3g} → {self.losses[-1]:.3g})"))


def gradient_descent(surface, start, learning_rate, *, steps=100, tol=1e-3):
    r"""Run $\theta \leftarrow \theta - \alpha\nabla \mathcal{L}(\theta)$ from ``start``; return the ``Run``.

    surface: a ``surfaces.Surface`` (anything with ``loss`` and ``gradient``).
    start: (D,) the first point; learning_rate: $\alpha > 0$; steps: at most this many updates.
    tol: stop ("converged") once $\lVert\nabla \mathcal{L}(\theta)\rVert \le$ tol.
    A point whose coordinates pass ``DIVERGENCE_BOUND`` ends the run as "diverged"; it is
    not stored (nor is anything non-finite), so the path and losses are always finite.
    """
    theta = surface.check_point(start, "start")
    alpha = as_positive_number(learning_rate, "learning_rate")
    steps = as_count(steps, "steps")
    tol = as_positive_number(tol, "tol")
    with np.errstate(over="ignore", invalid="ignore"):
        loss = float(surface.loss(theta))
    if not math.isfinite(loss):
        raise ValueError(f"the loss at start {theta.tolist()} is {loss}, not a finite number: "
                         "start closer to the minimum (or scale the surface down)")
    path, losses = [theta], [loss]
    status, reason = "finished", f"used all {steps} steps"
    with np.errstate(over="ignore", invalid="ignore"):  # an explosion is detected, not warned about
        for _ in range(steps):
            g = surface.gradient(theta)
            if not np.all(np.isfinite(g)):
                status, reason = "diverged", "the gradient overflowed"
                break
            if math.sqrt(float(g @ g)) <= tol:
                status, reason = "converged", f"the gradient's length fell below {tol:g}"
                break
            theta = theta - alpha * g
            loss = float(surface.loss(theta))
            problem = divergence(theta, loss)
            if problem:
                status, reason = "diverged", problem
                break
            path.append(theta)
            losses.append(loss)
        else:
            g = surface.gradient(theta)  # did the last step land?
            if math.sqrt(float(g @ g)) <= tol:
                status, reason = "converged", f"the gradient's length fell below {tol:g}"
    return Run(np.array(path), np.array(losses), status, alpha, reason)


def largest_stable_rate(surface):
    r"""The stability bound $2/\lambda_{\max}$: descent settles at the minimum for every rate below it.

    On a quadratic with Hessian $H$ (and near the minimum of any smooth surface, which looks
    like one) a step multiplies the distance along each eigenvector by $1 - \alpha\lambda$,
    which shrinks only while $|1 - \alpha\lambda| < 1$, that is $\alpha < 2/\lambda$ for every
    curvature $\lambda$. The bound itself is not stable: there the steepest direction bounces
    between two points forever.
    """
    return 2.0 / surface.curvature


# --- linear regression: batch, mini-batch and stochastic gradient descent --------------------

@dataclass(frozen=True)
class MinibatchRun(Outcome):
    """One run of mini-batch gradient descent on a linear model.

    path: (n_updates + 1, D), the start and the parameters after every iteration;
    losses: (n_updates + 1,) the cost on the *whole* data set at each of those points;
    examples: (n_updates + 1,) how many examples' gradients had been computed by then.
    status: "finished" (all epochs done) or "diverged".
    """

    path: np.ndarray = field(repr=False)
    losses: np.ndarray = field(repr=False)
    examples: np.ndarray = field(repr=False)
    batch_size: int
    iterations_per_epoch: int
    learning_rate: float
    status: str
    reason: str = ""

    @property
    def iterations(self):
        return len(self.path) - 1


def minibatch_descent(X, y, batch_size, learning_rate, *, epochs=5, start=None, seed=None):
    r"""Gradient descent on $\mathcal{L}(\theta) = \frac1N\lVert X\theta - y\rVert^2$, one batch at a time.

    X: (N, D); y: (N,); batch_size: 1 (stochastic) to N (batch gradient descent).
    Each epoch shuffles the examples and visits them in batches; each batch $B$
    gives one update with the gradient of its own mean squared error,
    $\frac{2}{|B|} X_B^\top (X_B\theta - y_B)$. The last batch of an epoch may be smaller.
    start: (D,), zeros by default; seed: the shuffling (None: fresh, an int: reproducible).
    Returns a ``MinibatchRun``.
    """
    surface = least_squares(X, y)
    X, y = as_array(X, "X", ndim=2), as_array(y, "y", ndim=1)
    n = len(y)
    batch_size = as_count(batch_size, "batch_size")
    if batch_size > n:
        raise ValueError(f"batch_size must be between 1 and the number of examples ({n}); got {batch_size}")
    alpha = as_positive_number(learning_rate, "learning_rate")
    epochs = as_count(epochs, "epochs")
    theta = np.zeros(surface.dim) if start is None else surface.check_point(start, "start")
    rng = as_rng(seed)
    path, losses, examples = [theta], [float(surface.loss(theta))], [0]
    status, reason = "finished", f"used all {epochs} epochs"
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            order = rng.permutation(n)
            for first in range(0, n, batch_size):
                batch = order[first:first + batch_size]
                Xb, yb = X[batch], y[batch]
                theta = theta - alpha * 2.0 / len(batch) * (Xb.T @ (Xb @ theta - yb))
                loss = float(surface.loss(theta))
                problem = divergence(theta, loss)
                if problem:
                    status, reason = "diverged", problem
                    break
                path.append(theta)
                losses.append(loss)
                examples.append(examples[-1] + len(batch))
            if status == "diverged":
                break
    return MinibatchRun(np.array(path), np.array(losses), np.array(examples), batch_size,
                        math.ceil(n / batch_size), alpha, status, reason)


def iterations_per_epoch(n_examples, batch_size):
    """How many updates one pass over ``n_examples`` makes with batches of ``batch_size``."""
    return math.ceil(as_count(n_examples, "n_examples") / as_count(batch_size, "batch_size"))


__all__ = [
    "DIVERGENCE_BOUND",
    "MinibatchRun",
    "divergence",
    "Outcome",
    "STATUSES",
    "Run",
    "gradient_descent",
    "iterations_per_epoch",
    "largest_stable_rate",
    "minibatch_descent",
]
