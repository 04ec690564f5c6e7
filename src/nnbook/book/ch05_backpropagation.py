"""Chapter 5, backpropagation: its figures, then its demos, then its exercise checkers."""

import functools
import itertools
import math
import os
import traceback

import matplotlib as mpl
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import FancyArrowPatch

from nnbook import gradcheck
from nnbook.activations import sigmoid, softmax
from nnbook.autodiff import graph
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
from nnbook.data import xor
from nnbook.gradcheck import forward_passes, numerical_gradient, rel_error
from nnbook.losses import binary_cross_entropy_from_logits
from nnbook.plotting import (
    CLASS_COLOURS,
    PALETTE,
    fast_axes,
    level_segments,
    new_axes,
    plot_points,
    static_axis_labels,
    subplots,
)
from nnbook.training import fit, mlp, vanishing_gradients
from nnbook.widgets import Demo, LiveFigure, Slider

#: XOR as a network's training set: inputs (4, 2) and targets (4, 1).
XOR_X, XOR_Y = xor()
for _array in (XOR_X, XOR_Y):
    _array.setflags(write=False)

#: The gradient check's verdict: a relative error below this means "the gradient is right".
TOLERANCE = gradcheck.TOLERANCE

# --- Figures -------------------------------------------------------------------------------


def _graph_layout(nodes, edges):
    """Columns and rows for a computational graph: an operation one column right of its
    furthest input, an input one column left of the first operation that uses it; the first
    input of each operation on the operation's row, the others on the nearest free rows."""

    parents = {k: [] for k in range(len(nodes))}
    children = {k: [] for k in range(len(nodes))}
    for parent, child in edges:
        parents[child].append(parent)
        children[parent].append(child)
    column = {}
    for k in range(len(nodes)):            # topological order: parents come first
        column[k] = max((column[p] + 1 for p in parents[k]), default=0)
    for k in range(len(nodes)):
        if not parents[k] and children[k]:
            column[k] = min(column[c] for c in children[k]) - 1
    low = min(column.values())
    column = {k: c - low for k, c in column.items()}
    row, taken = {}, set()

    def place(k, wanted):
        r = wanted
        for step in range(len(nodes) + 1):
            for candidate in (wanted + step, wanted - step):
                if (column[k], candidate) not in taken:
                    r = candidate
                    break
            else:
                continue
            break
        row[k] = r
        taken.add((column[k], r))

    stack = [(len(nodes) - 1, 0)]
    while stack:
        k, wanted = stack.pop()
        if k in row:
            continue
        place(k, wanted)
        for p in reversed(parents[k]):   # the first input ends on top of the stack
            if p not in row:
                stack.append((p, row[k]))
    return column, row


def plot_value_graph(output, ax=None, *, title=None, show_grad=True):
    """The computational graph behind an ``autodiff.Value``: a box per value (its label or
    operation, its data and, after ``backward``, its gradient), arrows from inputs to results.

    Each arrow starts and ends at the edge of its two boxes (the boxes clip it, as in an
    annotation) and bends around any other box it would cross.
    """

    nodes, edges = graph(output)
    column, row = _graph_layout(nodes, edges)
    rows = sorted(set(row.values()))
    n_columns = max(column.values()) + 1
    fig, ax = new_axes(ax, figsize=(1.15 * n_columns + 0.4, 0.85 * len(rows) + 0.9))
    boxes = []
    for k, node in enumerate(nodes):
        name = node.label or node.op or "const"
        text = f"{name}\n{node.data:.4g}" + (f"\n∂={node.grad:.3g}" if show_grad else "")
        colour = PALETTE["sky"] if not node._parents else PALETTE["orange"]
        if k == len(nodes) - 1:
            colour = PALETTE["green"]
        boxes.append(ax.text(column[k], -row[k], text, ha="center", va="center", fontsize=8.5,
                             linespacing=1.15, zorder=3,
                             bbox={"boxstyle": "round,pad=0.3", "fc": mpl.colors.to_rgba(colour, 0.35),
                                       "ec": colour}))
    ax.set_xlim(-0.6, n_columns - 0.4)
    ax.set_ylim(-max(rows) - 0.6, -min(rows) + 0.6)
    ax.set(xticks=[], yticks=[])   # no axis: no tick labels placed (even invisibly) off the canvas
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    # Measure the boxes once (in data units) to route the arrows around the other boxes.
    extents = _box_extents(fig, ax, boxes)
    # The arrows join the axes with add_artist: add_patch would clip every curve against its
    # two boxes only to update data limits, which are fixed above (half the build time).
    for parent, child in edges:
        others = [e for k, e in enumerate(extents) if k not in (parent, child)]
        start, end = (column[parent], -row[parent]), (column[child], -row[child])
        rad = next((r for r in (0.0, 0.3, -0.3, 0.5, -0.5, 0.7, -0.7)
                    if not _arc_hits(start, end, r, others)), 0.0)
        ax.add_artist(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=10,
                                     connectionstyle=f"arc3,rad={rad}", patchA=boxes[parent].get_bbox_patch(),
                                     patchB=boxes[child].get_bbox_patch(), shrinkA=1, shrinkB=1,
                                     color=PALETTE["grey"], lw=1, zorder=4))
    return fig


def _box_extents(fig, ax, texts, pad=0.04):
    """Each text's box as (x0, y0, x1, y1) in data units, measured without a full draw."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)   # place the axes as a draw will
    inverse = ax.transData.inverted()
    extents = []
    for text in texts:
        text.update_bbox_position_size(renderer)
        box = text.get_bbox_patch().get_window_extent(renderer)
        (x0, y0), (x1, y1) = inverse.transform([[box.x0, box.y0], [box.x1, box.y1]])
        extents.append((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
    return extents


def _arc_points(start, end, rad, n=60):
    """Points of matplotlib's arc3 connection from ``start`` to ``end`` (a quadratic Bezier)."""
    (x1, y1), (x2, y2) = start, end
    cx, cy = (x1 + x2) / 2 + rad * (y2 - y1), (y1 + y2) / 2 - rad * (x2 - x1)
    t = np.linspace(0, 1, n)[:, None]
    return (1 - t) ** 2 * np.array(start) + 2 * t * (1 - t) * np.array([cx, cy]) + t ** 2 * np.array(end)


