"""Chapter 4, gradient descent: its figures, then its demos, then its exercise checkers."""

import dataclasses

import numpy as np

from nnbook.checks import (
    Failure,
    as_number,
    call,
    checker,
    expect_number,
    require_callable,
    short,
)
from nnbook.descent import gradient_descent, minibatch_descent, regression_data
from nnbook.plotting import (
    PALETTE,
    fast_axes,
    new_axes,
    plot_contours,
    plot_path,
    static_axis_labels,
    subplots,
)
from nnbook.surfaces import SURFACES, least_squares
from nnbook.widgets import Choice, Demo, LiveFigure, Slider

# --- Figures -------------------------------------------------------------------------------


#: Colours of a gradient-descent verdict: settled, overshooting, still crawling, exploded.
VERDICT_COLOURS = {"converged": PALETTE["green"], "zigzag": PALETTE["orange"],
                   "max_steps": "#666666", "diverged": PALETTE["vermillion"]}


def plot_gradient_descent(run, surface, ax=None, *, title=None):
    """The worked-example figure: a 2-D surface's contours, the path, and each step's point."""
    fig, ax = new_axes(ax, figsize=(5.4, 4.6))
    plot_contours(surface, ax)
    plot_path(run.path, ax, label=f"gradient descent, α = {run.learning_rate:g}")
    ax.set_aspect("equal")
    ax.set_title(title or f"{surface.name}: {run.verdict}")
    ax.legend(loc="lower left", fontsize=9)
    return fig


def verdict_colour(run):
    if run.status == "converged":
        return VERDICT_COLOURS["zigzag" if run.zigzag else "converged"]
    return VERDICT_COLOURS[run.status]


#: The learning-rate demo's number of steps, and its tolerance on the gradient's length.
LR_DEMO_STEPS, LR_DEMO_TOL = 150, 1e-3


