"""Chapter 8: classic 3x3 kernels on a photograph and on a digit, and the demo that picks one.

The photograph is scikit-learn's bundled ``china.jpg`` (a temple; no download), made grey and
four times smaller. Every output is ``nnbook.conv.conv2d_forward`` (cross-correlation) with
padding 1, so it has the input's size.
"""

import functools
import textwrap

import numpy as np
from matplotlib.figure import Figure

from nnbook import conv
from nnbook.widgets import Choice, Demo, LiveFigure

from .cnn import digit_images

#: The classic kernels, by the name the menu shows. Applied as cross-correlation (not flipped).
KERNELS = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "blur (box)": np.ones((3, 3)) / 9,
    "blur (Gaussian)": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "vertical edges (Sobel)": np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]]),
    "horizontal edges (Sobel)": np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]]),
    "all edges (Laplacian)": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
    "horizontal lines": np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]]),
    "vertical lines": np.array([[-1, 2, -1], [-1, 2, -1], [-1, 2, -1]]),
    "diagonal lines (\\)": np.array([[2, -1, -1], [-1, 2, -1], [-1, -1, 2]]),
    "corners": np.array([[1, 0, -1], [0, 0, 0], [-1, 0, 1]]),
}
KERNELS = {name: kernel.astype(np.float64) for name, kernel in KERNELS.items()}

#: What each kernel does, in words: "it ..." (the demo's title and caption).
KERNEL_NOTES = {
    "identity": "copies the input",
    "blur (box)": "averages each pixel with its 8 neighbours",
    "blur (Gaussian)": "averages with weights, the centre counting most",
    "sharpen": "adds each pixel's difference from its neighbours, so edges stand out",
    "vertical edges (Sobel)": "takes left minus right: large where the brightness changes from left to right",
    "horizontal edges (Sobel)": "takes top minus bottom: large where the brightness changes from top to bottom",
    "all edges (Laplacian)": "takes the pixel minus its neighbours: large at edges of every direction",
    "horizontal lines": "finds bright rows between darker rows",
    "vertical lines": "finds bright columns between darker columns",
    "diagonal lines (\\)": "finds bright diagonals from top left to bottom right",
    "corners": "gives 0 on flat areas and straight edges, and responds where two edges meet",
}
IMAGES = ("photograph", "digit")


