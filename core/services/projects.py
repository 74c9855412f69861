"""Projects: the short key (`WEB`) that task keys are made of."""

from __future__ import annotations

import re
import uuid

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import validation
from core.enums import ProjectStatus
from core.errors import Conflict, NotFound, ValidationFailed
from core.models import Project
from core.permissions import Actor
from core.services.activity import diff, record
from core.services.mapping import project_view
from core.views import ProjectView

KEY_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


def clean_key(key: str) -> str:
    cleaned = key.strip().upper()
    if not KEY_PATTERN.match(cleaned):
        raise ValidationFailed.on(
            "key", "key must be 2-10 letters or digits, starting with a letter (e.g. WEB)"
        )
    return cleaned


async def create_project(
    actor: Actor, *, key: str, name: str, description: str = ""
) -> ProjectView:
    actor.require("project:create")
    clean = clean_key(key)
    clean_name = validation.text("name", name, min_length=1, max_length=120)
    clean_description = validation.text("description", description, max_length=2000)
    async with in_transaction():
        if await Project.filter(organization_id=actor.organization_id, key=clean).exists():
            raise Conflict(f"A project with key {clean} already exists")
        try:
            project = await Project.create(
                organization_id=actor.organization_id,
                key=clean,
                name=clean_name,
                description=clean_description,
            )
        except IntegrityError:
            raise Conflict(f"A project with key {clean} already exists") from None
        await record(
            actor,
            action="project.created",
            entity_type="project",
            entity_id=project.id,
            project_id=project.id,
            changes={"key": {"from": None, "to": clean}, "name": {"from": None, "to": clean_name}},
        )
    return project_view(project)


async def list_projects(actor: Actor, *, include_archived: bool = False) -> list[ProjectView]:
    actor.require("project:read")
    query = Project.filter(organization_id=actor.organization_id, is_active=True)
    if not include_archived:
        query = query.filter(status=ProjectStatus.ACTIVE)
    return [project_view(p) for p in await query.order_by("key")]


async def get_project(actor: Actor, ref: uuid.UUID | str) -> ProjectView:
    """By id or by key (`WEB`)."""
    actor.require("project:read")
    return project_view(await load_project(actor, ref))


async def update_project(
    actor: Actor, *, ref: uuid.UUID | str, name: str | None = None, description: str | None = None
) -> ProjectView:
    actor.require("project:update")
    async with in_transaction():
        project = await load_project(actor, ref)
        before = {"name": project.name, "description": project.description}
        if name is not None:
            project.name = validation.text("name", name, min_length=1, max_length=120)
        if description is not None:
            project.description = validation.text("description", description, max_length=2000)
        changes = diff(before, {"name": project.name, "description": project.description})
        if changes:
            await project.save()
            await record(
                actor,
                action="project.updated",
                entity_type="project",
                entity_id=project.id,
                project_id=project.id,
                changes=changes,
            )
    return project_view(project)


async def set_archived(actor: Actor, *, ref: uuid.UUID | str, archived: bool) -> ProjectView:
    """Archived projects keep their tasks readable but take no new ones."""
    actor.require("project:archive")
    target = ProjectStatus.ARCHIVED if archived else ProjectStatus.ACTIVE
    async with in_transaction():
        project = await load_project(actor, ref)
        if project.status is not target:
            before = project.status
            project.status = target
            await project.save(update_fields=["status", "updated_at"])
            await record(
                actor,
                action="project.archived" if archived else "project.restored",
                entity_type="project",
                entity_id=project.id,
                project_id=project.id,
                changes={"status": {"from": before.value, "to": target.value}},
            )
    return project_view(project)


async def load_project(actor: Actor, ref: uuid.UUID | str) -> Project:
    """The project inside the actor's organization, or NotFound; never another tenant's."""
    query = Project.filter(organization_id=actor.organization_id, is_active=True)
    project_id = _as_uuid(ref)
    if project_id is not None:
        project = await query.get_or_none(id=project_id)
    else:
        key = str(ref).strip().upper()
        project = await query.get_or_none(key=key) if KEY_PATTERN.match(key) else None
    if project is None:
        raise NotFound(f"No project {ref}")
    return project


def _as_uuid(ref: uuid.UUID | str) -> uuid.UUID | None:
    if isinstance(ref, uuid.UUID):
        return ref
    try:
        return uuid.UUID(ref)
    except ValueError:
        return None
