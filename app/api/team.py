"""Team analytics for managers: pass rates, skills, progress, CSV export."""

from fastapi import APIRouter

router = APIRouter(prefix="/team", tags=["team"])
