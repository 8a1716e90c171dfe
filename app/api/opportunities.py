"""Opportunities (real deals) and the pipeline by milestone."""

from fastapi import APIRouter

router = APIRouter(prefix="/opportunities", tags=["opportunities"])
