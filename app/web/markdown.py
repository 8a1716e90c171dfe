"""Knowledge passages as HTML: Markdown through markdown-it-py with raw HTML escaped (uploaded text cannot inject)."""

import re

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

# CommonMark with tables; html=False escapes any raw HTML in the text, and markdown-it's link check refuses
# javascript:, vbscript:, file: and data: URLs (except images).
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> Markup:
    """Safe HTML for a passage's Markdown."""
    return Markup(_renderer.render(text))


# **bold** inside one line, as the playbook's passages mark key phrases.
_BOLD = re.compile(r"\*\*([^*\n]+?)\*\*")


def render_emphasis(text: str) -> Markup:
    """Plain text (an Ask answer, kept line by line) escaped, with its **bold** phrases as <strong>."""
    return Markup(_BOLD.sub(r"<strong>\1</strong>", str(escape(text))))
