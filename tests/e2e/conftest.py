"""An HTTP client for the real app, and signed-in people to drive it."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from quart import Quart

from core.config import load_settings
from webhooks.app import create_app


@dataclass
class Response:
    status: int
    body: Any
    headers: Any

    @property
    def data(self) -> Any:
        return self.body["data"]

    @property
    def error(self) -> dict[str, Any]:
        return self.body["error"]


class Api:
    """Calls the app in-process through Quart's test client: routing, hooks and handlers run."""

    def __init__(self, app: Quart) -> None:
        self.app = app
        self.client = app.test_client()

    async def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        query: dict[str, Any] | None = None,
        data: bytes | str | None = None,
    ) -> Response:
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        kwargs: dict[str, Any] = {"headers": sent}
        if body is not None:
            kwargs["json"] = body
        if data is not None:
            kwargs["data"] = data
        if query:
            kwargs["query_string"] = {k: v for k, v in query.items() if v is not None}
        response = await self.client.open(path, method=method, **kwargs)
        raw = await response.get_data(as_text=True)
        parsed = json.loads(raw) if raw and response.mimetype == "application/json" else raw
        return Response(response.status_code, parsed, response.headers)

    async def register(self, org: str = "Acme", name: str = "Olive") -> Session:
        email = f"{name.lower()}-{secrets.token_hex(4)}@example.com"
        password = "correct horse battery"
        reply = await self.call(
            "POST",
            "/api/v1/auth/register",
            body={
                "email": email,
                "password": password,
                "name": name,
                "organization_name": org,
            },
        )
        assert reply.status == 201, reply.body
        return Session.of(reply.data, email=email, password=password)

    async def join(self, owner: Session, role: str, name: str = "Pat") -> Session:
        """Another person in the owner's organization, signed in with their own password."""
        from core.services import users

        email = f"{name.lower()}-{secrets.token_hex(4)}@example.com"
        password = "another good password"
        await users.create_user(email=email, name=name, password=password)
        invited = await self.call(
            "POST",
            f"/api/v1/organizations/{owner.org}/members",
            token=owner.access,
            body={"email": email, "role": role},
        )
        assert invited.status == 201, invited.body
        login = await self.call(
            "POST", "/api/v1/auth/login", body={"email": email, "password": password}
        )
        assert login.status == 200, login.body
        return Session.of(login.data, email=email, password=password, org=owner.org)


@dataclass
class Session:
    access: str
    refresh: str
    user_id: str
    org: str
    email: str
    password: str

    @classmethod
    def of(
        cls, data: dict[str, Any], *, email: str, password: str, org: str | None = None
    ) -> Session:
        return cls(
            access=data["access_token"],
            refresh=data["refresh_token"],
            user_id=data["user"]["id"],
            org=org or data["organization_id"],
            email=email,
            password=password,
        )


@pytest.fixture
async def app(db, app_cache) -> AsyncIterator[Quart]:
    settings = load_settings(
        TEAMFLOW_ENV="test",
        TEAMFLOW_RATE_LIMIT_PER_MINUTE=100_000,
        TEAMFLOW_RATE_LIMIT_ADDRESS_PER_MINUTE=100_000,
    )
    yield create_app(settings, cache=app_cache, manage_database=False)


@pytest.fixture
async def api(app) -> Api:
    return Api(app)


@pytest.fixture
async def owner(api) -> Session:
    return await api.register()


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
async def fake_slack():
    from tests.fakes.slack_api import FakeSlack

    fake = FakeSlack()
    fake.add_user(
        "U1", name="alice", real_name="Alice Adams", email="alice@acme.test", tz="Europe/Berlin"
    )
    fake.add_user(
        "U2", name="bob", real_name="Bob Brown", email="bob@acme.test", tz="America/New_York"
    )
    fake.add_user("U3", name="carol", real_name="Carol Chen", email="carol@acme.test", tz="UTC")
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def slack(db, app_cache, fake_slack):
    from tests.e2e.slack_harness import build

    return build(fake_slack, app_cache)
