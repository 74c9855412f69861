"""The Quart application factory. Connections open in `before_serving`, never at import."""

from __future__ import annotations

import asyncio

from quart import Quart, request
from quart_cors import cors
from quart_schema import HttpSecurityScheme, Info, QuartSchema

from core.background_work import BackgroundWork
from core.cache import Cache, create_cache
from core.config import Settings, get_settings
from core.db import close_db, init_db
from core.logs import configure_logging
from core.services.live_feed import LiveRelay
from core.services.outbound_deliveries import RetryPolicy
from webhooks import docs, errors, health, inbound_routes, metrics, observability, slack_routes
from webhooks.api import (
    auth_routes,
    organization_routes,
    outbound_routes,
    task_routes,
    token_routes,
    webhook_endpoint_routes,
)
from webhooks.errors import ApiError
from webhooks.outbound import Dispatcher
from webhooks.ratelimit import enforce
from webhooks.runtime import Runtime, attach
from webhooks.web import live
from webhooks.web.routes import BLUEPRINTS as WEB_BLUEPRINTS

API_BLUEPRINTS = [
    auth_routes.blueprint,
    organization_routes.blueprint,
    task_routes.blueprint,
    token_routes.blueprint,
    outbound_routes.blueprint,
    webhook_endpoint_routes.blueprint,
]
BODY_METHODS = {"POST", "PUT", "PATCH"}


def create_app(
    settings: Settings | None = None,
    *,
    cache: Cache | None = None,
    manage_database: bool = True,
) -> Quart:
    """Build the app. Tests pass `manage_database=False` when they own the connection."""
    settings = settings or get_settings()
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    app = Quart("teamflow")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    runtime = Runtime(
        settings=settings,
        cache=cache or create_cache(settings.redis_url),
        manage_database=manage_database,
    )
    attach(app, runtime)
    QuartSchema(
        app,
        info=Info(title="TeamFlow API", version="1"),
        openapi_path="/openapi.json",
        swagger_ui_path=None,
        redoc_ui_path=None,
        scalar_ui_path=None,
        security_schemes={"bearer": HttpSecurityScheme(scheme="bearer", bearer_format="JWT")},
        security=[{"bearer": []}],
    )
    # pydantic dumps responses straight to JSON types (in Rust): encoding a page of tasks
    # then calls no Python hook for each of its datetimes and UUIDs. Same bytes out.
    app.config["QUART_SCHEMA_PYDANTIC_DUMP_OPTIONS"] = {"mode": "json"}
    errors.register(app)
    request_metrics = metrics.Metrics()
    metrics.attach(app, request_metrics)
    observability.install(app, slow_request_ms=settings.slow_request_ms, observer=request_metrics)
    _guard_api(app, runtime)
    after_ack = BackgroundWork()  # Slack listener work still running after the ack
    bolt = _slack_app(settings, after_ack)
    slack_routes.attach(app, bolt)
    notifier = _notifier(settings, bolt, runtime.cache)
    app.extensions["teamflow_notifier"] = notifier
    outbound = _outbound(settings, runtime.cache)
    app.extensions["teamflow_outbound"] = outbound
    # Live updates: every web process relays the activity log to the cache's pub/sub
    # (a lock lets one publish each change); /live forwards it to open pages.
    live_relay = LiveRelay(runtime.cache)
    app.extensions["teamflow_live"] = live_relay
    app.register_blueprint(live.blueprint)
    for blueprint in (
        health.blueprint,
        docs.blueprint,
        metrics.blueprint,
        slack_routes.blueprint,
        inbound_routes.blueprint,
    ):
        app.register_blueprint(blueprint)
    for blueprint in API_BLUEPRINTS:
        app.register_blueprint(blueprint)
    for blueprint in WEB_BLUEPRINTS:
        app.register_blueprint(blueprint)
    if settings.cors_origin_list:
        app = cors(
            app,
            allow_origin=settings.cors_origin_list,
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "X-Request-ID",
                "X-Organization-ID",
                "API-Version",
            ],
            expose_headers=["ETag", "X-Request-ID", "X-Process-Time", "Retry-After"],
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        )

    socket_mode = None
    background: list[asyncio.Task] = []

    @app.before_serving
    async def open_connections() -> None:
        nonlocal socket_mode
        if runtime.manage_database:
            await init_db(settings.database_url)
        if notifier is not None and runtime.manage_database:
            background.append(
                asyncio.create_task(notifier.run_forever(interval=settings.notify_interval_seconds))
            )
        if runtime.manage_database:
            interval = settings.outbound_interval_seconds
            background.append(asyncio.create_task(outbound.run_forever(interval=interval)))
            live_interval = settings.live_interval_seconds
            background.append(asyncio.create_task(live_relay.run_forever(interval=live_interval)))
        if bolt is not None and settings.slack_app_token:
            from slack_bolt.adapter.socket_mode.websockets import AsyncSocketModeHandler

            # Socket Mode: Slack sends the same payloads over a WebSocket, no public URL.
            socket_mode = AsyncSocketModeHandler(bolt, settings.slack_app_token)
            await socket_mode.connect_async()

    @app.after_serving
    async def close_connections() -> None:
        if socket_mode is not None:
            await socket_mode.close_async()
        await after_ack.drain(timeout=settings.shutdown_drain_seconds)
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await runtime.cache.close()
        if runtime.manage_database:
            await close_db()

    return app


def _slack_app(settings: Settings, after_ack: BackgroundWork):
    """The Bolt app when Slack is configured (a bot token, or a client id and secret for
    multi-workspace install; HTTP mode needs the signing secret, Socket Mode the app
    token), else None: `/slack/events` then says Slack is not configured."""
    if not settings.slack_configured:
        return None
    if not (settings.slack_signing_secret or settings.slack_app_token):
        return None
    from bot.app import build_bolt_app

    return build_bolt_app(settings, background=after_ack)


def _notifier(settings: Settings, bolt, cache: Cache):
    """Slack notifications read the activity log in every web process; a lock in the
    cache lets one of them post each change."""
    if bolt is None:
        return None
    from bot.app import clients_for_teams, home_refresher
    from bot.notifier import Notifier

    clients = clients_for_teams(settings, bolt)
    return Notifier(clients, cache, refresh_home=home_refresher(settings, clients))


def _outbound(settings: Settings, cache: Cache) -> Dispatcher:
    """Outbound webhooks, sent from every web process; a cache lock lets one send a round."""
    policy = RetryPolicy(
        base_seconds=settings.outbound_backoff_seconds,
        max_attempts=settings.outbound_max_attempts,
        disable_after=settings.outbound_disable_after,
    )
    return Dispatcher(
        cache, settings.secret_key, policy=policy, timeout=settings.outbound_timeout_seconds
    )


def _guard_api(app: Quart, runtime: Runtime) -> None:
    """Checks every API request passes before its route runs: address rate limit, body."""

    @app.before_request
    async def guard() -> None:
        if not request.path.startswith("/api/"):
            return
        address = request.remote_addr or "unknown"
        await enforce(
            runtime.cache,
            f"address:{address}",
            limit=runtime.settings.rate_limit_address_per_minute,
        )
        if request.method in BODY_METHODS:
            length = request.content_length
            if length is not None and length > runtime.settings.max_body_bytes:
                raise ApiError(413, "The request body is too large")
            if request.mimetype and request.mimetype != "application/json":
                raise ApiError(415, "Send the body as application/json")
