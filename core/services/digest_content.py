"""What a digest says: a few counted, capped queries turned into plain data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.queryset import QuerySet

from core.enums import OPEN_STATUSES, TaskStatus
from core.models import Task

SECTION_CAP = 10
STALE_DAYS = 3
SOON_DAYS = 3


@dataclass(frozen=True)
class DigestItem:
    key: str
    title: str
    assignee: str | None
    due_at: datetime | None


@dataclass(frozen=True)
class DigestSection:
    name: str  # completed | created | overdue | due_soon | stale
    items: tuple[DigestItem, ...]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class Digest:
    project_key: str | None
    timezone: str
    since: datetime
    now: datetime
    sections: tuple[DigestSection, ...]

    @property
    def is_empty(self) -> bool:
        return all(section.total == 0 for section in self.sections)


async def build_digest(
    *,
    organization_id: uuid.UUID,
    project_id: uuid.UUID | None,
    project_key: str | None,
    timezone: str,
    since: datetime,
    now: datetime,
    cap: int = SECTION_CAP,
    stale_days: int = STALE_DAYS,
) -> Digest:
    scope = Task.filter(organization_id=organization_id, is_active=True)
    if project_id:
        scope = scope.filter(project_id=project_id)
    open_tasks = scope.filter(status__in=list(OPEN_STATUSES))
    local_midnight = now.astimezone(ZoneInfo(timezone)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    soon = local_midnight + timedelta(days=SOON_DAYS + 1)
    queries = {
        "completed": (
            scope.filter(status=TaskStatus.DONE, completed_at__gt=since, completed_at__lte=now),
            "-completed_at",
        ),
        "created": (scope.filter(created_at__gt=since, created_at__lte=now), "-created_at"),
        "overdue": (open_tasks.filter(due_at__lt=now), "due_at"),
        "due_soon": (open_tasks.filter(due_at__gte=now, due_at__lt=soon), "due_at"),
        "stale": (
            open_tasks.filter(
                status=TaskStatus.IN_PROGRESS, updated_at__lt=now - timedelta(days=stale_days)
            ),
            "updated_at",
        ),
    }
    sections = [await _section(name, query, order, cap) for name, (query, order) in queries.items()]
    return Digest(project_key, timezone, since, now, tuple(sections))


async def _section(name: str, query: QuerySet[Task], order: str, cap: int) -> DigestSection:
    total = await query.count()
    rows = await query.select_related("project", "assignee").order_by(order).limit(cap)
    items = tuple(
        DigestItem(
            key=f"{row.project.key}-{row.number}",
            title=row.title,
            assignee=row.assignee.name if row.assignee else None,
            due_at=row.due_at,
        )
        for row in rows
    )
    return DigestSection(name, items, total)
