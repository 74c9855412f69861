"""Outbound webhooks through the real app, delivered to a local HTTP receiver.

Time is driven by passing `now` to the dispatcher's rounds, never by sleeping: a retry
is due when `now` reaches the backoff the previous failure scheduled.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiohttp import web

from core.clock import utcnow
from core.config import load_settings
from core.models import Activity
from tests.e2e.conftest import Api, Session
from webhooks.app import create_app

BACKOFF = 10  # seconds: retries after 10, 30, 90 ...
MAX_ATTEMPTS = 3
DISABLE_AFTER = 2


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next scripted status (then `then`), and keeps it."""

    script: list[int] = field(default_factory=list)
    then: int = 200
    requests: list[Received] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(Received(dict(request.headers), await request.read()))
        status = self.script.pop(0) if self.script else self.then
        return web.Response(status=status, text=f"answer {status}")


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    recorder = Receiver()
    app = web.Application()
    app.router.add_post("/hook", recorder.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    recorder.url = f"http://127.0.0.1:{port}/hook"
    yield recorder
    await runner.cleanup()


@pytest.fixture
async def app(db, app_cache):
    settings = load_settings(
        TEAMFLOW_ENV="test",
        TEAMFLOW_RATE_LIMIT_PER_MINUTE=100_000,
        TEAMFLOW_RATE_LIMIT_ADDRESS_PER_MINUTE=100_000,
        TEAMFLOW_OUTBOUND_BACKOFF_SECONDS=BACKOFF,
        TEAMFLOW_OUTBOUND_MAX_ATTEMPTS=MAX_ATTEMPTS,
        TEAMFLOW_OUTBOUND_DISABLE_AFTER=DISABLE_AFTER,
    )
    yield create_app(settings, cache=app_cache, manage_database=False)


@pytest.fixture
def dispatcher(app):
    return app.extensions["teamflow_outbound"]


async def subscribe(api: Api, who: Session, url: str, **fields: Any) -> dict[str, Any]:
    reply = await api.call(
        "POST",
        f"/api/v1/organizations/{who.org}/outbound-webhooks",
        token=who.access,
        body={"url": url, **fields},
    )
    assert reply.status == 201, reply.body
    return reply.data


async def project_with_task(api: Api, who: Session, title: str = "Ship it") -> dict[str, Any]:
    made = await api.call(
        "POST",
        f"/api/v1/organizations/{who.org}/projects",
        token=who.access,
        body={"key": "WEB", "name": "Website"},
    )
    assert made.status == 201, made.body
    return await new_task(api, who, title)


async def new_task(api: Api, who: Session, title: str) -> dict[str, Any]:
    reply = await api.call(
        "POST", "/api/v1/projects/WEB/tasks", token=who.access, body={"title": title}
    )
    assert reply.status == 201, reply.body
    return reply.data


async def deliveries(api: Api, who: Session, webhook_id: str) -> list[dict[str, Any]]:
    reply = await api.call(
        "GET", f"/api/v1/outbound-webhooks/{webhook_id}/deliveries", token=who.access
    )
    assert reply.status == 200, reply.body
    return reply.data


def expected_signature(secret: str, received: Received) -> str:
    timestamp = received.headers["X-TeamFlow-Timestamp"]
    message = f"{timestamp}.".encode() + received.body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


async def test_task_events_arrive_signed_once_each(api, owner, receiver, dispatcher):
    hook = await subscribe(api, owner, receiver.url)
    assert hook["events"] == ["created", "updated", "assigned", "completed", "commented"]
    task = await project_with_task(api, owner)
    done = await api.call(
        "PATCH", f"/api/v1/tasks/{task['key']}", token=owner.access, body={"status": "done"}
    )
    assert done.status == 200, done.body
    commented = await api.call(
        "POST", f"/api/v1/tasks/{task['key']}/comments", token=owner.access, body={"body": "hi"}
    )
    assert commented.status == 201, commented.body

    sent = await dispatcher.run_once()
    assert (sent.queued, sent.sent, sent.succeeded) == (3, 3, 3)
    assert [r.headers["X-TeamFlow-Event"] for r in receiver.requests] == [
        "task.created",
        "task.completed",
        "task.commented",
    ]
    for received in receiver.requests:
        assert received.headers["X-TeamFlow-Signature"] == expected_signature(
            hook["secret"], received
        )
        assert received.headers["Content-Type"] == "application/json"
        assert received.headers["User-Agent"] == "TeamFlow-Webhooks/1"
        assert abs(int(received.headers["X-TeamFlow-Timestamp"]) - utcnow().timestamp()) < 60
        assert received.json["id"] == received.headers["X-TeamFlow-Delivery"]

    completed = receiver.requests[1].json
    assert completed["type"] == "task.completed"
    assert completed["organization_id"] == owner.org
    assert completed["actor"]["id"] == owner.user_id
    assert completed["source"] == "api"
    assert completed["task"]["key"] == "WEB-1" and completed["task"]["status"] == "done"
    assert completed["changes"]["status"] == {"from": "todo", "to": "done"}
    assert receiver.requests[2].json["changes"]["body"]["to"] == "hi"

    again = await dispatcher.run_once(now=utcnow() + timedelta(days=1))
    assert (again.queued, again.sent) == (0, 0)
    assert len(receiver.requests) == 3
    history = await deliveries(api, owner, hook["id"])
    assert [d["event"] for d in history] == ["task.commented", "task.completed", "task.created"]
    assert {d["status"] for d in history} == {"succeeded"}
    assert history[0]["last_status_code"] == 200 and history[0]["last_response"] == "answer 200"


async def test_failing_twice_then_succeeding_honours_the_backoff(api, owner, receiver, dispatcher):
    receiver.script = [500, 500]
    hook = await subscribe(api, owner, receiver.url, events=["created"])
    t0 = utcnow()
    await project_with_task(api, owner)

    assert (await dispatcher.run_once(now=t0)).sent == 1
    assert (await dispatcher.run_once(now=t0 + timedelta(seconds=BACKOFF - 1))).sent == 0
    t1 = t0 + timedelta(seconds=BACKOFF)
    assert (await dispatcher.run_once(now=t1)).sent == 1
    [pending] = await deliveries(api, owner, hook["id"])
    assert pending["status"] == "pending" and pending["attempts"] == 2
    assert pending["last_status_code"] == 500 and pending["last_response"] == "answer 500"
    assert pending["next_attempt_at"] == _iso(t1 + timedelta(seconds=3 * BACKOFF))

    assert (await dispatcher.run_once(now=t1 + timedelta(seconds=3 * BACKOFF - 1))).sent == 0
    final = await dispatcher.run_once(now=t1 + timedelta(seconds=3 * BACKOFF))
    assert (final.sent, final.succeeded) == (1, 1)
    [delivered] = await deliveries(api, owner, hook["id"])
    assert delivered["status"] == "succeeded" and delivered["attempts"] == 3
    assert delivered["delivered_at"] is not None and delivered["next_attempt_at"] is None
    assert len({r.headers["X-TeamFlow-Delivery"] for r in receiver.requests}) == 1
    assert len(receiver.requests) == 3


async def test_a_receiver_that_always_fails_is_disabled_and_reported(
    api, owner, receiver, dispatcher
):
    receiver.then = 503
    hook = await subscribe(api, owner, receiver.url, events=["created"])
    await project_with_task(api, owner, "first")
    now = utcnow()
    for _ in range(MAX_ATTEMPTS):
        await dispatcher.run_once(now=now)
        now += timedelta(hours=1)
    [dead] = await deliveries(api, owner, hook["id"])
    assert dead["status"] == "dead" and dead["attempts"] == MAX_ATTEMPTS
    assert dead["next_attempt_at"] is None
    assert len(receiver.requests) == MAX_ATTEMPTS
    still = await api.call("GET", f"/api/v1/outbound-webhooks/{hook['id']}", token=owner.access)
    assert still.data["is_active"] is True and still.data["consecutive_failures"] == 1

    await new_task(api, owner, "second")
    for _ in range(MAX_ATTEMPTS):
        await dispatcher.run_once(now=now)
        now += timedelta(hours=1)
    disabled = await api.call("GET", f"/api/v1/outbound-webhooks/{hook['id']}", token=owner.access)
    assert disabled.data["is_active"] is False and disabled.data["disabled_at"] is not None
    assert "in a row" in disabled.data["disabled_reason"]
    reported = await Activity.filter(action="outbound_webhook.disabled").values_list(
        "entity_id", "organization_id"
    )
    assert [(str(e), str(o)) for e, o in reported] == [(hook["id"], owner.org)]

    await new_task(api, owner, "third")
    sent = len(receiver.requests)
    assert (await dispatcher.run_once(now=now)).sent == 0
    assert len(receiver.requests) == sent

    receiver.then = 200
    enabled = await api.call(
        "PATCH",
        f"/api/v1/outbound-webhooks/{hook['id']}",
        token=owner.access,
        body={"is_active": True},
    )
    assert enabled.data["is_active"] is True and enabled.data["consecutive_failures"] == 0
    assert enabled.data["disabled_at"] is None and enabled.data["disabled_reason"] == ""


async def test_only_subscribed_events_are_sent(api, owner, receiver, dispatcher):
    await subscribe(api, owner, receiver.url, events=["completed"])
    task = await project_with_task(api, owner)
    await api.call(
        "PATCH", f"/api/v1/tasks/{task['key']}", token=owner.access, body={"title": "Renamed"}
    )
    await api.call(
        "POST", f"/api/v1/tasks/{task['key']}/comments", token=owner.access, body={"body": "x"}
    )
    assert (await dispatcher.run_once()).sent == 0
    await api.call(
        "PATCH", f"/api/v1/tasks/{task['key']}", token=owner.access, body={"status": "done"}
    )
    assert (await dispatcher.run_once()).sent == 1
    assert [r.headers["X-TeamFlow-Event"] for r in receiver.requests] == ["task.completed"]
    assert receiver.requests[0].json["task"]["title"] == "Renamed"


async def test_a_slack_format_target_gets_a_slack_body(api, owner, receiver, dispatcher):
    await subscribe(api, owner, receiver.url, payload_format="slack")
    await project_with_task(api, owner, "Fix <login> & signup")
    await dispatcher.run_once()
    [received] = receiver.requests
    body = received.json
    assert set(body) == {"text", "blocks"}
    assert body["text"] == "Olive created *WEB-1* via the API: Fix &lt;login&gt; &amp; signup"
    assert body["blocks"][0]["text"]["text"] == body["text"]


async def test_admins_manage_others_cannot(api, owner, receiver):
    hook = await subscribe(api, owner, receiver.url)
    path = f"/api/v1/outbound-webhooks/{hook['id']}"
    listed = await api.call(
        "GET", f"/api/v1/organizations/{owner.org}/outbound-webhooks", token=owner.access
    )
    assert [h["id"] for h in listed.data] == [hook["id"]]
    assert "secret" not in listed.data[0]
    got = await api.call("GET", path, token=owner.access)
    assert got.status == 200 and got.data["url"] == receiver.url and "secret" not in got.data

    for role in ("member", "viewer"):
        person = await api.join(owner, role, name=role.title())
        assert (await api.call("GET", path, token=person.access)).status == 403
        refused = await api.call(
            "POST",
            f"/api/v1/organizations/{owner.org}/outbound-webhooks",
            token=person.access,
            body={"url": receiver.url},
        )
        assert refused.status == 403

    admin = await api.join(owner, "admin", name="Ada")
    patched = await api.call(
        "PATCH", path, token=admin.access, body={"events": ["commented", "created"]}
    )
    assert patched.status == 200 and patched.data["events"] == ["created", "commented"]

    stranger = await api.register(org="Other", name="Sam")
    for method in ("GET", "PATCH", "DELETE"):
        body = {"is_active": False} if method == "PATCH" else None
        assert (await api.call(method, path, token=stranger.access, body=body)).status == 404
    assert (await api.call("GET", path + "/deliveries", token=stranger.access)).status == 404

    assert (await api.call("DELETE", path, token=owner.access)).status == 200
    assert (await api.call("GET", path, token=owner.access)).status == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": "http://"}, "url"),
        ({"url": "https://example.com", "events": ["deleted"]}, "events"),
        ({"url": "https://example.com", "payload_format": "xml"}, "payload_format"),
    ],
)
async def test_bad_subscriptions_are_refused(api, owner, body, field):
    reply = await api.call(
        "POST",
        f"/api/v1/organizations/{owner.org}/outbound-webhooks",
        token=owner.access,
        body=body,
    )
    assert reply.status in {400, 422}, reply.body
    assert field in json.dumps(reply.error)


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")
