"""The slash command and `@TeamFlow` mentions."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks, commands, slack_errors
from bot.identity import UnknownWorkspace
from bot.listeners.common import NOT_INSTALLED, Door, metadata, reply_payload
from bot.replies import Reply
from core.db import database_unavailable
from core.services import projects

log = logging.getLogger(__name__)
MENTION_PREFIX = re.compile(r"^\s*<@[A-Z0-9]+>\s*")
DATABASE_DOWN = (
    "TeamFlow can't reach its database right now, so your command did not go through. "
    "Please try again in a minute."
)
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on our side and your command may not have gone through. "
    "Please try again in a moment."
)


def register(app: AsyncApp, door: Door) -> None:
    @app.command(door.command)
    async def on_command(ack: Any, body: dict, respond: Any, client: AsyncWebClient) -> None:
        # Ack at once: Slack gives up after 3 seconds; the answer follows via response_url.
        await ack()
        try:
            await answer_command(door, body, respond, client)
        except Exception as exc:
            # After the ack only the response_url can still tell the person: a failure
            # here would otherwise leave them with silence.
            log.exception("%s failed", door.command)
            await respond(text=apology_for(exc), response_type="ephemeral")

    @app.event("app_mention")
    async def on_mention(body: dict, event: dict, say: Any, client: AsyncWebClient) -> None:
        text = MENTION_PREFIX.sub("", event.get("text", ""))
        try:
            ctx = await door.context(
                body,
                client,
                user_id=event["user"],
                team_id=body["team_id"],
                channel_id=event.get("channel"),
            )
        except UnknownWorkspace:
            await say(text=NOT_INSTALLED, thread_ts=event.get("ts"))
            return
        reply = await commands.run(ctx, text or "help", command="@TeamFlow")
        if reply.open_create_modal:
            reply = Reply(
                text="Say what to do, e.g. `@TeamFlow add Fix login`",
                blocks=blocks.help_blocks(command="@TeamFlow"),
            )
        await say(
            text=reply.text,
            blocks=reply.blocks,
            thread_ts=event.get("thread_ts") or event.get("ts"),
        )


async def answer_command(door: Door, body: dict, respond: Any, client: AsyncWebClient) -> None:
    try:
        ctx = await door.context(
            body,
            client,
            user_id=body["user_id"],
            team_id=body["team_id"],
            channel_id=body.get("channel_id"),
        )
    except UnknownWorkspace:
        await respond(text=NOT_INSTALLED, response_type="ephemeral")
        return
    reply = await commands.run(ctx, body.get("text", ""), command=door.command)
    if reply.open_create_modal:
        problem = await open_create_modal(client, ctx, trigger_id=body["trigger_id"])
        if problem:
            await respond(text=problem, response_type="ephemeral")
        return
    await respond(**reply_payload(reply))


def apology_for(exc: BaseException) -> str:
    """What to tell the person whose command failed unexpectedly, by kind of failure."""
    return DATABASE_DOWN if database_unavailable(exc) else SOMETHING_WENT_WRONG


async def open_create_modal(
    client: AsyncWebClient,
    ctx: Any,
    *,
    trigger_id: str,
    initial: blocks.TaskFormInitial | None = None,
    **extra: Any,
) -> str | None:
    """Open the form; on a Slack refusal, return what to tell the person instead."""
    found = await projects.list_projects(ctx.actor)
    view = blocks.create_modal(
        projects=found, private_metadata=metadata(channel=ctx.channel_id, **extra), initial=initial
    )
    try:
        await slack_errors.call(client.views_open, trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        category = slack_errors.classify(exc)
        log.warning("views.open failed: %s (%s)", exc.response.get("error"), category.value)
        return slack_errors.EXPLANATIONS.get(
            category, "Slack did not open the form; try again, or use `/task add <title>`."
        )
    return None
