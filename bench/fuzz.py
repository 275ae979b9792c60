"""A long fuzz run against a real `receiver serve` and its own Postgres, with figures.

    .venv/bin/python -m bench.fuzz [--cases 100000] [--providers twilio,cdyne] [--concurrency 4]

Every case comes from `bench.fuzzcases.CaseMaker` (mutated contract fixtures and made-up hostile
bodies, a few of them over the size limit) and carries a unique `X-Fuzz-Case` header, which
`callbacks.headers` keeps. Afterwards each case answered 200 must be in Postgres exactly once
with its body byte for byte. Printed per provider: cases, answers by status class, 5xx, server
exits and errors in its log, lost, duplicated, altered, refused yet stored, internal parse
failures, and the server's peak RSS. bench/README.md has the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.fuzzcases import Case, CaseMaker, contract_seeds
from bench.pg import BenchDatabase
from bench.servers import TARGETS, TOKEN, Server, ServerError, tree_rss_kib
from receiver.config import Settings
from receiver.providers import build_adapters

MARKER = "x-fuzz-case"
REQUEST_TIMEOUT = 30.0
_ERROR_LINE = re.compile(rb"^(ERROR|CRITICAL)\b", re.MULTILINE)
_WARNING_LINE = re.compile(rb"^WARNING\b", re.MULTILINE)


@dataclass
class Tally:
    """What one provider's run saw from the client side and in the server's log."""

    slug: str
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    #: Connection errors and timeouts: no answer at all.
    no_answer: int = 0
    #: Marker -> md5 of the body, for every case answered 200.
    acked: dict[str, str] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)
    hows: Counter[str] = field(default_factory=Counter)
    worst_ms: float = 0.0
    exits: int = 0
    tracebacks: int = 0
    error_lines: int = 0
    warning_lines: int = 0
    peak_rss_kib: int = 0
    seconds: float = 0.0
    # From Postgres afterwards.
    lost: int = 0
    duplicated: int = 0
    altered: int = 0
    refused_stored: int = 0
    parse_errors: int = 0
    internal: int = 0
    stored: int = 0
    #: Internal parse failures by exception type and message start.
    internal_reasons: Counter[str] = field(default_factory=Counter)

    def by_class(self) -> dict[str, int]:
        classes: Counter[str] = Counter()
        for status, count in self.statuses.items():
            classes[f"{status // 100}xx"] += count
        return dict(classes)


class Target:
    """The server under test; replaced by a restarted one if it exits."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        self.env = env
        self.logs: list[Path] = []
        self.server = self._start()

    def _start(self) -> Server:
        log = self.root / f"server-{len(self.logs)}.log"
        self.logs.append(log)
        server = Server(TARGETS["receiver"], self.env, log)
        server.start()
        return server

    def restart(self) -> None:
        self.server = self._start()

    def alive(self) -> bool:
        try:
            self.server.check_alive()
        except ServerError:
            return False
        return True

    def log_bytes(self) -> bytes:
        return b"".join(path.read_bytes() for path in self.logs if path.exists())


def request_head(case: Case, port: int, marker: str, body_length: int) -> bytes:
    target = f"/callbacks/{case.slug}/{TOKEN}" + (f"?{case.query}" if case.query else "")
    lines = [
        f"{case.method} {target} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Content-Length: {body_length}",
        f"X-Fuzz-Case: {marker}",
    ]
    if case.content_type is not None:
        lines.append(f"Content-Type: {case.content_type}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class Connection:
    """One keep-alive HTTP/1.1 connection, sending bytes exactly as the case has them (an HTTP
    library would normalize the query and headers this run wants to send as they are)."""

    def __init__(self) -> None:
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._port = 0

    async def request(self, port: int, head: bytes, body: bytes) -> int:
        if self._streams is None or self._port != port:
            self.close()
            self._streams = await asyncio.open_connection("127.0.0.1", port)
            self._port = port
        reader, writer = self._streams
        writer.write(head + body)
        # Read the answer while the body is still going out: a 413 comes before it is read.
        sending = asyncio.ensure_future(writer.drain())
        try:
            status, close = await self._answer(reader)
        finally:
            if not sending.done():
                sending.cancel()
                close = True
        if close:
            self.close()
        return status

    async def _answer(self, reader: asyncio.StreamReader) -> tuple[int, bool]:
        line = await reader.readline()
        if not line:
            raise ConnectionError("closed before the answer")
        status = int(line.split()[1])
        length, close = 0, False
        while True:
            header = await reader.readline()
            if header in (b"\r\n", b""):
                break
            name, _, value = header.partition(b":")
            key = name.strip().lower()
            if key == b"content-length":
                length = int(value)
            elif key == b"connection" and b"close" in value.lower():
                close = True
        if length:
            await reader.readexactly(length)
        return status, close

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


def _cases(maker: CaseMaker, slug: str, count: int, seed: int) -> Iterator[tuple[int, Case]]:
    rng = random.Random(f"{seed}-{slug}")
    for number in range(count):
        yield number, maker.make(rng, slug)


async def _client(
    target: Target, cases: Iterator[tuple[int, Case]], tally: Tally, run_id: str
) -> None:
    connection = Connection()
    for number, case in cases:
        marker = f"{run_id}-{case.slug}-{number}"
        port = target.server.port
        head = request_head(case, port, marker, len(case.body))
        started = time.perf_counter()
        try:
            status = await asyncio.wait_for(
                connection.request(port, head, case.body), REQUEST_TIMEOUT
            )
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError, TimeoutError):
            connection.close()
            tally.no_answer += 1
            await asyncio.sleep(0.05)  # a server that exits is restarted by the monitor
            continue
        tally.worst_ms = max(tally.worst_ms, (time.perf_counter() - started) * 1000)
        tally.cases += 1
        tally.statuses[status] += 1
        tally.hows[case.how.split("+")[0]] += 1
        if status == 200:
            tally.acked[marker] = hashlib.md5(case.body).hexdigest()
        else:
            tally.refused.add(marker)
    connection.close()


