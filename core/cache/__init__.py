"""Cache and coordination: Redis when REDIS_URL is set, in-process otherwise."""

from __future__ import annotations

from core.cache.base import Cache, LockNotAcquired, Message, Subscription
from core.cache.memory import MemoryCache


def create_cache(redis_url: str | None, *, prefix: str = "teamflow:") -> Cache:
    if redis_url:
        from core.cache.redis import RedisCache

        return RedisCache.from_url(redis_url, prefix=prefix)
    return MemoryCache()


__all__ = ["Cache", "LockNotAcquired", "MemoryCache", "Message", "Subscription", "create_cache"]
