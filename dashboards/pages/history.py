"""Activity rows as sentences a person reads: who, through which door, did what, from
which value to which. People are named, times are in the reader's time zone."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from core.views import ActivityView
from dashboards.pages.environment import label
from dashboards.pages.local_time import local
from dashboards.pages.project import VERBS, WORD

DOORS = {
    "api": "via the API",
    "slack": "from Slack",
    "web": "on the web",
    "webhook": "by a webhook",
    "scheduler": "by the scheduler",
}
NO_DETAIL = frozenset({"task.created", "project.created", "comment.added", "comment.deleted"})
HIDDEN_FIELDS = frozenset({"version", "key", "is_active"})
FIELD_NAMES = {"assignee_id": "Assignee", "due_at": "Due"}
PERSON_FIELDS = frozenset({"assignee_id"})
TIME_FIELDS = frozenset({"due_at"})


@dataclass(frozen=True)
class HistoryLine:
    when: datetime
    when_text: str
    who: str
    verb: str
    door: str
    task_key: str | None
    detail: str


def history_line(
    event: ActivityView,
    *,
    timezone: str,
    people: Mapping[str, str],
    task_keys: Mapping[uuid.UUID, str] | None = None,
) -> HistoryLine:
    """One activity row; `people` names user ids (as strings) in assignee changes."""
    key = (task_keys or {}).get(event.task_id) if event.task_id else None
    return HistoryLine(
        when=event.created_at,
        when_text=local(event.created_at, timezone),
        who=event.actor.name if event.actor else "TeamFlow",
        verb=VERBS.get(event.action, event.action.replace(".", " ").replace("_", " ")),
        door=DOORS.get(event.source, ""),
        task_key=key,
        detail="" if event.action in NO_DETAIL else _detail(event, timezone, people),
    )


def _detail(event: ActivityView, timezone: str, people: Mapping[str, str]) -> str:
    parts = []
    for name, change in sorted(event.changes.items()):
        if name in HIDDEN_FIELDS or not isinstance(change, dict) or "to" not in change:
            continue
        title = FIELD_NAMES.get(name, label(name))
        if name == "description":
            parts.append("Description edited")
            continue
        before = _value(name, change.get("from"), timezone, people)
        after = _value(name, change["to"], timezone, people)
        parts.append(f"{title}: {before} → {after}")
    return "; ".join(parts)


def _value(name: str, value: object, timezone: str, people: Mapping[str, str]) -> str:
    if value is None or value == "" or value == []:
        return "none"
    if name in PERSON_FIELDS:
        return people.get(str(value), "someone")
    if name in TIME_FIELDS and isinstance(value, str):
        try:
            return local(datetime.fromisoformat(value), timezone)
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and WORD.fullmatch(value):
        return label(value)  # a status or priority name such as `in_progress`
    return str(value)
