"""`python -m bench`: the receiver against its ceiling and against one commit per callback.

See bench/README.md for what each target and column means.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.cpu import CpuUse, between, sample
from bench.load import WrkResult, finish_wrk, run_wrk, start_wrk, wrk_available
from bench.pg import BenchDatabase
from bench.servers import TARGETS, TOKEN, Server, Target, tree_rss_kib

INGEST_CONNECTIONS = 32
RSS_CONNECTIONS = 32


@dataclass(frozen=True, slots=True)
class Run:
    target: str
    connections: int
    wrk: WrkResult
    stored: int | None  # callbacks rows written during the measured run; None without a database
    cpu: CpuUse

    @property
    def lost(self) -> int:
        return 0 if self.stored is None else max(0, self.wrk.ok_2xx - self.stored)


@dataclass(frozen=True, slots=True)
class Summary:
    target: str
    connections: int
    rounds: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    stored: int | None
    acked: int
    non_2xx: int
    in_flight_allowance: int
    #: Median CPU microseconds per request: server process tree, Postgres, everything else.
    cpu_us: tuple[float, float, float]
    busy_share: float


def summarize(runs: Sequence[Run]) -> Summary:
    first = runs[0]
    stored = None if first.stored is None else sum(r.stored or 0 for r in runs)
    return Summary(
        target=first.target,
        connections=first.connections,
        rounds=len(runs),
        requests_per_s=statistics.median(r.wrk.requests_per_s for r in runs),
        p50_ms=statistics.median(r.wrk.p50_ms for r in runs),
        p99_ms=statistics.median(r.wrk.p99_ms for r in runs),
        stored=stored,
        acked=sum(r.wrk.ok_2xx for r in runs),
        non_2xx=sum(r.wrk.non_2xx for r in runs),
        # wrk stops with up to one request per connection unanswered; the server still commits
        # those, so they are stored but never counted as acked. A reconnect can add one more.
        in_flight_allowance=sum(r.connections + r.wrk.socket_errors for r in runs),
        cpu_us=(
            statistics.median(r.cpu.per_request_us(r.wrk.requests)[0] for r in runs),
            statistics.median(r.cpu.per_request_us(r.wrk.requests)[1] for r in runs),
            statistics.median(r.cpu.per_request_us(r.wrk.requests)[2] for r in runs),
        ),
        busy_share=statistics.median(r.cpu.busy_share for r in runs),
    )


def verdict(stored: int | None, acked: int, allowance: int) -> str:
    if stored is None:
        return "-"
    if stored < acked:
        return f"{stored}/{acked} LOST {acked - stored}"
    if stored - acked > allowance:
        return f"{stored}/{acked} EXTRA"
    return f"{stored}/{acked} ok"


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Bench:
    def __init__(self, root: Path, db: BenchDatabase, warmup: float) -> None:
        self.root = root
        self.db = db
        self.warmup = warmup
        self.logs = root / "logs"
        self._runs = 0

    def env(self, run_dir: Path) -> dict[str, str]:
        env = {
            name: value
            for name, value in os.environ.items()
            if name != "DATABASE_URL" and name != "PORT" and not name.startswith("RECEIVER_")
        }
        env.update(
            DATABASE_URL=self.db.url,
            RECEIVER_CALLBACK_TOKENS=TOKEN,
            RECEIVER_DATA_DIR=str(run_dir / "data"),
            RECEIVER_SPOOL_DIR=str(run_dir / "spool"),
        )
        return env

    def server(self, target: Target, label: str) -> Server:
        self._runs += 1
        name = f"{self._runs:03d}-{label}"
        return Server(target, self.env(self.root / "runs" / name), self.logs / f"{name}.log")

    def measure(
        self, target: Target, connections: int, seconds: float, *, label: str, truncate: bool
    ) -> Run:
        """One fresh server: warm up, then one measured wrk run and the stored/acked check."""
        if target.uses_database and truncate:
            self.db.truncate()
        with self.server(target, label) as server:
            since = datetime.now(UTC)
            if self.warmup > 0:
                run_wrk(server.url, connections, self.warmup)
            if target.uses_database:
                # Let the warm-up's in-flight requests land; the measured run counts from here.
                self.db.settled_callbacks_since(since, quiet=1.0)
                if truncate:
                    self.db.truncate()
                since = datetime.now(UTC)
            before = sample(server.pid, self.db.postmaster_pid)
            result = run_wrk(server.url, connections, seconds)
            cpu = between(before, sample(server.pid, self.db.postmaster_pid))
            server.check_alive()
            stored = self.db.settled_callbacks_since(since) if target.uses_database else None
        return Run(target.name, connections, result, stored, cpu)

    def rss(self, seconds: float, first_at: float) -> tuple[Run, list[tuple[float, int]]]:
        """Sustained load on one receiver; RSS (KiB) of its process tree over time."""
        self.db.truncate()
        samples: list[tuple[float, int]] = []
        target = TARGETS["receiver"]
        with self.server(target, "rss") as server:
            since = datetime.now(UTC)
            before = sample(server.pid, self.db.postmaster_pid)
            process = start_wrk(server.url, RSS_CONNECTIONS, seconds)
            started = time.monotonic()
            latest: tuple[float, int] | None = None
            while process.poll() is None:
                time.sleep(1.0)
                if process.poll() is not None:
                    break
                latest = (time.monotonic() - started, tree_rss_kib(server.pid))
                if not samples and latest[0] >= first_at:
                    samples.append(latest)
            if latest is not None and (not samples or samples[-1] != latest):
                samples.append(latest)
            result = finish_wrk(process, seconds)
            cpu = between(before, sample(server.pid, self.db.postmaster_pid))
            server.check_alive()
            stored = self.db.settled_callbacks_since(since)
        return Run(target.name, RSS_CONNECTIONS, result, stored, cpu), samples


# -- output -------------------------------------------------------------------------------------


def _ratio(value: float, base: float | None) -> str:
    if base is None or base == 0:
        return "-"
    return f"{value / base:.2f}"


def print_table(
    summaries: Mapping[tuple[str, int], Summary], targets: Sequence[str], connections: int
) -> None:
    rows = [summaries[(t, connections)] for t in targets if (t, connections) in summaries]
    if not rows:
        return
    bare = summaries.get(("bare", connections))
    rounds = rows[0].rounds
    print(f"\nc={connections}  (median of {rounds} round{'s' if rounds != 1 else ''})")
    header = (
        f"{'target':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'req/s x bare':>12} {'p99 x bare':>10} {'CPU us/req srv+pg+rest':>23} {'busy':>5}"
        "  stored/acked"
    )
    print(header)
    print("-" * (len(header) + 10))
    for s in rows:
        print(
            f"{s.target:<10} {s.requests_per_s:>9.0f} {s.p50_ms:>8.2f} {s.p99_ms:>8.2f} "
            f"{_ratio(s.requests_per_s, bare.requests_per_s if bare else None):>12} "
            f"{_ratio(s.p99_ms, bare.p99_ms if bare else None):>10} "
            f"{_cpu(s).split()[0]:>23} {s.busy_share:>5.0%}  "
            f"{verdict(s.stored, s.acked, s.in_flight_allowance)}"
            + (f" ({s.non_2xx} non-2xx)" if s.non_2xx else "")
        )
    receiver = summaries.get(("receiver", connections))
    baseline = summaries.get(("baseline", connections))
    if receiver and baseline:
        print(
            f"receiver/baseline: req/s x{receiver.requests_per_s / baseline.requests_per_s:.2f}, "
            f"p99 x{receiver.p99_ms / baseline.p99_ms:.2f}, server CPU per request "
            f"x{receiver.cpu_us[0] / baseline.cpu_us[0]:.2f}, Postgres CPU per request "
            f"x{receiver.cpu_us[1] / max(baseline.cpu_us[1], 1e-9):.2f}"
        )
    naive = summaries.get(("naive", connections))
    if receiver and naive:
        print(
            f"receiver/naive: req/s x{receiver.requests_per_s / naive.requests_per_s:.2f}, "
            f"p99 x{receiver.p99_ms / naive.p99_ms:.2f}"
        )
    sys.stdout.flush()


def _cpu(summary: Summary) -> str:
    """CPU microseconds per request: server + Postgres + rest, and the machine's busy share."""
    return "{:.0f}+{:.0f}+{:.0f}".format(*summary.cpu_us) + f" ({summary.busy_share:.0%} busy)"


