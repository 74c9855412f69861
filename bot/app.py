"""The Bolt app: one AsyncApp whose listeners serve HTTP mode and Socket Mode alike."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.listeners import actions, commands, shortcuts, views
from bot.listeners.common import Door
from core.config import Settings


def slack_client(settings: Settings, *, token: str | None = None) -> AsyncWebClient:
    """The Web API client; SLACK_API_URL points it at a fake Slack in tests and local runs."""
    return AsyncWebClient(token=token or settings.slack_bot_token, base_url=settings.slack_api_url)


def build_bolt_app(settings: Settings, *, client: AsyncWebClient | None = None) -> AsyncApp:
    """Single-workspace mode: the bot token from SLACK_BOT_TOKEN; the workspace's
    organization is created on first contact."""
    app = AsyncApp(
        client=client or slack_client(settings),
        signing_secret=settings.slack_signing_secret,
        # HTTP requests are always verified; Socket Mode requests need no signature.
        request_verification_enabled=settings.slack_signing_secret is not None,
        process_before_response=False,
        raise_error_for_unhandled_request=False,
    )
    door = Door(command=settings.slack_command, single_workspace=True)
    for module in (commands, actions, views, shortcuts):
        module.register(app, door)
    return app
