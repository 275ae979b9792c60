"""The outage spool: a local append-only log that makes a callback durable without Postgres.

When Postgres is down or slow, accepted callbacks are appended here and fsync'd before the
provider gets its 200; a drainer later replays them into Postgres. Each process appends to its
own file and holds an exclusive flock on it while it does, so any process (including one started
after a crash) may replay every file that nobody holds. Replays are idempotent because every
entry keeps the id it was given at receipt.

What makes it deserve the word durable:

* A file is created under a temporary name, locked, and only then renamed to its `.spool` name,
  so no drainer can claim (and unlink) a file between its creation and its lock.
* The directory is fsync'd after every create, rename and unlink, so names survive a crash too.
* After any failed write or fsync the file is abandoned and the next append starts a new one:
  after a failed fsync the kernel may have dropped the dirty pages and cleared the error, so
  nothing written to that file later could be trusted (Postgres's "fsync gate" lesson), and a
  torn record can never be glued to the next acknowledged one.
* Replay and stats stream the files in bounded memory, in worker threads.
* An entry that cannot be read, or that Postgres refuses even as a raw request, is moved to the
  quarantine file with its reason, so it never blocks the entries behind it. `receiver spool`
  shows and requeues it.
* Files are 0600 and the directory 0700: entries hold phone numbers and message text.

File format: one JSON object per line. A torn last line can only come from a crash before the
fsync, i.e. from a callback that was never acknowledged; it is quarantined like any unreadable
line, so its bytes are kept.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import fcntl
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from receiver.callback import RawCallback

__all__ = ["QuarantinedEntry", "Spool", "SpoolStats"]

log = logging.getLogger("receiver.ingest.spool")

_SUFFIX = ".spool"
_QUARANTINE = "quarantine.jsonl"
_LEGACY_QUARANTINE = "rejected.jsonl"  # its name before `receiver spool` existed
_READ_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class SpoolStats:
    """Backlog and quarantine figures (for /readyz, /metrics and `receiver spool status`)."""

    files: int
    entries: int
    bytes: int
    quarantined: int = 0
    #: Receipt time of the oldest entry waiting for replay.
    oldest: datetime | None = None


@dataclass(frozen=True, slots=True)
class QuarantinedEntry:
    """A spool entry set aside: the request (None if its line could not be read) and why."""

    reason: str
    quarantined_at: str
    raw: RawCallback | None
    #: The line as it was in the spool when it could not be read.
    unreadable: bytes | None = None


def _record(raw: RawCallback) -> dict[str, Any]:
    return {
        "id": str(raw.id),
        "received_at": raw.received_at.isoformat(),
        "provider": raw.provider,
        "method": raw.method,
        "query": raw.query,
        "headers": raw.headers,
        "content_type": raw.content_type,
        "body": base64.b64encode(raw.body).decode("ascii"),
    }


def _from_record(record: dict[str, Any]) -> RawCallback:
    return RawCallback(
        id=uuid.UUID(record["id"]),
        received_at=datetime.fromisoformat(record["received_at"]),
        provider=record["provider"],
        method=record["method"],
        query=record["query"],
        headers=record["headers"],
        content_type=record["content_type"],
        body=base64.b64decode(record["body"], validate=True),
    )


def _line(record: dict[str, Any]) -> bytes:
    # ensure_ascii (the default) keeps any lone surrogate as an escape, never unencodable.
    return json.dumps(record, separators=(",", ":")).encode() + b"\n"


def _decode(line: bytes) -> RawCallback:
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    return _from_record(record)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _count_lines(handle: IO[bytes]) -> tuple[int, int]:
    """Bytes and newlines from the handle's position to the end, in bounded memory."""
    size = lines = 0
    while block := handle.read(_READ_BLOCK):
        size += len(block)
        lines += block.count(b"\n")
    return size, lines


