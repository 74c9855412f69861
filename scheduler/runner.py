"""The scheduler process: APScheduler on asyncio, jobs registered here."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.notifier import ClientFor
from core.cache import Cache
from core.clock import utcnow
from core.heartbeats import HEARTBEAT_SECONDS, SCHEDULER, record_heartbeat
from core.services.digests import DEFAULT_GRACE
from core.services.reminders import DEFAULT_LEAD
from scheduler.digests import run_digests
from scheduler.reminders import run_reminders

log = logging.getLogger(__name__)
DIGEST_TICK_SECONDS = 60


def build_scheduler(
    cache: Cache,
    *,
    client_for: ClientFor | None = None,
    grace: timedelta = DEFAULT_GRACE,
    lead: timedelta = DEFAULT_LEAD,
) -> AsyncIOScheduler:
    """The jobs. The digest and reminder jobs are only tickers: exactly once comes from the
    database (core.services.digests, core.services.reminders), so two scheduler processes
    running at once are safe."""
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
    if client_for is not None:
        scheduler.add_job(
            _digest_tick,
            "interval",
            seconds=DIGEST_TICK_SECONDS,
            args=[client_for, grace],
            id="digests",
        )
        scheduler.add_job(
            _reminder_tick,
            "interval",
            seconds=DIGEST_TICK_SECONDS,
            args=[client_for, lead],
            id="reminders",
        )
    return scheduler


async def _digest_tick(client_for: ClientFor, grace: timedelta) -> None:
    try:
        await run_digests(now=utcnow(), client_for=client_for, grace=grace)
    except Exception:  # the next tick tries again; the rows say what is still due
        log.exception("digest tick failed")


async def _reminder_tick(client_for: ClientFor, lead: timedelta) -> None:
    try:
        await run_reminders(now=utcnow(), client_for=client_for, lead=lead)
    except Exception:  # the next tick tries again; the rows say what was already sent
        log.exception("reminder tick failed")


async def run_until_stopped(
    cache: Cache,
    *,
    client_for: ClientFor | None = None,
    grace: timedelta = DEFAULT_GRACE,
    lead: timedelta = DEFAULT_LEAD,
) -> None:
    """Run the jobs until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    scheduler = build_scheduler(cache, client_for=client_for, grace=grace, lead=lead)
    scheduler.start()
    await record_heartbeat(cache, SCHEDULER)
    log.info("scheduler started with jobs: %s", [job.id for job in scheduler.get_jobs()])
    await stop.wait()
    scheduler.shutdown(wait=False)
