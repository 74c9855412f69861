"""Mixed load on real processes: no 5xx, every accepted write once, keys unique, each
digest posted once.

TEAMFLOW_RELIABILITY_LOAD_SECONDS (default 30) sets how long the load runs, and
TEAMFLOW_RELIABILITY_CONCURRENCY (default 16) how many requests are in flight.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime

from core.models import ScheduledSend
from tests.reliability import deployment as deploy
from tests.reliability.checks import (
    accepted_slash,
    by_kind,
    keys_problems,
    verify_writes,
    wait_for_tasks,
)
from tests.reliability.load import OTHER, TEAM_ID, Client, Load, Tally, session

LOAD_SECONDS = float(os.environ.get("TEAMFLOW_RELIABILITY_LOAD_SECONDS", "30"))
CONCURRENCY = int(os.environ.get("TEAMFLOW_RELIABILITY_CONCURRENCY", "16"))
DIGEST_EVERY_SECONDS = 3.0
SETTLE_TIMEOUT_S = 60.0


async def schedule_digests(client: Client, load: Load, fake, *, seconds: float) -> list[str]:
    """While the load runs, give a new channel a daily digest at the current minute (due at
    once) every few seconds, through a slash command to either web process; returns the
    channels whose schedule was accepted."""
    channels = []
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline - DIGEST_EVERY_SECONDS:
        number += 1
        channel, name = f"CDIGEST{number}", f"digest-{number}"
        at = datetime.now(UTC).strftime("%H:%M")
        sent = await client.slash(
            load.next_target(),
            f"digest daily {at} UTC always",
            response_url=fake.response_url(name),
            marker=name,
            user_id="U1",
            channel_id=channel,
            kind=OTHER,
        )
        if sent.accepted:
            channels.append(channel)
        await asyncio.sleep(DIGEST_EVERY_SECONDS)
    return channels


async def wait_for_digests(fake, channels: list[str], *, timeout: float) -> Counter:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        posted = Counter(call.params.get("channel") for call in fake.calls("chat.postMessage"))
        if all(posted[channel] >= 1 for channel in channels):
            break
        await asyncio.sleep(0.25)
    # Two more ticks of every scheduler: a second post would show up now.
    await asyncio.sleep(2 * float(deploy.TICK_SECONDS) + 1)
    return Counter(call.params.get("channel") for call in fake.calls("chat.postMessage"))


async def test_mixed_load_on_real_processes(db, fake_slack, processes, figures, tmp_path):
    """Mixed load: signed slash commands, API writes and GitHub webhooks spread over
    every web process for TEAMFLOW_RELIABILITY_LOAD_SECONDS, digests scheduled meanwhile:
    zero 5xx, every accepted write in the database exactly once, task keys unique and
    gapless, each digest posted once."""
    started = time.monotonic()
    deployment = await deploy.start(
        database_url=db, workdir=tmp_path, fake=fake_slack, started=processes
    )
    figures.note(deployment.describe())
    tally = Tally()
    async with session() as http:
        client = Client(http, tally)
        org = await deploy.organization(deployment, client, fake_slack)
        load = Load(client, org, targets=deployment.targets, response_url=fake_slack.response_url)
        _, channels = await asyncio.gather(
            load.run(seconds=LOAD_SECONDS, concurrency=CONCURRENCY),
            schedule_digests(client, load, fake_slack, seconds=LOAD_SECONDS),
        )
        await wait_for_tasks(accepted_slash(tally), org.organization_id, timeout=SETTLE_TIMEOUT_S)
        posted = await wait_for_digests(fake_slack, channels, timeout=SETTLE_TIMEOUT_S)

    teamflow = [*deployment.webs, *deployment.schedulers]
    for process in teamflow:
        process.terminate()
    exit_codes = [(process.name, await process.wait(30)) for process in teamflow]

    verdict = await verify_writes(tally, org.organization_id)
    key_problems = await keys_problems(org.organization_id, org.project_key)
    sends = Counter(
        await ScheduledSend.filter(
            kind="channel_digest", target__in=[f"{TEAM_ID}:{c}" for c in channels]
        ).values_list("target", "status")
    )
    answers: dict[str, list[str]] = defaultdict(list)
    for call in fake_slack.calls():
        if call.method.startswith("response_url:cmd-"):
            answers[call.method.removeprefix("response_url:")].append(call.params.get("text", ""))
    accepted = len(tally.accepted())
    figures.set(
        requests=len(tally.outcomes),
        accepted=accepted,
        server_errors=len(tally.server_errors()),
        socket_errors=len(tally.socket_errors()),
        writes_checked=verdict.checked,
        digests=sum(posted[c] for c in channels),
        lost=len(verdict.lost),
        duplicated=len(verdict.duplicated),
        load_seconds=LOAD_SECONDS,
        concurrency=CONCURRENCY,
        requests_per_second=round(len(tally.outcomes) / LOAD_SECONDS, 1),
        wall_seconds=round(time.monotonic() - started, 1),
    )
    figures.note(f"accepted writes by door: {by_kind(tally)}")
    figures.note(f"{len(channels)} channel digests scheduled during the load")

    assert tally.server_errors() == [], tally.summary()
    assert tally.socket_errors() == [], tally.summary()
    assert accepted == len(tally.outcomes), tally.summary()
    assert verdict.ok, verdict.describe()
    assert key_problems == []
    assert channels, "no digest was scheduled"
    assert {c: posted[c] for c in channels} == dict.fromkeys(channels, 1)
    assert sends == Counter({(f"{TEAM_ID}:{c}", "sent"): 1 for c in channels})
    replies = [answers[load.slash_names[o.marker]] for o in tally.accepted("slash")]
    assert [r for r in replies if len(r) != 1 or not r[0].startswith("Created ")] == []
    assert all(code == 0 for _, code in exit_codes), exit_codes
