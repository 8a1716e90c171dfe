"""A burst of simultaneous requests on one event loop does not deadlock the database pool (found by bench/load_test.py).

With anyio's default 40 worker threads, 200 simultaneous session starts all failed: requests holding a pooled
connection waited for a thread while every thread waited for a connection, until the 30 s pool timeout.
"""

import asyncio
import time

import httpx

from app.auth.tokens import create_access_token
from app.models import Role, User

BURST = 200


def test_200_simultaneous_session_starts_all_succeed(client, session):
    secret = client.app.state.secret_key
    users = [User(username=f"burst{index}", password_hash="!", role=Role.rep) for index in range(BURST)]
    session.add_all(users)
    session.commit()  # no passwords: the tokens are minted, signing in is not what this tests
    headers = [{"Authorization": f"Bearer {create_access_token(user.id, secret, 10)}"} for user in users]

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=client.app)  # the app's own event loop, real concurrency
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=120) as burst_client:
            return await asyncio.gather(
                *(
                    burst_client.post("/api/roleplays", json={"scenario_id": "mfg_vitamin_erp"}, headers=each)
                    for each in headers
                )
            )

    began = time.monotonic()
    responses = client.portal.call(burst)  # inside the running app, after its lifespan set the thread pool up
    seconds = time.monotonic() - began
    statuses = sorted({response.status_code for response in responses})
    assert statuses == [201], f"statuses {statuses} after {seconds:.1f} s"
    assert seconds < 25, f"{BURST} starts took {seconds:.1f} s: close to the 30 s pool timeout means a deadlock"
