"""Turning `@alice`, `<@U123>` or `me` into a TeamFlow user of the caller's organization."""

from __future__ import annotations

import uuid

from bot.identity import SlackContext, fetch_profile
from bot.quickadd import Mention
from bot.replies import UsageError
from core.services import members, slack_links


async def resolve_mention(ctx: SlackContext, mention: Mention) -> uuid.UUID:
    if mention.name == "me":
        return ctx.actor.user_id
    if mention.slack_user_id:
        return await _by_slack_id(ctx, mention.slack_user_id)
    return await _by_name(ctx, mention.name or "")


async def _by_slack_id(ctx: SlackContext, slack_user_id: str) -> uuid.UUID:
    linked = await slack_links.user_for_slack_id(ctx.team_id, slack_user_id)
    if linked is not None:
        return linked
    profile = await fetch_profile(ctx.client, team_id=ctx.team_id, slack_user_id=slack_user_id)
    actor = await slack_links.actor_for_profile(profile, organization_id=ctx.actor.organization_id)
    return actor.user_id


async def _by_name(ctx: SlackContext, name: str) -> uuid.UUID:
    wanted = name.strip().lstrip("@").lower()
    people = await members.list_members(ctx.actor)
    exact = [
        m
        for m in people
        if wanted in {m.user.name.lower(), (m.user.email or "").split("@")[0].lower()}
    ]
    first = [m for m in people if m.user.name.lower().split()[0:1] == [wanted]]
    matches = exact or first
    if len(matches) == 1:
        return matches[0].user.id
    if not matches:
        raise UsageError(f"Nobody called @{name} here. Mention them with @ so Slack links them.")
    names = ", ".join(m.user.name for m in matches[:5])
    raise UsageError(f"@{name} could be {names}. Mention the person with Slack's @ picker.")