def _mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


# -- main ---------------------------------------------------------------------------------------


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds per measured run (default 10)"
    )
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="seconds of warm-up before each run (default 2)"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[32, 128],
        metavar="C",
        help="wrk connections, one table each (default 32 128)",
    )
    parser.add_argument(
        "--only",
        default="bare,naive,receiver",
        help="comma-separated targets to run (default bare,naive,receiver)",
    )
    parser.add_argument("--quick", action="store_true", help="1 round of 5 s (a smoke run)")
    parser.add_argument(
        "--pg-setting",
        action="append",
        default=[],
        type=_setting,
        metavar="NAME=VALUE",
        help="run the bench Postgres with this setting (repeatable; default: its defaults)",
    )
    parser.add_argument(
        "--ingest-warmup",
        type=float,
        default=60.0,
        metavar="N",
        help="seconds of uncounted load after loading the history (default 60)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="DIR",
        help="also run the receiver from another checkout (git worktree add DIR REF), side by side",
    )
    parser.add_argument(
        "--ingest-10m",
        action="store_true",
        help="also load history into the tables and measure the receiver at c=32 against it",
    )
    parser.add_argument(
        "--ingest-rows",
        type=int,
        default=10_000_000,
        help="rows per table for --ingest-10m (default 10000000)",
    )
    parser.add_argument(
        "--rss", action="store_true", help="also measure receiver RSS under sustained load"
    )
    parser.add_argument(
        "--rss-seconds", type=float, default=300.0, help="length of the --rss run (default 300)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory (server logs)"
    )
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.duration = 1, 5.0
    targets = [t.strip() for t in args.only.split(",") if t.strip()]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown or not targets:
        parser.error(f"--only: choose from {', '.join(TARGETS)}; got {args.only!r}")
    args.targets = [t for t in TARGETS if t in targets]  # fixed order: bare, naive, receiver
    args.target_by_name = dict(TARGETS)
    if args.baseline is not None:
        if not (args.baseline / "receiver" / "__init__.py").exists():
            parser.error(f"--baseline: no receiver package in {args.baseline}")
        description = f"receiver defaults, code from {args.baseline}"
        baseline = Target("baseline", description, True, {}, root=args.baseline.resolve())
        args.target_by_name["baseline"] = baseline
        args.targets.append("baseline")
    if args.rounds < 1 or args.duration < 1 or any(c < 1 for c in args.concurrency):
        parser.error("--rounds, --duration and --concurrency must be positive")
    if args.rss_seconds < 10:
        parser.error("--rss-seconds must be at least 10")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not wrk_available():
        print("bench: wrk not found on PATH; install it (apt-get install wrk)", file=sys.stderr)
        return 2
    root = Path(tempfile.mkdtemp(prefix="receiver-bench-"))
    progress(f"bench: working directory {root}")
    db = BenchDatabase(root, dict(args.pg_setting))
    ok = False
    try:
        bench = Bench(root, db, args.warmup)
        summaries = run_matrix(bench, args)
        for connections in args.concurrency:
            print_table(summaries, args.targets, connections)
        if args.rss:
            run_rss(bench, args)
            sys.stdout.flush()
        if args.ingest_10m:
            run_ingest(bench, args, summaries)
            sys.stdout.flush()
        ok = True
    finally:
        db.close()
        if ok and not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            progress(f"bench: logs kept in {root / 'logs'}")
    return 0


