"""What a person's Home shows: their open tasks by when they are due (the team summary
comes from the analytics read side, dashboards.summary)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.queryset import QuerySet

from core.enums import OPEN_STATUSES
from core.models import Task
from core.permissions import Actor
from core.services.mapping import task_view
from core.services.task_queries import TaskFilter, count_tasks, list_tasks, with_relations
from core.views import TaskView

GROUPS = ("overdue", "today", "upcoming", "no_date")
RECENT = timedelta(days=7)
WORKLOAD_TOP = 5


@dataclass(frozen=True)
class HomeData:
    """Open tasks assigned to one person, at most `per_group` in each group.

    `more` maps a group name (see GROUPS) to how many of its tasks were left out.
    """

    overdue: list[TaskView]
    today: list[TaskView]
    upcoming: list[TaskView]
    no_date: list[TaskView]
    more: dict[str, int]


async def my_sections(
    actor: Actor, *, now: datetime, timezone: str, per_group: int = 10
) -> HomeData:
    """The actor's open tasks: overdue (due before `now`), due today (before the end of
    today in `timezone`), upcoming, and without a due date; earliest due first."""
    end_of_today = _end_of_day(now, timezone)
    mine = TaskFilter(assignee_id=actor.user_id, open_only=True)
    dated = {
        "overdue": replace(mine, due_before=now),
        "today": replace(mine, due_after=now, due_before=end_of_today),
        "upcoming": replace(mine, due_after=end_of_today),
    }
    found: dict[str, list[TaskView]] = {}
    more: dict[str, int] = {}
    for group, filters in dated.items():
        page = await list_tasks(actor, filters, sort="due_at", limit=per_group)
        found[group] = page.items
        if page.next_cursor:
            more[group] = await count_tasks(actor, filters) - len(page.items)
    undated = _undated(actor)
    rows = await with_relations(undated.order_by("-priority", "created_at", "id").limit(per_group))
    found["no_date"] = [task_view(row) for row in rows]
    if len(rows) == per_group:
        more["no_date"] = await undated.count() - len(rows)
    return HomeData(
        overdue=found["overdue"],
        today=found["today"],
        upcoming=found["upcoming"],
        no_date=found["no_date"],
        more={group: n for group, n in more.items() if n > 0},
    )


def _undated(actor: Actor) -> QuerySet[Task]:
    # TaskFilter cannot ask for "no due date", so this one group is queried here.
    return Task.filter(
        organization_id=actor.organization_id,
        is_active=True,
        assignee_id=actor.user_id,
        status__in=list(OPEN_STATUSES),
        due_at__isnull=True,
    )


def _end_of_day(now: datetime, timezone: str) -> datetime:
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = now.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
