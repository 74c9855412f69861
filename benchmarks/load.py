"""wrk, driven by Lua scripts, and its figures read back as JSON.

Every script ends with the same `done` hook (DONE_LUA), which prints one line
`BENCH_JSON {...}`: requests, duration, socket errors, non-2xx/3xx answers and the
latency percentiles in microseconds.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

LUA_DIR = Path(__file__).resolve().parent / "lua"
CONNECTIONS = 32
THREADS = 2
MARKER = "BENCH_JSON "

DONE_LUA = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
"""


@dataclass
class LoadResult:
    requests: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # non-2xx/3xx answers plus socket errors and timeouts
    non_2xx: int
    socket_errors: int

    def as_dict(self) -> dict:
        return asdict(self)


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed: `apt-get install -y wrk`")
    return found


def parse_output(text: str) -> LoadResult:
    """The figures of one wrk run, from its BENCH_JSON line."""
    for line in reversed(text.splitlines()):
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER) :])
            break
    else:
        raise RuntimeError(f"wrk printed no figures:\n{text[-2000:]}")
    seconds = data["duration_us"] / 1e6
    sockets = data["connect"] + data["read"] + data["write"] + data["timeout"]
    return LoadResult(
        requests=data["requests"],
        seconds=round(seconds, 3),
        requests_per_s=round(data["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=round(data["p50"] / 1000, 2),
        p90_ms=round(data["p90"] / 1000, 2),
        p99_ms=round(data["p99"] / 1000, 2),
        max_ms=round(data["max"] / 1000, 2),
        errors=data["status"] + sockets,
        non_2xx=data["status"],
        socket_errors=sockets,
    )


async def run_wrk(
    *, url: str, script: str, seconds: float, env: dict[str, str] | None = None
) -> LoadResult:
    """One wrk run of `seconds` at 32 connections; `script` is the scenario's Lua (its
    `done` hook is added here)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script + "\n" + DONE_LUA)
        path = handle.name
    try:
        process = await asyncio.create_subprocess_exec(
            wrk_path(),
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            path,
            url,
            env={**os.environ, **(env or {})},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
    finally:
        os.unlink(path)
    return parse_output(output.decode(errors="replace"))


def lua(name: str) -> str:
    return (LUA_DIR / f"{name}.lua").read_text()