class LearningRateFigure(LiveFigure):
    r"""Gradient descent on one of ``surfaces.SURFACES`` for a learning rate and a start.

    Left: the surface (contours in 2-D, the curve in 1-D) and the path; right: the loss above
    its minimum, $J(\theta) - J^*$, per step on a log scale. The title gives the verdict.
    """

    rebuild_on = ("surface",)

    def draw(self, surface="bowl", learning_rate=0.1, start_x=1.0, start_y=3.0):
        if surface not in SURFACES:
            raise ValueError(f"surface must be one of {sorted(SURFACES)}; got {surface!r}")
        self.s = s = SURFACES[surface]()
        fig, (ax_path, ax_loss) = subplots(1, 2, figsize=(9.6, 4.1), layout=None, width_ratios=[1.1, 1])
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.8, wspace=0.28)
        if s.dim == 2:
            plot_contours(s, ax_path)
            ax_path.legend(loc="lower right", fontsize=8, framealpha=0.8, frameon=True, handletextpad=0.2,
                           borderpad=0.3)
            self.path, = ax_path.plot([], [], color=PALETTE["vermillion"], lw=1.5, marker="o", ms=3, zorder=3)
        else:
            xs = np.linspace(*s.limits[0], 301)
            curve = s.loss(xs[:, None])
            ax_path.plot(xs, curve, color=PALETTE["blue"], lw=2)
            ax_path.plot(s.minimum[0], s.min_loss, marker="*", ms=14, color=PALETTE["green"], mec="black", ls="none")
            for label, point in s.stationary.items():
                ax_path.plot(point[0], s.loss(point), marker="*" if "minimum" in label else "X", ms=10,
                             color="white", mec="black", ls="none", zorder=2)
            ax_path.set_xlim(*s.limits[0])
            ax_path.set_ylim(curve.min() - 0.08 * np.ptp(curve), curve.max() + 0.05 * np.ptp(curve))
            ax_path.set(xlabel="θ", ylabel="J(θ)")
            self.path, = ax_path.plot([], [], color=PALETTE["vermillion"], lw=1.2, marker="o", ms=4, zorder=3)
        self.start, = ax_path.plot([], [], marker="o", ms=10, mfc="none", mec="black", mew=1.6, ls="none", zorder=4)
        self.note = ax_path.text(0.02, 0.97, "", transform=ax_path.transAxes, va="top", fontsize=9,
                                 color=PALETTE["vermillion"], zorder=5,
                                 bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
        ax_path.set_title(s.formula, fontsize=11)
        self.loss, = ax_loss.plot([], [], color=PALETTE["vermillion"], lw=1.5, marker="o", ms=2.5)
        ax_loss.set_yscale("log")
        ax_loss.set(xlabel="step", ylabel="J(θ) − J* (log scale)", title="loss above its minimum, per step")
        fast_axes(ax_path)
        fast_axes(ax_loss)
        static_axis_labels(ax_loss)
        self.ax_path, self.ax_loss = ax_path, ax_loss
        self.suptitle = fig.suptitle("")
        self.dynamic = [self.path, self.start, self.note, self.loss, ax_loss.xaxis, ax_loss.yaxis, self.suptitle]
        return fig

    def update(self, surface="bowl", learning_rate=0.1, start_x=1.0, start_y=3.0):
        s = self.s
        run = learning_rate_run(surface, learning_rate, start_x, start_y)
        colour = verdict_colour(run)
        if s.dim == 2:
            self.path.set_data(run.path[:, 0], run.path[:, 1])
            self.start.set_data([start_x], [start_y])
            (x0, x1), (y0, y1) = s.limits
            inside = (run.path[:, 0] >= x0) & (run.path[:, 0] <= x1) & (run.path[:, 1] >= y0) & (run.path[:, 1] <= y1)
        else:
            self.path.set_data(run.path[:, 0], run.losses)
            self.start.set_data([start_x], [run.losses[0]])
            x0, x1 = s.limits[0]
            y0, y1 = self.ax_path.get_ylim()
            inside = (run.path[:, 0] >= x0) & (run.path[:, 0] <= x1) & (run.losses <= y1)
        self.path.set_color(colour)
        self.path.set_marker("o" if run.steps <= 60 else "")
        outside = np.flatnonzero(~inside)
        if outside.size:
            self.note.set_text(f"the path leaves the picture at step {outside[0]}")
        elif run.status == "diverged":
            self.note.set_text("the next step jumps far away")
        else:
            self.note.set_text("")
        gap = np.maximum(run.losses - s.min_loss, 1e-12)
        self.loss.set_data(np.arange(len(gap)), gap)
        self.loss.set_color(colour)
        self.loss.set_marker("o" if run.steps <= 60 else "")
        self.ax_loss.set_xlim(-0.5, max(run.steps, 1) + 0.5)
        self.ax_loss.set_ylim(gap.min() / 4, gap.max() * 4)
        self.suptitle.set_text(f"{s.name}, α = {learning_rate:.3g}, {learning_rate_where(s, start_x, start_y)}:  "
                               f"{learning_rate_verdict(run, s)}")
        self.suptitle.set_color(colour)
        self.suptitle.set_fontsize(12.5)


def learning_rate_run(surface, learning_rate, start_x, start_y):
    """The learning-rate demo's run: gradient descent on a named surface from a start."""
    s = SURFACES[surface]()
    return gradient_descent(s, [start_x, start_y][:s.dim], learning_rate, steps=LR_DEMO_STEPS, tol=LR_DEMO_TOL)


def learning_rate_where(s, start_x, start_y):
    return f"start ({start_x:.3g}, {start_y:.3g})" if s.dim == 2 else f"start θ = {start_x:.3g}"


def learning_rate_verdict(run, s):
    """The run's verdict, with a warning when it settled somewhere above the lowest point."""
    verdict = run.verdict
    if run.converged and run.losses[-1] - s.min_loss > 1e-3:
        verdict += ", but not at the lowest point"
    return verdict


#: The batch-size demo's data: 64 seeded examples of y = 2x + 1 + noise, and its epochs.
BATCH_DEMO_EPOCHS = 8


class BatchSizeFigure(LiveFigure):
    """Mini-batch gradient descent on a small linear regression, for one batch size.

    Left: the cost's contours over the slope w and bias b, with the path of every update
    (dashed: batch gradient descent for comparison); right: the cost per epoch for both, so
    that equal x means equal work.
    """

    def draw(self, batch_size=8, learning_rate=0.1):
        self.X, self.y = regression_data(64)
        s = least_squares(self.X, self.y)
        self.s = s = dataclasses.replace(s, limits=((-0.6, 3.6), (-0.6, 2.6)))
        fig, (ax_path, ax_loss) = subplots(1, 2, figsize=(9.6, 4.1), layout=None, width_ratios=[1.1, 1])
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.8, wspace=0.28)
        plot_contours(s, ax_path, mark_minimum=False)
        ax_path.plot(*s.minimum, marker="*", ms=14, color=PALETTE["green"], mec="black", ls="none", zorder=4,
                     label="least squares")
        ax_path.set(xlabel="slope w", ylabel="bias b")
        self.batch_path, = ax_path.plot([], [], color=PALETTE["black"], lw=1.2, ls="--", marker="s", ms=3,
                                        zorder=3, label="batch (all 64)")
        self.path, = ax_path.plot([], [], color=PALETTE["vermillion"], lw=1.0, zorder=3, label="this batch size")
        ax_path.plot(0, 0, marker="o", ms=9, mfc="none", mec="black", mew=1.5, zorder=4, ls="none")
        ax_path.legend(loc="upper left", fontsize=8, framealpha=0.85, frameon=True)
        self.batch_loss, = ax_loss.plot([], [], color=PALETTE["black"], lw=1.2, ls="--", marker="s", ms=3,
                                        label="batch (all 64)")
        self.loss, = ax_loss.plot([], [], color=PALETTE["vermillion"], lw=1.0, label="this batch size")
        ax_loss.axhline(s.min_loss, color=PALETTE["green"], lw=1, ls=":", label="least squares")
        ax_loss.set_yscale("log")
        ax_loss.set_xlim(0, BATCH_DEMO_EPOCHS)
        ax_loss.set(xlabel="epochs (equal work at equal x)", ylabel="cost on all 64 examples",
                    title="cost while training")
        ax_loss.legend(loc="upper right", fontsize=8)
        fast_axes(ax_path)
        fast_axes(ax_loss)
        static_axis_labels(ax_loss)
        self.ax_loss = ax_loss
        self.suptitle = fig.suptitle("")
        self.dynamic = [self.path, self.batch_path, self.loss, self.batch_loss, ax_loss.xaxis, ax_loss.yaxis,
                        self.suptitle]
        return fig

    def update(self, batch_size=8, learning_rate=0.1):
        s, n = self.s, len(self.y)
        batch_size = int(batch_size)
        run = minibatch_descent(self.X, self.y, batch_size, learning_rate, epochs=BATCH_DEMO_EPOCHS)
        full = minibatch_descent(self.X, self.y, n, learning_rate, epochs=BATCH_DEMO_EPOCHS)
        self.path.set_data(run.path[:, 0], run.path[:, 1])
        self.batch_path.set_data(full.path[:, 0], full.path[:, 1])
        self.loss.set_data(run.examples / n, run.losses)
        self.batch_loss.set_data(full.examples / n, full.losses)
        both = np.concatenate([run.losses, full.losses])
        self.ax_loss.set_ylim(s.min_loss * 0.7, max(both.max(), s.min_loss) * 2)
        kind = "stochastic" if batch_size == 1 else "batch" if batch_size == n else "mini-batch"
        if run.diverged:
            outcome = f"diverged in epoch {int(run.examples[-1] // n) + 1}"
            colour = VERDICT_COLOURS["diverged"]
        else:
            outcome = f"final cost {run.losses[-1]:.3f} (best {s.min_loss:.3f})"
            colour = "black"
        self.suptitle.set_text(
            f"batch size {batch_size} ({kind}), α = {learning_rate:.3g}: "
            f"{run.iterations_per_epoch} update{'s' if run.iterations_per_epoch > 1 else ''} per epoch, "
            f"each averaging {batch_size} example{'s' if batch_size > 1 else ''}\n"
            f"{run.iterations} updates in {BATCH_DEMO_EPOCHS} epochs, {outcome}")
        self.suptitle.set_color(colour)
        self.suptitle.set_fontsize(11.5)


