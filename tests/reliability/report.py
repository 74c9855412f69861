"""Run the reliability suite on both passes and write docs/reliability.md from its figures.

    python -m tests.reliability.report            # both passes, like scripts/test
    python -m tests.reliability.report --pass sqlite
    python -m tests.reliability.report --from-results a.json b.json   # render only

Each pass runs `pytest tests/reliability` with $TEAMFLOW_RELIABILITY_RESULTS pointing at a
JSON file the suite's conftest fills (every test's outcome, duration and figures); the
page is rendered from those files. The databases and Redis are the ones scripts/test
uses: TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) and
TEST_REDIS_URL (default redis://127.0.0.1:6379/15). Exit status 1 if a test failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "docs" / "reliability.md"
PASSES = {
    "sqlite": "SQLite, in-process cache",
    "postgres": "PostgreSQL + Redis",
}
SECTIONS = ("Load", "Faults", "Hostile input")
COLUMNS = (
    ("requests", "requests"),
    ("accepted", "2xx"),
    ("server_errors", "5xx"),
    ("unavailable", "503 (planned)"),
    ("faults", "faults"),
    ("inputs", "inputs"),
    ("writes_checked", "writes checked"),
    ("lost", "lost"),
    ("duplicated", "twice"),
)
SETTINGS = (
    "TEAMFLOW_RELIABILITY_LOAD_SECONDS",
    "TEAMFLOW_RELIABILITY_CONCURRENCY",
    "TEAMFLOW_RELIABILITY_FUZZ_EXAMPLES",
)


def pass_environment(name: str) -> dict[str, str]:
    postgres = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    redis = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_CACHE_REDIS_URL",)}
    env["TEST_REDIS_URL"] = redis
    if name == "sqlite":
        return env | {"TEST_DATABASE_URL": "sqlite"}
    return env | {"TEST_DATABASE_URL": postgres, "TEST_CACHE_REDIS_URL": redis}


def run_pass(name: str, results: Path, extra: list[str]) -> int:
    print(f"== reliability, {PASSES[name]} pass ==", flush=True)
    env = pass_environment(name) | {"TEAMFLOW_RELIABILITY_RESULTS": str(results)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:logging", "tests/reliability"]
    return subprocess.run([*command, *extra], cwd=ROOT, env=env, check=False).returncode


# --- rendering -----------------------------------------------------------------------


LEGEND = (
    "Requests are HTTP requests the tests sent; 5xx counts every answer of 500 or more",
    "except the planned 503s (answers while a dependency was down on purpose); faults are",
    "processes killed, servers stopped and failures injected; inputs are generated or",
    "hostile inputs tried; writes checked are accepted writes looked up in the database",
    "afterwards; lost means accepted but not there, twice means applied more than once.",
)
FIXED = (
    "Redis stopping made every API request fail with 500 (the rate limiter's counter "
    "raised); the cache now degrades open while Redis is unreachable, with one warning "
    "when it goes and one when it is back (core/cache/redis.py).",
    "A PostgreSQL restart answered API requests with 500; they now get 503 "
    "`SERVICE_UNAVAILABLE` with `Retry-After`, in the error envelope, and the pool "
    "reconnects by itself (webhooks/errors.py, documented in /openapi.json).",
    "A slash command that failed after its acknowledgement (the database down, or any "
    "surprise) left the person with silence; it now gets an ephemeral apology, a specific "
    "one when the database cannot be reached (bot/listeners/commands.py).",
    "The scheduler's tick was fixed at 60 s; TEAMFLOW_SCHEDULER_TICK_SECONDS sets it (the "
    "suite uses 2 s, so digests go out while the load runs).",
    "A Slack request whose X-Slack-Request-Timestamp was not a number got a 500 from Bolt; "
    "it is now refused with 401 before dispatching, saying so (webhooks/slack_signatures.py).",
    "A signed Slack request (slash command, click, form) captured and sent again byte for "
    "byte within Slack's five minutes ran again; each verified signature is now remembered "
    "in the cache for eleven minutes and a repeat is answered 200 without running "
    "(webhooks/slack_signatures.py; events keep their event_id check).",
    "A signed generic webhook without Idempotency-Key, replayed within its five minutes, "
    "was applied again (its delivery id was random); the id is now a digest of the signed "
    "timestamp and body, so the replay is a duplicate (webhooks/inbound/generic.py).",
    "Slack work still running after the acknowledgement was dropped on SIGTERM; listener "
    "tasks are tracked and shutdown waits for them, up to TEAMFLOW_SHUTDOWN_DRAIN_SECONDS "
    "(core/background_work.py, bot/tracked_listeners.py).",
    "`due:9999-12-31` west of UTC (or the first day of year 1 east of it) raised "
    "OverflowError; it is now explained as out of range, in quick add and `/task due` "
    "(bot/dates.py).",
)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60} s" if whole >= 60 else f"{whole} s"


def _name(nodeid: str) -> str:
    """`test_kill_9_of_a_web_process[x]` -> `kill 9 of a web process [x]`."""
    function = nodeid.split("::")[-1]
    base, _, param = function.partition("[")
    words = base.removeprefix("test_").replace("_", " ")
    return f"{words} [{param}" if param else words


def _base(nodeid: str) -> str:
    return nodeid.split("[")[0]


def _section(test: dict[str, Any]) -> str:
    return (test.get("figures") or {}).get("section") or "Hostile input"


def _gap(reason: str) -> str:
    return reason.replace("; see docs/reliability.md", "").replace(" (see docs/reliability.md)", "")


def totals(run: dict[str, Any]) -> dict[str, float]:
    found: dict[str, float] = {"passed": 0, "failed": 0}
    gaps = set()
    for nodeid, test in run["tests"].items():
        outcome = test["outcome"]
        if outcome == "xfailed":
            gaps.add(_base(nodeid))
            continue
        found[outcome] = found.get(outcome, 0) + 1
        counts = (test.get("figures") or {}).get("counts", {})
        if outcome != "passed":
            continue
        for key in ("requests", "server_errors", "faults", "inputs", "lost", "duplicated"):
            found[key] = found.get(key, 0) + counts.get(key, 0)
    found["xfailed"] = len(gaps)
    return found


def render(runs: list[dict[str, Any]], *, generated: str, command: str) -> str:
    runs = sorted(runs, key=lambda run: list(PASSES).index(run["pass"]))
    lines = [
        "# Reliability",
        "",
        f"Generated {generated} by `{command}` on a machine with {os.cpu_count()} CPU cores.",
        "Every process listened on 127.0.0.1 only and every wait was bounded. The machine's",
        "shared PostgreSQL and Redis were never stopped: the fault tests start their own (a",
        "private `redis-server`, a private PostgreSQL cluster made with `initdb`). The tests",
        "are in `tests/reliability/` and run in both passes of `make test`; README.md, under",
        "Reliability, says how to run them.",
        "",
        "## Summary",
        "",
        "| | " + " | ".join(PASSES[run["pass"]] for run in runs) + " |",
        "|---|" + "---:|" * len(runs),
    ]
    sums = [totals(run) for run in runs]
    rows = [
        ("tests passed", "passed"),
        ("tests failed", "failed"),
        ("known gaps (see below)", "xfailed"),
        ("requests sent", "requests"),
        ("5xx answers", "server_errors"),
        ("faults injected, and survived", "faults"),
        ("hostile inputs tried", "inputs"),
        ("accepted writes lost", "lost"),
        ("writes applied twice", "duplicated"),
    ]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(_number(s.get(key, 0)) for s in sums) + " |")
    lines.append("| time | " + " | ".join(_minutes(run["duration_s"]) for run in runs) + " |")
    lines += ["", *LEGEND]
    for run in runs:
        skipped = run["not_in_this_pass"]["tests"]
        if skipped:
            names = ", ".join(f"`{_name(n)}`" for n in skipped)
            reason = run["not_in_this_pass"]["reason"]
            lines += ["", f"Not run in the {run['pass']} pass: {names}. It {reason}."]
    settings = [f"`{name}={os.environ[name]}`" for name in SETTINGS if name in os.environ]
    if settings:
        lines += ["", "Run with " + ", ".join(settings) + "."]

    for section in SECTIONS:
        lines += ["", f"## {section}", ""]
        lines += _section_table(section, runs)
    lines += ["", "## Found and fixed", ""]
    lines += [f"- {text}" for text in FIXED]
    lines += _known_gaps(runs)
    return "\n".join(lines) + "\n"


def _section_table(section: str, runs: list[dict[str, Any]]) -> list[str]:
    tests = {
        nodeid: [run for run in runs if nodeid in run["tests"]]
        for nodeid in sorted({n for run in runs for n in run["tests"]})
    }
    tests = {
        nodeid: present
        for nodeid, present in tests.items()
        if _section(present[0]["tests"][nodeid]) == section
        and present[0]["tests"][nodeid]["outcome"] != "xfailed"
    }
    used = [
        (key, label)
        for key, label in COLUMNS
        if any(
            key in (run["tests"][n].get("figures") or {}).get("counts", {})
            for n, present in tests.items()
            for run in present
        )
    ]
    lines = [
        "| what was tried | pass | result | " + " | ".join(label for _, label in used) + " |",
        "|---|---|---|" + "---:|" * len(used),
    ]
    notes: list[str] = []
    titles_shown: set[str] = set()
    for nodeid, present in tests.items():
        for index, run in enumerate(present):
            test = run["tests"][nodeid]
            counts = (test.get("figures") or {}).get("counts", {})
            cells = [_number(counts.get(key)) for key, _ in used]
            label = _name(nodeid) if index == 0 else ""
            lines.append(
                f"| {label} | {run['pass']} | {test['outcome']}, {test['duration_s']:.0f} s | "
                + " | ".join(cells)
                + " |"
            )
        title = (present[0]["tests"][nodeid].get("figures") or {}).get("title", "")
        if title and title not in titles_shown:  # parametrized tests share one
            titles_shown.add(title)
            notes.append(f"- **{_name(_base(nodeid))}**: {title}")
        notes += _notes(nodeid, present)
    return [*lines, "", *notes]


def _notes(nodeid: str, present: list[dict[str, Any]]) -> list[str]:
    """Each pass's notes; one the passes share is shown once, without the pass."""
    by_pass = [
        (run["pass"], (run["tests"][nodeid].get("figures") or {}).get("notes", []))
        for run in present
    ]
    shared = set.intersection(*(set(notes) for _, notes in by_pass)) if len(by_pass) > 1 else set()
    lines = [f"  - {note}" for note in by_pass[0][1] if note in shared]
    for name, notes in by_pass:
        lines += [f"  - {name}: {note}" for note in notes if note not in shared]
    return lines


