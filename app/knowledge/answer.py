"""Answer playbook questions offline: extractive, composed from the best chunks, with citations."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.i18n import Lang
from app.knowledge.chunks import TITLE_SEPARATOR, Chunk, lead_and_steps, strip_key_terms
from app.knowledge.compare import comparison_sides
from app.knowledge.retriever import KnowledgeIndex
from app.knowledge.sources import load_answer_thresholds, load_comparisons, load_sources
from app.knowledge.tokenize import in_sales_context, mostly_chinese, query_term_groups, question_is_chinese, tokenize
from app.playbook.texts import PLAYBOOKS_DIR, Texts, load_texts

# A definition question: "what is / what are / which / 有哪些 / 是什么" (thresholds.yaml: definition_ratio).
DEFINITION_RE = re.compile(
    r"是什么|什么是|是啥|啥是|有哪|哪几|哪些|哪[一二三四五六七八九十两]|(?<!好)几(?:个|种|类|级|步)|分哪|包括|什么意思|指什么|定义|"
    r"\bwhat (?:is|are|does)\b|\bwhat's\b|\bwhich\b|\bdefine\b|\bstand for\b|\bhow many\b|\bmeaning\b|"
    # a comparison of two terms ("A 和 B 有什么区别", "A vs B") asks what each is
    r"区别|差别|\bdifference\b|\bvs\.?(?=\s|$)|\bversus\b",
    re.IGNORECASE,
)
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
NUMBERED_RE = re.compile(r"\d+\. ")

LIMITS = load_answer_thresholds()  # the thresholds, validated data (playbooks/ask/thresholds.yaml)
TEXTS = load_texts(PLAYBOOKS_DIR / "ask" / "texts.yaml", Texts)  # the not-covered answer, headers and labels


class Citation(BaseModel):
    """A passage the answer is built from."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    source: str = Field(description="The source's id: a seed file name, a literature id, or team-doc:<id>.")
    excerpt: str
    source_title: str = Field(default="", description="The source's human title, in the question's language.")
    source_kind: Literal["playbook", "team"] = "playbook"
    origin: Literal["manual", "general", "team"] = Field(
        default="manual",
        description="manual: from the methodology documents (手册原文); general: standard sales "
        "literature in our words (通用方法); team: the team's own document.",
    )


class Answer(BaseModel):
    """An offline answer: the text shown to the rep, the passages it cites, and when not covered the nearest ones."""

    answer: str
    citations: list[Citation]
    covered: bool = True
    might_help: list[Citation] = Field(default_factory=list)


def _overlap(line: str, query_tokens: set[str]) -> int:
    return len(query_tokens & set(tokenize(line)))


def _renumbered(lines: list[str]) -> str:
    """The kept lines joined; a numbered list that lost items on the way counts 1, 2, 3 again."""
    out, number = [], 0
    for line in lines:
        if match := NUMBERED_RE.match(line):
            number += 1
            line = f"{number}. {line[match.end() :]}"
        else:
            number = 0
        out.append(line)
    return "\n".join(out)


def _primary_body(chunk: Chunk, query_tokens: set[str]) -> str:
    """The chunk body; when long, its opening lines plus the lines that share most words with the question."""
    body = strip_key_terms(chunk.text)
    if len(body) <= LIMITS.max_primary_chars:
        return body
    lines = [line for line in body.splitlines() if line.strip()]
    ranked = sorted(range(len(lines)), key=lambda i: (-_overlap(lines[i], query_tokens), i))
    keep = {0, 1}
    budget = LIMITS.max_primary_chars - sum(len(lines[i]) for i in keep if i < len(lines))
    for i in ranked:
        if i in keep:
            continue
        if len(lines[i]) > budget:
            continue  # a shorter, less relevant line may still fit
        keep.add(i)
        budget -= len(lines[i])
    return _renumbered([lines[i] for i in sorted(keep) if i < len(lines)])


