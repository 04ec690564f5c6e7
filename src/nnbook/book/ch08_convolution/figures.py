"""Chapter 8: the static figures (the backward pass, pooling, the pipeline, receptive fields,
training), and the small worked examples they draw."""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from nnbook import conv
from nnbook.conv import Conv2D, Flatten, MaxPool2D
from nnbook.layers import Dense
from nnbook.plotting import PALETTE, subplots

# --- Small grids of numbers ------------------------------------------------------------------


def draw_numbers(ax, values, origin=(0, 0), *, title=None, shade=None, cmap=None, fmt="{:g}", fontsize=10,
                 bold=None):
    """Draw ``values`` (rows, columns) as a grid of cells with their numbers, top-left at
    ``origin`` (x right, y down: the axes' y is inverted). shade: a boolean mask of cells to
    fill grey (padding); bold: a mask of cells to write bold and outline in orange."""
    values = np.asarray(values, dtype=np.float64)
    x0, y0 = origin
    rows, columns = values.shape
    for r in range(rows):
        for c in range(columns):
            fill = "#E4E4E4" if shade is not None and shade[r, c] else "white"
            ax.add_patch(Rectangle((x0 + c, y0 + r), 1, 1, fc=fill, ec="#777777", lw=0.8))
            strong = bold is not None and bold[r, c]
            ax.text(x0 + c + 0.5, y0 + r + 0.5, fmt.format(values[r, c] + 0.0), ha="center", va="center",
                    fontsize=fontsize, weight="bold" if strong else "normal",
                    color=PALETTE["vermillion"] if strong else "black")
            if strong:
                ax.add_patch(Rectangle((x0 + c + 0.06, y0 + r + 0.06), 0.88, 0.88, fill=False,
                                       ec=PALETTE["orange"], lw=2.2))
    if title:
        ax.text(x0, y0 - 0.3, title, ha="left", va="bottom", fontsize=9.5)


def _grid_axes(figsize, xlim, ylim):
    fig = Figure(figsize=figsize)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.86))
    ax.set(xlim=xlim, ylim=ylim, aspect="equal")
    ax.set_axis_off()
    return fig, ax


# --- The backward pass -----------------------------------------------------------------------

#: The worked backward example: a 4x4 input, a 2x2 kernel (not symmetric, so a flip shows),
#: stride 1, no padding; the upstream gradient delta = dL/dy has the output's shape, 3x3.
BACKWARD = {
    "x": np.array([[1, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 2], [1, 0, 1, 1]], dtype=np.float64),
    "W": np.array([[1, 2], [3, 4]], dtype=np.float64),
    "delta": np.array([[1, 0, -1], [2, 1, 0], [0, -1, 1]], dtype=np.float64),
}


def full_convolution(delta, W):
    """delta padded by k - 1 zeros on every side, cross-correlated with W turned 180 degrees:
    the 'full' convolution of delta with W (``scipy.signal.convolve2d(delta, W)``)."""
    k = W.shape[0]
    padded = np.pad(delta, k - 1)
    flipped = W[::-1, ::-1]
    return conv.conv2d_forward(padded[None, None], flipped[None, None], np.zeros(1))[0, 0]


def plot_backward(example=BACKWARD):
    """The input gradient of a convolution as a full convolution: delta padded with zeros,
    the kernel turned 180 degrees, and dL/dx, with one window and its output marked."""
    delta, W = example["delta"], example["W"]
    k = W.shape[0]
    padded = np.pad(delta, k - 1)
    dx = full_convolution(delta, W)
    fig, ax = _grid_axes((5.6, 3.4), (-0.2, 13.6), (6.0, -1.9))
    shade = np.pad(np.zeros_like(delta, dtype=bool), k - 1, constant_values=True)
    draw_numbers(ax, padded, (0, 0), title="δ = dL/dy, padded by k − 1 = 1", shade=shade)
    draw_numbers(ax, W[::-1, ::-1], (5.8, 1.5), title="W turned 180°")
    draw_numbers(ax, dx, (9.2, 0.5), title="dL/dx")
    ax.add_patch(Rectangle((1, 1), 2, 2, fill=False, ec=PALETTE["orange"], lw=3))
    ax.add_patch(Rectangle((10.2, 1.5), 1, 1, fill=False, ec=PALETTE["orange"], lw=3))
    ax.text(5.3, 2.5, "⋆", ha="center", va="center", fontsize=16)
    ax.text(8.6, 2.5, "=", ha="center", va="center", fontsize=16)
    window = padded[1:3, 1:3] * W[::-1, ::-1]
    terms = " + ".join(f"{a:g}·{b:g}" for a, b in zip(padded[1:3, 1:3].ravel(), W[::-1, ::-1].ravel()))
    fig.suptitle(f"The input's gradient is a full convolution of δ with W\n"
                 f"(marked: {terms} = {window.sum():g})".replace("-", "−"), fontsize=10.5)
    return fig


