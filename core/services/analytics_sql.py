"""The one place where analytics SQL differs between SQLite and PostgreSQL.

- Tortoise keeps datetimes on SQLite as ISO text with the UTC offset they were saved
  with, so instants are compared, ordered and subtracted through julianday(); PostgreSQL
  has timestamptz and EXTRACT(EPOCH ...).
- Placeholders are numbered (`?1` on SQLite, `$1` on asyncpg), so a fragment may be
  built before the text around it and one bound value may be used twice.
- SQLite takes UUIDs and datetimes as text; asyncpg takes the Python objects.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise import connections

from core.enums import OPEN_STATUSES, TaskStatus
from core.permissions import Actor
from core.services.analytics_scope import AnalyticsScope, Bucket

OPEN = tuple(sorted(OPEN_STATUSES))
CONNECTION = "default"


@dataclass(frozen=True)
class Dialect:
    sqlite: bool

    def placeholder(self, position: int) -> str:
        return f"?{position}" if self.sqlite else f"${position}"

    def instant(self, expression: str) -> str:
        """A stored datetime as a value that compares and orders as time."""
        return f"julianday({expression})" if self.sqlite else expression

    def bound_instant(self, placeholder: str) -> str:
        return f"julianday({placeholder})" if self.sqlite else f"CAST({placeholder} AS TIMESTAMPTZ)"

    def hours(self, start: str, end: str) -> str:
        if self.sqlite:
            return f"((julianday({end}) - julianday({start})) * 24.0)"
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"

    def adapt(self, value: Any) -> Any:
        if not self.sqlite:
            return value
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat(sep=" ")
        return value


def current_dialect() -> Dialect:
    return Dialect(sqlite=connections.get(CONNECTION).capabilities.dialect == "sqlite")


class Statement:
    """One parameterized query: `bind` returns the placeholder that stands for a value."""

    def __init__(self) -> None:
        self.dialect = current_dialect()
        self.params: list[Any] = []

    def bind(self, value: Any) -> str:
        self.params.append(self.dialect.adapt(value))
        return self.dialect.placeholder(len(self.params))

    def bind_all(self, values: Iterable[Any]) -> str:
        return ", ".join(self.bind(value) for value in values)

    def at(self, moment: datetime) -> str:
        """An instant, comparable with `instant(column)`."""
        return self.dialect.bound_instant(self.bind(moment))

    def instant(self, column: str) -> str:
        return self.dialect.instant(column)

    def hours(self, start: str, end: str) -> str:
        return self.dialect.hours(start, end)

    def tasks_in(self, actor: Actor, scope: AnalyticsScope) -> str:
        """The WHERE condition on `tasks t`: the actor's organization, live tasks, filters."""
        parts = [
            f"t.organization_id = {self.bind(actor.organization_id)}",
            f"t.is_active = {self.bind(True)}",
        ]
        if scope.project_id is not None:
            parts.append(f"t.project_id = {self.bind(scope.project_id)}")
        if scope.assignee_id is not None:
            parts.append(f"t.assignee_id = {self.bind(scope.assignee_id)}")
        return " AND ".join(parts)

    def between(self, column: str, start: datetime, end: datetime) -> str:
        """`column` falls in [start, end)."""
        at = self.instant(column)
        return f"{at} >= {self.at(start)} AND {at} < {self.at(end)}"

    def completed_in(self, scope: AnalyticsScope) -> str:
        """The task is done and was completed inside the scope's window."""
        done = self.bind(TaskStatus.DONE.value)
        return f"t.status = {done} AND {self.between('t.completed_at', scope.start, scope.end)}"

    def is_open(self) -> str:
        return f"t.status IN ({self.bind_all(status.value for status in OPEN)})"

    def buckets(self, found: list[Bucket]) -> str:
        """A `buckets(i, lo, hi)` table for a WITH clause, one row per bucket."""
        rows = ", ".join(
            f"({i}, {self.at(bucket.lo)}, {self.at(bucket.hi)})" for i, bucket in enumerate(found)
        )
        return f"buckets(i, lo, hi) AS (VALUES {rows})"

    async def rows(self, sql: str) -> list[dict[str, Any]]:
        return await connections.get(CONNECTION).execute_query_dict(sql, self.params)


def as_datetime(value: datetime | str) -> datetime:
    """A datetime read by raw SQL: text on SQLite, already a datetime on PostgreSQL."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def as_uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


def as_hours(value: Any) -> float | None:
    """Hours rounded to 4 places (a third of a second): hides float noise from julianday()."""
    return None if value is None else round(float(value), 4)
