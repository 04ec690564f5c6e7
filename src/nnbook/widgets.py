"""Interactive demos that work live in a kernel and still say something on a static page.

A demo is a pure function of named parameters that returns a figure (or text). ``Demo``
wires it to controls, and shows one of three views:

* **live** (JupyterLab, Notebook, Binder): ipywidgets controls; the figure redraws on change;
* **static** (the website, which has no kernel): the figure pre-drawn for a few settings,
  with one labelled range input per varied control, working without Python. The settings
  are a ``grid`` (every combination of two or three controls whose interplay teaches) plus,
  for demos with more controls, ``vary``: further controls moved one at a time from the
  start, so their frames add up instead of multiplying;
* **light** (the outputs committed with the notebooks): the default figure as one PNG.

Which one is chosen by the environment variable ``NNBOOK_DEMO_VIEW`` (``static`` or
``light``; unset means live). The book's Sphinx extension sets ``static`` for the website
build, ``tools/execute_notebooks.py`` sets ``light``.

Fast redraws. Building a new matplotlib figure and rendering it costs 100-200 ms, too slow
for a slider that should feel immediate. A demo whose function is a ``LiveFigure`` subclass
is drawn once and then redrawn in place: only the artists that change are repainted over a
saved background (see ``LiveFigure``).

    demo = Demo(GatesFigure, {"w1": Slider(-2, 2, 1.0), ...}, grid={"b": [-1.5, -0.5, 0.5]},
                vary={"w1": [-1.0, 1.0, 2.0]}, alt="...", caption=lambda w1, w2, b: "...")
    demo                        # last line of a cell: the view for this environment
    demo.compute(b=0.5)         # the pure function, for tests and for readers
    demo.code(b=0.5)            # 'ch.GatesFigure.plot(w1=1.0, w2=1.0, b=0.5)'
"""

import base64
import html
import io
import itertools
import json
import math
import os
import struct
import zlib
from dataclasses import dataclass

import ipywidgets
import numpy as np
from matplotlib.figure import Figure

#: The environment variable that picks a demo's view: "static", "light" or unset (live).
VIEW_VARIABLE = "NNBOOK_DEMO_VIEW"
#: At most this many pre-drawn frames per static view. Hidden frames load only when shown
#: (lazily), so this bounds the build's time and the site's size more than a page's weight.
#: 40 (was 30) fits a playground of 8 controls: a 3 x 3 grid of the two whose combination
#: teaches (9 frames) and six more moved alone through 5 values each (6 x 4 = 24 frames).
MAX_FRAMES = 40
#: Frames of the static view: resolution and WebP quality (small files, sharp enough lines).
FRAME_DPI, FRAME_QUALITY = 90, 80

STATIC_NOTE = (
    "Static preview: move the {controls} below the figure to see it for {n} settings. "
    "{alone}To move every control freely, run this page live (the rocket button at the top, "
    "or <code>make lab</code> on your machine)."
)
#: What the static note adds for controls shown one at a time (``vary``).
ALONE_NOTE = ("{crossed}{names} {show} one change at a time: moving {one} puts every other slider back "
              "to its start{back}. ")


