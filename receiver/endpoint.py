"""The callback endpoint, `/callbacks/{provider}/{token}`: where a provider's request is accepted.

It is the one route on the hot path, so it is a plain ASGI app rather than a Starlette
request/response function: it reads the body and answers with raw ASGI messages, which saves
the Request and Response objects on every callback. `CallbackShortcut`, a middleware, hands it
callbacks before Starlette's routing and exception layers (about a fifth of the server's time
per callback, measured with `python -m bench --baseline`); everything else is Starlette's.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from receiver.callback import RawCallback, new_callback_id, normalize, now_utc, redact_headers
from receiver.metrics import Metrics
from receiver.providers import ADAPTERS
from receiver.status import Status
from receiver.tokens import token_matches
from receiver.writer import NotDurable, Writer

__all__ = ["CallbackEndpoint", "CallbackShortcut"]


class _BodyTooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


def _text_response(status: int, text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    body = text.encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


_NOT_FOUND = _text_response(404, "Not Found")
_DISCONNECTED = _text_response(400, "Client disconnected.")
_UNAVAILABLE = _text_response(503, "Callback could not be stored right now; please retry.")
# Each provider's acknowledgement, built once.
_ACKS = {slug: _text_response(200, adapter.ack_body) for slug, adapter in ADAPTERS.items()}


async def _send(send: Send, response: tuple[dict[str, Any], dict[str, Any]]) -> None:
    await send(response[0])
    await send(response[1])


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


class CallbackEndpoint:
    """Accepts a callback, waits until it is durable (writer.py), then acknowledges it."""

    def __init__(
        self, writer: Writer, metrics: Metrics, tokens: tuple[str, ...], max_body: int
    ) -> None:
        self.writer = writer
        self.metrics = metrics
        self.tokens = tokens
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        params = scope["path_params"]
        provider = params["provider"]
        if provider not in ADAPTERS:
            return await _send(send, _NOT_FOUND)
        count = self.metrics.callbacks.labels
        if self.tokens and not token_matches(params.get("token", ""), self.tokens):
            count(provider, "auth_failed").inc()
            return await _send(send, _NOT_FOUND)
        if scope["method"] == "HEAD":  # a URL check, not a callback: nothing to store
            return await _send(send, _ACKS[provider])
        started = time.perf_counter()
        try:
            body = await _read_body(scope, receive, self.max_body)
        except _BodyTooLarge:
            count(provider, "too_large").inc()
            text = f"Request body larger than {self.max_body} bytes; nothing was stored."
            return await _send(send, _text_response(413, text))
        except ValueError as exc:
            return await _send(send, _text_response(400, f"Bad request: {exc}."))
        except _Disconnected:
            return await _send(send, _DISCONNECTED)
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        raw = RawCallback(
            id=new_callback_id(),
            received_at=now_utc(),
            provider=provider,
            method=scope["method"],
            query=scope["query_string"].decode("latin-1"),
            headers=redact_headers(headers),
            content_type=next((v for k, v in headers if k.lower() == "content-type"), None),
            body=body,
        )
        accepted = normalize(raw)
        try:
            outcome = await self.writer.write(accepted)
        except NotDurable:
            count(provider, "unavailable").inc()
            return await _send(send, _UNAVAILABLE)
        count(provider, "parse_error" if accepted.parse_error else outcome).inc()
        unknown = sum(1 for e in accepted.normalized.events if e.status is Status.UNKNOWN)
        if unknown:
            self.metrics.unknown_status.labels(provider).inc(unknown)
        self.metrics.ack_seconds.observe(time.perf_counter() - started)
        await _send(send, _ACKS[provider])


class CallbackShortcut:
    """Middleware: a request for `/callbacks/{provider}/{token}` (or `/callbacks/{provider}`
    when `tokenless`) goes straight to `endpoint`. Anything else, including a method the route
    does not take or a path with a trailing slash, goes on to the app, which has the same
    routes, so every answer is the one routing would give."""

    def __init__(self, app: ASGIApp, endpoint: CallbackEndpoint, tokenless: bool) -> None:
        self.app = app
        self.endpoint = endpoint
        self.parts = (3,) if tokenless else (4,)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
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
