"""Chapter 8: see what each layer sees (in the spirit of CNN Explainer, Wang et al. 2021), on
the chapter's own trained digits CNN (seed 0).

Choose a test digit or a drawn one: the figure shows the input, the 16 filters, the 16
feature maps after the convolution and ReLU, the 16 maps after max pooling, and the class
probabilities. In a live notebook an 8x8 grid of toggle buttons lets the reader draw a digit
(``ExplainerWidget``); the website shows the presets.
"""

import html

import ipywidgets
import numpy as np
from matplotlib.figure import Figure

from nnbook.activations import softmax
from nnbook.plotting import PALETTE
from nnbook.widgets import Choice, Demo, DemoWidget, LiveFigure

from .cnn import digit_images, filter_mosaic, train_cnn

#: Drawn digits: 8 rows of 8 pixels, "#" for ink (the raw value 16), "." for paper (0).
DRAWINGS = {
    "drawn 1": "...##.../..###.../...##.../...##.../...##.../...##.../...##.../..####..",
    "drawn 7": "########/......##/.....##./....##../...##.../..##..../..##..../..##....",
    "drawn 0": "..####../.##..##./.#....#./.#....#./.#....#./.#....#./.##..##./..####..",
    "a cross (no digit)": "##....##/.##..##./..####../...##.../...##.../..####../.##..##./##....##",
}
#: What the menu offers: the first test image of each class, then the drawings.
TEST_CLASSES = tuple(range(10))


def _first_of_each_class():
    y = digit_images().y_test
    return {label: int(np.flatnonzero(y == label)[0]) for label in TEST_CLASSES}


def presets():
    """The menu: {name: (index into the test set or None, drawing or None)}."""
    first = _first_of_each_class()
    items = {f"test digit {label} (#{first[label]})": (first[label], None) for label in TEST_CLASSES}
    items.update({name: (None, drawing) for name, drawing in DRAWINGS.items()})
    return items


def parse_drawing(drawing):
    """A drawing "rows separated by /" of 8 characters each ("#" ink, "." paper) as raw
    pixels (8, 8) from 0 to 16, or a ValueError."""
    rows = str(drawing).split("/")
    if len(rows) != 8 or any(len(row) != 8 or set(row) - {"#", "."} for row in rows):
        raise ValueError('a drawing is 8 rows of 8 characters, "#" for ink and "." for paper, joined by '
                         f'"/"; got {drawing!r}')
    return np.array([[16.0 if c == "#" else 0.0 for c in row] for row in rows])


def as_drawing(raw):
    """Raw pixels (8, 8), 0 to 16, as a drawing string: ink where a pixel is above 8."""
    return "/".join("".join("#" if v > 8 else "." for v in row) for row in np.asarray(raw))


def default_digit():
    """The menu's first choice: the first 3 of the test set."""
    return list(presets())[3]


def network_input(digit=None, drawing=None):
    """The network's input (1, 1, 8, 8) for a menu entry (None: ``default_digit()``), or for
    a drawing if one is given."""
    data = digit_images()
    if drawing is None:
        digit = default_digit() if digit is None else digit
        if digit not in presets():
            raise ValueError(f"digit must be one of {list(presets())}; got {digit!r}")
        index, drawing = presets()[digit]
        if index is not None:
            return data.x_test[index:index + 1]
    return data.standardise(parse_drawing(drawing))[None, None]


def layer_outputs(x):
    """Run the trained network on x (1, 1, 8, 8): {"conv": (16, 8, 8) after the ReLU, "pool":
    (16, 4, 4), "probabilities": (10,)}."""
    network = train_cnn(0).network
    steps = network.trace(x)
    return {"conv": steps[1][1][0], "pool": steps[2][1][0], "probabilities": softmax(steps[-1][1])[0]}


