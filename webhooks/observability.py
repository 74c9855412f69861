"""Request id, timing, API version and one structured log line per request."""

from __future__ import annotations

import re
import secrets
import time
from typing import Protocol

import structlog
from quart import Quart, Response, g, request

from core.clock import utcnow
from webhooks.errors import ApiError

log = structlog.get_logger("teamflow.http")

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
SUPPORTED_API_VERSIONS = {"1"}


class RequestObserver(Protocol):
    def observe_request(self, *, method: str, route: str, status: int, seconds: float) -> None: ...


def install(app: Quart, *, slow_request_ms: int, observer: RequestObserver | None = None) -> None:
    @app.before_request
    async def start() -> None:
        g.started = time.perf_counter()
        g.received_at = utcnow()
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if REQUEST_ID.match(incoming) else secrets.token_hex(12)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=g.request_id)
        g.api_version = request.headers.get("API-Version", "1")
        if request.path.startswith("/api/") and g.api_version not in SUPPORTED_API_VERSIONS:
            raise ApiError(400, f"API-Version {g.api_version} is not supported (use 1)")

    @app.after_request
    async def finish(response: Response) -> Response:
        seconds = time.perf_counter() - getattr(g, "started", time.perf_counter())
        response.headers["X-Request-ID"] = getattr(g, "request_id", "")
        response.headers["X-Process-Time"] = f"{seconds * 1000:.2f}ms"
        if request.path.startswith("/api/"):
            response.headers["API-Version"] = getattr(g, "api_version", "1")
        route = request.url_rule.rule if request.url_rule else "<unmatched>"
        if observer is not None:
            observer.observe_request(
                method=request.method, route=route, status=response.status_code, seconds=seconds
            )
        fields = {
            "method": request.method,
            "path": request.path,
            "route": route,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 2),
        }
        if seconds * 1000 >= slow_request_ms:
            log.warning("slow request", **fields)
        else:
            log.info("request", **fields)
        return response
