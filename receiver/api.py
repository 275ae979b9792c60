"""The read API: what the receiver stored, as JSON under `/api`, for people and dashboards.

Every request needs `Authorization: Bearer $RECEIVER_API_TOKEN`. The API is disabled when no
token is configured: then every `/api` path answers 404, so a deployment that never chose a
token exposes nothing and does not even reveal that the API exists.

Endpoints (all GET; the OpenAPI document at `/api/openapi.json` describes them exactly):

- `/api/messages/{provider}/{message_id}`: a message's current state plus its events.
- `/api/messages`: messages filtered by client_ref, recipient, status, provider and since,
  newest first, with keyset pagination through an opaque `next_cursor`.
- `/api/callbacks/{id}`: one raw request as received, plus what was read from it.
- `/api/stats`: per provider, events by status and the delivery rate since a time.

Bad input is answered with 400 (or 404 for a record that cannot exist) and a JSON
`{"error": ...}` reason, never a 500: parameters are validated before any SQL runs, text that
Postgres cannot hold (NUL, lone surrogates) never reaches it, and all SQL is parameterized.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from receiver import fields
from receiver.config import Settings
from receiver.records import message_key
from receiver.status import Status

__all__ = ["OPENAPI", "api_routes"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
DEFAULT_STATS_WINDOW = timedelta(hours=24)
STATUSES = tuple(status.value for status in Status)
FINAL_STATUSES = tuple(status.value for status in Status if status.is_final)

log = logging.getLogger("receiver.api")

LIST_PARAMETERS = ("client_ref", "recipient", "status", "provider", "since", "limit", "cursor")
Endpoint = Callable[[Request], Awaitable[Response]]
Row = dict[str, Any]


class BadRequest(Exception):
    """A request parameter is unacceptable; the message is shown to the client as the reason."""


def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


# --- routing and authentication -------------------------------------------------------------


def api_routes(pool: AsyncConnectionPool, settings: Settings) -> list[BaseRoute]:
    """The `/api` mount. Without `settings.api_token` it answers 404 to everything.

    `/api` itself is routed too (a Mount matches only below it), so it, and `/api/`, which the
    app treats as `/api`, get the API's JSON answers rather than the app's plain-text 404.
    """
    if not settings.api_token:
        return [Route("/api", _not_found), _any_path(Mount("/api", app=_not_found))]
    api = _ReadApi(pool)
    router = Router(
        routes=[
            Route("/openapi.json", _guarded(openapi)),
            Route("/messages", _guarded(api.list_messages, LIST_PARAMETERS)),
            # `:path` so provider message ids containing "/" can still be looked up.
            _any_path(Route("/messages/{provider}/{message_id:path}", _guarded(api.message))),
            Route("/callbacks/{id}", _guarded(api.callback)),
            Route("/stats", _guarded(api.stats, ("since",))),
        ],
        default=_not_found,
        redirect_slashes=False,
    )
    guarded = BearerAuth(router, settings.api_token)
    return [
        Route("/api", BearerAuth(_not_found, settings.api_token)),
        _any_path(Mount("/api", guarded)),
    ]


def _any_path(route: Route | Mount) -> Route | Mount:
    """Let `:path` segments match newlines too (Starlette's `.*` does not), so odd paths under
    /api still reach the API's own JSON answers instead of the app's plain-text 404."""
    route.path_regex = re.compile(route.path_regex.pattern, re.DOTALL)
    return route


class _NotFound:
    """The API's JSON 404, as an ASGI app: a class, because Route takes a plain function for a
    request handler that answers GET only."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await error(404, "not found")(scope, receive, send)


_not_found = _NotFound()


class BearerAuth:
    """Checks the bearer token before routing, so unknown paths and methods reveal nothing.

    The comparison is constant-time (hmac.compare_digest on bytes), so response timing does not
    leak how much of a guessed token was right.
    """

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if not self.authorized(request.headers.get("authorization", "")):
            response = error(401, "missing or invalid bearer token", {"WWW-Authenticate": "Bearer"})
        elif request.method not in ("GET", "HEAD"):
            response = error(405, "the API is read-only", {"Allow": "GET, HEAD"})
        else:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)

    def authorized(self, header: str) -> bool:
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(token.strip().encode("utf-8", "replace"), self.expected)


