"""Scenario 5: each dashboard view model over the million-task organization on PostgreSQL,
default 28-day window, timed over repeated calls (after one unmeasured warm-up call)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks.context import Context
from benchmarks.progress import say
from benchmarks.queries import counting_queries
from benchmarks.stats import percentile
from core.clock import utcnow


def view_models(context: Context) -> dict[str, Callable[[], Awaitable[Any]]]:
    from core.services import analytics
    from dashboards.analytics import default_filters, manager_dashboard

    actor, now = context.owner, utcnow()
    filters = default_filters(now, "UTC")
    scope = filters.scope()
    return {
        "throughput": lambda: analytics.throughput(actor, scope),
        "cycle_time": lambda: analytics.cycle_time(actor, scope),
        "lead_time": lambda: analytics.lead_time(actor, scope),
        "created_vs_completed": lambda: analytics.created_vs_completed(actor, scope),
        "cumulative_flow": lambda: analytics.cumulative_flow(actor, scope),
        "work_in_progress": lambda: analytics.work_in_progress(actor, scope),
        "workload": lambda: analytics.workload(actor, scope, now=now),
        "overdue_by_age": lambda: analytics.overdue_by_age(actor, scope, now=now),
        "by_label": lambda: analytics.by_label(actor, scope),
        "by_priority": lambda: analytics.by_priority(actor, scope),
        "oldest_open": lambda: analytics.oldest_open(actor, scope, now=now, limit=5),
        "manager_dashboard": lambda: manager_dashboard(actor, filters, now=now),
    }


async def run(context: Context) -> dict[str, Any]:
    reps = context.options.analytics_reps
    results: dict[str, Any] = {}
    for name, call in view_models(context).items():
        say("analytics: %s x %d", name, reps)
        with counting_queries() as queries:
            await call()
        times = []
        for _ in range(reps):
            started = time.perf_counter()
            await call()
            times.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "max_ms": round(max(times), 1),
            "queries": queries.count,
            "reps": reps,
        }
    return {"window_days": 28, "tasks": context.seeded.tasks, "view_models": results}
