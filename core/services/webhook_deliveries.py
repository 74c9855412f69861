"""Inbound deliveries: stored before they are processed, deduplicated by the sender's
delivery id, processed through the ordinary services, replayable when they failed.

`receive` only writes the delivery row, so the web door can answer 503 when the database
is down and a 2xx only for something stored. `process` never raises: whatever goes wrong
while applying the actions is recorded on the delivery as `failed` with its error text,
and `replay_delivery` (API) or `teamflow webhooks replay` (CLI) runs it again.

A new delivery is the hot path (a busy repository sends many): it is one INSERT to store
it and one UPDATE to claim it, written as SQL (`core.services.analytics_sql.Statement`)
because building them through the ORM cost several times what the database spent on
them; the answer is made from what the claim wrote, not read back.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from core.clock import utcnow
from core.db import database_unavailable
from core.errors import Conflict, NotFound
from core.models import WebhookDelivery, WebhookEndpoint
from core.permissions import Actor
from core.services.activity import record
from core.services.analytics_sql import Statement
from core.services.inbound_apply import apply
from core.services.inbound_endpoints import ENDPOINTS, InboundEndpoint
from core.services.inbound_targets import Target
from core.services.webhook_endpoints import MANAGE, load_endpoint

log = logging.getLogger(__name__)

RECEIVED, PROCESSED, IGNORED, FAILED = "received", "processed", "ignored", "failed"
REPLAYABLE = frozenset({RECEIVED, FAILED, IGNORED})
MAX_PAGE = 200

# (provider, event, stored headers, raw body) -> actions; [] means "not an event we use".
ActionsOf = Callable[[str, str, Mapping[str, str], bytes], list[Any]]


@dataclass(frozen=True)
class DeliveryView:
    id: uuid.UUID
    endpoint_id: uuid.UUID
    provider: str
    event: str
    delivery_id: str
    status: str
    error: str
    attempts: int
    headers: dict[str, str]
    created_at: datetime
    processed_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class StoredDelivery:
    """A delivery as stored: what `process` reads."""

    id: uuid.UUID
    endpoint_id: uuid.UUID
    provider: str
    event: str
    delivery_id: str
    status: str
    error: str
    attempts: int
    headers: dict[str, str]
    body: str
    created_at: datetime
    processed_at: datetime | None


def delivery_view(row: WebhookDelivery | StoredDelivery) -> DeliveryView:
    return DeliveryView(**_delivery_fields(row))


def stored_delivery(row: WebhookDelivery) -> StoredDelivery:
    return StoredDelivery(**_delivery_fields(row), body=row.body)


def _delivery_fields(row: WebhookDelivery | StoredDelivery) -> dict[str, Any]:
    return {
        "id": row.id,
        "endpoint_id": row.endpoint_id,  # type: ignore[union-attr]
        "provider": row.provider,
        "event": row.event,
        "delivery_id": row.delivery_id,
        "status": row.status,
        "error": row.error,
        "attempts": row.attempts,
        "headers": dict(row.headers or {}),
        "created_at": row.created_at,
        "processed_at": row.processed_at,
    }


async def receive(
    endpoint: InboundEndpoint,
    *,
    event: str,
    delivery_id: str,
    headers: Mapping[str, str],
    body: str,
) -> tuple[StoredDelivery, bool]:
    """Store the delivery (status `received`); True when new. A delivery id seen before on
    this endpoint answers the stored row and False: it is not processed again.

    One INSERT that does nothing on a repeated (endpoint, delivery id), so a new delivery,
    the common case, costs one statement and a repeat arriving at the same moment as the
    original is told apart by the unique key, not by a read before the write."""
    now = utcnow()
    delivery = StoredDelivery(
        id=uuid.uuid4(),
        endpoint_id=endpoint.id,
        provider=endpoint.provider,
        event=event[:64],
        delivery_id=delivery_id[:128],
        status=RECEIVED,
        error="",
        attempts=0,
        headers=dict(headers),
        body=body,
        created_at=now,
        processed_at=None,
    )
    if not await _insert(delivery, organization_id=endpoint.organization_id):
        existing = await WebhookDelivery.get(
            endpoint_id=endpoint.id, delivery_id=delivery.delivery_id
        )
        return stored_delivery(existing), False
    if ENDPOINTS.stamp_due(endpoint.id):
        await WebhookEndpoint.filter(id=endpoint.id).update(last_delivery_at=now)
    return delivery, True


async def _insert(delivery: StoredDelivery, *, organization_id: uuid.UUID) -> bool:
    """True when stored; False when the endpoint already has this delivery id."""
    q = Statement()
    now = q.bind(delivery.created_at)
    values = [
        q.bind(delivery.id),
        now,
        now,
        q.bind(organization_id),
        q.bind(delivery.endpoint_id),
        q.bind(delivery.provider),
        q.bind(delivery.event),
        q.bind(delivery.delivery_id),
        q.bind(json.dumps(delivery.headers, separators=(",", ":"))),
        q.bind(delivery.body),
        q.bind(delivery.status),
        q.bind(delivery.error),
        q.bind(delivery.attempts),
    ]
    rows = await q.rows(
        "INSERT INTO webhook_deliveries (id, created_at, updated_at, organization_id, "
        "endpoint_id, provider, event, delivery_id, headers, body, status, error, attempts) "
        f"VALUES ({', '.join(values)}) "
        "ON CONFLICT (endpoint_id, delivery_id) DO NOTHING RETURNING id"
    )
    return bool(rows)


class _Taken(Exception):
    """Another request or replay claimed the delivery first."""


async def process(
    delivery: StoredDelivery, actions_of: ActionsOf, *, target: Target | None = None
) -> DeliveryView:
    """Apply the delivery's actions and record the outcome in one transaction that first
    claims the row (a compare-and-set on its attempt count): the delivery is applied once
    even when a redelivery or a replay runs at the same moment, and a process that dies
    midway leaves nothing applied and the row unclaimed for the next attempt.

    `target` is where the endpoint files its work, when the caller has the endpoint at
    hand (the inbound door does); otherwise it is read."""
    if target is None:
        target = await _target_of(delivery.endpoint_id)
    now = utcnow()
    status, error, actions = PROCESSED, "", []
    try:
        actions = actions_of(
            delivery.provider, delivery.event, delivery.headers, delivery.body.encode()
        )
    except Exception as exc:  # a body that no longer parses: recorded, replayable
        status, error = FAILED, f"{type(exc).__name__}: {exc}"[:2000]
    if status == PROCESSED and not actions:
        status = IGNORED
        log.info("webhook event ignored: %s %s", delivery.provider, delivery.event)
    try:
        async with in_transaction():
            if not await _claim(delivery, status=status, error=error, now=now):
                raise _Taken
            if actions and status == PROCESSED:
                await apply(target, actions)
    except _Taken:
        return delivery_view(await WebhookDelivery.get(id=delivery.id))
    except Exception as exc:  # rolled back: nothing applied; recorded, replayable
        if database_unavailable(exc):
            raise  # the row stays unclaimed: the sender's retry (or a replay) finishes it
        status, error = FAILED, f"{type(exc).__name__}: {exc}"[:2000]
        log.warning("webhook delivery %s failed: %s", delivery.id, error)
        if not await _claim(delivery, status=status, error=error, now=now):
            return delivery_view(await WebhookDelivery.get(id=delivery.id))
    return delivery_view(
        replace(
            delivery, status=status, error=error, attempts=delivery.attempts + 1, processed_at=now
        )
    )


async def _claim(delivery: StoredDelivery, *, status: str, error: str, now: datetime) -> bool:
    """Record the outcome if the row is still as `delivery` saw it and replayable."""
    q = Statement()
    at = q.bind(now)
    rows = await q.rows(
        f"UPDATE webhook_deliveries SET status = {q.bind(status)}, error = {q.bind(error)}, "
        f"attempts = {q.bind(delivery.attempts + 1)}, processed_at = {at}, updated_at = {at} "
        f"WHERE id = {q.bind(delivery.id)} AND attempts = {q.bind(delivery.attempts)} "
        f"AND status IN ({q.bind_all(sorted(REPLAYABLE))}) RETURNING id"
    )
    return bool(rows)


async def _target_of(endpoint_id: uuid.UUID) -> Target:
    endpoint = await WebhookEndpoint.get(id=endpoint_id)
    return Target(
        provider=endpoint.provider,
        organization_id=endpoint.organization_id,  # type: ignore[attr-defined]
        project_id=endpoint.project_id,  # type: ignore[attr-defined]
        creator_id=endpoint.created_by_id,  # type: ignore[attr-defined]
    )


async def list_deliveries(
    actor: Actor,
    endpoint_id: uuid.UUID,
    *,
    limit: int = 50,
    status: str | None = None,
) -> list[DeliveryView]:
    """Newest first."""
    actor.require(MANAGE)
    endpoint = await load_endpoint(actor, endpoint_id)
    query = WebhookDelivery.filter(endpoint_id=endpoint.id)
    if status:
        query = query.filter(status=status)
    rows = await query.order_by("-created_at", "-id").limit(max(1, min(limit, MAX_PAGE)))
    return [delivery_view(row) for row in rows]


async def get_delivery(actor: Actor, delivery_id: uuid.UUID) -> DeliveryView:
    actor.require(MANAGE)
    return delivery_view(await _load(actor, delivery_id))


async def replay_delivery(
    actor: Actor, delivery_id: uuid.UUID, actions_of: ActionsOf
) -> DeliveryView:
    """Process a failed (or ignored, or never finished) delivery again; a processed one is
    a Conflict, so a replay cannot apply the same change twice."""
    actor.require(MANAGE)
    delivery = await _load(actor, delivery_id)
    if delivery.status not in REPLAYABLE:
        raise Conflict(f"The delivery was already {delivery.status}; only failed ones replay")
    async with in_transaction():
        await record(
            actor,
            action="webhook_delivery.replayed",
            entity_type="webhook_delivery",
            entity_id=delivery.id,
            changes={"status": {"from": delivery.status, "to": "replaying"}},
        )
    return await process(stored_delivery(delivery), actions_of)


async def replay_failed(
    actions_of: ActionsOf, *, endpoint_id: uuid.UUID | None = None, limit: int = 500
) -> list[DeliveryView]:
    """Every failed delivery (of one endpoint, or all), oldest first: for the CLI."""
    query = WebhookDelivery.filter(status=FAILED)
    if endpoint_id is not None:
        query = query.filter(endpoint_id=endpoint_id)
    rows = await query.order_by("created_at", "id").limit(limit)
    return [await process(stored_delivery(row), actions_of) for row in rows]


async def replay_by_id(delivery_id: uuid.UUID, actions_of: ActionsOf) -> DeliveryView:
    """One delivery by id, whatever its organization: for the operator's CLI."""
    row = await WebhookDelivery.get_or_none(id=delivery_id)
    if row is None:
        raise NotFound(f"No delivery {delivery_id}")
    if row.status not in REPLAYABLE:
        raise Conflict(f"The delivery was already {row.status}; only failed ones replay")
    return await process(stored_delivery(row), actions_of)


async def _load(actor: Actor, delivery_id: uuid.UUID) -> WebhookDelivery:
    row = await WebhookDelivery.get_or_none(id=delivery_id, organization_id=actor.organization_id)
    if row is None:
        raise NotFound("No such webhook delivery")
    return row


async def organization_of_delivery(delivery_id: uuid.UUID) -> uuid.UUID:
    found = await WebhookDelivery.filter(id=delivery_id).values_list("organization_id", flat=True)
    if not found:
        raise NotFound("No such webhook delivery")
    return found[0]  # type: ignore[return-value]
