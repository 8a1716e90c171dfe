"""Knowledge passages as HTML: Markdown through markdown-it-py with raw HTML escaped (uploaded text cannot inject)."""

from markdown_it import MarkdownIt
from markupsafe import Markup

# CommonMark with tables; html=False escapes any raw HTML in the text, and markdown-it's link check refuses
# javascript:, vbscript:, file: and data: URLs (except images).
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> Markup:
    """Safe HTML for a passage's Markdown."""
    return Markup(_renderer.render(text))
