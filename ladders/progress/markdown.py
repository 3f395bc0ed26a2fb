"""Observation text is Markdown written by anyone in the organisation: render it without raw
HTML, then sanitise what came out, so nothing a writer types can run in a reader's browser."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# No images: an image from another site loads when a manager opens the page, telling its owner
# who read a private observation and when. `![alt](url)` stays a plain link to follow by choice.
_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
_TAGS = set(nh3.ALLOWED_TAGS) - {"img"}


def render_markdown(text: str) -> str:
    """Safe HTML for `text`; links are marked nofollow and open no reference to this page."""
    return nh3.clean(
        _parser.render(text),
        tags=_TAGS,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
