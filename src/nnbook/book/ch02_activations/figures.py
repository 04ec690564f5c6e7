"""Chapter 2, activation functions: the experiments over seeds, and the figures."""

import functools

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from nnbook import data, training, warp
from nnbook.activations import ACTIVATIONS
from nnbook.layers import Dense
from nnbook.losses import half_squared_error_gradient
from nnbook.plotting import (
    CLASS_COLOURS,
    CLASS_MARKERS,
    PALETTE,
    fast_axes,
    line_in_box,
    plot_points,
    static_axis_labels,
    subplots,
)
from nnbook.widgets import LiveFigure


def moons():
    """The chapter's two-moons data (the set ``warp.MOONS_NETWORK`` was fitted to)."""
    return data.moons(seed=0)


def circles():
    """The chapter's two-circles data (the set ``warp.CIRCLES_NETWORKS`` were fitted to)."""
    return data.circles(seed=0)


# --- Computations: the chapter's experiments over many seeds -----------------------------


def first_layer_share(seed, n_in=8, inputs="raw"):
    r"""The first layer's weight-gradient norm divided by the last layer's, in the network of
    ``training.vanishing_gradients`` (10 ReLU layers of 32 units, He initialisation, 64
    examples, half squared error against uniform targets), given ``n_in`` inputs that are
    standard normal (``"raw"``: mean 0) or ``"non-negative"`` like a ReLU layer's outputs,
    $\sqrt{2}\max(0, z)$ (mean square 1, as for the hidden layers' inputs).

    With n_in=8 and raw inputs this is ``vanishing_gradients(10, "relu", 32, seed)``'s
    first / last ratio.
    """
    if inputs not in ("raw", "non-negative"):
        raise ValueError(f"inputs must be 'raw' or 'non-negative'; got {inputs!r}")
    rng = np.random.default_rng(seed)   # the data; the network draws its weights from the same seed
    network = training.deep_network(10, "relu", 32, n_in=n_in, seed=seed)
    x = rng.normal(size=(64, n_in))
    if inputs == "non-negative":
        x = np.sqrt(2.0) * np.maximum(x, 0.0)
    norms = training.layer_gradient_norms(network, x, rng.uniform(size=(64, 32)))
    return float(norms[0] / norms[-1])


def layer_signals(activation, seed, depth=10, width=32):
    r"""What makes each Dense layer's weight gradient $\partial\mathcal{L}/\partial W^{[l]} =
    \mathbf{a}^{[l-1]\top} \boldsymbol{\delta}^{[l]}$, in the network of
    ``training.vanishing_gradients``: an array (3, depth), first layer first, of the norms of
    the layer's input $\mathbf{a}^{[l-1]}$ (the forward signal), of the backward signal
    $\boldsymbol{\delta}^{[l]} = \partial\mathcal{L}/\partial\mathbf{z}^{[l]}$, and of the
    weight gradient itself.
    """
    rng = np.random.default_rng(seed)
    network = training.deep_network(depth, activation, width, seed=seed)
    x, y = rng.normal(size=(64, 8)), rng.uniform(size=(64, width))
    inputs, h = [], x
    for layer in network.layers:
        if isinstance(layer, Dense):
            inputs.append(np.linalg.norm(h))
        h = layer.forward(h)
    grad, signals = half_squared_error_gradient(y, h), []
    for layer in reversed(network.layers):
        if isinstance(layer, Dense):
            signals.append(np.linalg.norm(grad))
        grad = layer.backward(grad)
    weights = [np.linalg.norm(layer.grads["W"]) for layer in network.layers if isinstance(layer, Dense)]
    return np.array([inputs, signals[::-1], weights])


def affine_test_gap(g, a, c):
    r"""Per row, how far ``g`` is from passing the affine test on the points a and c (N, D):
    $\max |g(a + c) - (g(a) + g(c) - g(0))|$. Every affine map gives 0 up to round-off."""
    zero = np.zeros_like(a)
    return np.max(np.abs(g(a + c) - (g(a) + g(c) - g(zero))), axis=-1)


# --- Figures -------------------------------------------------------------------------------