@dataclass(frozen=True)
class Slider:
    """A numeric control from ``min`` to ``max`` starting at ``value``.

    Integers everywhere give an integer slider; ``log=True`` gives a log-scale slider.
    """

    min: float
    max: float
    value: float
    step: float = 0.1
    description: str = ""
    log: bool = False

    def __post_init__(self):
        if not self.min <= self.value <= self.max:
            raise ValueError(f"Slider value must lie in [min, max] = [{self.min}, {self.max}]; got {self.value}")
        if self.log and self.min <= 0:
            raise ValueError(f"a log-scale Slider needs min > 0; got {self.min}")

    @property
    def is_integer(self):
        return all(isinstance(v, int) for v in (self.min, self.max, self.value, self.step))

    def values(self):
        """The values a test sweeps: every step of a linear slider; for a log slider, 10 per
        decade from end to end (the live control is finer: ``step`` in the exponent)."""
        if self.log:
            lo, hi = np.log10(self.min), np.log10(self.max)
            return [float(f"{v:.6g}") for v in 10 ** np.linspace(lo, hi, int(round((hi - lo) * 10)) + 1)]
        count = int(round((self.max - self.min) / self.step)) + 1
        values = [self.min + k * self.step for k in range(count)]
        return [int(v) for v in values] if self.is_integer else [float(f"{v:.6g}") for v in values]

    def make(self, name):
        """The ipywidgets control for this slider."""
        label = self.description or name
        style = {"description_width": "initial"}
        if self.log:
            # The exponents on a grid of whole steps from 0, so round values such as 0.1 (the
            # default) are reachable; the ends move inward by less than a step if need be.
            low = np.ceil(np.log10(self.min) / self.step - 1e-9) * self.step
            high = np.floor(np.log10(self.max) / self.step + 1e-9) * self.step
            return ipywidgets.FloatLogSlider(
                value=self.value, base=10, min=round(low, 10), max=round(high, 10),
                step=self.step, description=label, style=style, continuous_update=True,
            )
        if self.is_integer:
            return ipywidgets.IntSlider(value=self.value, min=self.min, max=self.max, step=self.step,
                                        description=label, style=style)
        return ipywidgets.FloatSlider(value=self.value, min=self.min, max=self.max, step=self.step,
                                      description=label, style=style, readout_format=".2f")


@dataclass(frozen=True)
class Choice:
    """A drop-down control over ``options``, starting at ``value``."""

    options: tuple
    value: object
    description: str = ""

    def __post_init__(self):
        if self.value not in self.options:
            raise ValueError(f"Choice value must be one of {self.options}; got {self.value!r}")

    def values(self):
        return list(self.options)

    def make(self, name):
        return ipywidgets.Dropdown(options=list(self.options), value=self.value,
                                   description=self.description or name)


