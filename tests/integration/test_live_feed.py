"""The live relay: each change from the activity log, once, on its organization's channel.

Runs on both cache backends. On Redis, two relays with their own clients stand for two
web processes; in-process, two relays share one cache as two tasks of one process do.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from core.cache import Cache, MemoryCache, Subscription
from core.cache.redis import RedisCache
from core.enums import Role
from core.models import Activity, ActivityCursor  # only to age the log, as downtime would
from core.services import live_feed, members, projects, tasks
from core.services.activity import list_task_activity
from core.services.live_feed import LiveRelay, Target
from tests import settings
from tests.factories import new_org, person, project

FIELDS = {"organization_id", "task_id", "task_key", "project_key", "kind", "status", "at"}


@pytest.fixture(params=["memory", "redis"])
async def caches(request) -> AsyncIterator[tuple[Cache, Cache]]:
    """Two handles on one cache: two Redis clients, or the one in-process cache twice."""
    if request.param == "memory":
        shared = MemoryCache()
        yield shared, shared
        await shared.close()
        return
    prefix = f"test-{secrets.token_hex(4)}:"
    first = RedisCache.from_url(settings.REDIS_URL, prefix=prefix)
    second = RedisCache.from_url(settings.REDIS_URL, prefix=prefix)
    assert await first.ping(), f"Redis at {settings.REDIS_URL} does not answer"
    yield first, second
    await first.close()
    await second.close()


@pytest.fixture
def relay_name() -> str:
    """A cursor of the test's own, so no other relay reading the same database competes."""
    return f"live-test-{secrets.token_hex(4)}"


async def received(
    subscription: Subscription, *, quiet: float = 0.3, within: float = 15.0
) -> list[dict]:
    """Every message until none arrives for `quiet` seconds (at most `within` seconds:
    a relay publishing the same news again and again shows up as repeats, not a hang)."""
    messages = []
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        message = await subscription.get(timeout=quiet)
        if message is None:
            break
        messages.append(json.loads(message.data))
    return messages


async def test_a_completed_task_is_one_event_on_its_organization_channel(db, caches, relay_name):
    cache, _ = caches
    acme, globex = await new_org("Acme"), await new_org("Globex")
    await project(acme, "WEB")
    await project(globex, "WEB")
    task = await tasks.create_task(acme, project="WEB", title="Ship the secret launch page")
    relay = LiveRelay(cache, name=relay_name)
    assert await relay.run_once() == 0  # a new relay starts from now: no history replayed
    async with (
        cache.subscribe(live_feed.channel(acme.organization_id)) as mine,
        cache.subscribe(live_feed.channel(globex.organization_id)) as theirs,
    ):
        await tasks.complete_task(acme, task.id)
        assert await relay.run_once() == 1
        events = await received(mine)
        assert await received(theirs, quiet=0.1) == []
    assert len(events) == 1
    event = events[0]
    assert set(event) == FIELDS
    assert event["organization_id"] == str(acme.organization_id)
    assert event["task_id"] == str(task.id)
    assert (event["task_key"], event["project_key"]) == ("WEB-1", "WEB")
    assert (event["kind"], event["status"]) == ("task.completed", "done")
    assert datetime.fromisoformat(event["at"]).tzinfo is not None
    assert "secret" not in json.dumps(event)  # no titles on the wire
    assert await relay.run_once() == 0  # published once: the cursor moved on


async def test_every_door_change_to_tasks_and_projects_is_published_in_order(
    db, caches, relay_name
):
    cache, _ = caches
    owner = await new_org()
    await project(owner, "OPS")
    relay = LiveRelay(cache, name=relay_name)
    await relay.run_once()
    async with cache.subscribe(live_feed.channel(owner.organization_id)) as sub:
        task = await tasks.create_task(owner, project="OPS", title="Rotate the keys")
        await tasks.move_task(owner, task.id, status="in_progress")
        await projects.update_project(owner, ref="OPS", name="Operations")
        await relay.run_once()
        events = await received(sub)
    assert [(e["kind"], e["task_key"], e["status"]) for e in events] == [
        ("task.created", "OPS-1", "in_progress"),  # status as it is when published
        ("task.moved", "OPS-1", "in_progress"),
        ("project.updated", None, None),
    ]
    assert {e["project_key"] for e in events} == {"OPS"}


