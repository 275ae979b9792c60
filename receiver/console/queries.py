"""The console's SQL: short reads on the read pool, each bounded by a LIMIT or an index range,
plus the one write it makes, queueing callbacks for projection again (re-parse)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from receiver.records import shown_key_sql

__all__ = [
    "STATUSES",
    "Backlogs",
    "ProviderOverview",
    "Window",
    "alerts",
    "backlogs",
    "callback_detail",
    "message_timeline",
    "overview",
    "recent_callbacks",
    "reparse_callback",
    "reparse_message",
    "search",
]

Row = dict[str, Any]
STATUSES = ("queued", "sent", "delivered", "undelivered", "expired", "rejected", "unknown")
FINAL = frozenset({"delivered", "undelivered", "expired", "rejected", "unknown"})
FAILED = ("undelivered", "expired", "rejected")
#: Most rows any list page shows.
LIST_LIMIT = 100
#: Most events a timeline shows (a message has a handful; this bounds a pathological one).
TIMELINE_LIMIT = 500
_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I | re.A)


# --- overview -------------------------------------------------------------------------------


@dataclass(slots=True)
class Window:
    """One provider's events over a window, and its failed messages' error codes."""

    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    #: Events per bucket, oldest first (hours for 24 h, days for 7 d).
    series: list[int] = field(default_factory=list)
    #: (error code, failed messages), most first.
    errors: list[tuple[str, int]] = field(default_factory=list)

    @property
    def events(self) -> int:
        return sum(self.counts.values())

    @property
    def final(self) -> int:
        return sum(n for status, n in self.counts.items() if status in FINAL)

    @property
    def delivery_rate(self) -> float | None:
        return self.counts["delivered"] / self.final if self.final else None


@dataclass(slots=True)
class ProviderOverview:
    provider: str
    day: Window
    week: Window


# delivery_stats_hourly reads closed hours from its rollup, so seven days cost what one does.
_HOURLY = """
SELECT provider, hour, queued, sent, delivered, undelivered, expired, rejected, unknown,
       date_trunc('hour', now(), 'UTC') AS this_hour
FROM delivery_stats_hourly
WHERE hour >= date_trunc('hour', now(), 'UTC') - interval '167 hours'
"""
# Failed messages by error code, by when their last event came in (as the volume is by
# receipt time; a provider's own event times can be years off). messages_status_idx covers it.
_ERRORS = """
SELECT provider, coalesce(error_code, '') AS error_code,
       count(*) FILTER (WHERE last_received_at >= now() - interval '24 hours') AS day,
       count(*) AS week
FROM messages
WHERE status IN ('undelivered', 'expired', 'rejected')
  AND last_received_at >= now() - interval '7 days'
GROUP BY 1, 2
"""
TOP_ERRORS = 5


async def overview(pool: AsyncConnectionPool) -> list[ProviderOverview]:
    async with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(_HOURLY)
        hourly = await cur.fetchall()
        await cur.execute(_ERRORS)
        errors = await cur.fetchall()
    found: dict[str, ProviderOverview] = {}

    def of(provider: str) -> ProviderOverview:
        if provider not in found:
            found[provider] = ProviderOverview(
                provider, Window("24 h", series=[0] * 24), Window("7 d", series=[0] * 7)
            )
        return found[provider]

    for row in hourly:
        entry = of(row["provider"])
        hours_ago = int((row["this_hour"] - row["hour"]) / timedelta(hours=1))
        total = 0
        for status in STATUSES:
            n = int(row[status] or 0)
            total += n
            entry.week.counts[status] += n
            if hours_ago < 24:
                entry.day.counts[status] += n
        if 0 <= hours_ago < 24:
            entry.day.series[23 - hours_ago] += total
        if 0 <= hours_ago < 168:
            entry.week.series[6 - hours_ago // 24] += total
    by_provider: dict[str, list[Row]] = {}
    for row in errors:
        by_provider.setdefault(row["provider"], []).append(row)
    for provider, rows in by_provider.items():
        entry = of(provider)
        for window, column in ((entry.day, "day"), (entry.week, "week")):
            ranked = sorted(
                ((r["error_code"], int(r[column])) for r in rows if r[column]),
                key=lambda item: (-item[1], item[0]),
            )
            window.errors = ranked[:TOP_ERRORS]
    return sorted(found.values(), key=lambda p: (-p.week.events, p.provider))


@dataclass(frozen=True, slots=True)
class Backlogs:
    projection: int
    projection_oldest: datetime | None
    outbox_pending: int
    outbox_next_attempt: datetime | None
    outbox_failed_week: int
    now: datetime


_BACKLOGS = """
SELECT (SELECT count(*) FROM projection_queue) AS projection,
       (SELECT c.received_at FROM callbacks c WHERE c.id =
           (SELECT callback_id FROM projection_queue ORDER BY callback_id LIMIT 1))
           AS projection_oldest,
       (SELECT count(*) FROM alert_deliveries WHERE state = 'pending') AS outbox_pending,
       (SELECT min(next_attempt_at) FROM alert_deliveries WHERE state = 'pending')
           AS outbox_next_attempt,
       (SELECT count(*) FROM alerts a JOIN alert_deliveries d ON d.alert_id = a.id
         WHERE a.created_at >= now() - interval '7 days' AND d.state = 'failed')
           AS outbox_failed_week,
       now() AS now
