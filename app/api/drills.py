"""Drills: managers assign role-play practice, reps see theirs, results and reviews."""

from fastapi import APIRouter

router = APIRouter(prefix="/drills", tags=["drills"])
