"""The morning DM's quick actions: done, due tomorrow, due next week, and "stop these".

Acting on one task re-renders the whole morning message in place, so the list the
person is looking at always says what is still open.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.blocks import ids
from bot.identity import SlackContext
from bot.listeners.actions import end_of_day, resolve_actor
from bot.listeners.common import Door
from core.errors import DomainError
from core.services import morning, tasks

OFF_TEXT = "Morning messages are off. Turn them on again with `/task morning on`."


async def _apply(ctx: SlackContext, task_id: uuid.UUID, choice: str) -> None:
    if choice == ids.MORNING_DONE:
        await tasks.complete_task(ctx.actor, task_id)
        return
    days = {ids.MORNING_TOMORROW: 1, ids.MORNING_NEXT_WEEK: 7}.get(choice)
    if days is None:
        raise ValueError(f"unknown morning action {choice}")
    today = ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()
    due_at = end_of_day(today + timedelta(days=days), ctx.timezone)
    await tasks.update_task(ctx.actor, task_id, tasks.TaskChanges(due_at=due_at))


def register(app: AsyncApp, door: Door) -> None:
    @app.action(ids.MORNING_TASK)
    async def on_task(ack: Any, body: dict, respond: Any, client: AsyncWebClient) -> None:
        await ack()
        ctx = await resolve_actor(door, body, respond, client)
        if ctx is None:
            return
        action = body["actions"][0]
        task_id = ids.task_id_from_block_id(action.get("block_id", ""))
        if task_id is None:
            return
        try:
            await _apply(ctx, task_id, action["selected_option"]["value"])
        except DomainError as exc:
            await respond(
                text=f":warning: {exc.message}", response_type="ephemeral", replace_original=False
            )
            return
        found = await morning.morning_of(
            organization_id=ctx.actor.organization_id,
            user_id=ctx.actor.user_id,
            timezone=ctx.timezone,
            now=ctx.now,
        )
        await respond(
            text=blocks.morning_text(found),
            blocks=blocks.morning_blocks(found, dashboard_url=_dashboard(ctx)),
            replace_original=True,
        )

    @app.action(ids.DASHBOARD_LINK)
    async def on_dashboard_link(ack: Any) -> None:
        await ack()  # the button opened its URL in the browser; nothing else to do

    @app.action(ids.MORNING_OFF)
    async def on_off(ack: Any, body: dict, respond: Any, client: AsyncWebClient) -> None:
        await ack()
        ctx = await resolve_actor(door, body, respond, client)
        if ctx is None:
            return
        await morning.set_morning(ctx.actor, enabled=False)
        await respond(text=OFF_TEXT, blocks=blocks.notice(OFF_TEXT), replace_original=True)


def _dashboard(ctx: SlackContext) -> str | None:
    return ctx.base_url.rstrip("/") + "/dashboard" if ctx.base_url else None
