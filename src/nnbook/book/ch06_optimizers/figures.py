"""Chapter 6, optimizers: names and colours, running several optimizers at once, and the figures
and computations of every section."""

import functools
import math

import matplotlib as mpl
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from threadpoolctl import threadpool_limits

from nnbook import optim, training
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
from nnbook.surfaces import SURFACES, double_well, quadratic
from nnbook.widgets import LiveFigure

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


#: The optimizers whose velocity is a sum of past steps: on a steady slope their steps grow to
#: α / (1 − β₁) times the gradient, their effective learning rate. (Adam's m̂ is an average,
#: whose weights sum to 1: its α is not multiplied.)
SUMMING = ("momentum", "nesterov")


def make_optimizer(name, learning_rate, beta1=0.9, *, matched=False):
    """One of ``optim.OPTIMIZERS`` with learning rate ``learning_rate`` and, if it has one, the
    decay $\\beta_1$ of its velocity or first moment (momentum, Nesterov, Adam, AMSGrad).

    matched: momentum and Nesterov get $\\alpha (1 - \\beta_1)$ instead, so that their effective
    rate $\\alpha/(1 - \\beta_1)$ is ``learning_rate``, the same as SGD's.
    """
    if matched and name in SUMMING:
        learning_rate = learning_rate * (1 - beta1)
    if "beta1" in optim.OPTIMIZERS[name].hyper_parameters:
        return optim.get_optimizer(name, learning_rate=learning_rate, beta1=beta1)
    return optim.get_optimizer(name, learning_rate=learning_rate)


def race(names, gradient, start, *, learning_rate, beta1=0.9, matched=False, steps=200,
         bound=optim.DIVERGENCE_BOUND):
    """Run several optimizers from the same ``start`` in lockstep: {name: points (n + 1, D)}.

    learning_rate, beta1, matched: as in ``make_optimizer`` (matched: the same effective rate).

    The gradient of all the runs still going is taken in one call (``gradient`` accepts
    (k, D)), so k optimizers cost little more than one. Each run stops, as in
    ``optim.trajectory``, before a point with a coordinate beyond ``bound``; the points kept
    are the same as ``optim.trajectory`` gives for each optimizer on its own.
    """
    start = np.asarray(start, dtype=np.float64)
    optimizers = [make_optimizer(name, learning_rate, beta1, matched=matched) for name in names]
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
    "amsgrad": "Reddi et al. 2018:\nthe largest s so far",
}


