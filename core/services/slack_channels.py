"""Channels following projects, and Slack messages filed as tasks (each at most once)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from core.errors import ValidationFailed
from core.models import SlackMessageTask, SlackSubscription, SlackWorkspace
from core.permissions import Actor
from core.services.projects import load_project

EVENT_KINDS = ("created", "assigned", "completed", "commented")


@dataclass(frozen=True)
class Subscription:
    team_id: str
    channel_id: str
    project_key: str
    events: tuple[str, ...]


async def subscribe(
    actor: Actor, *, team_id: str, channel_id: str, project: str, events: tuple[str, ...] = ()
) -> Subscription:
    """Make a channel follow a project; subscribing again replaces the kinds of change."""
    actor.require("project:read")
    actor.require("task:create")
    chosen = tuple(e for e in EVENT_KINDS if e in events) if events else EVENT_KINDS
    unknown = set(events) - set(EVENT_KINDS)
    if unknown:
        allowed = ", ".join(EVENT_KINDS)
        raise ValidationFailed.on("events", f"unknown {', '.join(sorted(unknown))} (use {allowed})")
    target = await load_project(actor, project)
    row, _ = await SlackSubscription.get_or_create(
        team_id=team_id,
        channel_id=channel_id,
        project_id=target.id,
        defaults={"organization_id": actor.organization_id, "events": ",".join(chosen)},
    )
    row.events = ",".join(chosen)
    await row.save(update_fields=["events", "updated_at"])
    return Subscription(team_id, channel_id, target.key, chosen)


async def unsubscribe(actor: Actor, *, team_id: str, channel_id: str, project: str) -> bool:
    actor.require("task:create")
    target = await load_project(actor, project)
    deleted = await SlackSubscription.filter(
        team_id=team_id, channel_id=channel_id, project_id=target.id
    ).delete()
    return bool(deleted)


async def subscribers(project_id: uuid.UUID, kind: str) -> list[Subscription]:
    rows = await SlackSubscription.filter(project_id=project_id).select_related("project")
    return [
        Subscription(r.team_id, r.channel_id, r.project.key, tuple(r.events.split(",")))
        for r in rows
        if kind in r.events.split(",")
    ]


async def teams_of(organization_id: uuid.UUID) -> list[str]:
    return list(
        await SlackWorkspace.filter(organization_id=organization_id, is_active=True).values_list(
            "team_id", flat=True
        )
    )


async def claim_message(actor: Actor, *, team_id: str, channel_id: str, message_ts: str) -> bool:
    """True for the first claim of a message; every later claim (another reaction) is False."""
    try:
        await SlackMessageTask.create(
            organization_id=actor.organization_id,
            team_id=team_id,
            channel_id=channel_id,
            message_ts=message_ts,
        )
    except IntegrityError:
        return False
    return True


async def record_message_task(
    *,
    team_id: str,
    channel_id: str,
    message_ts: str,
    task_id: uuid.UUID | None,
    permalink: str = "",
) -> None:
    """Attach the created task to a claimed message, or release the claim when creation failed."""
    query = SlackMessageTask.filter(team_id=team_id, channel_id=channel_id, message_ts=message_ts)
    if task_id is None:
        await query.delete()
    else:
        await query.update(task_id=task_id, permalink=permalink[:500])


async def task_for_message(*, team_id: str, channel_id: str, message_ts: str) -> uuid.UUID | None:
    rows = await SlackMessageTask.filter(
        team_id=team_id, channel_id=channel_id, message_ts=message_ts
    ).values_list("task_id", flat=True)
    return rows[0] if rows else None
