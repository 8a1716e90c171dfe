"""The coach on demand: SPIN label for any single utterance."""

from fastapi import APIRouter

router = APIRouter(prefix="/coach", tags=["coach"])
