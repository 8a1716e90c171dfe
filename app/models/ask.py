"""Questions posted for a streamed answer, kept until their stream is opened (any worker process may open it)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.common import created_at_field

MAX_QUESTION_CHARS = 1000


class PendingAsk(SQLModel, table=True):
    __tablename__ = "pending_ask"
    id: str = Field(primary_key=True, max_length=32)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    question: str = Field(max_length=MAX_QUESTION_CHARS)
    created_at: datetime = created_at_field()
