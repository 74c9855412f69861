"""Forged, tampered, stale, future and replayed signatures on every signed door: Slack's
/slack/events and the GitHub, GitLab and generic webhooks.

tests/e2e already refuses a wrong secret, a missing signature and a ten-minute-old
Slack request, bad GitHub signatures, a wrong GitLab token and a stale generic
timestamp. This adds the rest: a valid signature over another body, a timestamp just
past the window on either side, malformed headers, and the same signed request sent
twice. A refused request must leave nothing behind: no task, no stored delivery, no
answer on Slack.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import pytest

from core.models import Comment, Task, WebhookDelivery
from tests.e2e.conftest import Api
from tests.e2e.slack_harness import SECRET, build
from tests.e2e.test_inbound_webhooks import fixture
from tests.fakes import slack_requests
from tests.reliability.hostile import hostile_app, sign_generic

WINDOW = 300  # seconds: Slack's and the generic webhook's replay window


@pytest.fixture
async def slack(db, app_cache, fake_slack):
    return build(fake_slack, app_cache)


def slack_headers(body: bytes, *, secret: str = SECRET, stamp: int | None = None) -> dict:
    return slack_requests.signed_headers(body, slack_requests.FORM, secret=secret, timestamp=stamp)


async def test_slack_refuses_every_bad_signature_and_does_nothing(slack, figures):
    """/slack/events with a signature by another secret, a valid signature over another
    body, a timestamp just outside five minutes either way, a malformed or missing
    signature or timestamp, and the wrong signature version: 401 each time, and no
    command runs."""
    _, url = slack.new_response_url()
    body, _ = slack_requests.slash_command(text="add Sneaky", response_url=url)
    other, _ = slack_requests.slash_command(text="add Harmless", response_url=url)
    now = int(time.time())
    good = slack_headers(body)
    cases: dict[str, dict[str, str]] = {
        "another secret": slack_headers(body, secret="another-secret-" + "0" * 20),
        "signature of another body": slack_headers(other),
        "stale by just over five minutes": slack_headers(body, stamp=now - WINDOW - 5),
        "from the future": slack_headers(body, stamp=now + WINDOW + 5),
        "empty signature": good | {"X-Slack-Signature": "v0="},
        "signature version v1": good
        | {"X-Slack-Signature": good["X-Slack-Signature"].replace("v0=", "v1=")},
        "signature truncated": good | {"X-Slack-Signature": good["X-Slack-Signature"][:-2]},
        "no timestamp": {k: v for k, v in good.items() if k != "X-Slack-Request-Timestamp"},
    }
    statuses = {}
    for name, headers in cases.items():
        reply = await slack.client.post("/slack/events", data=body, headers=headers)
        statuses[name] = reply.status_code
        figures.add(requests=1, inputs=1)
    figures.set(refused=sum(1 for s in statuses.values() if s == 401), lost=0, server_errors=0)

    assert statuses == dict.fromkeys(cases, 401)
    assert slack.fake.calls() == []
    assert await Task.all().count() == 0


@pytest.mark.parametrize(
    "stamp",
    [
        "soon",
        "",
        "1.5e9",
        " 170000000 0",
        pytest.param("²", id="superscript two"),
        pytest.param("9" * 5000, id="5000 digits"),
    ],
)
async def test_slack_refuses_a_timestamp_that_is_not_a_number(slack, figures, stamp):
    """/slack/events with a correctly signed body whose timestamp is not a number: 401."""
    _, url = slack.new_response_url()
    body, _ = slack_requests.slash_command(text="add Sneaky", response_url=url)
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256)
    headers = {
        "Content-Type": slack_requests.FORM,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }
    reply = await slack.client.post("/slack/events", data=body, headers=headers)
    figures.set(requests=1, inputs=1, server_errors=int(reply.status_code >= 500))

    assert reply.status_code == 401
    assert slack.fake.calls() == []


async def test_slack_event_replayed_byte_for_byte_is_handled_once(slack, figures):
    """The same signed Events API delivery sent again (a capture replayed within the
    window, or Slack's own retry): acknowledged, handled once."""
    mention = slack_requests.app_mention("<@UBOT> add Said once", ts="1700000009.000100")
    body, kind = slack_requests.event(mention, event_id="EvReplay1")
    headers = slack_requests.signed_headers(body, kind, secret=SECRET)
    first = await slack.client.post("/slack/events", data=body, headers=headers)
    await slack.fake.wait_for("chat.postMessage")
    again = await slack.client.post("/slack/events", data=body, headers=headers)
    figures.set(requests=2, inputs=2, accepted=2, duplicated=await Task.all().count() - 1)

    assert (first.status_code, again.status_code) == (200, 200)
    assert [t.title for t in await Task.all()] == ["Said once"]


async def test_slack_slash_command_replayed_byte_for_byte_runs_once(slack, figures):
    """The same signed slash command sent twice within the window runs once."""
    name, url = slack.new_response_url()
    body, _ = slack_requests.slash_command(text="add Only one of me", response_url=url)
    headers = slack_headers(body)
    first = await slack.client.post("/slack/events", data=body, headers=headers)
    await slack.fake.wait_for(f"response_url:{name}")
    again = await slack.client.post("/slack/events", data=body, headers=headers)
    with pytest.raises(AssertionError, match="got 1"):  # a second run would answer by then
        await slack.fake.wait_for(f"response_url:{name}", count=2, timeout=2)
    count = await Task.filter(title="Only one of me").count()
    figures.set(requests=2, inputs=2, duplicated=count - 1)

    assert (first.status_code, again.status_code) == (200, 200)
    assert await again.get_data(as_text=True) == ""
    assert count == 1


# --- webhooks ---------------------------------------------------------------------------


class Endpoint:
    def __init__(self, api: Api, data: dict[str, Any]) -> None:
        self.api, self.id, self.secret, self.provider = (
            api,
            data["id"],
            data["secret"],
            data["provider"],
        )
        self.path = f"/webhooks/{self.provider}/{self.id}"

    async def post(self, body: bytes, headers: dict[str, str]):
        return await self.api.call("POST", self.path, data=body, headers=headers)


@pytest.fixture
async def endpoints(db, app_cache) -> dict[str, Endpoint]:
    api = Api(hostile_app(app_cache))
    owner = await api.register()
    await api.call(
        "POST",
        f"/api/v1/organizations/{owner.org}/projects",
        token=owner.access,
        body={"key": "WEB", "name": "Web"},
    )
    found = {}
    for provider in ("github", "gitlab", "generic"):
        reply = await api.call(
            "POST",
            f"/api/v1/organizations/{owner.org}/webhook-endpoints",
            token=owner.access,
            body={"provider": provider, "project_id": "WEB"},
        )
        found[provider] = Endpoint(api, reply.data)
    return found


def github_headers(secret: str, body: bytes, *, delivery: str | None = None) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-GitHub-Event": "issues",
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-Hub-Signature-256": f"sha256={digest}",
    }


