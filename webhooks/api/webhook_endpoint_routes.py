"""/api/v1 inbound webhook endpoints, their deliveries and replays; linked provider logins.

Admins only (`integration:manage`). The endpoint's secret appears in the answers of
create and rotate-secret, once; it is stored encrypted and never shown again.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from quart import Blueprint
from quart_schema import tag, validate_querystring, validate_request, validate_response

from core.services import external_identities, webhook_deliveries, webhook_endpoints
from core.services.webhook_deliveries import DeliveryView
from core.services.webhook_endpoints import EndpointView
from webhooks.api.inputs import Input, Strict
from webhooks.auth.caller import current_actor
from webhooks.envelope import Envelope, ok
from webhooks.inbound import actions_of
from webhooks.runtime import runtime

blueprint = Blueprint("webhook_endpoints", __name__, url_prefix="/api/v1")

ProviderName = Literal["github", "gitlab", "generic"]
DeliveryStatus = Literal["received", "processed", "ignored", "failed"]


class EndpointCreateIn(Strict):
    provider: ProviderName
    project_id: str = Field(min_length=1, max_length=64, description="Project id or key")
    name: str = Field(default="", max_length=100)


class EndpointUpdateIn(Strict):
    name: str | None = Field(default=None, max_length=100)
    project_id: str | None = Field(default=None, min_length=1, max_length=64)
    is_active: bool | None = None


class DeliveryQuery(Input):
    limit: int = Field(default=50, ge=1, le=200)
    status: DeliveryStatus | None = None


class IdentityIn(Strict):
    login: str = Field(min_length=1, max_length=100)


class EndpointOut(BaseModel):
    id: uuid.UUID
    provider: str
    name: str
    project_id: uuid.UUID
    project_key: str
    url: str
    is_active: bool
    created_by: uuid.UUID | None
    created_at: datetime
    last_delivery_at: datetime | None

    @classmethod
    def of(cls, view: EndpointView) -> EndpointOut:
        base = runtime().settings.base_url.rstrip("/")
        return cls(
            id=view.id,
            provider=view.provider,
            name=view.name,
            project_id=view.project_id,
            project_key=view.project_key,
            url=f"{base}/webhooks/{view.provider}/{view.id}",
            is_active=view.is_active,
            created_by=view.created_by_id,
            created_at=view.created_at,
            last_delivery_at=view.last_delivery_at,
        )


class EndpointWithSecretOut(EndpointOut):
    secret: str = Field(description="Shown this once; configure it at the provider")


class DeliveryOut(BaseModel):
    id: uuid.UUID
    endpoint_id: uuid.UUID
    provider: str
    event: str
    delivery_id: str
    status: str
    error: str
    attempts: int
    headers: dict[str, str]
    created_at: datetime
    processed_at: datetime | None

    @classmethod
    def of(cls, view: DeliveryView) -> DeliveryOut:
        return cls(**view.__dict__)


class IdentityOut(BaseModel):
    user_id: uuid.UUID
    provider: str
    login: str


def _secret_key() -> str:
    return runtime().settings.secret_key


async def _endpoint_actor(endpoint_id: uuid.UUID):
    return await current_actor(await webhook_endpoints.organization_of_endpoint(endpoint_id))


@blueprint.get("/organizations/<uuid:organization_id>/webhook-endpoints")
@tag(["webhooks"])
@validate_response(Envelope[list[EndpointOut]], 200)
async def list_endpoints(organization_id: uuid.UUID) -> dict:
    """The organization's inbound webhook endpoints, disabled ones included."""
    actor = await current_actor(organization_id)
    return ok([EndpointOut.of(v) for v in await webhook_endpoints.list_endpoints(actor)])


@blueprint.post("/organizations/<uuid:organization_id>/webhook-endpoints")
@tag(["webhooks"])
@validate_request(EndpointCreateIn)
@validate_response(Envelope[EndpointWithSecretOut], 201)
async def create_endpoint(organization_id: uuid.UUID, data: EndpointCreateIn) -> tuple[dict, int]:
    """A new endpoint; `data.url` goes into the provider's settings with `data.secret`."""
    actor = await current_actor(organization_id)
    secret, view = await webhook_endpoints.create_endpoint(
        actor,
        provider=data.provider,
        project=data.project_id,
        name=data.name,
        secret_key=_secret_key(),
    )
    out = EndpointWithSecretOut(**EndpointOut.of(view).model_dump(), secret=secret)
    return ok(out), 201


