"""Role-play with a simulated buyer: scenarios, session state, the offline scripted buyer and the scorecard."""

from app.roleplay.scenarios import Scenario, ScenarioError, get_scenario, load_scenarios
from app.roleplay.scorecard import Scorecard, build_scorecard
from app.roleplay.scripted_buyer import BuyerTurn, ScriptedBuyer, is_injection
from app.roleplay.state import SessionState

__all__ = [
    "BuyerTurn",
    "Scenario",
    "ScenarioError",
    "Scorecard",
    "ScriptedBuyer",
    "SessionState",
    "build_scorecard",
    "get_scenario",
    "is_injection",
    "load_scenarios",
]
