"""Several receiver processes on one Postgres, as separate hosts would run them.

Each process is a `receiver serve` with the defaults (projector in-process) and its own data
and spool directories; they share only the bench Postgres, whose `projection_queue` their
projectors claim from with SKIP LOCKED. Each process gets its own wrk with an equal share of
the connections. A run either goes undisturbed (throughput and CPU), or has its first process
killed with SIGKILL halfway through and started again at once on the same port and directories,
so its spool replays and the batch its projector held is rolled back and claimed again.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.cpu import CpuUse, between, sample
from bench.load import WrkResult, finish_wrk, start_wrk
from bench.pg import BenchDatabase
from bench.projection import Projection, check_projection, wait_projected
from bench.servers import TARGETS, Server, Target
from receiver.ingest.spool import Spool

__all__ = ["PROCESS_CONNECTIONS", "ProcessesRun", "run_processes"]

#: Connections in all, shared equally between the processes' wrks.
PROCESS_CONNECTIONS = 32
WARMUP = 2.0


@dataclass(frozen=True, slots=True)
class ProcessesRun:
    processes: int
    killed: bool
    seconds: float
    wrks: tuple[WrkResult, ...]
    connections: tuple[int, ...]
    stored: int
    cpu: CpuUse | None  # None when a process was killed: its CPU time went with it
    catch_up_s: float | None
    projection: Projection
    #: Entries the killed process left in its spool, and seconds until its successor listened.
    spooled_at_kill: int | None = None
    restart_s: float | None = None

    @property
    def acked(self) -> int:
        return sum(w.ok_2xx for w in self.wrks)

    @property
    def requests_per_s(self) -> float:
        return sum(w.requests_per_s for w in self.wrks)

    @property
    def p99_ms(self) -> float:
        """The worst of the processes' p99."""
        return max(w.p99_ms for w in self.wrks)

    @property
    def in_flight_allowance(self) -> int:
        # As for one wrk: a request in flight per connection at the stop, and one per socket
        # error (a request the server may have committed before the connection broke).
        return sum(self.connections) + sum(w.socket_errors for w in self.wrks)

    def cpu_us(self) -> tuple[float, float] | None:
        if self.cpu is None:
            return None
        server, postgres, _ = self.cpu.per_request_us(self.stored)
        return server, postgres


def _spool_entries(server: Server) -> int:
    directory = server.spool_dir
    if directory is None or not directory.exists():
        return 0
    return Spool(Path(directory)).stats().entries


def run_processes(
    db: BenchDatabase,
    make_server: Callable[[Target, str], Server],
    processes: int,
    seconds: float,
    *,
    kill: bool,
    target: Target = TARGETS["receiver"],
) -> ProcessesRun:
    connections = _share(PROCESS_CONNECTIONS, processes)
    label = f"p{processes}{'-kill' if kill else ''}"
    db.truncate()
    with contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(make_server(target, f"{label}-{n}")) for n in range(processes)
        ]
        _load(servers, connections, WARMUP)
        db.settled_callbacks_since(datetime.now(UTC), quiet=1.0)
        wait_projected(db, time.monotonic())
        db.truncate()
        since = datetime.now(UTC)
        before = sample([s.pid for s in servers], db.postmaster_pid)
        wrks = [
            start_wrk(s.url, c, seconds, threads=min(2, c))
            for s, c in zip(servers, connections, strict=True)
        ]
        spooled = restart = None
        if kill:
            time.sleep(seconds / 2)
            victim = servers[0]
            victim.kill()
            spooled = _spool_entries(victim)
            killed_at = time.monotonic()
            victim.start()  # same port, data and spool: it replays what the dead one spooled
            restart = time.monotonic() - killed_at
        results = tuple(finish_wrk(w, seconds) for w in wrks)
        catch_up = wait_projected(db, time.monotonic())
        cpu = None if kill else between(before, sample([s.pid for s in servers], db.postmaster_pid))
        for server in servers:
            server.check_alive()
        stored = db.settled_callbacks_since(since)
        projection = check_projection(db, since)
        if projection.queued:
            wait_projected(db, time.monotonic())
            projection = check_projection(db, since)
    return ProcessesRun(
        processes,
        kill,
        seconds,
        results,
        tuple(connections),
        stored,
        cpu,
        catch_up,
        projection,
        spooled,
        restart,
    )


def _share(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if n < total % parts else 0) for n in range(parts)]


def _load(servers: Sequence[Server], connections: Sequence[int], seconds: float) -> None:
    running: list[subprocess.Popen[str]] = [
        start_wrk(s.url, c, seconds, threads=min(2, c))
        for s, c in zip(servers, connections, strict=True)
    ]
    for process in running:
        finish_wrk(process, seconds)
