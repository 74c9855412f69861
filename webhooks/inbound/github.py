"""GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, the event in
`X-GitHub-Event`, the delivery id in `X-GitHub-Delivery`. The body is JSON, or
`application/x-www-form-urlencoded` with the JSON in a `payload` field when the hook was
set up with that content type (the signature still covers the raw form body).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

from core.services.inbound_actions import (
    Acknowledge,
    Action,
    AssignIssue,
    CloseIssue,
    CommentOnIssue,
    ExternalRef,
    PullRequestChanged,
    ReopenIssue,
    SetIssueLabels,
    UpsertIssue,
    closing_keys,
)
from webhooks.inbound.payloads import (
    BadPayload,
    BadSignature,
    body_digest,
    commits_pushed,
    hmac_sha256,
    items,
    json_object,
    media_type,
    obj,
    same,
    text,
)

PROVIDER = "github"
HEADERS = ("Content-Type", "User-Agent", "X-GitHub-Event", "X-GitHub-Delivery", "X-GitHub-Hook-ID")


def verify(headers: Mapping[str, str], body: bytes, secret: str) -> None:
    given = headers.get("X-Hub-Signature-256", "")
    if not given.startswith("sha256="):
        raise BadSignature("X-Hub-Signature-256 is missing")
    if not same(given, "sha256=" + hmac_sha256(secret, body)):
        raise BadSignature("X-Hub-Signature-256 does not match the body")


def event_of(headers: Mapping[str, str]) -> str:
    return headers.get("X-GitHub-Event", "").strip()


def delivery_id_of(headers: Mapping[str, str], body: bytes) -> str:
    return headers.get("X-GitHub-Delivery", "").strip() or body_digest(body)


def decode(headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
    kind = media_type(headers)
    if kind == "application/json":
        return json_object(body)
    if kind == "application/x-www-form-urlencoded":
        try:
            form = parse_qs(body.decode("utf-8"), strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            raise BadPayload("The form body is not valid") from None
        if len(form.get("payload", [])) != 1:
            raise BadPayload("A form-encoded GitHub delivery needs one 'payload' field")
        return json_object(form["payload"][0].encode())
    raise BadPayload("Send application/json or application/x-www-form-urlencoded")


def parse(event: str, payload: dict[str, Any]) -> list[Action]:
    handler = EVENTS.get(event)
    return handler(payload) if handler else []


def _issue_ref(payload: dict[str, Any]) -> ExternalRef:
    issue = obj(payload.get("issue"))
    repo = text(obj(payload.get("repository")).get("full_name"))
    return ExternalRef(
        provider=PROVIDER,
        external_id=f"{repo}#{issue.get('number')}",
        url=text(issue.get("html_url")),
        title=text(issue.get("title")),
    )


def _sender(payload: dict[str, Any]) -> str | None:
    return text(obj(payload.get("sender")).get("login")) or None


def _labels(issue: dict[str, Any]) -> tuple[str, ...]:
    return tuple(text(obj(label).get("name")) for label in items(issue.get("labels")))


def _issues(payload: dict[str, Any]) -> list[Action]:
    action, issue = payload.get("action"), obj(payload.get("issue"))
    ref, sender = _issue_ref(payload), _sender(payload)
    login = text(obj(payload.get("assignee")).get("login")) or None
    table: dict[str, Callable[[], Action]] = {
        "opened": lambda: UpsertIssue(
            ref=ref,
            title=text(issue.get("title")),
            description=text(issue.get("body")),
            labels=_labels(issue),
            sender=sender,
        ),
        "edited": lambda: UpsertIssue(
            ref=ref,
            title=text(issue.get("title")),
            description=text(issue.get("body")),
            sender=sender,
        ),
        "closed": lambda: CloseIssue(ref=ref, sender=sender),
        "reopened": lambda: ReopenIssue(ref=ref, sender=sender),
        "assigned": lambda: AssignIssue(ref=ref, login=login, sender=sender),
        "unassigned": lambda: AssignIssue(ref=ref, login=None, unassigned=login, sender=sender),
        "labeled": lambda: SetIssueLabels(ref=ref, labels=_labels(issue), sender=sender),
        "unlabeled": lambda: SetIssueLabels(ref=ref, labels=_labels(issue), sender=sender),
    }
    build = table.get(text(action))
    return [build()] if build else []


def _issue_comment(payload: dict[str, Any]) -> list[Action]:
    if payload.get("action") != "created":
        return []
    comment = obj(payload.get("comment"))
    return [
        CommentOnIssue(
            ref=_issue_ref(payload),
            body=text(comment.get("body")),
            author=text(obj(comment.get("user")).get("login")) or "someone",
            url=text(comment.get("html_url")),
            sender=_sender(payload),
        )
    ]


def _pull_request(payload: dict[str, Any]) -> list[Action]:
    action, pr = text(payload.get("action")), obj(payload.get("pull_request"))
    state = {"opened": "open", "edited": "open", "reopened": "open"}.get(action)
    if action == "closed":
        state = "merged" if pr.get("merged") else "closed"
    if state is None:
        return []
    repo = text(obj(payload.get("repository")).get("full_name"))
    ref = ExternalRef(
        provider=PROVIDER,
        external_id=f"{repo}!{pr.get('number')}",
        url=text(pr.get("html_url")),
        title=text(pr.get("title")),
    )
    keys = closing_keys(text(pr.get("title")), text(pr.get("body")))
    return [PullRequestChanged(ref=ref, keys=keys, state=state, sender=_sender(payload))]


def _push(payload: dict[str, Any]) -> list[Action]:
    return commits_pushed(payload, sender=_sender(payload))


def _ping(payload: dict[str, Any]) -> list[Action]:
    return [Acknowledge()]


EVENTS: dict[str, Callable[[dict[str, Any]], list[Action]]] = {
    "ping": _ping,
    "issues": _issues,
    "issue_comment": _issue_comment,
    "pull_request": _pull_request,
    "push": _push,
}
