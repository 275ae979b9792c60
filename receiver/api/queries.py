"""The read API's endpoints and their parameterized SQL, on the read pool."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from receiver.api.params import (
    DEFAULT_STATS_WINDOW,
    decode_cursor,
    encode_cursor,
    error,
    matches_nothing,
    parse_callback_id,
    parse_limit,
    parse_since,
    parse_status,
    query_param,
)
from receiver.api.rows import Row, callback_json, iso, jsonable, provider_stats
from receiver.providers.toolkit import fields
from receiver.records import message_key, shown_key_sql

# --- SQL ------------------------------------------------------------------------------------

MESSAGE_COLUMNS = (
    "provider, message_key, message_id, client_ref, recipient, status, status_rank, status_at, "
    "provider_status, error_code, error_detail, first_event_at, last_event_at, "
    "last_received_at, delivered_at, final_at, event_count"
)
# An event that names no message shows no message key (records.shown_key_sql).
EVENT_COLUMNS = (
    f"id, callback_id, provider, {shown_key_sql()} AS message_key, message_id, client_ref, "
    "recipient, status, "
    "provider_status, error_code, error_detail, occurred_at, occurred_at_raw, received_at"
)
INBOUND_COLUMNS = (
    "id, callback_id, provider, message_id, sender, recipient, text, occurred_at, "
    "occurred_at_raw, received_at, related_message_id, related_client_ref, is_opt_out, keyword"
)
CALLBACK_COLUMNS = (
    "id, received_at, provider, method, query, headers, content_type, body, parse_error"
)

# messages.message_id is set exactly when message_key is 'id:' || message_id (see
# records.message_key), so looking up by key uses the primary key instead of a scan.
SELECT_MESSAGE = sql.SQL(
    f"SELECT {MESSAGE_COLUMNS} FROM messages"
    " WHERE provider = %s AND message_key = %s AND message_id = %s"
)
SELECT_MESSAGE_EVENTS = sql.SQL(
    f"SELECT {EVENT_COLUMNS} FROM delivery_events WHERE provider = %s AND message_key = %s"
    " ORDER BY coalesce(occurred_at, received_at), id"
)
SELECT_CALLBACK = sql.SQL(f"SELECT {CALLBACK_COLUMNS} FROM callbacks WHERE id = %s")
SELECT_CALLBACK_EVENTS = sql.SQL(
    f"SELECT {EVENT_COLUMNS} FROM delivery_events WHERE callback_id = %s ORDER BY id"
)
SELECT_CALLBACK_INBOUND = sql.SQL(
    f"SELECT {INBOUND_COLUMNS} FROM inbound_messages WHERE callback_id = %s ORDER BY id"
)
SELECT_STATS = sql.SQL(
    "SELECT provider, status, count(*) AS n FROM delivery_events WHERE received_at >= %s"
    " GROUP BY provider, status"
)
# Row comparison cannot mix DESC and ASC, so "after the cursor" is spelled out. The redundant
# `<=` gives an index on last_received_at a range to start from instead of a filter to apply.
AFTER_CURSOR = sql.SQL(
    "last_received_at <= %s AND (last_received_at < %s"
    " OR (last_received_at = %s AND (provider, message_key) > (%s, %s)))"
)


Filter = tuple[str, str, Any]  # column, operator, value
_OPERATORS = {"=": sql.SQL("{} = %s"), ">=": sql.SQL("{} >= %s")}


def list_filters(request: Request) -> list[Filter] | None:
    """The list endpoint's filters, all validated; None when they cannot match anything."""
    filters: list[Filter] = []
    for name in ("client_ref", "recipient", "provider"):
        value = query_param(request, name)
        if value is not None:
            if name == "recipient":
                # Stored recipients are normalized (E.164 digits, no +); the filter is too.
                value = fields.recipient(value) or value
            filters.append((name, "=", value))
    status = query_param(request, "status")
    if status is not None:
        filters.append(("status", "=", parse_status(status)))
    since = query_param(request, "since")
    if since is not None:
        filters.append(("last_received_at", ">=", parse_since(since)))
    texts = [value for _, _, value in filters if isinstance(value, str)]
    return None if matches_nothing(*texts) else filters


