"""The reminder job: claim due-date reminders and overdue nudges, DM them to assignees.

Like digests, the APScheduler job calling `run_reminders` is only a ticker: what goes out,
and that it goes out once, is decided by ScheduledSend rows (core.services.reminders).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot import slack_errors
from bot.blocks import limits
from bot.blocks.cards import FALLBACK_TITLE_MAX, task_card
from bot.blocks.dates import format_when
from bot.blocks.mrkdwn import escape_fit
from bot.notifier import ClientFor
from core.services import digests, reminders
from core.services.slack_channels import teams_of
from core.services.slack_links import slack_ids

log = logging.getLogger(__name__)


async def run_reminders(
    *,
    now: datetime,
    client_for: ClientFor,
    lead: timedelta = reminders.DEFAULT_LEAD,
    limit_concurrency: int = 4,
    timezone_of_user: reminders.TimezoneOf = reminders.stored_timezone,
) -> int:
    """DM every reminder and nudge due at `now`; returns how many were delivered. One
    failure is recorded on its ScheduledSend and never stops the others."""
    claims = await reminders.due_reminders(now, lead=lead)
    claims += await reminders.overdue_nudges(now, timezone_of_user=timezone_of_user)
    gate = asyncio.Semaphore(limit_concurrency)

    async def one(claim: reminders.ReminderClaim) -> bool:
        async with gate:
            return await send_claimed(claim, now=now, client_for=client_for)

    results = await asyncio.gather(*(one(claim) for claim in claims))
    if claims:
        log.info("reminders at %s: %d claimed, %d sent", now.isoformat(), len(claims), sum(results))
    return sum(results)


def reminder_text(claim: reminders.ReminderClaim, *, now: datetime) -> str:
    task = claim.task
    assert task.due_at is not None
    title = escape_fit(task.title, FALLBACK_TITLE_MAX)
    when = format_when(task.due_at, now=now, timezone=claim.timezone)
    if claim.kind == reminders.OVERDUE_NUDGE:
        line = f"⚠️ {task.key} {title} is overdue (was due {when})."
    else:
        line = f"⏰ {task.key} {title} is due {when}."
    return limits.truncate(line, limits.FALLBACK_TEXT)


async def send_claimed(
    claim: reminders.ReminderClaim, *, now: datetime, client_for: ClientFor
) -> bool:
    """DM one claimed reminder to the assignee in each active workspace of the
    organization where they have a Slack account; record the outcome."""
    task = claim.task
    target = f"{claim.kind} {task.key}"
    delivered = 0
    try:
        for team_id in await teams_of(task.organization_id):
            slack_id = (await slack_ids(team_id, {claim.assignee_id})).get(claim.assignee_id)
            if slack_id is None:
                continue
            client = await client_for(team_id)
            if client is None:
                continue
            await slack_errors.call(
                client.chat_postMessage,
                channel=slack_id,
                text=reminder_text(claim, now=now),
                blocks=task_card(
                    task,
                    now=now,
                    timezone=claim.timezone,
                    viewer_user_id=claim.assignee_id,
                    assignee_slack_id=slack_id,
                ),
            )
            delivered += 1
    except SlackApiError as exc:
        category = slack_errors.classify(exc)
        error = f"{category.value}: {exc.response.get('error')}"
        log.warning("%s not sent (%s)", target, error)
        await digests.mark_failed(claim, error)
        return False
    except Exception as exc:  # one reminder's surprise must not stop the others
        log.exception("%s failed", target)
        await digests.mark_failed(claim, f"{type(exc).__name__}: {exc}")
        return False
    if not delivered:
        await digests.mark_skipped(claim)  # no Slack account to DM
        return False
    await digests.mark_sent(claim, now=now)
    return True
