"""The App Home tab: published when a person opens it, and again after a change."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.identity import SlackContext, UnknownWorkspace
from bot.listeners.common import Door
from core.services import home, slack_links
from dashboards.slack import team_summary_blocks
from dashboards.summary import team_summary

log = logging.getLogger(__name__)


def register(app: AsyncApp, door: Door) -> None:
    @app.event("app_home_opened")
    async def on_home_opened(body: dict, event: dict, client: AsyncWebClient) -> None:
        # Slack sends this event for the Messages and About tabs too; only Home has a view.
        if event.get("tab") != "home":
            return
        await publish_home(client, team_id=body["team_id"], slack_user_id=event["user"], door=door)


async def publish_home(
    client: AsyncWebClient, *, team_id: str, slack_user_id: str, door: Door
) -> None:
    """Rebuild a person's Home and publish it; each `views.publish` replaces the whole tab.

    Slack keeps the last published view and shows it the next time the tab opens, so
    call this after anything that changes what the person would see there.
    """
    try:
        ctx = await door.context(
            {}, client, user_id=slack_user_id, team_id=team_id, channel_id=None
        )
    except UnknownWorkspace:
        log.info("no Home for %s: workspace %s is not installed", slack_user_id, team_id)
        return
    view = await home_for(ctx, command=door.command)
    try:
        await client.views_publish(user_id=slack_user_id, view=view)
    except SlackApiError as exc:
        log.warning("views.publish failed for %s: %s", slack_user_id, exc.response.get("error"))


async def home_for(ctx: SlackContext, *, command: str) -> dict:
    """The Home view for the person in `ctx`, as of `ctx.now` in their time zone."""
    mine = await home.my_sections(ctx.actor, now=ctx.now, timezone=ctx.timezone)
    team = await team_summary(ctx.actor, now=ctx.now, timezone=ctx.timezone)
    dashboard_url = f"{ctx.base_url.rstrip('/')}/dashboard" if ctx.base_url else None
    return blocks.home_view(
        sections=blocks.HomeSections(
            overdue=mine.overdue,
            today=mine.today,
            upcoming=mine.upcoming,
            no_date=mine.no_date,
            more=mine.more,
        ),
        now=ctx.now,
        timezone=ctx.timezone,
        viewer_user_id=ctx.actor.user_id,
        slack_ids=await slack_links.slack_ids(ctx.team_id, {ctx.actor.user_id}),
        team_blocks=team_summary_blocks(team, dashboard_url=dashboard_url) if team else None,
        command=command,
    )
