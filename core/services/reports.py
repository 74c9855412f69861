"""The weekly manager report: where it goes and when, and claiming each week's send once.

What the report says is computed by the analytics read side (dashboards.analytics); this
module only keeps the schedule and decides, through ScheduledSend rows, that each week's
report is posted exactly once (see core.services.digests.claim_send).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.models import Organization, ReportSchedule
from core.permissions import Actor
from core.services import digests
from core.services.projects import load_project
from core.services.slack_links import organization_for_team

KIND = "weekly_report"
DEFAULT_DAY = "monday"
DEFAULT_TIME = "09:00"


@dataclass(frozen=True)
class ReportView:
    organization_id: uuid.UUID
    team_id: str
    target: str  # a channel id, or a Slack user id for a DM
    project_id: uuid.UUID | None
    project_key: str | None
    weekday: str
    time_of_day: str
    timezone: str

    @property
    def key(self) -> str:
        return f"{self.team_id}:{self.target}"

    @property
    def to_person(self) -> bool:
        return self.target.startswith(("U", "W"))


@dataclass(frozen=True)
class ReportClaim:
    """A weekly report this process won: post it, then digests.mark_sent / mark_failed."""

    send_id: uuid.UUID
    report: ReportView
    period: str
    scheduled_for: datetime
    attempt: int


async def set_report(
    actor: Actor,
    *,
    team_id: str,
    target: str,
    weekday: str = DEFAULT_DAY,
    time_of_day: str = DEFAULT_TIME,
    timezone: str | None = None,
    project: str | None = None,
) -> ReportView:
    """Create or replace the weekly report to `target` (managers: admins and owners)."""
    _require_manager(actor)
    if weekday not in digests.WEEKDAYS:
        raise ValidationFailed.on("weekday", f"use a day of the week, such as {DEFAULT_DAY}")
    at = digests.parse_time(time_of_day).strftime("%H:%M")
    zone = timezone or (await Organization.get(id=actor.organization_id)).timezone
    digests.check_timezone(zone)
    project_id = (await load_project(actor, project)).id if project else None
    values = {
        "organization_id": actor.organization_id,
        "project_id": project_id,
        "weekday": digests.WEEKDAYS.index(weekday),
        "time_of_day": at,
        "timezone": zone,
        "is_active": True,
    }
    row, created = await ReportSchedule.get_or_create(
        team_id=team_id, target=target, defaults=values
    )
    if not created:
        await row.update_from_dict(values).save()
    return await _view(row)


async def turn_off_report(actor: Actor, *, team_id: str, target: str) -> bool:
    _require_manager(actor)
    updated = await ReportSchedule.filter(
        team_id=team_id, target=target, organization_id=actor.organization_id, is_active=True
    ).update(is_active=False)
    return bool(updated)


async def report_for(team_id: str, target: str) -> ReportView | None:
    row = await ReportSchedule.get_or_none(team_id=team_id, target=target, is_active=True)
    return await _view(row) if row else None


async def unscheduled_report(team_id: str, target: str) -> ReportView:
    """A report for a target without a schedule (a preview): the whole organization."""
    organization_id = await organization_for_team(team_id)
    if organization_id is None:
        raise NotFound(f"No organization works in Slack workspace {team_id}")
    organization = await Organization.get(id=organization_id)
    return ReportView(
        organization_id,
        team_id,
        target,
        None,
        None,
        DEFAULT_DAY,
        DEFAULT_TIME,
        organization.timezone,
    )


async def due_reports(
    now: datetime, *, grace: timedelta = digests.DEFAULT_GRACE
) -> list[ReportClaim]:
    """Claim every weekly report due now (within `grace`); older ones are recorded missed."""
    claims = []
    for row in await ReportSchedule.filter(is_active=True, organization__is_active=True):
        report = await _view(row)
        at = digests.fire_time(
            days=report.weekday, time_of_day=report.time_of_day, timezone=report.timezone, now=now
        )
        if at < row.updated_at:
            continue  # scheduled (or changed) after that moment: nothing was missed
        period = digests.period_of(at, report.timezone)
        won = await digests.claim_send(
            kind=KIND, target=report.key, period=period, at=at, now=now, grace=grace
        )
        if won:
            claims.append(ReportClaim(won.send_id, report, period, at, won.attempt))
    return claims


def _require_manager(actor: Actor) -> None:
    if not actor.can("organization:update"):
        raise PermissionDenied("Only admins and owners can schedule or stop the weekly report")


async def _view(row: ReportSchedule) -> ReportView:
    project = await row.project if row.project_id else None
    return ReportView(
        organization_id=row.organization_id,
        team_id=row.team_id,
        target=row.target,
        project_id=row.project_id,
        project_key=project.key if project else None,
        weekday=digests.WEEKDAYS[row.weekday],
        time_of_day=row.time_of_day,
        timezone=row.timezone,
    )
