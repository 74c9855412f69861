"""What `/slack/events` checks before Bolt sees a request: a well-formed, correct and fresh
signature, on a request not seen before.

Slack signs `v0:{timestamp}:{body}` and accepts five minutes of clock skew either way,
but signs no nonce: a captured request sent again byte for byte within that window
verifies again. So each verified request is remembered in the cache (one atomic
set-if-absent) for as long as its signature could still verify, and a repeat is
acknowledged without being run. An Events API delivery is remembered by its `event_id`
instead, for longer: Slack's own retries carry the same event under a new timestamp, so
a new signature. If the cache is down, `set_if_absent` answers True (degrade open): a
replay then goes through, as before this check existed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

from core.cache import Cache

SKEW_SECONDS = 300  # Slack's window, either side of its timestamp
# Seen first at the earliest moment it verifies (timestamp - 5 min), a signature still
# verifies until timestamp + 5 min; a minute more covers rounding and slow requests.
SIGNATURE_MEMORY_SECONDS = 2 * SKEW_SECONDS + 60
EVENT_MEMORY_SECONDS = 3600
MISSING_OR_WRONG = "The Slack signature is missing, wrong or stale"
NOT_A_TIMESTAMP = "X-Slack-Request-Timestamp must be a Unix time in whole seconds"
# ASCII digits only, and few: int() also reads "1_700", " 17 " and Arabic-Indic digits,
# and raises on thousands of digits.
UNIX_SECONDS = re.compile(r"[0-9]{1,12}")


class SignatureRefused(ValueError):
    """The request is not provably from Slack: a 401, and nothing runs."""


def verify(body: str, headers: Mapping[str, str], *, secret: str) -> str:
    """The request's signature if Slack made it within the window; else SignatureRefused.

    The timestamp's form is checked first: slack_sdk's verifier raises ValueError on one
    that int() cannot read, which Bolt would turn into a 500.
    """
    stamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not stamp or not signature:
        raise SignatureRefused(MISSING_OR_WRONG)
    if not UNIX_SECONDS.fullmatch(stamp):
        raise SignatureRefused(NOT_A_TIMESTAMP)
    if not SignatureVerifier(secret).is_valid(body, stamp, signature):
        raise SignatureRefused(MISSING_OR_WRONG)
    return signature


def is_ssl_check(body: str, mimetype: str) -> bool:
    """Slack's certificate probe of a slash command URL comes unsigned; Bolt answers it
    with an empty 200 before any listener could run."""
    if mimetype != "application/x-www-form-urlencoded" or "ssl_check=1" not in body:
        return False
    return parse_qs(body).get("ssl_check") == ["1"]


async def first_sight(cache: Cache, body: str, mimetype: str, *, signature: str) -> bool:
    """True the first time this verified request (or this event) arrives, False for a repeat."""
    event_id = _event_id(body, mimetype)
    if event_id:
        return await cache.set_if_absent(f"slack:event:{event_id}", "1", ttl=EVENT_MEMORY_SECONDS)
    return await cache.set_if_absent(
        f"slack:signature:{signature}", "1", ttl=SIGNATURE_MEMORY_SECONDS
    )


def _event_id(body: str, mimetype: str) -> str | None:
    if mimetype != "application/json":
        return None
    try:
        event_id = json.loads(body).get("event_id")
    except (ValueError, AttributeError):
        return None
    return event_id if isinstance(event_id, str) and event_id else None
