"""The fault matrix: faults under load, each row checking that nothing acknowledged is lost.

    .venv/bin/python -m bench.faults [--outage 30] [--blackhole 30] [--rows i,iv,vi] [--keep]

Every request carries a unique message id, so afterwards each acknowledged id must be stored
exactly once. Each row prints acked / stored / lost / duplicated; 0 lost and 0 duplicated is
the expectation everywhere. The load generator and process helpers are the test suite's
(tests/processes.py). bench/README.md describes every row and has the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.blackhole import Blackhole
from bench.load import run_wrk
from bench.pg import BenchDatabase
from bench.servers import tree_pids
from receiver.callback import RawCallback, new_callback_id
from receiver.ingest.spool import Spool
from tests.processes import (
    Load,
    Server,
    Servers,
    free_port,
    receiver_env,
    start_postgres,
    stop_postgres,
)

TOKEN = "bench-token-0123456789abcdefghij"
ROWS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii")
#: A request that gets no answer at all (connection refused or reset, timeout).
NO_ANSWER = -1


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a row's load left in Postgres, counted by the load ids it acknowledged."""

    acked: int
    #: Distinct load ids among the stored raw requests (acked ones, and some in flight that
    #: were never answered).
    stored: int
    #: Acked, and no raw request in Postgres.
    lost: int
    #: Ids whose raw request is stored more than once.
    duplicated: int
    #: Acked ids with no delivery event once the projection queue was empty, and ids with
    #: more than one.
    events_missing: int
    events_twice: int
    #: Seconds until the projection queue was empty (None: this schema has no queue).
    projected_in: float | None
    #: The acked ids whose raw request is not stored.
    missing: frozenset[str] = frozenset()

    def __str__(self) -> str:
        projected = (
            "" if self.projected_in is None else f", queue empty after {self.projected_in:.1f} s"
        )
        return (
            f"acked {self.acked}, stored {self.stored}, lost {self.lost}, "
            f"duplicated {self.duplicated} (events: {self.events_missing} missing, "
            f"{self.events_twice} twice{projected})"
        )


#: The load id in a stored CDYNE receipt body.
_LOAD_ID = "substring(convert_from(body, 'UTF8') from 'MessageID=(load-[0-9]+-[0-9]+)')"


def _query(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql.encode()).fetchall()


def wait_projected(url: str, timeout: float = 180.0) -> float | None:
    """Seconds until `projection_queue` is empty (events are projected behind the ack), or None
    where the schema has no queue (events were written with the ack)."""
    [(queue,)] = _query(url, "SELECT to_regclass('projection_queue')")
    if queue is None:
        return None
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        [(left,)] = _query(url, "SELECT count(*) FROM projection_queue")
        if left == 0:
            break
        time.sleep(0.2)
    return time.monotonic() - started


def verdict(url: str, acked: list[str]) -> Verdict:
    """Raw requests by load id (what a 200 promises), then events once projected."""
    raw = Counter(
        str(row[0])
        for row in _query(url, f"SELECT {_LOAD_ID} FROM callbacks WHERE {_LOAD_ID} IS NOT NULL")
    )
    projected_in = wait_projected(url)
    found = _query(url, "SELECT message_id FROM delivery_events WHERE message_id LIKE 'load-%'")
    events = Counter(str(row[0]) for row in found)
    missing = frozenset(message_id for message_id in acked if raw[message_id] == 0)
    return Verdict(
        acked=len(acked),
        stored=len(raw),
        lost=len(missing),
        duplicated=sum(1 for count in raw.values() if count > 1),
        events_missing=sum(1 for message_id in acked if events[message_id] == 0),
        events_twice=sum(1 for count in events.values() if count > 1),
        projected_in=projected_in,
        missing=missing,
    )


def wait_drained(spool: Path, timeout: float = 120.0) -> float:
    started = time.monotonic()
    while any(spool.glob("*.spool")) and time.monotonic() - started < timeout:
        time.sleep(0.2)
    return time.monotonic() - started


