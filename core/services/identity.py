"""Identity on the hot path: who a caller is and their role, cached with a short TTL.

An authenticated request must not pay database queries for identity. Memberships and
API-token lookups are cached in the shared cache; every change to a membership or a
token calls the matching `forget_*` so the next request sees it, and the TTL bounds
how long a change made elsewhere can go unseen.
"""

from __future__ import annotations

import hashlib
import json
import uuid

from core.cache import Cache
from core.enums import Role, Source
from core.errors import NotFound
from core.permissions import Actor
from core.services import members, organizations
from core.services.tokens import api_token_digest, authenticate_api_token

DEFAULT_TTL = 60.0
NO_MEMBERSHIP = "-"


class Identity:
    def __init__(self, cache: Cache, *, ttl: float = DEFAULT_TTL) -> None:
        self._cache = cache
        self._ttl = ttl

    async def actor_for(
        self, user_id: uuid.UUID, organization_id: uuid.UUID, *, source: Source = Source.API
    ) -> Actor:
        """Like members.actor_for, served from the cache when it can be."""
        key = _membership_key(user_id, organization_id)
        cached = await self._cache.get(key)
        if cached == NO_MEMBERSHIP:
            raise NotFound("No such organization")
        if cached is not None:
            return Actor(user_id, organization_id, Role(cached), source)
        try:
            actor = await members.actor_for(user_id, organization_id, source=source)
        except NotFound:
            await self._cache.set(key, NO_MEMBERSHIP, ttl=self._ttl)
            raise
        await self._cache.set(key, actor.role.value, ttl=self._ttl)
        return actor

    async def default_organization(self, user_id: uuid.UUID) -> uuid.UUID | None:
        """The organization a caller acts in when the request names none: their first one."""
        mine = await organizations.list_organizations_for_user(user_id)
        return mine[0][0].id if mine else None

    async def forget_membership(self, user_id: uuid.UUID, organization_id: uuid.UUID) -> None:
        await self._cache.delete(_membership_key(user_id, organization_id))

    async def api_token_actor(self, token: str) -> Actor | None:
        key = _token_key(token)
        cached = await self._cache.get(key)
        if cached == NO_MEMBERSHIP:
            return None
        if cached is not None:
            data = json.loads(cached)
            return Actor(
                uuid.UUID(data["user"]), uuid.UUID(data["org"]), Role(data["role"]), Source.API
            )
        actor = await authenticate_api_token(token)
        value = (
            json.dumps(
                {"user": str(actor.user_id), "org": str(actor.organization_id), "role": actor.role}
            )
            if actor
            else NO_MEMBERSHIP
        )
        await self._cache.set(key, value, ttl=self._ttl)
        return actor

    async def forget_api_token(self, token_id: uuid.UUID) -> None:
        digest = await api_token_digest(token_id)
        if digest is not None:
            await self._cache.delete(f"identity:apitoken:{digest}")

    async def revoke_access_token(self, token_id: str, *, seconds_left: float) -> None:
        """Logout: the access token stops working before it expires."""
        if seconds_left > 0:
            await self._cache.set(f"identity:revoked:{token_id}", "1", ttl=seconds_left)

    async def access_token_revoked(self, token_id: str) -> bool:
        return await self._cache.get(f"identity:revoked:{token_id}") is not None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _membership_key(user_id: uuid.UUID, organization_id: uuid.UUID) -> str:
    return f"identity:member:{user_id}:{organization_id}"


def _token_key(token: str) -> str:
    return f"identity:apitoken:{token_hash(token)}"
