"""Interactive demos that work live in a kernel and still say something on a static page.

A demo is a pure function of named parameters that returns a figure (or text). ``Demo``
wires it to controls:

* in JupyterLab, Notebook or Binder the demo shows ipywidgets controls and redraws on change;
* on the website (no kernel) the same output shows a static scrubber: the figure for a
  handful of settings, stepped through with a range input that works without Python.

Both views travel in one mime bundle: the widget view for a live front end, ``text/html`` for
the website (``_config.yml`` tells the site to prefer ``text/html``).

Fast redraws (optional). Building a new matplotlib figure and rendering it costs about
100-200 ms, too slow for a slider that should feel immediate. A demo may pass
``update=fn``: ``fn(figure, **settings)`` changes the artists of a figure the demo made
earlier and returns the figure to show (it, or another it keeps, e.g. one per choice), or
None to ask for a fresh figure. The live view then
renders that figure with ``figure_png``, which keeps one Agg canvas per figure (so text
layouts are measured once, not on every redraw) and, if the figure lists the artists that
change in ``figure.nnbook_dynamic``, draws everything else once and afterwards repaints
only those artists over the saved background (blitting). ``compute`` and the static view
are unchanged: they always build a fresh figure.

    demo = Demo(plot_gates, {"w1": Slider(-2, 2, 1.0), ...}, frames=[{"b": -1.5}, ...], alt="...")
    Demo(plot_learning_rate, {...}, frames=[...], alt="...", update=update_learning_rate)
    demo                        # last line of a cell: live controls, or the static scrubber
    demo.compute(b=0.5)         # the pure function, for tests and for readers
    demo.code(b=0.5)            # 'plotting.plot_gates(w1=1.0, w2=1.0, b=0.5)'
"""

import base64
import html
import io
from dataclasses import dataclass

import ipywidgets
import numpy as np
from matplotlib.figure import Figure

STATIC_NOTE = (
    "Static preview: drag the slider below the figure to step through {n} settings. "
    "To move every control yourself, run this page live (the rocket button at the top, "
    "or <code>make lab</code> on your machine)."
)


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
    def extremes(self):
        """The values a fuzz test should try: the two ends."""
        return (self.min, self.max)

    def make(self, name):
        """The ipywidgets control for this slider."""
        label = self.description or name
        style = {"description_width": "initial"}
        if self.log:
            return ipywidgets.FloatLogSlider(
                value=self.value, base=10, min=np.log10(self.min), max=np.log10(self.max),
                step=self.step, description=label, style=style, continuous_update=True,
            )
        if all(isinstance(v, int) for v in (self.min, self.max, self.value, self.step)):
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

    @property
    def extremes(self):
        return tuple(self.options)

    def make(self, name):
        return ipywidgets.Dropdown(options=list(self.options), value=self.value,
                                   description=self.description or name)


