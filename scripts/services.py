"""Check that PostgreSQL and Redis answer before the suite starts; say which one does not."""

from __future__ import annotations

import asyncio
import sys

import asyncpg
from redis.asyncio import Redis


async def _postgres(url: str) -> str | None:
    dsn = "postgresql://" + url.partition("://")[2]
    try:
        connection = await asyncio.wait_for(asyncpg.connect(dsn), 5)
        await connection.close()
    except Exception as exc:  # report any failure to connect, whatever the driver raised
        return f"PostgreSQL at {url} does not answer: {exc}"
    return None


async def _redis(url: str) -> str | None:
    client = Redis.from_url(url, socket_connect_timeout=5)
    try:
        await client.ping()
    except Exception as exc:  # same: any failure means the suite cannot run
        return f"Redis at {url} does not answer: {exc}"
    finally:
        await client.aclose()
    return None


async def main(postgres_url: str, redis_url: str) -> int:
    problems = [p for p in await asyncio.gather(_postgres(postgres_url), _redis(redis_url)) if p]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