def _arc_hits(start, end, rad, extents):
    points = _arc_points(start, end, rad)
    return any(np.any((points[:, 0] > x0) & (points[:, 0] < x1) & (points[:, 1] > y0) & (points[:, 1] < y1))
               for x0, y0, x1, y1 in extents)


def plot_gate_patterns(graphs):
    """The three gates of backpropagation side by side: ``graphs`` = [(title, output Value)],
    each drawn by ``plot_value_graph`` after ``backward``."""
    fig, axes = subplots(1, len(graphs), figsize=(3.2 * len(graphs), 2.9))
    for ax, (title, output) in zip(np.atleast_1d(axes), graphs):
        plot_value_graph(output, ax, title=title)
    return fig


def _plain_log_labels(ax):
    """Log-axis tick labels as plain numbers (1, 10, 100, 0.01) rather than mathtext powers."""
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "log":
            axis.set_major_formatter(mpl.ticker.LogFormatter(labelOnlyBase=True))
            axis.set_minor_formatter(mpl.ticker.NullFormatter())


def plot_gradient_cost(n_params, seconds=None):
    """Passes for one gradient, finite differences vs backpropagation, against the number of
    parameters (log-log), counted in forward-pass equivalents; with ``seconds`` =
    {method: [seconds per n]} a second panel, below, shows measured times."""

    n_params = np.asarray(n_params)
    panels = 2 if seconds else 1
    fig, axes = subplots(panels, 1, figsize=(5.6, 3.6 * panels), squeeze=False)   # phone-width
    colours = {"finite differences": PALETTE["vermillion"], "backpropagation": PALETTE["blue"]}
    ax = axes[0, 0]
    for method, colour in colours.items():
        ax.plot(n_params, [forward_passes(int(n), method) for n in n_params], "o-", color=colour,
                label=method)
    ax.set(xscale="log", yscale="log", xlabel="parameters", ylabel="cost in forward passes",
           title="Cost counted in passes")
    ax.legend()
    _plain_log_labels(ax)
    _label_counts(ax, n_params)
    if seconds:
        ax = axes[1, 0]
        for method, colour in colours.items():
            ax.plot(n_params, seconds[method], "o-", color=colour, label=method)
        ax.set(xscale="log", yscale="log", xlabel="parameters", ylabel="seconds per gradient",
               title="Cost measured on this machine")
        ax.legend()
        _plain_log_labels(ax)
        _label_counts(ax, n_params)
    return fig


def plot_step_errors(steps, errors, roundoff, *, balanced=None, threshold=TOLERANCE):
    """A right gradient's relative error against the step h of the central difference
    (log-log): the measured ``errors`` (dots), the round-off estimate ``roundoff`` (one per
    step, falling as 1/h), the truncation rising as h² (drawn through the error at the
    largest step), a fixed ``threshold`` and, if given, the ``balanced`` step."""
    steps, errors, roundoff = (np.asarray(a, dtype=float) for a in (steps, errors, roundoff))
    fig, ax = subplots(figsize=(5.6, 4.2))
    ax.plot(steps, roundoff, "--", color=PALETTE["vermillion"],
            label=r"round-off $\varepsilon|\mathcal{L}|\,/\,(h\,|g|)$")
    ax.plot(steps, errors[-1] * (steps / steps[-1]) ** 2, ":", color=PALETTE["blue"], lw=2,
            label=r"truncation $\propto h^2$")
    ax.plot(steps, errors, "o", color=PALETTE["black"], label="measured, right gradient")
    ax.axhline(threshold, color=PALETTE["grey"], lw=1)
    ax.text(steps[0], threshold * 1.4, f"a fixed threshold, {threshold:g}", fontsize=9, color=PALETTE["grey"])
    if balanced is not None:
        ax.axvline(balanced, color=PALETTE["green"], lw=1)
        ax.text(balanced / 1.25, 1e-2, f"balanced step\n{balanced:.0e}", fontsize=9,
                color=PALETTE["green"], ha="right", va="center")
    ax.set(xscale="log", yscale="log", xlabel="step h", ylabel="relative error",
           title="A right gradient's error against the step", ylim=(errors.min() / 5, max(roundoff.max(), 1) * 2))
    ax.legend(loc="upper right", fontsize=9)
    _plain_log_labels(ax)
    return fig


def _label_counts(ax, n_params):
    """Tick the log x axis at the parameter counts drawn (a short range has one decade tick)."""
    ax.set_xticks(n_params, [f"{int(n):,}" for n in n_params])
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())


#: Where the stuck XOR run's loss is heading: two points right, two at one half.
PLATEAU_LOSS = math.log(2) / 2


def plot_plateau(losses, weight_norms, *, limit=PLATEAU_LOSS):
    """A run stuck on a plateau: the loss per epoch approaching ``limit`` from above (top)
    and the length of the parameter vector per epoch (below), epochs on a log scale."""
    epochs = np.arange(1, len(losses) + 1)
    fig, (ax_loss, ax_norm) = subplots(2, 1, figsize=(5.6, 7.0))   # one above the other: phone-width
    ax_loss.plot(epochs, losses, color=PALETTE["vermillion"], label="loss")
    ax_loss.axhline(limit, color=PALETTE["black"], ls="--", lw=1, label=f"log 2 / 2 = {limit:.4f}")
    ax_loss.set(xscale="log", xlabel="epoch", ylabel="loss (mean cross-entropy)",
                title="the loss creeps down toward log 2 / 2", ylim=(0.3, 0.75))
    ax_loss.legend(loc="upper right")
    ax_norm.plot(epochs, weight_norms, color=PALETTE["blue"])
    ax_norm.set(xscale="log", xlabel="epoch", ylabel="‖θ‖, length of all parameters",
                title="while the weights keep growing")
    _plain_log_labels(ax_loss)
    _plain_log_labels(ax_norm)
    return fig


#: The XOR demo's number of epochs (full-batch gradient descent, one update per epoch).
XOR_DEMO_EPOCHS = 1000


