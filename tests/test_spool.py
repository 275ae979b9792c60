"""The spool on its own: durability rules, quarantine, claims between processes, full disks."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from receiver.callback import RawCallback, new_callback_id, now_utc
from receiver.ingest.spool import Spool
from receiver.tokens import load_or_create_token
from tests.processes import receiver_env, run_cli


def raw(n: int) -> RawCallback:
    body = f"message_id={n}&message_state=delivered".encode()
    return RawCallback(
        new_callback_id(), now_utc(), "smartswitch", "POST", "", {}, "text/plain", body
    )


def drain_all(spool: Spool) -> list[RawCallback]:
    replayed: list[RawCallback] = []

    async def write(raws: list[RawCallback]) -> None:
        replayed.extend(raws)

    asyncio.run(spool.drain(write, chunk=7))
    return replayed


def test_append_then_drain_replays_in_order_and_removes_files(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    sent = [raw(n) for n in range(50)]
    spool.append(sent[:20])
    spool.rotate()
    spool.append(sent[20:])
    spool.rotate()
    stats = spool.stats()
    assert (stats.files, stats.entries, stats.oldest) == (2, 50, sent[0].received_at)
    assert drain_all(spool) == sent
    assert spool.stats().entries == 0
    assert list((tmp_path / "spool").iterdir()) == []


def test_files_and_directory_are_private(tmp_path: Path) -> None:
    directory = tmp_path / "spool"
    directory.mkdir(mode=0o755)
    os.chmod(directory, 0o755)
    spool = Spool(directory)
    spool.append([raw(1)])
    spool.quarantine(raw(2), "test")
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    for path in directory.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_torn_last_line_is_quarantined_not_lost_and_not_blocking(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    spool.append([raw(1), raw(2)])
    spool.rotate()
    [path] = (tmp_path / "spool").glob("*.spool")
    with open(path, "ab") as handle:
        handle.write(b'{"id": "0190')  # a crash before the fsync of an unacknowledged entry
    assert [r.body for r in drain_all(spool)] == [raw(1).body, raw(2).body]
    [entry] = spool.quarantined()
    assert entry.unreadable == b'{"id": "0190'
    assert entry.raw is None


def test_a_file_being_appended_is_never_claimed(tmp_path: Path) -> None:
    writer, other = Spool(tmp_path), Spool(tmp_path)
    writer.append([raw(1)])
    assert drain_all(other) == []  # held by the writer's flock
    writer.rotate()
    assert len(drain_all(other)) == 1


def test_a_failed_fsync_abandons_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spool = Spool(tmp_path)
    first, doubtful, third = raw(1), raw(2), raw(3)
    spool.append([first])
    real_fsync = os.fsync
    calls = []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        spool.append([doubtful])
    spool.append([third])
    monkeypatch.setattr(os, "fsync", real_fsync)
    files = sorted(tmp_path.glob("*.spool"))
    # The next entry went to a new file, never after the doubtful one.
    assert [spool_ids(path) for path in files] == [
        [str(first.id), str(doubtful.id)],
        [str(third.id)],
    ]
    spool.rotate()
    assert {first.id, third.id} <= {r.id for r in drain_all(spool)}


def spool_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_bytes().splitlines()]


def test_creation_cannot_be_raced_by_a_drainer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process's drainer runs exactly between a new file's creation and its lock: it
    must not find the file, or it would claim it empty and unlink it under the writer."""
    writer, drainer = Spool(tmp_path), Spool(tmp_path)
    real_flock = fcntl.flock
    swept: list[RawCallback] = []

    def flock_after_a_sweep(fd: int, operation: int) -> None:
        monkeypatch.setattr(fcntl, "flock", real_flock)
        swept.extend(drain_all(drainer))  # the other process, right now
        real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock_after_a_sweep)
    entry = raw(1)
    writer.append([entry])
    writer.rotate()
    assert swept == []
    assert [r.id for r in drain_all(drainer)] == [entry.id]


