"""The outage spool: a local append-only log that makes a callback durable without Postgres.

When Postgres is down or slow, accepted callbacks are appended here and fsync'd before the
provider gets its 200; a drainer later replays them into Postgres. Each process appends to its
own file and holds an exclusive flock on it while it does, so any process (including one started
after a crash) may replay every file that nobody holds. Replays are idempotent because every
entry keeps the id it was given at receipt.

File format: one JSON object per line. A torn last line can only come from a crash before the
fsync, i.e. from a callback that was never acknowledged, so it is skipped.
"""

from __future__ import annotations

import base64
import fcntl
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from receiver.callback import RawCallback

__all__ = ["Spool", "SpoolStats"]

log = logging.getLogger("receiver.spool")

_SUFFIX = ".spool"
_REJECTED = "rejected.jsonl"


@dataclass(frozen=True, slots=True)
class SpoolStats:
    files: int
    entries: int
    bytes: int


def _encode(raw: RawCallback) -> bytes:
    record = {
        "id": str(raw.id),
        "received_at": raw.received_at.isoformat(),
        "provider": raw.provider,
        "method": raw.method,
        "query": raw.query,
        "headers": raw.headers,
        "content_type": raw.content_type,
        "body": base64.b64encode(raw.body).decode("ascii"),
    }
    return json.dumps(record, separators=(",", ":")).encode() + b"\n"


def _decode(line: bytes) -> RawCallback:
    record = json.loads(line)
    return RawCallback(
        id=uuid.UUID(record["id"]),
        received_at=datetime.fromisoformat(record["received_at"]),
        provider=record["provider"],
        method=record["method"],
        query=record["query"],
        headers=record["headers"],
        content_type=record["content_type"],
        body=base64.b64decode(record["body"]),
    )


class Spool:
    """Append (thread-safe, blocking: call it from a worker thread) and drain."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._active: IO[bytes] | None = None
        self._counted: dict[Path, tuple[int, int]] = {}

    def append(self, raws: Sequence[RawCallback]) -> None:
        """Append and fsync; when this returns the entries survive a crash or power loss."""
        data = b"".join(_encode(raw) for raw in raws)
        with self._lock:
            handle = self._active or self._open_new()
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    def reject(self, raw: RawCallback) -> None:
        """Keep an entry Postgres refuses outright where replays will not retry it."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.directory / _REJECTED, "ab") as handle:
            handle.write(_encode(raw))
            handle.flush()
            os.fsync(handle.fileno())

    def rotate(self) -> None:
        """Close this process's file so a drainer may take it."""
        with self._lock:
            if self._active is not None:
                self._active.close()  # closing releases the flock
                self._active = None

    def _open_new(self) -> IO[bytes]:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}{_SUFFIX}"
        handle = open(self.directory / name, "ab")  # noqa: SIM115 - kept open across appends
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        # The new file's name must be durable too, or a crash could lose the whole file.
        dir_fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        self._active = handle
        return handle

    def _files(self) -> list[Path]:
        if not self.directory.exists():
            return []
        return sorted(self.directory.glob(f"*{_SUFFIX}"))

    def stats(self) -> SpoolStats:
        """Backlog figures; each file's lines are counted once, then only what was appended."""
        files = entries = size = 0
        counted: dict[Path, tuple[int, int]] = {}
        for path in self._files():
            try:
                with open(path, "rb") as handle:
                    seen, lines = self._counted.get(path, (0, 0))
                    handle.seek(seen)
                    tail = handle.read()
            except FileNotFoundError:
                continue
            counted[path] = (seen + len(tail), lines + tail.count(b"\n"))
            files += 1
            size, entries = size + counted[path][0], entries + counted[path][1]
        self._counted = counted  # forget files that were replayed and removed
        return SpoolStats(files=files, entries=entries, bytes=size)

    def has_entries(self) -> bool:
        return any(path.stat().st_size > 0 for path in self._files() if path.exists())

    async def drain(
        self, write: Callable[[list[RawCallback]], Awaitable[None]], chunk: int = 500
    ) -> int:
        """Replay every file no other process holds, oldest first; returns entries replayed.

        A file is deleted only after all its entries are written. If `write` fails the file
        stays for the next attempt; entries already written are harmless to write again.
        """
        replayed = 0
        for path in self._files():
            for raws in self._claimed_chunks(path, chunk):
                await write(raws)
                replayed += len(raws)
        return replayed

    def _claimed_chunks(self, path: Path, chunk: int) -> Iterator[list[RawCallback]]:
        with self._lock:
            if self._active is not None and os.path.samefile(self._active.name, path):
                return
        try:
            handle = open(path, "rb")  # noqa: SIM115 - lock held for the whole replay
        except FileNotFoundError:
            return
        with handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another live process is appending to it or replaying it
            if not path.exists():
                return  # replayed and removed by another process meanwhile
            lines = handle.read().split(b"\n")
            batch: list[RawCallback] = []
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    batch.append(_decode(line))
                except (ValueError, KeyError, TypeError):
                    log.warning("skipping unreadable spool line %s:%d", path.name, number)
                    continue
                if len(batch) >= chunk:
                    yield batch
                    batch = []
            if batch:
                yield batch
            path.unlink()