@functools.lru_cache(maxsize=64)   # one training run per setting, then replayed
def xor_run(hidden, learning_rate, seed, epochs=XOR_DEMO_EPOCHS):
    """Train ``training.mlp([2, hidden, 1], "tanh", seed=seed)`` on XOR with ``training.fit``:
    full-batch gradient descent on the mean binary cross-entropy of the scores, a callback
    keeping the weights after every epoch.

    Returns (weights, losses): weights = (W1, b1, W2, b2), each stacked over the epochs
    (W1[e] after e epochs, e = 0..epochs); losses[e] = the loss after e epochs. Read-only
    arrays (the cache shares them).
    """
    net = mlp([2, int(hidden), 1], "tanh", seed=int(seed))
    epochs = int(epochs)
    params = [param for _, param, _ in net.parameters()]
    stacks = [np.empty((epochs + 1, *param.shape)) for param in params]

    def keep(epoch, network, history):
        for stack, param in zip(stacks, params):
            stack[epoch] = param

    keep(0, net, None)
    history = fit(net, XOR_X, XOR_Y, loss="binary_cross_entropy_from_logits",
                  learning_rate=float(learning_rate), epochs=epochs, callback=keep)
    done = len(history.loss)          # fit's loss of epoch e is the loss before its update
    losses = np.append(history.loss, binary_cross_entropy_from_logits(XOR_Y, net.forward(XOR_X)))
    if done < epochs:                 # a run that stopped early stays where it stopped
        for stack in stacks:
            stack[done + 1:] = stack[done]
        losses = np.append(losses, np.full(epochs - done, losses[-1]))
    for a in (*stacks, losses):
        a.setflags(write=False)
    return tuple(stacks), losses


def xor_weights(weights, epoch):
    """The XOR run's (W1, b1, W2, b2) after ``epoch`` epochs."""
    return tuple(stack[int(epoch)] for stack in weights)


def xor_scores(weights, X):
    """The XOR network's scores (logits) for inputs X (M, 2) with weights (W1, b1, W2, b2)."""
    W1, b1, W2, b2 = weights
    return (np.tanh(X @ W1 + b1) @ W2 + b2)[:, 0]


def xor_state(epoch, hidden, learning_rate, seed):
    """(rows right out of 4, loss) of the XOR demo's network after ``epoch`` epochs."""
    weights, losses = xor_run(int(hidden), float(learning_rate), int(seed))
    scores = xor_scores(xor_weights(weights, epoch), XOR_X)
    correct = int(np.sum((scores > 0) == (XOR_Y[:, 0] > 0.5)))
    return correct, float(losses[int(epoch)])


#: The XOR demo's grid of inputs for the decision regions.
XOR_GRID = np.linspace(-0.5, 1.5, 81)


class XorTrainingFigure(LiveFigure):
    """XOR learned by backpropagation: the decision regions of a 2-``hidden``-1 tanh network
    after ``epoch`` epochs of full-batch gradient descent (top), and the loss (below)."""

    def draw(self, epoch=XOR_DEMO_EPOCHS, hidden=2, learning_rate=0.5, seed=0):
        # One panel above the other: a phone's width keeps the text readable.
        fig, (ax, ax_loss) = subplots(2, 1, figsize=(5.6, 8.4), layout=None, height_ratios=[1.3, 1])
        fig.subplots_adjust(left=0.15, right=0.96, top=0.87, bottom=0.07, hspace=0.32)
        self.cmap = mpl.colors.LinearSegmentedColormap.from_list(
            "nnbook_xor", [CLASS_COLOURS[1], "#FFFFFF", CLASS_COLOURS[0]])   # class 0 blue, 1 orange
        self.image = ax.imshow(np.zeros((len(XOR_GRID), len(XOR_GRID))), extent=(-0.5, 1.5, -0.5, 1.5),
                               origin="lower", cmap=self.cmap, vmin=0, vmax=1, alpha=0.45,
                               interpolation="bilinear")
        self.boundary = LineCollection([], colors=PALETTE["black"], linewidths=1.5, zorder=2)
        ax.add_collection(self.boundary)
        plot_points(XOR_X, XOR_Y[:, 0].astype(int), ax)
        ax.grid(False)
        ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
        self.title = ax.set_title(" ")
        self.loss, = ax_loss.plot([], [], color=PALETTE["blue"])
        self.marker, = ax_loss.plot([], [], "o", color=PALETTE["vermillion"])
        ax_loss.set_xlim(-0.02 * XOR_DEMO_EPOCHS, 1.02 * XOR_DEMO_EPOCHS)   # the marker shows whole at both ends
        ax_loss.set(xlabel="epoch", ylabel="loss (mean cross-entropy)")
        fast_axes(ax_loss)
        self.ax_loss = ax_loss
        self.loss_title = ax_loss.set_title(" ")
        self.suptitle = fig.suptitle(" ")
        self.dynamic = [self.image, self.boundary, self.title, self.loss, self.marker, ax_loss.yaxis,
                        self.loss_title, self.suptitle]
        return fig

    def update(self, epoch=XOR_DEMO_EPOCHS, hidden=2, learning_rate=0.5, seed=0):
        epoch, hidden, seed = int(epoch), int(hidden), int(seed)
        weights, losses = xor_run(hidden, float(learning_rate), seed)
        gx, gy = np.meshgrid(XOR_GRID, XOR_GRID)
        grid = np.column_stack([gx.ravel(), gy.ravel()])
        p = sigmoid(xor_scores(xor_weights(weights, epoch), grid)).reshape(gx.shape)
        self.image.set_data(p)
        self.boundary.set_segments(level_segments(XOR_GRID, XOR_GRID, p, 0.5))
        correct, loss = xor_state(epoch, hidden, learning_rate, seed)
        self.title.set_text(f"{correct}/4 right")
        self.loss.set_data(np.arange(len(losses)), losses)
        self.marker.set_data([epoch], [loss])
        self.ax_loss.set_ylim(0, max(0.8, 1.05 * float(losses.max())))
        self.loss_title.set_text(f"loss {loss:.3f} after {epoch} epochs")
        self.suptitle.set_text(f"Epoch {epoch}: 2-{hidden}-1 tanh network,\nlearning rate "
                               f"{learning_rate:.3g}, seed {seed}")


def plot_xor_training(epoch=XOR_DEMO_EPOCHS, hidden=2, learning_rate=0.5, seed=0):
    """The XOR demo's figure for these settings (a fresh ``XorTrainingFigure``)."""
    return XorTrainingFigure.plot(epoch=epoch, hidden=hidden, learning_rate=learning_rate, seed=seed)


