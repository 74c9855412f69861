"""The morning job: claim the personal DMs due now, render each person's tasks, DM them.

As with digests, the APScheduler job is only a ticker; ScheduledSend rows decide what is
sent, once (core.services.morning).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot import slack_errors
from bot.blocks.morning import morning_blocks, morning_text
from bot.notifier import ClientFor
from core.services import digests, morning
from core.services.slack_channels import teams_of
from core.services.slack_links import slack_ids

log = logging.getLogger(__name__)


async def run_mornings(
    *,
    now: datetime,
    client_for: ClientFor,
    default_on: bool,
    grace: timedelta = digests.DEFAULT_GRACE,
    limit_concurrency: int = 4,
    dashboard_url: str | None = None,
) -> int:
    """DM every morning message due at `now`; returns how many were delivered."""
    claims = await morning.due_mornings(now, default_on=default_on, grace=grace)
    gate = asyncio.Semaphore(limit_concurrency)

    async def one(claim: morning.MorningClaim) -> bool:
        async with gate:
            return await send_claimed(
                claim, now=now, client_for=client_for, dashboard_url=dashboard_url
            )

    results = await asyncio.gather(*(one(claim) for claim in claims))
    if claims:
        log.info("mornings at %s: %d claimed, %d sent", now.isoformat(), len(claims), sum(results))
    return sum(results)


async def send_claimed(
    claim: morning.MorningClaim,
    *,
    now: datetime,
    client_for: ClientFor,
    dashboard_url: str | None = None,
) -> bool:
    """DM one person's morning in the first workspace where they have a Slack account.
    Nothing to say is recorded skipped; a Slack error is recorded failed (and retried)."""
    try:
        found = await morning.morning_of(
            organization_id=claim.organization_id,
            user_id=claim.user_id,
            timezone=claim.timezone,
            now=now,
        )
        if found.is_empty:
            await digests.mark_skipped(claim)
            return False
        for team_id in await teams_of(claim.organization_id):
            slack_id = (await slack_ids(team_id, {claim.user_id})).get(claim.user_id)
            client = await client_for(team_id) if slack_id else None
            if client is None:
                continue
            await slack_errors.call(
                client.chat_postMessage,
                channel=slack_id,
                text=morning_text(found),
                blocks=morning_blocks(found, dashboard_url=dashboard_url),
            )
            await digests.mark_sent(claim, now=now)
            return True
    except SlackApiError as exc:
        error = f"{slack_errors.classify(exc).value}: {exc.response.get('error')}"
        log.warning("morning DM to %s not sent (%s)", claim.user_id, error)
        await digests.mark_failed(claim, error)
        return False
    except Exception as exc:  # one person's surprise must not stop the others
        log.exception("morning DM to %s failed", claim.user_id)
        await digests.mark_failed(claim, f"{type(exc).__name__}: {exc}")
        return False
    await digests.mark_skipped(claim)  # no Slack account to DM
    return False