def test_rotation_during_a_drain(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    sent = [raw(n) for n in range(20)]
    spool.append(sent)
    spool.rotate()
    replayed: list[RawCallback] = []

    async def write(raws: list[RawCallback]) -> None:
        replayed.extend(raws)
        arrival = raw(100 + len(replayed))  # a new arrival while replaying, in a new file
        sent.append(arrival)
        spool.append([arrival])
        spool.rotate()

    asyncio.run(spool.drain(write, chunk=5))
    rest = drain_all(spool)
    assert len(sent) == 24
    assert sorted(r.id for r in replayed + rest) == sorted(r.id for r in sent)
    assert spool.stats().entries == 0


_CLAIMER = """
import asyncio, sys
from pathlib import Path
from receiver.ingest.spool import Spool
seen = []
async def write(raws):
    seen.extend(str(r.id) for r in raws)
    await asyncio.sleep(0.001)
asyncio.run(Spool(Path(sys.argv[1])).drain(write, chunk=10))
Path(sys.argv[2]).write_text("\\n".join(seen))
"""


def test_two_processes_draining_replay_each_entry_once(tmp_path: Path) -> None:
    directory = tmp_path / "spool"
    spool = Spool(directory)
    sent = [raw(n) for n in range(400)]
    for n in range(0, 400, 20):
        spool.append(sent[n : n + 20])
        spool.rotate()
    outputs = [tmp_path / "a.txt", tmp_path / "b.txt"]
    processes = [
        subprocess.Popen([sys.executable, "-c", _CLAIMER, str(directory), str(out)])
        for out in outputs
    ]
    for process in processes:
        assert process.wait(60) == 0
    ids = [line for out in outputs for line in out.read_text().split("\n") if line]
    assert sorted(ids) == sorted(str(r.id) for r in sent)  # every one, none twice


_FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from receiver.callback import RawCallback, new_callback_id, now_utc
from receiver.ingest.spool import Spool
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
spool = Spool(Path(sys.argv[1]))
acked = []
failures = 0
for n in range(400):
    raw = RawCallback(new_callback_id(), now_utc(), "smpp", "POST", "", {}, None, b"x" * 300)
    try:
        spool.append([raw])
    except OSError:
        failures += 1
        if failures > 3:
            break
        continue
    acked.append(str(raw.id))
Path(sys.argv[2]).write_text("\\n".join(acked))
print(failures)
"""


def test_a_full_disk_loses_nothing_acknowledged(tmp_path: Path) -> None:
    """RLIMIT_FSIZE stands in for ENOSPC: each failed append abandons its file; every entry
    that was acknowledged is readable afterwards and no torn record is glued to another."""
    directory, acked_file = tmp_path / "spool", tmp_path / "acked.txt"
    result = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(directory), str(acked_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert int(result.stdout) > 0  # the limit was hit
    acked = set(acked_file.read_text().split("\n"))
    replayed = {str(r.id) for r in drain_all(Spool(directory))}
    assert acked <= replayed
    assert len(list(directory.glob("*.spool"))) == 0
    assert all(entry.raw is None for entry in Spool(directory).quarantined())


def test_spool_command_shows_and_requeues_the_quarantine(tmp_path: Path) -> None:
    directory = tmp_path / "spool"
    spool = Spool(directory)
    spool.append([raw(1), raw(2)])
    spool.rotate()
    refused = raw(3)
    spool.quarantine(refused, "CheckViolation: refused by Postgres")
    env = receiver_env(RECEIVER_SPOOL_DIR=str(directory), DATABASE_URL="postgresql://x@h/db")

    status = run_cli("spool", "status", env=env, cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    assert "backlog:     2 entries in 1 files" in status.stdout
    assert "quarantined: 1" in status.stdout

    shown = run_cli("spool", "show", env=env, cwd=tmp_path)
    assert str(refused.id) in shown.stdout
    assert "CheckViolation: refused by Postgres" in shown.stdout

    requeued = run_cli("spool", "requeue", env=env, cwd=tmp_path)
    assert "requeued 1 " in requeued.stdout
    assert (spool.stats().entries, spool.stats().quarantined) == (3, 0)
    assert "the quarantine is empty" in run_cli("spool", "show", env=env, cwd=tmp_path).stdout
    assert refused.id in {r.id for r in drain_all(spool)}


def test_the_generated_token_file_is_private_from_the_start(tmp_path: Path) -> None:
    token = load_or_create_token(tmp_path / "data")
    path = tmp_path / "data" / "callback_token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == token + "\n"
    assert load_or_create_token(tmp_path / "data") == token
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["callback_token"]


def test_a_full_disk_under_the_quarantine_holds_up_no_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The torn line a full disk leaves cannot be quarantined on that same disk: the entries
    around it are replayed anyway, and the file keeps only that line until it can be."""
    spool = Spool(tmp_path)
    sent = [raw(n) for n in range(5)]
    spool.append(sent)
    spool.rotate()
    [path] = tmp_path.glob("*.spool")
    with open(path, "ab") as handle:
        handle.write(b'{"id": "torn')

    def full(line: bytes, reason: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(spool, "_quarantine_line", full)
    assert [r.id for r in drain_all(spool)] == [r.id for r in sent]
    assert path.read_bytes() == b'{"id": "torn'  # shrunk to what is left to set aside
    monkeypatch.undo()
    assert drain_all(spool) == []
    assert not path.exists()
    assert [entry.unreadable for entry in spool.quarantined()] == [b'{"id": "torn']


def test_an_append_that_fails_on_a_new_file_leaves_no_empty_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = Spool(tmp_path)

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", full)
    for _ in range(3):
        with pytest.raises(OSError):
            spool.append([raw(1)])
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert list(tmp_path.glob("*.spool")) == []
