"""The Redis backend (redis-py asyncio): shared by every process of a deployment.

While Redis cannot be reached the cache is bypassed rather than failing the request
that uses it (degrade open): reads miss, writes and deletes are dropped, counters read 0
(so rate limits and sign-in throttles are not enforced), `set_if_absent` answers True
(the caller goes ahead; a redelivered Slack event may then be handled twice and a
replayed Slack request run again), locks are
not acquired (background rounds wait for the next one) and publishing reaches nobody.
One warning is logged when Redis stops answering and one when it answers again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import LockError, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.cache.base import LockNotAcquired, Message

log = logging.getLogger(__name__)

# What redis-py raises when the server is down, restarting or unreachable.
UNREACHABLE: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError, OSError)
CONNECT_TIMEOUT_SECONDS = 2.0
COMMAND_TIMEOUT_SECONDS = 5.0
READ_GRACE_SECONDS = 1.0
# A counter's increment and its expiry (set once, when it has none) in one command: a
# MULTI/INCR/PEXPIRE/EXEC transaction is four commands and four replies to parse, and a
# rate limit counts every API request.
INCR_WITH_TTL = """
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
"""


class _Outage:
    """Remembers whether Redis is down, so each outage is logged once, not per request."""

    def __init__(self) -> None:
        self._since: float | None = None

    def failed(self, exc: BaseException) -> None:
        if self._since is None:
            self._since = time.monotonic()
            log.warning(
                "Redis is unreachable (%s): cache bypassed, rate limits not enforced, "
                "until it answers again",
                exc,
            )

    def recovered(self) -> None:
        if self._since is not None:
            down_for = time.monotonic() - self._since
            self._since = None
            log.warning("Redis answers again after %.1f s: cache back in use", down_for)


class RedisSubscription:
    def __init__(self, pubsub: PubSub, prefix: str) -> None:
        self._pubsub = pubsub
        self._prefix = prefix

    async def get(self, timeout: float) -> Message | None:
        # redis-py's own timeout covers waiting for data; a reply cut mid-read can hold the
        # call longer, so the caller's deadline is enforced here as well.
        try:
            async with asyncio.timeout(timeout + READ_GRACE_SECONDS):
                raw = await self._pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=timeout
                )
        except TimeoutError:
            return None
        if raw is None:
            return None
        return Message(raw["channel"].removeprefix(self._prefix), raw["data"])

    async def __aiter__(self) -> AsyncIterator[Message]:
        async for raw in self._pubsub.listen():
            if raw["type"] == "message":
                yield Message(raw["channel"].removeprefix(self._prefix), raw["data"])


class RedisCache:
    """Every key and channel is prefixed, so several deployments can share one Redis."""

    def __init__(self, client: Redis, *, prefix: str = "teamflow:") -> None:
        self._client = client
        self._prefix = prefix
        self._outage = _Outage()
        self._incr = client.register_script(INCR_WITH_TTL)

    @classmethod
    def from_url(cls, url: str, *, prefix: str = "teamflow:") -> RedisCache:
        client = Redis.from_url(
            url,
            decode_responses=True,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            # No command may wait on a reply for ever: a connection left mid-reply (a
            # cancelled call, a server that stopped answering) fails instead, which the
            # cache treats as Redis being unreachable.
            socket_timeout=COMMAND_TIMEOUT_SECONDS,
        )
        return cls(client, prefix=prefix)

    def _key(self, key: str) -> str:
        return self._prefix + key

    async def get(self, key: str) -> str | None:
        try:
            value = await self._client.get(self._key(key))
        except UNREACHABLE as exc:
            self._outage.failed(exc)
            return None
        self._outage.recovered()
        return value

    async def set(self, key: str, value: str, *, ttl: float | None = None) -> None:
        try:
            await self._client.set(self._key(key), value, px=_millis(ttl))
        except UNREACHABLE as exc:
            self._outage.failed(exc)
            return
        self._outage.recovered()

    async def delete(self, key: str) -> bool:
        try:
            deleted = bool(await self._client.delete(self._key(key)))
        except UNREACHABLE as exc:
            self._outage.failed(exc)
            return False
        self._outage.recovered()
        return deleted

    async def set_if_absent(self, key: str, value: str, *, ttl: float | None = None) -> bool:
        try:
            stored = await self._client.set(self._key(key), value, nx=True, px=_millis(ttl))
        except UNREACHABLE as exc:
            self._outage.failed(exc)
            return True
        self._outage.recovered()
        return bool(stored)

    async def incr(self, key: str, *, ttl: float) -> int:
        try:
            count = await self._incr(keys=[self._key(key)], args=[_millis(ttl)])
        except UNREACHABLE as exc:
            self._outage.failed(exc)
            return 0
        self._outage.recovered()
        return int(count)

    @asynccontextmanager
    async def lock(
        self, name: str, *, timeout: float, blocking_timeout: float | None = None
    ) -> AsyncIterator[None]:
        lock = self._client.lock(
            self._key(f"lock:{name}"),
            timeout=timeout,
            blocking=blocking_timeout is not None,
            blocking_timeout=blocking_timeout,
        )
        try:
            acquired = await lock.acquire()
        except UNREACHABLE as exc:
            self._outage.failed(exc)
            raise LockNotAcquired(name) from exc
        if not acquired:
            raise LockNotAcquired(name)
        try:
            yield
        finally:
            try:
                await lock.release()
            except LockError:
                pass  # expired while held: someone else may own it now
            except UNREACHABLE as exc:
                self._outage.failed(exc)  # it expires by itself after `timeout`

    async def publish(self, channel: str, message: str) -> int:
        try:
            receivers = int(await self._client.publish(self._key(channel), message))
        except UNREACHABLE as exc:
            self._outage.failed(exc)
            return 0
        self._outage.recovered()
        return receivers

    @asynccontextmanager
    async def subscribe(self, *channels: str) -> AsyncIterator[RedisSubscription]:
        pubsub = self._client.pubsub()
        names = [self._key(c) for c in channels]
        await pubsub.subscribe(*names)
        confirmed = 0
        while confirmed < len(names):  # wait until Redis has registered every channel
            raw = await pubsub.get_message(timeout=5)
            if raw is None:
                raise RedisError("Redis did not confirm the subscription")
            confirmed += raw["type"] == "subscribe"
        try:
            yield RedisSubscription(pubsub, self._prefix)
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except (RedisError, OSError):
            return False

    async def close(self) -> None:
        await self._client.aclose()


def _millis(seconds: float | None) -> int | None:
    return None if seconds is None else max(1, int(seconds * 1000))