def _secondary_lines(chunk: Chunk, query_tokens: set[str]) -> str:
    """A short supporting chunk whole; of a longer one, only the lines that talk about what was asked."""
    body = strip_key_terms(chunk.text)
    lines = [line for line in body.splitlines() if line.strip()]
    if not any(_overlap(line, query_tokens) for line in lines):
        return ""
    if len(body) <= LIMITS.short_secondary_chars:
        return body
    matching = [line for line in lines if _overlap(line, query_tokens) > 0]
    return _renumbered(matching[: LIMITS.max_secondary_lines])


def _excerpt(chunk: Chunk) -> str:
    flat = " ".join(strip_key_terms(chunk.text).split())
    return flat if len(flat) <= LIMITS.excerpt_chars else flat[: LIMITS.excerpt_chars - 1] + "…"


def citation_for(chunk: Chunk, lang: str = "zh") -> Citation:
    """The citation of a passage: its source's human title and origin (manual, general literature or team)."""
    if chunk.team_id is not None:
        return Citation(
            id=chunk.id,
            title=chunk.title,
            source=chunk.source,
            excerpt=_excerpt(chunk),
            source_title=chunk.source_title,
            source_kind="team",
            origin="team",
        )
    source = load_sources().get(chunk.source)
    return Citation(
        id=chunk.id,
        title=chunk.title,
        source=chunk.source,
        excerpt=_excerpt(chunk),
        source_title=source.title.get(lang) if source else chunk.source,
        origin=source.origin if source else "manual",
    )


def not_covered_answer(question: str, might_help: list[Citation] | None = None) -> Answer:
    """The plain "not in the playbook" answer, in the question's language, with the nearest passages if any."""
    text = TEXTS.label("not_covered", "zh" if question_is_chinese(question) else "en")
    return Answer(answer=text, citations=[], covered=False, might_help=might_help or [])


def chunk_language(chunk: Chunk) -> str:
    """ "zh" when the passage's body is written in Chinese, else "en"."""
    return "zh" if mostly_chinese(strip_key_terms(chunk.text)) else "en"


def nearest_passages(question: str, hits: list[tuple[Chunk, float]], index: KnowledgeIndex) -> list[Citation]:
    """Up to LIMITS.might_help retrieved passages that share at least one informative word with the question."""
    lang = "zh" if question_is_chinese(question) else "en"
    near = [chunk for chunk, _ in hits if index.matched_weight(question, chunk) > 0]
    return [citation_for(chunk, lang) for chunk in near[: LIMITS.might_help]]


def _has_twin_in(chunk: Chunk, lang: str, index: KnowledgeIndex) -> bool:
    """A passage in the other language whose twin in `lang` (`<id>` / `<id>-en`) is in the index: that twin says
    the same in the reader's language, so the other-language passage is never added beside the answer."""
    return chunk_language(chunk) != lang and index.has(_twin_id(chunk))


def _twin_id(chunk: Chunk) -> str:
    """The id of the passage's twin in the other language (`<id>` / `<id>-en`), whether or not it exists."""
    return chunk.id.removesuffix("-en") if chunk.id.endswith("-en") else f"{chunk.id}-en"


def _in_reader_language(hits: list[tuple[Chunk, float]], lang: str, index: KnowledgeIndex) -> list[tuple[Chunk, float]]:
    """The hits with every other-language passage replaced by its twin in `lang` (it says the same in the reader's
    words), in the same order, each passage once at its best place."""
    seen: set[str] = set()
    readable = []
    for chunk, score in hits:
        if _has_twin_in(chunk, lang, index):
            chunk = index.chunk(_twin_id(chunk))
        if chunk.id not in seen:
            seen.add(chunk.id)
            readable.append((chunk, score))
    return readable


def is_how_to(chunk: Chunk) -> bool:
    """A practical passage: a lead sentence and numbered steps (see lead_and_steps)."""
    return bool(lead_and_steps(chunk.text)[0])


def asks_for_definition(question: str) -> bool:
    """The question asks what something is or lists (definition), rather than what to do."""
    return bool(DEFINITION_RE.search(question)) and len(query_term_groups(question)) <= LIMITS.definition_max_words