#: The vanishing-gradients demo's activations, their colours and names in the legend.
VANISHING_LINES = {"sigmoid": (PALETTE["vermillion"], "sigmoid (Glorot init)"),
                   "relu": (PALETTE["blue"], "ReLU (He init)")}
#: How the figure and the captions name each activation.
VANISHING_NAMES = {"sigmoid": "sigmoid", "relu": "ReLU"}


def gradient_norms(depth, width, seed=0):
    """The vanishing-gradients demo's numbers: for each activation, the norm of ∂𝓛/∂W per
    layer (first layer first) and a summary {"first/last", "per layer"}, or None for both
    when no gradient reaches the last layer (every norm 0: a dead ReLU network)."""
    out = {}
    for name in VANISHING_LINES:
        norms = vanishing_gradients(int(depth), name, int(width), seed)
        if norms[-1] > 0 and norms[0] > 0:
            ratio = norms[0] / norms[-1]
            summary = {"first/last": ratio, "per layer": ratio ** (-1 / (len(norms) - 1)) if len(norms) > 1 else 1.0}
        else:
            summary = None
        out[name] = (norms, summary)
    return out


def _describe_norms(name, summary):
    name = VANISHING_NAMES[name]
    if summary is None:
        return f"{name}: every gradient is exactly 0 (a dead network)"
    return f"{name}: first / last layer = {summary['first/last']:.1e}"


class VanishingGradientsFigure(LiveFigure):
    """The gradient norm ‖∂𝓛/∂W‖ of each layer of a deep sigmoid network and a deep ReLU
    network (same data, same widths), first layer on the left, on a log scale."""

    def draw(self, depth=10, width=32):
        fig, ax = subplots(figsize=(5.6, 5.0), layout=None)   # 5.6 in: readable at a phone's width
        fig.subplots_adjust(left=0.17, right=0.96, top=0.75, bottom=0.11)
        self.lines = {}
        for name, (colour, label) in VANISHING_LINES.items():
            self.lines[name], = ax.plot([], [], "o-", color=colour, label=label, zorder=3)
        ax.set_yscale("log")
        ax.set(xlabel="layer (1 = nearest the input)", ylabel=r"$\Vert\partial\mathcal{L}/\partial W\Vert$ (log scale)")
        fast_axes(ax)
        static_axis_labels(ax)
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(nbins=7, integer=True))
        # The legend and, under it, the note sit in a band above the data: they never hide a point.
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.13), ncol=2, fontsize=9, borderaxespad=0.2)
        self.note = ax.text(0.0, 1.02, "", transform=ax.transAxes, ha="left", va="bottom", fontsize=9)
        self.ax = ax
        self.title = fig.suptitle(" ", y=0.97)
        self.dynamic = [*self.lines.values(), self.note, ax.xaxis, ax.yaxis, self.title]
        return fig

    def update(self, depth=10, width=32):
        depth, width = int(depth), int(width)
        results = gradient_norms(depth, width)
        layers = np.arange(1, depth + 1)
        shown = []
        for name, (norms, _) in results.items():
            positive = norms > 0
            self.lines[name].set_data(layers[positive], norms[positive])
            shown.append(norms[positive])
        values = np.concatenate(shown)
        self.ax.set_xlim(0.5, depth + 0.5)
        self.ax.set_ylim(values.min() / 3, values.max() * 3)
        self.note.set_text("\n".join(_describe_norms(n, s) for n, (_, s) in results.items()))
        self.title.set_text(f"{depth} layers of {width} units: gradient norm per layer")


def plot_vanishing_gradients(depth=10, width=32):
    """The vanishing-gradients demo's figure for these settings (a fresh figure)."""
    return VanishingGradientsFigure.plot(depth=depth, width=width)


# --- Computations the chapter shows --------------------------------------------------------


def dense_multiplications(sizes, n):
    """Multiplications of one forward and one backward pass through Dense layers of
    ``sizes`` (inputs first) for a batch of ``n``: {"forward", "backward"}.

    Forward: Z = A W, n * n_in * n_out per layer. Backward: dW = Aᵀ δ costs as much, and so
    does dA = δ Wᵀ, except at the first layer, whose input needs no gradient.
    """
    products = [n * a * b for a, b in itertools.pairwise(sizes)]
    return {"forward": sum(products), "backward": 2 * sum(products) - products[0]}


def cached_arrays(network):
    """What a network's layers keep from the forward pass for the backward pass:
    [(layer, attribute, shape, bytes)] for every cached array (after a forward)."""
    kept = []
    for layer in network.layers:
        for attribute, value in vars(layer).items():
            if attribute.startswith("_") and isinstance(value, np.ndarray):
                kept.append((layer, attribute, value.shape, value.nbytes))
    return kept


#: The tiny network of the backprop-by-hand exercise: ReLU hidden units, a linear output,
#: the loss 1/2 (ŷ - y)^2 on one example.
TINY = {"x1": 1.0, "x2": 2.0, "w1": 0.5, "w2": -0.25, "b1": 0.5, "w3": -1.0, "w4": 0.25, "b2": 0.0,
        "v1": 2.0, "v2": -1.0, "c": 0.5, "y": 0.9}


def tiny_forward(p=TINY):
    """The tiny network's forward pass: {"z1", "h1", "z2", "h2", "y_hat", "loss"}."""
    z1 = p["w1"] * p["x1"] + p["w2"] * p["x2"] + p["b1"]
    z2 = p["w3"] * p["x1"] + p["w4"] * p["x2"] + p["b2"]
    h1, h2 = max(z1, 0.0), max(z2, 0.0)
    y_hat = p["v1"] * h1 + p["v2"] * h2 + p["c"]
    return {"z1": z1, "h1": h1, "z2": z2, "h2": h2, "y_hat": y_hat, "loss": 0.5 * (y_hat - p["y"]) ** 2}


# --- Demos ---------------------------------------------------------------------------------