class LiveFigure:
    """A figure drawn once and then redrawn in place for new settings: a fast demo.

    A subclass implements two methods and may set one attribute:

    * ``draw(**settings)`` builds and returns the Figure: axes, everything that never
      changes, and the artists that do (kept on ``self``), which it lists in ``self.dynamic``
      (lines, texts, images, whole axes or axis objects), in drawing order. Artists inside an
      axes that never change but would be drawn over a dynamic one (a legend, axis labels
      written as texts, a note, an axis that stays still) it lists in ``self.fixed``;
    * ``update(**settings)`` changes those artists for new settings (``set_data``,
      ``set_text``...); it is also called once right after ``draw``;
    * ``rebuild_on``: names of settings whose change needs another figure (another surface,
      another function). The live view keeps one LiveFigure per value of them.

    ``Subclass.plot(**settings)`` draws a fresh figure: the pure function behind the demo.
    ``png()`` renders it quickly: the first call draws everything but the dynamic artists
    once and saves that background; later calls restore it and repaint only the dynamic
    artists, and every artist of their axes drawn above the lowest of them (blitting).

    What is repainted is this class's business, not the subclass's: each fixed artist, and
    each axes' titles and axis objects (ticks, tick labels, grid lines) unless listed in
    ``dynamic``, is put just below the lowest dynamic artist of its axes (``FIXED_BELOW``
    lower in the z-order) when ``draw`` returns, so it stays in the saved background and a
    fresh figure paints it in that same order (grid lines under a shading that moves).
    """

    rebuild_on = ()
    #: How far below the lowest dynamic artist of its axes a fixed artist is put (z-order).
    FIXED_BELOW = 0.1

    def __init__(self, **settings):
        self.dynamic = []
        self.fixed = []
        self.key = self.key_of(settings)
        self.figure = self.draw(**settings)
        self._put_fixed_below_dynamic()
        self.update(**settings)
        self._background = None

    def _put_fixed_below_dynamic(self):
        """Lower every fixed artist (``self.fixed``, and the axes' titles and axis objects not
        in ``self.dynamic``) that an axes would draw at or above its lowest dynamic artist to
        just below it."""
        from matplotlib.text import Text

        lowest = {}
        for artist in self.dynamic:
            ax = getattr(artist, "axes", None)
            if ax is not None:
                lowest[ax] = min(lowest.get(ax, np.inf), artist.get_zorder())
        dynamic = {id(artist) for artist in self.dynamic}
        # An axes' titles: its Text children that are not its texts (ax.text, ax.annotate).
        titles = [child for ax in lowest for child in ax.get_children()
                  if isinstance(child, Text) and child not in ax.texts]
        axes = [axis for ax in lowest for axis in (ax.xaxis, ax.yaxis)]
        for artist in [*self.fixed, *titles, *axes]:
            ax = getattr(artist, "axes", None)
            if id(artist) not in dynamic and ax in lowest and artist.get_zorder() >= lowest[ax]:
                artist.set_zorder(lowest[ax] - self.FIXED_BELOW)

    @classmethod
    def key_of(cls, settings):
        """The values of the settings that need a new figure when they change."""
        return tuple(settings.get(name) for name in cls.rebuild_on)

    @classmethod
    def plot(cls, **settings):
        """A fresh figure for these settings."""
        return cls(**settings).figure

    def _repaint_list(self):
        """What each redraw paints over the saved background, in drawing order: the dynamic
        artists, and in each axes that holds one, every other artist drawn above the lowest
        of them (a grid line over a shaded image, a legend over a path), as a full draw would."""
        dynamic = list(self.dynamic)
        ids = {id(artist) for artist in dynamic}
        repaint = []
        for ax in self.figure.axes:
            mine = [artist for artist in dynamic if getattr(artist, "axes", None) is ax]
            if not mine:
                continue
            lowest = min(_zorder(artist) for artist in mine)
            children = [child for child in ax.get_children() if child is not ax.patch]
            if not ax.axison:
                children = [c for c in children if c not in (*ax.spines.values(), *ax._axis_map.values())]  # noqa: SLF001
            # The axis objects (ticks, tick labels, grid) are drawn by the axes itself.
            above = [child for child in children if id(child) in ids or _zorder(child) >= lowest]
            repaint += sorted(above, key=_zorder)  # stable: the axes' own order breaks ties
        placed = {id(artist) for artist in repaint}
        repaint += [artist for artist in dynamic if id(artist) not in placed]  # figure-level texts
        return repaint

    def draw(self, **settings):  # pragma: no cover - subclasses implement it
        raise NotImplementedError

    def update(self, **settings):  # pragma: no cover - subclasses implement it
        raise NotImplementedError

    def png(self):
        """PNG bytes of the current state, repainting only ``self.dynamic`` after the first call."""
        figure = self.figure
        canvas = _live_canvas(figure)
        if not self.dynamic:
            canvas.draw()
            return _rgba_to_png(canvas)
        size = (canvas.get_width_height(), figure.dpi)
        if self._background is None or self._background[0] != size:
            # A full draw first places everything as a fresh render would; then titles stay
            # where it put them (matplotlib would move a title that is hidden below).
            canvas.draw()
            for ax in figure.axes:
                ax._autotitlepos = False  # noqa: SLF001 -- what set_title(y=...) does
            repaint = self._repaint_list()
            visible = [artist.get_visible() for artist in repaint]
            for artist in repaint:
                artist.set_visible(False)
            canvas.draw()
            self._background = (size, canvas.copy_from_bbox(figure.bbox), repaint)
            for artist, was_visible in zip(repaint, visible):
                artist.set_visible(was_visible)
        else:
            canvas.restore_region(self._background[1])
        renderer = canvas.get_renderer()
        for artist in self._background[2]:
            if artist.get_visible():
                artist.draw(renderer)
        return _rgba_to_png(canvas)


def _zorder(artist):
    return artist.get_zorder()


