"""Sending outbound webhooks: signed POSTs of the deliveries core has queued.

Every request carries `X-TeamFlow-Event`, `X-TeamFlow-Delivery`, `X-TeamFlow-Timestamp`
and `X-TeamFlow-Signature: v1=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>`, the
scheme TeamFlow's generic inbound webhook verifies. Slack-format targets (a Slack
incoming-webhook URL) ignore the headers; they are sent anyway. Redirects are not
followed: a 3xx is a failed attempt, so a webhook cannot be bounced to another host.
A cache lock lets one web process send each round, as for Slack notifications.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime

import aiohttp

from core.background_work import pause
from core.cache import Cache, LockNotAcquired
from core.clock import utcnow
from core.services import outbound_deliveries
from core.services.outbound_deliveries import DueDelivery, RetryPolicy

log = logging.getLogger(__name__)
LOCK = "outbound-webhooks"
LOCK_SECONDS = 300
USER_AGENT = "TeamFlow-Webhooks/1"
RESPONSE_READ_BYTES = 8192
RESPONSE_KEPT = 2000


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """`v1=` and the hex HMAC-SHA256 of `{timestamp}.{body}` under the webhook's secret."""
    message = f"{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def encode(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def signed_headers(delivery: DueDelivery, body: bytes, *, timestamp: int) -> dict[str, str]:
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-TeamFlow-Event": delivery.event,
        "X-TeamFlow-Delivery": str(delivery.id),
        "X-TeamFlow-Timestamp": str(timestamp),
    }
    if delivery.secret is not None:
        headers["X-TeamFlow-Signature"] = sign(delivery.secret, timestamp, body)
    return headers


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    response_text: str = ""
    error: str = ""


@dataclass(frozen=True)
class Round:
    queued: int
    sent: int
    succeeded: int


class Dispatcher:
    """Queues deliveries from the activity log and sends the due ones, a round at a time."""

    def __init__(
        self,
        cache: Cache,
        secret_key: str,
        *,
        policy: RetryPolicy | None = None,
        timeout: float = 10.0,
        concurrency: int = 8,
        batch: int = 100,
    ) -> None:
        self._cache = cache
        self._secret_key = secret_key
        self._policy = policy or RetryPolicy()
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._concurrency = concurrency
        self._batch = batch

    async def run_once(self, *, now: datetime | None = None) -> Round:
        """One round; `now` (default: the clock) decides which retries are due."""
        try:
            async with self._cache.lock(LOCK, timeout=LOCK_SECONDS):
                when = now or utcnow()
                queued = await outbound_deliveries.enqueue_from_activity(
                    limit=self._batch, now=when
                )
                due = await outbound_deliveries.due_deliveries(
                    now=when, limit=self._batch, secret_key=self._secret_key
                )
                statuses = await self._send_all(due, now=when)
                return Round(queued, len(due), statuses.count(outbound_deliveries.SUCCEEDED))
        except LockNotAcquired:
            return Round(0, 0, 0)

    async def run_forever(self, *, interval: float) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # one bad round must not stop webhooks for good
                log.exception("outbound webhook round failed")
            await pause(interval)

    async def _send_all(self, due: list[DueDelivery], *, now: datetime) -> list[str]:
        if not due:
            return []
        gate = asyncio.Semaphore(self._concurrency)
        async with aiohttp.ClientSession(timeout=self._timeout) as session:

            async def one(delivery: DueDelivery) -> Outcome:
                async with gate:
                    return await post(session, delivery)

            outcomes = await asyncio.gather(*(one(delivery) for delivery in due))
        return [
            await outbound_deliveries.record_attempt(
                delivery.id,
                status_code=outcome.status_code,
                response_text=outcome.response_text,
                error=outcome.error,
                now=now,
                policy=self._policy,
            )
            for delivery, outcome in zip(due, outcomes, strict=True)
        ]


async def post(session: aiohttp.ClientSession, delivery: DueDelivery) -> Outcome:
    """One signed POST; a network error or timeout is an outcome, never an exception."""
    if delivery.secret is None:
        return Outcome(None, error="the signing secret cannot be decrypted (secret key changed?)")
    body = encode(delivery.payload)
    headers = signed_headers(delivery, body, timestamp=int(time.time()))
    try:
        async with session.post(
            delivery.url, data=body, headers=headers, allow_redirects=False
        ) as response:
            raw = await response.content.read(RESPONSE_READ_BYTES)
            text = raw.decode("utf-8", errors="replace")[:RESPONSE_KEPT]
            return Outcome(response.status, text)
    except TimeoutError:
        return Outcome(None, error="timed out")
    except aiohttp.ClientError as exc:
        return Outcome(None, error=f"{type(exc).__name__}: {exc}"[:RESPONSE_KEPT])