def plot_activations(activations, x=np.linspace(-5, 5, 1001)):
    """Each activation (solid) and its derivative (dashed) in a grid of small panels.

    activations: {name: record with ``function``, ``derivative``, ``output_range``}
    (see ``nnbook.activations.ACTIVATIONS``).
    """
    n = len(activations)
    cols = 2   # two columns: still readable when a phone shrinks the figure to its width
    rows = -(-n // cols)
    fig, axes = subplots(rows, cols, figsize=(3.6 * cols, 2.15 * rows), sharex=True)
    for ax, (name, act) in zip(np.ravel(axes), activations.items()):
        ax.axhline(0, color="black", lw=0.6)
        ax.axvline(0, color="black", lw=0.6)
        ax.plot(x, act.function(x), lw=2.2, color=PALETTE["blue"], label="f(x)")
        ax.plot(x, act.derivative(x), lw=1.8, ls="--", color=PALETTE["vermillion"], label="f′(x)")
        ax.set_title(f"{name}   range {act.output_range}", fontsize=10.5)
        ax.set_ylim(-2, 3)
    for ax in np.ravel(axes)[n:]:
        ax.set_axis_off()
    for ax in np.ravel(axes)[-cols:]:
        ax.set_xlabel("x")
    np.ravel(axes)[0].legend(loc="upper left", fontsize=9)
    fig.suptitle("Activation functions (solid) and their derivatives (dashed)")
    return fig


def plot_gradient_factors(depths, typical, norms):
    r"""Two different quantities on two axes: the product of slopes along one path (a
    simplification that leaves out the weights), and gradient norms measured in real networks.

    depths: (D,) depths 1, 2, ...; typical: {name: (D,) median product of slopes at each depth};
    norms: {name: (L,) measured $\lVert\partial\mathcal{L}/\partial W^{[l]}\rVert$, first layer first}.
    """
    # One above the other: each panel keeps the page's width, so a phone can still read it.
    fig, (ax_path, ax_net) = subplots(2, 1, figsize=(6.6, 7.4))
    styles = {"sigmoid": (PALETTE["vermillion"], "o"), "tanh": (PALETTE["blue"], "s"), "relu": (PALETTE["green"], "^")}
    for name, values in typical.items():
        colour, marker = styles.get(name, ("black", "x"))
        ax_path.plot(depths, values, marker=marker, ms=4, color=colour, label=f"{name}: median product")
    if "sigmoid" in typical:
        ax_path.plot(depths, 0.25 ** np.asarray(depths, dtype=float), ls="--", color=PALETTE["vermillion"],
                     label="sigmoid at its best: 0.25 per layer")
    ax_path.set(yscale="log", xlabel="depth (layers)", ylabel="product of slopes f′(z) (log scale)",
                title="Simplified: slopes only, one path, z ~ N(0, 1)")
    ax_path.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_path.legend(loc="lower left", fontsize=9)
    for name, values in norms.items():
        colour, marker = styles.get(name, ("black", "x"))
        values = np.asarray(values, dtype=float)
        layers = np.arange(1, len(values) + 1)
        ax_net.plot(layers, values / values[-1], marker=marker, ms=5, color=colour, label=name)
    ax_net.set(yscale="log", xlabel="layer (1 = nearest the input)",
               ylabel="‖∂L/∂W‖ ÷ last layer's (log scale)",
               title=f"Measured in a {len(values)}-layer network, weights included")
    ax_net.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_net.legend(loc="lower right", fontsize=9)
    return fig


#: The explorer's sliders reach these extremes; its axes are fixed to fit them (see below).
EXPLORER_MAX_SCALE = 5.0


class ActivationExplorer(LiveFigure):
    r"""One activation applied to $a x + c$, its slope, and where it is flat.

    The slope of $f(a x + c)$ with respect to $x$ is $a f'(a x + c)$. Inputs where that slope
    is below ``saturation`` times its largest possible value are shaded as flat: there a
    change of x hardly changes the output, and almost no gradient flows back. (For sigmoid
    and tanh the flat tails are saturation; ReLU's flat half is simply off.) The axes depend on the
    function only, not on the scale and shift, so moving a slider moves the curves against
    still axes, and only the shading, the curves and the titles are repainted.
    """

    rebuild_on = ("name", "saturation")

    def draw(self, name="sigmoid", scale=1.0, shift=0.0, saturation=0.05):
        self.act = ACTIVATIONS[name]
        self.name, self.saturation = name, saturation
        self.x = x = np.linspace(-6, 6, 601)
        self.peak = _peak_slope(name)
        bounded = name in ("step", "sigmoid", "tanh")
        fig, (ax_f, ax_d) = subplots(1, 2, figsize=(9.6, 3.6), layout=None)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.16, top=0.8, wspace=0.25)
        self.bands = []
        for ax in (ax_f, ax_d):
            ax.axhline(0, color="black", lw=0.6, zorder=1.7)
            ax.set_xlabel("input x")
            ax.set_xlim(x[0], x[-1])
            band = PolyCollection([], transform=ax.get_xaxis_transform(), facecolors=PALETTE["grey"],
                                  alpha=0.3, edgecolors="none")
            ax.add_collection(band, autolim=False)
            self.bands.append(band)
        (self.line_f,) = ax_f.plot([], [], color=PALETTE["blue"], lw=2.2, zorder=2)
        (self.line_d,) = ax_d.plot([], [], color=PALETTE["vermillion"], lw=2.2, zorder=2)
        ax_f.set_ylim(-1.2 if bounded else -2.0, 1.2 if bounded else 8.0)
        top = EXPLORER_MAX_SCALE * max(self.peak, 0.2)
        ax_d.set_ylim(-0.05 * top, 1.1 * top)
        ax_d.set_title("slope d output / dx")
        fig.legend(handles=[Patch(color=PALETTE["grey"], alpha=0.3,
                                  label=f"flat: slope < {saturation:.0%} of its peak")],
                   loc="upper right", fontsize=9, bbox_to_anchor=(0.99, 0.99))
        self.title = ax_f.set_title(" ")
        self.suptitle = fig.suptitle(" ", fontsize=12, x=0.07, ha="left")
        self.dynamic = [*self.bands, self.line_f, self.line_d, self.title, self.suptitle]
        return fig

    def update(self, name="sigmoid", scale=1.0, shift=0.0, saturation=0.05):
        x, act = self.x, self.act
        z = scale * x + shift
        slope = scale * act.derivative(z)
        threshold = self.saturation * abs(scale) * self.peak
        flat = np.abs(slope) < threshold if threshold > 0 else np.ones_like(x, dtype=bool)
        share = saturated_share(name, scale, shift, self.saturation)
        verts = _runs_as_bands(x, flat)
        for band in self.bands:
            band.set_verts(verts)
        self.line_f.set_data(x, act.function(z))
        self.line_d.set_data(x, slope)
        self.title.set_text(f"output {name}({scale:g}·x {'+' if shift >= 0 else '−'} {abs(shift):g})")
        self.suptitle.set_text(f"{share:.0%} of inputs x ~ N(0, 1) fall where {name} is flat")


