"""Who an inbound webhook acts as, and the links between tasks and outside issues.

Who acts: the sender's linked ExternalIdentity (a GitHub/GitLab login linked to a member)
when there is one, else the member who created the endpoint. Either way the actor has
member permissions and Source.WEBHOOK.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.enums import Role, Source
from core.models import ExternalIdentity, Membership, Task, TaskExternalLink
from core.permissions import Actor
from core.services.inbound_actions import ExternalRef
from core.services.task_fields import DESCRIPTION_MAX, LABEL_MAX, LABEL_PATTERN

ISSUE, REFERENCE, EXTERNAL = "issue", "reference", "external"


@dataclass(frozen=True)
class Target:
    """Where an endpoint files its work."""

    provider: str
    organization_id: uuid.UUID
    project_id: uuid.UUID
    creator_id: uuid.UUID | None


class NoActingUser(Exception):
    """Neither a linked sender nor the endpoint's creator is an active member any more."""


async def acting_user(target: Target, login: str | None) -> Actor:
    user_id = None
    if login:
        user_id = await linked_user(target, login)
    if user_id is None and target.creator_id and await is_member(target, target.creator_id):
        user_id = target.creator_id
    if user_id is None:
        raise NoActingUser("the endpoint's creator is no longer a member; recreate the endpoint")
    return Actor(user_id, target.organization_id, Role.MEMBER, Source.WEBHOOK)


async def linked_user(target: Target, login: str) -> uuid.UUID | None:
    identity = await ExternalIdentity.get_or_none(
        organization_id=target.organization_id, provider=target.provider, login=login.lower()
    )
    if identity is None or not await is_member(target, identity.user_id):  # type: ignore[attr-defined]
        return None
    return identity.user_id  # type: ignore[attr-defined]


async def is_member(target: Target, user_id: uuid.UUID) -> bool:
    return await Membership.filter(
        organization_id=target.organization_id, user_id=user_id, is_active=True
    ).exists()


async def linked_task(target: Target, ref: ExternalRef, kind: str) -> Task | None:
    link = await TaskExternalLink.filter(
        organization_id=target.organization_id,
        provider=ref.provider,
        kind=kind,
        external_id=ref.external_id,
        task__is_active=True,
    ).first()
    if link is None:
        return None
    return await Task.get(id=link.task_id)  # type: ignore[attr-defined]


async def link(target: Target, task_id: uuid.UUID, ref: ExternalRef, kind: str) -> None:
    exists = await TaskExternalLink.filter(
        task_id=task_id, provider=ref.provider, kind=kind, external_id=ref.external_id
    ).exists()
    if exists:
        return
    try:
        async with in_transaction():
            await TaskExternalLink.create(
                organization_id=target.organization_id,
                task_id=task_id,
                provider=ref.provider,
                kind=kind,
                external_id=ref.external_id[:255],
                url=ref.url[:1000],
                title=ref.title[:255],
            )
    except IntegrityError:  # linked by a concurrent delivery in between
        return


def clean_labels(names: tuple[str, ...] | None) -> list[str] | None:
    """Provider labels such as `good first issue` as TeamFlow labels (`good-first-issue`)."""
    if names is None:
        return None
    cleaned = []
    for name in names:
        label = "-".join(name.strip().lower().split())[:LABEL_MAX]
        if label and LABEL_PATTERN.match(label) and label not in cleaned:
            cleaned.append(label)
    return cleaned[:20]


def description_with_link(text: str, url: str) -> str:
    suffix = f"\n\n{url}" if url else ""
    return (text or "").strip()[: DESCRIPTION_MAX - len(suffix)] + suffix
