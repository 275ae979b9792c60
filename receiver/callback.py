"""An accepted callback request, and how it becomes normalized records."""

from __future__ import annotations

import functools
import random
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote_plus

from receiver.providers import Adapters
from receiver.providers.toolkit.payload import decode
from receiver.records import Normalized, PayloadError

__all__ = [
    "REDACTED",
    "Accepted",
    "RawCallback",
    "new_callback_id",
    "normalize",
    "redact_headers",
    "redact_query",
]

REDACTED = "[redacted]"

# A header is redacted when its lower-cased name contains one of these. Over-redaction costs
# only visibility, and signature headers are verified before anything is stored, so the net
# is wide: `key` catches x-api-key and x-functions-key, `auth` proxy-authorization and
# x-amzn-oidc-*, `jwt` cf-access-jwt-assertion.
_SECRET_HEADER_PARTS = (
    "token",
    "secret",
    "key",
    "auth",
    "pass",
    "cookie",
    "session",
    "signature",
    "credential",
    "jwt",
    "oidc",
    "principal",
)
# Words (between `-` or `_`) of headers in which a proxy or client repeats the request path or
# URL, which holds the callback token: X-Original-URI (nginx auth_request), X-Original-URL and
# X-Rewrite-URL (IIS URL Rewrite, ISAPI_Rewrite), X-Forwarded-Uri (Traefik), X-Forwarded-Path,
# X-Envoy-Original-Path (Envoy), X-Request-URI; `query` for headers that repeat the query.
_URL_HEADER_WORDS = frozenset({"uri", "url", "path", "query"})
# Traefik's StripPrefix puts the stripped path prefix here; Go's and browsers' clients send the
# previous URL as Referer when they follow a redirect (an http -> https one, say).
_URL_HEADERS = frozenset({"x-forwarded-prefix", "referer", "referrer"})
_HEADER_WORD_SPLIT = re.compile(r"[-_]")

# Query parameter names, lower-cased and reduced to letters and digits (so `api-key`, `api_key`
# and `apiKey` are all `apikey`), that are redacted when they contain one of these...
_SECRET_PARAM_PARTS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "signature",
    "credential",
    "apikey",
    "accesskey",
    "privatekey",
    "authkey",
    "authorization",
    "hmac",
)
# ...or are exactly one of these. Short words only as the whole name: as substrings they hit
# ordinary fields (`key` in Vonage's `keyword`, `sig` in `signal`, `auth` in `author`, `pass`
# in `passage`, `session` in `possession`), and adapters read such fields.
_SECRET_PARAM_NAMES = frozenset({"pwd", "pass", "key", "auth", "sig", "session"})
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, slots=True)
class RawCallback:
    """The request exactly as received, minus credentials: what `callbacks` stores."""

    id: uuid.UUID
    received_at: datetime
    provider: str
    method: str
    query: str
    headers: dict[str, str]
    content_type: str | None
    body: bytes


@dataclass(frozen=True, slots=True)
class Accepted:
    """A raw callback with what its adapter made of it."""

    raw: RawCallback
    normalized: Normalized
    parse_error: str | None


def new_callback_id(now: float | None = None) -> uuid.UUID:
    """A time-ordered UUID (version 7 layout): ids sort by arrival and index compactly."""
    millis = int((time.time() if now is None else now) * 1000)
    # 74 random bits from the random module, seeded from os.urandom and reseeded in every
    # forked worker: ids need to be unique, not unguessable, and a getrandom(2) call per
    # callback cost more than the rest of this function.
    rand = random.getrandbits(74)
    return uuid.UUID(
        int=(millis & _MILLIS_MASK) << 80
        | 0x7 << 76  # version 7
        | (rand >> 62) << 64
        | 0x2 << 62  # RFC 4122 variant
        | (rand & _LOW_62)
    )


_MILLIS_MASK = (1 << 48) - 1
_LOW_62 = (1 << 62) - 1


@functools.lru_cache(maxsize=1024)
def _secret_header(name: str) -> bool:
    """Whether the header `name` (lower-cased) is redacted; cached, as callbacks repeat names."""
    if any(part in name for part in _SECRET_HEADER_PARTS) or name in _URL_HEADERS:
        return True
    return not _URL_HEADER_WORDS.isdisjoint(_HEADER_WORD_SPLIT.split(name))


def redact_headers(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers by lower-cased name, repeats joined with ", "; credentials, signatures and
    copies of the request URL (which holds the callback token) replaced by REDACTED, so their
    presence stays visible but not their value."""
    headers: dict[str, str] = {}
    for name, value in items:
        key = name.lower()
        shown = REDACTED if _secret_header(key) else value
        headers[key] = f"{headers[key]}, {shown}" if key in headers else shown
    return headers


@functools.lru_cache(maxsize=1024)
def _secret_param(raw_name: str) -> bool:
    """Whether a query parameter, by its name as sent (still percent-encoded), is redacted."""
    name = _NOT_ALPHANUMERIC.sub("", unquote_plus(raw_name).lower())
    return name in _SECRET_PARAM_NAMES or any(part in name for part in _SECRET_PARAM_PARTS)


def redact_query(query: str) -> str:
    """`query` with the values of credential-like parameters replaced by REDACTED.

    Everything else stays byte for byte as sent: the query is split on `&` only, as the
    decoder (urllib.parse.parse_qsl) splits it, and no piece is decoded or re-encoded. An empty
    value stays empty, as it holds nothing. Adapters never read these parameters, so a stored
    callback normalizes again exactly as it did live (tests/test_redaction.py checks this for
    every provider's fixtures); signatures among them were checked before storage.
    """
    if "=" not in query:
        return query
    pieces = query.split("&")
    changed = False
    for index, piece in enumerate(pieces):
        name, _, value = piece.partition("=")
        if value and _secret_param(name):
            pieces[index] = f"{name}={REDACTED}"
            changed = True
    return "&".join(pieces) if changed else query


def now_utc() -> datetime:
    return datetime.now(UTC)


def normalize(raw: RawCallback, adapters: Adapters) -> Accepted:
    """Run the provider's adapter; any failure becomes a parse error, never an exception."""
    adapter = adapters.get(raw.provider)
    if adapter is None:  # a provider since removed from the configuration: keep the request
        return Accepted(raw, Normalized(), f"no adapter for provider {raw.provider!r}")
    try:
        payload = decode(raw.query, raw.content_type, raw.body)
        normalized = adapter.parse(payload)
    except PayloadError as exc:
        return Accepted(raw, Normalized(), str(exc) or "unreadable callback")
    except Exception as exc:  # an adapter bug must not lose the request: keep it for re-parse
        return Accepted(raw, Normalized(), f"internal parse failure: {type(exc).__name__}: {exc}")
    return Accepted(raw, normalized, None)
