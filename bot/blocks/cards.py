"""The task card: what a task looks like in a message, with its buttons."""

from __future__ import annotations

import uuid
from datetime import datetime

from bot.blocks import elements as el
from bot.blocks import ids, limits, text
from bot.blocks.dates import local_date
from bot.blocks.fragments import (
    assignee_text,
    due_text,
    labels_text,
    priority_text,
    status_text,
)
from bot.blocks.mrkdwn import bold, escape, escape_fit
from bot.blocks.mrkdwn import link as link_to
from core.enums import TaskStatus
from core.views import TaskView

TITLE_MAX = 255
DESCRIPTION_SNIPPET = 300
FALLBACK_TITLE_MAX = 150


def task_card(
    task: TaskView,
    *,
    now: datetime,
    timezone: str,
    viewer_user_id: uuid.UUID | None,
    assignee_slack_id: str | None = None,
    can_edit: bool = True,
    link: str | None = None,
) -> list[dict]:
    """A task as blocks; the actions block (block_id `task:<uuid>`) only when `can_edit`."""
    blocks = [
        el.section(_title_line(task, link)),
        el.section(fields=_fields(task, now=now, timezone=timezone, slack_id=assignee_slack_id)),
    ]
    if task.description.strip():
        blocks.append(el.section(escape_fit(task.description.strip(), DESCRIPTION_SNIPPET)))
    if can_edit:
        blocks.append(_actions(task, timezone=timezone, viewer_user_id=viewer_user_id))
    return blocks


def card_fallback_text(task: TaskView) -> str:
    """The message `text`: what notifications and screen readers show instead of blocks."""
    title = escape_fit(task.title, FALLBACK_TITLE_MAX)
    return limits.truncate(
        text.CARD_FALLBACK.format(key=task.key, title=title), limits.FALLBACK_TEXT
    )


def _title_line(task: TaskView, url: str | None) -> str:
    title = escape_fit(task.title, TITLE_MAX)
    shown = link_to(url, title) if url else title
    return f"{bold(escape(task.key))}  {bold(shown)}"


def _fields(task: TaskView, *, now: datetime, timezone: str, slack_id: str | None) -> list[str]:
    rows = [
        (text.FIELD_STATUS, status_text(task.status)),
        (text.FIELD_PRIORITY, priority_text(task.priority)),
        (text.FIELD_ASSIGNEE, assignee_text(task.assignee, slack_id)),
        (text.FIELD_DUE, due_text(task, now=now, timezone=timezone)),
        (text.FIELD_LABELS, labels_text(task.labels)),
    ]
    return [f"{bold(name)}\n{value}" for name, value in rows if value]


def _actions(task: TaskView, *, timezone: str, viewer_user_id: uuid.UUID | None) -> dict:
    task_id = str(task.id)
    if task.status.is_closed:
        toggle = el.button(text.BUTTON_REOPEN, action_id=ids.TASK_REOPEN, value=task_id)
    else:
        toggle = el.button(
            text.BUTTON_DONE, action_id=ids.TASK_DONE, value=task_id, style="primary"
        )
    buttons = [toggle]
    if not _assigned_to(task, viewer_user_id):
        buttons.append(
            el.button(text.BUTTON_ASSIGN_ME, action_id=ids.TASK_ASSIGN_ME, value=task_id)
        )
    due = local_date(task.due_at, timezone) if task.due_at else None
    return el.actions(
        [
            *buttons,
            status_select(task.status),
            el.datepicker(action_id=ids.TASK_DUE, placeholder=text.PLACEHOLDER_DUE, initial=due),
            el.button(text.BUTTON_EDIT, action_id=ids.TASK_EDIT, value=task_id),
            el.button(text.BUTTON_COMMENT, action_id=ids.TASK_COMMENT, value=task_id),
        ],
        block_id=ids.task_block_id(task.id),
    )


def status_select(current: TaskStatus) -> dict:
    options = [el.option(text.STATUS_LABELS[s], s.value) for s in TaskStatus]
    return el.static_select(
        action_id=ids.TASK_STATUS,
        options=options,
        placeholder=text.PLACEHOLDER_STATUS,
        initial_value=current.value,
    )


def _assigned_to(task: TaskView, viewer_user_id: uuid.UUID | None) -> bool:
    return task.assignee is not None and task.assignee.id == viewer_user_id
