"""Inbound webhook adapters, one small module per provider, and the table that picks one.

Each module has the same five pure functions: `verify` (raise BadSignature), `event_of`,
`delivery_id_of`, `decode` (raise BadPayload) and `parse` (payload -> core actions;
an empty list means the event is not one TeamFlow uses).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from webhooks.inbound import generic, github, gitlab
from webhooks.inbound.payloads import BadPayload, BadSignature

PROVIDERS: dict[str, ModuleType] = {"github": github, "gitlab": gitlab, "generic": generic}

__all__ = ["PROVIDERS", "BadPayload", "BadSignature", "actions_of", "selected_headers"]


def actions_of(provider: str, event: str, headers: Mapping[str, str], body: bytes) -> list[Any]:
    """Decode and parse a stored delivery again: what `process` and replays run."""
    adapter = PROVIDERS[provider]
    return adapter.parse(event, adapter.decode(headers, body))


def selected_headers(provider: str, headers: Mapping[str, str]) -> dict[str, str]:
    """The headers kept with a delivery: enough to decode it again, no secrets."""
    return {name: headers[name] for name in PROVIDERS[provider].HEADERS if name in headers}
