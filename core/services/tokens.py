"""Credentials that outlive a request: refresh tokens of login sessions and API tokens.

Only the SHA-256 hex of a token is stored; a presented token is found by its hash. Signing
access tokens (JWT) is not done here: `core` only keeps and checks the long-lived secrets.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from core import validation
from core.clock import utcnow
from core.enums import Role, Source
from core.errors import NotFound, PermissionDenied, Unauthenticated, ValidationFailed
from core.models import ApiToken, Membership, RefreshToken
from core.permissions import Actor
from core.services.activity import record
from core.services.mapping import user_view
from core.views import ApiTokenView

API_TOKEN_PREFIX = "tf_"
VISIBLE_PREFIX_LENGTH = len(API_TOKEN_PREFIX) + 8
LAST_USED_RESOLUTION = timedelta(minutes=1)
ROLE_RANK = {Role.VIEWER: 0, Role.MEMBER: 1, Role.ADMIN: 2, Role.OWNER: 3}

UNKNOWN_REFRESH = "unknown refresh token"
EXPIRED_REFRESH = "refresh token expired; log in again"
REVOKED_REFRESH = "refresh token was revoked; log in again"
REUSED_REFRESH = "refresh token reuse detected; all sessions of this login were revoked"
INACTIVE_USER = "this account is deactivated"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Refresh tokens (login sessions)


async def issue_refresh_token(
    user_id: uuid.UUID,
    *,
    ttl: timedelta,
    user_agent: str = "",
    family_id: uuid.UUID | None = None,
) -> str:
    """A new refresh token (the plaintext, shown once). Without a family it starts a login."""
    token = secrets.token_urlsafe(32)
    await RefreshToken.create(
        user_id=user_id,
        family_id=family_id or uuid.uuid4(),
        token_hash=_digest(token),
        expires_at=utcnow() + ttl,
        user_agent=user_agent[:255],
    )
    return token


async def rotate_refresh_token(
    token: str, *, ttl: timedelta, user_agent: str = ""
) -> tuple[uuid.UUID, str]:
    """Trade a refresh token for its successor in the same family: (user id, new token).

    A token works once. Showing a used one again means two parties hold it (a copy was
    stolen), so the whole family is revoked: the thief and the victim both log in again.
    Under concurrency the conditional UPDATE lets exactly one rotation win; the losers
    presented a token that had just been used and are treated as reuse too.
    """
    now = utcnow()
    row = await RefreshToken.get_or_none(token_hash=_digest(token)).select_related("user")
    if row is None:
        raise Unauthenticated(UNKNOWN_REFRESH)
    await _refuse_spent(row, now)
    if not row.user.is_active:
        raise Unauthenticated(INACTIVE_USER)
    new_token = ""
    async with in_transaction():
        claimed = await RefreshToken.filter(
            id=row.id, used_at__isnull=True, revoked_at__isnull=True
        ).update(used_at=now, updated_at=now)
        if claimed == 1:
            new_token = await issue_refresh_token(
                row.user.id, ttl=ttl, user_agent=user_agent, family_id=row.family_id
            )
    if not new_token:
        await _refuse_spent(await RefreshToken.get(id=row.id), now)
        raise Unauthenticated(REVOKED_REFRESH)  # unreachable: the row changed, so it is spent
    return row.user.id, new_token


async def revoke_refresh_family(token: str) -> bool:
    """Log out: revoke every token of this token's login. False for an unknown token."""
    row = await RefreshToken.get_or_none(token_hash=_digest(token))
    if row is None:
        return False
    await _revoke_family(row.family_id, utcnow())
    return True


async def revoke_user_sessions(user_id: uuid.UUID) -> int:
    """Log a user out everywhere; returns how many live sessions were ended."""
    now = utcnow()
    async with in_transaction():
        live = await RefreshToken.filter(
            user_id=user_id, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).count()
        await RefreshToken.filter(user_id=user_id, revoked_at__isnull=True).update(
            revoked_at=now, updated_at=now
        )
    return live


async def _refuse_spent(row: RefreshToken, now: datetime) -> None:
    if row.revoked_at is not None:
        raise Unauthenticated(REVOKED_REFRESH)
    if row.used_at is not None:
        await _revoke_family(row.family_id, now)
        raise Unauthenticated(REUSED_REFRESH)
    if row.expires_at <= now:
        raise Unauthenticated(EXPIRED_REFRESH)


async def _revoke_family(family_id: uuid.UUID, now: datetime) -> None:
    await RefreshToken.filter(family_id=family_id, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )


