"""Who may open which role-play and turn: read for the owner, their manager and admins; talk for the owner only."""

from sqlmodel import Session

from app.auth.policy import visible_or_404
from app.errors import not_found
from app.models import RolePlay, Turn, User

MAX_TURN_CHARS = 2000  # one rep turn, as the API and the chat page take it


def visible_roleplay(session: Session, viewer: User, roleplay_id: int) -> RolePlay:
    """The owner, their manager and admins read a session; for anyone else it does not exist."""
    return visible_or_404(session, viewer, RolePlay, roleplay_id, "role-play")


def own_roleplay(session: Session, user: User, roleplay_id: int) -> RolePlay:
    """Only the owner talks in a session."""
    return visible_or_404(session, user, RolePlay, roleplay_id, "role-play", access="own")


def own_rep_turn_for_stream(session: Session, user: User, roleplay_id: int, turn_id: int) -> Turn:
    """A rep turn of the user's own session, checked before a stream starts (a started stream cannot answer 404)."""
    own_roleplay(session, user, roleplay_id)
    rep_turn = session.get(Turn, turn_id)
    if rep_turn is None or rep_turn.roleplay_id != roleplay_id or rep_turn.speaker != "rep":
        raise not_found("turn")
    return rep_turn