def names_the_situation(question: str, chunk: Chunk, index: KnowledgeIndex) -> bool:
    """Whether the question says enough of a how-to passage's situation for its advice to apply."""
    if chunk.id in index.situation_passages(question):
        return True
    weight = index.matched_weight(question, chunk)
    coverage = index.coverage(question, chunk)
    if weight >= LIMITS.min_how_to_weight or (
        weight >= LIMITS.min_matched_weight and coverage >= LIMITS.how_to_short_coverage
    ):
        return True
    return (
        in_sales_context(question) and weight >= LIMITS.sales_how_to_weight and coverage >= LIMITS.sales_how_to_coverage
    )


def _pick(question: str, hits: list[tuple[Chunk, float]], index: KnowledgeIndex) -> tuple[Chunk, float]:
    """The passage to answer from, among the top hits.

    A definition question ("what are the four…", "有哪些") prefers a reference passage scoring at least
    LIMITS.definition_ratio of the best; a how-to passage written in the other language gives way to its
    counterpart in the question's language when that scores LIMITS.same_language_ratio of it.
    """
    lang = "zh" if question_is_chinese(question) else "en"
    hits = _in_reader_language(hits, lang, index)
    best_chunk, best_score = hits[0]
    if is_how_to(best_chunk) and asks_for_definition(question):
        for chunk, score in hits[1:4]:
            if (
                not is_how_to(chunk)
                and score >= LIMITS.definition_ratio * best_score
                and is_relevant(question, chunk, index)
            ):
                return chunk, score
    if not asks_for_definition(question):
        # A passage answering the situation the question describes beats one that merely shares more words.
        # Advice (lead and steps) first, then a reference passage.
        situated = [
            (chunk, score)
            for chunk, score in hits
            if chunk.id in index.situation_passages(question) and chunk_language(chunk) == lang
        ]
        if situated:
            # Several situations named: the one the last sentence asks about leads, then a broader one over its
            # details (situations.yaml's leads_over), then one the question describes (not only the worry behind it:
            # "…so they don't go quiet"), then the best scored.
            asked = index.asked_situation_passages(question)
            details = index.detail_situation_passages(question)
            described = index.described_situation_passages(question)
            situated.sort(key=lambda hit: (hit[0].id not in asked, hit[0].id in details, hit[0].id not in described))
            return next(((chunk, score) for chunk, score in situated if is_how_to(chunk)), situated[0])
    if chunk_language(best_chunk) != lang and not is_how_to(best_chunk):
        # A near tie between a reference passage in the other language and one in the question's language.
        for chunk, score in hits[1:4]:
            if (
                chunk_language(chunk) == lang
                and score >= LIMITS.same_language_tie_ratio * best_score
                and is_relevant(question, chunk, index)
            ):
                return chunk, score
    if not is_how_to(best_chunk):
        return hits[0]
    if chunk_language(best_chunk) == lang:
        return hits[0]
    for chunk, score in hits[1:4]:
        if (
            chunk_language(chunk) == lang
            and score >= LIMITS.same_language_ratio * best_score
            and is_how_to(chunk)
            and is_relevant(question, chunk, index)
        ):
            return chunk, score
    return hits[0]


def _ranked_steps(steps: list[str], query_tokens: set[str]) -> list[str]:
    """At most LIMITS.max_steps steps, in their order; when there are more, those sharing most words with the question."""
    if len(steps) <= LIMITS.max_steps:
        return steps
    ranked = sorted(range(len(steps)), key=lambda i: (-_overlap(steps[i], query_tokens), i))[: LIMITS.max_steps]
    return [steps[i] for i in sorted(ranked)]


def composed_answer(lead: str, steps: list[str]) -> str:
    """A short answer: the lead sentence, then numbered steps."""
    plain = [BOLD_RE.sub(r"\1", step) for step in steps]  # the answer is plain text; the passage keeps its Markdown
    return "\n".join([lead, *(f"{number}. {step}" for number, step in enumerate(plain, start=1))])


