"""Heartbeats: processes record that they are alive; health checks read them."""

from __future__ import annotations

from datetime import datetime

from core.cache import Cache
from core.clock import utcnow

SCHEDULER = "scheduler"
HEARTBEAT_SECONDS = 30


async def record_heartbeat(cache: Cache, process: str) -> None:
    await cache.set(f"heartbeat:{process}", utcnow().isoformat(), ttl=HEARTBEAT_SECONDS * 10)


async def last_heartbeat(cache: Cache, process: str) -> datetime | None:
    value = await cache.get(f"heartbeat:{process}")
    return datetime.fromisoformat(value) if value else None
