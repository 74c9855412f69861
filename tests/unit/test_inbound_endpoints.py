"""The per-process endpoint cache of the inbound door, with a fake loader and clock."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from core.errors import NotFound
from core.services.inbound_endpoints import (
    STAMP_SECONDS,
    EndpointCache,
    InboundEndpoint,
)

KEY = "k" * 32


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Endpoints:
    """Plays the database: what `load` finds, and how often it was asked."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, InboundEndpoint] = {}
        self.loads = 0

    def add(self, *, provider: str = "github", secret: str = "s1") -> InboundEndpoint:
        endpoint = InboundEndpoint(
            id=uuid.uuid4(),
            organization_id=uuid.uuid4(),
            project_id=uuid.uuid4(),
            provider=provider,
            creator_id=uuid.uuid4(),
            secret=secret,
        )
        self.rows[endpoint.id] = endpoint
        return endpoint

    async def load(self, endpoint_id: uuid.UUID, secret_key: str) -> InboundEndpoint:
        self.loads += 1
        if endpoint_id not in self.rows:
            raise NotFound("No such webhook endpoint")
        return self.rows[endpoint_id]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def endpoints() -> Endpoints:
    return Endpoints()


@pytest.fixture
def cache(endpoints: Endpoints, clock: Clock) -> EndpointCache:
    return EndpointCache(load=endpoints.load, ttl=5.0, clock=clock)


async def test_an_endpoint_is_read_once_within_the_ttl(cache, endpoints, clock):
    hook = endpoints.add()
    for _ in range(3):
        assert await cache.active(hook.id, provider="github", secret_key=KEY) == hook
        clock.now += 1.0
    assert endpoints.loads == 1


async def test_a_change_elsewhere_is_seen_after_the_ttl(cache, endpoints, clock):
    hook = endpoints.add(secret="old")
    await cache.active(hook.id, provider="github", secret_key=KEY)
    endpoints.rows[hook.id] = replace(hook, secret="new")
    clock.now += 4.9
    assert (await cache.active(hook.id, provider="github", secret_key=KEY)).secret == "old"
    clock.now += 0.2
    assert (await cache.active(hook.id, provider="github", secret_key=KEY)).secret == "new"


async def test_forget_makes_the_next_delivery_read_again(cache, endpoints):
    hook = endpoints.add()
    await cache.active(hook.id, provider="github", secret_key=KEY)
    del endpoints.rows[hook.id]  # disabled
    cache.forget(hook.id)
    with pytest.raises(NotFound):
        await cache.active(hook.id, provider="github", secret_key=KEY)


async def test_another_providers_url_and_unknown_ids_are_not_found(cache, endpoints):
    hook = endpoints.add(provider="gitlab")
    with pytest.raises(NotFound):
        await cache.active(hook.id, provider="github", secret_key=KEY)
    assert (await cache.active(hook.id, provider="gitlab", secret_key=KEY)) == hook
    unknown = uuid.uuid4()
    for _ in range(2):  # not remembered: an id unknown now is looked up again
        with pytest.raises(NotFound):
            await cache.active(unknown, provider="github", secret_key=KEY)
    assert endpoints.loads == 3


async def test_another_secret_key_reads_again(cache, endpoints):
    hook = endpoints.add()
    await cache.active(hook.id, provider="github", secret_key=KEY)
    await cache.active(hook.id, provider="github", secret_key="other" * 8)
    assert endpoints.loads == 2


def test_last_delivery_is_stamped_at_most_once_per_interval(cache, endpoints, clock):
    first, second = endpoints.add(), endpoints.add()
    assert cache.stamp_due(first.id) is True
    assert cache.stamp_due(first.id) is False
    assert cache.stamp_due(second.id) is True
    clock.now += STAMP_SECONDS
    assert cache.stamp_due(first.id) is True
