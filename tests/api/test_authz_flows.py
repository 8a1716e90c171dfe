"""Authorization table for flow runs and opportunities (see tests/utils/authz.py).

Reading: the owner, the owner's manager and admins. Writing: the owner only — those who may read
the object but not change it get 403, everyone else 404 (as if it did not exist).
"""

import pytest

from tests.utils.authz import case, check_case, everyone, new_opportunity, owner_manager_admin, owner_writes


def new_run(client, owner_headers, _session) -> int:
    response = client.post("/api/flows/opportunity_check/runs", json={}, headers=owner_headers)
    return response.json()["run_id"]


def answered_run(client, owner_headers, session) -> int:
    run_id = new_run(client, owner_headers, session)
    client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": "华东精工 ERP 升级"}, headers=owner_headers)
    return run_id


def paused_run(client, owner_headers, session) -> int:
    run_id = new_run(client, owner_headers, session)
    client.post(f"/api/flow-runs/{run_id}/pause", headers=owner_headers)
    return run_id


CASES = [
    case("GET", "/api/flows", everyone(200)),
    case("POST", "/api/flows/opportunity_check/runs", everyone(201), body={}),
    case("GET", "/api/flow-runs", everyone(200)),
    case("GET", "/api/flow-runs/{obj}", owner_manager_admin(200), obj=new_run),
    case("POST", "/api/flow-runs/{obj}/answers", owner_writes(200), body={"answer": "华东精工"}, obj=new_run),
    case("POST", "/api/flow-runs/{obj}/back", owner_writes(200), obj=answered_run),
    case("POST", "/api/flow-runs/{obj}/pause", owner_writes(200), obj=new_run),
    case("POST", "/api/flow-runs/{obj}/resume", owner_writes(200), obj=paused_run),
    case("POST", "/api/opportunities", everyone(201), body={"account": "新客户"}),
    case("GET", "/api/opportunities", everyone(200)),
    case("GET", "/api/opportunities/pipeline", everyone(200)),
    case("GET", "/api/opportunities/{obj}", owner_manager_admin(200), obj=new_opportunity),
    case("PATCH", "/api/opportunities/{obj}", owner_writes(200), body={"amount": 600000}, obj=new_opportunity),
]


@pytest.mark.parametrize("method, path, codes, body, obj", CASES)
def test_access(client, session, world, method, path, codes, body, obj):
    check_case(client, session, world, method, path, codes, body, obj)


def test_runs_list_is_only_your_own(client, world):
    run_id = new_run(client, world["owner"], None)
    for actor in ("other_rep", "manager_of_team", "admin"):
        assert run_id not in [run["id"] for run in client.get("/api/flow-runs", headers=world[actor]).json()]
