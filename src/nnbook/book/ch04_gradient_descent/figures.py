"""Chapter 4, gradient descent: its figures and its experiments over seeds and batch sizes."""

import dataclasses
import functools

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from nnbook.data import regression
from nnbook.descent import gradient_descent, minibatch_descent
from nnbook.plotting import (
    PALETTE,
    fast_axes,
    mark_stationary_points,
    new_axes,
    plain_log_ticks,
    plot_contours,
    plot_path,
    static_axis_labels,
    subplots,
)
from nnbook.surfaces import SURFACES, elongated_bowl, hessian, least_squares
from nnbook.widgets import LiveFigure

# --- Figures -------------------------------------------------------------------------------


#: Colours of a gradient-descent verdict: settled, overshooting, still crawling, exploded.
VERDICT_COLOURS = {"converged": PALETTE["green"], "zigzag": PALETTE["orange"],
                   "finished": "#666666", "diverged": PALETTE["vermillion"]}


def plot_slope_and_gradients(theta=1.5, ratio=4.0):
    """Two panels, one above the other: the parabola with its tangent at ``theta`` (slope 2 theta), and unit-length
    gradient arrows over the contours of ``elongated_bowl(ratio)``, crossing every contour line
    at a right angle."""
    fig, (ax_slope, ax_grad) = subplots(2, 1, figsize=(5.4, 8.2))  # stacked: readable on a phone
    ts = np.linspace(-3, 3, 200)
    ax_slope.plot(ts, ts ** 2, lw=2, label="ℒ(θ) = θ²")
    ax_slope.plot(ts, theta ** 2 + 2 * theta * (ts - theta), ls="--",
                  label=f"tangent at θ = {theta:g}, slope {2 * theta:g}")
    ax_slope.plot([theta], [theta ** 2], "o", color="black")
    ax_slope.set(ylim=(-2, 9), xlabel="θ", ylabel="ℒ(θ)", title="The derivative is a slope")
    ax_slope.legend(loc="upper center")
    surface = elongated_bowl(ratio)
    plot_contours(surface, ax_grad, n_levels=9)
    ticks = np.linspace(-2.4, 2.4, 7)
    grid = np.stack(np.meshgrid(ticks, ticks), axis=-1).reshape(-1, 2)
    grid = grid[np.any(grid != 0, axis=1)]  # no direction at the minimum itself
    arrows = surface.gradient(grid)
    arrows /= np.linalg.norm(arrows, axis=1, keepdims=True)
    ax_grad.quiver(grid[:, 0], grid[:, 1], arrows[:, 0], arrows[:, 1], color=PALETTE["vermillion"],
                   scale=14, width=0.006, zorder=3)
    ax_grad.set(aspect="equal", title=f"Gradients cross the contours\n{surface.formula}")
    return fig


def plot_gradient_descent(run, surface, ax=None, *, title=None):
    """The worked-example figure: a 2-D surface's contours, the path, and each step's point."""
    fig, ax = new_axes(ax, figsize=(5.4, 4.6))
    plot_contours(surface, ax)
    plot_path(run.path, ax, label=f"gradient descent, α = {run.learning_rate:g}")
    ax.set_aspect("equal")
    ax.set_title(title or f"{surface.name}: {run.verdict}")
    ax.legend(loc="lower left", fontsize=9)
    return fig


def plot_runs(panels):
    """Contour plots, each with several descent paths.

    panels: [(surface, {label: Run}), ...], drawn one above the other (readable on a phone);
    each path is drawn without its step markers, the start ringed, in vermillion (solid), purple
    (dashed), sky blue...
    """
    fig, axes = subplots(len(panels), 1, figsize=(5.2, 4.4 * len(panels)))
    for ax, (surface, runs) in zip(np.atleast_1d(axes), panels):
        plot_contours(surface, ax, n_levels=14)
        styles = zip(["vermillion", "purple", "sky", "black"], ["-", "--", "-.", ":"])
        for (label, run), (colour, style) in zip(runs.items(), styles):
            # Dashed after the first: a path that runs along another stays visible.
            plot_path(run.path, ax, colour=PALETTE[colour], label=label, markers=False, ls=style)
        ax.set(aspect="equal", title=surface.formula)
        ax.legend(loc="lower left", fontsize=8, frameon=True)
    return fig


