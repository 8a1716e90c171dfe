"""Team pages for managers: dashboard, rep progress, attempt review."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
