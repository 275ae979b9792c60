"""The callback endpoint, `/callbacks/{provider}/{token}`: where a provider's request is accepted.

It is the one route on the hot path, so it is a plain ASGI app rather than a Starlette
request/response function: it reads the body and answers with raw ASGI messages, which saves
the Request and Response objects on every callback. `CallbackShortcut`, a middleware, hands it
callbacks before Starlette's routing and exception layers (about a fifth of the server's time
per callback, measured with `python -m bench --baseline`); everything else is Starlette's.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from receiver.callback import (
    RawCallback,
    new_callback_id,
    now_utc,
    redact_headers,
    redact_query,
)
from receiver.ingest.writer import NotDurable, Overloaded, Writer
from receiver.logs import RateLimited
from receiver.metrics import Metrics
from receiver.providers import Adapters, Answer, Request, SignatureError
from receiver.tokens import token_matches

__all__ = ["CallbackEndpoint", "CallbackShortcut"]

log = logging.getLogger("receiver.ingest.endpoint")


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "-"


class _BodyTooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


_Response = tuple[dict[str, Any], dict[str, Any]]


def _response(answer: Answer, *extra: tuple[bytes, bytes]) -> _Response:
    start = {
        "type": "http.response.start",
        "status": answer.status,
        "headers": [
            (b"content-type", answer.content_type.encode("latin-1")),
            (b"content-length", str(len(answer.body)).encode()),
            *extra,
        ],
    }
    return start, {"type": "http.response.body", "body": answer.body}


def _text_response(status: int, text: str, *extra: tuple[bytes, bytes]) -> _Response:
    return _response(Answer(text.encode(), status=status), *extra)


_NOT_FOUND = _text_response(404, "Not Found")
_DISCONNECTED = _text_response(400, "Client disconnected.")
_UNAVAILABLE = _text_response(503, "Callback could not be stored right now; please retry.")
_OVERLOADED = _text_response(
    503, "Too many callbacks waiting to be stored; please retry.", (b"retry-after", b"1")
)
_BAD_SIGNATURE = _text_response(401, "Signature verification failed; nothing was stored.")


async def _send(send: Send, response: tuple[dict[str, Any], dict[str, Any]]) -> None:
    await send(response[0])
    await send(response[1])


class _Deadline:
    """Cancels the current task at `seconds` unless ended first: what `asyncio.timeout` does,
    at a fraction of its cost on the hot path (one timer handle, no rescheduling)."""

    __slots__ = ("_handle", "_task", "expired")

    def __init__(self, seconds: float) -> None:
        self._task = asyncio.current_task()
        self.expired = False
        self._handle = asyncio.get_running_loop().call_later(seconds, self._expire)

    def _expire(self) -> None:
        self.expired = True
        if self._task is not None:
            self._task.cancel()

    def end(self) -> None:
        """Disarm; if the deadline had fired, take back its cancellation of the task."""
        self._handle.cancel()
        if self.expired and self._task is not None:
            self._task.uncancel()


async def _read_body_by(scope: Scope, receive: Receive, limit: int, seconds: float) -> bytes:
    """`_read_body`, or TimeoutError once `seconds` pass: a stalled sender holds nothing."""
    deadline = _Deadline(seconds)
    try:
        return await _read_body(scope, receive, limit)
    except asyncio.CancelledError:
        if deadline.expired:
            raise TimeoutError from None
        raise
    finally:
        deadline.end()


async def _read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """Read at most `limit` bytes, refusing early rather than buffering an unbounded body."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            if not value.strip().isdigit():
                raise ValueError("invalid Content-Length header")
            if int(value) > limit:
                raise _BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def public_url(scope: Scope, base: str | None) -> str:
    """The URL the provider called: `base` (RECEIVER_PUBLIC_URL) or the scheme and Host seen,
    then the raw path and query string, so a URL signature is checked over exactly what was
    signed, also behind a proxy that terminates TLS."""
    if base is None:
        host = next((v for k, v in scope["headers"] if k == b"host"), b"").decode("latin-1")
        base = f"{scope.get('scheme', 'http')}://{host}"
    path = scope.get("raw_path") or scope["path"].encode()
    url = base + scope.get("root_path", "") + path.decode("latin-1")
    query = scope["query_string"]
    return f"{url}?{query.decode('latin-1')}" if query else url


