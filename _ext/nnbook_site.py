"""The nnbook site's Sphinx extension, loaded through `sphinx.local_extensions` in _config.yml.

What it does, and why:

* **Demos in their static view.** It sets ``NNBOOK_DEMO_VIEW=static`` (``nnbook.widgets.
  VIEW_VARIABLE``) before the notebooks run, so every ``nnbook.widgets.Demo`` shows its
  pre-drawn frames with one labelled range input per varied control (the website has no
  kernel). The extension does not care how many frames there are or which settings they
  show: it rewrites every ``nnbook-demo-frame`` figure the same way.
* **Light pages.** The static views carry their frames as ``data:`` images. At build time
  every such image is written to ``_images/nnbook/<sha1>.<ext>`` beside the pages and the
  ``src`` points there; a hidden frame gets ``loading="lazy"`` (the browser fetches it when
  it is first shown) and the shown frame loads at once. Chapter 4 went from 2.3 MB of HTML
  to about 0.15 MB plus the images actually shown. A frame's call may wrap after its
  opening parenthesis (``<wbr>``), so a phone does not scroll it sideways.
* **Working menu buttons.** ``templates/layout.html`` drops pydata-sphinx-theme 0.17's top
  navbar, whose hidden duplicate of the menu button made the theme's scripts ignore the
  visible one (phones could not open the chapter list; the desktop collapse was dead).
* **The site's CSS and script** (``static/nnbook.css``, ``static/nnbook.js``): readable demo
  text in light and dark mode, captions that wrap between words, no sideways scrolling on
  phones, figures that open full size when tapped.
* **Nothing serious for axe-core** (tests/site/test_accessibility.py): controls named by
  what they show (the "Show code cell source" toggles lose myst-nb's "Toggle hidden
  content" label; the theme's search and colour-mode buttons are re-templated in
  ``templates/search-button-field.html`` and ``templates/theme-switcher.html``, written for
  pydata-sphinx-theme 0.17) and the bibliography's entries are list items.
* **One copy of each inline script.** With Jupyter Book 1, sphinx-thebe and
  sphinx-togglebutton register their inline scripts twice (once with filename None, once
  with ''), so a page declared ``const THEBE_JS_URL`` twice and the browser reported
  "Identifier 'THEBE_JS_URL' has already been declared". We keep the first copy.

The assets live here rather than in a ``_static`` folder: Jupyter Book injects every
script and stylesheet under ``_static`` into every page.
"""

import base64
import hashlib
import os
import posixpath
import re
from pathlib import Path

from docutils import nodes

from nnbook.widgets import VIEW_VARIABLE  # the one name nnbook.widgets reads to pick a demo's view

HERE = Path(__file__).resolve().parent
#: Where the demos' frames are written, relative to the site's root.
FRAMES_DIR = "_images/nnbook"

_DATA_IMAGE = re.compile(r'src="data:image/(png|jpeg|webp|gif|svg\+xml);base64,([A-Za-z0-9+/=\s]+)"')
_FRAME = re.compile(r'(<figure\b[^>]*class="[^"]*nnbook-demo-frame[^"]*"[^>]*>)(.*?)(</figure>)', re.S)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.S)
_CALL = re.compile(r'(<code class="nnbook-demo-call">)(.*?)(</code>)', re.S)
_EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp", "gif": "gif", "svg+xml": "svg"}


def _config_inited(app, config):
    config.templates_path = [str(HERE / "templates"), *config.templates_path]
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]


def _write_frame(outdir, kind, payload):
    data = base64.b64decode(re.sub(r"\s", "", payload))
    name = f"{hashlib.sha1(data).hexdigest()}.{_EXTENSIONS[kind]}"
    target = Path(outdir) / FRAMES_DIR / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(target.suffix + f".{os.getpid()}.part")
        temporary.write_bytes(data)
        temporary.replace(target)  # atomic: parallel writers of the same frame cannot clash
    return f"{FRAMES_DIR}/{name}"


def _set_loading(img_tag, lazy):
    img_tag = re.sub(r'\s+loading="[^"]*"', "", img_tag)
    if lazy:
        img_tag = img_tag[:4] + ' loading="lazy"' + img_tag[4:]
    return img_tag


def rewrite_demo_html(text, outdir, docname):
    """A demo's static view with its data: images written to files and hidden frames lazy."""
    folder = posixpath.dirname(docname) or "."

    def to_file(match):
        relative = posixpath.relpath(_write_frame(outdir, match.group(1), match.group(2)), folder)
        return f'src="{relative}"'

    def frame(match):
        opening, body, closing = match.groups()
        hidden = re.search(r"\shidden(\s|=|>|$)", opening) or re.search(r"display:\s*none", opening)
        body = _IMG_TAG.sub(lambda tag: _set_loading(tag.group(0), bool(hidden)), body)
        return opening + body + closing

    def call(match):  # a phone may wrap a long call after its "(" (never inside a name)
        return match.group(1) + match.group(2).replace("(", "(<wbr>", 1) + match.group(3)

    return _CALL.sub(call, _DATA_IMAGE.sub(to_file, _FRAME.sub(frame, text)))


def _externalize_demo_frames(app, doctree, docname):
    if app.builder.format != "html":
        return
    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "").split():
            continue
        text = node.astext()
        if "nnbook-demo" not in text or "data:image/" not in text:
            continue
        new = rewrite_demo_html(text, app.outdir, docname)
        node.replace_self(nodes.raw(new, new, format="html"))


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        attributes = getattr(script, "attributes", {})
        key = (getattr(script, "filename", str(script)) or "",
               tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


#: What the page's body says to assistive technology, fixed (axe-core's serious findings):
_ACCESSIBLE_BODY = {
    # myst-nb names every "Show code cell source" toggle "Toggle hidden content", which does
    # not contain what it shows (label-content-name-mismatch: a speech-input user says the
    # words they see). Without the aria-label a <summary> is named by its shown text.
    '<summary aria-label="Toggle hidden content">': "<summary>",
    # docutils puts the bibliography's entries (role doc-biblioentry, deprecated in DPUB-ARIA
    # 1.1) in a role="list": a list must hold list items (aria-required-children).
    ' role="doc-biblioentry"': ' role="listitem"',
}


def _make_body_accessible(app, pagename, templatename, context, doctree):
    if "body" in context:
        for old, new in _ACCESSIBLE_BODY.items():
            context["body"] = context["body"].replace(old, new)


def setup(app):
    # The kernels that execute the chapters inherit this process's environment.
    os.environ[VIEW_VARIABLE] = "static"
    app.connect("config-inited", _config_inited)
    app.connect("doctree-resolved", _externalize_demo_frames)
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    app.connect("html-page-context", _make_body_accessible)
    app.add_css_file("nnbook.css")
    app.add_js_file("nnbook.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
