"""Analytics over time: throughput, created vs completed, cumulative flow, durations.

"Completed" always means status done with `completed_at` inside the scope; "created"
counts every live task created inside the scope, whatever its status now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.enums import TaskStatus
from core.permissions import Actor
from core.services.analytics_scope import AnalyticsScope, buckets
from core.services.analytics_sql import Statement, as_hours

PERCENTILES = {"median": 0.5, "p85": 0.85, "p95": 0.95}
FLOW_MOMENTS = ("created", "started", "done", "ended")


@dataclass(frozen=True)
class DurationStats:
    count: int
    median_hours: float | None
    p85_hours: float | None
    p95_hours: float | None


@dataclass(frozen=True)
class BucketCount:
    start: date
    count: int


@dataclass(frozen=True)
class CreatedCompleted:
    start: date
    created: int
    completed: int


@dataclass(frozen=True)
class FlowPoint:
    """Tasks in each status at the end of one local day.

    Rebuilt from created_at/started_at/completed_at: todo until started_at, in_progress
    (which includes in review: no review history is kept) until completed_at, done after.
    Cancelled tasks are left out of the flow entirely, so the statuses add up to
    `created_total` and `done_total` equals `by_status["done"]`.
    """

    day: date
    by_status: dict[str, int]
    created_total: int
    done_total: int


async def throughput(
    actor: Actor, scope: AnalyticsScope, *, bucket: str = "day"
) -> list[BucketCount]:
    """Tasks completed per local day or ISO week, every bucket present (zero if none)."""
    rows = await created_vs_completed(actor, scope, bucket=bucket)
    return [BucketCount(row.start, row.completed) for row in rows]


async def created_vs_completed(
    actor: Actor, scope: AnalyticsScope, *, bucket: str = "day"
) -> list[CreatedCompleted]:
    """Tasks created and tasks completed per local day or ISO week, zero-filled."""
    actor.require("task:read")
    found = buckets(scope, bucket)
    q = Statement()
    where = q.tasks_in(actor, scope)
    sql = f"""
        WITH {q.buckets(found)},
        events(kind, at) AS (
            SELECT 'created', {q.instant("t.created_at")} FROM tasks t
            WHERE {where} AND {q.between("t.created_at", scope.start, scope.end)}
            UNION ALL
            SELECT 'completed', {q.instant("t.completed_at")} FROM tasks t
            WHERE {where} AND {q.completed_in(scope)}
        )
        SELECT b.i AS i,
            SUM(CASE WHEN e.kind = 'created' THEN 1 ELSE 0 END) AS created,
            SUM(CASE WHEN e.kind = 'completed' THEN 1 ELSE 0 END) AS completed
        FROM buckets b LEFT JOIN events e ON e.at >= b.lo AND e.at < b.hi
        GROUP BY b.i ORDER BY b.i"""
    rows = await q.rows(sql)
    return [
        CreatedCompleted(bucket.start, int(row["created"]), int(row["completed"]))
        for bucket, row in zip(found, rows, strict=True)
    ]


async def cumulative_flow(actor: Actor, scope: AnalyticsScope) -> list[FlowPoint]:
    """One point per local day in the scope, counted at the end of that day (or at the
    scope's end for a last, partial day). See FlowPoint for how statuses are rebuilt.

    Each task's moments (created, started, done, and "ended": the later of started and
    done, when a started task stops being in progress) are counted once: those before
    the scope as a baseline, those inside it per day, then summed up day by day."""
    actor.require("task:read")
    found = buckets(scope, "day")
    q = Statement()
    created, started = q.instant("t.created_at"), q.instant("t.started_at")
    is_done = f"t.status = {q.bind(TaskStatus.DONE.value)}"
    done = f"CASE WHEN {is_done} THEN {q.instant('t.completed_at')} END"
    start, end = q.at(scope.start), q.at(scope.end)
    cancelled = q.bind(TaskStatus.CANCELLED.value)
    events = "\n            UNION ALL ".join(
        f"SELECT '{k}', {k} FROM flow WHERE {k} >= {start} AND {k} < {end}" for k in FLOW_MOMENTS
    )
    sql = f"""
        WITH {q.buckets(found)},
        moments(created, started, done) AS (
            SELECT {created}, {started}, {done} FROM tasks t
            WHERE {q.tasks_in(actor, scope)} AND t.status <> {cancelled} AND {created} < {end}
        ),
        flow(created, started, done, ended) AS (
            SELECT created, started, done,
                CASE WHEN started > done THEN started WHEN started IS NOT NULL THEN done END
            FROM moments
        ),
        earlier AS (SELECT {_counts(lambda k: f"{k} < {start}")} FROM flow),
        events(kind, at) AS ({events}),
        daily AS (
            SELECT b.i AS i, {_counts(lambda k: f"e.kind = '{k}'")}
            FROM buckets b LEFT JOIN events e ON e.at >= b.lo AND e.at < b.hi
            GROUP BY b.i
        )
        SELECT d.i AS i, {_running()} FROM daily d CROSS JOIN earlier x ORDER BY d.i"""
    rows = await q.rows(sql)
    return [_flow_point(bucket.start, row) for bucket, row in zip(found, rows, strict=True)]


def _counts(condition: Callable[[str], str]) -> str:
    return ", ".join(
        f"SUM(CASE WHEN {condition(k)} THEN 1 ELSE 0 END) AS {k}" for k in FLOW_MOMENTS
    )


def _running() -> str:
    return ", ".join(
        f"COALESCE(x.{k}, 0) + SUM(d.{k}) OVER (ORDER BY d.i) AS {k}" for k in FLOW_MOMENTS
    )


def _flow_point(day: date, row: dict[str, Any]) -> FlowPoint:
    created, done = int(row["created"]), int(row["done"])
    in_progress = int(row["started"]) - int(row["ended"])
    return FlowPoint(
        day=day,
        by_status={
            "todo": created - in_progress - done,
            "in_progress": in_progress,
            "done": done,
        },
        created_total=created,
        done_total=done,
    )


async def cycle_time(actor: Actor, scope: AnalyticsScope) -> DurationStats:
    """From started_at to completed_at, for tasks completed in the scope that were started."""
    return await _durations(actor, scope, since="t.started_at")


async def lead_time(actor: Actor, scope: AnalyticsScope) -> DurationStats:
    """From created_at to completed_at, for tasks completed in the scope."""
    return await _durations(actor, scope, since="t.created_at")


async def _durations(actor: Actor, scope: AnalyticsScope, *, since: str) -> DurationStats:
    """Percentiles by linear interpolation between closest ranks (as PostgreSQL's
    percentile_cont): the p-th value sits at rank 1 + (n - 1) * p, and a fractional rank
    blends its two neighbours. Each row's weight is max(0, 1 - |rank - position|), so
    the same portable query gives the same answer on SQLite and PostgreSQL."""
    actor.require("task:read")
    q = Statement()
    hours = q.hours(since, "t.completed_at")
    picks = ",\n".join(
        f"SUM(CASE WHEN ABS(rn - (1 + (n - 1) * {p})) < 1"
        f" THEN (1 - ABS(rn - (1 + (n - 1) * {p}))) * h ELSE 0 END) AS {name}"
        for name, p in PERCENTILES.items()
    )
    sql = f"""
        WITH d(h) AS (
            SELECT {hours} FROM tasks t
            WHERE {q.tasks_in(actor, scope)} AND {q.completed_in(scope)} AND {since} IS NOT NULL
        ),
        ranked AS (SELECT h, ROW_NUMBER() OVER (ORDER BY h) AS rn, COUNT(*) OVER () AS n FROM d)
        SELECT COUNT(*) AS n, {picks} FROM ranked"""
    row = (await q.rows(sql))[0]
    return DurationStats(
        count=int(row["n"]),
        median_hours=as_hours(row["median"]),
        p85_hours=as_hours(row["p85"]),
        p95_hours=as_hours(row["p95"]),
    )