def _runs_as_bands(x, flat):
    """Rectangles (in x data, y axes coordinates) covering the runs of ``flat`` samples of x."""
    half = (x[1] - x[0]) / 2
    padded = np.concatenate([[False], flat, [False]]).astype(np.int8)
    starts = np.flatnonzero(np.diff(padded) == 1)
    ends = np.flatnonzero(np.diff(padded) == -1) - 1
    verts = []
    for i, j in zip(starts, ends):
        lo, hi = max(x[i] - half, x[0]), min(x[j] + half, x[-1])
        verts.append([(lo, 0.0), (hi, 0.0), (hi, 1.0), (lo, 1.0)])
    return verts


@functools.cache
def _peak_slope(name):
    return float(np.max(ACTIVATIONS[name].derivative(np.linspace(-50, 50, 20001))))


def saturated_share(name, scale, shift, saturation=0.05):
    """The share of standard-normal inputs x where the slope of f(scale x + shift) is below
    ``saturation`` times its peak (a quantile grid: exact enough for a percentage)."""
    act = ACTIVATIONS[name]
    threshold = saturation * abs(scale) * _peak_slope(name)
    if threshold <= 0:
        return 1.0
    probes = _standard_normal_quantiles()
    return float(np.mean(np.abs(scale * act.derivative(scale * probes + shift)) < threshold))


