"""The app's own lifecycle in a workspace: uninstalled, or its tokens revoked."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.listeners.common import Door
from core.services import slack_links


def register(app: AsyncApp, door: Door) -> None:
    # Both events skip Bolt's token lookup: the token they concern is already gone.

    @app.event("app_uninstalled")
    async def on_uninstalled(context: AsyncBoltContext) -> None:
        if app.installation_store is not None:
            await app.default_app_uninstalled_event_listener()(context=context)
        # The workspace stops acting; its organization and tasks stay for a reinstall.
        await slack_links.disconnect_workspace(context.team_id or "")

    @app.event("tokens_revoked")
    async def on_tokens_revoked(event: dict, context: AsyncBoltContext) -> None:
        if app.installation_store is not None:
            await app.default_tokens_revoked_event_listener()(event=event, context=context)
