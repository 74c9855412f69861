"""Slack workspaces and users, linked to TeamFlow organizations and users.

A workspace works in exactly one organization. A Slack user is linked to a TeamFlow
user on first contact: by email when an account with that email exists, else a new
account without a password; either way a member of the workspace's organization.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import validation
from core.enums import Role, Source
from core.errors import NotFound, ValidationFailed
from core.models import Organization, SlackChannel, SlackUserLink, SlackWorkspace, User
from core.permissions import Actor
from core.services import members, organizations
from core.services.analytics_sql import Statement, as_uuid
from core.services.projects import load_project


@dataclass(frozen=True)
class SlackProfile:
    team_id: str
    slack_user_id: str
    name: str
    email: str | None = None
    timezone: str = "UTC"


async def organization_for_team(team_id: str) -> uuid.UUID | None:
    """The organization a workspace works in, or None for a workspace never seen."""
    rows = await SlackWorkspace.filter(
        team_id=team_id, is_active=True, organization__is_active=True
    ).values_list("organization_id", flat=True)
    return rows[0] if rows else None


async def active_team_ids() -> list[str]:
    """Every workspace TeamFlow works in (the CLI's default when only one)."""
    return list(await SlackWorkspace.filter(is_active=True).values_list("team_id", flat=True))


async def connect_workspace(
    team_id: str,
    *,
    team_name: str,
    first_user: SlackProfile,
    organization_id: uuid.UUID | None = None,
    bot_user_id: str = "",
) -> uuid.UUID:
    """Link a workspace to an organization, creating one with `first_user` as its owner.

    Used on first contact in single-workspace mode and when an installation completes.
    A workspace that was disconnected (uninstalled) comes back to its organization.
    """
    existing = await SlackWorkspace.get_or_none(team_id=team_id)
    if organization_id is None and existing is not None:
        if existing.is_active:
            return existing.organization_id  # type: ignore[attr-defined]
        previous = existing.organization_id  # type: ignore[attr-defined]
        if await Organization.filter(id=previous, is_active=True).exists():
            organization_id = previous  # reinstalled: back to the organization it had
    if organization_id is None:
        owner = await _user_for_profile(first_user)
        org, _ = await organizations.create_organization(
            owner_id=owner.id,
            name=team_name or f"Slack {team_id}",
            source=Source.SLACK,
            timezone=_zone(first_user.timezone),
        )
        organization_id = org.id
        await _link(first_user, owner.id, organization_id)
    elif not await Organization.filter(id=organization_id, is_active=True).exists():
        raise NotFound("No such organization")
    if existing is None:
        try:
            await SlackWorkspace.create(
                team_id=team_id,
                team_name=team_name,
                organization_id=organization_id,
                bot_user_id=bot_user_id,
            )
        except IntegrityError:
            pass  # a concurrent first contact linked it; it wins
    else:
        existing.organization_id = organization_id  # type: ignore[attr-defined]
        existing.is_active, existing.team_name = True, team_name or existing.team_name
        existing.bot_user_id = bot_user_id or existing.bot_user_id
        await existing.save()
    return organization_id


async def disconnect_workspace(team_id: str) -> bool:
    """The app was uninstalled: the workspace stops acting; its organization's data stays."""
    return bool(await SlackWorkspace.filter(team_id=team_id).update(is_active=False))


async def linked_actor(team_id: str, slack_user_id: str) -> Actor | None:
    """The actor of an already-linked Slack user, without asking Slack anything."""
    found = await linked_member(team_id, slack_user_id)
    return None if found is None else found.actor


@dataclass(frozen=True)
class LinkedMember:
    actor: Actor
    timezone: str


async def linked_member(team_id: str, slack_user_id: str) -> LinkedMember | None:
    """`linked_actor` and the person's time zone in one statement (every Slack command
    starts here): the link, an active user, an active membership, a live organization."""
    q = Statement()
    sql = f"""
        SELECT u.id AS user_id, m.organization_id AS organization_id, m.role AS role,
            u.timezone AS timezone
        FROM slack_user_links s
        JOIN users u ON u.id = s.user_id
        JOIN memberships m ON m.user_id = s.user_id AND m.organization_id = s.organization_id
        JOIN organizations o ON o.id = m.organization_id
        WHERE s.team_id = {q.bind(team_id)} AND s.slack_user_id = {q.bind(slack_user_id)}
            AND u.is_active = {q.bind(True)} AND m.is_active = {q.bind(True)}
            AND o.is_active = {q.bind(True)}
        LIMIT 1"""
    rows = await q.rows(sql)
    if not rows:
        return None
    row = rows[0]
    actor = Actor(
        as_uuid(row["user_id"]),
        as_uuid(row["organization_id"]),
        Role(row["role"]),
        Source.SLACK,
    )
    return LinkedMember(actor=actor, timezone=row["timezone"])


async def actor_for_profile(profile: SlackProfile, *, organization_id: uuid.UUID) -> Actor:
    """Link a Slack user on first contact and make them a member; returns their actor."""
    user = await _user_for_profile(profile)
    async with in_transaction():
        await _link(profile, user.id, organization_id)
        role = await members.ensure_member(organization_id=organization_id, user_id=user.id)
    return Actor(user.id, organization_id, role, Source.SLACK)


async def user_for_slack_id(team_id: str, slack_user_id: str) -> uuid.UUID | None:
    rows = await SlackUserLink.filter(team_id=team_id, slack_user_id=slack_user_id).values_list(
        "user_id", flat=True
    )
    return rows[0] if rows else None


async def slack_ids(team_id: str, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Slack user ids of TeamFlow users in one workspace, for `<@U…>` mentions in cards."""
    if not user_ids:
        return {}
    rows = await SlackUserLink.filter(team_id=team_id, user_id__in=list(user_ids)).values_list(
        "user_id", "slack_user_id"
    )
    return {user_id: slack_id for user_id, slack_id in rows}


async def set_channel_project(actor: Actor, *, team_id: str, channel_id: str, project: str) -> str:
    """Make `project` the default for `/task add` in a channel; returns its key."""
    actor.require("project:update")
    target = await load_project(actor, project)
    row, _ = await SlackChannel.get_or_create(
        team_id=team_id,
        channel_id=channel_id,
        defaults={"organization_id": actor.organization_id},
    )
    row.default_project_id = target.id  # type: ignore[attr-defined]
    await row.save()
    return target.key


async def channel_project(team_id: str, channel_id: str) -> str | None:
    row = await SlackChannel.get_or_none(team_id=team_id, channel_id=channel_id).select_related(
        "default_project"
    )
    if row is None or row.default_project is None or not row.default_project.is_active:
        return None
    return row.default_project.key


async def _user_for_profile(profile: SlackProfile) -> User:
    link = await SlackUserLink.get_or_none(
        team_id=profile.team_id, slack_user_id=profile.slack_user_id
    ).select_related("user")
    if link is not None:
        return link.user
    email = _email(profile.email)
    if email:
        existing = await User.get_or_none(email=email, is_active=True)
        if existing is not None:
            return existing
    name = (profile.name or profile.slack_user_id).strip()[:120] or profile.slack_user_id
    try:
        return await User.create(email=email, name=name, timezone=_zone(profile.timezone))
    except IntegrityError:
        return await User.get(email=email)


async def _link(profile: SlackProfile, user_id: uuid.UUID, organization_id: uuid.UUID) -> None:
    try:
        await SlackUserLink.get_or_create(
            team_id=profile.team_id,
            slack_user_id=profile.slack_user_id,
            defaults={"user_id": user_id, "organization_id": organization_id},
        )
    except IntegrityError:
        pass  # linked by a concurrent first contact


def _email(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return validation.email(value)
    except ValidationFailed:
        return None


def _zone(value: str) -> str:
    try:
        return validation.timezone(value)
    except ValidationFailed:
        return "UTC"


async def link_workspace(team_id: str, *, organization: str, team_name: str = "") -> str:
    """Point a workspace at an existing organization (by id or slug); returns its name."""
    try:
        org = await Organization.get_or_none(id=uuid.UUID(organization), is_active=True)
    except ValueError:
        org = await Organization.get_or_none(slug=organization, is_active=True)
    if org is None:
        raise NotFound(f"No organization {organization}")
    await connect_workspace(
        team_id,
        team_name=team_name,
        organization_id=org.id,
        first_user=SlackProfile(team_id=team_id, slack_user_id="", name=""),
    )
    return org.name
