"""The cache and coordination interface: key/value with TTL, locks, counters, pub/sub."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol


class LockNotAcquired(Exception):
    """Someone else holds the lock and it did not come free in time."""


@dataclass(frozen=True)
class Message:
    channel: str
    data: str


class Subscription(Protocol):
    async def get(self, timeout: float) -> Message | None:
        """The next message, or None if none arrived within `timeout` seconds."""

    def __aiter__(self) -> AsyncIterator[Message]: ...


class Cache(Protocol):
    """Both backends (Redis and in-process) pass the same tests."""

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, *, ttl: float | None = None) -> None: ...

    async def delete(self, key: str) -> bool: ...

    async def set_if_absent(self, key: str, value: str, *, ttl: float | None = None) -> bool:
        """Atomically store `value` only if `key` is absent; True if this call stored it."""

    async def incr(self, key: str, *, ttl: float) -> int:
        """Add one; the first increment starts a window of `ttl` seconds (rate limits)."""

    def lock(
        self, name: str, *, timeout: float, blocking_timeout: float | None = None
    ) -> AbstractAsyncContextManager[None]:
        """Hold `name` for at most `timeout` seconds; wait `blocking_timeout` (None: not at all)."""

    async def publish(self, channel: str, message: str) -> int: ...

    def subscribe(self, *channels: str) -> AbstractAsyncContextManager[Subscription]:
        """Messages published after this returns are delivered to the subscription."""

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...
