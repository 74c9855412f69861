"""What the project pages share: a project in a list, and activity rows as sentences
(`Olive moved WEB-1: Status: In progress → Done`)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from core.views import ActivityView
from dashboards.pages.environment import label

VERBS = {
    "task.created": "created",
    "task.updated": "updated",
    "task.moved": "moved",
    "task.completed": "completed",
    "task.reopened": "reopened",
    "task.assigned": "assigned",
    "task.unassigned": "unassigned",
    "task.deleted": "deleted",
    "task.commit_mentioned": "mentioned in a commit",
    "comment.added": "commented on",
    "comment.deleted": "deleted a comment on",
    "project.created": "created the project",
    "project.updated": "updated the project",
    "project.archived": "archived the project",
    "project.restored": "restored the project",
}
NO_DETAIL = ("task.created", "project.created", "comment.added", "comment.deleted")
WORD = re.compile(r"[a-z_]+")
HIDDEN_FIELDS = frozenset({"description", "version", "key"})


@dataclass(frozen=True)
class ActivityLine:
    when: datetime
    who: str
    verb: str
    task_key: str | None
    detail: str


@dataclass(frozen=True)
class ProjectSummary:
    key: str
    name: str
    description: str
    archived: bool


def activity_line(event: ActivityView, *, task_keys: dict[uuid.UUID, str]) -> ActivityLine:
    """One activity row as a sentence's parts: who, did what, to which task, how."""
    who = event.actor.name if event.actor else "TeamFlow"
    verb = VERBS.get(event.action, event.action.replace(".", " ").replace("_", " "))
    key = task_keys.get(event.task_id) if event.task_id else None
    parts = []
    for name, change in sorted(event.changes.items()):
        if event.action in NO_DETAIL or name in HIDDEN_FIELDS:
            continue
        if isinstance(change, dict) and "to" in change:
            parts.append(f"{label(name)}: {_value(change.get('from'))} → {_value(change['to'])}")
    return ActivityLine(
        when=event.created_at, who=who, verb=verb, task_key=key, detail="; ".join(parts)
    )


def _value(value: object) -> str:
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and WORD.fullmatch(value):
        return label(value)  # a status or priority name such as `in_progress`
    return str(value)