def run_matrix(bench: Bench, args: argparse.Namespace) -> dict[tuple[str, int], Summary]:
    runs: dict[tuple[str, int], list[Run]] = {}
    total = args.rounds * len(args.concurrency) * len(args.targets)
    done = 0
    for round_no in range(1, args.rounds + 1):
        for connections in args.concurrency:
            for name in args.targets:
                done += 1
                run = bench.measure(
                    args.target_by_name[name],
                    connections,
                    args.duration,
                    label=f"{name}-c{connections}-r{round_no}",
                    truncate=True,
                )
                runs.setdefault((name, connections), []).append(run)
                progress(f"[{done}/{total}] round {round_no} c={connections} {describe(run)}")
    return {key: summarize(value) for key, value in runs.items()}


def describe(run: Run) -> str:
    w = run.wrk
    text = (
        f"{run.target}: {w.requests_per_s:.0f} req/s, p50 {w.p50_ms:.2f} ms, "
        f"p99 {w.p99_ms:.2f} ms, {w.ok_2xx} 2xx"
    )
    if w.non_2xx or w.socket_errors or w.timeouts:
        text += f", {w.non_2xx} non-2xx, {w.socket_errors} socket errors, {w.timeouts} timeouts"
    if run.stored is not None:
        text += f", stored {run.stored}"
        if run.lost:
            text += f" (LOST {run.lost})"
    return text


