"""Liveness and readiness: database reachable, which LLM engine is active."""

from fastapi import APIRouter, Request, Response, status
from sqlalchemy import text

from app.deps import SessionDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(request: Request, response: Response, session: SessionDep) -> dict:
    """Service status; 503 when the database does not answer."""
    settings = request.app.state.settings
    try:
        session.exec(text("SELECT 1"))
        db = "ok"
    except Exception:  # any driver error means "not ready"
        db = "error"
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    model = settings.llm_model if settings.llm_enabled else None
    # Per process, unless RATE_LIMIT_STORAGE is Redis: then every worker shares one (app.llm.shared_breaker).
    circuit = request.app.state.model_guard.breaker.snapshot() if settings.llm_enabled else None
    return {
        "status": "ok" if db == "ok" else "degraded",
        "db": db,
        "llm": {"provider": settings.llm_provider, "model": model, "circuit": circuit},
    }
