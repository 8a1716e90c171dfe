"""Ask the playbook: cited answers, streamed answers, and the passages they cite."""

from fastapi import APIRouter

router = APIRouter(prefix="", tags=["ask"])
