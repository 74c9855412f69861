"""Scenario 4: the digest fan-out against a fake Slack that answers in 20 ms.

A thousand channels of the digest organization are due at the same moment; the
scheduler's own `run_digests` claims, builds and posts them (in this process). The fake
runs in a process of its own (benchmarks.fake_slack_process): Slack's servers are not on
the scheduler's CPU. Measured: the total time, digests posted per second, 429s met, and
SQL statements per digest. The variant makes 5% of chat.postMessage calls answer 429
with Retry-After: 1.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
from slack_sdk.web.async_client import AsyncWebClient

from benchmarks.context import Context
from benchmarks.progress import say
from benchmarks.queries import counting_queries
from benchmarks.seed import DIGEST_TEAM
from benchmarks.servers import BOT_TOKEN
from benchmarks.stats import median
from core.clock import utcnow

ROOT = str(Path(__file__).resolve().parents[1])
SLACK_LATENCY_S = 0.02
RATE_LIMITED_SHARE = 0.05


async def run(context: Context) -> dict[str, Any]:
    from scheduler.digests import run_digests

    variants: dict[str, Any] = {}
    for name, share in (("no_429", 0.0), ("429_5pct", RATE_LIMITED_SHARE)):
        runs = []
        for round_index in range(context.options.digest_rounds):
            say("digests: %s, round %d", name, round_index + 1)
            now = utcnow()
            await _due_now(context, now)
            async with _fake_slack(share, seed=round_index) as fake:
                client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.base_url)

                async def client_for(team_id: str, client=client) -> AsyncWebClient:
                    return client

                with counting_queries() as queries:
                    started, cpu = time.perf_counter(), time.process_time()
                    posted = await run_digests(
                        now=now, client_for=client_for, dashboard_url="http://127.0.0.1/dashboard"
                    )
                    seconds = time.perf_counter() - started
                    cpu = time.process_time() - cpu
                calls = (await fake.stats()).get("chat.postMessage", 0)
            runs.append(
                {
                    "channels": context.seeded.digest_channels,
                    "posted": posted,
                    "seconds": round(seconds, 2),
                    "digests_per_s": round(posted / seconds, 1),
                    "scheduler_cpu_s": round(cpu, 2),
                    "post_calls": calls,
                    "rate_limited": calls - posted,
                    "queries": queries.count,
                    "queries_per_digest": round(queries.count / max(posted, 1), 1),
                }
            )
        variants[name] = {
            "runs": runs,
            **{
                figure: round(median([r[figure] for r in runs]), 2)
                for figure in ("seconds", "digests_per_s", "queries_per_digest")
            },
            "posted": min(r["posted"] for r in runs),
            "rate_limited": max(r["rate_limited"] for r in runs),
        }
    return {"slack_latency_ms": SLACK_LATENCY_S * 1000, "variants": variants}


class _FakeSlackProcess:
    def __init__(self, process: asyncio.subprocess.Process, base_url: str) -> None:
        self.process, self.base_url = process, base_url

    async def stats(self) -> dict[str, int]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(b"stats\n")
        await self.process.stdin.drain()
        line = (await self.process.stdout.readline()).decode()
        return json.loads(line.removeprefix("STATS "))


@asynccontextmanager
async def _fake_slack(share: float, *, seed: int) -> AsyncIterator[_FakeSlackProcess]:
    """benchmarks.fake_slack_process, started for one run and stopped after it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.fake_slack_process",
        "--latency",
        str(SLACK_LATENCY_S),
        "--fail-rate",
        str(share),
        "--seed",
        str(seed),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode()
        yield _FakeSlackProcess(process, line.removeprefix("URL ").strip())
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), timeout=10)
        except TimeoutError:
            process.kill()
            await process.wait()


async def _due_now(context: Context, now) -> None:
    """Every channel's daily digest due a minute ago, with no earlier send recorded today."""
    due = (now - timedelta(minutes=1)).strftime("%H:%M")
    conn = await asyncpg.connect(context.seeded.database_url)
    try:
        await conn.execute(
            "UPDATE digest_schedules SET time_of_day = $1 WHERE team_id = $2", due, DIGEST_TEAM
        )
        await conn.execute("DELETE FROM scheduled_sends WHERE target LIKE $1", f"{DIGEST_TEAM}:%")
    finally:
        await conn.close()
