"""Question flows for real deals: list flows, start runs, answer steps, pause and resume."""

from fastapi import APIRouter

router = APIRouter(prefix="", tags=["flows"])
