"""Oversized bodies against the real server (Hypercorn, not the test client): every route
that takes a body answers 413, whether the size is announced in Content-Length or the
body streams in chunks with no length at all, and nothing is stored.

tests/e2e checks one oversized API body and one oversized GitHub delivery in-process;
the chunked case only exists on a real socket.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiohttp

from core.models import Task, WebhookDelivery
from tests.fakes import slack_requests
from tests.reliability import deployment as deploy
from tests.reliability.hostile import every_operation
from tests.reliability.load import PASSWORD
from tests.reliability.processes import SIGNING_SECRET

LIMIT = 64 * 1024
BODY_METHODS = {"POST", "PUT", "PATCH"}


async def chunks(body: bytes, size: int = 8192) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_oversized_bodies_are_refused_on_every_route(
    db, fake_slack, processes, figures, tmp_path
):
    """A body over TEAMFLOW_MAX_BODY_BYTES on every API operation that takes one, every
    webhook provider and /slack/events, sent with its length and sent chunked without
    one: 413 (the error envelope on the API and webhooks), never 5xx, nothing stored."""
    deployment = await deploy.start(
        database_url=db,
        workdir=tmp_path,
        fake=fake_slack,
        started=processes,
        multi=False,
        TEAMFLOW_MAX_BODY_BYTES=str(LIMIT),
    )
    base = deployment.targets[0]
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        token, org, endpoints = await _setup(http, base)
        values = {
            "{organization_id}": org,
            "{project_ref}": "WEB",
            "{ref}": "WEB-1",
            "{user_id}": "00000000-0000-0000-0000-000000000001",
            "{provider}": "github",
            "{webhook_id}": "00000000-0000-0000-0000-000000000002",
            "{endpoint_id}": endpoints["github"],
            "{delivery_id}": "00000000-0000-0000-0000-000000000003",
        }
        async with http.get(f"{base}/openapi.json") as reply:
            document = await reply.json()
        targets = []
        bodyless = set()  # operations that take no body never read one that streams in
        for method, template in sorted(every_operation()):
            if method in BODY_METHODS:
                path = template
                for name, value in values.items():
                    path = path.replace(name, value)
                targets.append((method, path, "application/json"))
                if "requestBody" not in document["paths"][template][method.lower()]:
                    bodyless.add((method, path))
        for provider, endpoint_id in endpoints.items():
            targets.append(("POST", f"/webhooks/{provider}/{endpoint_id}", "application/json"))
        targets.append(("POST", "/slack/events", slack_requests.FORM))

        big_json = json.dumps({"title": "x" * (LIMIT + 1024)}).encode()
        big_form = b"text=" + b"x" * (LIMIT + 1024)
        answers: dict[tuple[str, str, str], tuple[int, str | None]] = {}
        for method, path, content_type in targets:
            body = big_form if content_type == slack_requests.FORM else big_json
            headers = {"Content-Type": content_type, "Authorization": f"Bearer {token}"}
            if path == "/slack/events":
                headers |= slack_requests.sign(body, secret=SIGNING_SECRET)
            for how in ("with length", "chunked"):
                # The server answers 413 without reading the body and closes; a client
                # still writing may see the reset before the answer. It tries again, as
                # a real client would; three resets in a row count against the server.
                for _attempt in range(3):
                    try:
                        async with http.request(
                            method,
                            base + path,
                            data=body if how == "with length" else chunks(body),
                            headers=headers,
                        ) as reply:
                            raw = await reply.read()
                            code = _error_code(raw, reply.content_type)
                            answers[(method, path, how)] = (reply.status, code)
                        break
                    except aiohttp.ClientError as exc:
                        answers[(method, path, how)] = (0, type(exc).__name__)
                    finally:
                        figures.add(requests=1, inputs=1)

    def refused(key: tuple[str, str, str], answer: tuple[int, str | None]) -> bool:
        method, path, how = key
        if how == "chunked" and (method, path) in bodyless:
            return 0 < answer[0] < 500  # answered as if there were no body; none is read
        return answer[0] == 413 and (path == "/slack/events" or answer[1] == "PAYLOAD_TOO_LARGE")

    wrong = {key: answer for key, answer in answers.items() if not refused(key, answer)}
    figures.set(
        refused=len(answers) - len(wrong),
        server_errors=sum(1 for status, _ in answers.values() if status >= 500),
        lost=0,
    )
    figures.note(f"{len(targets)} routes x (Content-Length, chunked), limit {LIMIT} bytes")
    figures.note(
        f"{len(bodyless)} operations take no body: a chunked body there is not read, "
        "and they answer as without one"
    )

    assert wrong == {}, "\n".join(f"{k}: {v}" for k, v in wrong.items())
    assert await WebhookDelivery.all().count() == 0
    assert await Task.filter(title__startswith="xxxx").count() == 0


async def _setup(http: aiohttp.ClientSession, base: str) -> tuple[str, str, dict[str, str]]:
    async def post(path: str, body: dict, token: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with http.post(f"{base}/api/v1{path}", json=body, headers=headers) as reply:
            data = await reply.json()
            assert reply.status == 201, data
            return data["data"]

    signed_up = await post(
        "/auth/register",
        {
            "email": "big@example.com",
            "password": PASSWORD,
            "name": "Big",
            "organization_name": "Big",
        },
    )
    token, org = signed_up["access_token"], signed_up["organization_id"]
    await post(f"/organizations/{org}/projects", {"key": "WEB", "name": "Web"}, token)
    await post("/projects/WEB/tasks", {"title": "Small"}, token)
    endpoints = {}
    for provider in ("github", "gitlab", "generic"):
        made = await post(
            f"/organizations/{org}/webhook-endpoints",
            {"provider": provider, "project_id": "WEB"},
            token,
        )
        endpoints[provider] = made["id"]
    return token, org, endpoints


def _error_code(raw: bytes, content_type: str) -> str | None:
    if content_type != "application/json" or not raw:
        return None
    try:
        return json.loads(raw).get("error", {}).get("code")
    except (ValueError, AttributeError):
        return None
