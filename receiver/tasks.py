"""Stopping background tasks for certain."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

__all__ = ["cancel_and_wait"]


async def cancel_and_wait(tasks: Sequence[asyncio.Task[Any]]) -> None:
    """Cancel `tasks` and return once every one has ended.

    One cancellation is not always enough: on Python 3.11, `asyncio.wait_for` returns (or
    raises) the inner result instead of CancelledError when the inner call finishes in the same
    loop iteration as the cancel, and a loop around it then runs on for good. So cancel again
    until each task has ended.
    """
    pending = [task for task in tasks if not task.done()]
    while pending:
        for task in pending:
            task.cancel()
        await asyncio.wait(pending, timeout=0.1)
        pending = [task for task in pending if not task.done()]
