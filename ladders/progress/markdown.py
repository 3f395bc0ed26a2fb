"""Observation text is Markdown written by anyone in the organisation: render it without raw
HTML, then sanitise what came out, so nothing a writer types can run in a reader's browser."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_markdown(text: str) -> str:
    """Safe HTML for `text`; links are marked nofollow and open no reference to this page."""
    return nh3.clean(
        _parser.render(text),
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
