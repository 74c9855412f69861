"""The App Home tab: the viewer's open tasks by due date, and a team summary for admins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from bot.blocks import elements as el
from bot.blocks import ids, limits, text
from bot.blocks.dates import format_when
from bot.blocks.fragments import priority_text
from bot.blocks.mrkdwn import bold, escape, escape_fit, mention
from core.views import TaskView

GROUPS = ("overdue", "today", "upcoming", "no_date")
ROW_TITLE_MAX = 150
# A view holds 100 blocks. Fixed: title, greeting, buttons, "My tasks" (4); per group a
# title and an "and N more" line (8); the team summary (at most 5). 83 are left for rows.
ROWS_PER_GROUP = 20


@dataclass(frozen=True)
class HomeSections:
    """The viewer's open tasks by group; `more` counts, per group, tasks not listed."""

    overdue: list[TaskView]
    today: list[TaskView]
    upcoming: list[TaskView]
    no_date: list[TaskView]
    more: dict[str, int] = field(default_factory=dict)


def home_view(
    *,
    sections: HomeSections,
    now: datetime,
    timezone: str,
    viewer_user_id: uuid.UUID,
    slack_ids: dict[uuid.UUID, str],
    team_blocks: list[dict] | None = None,
    command: str = "/task",
) -> dict:
    """A `home` view for `views.publish`; always within 100 blocks and Slack's text limits.
    `team_blocks` (the team summary, rendered by dashboards.slack) close the view."""
    blocks = [el.header(text.HOME_TITLE)]
    if viewer_user_id in slack_ids:
        blocks.append(el.context(text.HOME_GREETING.format(who=mention(slack_ids[viewer_user_id]))))
    blocks.append(el.actions([el.button(text.BUTTON_NEW_TASK, action_id=ids.TASK_NEW)]))
    blocks.append(el.header(text.HOME_MY_TASKS))
    grouped = [(group, getattr(sections, group)) for group in GROUPS]
    for group, tasks in grouped:
        beyond = sections.more.get(group, 0)
        blocks += _group(group, tasks, beyond, now=now, timezone=timezone, command=command)
    if not any(tasks for _, tasks in grouped):
        blocks.append(el.section(text.HOME_EMPTY))
    team = team_blocks or []
    blocks = blocks[: limits.BLOCKS_PER_VIEW - len(team)] + team
    return {"type": "home", "blocks": blocks}


def _group(
    group: str, tasks: list[TaskView], beyond: int, *, now: datetime, timezone: str, command: str
) -> list[dict]:
    """A title with the group's total, a row per task up to the cap, then "and N more"."""
    if not tasks:
        return []
    shown = tasks[:ROWS_PER_GROUP]
    total = len(tasks) + beyond
    hidden = total - len(shown)
    title = text.HOME_GROUP_TITLE.format(title=text.HOME_GROUPS[group], count=total)
    blocks = [el.section(title)]
    blocks += [_row(task, now=now, timezone=timezone) for task in shown]
    if hidden:
        words = text.HOME_MORE_WORDS.get(group, text.HOME_MORE_WORDS_DEFAULT)
        blocks.append(el.context(text.HOME_MORE.format(count=hidden, command=command, words=words)))
    return blocks


def _row(task: TaskView, *, now: datetime, timezone: str) -> dict:
    """One line per task with its Done button; the block_id names the task, as on cards."""
    details = [priority_text(task.priority)]
    if task.due_at is not None:
        when = escape(format_when(task.due_at, now=now, timezone=timezone))
        details.append(text.DUE_IN_LIST.format(when=when))
    line = (
        f"{text.STATUS_EMOJI[task.status]} {bold(escape(task.key))} "
        f"{escape_fit(task.title, ROW_TITLE_MAX)}\n{' · '.join(details)}"
    )
    done = el.button(text.BUTTON_DONE, action_id=ids.TASK_DONE, value=str(task.id), style="primary")
    return el.section(line, accessory=done, block_id=ids.task_block_id(task.id))
