"""A TeamFlow deployment made of real processes, shaped for the pass it runs in.

PostgreSQL + Redis pass: what the Procfile runs past one machine, two web processes
(`teamflow serve`, the scheduler switched off in them) and two `teamflow scheduler`
processes, on one PostgreSQL database and one Redis (a private `redis-server`, so the
machine's shared one is never disturbed). SQLite pass: the embedded default, one web
process that runs the scheduler itself, on a SQLite file with the in-process cache.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests import settings
from tests.fakes.slack_api import FakeSlack
from tests.reliability.load import OTHER, TEAM_ID, Client, Organization, register
from tests.reliability.processes import (
    SchedulerProcess,
    TeamFlowProcess,
    WebProcess,
    teamflow_env,
)
from tests.reliability.services import PrivateRedis

TICK_SECONDS = "2"


@dataclass
class Deployment:
    database_url: str
    webs: list[WebProcess]
    schedulers: list[SchedulerProcess] = field(default_factory=list)
    redis: PrivateRedis | None = None
    scheduler_in_web: bool = False

    @property
    def targets(self) -> list[str]:
        return [web.base_url for web in self.webs]

    def describe(self) -> str:
        database = "SQLite" if self.database_url.startswith("sqlite") else "PostgreSQL"
        cache = "Redis" if self.redis else "the in-process cache"
        if self.schedulers:
            schedulers = f" and {len(self.schedulers)} scheduler processes"
        elif self.scheduler_in_web:
            schedulers = " running the scheduler itself"
        else:
            schedulers = ""
        webs = "1 web process" if len(self.webs) == 1 else f"{len(self.webs)} web processes"
        return f"{webs}{schedulers}, on {database} with {cache}"


async def start(
    *,
    database_url: str,
    workdir: Path,
    fake: FakeSlack,
    started: list[TeamFlowProcess | PrivateRedis],
    graceful_timeout: float = 10.0,
    multi: bool | None = None,
    schedulers: bool = True,
    with_redis: bool | None = None,
    **extra_env: str,
) -> Deployment:
    """Start the deployment for this pass (`multi` overrides: several processes or one;
    `schedulers=False` leaves the scheduler processes out; `with_redis` gives even a
    single process a private Redis)."""
    multi = settings.uses_postgres() if multi is None else multi
    redis = None
    if multi if with_redis is None else with_redis:
        redis = PrivateRedis(workdir)
        await redis.start()
        started.append(redis)
    env = teamflow_env(
        database_url=database_url,
        redis_url=redis.url if redis else None,
        slack_api_url=fake.base_url,
        TEAMFLOW_SCHEDULER_TICK_SECONDS=TICK_SECONDS,
        **extra_env,
    )
    run_scheduler = {"TEAMFLOW_RUN_SCHEDULER": "no" if multi else "yes"}
    count = 2 if multi else 1
    webs = [
        WebProcess(f"web{n}", env | run_scheduler, workdir, graceful_timeout=graceful_timeout)
        for n in range(1, count + 1)
    ]
    tickers = (
        [SchedulerProcess(f"scheduler{n}", env, workdir) for n in (1, 2)]
        if multi and schedulers
        else []
    )
    deployment = Deployment(database_url, webs, tickers, redis, scheduler_in_web=not multi)
    for process in [*webs, *tickers]:
        process.start()
        started.append(process)
    await asyncio.gather(*(process.wait_until_up() for process in [*webs, *tickers]))
    return deployment


async def organization(deployment: Deployment, client: Client, fake: FakeSlack) -> Organization:
    """An owner signed up through the API, the Slack workspace linked to that
    organization, and each Slack person linked by a first command (not counted)."""
    org = await register(deployment.targets[0])
    await link_slack_workspace(deployment, org.organization_id)
    for user in ("U1", "U2", "U3", "U4"):
        name = f"warm-{user}"
        warm = await client.slash(
            deployment.targets[0],
            "list",
            response_url=fake.response_url(name),
            marker=name,
            user_id=user,
            kind=OTHER,
        )
        assert warm.status == 200, warm
        await fake.wait_for(f"response_url:{name}", timeout=20)
    return org


async def link_slack_workspace(deployment: Deployment, organization_id: str) -> None:
    """`teamflow slack-link`, as an operator links a workspace to an organization."""
    web = deployment.webs[0]
    command = [sys.executable, "-m", "teamflow.cli", "slack-link", "--team", TEAM_ID]
    done = await asyncio.to_thread(
        subprocess.run,
        [*command, "--organization", organization_id],
        cwd=web.workdir,
        env=web.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
