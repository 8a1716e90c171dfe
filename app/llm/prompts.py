"""Prompt templates are files under prompts/, rendered with Jinja2 and loaded by name (e.g. "buyer_v1")."""

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app.config import PRODUCT_NAME, REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"


@lru_cache
def _environment() -> Environment:
    # Plain text, not HTML: no autoescaping; undefined variables are errors, not silent blanks. Prompts are part
    # of a release: read once, not checked for changes on disk at every call (auto_reload stats each file).
    return Environment(
        loader=FileSystemLoader(PROMPTS_DIR),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,
    )


def render_prompt(name: str, **variables: object) -> str:
    """Render prompts/<name>.j2 with the given variables; `product_name` defaults to the product's Chinese name."""
    return _environment().get_template(f"{name}.j2").render(**{"product_name": PRODUCT_NAME["zh"], **variables})


def prompt_names() -> list[str]:
    return sorted(p.stem for p in PROMPTS_DIR.glob("*.j2"))
