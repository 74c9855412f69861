"""Analytics over time: throughput, created vs completed, cumulative flow, durations.

"Completed" always means status done with `completed_at` inside the scope; "created"
counts every live task created inside the scope, whatever its status now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.enums import TaskStatus
from core.permissions import Actor
from core.services.analytics_scope import AnalyticsScope, buckets
from core.services.analytics_sql import Statement, as_hours

PERCENTILES = {"median": 0.5, "p85": 0.85, "p95": 0.95}
FLOW_MOMENTS = ("created", "started", "done", "ended")
# Cancelled tasks are left out of the flow.
FLOW_STATUSES = tuple(sorted(s.value for s in TaskStatus if s is not TaskStatus.CANCELLED))


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
    done = q.bind(TaskStatus.DONE.value)
    created, completed = q.instant("t.created_at"), q.instant("t.completed_at")
    # One counted index range per bucket (buckets are clipped to the scope). Joining the
    # buckets to all the window's events on a range compared every event with every
    # bucket instead: 0.5 s for a 28-day window of a million-task organization.
    sql = f"""
        WITH {q.buckets(found)}
        SELECT b.i AS i,
            (SELECT COUNT(*) FROM tasks t
             WHERE {where} AND {created} >= b.lo AND {created} < b.hi) AS created,
            (SELECT COUNT(*) FROM tasks t
             WHERE {where} AND t.status = {done}
                AND {completed} >= b.lo AND {completed} < b.hi) AS completed
        FROM buckets b ORDER BY b.i"""
    rows = await q.rows(sql)
    return [
        CreatedCompleted(bucket.start, int(row["created"]), int(row["completed"]))
        for bucket, row in zip(found, rows, strict=True)
    ]


async def cumulative_flow(actor: Actor, scope: AnalyticsScope) -> list[FlowPoint]:
    """One point per local day in the scope, counted at the end of that day (or at the
    scope's end for a last, partial day). See FlowPoint for how statuses are rebuilt.

    A task has up to four moments: created, started, done, and "ended" (the later of
    started and done, when a started task stops being in progress). A point counts all
    the moments the tasks have, less those at or after its day's end. Tasks are grouped
    by the day each of their moments falls on (a few hundred groups), and the totals
    come from those groups, except for a whole organization: there they are index-only
    counts (see _counted_totals) and only tasks with a moment at or after the scope's
    start are grouped, found through index ranges. Reading every task the organization
    ever had made a scan of a million rows, most of the 0.7 s this once took; a project's
    or a person's tasks are read from the table anyway, so one pass over them is best."""
    actor.require("task:read")
    found = buckets(scope, "day")
    q = Statement()
    where = q.tasks_in(actor, scope)
    in_flow = f"{where} AND t.status IN ({q.bind_all(FLOW_STATUSES)})"
    is_done = f"t.status = {q.bind(TaskStatus.DONE.value)}"
    created, started = q.instant("t.created_at"), q.instant("t.started_at")
    completed, start = q.instant("t.completed_at"), q.at(scope.start)
    edges = [q.at(bucket.hi) for bucket in found]  # each bound once, reused below

    def day(moment: str) -> str:
        """-1 before the scope, i on day i, len(edges) at or after the scope's end."""
        return (
            f"CASE WHEN {moment} IS NULL THEN NULL WHEN {moment} < {start} THEN -1"
            f" ELSE {_first_day_ending_after(moment, edges, 0, len(edges))} END"
        )

    if scope.project_id is None and scope.assignee_id is None:
        totals = _counted_totals(where=where, in_flow=in_flow, is_open=q.is_open(), is_done=is_done)
        grouped = (
            f"{in_flow} AND ({created} >= {start} OR {started} >= {start}"
            f" OR ({is_done} AND {completed} >= {start}))"
        )
    else:
        totals, grouped = _grouped_totals(), in_flow
    sql = f"""
        WITH days(i) AS (VALUES {", ".join(f"({i})" for i in range(len(found)))}),
        moments(created, started, done, n) AS (
            SELECT created, started, done, COUNT(*) FROM (
                SELECT {day(created)} AS created, {day(started)} AS started,
                    CASE WHEN {is_done} THEN {day(completed)} END AS done
                FROM tasks t WHERE {grouped}
            ) m GROUP BY created, started, done
        ),
        flow(created, started, done, ended, n) AS (
            SELECT created, started, done, CASE WHEN started IS NULL OR done IS NULL THEN NULL
                WHEN started > done THEN started ELSE done END, n
            FROM moments
        ),
        {totals}
        SELECT d.i AS i, {_at_days_end(after=len(found))}
        FROM days d CROSS JOIN totals o LEFT JOIN flow f ON f.n > 0
        GROUP BY d.i, o.created, o.started, o.done, o.ended ORDER BY d.i"""
    rows = await q.rows(sql)
    return [_flow_point(bucket.start, row) for bucket, row in zip(found, rows, strict=True)]


def _grouped_totals() -> str:
    """A `totals(created, started, done, ended)` table summed from `flow`, when it holds
    every task in the flow."""
    sums = ", ".join(
        f"COALESCE(SUM(CASE WHEN {k} IS NOT NULL THEN n END), 0)" for k in FLOW_MOMENTS
    )
    return f"totals(created, started, done, ended) AS (SELECT {sums} FROM flow)"


def _counted_totals(*, where: str, in_flow: str, is_open: str, is_done: str) -> str:
    """A `totals(created, started, done, ended)` table: every moment the tasks in the flow
    have. Tasks are counted per status (index-only, and cheap even for a million), then
    those never started or never completed are taken off (few: indexed on the status and
    the moment). A task is "ended" if done with both moments set, so by inclusion and
    exclusion: done, less done but never started, less done but never completed, plus
    done with neither."""
    return f"""counts(tasks, done) AS (
            SELECT o.n + d.n, d.n FROM
                (SELECT COUNT(*) AS n FROM tasks t WHERE {where} AND {is_open}) o,
                (SELECT COUNT(*) AS n FROM tasks t WHERE {where} AND {is_done}) d
        ),
        unstarted(tasks, done) AS (
            SELECT COUNT(*), COUNT(CASE WHEN {is_done} THEN 1 END) FROM tasks t
            WHERE {in_flow} AND t.started_at IS NULL
        ),
        uncompleted(done, unstarted) AS (
            SELECT COUNT(*), COUNT(CASE WHEN t.started_at IS NULL THEN 1 END) FROM tasks t
            WHERE {where} AND {is_done} AND t.completed_at IS NULL
        ),
        totals(created, started, done, ended) AS (
            SELECT c.tasks, c.tasks - s.tasks, c.done - u.done,
                c.done - s.done - u.done + u.unstarted
            FROM counts c, unstarted s, uncompleted u
        )"""


def _first_day_ending_after(moment: str, edges: list[str], lo: int, hi: int) -> str:
    """The first day in [lo, hi) whose end is after `moment`, else hi: a binary search,
    five comparisons for 28 days where a chain of WHENs takes up to 28."""
    if lo == hi:
        return str(hi)
    mid = (lo + hi) // 2
    before = _first_day_ending_after(moment, edges, lo, mid)
    after = _first_day_ending_after(moment, edges, mid + 1, hi)
    return f"CASE WHEN {moment} < {edges[mid]} THEN {before} ELSE {after} END"


def _at_days_end(*, after: int) -> str:
    """Each total less the moments at or after day i's end, and less every moment of a
    task created after the scope (created on day `after`): those are not in the flow."""
    return ", ".join(
        f"o.{k} - COALESCE(SUM(CASE WHEN f.{k} > d.i"
        f" OR (f.created = {after} AND f.{k} IS NOT NULL) THEN f.n END), 0) AS {k}"
        for k in FLOW_MOMENTS
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
