"""Question-flow pages: pick a flow, answer it as a chat, see the result."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