def verdict_colour(run):
    if run.status == "converged":
        return VERDICT_COLOURS["zigzag" if run.zigzag else "converged"]
    return VERDICT_COLOURS[run.status]


def condition_number(surface):
    r"""$\kappa = \lambda_{\max} / \lambda_{\min}$ of a quadratic surface's Hessian."""
    eigenvalues = np.linalg.eigvalsh(hessian(surface))
    return float(eigenvalues.max() / eigenvalues.min())


def level_ellipse(H, center, level, n=181):
    r"""The points where $\frac12 (\theta - c)^\top H (\theta - c)$ equals ``level``: (n, 2).

    H: (2, 2) positive definite; each level set of a quadratic is an ellipse whose axes are
    H's eigenvectors, with half-lengths $\sqrt{2\,\mathrm{level} / \lambda}$.
    """
    eigenvalues, vectors = np.linalg.eigh(H)
    t = np.linspace(0, 2 * np.pi, n)
    unit = np.stack([np.cos(t), np.sin(t)], axis=1)
    return np.asarray(center) + (unit * np.sqrt(2 * level / eigenvalues)) @ vectors.T


#: The feature-scaling figure's slice: which parameters (of w_rooms, w_age, b) it draws.
SCALING_SLICE = (1, 2)


def plot_feature_scaling(costs, runs, *, threshold=1e-6, slice_names=("weight of age", "bias b")):
    """Top: for each preprocessing, the cost's contours over the weight of age and the bias
    (a slice through the minimum, the other weight at its best value), on EQUAL axis scales,
    titled with the condition number of the whole cost. Bottom: cost above its minimum per step.

    costs: {name: least-squares Surface over (w_rooms, w_age, b)}; runs: {name: Run} on them,
    all from the same start; threshold: a dotted line at this fraction of the starting gap.
    """
    # Two columns of contour panels over the loss panel: readable on a phone's width too.
    rows = -(-len(costs) // 2)
    fig = Figure(figsize=(7.2, 3.2 * rows + 3.3), layout="constrained")
    grid = fig.add_gridspec(rows + 1, 2, height_ratios=[1] * rows + [1.05])
    colours = [PALETTE[c] for c in ("vermillion", "orange", "purple", "blue", "green")]
    for k, (name, cost) in enumerate(costs.items()):
        ax = fig.add_subplot(grid[k // 2, k % 2])
        H = hessian(cost)[np.ix_(SCALING_SLICE, SCALING_SLICE)]
        center = cost.minimum[list(SCALING_SLICE)]
        longest = np.sqrt(2 / np.linalg.eigvalsh(H).min())  # half-length of the level-1 ellipse
        for level in np.geomspace(1e-3, 1, 7):
            ax.plot(*level_ellipse(H, center, level).T, color=PALETTE["blue"], lw=0.8)
        ax.plot(*center, marker="*", ms=12, color=PALETTE["green"], mec="black", ls="none")
        half = 1.1 * longest
        ax.set(xlim=(center[0] - half, center[0] + half), ylim=(center[1] - half, center[1] + half),
               aspect="equal", xlabel=slice_names[0], ylabel=slice_names[1] if k % 2 == 0 else None)
        ax.set_title(f"{name}\nκ = {portable(condition_number(cost))}", color=colours[k], fontsize=11)
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(3))
        ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(4))
        ax.grid(False)
    ax = fig.add_subplot(grid[rows, :])
    for (name, run), colour in zip(runs.items(), colours):
        gap = run.losses - costs[name].min_loss
        steps = np.arange(len(gap))
        shown = (steps >= 1) & (gap >= gap[0] * 1e-9)  # after the start; round-off below 1e-9
        ax.loglog(steps[shown], gap[shown], color=colour, lw=2, label=name)
    first = next(iter(runs.values())).losses[0] - next(iter(costs.values())).min_loss
    ax.axhline(first * threshold, color="black", lw=1, ls=":", label=_fraction_of_start(threshold))
    ax.set(xlabel="step (log scale)", ylabel="cost above its minimum",
           xlim=(1, max(len(r.losses) for r in runs.values())), title="Gradient descent with α = 1/λmax on each")
    plain_log_ticks(ax.xaxis)
    plain_log_ticks(ax.yaxis)
    # Below the panel, not on it: no corner of the panel is free of lines.
    fig.legend(handles=ax.get_lines(), loc="outside lower center", ncols=3, fontsize=9, frameon=False)
    fig.suptitle("The cost over the weight of age and the bias\n(rooms' weight at its best), "
                 "on equal axis scales", fontsize=12)
    return fig


def _fraction_of_start(threshold):
    words = {1e-3: "a thousandth", 1e-6: "a millionth", 1e-9: "a billionth"}
    return f"{words.get(threshold, f'{threshold:g} ×')} of the starting gap"


def portable(value):
    """A condition number or step count rounded to 3 significant digits, with thousands
    separators (9929.505 -> '9,930'; 1.0436 -> '1.04'): digits no CPU can change."""
    rounded = float(f"{value:.3g}")
    return f"{rounded:,.0f}" if rounded >= 100 else f"{rounded:.3g}"


#: Where the live figures put a log axis's label (axes coordinates), clear of its tick labels.
LOG_LABEL_X = -0.17

#: The learning-rate demo's number of steps, and its tolerance on the gradient's length.
LR_DEMO_STEPS, LR_DEMO_TOL = 150, 1e-3
#: The loss panel's range: from below where a converged run ends to a diverged run's size.
LR_DEMO_LOSS_RANGE = (1e-9, 1e13)


class LearningRateFigure(LiveFigure):
    r"""Gradient descent on one of ``surfaces.SURFACES`` for a learning rate and a start.

    Top: the surface (contours in 2-D, the curve in 1-D) and the path; below: the loss above
    its minimum, $\mathcal{L}(\theta) - \mathcal{L}^*$, per step on a log scale. The title
    gives the verdict.
    """

    rebuild_on = ("surface",)

    def draw(self, surface="bowl", learning_rate=0.1, start_x=1.0, start_y=3.0):
        if surface not in SURFACES:
            raise ValueError(f"surface must be one of {sorted(SURFACES)}; got {surface!r}")
        self.s = s = SURFACES[surface]()
        # One panel above the other: a phone's width keeps the text readable.
        fig, (ax_path, ax_loss) = subplots(2, 1, figsize=(5.6, 8.4), layout=None, height_ratios=[1.3, 1])
        fig.subplots_adjust(left=0.17, right=0.96, bottom=0.07, top=0.87, hspace=0.3)
        if s.dim == 2:
            plot_contours(s, ax_path)
            ax_path.set_aspect("equal")  # a round bowl looks round
            self.path, = ax_path.plot([], [], color=PALETTE["vermillion"], lw=1.5, marker="o", ms=3, zorder=3)
        else:
            xs = np.linspace(*s.limits[0], 301)
            curve = s.loss(xs[:, None])
            ax_path.plot(xs, curve, color=PALETTE["blue"], lw=2)
            mark_stationary_points(s, ax_path, dim=1)
            ax_path.set_xlim(*s.limits[0])
            ax_path.set_ylim(curve.min() - 0.08 * np.ptp(curve), curve.max() + 0.05 * np.ptp(curve))
            ax_path.set(xlabel="θ", ylabel="ℒ(θ)")
            self.path, = ax_path.plot([], [], color=PALETTE["vermillion"], lw=1.2, marker="o", ms=4, zorder=3)
        legend = ax_path.legend(loc="lower right" if s.dim == 2 else "upper center", fontsize=8,
                                framealpha=0.8, frameon=True, handletextpad=0.2,
                                borderpad=0.3)
        self.fixed = [legend]  # under the path: a redraw repaints the path, not the legend
        self.start, = ax_path.plot([], [], marker="o", ms=10, mfc="none", mec="black", mew=1.6, ls="none", zorder=4)
        self.note = ax_path.text(0.02, 0.97, "", transform=ax_path.transAxes, va="top", fontsize=9,
                                 color=PALETTE["vermillion"], zorder=5,
                                 bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85})
        ax_path.set_title(s.formula, fontsize=11)
        # Above the axes' edges (spines, zorder 2.5) and the axis labels.
        self.loss, = ax_loss.plot([], [], color=PALETTE["vermillion"], lw=1.5, marker="o", ms=2.5, zorder=3.5)
        ax_loss.set_yscale("log")
        ax_loss.set(xlabel="step", ylabel="ℒ(θ) − ℒ* (log scale)", title="loss above its minimum, per step")
        fast_axes(ax_path)
        fast_axes(ax_loss)
        # Every run gets the same axes: a curve's length is its number of steps, and its height
        # the same scale for every rate (a converged run ends near 10⁻⁷, a diverging one leaves
        # the top). Axes that never change stay in the saved background: fast redraws.
        ax_loss.set_xlim(-2, LR_DEMO_STEPS + 2)
        ax_loss.set_ylim(*LR_DEMO_LOSS_RANGE)
        static_axis_labels(ax_loss)
        ax_loss.texts[-1].set_x(LOG_LABEL_X)  # clear of the widest tick label
        self.ax_path, self.ax_loss = ax_path, ax_loss
        self.suptitle = fig.suptitle("", fontsize=12)
        self.dynamic = [self.path, self.start, self.note, self.loss, self.suptitle]
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
        if outside.size and outside[0] == 0:
            self.note.set_text("the start lies outside the picture")
        elif outside.size:
            self.note.set_text(f"the path leaves the picture at step {outside[0]}")
        elif run.status == "diverged":
            self.note.set_text("the next step jumps far away")
        else:
            self.note.set_text("")
        gap = np.maximum(run.losses - s.min_loss, 1e-12)
        self.loss.set_data(np.arange(len(gap)), gap)
        self.loss.set_color(colour)
        self.loss.set_marker("o" if run.steps <= 60 else "")
        self.suptitle.set_text(f"{s.name}, α = {learning_rate:.3g}, {learning_rate_where(s, start_x, start_y)}:\n"
                               f"{learning_rate_verdict(run, s)}")
        self.suptitle.set_color(colour)