# --- text drawn from a cache of glyphs -------------------------------------------------------
# Matplotlib 3.11 renders every glyph of every text anew on each draw (FreeType, one Python
# call per glyph): most of a live redraw was spent re-rendering titles, captions and tick
# labels that had not changed. The live view's canvas keeps each glyph's bitmap and each
# string's layout, and composites them exactly as Agg does (the same pixels as a fresh
# render: tests/unit/test_demos.py compares them). The renderer's internals it copies are
# matplotlib's own, so it is used only on the versions it was checked against.

def _glyph_cache_supported():
    import matplotlib
    from matplotlib.backends.backend_agg import RendererAgg

    major, minor = (int(part) for part in matplotlib.__version__.split(".")[:2])
    return (major, minor) == (3, 11) and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")


def _live_canvas(figure):
    """The figure's Agg canvas for the live view: with cached glyphs where supported."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    wanted = _glyph_caching_canvas_class() if _glyph_cache_supported() else FigureCanvasAgg
    if type(figure.canvas) is not wanted:
        wanted(figure)  # attaches itself to the figure
    return figure.canvas


def _glyph_caching_canvas_class():
    """The canvas class (made on first use: matplotlib's backend is imported lazily)."""
    global _GLYPH_CANVAS
    if _GLYPH_CANVAS is not None:
        return _GLYPH_CANVAS
    from matplotlib.backends import backend_agg
    from matplotlib.ft2font import RenderMode

    class GlyphCachingRenderer(backend_agg.RendererAgg):
        """RendererAgg (matplotlib 3.11) that renders each glyph once per subpixel phase."""

        #: Entries kept before the caches start afresh (a figure's texts need a few hundred).
        LIMIT = 20_000

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._layouts, self._glyphs = {}, {}

        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if ismath:
                return self.draw_mathtext(gc, x, y, s, prop, angle)
            font = self._prepare_font(prop)
            flags = backend_agg.get_hinting_flag()
            features = mtext.get_fontfeatures() if mtext is not None else None
            language = mtext.get_language() if mtext is not None else None
            size = prop.get_size_in_points()
            key = (id(font), size, s, flags, tuple(features) if features else features, language)
            if key not in self._layouts:
                items = font._layout(s, flags=flags, features=features, language=language)  # noqa: SLF001
                # (the font is kept, so its id cannot be reused by another while cached)
                self._layouts[key] = (font, [(item.ft_object, item.glyph_index, item.x, item.y) for item in items])
            glyphs = self._layouts[key][1]
            self._draw_text_glyphs_and_boxes(
                gc, x, y, angle, ((ft, size, index, 0, 1, dx, dy) for ft, index, dx, dy in glyphs), [])

        def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
            if boxes:  # mathtext's rules: as matplotlib draws them
                return super()._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, boxes)
            if len(self._glyphs) > self.LIMIT or len(self._layouts) > self.LIMIT:
                self._glyphs.clear()
                self._layouts.clear()
            cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            flags = backend_agg.get_hinting_flag()
            antialiased = gc.get_antialiased()
            mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
            for font, size, index, slant, extend, dx, dy in glyphs:  # as matplotlib 3.11 does
                matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])
                          @ [[extend, extend * slant], [0, 1]]).round().astype(int)
                # The glyph's origin in FreeType's 1/64 pixels (y upwards). Its bitmap depends
                # on the fraction of a pixel only; whole pixels shift it.
                ox = round(0x40 * (x + dx * cos - dy * sin))
                oy = round(0x40 * (self.height - y + dx * sin + dy * cos))
                key = (id(font), size, index, tuple(matrix.ravel()), ox % 64, oy % 64, flags, antialiased)
                if key not in self._glyphs:
                    font.set_size(size, self.dpi)
                    font._set_transform(matrix, [ox % 64, oy % 64])  # noqa: SLF001
                    bitmap = font._render_glyph(index, flags, mode)  # noqa: SLF001
                    buffer = np.array(bitmap.buffer) if antialiased else bitmap.buffer * 0xff
                    self._glyphs[key] = (font, buffer, bitmap.left, bitmap.top)
                _, buffer, left, top = self._glyphs[key]
                self._renderer.draw_text_image(  # noqa: SLF001
                    buffer, left + ox // 64, int(self.height) - (top + oy // 64) + buffer.shape[0], 0, gc)

    class GlyphCachingCanvas(backend_agg.FigureCanvasAgg):
        def get_renderer(self):
            width, height = self.get_width_height(physical=True)
            key = width, height, self.figure.dpi
            if self._lastKey != key:
                self.renderer = GlyphCachingRenderer(width, height, self.figure.dpi)
                self._lastKey = key
            return self.renderer

    _GLYPH_CANVAS = GlyphCachingCanvas
    return _GLYPH_CANVAS


_GLYPH_CANVAS = None


def _rgba_to_png(canvas):
    """The canvas as PNG bytes, written for speed: each row unfiltered (a plot's flat areas
    compress as well as with PNG's per-row filters, which Pillow spends most of its time
    choosing) and deflated at level 1. About 40% quicker than Pillow's PNG, the same size."""
    rgba = np.asarray(canvas.buffer_rgba())
    height, width = rgba.shape[:2]
    rows = np.empty((height, 1 + 3 * width), np.uint8)
    rows[:, 0] = 0                                   # filter type 0 (none) for every row
    rows[:, 1:] = rgba[..., :3].reshape(height, -1)  # RGB, 8 bits each
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + _png_chunk(b"IEND", b""))


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def is_live_figure(function):
    return isinstance(function, type) and issubclass(function, LiveFigure)


