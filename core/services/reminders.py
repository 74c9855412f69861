"""Due-date reminders and overdue nudges to a task's assignee, each sent exactly once.

Like channel digests (core.services.digests), exactly once comes from a unique
ScheduledSend row (kind, target, period) inserted before posting:

- a due reminder's period is the task's due date and time, so a task gets one reminder
  per due date (moving the due date earns a new one);
- an overdue nudge's period is the assignee's local date, so at most one a day per task.

A failed send is retried on a later tick (a compare-and-set on its attempt count) until
digests.MAX_ATTEMPTS, while the task still qualifies.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.exceptions import IntegrityError

from core.enums import OPEN_STATUSES
from core.models import ScheduledSend, Task
from core.services.digests import PENDING, _retryable
from core.services.mapping import task_view
from core.services.task_queries import with_relations
from core.views import TaskView, UserView

DUE_REMINDER = "due_reminder"
OVERDUE_NUDGE = "overdue_nudge"
DEFAULT_LEAD = timedelta(hours=24)

TimezoneOf = Callable[[UserView], str]


@dataclass(frozen=True)
class ReminderClaim:
    """A reminder this process won: DM it, then digests.mark_sent / mark_failed."""

    send_id: uuid.UUID
    kind: str
    task: TaskView
    period: str
    scheduled_for: datetime
    attempt: int
    timezone: str

    @property
    def assignee_id(self) -> uuid.UUID:
        assert self.task.assignee is not None
        return self.task.assignee.id


def stored_timezone(user: UserView) -> str:
    """The assignee's own time zone as TeamFlow knows it (from Slack on first contact)."""
    return user.timezone or "UTC"


async def due_reminders(now: datetime, *, lead: timedelta = DEFAULT_LEAD) -> list[ReminderClaim]:
    """Claim a reminder for every open, assigned task due in (now, now + lead]."""
    rows = await with_relations(
        _open_assigned().filter(due_at__gt=now, due_at__lte=now + lead)
    ).order_by("due_at")
    claims = []
    existing = await _existing(DUE_REMINDER, rows)
    for row in rows:
        task = task_view(row)
        assert task.assignee is not None and task.due_at is not None
        due_at = task.due_at.astimezone(UTC)
        claim = await _claim(
            DUE_REMINDER,
            task,
            period=due_at.isoformat(),
            at=due_at - lead,
            now=now,
            timezone=stored_timezone(task.assignee),
            existing=existing,
        )
        if claim:
            claims.append(claim)
    return claims


async def overdue_nudges(
    now: datetime, *, timezone_of_user: TimezoneOf = stored_timezone
) -> list[ReminderClaim]:
    """Claim a nudge for every open, assigned task due before now: one per task per local
    day of its assignee."""
    rows = await with_relations(_open_assigned().filter(due_at__lt=now)).order_by("due_at")
    claims = []
    existing = await _existing(OVERDUE_NUDGE, rows)
    for row in rows:
        task = task_view(row)
        assert task.assignee is not None
        zone = _zone(timezone_of_user(task.assignee))
        claim = await _claim(
            OVERDUE_NUDGE,
            task,
            period=now.astimezone(ZoneInfo(zone)).date().isoformat(),
            at=now,
            now=now,
            timezone=zone,
            existing=existing,
        )
        if claim:
            claims.append(claim)
    return claims


def _open_assigned():
    return Task.filter(
        is_active=True,
        organization__is_active=True,
        project__is_active=True,
        status__in=list(OPEN_STATUSES),
        assignee_id__isnull=False,
        due_at__isnull=False,
    )


async def _existing(kind: str, rows: list[Task]) -> dict[tuple[str, str], ScheduledSend]:
    """The sends already recorded for these tasks, in one query, so a tick inserts only
    what is new instead of colliding on every task it already reminded."""
    if not rows:
        return {}
    sends = await ScheduledSend.filter(kind=kind, target__in=[str(row.id) for row in rows])
    return {(send.target, send.period): send for send in sends}


async def _claim(
    kind: str,
    task: TaskView,
    *,
    period: str,
    at: datetime,
    now: datetime,
    timezone: str,
    existing: dict[tuple[str, str], ScheduledSend],
) -> ReminderClaim | None:
    target = str(task.id)
    row = existing.get((target, period))
    if row is None:
        try:
            row = await ScheduledSend.create(
                kind=kind,
                target=target,
                period=period,
                scheduled_for=at,
                status=PENDING,
                attempts=1,
                claimed_at=now,
            )
        except IntegrityError:
            return None  # another scheduler claimed it first
        return ReminderClaim(row.id, kind, task, period, at, 1, timezone)
    if not _retryable(row, now):
        return None
    won = await ScheduledSend.filter(id=row.id, status=row.status, attempts=row.attempts).update(
        status=PENDING, attempts=row.attempts + 1, claimed_at=now
    )
    if not won:
        return None
    return ReminderClaim(row.id, kind, task, period, at, row.attempts + 1, timezone)


def _zone(name: str | None) -> str:
    try:
        ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name or "UTC"
