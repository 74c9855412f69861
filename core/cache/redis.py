"""The Redis backend (redis-py asyncio): shared by every process of a deployment."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import LockError, RedisError

from core.cache.base import LockNotAcquired, Message


class RedisSubscription:
    def __init__(self, pubsub: PubSub, prefix: str) -> None:
        self._pubsub = pubsub
        self._prefix = prefix

    async def get(self, timeout: float) -> Message | None:
        raw = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=timeout)
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

    @classmethod
    def from_url(cls, url: str, *, prefix: str = "teamflow:") -> RedisCache:
        return cls(Redis.from_url(url, decode_responses=True), prefix=prefix)

    def _key(self, key: str) -> str:
        return self._prefix + key

    async def get(self, key: str) -> str | None:
        return await self._client.get(self._key(key))

    async def set(self, key: str, value: str, *, ttl: float | None = None) -> None:
        await self._client.set(self._key(key), value, px=_millis(ttl))

    async def delete(self, key: str) -> bool:
        return bool(await self._client.delete(self._key(key)))

    async def set_if_absent(self, key: str, value: str, *, ttl: float | None = None) -> bool:
        return bool(await self._client.set(self._key(key), value, nx=True, px=_millis(ttl)))

    async def incr(self, key: str, *, ttl: float) -> int:
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.incr(self._key(key))
            pipe.pexpire(self._key(key), _millis(ttl), nx=True)
            count, _ = await pipe.execute()
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
        if not await lock.acquire():
            raise LockNotAcquired(name)
        try:
            yield
        finally:
            try:
                await lock.release()
            except LockError:
                pass  # expired while held: someone else may own it now

    async def publish(self, channel: str, message: str) -> int:
        return int(await self._client.publish(self._key(channel), message))

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
