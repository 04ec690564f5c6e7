"""Chapter 6's demos: the optimizer race and the condition number, live and static."""

from nnbook.widgets import Choice, Demo, Slider

from .figures import RACE_RATES, RACE_SETS, RACE_STARTS, ConditionFigure, RaceFigure, condition_caption, race_caption

# --- Demos -----------------------------------------------------------------------------------


def race_demo():
    """Chapter 6: the optimizer race, on four surfaces, with the learning rate and beta, at the same
    α for all or at the same effective rate."""
    controls = {
        "surface": Choice(tuple(RACE_STARTS), "elongated bowl", description="surface"),
        "optimizers": Choice(tuple(RACE_SETS), "SGD, momentum, Adam", description="optimizers"),
        "learning_rate": Slider(1e-4, 1.0, 0.01, step=0.01, log=True, description="learning rate α"),
        "beta": Slider(0.0, 0.99, 0.9, step=0.01, description="β (momentum, Adam's β₁)"),
        "rates": Choice(RACE_RATES, RACE_RATES[0], description="rates"),
    }
    grid = {"surface": list(RACE_STARTS), "learning_rate": [0.003, 0.01, 0.03, 0.1], "rates": list(RACE_RATES)}
    return Demo(RaceFigure, controls, grid=grid, caption=race_caption,
                alt="Top: contour lines of the chosen surface with the path of each optimizer from "
                    "the same start, one colour per optimizer, all at the same learning rate or all at "
                    "the same effective rate (momentum's rate times 1 − β). Bottom: the loss above its minimum per "
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


