"""Flow results: one module per flow, found through the registry (no if-chain to extend for a new flow)."""

import pytest

from app.flows.definitions import FLOW_IDS
from app.flows.results import REGISTRY, RESULT_MODELS, FlowResult, compute_result


def test_every_flow_has_its_rules_in_a_module_of_its_own():
    assert set(REGISTRY) == set(FLOW_IDS)
    for flow_id, rules in REGISTRY.items():
        assert rules.flow_id == flow_id and issubclass(rules.model, FlowResult)
        assert rules.compute.__module__ == f"app.flows.results.{flow_id}"
        assert RESULT_MODELS[flow_id] is rules.model


def test_an_unknown_flow_is_refused_before_any_rule_runs():
    with pytest.raises(KeyError, match="no_such_flow"):
        compute_result("no_such_flow", {})
