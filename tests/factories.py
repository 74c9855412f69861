"""Builders for the people and organizations that tests need, through the services."""

from __future__ import annotations

import secrets
from datetime import timedelta

from core.clock import utcnow
from core.enums import Role
from core.permissions import Actor
from core.services import members, organizations, projects, users


async def new_org(name: str = "Acme") -> Actor:
    """An organization and its owner; returns the owner acting in it."""
    owner = await users.create_user(
        email=f"owner-{secrets.token_hex(4)}@example.com", name="Olive Owner"
    )
    _, actor = await organizations.create_organization(owner_id=owner.id, name=name)
    return actor


async def person(owner: Actor, role: Role, name: str = "Pat") -> Actor:
    """Another person in the owner's organization with the given role."""
    email = f"{name.lower()}-{secrets.token_hex(4)}@example.com"
    member = await members.add_member(owner, email=email, name=name, role=role)
    return await members.actor_for(member.user.id, owner.organization_id)


async def project(owner: Actor, key: str = "WEB", name: str = "Website") -> str:
    await projects.create_project(owner, key=key, name=name)
    return key


def in_days(days: float):
    return utcnow() + timedelta(days=days)
