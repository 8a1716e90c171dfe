"""Deal question flows: YAML flow definitions, the step-by-step engine, result models and note export."""

from app.flows.definitions import FlowDefinition, FlowDefinitionError, get_flow, list_flows, load_flow, load_flows
from app.flows.engine import AnswerError, FlowRunState, Outcome, StepView, answer, back, current_view, start

__all__ = [
    "AnswerError",
    "FlowDefinition",
    "FlowDefinitionError",
    "FlowRunState",
    "Outcome",
    "StepView",
    "answer",
    "back",
    "current_view",
    "get_flow",
    "list_flows",
    "load_flow",
    "load_flows",
    "start",
]
