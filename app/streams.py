"""Server-sent events for the api and web layers: the feature services' plain events framed with fastapi.sse."""

from collections.abc import Iterable, Iterator

from fastapi.sse import ServerSentEvent

from app.knowledge.service import AnswerCited, AnswerDone, AnswerPiece, AnswerRestarted, AskEvent


def ask_sse(events: Iterable[AskEvent]) -> Iterator[ServerSentEvent]:
    """A streamed answer as `token` pieces, `error` (drop the text so far), `citations`, then `done`."""
    for event in events:
        match event:
            case AnswerPiece(text=text):
                yield ServerSentEvent(event="token", data={"text": text})
            case AnswerRestarted(notice=notice):
                yield ServerSentEvent(event="error", data={"message": notice})
            case AnswerCited(citations=citations):
                yield ServerSentEvent(event="citations", data=[citation.model_dump() for citation in citations])
            case AnswerDone(result=result):  # the engine, any notice, and whether the playbook covered the question
                yield ServerSentEvent(
                    event="done",
                    data=result.model_dump(include={"mode", "notice", "covered", "declined", "might_help"}),
                )