def _guarded(endpoint: Endpoint, parameters: Sequence[str] = ()) -> Endpoint:
    """Turns validation failures into 400 and an unreachable database into 503, not 500.

    Unknown query parameters are refused: a misspelt filter (`?stauts=failed`) would otherwise
    be ignored and silently answer with every message. Anything else is a defect in the API,
    logged with its traceback and answered in JSON like every other answer here.
    """
    allowed = frozenset(parameters)

    async def guarded(request: Request) -> Response:
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            names = ", ".join(_shortened(name) for name in unknown[:MAX_ECHOED])
            more = f" and {len(unknown) - MAX_ECHOED} more" if len(unknown) > MAX_ECHOED else ""
            return error(400, f"unknown query parameter: {names}{more}")
        try:
            return await endpoint(request)
        except BadRequest as exc:
            return error(400, str(exc))
        except (psycopg.OperationalError, PoolTimeout):
            return error(503, "database unavailable; try again later")
        except Exception:
            log.exception("API request failed: %s %s", request.method, request.url.path)
            return error(500, "internal error")

    return guarded


# --- parameters -----------------------------------------------------------------------------

#: Unknown parameter names echoed in a 400, and characters of each: the reason stays short.
MAX_ECHOED = 5
MAX_ECHOED_CHARS = 64
_UUID = re.compile(
    r"[0-9a-f]{8}(-?)[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{12}", re.I | re.A
)


def _shortened(name: str) -> str:
    return name if len(name) <= MAX_ECHOED_CHARS else name[:MAX_ECHOED_CHARS] + "..."


def storable(value: str) -> bool:
    """Whether Postgres text can hold `value`: no NUL, and UTF-8-encodable (no lone surrogate,
    which a cursor's JSON can carry as an escape like \\ud800)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def query_param(request: Request, name: str) -> str | None:
    """One query parameter, or None when absent. Repeats are refused rather than guessed at."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise BadRequest(f"{name} given more than once")
    return values[0] if values else None


def parse_since(raw: str) -> datetime:
    """An ISO-8601 time; without an offset it is taken as UTC, like every stored time."""
    try:
        value = datetime.fromisoformat(raw.strip())
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    except (ValueError, OverflowError):
        raise BadRequest(
            "since must be an ISO-8601 time such as 2024-05-01T00:00:00Z (encode a + offset as %2B)"
        ) from None


def parse_limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    # Digits only: int() would also accept " 5", "+5", "5_0" and non-ASCII digits. The length
    # check keeps int() from refusing a number of more than 4300 digits with a ValueError.
    digits = raw.lstrip("0")
    if (
        not (raw.isascii() and raw.isdigit())
        or len(digits) > len(str(MAX_LIMIT))
        or not 1 <= int(digits or "0") <= MAX_LIMIT
    ):
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(digits)


def parse_status(raw: str) -> str:
    if raw not in STATUSES:
        raise BadRequest(f"status must be one of {', '.join(STATUSES)}")
    return raw


