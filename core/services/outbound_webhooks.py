"""Outbound webhooks: URLs an organization's admins subscribe to task events.

The signing secret is generated here, shown once, and kept encrypted with TokenCipher
(the caller passes the secret key). Sending is the delivery engine's job
(core.services.outbound_deliveries) and the sender's (webhooks.outbound).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from urllib.parse import urlsplit

from tortoise.transactions import in_transaction

from core.clock import utcnow
from core.crypto import TokenCipher
from core.errors import NotFound, ValidationFailed
from core.models import OutboundDelivery, OutboundWebhook
from core.permissions import Actor
from core.services import outbound_deliveries
from core.services.activity import diff, record
from core.services.mapping import user_view
from core.services.outbound_events import EVENT_KINDS, PAYLOAD_FORMATS
from core.views import OutboundDeliveryView, OutboundWebhookView

URL_MAX = 1000
MANAGE = "integration:manage"


async def create_webhook(
    actor: Actor,
    *,
    url: str,
    events: Iterable[str] | None = None,
    payload_format: str = "teamflow",
    secret_key: str,
) -> tuple[str, OutboundWebhookView]:
    """A new webhook: (its signing secret, shown only now; its view)."""
    actor.require(MANAGE)
    clean = {"url": _url(url), "events": _events(events), "payload_format": _format(payload_format)}
    secret = secrets.token_urlsafe(32)
    async with in_transaction():
        row = await OutboundWebhook.create(
            organization_id=actor.organization_id,
            created_by_id=actor.user_id,
            secret_encrypted=TokenCipher(secret_key).encrypt(secret),
            **clean,
        )
        await _record(actor, row, "outbound_webhook.created", diff({}, clean))
    await outbound_deliveries.start_cursor()
    return secret, await _view_of(row.id)


async def list_webhooks(actor: Actor) -> list[OutboundWebhookView]:
    """Every webhook of the actor's organization, newest first."""
    actor.require(MANAGE)
    rows = (
        await OutboundWebhook.filter(organization_id=actor.organization_id)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
    return [webhook_view(row) for row in rows]


async def get_webhook(actor: Actor, webhook_id: uuid.UUID) -> OutboundWebhookView:
    actor.require(MANAGE)
    return webhook_view(await _load(actor, webhook_id))


async def update_webhook(
    actor: Actor,
    webhook_id: uuid.UUID,
    *,
    url: str | None = None,
    events: Iterable[str] | None = None,
    payload_format: str | None = None,
    is_active: bool | None = None,
) -> OutboundWebhookView:
    """Change what is given. Re-enabling a disabled webhook clears its failure count."""
    actor.require(MANAGE)
    wanted: dict[str, object] = {}
    if url is not None:
        wanted["url"] = _url(url)
    if events is not None:
        wanted["events"] = _events(events)
    if payload_format is not None:
        wanted["payload_format"] = _format(payload_format)
    if is_active is not None:
        wanted["is_active"] = is_active
    async with in_transaction():
        row = await _load(actor, webhook_id)
        changed = diff({name: getattr(row, name) for name in wanted}, wanted)
        if changed:
            columns = {name: wanted[name] for name in changed}
            if changed.get("is_active", {}).get("to") is True:
                columns.update(consecutive_failures=0, disabled_at=None, disabled_reason="")
            await OutboundWebhook.filter(id=row.id).update(**columns, updated_at=utcnow())
            await _record(actor, row, "outbound_webhook.updated", changed)
    return await _view_of(webhook_id)


async def delete_webhook(actor: Actor, webhook_id: uuid.UUID) -> None:
    """Gone with its delivery history; nothing more is sent to it."""
    actor.require(MANAGE)
    async with in_transaction():
        row = await _load(actor, webhook_id)
        gone = {"url": {"from": row.url, "to": None}}
        await _record(actor, row, "outbound_webhook.deleted", gone)
        await row.delete()


async def list_deliveries(
    actor: Actor, webhook_id: uuid.UUID, *, limit: int = 100
) -> list[OutboundDeliveryView]:
    """The webhook's deliveries, newest first, with their last response."""
    actor.require(MANAGE)
    row = await _load(actor, webhook_id)
    rows = (
        await OutboundDelivery.filter(webhook_id=row.id)
        .order_by("-created_at", "-id")
        .limit(max(1, min(limit, 500)))
    )
    return [delivery_view(delivery) for delivery in rows]


def webhook_view(row: OutboundWebhook) -> OutboundWebhookView:
    """Needs `created_by` loaded."""
    return OutboundWebhookView(
        id=row.id,
        organization_id=row.organization_id,  # type: ignore[attr-defined]
        url=row.url,
        events=tuple(kind for kind in row.events.split(",") if kind),
        payload_format=row.payload_format,
        is_active=row.is_active,
        consecutive_failures=row.consecutive_failures,
        disabled_at=row.disabled_at,
        disabled_reason=row.disabled_reason,
        created_by=user_view(row.created_by),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def delivery_view(row: OutboundDelivery) -> OutboundDeliveryView:
    return OutboundDeliveryView(
        id=row.id,
        webhook_id=row.webhook_id,  # type: ignore[attr-defined]
        activity_id=row.activity_id,
        event=row.event,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_status_code=row.last_status_code,
        last_response=row.last_response,
        last_error=row.last_error,
        delivered_at=row.delivered_at,
        payload=row.payload,
        created_at=row.created_at,
    )


async def _load(actor: Actor, webhook_id: uuid.UUID) -> OutboundWebhook:
    row = await OutboundWebhook.get_or_none(
        id=webhook_id, organization_id=actor.organization_id
    ).select_related("created_by")
    if row is None:
        raise NotFound("No such outbound webhook")
    return row


async def _view_of(webhook_id: uuid.UUID) -> OutboundWebhookView:
    return webhook_view(await OutboundWebhook.get(id=webhook_id).select_related("created_by"))


async def _record(actor: Actor, row: OutboundWebhook, action: str, changes: dict) -> None:
    await record(
        actor,
        action=action,
        entity_type="outbound_webhook",
        entity_id=row.id,
        changes=changes,
    )


def _url(value: str) -> str:
    url = value.strip()
    if len(url) > URL_MAX or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ValidationFailed.on("url", f"must be a URL without spaces, at most {URL_MAX} long")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise ValidationFailed.on("url", "is not a valid URL") from None
    if parts.scheme not in {"http", "https"} or not host:
        raise ValidationFailed.on("url", "must be an http:// or https:// URL with a host")
    return url


def _events(values: Iterable[str] | None) -> str:
    if values is None:
        return ",".join(EVENT_KINDS)
    chosen = {value.strip().lower() for value in values}
    unknown = sorted(chosen - set(EVENT_KINDS))
    if unknown:
        raise ValidationFailed.on(
            "events", f"unknown events {', '.join(unknown)} (choose from {', '.join(EVENT_KINDS)})"
        )
    if not chosen:
        raise ValidationFailed.on("events", "choose at least one event")
    return ",".join(kind for kind in EVENT_KINDS if kind in chosen)


def _format(value: str) -> str:
    if value not in PAYLOAD_FORMATS:
        raise ValidationFailed.on("payload_format", f"must be one of {', '.join(PAYLOAD_FORMATS)}")
    return value
