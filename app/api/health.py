"""Liveness and readiness: database reachable, which LLM engine is active; `?deep=1` (admins) calls the model."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from sqlalchemy import text

from app.deps import SessionDep, get_current_user, oauth2_scheme
from app.llm.calls import probe_model
from app.models import Role

router = APIRouter(tags=["health"])


@router.get("/health")
def health(
    request: Request,
    response: Response,
    session: SessionDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
    deep: bool = False,
) -> dict:
    """Service status; 503 when the database does not answer. `deep=1` (admins only) also makes a one-token model
    call and reports whether the model answered and how long it took."""
    if deep and get_current_user(request, session, token).role != Role.admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "admins only")
    settings = request.app.state.settings
    try:
        session.connection().execute(text("SELECT 1"))
        db = "ok"
    except Exception:  # any driver error means "not ready"
        db = "error"
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    model = settings.llm_model if settings.llm_enabled else None
    # Per process, unless RATE_LIMIT_STORAGE is Redis: then every worker shares one (app.llm.shared_breaker).
    circuit = request.app.state.model_guard.breaker.snapshot() if settings.llm_enabled else None
    llm = {"provider": settings.llm_provider, "model": model, "circuit": circuit}
    if deep:
        chat_model = request.app.state.chat_model
        llm["probe"] = probe_model(chat_model) if chat_model is not None else None
    return {"status": "ok" if db == "ok" else "degraded", "db": db, "llm": llm}
