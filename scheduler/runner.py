"""The scheduler process: APScheduler on asyncio, jobs registered here."""

from __future__ import annotations

import asyncio
import logging
import signal

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.cache import Cache
from core.heartbeats import HEARTBEAT_SECONDS, SCHEDULER, record_heartbeat

log = logging.getLogger(__name__)


def build_scheduler(cache: Cache) -> AsyncIOScheduler:
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
    return scheduler


async def run_until_stopped(cache: Cache) -> None:
    """Run the jobs until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    scheduler = build_scheduler(cache)
    scheduler.start()
    await record_heartbeat(cache, SCHEDULER)
    log.info("scheduler started with jobs: %s", [job.id for job in scheduler.get_jobs()])
    await stop.wait()
    scheduler.shutdown(wait=False)
