"""Who is acting in a Slack request: the workspace's organization and the linked user."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from core.clock import utcnow
from core.permissions import Actor
from core.services import slack_links, users
from core.services.slack_links import SlackProfile

log = logging.getLogger(__name__)


class UnknownWorkspace(Exception):
    """A request from a workspace that has not installed TeamFlow (multi-workspace mode)."""


@dataclass(frozen=True)
class SlackContext:
    """Everything a command handler needs besides its arguments."""

    actor: Actor
    team_id: str
    slack_user_id: str
    channel_id: str | None
    timezone: str
    now: datetime
    client: AsyncWebClient | None
    # How this deployment runs: the organization default for morning DMs, and where the
    # web dashboard lives (None: no link is offered).
    morning_default_on: bool = False
    base_url: str | None = None


async def resolve(
    *,
    team_id: str,
    slack_user_id: str,
    channel_id: str | None,
    client: AsyncWebClient | None,
    create_workspace: bool,
    team_name: str = "",
    morning_default_on: bool = False,
    base_url: str | None = None,
) -> SlackContext:
    """Link the caller on first contact (asking Slack's users.info once), then reuse the link."""
    linked = await slack_links.linked_member(team_id, slack_user_id)
    if linked is not None:
        actor, timezone = linked.actor, linked.timezone
    else:
        profile = await fetch_profile(client, team_id=team_id, slack_user_id=slack_user_id)
        organization_id = await slack_links.organization_for_team(team_id)
        if organization_id is None:
            if not create_workspace:
                raise UnknownWorkspace(team_id)
            organization_id = await slack_links.connect_workspace(
                team_id, team_name=team_name, first_user=profile
            )
        actor = await slack_links.actor_for_profile(profile, organization_id=organization_id)
        timezone = (await users.get_user(actor.user_id)).timezone
    return SlackContext(
        actor=actor,
        team_id=team_id,
        slack_user_id=slack_user_id,
        channel_id=channel_id,
        timezone=timezone,
        now=utcnow(),
        client=client,
        morning_default_on=morning_default_on,
        base_url=base_url,
    )


async def fetch_profile(
    client: AsyncWebClient | None, *, team_id: str, slack_user_id: str
) -> SlackProfile:
    """Name, email and time zone from users.info; a bare profile if Slack cannot tell."""
    if client is None:
        return SlackProfile(team_id=team_id, slack_user_id=slack_user_id, name=slack_user_id)
    try:
        reply = await client.users_info(user=slack_user_id)
    except SlackApiError as exc:
        log.warning("users.info failed for %s: %s", slack_user_id, exc.response.get("error"))
        return SlackProfile(team_id=team_id, slack_user_id=slack_user_id, name=slack_user_id)
    user = reply.get("user") or {}
    profile = user.get("profile") or {}
    return SlackProfile(
        team_id=team_id,
        slack_user_id=slack_user_id,
        name=profile.get("real_name") or user.get("real_name") or user.get("name") or slack_user_id,
        email=profile.get("email"),
        timezone=user.get("tz") or "UTC",
    )
