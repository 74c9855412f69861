"""The Bolt app: one AsyncApp whose listeners serve HTTP mode and Socket Mode alike."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.install import oauth_settings
from bot.installation_store import TeamFlowInstallationStore
from bot.listeners import actions, commands, events, home, lifecycle, morning, shortcuts, views
from bot.listeners.common import NOT_INSTALLED, Door
from bot.notifier import ClientFor, HomeRefresher
from bot.tracked_listeners import track_listeners
from core.background_work import BackgroundWork
from core.config import Settings

LISTENERS = (commands, actions, morning, views, shortcuts, lifecycle, home)


def slack_client(settings: Settings, *, token: str | None = None) -> AsyncWebClient:
    """The Web API client; SLACK_API_URL points it at a fake Slack in tests and local runs."""
    return AsyncWebClient(token=token or settings.slack_bot_token, base_url=settings.slack_api_url)


def build_bolt_app(
    settings: Settings,
    *,
    client: AsyncWebClient | None = None,
    background: BackgroundWork | None = None,
) -> AsyncApp:
    """Single-workspace mode (SLACK_BOT_TOKEN): the workspace's organization is created on
    first contact. Multi-workspace mode (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET): each
    request's bot token comes from the workspace's installation, made at /slack/install.
    Listener work after the ack is registered with `background`, for shutdown to await."""
    multi = settings.slack_multi_workspace
    if multi:
        # No token of its own: Bolt sets each request's token from the installation store.
        client = client or AsyncWebClient(base_url=settings.slack_api_url)
    app = AsyncApp(
        client=client or slack_client(settings),
        signing_secret=settings.slack_signing_secret,
        # HTTP requests are always verified; Socket Mode requests need no signature.
        request_verification_enabled=settings.slack_signing_secret is not None,
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        oauth_settings=oauth_settings(settings) if multi else None,
        # What Bolt answers a workspace without an installation, before any listener runs.
        user_facing_authorize_error_message=NOT_INSTALLED if multi else None,
    )
    if background is not None:
        track_listeners(app, background)
    door = door_for(settings)
    for module in LISTENERS:
        module.register(app, door)
    events.register(app, door, ticket_emoji=settings.ticket_emoji)
    return app


def door_for(settings: Settings) -> Door:
    """What every listener needs to know about this deployment."""
    return Door(
        command=settings.slack_command,
        single_workspace=not settings.slack_multi_workspace,
        morning_default_on=settings.morning_default_on,
        base_url=settings.base_url,
    )


def clients_for_teams(settings: Settings, bolt: AsyncApp) -> ClientFor:
    """How background work (notifications) gets a client for a workspace: the one bot
    token in single-workspace mode, else the workspace's installation."""
    return workspace_clients(settings, client=bolt.client)


def workspace_clients(settings: Settings, *, client: AsyncWebClient | None = None) -> ClientFor:
    """The same lookup without a Bolt app (the scheduler process): `client`, or one built
    from SLACK_BOT_TOKEN, in single-workspace mode; else the workspace's installation."""
    if not settings.slack_multi_workspace:
        shared = client or slack_client(settings)

        async def single(team_id: str) -> AsyncWebClient | None:
            return shared

        return single
    store = TeamFlowInstallationStore(secret_key=settings.secret_key)

    async def per_team(team_id: str) -> AsyncWebClient | None:
        bot = await store.async_find_bot(enterprise_id=None, team_id=team_id)
        return slack_client(settings, token=bot.bot_token) if bot else None

    return per_team


def home_refresher(settings: Settings, clients: ClientFor) -> HomeRefresher:
    """Republish someone's App Home after a change to their tasks made anywhere."""
    door = door_for(settings)

    async def refresh(team_id: str, slack_user_id: str) -> None:
        client = await clients(team_id)
        if client is not None:
            await home.publish_home(client, team_id=team_id, slack_user_id=slack_user_id, door=door)

    return refresh