def xor_training_demo():
    """Chapter 5: scrub through the epochs of backpropagation on XOR; change the hidden width,
    the learning rate and the seed of the initial weights."""

    controls = {
        "epoch": Slider(0, XOR_DEMO_EPOCHS, XOR_DEMO_EPOCHS, step=10, description="epoch"),
        "hidden": Slider(2, 8, 2, step=1, description="hidden units"),
        "learning_rate": Slider(0.01, 5.0, 0.5, step=0.01, log=True, description="learning rate"),
        "seed": Slider(0, 9, 0, step=1, description="seed"),
    }
    # On the website: one run from its random start to the solution, for a seed that
    # learns with 2 hidden units and a seed that gets stuck with 2 but not with 4.
    grid = {"epoch": [0, 100, 200, 300, 1000], "hidden": [2, 4], "seed": [0, 1]}
    return Demo(XorTrainingFigure, controls, grid=grid, caption=xor_caption, training=True,
                alt="Top: the XOR points and the regions where a small tanh network predicts "
                    "class 0 (blue) or 1 (orange), with the 0.5 boundary in black; below: the "
                    "training loss against epochs, the current epoch marked.")


def vanishing_gradients_demo():
    """Chapter 5: slide the depth; watch the first layers' gradients vanish in a sigmoid net."""

    controls = {
        "depth": Slider(2, 30, 10, step=1, description="layers"),
        "width": Slider(4, 64, 32, step=4, description="units per layer"),
    }
    grid = {"depth": [2, 5, 10, 20, 30], "width": [4, 32]}
    return Demo(VanishingGradientsFigure, controls, grid=grid, training=True, caption=vanishing_caption,
                alt="The norm of the weight gradient of each layer, first layer on the left, on a "
                    "log scale, for a deep sigmoid network and a deep ReLU network: the sigmoid "
                    "line falls by orders of magnitude toward the input, the ReLU line stays level "
                    "(or, in a narrow deep network, disappears: every ReLU gradient is 0).")


def xor_caption(epoch, hidden, learning_rate, seed):
    """A frame's caption: how the XOR network is doing at this epoch, in words."""
    correct, loss = xor_state(int(epoch), int(hidden), float(learning_rate), int(seed))
    if correct == 4 and loss < 0.1:
        how = "XOR is solved"
    elif loss > 0.68:
        how = "still on the starting plateau near log 2 = 0.69"
    elif correct == 2 and abs(loss - PLATEAU_LOSS) < 0.01:
        how = "stuck: two points get a probability near one half, the loss near log 2 / 2 = 0.35"
    else:
        how = "learning"
    return (f"Epoch {epoch}, {hidden} hidden units, seed {seed}: {correct} of 4 points right, "
            f"loss {loss:.3f}; {how}.")


def vanishing_caption(depth, width):
    """A frame's caption: how much smaller the first layer's gradient is, in words."""
    results = gradient_norms(int(depth), int(width))
    sig = results["sigmoid"][1]
    text = (f"{depth} layers of {width} units: the first sigmoid layer gets {sig['first/last']:.0e} of "
            f"the last one's gradient (about 1/{sig['per layer']:.1f} per layer)")
    relu = results["relu"][1]
    if relu is None:
        return text + "; every ReLU unit is off for every example, so no gradient flows at all."
    return text + f"; ReLU's first / last ratio is {relu['first/last']:.2g}."


#: Every demo of this chapter, by name (the tests sweep each).
DEMOS = {"xor_training": xor_training_demo, "vanishing_gradients": vanishing_gradients_demo}


# --- Exercise checkers ---------------------------------------------------------------------


def _verdict_of(error):
    return f"relative error {error:.2g}; a right gradient gives < {TOLERANCE:g}"


def _expect_shape(name, value, shape, *, describe, diagnoses=()):
    """Raise ``Failure`` unless ``value`` is an array of ``shape``; ``diagnoses`` =
    [(wrong shape, message)] name the likely mistake behind a known wrong shape."""
    array = as_numbers_or_none(value)
    if array is None:
        raise Failure(f"for {describe}, {name} should be an array of shape {shape}; got {short(value)!r:.60}.")
    if array.shape != shape:
        why = next((message for wrong, message in diagnoses if array.shape == wrong),
                   f"{name} has one number per entry of the array it is the gradient of")
        raise Failure(f"for {describe}, {name} should have shape {shape}; got shape {array.shape}.\n   Hint: {why}")
    return array


def _expect_gradient(name, array, expected, *, describe, hint, mistakes=()):
    """Raise ``Failure`` unless ``array`` matches ``expected`` to the gradient check's
    threshold; ``mistakes`` = [(the value a known mistake gives, its diagnosis)]."""
    error = rel_error(array, expected)
    if error < TOLERANCE:
        return
    why = diagnose(array, mistakes, close=lambda got, wrong: rel_error(got, wrong) < TOLERANCE)
    if why:
        raise Failure(f"for {describe}, {name} is wrong ({_verdict_of(error)}).", hint=why)
    raise Failure(f"for {describe}, {name} disagrees with finite differences ({_verdict_of(error)}).\n"
                  f"   Hint: {hint}")


_NUMPY_DIR = os.path.dirname(np.__file__)


def _shape_error(action):
    """The message numpy raises for ``action()``, or None if it runs."""
    try:
        action()
    except ValueError as error:
        return str(error)
    return None


def _products_diagnosed(fn, x, W, g, describe):
    """``fn`` with an operation whose shapes do not fit reported as a diagnosis instead of
    numpy's message: the learner's line, the shapes, and which product it is when only one
    of the usual slips raises numpy's very message."""
    shapes = f"x is {x.shape}, W is {W.shape}, grad_out is {g.shape}"
    known = [
        ("grad_out @ W", lambda: g @ W, lambda: np.dot(g, W),
         "dx = grad_out @ W.T: W.T is (n_out, n_in), so the product has x's shape (N, n_in)."),
        ("W @ grad_out", lambda: W @ g, lambda: np.dot(W, g),
         "dx = grad_out @ W.T: grad_out comes first, one row per example."),
        ("x @ grad_out", lambda: x @ g, lambda: np.dot(x, g),
         "dW = x.T @ grad_out: x.T is (n_in, N), so the batch axis is summed over."),
        ("x.T @ grad_out.T", lambda: x.T @ g.T, lambda: np.dot(x.T, g.T),
         "dW = x.T @ grad_out: only x is transposed."),
        ("grad_out @ x", lambda: g @ x, lambda: np.dot(g, x),
         "dW = x.T @ grad_out, which has W's shape (n_in, n_out)."),
    ]

    def wrapped(*args):
        try:
            return fn(*args)
        except ValueError as error:
            message = str(error)
            if not any(word in message for word in ("matmul", "aligned", "broadcast")):
                raise
            frames = [frame for frame in traceback.extract_tb(error.__traceback__)
                      if not frame.filename.startswith(_NUMPY_DIR)]   # the learner's last line
            line = frames[-1].line if frames else None
            where = f" in `{line}`" if line else ""
            matches = [(product, fix) for product, *actions, fix in known
                       if message in (_shape_error(action) for action in actions)]
            if len(matches) == 1:
                product, fix = matches[0]
                raise Failure(f"for {describe} your function computes {product}{where}, whose shapes "
                              f"do not fit ({shapes}).", hint=fix) from None
            raise Failure(f"for {describe} the shapes do not fit{where} ({shapes}).",
                          hint="dx = grad_out @ W.T has x's shape; dW = x.T @ grad_out has W's shape; "
                               "db = grad_out.sum(axis=0) has b's.") from None

    return wrapped


