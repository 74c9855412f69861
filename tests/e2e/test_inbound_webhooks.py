"""Inbound webhooks through the real app: GitHub, GitLab and generic, signed as each
provider signs, with the project's own fixtures (tests/fixtures/webhooks, trimmed copies
of the payloads the providers document)."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from tortoise.exceptions import DBConnectionError

from core.crypto import TokenCipher
from core.models import (
    Activity,
    Comment,
    Task,
    TaskExternalLink,
    WebhookDelivery,
    WebhookEndpoint,
)
from core.services import webhook_deliveries
from tests.e2e.conftest import Api, Session

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "webhooks"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Hook:
    """One endpoint of the owner's organization, and a way to post to it as its provider."""

    def __init__(self, api: Api, data: dict[str, Any]) -> None:
        self.api, self.id, self.secret, self.url = api, data["id"], data["secret"], data["url"]
        self.provider = data["provider"]
        self.path = f"/webhooks/{self.provider}/{self.id}"

    async def github(
        self, event: str, payload: dict[str, Any], *, delivery: str | None = None, **options: Any
    ):
        body = json.dumps(payload).encode()
        content_type = "application/json"
        if options.get("form"):
            body, content_type = (
                urlencode({"payload": json.dumps(payload)}).encode(),
                ("application/x-www-form-urlencoded"),
            )
        headers = {
            "Content-Type": content_type,
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
            "X-Hub-Signature-256": options.get("signature", sign(self.secret, body)),
            "User-Agent": "GitHub-Hookshot/044aadd",
        }
        if options.get("signature") == "":
            del headers["X-Hub-Signature-256"]
        return await self.api.call("POST", self.path, data=body, headers=headers)

    async def gitlab(
        self, event: str, payload: dict[str, Any], *, delivery: str | None = None, token=None
    ):
        headers = {
            "Content-Type": "application/json",
            "X-Gitlab-Event": event,
            "X-Gitlab-Event-UUID": delivery or str(uuid.uuid4()),
            "X-Gitlab-Token": self.secret if token is None else token,
            "User-Agent": "GitLab/17.0.0",
        }
        return await self.api.call(
            "POST", self.path, data=json.dumps(payload).encode(), headers=headers
        )

    async def generic(
        self, payload: dict[str, Any], *, key: str | None = None, stamp: int | None = None
    ):
        body = json.dumps(payload).encode()
        timestamp = str(stamp if stamp is not None else int(time.time()))
        digest = hmac.new(
            self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "X-TeamFlow-Timestamp": timestamp,
            "X-TeamFlow-Signature": f"v1={digest}",
        }
        if key:
            headers["Idempotency-Key"] = key
        return await self.api.call("POST", self.path, data=body, headers=headers)


async def make_project(api: Api, who: Session, key: str = "WEB") -> None:
    reply = await api.call(
        "POST",
        f"/api/v1/organizations/{who.org}/projects",
        token=who.access,
        body={"key": key, "name": key.title()},
    )
    assert reply.status == 201, reply.body


async def make_hook(api: Api, who: Session, provider: str, project: str = "WEB") -> Hook:
    reply = await api.call(
        "POST",
        f"/api/v1/organizations/{who.org}/webhook-endpoints",
        token=who.access,
        body={"provider": provider, "project_id": project},
    )
    assert reply.status == 201, reply.body
    return Hook(api, reply.data)


async def make_task(api: Api, who: Session, title: str, project: str = "WEB") -> str:
    reply = await api.call(
        "POST", f"/api/v1/projects/{project}/tasks", token=who.access, body={"title": title}
    )
    assert reply.status == 201, reply.body
    return reply.data["key"]


async def task(api: Api, who: Session, key: str) -> dict[str, Any]:
    reply = await api.call("GET", f"/api/v1/tasks/{key}", token=who.access)
    assert reply.status == 200, reply.body
    return reply.data


async def only_task(project_key: str = "WEB") -> Task:
    rows = await Task.filter(project__key=project_key).prefetch_related("labels")
    assert len(rows) == 1
    return rows[0]


@pytest.fixture
async def github(api, owner) -> Hook:
    await make_project(api, owner)
    return await make_hook(api, owner, "github")


