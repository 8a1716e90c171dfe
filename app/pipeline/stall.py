"""When an open deal counts as stalled: no activity (edit or flow run) for 30 days, or its close date has passed."""

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from app.models import FlowRun, Opportunity
from app.models.common import require_id

STALLED_AFTER = timedelta(days=30)


def last_activities(session: Session, opportunities: list[Opportunity]) -> dict[int, datetime]:
    """Each deal's latest moment of work: its own edit or a flow run on it, whichever is later."""
    last_run = (
        dict(
            session.exec(
                select(FlowRun.opportunity_id, func.max(FlowRun.updated_at))
                .where(col(FlowRun.opportunity_id).in_([o.id for o in opportunities]))
                .group_by(col(FlowRun.opportunity_id))
            ).all()
        )
        if opportunities
        else {}
    )
    return {require_id(o): max(o.updated_at, last_run.get(o.id, o.updated_at)) for o in opportunities}


def stalled_reasons(opportunity: Opportunity, last_activity: datetime, now: datetime) -> list[str]:
    """Why an open deal is stalled ("no_activity_30d", "close_date_passed"); a won or lost deal cannot stall."""
    reasons = []
    if opportunity.outcome == "open":
        if now - last_activity > STALLED_AFTER:
            reasons.append("no_activity_30d")
        if opportunity.expected_close is not None and opportunity.expected_close < now.date():
            reasons.append("close_date_passed")
    return reasons