def _step_for_the_rest(
    question: str, text: str, best: Chunk, hits: list[tuple[Chunk, float]], index: KnowledgeIndex
) -> tuple[Chunk, str] | None:
    """A situation often has two sides ("which milestone is it, and a competitor is in too"). When specific words
    of the question are not answered by the composed text, the step of another relevant how-to passage (same
    language) that speaks to most of them, weighed by how well its passage matches the question, or None."""
    said = set(tokenize(text))
    open_groups = [
        group
        for group in index.query_groups(question)
        if not said & set(group)
        and max(index.idf(token) for token in group) >= LIMITS.aspect_min_idf
        and any(token in index.vocabulary for token in group)
    ]
    if not open_groups:
        return None
    lang = chunk_language(best)
    # A step of another situation the question names, of a passage whose heading names one of the open words, or
    # of one scoring near the best: a passage merely sharing a word of its advice ("never") is a neighbouring topic.
    named = index.situation_passages(question)
    floor = LIMITS.also_score_ratio * hits[0][1]
    best_step: tuple[float, Chunk, str] | None = None
    for chunk, score in hits[: LIMITS.aspect_depth]:
        if chunk is best or not is_how_to(chunk) or chunk_language(chunk) != lang:
            continue
        heading = set(tokenize(chunk.title.split(TITLE_SEPARATOR)[-1]))
        if chunk.id not in named and score < floor and not any(heading & set(group) for group in open_groups):
            continue
        if not is_relevant(question, chunk, index):
            continue
        for step in lead_and_steps(chunk.text)[1]:
            step_tokens = set(tokenize(step))
            # Two words met in a passage that barely matches the question say less than one in a close passage.
            answered = sum(1 for group in open_groups if step_tokens & set(group)) * score
            if answered and (best_step is None or answered > best_step[0]):
                best_step = (answered, chunk, step)
    if best_step:
        return best_step[1], best_step[2]
    # No step speaks to the open words: another situation the question names still gets its lead sentence, so a
    # two-sided question ("第一次拜访…目标怎么定") answers both sides.
    for chunk, _ in hits[: LIMITS.aspect_depth]:
        if chunk is not best and chunk.id in named and is_how_to(chunk) and chunk_language(chunk) == lang:
            return chunk, lead_and_steps(chunk.text)[0]
    return None


def is_relevant(question: str, chunk: Chunk, index: KnowledgeIndex) -> bool:
    """Whether the chunk shares enough of the question's informative words to answer it, or answers a situation
    the question describes."""
    if chunk.id in index.situation_passages(question):
        return True
    weight = index.matched_weight(question, chunk)
    if weight < LIMITS.min_matched_weight:
        return False
    coverage = index.coverage(question, chunk)
    evidence = [
        idf for term in index.matched_terms(question, chunk) if (idf := index.idf(term)) >= LIMITS.min_evidence_idf
    ]
    if len(evidence) >= 2:
        return coverage >= LIMITS.min_coverage
    if (
        in_sales_context(question) and sum(evidence) >= LIMITS.sales_evidence_weight
    ):  # one specific word in a sales question
        return coverage >= LIMITS.sales_how_to_coverage
    return coverage >= LIMITS.single_term_coverage


def _reference_fits(question: str, chunk: Chunk, index: KnowledgeIndex) -> bool:
    """A "how do I..." question outside any sale ("面试时怎么介绍自己", "how do I get on with colleagues") is not
    answered from a reference passage that shares one of its words, or a little of the situation: it asks for advice
    the playbook does not give. Definition questions, questions set in a sale and questions naming the passage's
    own topic (a word of its heading: "难点问题要问出什么") are judged as before."""
    if is_how_to(chunk) or in_sales_context(question) or asks_for_definition(question):
        return True
    heading = set(tokenize(chunk.title.split(TITLE_SEPARATOR)[-1]))
    if any(group[0] in heading for group in index.query_groups(question)):
        return True
    return len(index.matched_terms(question, chunk)) >= 2 and names_the_situation(question, chunk, index)


