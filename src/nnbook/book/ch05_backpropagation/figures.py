"""Chapter 5, backpropagation: its figures and the computations the chapter shows."""

import functools
import itertools
import math

import matplotlib as mpl
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import FancyArrowPatch

from nnbook import gradcheck
from nnbook.activations import sigmoid
from nnbook.autodiff import graph
from nnbook.data import xor
from nnbook.gradcheck import forward_passes
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
from nnbook.widgets import LiveFigure

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


#: Where a trapped XOR run's loss is heading: two points settled, two at one half.
TRAP_LOSS = math.log(2) / 2


def plot_trap(losses, weight_norms, *, limit=TRAP_LOSS):
    """A trapped run (not a plateau it will leave): the loss per epoch approaching ``limit``
    from above (top) and the length of the parameter vector per epoch (below), epochs on a
    log scale."""
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




def xor_over_seeds(hidden_sizes=(2, 3, 4), seeds=range(10), learning_rate=0.5, epochs=XOR_DEMO_EPOCHS):
    """XOR trained from several random starts (the demo's runs, ``xor_run``): {hidden units:
    [points right out of 4 after ``epochs`` epochs, one per seed]}."""
    return {int(hidden): [xor_correct(hidden, learning_rate, seed, epochs) for seed in seeds]
            for hidden in hidden_sizes}


def xor_correct(hidden, learning_rate, seed, epochs=XOR_DEMO_EPOCHS):
    """Points right out of 4 at the end of an XOR run of ``epochs`` epochs."""
    extra = () if int(epochs) == XOR_DEMO_EPOCHS else (int(epochs),)   # the demo's cached runs
    weights, _ = xor_run(int(hidden), float(learning_rate), int(seed), *extra)
    scores = xor_scores(xor_weights(weights, epochs), XOR_X)
    return int(np.sum((scores > 0) == (XOR_Y[:, 0] > 0.5)))


def xor_hidden_outputs(weights, epoch):
    """The XOR network's hidden outputs tanh(X W1 + b1) for the four points, after ``epoch``
    epochs of a run's ``weights``: (4, hidden)."""
    W1, b1, _, _ = xor_weights(weights, epoch)
    return np.tanh(XOR_X @ W1 + b1)


def dead_relu_depths(seeds=range(6), width=4, depths=range(2, 31)):
    """For each seed, the depths (of ``depths``) at which ``training.vanishing_gradients``'s
    ReLU network of ``width`` units per layer is dead: every gradient exactly 0.
    {seed: [depth, ...]} (an empty list: never dead in that range)."""
    return {int(seed): [int(d) for d in depths
                        if not np.any(vanishing_gradients(int(d), "relu", int(width), int(seed)))]
            for seed in seeds}


def unstable_window(w):
    r"""Nielsen's unstable-gradient window: the width of the set of inputs a for which a
    sigmoid unit's factor $|w\,\sigma'(wa + b)|$ is at least 1 (the same for every b).

    $\sigma' \le 1/4$, so the set is empty for $|w| \le 4$; above, it is
    $\frac{2}{|w|}\ln\bigl(\frac{|w|(1 + \sqrt{1 - 4/|w|})}{2} - 1\bigr)$ wide.
    """
    w = np.abs(np.asarray(w, dtype=float))
    with np.errstate(invalid="ignore", divide="ignore"):
        root = np.sqrt(1 - 4 / w)
        width = 2 / w * np.log(w * (1 + root) / 2 - 1)
    return np.where(w > 4, width, 0.0)