def encode_cursor(row: Row) -> str:
    """Opaque to clients: base64url of the sort key of the last item returned."""
    key = [_iso(row["last_received_at"]), row["provider"], row["message_key"]]
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(raw: str) -> tuple[datetime, str, str]:
    try:
        padded = raw + "=" * (-len(raw) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        when, provider, key_text = key
        if not all(isinstance(part, str) for part in key):
            raise ValueError("cursor parts must be strings")
        if not (storable(provider) and storable(key_text)):
            raise ValueError("NUL or lone surrogate in cursor")
        moment = datetime.fromisoformat(when)
        if moment.tzinfo is None:
            raise ValueError("cursor time without offset")
        return moment.astimezone(UTC), provider, key_text
    except (ValueError, TypeError, RecursionError, OverflowError, binascii.Error):
        raise BadRequest("cursor is malformed; pass next_cursor from a previous page") from None


def parse_callback_id(raw: str) -> uuid.UUID:
    """32 ASCII hex digits, hyphenated as 8-4-4-4-12 or not at all. uuid.UUID alone would also
    take braces, a `urn:uuid:` prefix, stray hyphens, underscores and non-ASCII digits."""
    if not _UUID.fullmatch(raw):
        raise BadRequest("callback id must be a UUID")
    return uuid.UUID(raw)


def matches_nothing(*values: str | None) -> bool:
    """A value Postgres text cannot hold (see `storable`) cannot match any stored row."""
    return any(value is not None and not storable(value) for value in values)


# --- JSON -----------------------------------------------------------------------------------


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def jsonable(row: Row) -> Row:
    """Times as ISO-8601 UTC and UUIDs as text; everything else is JSON already."""
    out: Row = {}
    for name, value in row.items():
        if isinstance(value, datetime):
            value = _iso(value)
        elif isinstance(value, uuid.UUID):
            value = str(value)
        out[name] = value
    return out


def callback_json(row: Row) -> Row:
    """The raw body as base64 (it may be any bytes), and as text too when it is UTF-8."""
    body = bytes(row.pop("body"))
    out = jsonable(row)
    out["body_base64"] = base64.b64encode(body).decode("ascii")
    try:
        out["body_text"] = body.decode("utf-8")
    except UnicodeDecodeError:
        out["body_text"] = None
    return out


def provider_stats(counts: Mapping[str, int]) -> Row:
    """Counts by status, and delivered / final events (null when nothing is final yet)."""
    by_status = {status: counts.get(status, 0) for status in STATUSES}
    final = sum(by_status[status] for status in FINAL_STATUSES)
    delivered = by_status[Status.DELIVERED.value]
    return {
        "events": sum(by_status.values()),
        "counts": by_status,
        "final": final,
        "delivered": delivered,
        "delivery_rate": delivered / final if final else None,
    }


# --- SQL ------------------------------------------------------------------------------------

MESSAGE_COLUMNS = (
    "provider, message_key, message_id, client_ref, recipient, status, status_rank, status_at, "
    "provider_status, error_code, error_detail, first_event_at, last_event_at, "
    "last_received_at, delivered_at, final_at, event_count"
)
EVENT_COLUMNS = (
    "id, callback_id, provider, message_key, message_id, client_ref, recipient, status, "
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


class _ReadApi:
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
            {"since": _iso(since), "providers": providers, "total": provider_stats(total)}
        )


async def openapi(request: Request) -> Response:
    return JSONResponse(OPENAPI)


# --- OpenAPI --------------------------------------------------------------------------------
# Hand-written so the API needs no schema library; tests/test_api.py runs schemathesis against
# it, which keeps it honest.


def _text(description: str, *, nullable: bool = False) -> Row:
    return {"type": "string", "nullable": nullable, "description": description}


def _time(description: str, *, nullable: bool = False) -> Row:
    return {
        "type": "string",
        "format": "date-time",
        "nullable": nullable,
        "description": description,
    }


def _object(properties: Row, description: str) -> Row:
    return {
        "type": "object",
        "description": description,
        "required": list(properties),
        "properties": properties,
    }


def _ref(name: str) -> Row:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_content(schema: Row) -> Row:
    return {"application/json": {"schema": schema}}


def _response(description: str, schema: Row) -> Row:
    return {"description": description, "content": _json_content(schema)}


def _query(name: str, description: str, schema: Row | None = None) -> Row:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _path(name: str, description: str, schema: Row | None = None) -> Row:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema or {"type": "string", "minLength": 1},
    }


