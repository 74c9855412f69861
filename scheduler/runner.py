"""The scheduler: APScheduler on asyncio, jobs registered here.

It runs as its own process (`teamflow scheduler`) or inside the web process on the
embedded setup (`teamflow serve` with SQLite). Either way, and with several copies at
once, every message goes out once: the jobs are only tickers, and ScheduledSend rows in
the database decide what is sent (core.services.digests.claim_send).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.notifier import ClientFor
from core.cache import Cache
from core.clock import utcnow
from core.config import Settings
from core.heartbeats import HEARTBEAT_SECONDS, SCHEDULER, record_heartbeat
from core.services.digests import DEFAULT_GRACE
from core.services.reminders import DEFAULT_LEAD
from scheduler.digests import run_digests
from scheduler.morning import run_mornings
from scheduler.reminders import run_reminders
from scheduler.reports import IMAGE, run_reports

log = logging.getLogger(__name__)
DIGEST_TICK_SECONDS = 60


@dataclass(frozen=True)
class Jobs:
    """What the tickers need: how late a send may still go out, reminder lead time,
    the morning DM's default, how charts are sent, where the dashboard is, and how
    often they look for what is due."""

    client_for: ClientFor
    grace: timedelta = DEFAULT_GRACE
    lead: timedelta = DEFAULT_LEAD
    morning_default_on: bool = False
    charts: str = IMAGE
    dashboard_url: str | None = None
    stale_days: int = 3
    tick_seconds: float = DIGEST_TICK_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings, client_for: ClientFor) -> Jobs:
        return cls(
            client_for=client_for,
            grace=timedelta(minutes=settings.digest_grace_minutes),
            lead=timedelta(hours=settings.reminder_lead_hours),
            morning_default_on=settings.morning_default_on,
            charts=settings.report_charts,
            dashboard_url=settings.dashboard_url,
            stale_days=settings.stale_days,
            tick_seconds=settings.scheduler_tick_seconds,
        )

    async def digests(self, now: datetime) -> int:
        return await run_digests(
            now=now,
            client_for=self.client_for,
            grace=self.grace,
            dashboard_url=self.dashboard_url,
            stale_days=self.stale_days,
        )

    async def reminders(self, now: datetime) -> int:
        return await run_reminders(now=now, client_for=self.client_for, lead=self.lead)

    async def mornings(self, now: datetime) -> int:
        return await run_mornings(
            now=now,
            client_for=self.client_for,
            default_on=self.morning_default_on,
            grace=self.grace,
            dashboard_url=self.dashboard_url,
        )

    async def reports(self, now: datetime) -> int:
        return await run_reports(
            now=now,
            client_for=self.client_for,
            grace=self.grace,
            charts=self.charts,
            dashboard_url=self.dashboard_url,
        )

    def tickers(self) -> dict[str, Callable[[datetime], Awaitable[int]]]:
        return {
            "digests": self.digests,
            "reminders": self.reminders,
            "mornings": self.mornings,
            "reports": self.reports,
        }


def build_scheduler(cache: Cache, jobs: Jobs | None = None) -> AsyncIOScheduler:
    """The heartbeat, and with Slack configured (`jobs`) a ticker per kind of message."""
    scheduler = AsyncIOScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
    )
    scheduler.add_job(
        record_heartbeat,
        "interval",
        seconds=HEARTBEAT_SECONDS,
        args=[cache, SCHEDULER],
        id="heartbeat",
    )
    if jobs is not None:
        for name, run in jobs.tickers().items():
            scheduler.add_job(
                _tick, "interval", seconds=jobs.tick_seconds, args=[name, run], id=name
            )
    return scheduler


async def _tick(name: str, run: Callable[[datetime], Awaitable[int]]) -> None:
    try:
        await run(utcnow())
    except Exception:  # the next tick tries again; the rows say what is still due
        log.exception("%s tick failed", name)


async def start(cache: Cache, jobs: Jobs | None) -> AsyncIOScheduler:
    """Start the jobs on the running loop (the web process calls this in before_serving)."""
    scheduler = build_scheduler(cache, jobs)
    scheduler.start()
    await record_heartbeat(cache, SCHEDULER)
    log.info("scheduler started with jobs: %s", [job.id for job in scheduler.get_jobs()])
    return scheduler


async def run_until_stopped(cache: Cache, jobs: Jobs | None = None) -> None:
    """Run the jobs until SIGINT or SIGTERM (the `teamflow scheduler` process)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    scheduler = await start(cache, jobs)
    await stop.wait()
    scheduler.shutdown(wait=False)
