"""Who an inbound webhook acts as, and the links between tasks and outside issues.

Who acts: the sender's linked ExternalIdentity (a GitHub/GitLab login linked to a member)
when there is one, else the member who created the endpoint. Either way the actor has
member permissions and Source.WEBHOOK.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.clock import utcnow
from core.enums import Role, Source
from core.models import ExternalIdentity, Membership, Task, TaskExternalLink
from core.permissions import Actor
from core.services.analytics_sql import Statement
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
    q = Statement()
    members = _members_sql(q, target, login)
    return _actor(target, await q.rows(members) if members else [])


async def acting_user_and_linked_task(
    target: Target, login: str | None, ref: ExternalRef, kind: str
) -> tuple[Actor, uuid.UUID | None]:
    """`acting_user` and `linked_task_id` in one query: what an issue upsert needs first,
    for the price of one round trip."""
    q = Statement()
    parts = [_linked_sql(q, target, ref, kind), _members_sql(q, target, login)]
    rows = await q.rows(" UNION ALL ".join(part for part in parts if part))
    task_id = next((_as_uuid(row["id"]) for row in rows if row["what"] == "task"), None)
    return _actor(target, rows), task_id


def _actor(target: Target, rows: list[dict[str, Any]]) -> Actor:
    """The linked member if active, else the endpoint's creator while still a member."""
    members = {_as_uuid(row["id"]) for row in rows if row["what"] == "member"}
    linked = next((user_id for user_id in members if user_id != target.creator_id), None)
    user_id = linked or (target.creator_id if target.creator_id in members else None)
    if user_id is None:
        raise NoActingUser("the endpoint's creator is no longer a member; recreate the endpoint")
    return Actor(user_id, target.organization_id, Role.MEMBER, Source.WEBHOOK)


def _members_sql(q: Statement, target: Target, login: str | None) -> str:
    """Of the endpoint's creator and the member linked to `login`, the active members
    ("" when there is neither: nothing to ask, nothing bound)."""
    if not (target.creator_id or login):
        return ""
    org = q.bind(target.organization_id)
    wanted = [f"m.user_id = {q.bind(target.creator_id)}"] if target.creator_id else []
    if login:
        wanted.append(
            "m.user_id IN (SELECT e.user_id FROM external_identities e "
            f"WHERE e.organization_id = {org} AND e.provider = {q.bind(target.provider)} "
            f"AND e.login = {q.bind(login.lower())})"
        )
    return (
        "SELECT 'member' AS what, m.user_id AS id FROM memberships m "
        f"WHERE m.organization_id = {org} AND m.is_active = {q.bind(True)} "
        f"AND ({' OR '.join(wanted)})"
    )


def _linked_sql(q: Statement, target: Target, ref: ExternalRef, kind: str) -> str:
    """The live tasks of the organization linked to `ref`."""
    return (
        "SELECT 'task' AS what, l.task_id AS id FROM task_external_links l "
        "JOIN tasks t ON t.id = l.task_id "
        f"WHERE l.organization_id = {q.bind(target.organization_id)} "
        f"AND l.provider = {q.bind(ref.provider)} AND l.kind = {q.bind(kind)} "
        f"AND l.external_id = {q.bind(ref.external_id)} AND t.is_active = {q.bind(True)}"
    )


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


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


async def linked_task_id(target: Target, ref: ExternalRef, kind: str) -> uuid.UUID | None:
    """The live task of the organization linked to `ref`, if any."""
    q = Statement()
    rows = await q.rows(_linked_sql(q, target, ref, kind) + " LIMIT 1")
    return _as_uuid(rows[0]["id"]) if rows else None


async def linked_task(target: Target, ref: ExternalRef, kind: str) -> Task | None:
    return await Task.filter(
        organization_id=target.organization_id,
        is_active=True,
        external_links__organization_id=target.organization_id,
        external_links__provider=ref.provider,
        external_links__kind=kind,
        external_links__external_id=ref.external_id,
    ).first()


async def link(target: Target, task_id: uuid.UUID, ref: ExternalRef, kind: str) -> None:
    """Link an existing task to `ref`, unless it already is."""
    exists = await TaskExternalLink.filter(
        task_id=task_id, provider=ref.provider, kind=kind, external_id=ref.external_id
    ).exists()
    if exists:
        return
    try:
        async with in_transaction():
            await _insert_link(target, task_id, ref, kind)
    except IntegrityError:  # linked by a concurrent delivery in between
        return


async def link_new_task(target: Target, task_id: uuid.UUID, ref: ExternalRef, kind: str) -> None:
    """Link a task created in the caller's transaction: nothing can be linked to it yet,
    so there is nothing to check first and no conflict to recover from."""
    await _insert_link(target, task_id, ref, kind)


async def _insert_link(target: Target, task_id: uuid.UUID, ref: ExternalRef, kind: str) -> None:
    q = Statement()
    now = q.bind(utcnow())
    values = [
        q.bind(uuid.uuid4()),
        now,
        now,
        q.bind(target.organization_id),
        q.bind(task_id),
        q.bind(ref.provider),
        q.bind(kind),
        q.bind(ref.external_id[:255]),
        q.bind(ref.url[:1000]),
        q.bind(ref.title[:255]),
    ]
    await q.rows(
        "INSERT INTO task_external_links (id, created_at, updated_at, organization_id, "
        f"task_id, provider, kind, external_id, url, title) VALUES ({', '.join(values)}) "
        "RETURNING id"
    )


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