class ExplainerFigure(LiveFigure):
    """Input and filters (top), feature maps after conv + ReLU and after max pooling (middle),
    class probabilities (bottom), for a menu entry or a drawing."""

    def draw(self, digit=None, drawing=None):
        run = train_cnn(0)
        filters = run.network[0].params["W"]
        fig = Figure(figsize=(5.6, 8.2))
        # Two columns of equal panels; filter k and feature map k sit at the same place in their grids.
        ax_in = fig.add_axes((0.04, 0.585, 0.43, 0.28))
        ax_w = fig.add_axes((0.53, 0.585, 0.43, 0.28))
        ax_conv = fig.add_axes((0.04, 0.26, 0.43, 0.28))
        ax_pool = fig.add_axes((0.53, 0.26, 0.43, 0.28))
        ax_p = fig.add_axes((0.14, 0.055, 0.83, 0.14))
        self.input = ax_in.imshow(np.zeros((8, 8)), cmap="gray_r", vmin=-1, vmax=2.2, interpolation="nearest")
        ax_in.set_title("input (8 x 8)", fontsize=9.5)
        limit = float(np.abs(filters).max())
        ax_w.imshow(filter_mosaic(filters, columns=4), cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
        ax_w.set_title("16 learned 3x3 filters (red +, blue −)", fontsize=9.5)
        self.conv = ax_conv.imshow(np.zeros((35, 35)), cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
        ax_conv.set_title("feature maps: conv + ReLU (8 x 8)", fontsize=9.5)
        self.pool = ax_pool.imshow(np.zeros((19, 19)), cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
        ax_pool.set_title("after max pooling (4 x 4)", fontsize=9.5)
        for ax in (ax_in, ax_w, ax_conv, ax_pool):
            ax.set_axis_off()
        self.bars = ax_p.bar(np.arange(10), np.zeros(10), color=PALETTE["blue"])
        ax_p.set(xticks=np.arange(10), ylim=(0, 1.0), xlim=(-0.6, 9.6), ylabel="probability")
        ax_p.set_xlabel("class", labelpad=1)
        self.verdict = fig.suptitle("", fontsize=11, y=0.97)
        self.dynamic = [self.input, self.conv, self.pool, *self.bars, self.verdict]
        return fig

    def update(self, digit=None, drawing=None):
        x = network_input(digit, drawing)
        layers = layer_outputs(x)
        top = max(float(layers["conv"].max()), 1e-9)
        self.input.set_data(x[0, 0])
        self.conv.set_data(filter_mosaic(layers["conv"][:, None] / top, columns=4))
        self.pool.set_data(filter_mosaic(layers["pool"][:, None] / top, columns=4))
        probabilities = layers["probabilities"]
        best = int(np.argmax(probabilities))
        for label, (bar, p) in enumerate(zip(self.bars, probabilities)):
            bar.set_height(p)
            bar.set_color(PALETTE["vermillion"] if label == best else PALETTE["blue"])
        digit = default_digit() if digit is None else digit
        source = "your drawing" if drawing is not None else digit
        truth = ""
        index = None if drawing is not None else presets()[digit][0]
        if index is not None:
            truth = f" (label {digit_images().y_test[index]})"
        self.verdict.set_text(f"{source}{truth}:\nthe network says {best}, with probability "
                              f"{percent(probabilities[best])}")


def percent(p):
    """A probability as the page prints it: 87%, and "> 99.9%" rather than a rounded 100%."""
    return "> 99.9%" if p > 0.999 else "< 0.1%" if p < 0.001 else f"{p:.1%}" if p > 0.99 or p < 0.01 else f"{p:.0%}"


def explainer_caption(digit):
    p = layer_outputs(network_input(digit))["probabilities"]
    best, second = np.argsort(p)[::-1][:2]
    return (f"{digit.capitalize()}: the network says {best} with probability {percent(p[best])}; the next "
            f"most likely class is {second}, with {percent(p[second])}.")


class ExplainerWidget(DemoWidget):
    """The live view with an 8x8 grid of toggle buttons to draw a digit on: a toggle flips a
    pixel and redraws; choosing from the menu puts its (thresholded) image on the grid."""

    def __init__(self, demo):
        self.drawing = None
        self._quiet = False
        self.toggles = [ipywidgets.ToggleButton(value=False, layout=ipywidgets.Layout(width="30px", height="26px"),
                                                tooltip=f"pixel row {k // 8}, column {k % 8}") for k in range(64)]
        clear = ipywidgets.Button(description="clear the grid")
        clear.on_click(self._clear)
        grid = ipywidgets.GridBox(self.toggles, layout=ipywidgets.Layout(
            grid_template_columns="repeat(8, 32px)", grid_gap="2px"))
        self.panel = ipywidgets.VBox([ipywidgets.HTML("Draw a digit: click the squares (a dark square is ink)."),
                                      grid, clear])
        super().__init__(demo)
        for toggle in self.toggles:
            toggle.observe(self._toggled, names="value")
        controls, output, code = self.children
        self.children = (controls, self.panel, output, code)
        self._show_on_grid()

    def _show_on_grid(self):
        """Put the current menu entry's image on the toggles (without redrawing 64 times)."""
        data = digit_images()
        raw = network_input(self.controls["digit"].value)[0, 0] * data.std + data.mean
        self._quiet = True
        for toggle, on in zip(self.toggles, (raw > 8).ravel()):
            toggle.value = bool(on)
            toggle.button_style = "info" if on else ""
        self._quiet = False

    def _toggled(self, change):
        change["owner"].button_style = "info" if change["new"] else ""
        if self._quiet:
            return
        self.drawing = "/".join("".join("#" if self.toggles[8 * r + c].value else "." for c in range(8))
                                for r in range(8))
        self.redraw()

    def _clear(self, _button):
        self._quiet = True
        for toggle in self.toggles:
            toggle.value = False
            toggle.button_style = ""
        self._quiet = False
        self.drawing = "/".join(["." * 8] * 8)
        self.redraw()

    def redraw(self, change=None):
        if change is not None and change.get("name") == "value" and change.get("owner") is self.controls.get("digit"):
            self.drawing = None                   # a menu choice replaces the drawing
            if hasattr(self, "toggles"):
                self._show_on_grid()
        if getattr(self, "drawing", None) is None:
            return super().redraw(change)
        settings = {**self.demo.settings(**self.settings), "drawing": self.drawing}
        live = self.live_figure(settings)
        self.result = live.figure
        self.code_line.value = (f"<code>{html.escape(f'ch.ExplainerFigure.plot(drawing={self.drawing!r})')}"
                                "</code>")
        self.output.value = live.png()            # the live view's Image widget, as DemoWidget


class ExplainerDemo(Demo):
    """The explainer's Demo: the usual static and light views (the presets); live, the
    drawing grid as well (``ExplainerWidget``)."""

    def widget(self):
        return ExplainerWidget(self)


def explainer_demo():
    """Chapter 8: every layer's feature maps and the class probabilities for a chosen or drawn digit."""
    names = tuple(presets())
    controls = {"digit": Choice(names, default_digit(), description="digit")}
    return ExplainerDemo(ExplainerFigure, controls, grid={"digit": list(names)}, caption=explainer_caption,
                         alt="Top left: an 8 by 8 digit in grey. Top right: the 16 learned 3 by 3 filters in "
                             "red and blue. Middle: the 16 feature maps after the convolution and ReLU, "
                             "8 by 8 each, and the 16 maps after max pooling, 4 by 4 each, bright where a "
                             "filter's pattern is found. Bottom: the probability of each class from 0 to 9 "
                             "as bars, the most likely one in red.")