def spooled_ids(spool: Path) -> set[str]:
    """The load ids of the CDYNE receipts still waiting in `spool`'s files."""
    found: set[str] = set()
    for path in spool.glob("*.spool"):
        for line in path.read_bytes().splitlines():
            try:
                body = base64.b64decode(json.loads(line)["body"])
            except (ValueError, KeyError, TypeError):
                continue
            match = re.search(rb"MessageID=(load-[0-9]+-[0-9]+)", body)
            if match:
                found.add(match.group(1).decode())
    return found


def stop(server: Server, timeout: float = 30) -> str:
    """SIGTERM, then SIGKILL after `timeout`; says which it took."""
    if server.proc.poll() is not None:
        return f"had exited with {server.proc.returncode}"
    started = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    try:
        code = server.proc.wait(timeout)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(10)
        return f"did not stop within {timeout:.0f} s of SIGTERM; killed"
    return f"stopped in {time.monotonic() - started:.1f} s (exit {code})"


class PhasedLoad(Load):
    """`Load` that also records every answer, its latency and requests never answered, by the
    phase the harness is in when each request started."""

    def __init__(self, url: str, clients: int = 16, timeout: float = 60.0) -> None:
        super().__init__(url, clients)
        self.timeout = timeout
        self.phase = "before"
        self.answers: defaultdict[str, Counter[int]] = defaultdict(Counter)
        self.seconds: defaultdict[str, list[float]] = defaultdict(list)

    def __enter__(self) -> PhasedLoad:
        super().__enter__()
        return self

    def worst(self, phase: str) -> float:
        return max(self.seconds[phase], default=0.0)

    def p99(self, phase: str) -> float:
        values = self.seconds[phase]
        if len(values) < 2:
            return max(values, default=0.0)
        return statistics.quantiles(values, n=100)[98]

    def summary(self, phase: str) -> str:
        answers = {("none" if k == NO_ANSWER else k): v for k, v in self.answers[phase].items()}
        return (
            f"answers {dict(sorted(answers.items(), key=str))}, worst {self.worst(phase):.2f} s, "
            f"p99 {self.p99(phase) * 1000:.0f} ms"
        )

    async def _run(self) -> None:
        limits = httpx.Limits(max_connections=self.clients)
        async with httpx.AsyncClient(timeout=self.timeout, limits=limits) as client:
            await asyncio.gather(*(self._client(client, n) for n in range(self.clients)))

    async def _client(self, client: httpx.AsyncClient, number: int) -> None:
        sequence = 0
        while not self._stop.is_set():
            sequence += 1
            message_id = f"load-{number}-{sequence}"
            body = (
                f"DeliveryReceipt=1&MessageID={message_id}&ReferenceID=&FromPhoneNumber=74121"
                "&ToPhoneNumber=17572373369&DeliveryReceiptMessage=id:1 sub:001 dlvrd:001 "
                "submit date:2306132307 done date:2306132307 stat:DELIVRD err:000 text:&Code=000"
            )
            phase = self.phase
            started = time.monotonic()
            try:
                response = await client.post(
                    self.url,
                    content=body,
                    headers={"content-type": "application/x-www-form-urlencoded"},
                )
            except httpx.HTTPError:
                self.answers[phase][NO_ANSWER] += 1
                await asyncio.sleep(0.01)
                continue
            took = time.monotonic() - started
            self.answers[phase][response.status_code] += 1
            self.seconds[phase].append(took)
            self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
            if response.status_code == 200:
                self.latencies.append((started, took))
                self.acked.append(message_id)


