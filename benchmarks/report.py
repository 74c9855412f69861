"""Targets checked against the figures, and the Markdown tables for benchmarks/README.md."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

START = "<!-- results:start -->"
END = "<!-- results:end -->"
DASHBOARD = "manager_dashboard"  # every panel at once: shown, but the target is per view model


@dataclass(frozen=True)
class Target:
    scenario: str
    what: str
    measured: str
    met: bool | None  # None: not measured in this run


def targets(results: dict[str, Any]) -> list[Target]:
    """Each target of the issue, per worker count where it applies."""
    found: list[Target] = []
    scenarios = results.get("scenarios", {})
    http = (
        ("list_tasks", 0.6, 100.0),
        ("slack_command", 0.5, 150.0),
        ("github_issue", 0.4, None),
    )
    for key, least, p99 in http:
        for workers, summary in scenarios.get(key, {}).get("workers", {}).items():
            share = summary.get("ratio")
            tf = summary.get("teamflow", {})
            what = f"{workers}w: >= {least} x reference req/s"
            measured = "-" if share is None else f"{share:.3f}x"
            found.append(Target(key, what, measured, _at_least(share, least)))
            if p99 is not None:
                measured = tf.get("p99_ms")
                met = None if measured is None else measured < p99
                found.append(Target(key, f"{workers}w: p99 < {p99:.0f} ms", _ms(measured), met))
    digests = scenarios.get("digests", {}).get("variants", {}).get("no_429")
    if digests:
        rate = digests["digests_per_s"]
        found.append(Target("digests", ">= 100 digests/s (no 429s)", f"{rate:.0f}/s", rate >= 100))
    models = scenarios.get("analytics", {}).get("view_models", {})
    if models:
        slowest = max(
            ((name, m["p95_ms"]) for name, m in models.items() if name != DASHBOARD),
            key=lambda item: item[1],
        )
        found.append(
            Target(
                "analytics",
                "every view model p95 < 250 ms",
                f"slowest {slowest[0]} {slowest[1]:.0f} ms",
                slowest[1] < 250,
            )
        )
    return found


def render(results: dict[str, Any]) -> str:
    """The Markdown block that goes between the README's result markers."""
    parts = [_machine(results), _targets_table(results)]
    scenarios = results.get("scenarios", {})
    for key in ("list_tasks", "slack_command", "github_issue"):
        if key in scenarios:
            parts.append(_http_table(key, scenarios[key]))
    if "query_counts" in scenarios:
        parts.append(_query_table(scenarios["query_counts"]))
    if "digests" in scenarios:
        parts.append(_digest_table(scenarios["digests"]))
    if "analytics" in scenarios:
        parts.append(_analytics_table(scenarios["analytics"]))
    return "\n\n".join(part for part in parts if part) + "\n"


def update_readme(path: Path, block: str) -> None:
    """Replace what is between the markers (or append the block with its markers)."""
    text = path.read_text() if path.exists() else ""
    fenced = f"{START}\n{block}{END}"
    if START in text and END in text:
        text = re.sub(
            re.escape(START) + r".*?" + re.escape(END), lambda _: fenced, text, flags=re.S
        )
    else:
        text = text.rstrip() + "\n\n" + fenced + "\n"
    path.write_text(text)


def _machine(results: dict[str, Any]) -> str:
    m, run = results.get("machine", {}), results.get("run", {})
    load = " ".join(f"{v:.2f}" for v in run.get("load_average_at_start", []))
    kind = "quick smoke run" if run.get("quick") else "full run"
    wrk = _short(m.get("wrk", ""))
    lines = [
        f"Run of {run.get('started_at', '?')} ({kind}, {run.get('seconds', '?')} s measured "
        f"per run after {run.get('warmup', '?')} s warm-up, {run.get('rounds', '?')} "
        f"alternating rounds, 32 connections, wrk {wrk}; took {run.get('total_seconds', '?')} s).",
        "",
        f"Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, "
        f"{m.get('memory_gib', '?')} GiB; PostgreSQL {m.get('postgresql', '?')}, "
        f"Redis {m.get('redis', '?')}, Python {m.get('python', '?')}. "
        f"Load average at start: {load}"
        + (f" ({run['quiet_note']})" if run.get("quiet_note") else "")
        + "."
        + _load_after(run.get("load_average_after", {})),
        "",
        f"Seed: {results.get('seed', {}).get('tasks', '?'):,} tasks in the listed organization "
        f"(seeded in {results.get('seed', {}).get('seconds', '?')} s).",
    ]
    return "\n".join(lines)


