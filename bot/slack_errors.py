"""Slack Web API failures sorted into categories that decide: retry, explain, or give up."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any, TypeVar

from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_ATTEMPTS = 3
MAX_WAIT_SECONDS = 30


class Category(StrEnum):
    RATE_LIMITED = "rate_limited"
    CHANNEL_GONE = "channel_gone"
    NOT_IN_CHANNEL = "not_in_channel"
    AUTH = "auth"
    OTHER = "other"


EXPLANATIONS = {
    Category.CHANNEL_GONE: "That channel is archived or no longer exists.",
    Category.NOT_IN_CHANNEL: "Invite TeamFlow to the channel first (/invite @TeamFlow).",
    Category.AUTH: "TeamFlow's access to this workspace was revoked; reinstall the app.",
    Category.RATE_LIMITED: "Slack asked TeamFlow to slow down; try again in a moment.",
}

_BY_ERROR = {
    "ratelimited": Category.RATE_LIMITED,
    "channel_not_found": Category.CHANNEL_GONE,
    "is_archived": Category.CHANNEL_GONE,
    "not_in_channel": Category.NOT_IN_CHANNEL,
    "invalid_auth": Category.AUTH,
    "account_inactive": Category.AUTH,
    "token_revoked": Category.AUTH,
    "not_authed": Category.AUTH,
}


def classify(exc: SlackApiError) -> Category:
    if exc.response.status_code == 429:
        return Category.RATE_LIMITED
    return _BY_ERROR.get(str(exc.response.get("error", "")), Category.OTHER)


def retry_after(exc: SlackApiError) -> float:
    raw = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
    try:
        return min(float(raw), MAX_WAIT_SECONDS) if raw else 1.0
    except ValueError:
        return 1.0


async def call(fn: Callable[..., Awaitable[T]], /, **kwargs: Any) -> T:
    """Call a Web API method; on 429 wait for Retry-After and try again (a bounded number
    of times). Other errors are raised for the caller to handle by `classify`."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return await fn(**kwargs)
        except SlackApiError as exc:
            if classify(exc) is not Category.RATE_LIMITED or attempt == MAX_ATTEMPTS:
                raise
            wait = retry_after(exc)
            log.info("Slack rate limited %s; retrying in %.1fs", getattr(fn, "__name__", fn), wait)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")
