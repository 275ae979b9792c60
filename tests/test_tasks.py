"""Background tasks stop for certain, even when one swallows a cancellation."""

from __future__ import annotations

import asyncio
import contextlib

from receiver.tasks import cancel_and_wait


async def test_a_task_that_swallows_one_cancellation_still_stops() -> None:
    swallowed = 0

    async def loop() -> None:
        # What asyncio.wait_for does on Python 3.11 when its inner call finishes as the
        # cancel arrives: the cancellation is lost and the loop runs on.
        nonlocal swallowed
        while True:
            try:
                await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                if swallowed:
                    raise
                swallowed += 1

    task = asyncio.create_task(loop())
    await asyncio.sleep(0.02)
    await asyncio.wait_for(cancel_and_wait([task]), 5)
    assert task.cancelled()
    assert swallowed == 1


async def test_finished_tasks_are_left_as_they_are() -> None:
    async def done() -> int:
        return 1

    task = asyncio.create_task(done())
    await asyncio.sleep(0)
    await cancel_and_wait([task])
    assert task.result() == 1
    with contextlib.suppress(asyncio.CancelledError):
        await task
