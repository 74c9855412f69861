"""Shared pieces of the hostile-input tests: the app in-process, and two organizations
where one of them holds one of everything the API can address."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from quart import Quart

from core.config import load_settings
from tests.contract.conftest import api_routes
from tests.e2e.conftest import Api, Session
from webhooks.app import create_app

MAX_BODY_BYTES = 64 * 1024


def hostile_app(cache, **overrides: Any) -> Quart:
    settings = load_settings(
        TEAMFLOW_ENV="test",
        TEAMFLOW_RATE_LIMIT_PER_MINUTE=1_000_000,
        TEAMFLOW_RATE_LIMIT_ADDRESS_PER_MINUTE=1_000_000,
        TEAMFLOW_LOGIN_FAILURES_PER_ACCOUNT=1_000_000,
        TEAMFLOW_LOGIN_FAILURES_PER_ADDRESS=1_000_000,
        TEAMFLOW_MAX_BODY_BYTES=MAX_BODY_BYTES,
        **overrides,
    )
    return create_app(settings, cache=cache, manage_database=False)


@dataclass
class Victim:
    """Another organization with one of everything, and the words that must never leak."""

    session: Session
    project_id: str
    task_id: str
    member_id: str
    token_id: str
    endpoint_id: str
    endpoint_secret: str
    delivery_id: str
    outbound_id: str
    secrets: tuple[str, ...]


async def victim(api: Api) -> Victim:
    other = await api.register(org="Globex Secretorg", name="Gina")

    async def post(path: str, body: Any = None) -> dict[str, Any]:
        reply = await api.call("POST", f"/api/v1{path}", token=other.access, body=body)
        assert reply.status in (200, 201), (path, reply.body)
        return reply.data

    project = await post(
        f"/organizations/{other.org}/projects", {"key": "SEC", "name": "Secret project"}
    )
    task = await post("/projects/SEC/tasks", {"title": "Plans for the secret launch"})
    await post(f"/tasks/{task['id']}/comments", {"body": "Whisper the launch date"})
    member = await post(
        f"/organizations/{other.org}/members",
        {"email": f"mole-{secrets.token_hex(3)}@globex.test", "name": "Mole", "role": "member"},
    )
    token = await post(f"/organizations/{other.org}/api-tokens", {"name": "globex-bot"})
    endpoint = await post(
        f"/organizations/{other.org}/webhook-endpoints",
        {"provider": "generic", "project_id": "SEC"},
    )
    outbound = await post(
        f"/organizations/{other.org}/outbound-webhooks",
        {"url": "https://hooks.globex.test/in", "events": ["created"]},
    )
    delivery = await generic_delivery(api, endpoint, {"action": "create", "title": "Alarm"})
    return Victim(
        session=other,
        project_id=project["id"],
        task_id=task["id"],
        member_id=member["user"]["id"],
        token_id=token["id"],
        endpoint_id=endpoint["id"],
        endpoint_secret=endpoint["secret"],
        delivery_id=delivery,
        outbound_id=outbound["id"],
        secrets=(
            "Globex",
            "Secret project",
            "Plans for the secret launch",
            "Whisper",
            "mole-",
            "globex-bot",
            "hooks.globex.test",
            endpoint["secret"],
            other.email,
        ),
    )


def sign_generic(secret: str, body: bytes, stamp: int | None = None) -> dict[str, str]:
    timestamp = str(int(time.time()) if stamp is None else stamp)
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return {
        "Content-Type": "application/json",
        "X-TeamFlow-Timestamp": timestamp,
        "X-TeamFlow-Signature": f"v1={digest.hexdigest()}",
    }


async def generic_delivery(api: Api, endpoint: dict[str, Any], payload: dict[str, Any]) -> str:
    body = json.dumps(payload).encode()
    reply = await api.call(
        "POST",
        f"/webhooks/generic/{endpoint['id']}",
        data=body,
        headers=sign_generic(endpoint["secret"], body),
    )
    assert reply.status == 200, reply.body
    return reply.data["delivery_id"]


def every_operation() -> set[tuple[str, str]]:
    """Every (METHOD, OpenAPI path) the app routes under /api/v1."""
    return {(method.upper(), path) for method, path in api_routes()}