@pytest.fixture
async def gitlab(api, owner) -> Hook:
    await make_project(api, owner)
    return await make_hook(api, owner, "gitlab")


@pytest.fixture
async def generic(api, owner) -> Hook:
    await make_project(api, owner)
    return await make_hook(api, owner, "generic")


# --- GitHub ------------------------------------------------------------------------------


async def test_github_ping_is_acknowledged(github):
    reply = await github.github("ping", fixture("github.ping"))
    assert reply.status == 200, reply.body
    assert reply.data["status"] == "processed"


async def test_github_issue_lifecycle(api, owner, github):
    opened = fixture("github.issues.opened")
    opened["issue"]["labels"] = [{"id": 1, "name": "bug", "color": "d73a4a", "default": True}]
    reply = await github.github("issues", opened)
    assert reply.data["status"] == "processed", reply.body
    created = await only_task()
    assert created.title == "Spelling error in the README file"
    assert "https://github.com/Codertocat/Hello-World/issues/1" in created.description
    assert [label.name for label in created.labels] == ["bug"]
    link = await TaskExternalLink.get(task_id=created.id)
    assert (link.kind, link.external_id) == ("issue", "Codertocat/Hello-World#1")

    edited = fixture("github.issues.edited")
    edited["issue"]["title"] = "Spelling error in README"
    await github.github("issues", edited)
    assert (await only_task()).title == "Spelling error in README"

    labeled = fixture("github.issues.labeled")
    labeled["issue"]["labels"] = [{"name": "bug"}, {"name": "good first issue"}]
    await github.github("issues", labeled)
    names = sorted(label.name for label in (await only_task()).labels)
    assert names == ["bug", "good-first-issue"]
    unlabeled = {**labeled, "action": "unlabeled"}
    unlabeled["issue"] = {**labeled["issue"], "labels": [{"name": "bug"}]}
    await github.github("issues", unlabeled)
    assert [label.name for label in (await only_task()).labels] == ["bug"]

    closed = fixture("github.issues.closed")  # a captured payload from another repository
    closed["repository"], closed["issue"]["number"] = opened["repository"], 1
    await github.github("issues", closed)
    assert (await task(api, owner, "WEB-1"))["status"] == "done"
    await github.github("issues", fixture("github.issues.reopened"))
    assert (await task(api, owner, "WEB-1"))["status"] == "todo"

    await github.github("issue_comment", fixture("github.issue_comment.created"))
    comment = await Comment.get(task_id=created.id)
    assert comment.body.endswith("I'll get this fixed right away.")
    assert comment.source == "webhook"
    actions = await Activity.filter(task_id=created.id).values_list("action", "source")
    assert ("task.created", "webhook") in actions and ("task.completed", "webhook") in actions


async def test_github_assignment_maps_linked_login(api, owner, github):
    member = await api.join(owner, "member", name="Cody")
    linked = await api.call(
        "PUT",
        f"/api/v1/organizations/{owner.org}/members/{member.user_id}/identities/github",
        token=owner.access,
        body={"login": "Codertocat"},
    )
    assert linked.status == 200, linked.body
    await github.github("issues", fixture("github.issues.opened"))
    await github.github("issues", fixture("github.issues.assigned"))
    assert (await task(api, owner, "WEB-1"))["assignee"]["id"] == member.user_id
    unassigned = fixture("github.issues.assigned") | {"action": "unassigned"}
    await github.github("issues", unassigned)
    assert (await task(api, owner, "WEB-1"))["assignee"] is None


async def test_who_acts_when_the_endpoints_creator_has_left(api, owner):
    """A linked sender who is a member acts; an unlinked one falls back on the endpoint's
    creator, and when the creator has left the delivery fails (replayable)."""
    await make_project(api, owner)
    admin = await api.join(owner, "admin", name="Ada")
    hook = await make_hook(api, admin, "github")
    member = await api.join(owner, "member", name="Cody")
    await api.call(
        "PUT",
        f"/api/v1/organizations/{owner.org}/members/{member.user_id}/identities/github",
        token=owner.access,
        body={"login": "Codertocat"},
    )
    gone = await api.call(
        "DELETE", f"/api/v1/organizations/{owner.org}/members/{admin.user_id}", token=owner.access
    )
    assert gone.status == 200, gone.body
    reply = await hook.github("issues", fixture("github.issues.opened"))
    assert reply.data["status"] == "processed", reply.body
    assert str((await only_task()).reporter_id) == member.user_id
    stranger = fixture("github.issues.opened")
    stranger["sender"]["login"], stranger["issue"]["number"] = "someone-else", 2
    reply = await hook.github("issues", stranger)
    assert reply.data["status"] == "failed"
    assert await Task.all().count() == 1