# --- Demos ---------------------------------------------------------------------------------


def learning_rate_demo():
    """Chapter 4: slide the learning rate over five decades; watch descent crawl, work, zig-zag, explode."""

    controls = {
        "surface": Choice(tuple(SURFACES), "bowl"),
        "learning_rate": Slider(1e-4, 3.0, 0.1, step=0.01, log=True, description="learning rate α"),
        "start_x": Slider(-3.2, 3.2, 1.0, step=0.1, description="start θ₁"),
        "start_y": Slider(-3.2, 3.2, 3.0, step=0.1, description="start θ₂"),
    }
    # On the website: four surfaces (a round bowl, a long valley, a saddle, a 1-D double well
    # with a local minimum) at six rates from a crawl to divergence.
    grid = {"surface": ["bowl", "elongated bowl", "saddle", "double well (1-D)"],
            "learning_rate": [0.001, 0.02, 0.1, 0.5, 0.9, 1.05]}
    return Demo(LearningRateFigure, controls, grid=grid, caption=learning_rate_caption,
                alt="Left: the loss surface (contour lines, or the curve in 1-D) with the path of "
                    "gradient descent from the start point; right: the loss above its minimum per "
                    "step on a log scale. The title states the verdict: converged, zig-zagging, "
                    "not converged, or diverged at a step.")


