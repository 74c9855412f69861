"""Events: a reaction files a message as a task (once); task links and keys get cards."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import commands, slack_errors
from bot.identity import SlackContext, UnknownWorkspace
from bot.listeners.common import Door
from core.errors import DomainError
from core.services import slack_channels, tasks
from core.services.task_queries import get_task

log = logging.getLogger(__name__)
TASK_KEY = re.compile(r"(?<![A-Za-z0-9/-])([A-Z][A-Z0-9]{1,9}-\d{1,9})\b")
TASK_URL = re.compile(r"/tasks/([A-Za-z][A-Za-z0-9]{1,9}-\d{1,9})\b")
KEYS_PER_MESSAGE = 3
TITLE_FROM_MESSAGE = 120


def register(app: AsyncApp, door: Door, *, ticket_emoji: str) -> None:
    @app.event("reaction_added")
    async def on_reaction(body: dict, event: dict, client: AsyncWebClient) -> None:
        item = event.get("item") or {}
        if event.get("reaction") != ticket_emoji or item.get("type") != "message":
            return
        ctx = await _context(door, body, client, user=event["user"], channel=item["channel"])
        if ctx is not None:
            await file_message(ctx, client, channel=item["channel"], ts=item["ts"])

    @app.event("link_shared")
    async def on_link(body: dict, event: dict, client: AsyncWebClient) -> None:
        ctx = await _context(door, body, client, user=event["user"], channel=event["channel"])
        if ctx is None:
            return
        unfurls: dict[str, Any] = {}
        for link in event.get("links", []):
            match = TASK_URL.search(link.get("url", ""))
            if match is None:
                continue
            try:
                task = await get_task(ctx.actor, match.group(1))
            except DomainError:
                continue
            reply = await commands.card_reply(ctx, task)
            unfurls[link["url"]] = {"blocks": reply.blocks}
        if unfurls:
            await _quietly(
                client.chat_unfurl,
                channel=event["channel"],
                ts=event["message_ts"],
                unfurls=unfurls,
            )

    @app.event("message")
    async def on_message(body: dict, event: dict, client: AsyncWebClient) -> None:
        # Only people's new messages: no edits, no bots (our own cards hold keys too).
        if event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return
        keys = list(dict.fromkeys(TASK_KEY.findall(event.get("text", ""))))[:KEYS_PER_MESSAGE]
        if not keys:
            return
        ctx = await _context(door, body, client, user=event["user"], channel=event["channel"])
        if ctx is None:
            return
        for key in keys:
            try:
                task = await get_task(ctx.actor, key)
            except DomainError:
                continue
            reply = await commands.card_reply(ctx, task)
            await _quietly(
                client.chat_postMessage,
                channel=event["channel"],
                text=reply.text,
                blocks=reply.blocks,
                thread_ts=event.get("thread_ts") or event["ts"],
            )


async def file_message(ctx: SlackContext, client: AsyncWebClient, *, channel: str, ts: str) -> None:
    """File a message as a task once, however many people react or how often."""
    if not await slack_channels.claim_message(
        ctx.actor, team_id=ctx.team_id, channel_id=channel, message_ts=ts
    ):
        return
    try:
        text = await _message_text(client, channel=channel, ts=ts)
        link = await _permalink(client, channel=channel, ts=ts)
        task = await tasks.create_task(
            ctx.actor,
            project=await commands.default_project(ctx),
            title=(text.splitlines() or ["Message from Slack"])[0][:TITLE_FROM_MESSAGE]
            or "Message",
            description=(text[:1800] + (f"\n\nFrom Slack: {link}" if link else "")).strip(),
        )
    except (DomainError, SlackApiError) as exc:
        await slack_channels.record_message_task(
            team_id=ctx.team_id, channel_id=channel, message_ts=ts, task_id=None
        )
        log.warning("could not file %s/%s as a task: %s", channel, ts, exc)
        return
    await slack_channels.record_message_task(
        team_id=ctx.team_id,
        channel_id=channel,
        message_ts=ts,
        task_id=task.id,
        permalink=link or "",
    )
    reply = await commands.card_reply(ctx, task, prefix=f"Filed as {task.key}")
    await _quietly(
        client.chat_postMessage, channel=channel, thread_ts=ts, text=reply.text, blocks=reply.blocks
    )


async def _message_text(client: AsyncWebClient, *, channel: str, ts: str) -> str:
    reply = await slack_errors.call(
        client.conversations_history, channel=channel, latest=ts, inclusive=True, limit=1
    )
    messages = reply.get("messages") or []
    if not messages or messages[0].get("ts") != ts:
        # A reply in a thread is not in the channel history.
        reply = await slack_errors.call(
            client.conversations_replies, channel=channel, ts=ts, inclusive=True, limit=1
        )
        messages = [m for m in reply.get("messages") or [] if m.get("ts") == ts]
    return blocks_text(messages[0]) if messages else ""


def blocks_text(message: dict) -> str:
    return str(message.get("text") or "").strip()


async def _permalink(client: AsyncWebClient, *, channel: str, ts: str) -> str | None:
    try:
        reply = await slack_errors.call(client.chat_getPermalink, channel=channel, message_ts=ts)
    except SlackApiError:
        return None
    return reply.get("permalink")


async def _context(
    door: Door, body: dict, client: AsyncWebClient, *, user: str, channel: str
) -> SlackContext | None:
    try:
        return await door.context(
            body, client, user_id=user, team_id=body["team_id"], channel_id=channel
        )
    except UnknownWorkspace:
        return None


async def _quietly(fn: Any, **kwargs: Any) -> None:
    """Post, handling Slack's refusals by category instead of failing the listener."""
    try:
        await slack_errors.call(fn, **kwargs)
    except SlackApiError as exc:
        log.warning(
            "Slack refused %s: %s (%s)",
            getattr(fn, "__name__", fn),
            exc.response.get("error"),
            slack_errors.classify(exc).value,
        )