def pull_request(name: str, text: str, number: int = 7) -> dict[str, Any]:
    payload = fixture(name)
    payload["pull_request"]["body"] = text
    payload["pull_request"]["number"] = payload["number"] = number
    payload["repository"] = fixture("github.issues.opened")["repository"]
    return payload


async def test_github_pull_request_closes_two_tasks_when_merged(api, owner, github):
    first, second = await make_task(api, owner, "One"), await make_task(api, owner, "Two")
    text = f"Fixes {first.lower()} and closes {second}"
    await github.github("pull_request", pull_request("github.pull_request.opened", text))
    for key in (first, second):
        assert (await task(api, owner, key))["status"] == "in_review"
    links = await TaskExternalLink.filter(kind="reference").values_list("external_id", flat=True)
    assert sorted(links) == ["Codertocat/Hello-World!7"] * 2
    merged = pull_request("github.pull_request.closed.merged", "Fixes the thing")
    reply = await github.github("pull_request", merged)
    assert reply.data["status"] == "processed"
    for key in (first, second):
        assert (await task(api, owner, key))["status"] == "done"


async def test_github_pull_request_closed_unmerged_moves_back(api, owner, github):
    key = await make_task(api, owner, "One")
    await github.github(
        "pull_request", pull_request("github.pull_request.opened", f"Resolves {key}")
    )
    closed = pull_request("github.pull_request.closed", f"Resolves {key}")
    await github.github("pull_request", closed)
    assert (await task(api, owner, key))["status"] == "in_progress"


async def test_task_key_of_another_organization_is_ignored(api, owner, github):
    other = await api.register(org="Globex", name="Gina")
    await make_project(api, other, "OPS")
    theirs = await make_task(api, other, "Theirs", project="OPS")
    mine = await make_task(api, owner, "Mine")
    text = f"Fixes {theirs}, {mine}"
    reply = await github.github("pull_request", pull_request("github.pull_request.opened", text))
    assert reply.data["status"] == "processed"
    assert (await task(api, other, theirs))["status"] == "todo"
    assert (await task(api, owner, mine))["status"] == "in_review"


async def test_github_push_records_commit_mentions(api, owner, github):
    key = await make_task(api, owner, "One")
    reply = await github.github("push", fixture("github.push"))
    assert reply.data["status"] == "processed"
    entry = await Activity.get(action="task.commit_mentioned")
    assert entry.changes["commit"]["to"].endswith("a10867b14bb761a232cd80139fbd4c0d33264240")
    assert (await task(api, owner, key))["id"] == str(entry.task_id)


async def test_github_form_encoded(github):
    reply = await github.github("issues", fixture("github.issues.opened"), form=True)
    assert reply.status == 200 and reply.data["status"] == "processed"
    assert (await only_task()).title == "Spelling error in the README file"


async def test_unknown_event_is_acknowledged_and_ignored(github):
    reply = await github.github("release", fixture("github.release.published"))
    assert reply.status == 200
    assert reply.data["status"] == "ignored"
    assert (await WebhookDelivery.get()).status == "ignored"


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "sha1=abc"])
async def test_bad_github_signature_is_401_and_nothing_stored(github, signature):
    reply = await github.github("issues", fixture("github.issues.opened"), signature=signature)
    assert reply.status == 401
    assert await WebhookDelivery.all().count() == 0
    assert await Task.all().count() == 0


async def test_a_secret_that_cannot_be_read_verifies_nothing(github):
    """A secret kept under another TEAMFLOW_SECRET_KEY (the key was changed since): every
    delivery is refused, one signed with an empty secret too."""
    await WebhookEndpoint.filter(id=github.id).update(
        secret_encrypted=TokenCipher("another-secret-key-" * 3).encrypt(github.secret)
    )
    github.secret = ""
    reply = await github.github("issues", fixture("github.issues.opened"))
    assert reply.status == 401
    assert await WebhookDelivery.all().count() == 0