@functools.lru_cache(maxsize=1)
def photograph(factor=4):
    """scikit-learn's china.jpg, grey (ITU-R 601 weights), averaged over factor x factor blocks,
    scaled to [0, 1]: (106, 160) for factor 4."""
    from sklearn.datasets import load_sample_image

    rgb = load_sample_image("china.jpg").astype(np.float64) / 255.0
    grey = rgb @ np.array([0.299, 0.587, 0.114])
    h, w = (s // factor * factor for s in grey.shape)
    return grey[:h, :w].reshape(h // factor, factor, w // factor, factor).mean(axis=(1, 3))


def digit(index=0):
    """Test digit ``index`` as an (8, 8) image of pixels from 0 (background) to 1 (ink)."""
    data = digit_images()
    return (data.x_test[index, 0] * data.std + data.mean) / 16.0


def load_image(name):
    """The demo's image by name: "photograph" or "digit" (test digit 0)."""
    if name not in IMAGES:
        raise ValueError(f"image must be one of {IMAGES}; got {name!r}")
    return photograph() if name == "photograph" else digit(0)


def filtered(picture, kernel):
    """``picture`` (H, W) cross-correlated with ``kernel`` (k, k), without padding: every
    window lies inside the picture, so the output is (H - k + 1, W - k + 1)."""
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1] or kernel.shape[0] % 2 == 0:
        raise ValueError(f"kernel must be a square array of odd size, e.g. 3x3; got shape {kernel.shape}")
    out = conv.conv2d_forward(np.asarray(picture, dtype=np.float64)[None, None], kernel[None, None],
                              np.zeros(1))
    return out[0, 0]


def _shows_brightness(kernel):
    """A kernel whose weights add up to 1 keeps the brightness: show its output in grey."""
    return bool(np.isclose(np.sum(kernel), 1.0))


class KernelFigure(LiveFigure):
    """An image, a kernel (its numbers), and the image filtered by the kernel.

    kernel: a name of ``KERNELS`` or a square array (typed in). A kernel whose weights add
    up to 1 (identity, blurs, sharpen) gives an image: shown in grey; one whose weights add
    up to 0 (edges, lines, corners) gives a response: blue negative, red positive."""

    rebuild_on = ("image",)

    def draw(self, image="photograph", kernel="vertical edges (Sobel)"):
        picture = load_image(image) if isinstance(image, str) else np.asarray(image, dtype=np.float64)
        self.picture = picture
        weights = KERNELS[kernel] if isinstance(kernel, str) else np.asarray(kernel, dtype=np.float64)
        k = weights.shape[0]
        wide = picture.shape[1] > 1.2 * picture.shape[0]
        fig = Figure(figsize=(5.6, 5.6 if wide else 6.0))
        grid = fig.add_gridspec(2, 2, width_ratios=[2.6, 1], height_ratios=[1, 1], left=0.03, right=0.97,
                                bottom=0.04, top=0.84, wspace=0.12, hspace=0.18)
        ax_in, ax_k, ax_out = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, 0])
        ax_in.imshow(picture, cmap="gray", interpolation="nearest")
        ax_in.set_title("input", fontsize=10)
        self.kernel_image = ax_k.imshow(np.zeros((k, k)), cmap="RdBu_r", vmin=-1, vmax=1)
        self.kernel_texts = [[ax_k.text(v, u, "", ha="center", va="center", fontsize=9 if k <= 3 else 7)
                              for v in range(k)] for u in range(k)]
        self.kernel_title = ax_k.set_title("", fontsize=10)
        # Two images, one shown at a time: switching a colour map costs more than the redraw.
        self.out_grey = ax_out.imshow(np.zeros_like(picture), cmap="gray", interpolation="nearest")
        self.out_signed = ax_out.imshow(np.zeros_like(picture), cmap="RdBu_r", interpolation="nearest")
        self.out_title = ax_out.set_title("", fontsize=10)
        ax_out.set_autoscale_on(False)   # the output keeps the input's frame: the lost border shows
        self.range_text = ax_k.text(0.5, -1.3, "", transform=ax_k.transAxes, ha="center", va="top",
                                    fontsize=9, linespacing=1.5)
        for ax in (ax_in, ax_k, ax_out):
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            for spine in ax.spines.values():
                spine.set_visible(True)
        self.suptitle = fig.suptitle("", fontsize=10.5)
        self.dynamic = [self.kernel_image, *sum(self.kernel_texts, []), self.kernel_title, self.out_grey,
                        self.out_signed, self.out_title, self.range_text, self.suptitle]
        return fig

    def update(self, image="photograph", kernel="vertical edges (Sobel)"):
        name = kernel if isinstance(kernel, str) else "your kernel"
        weights = KERNELS[kernel] if isinstance(kernel, str) else np.asarray(kernel, dtype=np.float64)
        out = filtered(self.picture, weights)
        limit = float(np.abs(weights).max()) or 1.0
        self.kernel_image.set_data(weights)
        self.kernel_image.set_clim(-limit, limit)
        for u, row in enumerate(self.kernel_texts):
            for v, text in enumerate(row):
                text.set_text(_short(weights[u, v]))
                text.set_color("white" if abs(weights[u, v]) > 0.6 * limit else "black")
        self.kernel_title.set_text(f"kernel, sum {_short(weights.sum())}")
        if _shows_brightness(weights):
            low, high = float(self.picture.min()), float(self.picture.max())
            shown, hidden = self.out_grey, self.out_signed
            shown.set_clim(low, high)
            self.out_title.set_text("output (grey: the input's scale)")
            self.range_text.set_text(f"output from\n{out.min():.2f} to {out.max():.2f}")
        else:
            spread = float(np.percentile(np.abs(out), 99)) or 1.0   # a few extremes do not wash out the rest
            shown, hidden = self.out_signed, self.out_grey
            shown.set_clim(-spread, spread)
            self.out_title.set_text("output: blue negative, red positive")
            extent = f"output from\n{out.min():.2f} to {out.max():.2f}"
            signed = out.max() > 0 > out.min()
            self.range_text.set_text(f"{extent};\ndarkest beyond\n± {spread:.2f}" if signed else extent)
        # Each output under its window's centre: the border the windows cannot centre on stays empty.
        border = weights.shape[0] // 2
        shown.set_data(np.pad(out, border, constant_values=np.nan))
        shown.set_visible(True)
        hidden.set_visible(False)
        k = weights.shape[0]
        note = KERNEL_NOTES.get(name, f"is {k} x {k}; its output is {out.shape[0]} x {out.shape[1]}")
        self.suptitle.set_text(f"{name}: " + textwrap.fill(f"it {note}", 64))


def _short(value):
    """A kernel entry as the page writes it: 0.111 for 1/9, -2, 0.25."""
    value = float(value)
    return f"{value:.0f}" if np.isclose(value, round(value)) else f"{value:.3g}"


def kernel_caption(image, kernel):
    picture = load_image(image)
    out = filtered(picture, KERNELS[kernel])
    what = "the photograph" if image == "photograph" else "a test digit"
    return (f"The {kernel} kernel on {what} ({picture.shape[0]} x {picture.shape[1]} pixels) "
            f"{KERNEL_NOTES[kernel]}; its output is {out.shape[0]} x {out.shape[1]}, from "
            f"{out.min():.2f} to {out.max():.2f}.")


def kernels_demo():
    """Chapter 8: a classic kernel, chosen from a menu, on a photograph or a digit."""
    controls = {"image": Choice(IMAGES, "photograph", description="image"),
                "kernel": Choice(tuple(KERNELS), "vertical edges (Sobel)", description="kernel")}
    return Demo(KernelFigure, controls, grid={"image": list(IMAGES), "kernel": list(KERNELS)},
                caption=kernel_caption,
                alt="Three panels: the input image in grey (a photograph of a temple, or an 8 by 8 "
                    "handwritten digit), the chosen 3 by 3 kernel with its nine numbers written on "
                    "coloured squares, and the output of the convolution below the input: in grey "
                    "for kernels that average, in blue and red for kernels that detect edges, lines "
                    "or corners.")
