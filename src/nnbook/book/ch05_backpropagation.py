"""Chapter 5, backpropagation: its figures, then its demos, then its exercise checkers."""

import functools

import matplotlib as mpl
import numpy as np
from matplotlib.patches import FancyArrowPatch

from nnbook.activations import sigmoid
from nnbook.autodiff import graph
from nnbook.checks import Failure, as_array, call, checker, require_callable, short
from nnbook.gradcheck import forward_passes, numerical_gradient, rel_error
from nnbook.losses import binary_cross_entropy_from_logits
from nnbook.plotting import CLASS_COLOURS, PALETTE, new_axes, plot_points, subplots
from nnbook.training import fit, mlp, vanishing_gradients, XOR_X, XOR_Y
from nnbook.widgets import Demo, Slider


# --- Figures -------------------------------------------------------------------------------


# --- Chapter 5: backpropagation -------------------------------------------------------------


def plot_value_graph(output, ax=None, *, title=None, show_grad=True):
    """The computational graph behind an ``autodiff.Value``: a box per value (its label or
    operation, its data and, after ``backward``, its gradient), arrows from inputs to results."""

    nodes, edges = graph(output)
    depth = [0] * len(nodes)
    for parent, child in sorted(edges, key=lambda e: e[1]):
        depth[child] = max(depth[child], depth[parent] + 1)
    columns = {}
    for k, d in enumerate(depth):
        columns.setdefault(d, []).append(k)
    tallest = max(len(c) for c in columns.values())
    fig, ax = new_axes(ax, figsize=(1.05 * (max(depth) + 1) + 0.4, 0.8 * tallest + 0.8))
    position = {}
    for d, members in columns.items():
        for slot, k in enumerate(members):
            position[k] = (d, (len(members) - 1) / 2 - slot)
    for parent, child in edges:
        ax.add_patch(FancyArrowPatch(position[parent], position[child], arrowstyle="-|>",
                                     mutation_scale=10, shrinkA=26, shrinkB=26,
                                     color=PALETTE["grey"], lw=1))
    for k, node in enumerate(nodes):
        name = node.label or node.op or "const"
        text = f"{name}\n{node.data:.4g}" + (f"\n∂={node.grad:.3g}" if show_grad else "")
        colour = PALETTE["sky"] if not node._parents else PALETTE["orange"]  # noqa: SLF001
        if k == len(nodes) - 1:
            colour = PALETTE["green"]
        x, y = position[k]
        ax.text(x, y, text, ha="center", va="center", fontsize=8.5, linespacing=1.15,
                bbox=dict(boxstyle="round,pad=0.3", fc=mpl.colors.to_rgba(colour, 0.35), ec=colour))
    ax.set_xlim(-0.6, max(depth) + 0.6)
    ax.set_ylim(-tallest / 2 - 0.1, tallest / 2 + 0.1)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig


def plot_gradient_cost(n_params, seconds=None):
    """Forward passes for one gradient, finite differences vs backpropagation, against the
    number of parameters (log-log); with ``seconds`` = {method: [seconds per n]} a second
    panel shows measured times."""

    n_params = np.asarray(n_params)
    panels = 2 if seconds else 1
    fig, axes = subplots(1, panels, figsize=(4.6 * panels + 0.6, 3.6), squeeze=False)
    colours = {"finite differences": PALETTE["vermillion"], "backpropagation": PALETTE["blue"]}
    ax = axes[0, 0]
    for method, colour in colours.items():
        ax.plot(n_params, [forward_passes(n, method) for n in n_params], "o-", color=colour,
                label=method)
    ax.set(xscale="log", yscale="log", xlabel="parameters", ylabel="passes per gradient",
           title="Cost counted in passes")
    ax.legend()
    if seconds:
        ax = axes[0, 1]
        for method, colour in colours.items():
            ax.plot(n_params, seconds[method], "o-", color=colour, label=method)
        ax.set(xscale="log", yscale="log", xlabel="parameters", ylabel="seconds per gradient",
               title="Cost measured on this machine")
        ax.legend()
    return fig


XOR_DEMO_EPOCHS = 1000


@functools.lru_cache(maxsize=32)   # one training run per setting, then replayed
def xor_run(hidden, learning_rate, seed):
    """Train a 2-hidden-1 tanh network on XOR; keep its weights after every epoch."""

    net = mlp([2, hidden, 1], "tanh", seed=seed)
    snapshots = [[p.copy() for _, p, _ in net.parameters()]]
    history = fit(net, XOR_X, XOR_Y, loss="binary_cross_entropy_from_logits",
                  learning_rate=learning_rate, epochs=XOR_DEMO_EPOCHS,
                  callback=lambda epoch, n: snapshots.append([p.copy() for _, p, _ in n.parameters()]))
    return net, snapshots, history.loss


