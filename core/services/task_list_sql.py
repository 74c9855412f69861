"""A page of tasks (or their count) as one SQL statement, on SQLite and PostgreSQL.

The task list is the API's busiest read. Built through the ORM it cost three queries
(the project by key, the page, its labels) and, per page, more CPU in building the query
and its model values than in anything else. Here the page is one statement: the project
is joined (by key or id), the people are joined, and each task's labels come back with
it as an array (PostgreSQL) or a JSON array (SQLite). Comparisons are those the ORM
made: stored columns against bound values, so the indexes serve them.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from core.clock import utcnow
from core.enums import OPEN_STATUSES, TaskPriority, TaskStatus
from core.permissions import Actor
from core.services import task_fields
from core.services.analytics_sql import Statement, as_datetime
from core.views import ProjectView, TaskView, UserView

PROJECT_KEY_MAX = 10


class TaskSelect:
    """The tasks a filter names, in the actor's organization: `where` and its bound values."""

    def __init__(self, actor: Actor, f: Any) -> None:
        self.q = Statement()
        q = self.q
        self.sqlite = q.dialect.sqlite
        parts = [
            f"t.organization_id = {q.bind(actor.organization_id)}",
            f"t.is_active = {q.bind(True)}",
        ]
        project = f.project
        if isinstance(project, ProjectView):
            parts.append(f"t.project_id = {q.bind(project.id)}")
        elif project is not None:
            # Named by the caller: a live project of this organization (as load_project),
            # looked up once in a scalar subquery. Joined by key instead, PostgreSQL read
            # every task of the project and sorted them (215 ms on 100k tasks, not 7).
            project_id = _as_uuid(project)
            named = (
                f"pk.id = {q.bind(project_id)}"
                if project_id is not None
                else f"pk.key = {q.bind(str(project).strip().upper()[:PROJECT_KEY_MAX])}"
            )
            parts.append(
                f"t.project_id = (SELECT pk.id FROM projects pk WHERE {named} "
                f"AND pk.organization_id = {q.bind(actor.organization_id)} "
                f"AND pk.is_active = {q.bind(True)})"
            )
        if f.assignee_id is not None:
            parts.append(f"t.assignee_id = {q.bind(f.assignee_id)}")
        if f.unassigned:
            parts.append("t.assignee_id IS NULL")
        if f.reporter_id is not None:
            parts.append(f"t.reporter_id = {q.bind(f.reporter_id)}")
        if f.statuses:
            chosen = q.bind_all(task_fields.status(s).value for s in f.statuses)
            parts.append(f"t.status IN ({chosen})")
        if f.open_only or f.overdue:
            parts.append(f"t.status IN ({q.bind_all(s.value for s in sorted(OPEN_STATUSES))})")
        if f.priorities:
            chosen = q.bind_all(int(task_fields.priority(p)) for p in f.priorities)
            parts.append(f"t.priority IN ({chosen})")
        if f.label:
            name = q.bind(f.label.strip().lstrip("+#").lower())
            parts.append(
                f"EXISTS (SELECT 1 FROM task_labels l WHERE l.task_id = t.id AND l.name = {name})"
            )
        if f.due_before is not None:
            parts.append(f"t.due_at < {q.bind(task_fields.as_utc(f.due_before))}")
        if f.due_after is not None:
            parts.append(f"t.due_at >= {q.bind(task_fields.as_utc(f.due_after))}")
        if f.overdue:
            parts.append(f"t.due_at < {q.bind(utcnow())}")
        if f.text and f.text.strip():
            pattern = q.bind(f"%{_escape_like(f.text.strip().lower())}%")
            parts.append(
                f"(LOWER(t.title) LIKE {pattern} ESCAPE '\\' "
                f"OR LOWER(t.description) LIKE {pattern} ESCAPE '\\')"
            )
        self.conditions = parts
        self._bound = len(q.params)

    def where(self, *extra: str) -> str:
        return " AND ".join([*self.conditions, *extra])

    async def count(self) -> int:
        sql = (
            "SELECT COUNT(*) AS n FROM tasks t JOIN projects p ON p.id = t.project_id "
            f"WHERE {self.where()}"
        )
        rows = await self._run(sql)
        return int(rows[0]["n"])

    async def _run(self, sql: str) -> list[dict[str, Any]]:
        """Run one statement; values bound for its extra conditions are then let go, so the
        next statement (the tail of a due-date page) binds its own."""
        try:
            return await self.q.rows(sql)
        finally:
            del self.q.params[self._bound :]

    def after(self, field: str, descending: bool, position: dict[str, Any]) -> str:
        """Keyset: rows after `position` in the order (field, id)."""
        op = "<" if descending else ">"
        value, last = self.q.bind(_stored(field, position["v"])), self.q.bind(position["id"])
        return f"(t.{field} {op} {value} OR (t.{field} = {value} AND t.id {op} {last}))"

    def tail_after(self, last_id: uuid.UUID) -> str:
        return f"t.id > {self.q.bind(last_id)}"

    async def views(self, extra: list[str], order: str, limit: int) -> list[TaskView]:
        sql = _views_sql(self.sqlite, self.where(*extra), order, limit)
        return _views_of(self.sqlite, await self._run(sql))