async def test_membership_changes_are_not_published(db, caches, relay_name):
    cache, _ = caches
    owner = await new_org()
    relay = LiveRelay(cache, name=relay_name)
    await relay.run_once()
    async with cache.subscribe(live_feed.channel(owner.organization_id)) as sub:
        pat = await person(owner, Role.MEMBER)
        await members.change_role(owner, user_id=pat.user_id, role=Role.VIEWER)
        assert await relay.run_once() == 0
        assert await received(sub, quiet=0.1) == []


async def test_news_that_piled_up_while_no_process_ran_is_skipped(db, caches, relay_name):
    cache, _ = caches
    owner = await new_org()
    await project(owner, "WEB")
    task = await tasks.create_task(owner, project="WEB", title="Old news")
    relay = LiveRelay(cache, name=relay_name)
    await relay.run_once()
    await tasks.complete_task(owner, task.id)
    await tasks.reopen_task(owner, task.id)
    await age(relay_name, owner.organization_id, by=live_feed.STALE_AFTER * 2, newest_kept=1)
    async with cache.subscribe(live_feed.channel(owner.organization_id)) as sub:
        assert await relay.run_once() == 1
        assert [e["kind"] for e in await received(sub)] == ["task.reopened"]
    assert await relay.run_once() == 0


async def test_two_relays_at_once_publish_each_change_once(db, caches, relay_name):
    first_cache, second_cache = caches
    owner = await new_org()
    await project(owner, "WEB")
    created = [await tasks.create_task(owner, project="WEB", title=f"Task {n}") for n in range(12)]
    relays = [LiveRelay(c, name=relay_name) for c in (first_cache, second_cache)]
    await relays[0].run_once()  # the shared cursor starts here
    async with first_cache.subscribe(live_feed.channel(owner.organization_id)) as sub:
        running = [asyncio.create_task(r.run_forever(interval=0.01)) for r in relays]
        try:
            for task in created:
                await tasks.complete_task(owner, task.id)
            events = await received(sub, quiet=0.5)
        finally:
            for job in running:
                job.cancel()
            _, stuck = await asyncio.wait(running, timeout=10)
            assert not stuck, "a relay did not stop when cancelled"
    assert sorted(e["task_key"] for e in events) == sorted(t.key for t in created)
    assert {e["kind"] for e in events} == {"task.completed"}


async def test_an_event_is_never_published_for_another_organization_s_task(db):
    acme, globex = await new_org("Acme"), await new_org("Globex")
    await project(globex, "WEB")
    theirs = await tasks.create_task(globex, project="WEB", title="Theirs")
    (created,) = await list_task_activity(globex, task_id=theirs.id)
    target = Target(organization_id=globex.organization_id, project_key="WEB", task_key="WEB-1")
    assert live_feed.live_event(created, target) is not None
    mixed_up = replace(target, organization_id=acme.organization_id)
    assert live_feed.live_event(created, mixed_up) is None


async def age(cursor: str, organization_id, *, by: timedelta, newest_kept: int) -> None:
    """Move the cursor and the organization's activity (but its newest rows) back in
    time, as a downtime would have left them."""
    position = await ActivityCursor.get(name=cursor)
    await ActivityCursor.filter(name=cursor).update(last_created_at=position.last_created_at - by)
    rows = await Activity.filter(organization_id=organization_id).order_by("-created_at")
    for row in rows[newest_kept:]:
        await Activity.filter(id=row.id).update(created_at=row.created_at - by)
