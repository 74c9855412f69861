"""The app under contract tests, its OpenAPI document, and a signed-in owner with some data."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from quart import Quart

from core.cache import create_cache
from core.config import Settings, load_settings
from webhooks.app import create_app

OPENAPI_PATH = "/openapi.json"
API_PREFIX = "/api/v1/"
# `<uuid:organization_id>` and `<ref>` in Quart's rules; `{organization_id}` in OpenAPI.
RULE_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def contract_settings() -> Settings:
    """Limits high enough that fuzzing is not answered 429 everywhere."""
    return load_settings(
        TEAMFLOW_ENV="test",
        TEAMFLOW_RATE_LIMIT_PER_MINUTE=1_000_000,
        TEAMFLOW_RATE_LIMIT_ADDRESS_PER_MINUTE=1_000_000,
        TEAMFLOW_LOGIN_FAILURES_PER_ACCOUNT=1_000_000,
        TEAMFLOW_LOGIN_FAILURES_PER_ADDRESS=1_000_000,
    )


def bare_app() -> Quart:
    """The app without a database: enough for its routes and its OpenAPI document."""
    return create_app(contract_settings(), cache=create_cache(None), manage_database=False)


def api_routes() -> list[tuple[str, str]]:
    """Every (method, OpenAPI path) the app routes under /api/v1, HEAD and OPTIONS aside."""
    routes = set()
    for rule in bare_app().url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX):
            continue
        path = RULE_PARAMETER.sub(r"{\1}", rule.rule)
        for method in rule.methods or ():
            if method not in {"HEAD", "OPTIONS"}:
                routes.add((method.lower(), path))
    return sorted(routes, key=lambda route: (route[1], route[0]))


@pytest.fixture(scope="session")
async def openapi_document() -> dict[str, Any]:
    """`/openapi.json` as the app serves it; building it needs no database."""
    response = await bare_app().test_client().get(OPENAPI_PATH)
    assert response.status_code == 200
    return await response.get_json()


@pytest.fixture
async def app(db, app_cache) -> AsyncIterator[Quart]:
    yield create_app(contract_settings(), cache=app_cache, manage_database=False)


@dataclass
class World:
    """What a signed-in owner can see: ids that path parameters can point at."""

    token: str
    organization_id: str
    owner_id: str
    member_id: str
    project_id: str
    project_key: str
    task_ids: list[str] = field(default_factory=list)
    task_keys: list[str] = field(default_factory=list)
    api_token_id: str = ""


@pytest.fixture
async def world(app: Quart) -> World:
    """An owner (signed in through /auth/register) of an organization with project WEB,
    three tasks, a comment, a member and an API token. Built through the API itself."""
    client = app.test_client()
    headers: dict[str, str] = {}

    async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await client.post(path, json=body, headers=headers)
        reply = await response.get_json()
        assert response.status_code == 201, (path, reply)
        return reply["data"]

    session = await post(
        "/api/v1/auth/register",
        {
            "email": f"olive-{secrets.token_hex(4)}@example.com",
            "password": "correct horse battery",
            "name": "Olive",
            "organization_name": "Contract Co",
        },
    )
    headers["Authorization"] = f"Bearer {session['access_token']}"
    org = session["organization_id"]
    project = await post(f"/api/v1/organizations/{org}/projects", {"key": "WEB", "name": "Website"})
    member = await post(
        f"/api/v1/organizations/{org}/members",
        {"email": f"pat-{secrets.token_hex(4)}@example.com", "name": "Pat", "role": "member"},
    )
    world = World(
        token=session["access_token"],
        organization_id=org,
        owner_id=session["user"]["id"],
        member_id=member["user"]["id"],
        project_id=project["id"],
        project_key=project["key"],
    )
    for title, priority in [("Fix login", "high"), ("Write docs", "low"), ("Ship it", "urgent")]:
        task = await post(
            "/api/v1/projects/WEB/tasks",
            {"title": title, "priority": priority, "assignee_id": world.member_id},
        )
        world.task_ids.append(task["id"])
        world.task_keys.append(task["key"])
    await post(f"/api/v1/tasks/{world.task_keys[0]}/comments", {"body": "On it"})
    token = await post(f"/api/v1/organizations/{org}/api-tokens", {"name": "CI"})
    world.api_token_id = token["id"]
    return world
