"""The personal morning DM as Block Kit: a section per window, a quick-action menu per task."""

from __future__ import annotations

from bot.blocks import elements as el
from bot.blocks import ids, limits
from bot.blocks.fragments import due_text, priority_text
from bot.blocks.mrkdwn import bold, escape, escape_fit, link
from core.services.morning import Morning
from core.views import TaskView

TITLE = "Good morning! Your tasks for today"
EMPTY = "Nothing overdue and nothing due this week. Enjoy the day."
SECTION_TITLES = {
    "overdue": "🔥 Overdue",
    "today": "📌 Due today",
    "this_week": "📅 Due this week",
}
ACTIONS = (
    ("✅ Mark done", ids.MORNING_DONE),
    ("⏭️ Due tomorrow", ids.MORNING_TOMORROW),
    ("🗓️ Due next week", ids.MORNING_NEXT_WEEK),
)
TURN_OFF = "Stop morning messages"
DASHBOARD = "Open the dashboard"
ROW_TITLE_MAX = 120
# Header, a title per section, the footer's actions and context: the rest are task rows.
MAX_ROWS = limits.BLOCKS_PER_MESSAGE - 6


def morning_text(morning: Morning) -> str:
    """The notification line: how many tasks in each window."""
    counts = [
        f"{SECTION_TITLES[s.name].split(' ', 1)[1].lower()}: {s.total}"
        for s in morning.sections
        if s.total
    ]
    return limits.truncate(f"{TITLE}: {', '.join(counts) or EMPTY}", limits.FALLBACK_TEXT)


def morning_blocks(morning: Morning, *, dashboard_url: str | None = None) -> list[dict]:
    blocks: list[dict] = [el.header(TITLE)]
    rows_left = MAX_ROWS
    for section in morning.sections:
        if not section.total:
            continue
        blocks.append(el.section(bold(SECTION_TITLES[section.name])))
        shown = section.tasks[: max(rows_left, 0)]
        rows_left -= len(shown)
        blocks += [_row(task, morning) for task in shown]
        hidden = section.total - len(shown)
        if hidden:
            blocks.append(el.context(f"_and {hidden} more_"))
    if morning.is_empty:
        blocks.append(el.section(EMPTY))
    footer = [el.button(TURN_OFF, action_id=ids.MORNING_OFF)]
    blocks.append(el.actions(footer))
    if dashboard_url:
        blocks.append(el.context(link(dashboard_url, DASHBOARD)))
    return blocks[: limits.BLOCKS_PER_MESSAGE]


def _row(task: TaskView, morning: Morning) -> dict:
    parts = [f"{bold(escape(task.key))} {escape_fit(task.title, ROW_TITLE_MAX)}"]
    due = due_text(task, now=morning.now, timezone=morning.timezone)
    if due:
        parts.append(due)
    parts.append(priority_text(task.priority))
    menu = el.overflow(
        action_id=ids.MORNING_TASK,
        options=[el.option(label, value) for label, value in ACTIONS],
    )
    return el.section(" · ".join(parts), accessory=menu, block_id=ids.task_block_id(task.id))
