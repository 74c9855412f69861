"""Reading the activity log in order, for consumers that act on every change.

Slack notifications (and later outbound webhooks and live updates) read the log after
their cursor and advance it when done; a change made through any door is seen the same
way, and a crash between "saved" and "notified" loses nothing (it is delivered again).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from tortoise.expressions import Q

from core.clock import utcnow
from core.enums import Role, Source
from core.models import Activity, ActivityCursor
from core.permissions import Actor
from core.services.mapping import activity_view
from core.views import ActivityView

NOBODY = uuid.UUID(int=0)


def reader(organization_id: uuid.UUID) -> Actor:
    """A read-only actor for background consumers acting on an organization's behalf."""
    return Actor(NOBODY, organization_id, Role.VIEWER, Source.SYSTEM)


async def read_after(name: str, *, limit: int = 200) -> list[ActivityView]:
    """Activity after the consumer's cursor, oldest first. A new consumer starts from now."""
    cursor, created = await ActivityCursor.get_or_create(
        name=name, defaults={"last_created_at": utcnow()}
    )
    if created or cursor.last_created_at is None:
        return []
    query = Activity.filter(
        Q(created_at__gt=cursor.last_created_at)
        | (Q(created_at=cursor.last_created_at) & Q(id__gt=cursor.last_activity_id or NOBODY))
    )
    rows = await query.select_related("actor").order_by("created_at", "id").limit(limit)
    return [activity_view(row) for row in rows]


async def advance(name: str, *, to: ActivityView) -> None:
    await ActivityCursor.filter(name=name).update(
        last_created_at=to.created_at, last_activity_id=to.id, updated_at=utcnow()
    )


async def cursor_position(name: str) -> datetime | None:
    row = await ActivityCursor.get_or_none(name=name)
    return row.last_created_at if row else None
