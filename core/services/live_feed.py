"""Live updates: each change to a task or project, published to its organization's channel.

A relay reads the activity log after its cursor and publishes one small JSON event per
change on the cache channel `live:<organization id>`; open dashboards subscribe to that
channel over a WebSocket and redraw. Every web process runs a relay; a cache lock lets
one of them publish each batch, and Redis pub/sub carries the event to the sockets of
every process (the in-process cache does the same inside one process).

An event holds only what any member of the organization may read anyway:
`{"organization_id", "task_id", "task_key", "project_key", "kind", "status", "at"}`,
where `kind` is the activity action (`task.created`, `task.assigned`, `comment.added`,
`project.updated`, ...; any change that moves a task to done is `task.completed`,
whichever door made it), `status` the task's status when the event is published, and
`at` when the change was made. Delivery is at least once; pages only redraw.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from core.background_work import pause
from core.cache import Cache, LockNotAcquired
from core.clock import utcnow
from core.models import Project, Task
from core.services import activity_feed
from core.views import ActivityView

log = logging.getLogger(__name__)
NAME = "live-updates"  # the relay's cursor and lock; shared by every web process
LOCK_SECONDS = 30
# Older news is skipped (it can only pile up while every web process was down): any page
# open since then has reconnected and redrawn anyway.
STALE_AFTER = timedelta(minutes=1)
CHANNEL_PREFIX = "live:"


def channel(organization_id: uuid.UUID | str) -> str:
    """The cache channel that carries one organization's changes."""
    return f"{CHANNEL_PREFIX}{organization_id}"


@dataclass(frozen=True)
class Target:
    """What an event says about the task or project it concerns."""

    organization_id: uuid.UUID
    project_key: str
    task_key: str | None = None
    status: str | None = None


class LiveRelay:
    """Publishes the activity log to the live channels, a batch per round."""

    def __init__(self, cache: Cache, *, name: str = NAME, batch: int = 200) -> None:
        self._cache = cache
        self._name = name
        self._batch = batch

    async def run_once(self) -> int:
        """Publish the changes waiting; returns how many. Another process busy: 0."""
        try:
            async with self._cache.lock(self._name, timeout=LOCK_SECONDS):
                events = await activity_feed.read_after(self._name, limit=self._batch)
                if not events:
                    return 0
                published = await self._publish_all(events)
                await activity_feed.advance(self._name, to=events[-1])
                return published
        except LockNotAcquired:
            return 0

    async def run_forever(self, *, interval: float) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # a bad round must not stop live updates for good
                log.exception("live update round failed")
            await pause(interval)

    async def _publish_all(self, events: list[ActivityView]) -> int:
        tasks = await _tasks({e.task_id for e in events if e.task_id})
        projects = await _projects({e.entity_id for e in events if _is_project(e)})
        fresh_since = utcnow() - STALE_AFTER
        published = 0
        for event in (e for e in events if e.created_at >= fresh_since):
            target = tasks.get(event.task_id) if event.task_id else projects.get(event.entity_id)
            payload = live_event(event, target)
            if payload is not None:
                await self._cache.publish(channel(event.organization_id), json.dumps(payload))
                published += 1
        return published


def live_event(event: ActivityView, target: Target | None) -> dict[str, Any] | None:
    """The event for one activity row, or None when it is not about a task or project of
    the same organization (members, tokens, integrations are not published)."""
    if target is None or target.organization_id != event.organization_id:
        return None
    return {
        "organization_id": str(event.organization_id),
        "task_id": str(event.task_id) if event.task_id else None,
        "task_key": target.task_key,
        "project_key": target.project_key,
        "kind": kind_of(event),
        "status": target.status,
        "at": event.created_at.isoformat(),
    }


def kind_of(event: ActivityView) -> str:
    """The activity action, except that whatever moved a task to done is a completion
    (an API PATCH records `task.updated`, a Slack button `task.completed`)."""
    status = (event.changes.get("status") or {}).get("to")
    if event.action.startswith("task.") and status == "done":
        return "task.completed"
    return event.action


def _is_project(event: ActivityView) -> bool:
    return event.task_id is None and event.entity_type == "project"


async def _tasks(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Target]:
    """Key and status of each task (deleted ones included: their removal is news too)."""
    ids = list(ids)
    if not ids:
        return {}
    rows = await Task.filter(id__in=ids).values(
        "id", "organization_id", "number", "status", "project__key"
    )
    return {
        row["id"]: Target(
            organization_id=row["organization_id"],
            project_key=row["project__key"],
            task_key=f"{row['project__key']}-{row['number']}",
            status=str(getattr(row["status"], "value", row["status"])),
        )
        for row in rows
    }


async def _projects(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Target]:
    ids = list(ids)
    if not ids:
        return {}
    rows = await Project.filter(id__in=ids).values("id", "organization_id", "key")
    return {
        row["id"]: Target(organization_id=row["organization_id"], project_key=row["key"])
        for row in rows
    }
