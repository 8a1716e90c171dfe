"""Size limits on every input: strings and lists in the schema are bounded, lists paginated, bad input a clear 422."""

from __future__ import annotations

import re

import pytest

from app.main import MAX_BODY_BYTES

MAX_PAGE = 100
# GET routes answering a list that need no pagination: catalogues shipped with the app, and one row per assignee
# of a drill (at most DrillCreate.assignees' maxItems).
BOUNDED_LISTS = {"/api/scenarios", "/api/flows", "/api/drills/{drill_id}/results"}
# The OAuth2 password form is FastAPI's own; the route cuts username and password to 64 and 256 characters.
UNBOUNDED_FORM_FIELDS = {"Body_issue_token_api_auth_token_post"}


def _resolve(schema: dict, components: dict) -> dict:
    ref = schema.get("$ref")
    return components[ref.rsplit("/", 1)[-1]] if ref else schema


def unbounded(schema: dict, components: dict, where: str, seen: set[str], *, integers: bool = True) -> list[str]:
    """Places under `schema` where a string has no maxLength (nor enum, format or fixed pattern), a list no maxItems,
    or (with `integers`) an id no maximum: ids beyond PostgreSQL's 32-bit INTEGER would fail in its driver."""
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name in seen or name in UNBOUNDED_FORM_FIELDS:
            return []
        return unbounded(components[name], components, f"{where}→{name}", seen | {name}, integers=integers)
    problems = []
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            problems += unbounded(option, components, where, seen, integers=integers)
    kind = schema.get("type")
    if (
        kind == "string"
        and "maxLength" not in schema
        and "enum" not in schema
        and "const" not in schema
        and schema.get("format") not in ("date", "date-time", "binary")
        and not (schema.get("pattern") and not re.search(r"[*+{]", schema["pattern"]))
    ):
        problems.append(f"{where}: string without maxLength")
    if integers and kind == "integer" and where.endswith("id") and "maximum" not in schema:
        problems.append(f"{where}: id without maximum")
    if kind == "array":
        if "maxItems" not in schema:
            problems.append(f"{where}: list without maxItems")
        problems += unbounded(schema.get("items", {}), components, f"{where}[]", seen, integers=integers)
    for name, prop in schema.get("properties", {}).items():
        problems += unbounded(prop, components, f"{where}.{name}", seen, integers=integers)
    if isinstance(schema.get("additionalProperties"), dict):
        problems += unbounded(schema["additionalProperties"], components, f"{where}.*", seen, integers=integers)
    return problems


@pytest.fixture
def schema(app) -> dict:
    return app.openapi()


def test_every_input_string_and_list_is_bounded(schema):
    components = schema["components"]["schemas"]
    problems = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                # Whole numbers in paths and queries are range-checked for every route by InputGuardMiddleware.
                problems += unbounded(
                    parameter["schema"], components, f"{where} ?{parameter['name']}", set(), integers=False
                )
            for content in operation.get("requestBody", {}).get("content", {}).values():
                problems += unbounded(content["schema"], components, f"{where} body", set())
    assert not problems, f"{len(problems)} unbounded inputs:\n" + "\n".join(problems)


def test_every_listing_is_paginated_with_at_most_100_a_page(schema):
    components = schema["components"]["schemas"]
    problems = []
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or path in BOUNDED_LISTS:
            continue
        ok = operation["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
        if _resolve(ok, components).get("type") != "array":
            continue
        limit = next((p["schema"] for p in operation.get("parameters", []) if p["name"] == "limit"), None)
        if limit is None or not 1 <= limit.get("maximum", MAX_PAGE + 1) <= MAX_PAGE:
            problems.append(f"GET {path}: limit {limit}")
    assert not problems, f"listings without a limit ≤ {MAX_PAGE}: {problems}"


def test_a_long_turn_is_a_clear_422(client, headers):
    roleplay_id = client.post("/api/roleplays", json={"scenario_id": "mfg_vitamin_erp"}, headers=headers).json()["id"]
    response = client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": "问" * 2001}, headers=headers)
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "text"] and "2000" in error["msg"], error


