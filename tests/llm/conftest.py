"""LLM-mode fixtures: the rep's headers on the app that talks to the loopback model server."""

import pytest

from tests.utils.factories import auth_headers


@pytest.fixture
def headers(llm_client, rep) -> dict[str, str]:
    return auth_headers(llm_client, rep)
