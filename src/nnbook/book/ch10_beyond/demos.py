"""The appendix's demo: a self-organising map over its training steps."""

import numpy as np

from nnbook.plotting import PALETTE, subplots
from nnbook.widgets import Demo, LiveFigure, Slider

from .experiments import SOM, som_errors, som_run, som_test_points
from .figures import _draw_map, _square


class SomFigure(LiveFigure):
    """The map over the training steps: the grid drawn on the plane, its two errors."""

    def draw(self, step=100, sigma0=3.0):
        fig, ax = subplots(figsize=(4.6, 4.9), layout=None)
        fig.subplots_adjust(left=0.12, right=0.96, bottom=0.1, top=0.83)
        points = som_test_points()[:300]
        ax.scatter(*points.T, s=4, color=PALETTE["grey"], alpha=0.5, zorder=0)
        _square(ax)
        ax.set(xlabel="x₁", ylabel="x₂")
        self.lines = _draw_map(ax, np.zeros((SOM["rows"] * SOM["cols"], 2)), SOM["rows"], SOM["cols"])
        self.title = fig.suptitle("", fontsize=10.5)
        self.dynamic = [*self.lines, self.title]
        return fig

    def update(self, step=100, sigma0=3.0):
        snapshots, positions = som_run(sigma0)
        weights = snapshots[int(step) // SOM["every"]]
        grid = weights.reshape(SOM["rows"], SOM["cols"], 2)
        rows = [grid[r] for r in range(SOM["rows"])] + [grid[:, c] for c in range(SOM["cols"])]
        for line, xy in zip(self.lines, rows):
            line.set_data(*xy.T)
        self.title.set_text(som_title(step, sigma0, *som_errors(weights, positions)))


def som_title(step, sigma0, topographic, quantisation):
    return (f"After {int(step)} steps, neighbourhood width from {sigma0:g}:\n"
            f"topographic error {topographic:.0%}, mean distance to a unit {quantisation:.3f}")


def som_caption(step, sigma0):
    snapshots, positions = som_run(sigma0)
    topographic, _ = som_errors(snapshots[int(step) // SOM["every"]], positions)
    return (f"After {int(step)} steps from a neighbourhood width of {sigma0:g} grid steps, {topographic:.0%} of "
            "test points have nearest and second-nearest units that are not neighbours on the map.")


def som_demo():
    """The appendix: a Kohonen map unfolding over the unit square; the training step and the
    starting neighbourhood width as sliders."""
    controls = {
        "step": Slider(0, SOM["steps"], 100, step=SOM["every"], description="training steps"),
        "sigma0": Slider(0.5, 4.0, 3.0, step=0.5, description="starting neighbourhood width"),
    }
    grid = {"sigma0": [0.5, 1.0, 3.0], "step": [0, 25, 50, 100, 250, 1000]}
    return Demo(SomFigure, controls, grid=grid, caption=som_caption, training=True,
                alt="An 8 by 8 self-organising map drawn over the unit square: each unit is a point, "
                    "joined by lines to its neighbours on the grid, over grey data points. At step 0 "
                    "the units lie at random all over the square and the lines cross everywhere; with "
                    "a starting neighbourhood width of 2 or more the map pulls together within 25 "
                    "steps into a small, untangled grid in the middle, which by step 1,000 spreads "
                    "evenly over the square; with a width of 0.5 it covers the square but stays "
                    "tangled, with lines crossing.")


DEMOS = {"som": som_demo}