async def test_same_delivery_twice_is_applied_once(github):
    payload = fixture("github.issue_comment.created")
    await github.github("issues", fixture("github.issues.opened"))
    first = await github.github("issue_comment", payload, delivery="d-1")
    second = await github.github("issue_comment", payload, delivery="d-1")
    assert second.status == 200 and second.data["duplicate"] is True
    assert first.data["delivery_id"] == second.data["delivery_id"]
    assert await Comment.all().count() == 1


async def test_a_long_delivery_id_is_deduplicated_on_what_is_kept(github):
    """Delivery ids are kept to 128 characters: a repeat of a longer one is still a
    duplicate, not an error."""
    delivery = "d" * 200
    first = await github.github("issues", fixture("github.issues.opened"), delivery=delivery)
    again = await github.github("issues", fixture("github.issues.opened"), delivery=delivery)
    assert (first.status, again.status) == (200, 200)
    assert (first.data["duplicate"], again.data["duplicate"]) == (False, True)
    assert await Task.all().count() == 1


async def test_the_same_delivery_arriving_at_once_is_applied_once(github):
    """Redeliveries racing the original: one is new, the others are duplicates, and the
    issue becomes one task."""
    opened = fixture("github.issues.opened")
    replies = await asyncio.gather(
        *(github.github("issues", opened, delivery="racing-1") for _ in range(6))
    )
    assert [r.status for r in replies] == [200] * 6
    assert sorted(r.data["duplicate"] for r in replies) == [False] + [True] * 5
    assert {r.data["delivery_id"] for r in replies} == {replies[0].data["delivery_id"]}
    assert await Task.all().count() == 1
    assert [d.status for d in await WebhookDelivery.all()] == ["processed"]


