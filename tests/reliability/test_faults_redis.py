"""Redis stops and comes back while TeamFlow serves: the API keeps answering.

The web processes use a private `redis-server` (the machine's shared Redis is never
stopped). Each phase (Redis up, Redis stopped, Redis back) sends the same traffic:
slash commands and webhooks, API writes, a burst on one account that the per-user rate
limit cuts off while Redis counts, failed sign-ins that the throttle stops while Redis
counts, and /health/detailed. While Redis is down limits fail open, as documented.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field

import pytest

from core.cache import LockNotAcquired
from core.cache.redis import RedisCache
from tests.reliability import deployment as deploy
from tests.reliability.checks import keys_problems, verify_writes, wait_for_tasks
from tests.reliability.load import (
    API_TASK,
    OTHER,
    PASSWORD,
    Client,
    Load,
    Mix,
    Tally,
    session,
)
from tests.reliability.services import PrivateRedis

RATE_LIMIT = 60
BURST = 130  # split across two minute windows, one part still exceeds RATE_LIMIT
LOGIN_FAILURES = 3
PHASE_LOAD_S = 3.0


@dataclass
class Phase:
    name: str
    burst: dict[int, int] = field(default_factory=dict)
    login_after_failures: int = 0
    health: int = 0


async def sign_up(client: Client, base_url: str, name: str) -> tuple[str, str]:
    email = f"{name}-{uuid.uuid4().hex[:8]}@example.com"
    reply = await client.send(
        OTHER,
        name,
        "POST",
        f"{base_url}/api/v1/auth/register",
        json_body={"email": email, "password": PASSWORD, "name": name, "organization_name": name},
    )
    assert reply.status == 201, reply
    return email, reply.body["data"]["access_token"]


async def run_phase(
    name: str, client: Client, load: Load, *, burst_token: str, throttled_email: str
) -> Phase:
    phase = Phase(name)
    await load.run(seconds=PHASE_LOAD_S, concurrency=8)
    for _ in range(5):
        await load.one(API_TASK)
    statuses = await asyncio.gather(
        *(
            client.api(
                OTHER, "burst", "GET", load.next_target(), "/auth/me", token=burst_token, body=None
            )
            for _ in range(BURST)
        )
    )
    for outcome in statuses:
        phase.burst[outcome.status] = phase.burst.get(outcome.status, 0) + 1
    for _ in range(LOGIN_FAILURES + 1):
        await client.send(
            OTHER,
            "guess",
            "POST",
            f"{load.next_target()}/api/v1/auth/login",
            json_body={"email": throttled_email, "password": "not the password"},
        )
    login = await client.send(
        OTHER,
        "login",
        "POST",
        f"{load.next_target()}/api/v1/auth/login",
        json_body={"email": throttled_email, "password": PASSWORD},
    )
    phase.login_after_failures = login.status or 0
    health = await client.send(OTHER, "health", "GET", f"{load.next_target()}/health/detailed")
    phase.health = health.status or 0
    return phase


async def test_redis_stops_and_returns_while_the_api_answers(
    db, fake_slack, processes, figures, tmp_path
):
    """Redis stopped under traffic: the API, slash commands and webhooks keep answering
    (cache bypassed, rate limits and sign-in throttles fail open, /health/detailed says
    503), one warning is logged, and all is back to normal when Redis returns, without
    restarting TeamFlow."""
    deployment = await deploy.start(
        database_url=db,
        workdir=tmp_path,
        fake=fake_slack,
        started=processes,
        schedulers=False,
        with_redis=True,
        TEAMFLOW_RATE_LIMIT_PER_MINUTE=str(RATE_LIMIT),
        TEAMFLOW_LOGIN_FAILURES_PER_ACCOUNT=str(LOGIN_FAILURES),
    )
    assert deployment.redis is not None
    figures.note(deployment.describe())
    tally = Tally()
    async with session() as http:
        client = Client(http, tally)
        org = await deploy.organization(deployment, client, fake_slack)
        load = Load(
            client,
            org,
            targets=deployment.targets,
            response_url=fake_slack.response_url,
            mix=Mix(slash=1, api_task=0, api_comment=0, webhook=1),
        )
        _, burst_token = await sign_up(client, deployment.targets[0], "burst")
        throttled, _ = await sign_up(client, deployment.targets[0], "throttled")

        async def phase(name: str) -> Phase:
            return await run_phase(
                name, client, load, burst_token=burst_token, throttled_email=throttled
            )

        up = await phase("up")
        await deployment.redis.stop()
        down = await phase("down")
        await deployment.redis.start()
        back = await phase("back")

    await wait_for_tasks(
        [o.marker for o in tally.accepted("slash")], org.organization_id, timeout=30
    )
    verdict = await verify_writes(tally, org.organization_id)
    logs = "\n".join(web.log_text() for web in deployment.webs)
    health_503 = [o for o in tally.outcomes if o.status == 503]
    figures.set(
        requests=len(tally.outcomes),
        accepted=len(tally.accepted()),
        refused=len([o for o in tally.outcomes if o.status in (401, 429)]),
        server_errors=len([o for o in tally.server_errors() if o.status != 503]),
        unavailable=len(health_503),
        faults=1,
        writes_checked=verdict.checked,
        lost=len(verdict.lost),
        duplicated=len(verdict.duplicated),
    )
    for p in (up, down, back):
        figures.note(
            f"Redis {p.name}: burst of {BURST} on one account answered {p.burst}; sign-in "
            f"after {LOGIN_FAILURES + 1} failures: {p.login_after_failures}; "
            f"/health/detailed: {p.health}"
        )

    unexpected = [o for o in tally.server_errors() if not o.marker == "health"]
    assert unexpected == [], tally.summary()
    assert [o.marker for o in health_503] == ["health"], "only /health/detailed, only once"
    assert tally.socket_errors() == []
    assert verdict.ok, verdict.describe()
    assert await keys_problems(org.organization_id, org.project_key) == []
    # While Redis counts, the limit and the throttle hold; while it is down they fail open.
    assert up.burst.get(429, 0) > 0 and back.burst.get(429, 0) > 0, (up, back)
    assert down.burst == {200: BURST}, down
    assert (up.login_after_failures, down.login_after_failures, back.login_after_failures) == (
        429,
        200,
        429,
    )
    assert (up.health, down.health, back.health) == (200, 503, 200)
    assert "Redis is unreachable" in logs
    assert "Redis answers again" in logs


class Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def test_the_redis_cache_degrades_open_operation_by_operation(tmp_path, figures):
    """Each cache operation while Redis is down, and again once it is back: reads miss,
    writes are dropped, counters read 0, set-if-absent lets the caller go ahead, a lock is
    not acquired, publishing reaches nobody; one warning when it goes, one when it is back."""
    redis = PrivateRedis(tmp_path)
    await redis.start()
    cache = RedisCache.from_url(redis.url, prefix="degrade:")
    logger = logging.getLogger("core.cache.redis")
    collected = Collected()
    logger.addHandler(collected)
    try:
        await cache.set("kept", "1")
        await redis.stop()
        down = {
            "get": await cache.get("kept"),
            "set": await cache.set("k", "v", ttl=5),
            "delete": await cache.delete("kept"),
            "set_if_absent": await cache.set_if_absent("once", "1", ttl=5),
            "incr": await cache.incr("hits", ttl=5),
            "publish": await cache.publish("live:x", "{}"),
            "ping": await cache.ping(),
        }
        with pytest.raises(LockNotAcquired):
            async with cache.lock("round", timeout=5):
                pass
        await redis.start()
        back = {
            "set_if_absent": await cache.set_if_absent("once", "1", ttl=5),
            "incr": await cache.incr("hits", ttl=5),
            "ping": await cache.ping(),
        }
        async with cache.lock("round", timeout=5):
            pass
    finally:
        logger.removeHandler(collected)
        await cache.close()
        await redis.stop()
    warnings = collected.messages
    figures.set(faults=1, inputs=len(down) + 1 + len(back) + 1, server_errors=0, lost=0)

    assert down == {
        "get": None,
        "set": None,
        "delete": False,
        "set_if_absent": True,
        "incr": 0,
        "publish": 0,
        "ping": False,
    }
    assert back == {"set_if_absent": True, "incr": 1, "ping": True}
    assert len(warnings) == 2, warnings
    assert "unreachable" in warnings[0] and "answers again" in warnings[1]
