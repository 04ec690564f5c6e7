"""Chapter 6, optimizers: its figures, then its demos, then its exercise checkers."""

import functools
import math

import matplotlib as mpl
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from nnbook import optim, training
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
from nnbook.data import moons
from nnbook.plotting import (
    PALETTE,
    LogTicks,
    fast_axes,
    plot_contours,
    plot_path,
    static_axis_labels,
    subplots,
)
from nnbook.surfaces import SURFACES, quadratic
from nnbook.widgets import Choice, Demo, LiveFigure, Slider

# --- Names, colours, and running several optimizers at once ----------------------------------

#: The name each optimizer has on the page.
NAMES = {"sgd": "SGD", "momentum": "momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
         "rmsprop": "RMSprop", "adam": "Adam", "amsgrad": "AMSGrad"}
#: One colour and line style per optimizer, the same in every figure of the chapter.
STYLES = {
    "sgd": {"color": PALETTE["black"], "ls": "-"},
    "momentum": {"color": PALETTE["vermillion"], "ls": "-"},
    "nesterov": {"color": PALETTE["orange"], "ls": "--"},
    "adagrad": {"color": PALETTE["sky"], "ls": "-."},
    "rmsprop": {"color": PALETTE["blue"], "ls": ":"},
    "adam": {"color": PALETTE["purple"], "ls": "-"},
    "amsgrad": {"color": PALETTE["green"], "ls": "--"},
}


def make_optimizer(name, learning_rate, beta1=0.9):
    """One of ``optim.OPTIMIZERS`` with learning rate ``learning_rate`` and, if it has one, the
    decay $\\beta_1$ of its velocity or first moment (momentum, Nesterov, Adam, AMSGrad)."""
    if "beta1" in optim.OPTIMIZERS[name].hyper_parameters:
        return optim.get_optimizer(name, learning_rate=learning_rate, beta1=beta1)
    return optim.get_optimizer(name, learning_rate=learning_rate)


def race(names, gradient, start, *, learning_rate, beta1=0.9, steps=200, bound=optim.DIVERGENCE_BOUND):
    """Run several optimizers from the same ``start`` in lockstep: {name: points (n + 1, D)}.

    The gradient of all the runs still going is taken in one call (``gradient`` accepts
    (k, D)), so k optimizers cost little more than one. Each run stops, as in
    ``optim.trajectory``, before a point with a coordinate beyond ``bound``; the points kept
    are the same as ``optim.trajectory`` gives for each optimizer on its own.
    """
    start = np.asarray(start, dtype=np.float64)
    optimizers = [make_optimizer(name, learning_rate, beta1) for name in names]
    thetas = np.tile(start, (len(optimizers), 1))
    params = [{"theta": theta} for theta in thetas]      # views: each step updates thetas
    points = np.empty((len(optimizers), steps + 1, start.size))
    points[:, 0] = start
    length = np.full(len(optimizers), steps + 1)
    going = np.arange(len(optimizers))
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            if not going.size:
                break
            grads = gradient(thetas[going])
            finite = np.isfinite(np.einsum("ij,ij->i", grads, grads))  # every entry finite
            for row, k in enumerate(going):
                if finite[row]:
                    optimizers[k].step(params[k], {"theta": grads[row]})
            inside = finite & np.all(np.abs(thetas[going]) < bound, axis=1)
            length[going[~inside]] = t + 1
            going = going[inside]
            points[going, t + 1] = thetas[going]
    return {name: points[k, :length[k]] for k, name in enumerate(names)}


# --- Figures ---------------------------------------------------------------------------------


#: The family tree: each optimizer's place (x, y) and what it grew from.
FAMILY = {
    "sgd": ((0.5, 0.9), ()),
    "momentum": ((0.16, 0.66), ("sgd",)),
    "nesterov": ((0.16, 0.42), ("momentum",)),
    "adagrad": ((0.84, 0.66), ("sgd",)),
    "rmsprop": ((0.84, 0.42), ("adagrad",)),
    "adam": ((0.5, 0.22), ("momentum", "rmsprop")),
    "amsgrad": ((0.5, 0.0), ("adam",)),
}
#: What each optimizer added, and when.
FAMILY_NOTES = {
    "sgd": "a step against\nthe gradient",
    "momentum": "Polyak 1964:\na velocity",
    "nesterov": "Nesterov 1983:\nlook ahead",
    "adagrad": "Duchi et al. 2011:\na rate per parameter",
    "rmsprop": "Tieleman & Hinton 2012:\nforget old g²",
    "adam": "Kingma & Ba 2015:\nboth, bias-corrected",
    "amsgrad": "Reddi et al. 2018:\nthe rate never grows",
}


