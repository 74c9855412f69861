"""One-time sign-in links: Slack's `/task dashboard` hands one out, the web redeems it.

Only the SHA-256 hex of a link's token is stored. A link works once and for five
minutes: redeeming is a conditional UPDATE (`used_at IS NULL AND expires_at > now`), so
two clicks racing each other cannot both sign in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from core.enums import Source
from core.errors import NotFound, Unauthenticated
from core.models import MagicLink
from core.permissions import Actor
from core.services.members import actor_for

LIFETIME = timedelta(minutes=5)
RETENTION = timedelta(days=1)  # spent and expired links are swept this long after expiry
NOT_VALID = "This sign-in link is not valid: it was already used, it expired, or it was mistyped"
NO_LONGER_MEMBER = "This sign-in link is for an organization you are no longer a member of"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_magic_link(actor: Actor, *, now: datetime) -> str:
    """A new link token for the actor in their organization (URL-safe, shown once)."""
    token = secrets.token_urlsafe(32)
    await MagicLink.filter(expires_at__lt=now - RETENTION).delete()
    await MagicLink.create(
        organization_id=actor.organization_id,
        user_id=actor.user_id,
        token_hash=_digest(token),
        expires_at=now + LIFETIME,
    )
    return token


async def redeem_magic_link(token: str, *, now: datetime) -> Actor:
    """Spend the link and return who it signs in; Unauthenticated when used, expired or
    unknown, or when its person is no longer an active member of its organization."""
    digest = _digest(token.strip())
    claimed = await MagicLink.filter(
        token_hash=digest, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now, updated_at=now)
    if claimed != 1:
        raise Unauthenticated(NOT_VALID)
    link = await MagicLink.get(token_hash=digest)
    try:
        return await actor_for(
            link.user_id,  # type: ignore[attr-defined]
            link.organization_id,  # type: ignore[attr-defined]
            source=Source.WEB,
        )
    except NotFound:
        raise Unauthenticated(NO_LONGER_MEMBER) from None
