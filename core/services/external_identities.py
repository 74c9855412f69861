"""GitHub and GitLab logins linked to members, so a webhook's `assigned` or a comment's
author maps to a TeamFlow user. Logins are kept lower-case: both providers treat them
case-insensitively."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from core.errors import NotFound, ValidationFailed
from core.models import ExternalIdentity, Membership
from core.permissions import Actor
from core.services.activity import record

IDENTITY_PROVIDERS = ("github", "gitlab")
LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class IdentityView:
    user_id: uuid.UUID
    provider: str
    login: str


async def link_identity(
    actor: Actor, *, user_id: uuid.UUID, provider: str, login: str
) -> IdentityView:
    """Link `login` to the member (replacing the member's previous login there); a login
    linked to someone else moves to this member."""
    actor.require("integration:manage")
    if provider not in IDENTITY_PROVIDERS:
        raise NotFound(f"No identity provider {provider}")
    clean = login.strip().lower()
    if not LOGIN_PATTERN.match(clean):
        raise ValidationFailed.on("login", "login must be a GitHub or GitLab user name")
    async with in_transaction():
        member = await Membership.filter(
            organization_id=actor.organization_id, user_id=user_id, is_active=True
        ).exists()
        if not member:
            raise NotFound("No such member")
        scope = {"organization_id": actor.organization_id, "provider": provider}
        await ExternalIdentity.filter(**scope, user_id=user_id).delete()
        await ExternalIdentity.filter(**scope, login=clean).delete()
        identity = await ExternalIdentity.create(**scope, user_id=user_id, login=clean)
        await record(
            actor,
            action="member.identity_linked",
            entity_type="user",
            entity_id=user_id,
            changes={f"{provider}_login": {"from": None, "to": clean}},
        )
    return IdentityView(user_id=user_id, provider=provider, login=identity.login)
