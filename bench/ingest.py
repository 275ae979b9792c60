"""Filling the tables with history in SQL, to measure the receiver against a large database.

Each row i is one CDYNE delivery receipt received over the last 30 days: a `callbacks` row with a
time-ordered (UUIDv7-shaped) id like the receiver's own, one `delivery_events` row with a random
16-byte dedup_key, and one `messages` row per event with a distinct message key. The keys that
are random in production (dedup_key, message ids, recipients) are random here too, so the
indexes are as scattered as the live receiver would leave them.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta

import psycopg

from bench.pg import BenchDatabase

__all__ = ["CALLBACKS_SQL", "events_sql", "load_history", "partitioned"]

CHUNK = 1_000_000

# Shared per-row expressions over generate_series(...) AS g(i).
_ROW = """
SELECT i,
       ts,
       (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0')
        || '7' || substr(h, 1, 3) || '8' || substr(h, 4, 15))::uuid AS callback_id,
       md5('m' || i)::uuid::text AS message_id,
       'r' || i AS client_ref,
       '1' || lpad(((i * 7919) %% 9000000000 + 1000000000)::text, 10, '0') AS recipient,
       decode(md5(i::text), 'hex') AS dedup_key,
       CASE WHEN i %% 10 = 0 THEN 'undelivered' ELSE 'delivered' END AS status,
       CASE WHEN i %% 10 = 0 THEN '005' ELSE '000' END AS code,
       CASE WHEN i %% 10 = 0 THEN 'UNDELIV' ELSE 'DELIVRD' END AS stat,
       to_char(ts - interval '5 seconds', 'YYMMDDHH24MI') AS done_raw
FROM (
    SELECT i,
           %(base)s::timestamptz + (i * (interval '30 days' / %(total)s)) AS ts,
           md5('c' || i) AS h
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint - 1) AS g(i)
) AS s
"""

_CALLBACKS = f"""
INSERT INTO callbacks (id, received_at, provider, method, query, headers, content_type, body)
SELECT callback_id, ts, 'cdyne', 'POST', '',
       jsonb_build_object(
           'host', 'receiver.example.com',
           'user-agent', 'CDYNE-Postback/1.0',
           'content-type', 'application/x-www-form-urlencoded',
           'content-length', '260',
           'x-forwarded-for', '203.0.113.' || (i %% 250)),
       'application/x-www-form-urlencoded',
       convert_to(
           'DeliveryReceipt=1&MessageID=' || message_id || '&ReferenceID=' || client_ref
           || '&FromPhoneNumber=74121&ToPhoneNumber=' || recipient
           || '&DeliveryReceiptMessage=id%%3A' || i || '%%20sub%%3A001%%20dlvrd%%3A001'
           || '%%20submit%%20date%%3A' || done_raw || '%%20done%%20date%%3A' || done_raw
           || '%%20stat%%3A' || stat || '%%20err%%3A' || code || '%%20text%%3Ahi&Code=' || code,
           'UTF8')
FROM ({_ROW}) AS r
"""

_EVENTS = f"""
INSERT INTO delivery_events (callback_id, provider, message_key, message_id, client_ref,
                             recipient, status, provider_status, error_code, error_detail,
                             occurred_at, occurred_at_raw, received_at, dedup_key{{month_column}})
SELECT callback_id, 'cdyne', 'id:' || message_id, message_id, client_ref, recipient, status,
       code, code, stat, ts - interval '5 seconds', done_raw, ts, dedup_key{{month_value}}
FROM ({_ROW}) AS r
"""

_MESSAGES = f"""
INSERT INTO messages (provider, message_key, message_id, client_ref, recipient, status,
                      status_rank, status_at, provider_status, error_code, error_detail,
                      first_event_at, last_event_at, last_received_at, delivered_at, final_at,
                      event_count)
SELECT 'cdyne', 'id:' || message_id, message_id, client_ref, recipient, status, 4,
       ts - interval '5 seconds', code, code, stat, ts - interval '5 seconds',
       ts - interval '5 seconds', ts,
       CASE WHEN status = 'delivered' THEN ts - interval '5 seconds' END,
       ts - interval '5 seconds', 1
FROM ({_ROW}) AS r
"""


def partitioned(db: BenchDatabase) -> bool:
    """Whether the schema has time partitions (migration 9), i.e. delivery_events.received_month."""
    return bool(
        db.scalar(
            "SELECT EXISTS (SELECT FROM information_schema.columns"
            " WHERE table_name = 'delivery_events' AND column_name = 'received_month')"
        )
    )


def events_sql(with_month: bool) -> str:
    month = ", (date_trunc('month', ts AT TIME ZONE 'UTC'))::date" if with_month else ""
    return _EVENTS.replace("{month_column}", ", received_month" if with_month else "").replace(
        "{month_value}", month
    )


CALLBACKS_SQL = _CALLBACKS


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


_TABLES = ("callbacks", "delivery_events", "messages")

# Secondary indexes (not backing a constraint) of the loaded tables, as schema.sql made them.
_SECONDARY_INDEXES = """
SELECT i.indexname, i.indexdef
FROM pg_indexes AS i
WHERE i.schemaname = current_schema()
  AND i.tablename IN ('callbacks', 'delivery_events', 'messages')
  AND NOT EXISTS (
      SELECT 1 FROM pg_constraint AS c
      WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
  )
ORDER BY i.indexname
"""


def load_history(db: BenchDatabase, total: int) -> tuple[float, float]:
    """Insert `total` rows into each of callbacks, delivery_events and messages, then VACUUM
    ANALYZE and CHECKPOINT; returns (seconds loading, seconds vacuuming).

    Secondary indexes are dropped for the load and rebuilt from their own definitions after
    it, which is several times faster than maintaining them row by row. Primary keys, unique
    constraints and foreign keys stay in place throughout.
    """
    started = time.monotonic()
    # A partitioned parent's index is defined ON ONLY the parent; built again on the parent
    # it reaches every partition.
    indexes: list[tuple[str, str]] = [
        (row[0], row[1].replace(" ON ONLY ", " ON ")) for row in db.rows(_SECONDARY_INDEXES)
    ]
    db.script([f'DROP INDEX "{name}"' for name, _ in indexes])
    base = datetime.now(UTC) - timedelta(days=31)  # one clock for all three tables
    with_month = partitioned(db)
    if with_month:
        from receiver.projection.partitions import ensure_partitions

        with psycopg.connect(db.url, autocommit=True) as conn:
            ensure_partitions(conn, since=base.date())
    for lo in range(0, total, CHUNK):
        hi = min(total, lo + CHUNK)
        params = {"lo": lo, "hi": hi, "total": total, "base": base}
        for sql in (_CALLBACKS, events_sql(with_month), _MESSAGES):
            db.execute_named(sql, params)
        elapsed = time.monotonic() - started
        _progress(f"  ingest: {hi:,} / {total:,} rows per table ({elapsed:.0f} s)")
    _progress(f"  ingest: rebuilding {len(indexes)} secondary indexes")
    db.script(["SET maintenance_work_mem = '256MB'", *(definition for _, definition in indexes)])
    loaded = time.monotonic() - started
    started = time.monotonic()
    for table in _TABLES:
        db.execute(f"VACUUM ANALYZE {table}")
    # Write out the load's dirty pages now rather than during the measured runs.
    db.execute("CHECKPOINT")
    return loaded, time.monotonic() - started
