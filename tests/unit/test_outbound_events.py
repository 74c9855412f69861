"""Outbound webhooks without I/O: event kinds, payloads, the backoff schedule, signing."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from core.enums import TaskPriority, TaskStatus
from core.services.outbound_deliveries import DueDelivery, RetryPolicy
from core.services.outbound_events import event_kind, slack_payload, teamflow_payload
from core.views import ActivityView, TaskView, UserView
from webhooks.outbound import encode, sign, signed_headers

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
OLIVE = UserView(id=uuid.uuid4(), name="Olive", email="olive@acme.test", timezone="UTC")
TASK_ID = uuid.uuid4()


def activity(action: str, changes: dict | None = None, *, task: bool = True) -> ActivityView:
    return ActivityView(
        id=uuid.uuid4(),
        organization_id=uuid.uuid4(),
        actor=OLIVE,
        source="webhook",
        action=action,
        entity_type="task",
        entity_id=TASK_ID,
        task_id=TASK_ID if task else None,
        changes=changes or {},
        created_at=NOW,
    )


def task(**fields) -> TaskView:
    values = {
        "id": TASK_ID,
        "organization_id": uuid.uuid4(),
        "project_id": uuid.uuid4(),
        "project_key": "WEB",
        "number": 42,
        "title": "Fix login",
        "description": "",
        "status": TaskStatus.DONE,
        "priority": TaskPriority.HIGH,
        "assignee": OLIVE,
        "reporter": None,
        "due_at": None,
        "started_at": None,
        "completed_at": NOW,
        "labels": ("bug",),
        "version": 3,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return TaskView(**{**values, **fields})


@pytest.mark.parametrize(
    ("action", "changes", "kind"),
    [
        ("task.created", {"status": {"from": None, "to": "todo"}}, "created"),
        ("task.completed", {"status": {"from": "todo", "to": "done"}}, "completed"),
        ("task.updated", {"status": {"from": "todo", "to": "done"}}, "completed"),
        ("task.moved", {"status": {"from": "todo", "to": "done"}}, "completed"),
        ("task.assigned", {"assignee_id": {"from": None, "to": "u1"}}, "assigned"),
        ("task.updated", {"assignee_id": {"from": None, "to": "u1"}}, "assigned"),
        ("task.unassigned", {"assignee_id": {"from": "u1", "to": None}}, "updated"),
        ("task.updated", {"title": {"from": "a", "to": "b"}}, "updated"),
        ("task.reopened", {"status": {"from": "done", "to": "todo"}}, "updated"),
        ("comment.added", {"body": {"from": None, "to": "hi"}}, "commented"),
        ("task.deleted", {"is_active": {"from": True, "to": False}}, None),
        ("comment.deleted", {}, None),
        ("project.created", {}, None),
    ],
)
def test_event_kinds(action, changes, kind):
    assert event_kind(activity(action, changes)) == kind


def test_rows_without_a_task_are_not_events():
    assert event_kind(activity("api_token.created", task=False)) is None


def test_teamflow_payload_carries_the_whole_task():
    delivery_id = uuid.uuid4()
    event = activity("task.completed", {"status": {"from": "todo", "to": "done"}})
    body = teamflow_payload(delivery_id=delivery_id, kind="completed", event=event, task=task())
    assert body["id"] == str(delivery_id) and body["type"] == "task.completed"
    assert body["created_at"] == NOW.isoformat() and body["source"] == "webhook"
    assert body["actor"] == {"id": str(OLIVE.id), "name": "Olive", "email": "olive@acme.test"}
    assert body["task"]["key"] == "WEB-42" and body["task"]["priority"] == "high"
    assert body["task"]["labels"] == ["bug"] and body["task"]["reporter"] is None
    assert body["changes"] == {"status": {"from": "todo", "to": "done"}}
    encode(body)  # plain JSON all the way down


def test_slack_payload_escapes_and_quotes_comments():
    event = activity("comment.added", {"body": {"from": None, "to": "a <b> & c"}})
    body = slack_payload(kind="commented", event=event, task=task(title="x<y"))
    assert body["text"] == (
        "Olive commented on *WEB-42* via a webhook: x&lt;y\n>a &lt;b&gt; &amp; c"
    )
    assert body["blocks"] == [{"type": "section", "text": {"type": "mrkdwn", "text": body["text"]}}]


def test_backoff_grows_three_times_and_is_capped():
    policy = RetryPolicy(base_seconds=10, max_delay_seconds=1000)
    delays = [policy.delay(n).total_seconds() for n in range(1, 7)]
    assert delays == [10, 30, 90, 270, 810, 1000]
    assert RetryPolicy(base_seconds=0.5).delay(2) == timedelta(seconds=1.5)


def test_signature_is_hmac_sha256_over_timestamp_and_body():
    delivery = DueDelivery(
        id=uuid.uuid4(),
        webhook_id=uuid.uuid4(),
        url="https://example.com/hook",
        payload_format="teamflow",
        secret="s3cret",
        event="task.created",
        payload={"a": 1},
        attempts=0,
    )
    body = encode(delivery.payload)
    headers = signed_headers(delivery, body, timestamp=1700000000)
    digest = hmac.new(b"s3cret", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assert headers["X-TeamFlow-Signature"] == f"v1={digest}" == sign("s3cret", 1700000000, body)
    assert headers["X-TeamFlow-Delivery"] == str(delivery.id)
    assert headers["X-TeamFlow-Event"] == "task.created"
    assert headers["X-TeamFlow-Timestamp"] == "1700000000"
