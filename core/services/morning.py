"""The personal morning DM: each person's overdue tasks, what is due today and this week.

Who gets it: people who turned it on (`/task morning on`), or, when the organization's
default is on, everyone with a Slack account who has not turned it off. When: their own
`time_of_day` in their own time zone (users.timezone, from Slack), on weekdays or every
day. Exactly once per person per local day, through the same ScheduledSend claim as
channel digests (core.services.digests.claim_send).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import ValidationFailed
from core.models import Membership, PersonalDigest, SlackUserLink, SlackWorkspace, User
from core.permissions import Actor
from core.services import digests
from core.services.activity_feed import reader
from core.services.task_queries import TaskFilter, count_tasks, list_tasks
from core.views import TaskView

KIND = "morning_digest"
DEFAULT_TIME = "09:00"
DEFAULT_DAYS = "weekdays"
PER_SECTION = 8
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class MorningSetting:
    enabled: bool
    time_of_day: str
    days: str
    timezone: str
    explicit: bool  # False: the organization's default applies


@dataclass(frozen=True)
class MorningSection:
    name: str  # overdue | today | this_week
    tasks: tuple[TaskView, ...]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.tasks)


@dataclass(frozen=True)
class Morning:
    user_id: uuid.UUID
    timezone: str
    now: datetime
    sections: tuple[MorningSection, ...]

    @property
    def is_empty(self) -> bool:
        return all(section.total == 0 for section in self.sections)


@dataclass(frozen=True)
class MorningClaim:
    """A morning DM this process won: send it, then digests.mark_sent / mark_failed."""

    send_id: uuid.UUID
    organization_id: uuid.UUID
    user_id: uuid.UUID
    timezone: str
    period: str
    scheduled_for: datetime
    attempt: int


async def set_morning(
    actor: Actor, *, enabled: bool, time_of_day: str | None = None, days: str | None = None
) -> MorningSetting:
    """Turn the actor's own morning DM on or off, optionally at another time or days."""
    actor.require("task:read")
    values: dict[str, object] = {"enabled": enabled}
    if time_of_day is not None:
        values["time_of_day"] = digests.parse_time(time_of_day).strftime("%H:%M")
    if days is not None:
        if days not in digests.DAYS:
            raise ValidationFailed.on("days", f"use {' or '.join(digests.DAYS)}")
        values["days"] = days
    row, created = await PersonalDigest.get_or_create(
        organization_id=actor.organization_id, user_id=actor.user_id, defaults=values
    )
    if not created:
        await row.update_from_dict(values).save()
    return await morning_setting(actor, default_on=enabled)


async def morning_setting(actor: Actor, *, default_on: bool) -> MorningSetting:
    user = await User.get(id=actor.user_id)
    row = await PersonalDigest.get_or_none(
        organization_id=actor.organization_id, user_id=actor.user_id
    )
    if row is None:
        return MorningSetting(default_on, DEFAULT_TIME, DEFAULT_DAYS, _zone(user.timezone), False)
    return MorningSetting(row.enabled, row.time_of_day, row.days, _zone(user.timezone), True)


async def due_mornings(
    now: datetime, *, default_on: bool, grace: timedelta = digests.DEFAULT_GRACE
) -> list[MorningClaim]:
    """Claim every morning DM due at `now` (within `grace`); older ones are recorded missed."""
    claims = []
    for organization_id, user_id, timezone, time_of_day, days in await _recipients(default_on):
        at = digests.fire_time(days=days, time_of_day=time_of_day, timezone=timezone, now=now)
        period = digests.period_of(at, timezone)
        won = await digests.claim_send(
            kind=KIND,
            target=f"{organization_id}:{user_id}",
            period=period,
            at=at,
            now=now,
            grace=grace,
        )
        if won:
            claims.append(
                MorningClaim(
                    won.send_id, organization_id, user_id, timezone, period, at, won.attempt
                )
            )
    return claims


async def morning_of(
    *, organization_id: uuid.UUID, user_id: uuid.UUID, timezone: str, now: datetime
) -> Morning:
    """One person's open tasks: overdue, due by the end of their today, due within a week."""
    actor = reader(organization_id)
    zone = ZoneInfo(_zone(timezone))
    end_of_today = (now.astimezone(zone) + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    mine = TaskFilter(assignee_id=user_id, open_only=True)
    windows = {
        "overdue": replace(mine, due_before=now),
        "today": replace(mine, due_after=now, due_before=end_of_today),
        "this_week": replace(mine, due_after=end_of_today, due_before=end_of_today + WEEK),
    }
    sections = []
    for name, filters in windows.items():
        page = await list_tasks(actor, filters, sort="due_at", limit=PER_SECTION)
        total = len(page.items)
        if page.next_cursor:
            total = await count_tasks(actor, filters)
        sections.append(MorningSection(name, tuple(page.items), total))
    return Morning(user_id, _zone(timezone), now, tuple(sections))


async def _recipients(default_on: bool) -> list[tuple[uuid.UUID, uuid.UUID, str, str, str]]:
    """(organization, user, time zone, time, days) of everyone whose morning DM is on."""
    rows = {
        (row.organization_id, row.user_id): row
        for row in await PersonalDigest.all().select_related("user")
    }
    members = set(
        await Membership.filter(
            is_active=True, organization__is_active=True, user__is_active=True
        ).values_list("organization_id", "user_id")
    )
    found = []
    for key, row in rows.items():
        if row.enabled and key in members:
            found.append((*key, _zone(row.user.timezone), row.time_of_day, row.days))
    if not default_on:
        return found
    active_teams = SlackWorkspace.filter(is_active=True).values_list("team_id", flat=True)
    links = await SlackUserLink.filter(
        team_id__in=await active_teams, user__is_active=True
    ).select_related("user")
    seen = set(rows)
    for link in links:
        key = (link.organization_id, link.user_id)
        if key in seen or key not in members:
            continue
        seen.add(key)
        found.append((*key, _zone(link.user.timezone), DEFAULT_TIME, DEFAULT_DAYS))
    return found


def _zone(name: str | None) -> str:
    try:
        ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name or "UTC"