#: The max-pooling example: a 4x4 feature map (one largest value per 2x2 window) and the
#: upstream gradient delta of the 2x2 output.
POOLING = {
    "x": np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 3, 2], [2, 6, 1, 0]], dtype=np.float64),
    "delta": np.array([[0.5, -1.0], [2.0, 0.25]]),
}


def plot_max_pool_routing(example=POOLING):
    """Top: max pooling forward (each 2x2 window's winner marked). Bottom: backward: each
    window's upstream gradient goes to its winner, 0 to the other three."""
    x, delta = example["x"], example["delta"]
    y = conv.max_pool_forward(x[None, None], 2)[0, 0]
    dx = conv.max_pool_backward(delta[None, None], x[None, None], 2)[0, 0]
    winners = dx != 0
    fig, ax = _grid_axes((5.6, 5.4), (-0.2, 11.2), (10.6, -1.6))
    draw_numbers(ax, x, (0, 0), title="feature map x", bold=winners)
    draw_numbers(ax, y, (7, 1), title="max pooling 2x2")
    draw_numbers(ax, delta, (7, 7), title="δ = dL/dy", fmt="{:g}")
    draw_numbers(ax, dx, (0, 6), title="dL/dx: to the winners", bold=winners, fmt="{:g}")
    for r in (0, 2):
        for c in (0, 2):
            ax.add_patch(Rectangle((c, r), 2, 2, fill=False, ec=PALETTE["blue"], lw=1.8))
            ax.add_patch(Rectangle((c, 6 + r), 2, 2, fill=False, ec=PALETTE["blue"], lw=1.8))
    arrow = {"arrowstyle": "-|>", "mutation_scale": 16, "color": "#555555", "lw": 1.6}
    ax.add_patch(FancyArrowPatch((4.3, 2), (6.7, 2), **arrow))
    ax.add_patch(FancyArrowPatch((6.7, 8), (4.3, 8), **arrow))
    ax.text(5.5, 1.6, "forward", ha="center", va="bottom", fontsize=9)
    ax.text(5.5, 7.6, "backward", ha="center", va="bottom", fontsize=9)
    fig.suptitle("Max pooling keeps each window's largest value,\nand sends its gradient back to that "
                 "value only", fontsize=10.5)
    return fig


# --- Pooling on a real feature map ---------------------------------------------------------------


def plot_pooling(feature_map, shifted_map, number):
    """Top: feature map ``number`` (8x8) of a digit, its max pooling and its average pooling
    (4x4). Bottom: the same for the digit moved one pixel to the right. One colour scale."""
    maps = [feature_map, shifted_map]
    top = max(float(np.max(m)) for m in maps) or 1.0
    fig, axes = subplots(2, 3, figsize=(5.6, 4.6))
    for row, (m, label) in enumerate(zip(maps, ("the digit", "moved 1 pixel right"))):
        pooled = {"max": conv.max_pool_forward(m[None, None], 2)[0, 0],
                  "average": conv.avg_pool_forward(m[None, None], 2)[0, 0]}
        panels = [(m, "feature map 8x8"), (pooled["max"], "max pooling 4x4"),
                  (pooled["average"], "average pooling 4x4")]
        for ax, (values, title) in zip(axes[row], panels):
            ax.imshow(values, cmap="viridis", vmin=0, vmax=top, interpolation="nearest")
            ax.set_title(title, fontsize=9)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
        axes[row, 0].set_ylabel(label, fontsize=10)
    fig.suptitle(f"Feature map {number} of the trained CNN, pooled\n(one colour scale for all six: yellow strongest)",
                 fontsize=10)
    return fig


