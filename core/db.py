"""Database configuration, connection lifecycle and migrations (Tortoise ORM)."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise
from tortoise.migrations.api.migrate import migrate as run_migrations

MODEL_MODULES = ["core.models"]
MIGRATIONS_PACKAGE = "core.migrations"


def tortoise_url(database_url: str) -> str:
    """Accept the URL spellings people paste (postgresql://) and hand Tortoise its own."""
    scheme, _, rest = database_url.partition("://")
    if scheme in {"postgres", "postgresql", "asyncpg"}:
        return f"asyncpg://{rest}"
    return database_url


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": tortoise_url(database_url)},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": MIGRATIONS_PACKAGE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_db(database_url: str) -> None:
    """Open the connection pool. Global fallback lets Quart's request tasks see it."""
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_db() -> None:
    await Tortoise.close_connections()


async def migrate(database_url: str) -> None:
    """Apply every checked-in migration that the database has not seen yet."""
    try:
        await run_migrations(config=tortoise_config(database_url))
    finally:
        await Tortoise.close_connections()


async def database_answers() -> bool:
    """True if a trivial query round-trips; used by health checks."""
    try:
        await Tortoise.get_connection("default").execute_query("SELECT 1")
    except Exception:  # any driver error means "not healthy"; the caller reports it
        return False
    return True
