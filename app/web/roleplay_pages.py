"""Role-play pages: scenario picker, the chat with the coach sidebar, the scorecard."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
