"""Chapter 4's demos: the learning rate and the batch size, live and static."""

from nnbook.surfaces import SURFACES
from nnbook.widgets import Choice, Demo, Slider

from .figures import (
    BatchSizeFigure,
    LearningRateFigure,
    batch_demo_run,
    learning_rate_run,
    learning_rate_verdict,
    plural,
)

# --- Demos ---------------------------------------------------------------------------------


def learning_rate_demo():
    """Chapter 4: slide the learning rate over five decades; watch descent crawl, work, zig-zag, explode."""

    controls = {
        "surface": Choice(tuple(SURFACES), "bowl", description="surface"),
        "learning_rate": Slider(1e-4, 3.0, 0.1, step=0.01, log=True, description="learning rate α"),
        "start_x": Slider(-3.2, 3.2, 1.0, step=0.1, description="start θ₁"),
        "start_y": Slider(-3.2, 3.2, 3.0, step=0.1, description="start θ₂"),
    }
    # On the website: four surfaces (a round bowl, a long valley, a saddle, a 1-D double well
    # with a local minimum) at six rates from a crawl to divergence, from the default start.
    grid = {"surface": ["bowl", "elongated bowl", "saddle", "double well (1-D)"],
            "learning_rate": [0.001, 0.02, 0.1, 0.5, 0.9, 1.05]}
    return Demo(LearningRateFigure, controls, grid=grid, caption=learning_rate_caption,
                alt="Top: the loss surface (contour lines, or the curve in 1-D) with the path of "
                    "gradient descent from the start point; below: the loss above its minimum per "
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
                alt="Top: contour lines of the cost of a linear model over its slope w and bias b, "
                    "with the path of every update for the chosen batch size and, dashed, for batch "
                    "gradient descent. Below: the cost on all 64 examples against epochs, for both.")


def learning_rate_caption(surface, learning_rate, start_x, start_y):
    """A frame's caption: the verdict of the run, and where it ended."""
    s = SURFACES[surface]()
    verdict = learning_rate_verdict(learning_rate_run(surface, learning_rate, start_x, start_y), s)
    return f"{s.name[0].upper()}{s.name[1:]}, α = {learning_rate:g}: {verdict}."


def batch_size_caption(batch_size, learning_rate):
    """A frame's caption: updates per epoch and how the run ended."""
    run = batch_demo_run(batch_size, learning_rate)
    end = "diverged" if run.diverged else f"final cost {run.losses[-1]:.3f}"
    return f"Batch size {batch_size}, α = {learning_rate:g}: {plural(run.iterations_per_epoch, 'update')} " \
           f"per epoch, {end}."


#: Every demo of this chapter, by name (the tests sweep each).
DEMOS = {"learning_rate": learning_rate_demo, "batch_size": batch_size_demo}