def _standard_normal_quantiles(n=2001):
    from scipy.special import ndtri

    return ndtri((np.arange(n) + 0.5) / n)


class SpaceWarpFigure(LiveFigure):
    """The plane, its grid lines and the two moons, part-way through a network's stages.

    stage: 0 is the input; each layer adds three stages (linear map, shift, tanh);
    fractional values interpolate between stages. At the last stage the output neuron's
    line is drawn: the classes are now linearly separable. Each axis follows the data, so a
    stage that squeezes one direction stays readable; the grid lines show how the plane
    itself was stretched.
    """

    def draw(self, stage=0.0, network=None):
        self.network = network = warp.MOONS_NETWORK if network is None else network
        X, y = moons()
        self.last = 3 * len(network["layers"])
        ticks = np.linspace(-2, 2, 17)
        fine = np.linspace(-2, 2, 120)
        lines = [np.column_stack([np.full_like(fine, t), fine]) for t in ticks]
        lines += [np.column_stack([fine, np.full_like(fine, t)]) for t in ticks]
        self.grid_shape = (len(lines), len(fine), 2)
        self.point_states = warp.stage_points(X, network)
        self.grid_states = warp.stage_points(np.concatenate(lines), network)
        self.classes = [np.asarray(y) == cls for cls in (1, 0)]

        fig, ax = subplots(figsize=(6.4, 6.6), layout=None)
        fig.subplots_adjust(left=0.15, right=0.97, bottom=0.17, top=0.84)
        ax.grid(False)  # the moving grid lines are the grid
        self.grid = LineCollection([], colors=PALETTE["grey"], linewidths=0.7, alpha=0.7, zorder=1.6)
        ax.add_collection(self.grid, autolim=False)
        (self.boundary,) = ax.plot([], [], color="black", lw=2.5, zorder=2.5)
        self.scatters = [
            ax.scatter([], [], s=18, c=CLASS_COLOURS[1 - cls], marker=CLASS_MARKERS[1 - cls], edgecolors="black",
                       linewidths=0.8, zorder=3)
            for cls in (1, 0)
        ]
        ax.set(xlabel="first coordinate", ylabel="second coordinate")
        fast_axes(ax)
        static_axis_labels(ax)
        handles = [Line2D([], [], ls="none", marker=CLASS_MARKERS[1 - cls], mfc=CLASS_COLOURS[1 - cls], mec="black",
                          label=label) for cls, label in ((0, "moon A"), (1, "moon B"))]
        handles.append(Line2D([], [], color="black", lw=2.5, label="output neuron's line (last stage)"))
        fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=9, bbox_to_anchor=(0.56, 0.0))
        self.title = ax.set_title(" ", fontsize=10.5)
        steps = ["x"] + [s for k in range(len(network["layers"])) for s in (f"·W{k + 1}", f"+b{k + 1}", "tanh")]
        steps.append("line")
        # The row of steps stays grey in the background; two highlights (a white box with the
        # active step in bold) are moved over it, so a redraw repaints two texts, not eight.
        self.step_labels = steps
        self.step_places = [0.1 + 0.87 * k / (len(steps) - 1) for k in range(len(steps))]
        for place, label in zip(self.step_places, steps):
            fig.text(place, 0.93, label, ha="center", va="center", fontsize=11, color=PALETTE["grey"])
        self.highlights = [fig.text(0, 0.93, " ", ha="center", va="center", fontsize=11, fontweight="bold",
                                    color=PALETTE["vermillion"], bbox=dict(boxstyle="square,pad=0.15", fc="white",
                                                                           ec="none"))
                           for _ in range(2)]
        self.ax = ax
        self.dynamic = [self.grid, self.boundary, *self.scatters, self.title, ax.xaxis, ax.yaxis, *self.highlights]
        return fig

    def update(self, stage=0.0, network=None):
        last = self.last
        stage = float(np.clip(stage, 0, last))
        points = warp.interpolate_stages(self.point_states, stage)
        grid = warp.interpolate_stages(self.grid_states, stage).reshape(self.grid_shape)
        self.grid.set_segments(list(grid))
        for scatter, mask in zip(self.scatters, self.classes):
            scatter.set_offsets(points[mask])
        lo, hi = points.min(axis=0), points.max(axis=0)
        pad = np.maximum((hi - lo) * 0.08, 0.05)
        self.ax.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
        self.ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])
        at_end = stage >= last - 1e-9
        self.boundary.set_visible(False)
        if at_end:
            w, b = self.network["output"]
            box_lo, box_hi = lo - 0.15, hi + 0.15
            size = box_hi - box_lo
            ends = line_in_box(w[0] * size[0], w[1] * size[1], b + w @ box_lo, 0.0, 1.0)
            if ends is not None:
                self.boundary.set_data(box_lo[0] + np.array(ends[0]) * size[0], box_lo[1] + np.array(ends[1]) * size[1])
                self.boundary.set_visible(True)
        here = int(np.floor(stage)) if stage < last else last
        frac = stage - here
        heading = (warp.stage_name(here, self.network) if frac < 1e-9 else
                   f"from {warp.stage_name(here, self.network)} to {warp.stage_name(here + 1, self.network)}")
        self.title.set_text(f"stage {stage:.2f} of {last}: {heading}")
        active = [min(here, len(self.step_labels) - 2)] + ([len(self.step_labels) - 1] if at_end else [])
        for highlight, k in zip(self.highlights, active + [None]):
            highlight.set_visible(k is not None)
            if k is not None:
                highlight.set_text(self.step_labels[k])
                highlight.set_x(self.step_places[k])