"""


async def backlogs(pool: AsyncConnectionPool) -> Backlogs:
    async with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(_BACKLOGS)
        row = await cur.fetchone()
    assert row is not None
    return Backlogs(**row)


# --- search and timeline --------------------------------------------------------------------

_MESSAGE_COLUMNS = (
    "provider, message_key, message_id, client_ref, recipient, status, provider_status, "
    "error_code, error_detail, first_event_at, last_event_at, last_received_at, delivered_at, "
    "final_at, event_count"
)
_SEARCH = f"""
SELECT {_MESSAGE_COLUMNS} FROM messages
WHERE message_key = %(key)s OR client_ref = %(q)s OR recipient = ANY(%(recipients)s)
ORDER BY last_received_at DESC
LIMIT {LIST_LIMIT}
"""


def _recipients(q: str) -> list[str]:
    """The text as typed, and as stored numbers are (E.164 digits without + or 00)."""
    digits = re.sub(r"[\s().-]", "", q)
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    return [q, digits] if digits.isascii() and digits.isdigit() else [q]


async def search(pool: AsyncConnectionPool, q: str) -> tuple[list[Row], str | None]:
    """Messages whose id, client reference or recipient is `q`; and the id of a callback, when
    `q` is one."""
    callback_id: str | None = None
    async with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(_SEARCH, {"key": f"id:{q}", "q": q, "recipients": _recipients(q)})
        found = await cur.fetchall()
        if _UUID.fullmatch(q):
            await cur.execute("SELECT id FROM callbacks WHERE id = %s", (uuid.UUID(q),))
            row = await cur.fetchone()
            callback_id = str(row["id"]) if row else None
    return found, callback_id


_CALLBACK_COLUMNS = (
    "c.id AS callback_id, c.received_at AS callback_received_at, c.method, c.query, c.headers, "
    "c.content_type, c.body, c.parse_error"
)
_TIMELINE = f"""
SELECT e.id, e.status, e.provider_status, e.error_code, e.error_detail, e.occurred_at,
       e.occurred_at_raw, e.received_at, {_CALLBACK_COLUMNS}
FROM delivery_events e JOIN callbacks c ON c.id = e.callback_id
WHERE e.provider = %(provider)s AND e.message_key = %(key)s
ORDER BY coalesce(e.occurred_at, e.received_at), e.id
LIMIT {TIMELINE_LIMIT}
"""
_REPLIES = f"""
SELECT i.id, i.sender, i.text, i.is_opt_out, i.keyword, i.occurred_at, i.received_at,
       {_CALLBACK_COLUMNS}
FROM inbound_messages i JOIN callbacks c ON c.id = i.callback_id
WHERE i.provider = %(provider)s AND i.related_message_id = %(message_id)s
ORDER BY i.id
LIMIT {TIMELINE_LIMIT}
"""


async def message_timeline(
    pool: AsyncConnectionPool, provider: str, key: str
) -> tuple[Row | None, list[Row], list[Row]]:
    """The message, its events oldest first (each with its raw callback), and its replies."""
    async with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE provider = %s AND message_key = %s",
            (provider, key),
        )
        message = await cur.fetchone()
        if message is None:
            return None, [], []
        await cur.execute(_TIMELINE, {"provider": provider, "key": key})
        events = await cur.fetchall()
        replies: list[Row] = []
        if message["message_id"]:
            params = {"provider": provider, "message_id": message["message_id"]}
            await cur.execute(_REPLIES, params)
            replies = await cur.fetchall()
    return message, events, replies


_CALLBACK = """
SELECT c.id, c.received_at, c.provider, c.method, c.query, c.headers, c.content_type, c.body,
       c.parse_error, EXISTS (SELECT FROM projection_queue q WHERE q.callback_id = c.id) AS queued
