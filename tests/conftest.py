from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from tortoise.contrib.test import truncate_all_models

from core.cache import Cache, create_cache
from core.db import close_db, init_db, migrate
from tests import settings


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A brand-new database, brought up to date by the checked-in migrations."""
    if not settings.uses_postgres():
        url = f"sqlite://{Path(tmp_path_factory.mktemp('db')) / 'teamflow.db'}"
        await migrate(url)
        yield url
        return
    server, _, _ = settings.DATABASE_URL.rpartition("/")
    name = f"teamflow_test_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(_asyncpg_dsn(settings.DATABASE_URL))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"{server}/{name}"
        await migrate(url)
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
async def connected(database_url: str) -> AsyncIterator[str]:
    await init_db(database_url)
    yield database_url
    await close_db()


@pytest.fixture
async def db(connected: str) -> AsyncIterator[str]:
    """Every test that asks for the database starts from empty tables."""
    await truncate_all_models()
    yield connected


@pytest.fixture
async def app_cache() -> AsyncIterator[Cache]:
    """The cache an app under test uses: Redis in the PostgreSQL + Redis pass."""
    cache = create_cache(settings.CACHE_REDIS_URL, prefix=f"test-{secrets.token_hex(4)}:")
    yield cache
    await cache.close()


def _asyncpg_dsn(url: str) -> str:
    rest = url.partition("://")[2]
    return f"postgresql://{rest}"
