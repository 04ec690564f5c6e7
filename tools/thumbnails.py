"""Draw the landing page's thumbnails: each chapter's main figure, small.

    python tools/thumbnails.py              # every chapter in THUMBNAILS
    python tools/thumbnails.py --only 07    # one chapter (repeat --only for more)

Each chapter's card on the landing page (``intro.md``) shows the figure the chapter is known
for: its main demo at its default settings (the figure a reader first sees in that demo), or,
for a chapter without a demo, one of its figures. Which one is an explicit choice, made in
``THUMBNAILS`` below (``tests/notebooks/test_landing.py`` checks that it names demos and
figures that exist). A figure may be cropped to some of its panels (``panels``: indices into
``figure.axes``, each kept with its title and labels), so that a tall figure of several panels
still reads at thumbnail size.

Every thumbnail is ``SIZE`` pixels (the picture scaled to fit and centred on white, so the
cards line up), stored as a palette PNG in ``images/thumbnails/NN.png`` (NN: the chapter's
number). Re-run it after changing a chapter's main figure; with no change, it rewrites the
same bytes.
"""

import argparse
import io
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "images" / "thumbnails"
#: Width and height of every thumbnail, in pixels (4:3, as the cards show them).
SIZE = (320, 240)
#: Dots per inch to draw at before scaling down (sharper lines than drawing small).
DRAW_DPI = 150
#: White margin around the picture, in inches.
PAD_INCHES = 0.08
#: A thumbnail's size budget: the page shows all of them at once.
MAX_BYTES = 40_000


@dataclass(frozen=True)
class Thumbnail:
    """What a chapter's card shows: a demo (its name in the chapter module's ``DEMOS``) at its
    defaults, or a figure function of the chapter module called with no arguments."""

    demo: str = ""
    figure: str = ""
    panels: tuple = ()

    def __post_init__(self):
        if bool(self.demo) == bool(self.figure):
            raise ValueError("a Thumbnail names a demo or a figure function, exactly one of them")


#: Chapter number -> the figure its card shows (the demo the chapter is known for).
THUMBNAILS = {
    "00": Thumbnail(figure="plot_ai_venn"),                 # where deep learning sits
    "01": Thumbnail(demo="neuron_gates"),                   # one neuron's line: AND, OR, NAND
    "02": Thumbnail(demo="space_warp", panels=(0,)),            # layers bend the plane
    "03": Thumbnail(demo="universal_approximation"),        # ReLU kinks follow a curve
    "04": Thumbnail(demo="learning_rate", panels=(0,)),         # a step size on a bowl
    "05": Thumbnail(demo="xor_training", panels=(0,)),          # a net learns XOR
    "06": Thumbnail(demo="race", panels=(0,)),                  # the optimizer race
    "07": Thumbnail(demo="playground"),                     # the playground
    "08": Thumbnail(demo="explainer", panels=(0, 1, 2, 3)),  # a CNN opened layer by layer
    "09": Thumbnail(demo="temperature", panels=(0,)),           # sampling text with a temperature
    "10": Thumbnail(demo="som"),                            # the appendix: a Kohonen map unfolds
}


def chapter_module(number):
    """The chapter module ``nnbook.book.chNN_...`` of chapter ``number`` ("07"): the one
    listed in ``nnbook.book.CHAPTERS``, or one not registered there yet (a chapter being
    written)."""
    import importlib
    import pkgutil

    from nnbook import book

    names = [name for name in book.CHAPTERS if name.startswith(f"ch{number}_")]
    names += sorted(info.name for info in pkgutil.iter_modules(book.__path__) if info.name.startswith(f"ch{number}_"))
    if not names:
        raise ValueError(f"chapter {number} has no module nnbook.book.ch{number}_... "
                         f"(the chapters are {list(book.CHAPTERS)})")
    return importlib.import_module(f"nnbook.book.{names[0]}")


def main_figure(number):
    """The matplotlib Figure of chapter ``number``'s card, drawn afresh."""
    if number not in THUMBNAILS:
        raise ValueError(f"no thumbnail chosen for chapter {number!r}; THUMBNAILS has {sorted(THUMBNAILS)}")
    choice, module = THUMBNAILS[number], chapter_module(number)
    if choice.demo:
        demos = getattr(module, "DEMOS", {})
        if choice.demo not in demos:
            raise ValueError(f"{module.__name__} has no demo {choice.demo!r}; its DEMOS are {sorted(demos)}")
        return demos[choice.demo]().compute()
    function = getattr(module, choice.figure, None)
    if not callable(function):
        raise ValueError(f"{module.__name__} has no figure function {choice.figure!r}")
    return function()


def render(figure, panels=()):
    """A PIL image of ``figure``, or of only the axes numbered ``panels`` with their labels."""
    from matplotlib.transforms import Bbox
    from PIL import Image

    figure.set_dpi(DRAW_DPI)
    bbox = "tight"
    if panels:
        wrong = [panel for panel in panels if not 0 <= panel < len(figure.axes)]
        if wrong:
            raise ValueError(f"panels {wrong} asked for; the figure has {len(figure.axes)} axes")
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        renderer = FigureCanvasAgg(figure).get_renderer()
        figure.draw(renderer)  # lay the figure out (constrained layout) before measuring
        boxes = [figure.axes[panel].get_tightbbox(renderer) for panel in panels]
        bbox = Bbox.union(boxes).transformed(figure.dpi_scale_trans.inverted()).padded(PAD_INCHES)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DRAW_DPI, bbox_inches=bbox, pad_inches=PAD_INCHES, facecolor="white")
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def thumbnail(image, size=SIZE):
    """``image`` scaled to fit ``size`` and centred on white, in at most 256 colours."""
    from PIL import Image

    scale = min(size[0] / image.width, size[1] / image.height)
    small = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                         Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", size, "white")
    canvas.paste(small, ((size[0] - small.width) // 2, (size[1] - small.height) // 2))
    return canvas.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def write(number, out=OUT):
    """Draw chapter ``number``'s thumbnail into ``out/NN.png``; return its path and size in bytes."""
    from matplotlib.figure import Figure

    choice = THUMBNAILS.get(number)
    figure = main_figure(number)
    if not isinstance(figure, Figure):
        raise ValueError(f"chapter {number}'s main figure is a {type(figure).__name__}, not a Figure")
    image = thumbnail(render(figure, choice.panels))
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{number}.png"
    buffer = io.BytesIO()
    image.save(buffer, format="png", optimize=True)
    data = buffer.getvalue()
    if len(data) > MAX_BYTES:
        raise ValueError(f"chapter {number}'s thumbnail is {len(data):,} bytes, over {MAX_BYTES:,}")
    path.write_bytes(data)
    return path, len(data)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", metavar="NN",
                        help="a chapter's two-digit number, e.g. 07 (repeatable); default: every chapter")
    args = parser.parse_args(argv)
    numbers = args.only or sorted(THUMBNAILS)
    unknown = [number for number in numbers if number not in THUMBNAILS]
    if unknown:
        parser.error(f"no thumbnail chosen for chapter(s) {unknown}; THUMBNAILS has {sorted(THUMBNAILS)}")
    from nnbook import plotting

    plotting.use_book_style()
    for number in numbers:
        path, size = write(number)
        print(f"{size / 1000:5.1f} kB  {path.relative_to(ROOT)}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