def gitlab_headers(token: str, *, delivery: str | None = None) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Gitlab-Event": "Issue Hook",
        "X-Gitlab-Event-UUID": delivery or str(uuid.uuid4()),
        "X-Gitlab-Token": token,
    }


async def test_webhooks_refuse_forged_tampered_stale_and_malformed_signatures(endpoints, figures):
    """Each provider's webhook with a signature by another secret, a valid signature over
    another body, the generic timestamp just outside five minutes either way or not a
    number, and malformed signature headers: 401 each time, nothing stored, no task."""
    github, gitlab, generic = endpoints["github"], endpoints["gitlab"], endpoints["generic"]
    issue = json.dumps(fixture("github.issues.opened")).encode()
    other_issue = json.dumps(fixture("github.issues.edited")).encode()
    gitlab_issue = json.dumps(fixture("gitlab.issue")).encode()
    alert = json.dumps({"action": "create", "title": "Forged alert"}).encode()
    other_alert = json.dumps({"action": "create", "title": "Harmless"}).encode()
    now = int(time.time())
    signed = sign_generic(generic.secret, alert)
    cases = [
        ("github: another secret", github, issue, github_headers("x" * 32, issue)),
        ("github: signature of another body", github, issue,
         github_headers(github.secret, other_issue)),
        ("github: sha1 prefix", github, issue, github_headers(github.secret, issue)
         | {"X-Hub-Signature-256": "sha1=" + "0" * 40}),
        ("github: signature in upper case hex", github, issue, github_headers(github.secret, issue)
         | {"X-Hub-Signature-256": "SHA256=" + "F" * 64}),
        ("gitlab: another token", gitlab, gitlab_issue, gitlab_headers("x" * 32)),
        ("gitlab: the token with a space", gitlab, gitlab_issue,
         gitlab_headers(gitlab.secret + " ")),
        ("gitlab: the token's prefix", gitlab, gitlab_issue, gitlab_headers(gitlab.secret[:-1])),
        ("generic: another secret", generic, alert, sign_generic("x" * 32, alert)),
        ("generic: signature of another body", generic, alert,
         sign_generic(generic.secret, other_alert) | {
             "X-TeamFlow-Timestamp": signed["X-TeamFlow-Timestamp"]}),
        ("generic: stale by just over five minutes", generic, alert,
         sign_generic(generic.secret, alert, now - WINDOW - 5)),
        ("generic: from the future", generic, alert,
         sign_generic(generic.secret, alert, now + WINDOW + 5)),
        ("generic: timestamp not a number", generic, alert,
         signed | {"X-TeamFlow-Timestamp": "1e9"}),
        ("generic: timestamp in superscript digits", generic, alert,
         signed | {"X-TeamFlow-Timestamp": "²"}),
        ("generic: timestamp of 5000 digits", generic, alert,
         signed | {"X-TeamFlow-Timestamp": "9" * 5000}),
        ("generic: negative timestamp", generic, alert,
         sign_generic(generic.secret, alert, -now)),
        ("generic: signature without v1=", generic, alert,
         signed | {"X-TeamFlow-Signature": signed["X-TeamFlow-Signature"][3:]}),
        ("generic: only garbage signatures", generic, alert,
         signed | {"X-TeamFlow-Signature": "v1=00, v1=zz"}),
    ]  # fmt: skip
    statuses = {}
    for name, endpoint, body, headers in cases:
        statuses[name] = (await endpoint.post(body, headers)).status
        figures.add(requests=1, inputs=1)
    figures.set(refused=sum(1 for s in statuses.values() if s == 401), lost=0, server_errors=0)

    assert statuses == {name: 401 for name, *_ in cases}
    assert await WebhookDelivery.all().count() == 0
    assert await Task.all().count() == 0


