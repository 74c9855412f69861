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
from datetime import datetime

from core.cache import Cache
from core.enums import ProjectStatus, Role, Source
from core.errors import NotFound
from core.permissions import Actor
from core.services import members, organizations, projects
from core.services.tokens import api_token_digest, authenticate_api_token
from core.views import ProjectView

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


class ProjectDirectory:
    """A project's metadata by id or key, cached per organization with a short TTL.

    Routes that change a project call `forget`; the TTL bounds how long a change made
    elsewhere (another door) can go unseen. Reads that must be exact (creating a task in
    an archived project) still go through the services.
    """

    def __init__(self, cache: Cache, *, ttl: float = DEFAULT_TTL) -> None:
        self._cache = cache
        self._ttl = ttl

    async def get(self, actor: Actor, ref: uuid.UUID | str) -> ProjectView:
        actor.require("project:read")
        key = _project_key(actor.organization_id, ref)
        cached = await self._cache.get(key)
        if cached is not None:
            return _project_from_json(cached)
        view = await projects.get_project(actor, ref)
        value = _project_to_json(view)
        for alias in (view.id, view.key):
            await self._cache.set(_project_key(actor.organization_id, alias), value, ttl=self._ttl)
        return view

    async def forget(self, view: ProjectView) -> None:
        for alias in (view.id, view.key):
            await self._cache.delete(_project_key(view.organization_id, alias))


def _project_key(organization_id: uuid.UUID, ref: uuid.UUID | str) -> str:
    text = str(ref).strip()
    try:
        text = str(uuid.UUID(text))
    except ValueError:
        text = text.upper()
    return f"identity:project:{organization_id}:{text}"


def _project_to_json(view: ProjectView) -> str:
    return json.dumps(
        {
            "id": str(view.id),
            "organization_id": str(view.organization_id),
            "key": view.key,
            "name": view.name,
            "description": view.description,
            "status": view.status.value,
            "created_at": view.created_at.isoformat(),
            "updated_at": view.updated_at.isoformat(),
        }
    )


def _project_from_json(raw: str) -> ProjectView:
    data = json.loads(raw)
    return ProjectView(
        id=uuid.UUID(data["id"]),
        organization_id=uuid.UUID(data["organization_id"]),
        key=data["key"],
        name=data["name"],
        description=data["description"],
        status=ProjectStatus(data["status"]),
        created_at=datetime.fromisoformat(data["created_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _membership_key(user_id: uuid.UUID, organization_id: uuid.UUID) -> str:
    return f"identity:member:{user_id}:{organization_id}"


def _token_key(token: str) -> str:
    return f"identity:apitoken:{token_hash(token)}"
