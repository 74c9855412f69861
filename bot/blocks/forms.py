"""What the task and comment modals submitted, read from `view.state.values`.

Slack sends every input block as `{block_id: {action_id: {"type": ..., <value>}}}`,
with the value under a key that depends on the element: `value` for text inputs,
`selected_option` for selects, `selected_user` for users_select and `selected_date`
for datepickers. An untouched optional input comes back as None (or is missing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks import ids, limits
from core.enums import TaskPriority

_LABEL_SEPARATORS = re.compile(r"[,\s]+")


@dataclass(frozen=True)
class TaskForm:
    title: str
    description: str
    project_key: str | None
    assignee_slack_id: str | None
    due_date: date | None
    priority: str
    labels: tuple[str, ...]


def read_task_form(state_values: dict) -> TaskForm:
    """The submitted task form; validation stays with the service (see `field_errors`)."""
    return TaskForm(
        title=(_text(state_values, ids.BLOCK_TITLE) or "").strip(),
        description=(_text(state_values, ids.BLOCK_DESCRIPTION) or "").strip(),
        project_key=_selected_value(state_values, ids.BLOCK_PROJECT),
        assignee_slack_id=_input(state_values, ids.BLOCK_ASSIGNEE).get("selected_user") or None,
        due_date=_date(state_values, ids.BLOCK_DUE),
        priority=_selected_value(state_values, ids.BLOCK_PRIORITY) or TaskPriority.MEDIUM.label,
        labels=split_labels(_text(state_values, ids.BLOCK_LABELS) or ""),
    )


def read_comment_form(state_values: dict) -> str:
    return (_text(state_values, ids.BLOCK_BODY) or "").strip()


def split_labels(raw: str) -> tuple[str, ...]:
    """`bug, +UI  backend` -> ("bug", "ui", "backend"): split, `+`/`#` dropped, lower, unique."""
    names = (word.lstrip("+#").lower() for word in _LABEL_SEPARATORS.split(raw))
    return tuple(dict.fromkeys(name for name in names if name))


def field_errors(errors: dict[str, str]) -> dict:
    """The `view_submission` answer that shows each message under its input.

    Domain field names map to block ids; a field without its own input (and two
    messages for one block) end up joined under the title, which every form has.
    """
    by_block: dict[str, list[str]] = {}
    for field, message in errors.items():
        block_id = ids.FIELD_BLOCKS.get(field, ids.DEFAULT_ERROR_BLOCK)
        by_block.setdefault(block_id, []).append(message)
    return {
        "response_action": "errors",
        "errors": {
            block_id: limits.truncate("; ".join(messages), limits.ERROR_MESSAGE)
            for block_id, messages in by_block.items()
        },
    }


def _input(state_values: dict, block_id: str) -> dict[str, Any]:
    return (state_values.get(block_id) or {}).get(ids.VALUE) or {}


def _text(state_values: dict, block_id: str) -> str | None:
    return _input(state_values, block_id).get("value")


def _selected_value(state_values: dict, block_id: str) -> str | None:
    selected = _input(state_values, block_id).get("selected_option") or {}
    return selected.get("value") or None


def _date(state_values: dict, block_id: str) -> date | None:
    raw = _input(state_values, block_id).get("selected_date")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None
