"""Gathering the admin page's data through the services, as the signed-in role may see it."""

from __future__ import annotations

from dataclasses import replace

from core.enums import Role
from core.permissions import Actor
from core.services import (
    digest_schedules,
    members,
    outbound_webhooks,
    slack_workspaces,
    tokens,
    webhook_deliveries,
    webhook_endpoints,
)
from dashboards.pages import AdminPage, EndpointLog, OutboundLog
from webhooks.runtime import runtime

DELIVERIES_SHOWN = 10
ROLES = (Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER)


async def admin_page(actor: Actor, *, new_token: str | None = None) -> AdminPage:
    """Members, Slack and digests for everyone; integrations for admins and owners."""
    page = AdminPage(
        my_user_id=str(actor.user_id),
        members=tuple(await members.list_members(actor)),
        grantable_roles=_grantable(actor),
        workspaces=tuple(await slack_workspaces.list_workspaces(actor)),
        schedules=tuple(await digest_schedules.list_schedules(actor)),
    )
    if not actor.can("integration:manage"):
        return page
    return replace(
        page,
        manages_integrations=True,
        endpoints=tuple(await _endpoints(actor)),
        outbound=tuple(await _outbound(actor)),
        tokens=tuple(await tokens.list_api_tokens(actor)),
        token_roles=tuple(
            r.value for r in ROLES if tokens.ROLE_RANK[r] <= tokens.ROLE_RANK[actor.role]
        ),
        new_token=new_token,
    )


def _grantable(actor: Actor) -> tuple[str, ...]:
    """The roles this actor may give (an admin cannot touch the owner role)."""
    if not actor.can("member:update_role"):
        return ()
    return tuple(r.value for r in ROLES if r is not Role.OWNER or actor.can("member:grant_owner"))


async def _endpoints(actor: Actor) -> list[EndpointLog]:
    base = runtime().settings.base_url.rstrip("/")
    logs = []
    for endpoint in await webhook_endpoints.list_endpoints(actor):
        deliveries = await webhook_deliveries.list_deliveries(
            actor, endpoint.id, limit=DELIVERIES_SHOWN
        )
        url = f"{base}/webhooks/{endpoint.provider}/{endpoint.id}"
        logs.append(EndpointLog(endpoint=endpoint, url=url, deliveries=tuple(deliveries)))
    return logs


async def _outbound(actor: Actor) -> list[OutboundLog]:
    logs = []
    for webhook in await outbound_webhooks.list_webhooks(actor):
        deliveries = await outbound_webhooks.list_deliveries(
            actor, webhook.id, limit=DELIVERIES_SHOWN
        )
        logs.append(OutboundLog(webhook=webhook, deliveries=tuple(deliveries)))
    return logs
