"""PostgreSQL restarts under traffic: requests fail cleanly and TeamFlow recovers by itself.

The database is a private cluster the test creates (initdb) on a free port, so the
machine's shared PostgreSQL is never touched. Two web processes and two scheduler
processes run on it with a private Redis while slash commands, API writes and webhooks
keep coming; the cluster is stopped (fast shutdown: sessions are cut) and started again.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from bot.listeners.commands import DATABASE_DOWN
from tests.e2e.conftest import Api
from tests.reliability import deployment as deploy
from tests.reliability.checks import judge, key_problems, snapshot_from
from tests.reliability.load import (
    OTHER,
    SLASH,
    WEBHOOK,
    Client,
    Load,
    Mix,
    Tally,
    session,
)
from tests.reliability.processes import migrate
from tests.reliability.services import PrivatePostgres
from webhooks.envelope import ErrorEnvelope

BEFORE_S, DOWN_S, AFTER_S = 2.0, 3.0, 5.0
CONCURRENCY = 8


@pytest.fixture
async def private_postgres(tmp_path):
    cluster = PrivatePostgres()
    await cluster.init()
    await cluster.start()
    try:
        yield cluster
    finally:
        await cluster.destroy()


@pytest.mark.postgres_pass
async def test_postgres_restart_fails_cleanly_and_recovers(
    private_postgres, fake_slack, processes, figures, tmp_path
):
    """PostgreSQL restarted under traffic: requests during the restart answer 503 in the
    error envelope (a webhook that could not be stored too, so its sender retries), slash
    commands get a polite ephemeral error, nothing is answered 500; afterwards the same
    processes serve again, and the schedulers send a digest, without restarting
    TeamFlow."""
    cluster = private_postgres
    await migrate(cluster.url, tmp_path)
    deployment = await deploy.start(
        database_url=cluster.url, workdir=tmp_path, fake=fake_slack, started=processes, multi=True
    )
    pids = [p.pid for p in [*deployment.webs, *deployment.schedulers]]
    figures.note(deployment.describe() + " (a private PostgreSQL cluster)")
    tally = Tally()
    async with session(timeout=20) as http:
        client = Client(http, tally)
        org = await deploy.organization(deployment, client, fake_slack)
        load = Load(
            client,
            org,
            targets=deployment.targets,
            response_url=fake_slack.response_url,
            mix=Mix(slash=30, api_task=30, api_comment=10, webhook=30),
        )
        running = asyncio.create_task(
            load.run(seconds=BEFORE_S + DOWN_S + AFTER_S + 2, concurrency=CONCURRENCY)
        )
        await asyncio.sleep(BEFORE_S)
        stopped_at = time.monotonic()
        await cluster.stop()
        down_since = len(tally.outcomes)
        health_down = await client.send(
            OTHER, "health", "GET", f"{load.next_target()}/health/detailed"
        )
        await asyncio.sleep(DOWN_S)
        await cluster.start()
        restarted_after = time.monotonic() - stopped_at
        await running
        tail = tally.outcomes[-2 * CONCURRENCY :]
        health_after = await client.send(
            OTHER, "health", "GET", f"{load.next_target()}/health/detailed"
        )

        # Deliveries stored but not processed while the database went away were answered
        # 200 "received"; the documented way to finish them is a replay.
        received = [
            o for o in tally.accepted(WEBHOOK) if o.body["data"]["status"] in ("received", "failed")
        ]
        replays = [
            await client.api(
                OTHER,
                "replay",
                "POST",
                load.next_target(),
                f"/webhook-deliveries/{o.body['data']['delivery_id']}/replay",
                token=org.access_token,
                body={},
            )
            for o in received
        ]
        channel, name = "CDIGESTAFTER", "digest-after"
        at = time.strftime("%H:%M", time.gmtime())
        scheduled = await client.slash(
            load.next_target(),
            f"digest daily {at} UTC always",
            response_url=fake_slack.response_url(name),
            marker=name,
            channel_id=channel,
            kind=OTHER,
        )
        digest = await fake_slack.wait_for("chat.postMessage", timeout=30)
        await _wait_for_replies(fake_slack, load, tally)

    still_running = [p.pid for p in [*deployment.webs, *deployment.schedulers] if p.running]
    replies = _slash_replies(fake_slack, load, tally)
    for outcome in tally.accepted(SLASH):
        outcome.declined = replies[load.slash_names[outcome.marker]] == [DATABASE_DOWN]
    state = await snapshot_from(cluster.url, org.organization_id, org.project_key)
    verdict = judge(tally, state)
    unavailable = [o for o in tally.outcomes if o.status == 503]
    figures.set(
        requests=len(tally.outcomes),
        accepted=len(tally.accepted()),
        unavailable=len(unavailable),
        server_errors=len([o for o in tally.server_errors() if o.status != 503]),
        socket_errors=len(tally.socket_errors()),
        faults=1,
        writes_checked=verdict.checked,
        lost=len(verdict.lost),
        duplicated=len(verdict.duplicated),
        polite_slack_errors=len([o for o in tally.of(SLASH) if o.declined]),
        restart_seconds=round(restarted_after, 1),
    )
    figures.note(
        f"{len(tally.outcomes) - down_since} requests from the stop onwards; answers by status: "
        f"{dict(Counter(o.status for o in tally.outcomes[down_since:]))}"
    )
    figures.note(
        f"{len(received)} webhook deliveries answered 200 but left `received` or `failed` "
        "by the restart, then replayed through the API as documented"
    )

    assert [o for o in tally.server_errors() if o.status != 503] == [], tally.summary()
    assert tally.socket_errors() == [], tally.summary()
    assert unavailable, "the restart was not noticed: no request got a 503"
    for outcome in (o for o in unavailable if o.marker != "health"):
        error = ErrorEnvelope.model_validate(outcome.body).error
        assert error.code == "SERVICE_UNAVAILABLE", outcome
        assert outcome.retry_after and int(outcome.retry_after) > 0, outcome
    assert health_down.status == 503 and health_after.status == 200
    assert all(o.accepted for o in tail), [o.status for o in tail]
    assert all(r.status == 200 for r in replays), replays
    assert still_running == pids, "a TeamFlow process died or was restarted"
    # Slack: every command got one answer; during the restart, the polite ephemeral one.
    assert all(len(texts) == 1 for texts in replies.values()), replies
    texts = [texts[0] for texts in replies.values()]
    assert [t for t in texts if not (t.startswith("Created ") or t == DATABASE_DOWN)] == []
    assert DATABASE_DOWN in texts, "no slash command ran while the database was down"
    assert all(
        call.params.get("response_type") == "ephemeral"
        for call in fake_slack.calls()
        if call.params.get("text") == DATABASE_DOWN
    )
    # Writes: everything accepted is there once (replayed deliveries processed), none twice.
    assert verdict.ok, verdict.describe()
    assert key_problems(state.numbers) == []
    assert scheduled.accepted and [c.params["channel"] for c in digest] == [channel]


def _slash_replies(fake, load: Load, tally: Tally) -> dict[str, list[str]]:
    replies: dict[str, list[str]] = {}
    for outcome in tally.accepted(SLASH):
        name = load.slash_names[outcome.marker]
        replies[name] = [c.params.get("text", "") for c in fake.calls(f"response_url:{name}")]
    return replies


async def _wait_for_replies(fake, load: Load, tally: Tally, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(_slash_replies(fake, load, tally).values()):
            return
        await asyncio.sleep(0.25)


async def test_database_errors_answer_503_and_a_polite_slack_message(
    db, app_cache, fake_slack, monkeypatch, figures
):
    """The database failing the way a restart makes it fail (a cut session, a server that
    refuses connections while it starts), in one process on either pass: the API answers
    503 `SERVICE_UNAVAILABLE` with Retry-After in the error envelope, a slash command gets
    the polite ephemeral message, and the next request after the database is back works."""
    import asyncpg

    from core.services import tasks
    from tests.e2e.slack_harness import build

    harness = build(fake_slack, app_cache)
    api = Api(harness.app)
    owner = await api.register()
    failures = [
        asyncpg.exceptions.AdminShutdownError(
            "terminating connection due to administrator command"
        ),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle"),
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
        ConnectionRefusedError(111, "Connection refused"),
        asyncpg.InternalClientError("cannot switch to state 12; another operation is in progress"),
    ]
    answers = []
    for failure in failures:

        async def down(*args, _failure=failure, **kwargs):
            raise _failure

        monkeypatch.setattr(tasks, "create_task", down)
        reply = await api.call(
            "POST", "/api/v1/tasks", token=owner.access, body={"project": "INBOX", "title": "t"}
        )
        answered = await harness.command("add Ship it")
        answers.append((reply, answered))
    monkeypatch.undo()
    after = await api.call(
        "POST", "/api/v1/tasks", token=owner.access, body={"project": "INBOX", "title": "t"}
    )
    figures.set(
        requests=2 * len(failures) + 1,
        unavailable=sum(1 for reply, _ in answers if reply.status == 503),
        server_errors=sum(1 for reply, _ in answers if reply.status != 503),
        faults=len(failures),
        lost=0,
    )

    for reply, answered in answers:
        assert reply.status == 503, reply.body
        assert reply.error["code"] == "SERVICE_UNAVAILABLE"
        assert int(reply.headers["Retry-After"]) > 0
        assert answered.params["text"] == DATABASE_DOWN
        assert answered.params["response_type"] == "ephemeral"
    assert after.status == 201
