"""The pipeline page: opportunities by milestone as a funnel with the weighted forecast."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