class Demo:
    """A pure function of named parameters, shown live with controls or statically as frames.

    function: keyword arguments -> a matplotlib Figure or a str; or a ``LiveFigure``
        subclass (redrawn in place in the live view).
    controls: {parameter name: Slider or Choice}; their values are the defaults.
    grid: {parameter name: [values]} for the static view: the figure is pre-drawn for every
        combination; parameters not named keep their defaults.
    vary: {parameter name: [values, the default among them]} for the static view: each of
        these controls is moved alone, the grid at its starting values (the defaults) and the
        others at their defaults. Frames: the product of the grid's lengths plus, for each
        control varied, its number of values minus one (together 2 to ``MAX_FRAMES``).
    alt: alt text for the figure (the settings of each frame are appended).
    caption: optional ``caption(**settings) -> str``, a plain-language sentence for a frame.
    training: True for a demo that trains a network on each move (its redraw budget is
        300 ms instead of 60 ms; see ``tools/benchmark_demos.py``).
    """

    def __init__(self, function, controls, *, grid=None, vary=None, alt, caption=None, training=False):
        if not alt:
            raise ValueError("a Demo needs alt text describing what its figure shows")
        self.function = function
        self.controls = dict(controls)
        self.alt = alt
        self.caption = caption
        self.training = training
        grid, vary = dict(grid or {}), dict(vary or {})
        for kind, named in (("grid", grid), ("vary", vary)):
            unknown = set(named) - set(self.controls)
            if unknown:
                raise ValueError(f"{kind} names unknown parameter(s) {sorted(unknown)}; "
                                 f"this demo has {sorted(self.controls)}")
        if not grid and not vary or any(len(values) < 1 for values in grid.values()):
            raise ValueError("a Demo's grid needs at least one parameter with at least one value")
        both = set(grid) & set(vary)
        if both:
            raise ValueError(f"{sorted(both)} in both grid and vary: a control is either combined with the "
                             "others (grid) or moved alone (vary)")
        for name, values in vary.items():
            default = self.controls[name].value
            if sum(value == default for value in values) != 1 or len(values) < 2:
                raise ValueError(f"vary[{name!r}] needs the default {default!r} once and at least one other "
                                 f"value; got {list(values)}")
        self.grid = {name: list(values) for name, values in grid.items()}
        self.vary = {name: list(values) for name, values in vary.items()}
        n = len(self.frames())
        if n < 2 or n > MAX_FRAMES:
            raise ValueError(f"a Demo's grid and vary must give 2 to {MAX_FRAMES} frames; got {n}")

    @property
    def defaults(self):
        """The starting value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def settings(self, **overrides):
        """The defaults, updated by ``overrides`` (which must name existing controls)."""
        unknown = set(overrides) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown parameter(s) {sorted(unknown)}; this demo has {sorted(self.controls)}")
        return {**self.defaults, **overrides}

    def frames(self):
        """The static view's settings, one dict per frame: the grid's combinations (last name
        fastest), then each ``vary`` control at each of its values but the default, in order,
        with the grid at its starting values."""
        names = list(self.grid)
        frames = [self.settings(**dict(zip(names, combo))) for combo in itertools.product(*self.grid.values())]
        start = {name: self.grid[name][self._start_index(name)] for name in names}
        for name, values in self.vary.items():
            frames += [self.settings(**start, **{name: value}) for value in values
                       if value != self.controls[name].value]
        return frames

    def frame_index(self, positions):
        """The frame the static view shows when its range inputs stand at ``positions``
        ({name: index into its values}), computed as the page's script does (``_ON_INPUT``):
        a varied control away from its start shows its own frame, otherwise the grid's frame is
        the mixed-radix number of the grid's positions (first name slowest)."""
        index = 0
        for name, values in self.grid.items():
            index = index * len(values) + positions[name]
        offset = int(np.prod([len(values) for values in self.grid.values()]))
        for name, values in self.vary.items():
            start, at = self._start_index(name), positions[name]
            if at != start:
                return offset + at - (at > start)
            offset += len(values) - 1
        return index

    def compute(self, **overrides):
        """Call the demo's function with the defaults, updated by ``overrides``: a fresh result."""
        settings = self.settings(**overrides)
        if is_live_figure(self.function):
            return self.function.plot(**settings)
        return self.function(**settings)

    def code(self, **overrides):
        """The call the demo makes for these settings, as a line of code to paste into a cell."""
        function = self.function
        module = function.__module__
        if module.startswith("nnbook.book."):
            prefix = "ch."  # the chapter notebooks import their module as `ch`
        elif module.startswith("nnbook."):
            prefix = module.rsplit(".", 1)[-1] + "."
        else:
            prefix = ""
        args = ", ".join(f"{name}={_literal(value)}" for name, value in self.settings(**overrides).items())
        name = f"{function.__qualname__}.plot" if is_live_figure(function) else function.__qualname__
        return f"{prefix}{name}({args})"

    def corner_cases(self):
        """Settings with one control at a time at each of its extreme values (quick fuzzing)."""
        cases = []
        for name, control in self.controls.items():
            values = control.values()
            cases += [{name: values[0]}, {name: values[-1]}]
        return cases

    def widget(self):
        """The live view: controls, the output and the current call as code."""
        return DemoWidget(self)

    # --- the static view ----------------------------------------------------------------

    def static_html(self):
        """The website's view: a figure per frame, one labelled range input per varied control."""
        values = {**self.grid, **self.vary}
        start = {name: self._start_index(name) for name in values}
        shown = self.frame_index(start)
        figures = []
        for index, settings in enumerate(self.frames()):
            call = self.code(**settings)
            body = _to_html(self.compute(**settings), alt=f"{self.alt} Settings: {call}", lazy=index != shown)
            caption = self.caption(**settings) if self.caption else ""
            hidden = "" if index == shown else " hidden"
            figures.append(
                f'<figure class="nnbook-demo-frame" data-index="{index}"{hidden}>{body}<figcaption>'
                + (f'<span class="nnbook-demo-caption">{html.escape(caption)}</span> ' if caption else "")
                + f'<code class="nnbook-demo-call">{html.escape(call)}</code></figcaption></figure>'
            )
        controls = []
        for name, first in start.items():
            shown_values = [_display(value) for value in values[name]]
            alone = name in self.vary
            controls.append(
                f'<label class="nnbook-demo-control{" nnbook-demo-alone" if alone else ""}">'
                f'<span class="nnbook-demo-name">{html.escape(self._label(name))}</span> '
                f'<input type="range" min="0" max="{len(shown_values) - 1}" step="1" value="{first}" '
                f'aria-valuetext="{html.escape(shown_values[first])}" '
                f"data-values='{html.escape(json.dumps(shown_values), quote=False)}' "
                + ("data-alone " if alone else "")
                + f'oninput="{_ON_INPUT}"> '
                f'<output class="nnbook-demo-value">{html.escape(shown_values[first])}</output></label>'
            )
        what = "slider" if len(values) == 1 else f"{len(values)} sliders"
        note = STATIC_NOTE.format(controls=what, n=len(figures), alone=self._alone_note())
        return (
            '<div class="nnbook-demo">'
            f'<p class="nnbook-demo-note"><em>{note}</em></p>'
            f'<div class="nnbook-demo-frames">{"".join(figures)}</div>'
            f'<div class="nnbook-demo-controls">{"".join(controls)}</div>'
            "</div>"
        )

    def _start_index(self, name):
        """Where the range input of ``name`` starts: at the default (else the first value)."""
        values = self.grid.get(name) or self.vary[name]
        default = self.controls[name].value
        for index, value in enumerate(values):
            if value == default:
                return index
        return 0

    def _label(self, name):
        return getattr(self.controls[name], "description", "") or name

    def _alone_note(self):
        """What the static note says of the controls shown one change at a time ('' if none)."""
        if not self.vary:
            return ""
        crossed = [f"“{html.escape(self._label(name))}”" for name in self.grid]
        alone = [f"“{html.escape(self._label(name))}”" for name in self.vary]
        return ALONE_NOTE.format(
            crossed=f"{_and(crossed)} combine freely; " if len(crossed) > 1 else "",
            names=_and(alone), show="shows" if len(alone) == 1 else "show",
            one="it" if len(alone) == 1 else "one of them",
            back=f", and moving {_or(crossed)} puts {'it' if len(alone) == 1 else 'them'} back to the start"
            if crossed else "")

    def light_png(self):
        """The default figure as PNG bytes: the light output committed with the notebooks."""
        result = self.compute()
        if not isinstance(result, Figure):
            return None
        buffer = io.BytesIO()
        result.savefig(buffer, format="png")
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None):
        view = os.environ.get(VIEW_VARIABLE, "live")
        text = f"Demo: {self.code()}"
        if view == "static":
            return {"text/html": self.static_html(), "text/plain": text}
        if view == "light":
            png = self.light_png()
            bundle = {"text/plain": text}
            if png is not None:
                bundle["image/png"] = base64.b64encode(png).decode("ascii")
            return bundle
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/plain"] = text
        return bundle


