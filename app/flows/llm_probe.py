"""LLM-written follow-up probes for thin flow answers, bounded by the step's purpose; None means "use the script".

The engine decides *whether* to probe (the step's scripted rules); the model only words the
question. Anything unusable — empty, too long, not in the run's language — returns None and the
engine falls back to the scripted probe, as it does when the call raises.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from app.config import PRODUCT_NAME
from app.flows.definitions import FlowDefinition
from app.flows.engine import ProbeRequest, ProbeWriter
from app.knowledge.tokenize import is_chinese
from app.llm.calls import generate
from app.llm.prompts import render_prompt
from app.llm.resilience import skip_reason

PROMPT_NAME = "flow_probe_v1"
MAX_PROBE_CHARS = 120  # a probe is one question; anything longer is the model lecturing
_WRAPPING_QUOTES = "\"'“”‘’「」 \n"


def probe_writer_for(chat_model: BaseChatModel | None, flow: FlowDefinition) -> ProbeWriter | None:
    """A probe writer for the engine, or None offline (the engine then uses the scripted probe)."""
    if chat_model is None or skip_reason(chat_model) is not None:  # circuit open or budget used: the script asks
        return None

    def write(request: ProbeRequest) -> str | None:
        system = render_prompt(
            PROMPT_NAME,
            lang=request.lang,
            flow_title=flow.title_en if request.lang == "en" else flow.title_zh,
            step_prompt=request.prompt,
            scripted_probe=request.scripted_probe,
            max_chars=MAX_PROBE_CHARS,
            product_name=PRODUCT_NAME["zh"],  # the shared guard text is Chinese
        )
        # The rep's words go in their own message, never into the instructions.
        reply = generate(chat_model, "probe", [SystemMessage(system), HumanMessage(_answer_as_text(request.answer))])
        text = reply.text
        if reply.cut:  # the cap stopped a model that went on: keep its first question, if it finished one
            ends = [index for index in (text.find("？"), text.find("?")) if index >= 0]
            text = text[: min(ends) + 1] if ends else ""
        return usable_probe(text, request.lang)

    return write


def usable_probe(text: str, lang: str) -> str | None:
    """The model's probe cleaned up, or None when it cannot be shown as one short question."""
    probe = text.strip().strip(_WRAPPING_QUOTES).strip()
    if not probe or len(probe) > MAX_PROBE_CHARS:
        return None
    if lang == "zh" and not is_chinese(probe):
        return None
    return probe


def _answer_as_text(answer: object) -> str:
    if isinstance(answer, list):
        return "\n".join(f"- {item}" for item in answer)
    return str(answer or "")