def _reference_on_topic(question: str, chunk: Chunk, index: KnowledgeIndex) -> bool:
    """Whether a reference passage speaks to the question's topic, not merely shares a word with it: the question
    uses a specific word of its heading, or the passage holds most of what the question says."""
    heading = set(tokenize(chunk.title.split(TITLE_SEPARATOR)[-1]))
    asked = {token for token in tokenize(question) if index.idf(token) >= LIMITS.line_term_min_idf}
    return bool(heading & asked) or index.coverage(question, chunk) >= LIMITS.reference_topic_coverage


def answer_offline(question: str, index: KnowledgeIndex) -> Answer:
    """Answer from the knowledge base alone: the best passage stated directly, plus a close runner-up."""
    if compared := _comparison_answer(question, index):
        return compared
    # A definition question asks about a method, not a situation: the situation bonus would favour advice.
    hits = index.search(question, k=5, situations=not asks_for_definition(question))
    if not hits:
        return not_covered_answer(question)
    best_chunk, best_score = _pick(question, hits, index)
    if is_how_to(best_chunk) and not names_the_situation(question, best_chunk, index):
        # Too little of the situation named for advice: a relevant reference passage may still answer.
        # It must score near the advice it replaces: a distant reference passage shares only incidental words.
        floor = LIMITS.definition_ratio * best_score
        best_chunk, best_score = next(
            (
                (chunk, score)
                for chunk, score in hits
                if not is_how_to(chunk) and score >= floor and names_the_situation(question, chunk, index)
            ),
            (best_chunk, best_score),
        )
        if is_how_to(best_chunk):
            return not_covered_answer(question, nearest_passages(question, hits, index))
    if not is_relevant(question, best_chunk, index) or not _reference_fits(question, best_chunk, index):
        return not_covered_answer(question, nearest_passages(question, hits, index))
    return _answer_from(question, best_chunk, best_score, hits, index)


def _answer_from(
    question: str, best_chunk: Chunk, best_score: float, hits: list[tuple[Chunk, float]], index: KnowledgeIndex
) -> Answer:
    """The answer composed from the chosen passage, with the other hits' supporting step or lines."""
    lang: Lang = "zh" if question_is_chinese(question) else "en"
    query_tokens = set(tokenize(question))
    lead, steps = lead_and_steps(best_chunk.text)
    specific_tokens = {token for token in query_tokens if index.idf(token) >= LIMITS.line_term_min_idf}
    if lead:  # a how-to passage: say what to do in a lead sentence and a few steps, then the manual's own words
        text = composed_answer(lead, _ranked_steps(steps, query_tokens))
        used = [best_chunk]
        if extra := _step_for_the_rest(question, text, best_chunk, hits, index):
            chunk, step = extra
            heading = chunk.title.split(TITLE_SEPARATOR)[-1]
            plain = BOLD_RE.sub(r"\1", step)
            text += "\n" + TEXTS.label("also", lang, heading=heading, step=plain)
            used.append(chunk)
        for chunk, score in hits:
            if (
                is_how_to(chunk)
                or score < LIMITS.reference_ratio * best_score
                or _has_twin_in(chunk, lang, index)
                or not is_relevant(question, chunk, index)
            ):
                continue
            if not _reference_on_topic(question, chunk, index):
                break  # the best reference passage is a neighbouring topic: none is added
            body = strip_key_terms(chunk.text)
            if lines := (body if len(body) <= LIMITS.short_secondary_chars else _secondary_lines(chunk, query_tokens)):
                label = TEXTS.label("related", lang, title=chunk.title)
                text += f"\n{label}\n{lines}"
                used.append(chunk)
            break
        return Answer(answer=text, citations=[citation_for(chunk, lang) for chunk in used])

    team = best_chunk.team_id is not None
    header = TEXTS.label("team_header" if team else "playbook_header", lang, title=best_chunk.title)
    parts = [header, _primary_body(best_chunk, query_tokens)]  # the Key terms line is for retrieval, never shown
    used = [best_chunk]

    others = [hit for hit in hits if hit[0] is not best_chunk and not _has_twin_in(hit[0], lang, index)]
    for chunk, score in others[: LIMITS.max_secondary_chunks]:
        close_enough = score >= LIMITS.secondary_score_ratio * best_score
        if close_enough:
            lines = _secondary_lines(chunk, specific_tokens)
            if lines:
                parts.append(TEXTS.label("see_also", lang, title=chunk.title))
                parts.append(lines)
                used.append(chunk)

    return Answer(answer="\n".join(parts), citations=[citation_for(chunk, lang) for chunk in used])