def plot_family_tree():
    """The family tree: SGD -> momentum -> Nesterov; SGD -> AdaGrad -> RMSprop; both -> Adam -> AMSGrad."""
    fig, ax = subplots(figsize=(5.8, 6.6))  # narrow: readable on a phone
    ax.set(xlim=(-0.01, 1.01), ylim=(-0.08, 0.98), xticks=[], yticks=[])
    ax.axis("off")
    # Each family's label beside SGD, above its column.
    ax.text(0.155, 0.9, "changes the\ngradient component\n(the direction)", ha="center", va="center",
            fontsize=9.5, color=PALETTE["vermillion"], style="italic")
    ax.text(0.845, 0.9, "changes the rate\nof each parameter\n(the step size)", ha="center", va="center",
            fontsize=9.5, color=PALETTE["blue"], style="italic")
    for name, ((x, y), parents) in FAMILY.items():
        colour = STYLES[name]["color"]
        ax.add_patch(FancyBboxPatch((x - 0.155, y - 0.065), 0.31, 0.13, boxstyle="round,pad=0.01",
                                    fc="white", ec=colour, lw=2))
        ax.text(x, y + 0.034, NAMES[name], ha="center", va="center", fontsize=12, weight="bold")
        ax.text(x, y - 0.022, FAMILY_NOTES[name], ha="center", va="center", fontsize=9, linespacing=1.1)
        for parent in parents:
            (px, py), _ = FAMILY[parent]
            ax.add_patch(FancyArrowPatch((px, py - 0.07), (x, y + 0.07), arrowstyle="-|>",
                                         mutation_scale=14, color="#555555", lw=1.4))
    return fig


def first_steps(names, gradient, start, *, learning_rate, beta1=0.9, steps=3):
    """The first ``steps`` points of each optimizer from ``start``: {name: (steps, D)}."""
    return {name: optim.trajectory(make_optimizer(name, learning_rate, beta1), gradient, start,
                                   steps=steps).points[1:] for name in names}


def effective_rates(gradients, *, learning_rate=0.01, beta1=0.0, beta2=0.9):
    r"""The per-parameter rate each step of Adam and AMSGrad on a 1-D gradient sequence.

    Adam's rate is $\alpha / \sqrt{\hat s_t}$ (bias-corrected); AMSGrad's is
    $\alpha / \sqrt{s^{\max}_t}$, the running maximum of $s_t$, as in Reddi et al.'s
    Algorithm 2 (no bias correction). Returns (adam, amsgrad), each (T,).
    The rates are read from the optimizers' own state after every step.
    """
    gradients = np.asarray(gradients, dtype=np.float64)
    rates = {}
    for name, opt in (("adam", optim.Adam(learning_rate, beta1, beta2)),
                      ("amsgrad", optim.AMSGrad(learning_rate, beta1, beta2))):
        w, out = {"w": np.zeros(1)}, []
        for g in gradients:
            opt.step(w, {"w": np.array([g])})
            if name == "adam":
                s = opt.state["w"]["s"][0] / (1 - beta2 ** opt.t)
            else:
                s = opt.state["w"]["s_max"][0]
            out.append(learning_rate / math.sqrt(s))
        rates[name] = np.array(out)
    return rates["adam"], rates["amsgrad"]


def plot_effective_rates(gradients, adam, amsgrad):
    """Top: a gradient sequence; bottom: Adam's and AMSGrad's per-parameter rate on it (log)."""
    fig, (ax_g, ax_r) = subplots(2, 1, figsize=(5.8, 5.6), sharex=True)  # narrow: readable on a phone
    steps = np.arange(1, len(gradients) + 1)
    ax_g.bar(steps, gradients, color=PALETTE["grey"], width=0.8)
    ax_g.set(ylabel="gradient gₜ", title="One large gradient, then small ones")
    for name, rate in (("adam", adam), ("amsgrad", amsgrad)):
        label = "Adam: α / √ŝₜ" if name == "adam" else "AMSGrad: α / √(largest sₜ so far)"
        ax_r.plot(steps, rate, lw=2, label=label, **STYLES[name])
    ax_r.set_yscale("log")
    ax_r.set(xlabel="step t", ylabel="rate (log scale)", title="The per-parameter rate it uses")
    ax_r.legend(loc="upper left", fontsize=9)
    return fig


def plot_schedules(schedules, total, histories=None):
    """Top: each schedule's learning rate per step; below it (if ``histories``): the training
    loss per epoch of a run with each. schedules: {name: t -> rate}; histories: {name: losses}."""
    ncols = 1 if histories is None else 2
    fig, axes = subplots(ncols, 1, figsize=(5.4, 4 * ncols))  # stacked: readable on a phone
    axes = np.atleast_1d(axes)
    colours = [PALETTE[c] for c in ("black", "orange", "sky", "vermillion", "purple", "blue")]
    steps = np.arange(total)
    for (name, schedule), colour in zip(schedules.items(), colours):
        axes[0].plot(steps, [schedule(int(t)) for t in steps], lw=2, color=colour, label=name)
    axes[0].set(xlabel="epoch t", ylabel="learning rate αₜ", title="The learning rate over time")
    if histories is None:
        axes[0].legend(fontsize=8.5, loc="upper right")
        return fig
    for (name, losses), colour in zip(histories.items(), colours):
        axes[1].plot(np.arange(1, len(losses) + 1), losses, lw=1.8, color=colour, label=name)
    axes[1].set_yscale("log")
    axes[1].set(xlabel="epoch", ylabel="training loss (log scale)", title="What it does to training")
    axes[1].legend(fontsize=8.5, loc="upper right")  # the late epochs sit low: the top right is free
    return fig


