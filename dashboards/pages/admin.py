"""The admin area: members and roles, Slack, digests, webhooks and API tokens.

Everyone sees the members, the Slack workspaces and the digest schedules; forms appear
only for what the signed-in role may change. Integrations (webhook endpoints and their
delivery log, outbound webhooks, API tokens) are shown to admins and owners only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.views import ApiTokenView, MemberView, OutboundDeliveryView, OutboundWebhookView
from dashboards.pages.chrome import Chrome
from dashboards.pages.environment import render

REPLAYABLE = frozenset({"received", "failed", "ignored"})


@dataclass(frozen=True)
class EndpointLog:
    """An inbound endpoint, its public URL and its latest deliveries."""

    endpoint: Any  # core.services.webhook_endpoints.EndpointView
    url: str
    deliveries: tuple[Any, ...]  # core.services.webhook_deliveries.DeliveryView


@dataclass(frozen=True)
class OutboundLog:
    webhook: OutboundWebhookView
    deliveries: tuple[OutboundDeliveryView, ...]


@dataclass(frozen=True, kw_only=True)
class AdminPage:
    my_user_id: str
    members: tuple[MemberView, ...]
    grantable_roles: tuple[str, ...] = ()
    workspaces: tuple[Any, ...] = ()  # core.services.slack_workspaces.WorkspaceStatus
    schedules: tuple[Any, ...] = ()  # core.services.digests.ScheduleView
    manages_integrations: bool = False
    endpoints: tuple[EndpointLog, ...] = ()
    outbound: tuple[OutboundLog, ...] = ()
    tokens: tuple[ApiTokenView, ...] = ()
    token_roles: tuple[str, ...] = ()
    new_token: str | None = None

    @property
    def changes_roles(self) -> bool:
        return bool(self.grantable_roles)


def render_admin(chrome: Chrome, page: AdminPage) -> str:
    """The admin page; `page.new_token` is shown once, right after it was created."""
    return render("admin.html", chrome=chrome, page=page, replayable=REPLAYABLE)
