"""CPU time spent during a measured run, by whom: the server under test, Postgres, the rest.

On a small machine wrk, the server and Postgres share the cores, so req/s alone does not say
whether a target is slow or starved. CPU microseconds per request and the machine's busy share
do: a run at 100 % busy is bound by the machine, not by its own latency.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.servers import tree_pids

__all__ = ["CpuSample", "CpuUse", "between", "sample"]

_TICK = os.sysconf("SC_CLK_TCK")


def _process_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / _TICK


def _tree_seconds(pid: int | None) -> float:
    return 0.0 if pid is None else sum(_process_seconds(p) for p in tree_pids(pid))


def _machine() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # guest time is already counted in user
    return (total - idle) / _TICK, total / _TICK


@dataclass(frozen=True, slots=True)
class CpuSample:
    server: float
    postgres: float
    busy: float
    total: float


@dataclass(frozen=True, slots=True)
class CpuUse:
    """CPU seconds used between two samples."""

    server: float
    postgres: float
    other: float  # wrk, mostly
    busy_share: float  # of all cores, 0..1

    def per_request_us(self, requests: int) -> tuple[float, float, float]:
        scale = 1e6 / max(1, requests)
        return self.server * scale, self.postgres * scale, self.other * scale


def sample(server_pid: int | Sequence[int], postgres_pid: int | None) -> CpuSample:
    """`server_pid`: one server, or several whose CPU is summed."""
    pids = [server_pid] if isinstance(server_pid, int) else list(server_pid)
    busy, total = _machine()
    server = sum(_tree_seconds(pid) for pid in pids)
    return CpuSample(server, _tree_seconds(postgres_pid), busy, total)


def between(start: CpuSample, end: CpuSample) -> CpuUse:
    server = end.server - start.server
    postgres = end.postgres - start.postgres
    busy = end.busy - start.busy
    total = end.total - start.total
    return CpuUse(server, postgres, max(0.0, busy - server - postgres), busy / max(total, 1e-9))
