"""The Jinja2 environment for pages and the one helper that renders them."""

from datetime import datetime

from fastapi import Request
from fastapi.templating import Jinja2Templates

from app.config import REPO_ROOT
from app.models.common import team_time
from app.i18n import get_lang, translate
from app.web.security import csrf_token

templates = Jinja2Templates(directory=REPO_ROOT / "app" / "web" / "templates")


def local_time(moment: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored (UTC) moment as the teams read it, in their time zone: `{{ note.created_at | local_time }}`."""
    return team_time(moment).strftime(fmt)


templates.env.filters["local_time"] = local_time


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
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
