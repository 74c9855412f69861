"""The endpoint an inbound delivery is addressed to, with its secret decrypted, kept by
each process for a few seconds.

Every delivery needs its endpoint: 404 when it is unknown or disabled, the secret to
check the signature, the project and organization to file into. Read and decrypted for
every delivery, that was a query and a Fernet decryption each time for an answer that
almost never changes; so each process keeps it for `TTL_SECONDS`.

Revocation: `core.services.webhook_endpoints` forgets the entry when an endpoint is
disabled, moved to another project or given a new secret, so the process that made the
change sees it on the next delivery; any other process sees it within `TTL_SECONDS`
(an old secret keeps verifying there, and a disabled endpoint keeps accepting, for at
most that long). A deactivated organization, which is changed elsewhere, is likewise
noticed within `TTL_SECONDS`. Unknown endpoints are not remembered: an id that is 404
now is looked up again next time.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from core.crypto import TokenCipher
from core.errors import NotFound
from core.models import WebhookEndpoint
from core.services.inbound_targets import Target

TTL_SECONDS = 5.0
# `last_delivery_at` is written at most this often per endpoint and process: it tells an
# admin whether deliveries arrive, and one UPDATE of the endpoint row per delivery cost
# as much as storing the delivery.
STAMP_SECONDS = 5.0
MAX_ENTRIES = 4096


@dataclass(frozen=True)
class InboundEndpoint:
    id: uuid.UUID
    organization_id: uuid.UUID
    project_id: uuid.UUID
    provider: str
    creator_id: uuid.UUID | None
    secret: str  # "" when it was encrypted under another secret key (then refuse all)

    @property
    def target(self) -> Target:
        return Target(
            provider=self.provider,
            organization_id=self.organization_id,
            project_id=self.project_id,
            creator_id=self.creator_id,
        )


# (endpoint id, secret key) -> the active endpoint, or NotFound.
Loader = Callable[[uuid.UUID, str], Awaitable["InboundEndpoint"]]


class EndpointCache:
    """Active endpoints by id, each kept for `ttl` seconds of `clock`."""

    def __init__(
        self,
        *,
        load: Loader | None = None,
        ttl: float = TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load or load_endpoint
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[uuid.UUID, tuple[InboundEndpoint, str, float]] = {}
        self._stamped: dict[uuid.UUID, float] = {}

    async def active(
        self, endpoint_id: uuid.UUID, *, provider: str, secret_key: str
    ) -> InboundEndpoint:
        """NotFound when unknown, disabled, of a deactivated organization, or when the
        URL names another provider (so a GitHub URL cannot be fed GitLab payloads)."""
        now = self._clock()
        entry = self._entries.get(endpoint_id)
        if entry is not None and entry[1] == secret_key and entry[2] > now:
            endpoint = entry[0]
        else:
            endpoint = await self._load(endpoint_id, secret_key)
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[endpoint_id] = (endpoint, secret_key, now + self._ttl)
        if endpoint.provider != provider:
            raise NotFound("No such webhook endpoint")
        return endpoint

    def forget(self, endpoint_id: uuid.UUID) -> None:
        self._entries.pop(endpoint_id, None)

    def stamp_due(self, endpoint_id: uuid.UUID) -> bool:
        """True (and noted) when this process has not written the endpoint's
        `last_delivery_at` for `STAMP_SECONDS`."""
        now = self._clock()
        last = self._stamped.get(endpoint_id)
        if last is not None and now - last < STAMP_SECONDS:
            return False
        if len(self._stamped) >= MAX_ENTRIES:
            self._stamped.clear()
        self._stamped[endpoint_id] = now
        return True


async def load_endpoint(endpoint_id: uuid.UUID, secret_key: str) -> InboundEndpoint:
    """From the database, the secret decrypted with `secret_key`."""
    rows = await WebhookEndpoint.filter(
        id=endpoint_id, is_active=True, organization__is_active=True
    ).values_list("organization_id", "project_id", "provider", "created_by_id", "secret_encrypted")
    if not rows:
        raise NotFound("No such webhook endpoint")
    organization_id, project_id, provider, creator_id, encrypted = rows[0]
    return InboundEndpoint(
        id=endpoint_id,
        organization_id=organization_id,
        project_id=project_id,
        provider=provider,
        creator_id=creator_id,
        secret=TokenCipher(secret_key).decrypt(encrypted) or "",
    )


# This process's endpoints: read by the inbound door, forgotten by the services that
# change an endpoint.
ENDPOINTS = EndpointCache()
