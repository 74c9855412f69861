"""Database configuration, connection lifecycle and migrations (Tortoise ORM)."""

from __future__ import annotations

from typing import Any

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.exceptions import DBConnectionError
from tortoise.migrations.api.migrate import migrate as run_migrations

MODEL_MODULES = ["core.models"]
MIGRATIONS_PACKAGE = "core.migrations"
# PostgreSQL's JIT compiler pays off on long reports; on TeamFlow's dashboard queries over
# a million tasks it spent longer compiling (in every parallel worker) than the query ran:
# created-vs-completed took 140 ms with it and 35 ms without. Sessions run without it.
POSTGRES_SESSION_SETTINGS = {"jit": "off"}


class PooledConnection(asyncpg.Connection):
    """A pooled PostgreSQL session that skips asyncpg's reset query on release.

    asyncpg resets every connection it takes back (`CLOSE ALL; UNLISTEN *; RESET ALL;
    pg_advisory_unlock_all()`), one more round trip after each of the ORM's queries, as
    each query borrows a connection. TeamFlow keeps no session state beyond the settings
    fixed at connect time: no LISTEN, cursors, SET or advisory locks. An open transaction
    is still rolled back on release (asyncpg does that whatever this query says)."""

    def get_reset_query(self) -> str:
        return ""


def tortoise_url(database_url: str) -> str:
    """Accept the URL spellings people paste (postgresql://) and hand Tortoise its own."""
    scheme, _, rest = database_url.partition("://")
    if scheme in {"postgres", "postgresql", "asyncpg"}:
        return f"asyncpg://{rest}"
    return database_url


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": _connection(tortoise_url(database_url))},
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


def _connection(url: str) -> str | dict[str, Any]:
    """The URL as Tortoise takes it; for PostgreSQL, spelled out with session settings."""
    if not url.startswith("asyncpg://"):
        return url
    config = expand_db_url(url)
    settings = config["credentials"].setdefault("server_settings", {})
    config["credentials"]["server_settings"] = {**POSTGRES_SESSION_SETTINGS, **settings}
    config["credentials"]["connection_class"] = PooledConnection
    return config


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


# What a database that is down, restarting or unreachable raises, through Tortoise or
# straight from asyncpg (a restart cuts sessions: AdminShutdownError, then
# ConnectionDoesNotExistError, CannotConnectNowError, refused connections). A pooled
# connection the server cut mid-operation is refused by asyncpg with "cannot switch to
# state ...": InternalClientError. Bad data (a unique violation, say) is not on the list.
DATABASE_UNAVAILABLE: tuple[type[BaseException], ...] = (
    DBConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.InternalClientError,
    ConnectionError,
)


def database_unavailable(exc: BaseException) -> bool:
    """True when `exc`, or what it wraps (Tortoise wraps driver errors), says the database
    cannot be reached right now: the caller answers "try again", nothing is recorded."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, DATABASE_UNAVAILABLE):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
