"""Comments on tasks."""

from __future__ import annotations

import uuid

from tortoise.transactions import in_transaction

from core import validation
from core.errors import NotFound
from core.models import Comment
from core.permissions import Actor
from core.services.activity import record
from core.services.mapping import comment_view
from core.services.task_queries import load_task
from core.views import CommentView

BODY_MAX = 4000


async def add_comment(actor: Actor, ref: uuid.UUID | str, *, body: str) -> CommentView:
    actor.require("comment:create")
    text = validation.text("body", body, min_length=1, max_length=BODY_MAX)
    async with in_transaction():
        task = await load_task(actor, ref)
        comment = await Comment.create(
            organization_id=actor.organization_id,
            task_id=task.id,
            author_id=actor.user_id,
            body=text,
            source=actor.source.value,
        )
        await record(
            actor,
            action="comment.added",
            entity_type="comment",
            entity_id=comment.id,
            task_id=task.id,
            project_id=task.project_id,  # type: ignore[attr-defined]
            changes={"body": {"from": None, "to": text[:200]}},
        )
    await comment.fetch_related("author")
    return comment_view(comment)


async def list_comments(
    actor: Actor, ref: uuid.UUID | str, *, limit: int = 200
) -> list[CommentView]:
    actor.require("comment:read")
    task = await load_task(actor, ref)
    rows = (
        await Comment.filter(organization_id=actor.organization_id, task_id=task.id, is_active=True)
        .select_related("author")
        .order_by("created_at", "id")
        .limit(limit)
    )
    return [comment_view(row) for row in rows]


async def delete_comment(actor: Actor, *, comment_id: uuid.UUID) -> None:
    """Authors remove their own comments; admins remove any."""
    actor.require("comment:create")
    async with in_transaction():
        comment = await Comment.get_or_none(
            id=comment_id, organization_id=actor.organization_id, is_active=True
        )
        if comment is None:
            raise NotFound("No such comment")
        if comment.author_id != actor.user_id:  # type: ignore[attr-defined]
            actor.require("comment:delete")
        comment.is_active = False
        await comment.save(update_fields=["is_active", "updated_at"])
        await record(
            actor,
            action="comment.deleted",
            entity_type="comment",
            entity_id=comment.id,
            task_id=comment.task_id,  # type: ignore[attr-defined]
            changes={"is_active": {"from": True, "to": False}},
        )
