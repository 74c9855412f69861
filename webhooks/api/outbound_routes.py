"""/api/v1 outbound webhooks: URLs that receive signed task events. Admins only."""

from __future__ import annotations

import uuid

from quart import Blueprint
from quart_schema import tag, validate_querystring, validate_request, validate_response

from core.services import outbound_webhooks
from webhooks.api.inputs import OutboundWebhookIn, OutboundWebhookPatchIn, PageQuery
from webhooks.api.outputs import (
    Empty,
    OutboundDeliveryOut,
    OutboundWebhookCreatedOut,
    OutboundWebhookOut,
)
from webhooks.auth.caller import current_actor
from webhooks.envelope import Envelope, ok
from webhooks.runtime import runtime

blueprint = Blueprint("outbound_webhooks", __name__, url_prefix="/api/v1")
TAGS = ["outbound webhooks"]


@blueprint.get("/organizations/<uuid:organization_id>/outbound-webhooks")
@tag(TAGS)
@validate_response(Envelope[list[OutboundWebhookOut]], 200)
async def list_webhooks(organization_id: uuid.UUID) -> dict:
    """Every outbound webhook of the organization (never its secret)."""
    actor = await current_actor(organization_id)
    views = await outbound_webhooks.list_webhooks(actor)
    return ok([OutboundWebhookOut.of(view) for view in views])


@blueprint.post("/organizations/<uuid:organization_id>/outbound-webhooks")
@tag(TAGS)
@validate_request(OutboundWebhookIn)
@validate_response(Envelope[OutboundWebhookCreatedOut], 201)
async def create_webhook(organization_id: uuid.UUID, data: OutboundWebhookIn) -> tuple[dict, int]:
    """Subscribe a URL to task events; `data.secret` signs every delivery and is shown once."""
    actor = await current_actor(organization_id)
    secret, view = await outbound_webhooks.create_webhook(
        actor,
        url=data.url,
        events=data.events,
        payload_format=data.payload_format,
        secret_key=runtime().settings.secret_key,
    )
    return ok(OutboundWebhookCreatedOut.with_secret(view, secret)), 201


@blueprint.get("/outbound-webhooks/<uuid:webhook_id>")
@tag(TAGS)
@validate_response(Envelope[OutboundWebhookOut], 200)
async def get_webhook(webhook_id: uuid.UUID) -> dict:
    actor = await current_actor()
    return ok(OutboundWebhookOut.of(await outbound_webhooks.get_webhook(actor, webhook_id)))


@blueprint.patch("/outbound-webhooks/<uuid:webhook_id>")
@tag(TAGS)
@validate_request(OutboundWebhookPatchIn)
@validate_response(Envelope[OutboundWebhookOut], 200)
async def update_webhook(webhook_id: uuid.UUID, data: OutboundWebhookPatchIn) -> dict:
    """Change the URL, events or format; `is_active: true` re-enables a disabled webhook."""
    actor = await current_actor()
    view = await outbound_webhooks.update_webhook(
        actor,
        webhook_id,
        url=data.url,
        events=data.events,
        payload_format=data.payload_format,
        is_active=data.is_active,
    )
    return ok(OutboundWebhookOut.of(view))


@blueprint.delete("/outbound-webhooks/<uuid:webhook_id>")
@tag(TAGS)
@validate_response(Envelope[Empty], 200)
async def delete_webhook(webhook_id: uuid.UUID) -> dict:
    """Stop sending to the URL; its delivery history goes with it."""
    actor = await current_actor()
    await outbound_webhooks.delete_webhook(actor, webhook_id)
    return ok(Empty())


@blueprint.get("/outbound-webhooks/<uuid:webhook_id>/deliveries")
@tag(TAGS)
@validate_querystring(PageQuery)
@validate_response(Envelope[list[OutboundDeliveryOut]], 200)
async def list_deliveries(webhook_id: uuid.UUID, query_args: PageQuery) -> dict:
    """The webhook's deliveries, newest first: status, attempts and the last response."""
    actor = await current_actor()
    views = await outbound_webhooks.list_deliveries(actor, webhook_id, limit=query_args.limit)
    return ok([OutboundDeliveryOut.of(view) for view in views])
