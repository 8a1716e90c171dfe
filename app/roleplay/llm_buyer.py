"""LLM buyer: the model words what the scripted engine decided, streamed, and never discloses a fact the state has not unlocked.

The scripted engine has already decided the turn (which fact is revealed, which objection raised, the
new trust). The model only rewrites that reply in the persona's voice, given the persona, the style and
the facts the state allows now (prompts/buyer_v1.j2). Every piece it streams passes a LeakGuard that
knows the still-hidden facts: a reply that quotes one (any run of WINDOW characters of a hidden fact's
text, or one of its figures such as "60%") is stopped before that text reaches the rep, regenerated
once, and then replaced by the scripted reply. Paraphrases without figures cannot be caught this way;
that is acceptable because the state, not the wording, is what the scorecard reads.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from app.llm.calls import Outcome, agenerate, alternating, astream_text, broke_off, capped, describe_error, policy_of
from app.llm.prompts import render_prompt
from app.playbook import get_playbook
from app.roleplay.scenarios import Scenario
from app.roleplay.state import SessionState

PROMPT = "buyer_v1"
WINDOW = 8  # characters (after normalising) a reply may share with a hidden fact before it counts as quoting it
HISTORY_TURNS = 8  # earlier messages the model sees, enough for context and cheap
# Strict chat templates want the user to speak first; the buyer's opening line follows this short user turn.
OPENER = "（销售代表走进会议室，和你打招呼。）/ (The sales rep enters the room and greets you.)"
# A number and its unit in normalised text ("60%", "200万", "3天"); the dot of "3.5" is gone after normalising.
_FIGURE = re.compile(r"\d+[%万亿元天周月年时分人家台次倍]?")

ReplyStatus = Literal["complete", "partial", "failed"]


_NOT_KEPT = re.compile(r"[^\w%]|_")


def normalise(text: str) -> str:
    """Letters, digits, CJK characters and % only, lowercased: punctuation and spacing cannot hide a quote."""
    return _NOT_KEPT.sub("", unicodedata.normalize("NFKC", text).lower())


class ReplyLeak(Exception):
    """The model's reply quotes a fact the buyer has not revealed yet."""


class LeakGuard:
    """Lets streamed text through only once it cannot be the start of a hidden fact's quote.

    Each piece is checked where it can complete a quote (the windows and figures that reach into it), so a
    reply costs time in proportion to its length, not to its length squared. Pieces are normalised one by
    one; `check_whole()` at the end of the stream checks the text normalised as a whole, which also catches
    a quote that only composes across a piece boundary (a letter and its accent arriving apart).
    """

    def __init__(self, hidden_texts: Iterable[str], allowed_texts: Iterable[str]) -> None:
        hidden = [_marks(text) for text in hidden_texts]
        allowed = [_marks(text) for text in allowed_texts]
        # What the buyer may say anyway (public context, facts already told, this turn's content) is no leak.
        self.windows: set[str] = set().union(*(windows for windows, _ in hidden))
        self.windows -= set().union(*(windows for windows, _ in allowed))
        self.figures: set[str] = {figure for _, figures in hidden for figure in figures if len(figure) >= 2}
        self.figures -= set().union(*(figures for _, figures in allowed))
        longest_figure = max((len(figure) for figure in self.figures), default=0)
        self.hold = max(WINDOW, longest_figure) - 1  # normalised characters kept back until checked
        self._raw = ""
        self._released = 0
        self._plain = ""  # the pieces normalised, joined
        self._next_window = 0  # windows of _plain starting before this index are checked
        self._next_figure = 0  # figures of _plain starting before this index are checked (a trailing one may grow)

    def feed(self, piece: str) -> str:
        """Add a streamed piece; returns the text now safe to show. Raises ReplyLeak on a quote."""
        self._raw += piece
        self._plain += normalise(piece)
        self._check_new()
        keep_from = _index_keeping(self._raw, self.hold)
        released, self._released = self._raw[self._released : keep_from], max(self._released, keep_from)
        return released

    def flush(self) -> str:
        """The rest of the text once the stream has ended (everything received has been checked)."""
        rest, self._released = self._raw[self._released :], len(self._raw)
        return rest

    @property
    def text(self) -> str:
        return self._raw

    def check_whole(self) -> None:
        """Check the whole text received, normalised at once. Raises ReplyLeak on a quote."""
        self.check(self._raw)

    def check(self, text: str) -> None:
        self._scan(normalise(text), window_from=0, figure_from=0)

    def _check_new(self) -> None:
        """Check only what the last piece can complete: windows ending in it, figures from the last checked one."""
        self._next_figure = self._scan(self._plain, self._next_window, self._next_figure)
        self._next_window = max(self._next_window, len(self._plain) - WINDOW + 1)

    def _scan(self, plain: str, window_from: int, figure_from: int) -> int:
        """Raise ReplyLeak on a hidden window starting at window_from or later, or a hidden figure starting at
        figure_from or later; returns where the next figure scan starts (a trailing figure may still grow)."""
        if any(plain[start : start + WINDOW] in self.windows for start in range(window_from, len(plain) - WINDOW + 1)):
            raise ReplyLeak("reply quotes a hidden fact")
        next_figure = len(plain)
        for figure in _FIGURE.finditer(plain, figure_from):
            if figure.group() in self.figures:
                raise ReplyLeak("reply states a hidden figure")
            if figure.end() == len(plain):  # it may still grow ("6" → "60%"): look at it again with the next piece
                next_figure = figure.start()
        return next_figure