def plot_family_tree():
    """The family tree: SGD -> momentum -> Nesterov; SGD -> AdaGrad -> RMSprop; both -> Adam -> AMSGrad."""
    fig, ax = subplots(figsize=(5.8, 6.6))  # narrow: readable on a phone
    ax.set(xlim=(-0.01, 1.01), ylim=(-0.08, 0.98), xticks=[], yticks=[])
    ax.axis("off")
    # Each family's label beside SGD, above its column.
    ax.text(0.155, 0.9, "a memory of\npast gradients\n(a sum of steps)", ha="center", va="center",
            fontsize=9.5, color=PALETTE["vermillion"], style="italic")
    ax.text(0.845, 0.9, "a rate for\neach parameter\n(rescales g)", ha="center", va="center",
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


#: The per-parameter rates of ``effective_rates``: (key, label), in drawing order.
RATE_CURVES = (
    ("adam", "Adam (bias-corrected): α / √ŝₜ"),
    ("amsgrad", "AMSGrad, Algorithm 2 (no correction): α / √sₜᵐᵃˣ"),
    ("amsgrad_corrected", "AMSGrad corrected (PyTorch, Keras): α / √(sₜᵐᵃˣ / (1 − β₂ᵗ))"),
)


def effective_rates(gradients, *, learning_rate=0.01, beta1=0.0, beta2=0.9):
    r"""The per-parameter rate of each step of Adam and both AMSGrads on a 1-D gradient sequence.

    Adam's rate is $\alpha / \sqrt{\hat s_t}$ (bias-corrected); AMSGrad's, as in Reddi et al.'s
    Algorithm 2 (no bias correction), $\alpha / \sqrt{s^{\max}_t}$; the corrected AMSGrad of
    PyTorch and Keras (``AMSGrad(bias_correction=True)``) divides by
    $\sqrt{s^{\max}_t / (1 - \beta_2^t)}$, which shrinks as $\beta_2^t$ fades, so its rate
    still grows. Returns {key of ``RATE_CURVES``: (T,)}, read from the optimizers' own state
    after every step ($\epsilon$ left out).
    """
    gradients = np.asarray(gradients, dtype=np.float64)
    optimizers = {"adam": optim.Adam(learning_rate, beta1, beta2),
                  "amsgrad": optim.AMSGrad(learning_rate, beta1, beta2),
                  "amsgrad_corrected": optim.AMSGrad(learning_rate, beta1, beta2, bias_correction=True)}
    rates = {}
    for name, opt in optimizers.items():
        w, out = {"w": np.zeros(1)}, []
        for g in gradients:
            opt.step(w, {"w": np.array([g])})
            state = opt.state["w"]
            s = state["s"][0] if name == "adam" else state["s_max"][0]
            if name != "amsgrad":
                s /= 1 - beta2 ** opt.t
            out.append(learning_rate / math.sqrt(s))
        rates[name] = np.array(out)
    return rates


def plot_effective_rates(gradients, rates):
    """Top: a gradient sequence; bottom: the per-parameter rate of each of ``RATE_CURVES`` on it (log)."""
    fig, (ax_g, ax_r) = subplots(2, 1, figsize=(5.8, 6.0), sharex=True,  # narrow: readable on a phone
                                 height_ratios=[1, 1.5])
    steps = np.arange(1, len(gradients) + 1)
    ax_g.bar(steps, gradients, color=PALETTE["grey"], width=0.8)
    ax_g.set(ylabel="gradient gₜ", title="One large gradient, then small ones")
    styles = {"adam": STYLES["adam"], "amsgrad": STYLES["amsgrad"],
              "amsgrad_corrected": {"color": STYLES["amsgrad"]["color"], "ls": ":"}}
    for key, label in RATE_CURVES:
        ax_r.plot(steps, rates[key], lw=2, label=label, **styles[key])
    ax_r.set_yscale("log")
    ax_r.set(xlabel="step t", ylabel="rate (log scale)", title="The per-parameter rate it uses")
    ax_r.legend(loc="lower right", fontsize=8)
    return fig


#: The schedules' own colours and line styles: none of them is an optimizer's colour.
SCHEDULE_STYLES = [{"color": mpl.colormaps["viridis"](x), "ls": ls}
                   for x, ls in zip((0.0, 0.3, 0.52, 0.7, 0.86), ("-", "--", "-.", ":", (0, (5, 1.5))))]


def plot_schedules(schedules, total, histories=None):
    """Top: each schedule's learning rate per epoch; below it (if ``histories``): the median over
    seeds of the training loss per epoch of a run with each.

    schedules: {name: t -> rate}; histories: {name: losses (seeds, epochs)}.
    """
    ncols = 1 if histories is None else 2
    fig, axes = subplots(ncols, 1, figsize=(5.4, 4 * ncols))  # stacked: readable on a phone
    axes = np.atleast_1d(axes)
    steps = np.arange(total)
    for (name, schedule), style in zip(schedules.items(), SCHEDULE_STYLES):
        axes[0].plot(steps, [schedule(int(t)) for t in steps], lw=2, label=name, **style)
    axes[0].set(xlabel="epoch t", ylabel="learning rate αₜ", title="The learning rate over time")
    if histories is None:
        axes[0].legend(fontsize=8.5, loc="upper right")
        return fig
    for (name, losses), style in zip(histories.items(), SCHEDULE_STYLES):
        losses = np.atleast_2d(losses)
        axes[1].plot(np.arange(1, losses.shape[1] + 1), np.median(losses, axis=0), lw=1.8, label=name, **style)
    axes[1].set_yscale("log")
    axes[1].set(xlabel="epoch", ylabel="training loss (log scale)",
                title=f"What it does to training (median of {len(losses)} seeds)")
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


def plot_training(results):
    """Top: the median over seeds of the training loss per epoch (log); bottom: the held-out
    accuracy at the end, median (bar) and range over the seeds (whisker).

    results: {label: (losses (seeds, epochs), accuracies (seeds,), style)}, style a dict of
    ``color`` and ``ls`` (e.g. ``STYLES["adam"]``).
    """
    fig, (ax_loss, ax_acc) = subplots(2, 1, figsize=(5.6, 9.4), height_ratios=[1.3, 1])  # stacked: phone
    for label, (losses, _, style) in results.items():
        losses = np.atleast_2d(losses)
        ax_loss.plot(np.arange(1, losses.shape[1] + 1), np.median(losses, axis=0), lw=1.8, label=label, **style)
    ax_loss.set_yscale("log")
    low = min(np.median(np.atleast_2d(r[0]), axis=0).min() for r in results.values())
    ax_loss.set_ylim(bottom=low / 6)       # room for the legend below the curves
    ax_loss.set(xlabel="epoch", ylabel="training loss (log scale)",
                title=f"Loss while training (median of {len(losses)} seeds)")
    ax_loss.legend(fontsize=7.5, ncols=2, loc="lower left")
    labels = list(results)
    rows = np.arange(len(labels))
    accuracies = [100 * np.asarray(results[label][1]) for label in labels]
    medians = np.array([np.median(a) for a in accuracies])
    ax_acc.barh(rows, medians, color=[results[label][2]["color"] for label in labels], alpha=0.85)
    low, high = np.array([a.min() for a in accuracies]), np.array([a.max() for a in accuracies])
    ax_acc.errorbar(medians, rows, xerr=[medians - low, high - medians], fmt="none", ecolor="#888888",
                    capsize=3, lw=1.5)
    for k, value in enumerate(medians):
        ax_acc.text(51, k, f"{value:.1f}%", va="center", ha="left", color="black", fontsize=8.5, weight="bold",
                    bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9})
    ax_acc.set_yticks(rows, labels, fontsize=8.5)
    ax_acc.invert_yaxis()
    ax_acc.set(xlim=(50, 100), xlabel="held-out accuracy (%)", title="Accuracy on 1,000 held-out points")
    ax_acc.grid(axis="y", visible=False)
    return fig


