"""Helpers for testing figures and demos on what they draw (not on their titles)."""

import io
from html.parser import HTMLParser

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image


def drawn(figure):
    """What a figure draws, without its texts: [(kind, array), ...] over every axes."""
    out = []
    for ax in figure.axes:
        for line in ax.lines:
            out.append(("line", np.asarray(line.get_xydata(), dtype=float)))
        for image in ax.images:
            out.append(("image", np.ma.filled(np.asarray(image.get_array(), dtype=float), np.nan)))
        for collection in ax.collections:
            out.append(("offsets", np.asarray(collection.get_offsets(), dtype=float)))
            for path in collection.get_paths():
                out.append(("path", np.asarray(path.vertices, dtype=float)))
        for patch in ax.patches:
            out.append(("patch", np.asarray(patch.get_path().vertices, dtype=float)))
    return out


def same_drawing(a, b):
    """True when two ``drawn`` lists are equal (NaN equal to NaN)."""
    return len(a) == len(b) and all(
        ka == kb and np.shape(va) == np.shape(vb) and np.allclose(va, vb, equal_nan=True)
        for (ka, va), (kb, vb) in zip(a, b))


def picture(figure):
    """What a reader sees of a figure without rendering it: its drawn data (``drawn``), its
    visible texts and every axes' limits. Two frames with the same picture look the same."""
    from matplotlib.text import Text

    texts = tuple(t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip())
    limits = np.array([[*ax.get_xlim(), *ax.get_ylim()] for ax in figure.axes], dtype=float)
    return drawn(figure), texts, limits


def same_picture(a, b):
    """True when two ``picture`` results are equal (data as in ``same_drawing``)."""
    return (same_drawing(a[0], b[0]) and a[1] == b[1] and a[2].shape == b[2].shape
            and np.allclose(a[2], b[2], equal_nan=True))


def pixels(png):
    """PNG bytes as an (H, W, 3) int16 array."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def full_render(figure):
    """The figure rendered from scratch, as an (H, W, 3) int16 array."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi)
    return pixels(buffer.getvalue())


def texts_outside_canvas(figure, tolerance=1.0):
    """Every visible, non-empty text of the figure that reaches outside its canvas:
    [(text, its window extent), ...]. A clipped label, title or legend entry shows up here."""
    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    width, height = canvas.get_width_height()
    clipped = []
    for text in _drawn_texts(figure):
        if not text.get_visible() or not str(text.get_text()).strip():
            continue
        box = text.get_window_extent(renderer)
        if box.x0 < -tolerance or box.y0 < -tolerance or box.x1 > width + tolerance or box.y1 > height + tolerance:
            clipped.append((text.get_text(), box))
    return clipped


def _drawn_texts(figure):
    """The texts a draw of the figure actually paints (tick labels only for ticks in view)."""
    from matplotlib.axis import Tick
    from matplotlib.text import Text

    texts = [t for t in figure.findobj(Text) if not any(isinstance(p, Tick) for p in _parents(t, figure))]
    for ax in figure.axes:
        if ax.name == "3d" or not ax.axison:
            continue  # 3-D tick labels are placed while drawing; an axes switched off draws none
        for axis in ax._axis_map.values():  # noqa: SLF001
            for tick in axis._update_ticks():  # noqa: SLF001 -- the ticks inside the view
                texts += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    return texts


def _parents(text, figure):
    """The Tick objects that hold ``text`` (found by walking every tick of every axis)."""
    holders = []
    for ax in figure.axes:
        for axis in ax._axis_map.values():  # noqa: SLF001
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if text in (tick.label1, tick.label2):
                    holders.append(tick)
    return holders


class HtmlTags(HTMLParser):
    """Every start tag of an HTML string, in order, as (tag, {attribute: value})."""

    def __init__(self, text):
        super().__init__()
        self.tags = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def of(self, tag, **attrs):
        """The attributes of every ``tag`` whose attributes include ``attrs``."""
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]