# API tokens (scripts and integrations)


async def create_api_token(
    actor: Actor, *, name: str, role: Role, expires_at: datetime | None = None
) -> tuple[str, ApiTokenView]:
    """A new API token for the actor's organization: (the token, shown only now; its view).

    The token acts with `role`, which may not exceed the actor's own role.
    """
    actor.require("integration:manage")
    if ROLE_RANK[role] > ROLE_RANK[actor.role]:
        raise PermissionDenied(f"A {actor.role.value} may not create a {role.value} token")
    clean_name = validation.text("name", name, min_length=1, max_length=100)
    _check_expiry(expires_at)
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with in_transaction():
        row = await ApiToken.create(
            organization_id=actor.organization_id,
            created_by_id=actor.user_id,
            name=clean_name,
            role=role,
            prefix=token[:VISIBLE_PREFIX_LENGTH],
            token_hash=_digest(token),
            expires_at=expires_at,
        )
        await record(
            actor,
            action="api_token.created",
            entity_type="api_token",
            entity_id=row.id,
            changes={
                "name": {"from": None, "to": clean_name},
                "role": {"from": None, "to": role.value},
            },
        )
    await row.fetch_related("created_by")
    return token, _view(row)


async def list_api_tokens(actor: Actor) -> list[ApiTokenView]:
    """Every token of the actor's organization, revoked ones included, newest first."""
    actor.require("integration:manage")
    rows = (
        await ApiToken.filter(organization_id=actor.organization_id)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
    return [_view(row) for row in rows]


async def revoke_api_token(actor: Actor, *, token_id: uuid.UUID) -> ApiTokenView:
    """Stop a token from working. Revoking a revoked token changes nothing."""
    actor.require("integration:manage")
    async with in_transaction():
        row = await ApiToken.get_or_none(
            id=token_id, organization_id=actor.organization_id
        ).select_related("created_by")
        if row is None:
            raise NotFound("No such API token")
        if row.revoked_at is None:
            now = utcnow()
            await ApiToken.filter(id=row.id).update(revoked_at=now, updated_at=now)
            row.revoked_at = now
            await record(
                actor,
                action="api_token.revoked",
                entity_type="api_token",
                entity_id=row.id,
                changes={"revoked_at": {"from": None, "to": now.isoformat()}},
            )
    return _view(row)


async def authenticate_api_token(token: str) -> Actor | None:
    """The actor a presented API token stands for, or None if it does not work (any reason).

    The token acts as its creator, who must still be an active member of the organization,
    with the token's role capped by the creator's current role (a demoted admin's tokens
    lose the admin powers too). `last_used_at` is written at most once a minute.
    """
    if not token.startswith(API_TOKEN_PREFIX):
        return None
    now = utcnow()
    row = await ApiToken.get_or_none(
        token_hash=_digest(token), revoked_at__isnull=True, organization__is_active=True
    )
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    organization_id: uuid.UUID = row.organization_id  # type: ignore[attr-defined]
    creator_id: uuid.UUID | None = row.created_by_id  # type: ignore[attr-defined]
    if creator_id is None:
        return None
    membership = await Membership.get_or_none(
        organization_id=organization_id, user_id=creator_id, is_active=True, user__is_active=True
    )
    if membership is None:
        return None
    await _touch(row, now)
    role = min(row.role, membership.role, key=ROLE_RANK.__getitem__)
    return Actor(creator_id, organization_id, role, Source.API)


async def _touch(row: ApiToken, now: datetime) -> None:
    if row.last_used_at is not None and now - row.last_used_at < LAST_USED_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    await ApiToken.filter(stale, id=row.id).update(last_used_at=now)


def _check_expiry(expires_at: datetime | None) -> None:
    if expires_at is None:
        return
    if expires_at.tzinfo is None:
        raise ValidationFailed.on("expires_at", "expires_at needs a time zone")
    if expires_at <= utcnow():
        raise ValidationFailed.on("expires_at", "expires_at must be in the future")


def _view(row: ApiToken) -> ApiTokenView:
    return ApiTokenView(
        id=row.id,
        organization_id=row.organization_id,  # type: ignore[attr-defined]
        name=row.name,
        role=row.role,
        prefix=row.prefix,
        created_by=user_view(row.created_by),
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


async def api_token_digest(token_id: uuid.UUID) -> str | None:
    """The stored hash of a token, so caches keyed by it can be cleared on revocation."""
    digests = await ApiToken.filter(id=token_id).values_list("token_hash", flat=True)
    return digests[0] if digests else None