def xor_network_at(epoch, hidden, learning_rate, seed):
    """The XOR demo's network with its weights after ``epoch`` epochs, and the run's losses."""
    net, snapshots, losses = xor_run(hidden, learning_rate, seed)
    for (_, param, _), saved in zip(net.parameters(), snapshots[epoch]):
        param[...] = saved
    return net, losses


def xor_state(epoch, hidden, learning_rate, seed):
    """(rows right out of 4, mean cross-entropy) of the XOR demo's network after ``epoch`` epochs."""
    net, _ = xor_network_at(epoch, hidden, learning_rate, seed)
    scores = net.forward(XOR_X)
    correct = int(np.sum((scores[:, 0] > 0) == (XOR_Y[:, 0] > 0.5)))
    return correct, float(binary_cross_entropy_from_logits(XOR_Y, scores))


def plot_xor_training(epoch=XOR_DEMO_EPOCHS, hidden=2, learning_rate=0.5, seed=0):
    """XOR learned by backpropagation: the decision regions of a 2-``hidden``-1 tanh network
    after ``epoch`` epochs of full-batch gradient descent (left), and the loss (right)."""

    hidden, epoch, seed = int(hidden), int(epoch), int(seed)
    net, losses = xor_network_at(epoch, hidden, float(learning_rate), seed)
    grid = np.linspace(-0.5, 1.5, 81)
    gx, gy = np.meshgrid(grid, grid)
    p = sigmoid(net.forward(np.column_stack([gx.ravel(), gy.ravel()]))).reshape(gx.shape)
    scores = net.forward(XOR_X)[:, 0]
    correct = int(np.sum((scores > 0) == (XOR_Y[:, 0] > 0.5)))
    fig, (ax, ax_loss) = subplots(1, 2, figsize=(9, 4), layout=None,
                                  gridspec_kw={"width_ratios": [1, 1.15]})
    fig.subplots_adjust(left=0.07, right=0.97, top=0.8, bottom=0.14, wspace=0.3)
    cmap = mpl.colors.LinearSegmentedColormap.from_list(
        "nnbook_xor", [CLASS_COLOURS[1], "#FFFFFF", CLASS_COLOURS[0]])   # class 0 blue, 1 orange
    ax.contourf(gx, gy, p, levels=np.linspace(0, 1, 11), cmap=cmap, alpha=0.45)
    ax.contour(gx, gy, p, levels=[0.5], colors=PALETTE["black"], linewidths=1.5)
    plot_points(XOR_X, XOR_Y[:, 0].astype(int), ax)
    ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), aspect="equal", xlabel="$x_1$", ylabel="$x_2$",
           title=f"{correct}/4 right")
    epochs = np.arange(1, len(losses) + 1)
    ax_loss.plot(epochs, losses, color=PALETTE["blue"])
    if epoch > 0:
        ax_loss.plot([epoch], [losses[epoch - 1]], "o", color=PALETTE["vermillion"])
    ax_loss.set(ylim=(0, max(0.8, max(losses[:1]) * 1.05)), xlabel="epoch",
                ylabel="loss (mean cross-entropy)",
                title=f"loss {losses[epoch - 1]:.3g} at epoch {epoch}" if epoch else
                "loss over the run (epoch 0: the start)")
    fig.suptitle(f"Epoch {epoch}: 2-{hidden}-1 tanh network, learning rate {learning_rate:.3g}, "
                 f"seed {seed}")
    return fig


def plot_vanishing_gradients(depth=10, width=32, seed=0):
    """The gradient norm ‖∂L/∂W‖ of each layer of a deep sigmoid network and a deep ReLU
    network (same data, same widths), first layer on the left, on a log scale."""

    depth, width = int(depth), int(width)
    fig, ax = subplots(figsize=(7.5, 4))
    layers = np.arange(1, depth + 1)
    ratios = {}
    for name, colour in (("sigmoid", PALETTE["vermillion"]), ("relu", PALETTE["blue"])):
        norms = vanishing_gradients(depth, name, width, seed)
        ratios[name] = norms[0] / norms[-1]
        ax.plot(layers, norms, "o-", color=colour, label=f"{name}: first / last = {ratios[name]:.1e}")
    ax.set(yscale="log", xlabel="layer (1 = nearest the input)", ylabel="‖∂L/∂W‖",
           title=f"{depth} layers of {width} units: gradient norm per layer")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.legend(loc="lower right")
    return fig


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
    return Demo(plot_xor_training, controls, grid=grid, caption=xor_caption, training=True,
                alt="Left: the XOR points and the regions where a small tanh network predicts "
                    "class 0 (blue) or 1 (orange), with the 0.5 boundary in black; right: the "
                    "training loss against epochs, the current epoch marked.")


