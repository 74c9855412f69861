"""Writing and reading the activity log (the audit trail)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Any

from core.models import Activity
from core.permissions import Actor
from core.services.mapping import activity_view
from core.views import ActivityView


def jsonable(value: Any) -> Any:
    """Values as they are kept in Activity.changes: strings, numbers, lists, None."""
    if isinstance(value, Enum):
        return value.label if hasattr(value, "label") else value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item) for item in value]
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field-by-field before/after for every field whose value changed."""
    return {
        name: {"from": jsonable(before.get(name)), "to": jsonable(value)}
        for name, value in after.items()
        if jsonable(before.get(name)) != jsonable(value)
    }


async def record(
    actor: Actor,
    *,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID,
    task_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Write one Activity row. Call it inside the transaction of the change it describes."""
    await Activity.create(
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        source=actor.source.value,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        task_id=task_id,
        project_id=project_id,
        changes=changes or {},
    )


async def list_task_activity(
    actor: Actor, *, task_id: uuid.UUID, limit: int = 100
) -> list[ActivityView]:
    """Oldest first. Callers resolve the task through tasks.get_task first (tenant check)."""
    actor.require("activity:read")
    rows = (
        await Activity.filter(organization_id=actor.organization_id, task_id=task_id)
        .select_related("actor")
        .order_by("created_at", "id")
        .limit(limit)
    )
    return [activity_view(row) for row in rows]


async def list_organization_activity(
    actor: Actor, *, since: datetime | None = None, limit: int = 100
) -> list[ActivityView]:
    """Most recent first: the feed that notifications and dashboards read."""
    actor.require("activity:read")
    query = Activity.filter(organization_id=actor.organization_id)
    if since is not None:
        query = query.filter(created_at__gt=since)
    rows = await query.select_related("actor").order_by("-created_at", "-id").limit(limit)
    return [activity_view(row) for row in rows]


async def list_project_activity(
    actor: Actor, *, project_id: uuid.UUID, limit: int = 50
) -> list[ActivityView]:
    """Most recent first: what happened to a project's tasks (its page's feed).
    Callers resolve the project through projects.get_project first (tenant check)."""
    actor.require("activity:read")
    rows = (
        await Activity.filter(organization_id=actor.organization_id, project_id=project_id)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .limit(limit)
    )
    return [activity_view(row) for row in rows]


async def latest_task_activity(actor: Actor, *, task_id: uuid.UUID) -> ActivityView | None:
    """The most recent change to a task: who moved it on when a stale edit is refused.
    Callers resolve the task through tasks.get_task first (tenant check)."""
    actor.require("activity:read")
    row = (
        await Activity.filter(organization_id=actor.organization_id, task_id=task_id)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    return activity_view(row) if row is not None else None