# --- Momentum on an ill-conditioned bowl (Goh 2017) -------------------------------------------


def best_settings(kappa):
    r"""The best fixed settings on a quadratic with curvatures 1 and $\kappa$ (Goh 2017, Polyak 1964).

    Gradient descent: $\alpha = 2/(1 + \kappa)$, rate $(\kappa - 1)/(\kappa + 1)$ per step.
    Momentum: $\alpha = \bigl(2/(1 + \sqrt\kappa)\bigr)^2$,
    $\beta = \bigl((\sqrt\kappa - 1)/(\sqrt\kappa + 1)\bigr)^2$, rate $\sqrt\beta$ per step in the
    long run (the roots of both extreme directions are double, so the distance falls like
    $t\sqrt\beta^{\,t}$). With curvatures $\lambda_{\min}, \lambda_{\max}$ in general, $\alpha$
    needs both: $\bigl(2/(\sqrt{\lambda_{\max}} + \sqrt{\lambda_{\min}})\bigr)^2$.
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
#: How the race shares out the learning rate: the same α for every optimizer, or the same
#: effective rate (momentum and Nesterov then take α (1 − β), see ``make_optimizer``).
RACE_RATES = ("same α", "same effective rate")
RACE_STEPS = 200
#: The loss panel's range: below a converged run, up to where a diverging run leaves.
RACE_LOSS_RANGE = (1e-10, 1e6)
#: Within this of the lowest loss, a run has reached the minimum.
RACE_TOL = 1e-6


@functools.lru_cache(maxsize=64)  # a frame's figure and its caption share one race
def race_runs(surface, optimizers, learning_rate, beta, rates=RACE_RATES[0]):
    """The race for one setting: {optimizer name: points (n + 1, 2)}; ``beta`` is the
    slider's $\\beta$, each optimizer's ``beta1``; ``rates`` one of ``RACE_RATES``."""
    if rates not in RACE_RATES:
        raise ValueError(f"rates must be one of {RACE_RATES}; got {rates!r}")
    s = SURFACES[surface]()
    return race(RACE_SETS[optimizers], s.gradient, RACE_STARTS[surface], learning_rate=learning_rate,
                beta1=beta, matched=rates == RACE_RATES[1], steps=RACE_STEPS)


def _left_saddle(points, s):
    """On the saddle surface, the first step whose loss is below halfway from the saddle point
    to the minima (the chapter's measure of leaving the saddle), else None."""
    if s.name != "saddle":
        return None
    halfway = (s.loss(s.stationary["saddle point"]) + s.min_loss) / 2
    below = np.flatnonzero(s.loss(points) < halfway)
    return int(below[0]) if below.size else None


def race_verdict(points, s):
    """A run's outcome in plain words (on the saddle, when it left the saddle too)."""
    gaps = s.loss(points) - s.min_loss
    if len(points) < RACE_STEPS + 1:
        return f"diverged at step {len(points)}"
    left = _left_saddle(points, s)
    if gaps[-1] < RACE_TOL:
        above = np.flatnonzero(gaps >= RACE_TOL)
        settled = above[-1] + 1 if above.size else 0
        if left is not None:
            return f"left the saddle at step {left}, at the minimum from {settled}"
        return f"at the minimum from step {settled}"
    if left is not None:
        return f"left the saddle at step {left}, still {gaps[-1]:.2g} above"
    end = points[-1]
    for label, point in s.stationary.items():
        if np.linalg.norm(end - point) < 0.05 and not np.isclose(s.loss(point), s.min_loss):
            return f"stuck at the {label}"
    if gaps[-1] > 10 * gaps[0]:       # still inside the bound, but on its way out
        return f"diverging: {gaps[-1]:.2g} above the minimum and rising"
    return f"still {gaps[-1]:.2g} above the minimum"


class RaceFigure(LiveFigure):
    """Several optimizers from the same start on one of the race's surfaces.

    Top: the contours and every optimizer's path; bottom: the loss above its minimum per step
    (log), with each optimizer's outcome written in its colour.
    """

    rebuild_on = ("surface",)

    def draw(self, surface="elongated bowl", optimizers="SGD, momentum, Adam", learning_rate=0.01, beta=0.9,
             rates=RACE_RATES[0]):
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
                                             bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none",
                                                   "alpha": 0.8})
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

    def update(self, surface="elongated bowl", optimizers="SGD, momentum, Adam", learning_rate=0.01, beta=0.9,
               rates=RACE_RATES[0]):
        s = self.s
        runs = race_runs(surface, optimizers, learning_rate, beta, rates)
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
        shared = (f"α = {learning_rate:.3g}" if rates == RACE_RATES[0] else
                  f"effective rate {learning_rate:.3g} (momentum's α: {learning_rate * (1 - beta):.3g})")
        self.suptitle.set_text(f"The race on {where}, {RACE_STEPS} steps\n{shared}, β = {beta:.2f}")