class QueryCount(logging.Handler):
    """Counts the statements Tortoise logs (each one at DEBUG, with its values)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.args and isinstance(record.args, tuple):
            self.seen.append(str(record.args[0])[:120])


async def test_a_new_issue_costs_a_fixed_handful_of_statements(api, owner, github):
    """The delivery path stays cheap: storing, claiming and filing a new issue as a task
    (with a label, its activity and its link) is 8 SQL statements. Reading the endpoint
    and stamping its last delivery happen at most every few seconds; not counted."""
    statements = QueryCount()
    logger = logging.getLogger("tortoise.db_client")
    level, propagate = logger.level, logger.propagate
    await github.github("ping", fixture("github.ping"))  # the endpoint is read and kept
    logger.addHandler(statements)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        opened = fixture("github.issues.opened")
        opened["issue"]["labels"] = [{"name": "bug"}]
        reply = await github.github("issues", opened)
    finally:
        logger.removeHandler(statements)
        logger.setLevel(level)
        logger.propagate = propagate
    assert reply.data["status"] == "processed", reply.body
    per_delivery = [sql for sql in statements.seen if "webhook_endpoints" not in sql]
    assert len(per_delivery) <= 8, statements.seen
    assert [label.name for label in (await only_task()).labels] == ["bug"]


async def test_an_endpoint_change_applies_to_the_next_delivery(api, owner, github):
    """Endpoints are kept per process for a few seconds; a change made through the API
    is seen at once: moved to another project, disabled, enabled again."""
    await github.github("ping", fixture("github.ping"))
    await make_project(api, owner, "OPS")
    path = f"/api/v1/webhook-endpoints/{github.id}"
    moved = await api.call("PATCH", path, token=owner.access, body={"project_id": "OPS"})
    assert moved.status == 200, moved.body
    reply = await github.github("issues", fixture("github.issues.opened"))
    assert reply.data["status"] == "processed", reply.body
    await only_task("OPS")
    off = await api.call("PATCH", path, token=owner.access, body={"is_active": False})
    assert off.status == 200
    assert (await github.github("ping", fixture("github.ping"))).status == 404
    await api.call("PATCH", path, token=owner.access, body={"is_active": True})
    assert (await github.github("ping", fixture("github.ping"))).status == 200
    shown = await api.call("GET", path, token=owner.access)
    assert shown.data["last_delivery_at"] is not None


async def test_bad_bodies_are_400(github):
    body = b"{not json"
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "issues",
        "X-Hub-Signature-256": sign(github.secret, body),
    }
    reply = await github.api.call("POST", github.path, data=body, headers=headers)
    assert reply.status == 400 and "JSON" in reply.error["message"]
    headers["Content-Type"] = "text/plain"
    reply = await github.api.call("POST", github.path, data=body, headers=headers)
    assert reply.status == 400
    assert await WebhookDelivery.all().count() == 0


async def test_unknown_disabled_or_wrong_provider_endpoint_is_404(api, owner, github):
    reply = await github.api.call("POST", f"/webhooks/github/{uuid.uuid4()}", data=b"{}")
    assert reply.status == 404
    reply = await github.api.call("POST", f"/webhooks/gitlab/{github.id}", data=b"{}")
    assert reply.status == 404
    await api.call("DELETE", f"/api/v1/webhook-endpoints/{github.id}", token=owner.access)
    reply = await github.github("ping", fixture("github.ping"))
    assert reply.status == 404


async def test_database_down_is_503_and_nothing_acknowledged(github, monkeypatch):
    # Simulated by making the store step raise the error Tortoise raises when it cannot
    # reach the database (DBConnectionError); the real route, signature check and error
    # mapping run. Nothing is stored, and the answer is not a 2xx so the sender retries.
    async def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise DBConnectionError("connection refused")

    monkeypatch.setattr(webhook_deliveries, "receive", unreachable)
    reply = await github.github("issues", fixture("github.issues.opened"))
    assert reply.status == 503
    assert reply.headers["Retry-After"]
    monkeypatch.undo()
    assert await WebhookDelivery.all().count() == 0
    assert await Task.all().count() == 0


async def test_failed_delivery_is_recorded_and_replayed_through_the_api(api, owner, github):
    # The project is archived: creating the task fails, the delivery is stored as failed.
    await api.call("POST", "/api/v1/projects/WEB/archive", token=owner.access)
    reply = await github.github("issues", fixture("github.issues.opened"))
    assert reply.status == 200 and reply.data["status"] == "failed"
    listed = await api.call(
        "GET",
        f"/api/v1/webhook-endpoints/{github.id}/deliveries",
        token=owner.access,
        query={"status": "failed"},
    )
    assert [d["id"] for d in listed.data] == [reply.data["delivery_id"]]
    assert "archived" in listed.data[0]["error"]
    await api.call("DELETE", "/api/v1/projects/WEB/archive", token=owner.access)
    replay = await api.call(
        "POST", f"/api/v1/webhook-deliveries/{reply.data['delivery_id']}/replay", token=owner.access
    )
    assert replay.status == 200, replay.body
    assert replay.data["status"] == "processed" and replay.data["attempts"] == 2
    assert await Task.all().count() == 1
    again = await api.call(
        "POST", f"/api/v1/webhook-deliveries/{reply.data['delivery_id']}/replay", token=owner.access
    )
    assert again.status == 409


# --- GitLab ------------------------------------------------------------------------------


async def test_gitlab_issue_note_and_close(api, owner, gitlab):
    member = await api.join(owner, "member", name="Una")
    await api.call(
        "PUT",
        f"/api/v1/organizations/{owner.org}/members/{member.user_id}/identities/gitlab",
        token=owner.access,
        body={"login": "user1"},
    )
    issue = fixture("gitlab.issue")
    reply = await gitlab.gitlab("Issue Hook", issue)
    assert reply.data["status"] == "processed", reply.body
    view = await task(api, owner, "WEB-1")
    assert view["title"] == "New API: create/update/delete file"
    assert view["labels"] == ["api"]
    assert view["assignee"]["id"] == member.user_id

    note = fixture("gitlab.note.issue")
    note["project"] = issue["project"]
    note["issue"]["iid"] = issue["object_attributes"]["iid"]
    await gitlab.gitlab("Note Hook", note)
    assert (await Comment.get()).body.endswith("Hello world")

    closed = copy.deepcopy(issue)
    closed["object_attributes"]["action"] = "close"
    await gitlab.gitlab("Issue Hook", closed)
    assert (await task(api, owner, "WEB-1"))["status"] == "done"
    closed["object_attributes"]["action"] = "reopen"
    await gitlab.gitlab("Issue Hook", closed)
    assert (await task(api, owner, "WEB-1"))["status"] == "todo"
    updated = copy.deepcopy(issue)
    updated["object_attributes"].update(action="update", title="New file API")
    await gitlab.gitlab("Issue Hook", updated)
    assert (await task(api, owner, "WEB-1"))["title"] == "New file API"


async def test_gitlab_merge_request_and_push(api, owner, gitlab):
    first, second = await make_task(api, owner, "One"), await make_task(api, owner, "Two")
    mr = fixture("gitlab.merge_request")
    mr["object_attributes"]["description"] = f"Closes {first}\n\nFixes {second}"
    await gitlab.gitlab("Merge Request Hook", mr)
    assert (await task(api, owner, first))["status"] == "in_review"
    merged = copy.deepcopy(mr)
    merged["object_attributes"].update(action="merge", state="merged")
    await gitlab.gitlab("Merge Request Hook", merged)
    assert (await task(api, owner, second))["status"] == "done"

    push = fixture("gitlab.push")
    push["commits"][1]["message"] = f"fixed readme for {first}"
    reply = await gitlab.gitlab("Push Hook", push)
    assert reply.data["status"] == "processed"
    assert await Activity.filter(action="task.commit_mentioned").count() == 1


async def test_gitlab_wrong_or_missing_token_and_unused_note(gitlab):
    for token in ("", "not-the-secret"):
        reply = await gitlab.gitlab("Issue Hook", fixture("gitlab.issue"), token=token)
        assert reply.status == 401
    assert await WebhookDelivery.all().count() == 0
    reply = await gitlab.gitlab("Note Hook", fixture("gitlab.note.commit"))
    assert reply.data["status"] == "ignored"
    reply = await gitlab.gitlab("Pipeline Hook", {"object_kind": "pipeline"})
    assert reply.status == 200 and reply.data["status"] == "ignored"


# --- generic -----------------------------------------------------------------------------


async def test_generic_alert_opens_and_closes_one_task(api, owner, generic):
    alert = {
        "action": "create",
        "external_id": "alert-disk-full",
        "title": "Disk full on db-1",
        "priority": "urgent",
        "labels": ["ops"],
    }
    assert (await generic.generic(alert, key="a-1")).data["status"] == "processed"
    assert (await generic.generic(alert, key="a-2")).data["status"] == "processed"
    assert await Task.all().count() == 1
    view = await task(api, owner, "WEB-1")
    assert (view["priority"], view["labels"]) == ("urgent", ["ops"])
    comment = {"action": "comment", "external_id": "alert-disk-full", "body": "Still firing"}
    await generic.generic(comment)
    complete = {"action": "complete", "external_id": "alert-disk-full"}
    await generic.generic(complete, key="a-3")
    assert (await task(api, owner, "WEB-1"))["status"] == "done"
    await generic.generic(alert, key="a-4")  # fires again: the same task reopens
    assert (await task(api, owner, "WEB-1"))["status"] == "todo"
    assert await Task.all().count() == 1
    await generic.generic({"action": "update", "task": "WEB-1", "title": "Disk 95%"})
    await generic.generic({"action": "complete", "task": "web-1"})
    await generic.generic({"action": "reopen", "task": "WEB-1"})
    view = await task(api, owner, "WEB-1")
    assert (view["title"], view["status"]) == ("Disk 95%", "todo")
    assert await Comment.all().count() == 1


async def test_generic_signature_window_and_schema(generic):
    payload = {"action": "create", "title": "Old"}
    stale = await generic.generic(payload, stamp=int(time.time()) - 600)
    assert stale.status == 401
    bad = await generic.generic({"action": "explode"})
    assert bad.status == 400 and "action" in bad.error["message"]
    missing = await generic.generic({"action": "complete"})
    assert missing.status == 400
    assert await WebhookDelivery.all().count() == 0


async def test_generic_without_idempotency_key_dedupes_on_what_is_signed(generic):
    """No Idempotency-Key: the same signed request sent again is a duplicate; the same
    body signed at another second, or another body at the same second, is new."""
    now = int(time.time())
    alert = {"action": "create", "title": "Fan failure"}
    first = await generic.generic(alert, stamp=now)
    replayed = await generic.generic(alert, stamp=now)
    signed_again = await generic.generic(alert, stamp=now - 1)
    other = await generic.generic({"action": "create", "title": "Fan failure "}, stamp=now)
    assert [r.data["duplicate"] for r in (first, replayed, signed_again, other)] == [
        False,
        True,
        False,
        False,
    ]
    assert replayed.data["delivery_id"] == first.data["delivery_id"]
    assert await Task.filter(title__startswith="Fan failure").count() == 3


# --- management API ----------------------------------------------------------------------


async def test_endpoint_management(api, owner, github):
    base = f"/api/v1/organizations/{owner.org}/webhook-endpoints"
    listed = await api.call("GET", base, token=owner.access)
    assert [e["id"] for e in listed.data] == [github.id]
    assert github.url.endswith(f"/webhooks/github/{github.id}")
    assert "secret" not in listed.data[0]
    path = f"/api/v1/webhook-endpoints/{github.id}"
    got = await api.call("GET", path, token=owner.access)
    assert got.data["project_key"] == "WEB"
    renamed = await api.call("PATCH", path, token=owner.access, body={"name": "Hello-World"})
    assert renamed.data["name"] == "Hello-World"
    rotated = await api.call("POST", f"{path}/rotate-secret", token=owner.access)
    assert rotated.status == 200 and rotated.data["secret"] != github.secret
    assert (await github.github("ping", fixture("github.ping"))).status == 401
    github.secret = rotated.data["secret"]
    assert (await github.github("ping", fixture("github.ping"))).status == 200
    deleted = await api.call("DELETE", path, token=owner.access)
    assert deleted.data["is_active"] is False
    actions = await Activity.filter(entity_type="webhook_endpoint").values_list("action", flat=True)
    assert set(actions) >= {
        "webhook_endpoint.created",
        "webhook_endpoint.updated",
        "webhook_endpoint.secret_rotated",
    }


async def test_another_organizations_endpoint_is_404(api, github):
    stranger = await api.register(org="Globex", name="Gina")
    path = f"/api/v1/webhook-endpoints/{github.id}"
    assert (await api.call("GET", path, token=stranger.access)).status == 404
    assert (await api.call("DELETE", path, token=stranger.access)).status == 404
    deliveries = await api.call("GET", f"{path}/deliveries", token=stranger.access)
    assert deliveries.status == 404


@pytest.mark.parametrize("role", ["member", "viewer"])
async def test_members_and_viewers_cannot_manage_endpoints(api, owner, github, role):
    person = await api.join(owner, role)
    base = f"/api/v1/organizations/{owner.org}/webhook-endpoints"
    created = await api.call(
        "POST", base, token=person.access, body={"provider": "gitlab", "project_id": "WEB"}
    )
    assert created.status == 403
    assert (await api.call("GET", base, token=person.access)).status == 403
    path = f"/api/v1/webhook-endpoints/{github.id}"
    assert (await api.call("POST", f"{path}/rotate-secret", token=person.access)).status == 403


async def test_cli_replays_failed_deliveries(api, owner, github, db):
    await api.call("POST", "/api/v1/projects/WEB/archive", token=owner.access)
    failed = await github.github("issues", fixture("github.issues.opened"))
    assert failed.data["status"] == "failed"
    await api.call("DELETE", "/api/v1/projects/WEB/archive", token=owner.access)
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL"}}
    env |= {"DATABASE_URL": db, "TEAMFLOW_ENV": "development"}
    command = [sys.executable, "-m", "teamflow.cli", "webhooks", "replay", "--failed"]
    command += ["--endpoint", github.id]
    result = await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "processed" in result.stdout and "Replayed 1 deliveries." in result.stdout
    assert await Task.all().count() == 1


async def test_an_oversized_body_is_413_and_nothing_stored(github):
    payload = fixture("github.issues.opened")
    payload["issue"]["body"] = "x" * (1024 * 1024 + 10)
    reply = await github.github("issues", payload)
    assert reply.status == 413
    assert reply.body["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert await WebhookDelivery.all().count() == 0