# One handler for every range input of a static view, the same computation as
# Demo.frame_index. Moving an input marked data-alone (a ``vary`` control) puts every other
# input back to its start (its defaultValue, the value attribute); moving a grid input puts
# the data-alone ones back. So at most one data-alone input is away from its start, and the
# frame shown is always the frame of the values shown. Then: a data-alone input away from its
# start picks its own frame (after the grid's n frames, its values but the start, in order);
# otherwise the frame is the mixed-radix number g of the grid inputs' positions (first
# slowest). Every input's <output> and aria-valuetext are rewritten. No ids, no external script.
_ON_INPUT = (
    "var d=this.closest('.nnbook-demo'),r=d.querySelectorAll('.nnbook-demo-control input'),"
    "m=this,g=0,n=1,o=0,k=-1,i,e,a,p,s,v;"
    "for(i=0;i<r.length;i++){e=r[i];a=e.hasAttribute('data-alone');"
    "if(e!=m){if(a||m.hasAttribute('data-alone')){e.value=e.defaultValue;}}"
    "p=+e.value;s=+e.defaultValue;"
    "v=JSON.parse(e.dataset.values)[p];"
    "e.setAttribute('aria-valuetext',v);e.parentNode.querySelector('output').textContent=v;"
    "if(!a){g=g*(+e.max+1)+p;n=n*(+e.max+1);}"
    "else{if(p!=s){k=o+p-(p>s?1:0);}o=o+(+e.max);}}"
    "var f=d.querySelectorAll('.nnbook-demo-frame'),t=(k<0)?g:n+k;"
    "for(i=0;i<f.length;i++){f[i].hidden=(i!=t);}"
)


