"""Modal submissions: create, edit and comment, with Slack's inline field errors."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks, commands
from bot.blocks import ids
from bot.identity import SlackContext, UnknownWorkspace
from bot.listeners.actions import end_of_day
from bot.listeners.common import Door, read_metadata
from bot.people import resolve_mention
from bot.quickadd import Mention
from core.errors import DomainError, StaleVersion, ValidationFailed
from core.services import comments, slack_channels, tasks

log = logging.getLogger(__name__)
STALE_EDIT = "Someone changed this task since you opened it. Close and edit again."


def register(app: AsyncApp, door: Door) -> None:
    @app.view(ids.TASK_CREATE)
    async def on_create(ack: Any, body: dict, view: dict, client: AsyncWebClient) -> None:
        meta = read_metadata(view.get("private_metadata"))
        ctx = await _context(door, body, client, meta)
        if ctx is None:
            await ack(response_action="errors", errors={"title": "TeamFlow is not installed here"})
            return
        form = blocks.read_task_form(view["state"]["values"])
        try:
            task = await tasks.create_task(ctx.actor, **await _fields(ctx, form))
        except ValidationFailed as exc:
            await ack(**blocks.field_errors(_field_messages(exc)))
            return
        except DomainError as exc:
            await ack(**blocks.field_errors({"title": exc.message}))
            return
        await ack()
        await _remember_message(ctx, task, meta)
        await _announce(ctx, client, task, meta)

    @app.view(ids.TASK_EDIT)
    async def on_edit(ack: Any, body: dict, view: dict, client: AsyncWebClient) -> None:
        meta = read_metadata(view.get("private_metadata"))
        ctx = await _context(door, body, client, meta)
        if ctx is None:
            await ack(response_action="errors", errors={"title": "TeamFlow is not installed here"})
            return
        form = blocks.read_task_form(view["state"]["values"])
        fields = await _fields(ctx, form)
        fields.pop("project", None)
        try:
            task = await tasks.update_task(
                ctx.actor,
                uuid.UUID(meta["task_id"]),
                tasks.TaskChanges(**fields),
                expected_version=meta.get("version"),
            )
        except StaleVersion:
            await ack(**blocks.field_errors({"title": STALE_EDIT}))
            return
        except ValidationFailed as exc:
            await ack(**blocks.field_errors(_field_messages(exc)))
            return
        except DomainError as exc:
            await ack(**blocks.field_errors({"title": exc.message}))
            return
        await ack()
        await _dm(ctx, client, task, prefix=f"Saved {task.key}")

    @app.view(ids.TASK_COMMENT_MODAL)
    async def on_comment(ack: Any, body: dict, view: dict, client: AsyncWebClient) -> None:
        meta = read_metadata(view.get("private_metadata"))
        ctx = await _context(door, body, client, meta)
        text = blocks.read_comment_form(view["state"]["values"])
        if ctx is None:
            await ack(response_action="errors", errors={"body": "TeamFlow is not installed here"})
            return
        try:
            await comments.add_comment(ctx.actor, uuid.UUID(meta["task_id"]), body=text)
        except DomainError as exc:
            await ack(response_action="errors", errors={"body": exc.message})
            return
        await ack()


async def _context(
    door: Door, body: dict, client: AsyncWebClient, meta: dict
) -> SlackContext | None:
    user = body["user"]
    team_id = (body.get("team") or {}).get("id") or user.get("team_id", "")
    try:
        return await door.context(
            body, client, user_id=user["id"], team_id=team_id, channel_id=meta.get("channel")
        )
    except UnknownWorkspace:
        return None


async def _fields(ctx: SlackContext, form: blocks.TaskForm) -> dict[str, Any]:
    assignee = None
    if form.assignee_slack_id:
        assignee = await resolve_mention(
            ctx, Mention(slack_user_id=form.assignee_slack_id, name=None)
        )
    return {
        "project": form.project_key or "INBOX",
        "title": form.title,
        "description": form.description,
        "priority": form.priority or "medium",
        "assignee_id": assignee,
        "due_at": end_of_day(form.due_date, ctx.timezone) if form.due_date else None,
        "labels": list(form.labels),
    }


def _field_messages(exc: ValidationFailed) -> dict[str, str]:
    return {d.field: d.message for d in exc.details} or {"title": exc.message}


async def _remember_message(ctx: SlackContext, task: Any, meta: dict) -> None:
    """A task made from a message (the message shortcut) is tied to it as a message filed
    with a reaction is: the task's web page links back to it, and a later reaction on the
    same message files nothing twice. A message already filed keeps its first task."""
    channel, message_ts = meta.get("channel"), meta.get("message_ts")
    if not channel or not message_ts:
        return
    claimed = await slack_channels.claim_message(
        ctx.actor, team_id=ctx.team_id, channel_id=channel, message_ts=message_ts
    )
    if claimed:
        await slack_channels.record_message_task(
            team_id=ctx.team_id,
            channel_id=channel,
            message_ts=message_ts,
            task_id=task.id,
            permalink=meta.get("permalink") or "",
        )


async def _announce(ctx: SlackContext, client: AsyncWebClient, task: Any, meta: dict) -> None:
    """Post the new card where the form was opened (in the thread for a message shortcut)."""
    reply = await commands.card_reply(ctx, task, public=True, prefix=f"Created {task.key}")
    channel = meta.get("channel")
    if not channel:
        await _dm(ctx, client, task, prefix=f"Created {task.key}")
        return
    try:
        await client.chat_postMessage(
            channel=channel, text=reply.text, blocks=reply.blocks, thread_ts=meta.get("thread_ts")
        )
    except SlackApiError as exc:
        log.info("could not post to %s (%s); sending a DM", channel, exc.response.get("error"))
        await _dm(ctx, client, task, prefix=f"Created {task.key}")


async def _dm(ctx: SlackContext, client: AsyncWebClient, task: Any, *, prefix: str) -> None:
    reply = await commands.card_reply(ctx, task, prefix=prefix)
    try:
        await client.chat_postMessage(
            channel=ctx.slack_user_id, text=reply.text, blocks=reply.blocks
        )
    except SlackApiError as exc:
        log.warning("could not DM %s: %s", ctx.slack_user_id, exc.response.get("error"))
