"""Starting and stopping the servers under test, and reading their memory from /proc.

Both run under Hypercorn with uvloop workers: TeamFlow as `teamflow serve --workers N`,
the reference app with the same worker class and count.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 60.0
SECRET_KEY = "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
SIGNING_SECRET = "bench-slack-signing-secret-0123456789"
BOT_TOKEN = "xoxb-bench-bot-token"
REDIS_URL = "redis://127.0.0.1:6379/14"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str  # "teamflow" or "reference"
    workers: int
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        return process_tree(self.process.pid)

    def rss_mb(self) -> float:
        return sum(rss_kb(pid) for pid in self.pids()) / 1024

    def worker_pids(self) -> list[int]:
        return [pid for pid in self.pids() if pid != self.process.pid] or [self.process.pid]


def teamflow_env(*, database_url: str, port: int, slack_api_url: str, workers: int) -> dict:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "TEAMFLOW_", "DATABASE_URL", "REDIS_URL", "LOG_"))
    }
    return keep | {
        "TEAMFLOW_ENV": "production",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "TEAMFLOW_SECRET_KEY": SECRET_KEY,
        "PORT": str(port),
        "TEAMFLOW_HOST": "127.0.0.1",
        "TEAMFLOW_BASE_URL": f"http://127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "TEAMFLOW_RUN_SCHEDULER": "no",
        # The load comes from one address and one user: the limits must not be what is measured.
        "TEAMFLOW_RATE_LIMIT_PER_MINUTE": "100000000",
        "TEAMFLOW_RATE_LIMIT_ADDRESS_PER_MINUTE": "100000000",
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "json",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api_url,
    }


async def start_teamflow(
    *, database_url: str, workers: int, slack_api_url: str, workdir: Path
) -> Server:
    port = free_port()
    env = teamflow_env(
        database_url=database_url, port=port, slack_api_url=slack_api_url, workers=workers
    )
    command = [sys.executable, "-m", "teamflow.cli", "serve", "--workers", str(workers)]
    return await _start("teamflow", command, env, port, workers, workdir)


async def start_reference(*, config: str, workers: int, workdir: Path) -> Server:
    port = free_port()
    env = {**os.environ, "BENCH_REFERENCE": config, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "hypercorn",
        "--worker-class",
        "uvloop",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "benchmarks.reference.app:create_app()",
    ]
    return await _start("reference", command, env, port, workers, workdir)


async def _start(
    name: str, command: list[str], env: dict, port: int, workers: int, workdir: Path
) -> Server:
    server = _spawn(name, command, env, port, workers, workdir)
    await _wait_until_up(server, workers)
    return server


def _spawn(
    name: str, command: list[str], env: dict, port: int, workers: int, workdir: Path
) -> Server:
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / f"{name}-{workers}w-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    return Server(name, workers, port, process, log_path)


async def _wait_until_up(server: Server, workers: int) -> None:
    """Up when /health answers and every worker process exists."""
    deadline = time.monotonic() + START_TIMEOUT_S
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                break
            try:
                async with client.get(server.base_url + "/health") as reply:
                    if reply.status == 200 and len(server.pids()) >= 1 + workers:
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.2)
    tail = server.log_path.read_text(errors="replace")[-3000:]
    stop(server)
    raise RuntimeError(f"{server.name} did not come up on port {server.port}:\n{tail}")


def stop(server: Server, *, timeout: float = 15.0) -> None:
    if server.process.poll() is not None:
        return
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        for pid in server.pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        server.process.wait()


def process_tree(root: int) -> list[int]:
    """root and every descendant, read from /proc/<pid>/stat (field 4 is the parent)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        parents[int(entry)] = int(fields[1])
    found, frontier = [root], [root]
    while frontier:
        current = frontier.pop()
        children = [pid for pid, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class RssSampler:
    """The peak resident memory of a server's process tree while a load runs."""

    def __init__(self, server: Server, *, interval: float = 0.5) -> None:
        self.server = server
        self.interval = interval
        self.peak_mb = 0.0
        self._task: asyncio.Task | None = None

    async def __aenter__(self) -> RssSampler:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self.peak_mb = max(self.peak_mb, self.server.rss_mb())

    async def _run(self) -> None:
        while True:
            self.peak_mb = max(self.peak_mb, self.server.rss_mb())
            await asyncio.sleep(self.interval)
