"""Read-side analytics for manager dashboards and weekly reports.

Every answer is a few SQL aggregates (never a loop over ORM rows) that give the same
result on SQLite and PostgreSQL. Every function needs `task:read`, counts only live
tasks of the actor's organization, and applies the scope's project and assignee filters.

Definitions used throughout:
- completed: status done with completed_at in [scope.start, scope.end);
- created: created_at in the window, whatever the status now;
- open: todo, in progress or in review now (cancelled and done are closed);
- buckets: local days, or ISO weeks labelled by their Monday, in scope.timezone; the
  first and last bucket are clipped to the window;
- percentiles: linear interpolation between closest ranks, the definition of
  PostgreSQL's percentile_cont (1, 2, 3, 4, 10 hours: median 3, p85 6.4, p95 8.8).

The implementation lives in analytics_scope (windows and buckets), analytics_sql (the
SQLite/PostgreSQL differences), analytics_flow (over time) and analytics_snapshot (now).
"""

from core.services.analytics_flow import (
    BucketCount,
    CreatedCompleted,
    DurationStats,
    FlowPoint,
    created_vs_completed,
    cumulative_flow,
    cycle_time,
    lead_time,
    throughput,
)
from core.services.analytics_scope import AnalyticsScope, local_date, local_midnight
from core.services.analytics_snapshot import (
    AgeBucket,
    Breakdown,
    OpenTask,
    Workload,
    by_label,
    by_priority,
    oldest_open,
    overdue_by_age,
    work_in_progress,
    workload,
)

__all__ = [
    "AgeBucket",
    "AnalyticsScope",
    "Breakdown",
    "BucketCount",
    "CreatedCompleted",
    "DurationStats",
    "FlowPoint",
    "OpenTask",
    "Workload",
    "by_label",
    "by_priority",
    "created_vs_completed",
    "cumulative_flow",
    "cycle_time",
    "lead_time",
    "local_date",
    "local_midnight",
    "oldest_open",
    "overdue_by_age",
    "throughput",
    "work_in_progress",
    "workload",
]