@functools.lru_cache(maxsize=64)  # a frame's figure and its caption share one run
def learning_rate_run(surface, learning_rate, start_x, start_y):
    """The learning-rate demo's run: gradient descent on a named surface from a start."""
    s = SURFACES[surface]()
    return gradient_descent(s, [start_x, start_y][:s.dim], learning_rate, steps=LR_DEMO_STEPS, tol=LR_DEMO_TOL)


def learning_rate_where(s, start_x, start_y):
    return f"start ({start_x:.3g}, {start_y:.3g})" if s.dim == 2 else f"start θ = {start_x:.3g}"


def learning_rate_verdict(run, s):
    """The run's verdict; for a converged run, where it ended and whether that is the lowest
    point; for a run that used all its steps, how far its loss still is above the minimum and
    whether it is still falling (a run can be "not converged", by the gradient test, with
    its loss a few millionths above the minimum)."""
    if run.status == "finished":
        gap = float(run.losses[-1] - s.min_loss)
        falling = run.losses[-2] - run.losses[-1] > 1e-12 * max(1.0, abs(run.losses[-1]))
        return (f"not converged in {plural(run.steps, 'step')}" + (", zig-zagging" if run.zigzag else "")
                + f": ℒ − ℒ* = {gap:.2g}" + (" and falling" if falling else ""))
    if not run.converged:
        return run.verdict
    end = np.round(run.path[-1], 2) + 0.0  # + 0.0: no "-0.00"
    where = f"θ = {end[0]:.2f}" if s.dim == 1 else f"({end[0]:.2f}, {end[1]:.2f})"
    verdict = f"converged in {plural(run.steps, 'step')} at {where}" + (", zig-zagging" if run.zigzag else "")
    if run.losses[-1] - s.min_loss > 1e-3:
        verdict += ", not the lowest point"
    return verdict


