"""`python -m bench`: the receiver against its ceiling and against one commit per callback.

See bench/README.md for what each target and column means.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
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

from bench.cost import CostInputs, print_cost_model
from bench.cpu import CpuUse, between, sample
from bench.load import WrkResult, finish_wrk, run_wrk, start_wrk, wrk_available
from bench.pg import BenchDatabase
from bench.processes import PROCESS_CONNECTIONS, ProcessesRun, run_processes
from bench.projection import Projection, check_projection, wait_projected
from bench.servers import TARGETS, TOKEN, ProjectionProcess, Server, Target, tree_rss_kib
from bench.sustained import SUSTAINED_CONNECTIONS, SustainedRun, run_sustained

INGEST_CONNECTIONS = 32
RSS_CONNECTIONS = 32
#: The concurrency whose receiver throughput sets the sustained rate and the targets.
BURST_CONNECTIONS = 32
EMPTY_PROJECTION = Projection(0, 0, 0, 0, 0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Run:
    target: str
    connections: int
    wrk: WrkResult
    stored: int | None  # callbacks rows written during the measured run; None without a database
    cpu: CpuUse
    #: Seconds from the end of the load until projection_queue was empty.
    catch_up_s: float | None = None
    #: CPU from the start of the load until everything was projected.
    cpu_projected: CpuUse | None = None
    projection: Projection | None = None

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
    catch_up_s: float | None = None  # median; None if not measured or a run never caught up
    #: Median CPU microseconds per stored callback until projected: server, Postgres.
    projected_us: tuple[float, float] | None = None
    projection: Projection | None = None  # summed over rounds


def _projected_us(run: Run) -> tuple[float, float]:
    assert run.cpu_projected is not None
    server, postgres, _ = run.cpu_projected.per_request_us(run.stored or 0)
    return server, postgres


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
        catch_up_s=(
            statistics.median(r.catch_up_s for r in runs if r.catch_up_s is not None)
            if all(r.catch_up_s is not None for r in runs) and first.catch_up_s is not None
            else None
        ),
        projected_us=(
            (
                statistics.median(_projected_us(r)[0] for r in runs),
                statistics.median(_projected_us(r)[1] for r in runs),
            )
            if all(r.cpu_projected is not None for r in runs)
            else None
        ),
        projection=(
            sum((r.projection for r in runs if r.projection), start=EMPTY_PROJECTION)
            if all(r.projection is not None for r in runs)
            else None
        ),
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

    def projection_process(self, target: Target, server: Server, label: str) -> ProjectionProcess:
        return ProjectionProcess(
            target, server.env, self.logs / f"{self._runs:03d}-{label}-project.log"
        )

    def measure(
        self, target: Target, connections: int, seconds: float, *, label: str, truncate: bool
    ) -> Run:
        """One fresh server: warm up, then one measured wrk run and the stored/acked check."""
        if target.uses_database and truncate:
            self.db.truncate()
        with contextlib.ExitStack() as stack:
            server = stack.enter_context(self.server(target, label))
            pids = [server.pid]
            projector: ProjectionProcess | None = None
            if target.projection_process is not None:
                projector = stack.enter_context(self.projection_process(target, server, label))
                pids.append(projector.pid)
                if target.projection_process == "after":
                    self.pause_idle(projector)
            since = datetime.now(UTC)
            if self.warmup > 0:
                run_wrk(server.url, connections, self.warmup)
            if target.uses_database:
                # Let the warm-up's in-flight requests land; the measured run counts from here.
                self.db.settled_callbacks_since(since, quiet=1.0)
                if truncate:
                    self.db.truncate()
                since = datetime.now(UTC)
            before = sample(pids, self.db.postmaster_pid)
            result = run_wrk(server.url, connections, seconds)
            ended = time.monotonic()
            cpu = between(before, sample(pids, self.db.postmaster_pid))
            server.check_alive()
            if not target.uses_database:
                return Run(target.name, connections, result, None, cpu)
            # The burst is over; the projector works off what the acks queued.
            if projector is not None and target.projection_process == "after":
                projector.resume()
            catch_up = wait_projected(self.db, ended)
            cpu_projected = between(before, sample(pids, self.db.postmaster_pid))
            if projector is not None:
                projector.check_alive()
            stored = self.db.settled_callbacks_since(since)
            projection = check_projection(self.db, since)
            if projection.queued and catch_up is not None:
                # A request in flight at wrk's stop was queued after the queue first emptied.
                catch_up = wait_projected(self.db, ended)
                cpu_projected = between(before, sample(pids, self.db.postmaster_pid))
                projection = check_projection(self.db, since)
        return Run(
            target.name, connections, result, stored, cpu, catch_up, cpu_projected, projection
        )

    def pause_idle(self, projector: ProjectionProcess) -> None:
        """SIGSTOP the projection process between two claims: stopped inside one, it would
        hold locks on projection_queue, and TRUNCATE would wait for it for ever."""
        for _ in range(100):
            projector.pause()
            held = self.db.scalar(
                "SELECT count(*) FROM pg_locks WHERE relation = 'projection_queue'::regclass"
                " AND pid <> pg_backend_pid()"
            )
            if not held:
                return
            projector.resume()
            time.sleep(0.05)
        raise RuntimeError("receiver project never left projection_queue alone")

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
        f" {'catch-up s':>10} {'us/cb srv+pg':>13}  {'stored/acked':<20} projected once"
    )
    print(header)
    print("-" * (len(header) + 10))
    for s in rows:
        print(
            f"{s.target:<10} {s.requests_per_s:>9.0f} {s.p50_ms:>8.2f} {s.p99_ms:>8.2f} "
            f"{_ratio(s.requests_per_s, bare.requests_per_s if bare else None):>12} "
            f"{_ratio(s.p99_ms, bare.p99_ms if bare else None):>10} "
            f"{_cpu(s).split()[0]:>23} {s.busy_share:>5.0%} "
            f"{_seconds(s.catch_up_s, s.stored is not None):>10} "
            f"{_pair(s.projected_us):>13}  "
            f"{verdict(s.stored, s.acked, s.in_flight_allowance):<20} "
            + ("-" if s.projection is None else s.projection.verdict())
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


def _seconds(value: float | None, measured: bool = True) -> str:
    if not measured:
        return "-"
    return "NOT DONE" if value is None else f"{value:.1f}"


def _pair(values: tuple[float, float] | None) -> str:
    return "-" if values is None else "{:.0f}+{:.0f}".format(*values)


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
        "--env",
        action="append",
        default=[],
        type=_setting,
        metavar="NAME=VALUE",
        help="set this in the environment of the naive, receiver, ack-only and split targets, "
        "not of baseline (repeatable): with --baseline . it measures a setting side by side",
    )
    parser.add_argument(
        "--baseline-as",
        default="receiver",
        metavar="TARGET",
        help="run --baseline's code configured as this target: receiver (default), ack-only or "
        "split, so a change to the ack path alone is compared like for like",
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
        "--no-burst",
        action="store_true",
        help="skip the burst tables (for running another part alone)",
    )
    parser.add_argument(
        "--sustained",
        action="store_true",
        help="also run receiver and bare at a constant rate; projection lag and CPU per callback",
    )
    parser.add_argument(
        "--sustained-seconds",
        type=float,
        default=None,
        metavar="N",
        help="length of each --sustained run (default 60; 10 with --quick)",
    )
    parser.add_argument(
        "--sustained-rate",
        type=float,
        default=None,
        metavar="R",
        help="requests/s for --sustained (default: half the receiver's end-to-end burst rate at "
        "c=32: acked callbacks over the time until all were projected)",
    )
    parser.add_argument(
        "--processes",
        type=_counts,
        default=None,
        metavar="N,…",
        help="also run N receiver processes on one Postgres, for each N (e.g. 1,2,4)",
    )
    parser.add_argument(
        "--processes-seconds",
        type=float,
        default=None,
        metavar="N",
        help="length of each --processes run (default 20; 8 with --quick)",
    )
    parser.add_argument(
        "--cost-model",
        action="store_true",
        help="print hosts and Postgres cores for 1k to 100k callbacks/s (implies --sustained)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory (server logs)"
    )
    return parser


def _counts(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        counts = []
    if not counts or any(n < 1 for n in counts):
        raise argparse.ArgumentTypeError(f"expected positive counts like 1,2,4, got {text!r}")
    return counts


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.duration = 1, 5.0
    if args.sustained_seconds is None:
        args.sustained_seconds = 10.0 if args.quick else 60.0
    if args.processes_seconds is None:
        args.processes_seconds = 8.0 if args.quick else 20.0
    if args.cost_model:
        args.sustained = True
    targets = [t.strip() for t in args.only.split(",") if t.strip()]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown or not targets:
        parser.error(f"--only: choose from {', '.join(TARGETS)}; got {args.only!r}")
    args.targets = [t for t in TARGETS if t in targets]  # fixed order: bare, naive, receiver
    args.target_by_name = dict(TARGETS)
    if args.env:
        for name, target in TARGETS.items():
            if target.uses_database:
                env = {**target.extra_env, **dict(args.env)}
                args.target_by_name[name] = dataclasses.replace(target, extra_env=env)
    if args.baseline is not None:
        if not (args.baseline / "receiver" / "__init__.py").exists():
            parser.error(f"--baseline: no receiver package in {args.baseline}")
        like = TARGETS.get(args.baseline_as)
        if like is None or not like.uses_database or like.name == "naive":
            parser.error("--baseline-as: choose from receiver, ack-only, split")
        description = f"{like.name} configuration, code from {args.baseline}"
        baseline = Target(
            "baseline",
            description,
            True,
            like.extra_env,
            root=args.baseline.resolve(),
            projection_process=like.projection_process,
        )
        args.target_by_name["baseline"] = baseline
        args.targets.append("baseline")
    if args.rounds < 1 or args.duration < 1 or any(c < 1 for c in args.concurrency):
        parser.error("--rounds, --duration and --concurrency must be positive")
    if args.rss_seconds < 10:
        parser.error("--rss-seconds must be at least 10")
    if args.sustained_seconds < 5 or args.processes_seconds < 4:
        parser.error("--sustained-seconds must be at least 5, --processes-seconds at least 4")
    if args.sustained_rate is not None and args.sustained_rate <= 0:
        parser.error("--sustained-rate must be positive")
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
        load_before = _load_average()
        summaries = {} if args.no_burst else run_matrix(bench, args)
        for connections in args.concurrency:
            print_table(summaries, args.targets, connections)
        sys.stdout.flush()
        if args.rss:
            run_rss(bench, args)
            sys.stdout.flush()
        if args.ingest_10m:
            run_ingest(bench, args, summaries)
            sys.stdout.flush()
        sustained: dict[str, SustainedRun] = {}
        if args.sustained:
            sustained = run_sustained_part(bench, args, summaries)
        multi: list[ProcessesRun] = []
        if args.processes:
            multi = run_processes_part(bench, args)
        if args.cost_model:
            for inputs in cost_inputs(summaries, sustained):
                print_cost_model(inputs)
        print_targets(summaries, sustained, multi)
        # Other work on the machine shows in the `rest` CPU column; this says how much there was.
        print(f"\nmachine: load average {load_before} at the start, {_load_average()} at the end")
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

    target = args.target_by_name["receiver"]
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
    # Acks first, projection behind: what the history costs the projector shows here.
    for name, summary in (("empty tables", empty), (f"{rows:,} rows", loaded_summary)):
        print(
            f"  {name}: catch-up after the load {_seconds(summary.catch_up_s)} s, "
            f"CPU us per callback until projected srv+pg {_pair(summary.projected_us)}"
        )


# -- sustained, several processes, cost model ---------------------------------------------------


def sustained_rate(
    bench: Bench, args: argparse.Namespace, summaries: Mapping[tuple[str, int], Summary]
) -> tuple[float, str]:
    """The --sustained rate and where it came from: half the receiver's end-to-end capacity.

    With projection behind the ack, a burst is acknowledged faster than it is projected (the
    in-process projector yields to it), so the ack rate is not what the process can carry for
    good. Its end-to-end rate is: the callbacks of a burst over the time from its start until
    the last of them was projected. Half of that is the steady load to measure lag at."""
    if args.sustained_rate is not None:
        return args.sustained_rate, "--sustained-rate"
    burst = summaries.get(("receiver", BURST_CONNECTIONS))
    if burst is None:
        progress(f"sustained: measuring the receiver's burst capacity at c={BURST_CONNECTIONS}")
        run = bench.measure(
            args.target_by_name["receiver"],
            BURST_CONNECTIONS,
            args.duration,
            label="receiver-capacity",
            truncate=True,
        )
        progress(f"sustained: {describe(run)}")
        acked, catch_up = run.wrk.requests_per_s, run.catch_up_s
    else:
        acked, catch_up = burst.requests_per_s, burst.catch_up_s
    if catch_up is None:
        raise SystemExit("sustained: the burst was never projected; no capacity to go by")
    capacity = acked * args.duration / (args.duration + catch_up)
    return capacity / 2, (
        f"half the receiver's end-to-end burst rate {capacity:.0f} callbacks/s: "
        f"{acked:.0f} req/s acked for {args.duration:g} s, all projected {catch_up:.1f} s later"
    )


def run_sustained_part(
    bench: Bench, args: argparse.Namespace, summaries: Mapping[tuple[str, int], Summary]
) -> dict[str, SustainedRun]:
    rate, source = sustained_rate(bench, args, summaries)
    seconds = args.sustained_seconds
    # Per-callback lag comes from commit timestamps; on for this part only, so the burst tables
    # are measured at the settings they always were.
    setting = "track_commit_timestamp"
    bench.db.reconfigure({setting: "on"})
    runs: dict[str, SustainedRun] = {}
    try:
        # The baseline, when given, at the same rate: how a change to the projection moves lag
        # and CPU per callback.
        names = ("receiver", "bare", *(("baseline",) if "baseline" in args.target_by_name else ()))
        for name in names:
            progress(f"sustained: {name} at {rate:.0f} req/s for {seconds:g} s")
            target = args.target_by_name[name]
            run = run_sustained(bench.db, bench.server, target, rate, seconds)
            progress(f"sustained: {describe_sustained(run)}")
            runs[name] = run
    finally:
        bench.db.reconfigure({setting: dict(args.pg_setting).get(setting)})
    print_sustained(runs, rate, source, seconds)
    return runs


def describe_sustained(run: SustainedRun) -> str:
    w = run.wrk
    text = (
        f"{run.target}: {w.requests_per_s:.0f} req/s, p50 {w.p50_ms:.2f} ms, "
        f"p99 {w.p99_ms:.2f} ms, CPU us/cb " + _pair(run.cpu_us())
    )
    if run.lag is not None:
        text += f", lag p50 {run.lag.p50 * 1000:.0f} ms p99 {run.lag.p99 * 1000:.0f} ms"
    if run.projection is not None:
        text += f", projected {run.projection.verdict()}"
    return text


def print_sustained(
    runs: Mapping[str, SustainedRun], rate: float, source: str, seconds: float
) -> None:
    print(
        f"\nSustained: {rate:.0f} req/s ({source}) for {seconds:g} s, "
        f"{SUSTAINED_CONNECTIONS} connections, constant rate"
    )
    header = (
        f"{'target':<10} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'us/cb srv+pg':>13} "
        f"{'x bare':>6} {'lag p50 ms':>10} {'lag p99 ms':>10} {'lag max ms':>10} "
        f"{'oldest p99 ms':>13} {'max queued':>10} {'catch-up s':>10}  stored/acked, projected once"
    )
    print(header)
    print("-" * len(header))
    bare = runs.get("bare")
    bare_us = bare.cpu_us()[0] if bare else None
    for run in runs.values():
        w = run.wrk
        server, postgres = run.cpu_us()
        lag, backlog = run.lag, run.backlog
        line = (
            f"{run.target:<10} {w.requests_per_s:>7.0f} {w.p50_ms:>7.2f} {w.p99_ms:>7.2f} "
            f"{_pair(run.cpu_us()):>13} {_ratio(server + postgres, bare_us):>6} "
            f"{_ms(lag.p50 if lag else None):>10} {_ms(lag.p99 if lag else None):>10} "
            f"{_ms(lag.worst if lag else None):>10} "
            f"{_ms(backlog.age_p99 if backlog else None):>13} "
            f"{backlog.max_queued if backlog else '-':>10} "
            f"{_seconds(run.catch_up_s, run.stored is not None):>10}  "
        )
        if run.stored is not None and run.projection is not None:
            allowance = SUSTAINED_CONNECTIONS + w.socket_errors
            line += f"{verdict(run.stored, w.ok_2xx, allowance)}, {run.projection.verdict()}"
        else:
            line += "-"
        print(line)
    receiver = runs.get("receiver")
    if receiver and receiver.wal_bytes is not None and receiver.storage_bytes is not None:
        n = max(1, receiver.callbacks)
        print(
            f"receiver: {receiver.wal_bytes / n:.0f} B of WAL and "
            f"{receiver.storage_bytes / n:.0f} B of tables and indexes per callback; "
            f"lag from commit timestamps over {receiver.lag.callbacks if receiver.lag else 0} "
            "callbacks, oldest-queued age from "
            f"{receiver.backlog.samples if receiver.backlog else 0} samples"
        )
    sys.stdout.flush()


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f}"


def run_processes_part(bench: Bench, args: argparse.Namespace) -> list[ProcessesRun]:
    runs: list[ProcessesRun] = []
    for count in args.processes:
        for kill in (False, True):
            what = "kill -9 of one halfway" if kill else "undisturbed"
            progress(
                f"processes: {count} receiver(s) on one Postgres, {args.processes_seconds:g} s, "
                f"{what}"
            )
            run = run_processes(bench.db, bench.server, count, args.processes_seconds, kill=kill)
            progress(f"processes: {describe_processes(run)}")
            runs.append(run)
    print_processes(runs)
    return runs


def describe_processes(run: ProcessesRun) -> str:
    return (
        f"{run.processes} process(es){' killed' if run.killed else ''}: "
        f"{run.requests_per_s:.0f} req/s, worst p99 {run.p99_ms:.2f} ms, "
        f"{verdict(run.stored, run.acked, run.in_flight_allowance)}, "
        f"projected {run.projection.verdict()}"
    )


def print_processes(runs: Sequence[ProcessesRun]) -> None:
    print(
        f"\nSeveral processes on one Postgres: {PROCESS_CONNECTIONS} connections in all, "
        "an equal share per process"
    )
    header = (
        f"{'procs':>5} {'run':<9} {'req/s':>7} {'worst p99 ms':>12} {'us/cb srv+pg':>13} "
        f"{'catch-up s':>10} {'socket err':>10}  {'stored/acked':<20} projected once"
    )
    print(header)
    print("-" * (len(header) + 10))
    for run in runs:
        socket_errors = sum(w.socket_errors for w in run.wrks)
        print(
            f"{run.processes:>5} {'kill -9' if run.killed else 'clean':<9} "
            f"{run.requests_per_s:>7.0f} {run.p99_ms:>12.2f} {_pair(run.cpu_us()):>13} "
            f"{_seconds(run.catch_up_s):>10} {socket_errors:>10}  "
            f"{verdict(run.stored, run.acked, run.in_flight_allowance):<20} "
            f"{run.projection.verdict()}"
        )
    for run in runs:
        if run.killed:
            print(
                f"  {run.processes} process(es), kill -9: {run.spooled_at_kill} entries in the "
                f"killed process's spool, listening again {run.restart_s:.1f} s after the kill"
            )
    sys.stdout.flush()


def cost_inputs(
    summaries: Mapping[tuple[str, int], Summary], sustained: Mapping[str, SustainedRun]
) -> list[CostInputs]:
    """The measured CPU per callback to scale: the receiver near its capacity (the burst at
    c=32, until projected) and at half of it (the sustained run). Bytes per callback come from
    the sustained run, the one that measures them."""
    found: list[CostInputs] = []
    run = sustained.get("receiver")
    wal = storage = None
    if run is not None:
        n = max(1, run.callbacks)
        wal = None if run.wal_bytes is None else run.wal_bytes / n
        storage = None if run.storage_bytes is None else run.storage_bytes / n
    burst = summaries.get(("receiver", BURST_CONNECTIONS))
    if burst is not None and burst.projected_us is not None:
        found.append(
            CostInputs(
                *burst.projected_us,
                wal,
                storage,
                f"the burst at c={BURST_CONNECTIONS} ({burst.requests_per_s:.0f} callbacks/s, "
                "one process near its capacity, CPU until projected)",
            )
        )
    if run is not None:
        found.append(
            CostInputs(
                *run.cpu_us(),
                wal,
                storage,
                f"the sustained run ({run.wrk.requests_per_s:.0f} callbacks/s, one process at "
                "half its capacity)",
            )
        )
    return found


def print_targets(
    summaries: Mapping[tuple[str, int], Summary],
    sustained: Mapping[str, SustainedRun],
    multi: Sequence[ProcessesRun],
) -> None:
    """Every figure with a target, from this run, in one table."""
    rows: list[tuple[str, str, str, str]] = []
    bare = summaries.get(("bare", BURST_CONNECTIONS))
    for name in ("receiver", "ack-only", "split", "baseline", "naive"):
        summary = summaries.get((name, BURST_CONNECTIONS))
        if summary is None or bare is None:
            continue
        ack = summary.requests_per_s / bare.requests_per_s
        p99 = summary.p99_ms / bare.p99_ms
        c = BURST_CONNECTIONS
        # The targets are the receiver's; baseline and naive are for comparison.
        judged = name not in ("baseline", "naive")
        rows.append(
            (
                f"burst ack req/s x bare, {name}, c={c}",
                f"{ack:.2f}",
                ">= 0.80" if judged else "-",
                _met(ack >= 0.8) if judged else "-",
            )
        )
        rows.append(
            (
                f"burst ack p99 x bare, {name}, c={c}",
                f"{p99:.2f}",
                "<= 2.00" if judged else "-",
                _met(p99 <= 2.0) if judged else "-",
            )
        )
    for (name, connections), summary in sorted(summaries.items(), key=lambda kv: kv[0][1]):
        if name != "naive" and summary.catch_up_s is not None:
            rows.append(
                (
                    f"burst catch-up, {name}, c={connections}",
                    f"{summary.catch_up_s:.1f} s",
                    "-",
                    "-",
                )
            )
    burst_checks = [
        s for s in summaries.values() if s.projection is not None and s.stored is not None
    ]
    if burst_checks:
        lost = sum(max(0, s.acked - (s.stored or 0)) for s in burst_checks)
        projection = sum(
            (s.projection for s in burst_checks if s.projection), start=EMPTY_PROJECTION
        )
        rows.append(
            (
                "burst: acked lost / projected twice",
                f"{lost} / {projection.twice + projection.refolded}",
                "0 / 0",
                _met(
                    lost == 0
                    and projection.twice + projection.refolded == 0
                    and projection.missing == 0
                ),
            )
        )
    run = sustained.get("receiver")
    bare_run = sustained.get("bare")
    if run and run.lag:
        rows.append(("sustained projection lag p50", f"{run.lag.p50 * 1000:.0f} ms", "-", "-"))
        rows.append(
            (
                "sustained projection lag p99",
                f"{run.lag.p99 * 1000:.0f} ms",
                "< 1000 ms",
                _met(run.lag.p99 < 1.0),
            )
        )
    if run and bare_run:
        ratio = sum(run.cpu_us()) / max(bare_run.cpu_us()[0], 1e-9)
        rows.append(
            (
                "sustained CPU/cb ingest+projection x bare CPU/req",
                f"{ratio:.2f}",
                "<= 2.50",
                _met(ratio <= 2.5),
            )
        )
    if run and run.projection and run.stored is not None:
        lost = max(0, run.wrk.ok_2xx - run.stored)
        twice = run.projection.twice + run.projection.refolded
        rows.append(
            (
                "sustained: acked lost / projected twice",
                f"{lost} / {twice}",
                "0 / 0",
                _met(lost == 0 and twice == 0 and run.projection.ok),
            )
        )
    for m in multi:
        lost = max(0, m.acked - m.stored)
        twice = m.projection.twice + m.projection.refolded
        what = "kill -9" if m.killed else "clean"
        rows.append(
            (
                f"{m.processes} process(es), {what}: acked lost / projected twice",
                f"{lost} / {twice}",
                "0 / 0",
                _met(lost == 0 and twice == 0 and m.projection.ok),
            )
        )
    if not rows:
        return
    print("\nTargets (this run)")
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}} {'measured':>12} {'target':>10}  met")
    print("-" * (width + 30))
    for figure, measured, target, met in rows:
        print(f"{figure:<{width}} {measured:>12} {target:>10}  {met}")


def _load_average() -> str:
    """The 1, 5 and 15 minute load averages (/proc/loadavg)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


if __name__ == "__main__":
    raise SystemExit(main())