def _heading(chunk: Chunk) -> str:
    return chunk.title.split(TITLE_SEPARATOR)[-1]


def _side_passages(side: str, index: KnowledgeIndex, lang: str) -> list[Chunk]:
    """The passages about one side of a comparison, among the side's top hits in the reader's language whose heading
    names most of the side's specific words: one headed by the side's own words alone ("决策者", not "50% 合格决策者")
    or else the best ranked; then the best ranked when that is advice on the side ("应对分析型客户"), to say what to
    do as well as what it is. Empty when no heading names the side."""
    groups = [group for group in index.query_groups(side) if max(map(index.idf, group)) >= LIMITS.line_term_min_idf]
    if not groups:
        return []
    side_tokens = {token for group in index.query_groups(side) for token in group}
    hits = _in_reader_language(index.search(side, k=LIMITS.aspect_depth, situations=False), lang, index)
    named: list[tuple[int, bool, Chunk]] = []
    # the passage's own heading; failing that its whole title ("摧龙六式 › 六个步骤总览": a method named by its chapter)
    for title in (_heading, lambda chunk: chunk.title):
        for chunk, _ in hits:
            heading = set(tokenize(title(chunk)))
            count = sum(1 for group in groups if heading & set(group))
            if count and chunk_language(chunk) == lang:
                named.append((count, heading <= side_tokens, chunk))
        if named:
            break
    else:
        return []
    most = max(count for count, _, _ in named)
    best = [(exact, chunk) for count, exact, chunk in named if count == most]
    chosen = next((chunk for exact, chunk in best if exact), best[0][1])
    advice = best[0][1]
    return [chosen, advice] if advice is not chosen and is_how_to(advice) else [chosen]


def _summary(chunk: Chunk) -> str:
    """What a passage says in a line or two: a how-to passage's lead sentence; a reference passage's first point
    (the next one too when it is short), leaving out lines that only name it (comparisons.yaml's summary_skip)."""
    lead = lead_and_steps(chunk.text)[0]
    if lead:
        return lead
    skip = tuple(load_comparisons().summary_skip)
    lines = [line for line in strip_key_terms(chunk.text).splitlines() if line.strip()]
    # the top-level points; their sub-points when every top-level one only names the passage or heads a list
    for level in ([line for line in lines if not line[:1].isspace()], lines):
        points = [line.strip().removeprefix("- ").strip() for line in level]
        points = [point for point in points if not point.startswith(skip) and not point.endswith((":", "："))]
        if points:
            break
    if not points:
        return _excerpt(chunk)
    taken = points[:2] if len(points) > 1 and len(points[0]) < LIMITS.short_summary_chars else points[:1]
    return BOLD_RE.sub(r"\1", " ".join(taken))


def _comparison_answer(question: str, index: KnowledgeIndex) -> Answer | None:
    """A comparison ("A 和 B 有什么区别") answered side by side: what each side's passage says, citing both; from the
    one passage when both sides name the same one ("推进和拖延"). None when it is no comparison or a side names no
    passage's heading (the question is then answered as any other)."""
    sides = comparison_sides(question)
    if sides is None:
        return None
    lang: Lang = "zh" if question_is_chinese(question) else "en"
    first, second = (_side_passages(side, index, lang) for side in sides)
    if not first or not second:
        return None
    if first[0].id == second[0].id:
        return _answer_from(question, first[0], 0.0, [(first[0], 0.0)], index)
    # what each side is, then what to do with each where the playbook has advice on it
    chunks = [first[0], second[0], *first[1:], *second[1:]]
    steps = [TEXTS.label("compare_side", lang, heading=_heading(chunk), summary=_summary(chunk)) for chunk in chunks]
    text = composed_answer(TEXTS.label("compare_lead", lang), steps)
    return Answer(answer=text, citations=[citation_for(chunk, lang) for chunk in chunks])
