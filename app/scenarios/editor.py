"""The scenario editor's form: flat form fields <-> scenario content, topic suggestions (jieba key terms), and
difficulty words instead of trust numbers. The form is for sales managers; the content it builds is validated by
the library through the same Scenario model as the YAML files."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, get_args

import jieba
import jieba.analyse
from pydantic import BaseModel

from app.playbook.vocabulary import CATEGORY_LETTER, FIVEDIM_DIMENSIONS, SPIN_CATEGORIES
from app.roleplay.scenarios import (
    CATEGORIES,
    DIFFICULTIES,
    AttitudeToUs,
    ChangeAttitude,
    Closeness,
    CommitmentKind,
    CommunicationStyle,
    DecisionFocus,
    Difficulty,
    Maslow,
    ObjectionTrigger,
    OrgLevel,
    PurchaseRole,
    Scenario,
)

jieba.setLogLevel(60)

# Hidden-fact rows per S / P / I / N are added and removed in the form; each keeps its index as its id (S3 stays
# S3 when S2 is removed, so prerequisites typed as "S3" still point at it). The library caps the count.
FACT_INDEX = re.compile(rf"^fact_({'|'.join(SPIN_CATEGORIES)})_(\d{{1,3}})_")
OBJECTION_SLOTS = 4
SIGNAL_SLOTS = 3
LEVELS = ("easy", "normal", "hard")
# A fact's difficulty is the trust the buyer needs before telling it; S facts are told to anyone polite.
FACT_TRUST: dict[str, dict[str, int]] = {
    "situation": {"easy": 0, "normal": 0, "hard": 15},
    "problem": {"easy": 10, "normal": 20, "hard": 30},
    "implication": {"easy": 20, "normal": 30, "hard": 40},
    "need_payoff": {"easy": 30, "normal": 40, "hard": 50},
}
# The whole scenario's difficulty: how far the buyer trusts a stranger, and how much trust the advance needs.
SCENARIO_TRUST: dict[str, tuple[int, int]] = {"easy": (30, 50), "normal": (20, 60), "hard": (15, 65)}
SCENARIO_DIFFICULTY: dict[str, Difficulty] = dict(zip(LEVELS, DIFFICULTIES, strict=True))
DEFAULT_SOURCE = ["004_090d296c08092e30.txt", "001_f8250d52b20618bb.txt"]  # SPIN + five dimensions; 摧龙六式
TOPIC_POS = ("n", "vn", "nz", "v", "eng", "nr", "ns", "nt", "l", "i")

CHOICES: dict[str, tuple[str, ...]] = {
    "org_level": get_args(OrgLevel),
    "purchase_role": get_args(PurchaseRole),
    "communication_style": get_args(CommunicationStyle),
    "maslow": get_args(Maslow),
    "change": get_args(ChangeAttitude),
    "focus": get_args(DecisionFocus),
    "closeness": get_args(Closeness),
    "attitude": get_args(AttitudeToUs),
    "commit_kind": get_args(CommitmentKind),
    "trigger": get_args(ObjectionTrigger),
}
FIVE_DIMENSIONS: tuple[str, ...] = FIVEDIM_DIMENSIONS


def suggest_topics(text: str, limit: int = 6) -> list[str]:
    """Key terms of a fact's text (jieba TF-IDF), as topic keywords a question must touch."""
    return jieba.analyse.extract_tags(text or "", topK=limit, allowPOS=TOPIC_POS)


def _split(value: str | None) -> list[str]:
    """Comma, 、, ， or newline separated words."""
    text = (value or "").replace("，", ",").replace("、", ",").replace("\n", ",")
    return [word.strip() for word in text.split(",") if word.strip()]


def _lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def fact_id(category: str, index: int) -> str:
    return f"{CATEGORY_LETTER[category].lower()}{index + 1}"


