"""Role-play sessions: start, take turns (JSON or streamed), finish, read the transcript."""

from fastapi import APIRouter

router = APIRouter(prefix="/roleplays", tags=["roleplay"])
