"""The in-process backend: the embedded default, for one process."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from core.cache.base import LockNotAcquired, Message

LOCK_POLL_SECONDS = 0.01


class MemorySubscription:
    def __init__(self, queue: asyncio.Queue[Message]) -> None:
        self._queue = queue

    async def get(self, timeout: float) -> Message | None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow the caller's
        # cancellation when a message arrives at the same moment, and a WebSocket
        # handler cancelled on disconnect would then never end.
        try:
            async with asyncio.timeout(timeout):
                return await self._queue.get()
        except TimeoutError:
            return None

    async def __aiter__(self) -> AsyncIterator[Message]:
        while True:
            yield await self._queue.get()


class MemoryCache:
    def __init__(self, *, clock: object = time.monotonic) -> None:
        self._clock = clock
        self._values: dict[str, tuple[str, float | None]] = {}
        self._subscribers: dict[str, set[asyncio.Queue[Message]]] = defaultdict(set)

    def _now(self) -> float:
        return self._clock()  # type: ignore[operator]

    def _live(self, key: str) -> str | None:
        entry = self._values.get(key)
        if entry is None:
            return None
        value, expires = entry
        if expires is not None and expires <= self._now():
            del self._values[key]
            return None
        return value

    def _store(self, key: str, value: str, ttl: float | None) -> None:
        self._values[key] = (value, self._now() + ttl if ttl is not None else None)

    async def get(self, key: str) -> str | None:
        return self._live(key)

    async def set(self, key: str, value: str, *, ttl: float | None = None) -> None:
        self._store(key, value, ttl)

    async def delete(self, key: str) -> bool:
        existed = self._live(key) is not None
        self._values.pop(key, None)
        return existed

    async def set_if_absent(self, key: str, value: str, *, ttl: float | None = None) -> bool:
        if self._live(key) is not None:
            return False
        self._store(key, value, ttl)
        return True

    async def incr(self, key: str, *, ttl: float) -> int:
        current = self._live(key)
        if current is None:
            self._store(key, "1", ttl)
            return 1
        count = int(current) + 1
        self._values[key] = (str(count), self._values[key][1])
        return count

    @asynccontextmanager
    async def lock(
        self, name: str, *, timeout: float, blocking_timeout: float | None = None
    ) -> AsyncIterator[None]:
        key, token = f"lock:{name}", secrets.token_hex(8)
        deadline = self._now() + (blocking_timeout or 0)
        while not await self.set_if_absent(key, token, ttl=timeout):
            if self._now() >= deadline:
                raise LockNotAcquired(name)
            await asyncio.sleep(LOCK_POLL_SECONDS)
        try:
            yield
        finally:
            if self._live(key) == token:
                del self._values[key]

    async def publish(self, channel: str, message: str) -> int:
        queues = self._subscribers.get(channel, set())
        for queue in queues:
            queue.put_nowait(Message(channel, message))
        return len(queues)

    @asynccontextmanager
    async def subscribe(self, *channels: str) -> AsyncIterator[MemorySubscription]:
        queue: asyncio.Queue[Message] = asyncio.Queue()
        for channel in channels:
            self._subscribers[channel].add(queue)
        try:
            yield MemorySubscription(queue)
        finally:
            for channel in channels:
                self._subscribers[channel].discard(queue)
                if not self._subscribers[channel]:
                    del self._subscribers[channel]

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        self._values.clear()
