"""create_app(): the FastAPI application with its routers, middleware and shared state."""

from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from app.api.routes import api_router
from app.auth import passwords
from app.config import PRODUCT_NAME, REPO_ROOT, Settings, get_settings
from app.db import make_engine
from app.errors import AppError
from app.i18n import get_lang, translate
from app.llm.budget import TokenBudget
from app.llm.factory import build_chat_model
from app.llm.resilience import ModelGuard
from app.llm.shared_breaker import breaker_for
from app.middleware import InputGuardMiddleware, ModelCallerMiddleware, SecurityHeadersMiddleware
from app.ratelimit import RateLimiter
from app.web import (
    admin_pages,
    ask_pages,
    drill_pages,
    flow_pages,
    knowledge_pages,
    notes_pages,
    pages,
    pipeline_pages,
    roleplay_pages,
    scenario_pages,
    team_pages,
)
from app.web.errors import localized_message
from app.web.security import PASSWORD_PAGE, CsrfFailed, LoginRequired, PasswordChangeRequired
from app.web.templating import render

MAX_BODY_BYTES = 256 * 1024  # no legitimate request is larger; field limits are tighter still
# Routes that take a file (multipart, binary, larger than MAX_BODY_BYTES under their own route limit).
FILE_UPLOAD_PATHS = frozenset({"/api/knowledge/documents", "/knowledge/documents"})
# Sync routes and dependencies run on these threads (anyio's default is 40). A request waiting for a thread may
# hold a database connection (e.g. between its route and FastAPI's response validation); when every thread is
# itself waiting for a connection, nothing moves until the pool times out. With more threads than requests in
# flight that cannot happen: bench/load_test.py's 200 simultaneous sessions deadlocked PostgreSQL with 40.
WORKER_THREADS = 400


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or make_engine(settings.resolved_database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        yield
        engine.dispose()

    app = FastAPI(title=PRODUCT_NAME["en"], version="0.1.0", lifespan=lifespan, max_body_size=MAX_BODY_BYTES)
    app.state.settings = settings
    app.state.engine = engine
    app.state.secret_key = settings.resolved_secret_key()
    passwords.configure(settings.password_hash_cost, settings.password_hash_concurrency)
    app.state.limiter = RateLimiter(settings.rate_limit_storage)
    app.state.model_guard = ModelGuard(
        breaker=breaker_for(settings.rate_limit_storage), budget=TokenBudget(engine, settings.llm_daily_token_budget)
    )
    app.state.chat_model = build_chat_model(settings, app.state.model_guard)

    app.add_middleware(
        SessionMiddleware,
        secret_key=app.state.secret_key,
        session_cookie="sc_session",
        same_site="lax",
        max_age=14 * 24 * 3600,
    )
    app.add_middleware(ModelCallerMiddleware)
    app.add_middleware(InputGuardMiddleware, file_upload_paths=FILE_UPLOAD_PATHS)
    app.add_middleware(SecurityHeadersMiddleware)  # added last = outermost: its headers go on every response

    app.include_router(api_router)
    for module in (
        pages,
        admin_pages,
        roleplay_pages,
        notes_pages,
        ask_pages,
        flow_pages,
        pipeline_pages,
        drill_pages,
        team_pages,
        knowledge_pages,
        scenario_pages,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=REPO_ROOT / "app" / "web" / "static"), name="static")
    _add_exception_handlers(app)
    return app


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _add_exception_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _exc: LoginRequired):
        if request.headers.get("hx-request"):
            return JSONResponse({"detail": "login required"}, status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def to_password_page(request: Request, _exc: PasswordChangeRequired):
        if request.headers.get("hx-request"):
            return JSONResponse(
                {"detail": "password change required"}, status_code=403, headers={"HX-Redirect": PASSWORD_PAGE}
            )
        return RedirectResponse(PASSWORD_PAGE, status_code=303)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _exc: CsrfFailed):
        message = translate("common.csrf_failed", get_lang(request))
        if _wants_html(request):
            return render(request, "error.html", {"status_code": 403, "message": message}, status_code=403)
        return JSONResponse({"detail": message}, status_code=403)

    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError):
        message = localized_message(exc.status, exc.detail, get_lang(request))
        if _wants_html(request):
            page = render(
                request, "error.html", {"status_code": exc.status, "message": message}, status_code=exc.status
            )
            page.headers.update(exc.headers or {})
            return page
        return JSONResponse(
            {"detail": exc.detail, "code": exc.code, "message": message}, status_code=exc.status, headers=exc.headers
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = localized_message(exc.status_code, exc.detail, get_lang(request))
        if _wants_html(request):
            page = render(
                request, "error.html", {"status_code": exc.status_code, "message": message}, status_code=exc.status_code
            )
            page.headers.update(exc.headers or {})  # a 429 page keeps its Retry-After
            return page
        # `detail` keeps the API's wording; `message` says it in the user's language (what the pages show).
        return JSONResponse(
            {"detail": exc.detail, "message": message}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        message = translate("error.validation", get_lang(request))
        if _wants_html(request):
            return render(request, "error.html", {"status_code": 422, "message": message}, status_code=422)
        return JSONResponse({"detail": jsonable_encoder(exc.errors()), "message": message}, status_code=422)
