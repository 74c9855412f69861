"""The registry of work that outlives its request, drained at shutdown."""

import asyncio

from core.background_work import BackgroundWork


async def test_drain_waits_for_work_and_for_work_it_starts():
    work = BackgroundWork()
    finished: list[str] = []

    async def step(name: str, then: str | None = None) -> None:
        await asyncio.sleep(0.05)
        if then:
            work.start(step(then))
        finished.append(name)

    work.start(step("first", then="second"))
    assert await work.drain(timeout=2) == 0
    assert finished == ["first", "second"]
    assert len(work) == 0


async def test_drain_cancels_what_outlasts_the_timeout():
    work = BackgroundWork()
    hung = work.start(asyncio.sleep(60))
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await work.drain(timeout=0.1) == 1
    assert loop.time() - started < 1
    assert hung.cancelled()


async def test_a_tracked_task_is_forgotten_once_done():
    work = BackgroundWork()
    task = asyncio.ensure_future(asyncio.sleep(0))
    work.track(task)
    assert len(work) == 1
    await task
    await asyncio.sleep(0)
    assert len(work) == 0
    assert await work.drain(timeout=0) == 0
