"""Changing tasks: create, update, assign, move, complete, reopen, delete.

Every change runs in one transaction with its Activity row, and every update is a
compare-and-set on `version`, so a concurrent edit is refused instead of lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from enum import Enum
from typing import Any

from tortoise.transactions import in_transaction

from core.clock import utcnow
from core.enums import ProjectStatus, TaskPriority, TaskStatus
from core.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from core.models import Membership, Task, TaskLabel
from core.permissions import Actor
from core.services import task_fields
from core.services.activity import diff, record
from core.services.analytics_sql import Statement
from core.services.projects import load_project
from core.services.task_queries import load_task, view_of
from core.views import TaskView


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True, kw_only=True)
class TaskChanges:
    """The fields to change; anything left UNSET keeps its value."""

    title: str = UNSET
    description: str = UNSET
    status: TaskStatus | str = UNSET
    priority: TaskPriority | str | int = UNSET
    assignee_id: uuid.UUID | None = UNSET
    due_at: datetime | None = UNSET
    labels: Sequence[str] = UNSET

    def given(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) is not UNSET
        }


async def create_task(
    actor: Actor,
    *,
    project: uuid.UUID | str,
    title: str,
    description: str = "",
    priority: TaskPriority | str | int = TaskPriority.MEDIUM,
    assignee_id: uuid.UUID | None = None,
    due_at: datetime | None = None,
    labels: Sequence[str] = (),
    status: TaskStatus | str = TaskStatus.TODO,
) -> TaskView:
    """A new task with the next key of its project (`WEB-43`), reported by the actor."""
    async with in_transaction():
        task_id = await add_task(
            actor,
            project=project,
            title=title,
            description=description,
            priority=priority,
            assignee_id=assignee_id,
            due_at=due_at,
            labels=labels,
            status=status,
        )
    return await view_of(task_id)


async def add_task(
    actor: Actor,
    *,
    project: uuid.UUID | str,
    title: str,
    description: str = "",
    priority: TaskPriority | str | int = TaskPriority.MEDIUM,
    assignee_id: uuid.UUID | None = None,
    due_at: datetime | None = None,
    labels: Sequence[str] = (),
    status: TaskStatus | str = TaskStatus.TODO,
) -> uuid.UUID:
    """`create_task` inside the caller's transaction (call it inside one), answering the
    new task's id instead of reading it back as a view: for a caller that needs only the
    id (an inbound webhook adds a task and links it in the transaction that claims the
    delivery)."""
    actor.require("task:create")
    now = utcnow()
    values = {
        "title": task_fields.title(title),
        "description": task_fields.description(description),
        "priority": task_fields.priority(priority),
        "status": task_fields.status(status),
        "due_at": task_fields.due_at(due_at, now=now),
    }
    clean_labels = task_fields.labels(labels)
    values.update(_status_times(values["status"], started_at=None, now=now))
    if assignee_id is not None:
        await _require_member(actor, assignee_id)
    task_id = uuid.uuid4()
    row = {
        "id": task_id,
        "organization_id": actor.organization_id,
        "assignee_id": assignee_id,
        "reporter_id": actor.user_id,
        **values,
    }
    target, number = await _insert_task(actor, project, row, labels=clean_labels, now=now)
    await record(
        actor,
        action="task.created",
        entity_type="task",
        entity_id=task_id,
        task_id=task_id,
        project_id=target.id,
        changes=diff(
            {},
            {
                "key": f"{target.key}-{number}",
                **values,
                "assignee_id": assignee_id,
                "labels": clean_labels,
            },
        ),
    )
    return task_id


async def update_task(
    actor: Actor,
    ref: uuid.UUID | str,
    changes: TaskChanges,
    *,
    expected_version: int | None = None,
    action: str = "task.updated",
) -> TaskView:
    """Apply `changes`; with `expected_version`, refuse if the task moved on since it was read."""
    actor.require("task:update")
    given = changes.given()
    if "assignee_id" in given:
        actor.require("task:assign")
    now = utcnow()
    async with in_transaction():
        task = await load_task(actor, ref)
        if expected_version is not None and task.version != expected_version:
            raise _stale(task.version)
        before = _snapshot(task, await _labels_of(task))
        after = await _apply(actor, task, given, now=now)
        changed = diff(before, after)
        if not changed:
            return await view_of(task.id)
        columns = {k: v for k, v in after.items() if k != "labels" and k in changed}
        if "status" in changed:
            columns.update(_status_times(after["status"], started_at=task.started_at, now=now))
        updated = await Task.filter(id=task.id, version=task.version).update(
            **columns, version=task.version + 1, updated_at=now
        )
        if updated == 0:
            current = await Task.filter(id=task.id).values_list("version", flat=True)
            raise _stale(current[0] if current else task.version)
        if "labels" in changed:
            await _set_labels(task, after["labels"])
        await record(
            actor,
            action=action,
            entity_type="task",
            entity_id=task.id,
            task_id=task.id,
            project_id=task.project_id,  # type: ignore[attr-defined]
            changes=changed,
        )
    return await view_of(task.id)


async def assign_task(
    actor: Actor,
    ref: uuid.UUID | str,
    *,
    assignee_id: uuid.UUID | None,
    expected_version: int | None = None,
) -> TaskView:
    return await update_task(
        actor,
        ref,
        TaskChanges(assignee_id=assignee_id),
        expected_version=expected_version,
        action="task.assigned" if assignee_id else "task.unassigned",
    )


async def move_task(
    actor: Actor,
    ref: uuid.UUID | str,
    *,
    status: TaskStatus | str,
    expected_version: int | None = None,
) -> TaskView:
    return await update_task(
        actor,
        ref,
        TaskChanges(status=status),
        expected_version=expected_version,
        action="task.moved",
    )


async def complete_task(
    actor: Actor, ref: uuid.UUID | str, *, expected_version: int | None = None
) -> TaskView:
    """Done. Completing a task that is already done changes nothing."""
    return await update_task(
        actor,
        ref,
        TaskChanges(status=TaskStatus.DONE),
        expected_version=expected_version,
        action="task.completed",
    )


async def reopen_task(
    actor: Actor, ref: uuid.UUID | str, *, expected_version: int | None = None
) -> TaskView:
    """Back to todo from done or cancelled; an open task stays as it is."""
    actor.require("task:update")
    task = await load_task(actor, ref)
    if not task.status.is_closed:
        return await view_of(task.id)
    return await update_task(
        actor,
        ref,
        TaskChanges(status=TaskStatus.TODO),
        expected_version=expected_version,
        action="task.reopened",
    )


async def delete_task(
    actor: Actor, ref: uuid.UUID | str, *, expected_version: int | None = None
) -> None:
    """Soft delete. Admins delete any task; members only tasks they reported."""
    async with in_transaction():
        task = await load_task(actor, ref)
        if not actor.can("task:delete"):
            actor.require("task:delete_own")
            if task.reporter_id != actor.user_id:  # type: ignore[attr-defined]
                raise PermissionDenied("A member may delete only the tasks they reported")
        if expected_version is not None and task.version != expected_version:
            raise _stale(task.version)
        updated = await Task.filter(id=task.id, version=task.version, is_active=True).update(
            is_active=False, version=task.version + 1, updated_at=utcnow()
        )
        if updated == 0:
            raise NotFound(f"No task {ref}")
        await record(
            actor,
            action="task.deleted",
            entity_type="task",
            entity_id=task.id,
            task_id=task.id,
            project_id=task.project_id,  # type: ignore[attr-defined]
            changes={"is_active": {"from": True, "to": False}},
        )


async def _apply(
    actor: Actor, task: Task, given: dict[str, Any], *, now: datetime
) -> dict[str, Any]:
    after = _snapshot(task, await _labels_of(task))
    if "title" in given:
        after["title"] = task_fields.title(given["title"])
    if "description" in given:
        after["description"] = task_fields.description(given["description"])
    if "status" in given:
        after["status"] = task_fields.status(given["status"])
    if "priority" in given:
        after["priority"] = task_fields.priority(given["priority"])
    if "labels" in given:
        after["labels"] = sorted(task_fields.labels(given["labels"]))
    if "assignee_id" in given:
        if given["assignee_id"] is not None:
            await _require_member(actor, given["assignee_id"])
        after["assignee_id"] = given["assignee_id"]
    if "due_at" in given and given["due_at"] != task.due_at:
        after["due_at"] = task_fields.due_at(given["due_at"], now=now)
    return after


def _snapshot(task: Task, labels: list[str]) -> dict[str, Any]:
    return {
        "title": task.title,
        "description": task.description,
        "status": task.status,
        "priority": task.priority,
        "assignee_id": task.assignee_id,  # type: ignore[attr-defined]
        "due_at": task.due_at,
        "labels": labels,
    }


def _status_times(
    status: TaskStatus, *, started_at: datetime | None, now: datetime
) -> dict[str, Any]:
    """`completed_at` follows the done status; `started_at` keeps the first start."""
    times: dict[str, Any] = {"completed_at": now if status is TaskStatus.DONE else None}
    if started_at is None and status in {
        TaskStatus.IN_PROGRESS,
        TaskStatus.IN_REVIEW,
        TaskStatus.DONE,
    }:
        times["started_at"] = now
    return times


@dataclass(frozen=True)
class _Numbered:
    id: uuid.UUID
    key: str


# A new task's columns and their PostgreSQL types: the values of an INSERT ... SELECT are
# not typed by the columns they go to, so each is cast.
TASK_COLUMNS = {
    "id": "uuid",
    "organization_id": "uuid",
    "assignee_id": "uuid",
    "reporter_id": "uuid",
    "title": "varchar",
    "description": "text",
    "status": "varchar",
    "priority": "smallint",
    "due_at": "timestamptz",
    "started_at": "timestamptz",
    "completed_at": "timestamptz",
}


async def _insert_task(
    actor: Actor,
    project: uuid.UUID | str,
    row: dict[str, Any],
    *,
    labels: list[str],
    now: datetime,
) -> tuple[_Numbered, int]:
    """Take the next number of the actor's project (by id or key) and insert the task
    (`row`) with it, and its labels: the project and the number.

    The counter's row lock serializes everyone adding tasks to the project until commit,
    so every round trip made while it is held delays every other creator. On PostgreSQL
    the bump, the task and its labels are therefore one statement (data-modifying WITH);
    on SQLite, where one writer holds the whole database anyway, they follow each other.
    The bump finds only a live, unarchived project; when it finds nothing, `load_project`
    says why (NotFound, archived)."""
    q = Statement()
    bump = (
        "UPDATE projects SET task_counter = task_counter + 1 "
        f"WHERE organization_id = {q.bind(actor.organization_id)} AND is_active = {q.bind(True)} "
        f"AND status = {q.bind(ProjectStatus.ACTIVE.value)} AND "
        + (
            f"id = {q.bind(project)}"
            if isinstance(project, uuid.UUID)
            else f"key = {q.bind(str(project).strip().upper())}"
        )
        + " RETURNING id, key, task_counter"
    )
    if q.dialect.sqlite:
        found = await q.rows(bump)
    else:
        found = await q.rows(_with_task_and_labels(q, bump, row, labels=labels, now=now))
    if not found:
        existing = await load_project(actor, project)
        if existing.status is ProjectStatus.ARCHIVED:
            raise ValidationFailed.on("project", f"project {existing.key} is archived")
        # Live and not archived: it was named by its id as text (or restored meanwhile).
        return await _insert_task(actor, existing.id, row, labels=labels, now=now)
    target = _Numbered(uuid.UUID(str(found[0]["id"])), found[0]["key"])
    number = found[0]["task_counter"]
    if q.dialect.sqlite:
        task = await Task.create(project_id=target.id, number=number, **row)
        await _add_labels(task, labels)
    return target, number


def _with_task_and_labels(
    q: Statement, bump: str, row: dict[str, Any], *, labels: list[str], now: datetime
) -> str:
    """PostgreSQL: `bump`, then the task numbered by it and its labels, in one statement."""
    at = f"{q.bind(now)}::timestamptz"
    values = ", ".join(
        f"{q.bind(_plain(row.get(name)))}::{kind}" for name, kind in TASK_COLUMNS.items()
    )
    names = sorted(set(labels))
    return (
        f"WITH counter AS ({bump}), "
        f"task AS (INSERT INTO tasks ({', '.join(TASK_COLUMNS)}, project_id, number, "
        "version, is_active, created_at, updated_at) "
        f"SELECT {values}, counter.id, counter.task_counter, 1, TRUE, {at}, {at} "
        "FROM counter RETURNING id, organization_id), "
        "labels AS (INSERT INTO task_labels (id, organization_id, task_id, name, created_at, "
        f"updated_at) SELECT l.id, task.organization_id, task.id, l.name, {at}, {at} "
        f"FROM task, unnest({q.bind([uuid.uuid4() for _ in names])}::uuid[], "
        f"{q.bind(names)}::varchar[]) AS l(id, name)) "
        "SELECT id, key, task_counter FROM counter"
    )


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


async def _require_member(actor: Actor, user_id: uuid.UUID) -> None:
    is_member = await Membership.filter(
        organization_id=actor.organization_id, user_id=user_id, is_active=True, user__is_active=True
    ).exists()
    if not is_member:
        raise ValidationFailed.on(
            "assignee_id", "the assignee is not a member of this organization"
        )


async def _labels_of(task: Task) -> list[str]:
    names = await TaskLabel.filter(task_id=task.id).order_by("name").values_list("name", flat=True)
    return list(names)


async def _add_labels(task: Task, names: list[str]) -> None:
    """Labels of a task just created: it has none yet, so nothing to read or remove."""
    if names:
        await TaskLabel.bulk_create(
            [
                TaskLabel(organization_id=task.organization_id, task_id=task.id, name=name)  # type: ignore[attr-defined]
                for name in sorted(set(names))
            ]
        )


async def _set_labels(task: Task, names: list[str]) -> None:
    current = set(await _labels_of(task))
    wanted = set(names)
    if current - wanted:
        await TaskLabel.filter(task_id=task.id, name__in=list(current - wanted)).delete()
    if wanted - current:
        await TaskLabel.bulk_create(
            [
                TaskLabel(organization_id=task.organization_id, task_id=task.id, name=name)  # type: ignore[attr-defined]
                for name in sorted(wanted - current)
            ]
        )


def _stale(current_version: int) -> StaleVersion:
    return StaleVersion(
        f"The task was changed by someone else (now version {current_version}); reload and retry",
        current_version=current_version,
    )
