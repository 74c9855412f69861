"""SQL statements per request, counted in-process through TeamFlow's real app.

The app is built by its own factory on the benchmark database and driven by Quart's
test client; Tortoise's query log is counted around each request. A list is asked for
at page sizes 10 and 50: the count must not grow with the page (no N+1). Each request is
sent once unmeasured first, so caches (identity, project directory) are as under load.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from benchmarks import http_scenarios
from benchmarks.context import SLACK_CHANNEL, SLACK_USER, Context, teamflow_settings
from benchmarks.queries import counting_queries
from benchmarks.servers import SIGNING_SECRET
from tests.fakes import slack_requests, workspace

REPLY_TIMEOUT_S = 10.0


async def run(context: Context) -> dict[str, Any]:
    from webhooks.app import create_app

    settings = teamflow_settings(context.seeded.database_url, context.fake.base_url)
    app = create_app(settings, manage_database=False)
    counts: dict[str, Any] = {}
    async with app.test_app() as test_app:
        client = test_app.test_client()
        auth = {"Authorization": f"Bearer {context.access_token}"}
        for size in (10, 50, 200):
            path = f"/api/v1/tasks?project=BIG&limit={size}"
            counts[f"list_tasks_limit_{size}"] = await _count(
                lambda path=path: client.get(path, headers=auth)
            )
        counts["list_tasks_all_projects_limit_50"] = await _count(
            lambda: client.get("/api/v1/tasks?limit=50", headers=auth)
        )
        counts["slack_command"] = await _count(lambda: _slash_command(context, client))
        counts["github_issue"] = await _count(lambda: _github_issue(context, client))
    return counts


async def _count(send) -> dict[str, Any]:
    await send()
    with counting_queries() as queries:
        response = await send()
        status = response.status_code
    return {"status": status, "queries": queries.count, "statements": queries.statements}


class _SlackReply:
    def __init__(self, status_code: int) -> None:
        self.status_code = status_code


async def _slash_command(context: Context, client) -> _SlackReply:
    """Send one `/task add` and wait for its reply on response_url: the work after the ack
    is part of what the command costs."""
    body, content_type = slack_requests.slash_command(
        text=f"add Counted task {time.time_ns()}",  # a new signature: replays are refused
        user_id=SLACK_USER,
        channel_id=SLACK_CHANNEL,
        team_id=workspace.TEAM_ID,
        response_url=context.fake.response_url(http_scenarios.RESPONSE_URL),
    )
    headers = slack_requests.signed_headers(body, content_type, secret=SIGNING_SECRET)
    method = f"response_url:{http_scenarios.RESPONSE_URL}"
    before = len(context.fake.calls(method))
    response = await client.post("/slack/events", data=body, headers=headers)
    await context.fake.wait_for(method, count=before + 1, timeout=REPLY_TIMEOUT_S)
    return _SlackReply(response.status_code)


async def _github_issue(context: Context, client):
    number = int(time.time() * 1000) % 1_000_000_000
    body = json.dumps(http_scenarios.issue_payload(number)).encode()
    digest = hmac.new(context.github_secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "issues",
        "X-GitHub-Delivery": f"count-{number}",
        "X-Hub-Signature-256": f"sha256={digest}",
    }
    return await client.post(
        f"/webhooks/github/{context.github_endpoint_id}", data=body, headers=headers
    )
