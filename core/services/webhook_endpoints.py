"""Inbound webhook endpoints: an organization's admins create, change, rotate and disable
them. Each files into one project; its secret is generated here, stored encrypted with
TokenCipher and shown in plain text only by `create_endpoint` and `rotate_secret`.
The inbound door reads endpoints through `core.services.inbound_endpoints`, which keeps
them for a few seconds; every change here tells it to forget the endpoint.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from core import validation
from core.crypto import TokenCipher
from core.errors import NotFound, ValidationFailed
from core.models import WebhookEndpoint
from core.permissions import Actor
from core.services.activity import diff, record
from core.services.inbound_endpoints import ENDPOINTS
from core.services.projects import load_project

PROVIDERS = ("github", "gitlab", "generic")
MANAGE = "integration:manage"


@dataclass(frozen=True)
class EndpointView:
    id: uuid.UUID
    organization_id: uuid.UUID
    provider: str
    name: str
    project_id: uuid.UUID
    project_key: str
    is_active: bool
    created_by_id: uuid.UUID | None
    created_at: datetime
    last_delivery_at: datetime | None


class _Unset:
    pass


UNSET: Any = _Unset()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def endpoint_view(endpoint: WebhookEndpoint) -> EndpointView:
    return EndpointView(
        id=endpoint.id,
        organization_id=endpoint.organization_id,  # type: ignore[attr-defined]
        provider=endpoint.provider,
        name=endpoint.name,
        project_id=endpoint.project_id,  # type: ignore[attr-defined]
        project_key=endpoint.project.key,
        is_active=endpoint.is_active,
        created_by_id=endpoint.created_by_id,  # type: ignore[attr-defined]
        created_at=endpoint.created_at,
        last_delivery_at=endpoint.last_delivery_at,
    )


async def create_endpoint(
    actor: Actor,
    *,
    provider: str,
    project: uuid.UUID | str,
    name: str = "",
    secret_key: str,
) -> tuple[str, EndpointView]:
    """A new endpoint and its secret in plain text: the only time it is shown."""
    actor.require(MANAGE)
    if provider not in PROVIDERS:
        raise ValidationFailed.on("provider", f"provider must be one of {', '.join(PROVIDERS)}")
    clean_name = validation.text("name", name or "", max_length=100)
    secret = new_secret()
    async with in_transaction():
        target = await load_project(actor, project)
        endpoint = await WebhookEndpoint.create(
            organization_id=actor.organization_id,
            project_id=target.id,
            provider=provider,
            name=clean_name or f"{provider} → {target.key}",
            secret_encrypted=TokenCipher(secret_key).encrypt(secret),
            created_by_id=actor.user_id,
        )
        await _record(
            actor,
            endpoint,
            "webhook_endpoint.created",
            diff({}, {"provider": provider, "project": target.key, "name": endpoint.name}),
        )
    return secret, await _view(endpoint.id)


async def list_endpoints(actor: Actor) -> list[EndpointView]:
    actor.require(MANAGE)
    rows = (
        await WebhookEndpoint.filter(organization_id=actor.organization_id)
        .select_related("project")
        .order_by("created_at", "id")
    )
    return [endpoint_view(row) for row in rows]


async def get_endpoint(actor: Actor, endpoint_id: uuid.UUID) -> EndpointView:
    actor.require(MANAGE)
    return endpoint_view(await load_endpoint(actor, endpoint_id))


async def update_endpoint(
    actor: Actor,
    endpoint_id: uuid.UUID,
    *,
    name: str | None = UNSET,
    project: uuid.UUID | str = UNSET,
    is_active: bool = UNSET,
) -> EndpointView:
    actor.require(MANAGE)
    async with in_transaction():
        endpoint = await load_endpoint(actor, endpoint_id)
        before = _snapshot(endpoint)
        if name is not UNSET and name is not None:
            endpoint.name = validation.text("name", name, max_length=100)
        if project is not UNSET and project is not None:
            target = await load_project(actor, project)
            endpoint.project_id, endpoint.project = target.id, target  # type: ignore[attr-defined]
        if is_active is not UNSET and is_active is not None:
            endpoint.is_active = is_active
        changed = diff(before, _snapshot(endpoint))
        if changed:
            await endpoint.save()
            await _record(actor, endpoint, "webhook_endpoint.updated", changed)
    ENDPOINTS.forget(endpoint.id)  # after the commit: a delivery now reads the new state
    return await _view(endpoint.id)


async def delete_endpoint(actor: Actor, endpoint_id: uuid.UUID) -> EndpointView:
    """Soft delete: the endpoint stops accepting deliveries (404); its history stays."""
    return await update_endpoint(actor, endpoint_id, is_active=False)


async def rotate_secret(
    actor: Actor, endpoint_id: uuid.UUID, *, secret_key: str
) -> tuple[str, EndpointView]:
    """A new secret, in plain text this once; the old one stops verifying at once."""
    actor.require(MANAGE)
    secret = new_secret()
    async with in_transaction():
        endpoint = await load_endpoint(actor, endpoint_id)
        endpoint.secret_encrypted = TokenCipher(secret_key).encrypt(secret)
        await endpoint.save(update_fields=["secret_encrypted", "updated_at"])
        await _record(
            actor, endpoint, "webhook_endpoint.secret_rotated", {"secret": {"from": "*", "to": "*"}}
        )
    ENDPOINTS.forget(endpoint.id)  # after the commit: the old secret stops verifying here
    return secret, await _view(endpoint.id)


async def load_endpoint(actor: Actor, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    """In the actor's organization only: another organization's endpoint is NotFound."""
    endpoint = await WebhookEndpoint.get_or_none(
        id=endpoint_id, organization_id=actor.organization_id
    ).select_related("project")
    if endpoint is None:
        raise NotFound("No such webhook endpoint")
    return endpoint


def _snapshot(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "name": endpoint.name,
        "project_id": endpoint.project_id,  # type: ignore[attr-defined]
        "is_active": endpoint.is_active,
    }


async def _record(
    actor: Actor, endpoint: WebhookEndpoint, action: str, changes: dict[str, Any]
) -> None:
    await record(
        actor,
        action=action,
        entity_type="webhook_endpoint",
        entity_id=endpoint.id,
        project_id=endpoint.project_id,  # type: ignore[attr-defined]
        changes=changes,
    )


async def _view(endpoint_id: uuid.UUID) -> EndpointView:
    return endpoint_view(await WebhookEndpoint.get(id=endpoint_id).select_related("project"))


async def organization_of_endpoint(endpoint_id: uuid.UUID) -> uuid.UUID:
    """Which organization to check the caller's role in; NotFound for an unknown id."""
    found = await WebhookEndpoint.filter(id=endpoint_id).values_list("organization_id", flat=True)
    if not found:
        raise NotFound("No such webhook endpoint")
    return found[0]  # type: ignore[return-value]
