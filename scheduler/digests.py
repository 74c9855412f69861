"""The digest job: claim what is due, render it, post it with bounded concurrency.

The APScheduler job that calls `run_digests` is only a ticker: which digest goes out, and
that it goes out once, is decided by the ScheduledSend rows in `core.services.digests`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot import slack_errors
from bot.blocks.digest import digest_blocks, digest_text
from bot.notifier import ClientFor
from core.services import digests

log = logging.getLogger(__name__)

# Digests in flight at once. Each spends most of its time waiting on Slack (tens of ms a
# post) while the database pool serves the others; 4 left 1,000 channels due at the same
# minute taking about 20 s. Slack's 429s are still honoured per call (slack_errors.call).
CONCURRENCY = 16


async def run_digests(
    *,
    now: datetime,
    client_for: ClientFor,
    limit_concurrency: int = CONCURRENCY,
    grace: timedelta = digests.DEFAULT_GRACE,
    dashboard_url: str | None = None,
    stale_days: int = digests.STALE_DAYS,
) -> int:
    """Send every digest due at `now`; returns how many were posted. One channel's
    failure is recorded on its ScheduledSend and never stops the others."""
    claims = await digests.due_sends(now, grace=grace)
    gate = asyncio.Semaphore(limit_concurrency)

    async def one(claim: digests.Claim) -> bool:
        async with gate:
            return await send_claimed(
                claim,
                now=now,
                client_for=client_for,
                dashboard_url=dashboard_url,
                stale_days=stale_days,
            )

    results = await asyncio.gather(*(one(claim) for claim in claims))
    if claims:
        log.info("digests at %s: %d claimed, %d posted", now.isoformat(), len(claims), sum(results))
    return sum(results)


async def send_claimed(
    claim: digests.Claim,
    *,
    now: datetime,
    client_for: ClientFor,
    dashboard_url: str | None = None,
    force: bool = False,
    stale_days: int = digests.STALE_DAYS,
) -> bool:
    """Post one claimed digest and record the outcome; an empty digest is recorded skipped."""
    schedule = claim.schedule
    try:
        digest = await digests.digest_of(schedule, now=now, stale_days=stale_days)
        if digest.is_empty and not (schedule.include_empty or force):
            await digests.mark_skipped(claim)
            return False
        client = await client_for(schedule.team_id)
        if client is None:
            await digests.mark_failed(claim, "no Slack client for the workspace")
            return False
        await slack_errors.call(
            client.chat_postMessage,
            channel=schedule.channel_id,
            text=digest_text(digest),
            blocks=digest_blocks(digest, dashboard_url=dashboard_url),
        )
    except SlackApiError as exc:
        category = slack_errors.classify(exc)
        error = f"{category.value}: {exc.response.get('error')}"
        log.warning("digest to %s not sent (%s)", schedule.target, error)
        await digests.mark_failed(claim, error)
        return False
    except Exception as exc:  # one channel's surprise must not stop the others
        log.exception("digest to %s failed", schedule.target)
        await digests.mark_failed(claim, f"{type(exc).__name__}: {exc}")
        return False
    await digests.mark_sent(claim, now=now)
    return True