def plot_space_warp(stage=0.0, network=None):
    """The plane, its grid lines and the moons after ``stage`` stages (see ``SpaceWarpFigure``)."""
    return SpaceWarpFigure.plot(stage=stage, network=network)


#: A 2-unit tanh layer with an invertible weight matrix (det 2.62), weights small enough that
#: the image is not squashed into the corners: it shows what every such layer does to rings.
TWO_UNIT_LAYER = (np.array([[1.6, 0.6], [-0.9, 1.3]]), np.array([0.3, -0.2]))


def _ring(radius, n=361):
    angle = np.linspace(0, 2 * np.pi, n)
    return radius * np.column_stack([np.cos(angle), np.sin(angle)])


def _plane_in_box(w, b, lo, hi):
    """The polygon where the plane w . h + b = 0 cuts the box [lo, hi] (3-D; corners in order)."""
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])
    points = []
    for a in range(8):
        for c in range(a + 1, 8):
            p, q = corners[a], corners[c]
            if np.count_nonzero(p != q) != 1:
                continue  # not an edge of the box
            fp, fq = w @ p + b, w @ q + b
            if fp * fq < 0:
                points.append(p + fp / (fp - fq) * (q - p))
    if len(points) < 3:
        return None
    points = np.array(points)
    centre = points.mean(axis=0)
    normal = w / np.linalg.norm(w)
    u = np.cross(normal, [1.0, 0.0, 0.0] if abs(normal[0]) < 0.9 else [0.0, 1.0, 0.0])
    u /= np.linalg.norm(u)
    v = np.cross(normal, u)
    order = np.argsort(np.arctan2((points - centre) @ v, (points - centre) @ u))
    return points[order]


