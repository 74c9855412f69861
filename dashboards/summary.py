"""The team summary managers see in Slack's App Home: the dashboard's numbers, last 7 days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.permissions import Actor
from core.services import analytics
from core.services.analytics import AnalyticsScope, DurationStats

WINDOW = timedelta(days=7)
WORKLOAD_TOP = 5


@dataclass(frozen=True)
class PersonLoad:
    name: str
    open: int
    overdue: int


@dataclass(frozen=True)
class TeamSummary:
    open: int
    overdue: int
    completed_7d: int
    created_7d: int
    cycle_time: DurationStats  # tasks completed in the last 7 days
    workload: list[PersonLoad]  # most open tasks first, assigned people only


async def team_summary(actor: Actor, *, now: datetime, timezone: str) -> TeamSummary | None:
    """For admins and owners (None for anyone else): open and overdue now, created and
    completed in the 7 days up to `now`, their cycle time, and who holds most open work."""
    if not actor.can("project:update"):
        return None
    scope = AnalyticsScope(start=now - WINDOW, end=now, timezone=timezone)
    flow = await analytics.created_vs_completed(actor, scope, bucket="week")
    overdue = await analytics.overdue_by_age(actor, scope, now=now)
    people = await analytics.workload(actor, scope, now=now)
    return TeamSummary(
        open=sum((await analytics.work_in_progress(actor, scope)).values()),
        overdue=sum(bucket.count for bucket in overdue),
        completed_7d=sum(row.completed for row in flow),
        created_7d=sum(row.created for row in flow),
        cycle_time=await analytics.cycle_time(actor, scope),
        workload=[
            PersonLoad(person.name, person.open, person.overdue)
            for person in people
            if person.user_id is not None and person.open
        ][:WORKLOAD_TOP],
    )
