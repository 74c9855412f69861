"""What an outbound webhook receives: pure functions from an activity row and a task.

An activity row becomes at most one event kind (created, updated, assigned, completed,
commented); the payload is either TeamFlow's JSON or a Slack incoming-webhook body, so a
plain Slack webhook URL can be a target without any code on the receiving side.
"""

from __future__ import annotations

import uuid
from typing import Any

from core.views import ActivityView, TaskView, UserView

EVENT_KINDS = ("created", "updated", "assigned", "completed", "commented")
PAYLOAD_FORMATS = ("teamflow", "slack")
VERBS = {
    "created": "created",
    "updated": "updated",
    "assigned": "assigned",
    "completed": "completed",
    "commented": "commented on",
}
SOURCES = {"api": " via the API", "webhook": " via a webhook", "slack": " in Slack"}
SLACK_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def event_kind(event: ActivityView) -> str | None:
    """The kind of task event an activity row is, or None when webhooks do not send it."""
    if event.task_id is None:
        return None
    if event.action == "comment.added":
        return "commented"
    if not event.action.startswith("task.") or event.action == "task.deleted":
        return None
    if event.action == "task.created":
        return "created"
    status = (event.changes.get("status") or {}).get("to")
    if event.action == "task.completed" or status == "done":
        return "completed"
    if (event.changes.get("assignee_id") or {}).get("to"):
        return "assigned"
    return "updated"


def teamflow_payload(
    *, delivery_id: uuid.UUID, kind: str, event: ActivityView, task: TaskView
) -> dict[str, Any]:
    """TeamFlow's own JSON body: the event, who did it through which door, the whole task."""
    return {
        "id": str(delivery_id),
        "type": f"task.{kind}",
        "created_at": event.created_at.isoformat(),
        "organization_id": str(event.organization_id),
        "actor": _user(event.actor),
        "source": event.source,
        "task": task_json(task),
        "changes": event.changes,
    }


def slack_payload(*, kind: str, event: ActivityView, task: TaskView) -> dict[str, Any]:
    """A Slack incoming-webhook body: `text` for notifications, one section block to show."""
    line = slack_line(kind=kind, event=event, task=task)
    return {"text": line, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": line}}]}


def slack_line(*, kind: str, event: ActivityView, task: TaskView) -> str:
    who = _escape(event.actor.name) if event.actor else "Someone"
    where = SOURCES.get(event.source, "")
    line = f"{who} {VERBS[kind]} *{task.key}*{where}: {_escape(task.title)}"
    if kind == "commented":
        body = str((event.changes.get("body") or {}).get("to") or "")
        line += f"\n>{_escape(body)}" if body else ""
    return line


def task_json(task: TaskView) -> dict[str, Any]:
    """The task as the REST API shows it (`GET /api/v1/tasks/{ref}`)."""
    return {
        "id": str(task.id),
        "key": task.key,
        "number": task.number,
        "organization_id": str(task.organization_id),
        "project_id": str(task.project_id),
        "project_key": task.project_key,
        "title": task.title,
        "description": task.description,
        "status": task.status.value,
        "priority": task.priority.label,
        "assignee": _user(task.assignee),
        "reporter": _user(task.reporter),
        "due_at": _iso(task.due_at),
        "started_at": _iso(task.started_at),
        "completed_at": _iso(task.completed_at),
        "labels": list(task.labels),
        "version": task.version,
        "created_at": task.created_at.isoformat(),
        "updated_at": task.updated_at.isoformat(),
    }


def _user(user: UserView | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": str(user.id), "name": user.name, "email": user.email}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _escape(text: str) -> str:
    for raw, escaped in SLACK_ESCAPES:
        text = text.replace(raw, escaped)
    return text
