"""The interface every provider adapter implements, and the values it sees and answers with.

An adapter does two things, at two different times:

* `verify` runs on a live request only, after the URL token matched and before anything is
  stored. It sees the whole request as received (`Request`): method, the URL the provider called,
  every header unredacted, the raw body. It raises `SignatureError` to refuse the request.
* `parse` runs on a stored request: on the live path, on spool replay and on `receiver reparse`.
  It sees decoded fields only (`Payload`) and never raises for an unmapped status: that maps to
  `unknown` and keeps the raw value. It raises `PayloadError` only when the request is not a
  callback it can read at all; the request is then kept with that parse error.

Provider knowledge (which field holds what, how raw statuses map) lives in module-level tables
beside each subclass, each citing the provider's documentation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import parse_qsl

from receiver.providers.toolkit.payload import Payload
from receiver.records import Normalized
from receiver.status import Status

__all__ = ["Adapter", "Answer", "Request", "SignatureError"]


class SignatureError(Exception):
    """The request's signature is missing, malformed, stale or wrong: answered 401, not stored.

    The message says which of these, and never includes a secret or the signature itself: it
    is logged.
    """


@dataclass(frozen=True, slots=True)
class Request:
    """A live callback request exactly as received; built before redaction and never stored."""

    method: str
    #: The URL the provider called: RECEIVER_PUBLIC_URL (or the scheme and Host seen) plus the
    #: raw path and query string, byte for byte as sent.
    url: str
    query: str
    #: Every header as received, names lower-cased, repeated ones kept in order.
    headers: tuple[tuple[str, str], ...]
    body: bytes
    content_type: str | None

    def header(self, name: str) -> str | None:
        """The first value of header `name` (case-insensitive), or None."""
        wanted = name.lower()
        for key, value in self.headers:
            if key == wanted:
                return value
        return None

    @property
    def query_params(self) -> list[tuple[str, str]]:
        """Query parameters, multi-valued and in order."""
        return parse_qsl(self.query, keep_blank_values=True)

    @property
    def form_params(self) -> list[tuple[str, str]]:
        """Parameters of a urlencoded form body, multi-valued and in order ([] for other bodies)."""
        mime = (self.content_type or "").split(";", 1)[0].strip().lower()
        if mime != "application/x-www-form-urlencoded":
            return []
        return parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    @property
    def params(self) -> list[tuple[str, str]]:
        """Query parameters, then form body parameters."""
        return self.query_params + self.form_params


@dataclass(frozen=True, slots=True)
class Answer:
    """What a provider is answered once its callback is durable."""

    body: bytes = b"OK"
    content_type: str = "text/plain; charset=utf-8"
    status: int = 200


class Adapter:
    """Turns one provider's callback into normalized records (see the module docstring).

    Subclasses set `slug` and implement `parse`; those whose provider signs its callbacks take
    their secrets in `__init__` and implement `verify`.
    """

    slug: ClassVar[str]
    #: The 200 answer; some providers need a particular one (Jasmin, Twilio's TwiML).
    answer: ClassVar[Answer] = Answer()
    #: Largest body for providers that batch many events in one request; None: the default.
    max_body: ClassVar[int | None] = None
    #: The adapter's mapping tables, by the name of the field they read (raw value ->
    #: status): docs/providers.md is generated from them.
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {}
    #: What a message is keyed by, in words, for docs/providers.md.
    keyed_by: ClassVar[str] = ""

    @property
    def verifies(self) -> bool:
        """True when `verify` has secrets to check against (the endpoint skips it otherwise)."""
        return False

    def verify(self, request: Request) -> None:
        """Raise SignatureError unless `request` is signed by the provider. Default: unsigned."""

    def parse(self, payload: Payload) -> Normalized:
        raise NotImplementedError
