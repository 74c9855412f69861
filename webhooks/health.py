"""Liveness and readiness: `/health` answers fast, `/health/detailed` checks each dependency."""

from __future__ import annotations

from quart import Blueprint, Response, jsonify

from core.db import database_answers
from core.heartbeats import SCHEDULER, last_heartbeat
from webhooks.runtime import runtime

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
async def health() -> Response:
    return jsonify({"status": "ok"})


@blueprint.get("/health/detailed")
async def health_detailed() -> tuple[Response, int]:
    settings = runtime().settings
    checks = {
        "database": {
            "ok": await database_answers(),
            "backend": "postgresql" if settings.uses_postgres else "sqlite",
        },
        "cache": {
            "ok": await runtime().cache.ping(),
            "backend": "redis" if settings.redis_url else "memory",
        },
    }
    healthy = all(check["ok"] for check in checks.values())
    beat = await last_heartbeat(runtime().cache, SCHEDULER) if checks["cache"]["ok"] else None
    checks["scheduler"] = {"last_heartbeat": beat.isoformat() if beat else None}
    body = {"status": "ok" if healthy else "degraded", "checks": checks}
    return jsonify(body), 200 if healthy else 503
