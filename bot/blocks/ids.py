"""Identifiers the Slack listeners dispatch on; builders and listeners share these exact strings."""

from __future__ import annotations

import uuid

# Buttons and selects on a task card (their block's block_id is `task:<uuid>`).
TASK_DONE = "task_done"
TASK_REOPEN = "task_reopen"
TASK_ASSIGN_ME = "task_assign_me"
TASK_STATUS = "task_status"
TASK_DUE = "task_due"
TASK_EDIT = "task_edit"
TASK_COMMENT = "task_comment"

# The morning DM: a "⋯" menu per task, and a button to stop the DM.
MORNING_TASK = "morning_task"
MORNING_OFF = "morning_off"
MORNING_DONE, MORNING_TOMORROW, MORNING_NEXT_WEEK = "done", "tomorrow", "next_week"

# Buttons elsewhere. A link button (DASHBOARD_LINK) opens its URL; Slack still sends the
# click, which is only acknowledged.
DASHBOARD_LINK = "dashboard_link"
TASK_LIST_MORE = "task_list_more"
TASK_NEW = "task_new"

# Modal callback ids (a view's callback_id and an action_id never collide in Bolt).
CALLBACK_TASK_CREATE = TASK_CREATE = "task_create"
CALLBACK_TASK_EDIT = "task_edit"
CALLBACK_TASK_COMMENT = TASK_COMMENT_MODAL = "task_comment"

# Shortcut callback ids; the app manifest must declare these same strings.
SHORTCUT_NEW_TASK = "task_shortcut_new"
SHORTCUT_FROM_MESSAGE = "task_shortcut_from_message"

# Input blocks of the task and comment modals; every element inside uses action_id VALUE.
BLOCK_TITLE = "title"
BLOCK_DESCRIPTION = "description"
BLOCK_PROJECT = "project"
BLOCK_ASSIGNEE = "assignee"
BLOCK_DUE = "due"
BLOCK_PRIORITY = "priority"
BLOCK_LABELS = "labels"
BLOCK_BODY = "body"
VALUE = "value"

# Domain field name (as in ValidationFailed) -> the modal block that shows its error.
FIELD_BLOCKS = {
    "title": BLOCK_TITLE,
    "description": BLOCK_DESCRIPTION,
    "project": BLOCK_PROJECT,
    "assignee_id": BLOCK_ASSIGNEE,
    "due_at": BLOCK_DUE,
    "priority": BLOCK_PRIORITY,
    "labels": BLOCK_LABELS,
    "body": BLOCK_BODY,
}
DEFAULT_ERROR_BLOCK = BLOCK_TITLE

TASK_BLOCK_PREFIX = "task:"


def task_block_id(task_id: uuid.UUID) -> str:
    return f"{TASK_BLOCK_PREFIX}{task_id}"


def task_id_from_block_id(block_id: str) -> uuid.UUID | None:
    """The task a card's action belongs to, or None when the block is not a task card's."""
    if not block_id.startswith(TASK_BLOCK_PREFIX):
        return None
    try:
        return uuid.UUID(block_id.removeprefix(TASK_BLOCK_PREFIX))
    except ValueError:
        return None