class CallbackEndpoint:
    """Accepts a callback, waits until it is durable (writer.py), then acknowledges it.

    Order matters: the URL token, then the size limit, then the provider's signature, and only
    then is anything stored. Each refusal stores nothing. Nothing is parsed here: the projector
    (projector.py) reads the stored request behind the ack.
    """

    def __init__(
        self,
        writer: Writer,
        metrics: Metrics,
        tokens: tuple[str, ...],
        max_body: int,
        adapters: Adapters,
        public_base_url: str | None = None,
        body_timeout: float = 10.0,
    ) -> None:
        self.writer = writer
        # A misconfigured provider retries each refused callback: one line per provider and
        # cause every 10 s.
        self._refusals = RateLimited(log)
        self.body_timeout = body_timeout
        self._slow_body = _text_response(
            408,
            f"Request body not received within {body_timeout:g} s; nothing was stored.",
            (b"connection", b"close"),
        )
        self.metrics = metrics
        self.tokens = tokens
        self.adapters = adapters
        self.public_base_url = public_base_url
        # Batching providers get their own, larger limit; never a smaller one.
        self.limits = {
            slug: max(max_body, adapter.max_body or 0) for slug, adapter in adapters.items()
        }
        self.acks = {slug: _response(adapter.answer) for slug, adapter in adapters.items()}
        # prometheus-client's labels() takes a lock and builds a key each call; the providers
        # and outcomes are few, so their counters are looked up once.
        self._counters: dict[tuple[str, str], Any] = {}

    def _counter(self, provider: str, outcome: str) -> Any:
        counter = self._counters.get((provider, outcome))
        if counter is None:
            counter = self._counters[(provider, outcome)] = self.metrics.callbacks.labels(
                provider, outcome
            )
        return counter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        params = scope["path_params"]
        provider = params["provider"]
        adapter = self.adapters.get(provider)
        if adapter is None:
            return await _send(send, _NOT_FOUND)
        count = self._counter
        if self.tokens and not token_matches(params.get("token", ""), self.tokens):
            count(provider, "auth_failed").inc()
            self._refusals.warning(  # never the token given: it may be a real one, mistyped
                f"token:{provider}",
                "%s callback from %s refused (404): wrong or missing callback token",
                provider,
                _client(scope),
                provider=provider,
            )
            return await _send(send, _NOT_FOUND)
        if scope["method"] == "HEAD":  # a URL check, not a callback: nothing to store
            return await _send(send, self.acks[provider])
        started = time.perf_counter()
        limit = self.limits[provider]
        try:
            body = await _read_body_by(scope, receive, limit, self.body_timeout)
        except TimeoutError:
            count(provider, "timed_out").inc()
            return await _send(send, self._slow_body)
        except _BodyTooLarge:
            count(provider, "too_large").inc()
            text = f"Request body larger than {limit} bytes; nothing was stored."
            return await _send(send, _text_response(413, text))
        except ValueError as exc:
            return await _send(send, _text_response(400, f"Bad request: {exc}."))
        except _Disconnected:
            return await _send(send, _DISCONNECTED)
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        query = scope["query_string"].decode("latin-1")
        content_type = next((v for k, v in headers if k.lower() == "content-type"), None)
        if adapter.verifies:
            request = Request(
                method=scope["method"],
                url=public_url(scope, self.public_base_url),
                query=query,
                headers=tuple((k.lower(), v) for k, v in headers),
                body=body,
                content_type=content_type,
            )
            try:
                adapter.verify(request)
            except SignatureError as exc:
                count(provider, "bad_signature").inc()
                self._refusals.warning(
                    f"signature:{provider}",
                    "%s callback from %s refused (401): %s",
                    provider,
                    _client(scope),
                    exc,
                    provider=provider,
                )
                return await _send(send, _BAD_SIGNATURE)
        raw = RawCallback(
            id=new_callback_id(),
            received_at=now_utc(),
            provider=provider,
            method=scope["method"],
            query=redact_query(query),  # after verify, which may need what it hides
            headers=redact_headers(headers),
            content_type=content_type,
            body=body,
        )
        try:
            outcome = await self.writer.write(raw)
        except NotDurable:
            count(provider, "unavailable").inc()
            return await _send(send, _UNAVAILABLE)
        except Overloaded:
            count(provider, "overloaded").inc()
            return await _send(send, _OVERLOADED)
        count(provider, outcome).inc()
        self.metrics.ack_seconds.observe(time.perf_counter() - started)
        await _send(send, self.acks[provider])


class CallbackShortcut:
    """Middleware: a request for `/callbacks/{provider}/{token}` (or `/callbacks/{provider}`
    when `tokenless`) goes straight to `endpoint`. Anything else, including a method the route
    does not take, goes on to the app, which has the same routes, so every answer is the one
    routing would give. A trailing slash is dropped from every path first (`raw_path` keeps it,
    for URL signatures), so it gets the same route or 404 as without it, never a redirect."""

    def __init__(self, app: ASGIApp, endpoint: CallbackEndpoint, tokenless: bool) -> None:
        self.app = app
        self.endpoint = endpoint
        self.parts = (3,) if tokenless else (4,)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and len(scope["path"]) > 1 and scope["path"].endswith("/"):
            scope = {**scope, "path": scope["path"].rstrip("/") or "/"}
        if (
            scope["type"] == "http"
            and scope["method"] in ("POST", "GET", "HEAD")
            and not scope.get("root_path")
        ):
            parts = scope["path"].split("/")
            if len(parts) in self.parts and parts[1] == "callbacks" and all(parts[2:]):
                scope["path_params"] = dict(zip(("provider", "token"), parts[2:], strict=False))
                return await self.endpoint(scope, receive, send)
        await self.app(scope, receive, send)
