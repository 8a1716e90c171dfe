"""The Jinja2 environment for pages and the one helper that renders them."""

from datetime import datetime

from fastapi import Request
from fastapi.templating import Jinja2Templates

from app.coaching.reader import for_reader
from app.config import REPO_ROOT
from app.i18n import get_lang, translate
from app.models.common import team_time
from app.web.markdown import render_emphasis
from app.web.security import csrf_token

templates = Jinja2Templates(directory=REPO_ROOT / "app" / "web" / "templates")


def local_time(moment: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored (UTC) moment as the teams read it, in their time zone: `{{ note.created_at | local_time }}`."""
    return team_time(moment).strftime(fmt)


templates.env.filters["local_time"] = local_time


def money_short(value: float | None, lang: str = "zh") -> str:
    """An amount short enough for a number card: ¥1375万 / ¥13.75M from 13,750,000 (below a million, in full)."""
    if value is None:
        return "—"
    if abs(value) < 1_000_000:
        return f"¥{value:,.0f}"
    if lang == "zh":
        return f"¥{value / 1e8:.4g}亿" if abs(value) >= 1e8 else f"¥{value / 1e4:.6g}万"
    return f"¥{value / 1e9:.4g}B" if abs(value) >= 1e9 else f"¥{value / 1e6:.4g}M"


templates.env.filters["money_short"] = money_short
# the coach's lines for their reader: `{{ item.text_en | for_reader(lang, reader_rep) }}`, where `reader_rep`
# is the rep's name when someone else reads the rep's coaching (unset or empty: the rep reads it)
templates.env.filters["for_reader"] = for_reader
templates.env.filters["emphasis"] = render_emphasis  # an Ask answer's **bold** as <strong>


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200):
    """Render a page with the language, translator, CSRF token and current user filled in."""
    lang = get_lang(request)
    ctx = {
        "lang": lang,
        "t": lambda key, **values: translate(key, lang, **values),
        "csrf_token": csrf_token(request),
        "user": getattr(request.state, "user", None),
        "llm_enabled": request.app.state.settings.llm_enabled,
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers["vary"] = "Accept-Language, Cookie"  # the language comes from either (app.i18n.get_lang)
    return response
