"""Request parameters of the read API, validated before any SQL runs: a bad one is a 400
with its reason, and text Postgres cannot hold (NUL, lone surrogates) never reaches it."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from receiver.api.rows import STATUSES, Row, iso

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
DEFAULT_STATS_WINDOW = timedelta(hours=24)

log = logging.getLogger("receiver.api")

LIST_PARAMETERS = ("client_ref", "recipient", "status", "provider", "since", "limit", "cursor")
Endpoint = Callable[[Request], Awaitable[Response]]


class BadRequest(Exception):
    """A request parameter is unacceptable; the message is shown to the client as the reason."""


def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


# --- parameters -----------------------------------------------------------------------------

#: Unknown parameter names echoed in a 400, and characters of each: the reason stays short.
MAX_ECHOED = 5
MAX_ECHOED_CHARS = 64
_UUID = re.compile(
    r"[0-9a-f]{8}(-?)[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{12}", re.I | re.A
)


def shortened(name: str) -> str:
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
    key = [iso(row["last_received_at"]), row["provider"], row["message_key"]]
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