def race_caption(surface, optimizers, learning_rate, beta, rates=RACE_RATES[0]):
    """A frame's caption: each optimizer's outcome, in words."""
    s = SURFACES[surface]()
    runs = race_runs(surface, optimizers, learning_rate, beta, rates)
    outcomes = "; ".join(f"{NAMES[n]} {race_verdict(p, s)}" for n, p in runs.items())
    shared = (f"α = {learning_rate:g}" if rates == RACE_RATES[0] else
              f"effective rate {learning_rate:g} for all (momentum's α = {learning_rate * (1 - beta):.3g})")
    return f"{s.name[0].upper()}{s.name[1:]}, {shared}: {outcomes}."


def condition_caption(kappa):
    theory = theory_steps(kappa)
    sgd, mom = distances([kappa], CONDITION_MAX_STEPS)
    return (f"κ = {kappa:g}: gradient descent needs {steps_to_converge(sgd[0]):,} steps "
            f"(theory {theory['sgd']:,.0f}), momentum {steps_to_converge(mom[0]):,} "
            f"(theory {theory['momentum']:,.0f}).")


# --- Local minima and saddles ----------------------------------------------------------------


def in_global_basin(s, point):
    """On the double well: is ``point`` on the side of the hump where the global minimum is?"""
    return bool(point[0] < s.stationary["saddle point"][0])