def plot_paths(panels, *, steps_note=None):
    """Contour plots with optimizer paths, one above the other.

    panels: [(surface, {label: (points (n, 2), optimizer name or colour)}), ...].
    """
    fig, axes = subplots(len(panels), 1, figsize=(5.2, 4.6 * len(panels)))  # stacked: readable on a phone
    for ax, (surface, paths) in zip(np.atleast_1d(axes), panels):
        plot_contours(surface, ax, n_levels=14)
        for label, (points, key) in paths.items():
            style = STYLES.get(key, {"color": key, "ls": "-"})
            plot_path(points, ax, colour=style["color"], label=label, markers=False, ls=style["ls"])
        ax.set(aspect="equal", title=surface.formula)
        ax.legend(loc="lower left", fontsize=8, frameon=True, framealpha=0.85)
    return fig


def plot_training(histories, accuracies):
    """Top: training loss per epoch for each optimizer (log); bottom: final accuracy as bars.

    histories: {optimizer name: losses per epoch}; accuracies: {optimizer name: fraction}.
    """
    fig, (ax_loss, ax_acc) = subplots(2, 1, figsize=(5.6, 8.2), height_ratios=[1.4, 1])  # stacked: phone
    for name, losses in histories.items():
        ax_loss.plot(np.arange(1, len(losses) + 1), losses, lw=1.8, label=NAMES[name], **STYLES[name])
    ax_loss.set_yscale("log")
    ax_loss.set(xlabel="epoch", ylabel="training loss (log scale)", title="Loss while training")
    ax_loss.legend(fontsize=8.5, ncols=2, loc="lower left")
    names = list(accuracies)
    ax_acc.barh(np.arange(len(names)), [100 * accuracies[n] for n in names],
                color=[STYLES[n]["color"] for n in names])
    for k, n in enumerate(names):
        ax_acc.text(100 * accuracies[n] - 1, k, f"{100 * accuracies[n]:.1f}%", va="center", ha="right",
                    color="white", fontsize=9, weight="bold")
    ax_acc.set_yticks(np.arange(len(names)), [NAMES[n] for n in names])
    ax_acc.invert_yaxis()
    ax_acc.set(xlim=(50, 100), xlabel="training accuracy (%)", title="Accuracy at the end")
    ax_acc.grid(axis="y", visible=False)
    return fig


# --- Momentum on an ill-conditioned bowl (Goh 2017) -------------------------------------------


def best_settings(kappa):
    r"""The best fixed settings on a quadratic with curvatures 1 and $\kappa$ (Goh 2017, Polyak 1964).

    Gradient descent: $\alpha = 2/(1 + \kappa)$, rate $(\kappa - 1)/(\kappa + 1)$ per step.
    Momentum: $\alpha = \bigl(2/(1 + \sqrt\kappa)\bigr)^2$,
    $\beta = \bigl((\sqrt\kappa - 1)/(\sqrt\kappa + 1)\bigr)^2$, rate $\sqrt\beta$ per step.
    Returns {"sgd": (alpha, rate), "momentum": (alpha, beta, rate)}.
    """
    root = math.sqrt(kappa)
    sgd_rate = (kappa - 1) / (kappa + 1)
    beta = ((root - 1) / (root + 1)) ** 2
    return {"sgd": (2 / (1 + kappa), sgd_rate), "momentum": ((2 / (1 + root)) ** 2, beta, math.sqrt(beta))}


def conditioning_bowl(kappa):
    r"""$\mathcal{L} = \frac12(\theta_1^2 + \kappa\,\theta_2^2)$: curvatures 1 and $\kappa$."""
    return quadratic(np.diag([1.0, float(kappa)]), name=f"bowl with κ = {kappa:g}")


#: The conditioning experiment: the start, and "converged" = the distance cut this many times.
CONDITION_START, CONDITION_FACTOR = (1.0, 1.0), 1e6


def distances(kappas, steps):
    r"""The distance to the minimum, relative to the start, per step, for gradient descent and
    momentum with their best settings on ``conditioning_bowl(kappa)`` for every kappa at once.

    Returns (sgd, momentum), each (len(kappas), steps + 1). The same runs as
    ``optim.SGD``/``optim.Momentum`` on the bowl (tested), vectorised over the kappas.
    """
    kappas = np.asarray(kappas, dtype=np.float64)[:, None]
    curv = np.concatenate([np.ones_like(kappas), kappas], axis=1)
    root = np.sqrt(kappas)
    a_sgd = 2 / (1 + kappas)
    a_mom, b_mom = (2 / (1 + root)) ** 2, ((root - 1) / (root + 1)) ** 2
    start = np.array(CONDITION_START)
    w_sgd, w_mom = np.tile(start, (len(kappas), 1)), np.tile(start, (len(kappas), 1))
    v = np.zeros_like(w_mom)
    out_sgd, out_mom = np.empty((len(kappas), steps + 1)), np.empty((len(kappas), steps + 1))
    norm0 = np.linalg.norm(start)
    out_sgd[:, 0] = out_mom[:, 0] = 1.0
    for t in range(1, steps + 1):
        w_sgd = w_sgd - a_sgd * curv * w_sgd
        v = b_mom * v - a_mom * curv * w_mom
        w_mom = w_mom + v
        out_sgd[:, t] = np.sqrt(np.sum(w_sgd ** 2, axis=1)) / norm0
        out_mom[:, t] = np.sqrt(np.sum(w_mom ** 2, axis=1)) / norm0
    return out_sgd, out_mom


def steps_to_converge(curve, factor=CONDITION_FACTOR):
    """The first step at which a distance curve (from ``distances``) stays below 1/factor."""
    above = np.flatnonzero(np.asarray(curve) >= 1 / factor)
    return int(above[-1] + 1) if above.size else 0