@checker("check_dense_backward")
def check_dense_backward(fn):
    """Check ``fn(x, W, b, grad_out) -> (dx, dW, db)``, a dense layer's backward pass.

    Each of dx, dW and db is checked on its own (shape, then value against central finite
    differences of sum((x @ W + b) * grad_out)), so a failure names the gradient that is wrong.
    """

    require_callable(fn, "backward function")
    rng = np.random.default_rng(5)
    hints = {
        "dx": "dL/dx = grad_out @ W.T: each input feeds every output through its weight.",
        "dW": "dL/dW = x.T @ grad_out: weight (i, j) is scaled by input i, summed over the batch.",
        "db": "dL/db = grad_out.sum(axis=0): every example's gradient adds up (sum, not mean).",
    }
    cases = [(1, 2, 3), (4, 3, 2), (5, 4, 4)]
    for n, n_in, n_out in cases:
        x, W = rng.normal(size=(n, n_in)), rng.normal(size=(n_in, n_out))
        b, g = rng.normal(size=n_out), rng.normal(size=(n, n_out))
        describe = f"a batch of {n}, W of shape {W.shape}"
        value = call(_products_diagnosed(fn, x, W, g, describe), x.copy(), W.copy(), b.copy(), g.copy(),
                     describe=describe,
                     hint="return the three gradients (dx, dW, db).")
        if not isinstance(value, (tuple, list)) or len(value) != 3:
            raise Failure(f"for {describe} return a tuple (dx, dW, db); got {short(value)}.")
        shapes = {"dx": (x.shape, [((n_in, n), "dx is transposed: grad_out @ W.T has one row per example.")]),
                  "dW": (W.shape, [((n_out, n_in), ("dW is transposed: x.T @ grad_out has W's shape "
                                                   "(n_in, n_out); grad_out.T @ x gives its transpose."))]),
                  "db": (b.shape, [((n,), ("db summed over the wrong axis: sum over the batch, axis=0, "
                                          "one number per output unit.")),
                                   ((1, n_out), ("db has an extra axis: drop keepdims=True, db has b's "
                                                "shape (n_out,)."))])}

        def loss(x=x, W=W, b=b, g=g):
            return np.sum((x @ W + b) * g)

        numeric = {"dx": numerical_gradient(loss, x), "dW": numerical_gradient(loss, W),
                   "db": numerical_gradient(loss, b)}
        mistakes = {"dx": [(g @ W, "dx used W instead of W.T? (grad_out @ W.T)")] if n_in == n_out else [],
                    "dW": [(x.T @ g / n, ("dW divided by the batch size: the loss gradient already "
                                         "carries the 1/N; the layer sums."))] if n > 1 else [],
                    "db": [(g.mean(axis=0), hints["db"])] if n > 1 else []}
        for name, got in zip(("dx", "dW", "db"), value):
            shape, diagnoses = shapes[name]
            array = _expect_shape(name, got, shape, describe=describe, diagnoses=diagnoses)
            _expect_gradient(name, array, numeric[name], describe=describe, hint=hints[name],
                             mistakes=mistakes[name])
    return len(cases)


@checker("check_sigmoid_backward")
def check_sigmoid_backward(fn):
    """Check ``fn(y, grad_out) -> dx`` for a sigmoid layer that kept only its output
    y = σ(x): dx = grad_out * y (1 - y)."""

    require_callable(fn, "backward function")
    rng = np.random.default_rng(6)
    hint = ("the chain rule multiplies grad_out elementwise by the local slope "
            "σ'(x) = σ(x)(1 - σ(x)), and σ(x) is the output y the layer kept: y * (1 - y).")
    cases = [rng.normal(size=(1, 3)), rng.normal(size=(4, 2)) * 3, np.array([[0.0, 10.0, -10.0]])]
    for x in cases:
        y, g = sigmoid(x), rng.normal(size=x.shape)
        describe = f"y of shape {y.shape}" + (" with outputs near 0 and 1" if np.abs(x).max() >= 10 else "")
        value = call(fn, y.copy(), g.copy(), describe=describe, hint=hint)
        array = _expect_shape("dx", value, x.shape, describe=describe)
        s = sigmoid(y)
        mistakes = [
            (g * s * (1 - s), ("y is already σ(x): applying σ to it again gives σ(σ(x)). The slope "
                              "is y * (1 - y), with y as it is.")),
            (y * (1 - y), "that is the local slope alone: multiply it by grad_out (the chain rule)."),
            (g * y, "the slope of σ is σ(x)(1 - σ(x)) = y (1 - y), not y."),
        ]
        _expect_gradient("dx", array, g * y * (1 - y), describe=describe, hint=hint, mistakes=mistakes)
    return len(cases)


#: The answers of the backprop-by-hand exercise: the names the learner fills in.
BY_HAND_KEYS = ("v1", "v2", "w1", "w2", "w3", "b1")


def tiny_gradients(p=TINY):
    """The tiny network's gradients by backpropagation: {name: ∂ℓ/∂name}."""
    f = tiny_forward(p)
    error = f["y_hat"] - p["y"]                       # ∂ℓ/∂ŷ
    delta1 = error * p["v1"] * (f["z1"] > 0)          # through v1, then ReLU's gate
    delta2 = error * p["v2"] * (f["z2"] > 0)
    return {"v1": error * f["h1"], "v2": error * f["h2"], "c": error,
            "w1": delta1 * p["x1"], "w2": delta1 * p["x2"], "b1": delta1,
            "w3": delta2 * p["x1"], "w4": delta2 * p["x2"], "b2": delta2}