class DemoWidget(ipywidgets.VBox):
    """The live view of a Demo: one control per parameter, the output, the call as code.

    A LiveFigure demo shows its PNG in an ``ipywidgets.Image``: the bytes travel as one
    binary buffer (no base64 text, no output area rebuilt on each move) and the same picture
    twice is not sent again. Any other demo shows its result in an ``ipywidgets.Output``.
    """

    #: How many LiveFigures (one per value of their ``rebuild_on`` settings) a view keeps.
    KEEP = 8

    def __init__(self, demo):
        self.demo = demo
        self.controls = {name: control.make(name) for name, control in demo.controls.items()}
        self.output = ipywidgets.Image(format="png") if is_live_figure(demo.function) else ipywidgets.Output()
        self.code_line = ipywidgets.HTML()
        self.result = None
        self._live = {}
        super().__init__([ipywidgets.HBox(list(self.controls.values()), layout={"flex_flow": "row wrap"}),
                          self.output, self.code_line])
        for control in self.controls.values():
            control.observe(self.redraw, names="value")
        self.redraw()

    @property
    def settings(self):
        """The controls' current values."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self, change=None):
        """Recompute the demo for the current settings and show the result."""
        settings = self.demo.settings(**self.settings)
        self.code_line.value = f"<code>{html.escape(self.demo.code(**settings))}</code>"
        if is_live_figure(self.demo.function):
            live = self.live_figure(settings)
            self.result = live.figure
            self.output.value = live.png()  # unchanged bytes send nothing
            return
        self.result = self.demo.function(**settings)
        data, metadata = _display_formatter().format(self.result)
        # Replacing the outputs in one assignment avoids the flicker of clear-then-draw.
        self.output.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)

    def live_figure(self, settings):
        """The LiveFigure for these settings, updated in place (made on first need)."""
        cls = self.demo.function
        key = cls.key_of(settings)
        live = self._live.pop(key, None)
        if live is None:
            live = cls(**settings)
        else:
            live.update(**settings)
        self._live[key] = live  # most recent last
        while len(self._live) > self.KEEP:
            self._live.pop(next(iter(self._live)))
        return live


def _display_formatter():
    """The kernel's display formatter (which knows how to show figures), or a plain one."""
    from IPython import get_ipython
    from IPython.core.formatters import DisplayFormatter

    shell = get_ipython()
    return shell.display_formatter if shell is not None else DisplayFormatter()


def _literal(value):
    """A short Python literal for a control's value: 6 significant digits, plain types."""
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return repr(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(f"{float(value):.6g}"))  # slider steps leave 0.30000000000000004
    return repr(value)


def _and(words):
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _or(words):
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _display(value):
    """A control's value as the static view shows it."""
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    return str(value)


def _to_html(result, alt, lazy=False):
    if isinstance(result, Figure):
        from PIL import Image

        buffer = io.BytesIO()
        result.savefig(buffer, format="png", dpi=FRAME_DPI)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
        webp = io.BytesIO()
        image.save(webp, format="webp", quality=FRAME_QUALITY, method=4)
        encoded = base64.b64encode(webp.getvalue()).decode("ascii")
        loading = ' loading="lazy"' if lazy else ""
        return (f'<img src="data:image/webp;base64,{encoded}" alt="{html.escape(alt)}"{loading} '
                f'width="{image.width}" height="{image.height}" style="max-width:100%;height:auto">')
    return f"<pre>{html.escape(str(result))}</pre>"