def batch_size_demo():
    """Chapter 4: slide the batch size from 1 (stochastic) to 64 (batch); watch the path get noisy."""

    controls = {
        "batch_size": Slider(1, 64, 8, step=1, description="batch size"),
        "learning_rate": Slider(0.003, 1.0, 0.1, step=0.01, log=True, description="learning rate α"),
    }
    grid = {"batch_size": [1, 4, 16, 64], "learning_rate": [0.02, 0.1, 0.3, 0.6]}
    return Demo(BatchSizeFigure, controls, grid=grid, caption=batch_size_caption,
                alt="Left: contour lines of the cost of a linear model over its slope w and bias b, "
                    "with the path of every update for the chosen batch size and, dashed, for batch "
                    "gradient descent. Right: the cost on all 64 examples against epochs, for both.")


def learning_rate_caption(surface, learning_rate, start_x, start_y):
    """A frame's caption: the verdict of the run."""
    run = learning_rate_run(surface, learning_rate, start_x, start_y)
    return f"{SURFACES[surface]().name}, α = {learning_rate:g}: {learning_rate_verdict(run, SURFACES[surface]())}."


def batch_size_caption(batch_size, learning_rate):
    """A frame's caption: updates per epoch and how the run ended."""
    X, y = regression_data(64)
    run = minibatch_descent(X, y, int(batch_size), learning_rate, epochs=BATCH_DEMO_EPOCHS)
    end = "diverged" if run.diverged else f"final cost {run.losses[-1]:.3f}"
    return (f"Batch size {batch_size}, α = {learning_rate:g}: {run.iterations_per_epoch} updates per epoch, "
            f"{end}.")


#: Every demo of this chapter, by name (the tests sweep each).
DEMOS = {"learning_rate": learning_rate_demo, "batch_size": batch_size_demo}


# --- Exercise checkers ---------------------------------------------------------------------


# --- chapter 4: gradient descent ----------------------------------------------------------

