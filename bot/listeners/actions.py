"""Buttons and selects on task cards and lists. Acting on a card updates it in place."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks, commands
from bot.blocks import ids
from bot.identity import SlackContext, UnknownWorkspace
from bot.listeners import home
from bot.listeners.commands import open_create_modal
from bot.listeners.common import NOT_INSTALLED, Door, metadata, reply_payload
from bot.replies import Reply
from core.errors import DomainError
from core.services import projects, slack_links, tasks
from core.services.task_queries import get_task
from core.views import TaskView

log = logging.getLogger(__name__)
CardAction = Callable[[SlackContext, uuid.UUID, dict], Awaitable[TaskView]]


async def _done(ctx: SlackContext, task_id: uuid.UUID, action: dict) -> TaskView:
    return await tasks.complete_task(ctx.actor, task_id)


async def _reopen(ctx: SlackContext, task_id: uuid.UUID, action: dict) -> TaskView:
    return await tasks.reopen_task(ctx.actor, task_id)


async def _assign_me(ctx: SlackContext, task_id: uuid.UUID, action: dict) -> TaskView:
    return await tasks.assign_task(ctx.actor, task_id, assignee_id=ctx.actor.user_id)


async def _status(ctx: SlackContext, task_id: uuid.UUID, action: dict) -> TaskView:
    return await tasks.move_task(ctx.actor, task_id, status=action["selected_option"]["value"])


async def _due(ctx: SlackContext, task_id: uuid.UUID, action: dict) -> TaskView:
    picked = action.get("selected_date")
    due_at = end_of_day(date.fromisoformat(picked), ctx.timezone) if picked else None
    return await tasks.update_task(ctx.actor, task_id, tasks.TaskChanges(due_at=due_at))


CARD_ACTIONS: dict[str, CardAction] = {
    ids.TASK_DONE: _done,
    ids.TASK_REOPEN: _reopen,
    ids.TASK_ASSIGN_ME: _assign_me,
    ids.TASK_STATUS: _status,
    ids.TASK_DUE: _due,
}


def register(app: AsyncApp, door: Door) -> None:
    for action_id, act in CARD_ACTIONS.items():
        app.action(action_id)(_card_listener(door, act))

    @app.action(ids.TASK_EDIT)
    async def on_edit(ack: Any, body: dict, client: AsyncWebClient, respond: Any) -> None:
        await ack()
        ctx = await resolve_actor(door, body, respond, client)
        if ctx is None:
            return
        try:
            task = await get_task(ctx.actor, _task_id(body))
        except DomainError as exc:
            await respond(text=exc.message, response_type="ephemeral", replace_original=False)
            return
        found = await projects.list_projects(ctx.actor)
        slack_id = await _slack_id(ctx, task)
        view = blocks.edit_modal(
            task,
            projects=found,
            assignee_slack_id=slack_id,
            timezone=ctx.timezone,
            private_metadata=metadata(
                task_id=str(task.id), version=task.version, channel=ctx.channel_id
            ),
        )
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(ids.TASK_COMMENT)
    async def on_comment(ack: Any, body: dict, client: AsyncWebClient, respond: Any) -> None:
        await ack()
        ctx = await resolve_actor(door, body, respond, client)
        if ctx is None:
            return
        task = await get_task(ctx.actor, _task_id(body))
        view = blocks.comment_modal(task, private_metadata=metadata(task_id=str(task.id)))
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(ids.TASK_LIST_MORE)
    async def on_more(ack: Any, body: dict, respond: Any, client: AsyncWebClient) -> None:
        await ack()
        ctx = await resolve_actor(door, body, respond, client)
        if ctx is None:
            return
        state = json.loads(body["actions"][0].get("value") or "{}")
        try:
            reply = await commands.list_command(ctx, state.get("q", ""), cursor=state.get("c"))
        except DomainError as exc:
            reply = Reply.error(exc.message)
        await respond(**reply_payload(reply, replace=True))

    @app.action(ids.TASK_NEW)
    async def on_new(ack: Any, body: dict, client: AsyncWebClient, respond: Any) -> None:
        await ack()
        ctx = await resolve_actor(door, body, respond, client)
        if ctx is not None:
            await open_create_modal(client, ctx, trigger_id=body["trigger_id"])


def _card_listener(door: Door, act: CardAction) -> Callable[..., Awaitable[None]]:
    async def listener(ack: Any, body: dict, respond: Any, client: AsyncWebClient) -> None:
        await ack()
        ctx = await resolve_actor(door, body, respond, client)
        if ctx is None:
            return
        action = body["actions"][0]
        try:
            task = await act(ctx, _task_id(body), action)
        except DomainError as exc:
            if _on_home(body):
                await _dm(client, ctx, f":warning: {exc.message}")
                return
            # Leave the card as it was; tell only the person who clicked.
            await respond(
                text=f":warning: {exc.message}", response_type="ephemeral", replace_original=False
            )
            return
        if _on_home(body):
            await home.publish_home(
                client, team_id=ctx.team_id, slack_user_id=ctx.slack_user_id, door=door
            )
            return
        reply = await commands.card_reply(ctx, task)
        await respond(**reply_payload(reply, replace=True))

    return listener


async def resolve_actor(
    door: Door, body: dict, respond: Any, client: AsyncWebClient
) -> SlackContext | None:
    team_id = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
    try:
        return await door.context(
            body,
            client,
            user_id=body["user"]["id"],
            team_id=team_id,
            channel_id=(body.get("channel") or {}).get("id"),
        )
    except UnknownWorkspace:
        if not _on_home(body):
            await respond(text=NOT_INSTALLED, response_type="ephemeral", replace_original=False)
        return None


def _on_home(body: dict) -> bool:
    """A click in the App Home tab: no message, so no response_url to answer through."""
    return (body.get("view") or {}).get("type") == "home"


async def _dm(client: AsyncWebClient, ctx: SlackContext, text: str) -> None:
    try:
        await client.chat_postMessage(channel=ctx.slack_user_id, text=text)
    except SlackApiError as exc:
        log.warning("could not DM %s: %s", ctx.slack_user_id, exc.response.get("error"))


def _task_id(body: dict) -> uuid.UUID:
    action = body["actions"][0]
    block_id = action.get("block_id", "")
    raw = block_id.split(":", 1)[1] if block_id.startswith("task:") else action.get("value", "")
    return uuid.UUID(raw)


async def _slack_id(ctx: SlackContext, task: TaskView) -> str | None:
    if task.assignee is None:
        return None
    return (await slack_links.slack_ids(ctx.team_id, {task.assignee.id})).get(task.assignee.id)


def end_of_day(day: date, timezone: str) -> datetime:
    """A date picked in Slack means the end of that day where the person is."""
    return datetime.combine(day, time(23, 59), tzinfo=ZoneInfo(timezone))
