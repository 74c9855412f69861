"""/api/v1/organizations, their members and their projects."""

from __future__ import annotations

import uuid

from quart import Blueprint
from quart_schema import tag, validate_request, validate_response

from core.enums import Role
from core.errors import PermissionDenied
from core.services import members, organizations, projects
from webhooks.api.inputs import (
    MemberInviteIn,
    MemberUpdateIn,
    OrganizationCreateIn,
    OrganizationUpdateIn,
    ProjectCreateIn,
)
from webhooks.api.outputs import Empty, MemberOut, OrganizationOut, ProjectOut
from webhooks.auth.caller import current_actor, current_caller
from webhooks.envelope import Envelope, ok
from webhooks.runtime import runtime

blueprint = Blueprint("organizations", __name__, url_prefix="/api/v1/organizations")


@blueprint.get("")
@tag(["organizations"])
@validate_response(Envelope[list[OrganizationOut]], 200)
async def list_mine() -> dict:
    """The organizations the caller belongs to, with their role in each."""
    caller = await current_caller()
    mine = await organizations.list_organizations_for_user(caller.user_id)
    if caller.token_actor is not None:
        mine = [(o, r) for o, r in mine if o.id == caller.token_actor.organization_id]
    return ok([OrganizationOut.of(org, role.value) for org, role in mine])


@blueprint.post("")
@tag(["organizations"])
@validate_request(OrganizationCreateIn)
@validate_response(Envelope[OrganizationOut], 201)
async def create(data: OrganizationCreateIn) -> tuple[dict, int]:
    """A new organization with the caller as owner."""
    caller = await current_caller()
    if caller.token_actor is not None:
        raise PermissionDenied("API tokens cannot create organizations")
    org, _ = await organizations.create_organization(
        owner_id=caller.user_id, name=data.name, timezone=data.timezone
    )
    return ok(OrganizationOut.of(org, Role.OWNER.value)), 201


@blueprint.get("/<uuid:organization_id>")
@tag(["organizations"])
@validate_response(Envelope[OrganizationOut], 200)
async def get(organization_id: uuid.UUID) -> dict:
    actor = await current_actor(organization_id)
    return ok(OrganizationOut.of(await organizations.get_organization(actor), actor.role.value))


@blueprint.patch("/<uuid:organization_id>")
@tag(["organizations"])
@validate_request(OrganizationUpdateIn)
@validate_response(Envelope[OrganizationOut], 200)
async def update(organization_id: uuid.UUID, data: OrganizationUpdateIn) -> dict:
    actor = await current_actor(organization_id)
    org = await organizations.update_organization(actor, name=data.name, timezone=data.timezone)
    return ok(OrganizationOut.of(org, actor.role.value))


@blueprint.delete("/<uuid:organization_id>")
@tag(["organizations"])
@validate_response(Envelope[Empty], 200)
async def delete(organization_id: uuid.UUID) -> dict:
    """Soft delete: the organization disappears for everyone. Owners only."""
    actor = await current_actor(organization_id)
    await organizations.delete_organization(actor)
    for member in await members.list_members(actor):
        await runtime().identity.forget_membership(member.user.id, organization_id)
    return ok(Empty())


@blueprint.get("/<uuid:organization_id>/members")
@tag(["members"])
@validate_response(Envelope[list[MemberOut]], 200)
async def list_members(organization_id: uuid.UUID) -> dict:
    actor = await current_actor(organization_id)
    return ok([MemberOut.of(m) for m in await members.list_members(actor)])


@blueprint.post("/<uuid:organization_id>/members")
@tag(["members"])
@validate_request(MemberInviteIn)
@validate_response(Envelope[MemberOut], 201)
async def invite(organization_id: uuid.UUID, data: MemberInviteIn) -> tuple[dict, int]:
    """Add someone by email; an unknown email gets an account without a password."""
    actor = await current_actor(organization_id)
    member = await members.add_member(actor, email=data.email, name=data.name, role=Role(data.role))
    await runtime().identity.forget_membership(member.user.id, organization_id)
    return ok(MemberOut.of(member)), 201


@blueprint.patch("/<uuid:organization_id>/members/<uuid:user_id>")
@tag(["members"])
@validate_request(MemberUpdateIn)
@validate_response(Envelope[MemberOut], 200)
async def change_role(organization_id: uuid.UUID, user_id: uuid.UUID, data: MemberUpdateIn) -> dict:
    actor = await current_actor(organization_id)
    member = await members.change_role(actor, user_id=user_id, role=Role(data.role))
    await runtime().identity.forget_membership(user_id, organization_id)
    return ok(MemberOut.of(member))


@blueprint.delete("/<uuid:organization_id>/members/<uuid:user_id>")
@tag(["members"])
@validate_response(Envelope[Empty], 200)
async def remove(organization_id: uuid.UUID, user_id: uuid.UUID) -> dict:
    actor = await current_actor(organization_id)
    await members.remove_member(actor, user_id=user_id)
    await runtime().identity.forget_membership(user_id, organization_id)
    return ok(Empty())


@blueprint.get("/<uuid:organization_id>/projects")
@tag(["projects"])
@validate_response(Envelope[list[ProjectOut]], 200)
async def list_projects(organization_id: uuid.UUID) -> dict:
    actor = await current_actor(organization_id)
    return ok([ProjectOut.of(p) for p in await projects.list_projects(actor)])


@blueprint.post("/<uuid:organization_id>/projects")
@tag(["projects"])
@validate_request(ProjectCreateIn)
@validate_response(Envelope[ProjectOut], 201)
async def create_project(organization_id: uuid.UUID, data: ProjectCreateIn) -> tuple[dict, int]:
    actor = await current_actor(organization_id)
    project = await projects.create_project(
        actor, key=data.key, name=data.name, description=data.description
    )
    return ok(ProjectOut.of(project)), 201