def temperature(learning_rate, sigma):
    r"""The temperature of SGD with gradient noise of size $\sigma$: $\tau = \alpha\sigma^2/2$.

    For small $\alpha$, $w \leftarrow w - \alpha(\nabla\mathcal{L} + \sigma\xi)$ is a Langevin
    equation whose runs, given time, spread out like $e^{-\mathcal{L}(w)/\tau}$.
    """
    return learning_rate * sigma ** 2 / 2


def boltzmann_share(tau, *, tilt=None):
    r"""The share of $e^{-\mathcal{L}/\tau}$ on the global side of the double well's hump.

    Only $\theta_1$ matters ($\theta_2$ is the same in both valleys): a sum over a fine grid
    of $\theta_1 \in [-3, 3]$ of $e^{-(\mathcal{L}(\theta_1) - \mathcal{L}^*)/\tau}$.
    """
    well = double_well(dim=1)
    x = np.linspace(-3.0, 3.0, 60_001)
    weight = np.exp(-(well.loss(x[:, None]) - well.min_loss) / tau)
    return float(weight[x < well.stationary["hump"][0]].sum() / weight.sum())


#: The noise experiment: runs per setting (in groups of 200), the rate, the start, and the
#: steps without noise that let each run settle in the valley it is in.
NOISE_RUNS, NOISE_GROUPS, NOISE_RATE, NOISE_START, NOISE_SETTLE = 1000, 5, 0.01, 1.8, 300


def noise_shares(sigmas, horizons, *, seed=0):
    r"""Noisy SGD on the double well: the share of runs that end in the global valley.

    sigmas: {name: the noise size $\sigma_t$ of each step, an array as long as the longest
    horizon}. Every setting runs ``NOISE_RUNS`` times from $\theta_1 = 1.8$ (the local
    minimum's side), $\theta \leftarrow \theta - \alpha(\mathcal{L}'(\theta) + \sigma_t\xi_t)$
    with $\alpha$ = ``NOISE_RATE``, all settings at once. At each horizon (a number of
    steps) a copy of the runs settles without noise, and we count where it ends.
    Only $\theta_1$ is simulated ($\theta_2$ cannot change the valley).
    Returns {name: {horizon: (NOISE_GROUPS,) shares, one per group of runs}}.
    """
    well = double_well(dim=1)
    names, horizons = list(sigmas), sorted(horizons)
    scale = np.array([np.asarray(sigmas[n], dtype=float)[:horizons[-1]] for n in names])  # (K, T)
    rng = np.random.default_rng(seed)
    x = np.full((len(names), NOISE_RUNS), NOISE_START)
    out = {name: {} for name in names}
    for t in range(horizons[-1] + 1):
        if t in horizons:
            settled = x.copy()
            for _ in range(NOISE_SETTLE):
                settled -= NOISE_RATE * well.gradient(settled[..., None])[..., 0]
            share = (settled < well.stationary["hump"][0]).reshape(len(names), NOISE_GROUPS, -1).mean(axis=2)
            for k, name in enumerate(names):
                out[name][t] = share[k]
        if t < horizons[-1]:
            noise = scale[:, t, None] * rng.normal(size=x.shape)
            x -= NOISE_RATE * (well.gradient(x[..., None])[..., 0] + noise)
    return out


#: Reddi et al.'s counterexample (Theorem 1): f_t(x) = C x when t mod 3 = 1, else -x, on [-1, 1].
REDDI_C, REDDI_ALPHA = 3.0, 0.5