def theory_steps(kappa, factor=CONDITION_FACTOR):
    r"""Steps to cut the distance ``factor`` times at each method's rate: $\ln(\text{factor}) / -\ln(\text{rate})$."""
    best = best_settings(kappa)
    return {name: math.log(factor) / -math.log(best[name][-1]) if best[name][-1] > 0 else 1.0
            for name in ("sgd", "momentum")}


#: The kappas of the conditioning figure's lower panel, and the most steps any of them needs.
CONDITION_KAPPAS = np.geomspace(2, 1000, 19)
CONDITION_MAX_STEPS = 7200
#: The upper panel's steps.
CONDITION_SHOWN_STEPS = 400


@functools.lru_cache(maxsize=1)
def condition_table():
    """Measured and theoretical steps to converge for every kappa of ``CONDITION_KAPPAS``:
    {"kappa", "sgd", "momentum", "sgd_theory", "momentum_theory"} arrays."""
    sgd, mom = distances(CONDITION_KAPPAS, CONDITION_MAX_STEPS)
    theory = [theory_steps(k) for k in CONDITION_KAPPAS]
    return {"kappa": CONDITION_KAPPAS,
            "sgd": np.array([steps_to_converge(c) for c in sgd]),
            "momentum": np.array([steps_to_converge(c) for c in mom]),
            "sgd_theory": np.array([t["sgd"] for t in theory]),
            "momentum_theory": np.array([t["momentum"] for t in theory])}


#: The conditioning figure compares full-batch gradient descent with momentum.
CONDITION_NAMES = {"sgd": "gradient descent", "momentum": "momentum"}


class ConditionFigure(LiveFigure):
    r"""Gradient descent and momentum, each with its best fixed settings, on a bowl of condition
    number $\kappa$. Top: the distance to the minimum per step (log); bottom: the steps to cut it
    a millionfold against $\kappa$, measured (dots) and from the rates (lines), log-log."""

    def draw(self, kappa=100.0):
        # One panel above the other: a phone's width keeps the text readable.
        fig, (ax_d, ax_s) = subplots(2, 1, figsize=(5.6, 9.0), layout=None)
        fig.subplots_adjust(left=0.17, right=0.93, bottom=0.15, top=0.88, hspace=0.38)
        table = condition_table()
        for name, key in (("sgd", "sgd"), ("momentum", "momentum")):
            style = STYLES[name]
            ax_s.plot(table["kappa"], table[f"{key}_theory"], color=style["color"], lw=1.5, ls="--")
            ax_s.plot(table["kappa"], table[key], "o", color=style["color"], ms=5,
                      label=f"{CONDITION_NAMES[name]}: measured (dots), from the rate (dashes)")
        ax_s.set_xscale("log")
        ax_s.set_yscale("log")
        ax_s.set(xlabel="condition number κ (log scale)", ylabel="steps (log scale)",
                 title="steps to cut the distance a millionfold", ylim=(5, 2e4))
        self.marker = ax_s.axvline(kappa, color=PALETTE["grey"], lw=2, zorder=1.6)  # under the dots and dashes
        self.lines = {}
        for name in ("sgd", "momentum"):
            self.lines[name], = ax_d.plot([], [], lw=2, **STYLES[name])
        ax_d.axhline(1 / CONDITION_FACTOR, color=PALETTE["grey"], lw=1, ls=":", zorder=1)
        ax_d.set_yscale("log")
        ax_d.set(xlim=(0, CONDITION_SHOWN_STEPS), ylim=(1e-7, 3), xlabel="step",
                 ylabel="distance to the minimum (log)", title="distance to the minimum, per step")
        # One legend for both panels, outside them: a redraw never repaints it.
        fig.legend(handles=ax_s.get_lines()[1::2], loc="lower center", ncols=1, fontsize=9, frameon=False)
        for ax in (ax_d, ax_s):
            fast_axes(ax)
        ax_s.xaxis.set_major_locator(LogTicks())
        ax_s.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda value, _: f"{value:g}"))
        ax_s.xaxis.set_minor_locator(mpl.ticker.NullLocator())
        static_axis_labels(ax_d)
        ax_d.texts[-1].set_x(-0.16)
        self.fixed = ax_d.texts[-2:]  # the axis labels: a redraw does not repaint them
        for ax in (ax_d, ax_s):
            ax.grid(False)
        self.suptitle = fig.suptitle("", fontsize=11.5)
        self.dynamic = [self.lines["sgd"], self.lines["momentum"], self.marker, self.suptitle]
        return fig

    def update(self, kappa=100.0):
        sgd, mom = distances([kappa], CONDITION_SHOWN_STEPS)
        steps = np.arange(CONDITION_SHOWN_STEPS + 1)
        for name, curve in (("sgd", sgd[0]), ("momentum", mom[0])):
            shown = curve > 1e-8
            self.lines[name].set_data(steps[shown], curve[shown])
        self.marker.set_xdata([kappa, kappa])
        self.suptitle.set_text(condition_title(kappa))


def condition_title(kappa):
    best = best_settings(kappa)
    return (f"κ = {kappa:.3g}: in the long run each step keeps\n{best['sgd'][1]:.3f} of the distance "
            f"with gradient descent, {best['momentum'][2]:.3f} with momentum")


# --- The optimizer race ------------------------------------------------------------------------