@lru_cache(maxsize=4096)
def _marks(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A text's WINDOW-character runs and figures, normalised (cached: scenario texts recur every turn)."""
    plain = normalise(text)
    return frozenset(_windows(plain)), frozenset(_FIGURE.findall(plain))


def _windows(plain: str) -> Iterable[str]:
    return (plain[start : start + WINDOW] for start in range(max(0, len(plain) - WINDOW + 1)))


def _index_keeping(raw: str, hold: int) -> int:
    """The raw index before which text may be released, keeping `hold` normalised characters back."""
    kept = 0
    for index in range(len(raw) - 1, -1, -1):
        if kept >= hold:
            return index + 1
        kept += len(normalise(raw[index]))
    return 0


def guard_for(
    scenario: Scenario, state: SessionState, allowed_texts: Iterable[str], hidden: Iterable[str] = ()
) -> LeakGuard:
    """A guard for the facts still hidden after this turn (and any other `hidden` text); public scenario text and
    what was said are allowed."""
    revealed = state.revealed_ids()
    hidden = [*(fact.text for fact in scenario.all_facts() if fact.id not in revealed), *hidden]
    known = [fact.text for fact in scenario.all_facts() if fact.id in revealed]
    public = [
        scenario.opening_line,
        scenario.company.context,
        scenario.company.size,
        scenario.deal_context,
        scenario.our_offering,
        *scenario.decision_criteria,
    ]
    return LeakGuard(hidden, [*known, *public, *allowed_texts])


@dataclass(frozen=True)
class BuyerBrief:
    """Everything the model may know for one reply."""

    scenario: Scenario
    state: SessionState  # after this turn: decides which facts are known
    say_now: str  # the scripted reply: the content of this turn, to be reworded
    history: list[tuple[str, str]]  # earlier (speaker, text), oldest first
    rep_text: str
    seller_facts: tuple[str, ...] = ()  # the team's product facts the rep has stated (from its documents)


def build_messages(brief: BuyerBrief, *, retry: bool = False, history_chars: int = 600) -> list[BaseMessage]:
    """System prompt, the capped recent history and the rep's message, in an order strict templates accept."""
    scenario = brief.scenario
    persona = scenario.persona
    playbook = get_playbook()
    style = playbook.element(persona.communication_style)
    revealed = brief.state.revealed_ids()
    system = render_prompt(
        PROMPT,
        persona=persona,
        role_name=playbook.element(persona.purchase_role).name_zh,
        style_name=style.name_zh,
        style_description=style.description,
        style_traits=getattr(style, "traits_zh", []),
        company=scenario.company,
        deal_context=scenario.deal_context,
        our_offering=scenario.our_offering,
        known_facts=[fact.text for fact in scenario.all_facts() if fact.id in revealed],
        seller_facts=list(brief.seller_facts),
        trust=brief.state.trust,
        relation_stage=playbook.element(brief.state.relation_stage).name_zh,
        say_now=brief.say_now,
        retry=retry,
    )
    messages: list[BaseMessage] = [SystemMessage(system)]
    for speaker, text in brief.history[-HISTORY_TURNS:]:
        text = capped(text, history_chars)
        messages.append(AIMessage(text) if speaker == "buyer" else HumanMessage(text))
    messages.append(HumanMessage(brief.rep_text))
    return alternating(messages, OPENER)


class LlmReply:
    """One buyer reply from the model: iterate `stream()` for safe pieces, or await `whole()`; then read status,
    text and source."""

    def __init__(self, chat_model: BaseChatModel, brief: BuyerBrief) -> None:
        self.chat_model = chat_model
        self.brief = brief
        self.text = ""
        self.status: ReplyStatus = "complete"
        self.source: Literal["llm", "scripted_fallback"] = "llm"
        self.error: str | None = None

    def _messages(self, *, retry: bool) -> list[BaseMessage]:
        return build_messages(self.brief, retry=retry, history_chars=policy_of(self.chat_model).history_chars)

    def _guard(self) -> LeakGuard:
        """For the facts still hidden; what this turn says and what the rep said may be repeated."""
        return guard_for(self.brief.scenario, self.brief.state, [self.brief.say_now, self.brief.rep_text])

    async def stream(self) -> AsyncIterator[str]:
        for attempt in range(2):
            live = attempt == 0  # the first try streams; a try after a leak is shown only once checked whole
            guard = self._guard()
            pieces: list[str] = []
            self.status, self.error = "complete", None
            outcome = Outcome()
            try:
                async for text in astream_text(self.chat_model, "buyer", self._messages(retry=not live), outcome):
                    piece = guard.feed(text)
                    if piece:
                        pieces.append(piece)
                        if live:
                            yield piece
            except ReplyLeak:
                continue
            except Exception as error:  # any model failure: keep the safe text received, if any
                self.error = describe_error(error)
                self.status = "partial"
            if outcome.cut:  # the token cap ended it mid-thought: stored and shown as partial
                self.status = "partial"
            try:
                guard.check_whole()
            except ReplyLeak:
                continue
            if not guard.text.strip():  # nothing usable came back
                self.status = "failed"
                break
            rest = guard.flush()
            self.text = "".join(pieces) + rest
            yield rest if live else self.text
            return
        else:  # both tries quoted a hidden fact
            self.status = "complete"
        self.text, self.source = self.brief.say_now, "scripted_fallback"
        yield self.text

    async def whole(self) -> str:
        """The reply in one model response, for a caller that shows it at once: no chunks to take apart.

        The model still streams (app.llm.calls), so a slow answer is not cut off by the read timeout. A response that
        breaks off is asked for once more (nothing was shown); if the call fails the reply is the scripted one,
        marked failed.
        """
        # Built before the call: the work after the model's answer runs cold, so as little as possible waits there.
        guard = self._guard()
        leaked = False
        for attempt in range(2):
            self.status, self.error = "complete", None
            try:
                outcome = await agenerate(self.chat_model, "buyer", self._messages(retry=leaked))
            except Exception as error:  # any model failure: the scripted reply stands in
                self.error = describe_error(error)
                self.status = "failed"
                if attempt == 0 and broke_off(error):  # nothing was shown: ask once more
                    continue
                break
            text = outcome.text
            try:
                guard.check(text)
            except ReplyLeak:
                leaked = True
                continue
            if not text.strip():  # nothing usable came back
                self.status = "failed"
                break
            self.text = text
            if outcome.cut:
                self.status = "partial"
            return text
        self.text, self.source = self.brief.say_now, "scripted_fallback"
        return self.text
