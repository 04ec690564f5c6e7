"""Texts shipped with the book, read by ``nnbook.text.load_text`` (sources and licences: README.md)."""
