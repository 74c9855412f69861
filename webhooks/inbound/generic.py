"""Generic signed JSON, for monitoring tools and scripts.

Headers: `X-TeamFlow-Timestamp: <unix seconds>` and
`X-TeamFlow-Signature: v1=<hex HMAC-SHA256 of "{timestamp}.{raw body}" with the secret>`;
a timestamp more than 5 minutes away from now is refused, so a captured request cannot
be replayed later. `Idempotency-Key` (optional) names the delivery for deduplication;
without it the signed timestamp and body do, so a request replayed within the five
minutes is answered as a duplicate and not applied again.

Body: {"action": "create"|"update"|"comment"|"complete"|"reopen", "task": "WEB-42",
"external_id": "alert-123", "title", "description", "priority", "labels", "due_at",
"body"}; a task is addressed by `task` (its key) or by `external_id`.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field, ValidationError, model_validator

from core.services.inbound_actions import Action, GenericRequest
from webhooks.inbound.payloads import (
    BadPayload,
    BadSignature,
    hmac_sha256,
    require_json,
    same,
)

PROVIDER = "generic"
TOLERANCE_SECONDS = 300
# ASCII digits, and few: str.isdigit() also takes "²", which int() refuses, and int()
# raises on thousands of digits.
UNIX_SECONDS = re.compile(r"[0-9]{1,12}")
HEADERS = ("Content-Type", "User-Agent", "X-TeamFlow-Timestamp", "Idempotency-Key")


class GenericPayload(BaseModel):
    action: Literal["create", "update", "comment", "complete", "reopen"]
    task: str | None = Field(default=None, max_length=30)
    external_id: str | None = Field(default=None, min_length=1, max_length=255)
    title: str | None = Field(default=None, max_length=255)
    description: str | None = Field(default=None, max_length=2000)
    priority: Literal["low", "medium", "high", "urgent"] | None = None
    labels: list[str] | None = Field(default=None, max_length=20)
    due_at: AwareDatetime | None = None
    body: str | None = Field(default=None, max_length=4000)
    sender: str | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def addressed(self) -> GenericPayload:
        if self.action != "create" and not (self.task or self.external_id):
            raise ValueError(f"'{self.action}' needs 'task' (a key) or 'external_id'")
        if self.action == "create" and not (self.title or self.task or self.external_id):
            raise ValueError("'create' needs a 'title'")
        if self.action == "comment" and not (self.body or "").strip():
            raise ValueError("'comment' needs a 'body'")
        return self


def verify(
    headers: Mapping[str, str], body: bytes, secret: str, *, now: float | None = None
) -> None:
    stamp = headers.get("X-TeamFlow-Timestamp", "").strip()
    given = headers.get("X-TeamFlow-Signature", "").strip()
    if not stamp or not given:
        raise BadSignature("X-TeamFlow-Timestamp and X-TeamFlow-Signature are required")
    if (
        not UNIX_SECONDS.fullmatch(stamp)
        or abs((now or time.time()) - int(stamp)) > TOLERANCE_SECONDS
    ):
        raise BadSignature("X-TeamFlow-Timestamp is more than 5 minutes away from now")
    expected = "v1=" + hmac_sha256(secret, stamp.encode() + b"." + body)
    if not any(same(part.strip(), expected) for part in given.split(",")):
        raise BadSignature("X-TeamFlow-Signature does not match")


def event_of(headers: Mapping[str, str]) -> str:
    return "generic"


def delivery_id_of(headers: Mapping[str, str], body: bytes) -> str:
    """The sender's `Idempotency-Key`; without one, a digest of what the signature covers.

    The signed timestamp and body, not the signature header: that header may hold several
    signatures (secret rotation), and a replay could add or drop one and still verify.
    The timestamp is digits only, so `{timestamp}.{body}` names one pair: two deliveries
    differing in either never share an id, and a byte-for-byte replay within the window
    is caught as a duplicate. Two identical bodies sent in the same second can only be
    told apart by an `Idempotency-Key`.
    """
    key = headers.get("Idempotency-Key", "").strip()
    if key:
        return key
    stamp = headers.get("X-TeamFlow-Timestamp", "").strip()
    return "signed:" + hashlib.sha256(stamp.encode() + b"." + body).hexdigest()


def decode(headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
    payload = require_json(headers, body)
    validated(payload)
    return payload


def validated(payload: dict[str, Any]) -> GenericPayload:
    try:
        return GenericPayload.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise BadPayload(f"{where}: {first['msg']}") from None


def parse(event: str, payload: dict[str, Any]) -> list[Action]:
    data = validated(payload)
    due_at: datetime | None = data.due_at
    return [
        GenericRequest(
            action=data.action,
            task=data.task,
            external_id=data.external_id,
            title=data.title,
            description=data.description,
            priority=data.priority,
            labels=tuple(data.labels) if data.labels is not None else None,
            due_at=due_at,
            body=data.body,
            sender=data.sender,
            fields_given=tuple(sorted(data.model_fields_set)),
        )
    ]
