"""What every provider adapter shares: reading a body and comparing secrets safely."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from core.services.inbound_actions import Action, Commit, CommitsPushed, mentioned_keys


class BadPayload(ValueError):
    """The body is not what the provider sends (bad JSON, wrong content type): a 400."""


class BadSignature(ValueError):
    """The signature is missing or wrong: a 401, and nothing is stored."""


def media_type(headers: Mapping[str, str]) -> str:
    return headers.get("Content-Type", "").split(";")[0].strip().lower()


def json_object(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadPayload("The body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise BadPayload("The body must be a JSON object")
    return payload


def require_json(headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
    kind = media_type(headers)
    if kind != "application/json":
        raise BadPayload(f"Send the body as application/json (got {kind or 'no content type'})")
    return json_object(body)


def hmac_sha256(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def same(given: str, expected: str) -> bool:
    """Constant-time, so the comparison leaks nothing about how much matched."""
    return hmac.compare_digest(given.encode(), expected.encode())


def body_digest(body: bytes) -> str:
    """A stand-in delivery id when the sender gave none: the same body dedupes."""
    return "sha256:" + hashlib.sha256(body).hexdigest()


def text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def commits_pushed(payload: dict[str, Any], *, sender: str | None) -> list[Action]:
    """GitHub and GitLab push payloads share `commits[]` with id, url and message; only
    commits whose message mentions a task key become an action."""
    commits = tuple(
        Commit(
            sha=text(c.get("id")),
            url=text(c.get("url")),
            message=text(c.get("message")),
            keys=mentioned_keys(text(c.get("message"))),
        )
        for c in map(obj, items(payload.get("commits")))
    )
    mentioning = tuple(c for c in commits if c.keys)
    return [CommitsPushed(commits=mentioning, sender=sender)] if mentioning else []
