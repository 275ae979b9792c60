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

import hmac
import logging
import re
from collections.abc import Sequence

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from receiver.api.params import LIST_PARAMETERS, MAX_ECHOED, BadRequest, Endpoint, error, shortened
from receiver.api.queries import OPENAPI, ReadApi, openapi
from receiver.config import Settings

__all__ = ["OPENAPI", "api_routes"]

log = logging.getLogger("receiver.api")


# --- routing and authentication -------------------------------------------------------------


def api_routes(pool: AsyncConnectionPool, settings: Settings) -> list[BaseRoute]:
    """The `/api` mount. Without `settings.api_token` it answers 404 to everything.

    `/api` itself is routed too (a Mount matches only below it), so it, and `/api/`, which the
    app treats as `/api`, get the API's JSON answers rather than the app's plain-text 404.
    """
    if not settings.api_token:
        return [Route("/api", _not_found), _any_path(Mount("/api", app=_not_found))]
    api = ReadApi(pool)
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
            names = ", ".join(shortened(name) for name in unknown[:MAX_ECHOED])
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
