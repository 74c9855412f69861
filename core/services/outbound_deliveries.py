"""The outbound delivery engine: events queued from the activity log, attempts recorded.

`enqueue_from_activity` reads the log after its own cursor and stores one delivery per
(webhook, activity row); the unique pair makes a repeated read harmless. The sender
(webhooks.outbound) asks for `due_deliveries`, posts them and reports each answer to
`record_attempt`, which schedules the retry (exponential backoff), gives up after
`max_attempts` ("dead"), and disables a webhook after `disable_after` dead deliveries in
a row, writing an `outbound_webhook.disabled` activity row so the organization sees why.
No HTTP here.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.clock import utcnow
from core.crypto import TokenCipher
from core.enums import Source
from core.errors import NotFound
from core.models import Activity, ActivityCursor, OutboundDelivery, OutboundWebhook
from core.services import activity_feed
from core.services.outbound_events import event_kind, slack_payload, teamflow_payload
from core.services.task_queries import get_task
from core.views import ActivityView, TaskView

log = logging.getLogger(__name__)
CURSOR = "outbound-webhooks"
RESPONSE_KEPT = 2000
PENDING, SUCCEEDED, DEAD = "pending", "succeeded", "dead"


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """Retry after base, base*factor, base*factor**2 ... seconds, at most `max_delay_seconds`."""

    base_seconds: float = 10.0
    factor: float = 3.0
    max_delay_seconds: float = 3600.0
    max_attempts: int = 8
    disable_after: int = 10

    def delay(self, failed_attempts: int) -> timedelta:
        """The wait after the `failed_attempts`-th failed attempt (1 for the first)."""
        seconds = self.base_seconds * self.factor ** max(0, failed_attempts - 1)
        return timedelta(seconds=min(seconds, self.max_delay_seconds))


@dataclass(frozen=True)
class DueDelivery:
    """What the sender needs to post one delivery; `secret` None if it cannot be decrypted."""

    id: uuid.UUID
    webhook_id: uuid.UUID
    url: str
    payload_format: str
    secret: str | None
    event: str
    payload: dict[str, Any]
    attempts: int


async def start_cursor() -> None:
    """Deliver what happens from now on (called when a webhook is created)."""
    await ActivityCursor.get_or_create(name=CURSOR, defaults={"last_created_at": utcnow()})


async def enqueue_from_activity(*, limit: int = 200, now: datetime | None = None) -> int:
    """Queue a delivery for every subscribed webhook of each new task event; how many."""
    events = await activity_feed.read_after(CURSOR, limit=limit)
    if not events:
        return 0
    hooks: dict[uuid.UUID, list[OutboundWebhook]] = defaultdict(list)
    organizations = {event.organization_id for event in events}
    for hook in await OutboundWebhook.filter(organization_id__in=organizations, is_active=True):
        hooks[hook.organization_id].append(hook)  # type: ignore[attr-defined]
    queued = 0
    for event in events:
        queued += await _enqueue(event, hooks[event.organization_id], now or utcnow())
    # Once per batch: a crash before this reads the batch again, and the unique
    # (webhook, activity row) pair keeps it from being queued twice.
    await activity_feed.advance(CURSOR, to=events[-1])
    return queued


async def due_deliveries(*, now: datetime, limit: int, secret_key: str) -> list[DueDelivery]:
    """Pending deliveries whose time has come, of active webhooks, oldest first."""
    rows = (
        await OutboundDelivery.filter(
            status=PENDING, next_attempt_at__lte=now, webhook__is_active=True
        )
        .select_related("webhook")
        .order_by("next_attempt_at", "created_at")
        .limit(limit)
    )
    cipher = TokenCipher(secret_key)
    return [
        DueDelivery(
            id=row.id,
            webhook_id=row.webhook.id,
            url=row.webhook.url,
            payload_format=row.webhook.payload_format,
            secret=cipher.decrypt(row.webhook.secret_encrypted),
            event=row.event,
            payload=row.payload,
            attempts=row.attempts,
        )
        for row in rows
    ]


async def record_attempt(
    delivery_id: uuid.UUID,
    *,
    status_code: int | None,
    response_text: str = "",
    error: str = "",
    now: datetime,
    policy: RetryPolicy,
) -> str:
    """Store one attempt's outcome (2xx succeeds) and return the delivery's new status."""
    row = await OutboundDelivery.get_or_none(id=delivery_id)
    if row is None or row.status != PENDING:
        return row.status if row else DEAD  # settled meanwhile, or deleted with its webhook
    attempts = row.attempts + 1
    succeeded = status_code is not None and 200 <= status_code < 300
    status = SUCCEEDED if succeeded else DEAD if attempts >= policy.max_attempts else PENDING
    await OutboundDelivery.filter(id=row.id).update(
        status=status,
        attempts=attempts,
        last_status_code=status_code,
        last_response=response_text[:RESPONSE_KEPT],
        last_error=error[:RESPONSE_KEPT],
        delivered_at=now if succeeded else None,
        next_attempt_at=now + policy.delay(attempts) if status == PENDING else None,
        updated_at=now,
    )
    webhook_id: uuid.UUID = row.webhook_id  # type: ignore[attr-defined]
    if succeeded:
        await OutboundWebhook.filter(id=webhook_id, consecutive_failures__gt=0).update(
            consecutive_failures=0
        )
    elif status == DEAD:
        await _count_failure(webhook_id, now=now, policy=policy)
    return status


async def _enqueue(event: ActivityView, candidates: list[OutboundWebhook], now: datetime) -> int:
    kind = event_kind(event)
    if kind is None or event.task_id is None:
        return 0
    hooks = [
        hook
        for hook in candidates
        if kind in hook.events.split(",") and hook.created_at <= event.created_at
    ]
    if not hooks:
        return 0
    try:
        task = await get_task(activity_feed.reader(event.organization_id), event.task_id)
    except NotFound:
        return 0  # deleted since
    done = set(
        await OutboundDelivery.filter(
            activity_id=event.id, webhook_id__in=[hook.id for hook in hooks]
        ).values_list("webhook_id", flat=True)
    )
    queued = 0
    for hook in hooks:
        if hook.id not in done:
            queued += await _store(hook, kind=kind, event=event, task=task, now=now)
    return queued


async def _store(
    hook: OutboundWebhook, *, kind: str, event: ActivityView, task: TaskView, now: datetime
) -> int:
    delivery_id = uuid.uuid4()
    if hook.payload_format == "slack":
        payload = slack_payload(kind=kind, event=event, task=task)
    else:
        payload = teamflow_payload(delivery_id=delivery_id, kind=kind, event=event, task=task)
    try:
        await OutboundDelivery.create(
            id=delivery_id,
            organization_id=event.organization_id,
            webhook_id=hook.id,
            activity_id=event.id,
            event=f"task.{kind}",
            payload=payload,
            next_attempt_at=now,
        )
    except IntegrityError:
        return 0  # queued by another process in the meantime
    return 1


async def _count_failure(webhook_id: uuid.UUID, *, now: datetime, policy: RetryPolicy) -> None:
    await OutboundWebhook.filter(id=webhook_id).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    hook = await OutboundWebhook.get_or_none(id=webhook_id)
    if hook is None or not hook.is_active or hook.consecutive_failures < policy.disable_after:
        return
    reason = f"{hook.consecutive_failures} deliveries in a row failed after every retry"
    async with in_transaction():
        disabled = await OutboundWebhook.filter(id=webhook_id, is_active=True).update(
            is_active=False, disabled_at=now, disabled_reason=reason, updated_at=now
        )
        if disabled:
            await Activity.create(
                organization_id=hook.organization_id,  # type: ignore[attr-defined]
                actor_id=None,
                source=Source.SYSTEM.value,
                action="outbound_webhook.disabled",
                entity_type="outbound_webhook",
                entity_id=hook.id,
                changes={
                    "is_active": {"from": True, "to": False},
                    "disabled_reason": {"from": "", "to": reason},
                },
            )
    if disabled:
        log.warning("outbound webhook %s to %s disabled: %s", hook.id, hook.url, reason)
