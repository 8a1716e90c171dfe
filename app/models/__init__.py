"""SQLModel tables and API schemas; importing this package registers every table."""

from app.models.ask import PendingAsk
from app.models.deal import FlowRun, Opportunity, OpportunityBase
from app.models.drill import Drill, DrillAssignment, DrillChange, LlmUsage, Review
from app.models.knowledge import KnowledgeChunk, KnowledgeDocument
from app.models.note import CoachingNote, CoachingNotePublic
from app.models.roleplay import RolePlay, RolePlayStatus, Turn, TurnStatus
from app.models.scenario import ScenarioStatus, TeamScenario, TeamScenarioVersion
from app.models.user import Role, Team, TeamManager, User, UserPublic

__all__ = [
    "CoachingNote",
    "CoachingNotePublic",
    "Drill",
    "DrillAssignment",
    "DrillChange",
    "FlowRun",
    "KnowledgeChunk",
    "KnowledgeDocument",
    "LlmUsage",
    "Opportunity",
    "OpportunityBase",
    "PendingAsk",
    "Review",
    "Role",
    "RolePlay",
    "RolePlayStatus",
    "ScenarioStatus",
    "Team",
    "TeamManager",
    "TeamScenario",
    "TeamScenarioVersion",
    "Turn",
    "TurnStatus",
    "User",
    "UserPublic",
]