def fact_indices(form: Mapping[str, str], category: str) -> list[int]:
    """The indices of the category's fact rows present in the form, in order (empty rows included)."""
    found = set()
    for key in form:
        match = FACT_INDEX.match(key)
        if match and match.group(1) == category:
            found.add(int(match.group(2)))
    return sorted(found)


def fact_rows(form: Mapping[str, str]) -> dict[str, list[int]]:
    """Rows the editor shows per category: every filled row, and one empty row to add a fact without scripts."""
    rows: dict[str, list[int]] = {}
    for category in CATEGORIES:
        filled = [i for i in fact_indices(form, category) if (form.get(f"fact_{category}_{i}_text") or "").strip()]
        rows[category] = [*filled, max(filled, default=-1) + 1]
    return rows


def fit_model(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """Only the keys the model declares (English `_en` siblings exist only once the format has them)."""
    fitted: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name not in data:
            continue
        value, inner = data[name], field.annotation
        nested = next(
            (arg for arg in (*get_args(inner), inner) if isinstance(arg, type) and issubclass(arg, BaseModel)), None
        )
        if nested is not None and isinstance(value, dict):
            value = fit_model(nested, value)
        elif nested is not None and isinstance(value, list):
            value = [fit_model(nested, item) if isinstance(item, dict) else item for item in value]
        fitted[name] = value
    return fitted


def fit_scenario(data: dict[str, Any]) -> dict[str, Any]:
    fitted = fit_model(Scenario, data)
    fitted.pop("id", None)
    return fitted


def content_from_form(form: Mapping[str, str]) -> dict[str, Any]:
    """Scenario content from the editor's fields; empty slots are left out, ids and trust numbers derived."""
    get = lambda key: (form.get(key) or "").strip()  # noqa: E731
    level = get("difficulty") if get("difficulty") in LEVELS else "normal"
    initial_trust, success_trust = SCENARIO_TRUST[level]
    facts: dict[str, list[dict[str, Any]]] = {}
    for category in CATEGORIES:
        facts[category] = []
        for index in fact_indices(form, category):
            prefix = f"fact_{category}_{index}_"
            text = get(prefix + "text")
            if not text:
                continue
            fact_level = get(prefix + "level") if get(prefix + "level") in LEVELS else "normal"
            facts[category].append(
                {
                    "id": fact_id(category, index),
                    "text": text,
                    "text_en": get(prefix + "text_en"),
                    "topics": {
                        "zh": _split(get(prefix + "topics")) or suggest_topics(text),
                        "en": _split(get(prefix + "topics_en")),
                    },
                    "requires": [word.lower() for word in _split(get(prefix + "requires"))],
                    "min_trust": FACT_TRUST[category][fact_level],
                }
            )
    objections = []
    for index in range(OBJECTION_SLOTS):
        prefix = f"obj_{index}_"
        if not get(prefix + "text"):
            continue
        objections.append(
            {
                "id": f"obj{index + 1}",
                "text": get(prefix + "text"),
                "text_en": get(prefix + "text_en"),
                "trigger": get(prefix + "trigger") or "premature_pitch",
                "keywords": _split(get(prefix + "keywords")),
                "handled_by": {
                    "spin": [label.upper() for label in _split(get(prefix + "handled_spin"))],
                    "keywords": _split(get(prefix + "handled_keywords")),
                },
                "resolved_text": get(prefix + "resolved"),
                "resolved_text_en": get(prefix + "resolved_en"),
            }
        )
    signals = [
        {"id": f"sig{index + 1}", "text": get(f"sig_{index}_text"), "text_en": get(f"sig_{index}_text_en")}
        for index in range(SIGNAL_SLOTS)
        if get(f"sig_{index}_text")
    ]
    key_facts = [facts[category][0]["id"] for category in ("problem", "implication", "need_payoff") if facts[category]]
    style = get("communication_style")
    data = {
        "title_zh": get("title_zh"),
        "title_en": get("title_en"),
        "difficulty": SCENARIO_DIFFICULTY[level],
        "industry": get("industry") or "general",
        "company": {
            "name": get("company_name"),
            "name_en": get("company_name_en"),
            "size": get("company_size"),
            "size_en": get("company_size_en"),
            "context": get("company_context"),
            "context_en": get("company_context_en"),
        },
        "deal_context": get("deal_context"),
        "deal_context_en": get("deal_context_en"),
        "our_offering": get("our_offering"),
        "our_offering_en": get("our_offering_en"),
        "competitors": _split(get("competitors")),
        "persona": {
            "name": get("persona_name"),
            "name_en": get("persona_name_en"),
            "title": get("persona_title"),
            "title_en": get("persona_title_en"),
            "org_level": get("org_level"),
            "purchase_role": get("purchase_role"),
            "communication_style": style,
            "five_dimensions": {dimension: get(dimension) for dimension in FIVE_DIMENSIONS},
        },
        "initial_trust": initial_trust,
        "opening_line": get("opening_line"),
        "opening_line_en": get("opening_line_en"),
        "facts": facts,
        "objections": objections,
        "decision_criteria": _lines(get("decision_criteria")),
        "decision_criteria_en": _lines(get("decision_criteria_en")),
        "buying_signals": signals,
        "success": {
            "key_facts": key_facts,
            "min_trust": success_trust,
            "commitment": {
                "id": "advance",
                "kind": get("commit_kind") or "meeting",
                "description": get("commit_description"),
                "description_en": get("commit_description_en"),
                "ask_zh": get("commit_ask"),
                "ask_en": get("commit_ask_en"),
                "keywords": _split(get("commit_keywords")),
                "granted_text": get("commit_granted"),
                "granted_text_en": get("commit_granted_en"),
            },
        },
        "trains": [
            "spin.situation",
            "spin.problem",
            "spin.implication",
            "spin.need_payoff",
            "dragon.step.uncover_needs",
            "dragon.step.win_commitment",
            *([style] if style.startswith("style.") else []),
            *([get("purchase_role")] if get("purchase_role").startswith("org.") else []),
        ],
        "source": list(DEFAULT_SOURCE),
    }
    return fit_scenario(data)


def _level_of(trust: int, table: dict[str, int]) -> str:
    return min(LEVELS, key=lambda level: (abs(table[level] - trust), LEVELS.index(level)))


def form_from_content(data: Mapping[str, Any]) -> dict[str, str]:
    """The editor's fields from scenario content (a built-in, a stored version, a model's draft)."""
    form: dict[str, str] = {}
    company, persona = data.get("company") or {}, data.get("persona") or {}
    dims = persona.get("five_dimensions") or {}
    reverse = {value: key for key, value in SCENARIO_DIFFICULTY.items()}
    form.update(
        {
            "title_zh": data.get("title_zh", ""),
            "title_en": data.get("title_en", ""),
            "difficulty": reverse.get(data.get("difficulty", "medium"), "normal"),
            "industry": data.get("industry", ""),
            "company_name": company.get("name", ""),
            "company_name_en": company.get("name_en", ""),
            "company_size": company.get("size", ""),
            "company_size_en": company.get("size_en", ""),
            "company_context": company.get("context", ""),
            "company_context_en": company.get("context_en", ""),
            "deal_context": data.get("deal_context", ""),
            "deal_context_en": data.get("deal_context_en", ""),
            "our_offering": data.get("our_offering", ""),
            "our_offering_en": data.get("our_offering_en", ""),
            "competitors": "，".join(data.get("competitors") or []),
            "persona_name": persona.get("name", ""),
            "persona_name_en": persona.get("name_en", ""),
            "persona_title": persona.get("title", ""),
            "persona_title_en": persona.get("title_en", ""),
            "org_level": persona.get("org_level", ""),
            "purchase_role": persona.get("purchase_role", ""),
            "communication_style": persona.get("communication_style", ""),
            **{dimension: dims.get(dimension, "") for dimension in FIVE_DIMENSIONS},
            "opening_line": data.get("opening_line", ""),
            "opening_line_en": data.get("opening_line_en", ""),
            "decision_criteria": "\n".join(data.get("decision_criteria") or []),
            "decision_criteria_en": "\n".join(data.get("decision_criteria_en") or []),
        }
    )
    facts = data.get("facts") or {}
    # Slot ids (s1, p2, …) replace the content's own ids, so prerequisites are rewritten to them.
    renamed = {
        fact["id"]: fact_id(category, index)
        for category in CATEGORIES
        for index, fact in enumerate(facts.get(category) or [])
    }
    for category in CATEGORIES:
        for index, fact in enumerate(facts.get(category) or []):
            prefix = f"fact_{category}_{index}_"
            form.update(
                {
                    prefix + "text": fact.get("text", ""),
                    prefix + "text_en": fact.get("text_en", ""),
                    prefix + "topics": "，".join((fact.get("topics") or {}).get("zh") or []),
                    prefix + "topics_en": ", ".join((fact.get("topics") or {}).get("en") or []),
                    prefix + "requires": ", ".join(renamed.get(req, req).upper() for req in fact.get("requires") or []),
                    prefix + "level": _level_of(int(fact.get("min_trust") or 0), FACT_TRUST[category]),
                }
            )
    for index, objection in enumerate((data.get("objections") or [])[:OBJECTION_SLOTS]):
        prefix = f"obj_{index}_"
        handled = objection.get("handled_by") or {}
        form.update(
            {
                prefix + "text": objection.get("text", ""),
                prefix + "text_en": objection.get("text_en", ""),
                prefix + "trigger": objection.get("trigger", ""),
                prefix + "keywords": "，".join(objection.get("keywords") or []),
                prefix + "handled_spin": ", ".join(handled.get("spin") or []),
                prefix + "handled_keywords": "，".join(handled.get("keywords") or []),
                prefix + "resolved": objection.get("resolved_text", ""),
                prefix + "resolved_en": objection.get("resolved_text_en", ""),
            }
        )
    for index, signal in enumerate((data.get("buying_signals") or [])[:SIGNAL_SLOTS]):
        form.update({f"sig_{index}_text": signal.get("text", ""), f"sig_{index}_text_en": signal.get("text_en", "")})
    commitment = (data.get("success") or {}).get("commitment") or {}
    form.update(
        {
            "commit_kind": commitment.get("kind", ""),
            "commit_description": commitment.get("description", ""),
            "commit_description_en": commitment.get("description_en", ""),
            "commit_ask": commitment.get("ask_zh", ""),
            "commit_ask_en": commitment.get("ask_en", ""),
            "commit_keywords": "，".join(commitment.get("keywords") or []),
            "commit_granted": commitment.get("granted_text", ""),
            "commit_granted_en": commitment.get("granted_text_en", ""),
        }
    )
    return {key: str(value) for key, value in form.items()}


def blank_form() -> dict[str, str]:
    """The template a manager starts from offline: sensible choices, empty texts."""
    return {
        "difficulty": "normal",
        "org_level": "org.level.management",
        "purchase_role": "org.role.evaluator",
        "communication_style": "style.analytical",
        "maslow": "fivedim.maslow.safety",
        "change": "fivedim.change.pragmatist",
        "focus": "fivedim.focus.business",
        "closeness": "fivedim.closeness.few",
        "attitude": "fivedim.attitude.neutral",
        "commit_kind": "meeting",
        "obj_0_trigger": "premature_pitch",
        "obj_0_handled_spin": "S, P",
        **{f"fact_{category}_0_level": "normal" for category in CATEGORIES},
        **{
            f"fact_{category}_0_requires": prev
            for category, prev in (("problem", "S1"), ("implication", "P1"), ("need_payoff", "I1"))
        },
    }