def relative_change(a, b):
    """||a - b|| / ||a||, per example (rows), then averaged: how much a representation moved."""
    a, b = a.reshape(len(a), -1), b.reshape(len(b), -1)
    norms = np.linalg.norm(a, axis=1)
    keep = norms > 0
    return float(np.mean(np.linalg.norm(a - b, axis=1)[keep] / norms[keep]))


# --- The pipeline ----------------------------------------------------------------------------------


def _layer_name(layer):
    names = {Conv2D: "convolution", MaxPool2D: "max pooling", Flatten: "flatten", Dense: "fully connected"}
    return names.get(type(layer), type(layer).__name__)


def pipeline_rows(network, input_shape=(1, 8, 8)):
    """[(name, what it is, output shape, parameters), ...] for the input, each layer and the loss."""
    rows = [("input", "an 8x8 grey image", tuple(input_shape), 0)]
    shape = tuple(input_shape)
    for layer in network.layers:
        shape = layer.output_shape(shape)
        rows.append((_layer_name(layer), repr(layer), tuple(shape), layer.n_params))
    rows.append(("loss", "softmax + cross-entropy", (), 0))
    return rows


def plot_pipeline(network, input_shape=(1, 8, 8)):
    """The standard CNN as a column of boxes, input to loss, each with its output shape and
    parameter count."""
    rows = pipeline_rows(network, input_shape)
    fig, ax = subplots(figsize=(5.6, 6.6))
    ax.set(xlim=(0, 1), ylim=(len(rows) - 0.4, -0.6))
    ax.set_axis_off()
    colours = {"input": PALETTE["sky"], "convolution": PALETTE["orange"], "max pooling": PALETTE["green"],
               "fully connected": PALETTE["purple"], "loss": PALETTE["vermillion"]}
    for k, (name, what, shape, n_params) in enumerate(rows):
        colour = colours.get(name, PALETTE["grey"])
        ax.add_patch(FancyBboxPatch((0.1, k - 0.32), 0.8, 0.64, boxstyle="round,pad=0.02", fc="white",
                                    ec=colour, lw=2.2))
        shown = "(N, " + ", ".join(str(s) for s in shape) + ")" if shape else "one number"
        ax.text(0.14, k - 0.08, f"{name}: {what}", ha="left", va="center", fontsize=10, weight="bold")
        params = f"{n_params:,} parameters" if n_params else "no parameters"
        ax.text(0.14, k + 0.17, f"output {shown}; {params}", ha="left", va="center", fontsize=9)
        if k:
            ax.add_patch(FancyArrowPatch((0.5, k - 1 + 0.36), (0.5, k - 0.36), arrowstyle="-|>",
                                         mutation_scale=12, color="#555555", lw=1.3))
    total = sum(row[3] for row in rows)
    ax.set_title(f"The digits CNN, layer by layer: {total:,} parameters", fontsize=11)
    return fig


# --- Receptive fields ------------------------------------------------------------------------------


def plot_receptive_fields(depth=3, width=11):
    """Stacked 3-wide convolutions in one dimension: the units of each layer that one unit
    at the top depends on (highlighted), 3 wide after one layer, 5 after two, 7 after three."""
    fig, ax = subplots(figsize=(5.6, 3.8))
    ax.set(xlim=(-1.3, width + 1.3), ylim=(-0.6, depth + 0.7))
    ax.set_axis_off()
    centre = width // 2
    for level in range(depth + 1):
        reach = depth - level                 # how far from the centre this level is seen
        for unit in range(width):
            seen = abs(unit - centre) <= reach
            ax.scatter([unit], [level], s=150, c=PALETTE["orange"] if seen else "white", edgecolors="black",
                       zorder=3)
            if level < depth and abs(unit - centre) <= depth - level - 1:
                for below in (unit - 1, unit, unit + 1):
                    ax.plot([below, unit], [level, level + 1], color=PALETTE["grey"], lw=1, zorder=1)
        label = "input" if level == 0 else f"layer {level}"
        ax.text(-0.8, level, label, ha="right", va="center", fontsize=9.5)
        size = 2 * (depth - level) + 1
        ax.text(width - 0.3, level, f"{size}", ha="left", va="center", fontsize=11, weight="bold",
                color=PALETTE["vermillion"])
    ax.set_title(f"One unit of layer {depth} depends on {2 * depth + 1} inputs (in red: how many units of\n"
                 f"each layer it depends on, through {depth} layers of 3-wide kernels)", fontsize=10)
    return fig