#: The race's surfaces and where every optimizer starts on each.
RACE_STARTS = {"elongated bowl": (-2.8, 1.5), "Rosenbrock": (-1.2, 1.0), "saddle": (1.8, 0.01),
               "double well": (1.8, 1.5)}
#: The sets of optimizers the race can show.
RACE_SETS = {
    "SGD, momentum, Adam": ("sgd", "momentum", "adam"),
    "momentum vs Nesterov": ("sgd", "momentum", "nesterov"),
    "per-parameter rates": ("sgd", "adagrad", "rmsprop", "adam"),
    "Adam vs AMSGrad": ("adam", "amsgrad"),
    "all seven": tuple(NAMES),
}
RACE_STEPS = 200
#: The loss panel's range: below a converged run, up to where a diverging run leaves.
RACE_LOSS_RANGE = (1e-10, 1e6)
#: Within this of the lowest loss, a run has reached the minimum.
RACE_TOL = 1e-6


@functools.lru_cache(maxsize=64)  # a frame's figure and its caption share one race
def race_runs(surface, optimizers, learning_rate, beta):
    """The race for one setting: {optimizer name: points (n + 1, 2)}; ``beta`` is the
    slider's $\\beta$, each optimizer's ``beta1``."""
    s = SURFACES[surface]()
    return race(RACE_SETS[optimizers], s.gradient, RACE_STARTS[surface], learning_rate=learning_rate,
                beta1=beta, steps=RACE_STEPS)


def race_verdict(points, s):
    """A run's outcome in plain words."""
    gaps = s.loss(points) - s.min_loss
    if len(points) < RACE_STEPS + 1:
        return f"diverged at step {len(points)}"
    if gaps[-1] < RACE_TOL:
        above = np.flatnonzero(gaps >= RACE_TOL)
        return f"at the minimum from step {above[-1] + 1 if above.size else 0}"
    end = points[-1]
    for label, point in s.stationary.items():
        if np.linalg.norm(end - point) < 0.05 and not np.isclose(s.loss(point), s.min_loss):
            return f"stuck at the {label}"
    return f"still {gaps[-1]:.2g} above the minimum"