def postmaster_pid(pgdata: Path) -> int | None:
    try:
        return int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class Matrix:
    def __init__(self, root: Path, db: BenchDatabase, args: argparse.Namespace) -> None:
        self.root = root
        self.db = db
        self.args = args
        self.servers = Servers(root)
        self.pgdata = root / "pgdata"
        self.env = self.receiver_env(db.url, root / "spool", root / "data")

    def receiver_env(self, database_url: str | None, spool: Path, data: Path) -> dict[str, str]:
        extra = {
            "RECEIVER_CALLBACK_TOKENS": TOKEN,
            "RECEIVER_SPOOL_DIR": str(spool),
            "RECEIVER_DATA_DIR": str(data),
        }
        if database_url is not None:
            extra["DATABASE_URL"] = database_url
        return receiver_env(**extra)

    def url(self, server: Server) -> str:
        return f"{server.base_url}/callbacks/cdyne/{TOKEN}"

    def started(self, env: dict[str, str], timeout: float = 30) -> Server:
        server = self.servers.start(env)
        server.wait_healthy(timeout)
        return server

    # -- the rows -------------------------------------------------------------------------

    def kill_under_load(self) -> None:
        self.db.truncate()
        server = self.started(self.env)
        with Load(self.url(server)) as load:
            time.sleep(5)
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait(10)
        restarted = self.started(self.env)
        wait_drained(Path(self.env["RECEIVER_SPOOL_DIR"]))
        print(f"(i)    kill -9 under load, restart: {verdict(self.db.url, load.acked)}")
        stop(restarted)

    def outage_under_load(self) -> None:
        """Checks correctness with the Python load (every id), latency with wrk (a fast one)."""
        outage = self.args.outage
        self.db.truncate()
        spool = Path(self.env["RECEIVER_SPOOL_DIR"])
        server = self.started(self.env)
        url = self.url(server)
        with Load(url, clients=4) as load:
            before = run_wrk(url, 32, 5)
            stop_postgres(self.pgdata)
            time.sleep(1)  # the first batch after the crash finds out; measure the steady outage
            during = run_wrk(url, 32, outage - 2)
            time.sleep(1)
            start_postgres(self.pgdata)
            time.sleep(5)
        drained_in = wait_drained(spool)
        non_200 = sum(n for code, n in load.statuses.items() if code != 200)
        print(
            f"(ii)   Postgres stopped for {outage:.0f} s under load: "
            f"{verdict(self.db.url, load.acked)}; non-200 answers {non_200}"
        )
        print(
            f"       wrk c=32 while down: {during.requests_per_s:.0f} req/s, "
            f"p50 {during.p50_ms:.2f} ms, p99 {during.p99_ms:.2f} ms, non-2xx {during.non_2xx}; "
            f"before the outage: {before.requests_per_s:.0f} req/s, p50 {before.p50_ms:.2f} ms, "
            f"p99 {before.p99_ms:.2f} ms"
        )
        stored = self.db.scalar("SELECT count(*) FROM callbacks")
        print(
            f"       every request stored once: {stored} callbacks for "
            f"{before.ok_2xx + during.ok_2xx + len(load.acked)} acks counted by the clients "
            f"(plus requests in flight when wrk stopped); spool drained {drained_in:.1f} s "
            "after the load stopped"
        )
        stop(server)

    def no_database_no_spool(self) -> None:
        blocker = self.root / "not-a-directory"
        blocker.write_text("")
        env = self.receiver_env(self.db.url, blocker / "spool", self.root / "data3")
        server = self.started(env)
        stop_postgres(self.pgdata)
        try:
            with Load(self.url(server), clients=4) as load:
                time.sleep(3)
        finally:
            start_postgres(self.pgdata)
        print(f"(iii)  Postgres down and spool unwritable: answers {dict(load.statuses)}")
        stop(server)

    def kill_while_spooling(self) -> None:
        self.db.truncate()
        spool = Path(self.env["RECEIVER_SPOOL_DIR"])
        server = self.started(self.env)
        with PhasedLoad(self.url(server)) as load:
            time.sleep(2)
            stop_postgres(self.pgdata)
            load.phase = "spooling"
            time.sleep(4)
            spooled = Spool(spool).stats().entries
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait(10)
            load.phase = "after"
        start_postgres(self.pgdata)
        restarted = self.started(self.env)
        drained_in = wait_drained(spool)
        print(
            f"(iv)   kill -9 while spooling (Postgres stopped): {verdict(self.db.url, load.acked)}"
        )
        print(
            f"       {spooled} entries in the spool at the kill; while spooling: "
            f"{load.summary('spooling')}; replayed by the next process in {drained_in:.1f} s"
        )
        stop(restarted)

    def kill_postmaster(self) -> None:
        """`serve` with its own embedded Postgres (no DATABASE_URL); its postmaster is killed."""
        data = self.root / "own"
        env = self.receiver_env(None, data / "spool", data)
        pgdata = data / "pgdata"
        url = f"postgresql://postgres@/postgres?host={pgdata}"
        server = self.started(env, timeout=180)
        with PhasedLoad(self.url(server)) as load:
            time.sleep(5)
            dead = postmaster_pid(pgdata)
            assert dead is not None, "no postmaster.pid"
            family = tree_pids(dead)
            load.phase = "down"
            killed_at = time.monotonic()
            os.kill(dead, signal.SIGKILL)

            def restarted() -> bool:
                pid = postmaster_pid(pgdata)
                return pid is not None and pid != dead and alive(pid) and _accepts(url)

            by_serve = wait_until(restarted, 30)
            how = f"serve restarted it in {time.monotonic() - killed_at:.1f} s"
            if not by_serve:
                for pid in family:  # backends left behind would keep the shared memory
                    if alive(pid):
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(pid, signal.SIGKILL)
                wait_until(lambda: not any(alive(pid) for pid in family), 10)
                with contextlib.suppress(FileNotFoundError):
                    (pgdata / "postmaster.pid").unlink()
                start_postgres(pgdata)
                how = "serve did not restart it within 30 s; the harness did"
            load.phase = "after"
            time.sleep(5)
        drained_in = wait_drained(data / "spool")
        print(f"(v)    kill -9 of the embedded postmaster under load: {verdict(url, load.acked)}")
        print(
            f"       {how}; while it was down: {load.summary('down')}; "
            f"after: {load.summary('after')}; spool drained {drained_in:.1f} s after the load"
        )
        print(f"       receiver {stop(server)}")
        if postmaster_pid(pgdata) is not None and _accepts(url):
            stop_postgres(pgdata)  # serve stops its Postgres on exit; this one it did not start

    def blackholed_database(self) -> None:
        self.db.truncate()
        proxy = Blackhole(self.pgdata / ".s.PGSQL.5432").start()
        spool = self.root / "spool-bh"
        env = self.receiver_env(proxy.url("receiver_bench"), spool, self.root / "data-bh")
        try:
            server = self.started(env)
            with PhasedLoad(self.url(server)) as load:
                time.sleep(5)
                load.phase = "cut"
                proxy.cut()
                time.sleep(self.args.blackhole)
                spooled = Spool(spool).stats().entries
                load.phase = "healed"
                proxy.heal()
                time.sleep(10)
            drained_in = wait_drained(spool)
            print(
                f"(vi)   database blackholed for {self.args.blackhole:.0f} s under load: "
                f"{verdict(self.db.url, load.acked)}"
            )
            worst = max(load.worst(phase) for phase in ("before", "cut", "healed"))
            print(
                f"       worst ack {worst:.2f} s over the row; {spooled} entries in the spool "
                f"when it healed; {proxy.connections} connections through the proxy"
            )
            print(f"       before: {load.summary('before')} (the last ones in flight at the cut)")
            print(f"       cut:    {load.summary('cut')}")
            print(
                f"       healed: {load.summary('healed')}; spool drained {drained_in:.1f} s "
                f"after the load; receiver {stop(server)}"
            )
        finally:
            proxy.heal()
            proxy.stop()

    def full_spool_disk(self) -> None:
        self.db.truncate()
        mount = self.root / "spoolfs"
        mount.mkdir()
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount)],
                capture_output=True,
            ).returncode
            == 0
        )
        spool = mount / "spool"
        env = self.receiver_env(self.db.url, spool, self.root / "data-full")
        limit = 2 * 1024 * 1024
        try:
            if mounted:
                server = self.started(env)
                disk = "a 2 MiB tmpfs"
            else:
                server = self._start_file_limited(env, limit)
                disk = "RLIMIT_FSIZE 2 MiB (tmpfs could not be mounted)"
            with PhasedLoad(self.url(server)) as load:
                time.sleep(2)
                stop_postgres(self.pgdata)
                load.phase = "filling"
                full = wait_until(lambda: load.answers["filling"][503] > 0, 60)
                load.phase = "full"
                time.sleep(5)
                start_postgres(self.pgdata)
                load.phase = "back"
                time.sleep(10)
            drained_in = wait_drained(spool, 60)
            result = verdict(self.db.url, load.acked)
            print(f"(vii)  spool disk full ({disk}), Postgres stopped: {result}")
            if result.lost:
                waiting = spooled_ids(spool) & result.missing
                failures = server.output().count("spool replay failed")
                print(
                    f"       of the {result.lost} lost, {len(waiting)} are still in the spool; "
                    f"{failures} replay attempts failed (server log)"
                )
            print(
                f"       filling: {load.summary('filling')}"
                + ("" if full else " (no 503 within 60 s)")
            )
            print(f"       full:    {load.summary('full')}")
            stats = Spool(spool).stats()
            print(
                f"       Postgres back: {load.summary('back')}; spool drained "
                f"{drained_in:.1f} s after the load, {stats.entries} entries in {stats.files} "
                "files left, "
                f"{stats.quarantined} quarantined; receiver {stop(server)}"
            )
        finally:
            if self.args.keep and spool.exists():
                shutil.copytree(spool, self.root / "spool-full-copy")
            if mounted:
                subprocess.run(["umount", "-l", str(mount)], check=False)

    def _start_file_limited(self, env: dict[str, str], limit: int) -> Server:
        def limit_files() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        port = free_port()
        log = self.root / f"server-limited-{port}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "receiver", "serve", "--port", str(port)],
                env=env,
                cwd=self.root,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=limit_files,
            )
        server = Server(proc, port, log)
        self.servers.started.append(server)
        server.wait_healthy(30)
        return server

    def poisoned_spool(self) -> None:
        self.db.truncate()
        spool_dir = self.root / "spool-poison"
        spool = Spool(spool_dir)
        good = [_receipt(f"poison-good-{n}") for n in range(1000)]
        # Lone surrogates: Postgres text cannot hold them, JSON escapes and spool lines can.
        surrogates = [
            _receipt(
                "poison-surrogate-json",
                body=b'{"MessageID": "ab\\ud800", "DeliveryReceipt": 1}',
                content_type="application/json",
            ),
            _receipt("poison-surrogate-query", query="MessageID=x\ud800"),
            _receipt("poison-surrogate-header", headers={"x-note": "half an emoji \ud83d"}),
        ]
        # NUL: no Postgres text or jsonb value holds it, so these may be refused even raw.
        nul = [
            _receipt("poison-nul-provider", provider="cdyne\x00"),
            _receipt("poison-nul-method", method="PO\x00ST"),
            _receipt("poison-nul-query", query="MessageID=\x00"),
            _receipt("poison-nul-header", headers={"x-note": "a\x00b"}),
        ]
        spool.append(good[:500])
        spool.append(surrogates + nul)
        spool.rotate()
        # Readable entries that Postgres refuses even raw (NOT NULL columns): the quarantine.
        refused = [
            _record_line(_receipt(f"poison-null-{name}"), **{name: None})
            for name in ("method", "provider")
        ]
        garbage = [
            b"garbage\n",
            b"\x00\xff\xfe\n",
            b'{"id": "not-a-uuid"}\n',
            b"[1, 2, 3]\n",
            json.dumps({"id": str(new_callback_id()), "provider": "cdyne"}).encode() + b"\n",
        ]
        name = f"{time.time_ns():020d}-1-poison.spool"
        (spool_dir / name).write_bytes(b"".join(refused + garbage) + b'{"id": "torn')
        (spool_dir / name).chmod(0o600)
        spool.append(good[500:])
        spool.rotate()
        env = self.receiver_env(self.db.url, spool_dir, self.root / "data-poison")
        started = time.monotonic()
        server = self.started(env)
        drained_in = wait_drained(spool_dir, 60)
        ids = {str(row[0]) for row in self.db.rows("SELECT id FROM callbacks")}
        counts = Counter(str(row[0]) for row in self.db.rows("SELECT id FROM callbacks"))
        lost = sum(1 for raw in good if str(raw.id) not in ids)
        stats = Spool(spool_dir).stats()
        kept = {raw.headers["x-case"]: str(raw.id) in ids for raw in surrogates + nul}
        after = httpx.post(
            self.url(server),
            content=b"DeliveryReceipt=1&MessageID=poison-after&Code=000",
            headers={"content-type": "application/x-www-form-urlencoded"},
            timeout=30,
        ).status_code
        print(
            f"(viii) poison in the spool before start: {len(good)} good entries, stored "
            f"{sum(1 for raw in good if str(raw.id) in ids)}, lost {lost}, duplicated "
            f"{sum(1 for n in counts.values() if n > 1)}; replay ended "
            f"{drained_in:.1f} s after start ({time.monotonic() - started:.1f} s incl. start), "
            f"{stats.entries} entries left"
        )
        print(
            f"       {len(refused)} refused even raw, {len(garbage)} garbage lines and a torn "
            f"one: {stats.quarantined} quarantined (expected {len(refused) + len(garbage) + 1}); "
            "stored with lone surrogates or NUL (made storable): "
            + ", ".join(f"{case} {'yes' if stored else 'no'}" for case, stored in kept.items())
        )
        reasons = Counter(
            entry.reason.split(":")[0][:50] for entry in Spool(spool_dir).quarantined()
        )
        print(f"       quarantine reasons: {dict(reasons)}")
        print(f"       a callback after the replay: {after}; receiver {stop(server)}")

    def run(self, rows: list[str]) -> None:
        steps = {
            "i": self.kill_under_load,
            "ii": self.outage_under_load,
            "iii": self.no_database_no_spool,
            "iv": self.kill_while_spooling,
            "v": self.kill_postmaster,
            "vi": self.blackholed_database,
            "vii": self.full_spool_disk,
            "viii": self.poisoned_spool,
        }
        for row in rows:
            steps[row]()


