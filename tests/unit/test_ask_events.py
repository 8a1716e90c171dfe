"""The streamed Ask: the service yields plain events; app/streams.py frames them as the SSE the clients read."""

import dataclasses

from fastapi.sse import ServerSentEvent

from app.config import Settings
from app.knowledge.service import (
    AnswerCited,
    AnswerDone,
    AnswerPiece,
    AnswerRestarted,
    AskResult,
    ask_events,
    ask_playbook,
)
from app.streams import ask_sse

QUESTION = "SPIN 提问里的暗示问题是什么"


def offline_settings(tmp_path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path)


def test_offline_stream_is_plain_events_that_add_up_to_the_whole_answer(tmp_path):
    settings = offline_settings(tmp_path)
    events = list(ask_events(QUESTION, settings, None))
    whole = ask_playbook(QUESTION, settings, None)

    assert all(dataclasses.is_dataclass(event) for event in events)  # no web framework objects in the service
    pieces = [event for event in events if isinstance(event, AnswerPiece)]
    assert len(pieces) > 1 and "".join(piece.text for piece in pieces) == whole.answer
    assert isinstance(events[-2], AnswerCited) and events[-2].citations == whole.citations
    assert isinstance(events[-1], AnswerDone) and events[-1].result == whole


def test_sse_framing_names_each_event_as_the_clients_expect():
    result = AskResult(answer="ab", citations=[], mode="offline", notice="n", covered=False)
    framed = list(ask_sse([AnswerPiece("a"), AnswerRestarted("the model failed"), AnswerCited([]), AnswerDone(result)]))

    assert all(isinstance(event, ServerSentEvent) for event in framed)
    assert [event.event for event in framed] == ["token", "error", "citations", "done"]
    assert framed[0].data == {"text": "a"}
    assert framed[1].data == {"message": "the model failed"}
    assert framed[2].data == []
    assert framed[3].data == {"mode": "offline", "notice": "n", "covered": False, "declined": False, "might_help": []}
