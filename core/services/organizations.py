"""Organizations (tenants): creating one, reading and changing its settings."""

from __future__ import annotations

import re
import secrets
import uuid

from tortoise.transactions import in_transaction

from core import validation
from core.enums import Role, Source
from core.errors import NotFound
from core.models import Membership, Organization, Project, User
from core.permissions import Actor
from core.services.activity import diff, record
from core.services.mapping import organization_view
from core.views import OrganizationView

INBOX_KEY = "INBOX"


async def create_organization(
    *,
    owner_id: uuid.UUID,
    name: str,
    timezone: str = "UTC",
    source: Source = Source.API,
) -> tuple[OrganizationView, Actor]:
    """A new tenant with its owner and an Inbox project for tasks that name no project."""
    clean_name = validation.text("name", name, min_length=1, max_length=120)
    validation.timezone(timezone)
    async with in_transaction():
        owner = await User.get_or_none(id=owner_id, is_active=True)
        if owner is None:
            raise NotFound("No such user")
        org = await Organization.create(
            name=clean_name, slug=await _free_slug(clean_name), timezone=timezone
        )
        await Membership.create(organization=org, user=owner, role=Role.OWNER)
        actor = Actor(owner.id, org.id, Role.OWNER, source)
        inbox = await Project.create(
            organization=org, key=INBOX_KEY, name="Inbox", description="Tasks without a project"
        )
        await record(
            actor,
            action="organization.created",
            entity_type="organization",
            entity_id=org.id,
            changes={"name": {"from": None, "to": org.name}},
        )
        await record(
            actor,
            action="project.created",
            entity_type="project",
            entity_id=inbox.id,
            project_id=inbox.id,
            changes={"key": {"from": None, "to": INBOX_KEY}},
        )
    return organization_view(org), actor


async def list_organizations_for_user(user_id: uuid.UUID) -> list[tuple[OrganizationView, Role]]:
    memberships = (
        await Membership.filter(user_id=user_id, is_active=True, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__name")
    )
    return [(organization_view(m.organization), m.role) for m in memberships]


async def get_organization(actor: Actor) -> OrganizationView:
    actor.require("organization:read")
    return organization_view(await _load(actor))


async def update_organization(
    actor: Actor, *, name: str | None = None, timezone: str | None = None
) -> OrganizationView:
    actor.require("organization:update")
    async with in_transaction():
        org = await _load(actor)
        before = {"name": org.name, "timezone": org.timezone}
        if name is not None:
            org.name = validation.text("name", name, min_length=1, max_length=120)
        if timezone is not None:
            org.timezone = validation.timezone(timezone)
        changes = diff(before, {"name": org.name, "timezone": org.timezone})
        if changes:
            await org.save()
            await record(
                actor,
                action="organization.updated",
                entity_type="organization",
                entity_id=org.id,
                changes=changes,
            )
    return organization_view(org)


async def delete_organization(actor: Actor) -> None:
    """Soft delete: the organization and everything in it disappear from every door."""
    actor.require("organization:delete")
    async with in_transaction():
        org = await _load(actor)
        org.is_active = False
        await org.save(update_fields=["is_active", "updated_at"])
        await record(
            actor,
            action="organization.deleted",
            entity_type="organization",
            entity_id=org.id,
            changes={"is_active": {"from": True, "to": False}},
        )


async def _load(actor: Actor) -> Organization:
    org = await Organization.get_or_none(id=actor.organization_id, is_active=True)
    if org is None:
        raise NotFound("No such organization")
    return org


async def _free_slug(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "org"
    slug = base
    while await Organization.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug
