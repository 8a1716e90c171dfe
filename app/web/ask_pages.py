"""The Ask-the-playbook page: question form, streamed answer, citations that open the passage."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