async def _monitor(target: Target, tally: Tally, done: asyncio.Event) -> None:
    """Peak RSS every 0.2 s; restart the server if it exits (counted)."""
    while not done.is_set():
        if not target.alive():
            tally.exits += 1
            await asyncio.to_thread(target.restart)
        tally.peak_rss_kib = max(tally.peak_rss_kib, tree_rss_kib(target.server.pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), 0.2)


async def _run_provider(
    target: Target, maker: CaseMaker, slug: str, count: int, concurrency: int, seed: int
) -> Tally:
    tally = Tally(slug)
    cases = _cases(maker, slug, count, seed)
    run_id = os.urandom(4).hex()
    done = asyncio.Event()
    monitor = asyncio.create_task(_monitor(target, tally, done))
    started = time.monotonic()
    progress = asyncio.create_task(_progress(tally, started, count, done))
    try:
        await asyncio.gather(*(_client(target, cases, tally, run_id) for _ in range(concurrency)))
    finally:
        done.set()
        await monitor
        await progress
    tally.seconds = time.monotonic() - started
    return tally


async def _progress(tally: Tally, started: float, count: int, done: asyncio.Event) -> None:
    while not done.is_set():
        try:
            await asyncio.wait_for(done.wait(), 15)
        except TimeoutError:
            rate = tally.cases / max(1e-9, time.monotonic() - started)
            print(f"  {tally.slug}: {tally.cases}/{count} ({rate:.0f}/s)", file=sys.stderr)


def _settle(db: BenchDatabase, slug: str, quiet: float = 2.5, timeout: float = 180.0) -> None:
    """Wait until `slug`'s stored count stops changing (spooled callbacks are replayed), then
    until the projection queue is empty where there is one (parse errors are recorded when a
    callback is projected, behind the ack)."""
    sql = f"SELECT count(*) FROM callbacks WHERE provider = '{slug}'"
    deadline = time.monotonic() + timeout
    last, stable_since = db.scalar(sql), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - stable_since < quiet:
        time.sleep(0.5)
        current = db.scalar(sql)
        if current != last:
            last, stable_since = current, time.monotonic()
    if db.scalar("SELECT to_regclass('projection_queue')") is None:
        return
    while time.monotonic() < deadline and db.scalar("SELECT count(*) FROM projection_queue"):
        time.sleep(0.5)


def _check_stored(db: BenchDatabase, tally: Tally) -> None:
    found = db.rows(
        f"SELECT headers->>'{MARKER}', count(*), min(md5(body)), max(md5(body)), "
        "count(*) FILTER (WHERE parse_error IS NOT NULL), "
        "count(*) FILTER (WHERE parse_error LIKE 'internal parse failure%') "
        f"FROM callbacks WHERE provider = '{tally.slug}' GROUP BY 1"
    )
    stored = {str(row[0]): row for row in found}
    tally.stored = sum(int(row[1]) for row in found)
    tally.parse_errors = sum(int(row[4]) for row in found)
    tally.internal = sum(int(row[5]) for row in found)
    tally.duplicated = sum(1 for row in found if int(row[1]) > 1)
    for marker, digest in tally.acked.items():
        row = stored.get(marker)
        if row is None:
            tally.lost += 1
        elif row[2] != digest or row[3] != digest:
            tally.altered += 1
    tally.refused_stored = sum(1 for marker in tally.refused if marker in stored)
    reasons = db.rows(
        "SELECT left(substr(parse_error, 25), 48), count(*) FROM callbacks "
        f"WHERE provider = '{tally.slug}' AND parse_error LIKE 'internal parse failure: %' "
        "GROUP BY 1"
    )
    tally.internal_reasons = Counter({str(reason): int(count) for reason, count in reasons})


