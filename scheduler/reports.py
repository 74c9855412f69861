"""The weekly report job: claim the reports due now, compute them, post them to Slack.

The numbers come from the analytics read side (dashboards.analytics) and are rendered by
dashboards.slack; a chart image, when images are on, follows in the report's thread.
As with digests, ScheduledSend rows decide that each week's report is posted once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import slack_errors
from bot.notifier import ClientFor
from core.services import digests, reports
from core.services.activity_feed import reader
from dashboards.analytics import WeeklyReport, weekly_report
from dashboards.charts import DAY_NAMES, created_vs_completed_png
from dashboards.slack import chart_title, report_text, weekly_report_blocks

log = logging.getLogger(__name__)
IMAGE, TEXT = "image", "text"


async def run_reports(
    *,
    now: datetime,
    client_for: ClientFor,
    grace: timedelta = digests.DEFAULT_GRACE,
    charts: str = IMAGE,
    dashboard_url: str | None = None,
    limit_concurrency: int = 2,
) -> int:
    """Post every weekly report due at `now`; returns how many were posted."""
    claims = await reports.due_reports(now, grace=grace)
    gate = asyncio.Semaphore(limit_concurrency)

    async def one(claim: reports.ReportClaim) -> bool:
        async with gate:
            return await send_claimed(
                claim, now=now, client_for=client_for, charts=charts, dashboard_url=dashboard_url
            )

    results = await asyncio.gather(*(one(claim) for claim in claims))
    if claims:
        log.info("reports at %s: %d claimed, %d posted", now.isoformat(), len(claims), sum(results))
    return sum(results)


async def build_report(report: reports.ReportView, *, now: datetime) -> WeeklyReport:
    return await weekly_report(
        reader(report.organization_id),
        now=now,
        timezone=report.timezone,
        project_id=report.project_id,
        project_key=report.project_key,
    )


async def send_claimed(
    claim: reports.ReportClaim,
    *,
    now: datetime,
    client_for: ClientFor,
    charts: str = IMAGE,
    dashboard_url: str | None = None,
) -> bool:
    """Post one claimed report and record the outcome; its chart is best effort."""
    target = claim.report
    try:
        found = await build_report(target, now=now)
        client = await client_for(target.team_id)
        if client is None:
            await digests.mark_failed(claim, "no Slack client for the workspace")
            return False
        posted = await slack_errors.call(
            client.chat_postMessage,
            channel=target.target,
            text=report_text(found),
            blocks=weekly_report_blocks(
                found, with_text_bars=charts != IMAGE, dashboard_url=dashboard_url
            ),
        )
    except SlackApiError as exc:
        error = f"{slack_errors.classify(exc).value}: {exc.response.get('error')}"
        log.warning("weekly report to %s not sent (%s)", target.key, error)
        await digests.mark_failed(claim, error)
        return False
    except Exception as exc:  # one report's surprise must not stop the others
        log.exception("weekly report to %s failed", target.key)
        await digests.mark_failed(claim, f"{type(exc).__name__}: {exc}")
        return False
    await digests.mark_sent(claim, now=now)
    if charts == IMAGE:
        await _attach_chart(client, found, channel=posted["channel"], thread_ts=posted["ts"])
    return True


async def _attach_chart(
    client: AsyncWebClient, report: WeeklyReport, *, channel: str, thread_ts: str
) -> None:
    """The created-vs-completed chart as an image in the report's thread. The report is
    already posted and recorded, so a failed upload (no files:write scope, say) is logged,
    never retried as a second report."""
    png = created_vs_completed_png(
        DAY_NAMES,
        [day.created for day in report.daily],
        [day.completed for day in report.daily],
        title=chart_title(report),
    )
    try:
        await slack_errors.call(
            client.files_upload_v2,
            channel=channel,
            thread_ts=thread_ts,
            file=png,
            filename="weekly-report.png",
            title=chart_title(report),
            alt_txt=chart_title(report),
        )
    except SlackApiError as exc:
        log.warning("weekly report chart not uploaded: %s", exc.response.get("error"))
    except Exception:  # the report itself is out; the picture is a bonus
        log.exception("weekly report chart not uploaded")
