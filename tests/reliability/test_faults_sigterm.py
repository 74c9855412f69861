"""SIGTERM drains: requests in flight when the web process is told to stop still get
their answer, no new connection is taken, and the process exits 0 within its graceful
timeout.

What keeps a request in flight: `/health/detailed` asks the Slack API whether it is
reachable, and the fake Slack answers slowly for this test; the test sends SIGTERM only
once the fake has received every one of those questions, so each request is provably
inside its handler. Slash commands sent at the same moment are acknowledged at once and
finish their work (the task, the answer on the response_url, which is slow too) after
the acknowledgement.
"""

from __future__ import annotations

import asyncio
import time

import aiohttp

from core.models import Task
from tests.reliability import deployment as deploy
from tests.reliability.checks import wait_for_tasks
from tests.reliability.load import OTHER, Client, Load, Mix, Tally, session

GRACEFUL_TIMEOUT_S = 10.0
SLACK_LATENCY_S = 2.0
SLOW_REQUESTS = 12
SLASH_COMMANDS = 4


async def test_sigterm_lets_in_flight_requests_finish(db, fake_slack, processes, figures, tmp_path):
    """SIGTERM with requests in flight: each of them is answered 2xx, new connections are
    refused, slash commands acknowledged just before are carried out, and `teamflow
    serve` exits 0 within its graceful timeout."""
    deployment = await deploy.start(
        database_url=db,
        workdir=tmp_path,
        fake=fake_slack,
        started=processes,
        multi=False,
        graceful_timeout=GRACEFUL_TIMEOUT_S,
    )
    web = deployment.webs[0]
    figures.note(deployment.describe() + f", --graceful-timeout {GRACEFUL_TIMEOUT_S:g}")
    tally = Tally()
    async with session(timeout=GRACEFUL_TIMEOUT_S + 10) as http:
        client = Client(http, tally)
        org = await deploy.organization(deployment, client, fake_slack)
        load = Load(
            client,
            org,
            targets=deployment.targets,
            response_url=fake_slack.response_url,
            mix=Mix(slash=1, api_task=0, api_comment=0, webhook=0),
        )
        fake_slack.reset()
        fake_slack.latency = SLACK_LATENCY_S
        slow = [
            asyncio.create_task(
                client.send(OTHER, "slow", "GET", f"{web.base_url}/health/detailed")
            )
            for _ in range(SLOW_REQUESTS)
        ]
        slash = [asyncio.create_task(load.one()) for _ in range(SLASH_COMMANDS)]
        await fake_slack.wait_for("api.test", count=SLOW_REQUESTS, timeout=10)
        await asyncio.gather(*slash)  # acknowledged: their work goes on after the ack
        web.terminate()
        terminated_at = time.monotonic()
        await asyncio.sleep(0.3)
        late = await _connect(web.base_url)
        answered = await asyncio.gather(*slow)
        code = await web.wait(GRACEFUL_TIMEOUT_S + 10)
        exited_after = time.monotonic() - terminated_at

    markers = [o.marker for o in tally.accepted("slash")]
    await wait_for_tasks(markers, org.organization_id, timeout=5)
    created = await Task.filter(title__in=markers).count()
    replies = [fake_slack.calls(f"response_url:{load.slash_names[marker]}") for marker in markers]
    figures.set(
        requests=len(answered) + len(markers),
        accepted=len([o for o in answered if o.accepted]) + len(markers),
        server_errors=len([o for o in answered if (o.status or 0) >= 500]),
        socket_errors=len([o for o in answered if o.status is None]),
        faults=1,
        lost=len(markers) - created,
        exit_seconds=round(exited_after, 1),
    )
    figures.note(
        f"{SLOW_REQUESTS} requests inside their handler and {SLASH_COMMANDS} slash commands "
        f"just acknowledged at SIGTERM; exit code {code} after {exited_after:.1f} s; "
        f"{sum(1 for r in replies if r)} of {len(markers)} slash answers delivered"
    )

    assert [o.status for o in answered] == [200] * SLOW_REQUESTS, answered
    assert late is False, "a new connection was accepted after SIGTERM"
    assert code == 0
    assert exited_after < GRACEFUL_TIMEOUT_S + 3
    assert created == len(markers) == SLASH_COMMANDS
    assert all(len(r) == 1 for r in replies), [len(r) for r in replies]


async def _connect(base_url: str) -> bool:
    """True if the server still accepts a new request."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http,
            http.get(f"{base_url}/health") as response,
        ):
            return response.status == 200
    except (aiohttp.ClientError, TimeoutError):
        return False


async def test_sigterm_lets_acknowledged_slash_commands_finish(
    db, fake_slack, processes, figures, tmp_path
):
    """SIGTERM just after slash commands were acknowledged whose work is still waiting on
    Slack (a first contact asks users.info): each command is still carried out."""
    deployment = await deploy.start(
        database_url=db,
        workdir=tmp_path,
        fake=fake_slack,
        started=processes,
        multi=False,
        graceful_timeout=GRACEFUL_TIMEOUT_S,
    )
    web = deployment.webs[0]
    tally = Tally()
    async with session() as http:
        client = Client(http, tally)
        org = await deploy.organization(deployment, client, fake_slack)
        newcomers = tuple(f"U{n}" for n in range(11, 11 + SLASH_COMMANDS))
        for user in newcomers:
            fake_slack.add_user(user, name=user.lower(), real_name=user, email=f"{user}@acme.test")
        load = Load(
            client,
            org,
            targets=deployment.targets,
            response_url=fake_slack.response_url,
            mix=Mix(slash=1, api_task=0, api_comment=0, webhook=0),
            slack_users=newcomers,
        )
        fake_slack.latency = SLACK_LATENCY_S
        acknowledged = await asyncio.gather(*(load.one() for _ in range(SLASH_COMMANDS)))
        web.terminate()
        code = await web.wait(GRACEFUL_TIMEOUT_S + 10)

    markers = [o.marker for o in acknowledged if o.accepted]
    await wait_for_tasks(markers, org.organization_id, timeout=2)
    created = await Task.filter(title__in=markers).count()
    figures.set(
        requests=len(acknowledged), accepted=len(markers), faults=1, lost=len(markers) - created
    )

    assert code == 0
    assert len(markers) == SLASH_COMMANDS
    assert created == SLASH_COMMANDS, f"{SLASH_COMMANDS - created} acknowledged commands lost"