class Demo:
    """A pure function of named parameters, shown live with controls or statically as a scrubber.

    function: keyword arguments -> a matplotlib Figure or a str.
    controls: {parameter name: Slider or Choice}; their values are the defaults.
    frames: settings for the static scrubber, each {parameter name: value}; parameters not
        named keep their defaults. At least two.
    alt: alt text for the static images (the settings of each frame are appended).
    update: optional ``update(figure, **settings) -> Figure or None`` that redraws a figure
        made by ``function`` in place (see "Fast redraws" above); the live view uses it.
    """

    def __init__(self, function, controls, *, frames, alt, update=None):
        if len(frames) < 2:
            raise ValueError(f"a Demo needs at least 2 frames for its static scrubber; got {len(frames)}")
        if not alt:
            raise ValueError("a Demo needs alt text describing what its figure shows")
        self.function = function
        self.controls = dict(controls)
        self.frames = [dict(frame) for frame in frames]
        self.alt = alt
        self.update = update
        for frame in self.frames:
            self._settings(frame)  # fail early on a misspelt parameter

    @property
    def defaults(self):
        """The starting value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def _settings(self, overrides):
        unknown = set(overrides) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown parameter(s) {sorted(unknown)}; this demo has {sorted(self.controls)}")
        return {**self.defaults, **overrides}

    def compute(self, **overrides):
        """Call the demo's function with the defaults, updated by ``overrides``."""
        return self.function(**self._settings(overrides))

    def code(self, **overrides):
        """The call the demo makes for these settings, as a line of code to paste into a cell."""
        module = self.function.__module__
        prefix = module.rsplit(".", 1)[-1] + "." if module.startswith("nnbook.") else ""
        args = ", ".join(f"{name}={_literal(value)}" for name, value in self._settings(overrides).items())
        return f"{prefix}{self.function.__name__}({args})"

    def corner_cases(self):
        """Settings with one control at a time at each of its extremes (for fuzz tests)."""
        return [{name: value} for name, control in self.controls.items() for value in control.extremes]

    def widget(self):
        """The live view: controls, the output and the current call as code."""
        return DemoWidget(self)

    def static_html(self):
        """The website's view: every frame rendered, a range input to step through them."""
        figures = []
        for index, frame in enumerate(self.frames):
            call = html.escape(self.code(**frame))
            body = _to_html(self.compute(**frame), alt=f"{self.alt} Settings: {self.code(**frame)}")
            hidden = "" if index == 0 else ' style="display:none"'
            figures.append(
                f'<figure class="nnbook-demo-frame"{hidden}>{body}'
                f"<figcaption>Setting {index + 1} of {len(self.frames)}: <code>{call}</code></figcaption></figure>"
            )
        # The handler shows frame number `value` and hides the others; no ids, no external JS.
        on_input = (
            "var f=this.closest('.nnbook-demo').querySelectorAll('.nnbook-demo-frame');"
            "for(var i=0;i<f.length;i++){f[i].style.display=(i==this.value)?'':'none';}"
        )
        return (
            '<div class="nnbook-demo">'
            f'<p class="nnbook-demo-note"><em>{STATIC_NOTE.format(n=len(self.frames))}</em></p>'
            + "".join(figures)
            + f'<input type="range" class="nnbook-scrubber" min="0" max="{len(self.frames) - 1}" '
            f'value="0" step="1" style="width:100%" aria-label="step through {len(self.frames)} settings" '
            f'oninput="{on_input}">'
            "</div>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"Demo: {self.code()}"
        return bundle


class DemoWidget(ipywidgets.VBox):
    """The live view of a Demo: one control per parameter, the output, the call as code."""

    def __init__(self, demo):
        self.demo = demo
        self.controls = {name: control.make(name) for name, control in demo.controls.items()}
        self.output = ipywidgets.Output()
        self.code_line = ipywidgets.HTML()
        self.result = None
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
        settings = self.settings
        result = None
        if self.demo.update is not None and self.result is not None:
            result = self.demo.update(self.result, **self.demo._settings(settings))
        self.result = result if result is not None else self.demo.compute(**settings)
        self.code_line.value = f"<code>{html.escape(self.demo.code(**settings))}</code>"
        # Replacing the outputs in one assignment avoids the flicker of clear-then-draw.
        if self.demo.update is not None and isinstance(self.result, Figure):
            data = {"image/png": base64.b64encode(figure_png(self.result)).decode("ascii"),
                    "text/plain": repr(self.result)}
            metadata = {}
        else:
            data, metadata = _display_formatter().format(self.result)
        self.output.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)


def figure_png(figure):
    """Render ``figure`` to PNG bytes quickly, for a live redraw (see "Fast redraws").

    The figure keeps an Agg canvas between calls. If ``figure.nnbook_dynamic`` lists artists
    (lines, texts, whole axes), the rest is drawn once and saved; later calls restore it and
    repaint only those artists. PNG compression is light: speed matters more than bytes here.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    dynamic = list(getattr(figure, "nnbook_dynamic", None) or ())
    if dynamic:
        key = (canvas.get_width_height(), figure.dpi)
        saved = getattr(figure, "_nnbook_background", None)
        if saved is None or saved[0] != key:
            visible = [artist.get_visible() for artist in dynamic]
            for artist in dynamic:
                artist.set_visible(False)
            canvas.draw()
            figure._nnbook_background = (key, canvas.copy_from_bbox(figure.bbox))
            for artist, was_visible in zip(dynamic, visible):
                artist.set_visible(was_visible)
        else:
            canvas.restore_region(saved[1])
        renderer = canvas.get_renderer()
        for artist in dynamic:
            if artist.get_visible():
                artist.draw(renderer)
    else:
        canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


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


def _to_html(result, alt):
    if isinstance(result, Figure):
        buffer = io.BytesIO()
        result.savefig(buffer, format="png")
        encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
        return f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt)}" style="max-width:100%">'
    return f"<pre>{html.escape(str(result))}</pre>"
