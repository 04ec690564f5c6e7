"""Sphinx fixes for the nnbook site, loaded through `sphinx.local_extensions` in _config.yml.

With Jupyter Book 1, sphinx-thebe and sphinx-togglebutton register their inline scripts
twice (once with filename None, once with ''), so every page declared
`const THEBE_JS_URL` twice and the browser reported "Identifier 'THEBE_JS_URL' has already
been declared". We keep the first copy of every identical script on each page.
"""


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        attributes = getattr(script, "attributes", {})
        key = (getattr(script, "filename", str(script)) or "", tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