@pytest.mark.parametrize(
    "url, body",
    [
        ("/api/ask", {"question": "q" * 1001}),
        ("/api/coach/spin", {"text": "x" * 2001}),
        ("/api/opportunities", {"account": "a" * 121}),
        ("/api/roleplays", {"scenario_id": "s" * 81}),
    ],
)
def test_oversized_fields_are_refused_with_the_field_named(client, headers, url, body):
    response = client.post(url, json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == next(iter(body)), response.text


@pytest.mark.parametrize(
    "url", ["/api/roleplays?limit=101", "/api/notes?limit=101", "/api/roleplays?limit=0", "/api/notes?offset=-1"]
)
def test_page_sizes_over_100_are_refused(client, headers, url):
    response = client.get(url, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][0] == "query"


@pytest.mark.parametrize(
    "url",
    [
        "/api/notes/99999999999999999999",
        "/api/roleplays?owner_id=-99999999999999999999",
        "/api/team/reps/9223372036854775808/progress",
        "/api/opportunities/2147483648",
        "/api/flow-runs/2147483648",
    ],
)
def test_ids_beyond_the_database_range_are_a_422_not_a_500(client, headers, url):
    response = client.get(url, headers=headers)
    assert response.status_code == 422, response.text
    assert "whole number" in response.json()["detail"][0]["msg"]
    assert response.headers["content-security-policy"], "the middleware's own answer has the security headers"
    assert client.get("/api/notes/2147483647", headers=headers).status_code == 404, "the largest id is fine"


def test_a_number_wrapped_in_control_characters_is_not_a_500(client, headers):
    """Found by schemathesis: "0\x1f" strips to "0" for str.strip() but is no int() literal."""
    response = client.get("/api/flow-runs?status=0%1F&limit=0", headers=headers)
    assert response.status_code == 422, response.text


def test_a_body_over_the_cap_is_refused_before_parsing(client, headers):
    response = client.post(
        "/api/coach/spin",
        content=b'{"text": "' + b"x" * MAX_BODY_BYTES + b'"}',
        headers=headers | {"content-type": "application/json"},
    )
    assert response.status_code == 413, response.text


def test_the_nul_character_is_a_422_in_paths_queries_and_bodies(client, headers):
    """Found by schemathesis on PostgreSQL, whose text columns cannot hold NUL: /api/flow-runs?flow_id=%00 was a 500."""
    for url in ("/api/flow-runs?flow_id=%00", "/api/notes/%00"):
        response = client.get(url, headers=headers)
        assert response.status_code == 422 and "NUL" in response.json()["detail"][0]["msg"], (url, response.text)
    started = client.post("/api/roleplays", json={"scenario_id": "mfg_vitamin_erp"}, headers=headers).json()
    turn = client.post(
        f"/api/roleplays/{started['id']}/turns", json={"text": "现在用什么系统\u0000？"}, headers=headers
    )
    assert turn.status_code == 422 and "NUL" in turn.text
    assert client.post("/login", data={"username": "a\x00", "password": "b"}).status_code == 422
    fine = client.post(
        f"/api/roleplays/{started['id']}/turns", json={"text": "现在用什么系统？增长了 100%00 也行"}, headers=headers
    )
    assert fine.status_code == 200, "a JSON body may say %00; only the NUL itself is refused"


def test_a_nul_in_the_query_names_the_parameter_not_the_path(client, headers):
    """The 422 said loc ["path"] for ?flow_id=%00; it names the query parameter, as the integer check does."""
    for url, loc in (
        ("/api/flow-runs?flow_id=%00", ["query", "flow_id"]),
        ("/api/flow-runs?limit=10&status=a%00b", ["query", "status"]),
        ("/api/notes/%00", ["path"]),
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 422, (url, response.text)
        assert response.json()["detail"][0]["loc"] == loc, (url, response.text)
