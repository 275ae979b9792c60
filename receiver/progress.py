"""Progress bars for commands that can take a while; silent when stderr is not a terminal.

    with progress(total, "re-reading callbacks") as bar:
        for chunk in work:
            ...
            bar.advance(len(chunk))

`total` may be None when it is not known up front (the bar then just counts). Output goes to
stderr, so a command's stdout stays the same whether or not anyone is watching.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

__all__ = ["Progress", "interactive", "progress"]


class Progress(Protocol):
    def advance(self, amount: float = 1) -> None: ...

    def update(self, *, completed: float | None = None, total: float | None = None) -> None: ...


class _Silent:
    def advance(self, amount: float = 1) -> None:
        pass

    def update(self, *, completed: float | None = None, total: float | None = None) -> None:
        pass


class _Bar:
    def __init__(self, bar: object, task: object) -> None:
        self._bar = bar
        self._task = task

    def advance(self, amount: float = 1) -> None:
        self._bar.advance(self._task, amount)  # type: ignore[attr-defined]

    def update(self, *, completed: float | None = None, total: float | None = None) -> None:
        self._bar.update(self._task, completed=completed, total=total)  # type: ignore[attr-defined]


def interactive() -> bool:
    """Whether a person is watching stderr (a terminal), so progress is worth drawing."""
    return sys.stderr.isatty()


@contextmanager
def progress(total: float | None, description: str) -> Iterator[Progress]:
    """A rich progress bar on a terminal, else an object whose methods do nothing."""
    if not interactive():
        yield _Silent()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import (
        Progress as RichProgress,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with RichProgress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield _Bar(bar, task)
