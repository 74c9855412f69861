"""py-spy flame graphs of a server while it is under load (`--profile`)."""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from benchmarks.servers import Server


@asynccontextmanager
async def recording(server: Server, path: Path | None, seconds: float) -> AsyncIterator[None]:
    """Record every worker of `server` for `seconds` into `path`, an SVG flame graph, or
    collapsed stacks (py-spy's raw format, for flamegraph.pl or speedscope) when it ends
    in .txt; no-op for None."""
    spy = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if path is None or spy is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    process = await asyncio.create_subprocess_exec(
        spy,
        "record",
        "--pid",
        str(server.process.pid),
        "--subprocesses",
        "--nonblocking",
        "--rate",
        "50",
        "--duration",
        str(max(1, int(seconds))),
        "--format",
        "raw" if path.suffix == ".txt" else "flamegraph",
        "--output",
        str(path),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        await process.wait()