def plot_circles_lifted(layer=None, network=None):
    """Circles through one tanh layer: 2 units cannot untangle them, 3 units can.

    Left: the input, with the two rings the points lie on. Middle: a 2-unit tanh layer with
    an invertible weight matrix (``layer`` = (W, b), default ``TWO_UNIT_LAYER``): it bends
    the plane without tearing or folding it, so the outer ring's image still encloses the
    inner ring's. Right: a fitted 3-unit layer (``network``, default
    ``warp.CIRCLES_NETWORKS[3]``) lifts the points into 3-D, where the output neuron's plane
    separates them.
    """
    W2, b2 = TWO_UNIT_LAYER if layer is None else layer
    network = warp.CIRCLES_NETWORKS[3] if network is None else network
    X, y = circles()
    y = np.asarray(y)
    outer, inner = _ring(1.0), _ring(0.4)
    # Two flat panels above, the 3-D one below: each keeps about the page's width on a phone.
    fig = Figure(figsize=(7.4, 9.6))
    ax_in = fig.add_axes((0.1, 0.655, 0.36, 0.28))
    ax_two = fig.add_axes((0.59, 0.655, 0.36, 0.28))
    ax_three = fig.add_axes((0.0, -0.03, 1.0, 0.59), projection="3d")

    def rings_and_points(ax, transform):
        for ring, colour in ((outer, CLASS_COLOURS[1]), (inner, CLASS_COLOURS[0])):
            ax.plot(*transform(ring).T, color=colour, lw=1.4, zorder=2)
        plot_points(transform(X), y, ax, size=16)
        ax.set_aspect("equal")

    rings_and_points(ax_in, lambda P: P)
    ax_in.set(xlim=(-1.25, 1.25), ylim=(-1.25, 1.25))
    ax_in.set_title("input: no line separates them", fontsize=11)
    rings_and_points(ax_two, lambda P: np.tanh(P @ W2 + b2))
    ax_two.plot([-1, 1, 1, -1, -1], [-1, -1, 1, 1, -1], color="black", lw=0.8, ls=":", zorder=1)
    ax_two.set(xlim=(-1.08, 1.08), ylim=(-1.08, 1.08), xlabel="unit 1", ylabel="unit 2")
    ax_two.set_title("2 tanh units: the outer ring's\nimage still encloses the inner one", fontsize=11)
    handles = [Line2D([], [], ls="none", marker=CLASS_MARKERS[1], mfc=CLASS_COLOURS[1], mec="black",
                      label="outer points"),
               Line2D([], [], ls="none", marker=CLASS_MARKERS[0], mfc=CLASS_COLOURS[0], mec="black",
                      label="inner points"),
               Line2D([], [], color=CLASS_COLOURS[1], lw=1.4, label="the ring r = 1 (and its image)"),
               Line2D([], [], color=CLASS_COLOURS[0], lw=1.4, label="the ring r = 0.4 (and its image)")]
    fig.legend(handles=handles, loc="center", ncol=2, fontsize=9, bbox_to_anchor=(0.5, 0.575))

    hidden = warp.stage_points(X, network)[-1]
    w, b = network["output"]
    w = np.asarray(w, dtype=float)
    for cls in (0, 1):
        mask = y == cls
        ax_three.scatter(*hidden[mask].T, s=14, c=CLASS_COLOURS[1 - cls], marker=CLASS_MARKERS[1 - cls],
                         edgecolors="black", linewidths=0.4, depthshade=False)
    lo, hi = hidden.min(axis=0) - 0.05, hidden.max(axis=0) + 0.05
    polygon = _plane_in_box(w, float(b), lo, hi)
    if polygon is not None:
        ax_three.plot_trisurf(*polygon.T, color=PALETTE["sky"], alpha=0.4, linewidth=0, shade=False)
        ax_three.plot(*np.vstack([polygon, polygon[:1]]).T, color=PALETTE["blue"], lw=1.5)
    accuracy = float(np.mean((hidden @ w + b > 0) == (y == 1)))
    ax_three.set(xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]), zlim=(lo[2], hi[2]))
    for axis, label in ((ax_three.xaxis, "unit 1"), (ax_three.yaxis, "unit 2"), (ax_three.zaxis, "unit 3")):
        axis.set_major_locator(MaxNLocator(4))
        axis.set_label_text(label)
        axis.labelpad = 0
    ax_three.tick_params(labelsize=8, pad=0)
    ax_three.set_title(f"3 tanh units: in 3-D a plane separates them ({accuracy:.0%})", fontsize=11, y=0.98)
    ax_three.view_init(elev=16, azim=60)
    ax_three.set_box_aspect(None, zoom=0.97)
    return fig


