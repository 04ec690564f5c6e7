"""Chapter 8: the digits CNN: its data, its training (with the filters saved every epoch), the
MLP it is compared with, and what it learned (shifted digits, effective receptive fields).

Every run is a plain function of its seed, cached, so the page, the demos and the tests
share one trained network per seed:

    run = train_cnn(seed=0)        # about a second on one BLAS thread
    run.network, run.history, run.snapshots, run.test_accuracy
"""

import functools
import math
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from threadpoolctl import threadpool_limits

from nnbook import data, optim, training
from nnbook._validate import as_rng
from nnbook.conv import Conv2D, Flatten, MaxPool2D
from nnbook.layers import Dense, ReLU, Sequential
from nnbook.plotting import PALETTE
from nnbook.widgets import Demo, LiveFigure, Slider

# --- The data ----------------------------------------------------------------------------------

#: The split: a quarter of each class for testing (stratified, seeded); the rest trains.
DIGITS_SPLIT = {"test": 0.25, "seed": 0}


@dataclass(frozen=True)
class DigitImages:
    """The digits as images (N, 1, 8, 8), standardised with the training pixels' mean and
    standard deviation (one number each, so an image stays an image)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    mean: float
    std: float

    def standardise(self, raw):
        """Raw pixels (0 to 16, any shape) on the network's scale."""
        return (np.asarray(raw, dtype=np.float64) - self.mean) / self.std


@functools.lru_cache(maxsize=1)
def digit_images():
    """scikit-learn's 1,797 digits (8x8, bundled, no download), split 75/25 by class."""
    images, labels = data.digits()
    (x_train, y_train), _, (x_test, y_test) = training.split(
        images, labels, validation=0.0, test=DIGITS_SPLIT["test"], seed=DIGITS_SPLIT["seed"])
    mean, std = float(x_train.mean()), float(x_train.std())
    scale = lambda x: ((x - mean) / std)[:, None]  # noqa: E731 -- (N, 8, 8) -> (N, 1, 8, 8)
    return DigitImages(scale(x_train), y_train, scale(x_test), y_test, mean, std)


@contextmanager
def one_thread():
    """Run the block with one BLAS thread: the im2col products of a small CNN are small, and
    on a 2-core machine two threads made an epoch 3 to 6 times slower (measured)."""
    with threadpool_limits(limits=1):
        yield


# --- The networks ------------------------------------------------------------------------------

#: How both networks are trained: Adam with a cosine schedule per update, mini-batches of 32.
TRAINING = {"learning_rate": 0.03, "batch_size": 32, "epochs": 15}
#: Chapter 7's digits network: 64 pixels, 64 ReLU units, 10 class scores.
MLP_SIZES = (64, 64, 10)


def digits_cnn(seed=0):
    """conv 3x3 (16 filters, padding 1) -> ReLU -> max-pool 2 -> flatten -> dense 10.

    (N, 1, 8, 8) -> (N, 16, 8, 8) -> (N, 16, 4, 4) -> (N, 256) -> (N, 10) class scores.
    Both layers draw their starting weights from one generator seeded with ``seed``."""
    rng = as_rng(seed)
    return Sequential([Conv2D(1, 16, 3, padding=1, seed=rng), ReLU(), MaxPool2D(2), Flatten(),
                       Dense(16 * 4 * 4, 10, seed=rng)])


def digits_mlp(seed=0):
    """Chapter 7's network, 64-64-10 with ReLU, on the same pixels as vectors."""
    return training.mlp(MLP_SIZES, activation="relu", seed=seed)


@dataclass
class Run:
    """One training run: the trained network, its history (loss, accuracy and test accuracy
    per epoch), the first layer's filters after every epoch (``snapshots[0]``: at the start),
    and the test accuracy at the end."""

    network: Sequential
    history: training.History
    snapshots: np.ndarray
    test_accuracy: float


def accuracy(network, x, y):
    """The fraction of examples whose largest class score is the right class."""
    return float(np.mean(network.forward(x).argmax(axis=1) == y))


def _train(network, x_train, x_test, seed, callback=None):
    data = digit_images()
    rate, batch, epochs = TRAINING["learning_rate"], TRAINING["batch_size"], TRAINING["epochs"]
    steps = epochs * math.ceil(len(x_train) / batch)
    with one_thread():
        history = training.fit(
            network, x_train, data.y_train, loss="softmax_cross_entropy", optimizer=optim.Adam(rate),
            schedule=lambda t: optim.cosine(t, initial=rate, total=steps), epochs=epochs,
            batch_size=batch, seed=seed, validation=(x_test, data.y_test), metrics=["accuracy"],
            callback=callback)
        test_accuracy = accuracy(network, x_test, data.y_test)
    return history, test_accuracy


