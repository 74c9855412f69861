"""What a digest says: a few counted, capped queries turned into plain data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.enums import OPEN_STATUSES, TaskStatus
from core.services.analytics_sql import Statement, as_datetime

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
    """All five sections in one statement: each its first `cap` tasks and its total.

    A thousand channels are due at the same minute, so this is the scheduler's hot path:
    built with the ORM it took ten statements a digest (rows and a count per section)
    and most of the scheduler's CPU went into building them."""
    q = Statement()
    scope = [f"t.organization_id = {q.bind(organization_id)}", f"t.is_active = {q.bind(True)}"]
    if project_id:
        scope.append(f"t.project_id = {q.bind(project_id)}")
    is_open = f"t.status IN ({q.bind_all(sorted(status.value for status in OPEN_STATUSES))})"
    local_midnight = now.astimezone(ZoneInfo(timezone)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    soon = local_midnight + timedelta(days=SOON_DAYS + 1)
    at_since, at_now = q.at(since), q.at(now)
    completed, created = q.instant("t.completed_at"), q.instant("t.created_at")
    due, updated = q.instant("t.due_at"), q.instant("t.updated_at")
    sections = {  # name -> (condition, order)
        "completed": (
            f"t.status = {q.bind(TaskStatus.DONE.value)} AND {completed} > {at_since} "
            f"AND {completed} <= {at_now}",
            f"{completed} DESC",
        ),
        "created": (f"{created} > {at_since} AND {created} <= {at_now}", f"{created} DESC"),
        "overdue": (f"{is_open} AND {due} < {at_now}", due),
        "due_soon": (f"{is_open} AND {due} >= {at_now} AND {due} < {q.at(soon)}", due),
        "stale": (
            f"t.status = {q.bind(TaskStatus.IN_PROGRESS.value)} "
            f"AND {updated} < {q.at(now - timedelta(days=stale_days))}",
            updated,
        ),
    }
    where = " AND ".join(scope)
    parts = [
        f"""SELECT * FROM (
            SELECT {i} AS section, t.number AS number, t.title AS title, t.due_at AS due_at,
                p.key AS project_key, u.name AS assignee,
                COUNT(*) OVER () AS total, ROW_NUMBER() OVER (ORDER BY {order}) AS rn
            FROM tasks t JOIN projects p ON p.id = t.project_id
            LEFT JOIN users u ON u.id = t.assignee_id
            WHERE {where} AND {condition}
            ORDER BY {order} LIMIT {int(cap)}
        ) s{i}"""
        for i, (condition, order) in enumerate(sections.values())
    ]
    rows = await q.rows("\nUNION ALL\n".join(parts) + "\nORDER BY section, rn")
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(int(row["section"]), []).append(row)
    built = tuple(_section(name, found.get(i, [])) for i, name in enumerate(sections))
    return Digest(project_key, timezone, since, now, built)


def _section(name: str, rows: list[dict[str, Any]]) -> DigestSection:
    items = tuple(
        DigestItem(
            key=f"{row['project_key']}-{row['number']}",
            title=row["title"],
            assignee=row["assignee"],
            due_at=as_datetime(row["due_at"]) if row["due_at"] is not None else None,
        )
        for row in rows
    )
    return DigestSection(name, items, int(rows[0]["total"]) if rows else 0)
