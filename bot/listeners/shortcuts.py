"""Shortcuts: "Create task from message" (prefilled, links back) and the global "New task"."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.blocks import ids
from bot.identity import UnknownWorkspace
from bot.listeners.commands import open_create_modal
from bot.listeners.common import Door

log = logging.getLogger(__name__)
TITLE_FROM_MESSAGE = 120


def register(app: AsyncApp, door: Door) -> None:
    @app.shortcut(ids.SHORTCUT_FROM_MESSAGE)
    async def from_message(ack: Any, body: dict, client: AsyncWebClient) -> None:
        await ack()
        message, channel = body.get("message") or {}, (body.get("channel") or {}).get("id")
        try:
            ctx = await door.context(
                body,
                client,
                user_id=body["user"]["id"],
                team_id=body["team"]["id"],
                channel_id=channel,
            )
        except UnknownWorkspace:
            return
        text = message.get("text", "").strip()
        link = await _permalink(client, channel, message.get("ts"))
        initial = blocks.TaskFormInitial(
            title=(text.splitlines() or [""])[0][:TITLE_FROM_MESSAGE],
            description=(text[:1800] + (f"\n\nFrom Slack: {link}" if link else "")).strip(),
            assignee_slack_id=None,
        )
        await open_create_modal(
            client,
            ctx,
            trigger_id=body["trigger_id"],
            initial=initial,
            thread_ts=message.get("ts"),
            message_ts=message.get("ts"),
            permalink=link,
        )

    @app.shortcut(ids.SHORTCUT_NEW_TASK)
    async def new_task(ack: Any, body: dict, client: AsyncWebClient) -> None:
        await ack()
        try:
            ctx = await door.context(
                body,
                client,
                user_id=body["user"]["id"],
                team_id=body["team"]["id"],
                channel_id=None,
            )
        except UnknownWorkspace:
            return
        await open_create_modal(client, ctx, trigger_id=body["trigger_id"])


async def _permalink(client: AsyncWebClient, channel: str | None, ts: str | None) -> str | None:
    if not channel or not ts:
        return None
    try:
        reply = await client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError as exc:
        log.info("no permalink for %s/%s: %s", channel, ts, exc.response.get("error"))
        return None
    return reply.get("permalink")
