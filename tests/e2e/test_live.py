"""/live through the real app: a signed-in page hears its organization's changes.

The browser session is the API's own access token in the `tf_access` cookie, so a
person signed in through the API carries the cookie a browser would. A live relay on the
app's cache runs beside the app, as it does inside every web process.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from quart.testing.connections import WebsocketDisconnectError

from core.services import live_feed
from core.services.live_feed import LiveRelay
from webhooks.web.live import PING_SECONDS_CONFIG
from webhooks.web.session import ACCESS_COOKIE

NOT_SIGNED_IN = 4401


@pytest.fixture
async def task(api, owner) -> dict:
    """A task in project WEB, made before the relay starts (tests list it before `relay`)."""
    project = await api.call(
        "POST",
        f"/api/v1/organizations/{owner.org}/projects",
        token=owner.access,
        body={"key": "WEB", "name": "Website"},
    )
    assert project.status == 201, project.body
    created = await api.call(
        "POST",
        "/api/v1/tasks",
        token=owner.access,
        body={"project": "WEB", "title": "Write the changelog"},
    )
    assert created.status == 201, created.body
    return created.data


@pytest.fixture
async def outsider(api):
    """The owner of another organization (its own INBOX project made before the relay)."""
    return await api.register(org="Globex", name="Otto")


@pytest.fixture
async def relay(app_cache) -> AsyncIterator[LiveRelay]:
    """The relay, polling as the web process does, from now on (a cursor of its own, so
    no other relay reading the same database competes for the changes)."""
    relay = LiveRelay(app_cache, name=f"live-e2e-{secrets.token_hex(4)}")
    await relay.run_once()  # the cursor starts now
    running = asyncio.create_task(relay.run_forever(interval=0.25))
    yield relay
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)


@asynccontextmanager
async def live_socket(api, access_token: str | None) -> AsyncIterator[Any]:
    """A socket to /live with the session cookie, once the app has accepted it."""
    headers = {"Cookie": f"{ACCESS_COOKIE}={access_token}"} if access_token else {}
    async with api.client.websocket("/live", headers=headers) as socket:
        for _ in range(200):
            if socket.accepted:
                break
            await asyncio.sleep(0.01)
        yield socket


async def next_message(socket, *, within: float) -> dict:
    return json.loads(await asyncio.wait_for(socket.receive(), within))


async def complete(api, session, key: str) -> None:
    done = await api.call(
        "PATCH", f"/api/v1/tasks/{key}", token=session.access, body={"status": "done"}
    )
    assert done.status == 200, done.body


async def test_a_task_completed_through_the_api_reaches_an_open_page_within_a_second(
    api, owner, task, relay
):
    async with live_socket(api, owner.access) as socket:
        assert socket.accepted
        started = time.monotonic()
        await complete(api, owner, task["key"])
        event = await next_message(socket, within=1.0)
        elapsed = time.monotonic() - started
    assert elapsed < 1.0
    assert event == {
        "organization_id": owner.org,
        "task_id": task["id"],
        "task_key": task["key"],
        "project_key": "WEB",
        "kind": "task.completed",
        "status": "done",
        "at": event["at"],
    }


async def test_without_a_session_cookie_the_socket_is_refused(api, relay):
    for cookie in (None, "not-a-token"):
        async with live_socket(api, cookie) as socket:
            with pytest.raises(WebsocketDisconnectError) as closed:
                await socket.receive()
            assert not socket.accepted
        assert closed.value.args[0] == NOT_SIGNED_IN


async def test_a_person_of_another_organization_hears_nothing(api, owner, outsider, task, relay):
    async with (
        live_socket(api, owner.access) as ours,
        live_socket(api, outsider.access) as theirs,
    ):
        await complete(api, owner, task["key"])
        assert (await next_message(ours, within=1.0))["task_key"] == task["key"]
        with pytest.raises(TimeoutError):
            await next_message(theirs, within=0.6)


async def test_a_viewer_hears_changes_made_by_others(api, owner, task, relay):
    viewer = await api.join(owner, "viewer", name="Vera")
    async with live_socket(api, viewer.access) as socket:
        await complete(api, owner, task["key"])
        event = await next_message(socket, within=1.0)
    assert (event["kind"], event["task_key"]) == ("task.completed", task["key"])


async def test_closing_the_page_ends_its_subscription(api, owner, app_cache):
    channel = live_feed.channel(owner.org)
    async with live_socket(api, owner.access):
        assert await app_cache.publish(channel, "{}") == 1
    assert await app_cache.publish(channel, "{}") == 0


async def test_an_idle_socket_gets_pings_and_closes_once_signed_out(api, app, owner):
    app.config[PING_SECONDS_CONFIG] = 0.2
    async with live_socket(api, owner.access) as socket:
        assert await next_message(socket, within=1.0) == {"kind": "ping"}
        logout = await api.call(
            "POST",
            "/api/v1/auth/logout",
            token=owner.access,
            body={"refresh_token": owner.refresh},
        )
        assert logout.status == 200, logout.body
        with pytest.raises(WebsocketDisconnectError) as closed:
            while True:
                await next_message(socket, within=1.0)  # at most one more ping
    assert closed.value.args[0] == NOT_SIGNED_IN
