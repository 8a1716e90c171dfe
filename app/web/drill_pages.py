"""Drill pages: reps' assigned drills, managers' drill creation and results."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
