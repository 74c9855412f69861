"""A compact list of tasks: one line each, always within one message's 50 blocks."""

from __future__ import annotations

import uuid
from datetime import datetime

from bot.blocks import elements as el
from bot.blocks import ids, limits, text
from bot.blocks.fragments import assignee_text, due_text, slack_id_for
from bot.blocks.mrkdwn import bold, escape, escape_fit
from core.views import TaskView

ROW_TITLE_MAX = 150
# The header, the "showing n of m" context and the closing buttons take three blocks.
MAX_ROWS = limits.BLOCKS_PER_MESSAGE - 3


def task_list(
    tasks: list[TaskView],
    *,
    title: str,
    now: datetime,
    timezone: str,
    more_value: str | None,
    slack_ids: dict[uuid.UUID, str] | None = None,
) -> list[dict]:
    """Header, a line per task, then [New task] and, when there is more, [Show more].

    The Show more button carries `more_value` (the caller's cursor) when given; when
    the tasks overflow without one, it carries no value at all.
    """
    shown = tasks[:MAX_ROWS]
    blocks = [el.header(title or text.LIST_TITLE_DEFAULT)]
    if not shown:
        blocks.append(el.section(text.LIST_EMPTY))
    for task in shown:
        line = _row(task, now=now, timezone=timezone, slack_ids=slack_ids)
        blocks.append(el.section(line))
    overflow = len(tasks) > len(shown)
    if overflow:
        blocks.append(el.context(text.LIST_SHOWING.format(shown=len(shown), total=len(tasks))))
    buttons = [el.button(text.BUTTON_NEW_TASK, action_id=ids.TASK_NEW)]
    if overflow or more_value is not None:
        buttons.append(el.button(text.BUTTON_MORE, action_id=ids.TASK_LIST_MORE, value=more_value))
    blocks.append(el.actions(buttons))
    return blocks


def _row(
    task: TaskView, *, now: datetime, timezone: str, slack_ids: dict[uuid.UUID, str] | None
) -> str:
    parts = [
        f"{text.STATUS_EMOJI[task.status]} {bold(escape(task.key))} "
        f"{escape_fit(task.title, ROW_TITLE_MAX)}",
        assignee_text(task.assignee, slack_id_for(task.assignee, slack_ids)),
    ]
    due = due_text(task, now=now, timezone=timezone)
    if due:
        parts.append(text.DUE_IN_LIST.format(when=due))
    return " · ".join(parts)
