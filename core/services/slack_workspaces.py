"""The Slack side of an organization as its admins see it: which workspaces it works in,
and whether each has an installed bot (multi-workspace mode keeps one per workspace)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.models import SlackInstallation, SlackWorkspace
from core.permissions import Actor


@dataclass(frozen=True)
class WorkspaceStatus:
    team_id: str
    team_name: str
    is_active: bool
    connected_at: datetime
    installed_at: datetime | None
    bot_scopes: str


async def list_workspaces(actor: Actor) -> list[WorkspaceStatus]:
    """The organization's Slack workspaces, active first; never a bot token."""
    actor.require("organization:read")
    rows = await SlackWorkspace.filter(organization_id=actor.organization_id).order_by(
        "-is_active", "team_name"
    )
    installs = {
        row.team_id: row
        for row in await SlackInstallation.filter(
            team_id__in=[r.team_id for r in rows], is_active=True
        ).order_by("installed_at")
    }
    return [
        WorkspaceStatus(
            team_id=row.team_id,
            team_name=row.team_name,
            is_active=row.is_active,
            connected_at=row.created_at,
            installed_at=installs[row.team_id].installed_at if row.team_id in installs else None,
            bot_scopes=installs[row.team_id].bot_scopes if row.team_id in installs else "",
        )
        for row in rows
    ]
