"""Deal question flows: YAML flow definitions, the step-by-step engine, result models and note export.

from app.flows import start, answer, back, AnswerError, note_to_markdown
state, view = start("stakeholder_map", lang="zh")
outcome = answer(state, "王总")          # next StepView, or done with outcome.result
markdown = note_to_markdown(state.flow_id, outcome.result)
"""

from app.flows.definitions import (
    FLOW_IDS,
    FlowDefinition,
    FlowDefinitionError,
    check_flow_against_playbook,
    describe_flows,
    get_flow,
    list_flows,
    load_flow,
    load_flows,
)
from app.flows.engine import (
    AnswerError,
    FlowRunState,
    Outcome,
    ProbeRequest,
    ProbeWriter,
    StepView,
    answer,
    back,
    current_view,
    start,
)
from app.flows.notes import as_result, note_to_csv, note_to_markdown
from app.flows.results import RESULT_MODELS, FlowResult, compute_result, result_json_schema

__all__ = [
    "FLOW_IDS",
    "RESULT_MODELS",
    "AnswerError",
    "FlowDefinition",
    "FlowDefinitionError",
    "FlowResult",
    "FlowRunState",
    "Outcome",
    "ProbeRequest",
    "ProbeWriter",
    "StepView",
    "answer",
    "as_result",
    "back",
    "check_flow_against_playbook",
    "compute_result",
    "current_view",
    "describe_flows",
    "get_flow",
    "list_flows",
    "load_flow",
    "load_flows",
    "note_to_csv",
    "note_to_markdown",
    "result_json_schema",
    "start",
]
