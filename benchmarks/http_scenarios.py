"""Scenarios 1-3: TeamFlow and the reference app under wrk, alternating.

For each worker count, TeamFlow and the reference run turn about (A, B, A, B, ...):
each run starts its server, loads it for a warm-up, then for the measured time while its
memory is sampled, and stops it. The summary is the median over the runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from benchmarks import load, profiling, servers
from benchmarks.context import SLACK_CHANNEL, SLACK_USER, Context
from benchmarks.load import LoadResult
from benchmarks.progress import say
from benchmarks.stats import median, ratio
from tests.fakes import slack_requests, workspace

RESPONSE_URL = "bench"
DRAIN_TIMEOUT_S = 180.0
# Signed requests (GitHub issues, slash commands) prepared per second of load: each is
# sent once, as a replayed signature is refused.
REQUESTS_PREPARED_PER_SECOND = 1500


@dataclass(frozen=True)
class Load:
    """One wrk run: its Lua script and environment."""

    script: str
    env: dict[str, str]


class Scenario:
    key = ""
    title = ""
    path = ""

    def __init__(self, context: Context) -> None:
        self.context = context

    async def load_for(self, server: servers.Server, seconds: float) -> Load:
        raise NotImplementedError

    async def settle(self, server: servers.Server, before: int, result: LoadResult) -> dict:
        """Extra figures after a measured run (work still finishing after the answer)."""
        return {}

    async def backlog_mark(self, server: servers.Server) -> int:
        return 0

    async def reset(self) -> None:
        """Before each run: the same starting data for TeamFlow and the reference."""


class ListTasks(Scenario):
    key = "list_tasks"
    title = "GET /api/v1/tasks (JWT, 50 rows of a 100k-task project)"

    @property
    def path(self) -> str:
        return "/api/v1/tasks?project=BIG&limit=50"

    async def load_for(self, server: servers.Server, seconds: float) -> Load:
        return Load(
            load.lua("list_tasks"),
            {"BENCH_TOKEN": self.context.access_token, "BENCH_PATH": self.path},
        )


class SlackCommand(Scenario):
    """TeamFlow acks at once and creates the task after the ack (Slack's 3-second rule);
    the reference creates it before answering. Both ack figures are reported, and for
    TeamFlow also how long the work behind the acks took to finish (`drain_s`) and the
    sustained rate of completed commands."""

    key = "slack_command"
    title = "Signed `/task add` through /slack/events, to its ack"
    path = "/slack/events"

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.next_command = 1

    async def load_for(self, server: servers.Server, seconds: float) -> Load:
        count = max(2000, int(seconds * REQUESTS_PREPARED_PER_SECOND))
        file = self.context.workdir / f"slack-{uuid.uuid4().hex[:8]}.txt"
        url = self.context.fake.response_url(RESPONSE_URL)
        await asyncio.to_thread(_write_commands, file, url, self.next_command, count)
        self.next_command += count
        return Load(
            load.lua("slack_command"),
            {"BENCH_FILE": str(file), "BENCH_THREADS": str(load.THREADS)},
        )

    async def backlog_mark(self, server: servers.Server) -> int:
        return len(self.context.fake.calls(f"response_url:{RESPONSE_URL}"))

    async def settle(self, server: servers.Server, before: int, result: LoadResult) -> dict:
        if server.name != "teamflow":
            return {"completed": result.requests - result.errors, "drain_s": 0.0}
        acked = result.requests - result.errors
        ended = time.monotonic()
        done = await _wait_for_replies(self.context, before + acked)
        drain = time.monotonic() - ended
        completed = done - before
        return {
            "completed": completed,
            "drain_s": round(drain, 2),
            "completed_per_s": round(completed / (result.seconds + drain), 1),
        }

    async def reset(self) -> None:
        await _reset_project(self.context, "SLK")


class GithubIssue(Scenario):
    """Every request is a new delivery of a new issue (its own number and title), signed
    in advance: stored, deduplicated by its delivery id, and a task created."""

    key = "github_issue"
    title = "Signed GitHub `issues` opened webhook, to its 2xx"

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.next_issue = 1

    @property
    def path(self) -> str:
        return f"/webhooks/github/{self.context.github_endpoint_id}"

    async def load_for(self, server: servers.Server, seconds: float) -> Load:
        count = max(2000, int(seconds * REQUESTS_PREPARED_PER_SECOND))
        file = self.context.workdir / f"github-{uuid.uuid4().hex[:8]}.txt"
        secret = self.context.github_secret
        await asyncio.to_thread(_write_deliveries, file, secret, self.next_issue, count)
        self.next_issue += count
        return Load(
            load.lua("github_issue"),
            {
                "BENCH_FILE": str(file),
                "BENCH_THREADS": str(load.THREADS),
                "BENCH_RUN": uuid.uuid4().hex[:12],
                "BENCH_PATH": self.path,
            },
        )

    async def settle(self, server: servers.Server, before: int, result: LoadResult) -> dict:
        prepared = max(2000, int(result.seconds * REQUESTS_PREPARED_PER_SECOND))
        return {"repeated_issues": max(0, result.requests - prepared)}

    async def reset(self) -> None:
        await _reset_project(self.context, "GH")


def _write_commands(file: Path, response_url: str, first: int, count: int) -> None:
    """Slash commands signed now: Slack allows 5 minutes of clock skew, longer than a run."""
    lines = []
    for number in range(first, first + count):
        body, _ = slack_requests.slash_command(
            text=f"add Benchmark task from Slack {number}",
            user_id=SLACK_USER,
            channel_id=SLACK_CHANNEL,
            team_id=workspace.TEAM_ID,
            response_url=response_url,
        )
        headers = slack_requests.sign(body, secret=servers.SIGNING_SECRET)
        stamp, signature = headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
        lines.append(f"{stamp}\t{signature}\t{body.decode()}")
    file.write_text("\n".join(lines) + "\n")


def _write_deliveries(file: Path, secret: str, first: int, count: int) -> None:
    lines = []
    for number in range(first, first + count):
        body = json.dumps(issue_payload(number), separators=(",", ":")).encode()
        signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        lines.append(signature + "\t" + body.decode())
    file.write_text("\n".join(lines) + "\n")


def issue_payload(number: int) -> dict[str, Any]:
    repo = "acme/bench"
    return {
        "action": "opened",
        "issue": {
            "number": number,
            "title": f"Benchmark issue {number}",
            "body": "Steps to reproduce: run the benchmark.",
            "html_url": f"https://github.com/{repo}/issues/{number}",
            "state": "open",
            "labels": [{"name": "bug"}],
            "user": {"login": "octocat"},
        },
        "repository": {"full_name": repo, "html_url": f"https://github.com/{repo}"},
        "sender": {"login": "octocat"},
    }


async def reset_written_projects(context: Context) -> None:
    """Before any scenario: drop what earlier runs wrote into the seed (tasks of the Slack
    and GitHub projects). They are the organization's newest tasks, so left in place they
    would sit in front of the listed project's in the index every list query walks."""
    for key in ("SLK", "GH"):
        await _reset_project(context, key)


async def _reset_project(context: Context, key: str) -> None:
    """Forget the tasks an earlier run created, so every run starts from the same data."""
    conn = await asyncpg.connect(context.seeded.database_url)
    try:
        project = context.seeded.project_ids[key]
        await conn.execute("DELETE FROM tasks WHERE project_id = $1", project)
        await conn.execute("UPDATE projects SET task_counter = 0 WHERE id = $1", project)
        await conn.execute("DELETE FROM webhook_deliveries")
        await conn.execute("DELETE FROM activities WHERE project_id = $1", project)
    finally:
        await conn.close()


async def _wait_for_replies(context: Context, expected: int) -> int:
    """The response_url replies received once `expected` arrived or they stopped coming."""
    method = f"response_url:{RESPONSE_URL}"
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    last, last_change = -1, time.monotonic()
    while time.monotonic() < deadline:
        seen = len(context.fake.calls(method))
        if seen >= expected:
            return seen
        if seen != last:
            last, last_change = seen, time.monotonic()
        elif time.monotonic() - last_change > 10:
            break
        await asyncio.sleep(0.2)
    return len(context.fake.calls(method))


SCENARIOS: dict[str, type[Scenario]] = {
    "list_tasks": ListTasks,
    "slack_command": SlackCommand,
    "github_issue": GithubIssue,
}


async def run(context: Context, key: str) -> dict[str, Any]:
    scenario = SCENARIOS[key](context)
    options = context.options
    by_workers: dict[str, Any] = {}
    for workers in options.workers:
        runs: dict[str, list[dict]] = {"teamflow": [], "reference": []}
        for round_index in range(options.rounds):
            for name in ("teamflow", "reference"):
                say("%s: %s, %d worker(s), round %d", key, name, workers, round_index + 1)
                profile = _profile_path(context, key, name, workers, round_index)
                figures = await _one_run(scenario, name, workers, profile=profile)
                runs[name].append(figures)
        by_workers[str(workers)] = summarize(runs)
    return {"title": scenario.title, "path": scenario.path, "workers": by_workers}


def _profile_path(
    context: Context, key: str, name: str, workers: int, round_index: int
) -> Path | None:
    """Where to write a py-spy profile of this run, when asked (TeamFlow, first round)."""
    if not context.options.profile or name != "teamflow" or round_index:
        return None
    return context.workdir / "profiles" / f"{key}-{workers}w.{context.options.profile_format}"


async def _one_run(
    scenario: Scenario, name: str, workers: int, *, profile: Path | None
) -> dict[str, Any]:
    context, options = scenario.context, scenario.context.options
    await scenario.reset()
    await _flush_redis()
    server = await _start(context, name, workers)
    try:
        url = server.base_url + "/"
        if options.warmup:
            warm = await scenario.load_for(server, options.warmup)
            mark = await scenario.backlog_mark(server)
            warmed = await load.run_wrk(
                url=url, script=warm.script, seconds=options.warmup, env=warm.env
            )
            await scenario.settle(server, mark, warmed)  # the warm-up's work finishes first
        measured = await scenario.load_for(server, options.seconds)
        before = await scenario.backlog_mark(server)
        async with (
            servers.RssSampler(server) as rss,
            profiling.recording(server, profile, options.seconds),
        ):
            result = await load.run_wrk(
                url=url, script=measured.script, seconds=options.seconds, env=measured.env
            )
        extra = await scenario.settle(server, before, result)
        return {**result.as_dict(), "rss_mb": round(rss.peak_mb, 1), **extra}
    finally:
        servers.stop(server)


async def _start(context: Context, name: str, workers: int) -> servers.Server:
    if name == "teamflow":
        return await servers.start_teamflow(
            database_url=context.seeded.database_url,
            workers=workers,
            slack_api_url=context.fake.base_url,
            workdir=context.workdir,
        )
    return await servers.start_reference(
        config=context.reference_config(), workers=workers, workdir=context.workdir
    )


async def _flush_redis() -> None:
    """The benchmark's own Redis database (14) starts empty for every run."""
    from redis.asyncio import Redis

    client = Redis.from_url(servers.REDIS_URL)
    try:
        await client.flushdb()
    finally:
        await client.aclose()


FIGURES = ("requests_per_s", "p50_ms", "p90_ms", "p99_ms")


def summarize(runs: dict[str, list[dict]]) -> dict[str, Any]:
    """Medians over the runs of each server, errors added up, the peak memory, and
    TeamFlow's requests/s as a ratio of the reference's."""
    summary: dict[str, Any] = {}
    for name, figures in runs.items():
        if not figures:
            continue
        merged: dict[str, Any] = {f: round(median([r[f] for r in figures]), 2) for f in FIGURES}
        merged["errors"] = sum(r["errors"] for r in figures)
        merged["requests"] = sum(r["requests"] for r in figures)
        merged["rss_mb"] = max(r["rss_mb"] for r in figures)
        if all("completed_per_s" in r for r in figures):
            merged["completed_per_s"] = round(median([r["completed_per_s"] for r in figures]), 1)
            merged["drain_s"] = round(median([r["drain_s"] for r in figures]), 2)
        merged["runs"] = figures
        summary[name] = merged
    tf, ref = summary.get("teamflow"), summary.get("reference")
    if tf and ref:
        summary["ratio"] = _round(ratio(tf["requests_per_s"], ref["requests_per_s"]))
        if "completed_per_s" in tf:
            completed = ratio(tf["completed_per_s"], ref["requests_per_s"])
            summary["completed_ratio"] = _round(completed)
    return summary


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
