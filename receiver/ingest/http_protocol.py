"""The HTTP connection, with the limits uvicorn lacks: header size, header time, connections.

uvicorn's httptools protocol buffers request headers of any size for as long as the sender
takes, and keeps a connection that sends nothing open for good. A sender (or an attacker) can
then stall the process or use up its file descriptors, and the callbacks of every other provider
fail with it. This subclass adds, per connection:

* a cap on the bytes of a request's headers: 431, connection closed, nothing stored;
* a deadline for the headers to arrive, counted from the connection (or the request's first
  byte): 408, connection closed. The body has its own deadline in the endpoint;
* a cap on open connections: above it, requests get 503 with Retry-After (the health checks
  still answer), and well above it, a new connection is answered 503 and closed at once.

Its limits come from the same environment as the app's (`Settings.from_env`), because uvicorn
workers are separate processes that import this class by name.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from receiver.config import Settings

__all__ = ["GuardedHttpProtocol", "Limits", "server_options"]

# Connections beyond the cap that still get a request-level 503 (with the health checks
# answered) before new ones are closed on arrival.
_HEADROOM = 64
_HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
# After a refusal, how long what the client still sends is read and dropped before the
# connection is closed: closed with input unread, it is reset, and a reset can destroy the
# answer on its way (a lingering close, as web servers do).
_LINGER = 2.0


class Limits:
    """The connection limits in force in this process."""

    def __init__(self, settings: Settings) -> None:
        self.max_header_size = settings.max_header_size
        self.header_timeout = settings.header_timeout
        self.max_connections = settings.max_connections


@functools.cache
def _process_limits() -> Limits:
    return Limits(Settings.from_env())


def _raw_response(status: int, reason: str, text: str, *headers: str) -> bytes:
    body = text.encode()
    lines = [
        f"HTTP/1.1 {status} {reason}",
        "content-type: text/plain; charset=utf-8",
        f"content-length: {len(body)}",
        "connection: close",
        *headers,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _asgi_answer(status: int, text: str, send: Any, *headers: tuple[bytes, bytes]) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _too_many_connections(scope: Any, receive: Any, send: Any) -> None:
    text = "Too many open connections; please retry."
    await _asgi_answer(503, text, send, (b"retry-after", b"1"))


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the limits in the module docstring."""

    #: Overridden in tests; None: the process's settings.
    limits: ClassVar[Limits | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limits = self.limits or _process_limits()
        self._header_bytes = 0
        self._awaiting_headers = True
        self._header_timer: asyncio.TimerHandle | None = None
        self._refused: asyncio.TimerHandle | None = None  # lingering before the close

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self._limits.max_connections + _HEADROOM:
            self._refuse(503, "Service Unavailable", "Too many open connections; please retry.")
            return
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        if self._refused is not None:
            self._refused.cancel()
        super().connection_lost(exc)

    def eof_received(self) -> None:
        if self._refused is not None:
            self.transport.close()  # the client is done sending: the linger is over
            return
        super().eof_received()

    def data_received(self, data: bytes) -> None:
        if self._refused is not None:
            return  # refused: read and dropped until the close
        if self._awaiting_headers:
            self._header_bytes += len(data)
        super().data_received(data)
        if (
            self._awaiting_headers
            and self._header_bytes > self._limits.max_header_size
            and not self.transport.is_closing()
        ):
            # Refused while still arriving: never buffered whole.
            self._refuse(
                431, "Request Header Fields Too Large", self._too_large_text(), linger=True
            )

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._awaiting_headers = True
        self._header_bytes = 0
        if self._header_timer is None:
            self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._awaiting_headers = False
        self._disarm_header_timer()
        size = len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)
        refusal: Any = None
        if size > self._limits.max_header_size:  # arrived complete in one read

            async def refusal(scope: Any, receive: Any, send: Any) -> None:
                await _asgi_answer(431, self._too_large_text(), send)

        elif len(self.connections) > self._limits.max_connections:
            path = self.url.split(b"?", 1)[0].decode("latin-1").rstrip("/")
            if path not in _HEALTH_PATHS:
                refusal = _too_many_connections
        if refusal is None:
            return super().on_headers_complete()
        app, self.app = self.app, refusal
        try:
            super().on_headers_complete()
        finally:
            self.app = app

    def _too_large_text(self) -> str:
        limit = self._limits.max_header_size
        return f"Request headers larger than {limit} bytes; nothing was stored."

    def _arm_header_timer(self) -> None:
        self._header_timer = self.loop.call_later(
            self._limits.header_timeout, self._headers_timed_out
        )

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_timed_out(self) -> None:
        self._header_timer = None
        if self._awaiting_headers and not self.transport.is_closing():
            timeout = self._limits.header_timeout
            text = f"Request headers not received within {timeout:g} s; nothing was stored."
            self._refuse(408, "Request Timeout", text)

    def _refuse(self, status: int, reason: str, text: str, *, linger: bool = False) -> None:
        """Answer and close. `linger` when the client is still sending (headers too large):
        see _LINGER. A silent client, or one beyond the connection cap, is closed at once."""
        self._disarm_header_timer()
        extra = ("retry-after: 1",) if status == 503 else ()
        self.transport.write(_raw_response(status, reason, text, *extra))
        if not (linger and self.transport.can_write_eof()):
            self.transport.close()
            return
        self.transport.write_eof()  # the answer, then FIN; reading goes on until the close
        self._refused = self.loop.call_later(_LINGER, self.transport.close)


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn settings for the limits above (pass them to uvicorn.run)."""
    _fit_descriptor_limit(settings.max_connections + _HEADROOM)
    return {"http": GuardedHttpProtocol, "timeout_keep_alive": 5}


def _fit_descriptor_limit(connections: int) -> None:
    """Raise the soft file-descriptor limit so the connection cap is reached before it is:
    past it, accept() fails and a new client (a health check, say) gets a connection reset."""
    import resource

    wanted = connections + 256  # Postgres connections, spool and log files, the listener
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        ceiling = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))
