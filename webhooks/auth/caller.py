"""Resolve the caller of an API request into the Actor every service call needs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import structlog
from quart import g, request

from core.errors import NotFound, Unauthenticated, ValidationFailed
from core.permissions import Actor
from core.services.identity import token_hash
from webhooks.auth.access_tokens import AccessClaims
from webhooks.ratelimit import enforce
from webhooks.runtime import runtime

API_TOKEN_PREFIX = "tf_"


@dataclass(frozen=True)
class Caller:
    user_id: uuid.UUID
    organization_id: uuid.UUID | None
    claims: AccessClaims | None = None
    token_actor: Actor | None = None

    @property
    def rate_key(self) -> str:
        if self.token_actor is not None:
            return f"token:{self.user_id}:{self.token_actor.organization_id}"
        return f"user:{self.user_id}"


async def current_caller() -> Caller:
    """The authenticated caller, once per request; 401 for missing or bad credentials."""
    if getattr(g, "caller", None) is not None:
        return g.caller
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated(
            "Send an access token or API token as 'Authorization: Bearer <token>'"
        )
    credential = credential.strip()
    rt = runtime()
    if credential.startswith(API_TOKEN_PREFIX):
        actor = await rt.identity.api_token_actor(credential)
        if actor is None:
            raise Unauthenticated("The API token is not valid, expired or revoked")
        caller = Caller(actor.user_id, actor.organization_id, token_actor=actor)
    else:
        claims = rt.access_tokens.read(credential)
        if await rt.identity.access_token_revoked(claims.token_id):
            raise Unauthenticated("The access token was revoked; sign in again")
        caller = Caller(claims.user_id, claims.organization_id, claims=claims)
    await enforce(rt.cache, caller.rate_key, limit=rt.settings.rate_limit_per_minute)
    structlog.contextvars.bind_contextvars(user_id=str(caller.user_id))
    g.caller = caller
    return caller


async def current_actor(organization_id: uuid.UUID | None = None) -> Actor:
    """The caller acting in `organization_id` (a path parameter), else the request's organization.

    Without one in the path: the `X-Organization-ID` header, else the organization in the
    access token, else the caller's first organization. API tokens act in their own only.
    """
    caller = await current_caller()
    wanted = organization_id or _header_organization()
    if caller.token_actor is not None:
        if wanted is not None and wanted != caller.token_actor.organization_id:
            raise NotFound("No such organization")
        actor = caller.token_actor
    else:
        org = wanted or caller.organization_id
        if org is None:
            org = await runtime().identity.default_organization(caller.user_id)
        if org is None:
            raise NotFound("You are not a member of any organization yet")
        actor = await runtime().identity.actor_for(caller.user_id, org)
    structlog.contextvars.bind_contextvars(organization_id=str(actor.organization_id))
    return actor


def _header_organization() -> uuid.UUID | None:
    raw = request.headers.get("X-Organization-ID")
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ValidationFailed.on("X-Organization-ID", "must be an organization id") from None


__all__ = ["Caller", "current_actor", "current_caller", "token_hash"]