async def task_view_by_id(task_id: uuid.UUID) -> TaskView | None:
    """One task by id, deleted or not, in the same single statement as a page: what a
    write answers with once it has committed."""
    q = Statement()
    sql = _views_sql(q.dialect.sqlite, f"t.id = {q.bind(task_id)}", "t.id", 1)
    found = _views_of(q.dialect.sqlite, await q.rows(sql))
    return found[0] if found else None


def _views_sql(sqlite: bool, where: str, order: str, limit: int) -> str:
    labels = (
        "(SELECT json_group_array(name) FROM "
        "(SELECT l.name AS name FROM task_labels l WHERE l.task_id = t.id ORDER BY l.name))"
        if sqlite
        else "ARRAY(SELECT l.name FROM task_labels l WHERE l.task_id = t.id ORDER BY l.name)"
    )
    return f"""
        SELECT t.id, t.organization_id, t.project_id, p.key AS project_key, t.number,
            t.title, t.description, t.status, t.priority,
            a.id AS a_id, a.name AS a_name, a.email AS a_email, a.timezone AS a_tz,
            r.id AS r_id, r.name AS r_name, r.email AS r_email, r.timezone AS r_tz,
            t.due_at, t.started_at, t.completed_at, t.version, t.created_at, t.updated_at,
            {labels} AS labels
        FROM tasks t
        JOIN projects p ON p.id = t.project_id
        LEFT JOIN users a ON a.id = t.assignee_id
        LEFT JOIN users r ON r.id = t.reporter_id
        WHERE {where}
        ORDER BY {order}
        LIMIT {int(limit)}"""


def _views_of(sqlite: bool, rows: list[dict[str, Any]]) -> list[TaskView]:
    if sqlite:
        return [_view(row, json.loads(row["labels"]), _sqlite_value) for row in rows]
    return [_view(row, row["labels"], _same) for row in rows]


def _view(row: dict[str, Any], labels: list[str], value) -> TaskView:
    return TaskView(
        id=value(row["id"], uuid.UUID),
        organization_id=value(row["organization_id"], uuid.UUID),
        project_id=value(row["project_id"], uuid.UUID),
        project_key=row["project_key"],
        number=row["number"],
        title=row["title"],
        description=row["description"],
        status=TaskStatus(row["status"]),
        priority=TaskPriority(row["priority"]),
        assignee=_user(row, "a", value),
        reporter=_user(row, "r", value),
        due_at=value(row["due_at"], datetime),
        started_at=value(row["started_at"], datetime),
        completed_at=value(row["completed_at"], datetime),
        labels=tuple(labels),
        version=row["version"],
        created_at=value(row["created_at"], datetime),
        updated_at=value(row["updated_at"], datetime),
    )


def _user(row: dict[str, Any], prefix: str, value) -> UserView | None:
    if row[f"{prefix}_id"] is None:
        return None
    return UserView(
        id=value(row[f"{prefix}_id"], uuid.UUID),
        name=row[f"{prefix}_name"],
        email=row[f"{prefix}_email"],
        timezone=row[f"{prefix}_tz"],
    )


def _same(raw: Any, kind: type) -> Any:
    return raw


def _sqlite_value(raw: Any, kind: type) -> Any:
    """SQLite hands back UUIDs and datetimes as the text Tortoise stored."""
    if raw is None:
        return None
    if kind is uuid.UUID:
        return uuid.UUID(raw)
    return as_datetime(raw)


def _stored(field: str, value: Any) -> Any:
    """A cursor's value as the column stores it (priority as its number)."""
    if field == "priority" and value is not None:
        return int(value)
    return value


def _as_uuid(ref: uuid.UUID | str) -> uuid.UUID | None:
    if isinstance(ref, uuid.UUID):
        return ref
    try:
        return uuid.UUID(str(ref))
    except ValueError:
        return None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