def _known_gaps(runs: list[dict[str, Any]]) -> list[str]:
    gaps: dict[str, str] = {}
    for run in runs:
        for nodeid, test in run["tests"].items():
            if test["outcome"] in ("xfailed", "xpassed"):
                gaps.setdefault(_base(nodeid), _gap(test.get("known_gap", "")))
    lines = ["", "## Known gaps", ""]
    if not gaps:
        return [*lines, "None."]
    lines += [
        "Found by this suite in code outside it, and left for their owners. Each is pinned",
        "by a test marked `xfail(strict=True)`: it fails today, and the suite fails the day",
        "it passes, so the marker goes with the fix.",
        "",
    ]
    return lines + [f"- `{_name(nodeid)}`: {reason}" for nodeid, reason in sorted(gaps.items())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pass", dest="passes", choices=[*PASSES, "both"], default="both")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--from-results", nargs="+", type=Path, default=None)
    parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    args = parser.parse_args(argv)

    status = 0
    if args.from_results:
        paths = args.from_results
    else:
        names = list(PASSES) if args.passes == "both" else [args.passes]
        folder = Path(tempfile.mkdtemp(prefix="teamflow-reliability-"))
        paths = []
        for name in names:
            path = folder / f"{name}.json"
            status |= 1 if run_pass(name, path, args.pytest_args) else 0
            paths.append(path)
    runs = [json.loads(path.read_text()) for path in paths if path.exists()]
    if not runs:
        print("No results were written: did pytest start?", file=sys.stderr)
        return 1
    command = (
        "make reliability" if os.environ.get("MAKELEVEL") else "python -m tests.reliability.report"
    )
    started = min(run["started"] for run in runs)
    generated = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started))
    page = render(runs, generated=generated, command=command)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(page)
    print(f"wrote {args.output}")
    if any(t["outcome"] in ("failed", "xpassed") for run in runs for t in run["tests"].values()):
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