#: The batch-size demo's number of examples and of epochs.
BATCH_DEMO_EXAMPLES, BATCH_DEMO_EPOCHS = 64, 8
#: The cost panel's range: the least-squares cost (0.087) to above the starting cost (5.3).
BATCH_DEMO_COST_RANGE = (0.06, 100.0)


def batch_demo_data():
    """The batch-size demo's data: 64 seeded points of y = 2x + 1 plus noise, X = [x, 1]."""
    return regression(BATCH_DEMO_EXAMPLES, seed=0)


@functools.lru_cache(maxsize=64)
def batch_demo_run(batch_size, learning_rate):
    """The batch-size demo's run on its data: 8 epochs of mini-batch descent, shuffled with seed 0."""
    X, y = batch_demo_data()
    return minibatch_descent(X, y, int(batch_size), learning_rate, epochs=BATCH_DEMO_EPOCHS, seed=0)


class BatchSizeFigure(LiveFigure):
    """Mini-batch gradient descent on a small linear regression, for one batch size.

    Top: the cost's contours over the slope w and bias b, with the path of every update
    (dashed: batch gradient descent for comparison); below: the cost per epoch for both, so
    that equal x means equal work.
    """

    def draw(self, batch_size=8, learning_rate=0.1):
        self.X, self.y = batch_demo_data()
        s = least_squares(self.X, self.y)
        self.s = s = dataclasses.replace(s, limits=((-0.6, 3.6), (-0.6, 2.6)))
        # One panel above the other: a phone's width keeps the text readable.
        fig, (ax_path, ax_loss) = subplots(2, 1, figsize=(5.6, 8.4), layout=None, height_ratios=[1.2, 1])
        fig.subplots_adjust(left=0.17, right=0.96, bottom=0.13, top=0.88, hspace=0.3)
        plot_contours(s, ax_path, mark_minimum=False)
        ax_path.plot(*s.minimum, marker="*", ms=14, color=PALETTE["green"], mec="black", ls="none", zorder=4,
                     label=f"least squares (cost {s.min_loss:.3f})")
        ax_path.set(xlabel="slope w", ylabel="bias b", aspect="equal")  # the cost's true shape
        self.batch_path, = ax_path.plot([], [], color=PALETTE["black"], lw=1.2, ls="--", marker="s", ms=3,
                                        zorder=3, label="batch (all 64)")
        self.path, = ax_path.plot([], [], color=PALETTE["vermillion"], lw=1.0, zorder=3, label="this batch size")
        ax_path.plot(0, 0, marker="o", ms=9, mfc="none", mec="black", mew=1.5, zorder=4, ls="none")
        # Above the axes' edges (spines, zorder 2.5) and the axis labels.
        self.batch_loss, = ax_loss.plot([], [], color=PALETTE["black"], lw=1.2, ls="--", marker="s", ms=3,
                                        zorder=3.5)
        self.loss, = ax_loss.plot([], [], color=PALETTE["vermillion"], lw=1.0, zorder=3.5)
        ax_loss.axhline(s.min_loss, color=PALETTE["green"], lw=1, ls=":")
        ax_loss.set_yscale("log")
        ax_loss.set_xlim(0, BATCH_DEMO_EPOCHS)
        ax_loss.set_ylim(*BATCH_DEMO_COST_RANGE)  # fixed: a diverging run leaves the top
        ax_loss.set(xlabel="epochs (equal work at equal x)", ylabel="cost on all 64 examples",
                    title="cost while training")
        # One legend for both panels, outside them: a redraw never repaints it.
        fig.legend(handles=ax_path.get_lines()[-4:-1][::-1], loc="lower center", ncols=2, fontsize=9,
                   frameon=False, bbox_to_anchor=(0.5, 0.0))
        fast_axes(ax_path)
        fast_axes(ax_loss)
        static_axis_labels(ax_loss)
        ax_loss.texts[-1].set_x(LOG_LABEL_X)
        self.ax_loss = ax_loss
        self.suptitle = fig.suptitle("", fontsize=12)
        self.dynamic = [self.path, self.batch_path, self.loss, self.batch_loss, self.suptitle]
        return fig

    def update(self, batch_size=8, learning_rate=0.1):
        n = len(self.y)
        batch_size = int(batch_size)
        run = batch_demo_run(batch_size, learning_rate)
        full = batch_demo_run(n, learning_rate)
        self.path.set_data(run.path[:, 0], run.path[:, 1])
        self.batch_path.set_data(full.path[:, 0], full.path[:, 1])
        self.loss.set_data(run.examples / n, run.losses)
        self.batch_loss.set_data(full.examples / n, full.losses)
        self.suptitle.set_text(batch_size_title(run, batch_size, learning_rate))
        self.suptitle.set_color(VERDICT_COLOURS["diverged"] if run.diverged else "black")


