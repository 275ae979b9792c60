"""What `receiver lookup`, `stats` and `send-test` print: messages, their timelines and the
per-provider delivery table, read from Postgres with the read API's own SQL, shown as tables
(plain text when not on a terminal) or as the read API's JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from receiver.api.queries import MESSAGE_COLUMNS, SELECT_MESSAGE_EVENTS, SELECT_STATS
from receiver.api.rows import STATUSES, Row, iso, jsonable, provider_stats
from receiver.providers.toolkit import fields

__all__ = [
    "events",
    "find_messages",
    "message_json",
    "parse_since",
    "print_json",
    "print_message",
    "print_stats",
    "stats",
]

_WINDOW = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}


def parse_since(raw: str, now: datetime | None = None) -> datetime:
    """`24h`, `30m`, `7d` (ago), or an ISO-8601 time (UTC if it has no offset)."""
    now = now or datetime.now(UTC)
    match = _WINDOW.match(raw)
    if match:
        return now - timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2).lower()])
    try:
        when = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(
            f"--since: expected a window such as 24h, 30m or 7d, or an ISO-8601 time; got {raw!r}"
        ) from None
    return when.replace(tzinfo=when.tzinfo or UTC).astimezone(UTC)


def find_messages(
    conn: psycopg.Connection[Any],
    providers: Sequence[str],
    *,
    message_id: str | None = None,
    client_ref: str | None = None,
    recipient: str | None = None,
    limit: int = 20,
) -> list[Row]:
    """Messages by provider message id (exact), or by client reference and/or recipient,
    newest first."""
    conditions = [sql.SQL("provider = ANY(%s)")]
    params: list[Any] = [list(providers)]
    if message_id is not None:
        # messages.message_id is set exactly when the key is 'id:' || it: the primary key.
        conditions.append(sql.SQL("message_key = %s AND message_id = %s"))
        params += [f"id:{message_id}", message_id]
    if client_ref is not None:
        conditions.append(sql.SQL("client_ref = %s"))
        params.append(client_ref)
    if recipient is not None:
        conditions.append(sql.SQL("recipient = %s"))
        params.append(fields.recipient(recipient) or recipient)
    query = sql.SQL(
        "SELECT {columns} FROM messages WHERE {where}"
        " ORDER BY last_received_at DESC, provider, message_key LIMIT %s"
    ).format(columns=sql.SQL(MESSAGE_COLUMNS), where=sql.SQL(" AND ").join(conditions))
    params.append(limit)
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query, params)
        return cur.fetchall()


def find_by_key(conn: psycopg.Connection[Any], provider: str, key: str) -> Row | None:
    query = sql.SQL(
        f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE provider = %s AND message_key = %s"
    )
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query, (provider, key))
        return cur.fetchone()


def events(conn: psycopg.Connection[Any], provider: str, key: str) -> list[Row]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(SELECT_MESSAGE_EVENTS, (provider, key))
        return cur.fetchall()


def message_json(message: Row, timeline: Sequence[Row]) -> Row:
    """A message as the read API's `/api/messages/{provider}/{id}` answers it."""
    body = jsonable(message)
    body["events"] = [jsonable(event) for event in timeline]
    return body


def stats(conn: psycopg.Connection[Any], since: datetime) -> Row:
    """The read API's `/api/stats` document."""
    counts: dict[str, dict[str, int]] = {}
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(SELECT_STATS, (since,))
        for row in cur.fetchall():
            counts.setdefault(row["provider"], {})[row["status"]] = int(row["n"])
    total: dict[str, int] = {}
    for by_status in counts.values():
        for status, n in by_status.items():
            total[status] = total.get(status, 0) + n
    providers = [{"provider": p, **provider_stats(counts[p])} for p in sorted(counts)]
    return {"since": iso(since), "providers": providers, "total": provider_stats(total)}


# -- output -----------------------------------------------------------------------------------


def print_json(document: Any) -> None:
    print(json.dumps(document, indent=2, ensure_ascii=False, default=str))


def _console() -> Any:
    import sys

    from rich.console import Console

    # Not a terminal: no colour, and room for every column rather than a guessed 80
    # characters that would cut values short, so the text stays greppable.
    return Console(highlight=False, width=None if sys.stdout.isatty() else 240)


def _time(value: Any) -> str:
    if not value:
        return "-"
    text = str(value)
    return text.replace("T", " ").replace("Z", "")[:23]


def print_message(message: Row) -> None:
    """One message (as `message_json` builds it): its state, then its timeline."""
    from rich.table import Table

    console = _console()
    state = Table(show_header=False, box=None, pad_edge=False)
    state.add_column(style="bold")
    state.add_column()
    for name in (
        "provider",
        "message_id",
        "client_ref",
        "recipient",
        "status",
        "provider_status",
        "error_code",
        "error_detail",
        "first_event_at",
        "last_event_at",
        "last_received_at",
        "event_count",
    ):
        value = message.get(name)
        state.add_row(name, "-" if value is None else str(value))
    console.print(state)
    timeline = Table(title="timeline", title_justify="left")
    for column in ("occurred", "received", "status", "provider status", "error", "callback"):
        timeline.add_column(column)
    for event in message.get("events", []):
        error = " ".join(str(e) for e in (event.get("error_code"), event.get("error_detail")) if e)
        timeline.add_row(
            _time(event.get("occurred_at")),
            _time(event.get("received_at")),
            str(event.get("status")),
            str(event.get("provider_status") or "-"),
            error or "-",
            str(event.get("callback_id")),
        )
    console.print(timeline)


def print_stats(document: Row) -> None:
    from rich.table import Table

    table = Table(title=f"delivery since {_time(document['since'])} UTC", title_justify="left")
    table.add_column("provider")
    for status in STATUSES:
        table.add_column(status, justify="right")
    table.add_column("events", justify="right")
    table.add_column("delivery rate", justify="right")

    def row(name: str, figures: Row) -> list[str]:
        rate = figures["delivery_rate"]
        return [
            name,
            *(str(figures["counts"][status]) for status in STATUSES),
            str(figures["events"]),
            "-" if rate is None else f"{rate:.1%}",
        ]

    for provider in document["providers"]:
        table.add_row(*row(provider["provider"], provider))
    if len(document["providers"]) != 1:
        table.add_row(*row("total", document["total"]), style="bold")
    _console().print(table)