def _operation(summary: str, ok: Row, parameters: list[Row], *, not_found: bool) -> Row:
    responses: Row = {
        "200": ok,
        "400": _response("A parameter is invalid; `error` says which and why.", _ref("Error")),
        "401": {
            "description": "Missing or wrong bearer token.",
            "headers": {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
            "content": _json_content(_ref("Error")),
        },
        "503": _response("The database is unreachable; retry later.", _ref("Error")),
    }
    if not_found:
        responses["404"] = _response("No such record.", _ref("Error"))
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


_STATUS_SCHEMA: Row = {"type": "string", "enum": list(STATUSES)}

_EVENT = _object(
    {
        "id": {"type": "integer", "description": "Event id, increasing in insert order."},
        "callback_id": {"type": "string", "format": "uuid", "description": "Source callback."},
        "provider": _text("Provider slug."),
        "message_key": _text("Message identity within the provider.", nullable=True),
        "message_id": _text("Provider's message id.", nullable=True),
        "client_ref": _text("Sender's own reference.", nullable=True),
        "recipient": _text("Destination number.", nullable=True),
        "status": {**_STATUS_SCHEMA, "description": "Normalized status."},
        "provider_status": _text("Provider's raw status.", nullable=True),
        "error_code": _text("Provider or carrier error code.", nullable=True),
        "error_detail": _text("Error or status text.", nullable=True),
        "occurred_at": _time("When the provider says it happened.", nullable=True),
        "occurred_at_raw": _text("Provider's event time as sent.", nullable=True),
        "received_at": _time("When the callback was received."),
    },
    "One delivery-status event (a delivery_events row).",
)

_MESSAGE_PROPERTIES: Row = {
    "provider": _text("Provider slug."),
    "message_key": _text("id:<message_id>, or ref:<client_ref>:<recipient>."),
    "message_id": _text("Provider's message id.", nullable=True),
    "client_ref": _text("Sender's own reference.", nullable=True),
    "recipient": _text("Destination number.", nullable=True),
    "status": _STATUS_SCHEMA,
    "status_rank": {"type": "integer", "description": "Status precedence; 3+ is final."},
    "status_at": _time("Time of the event that set the status."),
    "provider_status": _text("Raw status of that event.", nullable=True),
    "error_code": _text("Error code of that event.", nullable=True),
    "error_detail": _text("Error text of that event.", nullable=True),
    "first_event_at": _time("Earliest event time."),
    "last_event_at": _time("Latest event time."),
    "last_received_at": _time("When the latest event was received."),
    "delivered_at": _time("Earliest delivered time.", nullable=True),
    "final_at": _time("Earliest final-status time.", nullable=True),
    "event_count": {"type": "integer", "description": "Distinct events stored."},
}

_INBOUND = _object(
    {
        "id": {"type": "integer", "description": "Inbound message id."},
        "callback_id": {"type": "string", "format": "uuid", "description": "Source callback."},
        "provider": _text("Provider slug."),
        "message_id": _text("Provider's id of the reply.", nullable=True),
        "sender": _text("Handset that replied.", nullable=True),
        "recipient": _text("Number replied to.", nullable=True),
        "text": _text("Message text.", nullable=True),
        "occurred_at": _time("When the provider received it.", nullable=True),
        "occurred_at_raw": _text("Provider's time as sent.", nullable=True),
        "received_at": _time("When the callback was received."),
        "related_message_id": _text("Outbound message replied to.", nullable=True),
        "related_client_ref": _text("Client reference replied to.", nullable=True),
        "is_opt_out": {"type": "boolean", "description": "An opt-out (STOP-type) reply."},
        "keyword": _text("Opt-out keyword, upper-cased.", nullable=True),
    },
    "A reply or opt-out from a handset (an inbound_messages row).",
)

_STATS = _object(
    {
        "events": {"type": "integer", "minimum": 0, "description": "Events received."},
        "counts": _object(
            {status: {"type": "integer", "minimum": 0} for status in STATUSES},
            "Events by normalized status.",
        ),
        "final": {"type": "integer", "minimum": 0, "description": "Events with a final status."},
        "delivered": {"type": "integer", "minimum": 0, "description": "Delivered events."},
        "delivery_rate": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "nullable": True,
            "description": "delivered / final; null when no event is final.",
        },
    },
    "Event counts over the window.",
)

_SINCE_DESCRIPTION = "ISO-8601 time; without an offset it is UTC."

