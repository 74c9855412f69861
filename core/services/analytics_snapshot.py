"""Analytics of the present: work in progress, workload, overdue age, breakdowns, oldest.

"Open" means todo, in progress or in review as the task is now; the scope's window only
bounds the "completed" counts (status done, completed_at inside the window).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.enums import TaskPriority, TaskStatus
from core.errors import ValidationFailed
from core.permissions import Actor
from core.services.analytics_scope import AnalyticsScope
from core.services.analytics_sql import Statement, as_datetime, as_uuid

WIP_STATUSES = (TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.IN_REVIEW)
UNASSIGNED = "Unassigned"
# Overdue by at most this many days (elapsed time since due_at, not calendar days).
AGE_BUCKETS = (
    ("1 day", 1),
    ("2-3 days", 3),
    ("4-7 days", 7),
    ("8-14 days", 14),
    ("15+ days", None),
)
MAX_OLDEST = 100


@dataclass(frozen=True)
class Workload:
    user_id: uuid.UUID | None  # None = unassigned
    name: str
    open: int
    in_progress: int
    overdue: int
    completed: int  # completed within the scope's window


@dataclass(frozen=True)
class AgeBucket:
    label: str
    count: int


@dataclass(frozen=True)
class Breakdown:
    name: str  # a label name, or a priority ("low".."urgent")
    open: int
    done: int  # completed within the scope's window


@dataclass(frozen=True)
class OpenTask:
    key: str
    title: str
    assignee: str | None
    status: str
    created_at: datetime
    age_days: int


async def work_in_progress(actor: Actor, scope: AnalyticsScope) -> dict[str, int]:
    """How many tasks are in each open status now: todo, in_progress, in_review."""
    actor.require("task:read")
    q = Statement()
    sql = f"""
        SELECT t.status AS status, COUNT(*) AS n FROM tasks t
        WHERE {q.tasks_in(actor, scope)} AND {q.is_open()}
        GROUP BY t.status"""
    counts = {row["status"]: int(row["n"]) for row in await q.rows(sql)}
    return {status.value: counts.get(status.value, 0) for status in WIP_STATUSES}


async def workload(actor: Actor, scope: AnalyticsScope, *, now: datetime) -> list[Workload]:
    """Per assignee (and "Unassigned"): open, in progress, overdue at `now`, and completed
    in the window. Only people with at least one such task appear; most open first."""
    actor.require("task:read")
    q = Statement()
    is_open, completed = q.is_open(), q.completed_in(scope)
    in_progress = q.bind(TaskStatus.IN_PROGRESS.value)
    sql = f"""
        SELECT t.assignee_id AS user_id, u.name AS name,
            SUM(CASE WHEN {is_open} THEN 1 ELSE 0 END) AS open,
            SUM(CASE WHEN t.status = {in_progress} THEN 1 ELSE 0 END) AS in_progress,
            SUM(CASE WHEN {is_open} AND {q.instant("t.due_at")} < {q.at(now)} THEN 1 ELSE 0 END)
                AS overdue,
            SUM(CASE WHEN {completed} THEN 1 ELSE 0 END) AS completed
        FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
        WHERE {q.tasks_in(actor, scope)} AND ({is_open} OR ({completed}))
        GROUP BY t.assignee_id, u.name"""
    people = [
        Workload(
            user_id=as_uuid(row["user_id"]),
            name=row["name"] if row["user_id"] is not None else UNASSIGNED,
            open=int(row["open"]),
            in_progress=int(row["in_progress"]),
            overdue=int(row["overdue"]),
            completed=int(row["completed"]),
        )
        for row in await q.rows(sql)
    ]
    # Sorted here, not in SQL: PostgreSQL's collation and SQLite's would order names apart.
    return sorted(people, key=lambda w: (-w.open, w.name.casefold(), str(w.user_id)))


async def overdue_by_age(actor: Actor, scope: AnalyticsScope, *, now: datetime) -> list[AgeBucket]:
    """Open tasks due before `now`, by how long overdue: up to 1 day, 2-3, 4-7, 8-14, 15+."""
    actor.require("task:read")
    q = Statement()
    due = q.instant("t.due_at")
    steps = " ".join(
        f"WHEN {due} >= {q.at(now - timedelta(days=days))} THEN {i}"
        for i, (_, days) in enumerate(AGE_BUCKETS)
        if days is not None
    )
    sql = f"""
        SELECT a.bucket AS bucket, COUNT(*) AS n FROM (
            SELECT CASE {steps} ELSE {len(AGE_BUCKETS) - 1} END AS bucket FROM tasks t
            WHERE {q.tasks_in(actor, scope)} AND {q.is_open()} AND {due} < {q.at(now)}
        ) a GROUP BY a.bucket"""
    counts = {int(row["bucket"]): int(row["n"]) for row in await q.rows(sql)}
    return [AgeBucket(label, counts.get(i, 0)) for i, (label, _) in enumerate(AGE_BUCKETS)]


async def by_label(actor: Actor, scope: AnalyticsScope) -> list[Breakdown]:
    """Open and completed-in-window tasks per label; busiest first, then by name.
    A task with two labels counts under both; labels with nothing to count are left out."""
    actor.require("task:read")
    q = Statement()
    is_open, completed = q.is_open(), q.completed_in(scope)
    sql = f"""
        SELECT l.name AS name,
            SUM(CASE WHEN {is_open} THEN 1 ELSE 0 END) AS open,
            SUM(CASE WHEN {completed} THEN 1 ELSE 0 END) AS done
        FROM task_labels l JOIN tasks t ON t.id = l.task_id
        WHERE {q.tasks_in(actor, scope)} AND ({is_open} OR ({completed}))
        GROUP BY l.name"""
    found = [
        Breakdown(row["name"], int(row["open"]), int(row["done"])) for row in await q.rows(sql)
    ]
    return sorted(found, key=lambda b: (-b.open, -b.done, b.name))


async def by_priority(actor: Actor, scope: AnalyticsScope) -> list[Breakdown]:
    """Open and completed-in-window tasks for each of the four priorities, urgent first."""
    actor.require("task:read")
    q = Statement()
    is_open, completed = q.is_open(), q.completed_in(scope)
    sql = f"""
        SELECT t.priority AS priority,
            SUM(CASE WHEN {is_open} THEN 1 ELSE 0 END) AS open,
            SUM(CASE WHEN {completed} THEN 1 ELSE 0 END) AS done
        FROM tasks t
        WHERE {q.tasks_in(actor, scope)} AND ({is_open} OR ({completed}))
        GROUP BY t.priority"""
    counts = {int(row["priority"]): row for row in await q.rows(sql)}
    return [
        Breakdown(
            priority.label,
            int(counts[priority]["open"]) if priority in counts else 0,
            int(counts[priority]["done"]) if priority in counts else 0,
        )
        for priority in sorted(TaskPriority, reverse=True)
    ]


async def oldest_open(
    actor: Actor, scope: AnalyticsScope, *, now: datetime, limit: int = 5
) -> list[OpenTask]:
    """The open tasks created longest ago, oldest first; `age_days` in whole days at `now`."""
    actor.require("task:read")
    if not 1 <= limit <= MAX_OLDEST:
        raise ValidationFailed.on("limit", f"limit must be between 1 and {MAX_OLDEST}")
    q = Statement()
    sql = f"""
        SELECT p.key AS project_key, t.number AS number, t.title AS title,
            u.name AS assignee, t.status AS status, t.created_at AS created_at
        FROM tasks t JOIN projects p ON p.id = t.project_id
        LEFT JOIN users u ON u.id = t.assignee_id
        WHERE {q.tasks_in(actor, scope)} AND {q.is_open()}
        ORDER BY {q.instant("t.created_at")}, t.number, t.id
        LIMIT {q.bind(limit)}"""
    return [_open_task(row, now) for row in await q.rows(sql)]


def _open_task(row: dict[str, Any], now: datetime) -> OpenTask:
    created_at = as_datetime(row["created_at"])
    return OpenTask(
        key=f"{row['project_key']}-{row['number']}",
        title=row["title"],
        assignee=row["assignee"],
        status=str(row["status"]),
        created_at=created_at,
        age_days=max(0, (now - created_at) // timedelta(days=1)),
    )
