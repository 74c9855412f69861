"""Turning query strings and headers into the arguments task services take."""

from __future__ import annotations

import re
import uuid

from quart import request

from core.enums import TaskPriority, TaskStatus
from core.errors import ValidationFailed
from core.permissions import Actor
from core.services.task_queries import TaskFilter
from core.views import ProjectView
from webhooks.api.inputs import TaskListQuery
from webhooks.errors import ApiError

ETAG = re.compile(r'^(?:W/)?"?(\d+)"?$')


def task_filter(
    query: TaskListQuery, actor: Actor, *, project: str | ProjectView | None = None
) -> TaskFilter:
    assignee_id, unassigned = None, False
    if query.assignee == "me":
        assignee_id = actor.user_id
    elif query.assignee == "none":
        unassigned = True
    elif query.assignee:
        assignee_id = _uuid("assignee", query.assignee)
    return TaskFilter(
        project=project or query.project,
        assignee_id=assignee_id,
        unassigned=unassigned,
        statuses=tuple(_choices("status", query.status, TaskStatus)),
        priorities=tuple(TaskPriority.parse(p) for p in _choices("priority", query.priority, None)),
        label=query.label,
        due_before=query.due_before,
        due_after=query.due_after,
        overdue=query.overdue,
        text=query.q,
    )


def expected_version() -> int | None:
    """The version named by `If-Match` ("3" or W/"3"); None when absent or `*`."""
    raw = request.headers.get("If-Match")
    if raw is None or raw.strip() == "*":
        return None
    match = ETAG.match(raw.strip())
    if match is None:
        raise ApiError(400, 'If-Match must be an ETag from this API, such as "3"')
    return int(match.group(1))


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def _choices(field: str, raw: str | None, enum: type[TaskStatus] | None) -> list[str]:
    values = [v.strip().lower() for v in (raw or "").split(",") if v.strip()]
    allowed = [e.value for e in enum] if enum else [p.label for p in TaskPriority]
    for value in values:
        if value not in allowed:
            raise ValidationFailed.on(field, f"'{value}' is not one of {', '.join(allowed)}")
    return values


def _uuid(field: str, raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ValidationFailed.on(field, "must be a user id, 'me' or 'none'") from None
