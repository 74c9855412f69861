"""Work that outlives the request that started it, finished before the process exits.

A Slack listener acknowledges within Slack's three seconds and goes on working in a task
of its own (creating the task, asking Slack about a new user, answering on the
response_url). Hypercorn's graceful shutdown waits only for requests, and Slack does not
resend an acknowledged command, so such work still going on at SIGTERM would be lost.
Each of those tasks is tracked here and awaited, for a bounded time, at shutdown.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)

CANCEL_GRACE_SECONDS = 1.0  # for a cancelled task's own clean-up


class BackgroundWork:
    """The tasks still running after their answer was sent."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def track(self, task: asyncio.Task[Any]) -> None:
        """Keep `task` until it is done (this also keeps it from being garbage collected)."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def start(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(work)
        self.track(task)
        return task

    async def drain(self, *, timeout: float) -> int:
        """Wait up to `timeout` seconds for every tracked task, including any started while
        waiting; cancel what is still running then. Returns how many were cut short."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        if self._running():
            log.info("waiting up to %.1f s for %d background task(s)", timeout, len(self))
        while (pending := self._running()) and (left := deadline - loop.time()) > 0:
            await asyncio.wait(pending, timeout=left)
        unfinished = self._running()
        for task in unfinished:
            task.cancel()
        if unfinished:
            log.warning("shutdown cut %d background task(s) short", len(unfinished))
            await asyncio.wait(unfinished, timeout=CANCEL_GRACE_SECONDS)
        return len(unfinished)

    def _running(self) -> set[asyncio.Task[Any]]:
        current = asyncio.current_task()
        return {task for task in self._tasks if not task.done() and task is not current}


async def pause(seconds: float) -> None:
    """Sleep between rounds of a loop that must stop when its task is cancelled.

    A cancellation that arrives while a round talks to Redis or the database can be
    turned into an ordinary error by a client library and swallowed by the round's error
    handling; the task then keeps looping and whoever awaits it (shutdown) waits for
    ever. A task asked to stop stops here instead."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
    await asyncio.sleep(seconds)