@functools.lru_cache(maxsize=8)
def train_cnn(seed=0):
    """Train ``digits_cnn(seed)`` on the digits (``TRAINING``; shuffling seeded with ``seed``).

    Cached: the page, its demos and the tests share one run per seed (the network is the
    cached object itself: train a copy if you want to change it)."""
    data = digit_images()
    network = digits_cnn(seed)
    snapshots = [network[0].params["W"].copy()]

    def keep_filters(epoch, net, history):
        snapshots.append(net[0].params["W"].copy())

    history, test_accuracy = _train(network, data.x_train, data.x_test, seed, keep_filters)
    return Run(network, history, np.array(snapshots), test_accuracy)


@functools.lru_cache(maxsize=8)
def train_mlp(seed=0):
    """Train ``digits_mlp(seed)`` exactly as ``train_cnn`` trains the CNN, on flat pixels."""
    data = digit_images()
    network = digits_mlp(seed)
    history, test_accuracy = _train(network, data.x_train.reshape(-1, 64), data.x_test.reshape(-1, 64), seed)
    return Run(network, history, np.empty(0), test_accuracy)


def flops_per_image(network, input_shape=(1, 8, 8)):
    """Multiply-adds of one image's forward pass through the conv and dense layers:
    a convolution makes C kh kw of them per output value, a dense layer n_in per output."""
    total, shape = 0, tuple(input_shape)
    for layer in network.layers:
        out = layer.output_shape(shape)
        if isinstance(layer, Conv2D):
            kh, kw = layer.kernel_size
            total += int(np.prod(out)) * layer.in_channels * kh * kw
        elif isinstance(layer, Dense):
            total += layer.params["W"].size
        shape = out
    return total


# --- Shifted digits ------------------------------------------------------------------------------

#: One-pixel shifts (rows down, columns right) of the robustness test.
SHIFTS = ((0, 1), (0, -1), (1, 0), (-1, 0))


def shift_images(x, rows, columns, fill):
    """Images (N, ..., H, W) moved ``rows`` down and ``columns`` right; what comes in is
    ``fill`` (the background: the standardised 0)."""
    x = np.asarray(x)
    out = np.full_like(x, fill)
    h, w = x.shape[-2:]
    src_r, dst_r = slice(max(-rows, 0), h - max(rows, 0)), slice(max(rows, 0), h - max(-rows, 0))
    src_c, dst_c = slice(max(-columns, 0), w - max(columns, 0)), slice(max(columns, 0), w - max(-columns, 0))
    out[..., dst_r, dst_c] = x[..., src_r, src_c]
    return out


def shifted_accuracy(network, shifts=SHIFTS, flat=False):
    """Test accuracy on the test digits shifted by each of ``shifts``: {shift: accuracy}."""
    data = digit_images()
    background = data.standardise(0.0)
    results = {}
    with one_thread():
        for rows, columns in shifts:
            x = shift_images(data.x_test, rows, columns, background)
            results[(rows, columns)] = accuracy(network, x.reshape(len(x), -1) if flat else x, data.y_test)
    return results


# --- Effective receptive fields -------------------------------------------------------------------


def unit_gradient(layers, x, unit):
    """The gradient of one unit of the last of ``layers`` (a list of layers, run in order) with
    respect to the input, for every image of ``x``: (N, *x.shape[1:]).

    unit: the unit's index in one example's output (e.g. (filter, row, column)), or an array
    of class labels (N,): each image's score for its own class."""
    out = x
    for layer in layers:
        out = layer.forward(out)
    grad = np.zeros_like(out)
    if isinstance(unit, np.ndarray):
        grad[np.arange(len(out)), unit] = 1.0
    else:
        grad[(slice(None), *unit)] = 1.0
    for layer in reversed(layers):
        grad = layer.backward(grad)
    return grad


def effective_field(run, unit, depth):
    """The mean |gradient| over the test images (and, for a feature map, over its filters) of
    one unit after the first ``depth`` layers of the trained network: (8, 8), summing to 1.

    unit: (row, column) of a feature map (depth 3: after the pooling), or "label": each test
    image's score for its own class (depth 5: the whole network)."""
    layers = run.network.layers[:depth]
    data = digit_images()
    x = data.x_test
    total = np.zeros(x.shape[-2:])
    units = [data.y_test] if unit == "label" else [(f, *unit) for f in range(layers[0].out_channels)]
    with one_thread():
        for one in units:
            total += np.abs(unit_gradient(layers, x, one)).sum(axis=(0, 1))
    return total / total.sum()


