"""Liveness and readiness: `/health` answers fast, `/health/detailed` checks each dependency."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any

import aiohttp
from quart import Blueprint, Response, jsonify
from quart_schema import hide

from core.config import Settings
from core.db import database_answers
from core.heartbeats import SCHEDULER, last_heartbeat
from webhooks.runtime import runtime

blueprint = Blueprint("health", __name__)
CHECK_TIMEOUT_SECONDS = 3.0


@blueprint.get("/health")
@hide
async def health() -> Response:
    return jsonify({"status": "ok"})


@blueprint.get("/health/detailed")
@hide
async def health_detailed() -> tuple[Response, int]:
    """Database and cache are required (503 when down); Slack is reported, not required."""
    rt = runtime()
    database, cache, slack = await asyncio.gather(
        _timed(database_answers()), _timed(rt.cache.ping()), _slack(rt.settings)
    )
    database["backend"] = "postgresql" if rt.settings.uses_postgres else "sqlite"
    cache["backend"] = "redis" if rt.settings.redis_url else "memory"
    healthy = database["ok"] and cache["ok"]
    beat = await last_heartbeat(rt.cache, SCHEDULER) if cache["ok"] else None
    checks = {
        "database": database,
        "cache": cache,
        "slack": slack,
        "scheduler": {"last_heartbeat": beat.isoformat() if beat else None},
    }
    status = "ok" if healthy and slack.get("ok", True) else "degraded"
    return jsonify({"status": status, "checks": checks}), 200 if healthy else 503


async def _timed(check: Awaitable[bool]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        ok = await asyncio.wait_for(check, CHECK_TIMEOUT_SECONDS)
    except (TimeoutError, OSError):
        ok = False
    return {"ok": bool(ok), "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


async def _slack(settings: Settings) -> dict[str, Any]:
    """Slack's `api.test` answers without a token; a reply of any kind means reachable."""
    if not settings.slack_configured:
        return {"configured": False}
    url = settings.slack_api_url.rstrip("/") + "/api.test"

    async def reachable() -> bool:
        timeout = aiohttp.ClientTimeout(total=CHECK_TIMEOUT_SECONDS)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.post(url) as response:
                    return response.status < 500
        except aiohttp.ClientError:
            return False

    return {"configured": True, **await _timed(reachable())}
