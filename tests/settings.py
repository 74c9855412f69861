"""Where the suite finds its database and Redis.

TEST_DATABASE_URL: `sqlite` (default: a fresh file per run) or a PostgreSQL URL to a
server; a fresh database is created on it for the run and dropped afterwards.
TEST_REDIS_URL: the Redis that the Redis-backend tests talk to (default local db 15).
TEST_CACHE_REDIS_URL: when set, apps under test use Redis as their cache (the
PostgreSQL + Redis pass); otherwise the in-process cache (the embedded default).
"""

from __future__ import annotations

import os

DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CACHE_REDIS_URL = os.environ.get("TEST_CACHE_REDIS_URL") or None


def uses_postgres() -> bool:
    return DATABASE_URL.startswith(("postgres", "asyncpg"))
