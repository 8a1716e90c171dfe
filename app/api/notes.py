"""Coaching notes: list, read and export the structured note every finished session leaves."""

from fastapi import APIRouter

router = APIRouter(prefix="/notes", tags=["notes"])