def batch_size_title(run, batch_size, learning_rate):
    n = BATCH_DEMO_EXAMPLES
    kind = "stochastic" if batch_size == 1 else "batch" if batch_size == n else "mini-batch"
    if run.diverged:
        outcome = f"diverged in epoch {int(run.examples[-1] // n) + 1}"
    else:
        outcome = f"{run.iterations} in {BATCH_DEMO_EPOCHS} epochs, final cost {run.losses[-1]:.3f}"
    # Two short lines: the title is repainted on every move, and text is the slowest to draw.
    return f"batch size {batch_size} ({kind}), α = {learning_rate:.3g}:\n" \
           f"{plural(run.iterations_per_epoch, 'update')} per epoch, {outcome}"


def plural(count, word):
    return f"{count} {word}" + ("" if count == 1 else "s")


# --- Experiments over seeds and batch sizes --------------------------------------------------


def house_prices(n=50, seed=0):
    """The feature-scaling example's data: ``n`` houses with 1 to 6 rooms and an age of 0 to
    60 years, priced 50 per room, minus 1.5 per year, plus 100 and noise (std 15).

    Returns (features (n, 2): rooms and age, prices (n,)). Seed 0 is the chapter's data.
    """
    rng = np.random.default_rng(seed)
    rooms, age = rng.integers(1, 7, n).astype(float), rng.uniform(0, 60, n)
    price = 50 * rooms - 1.5 * age + 100 + rng.normal(0, 15, n)
    return np.column_stack([rooms, age]), price