def theoretical_field(unit, size=8):
    """Which input pixels can reach pooled unit (row, column) of the digits CNN: a boolean
    (size, size) mask. The pooling window covers conv outputs 2i and 2i + 1, each of which
    sees rows 2i - 1 to 2i + 2 of the input (3x3 kernel, padding 1): four rows, four columns,
    less what falls on the padding."""
    mask = np.zeros((size, size), dtype=bool)
    (i, j) = unit
    mask[max(2 * i - 1, 0):2 * i + 3, max(2 * j - 1, 0):2 * j + 3] = True
    return mask


# --- The filters while training (a scrubber) -------------------------------------------------------


def filter_mosaic(filters, columns=8, gap=1):
    """Filters (F, 1, k, k) side by side in a grid, ``gap`` pixels of NaN between them."""
    f, _, k, _ = filters.shape
    rows = math.ceil(f / columns)
    mosaic = np.full((rows * (k + gap) - gap, columns * (k + gap) - gap), np.nan)
    for index in range(f):
        r, c = divmod(index, columns)
        mosaic[r * (k + gap):r * (k + gap) + k, c * (k + gap):c * (k + gap) + k] = filters[index, 0]
    return mosaic


class FiltersFigure(LiveFigure):
    """The 16 filters of the trained CNN (seed 0) after a chosen epoch (top), and the loss
    and test accuracy per epoch with that epoch marked (bottom)."""

    def draw(self, epoch=15):
        run = train_cnn(0)
        self.run = run
        limit = float(np.abs(run.snapshots).max())
        fig = Figure(figsize=(5.6, 7.0))
        ax_f = fig.add_axes((0.2, 0.45, 0.6, 0.42))
        ax_c = fig.add_axes((0.14, 0.07, 0.72, 0.27))
        self.image = ax_f.imshow(filter_mosaic(run.snapshots[0], columns=4), cmap="RdBu_r", vmin=-limit,
                                 vmax=limit, interpolation="nearest")
        ax_f.set_axis_off()
        ax_f.set_title("the 16 filters, 3x3 each: blue negative, red positive", fontsize=10)
        epochs = np.arange(1, run.history.epochs + 1)
        ax_c.plot(epochs, run.history.loss, color=PALETTE["blue"], lw=2, label="training loss")
        ax_c.set_yscale("log")
        ax_c.set(xlabel="epoch", ylabel="training loss (log)", xlim=(0, run.history.epochs))
        ax_a = ax_c.twinx()
        ax_a.plot(epochs, 100 * np.array(run.history.metrics["val_accuracy"]), color=PALETTE["vermillion"],
                  lw=2, ls="--", label="test accuracy")
        ax_a.set(ylabel="test accuracy (%)", ylim=(90, 100))
        ax_a.grid(False)
        ax_a.spines["right"].set_visible(True)
        ax_c.legend(handles=[*ax_c.get_lines(), *ax_a.get_lines()], loc="center right", fontsize=9)
        self.marker = ax_a.axvline(epoch, color=PALETTE["grey"], lw=2)
        self.title = fig.suptitle("", fontsize=11, y=0.97)
        self.dynamic = [self.image, self.marker, self.title]
        return fig

    def update(self, epoch=15):
        self.image.set_data(filter_mosaic(self.run.snapshots[epoch], columns=4))
        self.marker.set_xdata([epoch, epoch])
        self.title.set_text(filters_title(epoch))


def filters_title(epoch):
    run = train_cnn(0)
    if epoch == 0:
        return "Before training: random filters (He initialisation)"
    accuracy = run.history.metrics["val_accuracy"][epoch - 1]
    return f"After epoch {epoch} of {run.history.epochs}: test accuracy {accuracy:.1%}"


def filters_caption(epoch):
    run = train_cnn(0)
    if epoch == 0:
        return (f"Before training: 16 random filters, their entries of mean size "
                f"{np.abs(run.snapshots[0]).mean():.2f}.")
    change = np.abs(run.snapshots[epoch] - run.snapshots[0]).mean()
    return (f"Epoch {epoch}: the filters have moved on average {change:.2f} from their random start "
            f"(their entries are of size {np.abs(run.snapshots[0]).mean():.2f}).")


def filters_demo():
    """Chapter 8: the first layer's filters as they change over the epochs (seed 0)."""
    epochs = TRAINING["epochs"]
    controls = {"epoch": Slider(0, epochs, epochs, step=1, description="after epoch")}
    return Demo(FiltersFigure, controls, grid={"epoch": list(range(epochs + 1))}, caption=filters_caption,
                alt="Top: sixteen 3 by 3 filters of the digits network side by side, blue for negative "
                    "and red for positive weights, as they were after the chosen epoch of training. "
                    "Bottom: the training loss falling and the test accuracy rising over the 15 "
                    "epochs, with a grey line at the chosen epoch.")