def _scan_log(tally: Tally, log: bytes) -> None:
    tally.tracebacks = log.count(b"Traceback (most recent call last)")
    tally.error_lines = len(_ERROR_LINE.findall(log))
    tally.warning_lines = len(_WARNING_LINE.findall(log))


def _print(tallies: list[Tally]) -> None:
    header = (
        f"{'provider':<12}{'cases':>8}{'2xx':>8}{'4xx':>7}{'5xx':>5}{'none':>6}{'exits':>6}"
        f"{'tb':>5}{'lost':>6}{'dup':>5}{'alt':>5}{'4xx st':>7}{'perr':>7}{'intern':>7}"
        f"{'RSS MiB':>8}{'/s':>6}{'max ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for t in tallies:
        classes = t.by_class()
        print(
            f"{t.slug:<12}{t.cases:>8}{classes.get('2xx', 0):>8}{classes.get('4xx', 0):>7}"
            f"{classes.get('5xx', 0):>5}{t.no_answer:>6}{t.exits:>6}{t.tracebacks:>5}"
            f"{t.lost:>6}{t.duplicated:>5}{t.altered:>5}{t.refused_stored:>7}"
            f"{t.parse_errors:>7}{t.internal:>7}{t.peak_rss_kib / 1024:>8.1f}"
            f"{t.cases / max(t.seconds, 1e-9):>6.0f}{t.worst_ms:>8.0f}"
        )
    for t in tallies:
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(t.statuses.items()))
        print(
            f"  {t.slug}: answers {{{codes}}}; log: {t.tracebacks} tracebacks, "
            f"{t.error_lines} ERROR lines, {t.warning_lines} WARNING lines; "
            f"stored {t.stored} ({t.parse_errors} with a parse error, {t.internal} of them "
            "internal parse failures)"
        )
        if t.internal_reasons:
            reasons = "; ".join(f"{n} {r}" for r, n in t.internal_reasons.most_common())
            print(f"    internal parse failures: {reasons}")
    total = Counter[str]()
    for t in tallies:
        total.update(t.hows)
    print("  cases by how they were made: " + ", ".join(f"{k} {v}" for k, v in total.items()))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000, help="cases per provider")
    parser.add_argument("--providers", default="", help="comma-separated slugs (default: all)")
    parser.add_argument("--concurrency", type=int, default=4, help="connections")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--oversize", type=float, default=0.005, help="share over the limit")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    settings = Settings()
    adapters = build_adapters(settings)
    slugs = [s for s in args.providers.split(",") if s] or list(adapters)
    unknown = sorted(set(slugs) - set(adapters))
    if unknown:
        parser.error(f"unknown providers: {', '.join(unknown)}")
    limits = {s: max(settings.max_body, a.max_body or 0) for s, a in adapters.items()}
    maker = CaseMaker(contract_seeds(), limits, oversize=args.oversize)

    root = Path(tempfile.mkdtemp(prefix="receiver-fuzz-"))
    db = BenchDatabase(root)
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_URL", "PORT") and not name.startswith("RECEIVER_")
    }
    env.update(
        DATABASE_URL=db.url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_DATA_DIR=str(root / "data"),
        RECEIVER_SPOOL_DIR=str(root / "spool"),
    )
    tallies: list[Tally] = []
    failed = True
    target: Target | None = None
    try:
        target = Target(root, env)
        for slug in slugs:
            before = len(target.log_bytes())
            print(f"{slug}: {args.cases} cases, {args.concurrency} connections", file=sys.stderr)
            tally = asyncio.run(
                _run_provider(target, maker, slug, args.cases, args.concurrency, args.seed)
            )
            _settle(db, slug)
            _check_stored(db, tally)
            _scan_log(tally, target.log_bytes()[before:])
            tallies.append(tally)
        failed = False
    finally:
        if target is not None:
            target.server.stop()
        if tallies:
            _print(tallies)
        db.close()
        if args.keep or failed:
            print(f"logs kept in {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
