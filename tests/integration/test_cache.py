"""The same behaviour from both cache backends: real Redis and the in-process one."""

import asyncio
import secrets

import pytest

from core.cache import Cache, LockNotAcquired, MemoryCache
from core.cache.redis import RedisCache
from tests import settings


@pytest.fixture(params=["memory", "redis"])
async def cache(request):
    if request.param == "memory":
        backend: Cache = MemoryCache()
    else:
        backend = RedisCache.from_url(settings.REDIS_URL, prefix=f"test-{secrets.token_hex(4)}:")
        assert await backend.ping(), f"Redis at {settings.REDIS_URL} does not answer"
    yield backend
    await backend.close()


async def test_get_set_delete(cache):
    assert await cache.get("missing") is None
    await cache.set("greeting", "hello")
    assert await cache.get("greeting") == "hello"
    assert await cache.delete("greeting") is True
    assert await cache.delete("greeting") is False
    assert await cache.get("greeting") is None


async def test_values_expire_after_their_ttl(cache):
    await cache.set("short", "v", ttl=0.2)
    await cache.set("long", "v", ttl=30)
    assert await cache.get("short") == "v"
    await asyncio.sleep(0.35)
    assert await cache.get("short") is None
    assert await cache.get("long") == "v"


async def test_set_if_absent_lets_exactly_one_caller_win(cache):
    results = await asyncio.gather(*(cache.set_if_absent("once", str(i), ttl=5) for i in range(25)))
    assert results.count(True) == 1
    assert await cache.get("once") == str(results.index(True))


async def test_set_if_absent_succeeds_again_after_expiry(cache):
    assert await cache.set_if_absent("slot", "a", ttl=0.2)
    assert not await cache.set_if_absent("slot", "b", ttl=0.2)
    await asyncio.sleep(0.3)
    assert await cache.set_if_absent("slot", "c", ttl=0.2)


async def test_counter_window_for_rate_limits(cache):
    counts = [await cache.incr("hits", ttl=0.3) for _ in range(3)]
    assert counts == [1, 2, 3]
    await asyncio.sleep(0.4)
    assert await cache.incr("hits", ttl=0.3) == 1


async def test_lock_excludes_a_second_holder(cache):
    async with cache.lock("digest", timeout=5):
        with pytest.raises(LockNotAcquired):
            async with cache.lock("digest", timeout=5):
                pass
    async with cache.lock("digest", timeout=5):
        pass


async def test_lock_waiters_run_one_at_a_time(cache):
    inside, peak = 0, 0

    async def critical(i):
        nonlocal inside, peak
        async with cache.lock("section", timeout=5, blocking_timeout=5):
            inside += 1
            peak = max(peak, inside)
            await asyncio.sleep(0.02)
            inside -= 1

    await asyncio.gather(*(critical(i) for i in range(5)))
    assert peak == 1


async def test_an_expired_lock_can_be_taken(cache):
    async with cache.lock("stuck", timeout=0.2):
        await asyncio.sleep(0.3)
        async with cache.lock("stuck", timeout=1):
            pass


async def test_publish_reaches_every_subscriber(cache):
    async with cache.subscribe("tasks") as first, cache.subscribe("tasks", "other") as second:
        delivered = await cache.publish("tasks", '{"key": "WEB-1"}')
        assert delivered == 2
        for sub in (first, second):
            message = await sub.get(timeout=2)
            assert message is not None
            assert (message.channel, message.data) == ("tasks", '{"key": "WEB-1"}')
        assert await first.get(timeout=0.1) is None
    assert await cache.publish("tasks", "nobody listens") == 0


async def test_redis_pubsub_crosses_processes():
    """Two clients stand for two web processes sharing one Redis."""
    prefix = f"test-{secrets.token_hex(4)}:"
    publisher = RedisCache.from_url(settings.REDIS_URL, prefix=prefix)
    listener = RedisCache.from_url(settings.REDIS_URL, prefix=prefix)
    try:
        async with listener.subscribe("live") as sub:
            await publisher.publish("live", "changed")
            message = await sub.get(timeout=2)
        assert message is not None and message.data == "changed"
        await publisher.set("shared", "1")
        assert await listener.get("shared") == "1"
    finally:
        await publisher.close()
        await listener.close()