async def test_webhook_deliveries_replayed_are_applied_once(endpoints, figures):
    """The same delivery sent again (same delivery id, GitHub's or GitLab's redelivery,
    a generic Idempotency-Key) is answered as a duplicate and applied once; a GitHub
    issue replayed under a new delivery id (GitHub signs the body only) still gives one
    task, because the task mirrors the issue."""
    github, gitlab, generic = endpoints["github"], endpoints["gitlab"], endpoints["generic"]
    issue = json.dumps(fixture("github.issues.opened")).encode()
    headers = github_headers(github.secret, issue, delivery="gh-1")
    gitlab_issue = json.dumps(fixture("gitlab.issue")).encode()
    alert = json.dumps({"action": "create", "title": "Disk full"}).encode()
    alert_headers = sign_generic(generic.secret, alert) | {"Idempotency-Key": "alert-1"}
    comment = json.dumps({"action": "comment", "task": "WEB-1", "body": "Once"}).encode()
    comment_headers = sign_generic(generic.secret, comment) | {"Idempotency-Key": "comment-1"}

    sends = [
        (github, issue, headers),
        (github, issue, headers),
        (github, issue, github_headers(github.secret, issue)),  # new delivery id
        (gitlab, gitlab_issue, gitlab_headers(gitlab.secret, delivery="gl-1")),
        (gitlab, gitlab_issue, gitlab_headers(gitlab.secret, delivery="gl-1")),
        (generic, alert, alert_headers),
        (generic, alert, alert_headers),
        (generic, comment, comment_headers),
        (generic, comment, comment_headers),
    ]
    replies = [await endpoint.post(body, h) for endpoint, body, h in sends]
    figures.set(requests=len(replies), inputs=len(replies), accepted=len(replies))
    duplicates = [r.data["duplicate"] for r in replies]
    titles = sorted(await Task.all().values_list("title", flat=True))
    figures.set(duplicated=len(titles) - 3, lost=0, server_errors=0)

    assert [r.status for r in replies] == [200] * len(sends)
    assert duplicates == [False, True, False, False, True, False, True, False, True]
    assert titles == sorted(
        ["Spelling error in the README file", "New API: create/update/delete file", "Disk full"]
    )
    assert await Comment.filter(body__endswith="Once").count() == 1
    assert await WebhookDelivery.all().count() == 5


async def test_generic_delivery_replayed_byte_for_byte_is_applied_once(endpoints, figures):
    """The same signed generic request (no Idempotency-Key) sent twice within the window:
    applied once."""
    generic = endpoints["generic"]
    body = json.dumps({"action": "create", "title": "Replayed alert"}).encode()
    headers = sign_generic(generic.secret, body)
    first = await generic.post(body, headers)
    again = await generic.post(body, headers)
    count = await Task.filter(title="Replayed alert").count()
    figures.set(requests=2, inputs=2, duplicated=count - 1)

    assert (first.status, again.status) == (200, 200)
    assert count == 1
