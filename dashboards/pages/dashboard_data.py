"""The manager dashboard as plain JSON: chart series, key numbers and table rows.

One function feeds both the page (embedded in a `<script type="application/json">`
block, and used by the template for the tables) and `/dashboard/data.json`, which the
page's script fetches to redraw after a filter change or a live update. Formatting lives
here once, so the first render and a redraw cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from dashboards.pages.environment import label

STATUS_ORDER = ("todo", "in_progress", "in_review", "done", "cancelled")
STATUS_COLORS = {
    "todo": "#8e9aaf",
    "in_progress": "#3a86ff",
    "in_review": "#8338ec",
    "done": "#2b9348",
    "cancelled": "#adb5bd",
}
COLORS = {
    "created": "#8e9aaf",
    "completed": "#2b9348",
    "open": "#3a86ff",
    "in_progress": "#8338ec",
    "overdue": "#d62828",
    "done": "#2b9348",
    "scope": "#6c757d",
    "throughput": "#3a86ff",
    "age": "#f77f00",
}
HOURS_PER_DAY = 24
CLOSED = frozenset({"done", "cancelled"})


def duration(hours: float | None) -> str:
    """`25 min` under an hour, `5.5 h` under two days, else `3.2 d`; a dash when there is
    nothing to measure."""
    if hours is None:
        return "—"
    if hours < 1:
        return f"{round(hours * 60)} min"
    if hours < 2 * HOURS_PER_DAY:
        return f"{hours:.1f} h"
    return f"{hours / HOURS_PER_DAY:.1f} d"


def status_label(status: object) -> str:
    return label(status)


def dashboard_payload(board: Any) -> dict[str, Any]:
    """Everything the dashboard page draws, from an analytics `ManagerDashboard`."""
    return {
        "filters": _filters(board.filters),
        "stats": _stats(board),
        "charts": {
            "throughput": _throughput(board.throughput),
            "created_vs_completed": _created_vs_completed(board.created_vs_completed),
            "cumulative_flow": _cumulative_flow(board.cumulative_flow),
            "burn_up": _burn_up(board.cumulative_flow),
            "wip": _wip(board.wip),
            "workload": _workload_chart(board.workload),
            "overdue_by_age": _overdue(board.overdue_by_age),
            "by_label": _breakdown_chart(board.by_label, names=str),
            "by_priority": _breakdown_chart(board.by_priority, names=status_label),
        },
        "tables": {
            "durations": [
                _duration_row("Cycle time (started → done)", board.cycle_time),
                _duration_row("Lead time (created → done)", board.lead_time),
            ],
            "workload": [
                [w.name, w.open, w.in_progress, w.overdue, w.completed] for w in board.workload
            ],
            "oldest_open": [_oldest_row(t) for t in board.oldest_open],
            "by_label": [[b.name, b.open, b.done] for b in board.by_label],
            "by_priority": [[status_label(b.name), b.open, b.done] for b in board.by_priority],
            "overdue_by_age": [[a.label, a.count] for a in board.overdue_by_age],
        },
    }


def _filters(filters: Any) -> dict[str, Any]:
    return {
        "from": filters.start.isoformat(),
        "to": filters.end.isoformat(),
        "timezone": filters.timezone,
        "project_id": str(filters.project_id) if filters.project_id else None,
        "assignee_id": str(filters.assignee_id) if filters.assignee_id else None,
        "bucket": filters.bucket,
    }


def _stats(board: Any) -> dict[str, Any]:
    return {
        "completed": sum(b.count for b in board.throughput),
        "created": sum(p.created for p in board.created_vs_completed),
        "wip": sum(count for status, count in board.wip.items() if status not in CLOSED),
        "overdue": sum(a.count for a in board.overdue_by_age),
        "cycle_median": duration(board.cycle_time.median_hours),
        "cycle_p85": duration(board.cycle_time.p85_hours),
        "lead_median": duration(board.lead_time.median_hours),
        "lead_p85": duration(board.lead_time.p85_hours),
    }


def _chart(
    kind: str, labels: Sequence[str], datasets: Iterable[dict[str, Any]], **options: Any
) -> dict[str, Any]:
    return {"type": kind, "labels": list(labels), "datasets": list(datasets), **options}


def _series(label: str, data: Iterable[int | float], color: str) -> dict[str, Any]:
    return {"label": label, "data": list(data), "color": color}


def _throughput(buckets: Sequence[Any]) -> dict[str, Any]:
    return _chart(
        "bar",
        [b.start.isoformat() for b in buckets],
        [_series("Completed", (b.count for b in buckets), COLORS["throughput"])],
    )


def _created_vs_completed(points: Sequence[Any]) -> dict[str, Any]:
    return _chart(
        "line",
        [p.start.isoformat() for p in points],
        [
            _series("Created", (p.created for p in points), COLORS["created"]),
            _series("Completed", (p.completed for p in points), COLORS["completed"]),
        ],
    )


def _statuses(points: Sequence[Any]) -> list[str]:
    seen = {status for p in points for status in p.by_status}
    return [s for s in STATUS_ORDER if s in seen] + sorted(seen - set(STATUS_ORDER))


def _cumulative_flow(points: Sequence[Any]) -> dict[str, Any]:
    return _chart(
        "line",
        [p.day.isoformat() for p in points],
        [
            _series(
                status_label(status),
                (p.by_status.get(status, 0) for p in points),
                STATUS_COLORS.get(status, "#6c757d"),
            )
            | {"fill": True}
            for status in _statuses(points)
        ],
        stacked=True,
    )


def _burn_up(points: Sequence[Any]) -> dict[str, Any]:
    return _chart(
        "line",
        [p.day.isoformat() for p in points],
        [
            _series("Scope (created)", (p.created_total for p in points), COLORS["scope"]),
            _series("Done", (p.done_total for p in points), COLORS["done"]),
        ],
    )


def _wip(wip: dict[str, int]) -> dict[str, Any]:
    statuses = [s for s in STATUS_ORDER if s in wip] + sorted(set(wip) - set(STATUS_ORDER))
    return _chart(
        "bar",
        [status_label(s) for s in statuses],
        [
            {
                "label": "Tasks",
                "data": [wip[s] for s in statuses],
                "color": [STATUS_COLORS.get(s, "#6c757d") for s in statuses],
            }
        ],
    )


def _workload_chart(rows: Sequence[Any]) -> dict[str, Any]:
    return _chart(
        "bar",
        [w.name for w in rows],
        [
            _series("Open (all)", (w.open for w in rows), COLORS["open"]),
            _series("In progress", (w.in_progress for w in rows), COLORS["in_progress"]),
            _series("Overdue", (w.overdue for w in rows), COLORS["overdue"]),
        ],
        horizontal=True,
    )


def _overdue(buckets: Sequence[Any]) -> dict[str, Any]:
    return _chart(
        "bar",
        [a.label for a in buckets],
        [_series("Overdue tasks", (a.count for a in buckets), COLORS["overdue"])],
    )


def _breakdown_chart(rows: Sequence[Any], *, names: Callable[[Any], str]) -> dict[str, Any]:
    return _chart(
        "bar",
        [names(b.name) for b in rows],
        [
            _series("Open", (b.open for b in rows), COLORS["open"]),
            _series("Done", (b.done for b in rows), COLORS["done"]),
        ],
        stacked=True,
    )


def _duration_row(name: str, stats: Any) -> list[Any]:
    return [
        name,
        stats.count,
        duration(stats.median_hours),
        duration(stats.p85_hours),
        duration(stats.p95_hours),
    ]


def _oldest_row(task: Any) -> list[Any]:
    project_key = task.key.rsplit("-", 1)[0]
    return [
        {"text": task.key, "href": f"/projects/{project_key}#task-{task.key}"},
        task.title,
        task.assignee or "Unassigned",
        status_label(task.status),
        task.created_at.date().isoformat(),
        task.age_days,
    ]
