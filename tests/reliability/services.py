"""Private Redis and PostgreSQL servers that a fault test may stop and start at will.

The machine's own PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) serve other
suites at the same time, so they are never stopped: a test that needs a server to go
away starts its own on a free port, in a temporary folder, and removes it afterwards.
What the servers need (the binaries, running as root to hand a cluster to the
`postgres` user) is checked up front; a missing piece fails with what to install, it
never skips.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

START_TIMEOUT_S = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


async def wait_until(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.05)


class PrivateRedis:
    """`redis-server` on a free port with persistence off; `stop` and `start` keep the port."""

    def __init__(self, workdir: Path) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.fail(
                "redis-server is not installed: the Redis fault test starts a private one "
                "(apt-get install -y redis-server). It is never skipped."
            )
        self.workdir = workdir
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        self._process = self._spawn()
        await wait_until(lambda: port_answers(self.port), timeout=START_TIMEOUT_S, what="redis")

    def _spawn(self) -> subprocess.Popen[bytes]:
        command = [self.binary or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)]
        with (self.workdir / "redis.log").open("ab") as log:
            return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

    async def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        await asyncio.to_thread(self._process.wait, 10)
        self._process = None
        await wait_until(lambda: not port_answers(self.port), timeout=5, what="redis to stop")


class PrivatePostgres:
    """A throw-away PostgreSQL cluster (initdb, trust auth) owned by the `postgres` user.

    PostgreSQL refuses to run as root, so as root every server command runs through
    `su postgres`; as any other user it runs directly (and owns the folder itself).
    """

    def __init__(self) -> None:
        self.bin = _postgres_bin()
        self.port = free_port()
        # Not under pytest's temporary folder: that one is private to the user running
        # the tests, and the cluster belongs to `postgres`.
        self.root = Path(tempfile.mkdtemp(prefix="teamflow-reliability-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self._as_root = os.geteuid() == 0

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    async def init(self) -> None:
        if self._as_root:
            shutil.chown(self.root, user="postgres", group="postgres")
            self.root.chmod(0o700)
        await self._run(
            [str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
        )

    async def start(self) -> None:
        await self._pg_ctl("start", "-w", "-t", "30")

    async def stop(self) -> None:
        """A fast shutdown: sessions are cut at once, as in a real database restart."""
        await self._pg_ctl("stop", "-m", "fast", "-w", "-t", "30")

    async def destroy(self) -> None:
        try:
            await self._pg_ctl("stop", "-m", "immediate", "-w", "-t", "30")
        except RuntimeError:
            pass  # already stopped
        shutil.rmtree(self.root, ignore_errors=True)

    async def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        command = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options]
        await self._run([*command, "-l", str(self.log), *extra, action])

    async def _run(self, command: list[str]) -> None:
        if self._as_root:
            command = ["su", "postgres", "-s", "/bin/sh", "-c", subprocess.list2cmdline(command)]
        done = await asyncio.to_thread(
            subprocess.run, command, capture_output=True, text=True, timeout=60, cwd=self.root
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            )


def _postgres_bin() -> Path:
    """The newest PostgreSQL server binaries under /usr/lib/postgresql (Debian's layout)."""
    versions = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not versions:
        pytest.fail(
            "No PostgreSQL server binaries under /usr/lib/postgresql/<version>/bin: the "
            "database restart test starts a private cluster (apt-get install -y postgresql). "
            "It is never skipped."
        )
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("Running as root, but there is no `postgres` user to own the cluster.")
    return versions[-1]
