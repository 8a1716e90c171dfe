"""Reasoning text removed from model output: a leading <think>…</think> block, closed or not, never reaches a reader.

Reasoning models served without a reasoning parser (vLLM, llama-server, older Ollama) write their thinking into
the content, before the answer. Everything that reads model text (the leak guard, JSON parsing, the page) reads
it after `strip_reasoning`; a stream goes through `ReasoningFilter`, which holds text back until the block has
closed. Thinking sent apart as `reasoning_content` (DeepSeek, DashScope) is never read at all: features read the
message content only.
"""

from __future__ import annotations

import re

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"
_LEADING_BLOCK = re.compile(r"\s*<think>.*?</think>\s*", re.DOTALL | re.IGNORECASE)
_LEADING_OPEN = re.compile(r"\s*<think>", re.IGNORECASE)
_CLOSE = re.compile(r"</think>\s*", re.IGNORECASE)


def strip_reasoning(text: str) -> str:
    """The answer without its reasoning: a closed leading block is cut, an unterminated one leaves nothing, and text
    before a lone closing tag (templates that open the block in the prompt, as DeepSeek-R1's does) is cut too."""
    block = _LEADING_BLOCK.match(text)
    if block:
        return text[block.end() :]
    if _LEADING_OPEN.match(text):
        return ""  # still thinking when the output ended (cut by max_tokens or the deadline)
    close = _CLOSE.search(text)
    if close:
        return text[close.end() :]
    return text


class ReasoningFilter:
    """Feed streamed pieces; get back only answer text. Text that may still open a think block is held back."""

    def __init__(self) -> None:
        self._held = ""
        self._state = "start"  # start: undecided; thinking: inside the block; answer: passing through
        self._trim = False  # the block just closed: the blank lines after it are no part of the answer

    def feed(self, piece: str) -> str:
        if self._state == "answer":
            if self._trim:
                piece = piece.lstrip()
                self._trim = not piece
            return piece
        self._held += piece
        if self._state == "start":
            head = self._held.lstrip().lower()
            if head.startswith(OPEN_TAG):
                self._state = "thinking"
            elif OPEN_TAG.startswith(head):  # empty, or a prefix of the tag: cannot tell yet
                return ""
            else:
                self._state = "answer"
                released, self._held = self._held, ""
                return released
        close = _CLOSE.search(self._held)
        if close is None:
            return ""
        self._state, self._trim = "answer", True
        rest, self._held = self._held[close.end() :], ""
        return self.feed(rest)

    def finish(self) -> str:
        """What is left when the stream ends: nothing if it ended inside the block."""
        released, self._held = ("" if self._state == "thinking" else self._held), ""
        return released.lstrip() if self._state == "start" else released
