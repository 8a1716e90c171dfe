"""Result models of the five flows (the coaching note content), computed deterministically from the answers.

One module per flow holds its result model and its rules (`RULES`); `REGISTRY` maps a flow id to them and
`compute_result(flow_id, answers, groups)` looks the flow up there. Every result lists the playbook elements
it relies on in `citations`. Rules are simple and documented next to the code, so a coach can explain every
line of a note; shared pieces live in `common.py`.
"""

from __future__ import annotations

from typing import Any

from app.flows.results import dragon_diagnosis, fivek_intensity, opportunity_check, spin_call_plan, stakeholder_map
from app.flows.results.common import Citation, FlowResult, FlowRules, Groups, Labeled, Message
from app.flows.results.dragon_diagnosis import DragonDiagnosisResult
from app.flows.results.fivek_intensity import FivekIntensityResult, FivekScore
from app.flows.results.opportunity_check import VERDICT_NAMES, OpportunityCheckResult
from app.flows.results.spin_call_plan import SpinCallPlanResult
from app.flows.results.stakeholder_map import StakeholderMapResult

REGISTRY: dict[str, FlowRules] = {
    module.RULES.flow_id: module.RULES
    for module in (spin_call_plan, dragon_diagnosis, stakeholder_map, fivek_intensity, opportunity_check)
}
RESULT_MODELS: dict[str, type[FlowResult]] = {flow_id: rules.model for flow_id, rules in REGISTRY.items()}

__all__ = [
    "REGISTRY",
    "RESULT_MODELS",
    "VERDICT_NAMES",
    "Citation",
    "DragonDiagnosisResult",
    "FivekIntensityResult",
    "FivekScore",
    "FlowResult",
    "Labeled",
    "Message",
    "OpportunityCheckResult",
    "SpinCallPlanResult",
    "StakeholderMapResult",
    "compute_result",
    "result_json_schema",
]


def result_json_schema(flow_id: str) -> dict[str, Any]:
    """JSON schema of a flow's result (the structured coaching note)."""
    return RESULT_MODELS[flow_id].model_json_schema()


def compute_result(
    flow_id: str, answers: dict[str, Any], groups: Groups | None = None, *, playbook: Any | None = None
) -> FlowResult:
    """The result model of a finished run of `flow_id`."""
    if flow_id not in REGISTRY:
        raise KeyError(f"unknown flow {flow_id!r}")
    if playbook is None:
        from app.playbook import get_playbook

        playbook = get_playbook()
    return REGISTRY[flow_id].compute(answers, groups or {}, playbook)