OPENAPI: Row = {
    "openapi": "3.0.3",
    "info": {
        "title": "receiver read API",
        "version": "1",
        "description": "Delivery receipts and replies stored by the receiver. Disabled (404) "
        "unless RECEIVER_API_TOKEN is set.",
    },
    "security": [{"bearerAuth": []}],
    "paths": {
        "/api/messages/{provider}/{message_id}": _operation(
            "A message's current state and its events, oldest first.",
            _response("The message.", _ref("MessageDetail")),
            [_path("provider", "Provider slug."), _path("message_id", "Provider's message id.")],
            not_found=True,
        ),
        "/api/messages": _operation(
            "Messages, most recently updated first, one page at a time.",
            _response("A page of messages.", _ref("MessagePage")),
            [
                _query("client_ref", "Exact client reference."),
                _query("recipient", "Recipient number; normalized like stored numbers."),
                _query("status", "Current status.", _STATUS_SCHEMA),
                _query("provider", "Provider slug."),
                _query(
                    "since",
                    "Only messages with an event received at or after this time. "
                    + _SINCE_DESCRIPTION,
                    {"type": "string", "format": "date-time"},
                ),
                _query(
                    "limit",
                    f"Page size, default {DEFAULT_LIMIT}.",
                    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                ),
                _query("cursor", "next_cursor from the previous page."),
            ],
            not_found=False,
        ),
        "/api/callbacks/{id}": _operation(
            "One raw callback request and what was read from it.",
            _response("The callback.", _ref("Callback")),
            [_path("id", "Callback id.", {"type": "string", "format": "uuid"})],
            not_found=True,
        ),
        "/api/stats": _operation(
            "Per provider: events by status and delivery rate since a time.",
            _response("The statistics.", _ref("Stats")),
            [
                _query(
                    "since",
                    f"Default: 24 hours ago. {_SINCE_DESCRIPTION}",
                    {"type": "string", "format": "date-time"},
                )
            ],
            not_found=False,
        ),
        "/api/openapi.json": _operation(
            "This document.",
            _response("OpenAPI 3.0 document.", {"type": "object"}),
            [],
            not_found=False,
        ),
    },
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": _object({"error": _text("Why the request failed.")}, "An error."),
            "Event": _EVENT,
            "InboundMessage": _INBOUND,
            "Message": _object(_MESSAGE_PROPERTIES, "Current state of a message."),
            "MessageDetail": _object(
                {**_MESSAGE_PROPERTIES, "events": {"type": "array", "items": _ref("Event")}},
                "A message and its events ordered by event time.",
            ),
            "MessagePage": _object(
                {
                    "items": {"type": "array", "items": _ref("Message")},
                    "next_cursor": _text(
                        "Cursor for the next page; null on the last.", nullable=True
                    ),
                },
                "One page of messages.",
            ),
            "Callback": _object(
                {
                    "id": {"type": "string", "format": "uuid"},
                    "received_at": _time("When the request was accepted."),
                    "provider": _text("Provider slug from the URL."),
                    "method": _text("GET or POST."),
                    "query": _text("Query string as received; credential values redacted."),
                    "headers": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": "Request headers; credentials redacted.",
                    },
                    "content_type": _text("Content-Type as sent.", nullable=True),
                    "body_base64": {"type": "string", "format": "byte"},
                    "body_text": _text("The body, when it is valid UTF-8.", nullable=True),
                    "parse_error": _text("Why it could not be normalized.", nullable=True),
                    "events": {"type": "array", "items": _ref("Event")},
                    "inbound_messages": {"type": "array", "items": _ref("InboundMessage")},
                },
                "A raw callback request.",
            ),
            "Stats": _object(
                {
                    "since": _time("Start of the window."),
                    "providers": {
                        "type": "array",
                        "items": {
                            "allOf": [
                                _object({"provider": _text("Provider slug.")}, "Provider."),
                                _STATS,
                            ]
                        },
                    },
                    "total": _STATS,
                },
                "Statistics over events received since `since`.",
            ),
        },
    },
}