def _by_hand_mistakes(name):
    """[(the number a typical slip gives for ``name``, what went wrong)] in the tiny network."""
    p, f = TINY, tiny_forward()
    error = f["y_hat"] - p["y"]
    sign = (-tiny_gradients()[name], ("the sign: ℓ = ½(ŷ - y)² gives ∂ℓ/∂ŷ = ŷ - y = "
                                     f"{error:+g} (the prediction {f['y_hat']:g} is too high)."))
    mistakes = {
        "v1": [(error, ("v1's gradient is the error ŷ - y times the input v1 multiplies, h1 = "
                       f"{f['h1']:g}."))],
        "v2": [(error * f["z2"], "v2 multiplies h2 = ReLU(z2) = 0, not z2: its gradient is (ŷ - y) · h2.")],
        "w1": [(error * p["x1"], ("the signal reaching h1 is (ŷ - y) · v1: it flows back through the "
                                 "weight v1."))],
        # (ŷ - y) v1 = δ1 (b1's gradient), (ŷ - y) v1 x1 (w1's) and (ŷ - y) x2 are one number
        # here (x1 = 1, v1 = x2 = 2): the slip is a factor left out, not which one.
        "w2": [(error * p["v1"], (f"{error * p['v1']:g} is two of the three factors: ∂ℓ/∂w2 = (ŷ - y) · v1 · x2 "
                                  f"= {error:g} · {p['v1']:g} · {p['x2']:g}, the error back through v1 (ReLU's "
                                  "slope at z1 > 0 is 1), times the input w2 multiplies, x2 (not x1)."))],
        "w3": [(error * p["v2"] * p["x1"], (f"h2 is off (z2 = {f['z2']:g} < 0): ReLU's slope there is 0, "
                                           "so no gradient reaches w3 (max routes it elsewhere)."))],
        "b1": [(error, ("the signal reaching h1 is (ŷ - y) · v1, and ReLU's slope at z1 > 0 is 1: "
                       "b1's gradient is that δ1 itself."))],
    }[name]
    return [sign] + mistakes


@checker("check_backprop_by_hand")
def check_backprop_by_hand(answers):
    """Check ``answers`` = {"v1": ..., "v2": ..., "w1": ..., "w2": ..., "w3": ..., "b1": ...}:
    the gradients of the loss of the tiny network (``TINY``) with respect to those weights."""

    if not isinstance(answers, dict):
        raise TypeError(f"pass a dict of your numbers, {{'v1': ..., 'w1': ...}}; got {type(answers).__name__}")
    missing = [k for k in BY_HAND_KEYS if answers.get(k, ...) is ... or answers.get(k) is None]
    if missing:
        raise Failure(f"fill in every gradient: {', '.join(missing)} "
                      f"{'is' if len(missing) == 1 else 'are'} still missing (None or absent).")
    expected = tiny_gradients()
    for name in BY_HAND_KEYS:
        got = as_number(answers[name])
        if got is None:
            raise Failure(f"∂ℓ/∂{name} should be one number; got {answers[name]!r}.")
        if np.isclose(got, expected[name], rtol=1e-6, atol=1e-9):
            continue
        why = diagnose(got, _by_hand_mistakes(name), rtol=1e-6, atol=1e-9)
        if why:
            raise Failure(f"∂ℓ/∂{name} = {got:g} is not right.", hint=why)
        raise Failure(f"∂ℓ/∂{name} = {got:g} is not right.\n   Hint: go backwards one step at a time: "
                      "∂ℓ/∂ŷ, then the signal at each hidden unit (through its outgoing weight and "
                      "ReLU's slope), then times the input the weight multiplies.")
    return len(BY_HAND_KEYS)


def two_layer_loss(X, Y, W1, b1, W2, b2):
    """The two-layer exercise's loss: mean softmax cross-entropy of tanh(X W1 + b1) W2 + b2."""
    Z2 = np.tanh(X @ W1 + b1) @ W2 + b2
    Z2 = Z2 - Z2.max(axis=1, keepdims=True)
    return float(-np.mean(np.sum(Y * (Z2 - np.log(np.exp(Z2).sum(axis=1, keepdims=True))), axis=1)))


def _two_layer_variants(X, Y, W1, b1, W2, b2):
    """The right gradients and those of typical slips: {variant: {name: gradient}}."""
    n = len(X)
    Z1 = X @ W1 + b1
    A1 = np.tanh(Z1)
    P = softmax(A1 @ W2 + b2, axis=1)

    def backward(delta2, slope, A=A1):
        delta1 = (delta2 @ W2.T) * slope
        return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0), "W2": A.T @ delta2, "b2": delta2.sum(axis=0)}

    return {
        "right": backward((P - Y) / n, 1 - A1 ** 2),
        "no 1/N": backward(P - Y, 1 - A1 ** 2),
        "no tanh slope": backward((P - Y) / n, 1.0),
        "slope at Z1": backward((P - Y) / n, 1 - Z1 ** 2),
        "Z1 for A1": backward((P - Y) / n, 1 - A1 ** 2, A=Z1),
    }


TWO_LAYER_DIAGNOSES = {
    "no 1/N": "your gradients are N times too large: the loss is the MEAN over the batch, so "
              "δ2 = (softmax(Z2) - Y) / N.",
    "no tanh slope": "the signal going back through the hidden layer must be multiplied by tanh's "
                     "slope: δ1 = (δ2 @ W2.T) * (1 - A1**2).",
    "slope at Z1": "tanh'(Z1) = 1 - tanh(Z1)², that is 1 - A1**2; you used 1 - Z1**2.",
    "Z1 for A1": "W2 multiplies the hidden layer's OUTPUT A1 = tanh(Z1), not Z1: dW2 = A1.T @ δ2.",
}