def plot_effective_fields(stacked, trained, mean_digit):
    """Top: the effective receptive field of a stack of averaging 3x3 layers, for several
    depths, with the theoretical field outlined. Bottom: the trained digits network: the mean
    test digit, a pooled unit's field (theory outlined) and a class score's field.

    stacked: {depth: field (S, S)}; trained: {"pooled": (field, theory mask), "class": field}."""
    fig = Figure(figsize=(5.6, 5.4), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.1])
    axes = top.subplots(1, len(stacked))
    for ax, (depth, field) in zip(axes, stacked.items()):
        size, theory = field.shape[0], 2 * depth + 1
        ax.imshow(field / field.max(), cmap="magma", vmin=0, vmax=1, interpolation="nearest")
        start = size // 2 - depth - 0.5
        ax.add_patch(Rectangle((start, start), theory, theory, fill=False, ec=PALETTE["sky"], lw=1.8, ls="--"))
        ax.set_title(f"{depth} layer{'s' if depth > 1 else ''}: {theory}x{theory}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    top.suptitle("Stacked averaging 3x3 layers: gradient of the centre unit (dashed: theory)", fontsize=10)
    axes = bottom.subplots(1, 3)
    pooled, theory = trained["pooled"]
    rows, cols = np.nonzero(theory)
    panels = [(mean_digit, "gray_r", "mean test digit"), (pooled, "magma", "pooled unit (1, 1)"),
              (trained["class"], "magma", "the right class's score")]
    for ax, (values, cmap, title) in zip(axes, panels):
        ax.set_axis_off()
        ax.imshow(values / np.abs(values).max() if cmap == "magma" else values, cmap=cmap, interpolation="nearest",
                  **({"vmin": 0, "vmax": 1} if cmap == "magma" else {}))
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    axes[1].add_patch(Rectangle((cols.min() - 0.5, rows.min() - 0.5), np.ptp(cols) + 1, np.ptp(rows) + 1, fill=False,
                                ec=PALETTE["sky"], lw=2, ls="--"))
    axes[2].add_patch(Rectangle((-0.5, -0.5), 8, 8, fill=False, ec=PALETTE["sky"], lw=3, ls="--"))
    bottom.suptitle("The trained digits CNN: mean |gradient| over the test digits", fontsize=10)
    return fig


# --- Training --------------------------------------------------------------------------------------


def plot_training(cnn_runs, mlp_runs):
    """Top: training loss per epoch (log) of every run; bottom: test accuracy per epoch.
    cnn_runs, mlp_runs: {seed: Run}."""
    fig, (ax_loss, ax_acc) = subplots(2, 1, figsize=(5.6, 6.4), sharex=True)
    for runs, colour, ls, name in ((cnn_runs, PALETTE["blue"], "-", "CNN"), (mlp_runs, PALETTE["orange"], "--", "MLP")):
        for k, run in enumerate(runs.values()):
            epochs = np.arange(1, run.history.epochs + 1)
            label = f"{name}, seeds {', '.join(str(s) for s in runs)}" if k == 0 else None
            ax_loss.plot(epochs, run.history.loss, color=colour, ls=ls, lw=1.6, label=label)
            ax_acc.plot(epochs, 100 * np.array(run.history.metrics["val_accuracy"]), color=colour, ls=ls, lw=1.6,
                        label=label)
    ax_loss.set_yscale("log")
    ax_loss.set(ylabel="training loss (log scale)", title="Training loss per epoch")
    ax_acc.set(xlabel="epoch", ylabel="test accuracy (%)", ylim=(90, 100), title="Test accuracy per epoch")
    ax_loss.legend(fontsize=9)
    ax_acc.legend(fontsize=9, loc="lower right")
    return fig
