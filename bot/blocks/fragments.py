"""Small mrkdwn pieces describing one task, shared by cards and lists (all escaped)."""

from __future__ import annotations

import uuid
from datetime import datetime

from bot.blocks import text
from bot.blocks.dates import format_when
from bot.blocks.mrkdwn import code, escape, escape_fit, mention
from core.enums import TaskPriority, TaskStatus
from core.views import TaskView, UserView

LABEL_MAX = 50
NAME_MAX = 80


def status_text(status: TaskStatus) -> str:
    return f"{text.STATUS_EMOJI[status]} {text.STATUS_LABELS[status]}"


def priority_text(priority: TaskPriority) -> str:
    return f"{text.PRIORITY_EMOJI[priority]} {text.PRIORITY_LABELS[priority]}"


def assignee_text(user: UserView | None, slack_id: str | None) -> str:
    if slack_id:
        return mention(slack_id)
    if user is None:
        return text.UNASSIGNED
    return escape_fit(user.name, NAME_MAX)


def slack_id_for(user: UserView | None, slack_ids: dict[uuid.UUID, str] | None) -> str | None:
    if user is None or not slack_ids:
        return None
    return slack_ids.get(user.id)


def due_text(task: TaskView, *, now: datetime, timezone: str) -> str | None:
    if task.due_at is None:
        return None
    when = escape(format_when(task.due_at, now=now, timezone=timezone))
    return f"{when} {text.OVERDUE}" if task.is_overdue(now) else when


def labels_text(labels: tuple[str, ...]) -> str | None:
    if not labels:
        return None
    return " ".join(code(escape_fit(label, LABEL_MAX)) for label in labels)
