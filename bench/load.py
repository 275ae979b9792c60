"""Driving wrk and reading its --latency report."""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["WRK", "WrkError", "WrkResult", "finish_wrk", "parse_wrk", "run_wrk", "start_wrk"]

SCRIPT = Path(__file__).resolve().parent / "post.lua"
WRK = "wrk"
THREADS = 2
# wrk's default 2 s timeout leaves slower answers out of its latency histogram, which would
# flatter p99 exactly when it matters; a generous timeout keeps every answer in it.
TIMEOUT = "30s"

_TIME_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)\s*$", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h),", re.MULTILINE)
_COUNTS = re.compile(
    r"^BENCH-COUNTS requests=(\d+) status=(\d+) connect=(\d+) read=(\d+) write=(\d+) "
    r"timeout=(\d+)\s*$",
    re.MULTILINE,
)


class WrkError(RuntimeError):
    """wrk failed or printed something this module cannot read."""


@dataclass(frozen=True, slots=True)
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    timeouts: int

    @property
    def ok_2xx(self) -> int:
        """Answers with a 2xx status (wrk counts every status above 399 as an error)."""
        return self.requests - self.non_2xx


def wrk_available() -> bool:
    return shutil.which(WRK) is not None


def _ms(value: str, unit: str) -> float:
    return float(value) * _TIME_UNITS[unit]


def parse_wrk(output: str) -> WrkResult:
    """Req/s, p50 and p99 from wrk's --latency report, plus the counts post.lua's done() prints."""
    percentiles = {float(p): _ms(v, u) for p, v, u in _PERCENTILE.findall(output)}
    rate = _RATE.search(output)
    counts = _COUNTS.search(output)
    if rate is None or 50.0 not in percentiles or 99.0 not in percentiles:
        raise WrkError(f"unexpected wrk output:\n{output}")
    if counts is None:
        total = _TOTAL.search(output)
        if total is None:
            raise WrkError(f"unexpected wrk output:\n{output}")
        requests, non_2xx, socket_errors, timeouts = int(total.group(1)), 0, 0, 0
        non2 = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
        if non2:
            non_2xx = int(non2.group(1))
    else:
        requests, non_2xx, connect, read, write, timeouts = map(int, counts.groups())
        socket_errors = connect + read + write
    return WrkResult(
        requests_per_s=float(rate.group(1)),
        p50_ms=percentiles[50.0],
        p99_ms=percentiles[99.0],
        requests=requests,
        non_2xx=non_2xx,
        socket_errors=socket_errors,
        timeouts=timeouts,
    )


def wrk_command(
    url: str, connections: int, seconds: float, *, rate: float | None = None, threads: int = THREADS
) -> list[str]:
    """`rate`: total requests per second, spread over the threads (post.lua's RATE); None runs
    wrk's usual closed loop, each connection sending its next request as soon as it is answered."""
    threads = max(1, min(threads, connections))
    extra = [] if rate is None else [f"{rate / threads:.3f}"]
    return [
        WRK,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={TIMEOUT}",
        "--latency",
        "-s",
        str(SCRIPT),
        url,
        "--",
        secrets.token_hex(4),  # run id: message ids never repeat across runs
        *extra,
    ]


def start_wrk(
    url: str, connections: int, seconds: float, *, rate: float | None = None, threads: int = THREADS
) -> subprocess.Popen[str]:
    """Start wrk in the background; finish it with `finish_wrk`."""
    return subprocess.Popen(
        wrk_command(url, connections, seconds, rate=rate, threads=threads),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish_wrk(process: subprocess.Popen[str], seconds: float) -> WrkResult:
    try:
        output, _ = process.communicate(timeout=seconds + 120)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        raise WrkError(f"wrk did not finish:\n{output}") from None
    if process.returncode != 0:
        raise WrkError(f"wrk exited with {process.returncode}:\n{output}")
    return parse_wrk(output)


def run_wrk(url: str, connections: int, seconds: float) -> WrkResult:
    return finish_wrk(start_wrk(url, connections, seconds), seconds)
