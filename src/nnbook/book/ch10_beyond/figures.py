"""The appendix's static figures."""

import numpy as np

from nnbook.plotting import PALETTE, subplots

from .experiments import SIZE_MODELS, SOM, som_errors, som_run


def _draw_map(ax, weights, rows, cols, colour=PALETTE["blue"]):
    """The map's units joined to their grid neighbours: rows then columns, one line each."""
    grid = weights.reshape(rows, cols, 2)
    lines = [ax.plot(*grid[r].T, color=colour, lw=1.2, marker="o", ms=2.5)[0] for r in range(rows)]
    lines += [ax.plot(*grid[:, c].T, color=colour, lw=1.2)[0] for c in range(cols)]
    return lines


def _square(ax):
    ax.set(xlim=(-0.05, 1.05), ylim=(-0.05, 1.05), xticks=[0, 0.5, 1], yticks=[0, 0.5, 1], aspect="equal")


def plot_som_unfolding(sigma0=3.0, steps=(0, 25, 100, 250, 1000)):
    """The map after a few numbers of steps, one panel each, with its two errors."""
    snapshots, positions = som_run(sigma0)
    fig, axes = subplots(1, len(steps), figsize=(2.1 * len(steps), 2.9))
    for ax, step in zip(axes, steps):
        weights = snapshots[step // SOM["every"]]
        _draw_map(ax, weights, SOM["rows"], SOM["cols"])
        topographic, quantisation = som_errors(weights, positions)
        ax.set_title(f"after {step} steps\ntopographic error {topographic:.0%}\nmean distance {quantisation:.3f}",
                     fontsize=9)
        _square(ax)
    fig.suptitle(f"An 8 × 8 map learns the unit square (neighbourhood width from {sigma0:g})", fontsize=11)
    return fig


def plot_hopfield(stored, probe, states):
    """The stored letters, a damaged probe and the network's state after each sweep."""
    panels = [*((f"stored {k}", v) for k, v in stored.items()), ("probe", probe)]
    panels += [(f"after sweep {k}", s) for k, s in enumerate(states[1:], start=1)]
    fig, axes = subplots(1, len(panels), figsize=(1.45 * len(panels), 1.9))
    for ax, (title, vector) in zip(axes, panels):
        ax.imshow(vector.reshape(7, 7), cmap="gray_r", vmin=-1, vmax=1)
        ax.set_title(title, fontsize=9)
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
    return fig


def plot_boltzmann_graphs():
    """A Boltzmann machine (every pair of units connected) beside a restricted one (visible to
    hidden only), three visible and three hidden units each."""
    fig, axes = subplots(1, 2, figsize=(7.0, 3.0))
    visible = [(x, 0.0) for x in (0.0, 1.0, 2.0)]
    hidden = [(x, 1.0) for x in (0.0, 1.0, 2.0)]
    units = visible + hidden
    for ax, restricted in zip(axes, (False, True)):
        pairs = [(a, b) for i, a in enumerate(units) for b in units[i + 1:]
                 if not restricted or (a in visible) != (b in visible)]
        for (x0, y0), (x1, y1) in pairs:
            t = np.linspace(0, 1, 21)
            # Two units of one row two places apart: an arc outwards, clear of the unit between.
            bulge = 0.3 * (1 if y0 > 0.5 else -1) if (y0 == y1 and abs(x1 - x0) > 1) else 0.0
            ax.plot(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t + bulge * np.sin(np.pi * t),
                    color=PALETTE["grey"], lw=1.2, zorder=1)
        for group, colour, name in ((visible, PALETTE["sky"], "visible v"), (hidden, PALETTE["orange"], "hidden h")):
            ax.scatter(*np.array(group).T, s=500, color=colour, edgecolor="black", zorder=2, label=name)
        ax.set_title("restricted Boltzmann machine\n(visible to hidden only)" if restricted
                     else "Boltzmann machine\n(every pair connected)", fontsize=10)
        ax.set(xlim=(-0.5, 2.5), ylim=(-0.6, 1.6), xticks=[], yticks=[])
        ax.axis("off")
    axes[1].legend(loc="center left", bbox_to_anchor=(0.95, 0.5), fontsize=9)
    return fig


def plot_rbm_components(rbm, n_shown=64):
    """The RBM's weights into each hidden unit, as 8 x 8 images (dark: positive weight)."""
    components = rbm.components_[:n_shown]
    cols = 16
    rows = -(-len(components) // cols)
    fig, axes = subplots(rows, cols, figsize=(cols * 0.55, rows * 0.62), layout=None)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.88, wspace=0.08, hspace=0.08)
    for k, ax in enumerate(np.ravel(axes)):
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
        if k < len(components):
            c = components[k]
            ax.imshow(c.reshape(8, 8), cmap="gray_r", vmin=-np.abs(c).max(), vmax=np.abs(c).max())
        else:
            ax.axis("off")
    fig.suptitle(f"The {len(components)} hidden units' weights on the 64 pixels (dark: positive)", fontsize=11)
    return fig


def plot_size_curve(sizes, curve):
    """Test accuracy against the training-set size for each model: median over the splits,
    their range shaded."""
    fig, ax = subplots(figsize=(6.4, 3.8))
    styles = {SIZE_MODELS[0]: (PALETTE["blue"], "o", "-"), SIZE_MODELS[1]: (PALETTE["vermillion"], "s", "--")}
    for model, values in curve.items():
        colour, marker, ls = styles[model]
        ax.fill_between(sizes, values.min(axis=1), values.max(axis=1), color=colour, alpha=0.2, lw=0)
        ax.plot(sizes, np.median(values, axis=1), color=colour, marker=marker, ls=ls, label=model)
    ax.set_xscale("log")
    ax.set_xticks(sizes, [f"{s:,}" for s in sizes])
    ax.minorticks_off()
    ax.set(xlabel="training images", ylabel="test accuracy")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.legend(loc="lower right")
    return fig