class Spool:
    """Append (thread-safe, blocking: call it from a worker thread) and drain."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._stats_lock = threading.Lock()
        self._active: IO[bytes] | None = None
        self._active_path: Path | None = None
        #: Whether anything was fsync'd to the active file (an empty abandoned one is removed).
        self._active_holds_entries = False
        self._counted: dict[Path, tuple[int, int]] = {}

    # -- appending ------------------------------------------------------------------------

    def append(self, raws: Sequence[RawCallback]) -> None:
        """Append and fsync; when this returns the entries survive a crash or power loss.

        Raises OSError if they may not; the file is then abandoned (see the module docstring).
        """
        data = b"".join(_line(_record(raw)) for raw in raws)
        with self._lock:
            handle = self._active or self._open_new()
            try:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            except OSError:
                self._abandon_active()
                raise
            self._active_holds_entries = True

    def rotate(self) -> None:
        """Close this process's file so a drainer may take it."""
        with self._lock:
            if self._active is not None:
                self._active.close()  # closing releases the flock
                self._active = None
                self._active_path = None

    def _abandon_active(self) -> None:
        handle, self._active = self._active, None
        path, self._active_path = self._active_path, None
        if handle is None or path is None:
            return
        with contextlib.suppress(OSError):  # a failed flush may fail again on close
            handle.close()
        if not self._active_holds_entries:
            # Nothing in it was ever acknowledged: don't leave one empty file per failed
            # append while a disk is full.
            with contextlib.suppress(OSError):
                path.unlink()
            log.error("spool file %s removed after a failed first write", path.name)
        else:
            log.error("spool file %s abandoned after a failed write", path.name)

    def _ensure_directory(self) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.directory.stat().st_mode & 0o077:
            self.directory.chmod(0o700)

    def _create_locked(self, name: str) -> IO[bytes]:
        """A new 0600 file named `name`, already locked when the name appears."""
        self._ensure_directory()
        temporary = self.directory / f".{name}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        handle = os.fdopen(fd, "ab")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.rename(temporary, self.directory / name)
            _fsync_directory(self.directory)
        except BaseException:
            handle.close()
            for leftover in (temporary, self.directory / name):  # before or after the rename
                with contextlib.suppress(OSError):
                    leftover.unlink()
            raise
        return handle

    def _open_new(self) -> IO[bytes]:
        name = f"{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}{_SUFFIX}"
        self._active = self._create_locked(name)
        self._active_path = self.directory / name
        self._active_holds_entries = False
        return self._active

    # -- quarantine -----------------------------------------------------------------------

    def quarantine(self, raw: RawCallback, reason: str) -> None:
        """Set aside an entry that Postgres refuses even raw; it stays on disk, never retried
        until requeued."""
        self._quarantine({"reason": reason, "entry": _record(raw)})

    def _quarantine_line(self, line: bytes, reason: str) -> None:
        encoded = base64.b64encode(line).decode("ascii")
        self._quarantine({"reason": reason, "unreadable": encoded})

    def _quarantine(self, record: dict[str, Any]) -> None:
        record["quarantined_at"] = datetime.now(UTC).isoformat()
        self._ensure_directory()
        path = self.directory / _QUARANTINE
        created = not path.exists()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "ab") as handle:
            fcntl.flock(fd, fcntl.LOCK_EX)  # requeue rewrites the file under this lock
            handle.write(_line(record))
            handle.flush()
            os.fsync(fd)
        if created:
            _fsync_directory(self.directory)

    def _quarantine_files(self) -> list[Path]:
        paths = (self.directory / _QUARANTINE, self.directory / _LEGACY_QUARANTINE)
        return [path for path in paths if path.exists()]

    def quarantined(self) -> Iterator[QuarantinedEntry]:
        """Every quarantined entry, oldest first, streamed."""
        for path in self._quarantine_files():
            with open(path, "rb") as handle:
                for line in handle:
                    if line.strip():
                        yield _quarantined_entry(line)

    def requeue(self) -> int:
        """Move every readable quarantined entry back into the backlog (e.g. after a fix), for
        the next drain to replay; unreadable lines stay. Returns the number moved."""
        moved = 0
        for path in self._quarantine_files():
            with open(path, "r+b") as source:
                fcntl.flock(source.fileno(), fcntl.LOCK_EX)
                kept: list[bytes] = []
                target: IO[bytes] | None = None
                try:
                    for line in source:
                        if not line.strip():
                            continue
                        entry = _quarantined_entry(line)
                        if entry.raw is None:
                            kept.append(line)
                            continue
                        if target is None:
                            name = f"{time.time_ns():020d}-{os.getpid()}-requeue{_SUFFIX}"
                            target = self._create_locked(name)
                        target.write(_line(_record(entry.raw)))
                        moved += 1
                    if target is not None:
                        target.flush()
                        os.fsync(target.fileno())
                finally:
                    if target is not None:
                        target.close()
                # Only now that the backlog has them durably: drop them from the quarantine.
                source.seek(0)
                source.truncate()
                source.write(b"".join(kept))
                source.flush()
                os.fsync(source.fileno())
        return moved

    # -- figures --------------------------------------------------------------------------

    def _files(self) -> list[Path]:
        if not self.directory.exists():
            return []
        return sorted(self.directory.glob(f"*{_SUFFIX}"))

    def stats(self) -> SpoolStats:
        """Backlog figures, streamed; each file's lines are counted once, then only what was
        appended. Blocking: call it from a worker thread."""
        with self._stats_lock:
            files = entries = size = 0
            oldest: datetime | None = None
            counted: dict[Path, tuple[int, int]] = {}
            for path in self._files():
                try:
                    with open(path, "rb") as handle:
                        seen, lines = self._counted.get(path, (0, 0))
                        if oldest is None:
                            oldest = _first_received_at(handle)
                        handle.seek(seen)
                        grown, new_lines = _count_lines(handle)
                except FileNotFoundError:
                    continue
                counted[path] = (seen + grown, lines + new_lines)
                files += 1
                size, entries = size + counted[path][0], entries + counted[path][1]
            self._counted = counted  # forget files that were replayed and removed
            quarantined = 0
            for path in self._quarantine_files():
                with contextlib.suppress(FileNotFoundError), open(path, "rb") as handle:
                    quarantined += _count_lines(handle)[1]
        return SpoolStats(files, entries, size, quarantined, oldest)

    def has_entries(self) -> bool:
        for path in self._files():
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_size > 0:
                    return True
        return False

    # -- replay ---------------------------------------------------------------------------

    async def drain(
        self, write: Callable[[list[RawCallback]], Awaitable[None]], chunk: int = 500
    ) -> int:
        """Replay every file no other process holds, oldest first; returns entries replayed.

        Files are read `chunk` entries at a time in a worker thread. A file is deleted only after
        all its entries are written. If `write` raises the file stays for the next attempt;
        entries already written are harmless to write again.
        """
        replayed = 0
        for path in await asyncio.to_thread(self._files):
            handle = await asyncio.to_thread(self._claim, path)
            if handle is None:
                continue
            stuck: list[bytes] = []
            try:
                while raws := await asyncio.to_thread(self._read_chunk, handle, path, chunk, stuck):
                    await write(raws)
                    replayed += len(raws)
                await asyncio.to_thread(self._finish, path, stuck)
            finally:
                handle.close()
        return replayed

    def _claim(self, path: Path) -> IO[bytes] | None:
        """`path` opened and locked, or None if another process (or this one) holds it."""
        try:
            handle = open(path, "rb")  # noqa: SIM115 - lock held for the whole replay
        except FileNotFoundError:
            return None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None  # a live process is appending to it or replaying it
        if not path.exists():
            handle.close()
            return None  # replayed and removed by another process meanwhile
        return handle

    def _read_chunk(
        self, handle: IO[bytes], path: Path, chunk: int, stuck: list[bytes]
    ) -> list[RawCallback]:
        """Up to `chunk` entries; unreadable lines go to the quarantine, or to `stuck` if
        the quarantine cannot be written (a full disk). [] at the end."""
        batch: list[RawCallback] = []
        while len(batch) < chunk:
            line = handle.readline()
            if not line:
                break
            if not line.strip():
                continue
            try:
                batch.append(_decode(line))
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("unreadable line in spool file %s quarantined: %s", path.name, exc)
                try:
                    self._quarantine_line(line, f"unreadable spool line in {path.name}: {exc}")
                except OSError as error:
                    # Never let it hold up the entries around it: they are replayed now, and
                    # the file keeps only this line until the quarantine can take it.
                    log.error("cannot quarantine a line of %s (%s)", path.name, error)
                    stuck.append(line)
        return batch

    def _finish(self, path: Path, stuck: list[bytes]) -> None:
        """Remove a replayed file, or shrink it to the lines that could not be quarantined
        (which needs no new space) so the next drain tries them again."""
        if stuck:
            with open(path, "r+b") as handle:
                handle.truncate(0)
                handle.write(b"".join(stuck))
                handle.flush()
                os.fsync(handle.fileno())
            return
        path.unlink()
        _fsync_directory(self.directory)


def _first_received_at(handle: IO[bytes]) -> datetime | None:
    line = handle.readline()
    try:
        return _decode(line).received_at
    except (ValueError, KeyError, TypeError):
        return None


def _quarantined_entry(line: bytes) -> QuarantinedEntry:
    """A quarantine line; lines written before reasons were kept are bare entries."""
    try:
        record = json.loads(line)
    except ValueError:
        return QuarantinedEntry("unreadable quarantine line", "", None, line)
    if not isinstance(record, dict):
        return QuarantinedEntry("unreadable quarantine line", "", None, line)
    reason = str(record.get("reason", "refused by Postgres"))
    at = str(record.get("quarantined_at", ""))
    if "unreadable" in record:
        try:
            original = base64.b64decode(record["unreadable"])
        except ValueError:
            original = line
        return QuarantinedEntry(reason, at, None, original)
    try:
        return QuarantinedEntry(reason, at, _from_record(record.get("entry", record)))
    except (ValueError, KeyError, TypeError):
        return QuarantinedEntry(reason, at, None, line)
