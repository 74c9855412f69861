"""`python -m benchmarks`: seed, run the scenarios, write results.json and the README table.

Everything runs against 127.0.0.1 only (PostgreSQL :5432, Redis :6379 database 14, the
servers under test on free ports) and every load is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import (
    analytics_scenario,
    digest_scenario,
    http_scenarios,
    machine,
    query_counts,
    report,
    seed,
)
from benchmarks import (
    context as ctx,
)
from benchmarks.progress import say
from benchmarks.servers import REDIS_URL

HERE = Path(__file__).resolve().parent
ALL = ("list_tasks", "slack_command", "github_issue", "digests", "analytics", "query_counts")
QUIET_LOAD = 0.7


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="TeamFlow's benchmark suite (PostgreSQL + Redis on 127.0.0.1, wrk).",
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: small seed, a few s each")
    parser.add_argument("--seconds", type=float, help="measured load per run (default 15; quick 3)")
    parser.add_argument("--warmup", type=float, help="unmeasured load before each run (default 3)")
    parser.add_argument(
        "--rounds", type=int, help="alternating rounds per worker count (2; quick 1)"
    )
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument(
        "--scenarios", default=",".join(ALL), help=f"comma-separated, from: {', '.join(ALL)}"
    )
    parser.add_argument("--tasks", type=int, help="tasks in the listed organization (1000000)")
    parser.add_argument("--reuse-db", action="store_true", help="keep a seed of the same size")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="MINUTES",
        help=f"first wait up to this long for a 1-minute load average below {QUIET_LOAD}",
    )
    parser.add_argument("--profile", action="store_true", help="py-spy flame graphs of TeamFlow")
    parser.add_argument(
        "--profile-format",
        choices=("svg", "txt"),
        default="svg",
        help="svg flame graphs, or txt collapsed stacks (py-spy raw) to sum up",
    )
    parser.add_argument(
        "--output", type=Path, help="results JSON (default benchmarks/results.json)"
    )
    parser.add_argument(
        "--no-readme", action="store_true", help="do not update benchmarks/README.md"
    )
    return parser.parse_args(argv)


def options_from(args: argparse.Namespace) -> ctx.Options:
    quick = args.quick
    scenarios = tuple(s.strip() for s in args.scenarios.split(",") if s.strip())
    unknown = set(scenarios) - set(ALL)
    if unknown:
        raise SystemExit(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    return ctx.Options(
        quick=quick,
        seconds=args.seconds or (3.0 if quick else 15.0),
        warmup=args.warmup if args.warmup is not None else (1.0 if quick else 3.0),
        rounds=args.rounds or (1 if quick else 2),
        workers=tuple(int(w) for w in args.workers.split(",")),
        scenarios=scenarios,
        tasks=args.tasks or (50_000 if quick else 1_000_000),
        digest_channels=1000,
        analytics_reps=5 if quick else 15,
        digest_rounds=1 if quick else 2,
        profile=args.profile,
        profile_format=args.profile_format,
    )


async def wait_until_quiet(minutes: float) -> str:
    """Poll the load average every 30 s for up to `minutes`; say how it went."""
    deadline = time.monotonic() + minutes * 60
    while True:
        one = machine.load_average()[0]
        if one < QUIET_LOAD:
            return ""
        if time.monotonic() >= deadline:
            return f"the machine never got quiet: 1-minute load {one:.2f} after {minutes:.0f} min"
        say("waiting for a quiet machine: 1-minute load %.2f", one)
        await asyncio.sleep(30)


async def prepare_database(options: ctx.Options, *, reuse: bool) -> seed.Seeded:
    url = seed.database_url()
    if reuse:
        found = await seed.existing_seed(url, tasks=options.tasks)
        if found is not None:
            say("reusing the seeded database %s", seed.DATABASE)
            return found
    say("creating %s and applying TeamFlow's migrations", seed.DATABASE)
    await seed.recreate_database()
    await asyncio.to_thread(seed.migrate, url)
    say("seeding %d tasks (+ the digest organization)", options.tasks)
    seeded = await seed.seed(
        url, tasks=options.tasks, digest_channels=options.digest_channels, now=seed.utc_now()
    )
    say("seeded in %.1f s", seeded.seconds)
    return seeded


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from core.db import close_db, init_db
    from tests.fakes.slack_api import FakeSlack

    options = options_from(args)
    started = time.monotonic()
    quiet_note = await wait_until_quiet(args.wait_quiet) if args.wait_quiet else ""
    load_at_start = machine.load_average()
    started_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    seeded = await prepare_database(options, reuse=args.reuse_db)
    workdir = Path(tempfile.mkdtemp(prefix="teamflow-bench-"))
    results: dict[str, Any] = {
        "machine": await machine.describe(seeded.database_url, REDIS_URL),
        "run": {
            "started_at": started_at,
            "quick": options.quick,
            "seconds": options.seconds,
            "warmup": options.warmup,
            "rounds": options.rounds,
            "workers": list(options.workers),
            "load_average_at_start": [round(v, 2) for v in load_at_start],
            "quiet_note": quiet_note,
        },
        "seed": {"tasks": seeded.tasks, "seconds": round(seeded.seconds, 1)},
        "scenarios": {},
    }
    await init_db(seeded.database_url)
    try:
        async with FakeSlack() as fake:
            context = ctx.Context(options=options, seeded=seeded, fake=fake, workdir=workdir)
            await ctx.prepare(context)
            await http_scenarios.reset_written_projects(context)
            for key in options.scenarios:
                say("scenario %s", key)
                results["scenarios"][key] = await _scenario(context, key)
                after = results["run"].setdefault("load_average_after", {})
                after[key] = round(machine.load_average()[0], 2)
    finally:
        await close_db()
    if options.profile:
        kept = HERE / "profiles"
        if (workdir / "profiles").exists():
            shutil.copytree(workdir / "profiles", kept, dirs_exist_ok=True)
            say("profiles in %s", kept)
    shutil.rmtree(workdir, ignore_errors=True)
    results["run"]["total_seconds"] = round(time.monotonic() - started)
    return results


async def _scenario(context: ctx.Context, key: str) -> dict[str, Any]:
    if key in http_scenarios.SCENARIOS:
        return await http_scenarios.run(context, key)
    if key == "digests":
        return await digest_scenario.run(context)
    if key == "analytics":
        return await analytics_scenario.run(context)
    return await query_counts.run(context)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    results = asyncio.run(run(args))
    output = args.output or HERE / "results.json"
    output.write_text(json.dumps(results, indent=2, default=str) + "\n")
    block = report.render(results)
    if not args.no_readme:
        report.update_readme(HERE / "README.md", block)
    print(block)
    say("results in %s", output)
