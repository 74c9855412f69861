"""The Quart application factory. Connections open in `before_serving`, never at import."""

from __future__ import annotations

from quart import Quart

from core.cache import Cache, create_cache
from core.config import Settings, get_settings
from core.db import close_db, init_db
from webhooks import health
from webhooks.runtime import Runtime, attach


def create_app(
    settings: Settings | None = None,
    *,
    cache: Cache | None = None,
    manage_database: bool = True,
) -> Quart:
    """Build the app. Tests pass `manage_database=False` when they own the connection."""
    settings = settings or get_settings()
    app = Quart("teamflow")
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    runtime = Runtime(
        settings=settings,
        cache=cache or create_cache(settings.redis_url),
        manage_database=manage_database,
    )
    attach(app, runtime)
    app.register_blueprint(health.blueprint)

    @app.before_serving
    async def open_connections() -> None:
        if runtime.manage_database:
            await init_db(settings.database_url)

    @app.after_serving
    async def close_connections() -> None:
        await runtime.cache.close()
        if runtime.manage_database:
            await close_db()

    return app
