"""Refused callbacks (wrong URL token, bad signature), kept in memory for the console.

They are never stored in Postgres: a refused request stores nothing, by contract, and writing a
row for each would let anyone who guesses a provider slug make the database write. So each
process keeps its last few hundred in a ring, and the console shows the ring of the process
that serves the page. Nothing from the URL path is kept, as it may hold a token.
"""

from __future__ import annotations

import collections
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AuthFailure", "AuthFailureLog", "AuthFailureRecorder"]

#: Refusals remembered per process.
RING_SIZE = 500
#: Longest user agent kept (it is shown, not parsed).
MAX_AGENT = 120


@dataclass(frozen=True, slots=True)
class AuthFailure:
    at: datetime
    provider: str
    method: str
    status: int
    #: "wrong URL token" or "bad signature".
    reason: str
    client: str
    user_agent: str


class AuthFailureLog:
    def __init__(self, size: int = RING_SIZE) -> None:
        self._ring: collections.deque[AuthFailure] = collections.deque(maxlen=size)
        self._lock = threading.Lock()
        self.total = 0

    def add(self, failure: AuthFailure) -> None:
        with self._lock:
            self._ring.append(failure)
            self.total += 1

    def recent(self, limit: int) -> list[AuthFailure]:
        """Newest first."""
        with self._lock:
            items = list(self._ring)
        return items[::-1][:limit]


class AuthFailureRecorder:
    """ASGI middleware: notes each callback answered 401 (bad signature) or 404 for a known
    provider (wrong URL token, the only 404 a known provider's URL gets), from the outside, so
    the callback path itself is unchanged."""

    def __init__(self, app: ASGIApp, log: AuthFailureLog, providers: frozenset[str]) -> None:
        self.app = app
        self.log = log
        self.providers = providers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/callbacks/"):
            await self.app(scope, receive, send)
            return
        parts = scope["path"].rstrip("/").split("/")
        provider = parts[2] if len(parts) > 2 else ""
        if provider not in self.providers:
            await self.app(scope, receive, send)
            return

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                if status == 401 or (status == 404 and len(parts) == 4):
                    self._record(scope, provider, status)
            await send(message)

        await self.app(scope, receive, watch)

    def _record(self, scope: Scope, provider: str, status: int) -> None:
        agent = next((v for k, v in scope["headers"] if k == b"user-agent"), b"")
        client = scope.get("client")
        self.log.add(
            AuthFailure(
                at=datetime.now(UTC),
                provider=provider,
                method=str(scope["method"]),
                status=status,
                reason="bad signature" if status == 401 else "wrong URL token",
                client=str(client[0]) if client else "",
                user_agent=agent.decode("latin-1")[:MAX_AGENT],
            )
        )