def _accepts(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2, autocommit=True) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def _receipt(
    message_id: str,
    *,
    provider: str = "cdyne",
    method: str = "POST",
    query: str = "",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    content_type: str = "application/x-www-form-urlencoded",
) -> RawCallback:
    """A CDYNE receipt as the spool keeps it; `x-case` names the case for the report."""
    default = (
        f"DeliveryReceipt=1&MessageID={message_id}&ReferenceID=&Code=000"
        "&DeliveryReceiptMessage=id:1 sub:001 dlvrd:001 stat:DELIVRD err:000"
    ).encode()
    return RawCallback(
        id=new_callback_id(),
        received_at=datetime.now(UTC),
        provider=provider,
        method=method,
        query=query,
        headers={"x-case": message_id, **(headers or {})},
        content_type=content_type,
        body=default if body is None else body,
    )


def _record_line(raw: RawCallback, **overrides: Any) -> bytes:
    """`raw` as a spool line, with fields replaced (even by values no RawCallback holds)."""
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
    record.update(overrides)
    return json.dumps(record).encode() + b"\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--outage", type=float, default=30.0, help="seconds Postgres is down")
    parser.add_argument(
        "--blackhole", type=float, default=30.0, help="seconds the database is blackholed"
    )
    parser.add_argument("--rows", default=",".join(ROWS), help="rows to run, e.g. i,iv,vi")
    parser.add_argument("--keep", action="store_true", help="keep logs and spools (printed)")
    args = parser.parse_args()
    rows = [row for row in args.rows.split(",") if row]
    unknown = sorted(set(rows) - set(ROWS))
    if unknown:
        parser.error(f"unknown rows: {', '.join(unknown)} (rows: {', '.join(ROWS)})")
    root = Path(tempfile.mkdtemp(prefix="receiver-faults-"))
    db = BenchDatabase(root)
    matrix = Matrix(root, db, args)
    try:
        matrix.run(rows)
    finally:
        matrix.servers.stop_all()
        own = root / "own" / "pgdata"  # row (v): serve's own Postgres, if a failure left it
        if postmaster_pid(own) is not None and _accepts(
            f"postgresql://postgres@/postgres?host={own}"
        ):
            stop_postgres(own)
        with contextlib.suppress(Exception):
            if not _accepts(db.url):
                start_postgres(root / "pgdata")  # so that close() can stop and delete it
        db.close()
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
