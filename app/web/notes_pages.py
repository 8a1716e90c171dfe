"""Coaching-note pages: the list and one note, readable and exportable."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