def list_query(
    filters: Sequence[Filter], after: tuple[datetime, str, str] | None, limit: int
) -> tuple[sql.Composed, list[Any]]:
    """SELECT for one page; columns and operators come from fixed sets, values are parameters."""
    conditions: list[sql.Composable] = []
    params: list[Any] = []
    for column, operator, value in filters:
        conditions.append(_OPERATORS[operator].format(sql.Identifier(column)))
        params.append(value)
    if after is not None:
        when, provider, key = after
        conditions.append(AFTER_CURSOR)
        params.extend([when, when, when, provider, key])
    where = sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("TRUE")
    query = sql.SQL(
        "SELECT {columns} FROM messages WHERE {where}"
        " ORDER BY last_received_at DESC, provider, message_key LIMIT %s"
    ).format(columns=sql.SQL(MESSAGE_COLUMNS), where=where)
    params.append(limit)
    return query, params


# --- endpoints ------------------------------------------------------------------------------


class ReadApi:
    """Endpoint handlers sharing the app's connection pool."""

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self.pool = pool

    async def fetch(self, query: sql.SQL | sql.Composed, params: Sequence[Any]) -> list[Row]:
        async with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(query, params)
            return await cur.fetchall()

    async def message(self, request: Request) -> Response:
        provider = request.path_params["provider"]
        message_id = request.path_params["message_id"]
        key = message_key(message_id, None, None)
        if key is None or matches_nothing(provider, message_id):
            return error(404, "message not found")
        async with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(SELECT_MESSAGE, (provider, key, message_id))
            found = await cur.fetchone()
            if found is None:
                return error(404, "message not found")
            await cur.execute(SELECT_MESSAGE_EVENTS, (provider, key))
            events = await cur.fetchall()
        body = jsonable(found)
        body["events"] = [jsonable(event) for event in events]
        return JSONResponse(body)

    async def list_messages(self, request: Request) -> Response:
        filters = list_filters(request)
        limit = parse_limit(query_param(request, "limit"))
        cursor = query_param(request, "cursor")
        after = decode_cursor(cursor) if cursor is not None else None
        if filters is None:
            return JSONResponse({"items": [], "next_cursor": None})
        query, params = list_query(filters, after, limit + 1)
        found = await self.fetch(query, params)
        page, more = found[:limit], len(found) > limit
        return JSONResponse(
            {
                "items": [jsonable(row) for row in page],
                "next_cursor": encode_cursor(page[-1]) if more else None,
            }
        )

    async def callback(self, request: Request) -> Response:
        callback_id = parse_callback_id(request.path_params["id"])
        async with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(SELECT_CALLBACK, (callback_id,))
            found = await cur.fetchone()
            if found is None:
                return error(404, "callback not found")
            await cur.execute(SELECT_CALLBACK_EVENTS, (callback_id,))
            events = await cur.fetchall()
            await cur.execute(SELECT_CALLBACK_INBOUND, (callback_id,))
            inbound = await cur.fetchall()
        body = callback_json(found)
        body["events"] = [jsonable(event) for event in events]
        body["inbound_messages"] = [jsonable(message) for message in inbound]
        return JSONResponse(body)

    async def stats(self, request: Request) -> Response:
        raw = query_param(request, "since")
        since = parse_since(raw) if raw is not None else datetime.now(UTC) - DEFAULT_STATS_WINDOW
        counts: dict[str, dict[str, int]] = {}
        for row in await self.fetch(SELECT_STATS, (since,)):
            counts.setdefault(row["provider"], {})[row["status"]] = int(row["n"])
        total: dict[str, int] = {}
        for by_status in counts.values():
            for status, n in by_status.items():
                total[status] = total.get(status, 0) + n
        providers = [
            {"provider": provider, **provider_stats(counts[provider])}
            for provider in sorted(counts)
        ]
        return JSONResponse(
            {"since": iso(since), "providers": providers, "total": provider_stats(total)}
        )


# Hand-written, kept beside the code; tests/test_api.py holds its paths equal to the routes and
# runs schemathesis against it, which keeps it honest.
OPENAPI: Row = json.loads((Path(__file__).resolve().parent / "openapi.json").read_text())


async def openapi(request: Request) -> Response:
    return JSONResponse(OPENAPI)