@checker("check_gradient_step")
def check_gradient_step(fn):
    """Check ``fn(theta, gradient, learning_rate)`` -> the new theta: one gradient-descent step.

    theta and gradient are 1-D arrays of the same length; the answer is
    theta - learning_rate * gradient, a new array (theta itself must not change).
    """
    require_callable(fn, "step function")
    cases = [
        (([1.0, 3.0], [2.0, 6.0], 0.1), "the worked example: (1, 3) - 0.1 * (2, 6) = (0.8, 2.4)."),
        (([0.8, 2.4], [1.6, 4.8], 0.1), "the second step of the worked example: (0.64, 1.92)."),
        (([2.0], [4.0], 0.25), "one parameter works the same way: 2 - 0.25 * 4 = 1."),
        (([0.0, 1.0, -1.0], [-2.0, 0.5, 0.0], 0.5), "subtract the gradient: a negative slope moves you up."),
        (([1.0, 1.0], [0.0, 0.0], 0.3), "where the gradient is 0 the step is 0: you stay put."),
    ]
    for (theta, grad, lr), hint in cases:
        theta_in = np.array(theta)
        describe = f"theta={theta}, gradient={grad}, learning_rate={lr}"
        value = call(fn, theta_in, np.array(grad), lr, describe=describe, hint=hint)
        expected = np.array(theta) - lr * np.array(grad)
        try:
            got = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            got = None
        if got is None or got.shape != expected.shape:
            raise Failure(f"for {describe} expected an array of shape {expected.shape}, "
                                            f"got {value!r}.\n   Hint: {hint}")
        if not np.array_equal(theta_in, np.array(theta)):
            raise Failure(f"for {describe} your function changed theta in place "
                                            "(it now holds the new point). Return a new array: "
                                            "theta - learning_rate * gradient.")
        if not np.allclose(got, expected, rtol=1e-9, atol=1e-12):
            sign = " You added the gradient: descent goes against it." if np.allclose(
                got, np.array(theta) + lr * np.array(grad)) else ""
            raise Failure(f"for {describe} expected {short(expected)}, got "
                                            f"{short(np.round(got, 12))}.{sign}\n   Hint: {hint}")
    return len(cases)


#: The quadratic of the stability exercise: J = 2 θ1² + 8 θ2², Hessian diag(4, 16).
STABILITY_CURVATURES = (4.0, 16.0)


@checker("check_largest_stable_rate")
def check_largest_stable_rate(alpha):
    """Check ``alpha``: the largest learning rate for which gradient descent on
    J = 2 θ1² + 8 θ2² still converges (the supremum of the stable rates)."""
    got = as_number(alpha)
    if got is None:
        raise Failure(f"expected one number (a learning rate), got {alpha!r}.")
    expected = 2.0 / max(STABILITY_CURVATURES)
    if np.isclose(got, expected, rtol=1e-3):
        return 1
    factors = ", ".join(f"|1 - {got:g}·{c:g}| = {abs(1 - got * c):.3g}" for c in STABILITY_CURVATURES)
    if np.isclose(got, 2.0 / min(STABILITY_CURVATURES), rtol=1e-3):
        hint = ("that is 2 / the smaller curvature. Every direction must be stable, and the "
                "steepest one (curvature 16) fails first.")
    elif got > expected:
        hint = "at this rate one direction's distance grows each step, so the run diverges."
    elif got > 0:
        hint = ("this rate converges, but a larger one would too. Find where a factor "
                "|1 - α·curvature| reaches 1.")
    else:
        hint = "a learning rate is positive."
    raise Failure(f"{got:g} is not the largest stable rate. One step multiplies the distance "
                   f"along each axis by {factors}.\n   Hint: {hint}")


@checker("check_iterations_per_epoch")
def check_iterations_per_epoch(fn):
    """Check ``fn(n_examples, batch_size)`` -> the number of updates in one epoch."""
    require_callable(fn, "function")
    cases = [
        ((1000, 32), 32, "31 full batches of 32 cover 992 examples; the last 8 make one more update."),
        ((64, 64), 1, "batch gradient descent: the whole set is one batch, one update per epoch."),
        ((64, 1), 64, "stochastic gradient descent: one update per example."),
        ((100, 25), 4, "100 / 25 divides exactly: 4 updates."),
        ((10, 100), 1, "a batch larger than the data set is the whole set: still one update."),
    ]
    for args, expected, hint in cases:
        describe = f"n_examples={args[0]}, batch_size={args[1]}"
        expect_number(call(fn, *args, describe=describe, hint=hint), expected, describe=describe, hint=hint)
    return len(cases)
