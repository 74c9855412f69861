"""/api/v1/organizations/{id}/api-tokens: long-lived tokens for external tools."""

from __future__ import annotations

import uuid

from quart import Blueprint
from quart_schema import tag, validate_request, validate_response

from core.enums import Role
from core.services import tokens
from core.views import ApiTokenView
from webhooks.api.inputs import ApiTokenIn
from webhooks.api.outputs import ApiTokenCreatedOut, ApiTokenOut, UserOut
from webhooks.auth.caller import current_actor
from webhooks.envelope import Envelope, ok
from webhooks.runtime import runtime

blueprint = Blueprint("api_tokens", __name__, url_prefix="/api/v1/organizations")


def _out(view: ApiTokenView) -> dict:
    return {
        "id": view.id,
        "name": view.name,
        "role": view.role.value,
        "prefix": view.prefix,
        "created_by": UserOut.of(view.created_by),
        "created_at": view.created_at,
        "last_used_at": view.last_used_at,
        "expires_at": view.expires_at,
        "revoked_at": view.revoked_at,
    }


@blueprint.get("/<uuid:organization_id>/api-tokens")
@tag(["api tokens"])
@validate_response(Envelope[list[ApiTokenOut]], 200)
async def list_tokens(organization_id: uuid.UUID) -> dict:
    """Every token of the organization (never the secret itself). Admins only."""
    actor = await current_actor(organization_id)
    return ok([ApiTokenOut(**_out(v)) for v in await tokens.list_api_tokens(actor)])


@blueprint.post("/<uuid:organization_id>/api-tokens")
@tag(["api tokens"])
@validate_request(ApiTokenIn)
@validate_response(Envelope[ApiTokenCreatedOut], 201)
async def create_token(organization_id: uuid.UUID, data: ApiTokenIn) -> tuple[dict, int]:
    """A new token; `data.token` is shown this once and stored only as a hash."""
    actor = await current_actor(organization_id)
    secret, view = await tokens.create_api_token(
        actor, name=data.name, role=Role(data.role), expires_at=data.expires_at
    )
    return ok(ApiTokenCreatedOut(**_out(view), token=secret)), 201


@blueprint.delete("/<uuid:organization_id>/api-tokens/<uuid:token_id>")
@tag(["api tokens"])
@validate_response(Envelope[ApiTokenOut], 200)
async def revoke_token(organization_id: uuid.UUID, token_id: uuid.UUID) -> dict:
    """Revoke now: the token stops working on the next request."""
    actor = await current_actor(organization_id)
    view = await tokens.revoke_api_token(actor, token_id=token_id)
    await runtime().identity.forget_api_token(token_id)
    return ok(ApiTokenOut(**_out(view)))
