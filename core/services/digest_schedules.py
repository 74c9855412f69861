"""Listing an organization's channel digest schedules (for the admin pages)."""

from __future__ import annotations

from core.models import DigestSchedule
from core.permissions import Actor
from core.services.digests import ScheduleView


async def list_schedules(actor: Actor) -> list[ScheduleView]:
    """Every active channel digest of the organization, by workspace and channel."""
    actor.require("organization:read")
    rows = (
        await DigestSchedule.filter(organization_id=actor.organization_id, is_active=True)
        .select_related("project")
        .order_by("team_id", "channel_id")
    )
    return [
        ScheduleView(
            organization_id=actor.organization_id,
            team_id=row.team_id,
            channel_id=row.channel_id,
            project_id=row.project_id,  # type: ignore[attr-defined]
            project_key=row.project.key if row.project else None,
            time_of_day=row.time_of_day,
            timezone=row.timezone,
            days=row.days,
            include_empty=row.include_empty,
        )
        for row in rows
    ]
