"""Memberships: who belongs to an organization, with which role."""

from __future__ import annotations

import uuid

from tortoise.transactions import in_transaction

from core import validation
from core.enums import Role, Source
from core.errors import Conflict, NotFound, PermissionDenied
from core.models import Membership, User
from core.permissions import Actor
from core.services.activity import record
from core.services.mapping import member_view
from core.views import MemberView


async def actor_for(
    user_id: uuid.UUID, organization_id: uuid.UUID, *, source: Source = Source.API
) -> Actor:
    """The actor for a user inside an organization; NotFound if they are not an active member."""
    membership = await Membership.get_or_none(
        user_id=user_id,
        organization_id=organization_id,
        is_active=True,
        user__is_active=True,
        organization__is_active=True,
    )
    if membership is None:
        raise NotFound("No such organization")
    return Actor(user_id, organization_id, membership.role, source)


async def list_members(actor: Actor) -> list[MemberView]:
    actor.require("member:read")
    rows = (
        await Membership.filter(
            organization_id=actor.organization_id, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user__name")
    )
    return [member_view(row) for row in rows]


async def get_member(actor: Actor, *, user_id: uuid.UUID) -> MemberView:
    actor.require("member:read")
    return member_view(await _load(actor, user_id))


async def add_member(
    actor: Actor, *, email: str, name: str | None = None, role: Role = Role.MEMBER
) -> MemberView:
    """Add someone by email; an unknown email gets an account without a password."""
    actor.require("member:invite")
    _may_grant(actor, role)
    clean_email = validation.email(email)
    async with in_transaction():
        user = await User.get_or_none(email=clean_email)
        if user is None:
            display = name or clean_email.split("@", 1)[0]
            user = await User.create(
                email=clean_email,
                name=validation.text("name", display, min_length=1, max_length=120),
            )
        membership = await Membership.get_or_none(
            organization_id=actor.organization_id, user_id=user.id
        )
        if membership is not None and membership.is_active:
            raise Conflict(f"{clean_email} is already a member")
        if membership is None:
            membership = await Membership.create(
                organization_id=actor.organization_id, user_id=user.id, role=role
            )
        else:
            membership.is_active, membership.role = True, role
            await membership.save()
        await record(
            actor,
            action="member.added",
            entity_type="membership",
            entity_id=membership.id,
            changes={
                "user": {"from": None, "to": clean_email},
                "role": {"from": None, "to": role.value},
            },
        )
    membership.user = user
    return member_view(membership)


async def change_role(actor: Actor, *, user_id: uuid.UUID, role: Role) -> MemberView:
    actor.require("member:update_role")
    async with in_transaction():
        membership = await _load(actor, user_id)
        if membership.role == role:
            return member_view(membership)
        _may_grant(actor, membership.role)
        _may_grant(actor, role)
        if membership.role is Role.OWNER:
            await _keep_an_owner(actor)
        before = membership.role
        membership.role = role
        await membership.save(update_fields=["role", "updated_at"])
        await record(
            actor,
            action="member.role_changed",
            entity_type="membership",
            entity_id=membership.id,
            changes={"role": {"from": before.value, "to": role.value}},
        )
    return member_view(membership)


async def remove_member(actor: Actor, *, user_id: uuid.UUID) -> None:
    actor.require("member:remove")
    async with in_transaction():
        membership = await _load(actor, user_id)
        _may_grant(actor, membership.role)
        if membership.role is Role.OWNER:
            await _keep_an_owner(actor)
        membership.is_active = False
        await membership.save(update_fields=["is_active", "updated_at"])
        await record(
            actor,
            action="member.removed",
            entity_type="membership",
            entity_id=membership.id,
            changes={"user": {"from": membership.user.email, "to": None}},
        )


async def ensure_member(
    *, organization_id: uuid.UUID, user_id: uuid.UUID, role: Role = Role.MEMBER
) -> Role:
    """Join a user to an organization on first contact (a Slack user); keep an existing role."""
    membership, _ = await Membership.get_or_create(
        organization_id=organization_id, user_id=user_id, defaults={"role": role}
    )
    if not membership.is_active:
        membership.is_active = True
        await membership.save(update_fields=["is_active", "updated_at"])
    return membership.role


def _may_grant(actor: Actor, role: Role) -> None:
    if role is Role.OWNER and not actor.can("member:grant_owner"):
        raise PermissionDenied("Only an owner may grant, change or remove the owner role")


async def _keep_an_owner(actor: Actor) -> None:
    owners = await Membership.filter(
        organization_id=actor.organization_id, role=Role.OWNER, is_active=True
    ).count()
    if owners <= 1:
        raise Conflict("An organization needs at least one owner")


async def _load(actor: Actor, user_id: uuid.UUID) -> Membership:
    membership = await Membership.get_or_none(
        organization_id=actor.organization_id, user_id=user_id, is_active=True
    ).select_related("user")
    if membership is None:
        raise NotFound("No such member")
    return membership
