"""GitLab: the secret token comes back as is in `X-Gitlab-Token` (compared in constant
time), the event in `X-Gitlab-Event` (`Issue Hook`, `Merge Request Hook`, `Note Hook`,
`Push Hook`, ...), the delivery id in `Idempotency-Key` or `X-Gitlab-Event-UUID`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from core.services.inbound_actions import (
    Action,
    AssignIssue,
    CloseIssue,
    CommentOnIssue,
    ExternalRef,
    PullRequestChanged,
    ReopenIssue,
    UpsertIssue,
    closing_keys,
)
from webhooks.inbound.payloads import (
    BadSignature,
    body_digest,
    commits_pushed,
    items,
    obj,
    require_json,
    same,
    text,
)

PROVIDER = "gitlab"
HEADERS = (
    "Content-Type",
    "User-Agent",
    "X-Gitlab-Event",
    "X-Gitlab-Event-UUID",
    "X-Gitlab-Webhook-UUID",
    "Idempotency-Key",
    "X-Gitlab-Instance",
)


def verify(headers: Mapping[str, str], body: bytes, secret: str) -> None:
    given = headers.get("X-Gitlab-Token", "")
    if not given:
        raise BadSignature("X-Gitlab-Token is missing")
    if not same(given, secret):
        raise BadSignature("X-Gitlab-Token is wrong")


def event_of(headers: Mapping[str, str]) -> str:
    return headers.get("X-Gitlab-Event", "").strip()


def delivery_id_of(headers: Mapping[str, str], body: bytes) -> str:
    for name in ("Idempotency-Key", "X-Gitlab-Event-UUID"):
        if headers.get(name, "").strip():
            return headers[name].strip()
    return body_digest(body)


def decode(headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
    return require_json(headers, body)


def parse(event: str, payload: dict[str, Any]) -> list[Action]:
    handler = EVENTS.get(event)
    return handler(payload) if handler else []


def _project(payload: dict[str, Any]) -> str:
    return text(obj(payload.get("project")).get("path_with_namespace"))


def _sender(payload: dict[str, Any]) -> str | None:
    return (
        text(obj(payload.get("user")).get("username")) or text(payload.get("user_username")) or None
    )


def _issue_ref(payload: dict[str, Any], issue: dict[str, Any]) -> ExternalRef:
    return ExternalRef(
        provider=PROVIDER,
        external_id=f"{_project(payload)}#{issue.get('iid')}",
        url=text(issue.get("url")),
        title=text(issue.get("title")),
    )


def _labels(payload: dict[str, Any]) -> tuple[str, ...]:
    return tuple(text(obj(label).get("title")) for label in items(payload.get("labels")))


def _assignee(payload: dict[str, Any]) -> str | None:
    names = [text(obj(a).get("username")) for a in items(payload.get("assignees"))]
    return next((name for name in names if name), None)


def _issue(payload: dict[str, Any]) -> list[Action]:
    attributes = obj(payload.get("object_attributes"))
    action, sender = text(attributes.get("action")), _sender(payload)
    ref = _issue_ref(payload, attributes)
    upsert = UpsertIssue(
        ref=ref,
        title=text(attributes.get("title")),
        description=text(attributes.get("description")),
        labels=_labels(payload),
        sender=sender,
    )
    if action == "open":
        found: list[Action] = [upsert]
        assignee = _assignee(payload)
        return found + ([AssignIssue(ref=ref, login=assignee, sender=sender)] if assignee else [])
    if action == "update":
        return [upsert, *_assignment_change(payload, ref, sender)]
    if action == "close":
        return [CloseIssue(ref=ref, sender=sender)]
    if action == "reopen":
        return [ReopenIssue(ref=ref, sender=sender)]
    return []


def _assignment_change(
    payload: dict[str, Any], ref: ExternalRef, sender: str | None
) -> list[Action]:
    change = obj(obj(payload.get("changes")).get("assignees"))
    if not change:
        return []
    now = [text(obj(a).get("username")) for a in items(change.get("current"))]
    before = [text(obj(a).get("username")) for a in items(change.get("previous"))]
    if now:
        return [AssignIssue(ref=ref, login=now[0], sender=sender)]
    return [AssignIssue(ref=ref, login=None, unassigned=before[0], sender=sender)] if before else []


def _merge_request(payload: dict[str, Any]) -> list[Action]:
    attributes = obj(payload.get("object_attributes"))
    state = {
        "open": "open",
        "update": "open",
        "reopen": "open",
        "merge": "merged",
        "close": "closed",
    }.get(text(attributes.get("action")))
    if state is None:
        return []
    ref = ExternalRef(
        provider=PROVIDER,
        external_id=f"{_project(payload)}!{attributes.get('iid')}",
        url=text(attributes.get("url")),
        title=text(attributes.get("title")),
    )
    keys = closing_keys(text(attributes.get("title")), text(attributes.get("description")))
    return [PullRequestChanged(ref=ref, keys=keys, state=state, sender=_sender(payload))]


def _note(payload: dict[str, Any]) -> list[Action]:
    attributes = obj(payload.get("object_attributes"))
    if text(attributes.get("noteable_type")) != "Issue":
        return []
    sender = _sender(payload)
    return [
        CommentOnIssue(
            ref=_issue_ref(payload, obj(payload.get("issue"))),
            body=text(attributes.get("note")),
            author=sender or "someone",
            url=text(attributes.get("url")),
            sender=sender,
        )
    ]


def _push(payload: dict[str, Any]) -> list[Action]:
    return commits_pushed(payload, sender=_sender(payload))


EVENTS: dict[str, Callable[[dict[str, Any]], list[Action]]] = {
    "Issue Hook": _issue,
    "Merge Request Hook": _merge_request,
    "Note Hook": _note,
    "Push Hook": _push,
}