@blueprint.get("/webhook-endpoints/<uuid:endpoint_id>")
@tag(["webhooks"])
@validate_response(Envelope[EndpointOut], 200)
async def get_endpoint(endpoint_id: uuid.UUID) -> dict:
    actor = await _endpoint_actor(endpoint_id)
    return ok(EndpointOut.of(await webhook_endpoints.get_endpoint(actor, endpoint_id)))


@blueprint.patch("/webhook-endpoints/<uuid:endpoint_id>")
@tag(["webhooks"])
@validate_request(EndpointUpdateIn)
@validate_response(Envelope[EndpointOut], 200)
async def update_endpoint(endpoint_id: uuid.UUID, data: EndpointUpdateIn) -> dict:
    """Rename, move to another project, or switch on and off (`is_active`)."""
    actor = await _endpoint_actor(endpoint_id)
    view = await webhook_endpoints.update_endpoint(
        actor, endpoint_id, name=data.name, project=data.project_id, is_active=data.is_active
    )
    return ok(EndpointOut.of(view))


@blueprint.delete("/webhook-endpoints/<uuid:endpoint_id>")
@tag(["webhooks"])
@validate_response(Envelope[EndpointOut], 200)
async def delete_endpoint(endpoint_id: uuid.UUID) -> dict:
    """Disable: deliveries to its URL get 404 from now on; its history stays listed."""
    actor = await _endpoint_actor(endpoint_id)
    return ok(EndpointOut.of(await webhook_endpoints.delete_endpoint(actor, endpoint_id)))


@blueprint.post("/webhook-endpoints/<uuid:endpoint_id>/rotate-secret")
@tag(["webhooks"])
@validate_response(Envelope[EndpointWithSecretOut], 200)
async def rotate_secret(endpoint_id: uuid.UUID) -> dict:
    """A new secret, shown this once; the old one stops verifying immediately."""
    actor = await _endpoint_actor(endpoint_id)
    secret, view = await webhook_endpoints.rotate_secret(
        actor, endpoint_id, secret_key=_secret_key()
    )
    return ok(EndpointWithSecretOut(**EndpointOut.of(view).model_dump(), secret=secret))


@blueprint.get("/webhook-endpoints/<uuid:endpoint_id>/deliveries")
@tag(["webhooks"])
@validate_querystring(DeliveryQuery)
@validate_response(Envelope[list[DeliveryOut]], 200)
async def list_deliveries(endpoint_id: uuid.UUID, query_args: DeliveryQuery) -> dict:
    """Newest first; `status=failed` lists what can be replayed."""
    actor = await _endpoint_actor(endpoint_id)
    views = await webhook_deliveries.list_deliveries(
        actor, endpoint_id, limit=query_args.limit, status=query_args.status
    )
    return ok([DeliveryOut.of(v) for v in views])


@blueprint.post("/webhook-deliveries/<uuid:delivery_id>/replay")
@tag(["webhooks"])
@validate_response(Envelope[DeliveryOut], 200)
async def replay_delivery(delivery_id: uuid.UUID) -> dict:
    """Process a failed or ignored delivery again (409 when it was processed)."""
    organization_id = await webhook_deliveries.organization_of_delivery(delivery_id)
    actor = await current_actor(organization_id)
    view = await webhook_deliveries.replay_delivery(actor, delivery_id, actions_of)
    return ok(DeliveryOut.of(view))


@blueprint.put("/organizations/<uuid:organization_id>/members/<uuid:user_id>/identities/<provider>")
@tag(["webhooks"])
@validate_request(IdentityIn)
@validate_response(Envelope[IdentityOut], 200)
async def link_identity(
    organization_id: uuid.UUID, user_id: uuid.UUID, provider: str, data: IdentityIn
) -> dict:
    """Link a GitHub or GitLab login to a member, so webhook assignments find them."""
    actor = await current_actor(organization_id)
    view = await external_identities.link_identity(
        actor, user_id=user_id, provider=provider, login=data.login
    )
    return ok(IdentityOut(user_id=view.user_id, provider=view.provider, login=view.login))
