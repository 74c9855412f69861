"""Reading tasks: one by id or key, and filtered, sorted, cursor-paginated lists."""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.queryset import QuerySet

from core.enums import CLOSED_STATUSES, TaskPriority, TaskStatus
from core.errors import NotFound, ValidationFailed
from core.models import Task
from core.permissions import Actor
from core.services.mapping import task_view
from core.services.projects import load_project
from core.services.task_list_sql import TaskSelect, task_view_by_id
from core.views import Page, ProjectView, TaskView

TASK_KEY_PATTERN = re.compile(r"^([A-Za-z][A-Za-z0-9]{1,9})-(\d{1,9})$")
SORTS = ("created_at", "updated_at", "due_at", "priority")
MAX_PAGE = 200


@dataclass(frozen=True, kw_only=True)
class TaskFilter:
    project: uuid.UUID | str | ProjectView | None = None
    assignee_id: uuid.UUID | None = None
    unassigned: bool = False
    reporter_id: uuid.UUID | None = None
    statuses: tuple[TaskStatus, ...] = ()
    open_only: bool = False
    priorities: tuple[TaskPriority, ...] = ()
    label: str | None = None
    due_before: datetime | None = None
    due_after: datetime | None = None
    overdue: bool = False
    text: str | None = None


def with_relations(query: QuerySet[Task]) -> QuerySet[Task]:
    """Everything a TaskView needs, in two queries whatever the page size."""
    return query.select_related("project", "assignee", "reporter").prefetch_related("labels")


async def get_task(actor: Actor, ref: uuid.UUID | str) -> TaskView:
    """By id or by key (`WEB-42`), inside the actor's organization only."""
    actor.require("task:read")
    task = await with_relations(_scoped(actor, ref)).first()
    if task is None:
        raise NotFound(f"No task {ref}")
    return task_view(task)


async def load_task(actor: Actor, ref: uuid.UUID | str) -> Task:
    task = await _scoped(actor, ref).first()
    if task is None:
        raise NotFound(f"No task {ref}")
    return task


async def view_of(task_id: uuid.UUID) -> TaskView:
    found = await task_view_by_id(task_id)
    if found is None:
        raise NotFound(f"No task {task_id}")
    return found


async def list_tasks(
    actor: Actor,
    filters: TaskFilter | None = None,
    *,
    sort: str = "-created_at",
    limit: int = 50,
    cursor: str | None = None,
) -> Page[TaskView]:
    """A page of tasks in a stable order; `next_cursor` continues after the last one."""
    actor.require("task:read")
    field, descending = _parse_sort(sort)
    limit = max(1, min(limit, MAX_PAGE))
    f = filters or TaskFilter()
    select = _select(actor, f)
    position = _decode_cursor(cursor, sort) if cursor else None
    rows = await _page(select, field, descending, position, limit + 1)
    if not rows and position is None:
        await _project_exists(actor, f)
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode_cursor(rows[-1], field, sort) if has_more and rows else None
    return Page(items=rows, next_cursor=next_cursor)


async def task_keys(actor: Actor, task_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The keys (`WEB-42`) of tasks of the actor's organization, deleted ones included:
    what an activity feed needs to name the tasks its rows are about."""
    actor.require("task:read")
    wanted = list(set(task_ids))
    if not wanted:
        return {}
    rows = await Task.filter(organization_id=actor.organization_id, id__in=wanted).values_list(
        "id", "project__key", "number"
    )
    return {task_id: f"{key}-{number}" for task_id, key, number in rows}


async def count_tasks(actor: Actor, filters: TaskFilter | None = None) -> int:
    actor.require("task:read")
    f = filters or TaskFilter()
    total = await _select(actor, f).count()
    if not total:
        await _project_exists(actor, f)
    return total


def _scoped(actor: Actor, ref: uuid.UUID | str) -> QuerySet[Task]:
    query = Task.filter(organization_id=actor.organization_id, is_active=True)
    task_id = ref if isinstance(ref, uuid.UUID) else _try_uuid(ref)
    if task_id is not None:
        return query.filter(id=task_id)
    match = TASK_KEY_PATTERN.match(str(ref).strip())
    if match is None:
        raise NotFound(f"No task {ref}")
    return query.filter(project__key=match.group(1).upper(), number=int(match.group(2)))


def _select(actor: Actor, f: TaskFilter) -> TaskSelect:
    if isinstance(f.project, ProjectView) and f.project.organization_id != actor.organization_id:
        raise NotFound(f"No project {f.project.key}")
    return TaskSelect(actor, f)


async def _project_exists(actor: Actor, f: TaskFilter) -> None:
    """An empty answer for a project the caller named: NotFound if there is no such
    project in the organization, rather than an empty list."""
    if f.project is not None and not isinstance(f.project, ProjectView):
        await load_project(actor, f.project)


async def _page(
    select: TaskSelect,
    field: str,
    descending: bool,
    position: dict[str, Any] | None,
    size: int,
) -> list[TaskView]:
    """Keyset pagination on (field, id). Tasks without a due date come last, ordered by id."""
    direction = "DESC" if descending else "ASC"
    order = f"t.{field} {direction}, t.id {direction}"
    rows: list[TaskView] = []
    in_null_tail = position is not None and position["v"] is None
    if not in_null_tail:
        extra = ["t.due_at IS NOT NULL"] if field == "due_at" else []
        if position is not None:
            extra.append(select.after(field, descending, position))
        rows = await select.views(extra, order, size)
    if field == "due_at" and len(rows) < size:
        extra = ["t.due_at IS NULL"]
        if in_null_tail:
            extra.append(select.tail_after(position["id"]))  # type: ignore[index]
        rows += await select.views(extra, "t.id ASC", size - len(rows))
    return rows


def _parse_sort(sort: str) -> tuple[str, bool]:
    field = sort.removeprefix("-")
    if field not in SORTS:
        choices = ", ".join(SORTS)
        raise ValidationFailed.on("sort", f"cannot sort by '{sort}' (choose from {choices})")
    return field, sort.startswith("-")


def _encode_cursor(task: TaskView, field: str, sort: str) -> str:
    value = getattr(task, field)
    if isinstance(value, datetime):
        value = value.isoformat()
    elif isinstance(value, TaskPriority):
        value = int(value)
    raw = json.dumps({"s": sort, "v": value, "id": str(task.id)}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        if data["s"] != sort:
            raise ValueError("cursor belongs to another sort")
        position = {"v": data["v"], "id": uuid.UUID(data["id"])}
        if isinstance(position["v"], str):
            position["v"] = datetime.fromisoformat(position["v"])
        return position
    except (ValueError, KeyError, TypeError, json.JSONDecodeError):
        raise ValidationFailed.on("cursor", "cursor is not valid for this list") from None


def _try_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


__all__ = [
    "CLOSED_STATUSES",
    "TaskFilter",
    "count_tasks",
    "get_task",
    "list_tasks",
    "load_task",
    "task_keys",
    "view_of",
    "with_relations",
]
