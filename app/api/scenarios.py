"""Role-play scenarios: the public list for reps, the full scenario for managers."""

from fastapi import APIRouter

router = APIRouter(prefix="/scenarios", tags=["scenarios"])
