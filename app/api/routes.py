"""Assembles the /api routers: a small public part, everything else behind a bearer token."""

from fastapi import APIRouter, Depends

from app.api import (
    ask,
    auth,
    coach,
    drills,
    flows,
    health,
    knowledge_docs,
    notes,
    opportunities,
    rehearsals,
    roleplay,
    scenarios,
    team,
    users,
)
from app.deps import get_current_user

public = APIRouter()
public.include_router(health.router)
public.include_router(auth.public_router)

# Deny by default: every router included here requires a signed-in user before its own checks run.
protected = APIRouter(dependencies=[Depends(get_current_user)])
# knowledge_docs before ask: /knowledge/documents must not be taken for a passage id (/knowledge/{chunk_id}).
for module in (
    auth,
    scenarios,
    roleplay,
    coach,
    notes,
    knowledge_docs,
    ask,
    flows,
    opportunities,
    rehearsals,
    drills,
    team,
    users,
):
    protected.include_router(module.router)

api_router = APIRouter(prefix="/api")
api_router.include_router(public)
api_router.include_router(protected)