def steps_to_reach(cost, fraction=1e-6, max_steps=10_000):
    r"""Gradient descent on a least-squares ``cost`` from $\theta = 0$ at $\alpha = 1/\lambda_{\max}$:
    the number of steps until the cost is within ``fraction`` of its starting gap from the
    minimum, or None if ``max_steps`` are not enough."""
    rate = 1 / np.linalg.eigvalsh(hessian(cost)).max()
    run = gradient_descent(cost, np.zeros(len(cost.minimum)), rate, steps=max_steps, tol=1e-9)
    gap = run.losses - cost.min_loss
    reached = np.flatnonzero(gap <= fraction * gap[0])
    return int(reached[0]) if reached.size else None


def predicted_steps(kappa, fraction=1e-6):
    r"""Steps for the slowest direction, shrunk by $1 - 1/\kappa$ per step at $\alpha = 1/\lambda_{\max}$,
    to bring its part of the cost (which shrinks by the square of that) below ``fraction`` of
    its start: $\ln(1/\varepsilon) / (-2\ln(1 - 1/\kappa)) \approx \kappa \ln(1/\varepsilon) / 2$.
    An upper estimate: it assumes the whole starting gap lies along the slowest direction."""
    if kappa <= 1:
        return 1.0
    return float(np.log(1 / fraction) / (-2 * np.log1p(-1 / kappa)))


def minibatch_gradient_noise(X, y, theta, batch_sizes, draws=20_000, seed=0):
    r"""How noisy a mini-batch gradient of the mean squared error is at ``theta``: for each
    batch size B, (predicted, measured) total variance (the sum over the parameters) of the
    gradient of a batch of B examples drawn without replacement, around the full gradient.

    Predicted: $S^2 (N - B) / (N B)$, with $S^2$ the total sample variance (denominator
    $N - 1$) of the N per-example gradients. Measured: over ``draws`` random batches.
    """
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n = len(y)
    per_example = 2 * (X @ np.asarray(theta, dtype=np.float64) - y)[:, None] * X   # (N, D)
    s2 = float(per_example.var(axis=0, ddof=1).sum())
    rng = np.random.default_rng(seed)
    orders = rng.permuted(np.tile(np.arange(n), (draws, 1)), axis=1)
    result = {}
    for b in batch_sizes:
        means = per_example[orders[:, :b]].mean(axis=1)                            # (draws, D)
        measured = float(((means - per_example.mean(axis=0)) ** 2).sum(axis=1).mean())
        result[b] = (s2 * (n - b) / (n * b), measured)
    return result