def run_rss(bench: Bench, args: argparse.Namespace) -> None:
    seconds = args.rss_seconds
    first_at = min(30.0, seconds / 2)
    progress(f"rss: receiver at c={RSS_CONNECTIONS} for {seconds:.0f} s")
    run, samples = bench.rss(seconds, first_at)
    progress(f"rss: {describe(run)}")
    print(f"\nRSS: receiver process tree under sustained load (c={RSS_CONNECTIONS})")
    if len(samples) < 2:
        print("  (not enough samples)")
        return
    (t0, first), (t1, last) = samples[0], samples[-1]
    print(f"  at {t0:5.0f} s: {_mib(first)}")
    print(f"  at {t1:5.0f} s: {_mib(last)}")
    print(f"  end / {t0:.0f} s: {last / first:.2f}")
    print(
        f"  {run.wrk.requests_per_s:.0f} req/s, p99 {run.wrk.p99_ms:.2f} ms, stored/acked "
        f"{verdict(run.stored, run.wrk.ok_2xx, run.connections + run.wrk.socket_errors)}"
    )


def run_ingest(
    bench: Bench, args: argparse.Namespace, summaries: Mapping[tuple[str, int], Summary]
) -> None:
    from bench.ingest import load_history

    target = TARGETS["receiver"]
    empty = summaries.get(("receiver", INGEST_CONNECTIONS))
    if empty is None:
        progress(f"ingest: measuring the receiver at c={INGEST_CONNECTIONS} on empty tables")
        empty = summarize(
            [
                bench.measure(
                    target,
                    INGEST_CONNECTIONS,
                    args.duration,
                    label=f"receiver-empty-r{n}",
                    truncate=True,
                )
                for n in range(1, args.rounds + 1)
            ]
        )
    bench.db.truncate()
    rows = args.ingest_rows
    progress(f"ingest: loading {rows:,} rows into callbacks, delivery_events and messages")
    loaded, vacuumed = load_history(bench.db, rows)
    if args.ingest_warmup > 0:
        # The load leaves the indexes cold and a checkpoint just taken; a receiver that has been
        # running has the hot parts of its indexes cached. Not counted.
        progress(f"ingest: warming up for {args.ingest_warmup:g} s")
        cold = bench.measure(
            target, INGEST_CONNECTIONS, args.ingest_warmup, label="receiver-warmup", truncate=False
        )
        progress(f"ingest: warm-up {describe(cold)}")
    runs = []
    for n in range(1, args.rounds + 1):
        run = bench.measure(
            target, INGEST_CONNECTIONS, args.duration, label=f"receiver-loaded-r{n}", truncate=False
        )
        progress(f"ingest: round {n} {describe(run)}")
        runs.append(run)
    loaded_summary = summarize(runs)
    ratio = loaded_summary.requests_per_s / empty.requests_per_s
    print(f"\nIngest: receiver at c={INGEST_CONNECTIONS} with {rows:,} rows per table")
    print(f"  loaded in {loaded:.0f} s, VACUUM ANALYZE {vacuumed:.0f} s")
    if args.ingest_warmup > 0:
        print(
            f"  warm-up, not counted: {cold.wrk.requests_per_s:.0f} req/s over "
            f"{args.ingest_warmup:g} s right after the load"
        )
    print(
        f"  empty tables: {empty.requests_per_s:.0f} req/s, p99 {empty.p99_ms:.2f} ms "
        f"(median of {empty.rounds}), CPU us/req {_cpu(empty)}"
    )
    print(
        f"  {rows:,} rows:  {loaded_summary.requests_per_s:.0f} req/s, "
        f"p99 {loaded_summary.p99_ms:.2f} ms (median of {loaded_summary.rounds}), "
        f"CPU us/req {_cpu(loaded_summary)}, stored/acked "
        + verdict(loaded_summary.stored, loaded_summary.acked, loaded_summary.in_flight_allowance)
    )
    print(f"  ratio: {ratio:.2f} (target >= 0.90){'' if ratio >= 0.9 else '  BELOW TARGET'}")


if __name__ == "__main__":
    raise SystemExit(main())
