"""Analytics view models as Block Kit: the weekly manager report (pure, no I/O)."""

from __future__ import annotations

from dashboards.analytics import WeeklyReport
from dashboards.charts import DAY_NAMES, text_bar
from dashboards.summary import TeamSummary

TITLE = "Weekly report"
WORKLOAD_TOP = 8
BLOCK_TEXT = 3000
DASHBOARD = "Open the dashboard"
NO_CYCLE = "no task went from in progress to done"


TEAM_TITLE = "Team summary"
TEAM_FIGURES = (
    ("Open tasks", "open"),
    ("Overdue", "overdue"),
    ("Completed, last 7 days", "completed_7d"),
    ("Created, last 7 days", "created_7d"),
)
TEAM_CYCLE = "Cycle time, last 7 days"
TEAM_WORKLOAD = "Most open tasks"
TEAM_WORKLOAD_NONE = "Nobody has open tasks."


def team_summary_blocks(summary: TeamSummary, *, dashboard_url: str | None = None) -> list[dict]:
    """App Home's team summary: four figures, cycle time, who holds most open work."""
    fields = [f"*{label}*\n{getattr(summary, name)}" for label, name in TEAM_FIGURES]
    cycle = summary.cycle_time
    if cycle.count and cycle.median_hours is not None:
        fields.append(f"*{TEAM_CYCLE}*\nmedian {duration(cycle.median_hours)}")
    rows = [
        f"{_escape(person.name[:80])} · {person.open}"
        + (f" ({person.overdue} overdue)" if person.overdue else "")
        for person in summary.workload
    ]
    blocks: list[dict] = [
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": TEAM_TITLE}},
        {"type": "section", "fields": [_mrkdwn(field) for field in fields]},
        _section(f"*{TEAM_WORKLOAD}*\n" + ("\n".join(rows) or TEAM_WORKLOAD_NONE)),
    ]
    if dashboard_url:
        blocks.append({"type": "context", "elements": [_mrkdwn(f"<{dashboard_url}|{DASHBOARD}>")]})
    return blocks


def report_text(report: WeeklyReport) -> str:
    """The notification line."""
    return (
        f"{_title(report)}: {report.completed_this_week} completed "
        f"({_change(report.throughput_change)} vs last week), "
        f"{report.created_this_week} created"
    )


def weekly_report_blocks(
    report: WeeklyReport, *, with_text_bars: bool, dashboard_url: str | None = None
) -> list[dict]:
    """Header, key numbers, created vs completed per day (as text bars when no chart image
    goes with the report), workload per person, the oldest open tasks, a dashboard link."""
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": _title(report)[:150]}},
        {"type": "section", "fields": [_mrkdwn(field) for field in _key_numbers(report)]},
    ]
    if with_text_bars:
        blocks.append(_section("*Completed and created per day*\n" + daily_bars(report)))
    if report.workload:
        blocks.append(_section("*Workload*\n" + _workload(report)))
    if report.oldest_open:
        blocks.append(_section("*Oldest open tasks*\n" + _oldest(report)))
    if dashboard_url:
        link = f"<{dashboard_url}|{DASHBOARD}>"
        blocks.append({"type": "context", "elements": [_mrkdwn(link)]})
    return blocks


def daily_bars(report: WeeklyReport) -> str:
    """Completed as bars, created as a count, a line per day: readable without images."""
    peak = max((day.completed for day in report.daily), default=0)
    lines = [f"{'':3} {'completed':<14} created"]
    for name, day in zip(DAY_NAMES, report.daily, strict=False):
        bar = text_bar(day.completed, peak=peak)
        lines.append(f"{name} {bar:<10} {day.completed:>3} {day.created:>7}")
    return "```\n" + "\n".join(lines) + "\n```"


def chart_title(report: WeeklyReport) -> str:
    return f"Created vs completed, {report.week_start:%d %b} to {report.week_end:%d %b}"


def _title(report: WeeklyReport) -> str:
    scope = f" · {report.project_key}" if report.project_key else ""
    return f"{TITLE}{scope} · {report.week_start:%a %d %b} to {report.week_end:%a %d %b}"


def _key_numbers(report: WeeklyReport) -> list[str]:
    cycle = report.cycle_time
    if cycle.count and cycle.median_hours is not None and cycle.p85_hours is not None:
        cycle_text = (
            f"median {duration(cycle.median_hours)}, 85% within {duration(cycle.p85_hours)} "
            f"({cycle.count} tasks)"
        )
    else:
        cycle_text = NO_CYCLE
    return [
        f"*Completed*\n{report.completed_this_week} "
        f"({_change(report.throughput_change)} vs {report.completed_last_week} last week)",
        f"*Created vs completed*\n{report.created_this_week} created, "
        f"{report.completed_this_week} completed",
        f"*Cycle time*\n{cycle_text}",
    ]


def _workload(report: WeeklyReport) -> str:
    lines = []
    for person in report.workload[:WORKLOAD_TOP]:
        overdue = f", {person.overdue} overdue" if person.overdue else ""
        lines.append(
            f"• {_escape(person.name)}: {person.open} open{overdue}, "
            f"{person.in_progress} in progress, {person.completed} done this week"
        )
    if len(report.workload) > WORKLOAD_TOP:
        lines.append(f"_and {len(report.workload) - WORKLOAD_TOP} more_")
    return "\n".join(lines)


def _oldest(report: WeeklyReport) -> str:
    lines = []
    for task in report.oldest_open:
        who = f", {_escape(task.assignee)}" if task.assignee else ", unassigned"
        lines.append(f"• *{task.key}* {_escape(task.title[:100])}: {task.age_days} days{who}")
    return "\n".join(lines)


def duration(hours: float) -> str:
    """`45 min`, `5.5 h`, `3.2 days`."""
    if hours < 1:
        return f"{round(hours * 60)} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


def _change(delta: int) -> str:
    return f"+{delta}" if delta > 0 else ("±0" if delta == 0 else str(delta))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> dict:
    return {"type": "section", "text": _mrkdwn(text[:BLOCK_TEXT])}


def _mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text[:2000]}