FROM callbacks c WHERE c.id = %s
"""


async def callback_detail(
    pool: AsyncConnectionPool, callback_id: uuid.UUID
) -> tuple[Row | None, list[Row], list[Row]]:
    """A raw callback, the events read from it and the replies read from it."""
    async with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(_CALLBACK, (callback_id,))
        found = await cur.fetchone()
        if found is None:
            return None, [], []
        await cur.execute(
            f"SELECT id, {shown_key_sql()} AS message_key, message_id, client_ref, recipient,"
            " status, provider_status, error_code, occurred_at"
            " FROM delivery_events WHERE callback_id = %s ORDER BY id"
            f" LIMIT {TIMELINE_LIMIT}",
            (callback_id,),
        )
        events = await cur.fetchall()
        await cur.execute(
            "SELECT id, sender, recipient, text, is_opt_out, keyword FROM inbound_messages"
            f" WHERE callback_id = %s ORDER BY id LIMIT {TIMELINE_LIMIT}",
            (callback_id,),
        )
        replies = await cur.fetchall()
    return found, events, replies


# --- recent callbacks -----------------------------------------------------------------------

# An event that names no message links to none (records.shown_key_sql).
_RECENT = f"""
SELECT c.id, c.received_at, c.provider, c.method, c.content_type,
       octet_length(c.body) AS size, c.parse_error,
       EXISTS (SELECT FROM projection_queue q WHERE q.callback_id = c.id) AS queued,
       e.events, e.message_key, e.status
FROM callbacks c
LEFT JOIN LATERAL (
    SELECT count(*) AS events,
           (array_agg({shown_key_sql()} ORDER BY id))[1] AS message_key,
           (array_agg(status ORDER BY id))[1] AS status
    FROM delivery_events WHERE callback_id = c.id
) e ON true
{{where}}
ORDER BY c.received_at DESC
LIMIT %(limit)s
"""
# Two statements rather than one with a flag, so each gets its own index (the errors-only one
# is callbacks_parse_error_idx).
_RECENT_ALL = _RECENT.format(where="")
_RECENT_ERRORS = _RECENT.format(where="WHERE c.parse_error IS NOT NULL")


async def recent_callbacks(
    pool: AsyncConnectionPool, *, errors_only: bool, limit: int = 50
) -> list[Row]:
    async with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(_RECENT_ERRORS if errors_only else _RECENT_ALL, {"limit": limit})
        return await cur.fetchall()


# --- alerts ---------------------------------------------------------------------------------

_ALERTS = f"""
SELECT id, created_at, type, provider, alert_key, payload, notified_at
FROM alerts
WHERE %(state)s::text IS NULL OR EXISTS (
    SELECT FROM alert_deliveries d WHERE d.alert_id = alerts.id AND d.state = %(state)s)
ORDER BY id DESC
LIMIT {LIST_LIMIT}
"""
_DELIVERIES = """
SELECT id, alert_id, target, format, state, attempts, next_attempt_at, last_error, delivered_at,
       claim_token IS NOT NULL AS in_flight
FROM alert_deliveries WHERE alert_id = ANY(%s) ORDER BY alert_id, id
"""


async def alerts(pool: AsyncConnectionPool, state: str | None) -> list[Row]:
    """The newest alerts, each with its outbox rows under "deliveries"."""
    async with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(_ALERTS, {"state": state})
        found = await cur.fetchall()
        await cur.execute(_DELIVERIES, ([row["id"] for row in found],))
        deliveries = await cur.fetchall()
    by_alert: dict[int, list[Row]] = {}
    for delivery in deliveries:
        by_alert.setdefault(delivery["alert_id"], []).append(delivery)
    for row in found:
        row["deliveries"] = by_alert.get(row["id"], [])
    return found


# --- re-parse -------------------------------------------------------------------------------
# The same queue `receiver reparse` fills: the projector re-reads each callback and makes what
# it stored match what the adapter reads now.


async def reparse_callback(pool: AsyncConnectionPool, callback_id: uuid.UUID) -> int:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "INSERT INTO projection_queue (callback_id) SELECT id FROM callbacks WHERE id = %s"
            " ON CONFLICT DO NOTHING",
            (callback_id,),
        )
        return cur.rowcount


async def reparse_message(pool: AsyncConnectionPool, provider: str, key: str) -> int:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "INSERT INTO projection_queue (callback_id) SELECT DISTINCT callback_id"
            " FROM delivery_events WHERE provider = %s AND message_key = %s"
            " ON CONFLICT DO NOTHING",
            (provider, key),
        )
        return cur.rowcount