def vanishing_gradients_demo():
    """Chapter 5: slide the depth; watch the first layers' gradients vanish in a sigmoid net."""

    controls = {
        "depth": Slider(2, 30, 10, step=1, description="layers"),
        "width": Slider(4, 64, 32, step=4, description="units per layer"),
    }
    grid = {"depth": [2, 5, 10, 20, 30], "width": [8, 32, 64]}
    return Demo(plot_vanishing_gradients, controls, grid=grid, training=True,
                alt="The norm of the weight gradient of each layer, first layer on the left, on a "
                    "log scale, for a deep sigmoid network and a deep ReLU network: the sigmoid "
                    "line falls by orders of magnitude toward the input, the ReLU line stays level.")


def xor_caption(epoch, hidden, learning_rate, seed):
    """A frame's caption: how many XOR rows the network gets right at this epoch."""
    correct, loss = xor_state(int(epoch), int(hidden), float(learning_rate), int(seed))
    return f"Epoch {epoch}, {hidden} hidden units, seed {seed}: {correct}/4 right, loss {loss:.3f}."


#: Every demo of this chapter, by name (the tests sweep each).
DEMOS = {"xor_training": xor_training_demo, "vanishing_gradients": vanishing_gradients_demo}


# --- Exercise checkers ---------------------------------------------------------------------


def expect_gradient(name, value, numeric, *, describe, hint, tol=1e-6):
    """Raise ``Failure`` unless ``value`` matches its finite-difference estimate ``numeric``."""
    array = as_array(value)
    if array is None or array.shape != numeric.shape:
        got = f"shape {array.shape}" if array is not None else short(value)
        raise Failure(f"for {describe}, {name} should have shape {numeric.shape}; got {got}.\n   Hint: {hint}")
    error = rel_error(array, numeric)
    if not error < tol:
        raise Failure(f"for {describe}, {name} disagrees with finite differences (relative error "
                      f"{error:.2g}; a right gradient gives < 1e-6).\n   Hint: {hint}")


@checker("check_dense_backward")
def check_dense_backward(fn):
    """Check ``fn(x, W, b, grad_out) -> (dx, dW, db)``, a dense layer's backward pass.

    Each of dx, dW and db is checked on its own against central finite differences of
    sum((x @ W + b) * grad_out), so a failure names the gradient that is wrong.
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
        value = call(fn, x.copy(), W.copy(), b.copy(), g.copy(), describe=describe,
                     hint="return the three gradients (dx, dW, db).")
        if not isinstance(value, (tuple, list)) or len(value) != 3:
            raise Failure(f"for {describe} return a tuple (dx, dW, db); got "
                                             f"{short(value)}.")

        def loss():
            return np.sum((x @ W + b) * g)

        numeric = {"dx": numerical_gradient(loss, x), "dW": numerical_gradient(loss, W),
                   "db": numerical_gradient(loss, b)}
        for name, got in zip(("dx", "dW", "db"), value):
            expect_gradient(name, got, numeric[name], describe=describe, hint=hints[name])
    return len(cases)


@checker("check_sigmoid_backward")
def check_sigmoid_backward(fn):
    """Check ``fn(x, grad_out) -> dx`` for the sigmoid layer: dx = grad_out * s (1 - s)."""

    require_callable(fn, "backward function")
    rng = np.random.default_rng(6)
    hint = ("the chain rule multiplies grad_out elementwise by the local slope "
            "σ'(x) = σ(x)(1 - σ(x)), with σ(x) computed from the input x.")
    cases = [rng.normal(size=(1, 3)), rng.normal(size=(4, 2)) * 3, np.array([[0.0, 10.0, -10.0]])]
    for x in cases:
        g = rng.normal(size=x.shape)
        describe = f"x of shape {x.shape}" + (" with large inputs" if np.abs(x).max() >= 10 else "")
        value = call(fn, x.copy(), g.copy(), describe=describe, hint=hint)
        numeric = numerical_gradient(lambda: np.sum(sigmoid(x) * g), x)
        expect_gradient("dx", value, numeric, describe=describe, hint=hint)
    return len(cases)
