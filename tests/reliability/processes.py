"""Real `teamflow serve` and `teamflow scheduler` processes, started the way a deployment
starts them (`python -m teamflow.cli ...`), each in its own process group on 127.0.0.1.

`teamflow serve` is Hypercorn's arbiter plus a worker process; `kill()` sends SIGKILL
to the whole group, which is what a crashed container or an OOM kill of the dyno does,
and `terminate()` sends SIGTERM to the arbiter only, which is what a process manager
does to the process it started.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import aiohttp

from tests.fakes import workspace
from tests.reliability.services import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 45.0
SIGNING_SECRET = "reliability-signing-secret-0123456789abcdef"
SECRET_KEY = "reliability-secret-key-" + "x" * 32


def teamflow_env(
    *,
    database_url: str,
    redis_url: str | None,
    slack_api_url: str | None = None,
    **extra: str,
) -> dict[str, str]:
    """The environment of a TeamFlow process under test: nothing leaks in from the
    caller's TEAMFLOW_*, SLACK_*, DATABASE_URL or REDIS_URL."""
    keep = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "TEAMFLOW_", "DATABASE_URL", "REDIS_URL", "PORT"))
    }
    env = keep | {
        "TEAMFLOW_ENV": "test",
        "DATABASE_URL": database_url,
        "TEAMFLOW_SECRET_KEY": SECRET_KEY,
        "TEAMFLOW_HOST": "127.0.0.1",
        "TEAMFLOW_RATE_LIMIT_PER_MINUTE": "1000000",
        "TEAMFLOW_RATE_LIMIT_ADDRESS_PER_MINUTE": "1000000",
        "TEAMFLOW_LOGIN_FAILURES_PER_ADDRESS": "1000000",
        "TEAMFLOW_SLOW_REQUEST_MS": "5000",
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "console",
        "WEB_CONCURRENCY": "1",
        "PYTHONUNBUFFERED": "1",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    if slack_api_url:
        env |= {
            "SLACK_API_URL": slack_api_url,
            "SLACK_BOT_TOKEN": workspace.BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        }
    return env | dict(extra)


class TeamFlowProcess:
    """One `teamflow` process and its log file."""

    def __init__(self, name: str, args: list[str], env: Mapping[str, str], workdir: Path) -> None:
        self.name = name
        self.args = args
        self.env = dict(env)
        self.workdir = workdir
        self.log_path = workdir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "teamflow.cli", *self.args],
                cwd=self.workdir,  # no stray .env is read from here
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} was not started"
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the process and every child (Hypercorn's worker): no clean-up runs."""
        if self.running:
            os.killpg(self.pid, signal.SIGKILL)
            assert self.process is not None
            self.process.wait(10)

    def terminate(self) -> None:
        """SIGTERM to the process the deployment started (the arbiter)."""
        if self.running:
            os.kill(self.pid, signal.SIGTERM)

    async def wait(self, timeout: float) -> int:
        assert self.process is not None
        return await asyncio.to_thread(self.process.wait, timeout)

    async def stop(self) -> None:
        """Terminate, then kill whatever is left of the group (never left running)."""
        if self.process is None:
            return
        if self.running:
            self.terminate()
            try:
                await self.wait(15)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self.process.poll() is None:
            await self.wait(10)

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        text = self.log_path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class WebProcess(TeamFlowProcess):
    """`teamflow serve` on a free port of 127.0.0.1."""

    def __init__(
        self,
        name: str,
        env: Mapping[str, str],
        workdir: Path,
        *,
        graceful_timeout: float = 10.0,
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        env = dict(env) | {
            "PORT": str(self.port),
            "TEAMFLOW_BASE_URL": f"http://127.0.0.1:{self.port}",
        }
        args = ["serve", "--graceful-timeout", str(graceful_timeout)]
        super().__init__(name, args, env, workdir)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def wait_until_up(self, timeout: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as client:
            while time.monotonic() < deadline:
                if not self.running:
                    break
                try:
                    async with client.get(self.base_url + "/health") as response:
                        if response.status == 200:
                            return
                except (aiohttp.ClientError, TimeoutError):
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.name} did not come up:\n{self.log_tail()}")


class SchedulerProcess(TeamFlowProcess):
    def __init__(self, name: str, env: Mapping[str, str], workdir: Path) -> None:
        super().__init__(name, ["scheduler"], env, workdir)

    async def wait_until_up(self, timeout: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                break
            if "scheduler started" in self.log_text():
                return
            await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.name} did not come up:\n{self.log_tail()}")


async def migrate(database_url: str, workdir: Path) -> None:
    """`teamflow migrate` in a subprocess: the test process keeps its own connection."""
    env = teamflow_env(database_url=database_url, redis_url=None)
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "teamflow.cli", "migrate"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"teamflow migrate failed:\n{done.stdout}\n{done.stderr}")