class RaceFigure(LiveFigure):
    """Several optimizers from the same start on one of the race's surfaces.

    Top: the contours and every optimizer's path; bottom: the loss above its minimum per step
    (log), with each optimizer's outcome written in its colour.
    """

    rebuild_on = ("surface",)

    def draw(self, surface="elongated bowl", optimizers="SGD, momentum, Adam", learning_rate=0.01, beta=0.9):
        if surface not in RACE_STARTS:
            raise ValueError(f"surface must be one of {sorted(RACE_STARTS)}; got {surface!r}")
        self.s = s = SURFACES[surface]()
        # One panel above the other: a phone's width keeps the text readable.
        fig, (ax_path, ax_loss) = subplots(2, 1, figsize=(5.6, 8.8), layout=None, height_ratios=[1.15, 1])
        fig.subplots_adjust(left=0.19, right=0.95, bottom=0.07, top=0.88, hspace=0.3)
        plot_contours(s, ax_path)
        ax_path.plot(*RACE_STARTS[surface], marker="o", ms=10, mfc="none", mec="black", mew=1.6,
                     ls="none", zorder=4)
        ax_path.set_title(s.formula, fontsize=11)
        self.paths, self.losses, self.labels = {}, {}, {}
        for k, name in enumerate(NAMES):
            style = STYLES[name]
            self.paths[name], = ax_path.plot([], [], lw=1.8, zorder=3, **style)
            self.losses[name], = ax_loss.plot([], [], lw=1.8, **style)
            self.labels[name] = ax_loss.text(0.98, 0.97 - 0.075 * k, "", transform=ax_loss.transAxes,
                                             ha="right", va="top", fontsize=8.5, color=style["color"],
                                             weight="bold", zorder=5,
                                             bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
        ax_loss.set_yscale("log")
        ax_loss.set(xlim=(-2, RACE_STEPS + 2), ylim=RACE_LOSS_RANGE, xlabel="step",
                    ylabel="ℒ(θ) − ℒ* (log scale)", title="loss above the minimum, per step")
        fast_axes(ax_path)
        fast_axes(ax_loss)
        static_axis_labels(ax_loss)
        ax_loss.texts[-1].set_x(-0.2)
        self.fixed = ax_loss.texts[-2:]  # the axis labels: a redraw does not repaint them
        self.suptitle = fig.suptitle("", fontsize=12)
        self.dynamic = [*self.paths.values(), *self.losses.values(), *self.labels.values(), self.suptitle]
        return fig

    def update(self, surface="elongated bowl", optimizers="SGD, momentum, Adam", learning_rate=0.01, beta=0.9):
        s = self.s
        runs = race_runs(surface, optimizers, learning_rate, beta)
        row = 0
        for name, shown_name in NAMES.items():
            if name not in runs:
                self.paths[name].set_data([], [])
                self.losses[name].set_data([], [])
                self.labels[name].set_text("")
                continue
            points = runs[name]
            self.paths[name].set_data(points[:, 0], points[:, 1])
            gap = np.clip(s.loss(points) - s.min_loss, 1e-12, None)
            self.losses[name].set_data(np.arange(len(gap)), gap)
            self.labels[name].set_text(f"{shown_name}: {race_verdict(points, s)}")
            self.labels[name].set_y(0.97 - 0.075 * row)
            row += 1
        where = "Rosenbrock's valley" if s.name == "Rosenbrock" else f"the {s.name}"
        self.suptitle.set_text(f"The race on {where}\nα = {learning_rate:.3g}, β = {beta:.2f}, "
                               f"{RACE_STEPS} steps from {RACE_STARTS[surface]}")


def race_caption(surface, optimizers, learning_rate, beta):
    """A frame's caption: each optimizer's outcome, in words."""
    s = SURFACES[surface]()
    runs = race_runs(surface, optimizers, learning_rate, beta)
    outcomes = "; ".join(f"{NAMES[n]} {race_verdict(p, s)}" for n, p in runs.items())
    return f"{s.name[0].upper()}{s.name[1:]}, α = {learning_rate:g}: {outcomes}."


def condition_caption(kappa):
    theory = theory_steps(kappa)
    sgd, mom = distances([kappa], CONDITION_MAX_STEPS)
    return (f"κ = {kappa:g}: gradient descent needs {steps_to_converge(sgd[0]):,} steps "
            f"(theory {theory['sgd']:,.0f}), momentum {steps_to_converge(mom[0]):,} "
            f"(theory {theory['momentum']:,.0f}).")


# --- Local minima and saddles ----------------------------------------------------------------


def noisy(gradient, scale, seed):
    """``gradient`` plus Gaussian noise of standard deviation ``scale``: a stand-in for the noise
    of mini-batch gradients (each call draws afresh; seeded)."""
    rng = np.random.default_rng(seed)
    return lambda theta: gradient(theta) + scale * rng.normal(size=np.shape(theta))


def in_global_basin(s, point):
    """On the double well: is ``point`` on the side of the hump where the global minimum is?"""
    return bool(point[0] < s.stationary["saddle point"][0])


# --- Training a small network ----------------------------------------------------------------

#: The chapter's training runs: two moons with label noise, a 2-16-16-1 tanh network, batches of 20.
MOONS = {"n": 200, "noise": 0.2, "seed": 0}
TRAIN_SIZES, TRAIN_BATCH = (2, 16, 16, 1), 20


def train_moons(optimizer, *, epochs=40, schedule=None, seed=1):
    r"""Train the chapter's network on the moons with ``optimizer``; return (losses, accuracy).

    The same data, starting weights (``seed``) and batch order for every optimizer.
    schedule: None, or a function epoch t = 0, 1, ... -> the learning rate for that epoch
    (set on the optimizer before each epoch). losses: the mean training loss per epoch;
    accuracy: the fraction of training points classified correctly at the end.
    """
    X, y = moons(**MOONS)
    network = training.mlp(TRAIN_SIZES, seed=seed)
    callback = None
    if schedule is not None:
        optimizer.learning_rate = schedule(0)

        def callback(epoch, _network, _history):
            optimizer.learning_rate = schedule(epoch)
    history = training.fit(network, X, y[:, None], loss="binary_cross_entropy_from_logits", epochs=epochs,
                           batch_size=TRAIN_BATCH, seed=0, optimizer=optimizer, callback=callback)
    accuracy = float(np.mean((network.forward(X)[:, 0] > 0) == (y == 1)))
    return np.array(history.loss), accuracy


# --- Demos -----------------------------------------------------------------------------------


def race_demo():
    """Chapter 6: the optimizer race, on four surfaces, with the learning rate and beta."""
    controls = {
        "surface": Choice(tuple(RACE_STARTS), "elongated bowl", description="surface"),
        "optimizers": Choice(tuple(RACE_SETS), "SGD, momentum, Adam", description="optimizers"),
        "learning_rate": Slider(1e-4, 1.0, 0.01, step=0.01, log=True, description="learning rate α"),
        "beta": Slider(0.0, 0.99, 0.9, step=0.01, description="β (momentum, Adam's β₁)"),
    }
    grid = {"surface": list(RACE_STARTS), "learning_rate": [0.001, 0.003, 0.01, 0.03, 0.1]}
    return Demo(RaceFigure, controls, grid=grid, caption=race_caption,
                alt="Top: contour lines of the chosen surface with the path of each optimizer from "
                    "the same start, one colour per optimizer. Bottom: the loss above its minimum per "
                    "step on a log scale, one curve per optimizer, with each optimizer's outcome "
                    "written in its colour: reached the minimum in some steps, still above it, stuck "
                    "at a saddle point or local minimum, or diverged.")


def condition_demo():
    """Chapter 6: slide the condition number; compare gradient descent and momentum at their best."""
    controls = {"kappa": Slider(1.5, 1000.0, 100.0, step=0.1, log=True, description="condition number κ")}
    grid = {"kappa": [3, 10, 30, 100, 300, 1000]}
    return Demo(ConditionFigure, controls, grid=grid, caption=condition_caption,
                alt="Top: distance to the minimum against step on a log scale, for gradient descent "
                    "and momentum with their best settings on a bowl of the chosen condition number; "
                    "momentum's line falls much faster. Bottom: steps needed to cut the distance a "
                    "millionfold against the condition number, log-log: gradient descent's grow like "
                    "kappa, momentum's like its square root; the measured dots lie on the dashes computed "
                    "from the rates for gradient descent and somewhat above them for momentum, "
                    "with a grey line at the chosen kappa.")


#: Every demo of this chapter, by name (the tests sweep each).
DEMOS = {"race": race_demo, "condition": condition_demo}


# --- Exercise checkers -----------------------------------------------------------------------

#: The momentum-step exercise's cases: (w, v, g, alpha, beta).
MOMENTUM_CASES = [
    (np.array([1.0, -2.0]), np.array([0.0, 0.0]), np.array([0.5, 4.0]), 0.1, 0.9),
    (np.array([1.0, -2.0]), np.array([0.2, -0.1]), np.array([0.5, 4.0]), 0.1, 0.9),
    (np.array([3.0]), np.array([-1.0]), np.array([2.0]), 0.05, 0.5),
]


def momentum_step(w, v, g, alpha, beta):
    """The reference: v <- beta v - alpha g; w <- w + v, by the library's own rule
    (``optim.Momentum._update``, the one place the rule is written). Returns (w, v), new arrays."""
    w_new, v_new = np.array(w, dtype=np.float64), np.array(v, dtype=np.float64)
    optim.Momentum(alpha, beta1=beta)._update(w_new, np.asarray(g, dtype=np.float64), v_new)
    return w_new, v_new


#: Steps a learner might have written instead, each with what went wrong.
_MOMENTUM_MISTAKES = [
    (lambda w, v, g, a, b: (w + (b * v + a * g), b * v + a * g),
     "your velocity adds α g: the step then goes uphill. The velocity gathers −α g."),
    (lambda w, v, g, a, b: (w + v, b * v - a * g),
     "you moved w with the old velocity: update v first, then w ← w + (the new v)."),
    (lambda w, v, g, a, b: (w - a * g, -a * g),
     "your velocity forgets the old one: v ← β v − α g keeps β of it."),
    (lambda w, v, g, a, b: (w - a * (b * v + g), b * v + g),
     ("that is the other convention (v ← β v + g, w ← w − α v): here v holds the step itself, "
     "v ← β v − α g, and w ← w + v.")),
]


@checker("check_momentum_step")
def check_momentum_step(fn):
    """Check ``fn(w, v, g, alpha, beta)`` -> (new w, new v): one step of momentum."""
    require_callable(fn, "momentum step")
    for w, v, g, alpha, beta in MOMENTUM_CASES:
        describe = f"w={short(w)}, v={short(v)}, g={short(g)}, alpha={alpha:g}, beta={beta:g}"
        value = call(fn, w.copy(), v.copy(), g.copy(), alpha, beta, describe=describe)
        if not (isinstance(value, tuple) and len(value) == 2):
            raise Failure(f"for {describe} expected a pair (w_new, v_new); got {value!r}.")
        got_w, got_v = as_numbers_or_none(value[0]), as_numbers_or_none(value[1])
        want_w, want_v = momentum_step(w, v, g, alpha, beta)
        if got_w is None or got_v is None or got_w.shape != w.shape or got_v.shape != v.shape:
            raise Failure(f"for {describe} expected two arrays of shape {w.shape}; got {value!r}.")
        if np.allclose(got_w, want_w) and np.allclose(got_v, want_v):
            continue
        why = diagnose((got_w, got_v), [(mistake(w, v, g, alpha, beta), diagnosis)
                                        for mistake, diagnosis in _MOMENTUM_MISTAKES])
        if why:
            raise Failure(f"for {describe} you returned w={short(np.round(got_w, 6))}, "
                          f"v={short(np.round(got_v, 6))}.", hint=why)
        raise Failure(f"for {describe} expected w={short(np.round(want_w, 6))}, v={short(np.round(want_v, 6))}; "
                      f"got w={short(np.round(got_w, 6))}, v={short(np.round(got_v, 6))}.\n"
                      "   Hint: v ← β v − α g, then w ← w + v.")
    return len(MOMENTUM_CASES)


#: The Adam exercise: the first gradient, and Adam's settings.
ADAM_GRADIENT = np.array([0.5, -20.0, 0.001])
ADAM_SETTINGS = {"learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


@checker("check_adam_first_step")
def check_adam_first_step(m_hat, s_hat, delta):
    r"""Check Adam's first step on the gradient ``ADAM_GRADIENT``: the corrected moments
    $\hat m_1$, $\hat s_1$ and the change $\Delta w$ of the weights (all shape (3,))."""
    g = ADAM_GRADIENT
    a, b1, b2, eps = (ADAM_SETTINGS[k] for k in ("learning_rate", "beta1", "beta2", "eps"))
    for name, value in (("m_hat", m_hat), ("s_hat", s_hat), ("delta", delta)):
        got = as_numbers_or_none(value)
        if value is ... or got is None or got.shape != (3,):
            raise Failure(f"{name} should be three numbers, one per weight, e.g. np.array([0.1, 0.2, 0.3]); "
                          f"got {value!r}.")
    m_hat, s_hat, delta = as_numbers_or_none(m_hat), as_numbers_or_none(s_hat), as_numbers_or_none(delta)
    if np.allclose(m_hat, (1 - b1) * g):
        raise Failure(f"m_hat = {short(m_hat)} is m₁ = (1 − β₁) g₁ before the correction.\n   Hint: divide by "
                      "1 − β₁¹ = 0.1: the average started at 0 and has seen one gradient.")
    if not np.allclose(m_hat, g):
        raise Failure(f"m_hat = {short(m_hat)} is not m̂₁.\n   Hint: m₁ = β₁·0 + (1 − β₁) g₁, then m̂₁ = m₁ / (1 − β₁).")
    if np.allclose(s_hat, (1 - b2) * g ** 2):
        raise Failure(f"s_hat = {short(s_hat)} is s₁ before the correction.\n   Hint: divide by 1 − β₂¹ = 0.001.")
    if np.allclose(s_hat, np.abs(g)) or np.allclose(s_hat, g):
        raise Failure(f"s_hat = {short(s_hat)}: the second moment averages the SQUARED gradients.")
    if not np.allclose(s_hat, g ** 2):
        raise Failure(f"s_hat = {short(s_hat)} is not ŝ₁.\n   Hint: s₁ = (1 − β₂) g₁², then ŝ₁ = s₁ / (1 − β₂).")
    want = -a * m_hat / (np.sqrt(s_hat) + eps)
    if np.allclose(delta, -want, rtol=1e-4):
        raise Failure(f"delta = {short(delta)} goes uphill.\n   Hint: Adam subtracts α m̂ / (√ŝ + ε).")
    if np.allclose(delta, -a * g, rtol=1e-4):
        raise Failure(f"delta = {short(delta)} is a plain SGD step, −α g.\n   Hint: divide m̂ by √ŝ + ε.")
    if not np.allclose(delta, want, rtol=1e-4, atol=1e-12):  # -alpha sign(g) passes
        raise Failure(f"delta = {short(delta)} is not Adam's first step.\n   Hint: Δw = −α m̂₁ / (√ŝ₁ + ε); "
                      "with m̂₁ = g₁ and ŝ₁ = g₁² that is −α g₁ / (|g₁| + ε).")
    return 3


#: The stability exercise: L = 2 θ1² + 8 θ2² (curvatures 4 and 16), momentum with beta 0.9.
STABLE_CURVATURES, STABLE_BETA = (4.0, 16.0), 0.9


@checker("check_momentum_stable_rate")
def check_momentum_stable_rate(alpha):
    r"""Check ``alpha``: the largest learning rate (the supremum) for which momentum with
    $\beta = 0.9$ converges on $\mathcal{L} = 2\theta_1^2 + 8\theta_2^2$."""
    got = as_number(alpha)
    if got is None:
        raise Failure(f"expected one number (a learning rate), got {alpha!r}.")
    lam, beta = max(STABLE_CURVATURES), STABLE_BETA
    expected = 2 * (1 + beta) / lam
    if np.isclose(got, expected, rtol=1e-3):
        return 1
    if np.isclose(got, 2 / lam, rtol=1e-3):
        hint = ("2 / λmax is plain gradient descent's limit. Momentum's is larger: "
                "2 (1 + β) / λmax.")
    elif np.isclose(got, 2 * (1 + beta) / min(STABLE_CURVATURES), rtol=1e-3):
        hint = "every direction must be stable, and the steepest one (curvature 16) fails first."
    elif np.isclose(got, 2 * (1 + beta) / 8, rtol=1e-3):
        hint = "the curvature of 8θ₂² is its second derivative, 16, not 8."
    elif np.isclose(got, 2 * (1 - beta) / lam, rtol=1e-3):
        hint = "the limit grows with β: 1 + β, not 1 − β."
    elif got > expected:
        hint = "at this rate the steep direction's oscillation grows each step: the run diverges."
    elif got > 0:
        hint = "this rate converges, but a larger one would too."
    else:
        hint = "a learning rate is positive."
    raise Failure(f"{got:g} is not the largest stable rate for momentum with β = 0.9.\n   Hint: {hint}")


#: The schedule exercise: warm up over 10 steps to 0.1, then a cosine to 0 until step 110.
SCHEDULE_SETTINGS = {"initial": 0.1, "warmup": 10, "total": 110}
SCHEDULE_STEP = 35


@checker("check_schedule_value")
def check_schedule_value(rate):
    """Check ``rate``: the learning rate at step 35 of a 10-step warm-up to 0.1, then a cosine to 0
    at step 110 (``optim.warmup_cosine``)."""
    got = as_number(rate)
    if got is None:
        raise Failure(f"expected one number (a learning rate), got {rate!r}.")
    s = SCHEDULE_SETTINGS
    expected = optim.warmup_cosine(SCHEDULE_STEP, **s)
    if np.isclose(got, expected, rtol=1e-6):
        return 1
    t, w, total, a0 = SCHEDULE_STEP, s["warmup"], s["total"], s["initial"]
    if np.isclose(got, optim.cosine(t, initial=a0, total=total), rtol=1e-6):
        hint = "you left the warm-up out: the cosine starts at step 10 and lasts 100 steps."
    elif np.isclose(got, optim.cosine(t - w, initial=a0, total=total), rtol=1e-6):
        hint = "the cosine lasts total − warmup = 100 steps, not 110."
    elif np.isclose(got, optim.cosine(t, initial=a0, total=total - w), rtol=1e-6):
        hint = "count the cosine's steps from the end of the warm-up: t − 10."
    elif np.isclose(got, a0 * math.cos(math.pi * (t - w) / (total - w)), rtol=1e-6):
        hint = "a cosine schedule is ½ α₀ (1 + cos(π t / T)): it runs from α₀ down to 0, never below."
    else:
        hint = "after the warm-up, α = ½ · 0.1 · (1 + cos(π (t − 10) / 100))."
    raise Failure(f"{got:g} is not the rate at step {t}.\n   Hint: {hint}")