def reddi_run(optimizer, *, steps=3000, C=REDDI_C, alpha=REDDI_ALPHA):
    r"""Run ``optimizer`` on Reddi, Kale & Kumar's (2018) online problem; return x after each step.

    At step $t = 1, 2, \ldots$ the loss is $f_t(x) = Cx$ if $t \bmod 3 = 1$ and $-x$ otherwise
    ($C > 2$), so the gradient is $C$ or $-1$; $x$ lives in $[-1, 1]$ (after each step it is
    projected back: clipped). The average loss, $\frac{C - 2}{3}x$, is lowest at $x = -1$.
    The rate is $\alpha_t = \alpha/\sqrt t$, as in their Theorem 1.
    """
    w = {"x": np.zeros(1)}
    xs = np.empty(steps)
    optimizer.reset()
    for t in range(1, steps + 1):
        optimizer.learning_rate = alpha / math.sqrt(t)
        optimizer.step(w, {"x": np.array([C if t % 3 == 1 else -1.0])})
        np.clip(w["x"], -1.0, 1.0, out=w["x"])     # the projection onto [-1, 1]
        xs[t - 1] = w["x"][0]
    return xs


# --- Training a small network ----------------------------------------------------------------

#: The chapter's training runs: two moons with label noise, 200 points to train on and 1,000
#: held out; a 2-16-16-1 tanh network; batches of 20 (10 updates per epoch).
MOONS = {"n": 1200, "noise": 0.2, "seed": 0}
TRAIN_SIZES, TRAIN_BATCH, TRAIN_N = (2, 16, 16, 1), 20, 200
#: Every comparison on the network is repeated with these seeds (starting weights and batch order).
SEEDS = (1, 2, 3, 4, 5)
#: A run has left the plateau (a nearly straight boundary) once an epoch's loss is below this.
PLATEAU_EXIT = 0.25


@functools.lru_cache(maxsize=1)
def moons_split():
    """The chapter's data: (X_train (200, 2), y_train, X_held_out (1000, 2), y_held_out)."""
    X, y = moons(**MOONS)
    X.flags.writeable = y.flags.writeable = False   # cached: shared by every run
    return X[:TRAIN_N], y[:TRAIN_N], X[TRAIN_N:], y[TRAIN_N:]


def train_moons(optimizer, *, epochs=40, schedule=None, seed=1):
    r"""Train the chapter's network on the moons with ``optimizer``; return (losses, accuracy).

    seed: the starting weights and the order of the batches (the data are always the same).
    schedule: None, or a function epoch t = 0, 1, ... -> the learning rate for that epoch
    (set on the optimizer before each epoch). losses: the training loss of each epoch, the
    mean over its mini-batches (each measured before its update), as ``training.fit``
    records it; accuracy: the fraction of the 1,000 held-out points classified correctly at
    the end.
    """
    X, y, X_out, y_out = moons_split()
    network = training.mlp(TRAIN_SIZES, seed=seed)
    callback = None
    if schedule is not None:
        optimizer.learning_rate = schedule(0)

        def callback(epoch, _network, _history):
            optimizer.learning_rate = schedule(epoch)
    with threadpool_limits(1):   # small matrices: one thread is faster (see PITFALLS)
        history = training.fit(network, X, y[:, None], loss="binary_cross_entropy_from_logits",
                               epochs=epochs, batch_size=TRAIN_BATCH, seed=seed, optimizer=optimizer,
                               callback=callback)
        accuracy = float(np.mean((network.forward(X_out)[:, 0] > 0) == (y_out == 1)))
    return np.array(history.loss), accuracy


def train_seeds(make_optimizer, *, epochs=40, schedule=None, seeds=SEEDS):
    """``train_moons`` once per seed, each with a fresh ``make_optimizer()``.

    Returns (losses (len(seeds), epochs), accuracies (len(seeds),)).
    """
    runs = [train_moons(make_optimizer(), epochs=epochs, schedule=schedule, seed=seed) for seed in seeds]
    return np.array([losses for losses, _ in runs]), np.array([accuracy for _, accuracy in runs])


def plateau_exit(losses, level=PLATEAU_EXIT):
    """The first epoch (1, 2, ...) whose loss is below ``level``; ``inf`` if none is."""
    below = np.flatnonzero(np.asarray(losses) < level)
    return float(below[0] + 1) if below.size else math.inf


def spread(values, fmt="{:.3f}", *, horizon=None):
    """"median (smallest–largest)" of ``values``; an infinite value (never) reads ">horizon"."""
    values = np.asarray(values, dtype=float)

    def one(value):
        return f">{horizon}" if math.isinf(value) else fmt.format(value)
    return f"{one(np.median(values))} ({one(values.min())}–{one(values.max())})"


