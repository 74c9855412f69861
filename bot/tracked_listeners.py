"""Listener work registered with BackgroundWork, so shutdown waits for it.

With `process_before_response=False` Bolt runs each listener in a task of its own and
answers Slack as soon as it acks; the work after the ack belongs to no request. Bolt
calls the listener start handler first inside that task, before the listener can ack,
which makes it the place to register the task. Lazy listeners get a runner that
registers the tasks it starts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from logging import Logger

from slack_bolt.async_app import AsyncApp
from slack_bolt.lazy_listener.async_internals import to_runnable_function
from slack_bolt.lazy_listener.async_runner import AsyncLazyListenerRunner
from slack_bolt.listener.async_listener_start_handler import AsyncListenerStartHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from core.background_work import BackgroundWork


def track_listeners(app: AsyncApp, work: BackgroundWork) -> None:
    runner = app.listener_runner
    runner.listener_start_handler = _TrackListenerTask(work)
    runner.lazy_listener_runner = _TrackedLazyListenerRunner(runner.logger, work)


class _TrackListenerTask(AsyncListenerStartHandler):
    def __init__(self, work: BackgroundWork) -> None:
        self._work = work

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._work.track(task)


class _TrackedLazyListenerRunner(AsyncLazyListenerRunner):
    def __init__(self, logger: Logger, work: BackgroundWork) -> None:
        self.logger = logger
        self._work = work

    def start(self, function: Callable[..., Awaitable[None]], request: AsyncBoltRequest) -> None:
        self._work.start(
            to_runnable_function(internal_func=function, logger=self.logger, request=request)
        )