def _targets_table(results: dict[str, Any]) -> str:
    rows = ["| Scenario | Target | Measured | Met |", "|---|---|---|---|"]
    for t in targets(results):
        met = {True: "yes", False: "**no**", None: "-"}[t.met]
        rows.append(f"| {t.scenario} | {t.what} | {t.measured} | {met} |")
    return "### Targets\n\n" + "\n".join(rows)


def _http_table(key: str, scenario: dict[str, Any]) -> str:
    rows = [
        "| Workers | Server | req/s | p50 ms | p90 ms | p99 ms | errors | RSS MB | ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    notes = []
    for workers, summary in scenario.get("workers", {}).items():
        for name in ("teamflow", "reference"):
            s = summary.get(name)
            if not s:
                continue
            share = _x(summary.get("ratio")) if name == "teamflow" else ""
            rows.append(
                f"| {workers} | {name} | {s['requests_per_s']:.0f} | {s['p50_ms']:.1f} | "
                f"{s['p90_ms']:.1f} | {s['p99_ms']:.1f} | {s['errors']} | "
                f"{s['rss_mb']:.0f} | {share} |"
            )
            if "completed_per_s" in s and name == "teamflow":
                notes.append(
                    f"{workers} worker(s): TeamFlow completed {s['completed_per_s']:.0f} "
                    f"commands/s including the work after the ack (drained "
                    f"{s['drain_s']:.1f} s after the load; "
                    f"{_x(summary.get('completed_ratio'))} of the reference's req/s)."
                )
    text = f"### {scenario.get('title', key)}\n\n" + "\n".join(rows)
    if notes:
        text += "\n\n" + "\n".join(f"- {note}" for note in notes)
    return text


def _query_table(counts: dict[str, Any]) -> str:
    rows = ["| Request | SQL statements |", "|---|---|"]
    for name, found in counts.items():
        rows.append(f"| {name} | {found['queries']} |")
    return "### SQL statements per request (in-process, warm caches)\n\n" + "\n".join(rows)


def _digest_table(digests: dict[str, Any]) -> str:
    rows = [
        "| Variant | digests posted | total s | digests/s | 429s met | SQL per digest |",
        "|---|---|---|---|---|---|",
    ]
    for name, v in digests.get("variants", {}).items():
        rows.append(
            f"| {name} | {v['posted']} | {v['seconds']:.1f} | {v['digests_per_s']:.0f} | "
            f"{v['rate_limited']} | {v['queries_per_digest']:.1f} |"
        )
    latency = digests.get("slack_latency_ms", 20)
    return f"### Digest fan-out (fake Slack answering in {latency:.0f} ms)\n\n" + "\n".join(rows)


def _analytics_table(analytics: dict[str, Any]) -> str:
    rows = ["| View model | p50 ms | p95 ms | max ms | SQL statements |", "|---|---|---|---|---|"]
    for name, m in analytics.get("view_models", {}).items():
        rows.append(
            f"| {name} | {m['p50_ms']:.1f} | {m['p95_ms']:.1f} | {m['max_ms']:.1f} | "
            f"{m['queries']} |"
        )
    tasks = analytics.get("tasks", 0)
    title = (
        f"### Dashboard analytics ({tasks:,} tasks, {analytics.get('window_days', 28)}-day window)"
    )
    return title + "\n\n" + "\n".join(rows)


def _load_after(after: dict[str, float]) -> str:
    """The 1-minute load average when each scenario ended (its own load included)."""
    if not after:
        return ""
    return (
        " 1-minute load when each scenario ended: "
        + ", ".join(f"{key} {value:.2f}" for key, value in after.items())
        + "."
    )


def _at_least(value: float | None, least: float) -> bool | None:
    return None if value is None else value >= least


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def _short(text: str) -> str:
    return text.split(" [")[0].replace("wrk ", "")
