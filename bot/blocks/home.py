"""The App Home tab: the viewer's open tasks by due date, and a team summary for admins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from bot.blocks import elements as el
from bot.blocks import ids, text
from bot.blocks.dates import format_when
from bot.blocks.fragments import NAME_MAX, priority_text
from bot.blocks.mrkdwn import bold, escape, escape_fit, mention
from core.views import TaskView

GROUPS = ("overdue", "today", "upcoming", "no_date")
ROW_TITLE_MAX = 150
# A view holds 100 blocks. Fixed: title, greeting, buttons, "My tasks" (4); per group a
# title and an "and N more" line (8); the team summary (4). That leaves 84 for rows.
ROWS_PER_GROUP = 20


@dataclass(frozen=True)
class HomeSections:
    """The viewer's open tasks by group; `more` counts, per group, tasks not listed."""

    overdue: list[TaskView]
    today: list[TaskView]
    upcoming: list[TaskView]
    no_date: list[TaskView]
    more: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TeamSummary:
    open: int
    overdue: int
    completed_7d: int
    created_7d: int
    workload: list[tuple[str, int]]


def home_view(
    *,
    sections: HomeSections,
    now: datetime,
    timezone: str,
    viewer_user_id: uuid.UUID,
    slack_ids: dict[uuid.UUID, str],
    team_summary: TeamSummary | None,
    command: str = "/task",
) -> dict:
    """A `home` view for `views.publish`; always within 100 blocks and Slack's text limits."""
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
    if team_summary is not None:
        blocks += _team(team_summary)
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


def _team(summary: TeamSummary) -> list[dict]:
    figures = [
        (text.HOME_TEAM_OPEN, summary.open),
        (text.HOME_TEAM_OVERDUE, summary.overdue),
        (text.HOME_TEAM_COMPLETED, summary.completed_7d),
        (text.HOME_TEAM_CREATED, summary.created_7d),
    ]
    rows = [
        text.HOME_WORKLOAD_ROW.format(name=escape_fit(name, NAME_MAX), count=count)
        for name, count in summary.workload
    ]
    workload = "\n".join(rows) or text.HOME_WORKLOAD_NONE
    return [
        el.divider(),
        el.header(text.HOME_TEAM_TITLE),
        el.section(fields=[f"{bold(name)}\n{value}" for name, value in figures]),
        el.section(f"{bold(text.HOME_WORKLOAD)}\n{workload}"),
    ]