@checker("check_two_layer_backward")
def check_two_layer_backward(fn):
    """Check ``fn(X, Y, W1, b1, W2, b2) -> {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}``:
    the full backward pass of Z1 = X W1 + b1, A1 = tanh(Z1), Z2 = A1 W2 + b2 and the mean
    softmax cross-entropy of Z2 against one-hot Y."""

    require_callable(fn, "backward function")
    rng = np.random.default_rng(7)
    cases = [(1, 2, 3, 2), (5, 3, 4, 3), (8, 2, 5, 4)]
    hint = ("go back one layer at a time: δ2 = (softmax(Z2) - Y) / N, dW2 = A1.T @ δ2, db2 = δ2's "
            "column sums; δ1 = (δ2 @ W2.T) * (1 - A1**2), dW1 = X.T @ δ1, db1 = δ1's column sums.")
    for n, d, h, k in cases:
        X = rng.normal(size=(n, d))
        Y = np.eye(k)[rng.integers(k, size=n)]
        params = {"W1": rng.normal(size=(d, h)), "b1": rng.normal(size=h) * 0.1,
                  "W2": rng.normal(size=(h, k)), "b2": rng.normal(size=k) * 0.1}
        describe = f"a batch of {n}, {d} inputs, {h} hidden units, {k} classes"
        value = call(fn, X.copy(), Y.copy(), *(p.copy() for p in params.values()), describe=describe,
                     hint='return a dict {"W1": ..., "b1": ..., "W2": ..., "b2": ...}.')
        if not isinstance(value, dict) or set(value) != set(params):
            got = sorted(value) if isinstance(value, dict) else type(value).__name__
            raise Failure(f'for {describe} return a dict with the keys "W1", "b1", "W2", "b2"; got {got}.')
        variants = _two_layer_variants(X, Y, **params)
        for name in ("W2", "b2", "W1", "b1"):   # the order backpropagation finds them
            shape = params[name].shape
            diagnoses = [((shape[1], shape[0]), (f"d{name} is transposed: it has {name}'s shape, "
                                                f"{'A1' if name == 'W2' else 'X'}.T @ δ."))] if name[0] == "W" \
                else [((n,), f"d{name} summed over the wrong axis: sum over the batch (axis=0)."),
                      ((1, shape[0]), f"d{name} has an extra axis: it has {name}'s shape {shape}.")]
            array = _expect_shape(f"d{name}", value[name], shape, describe=describe, diagnoses=diagnoses)
            mistakes = [(variants[v][name], TWO_LAYER_DIAGNOSES[v]) for v in TWO_LAYER_DIAGNOSES]
            _expect_gradient(f"d{name}", array, variants["right"][name], describe=describe, hint=hint,
                             mistakes=mistakes)
    return len(cases)


def _row_nudges(f, x, h):
    """What nudging a whole row x[i] at a time gives: each row filled with the central
    difference along that row (the sum of its partial derivatives)."""
    rows = np.zeros_like(x)
    for i in range(len(x)):
        plus, minus = x.copy(), x.copy()
        plus[i] += h
        minus[i] -= h
        rows[i] = (f(plus) - f(minus)) / (2 * h)
    return rows


def _along(a, b):
    """True when the arrays point the same way (cosine above 0.99): an error shaped like
    another's, whatever its size."""
    a, b = np.ravel(a), np.ravel(b)
    norms = np.linalg.norm(a) * np.linalg.norm(b)
    return bool(norms > 0 and np.dot(a, b) / norms > 0.99)


@checker("check_numerical_gradient")
def check_numerical_gradient(fn):
    """Check ``fn(f, x, h=1e-6) -> array``: the gradient of the scalar function f at the
    array x by central differences, with x unchanged afterwards."""

    require_callable(fn, "function")
    cases = [
        (lambda x: float(np.sum(x ** 3)), np.array([1.0, -2.0, 0.5]), "f(x) = sum(x³), gradient 3x²"),
        (lambda x: float(np.exp(3 * x[0, 0]) + x[0, 1] * x[1, 0]), np.array([[1.0, 2.0], [-1.0, 0.5]]),
         "f(x) = e^(3 x₀₀) + x₀₁ x₁₀ on a 2x2 array"),
    ]
    exact = [lambda x: 3 * x ** 2,
             lambda x: np.array([[3 * np.exp(3 * x[0, 0]), x[1, 0]], [x[0, 1], 0.0]])]
    for (f, x, describe), gradient in zip(cases, exact):
        x_in = x.copy()
        value = call(fn, f, x_in, describe=describe, hint="return an array shaped like x.")
        if not np.array_equal(x_in, x):
            raise Failure(f"for {describe} your function left x changed ({short(x_in)} instead of "
                          f"{short(x)}).\n   Hint: nudge a copy of x, or put each entry back after its nudge.")
        array = _expect_shape("the gradient", value, x.shape, describe=describe)
        expected = gradient(x)
        h = 1e-6
        forward = np.zeros_like(x)
        for index in np.ndindex(x.shape):
            xp = x.copy()
            xp[index] += h
            forward[index] = (f(xp) - f(x)) / h
        one_sided = ("a one-sided difference (f(x + h) - f(x)) / h is off by about h f''/2; the "
                     "central difference (f(x + h) - f(x - h)) / 2h is far closer.")
        mistakes = [
            (2 * expected, "twice the slope: the two points x - h and x + h are 2h apart, divide by 2h."),
            (forward, one_sided),
            (np.zeros_like(x), "every entry is 0: f never saw the nudged x. Evaluate f on the nudged array."),
        ]
        if x.ndim > 1:
            mistakes.append((_row_nudges(f, x, h), (
                "each nudge moved a whole row: on a 2-D array x[i] is row i. Nudge one entry at a "
                "time, x[index] for index in np.ndindex(x.shape).")))
        error = rel_error(array, expected)
        if error < 1e-8:   # central differences are this close on these smooth functions
            continue
        for wrong, diagnosis in mistakes:
            if rel_error(array, wrong) < 1e-8:
                raise Failure(f"for {describe} your gradient is off (relative error {error:.2g}).\n"
                              f"   Hint: {diagnosis}")
        if _along(array - expected, forward - expected):   # a one-sided difference with another h
            raise Failure(f"for {describe} your gradient is off (relative error {error:.2g}).\n"
                          f"   Hint: {one_sided}")
        raise Failure(f"for {describe} expected {short(np.round(expected, 6))}, got "
                      f"{short(np.round(array, 6))}.\n   Hint: for each entry i: "
                      "(f(x + h eᵢ) - f(x - h eᵢ)) / (2h).")
    return len(cases)
