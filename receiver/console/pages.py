"""The console's pages, mounted at /console when RECEIVER_CONSOLE is set."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

import jinja2
import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from receiver.config import ConfigError, Settings
from receiver.console import charts, queries
from receiver.console.auth import (
    COOKIE,
    FormTooLarge,
    Session,
    SessionSigner,
    read_form,
    same_origin,
    token_matches,
)
from receiver.console.failures import AuthFailure, AuthFailureLog, AuthFailureRecorder

__all__ = ["Console", "SecurityHeaders"]

log = logging.getLogger("receiver.console")
HERE = Path(__file__).resolve().parent
Handler = Callable[[Request, Session], Awaitable[Response]]

# No inline script or style anywhere: the CSP needs no 'unsafe-inline' and no nonces.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    # same-origin, not no-referrer: under no-referrer browsers send `Origin: null` on POSTs,
    # and the CSRF check needs the real origin.
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
#: Bytes of a raw body shown inline; batches can be megabytes.
MAX_BODY_SHOWN = 64 * 1024
#: Seconds a refused login waits, which slows guessing.
LOGIN_DELAY = 0.25
_STATES = ("pending", "delivered", "failed")


class SpoolFigures(Protocol):
    """What the overview shows of the spool (receiver.spool.SpoolStats)."""

    @property
    def entries(self) -> int: ...
    @property
    def files(self) -> int: ...
    @property
    def bytes(self) -> int: ...
    @property
    def quarantined(self) -> int: ...
    @property
    def oldest(self) -> datetime | None: ...


class SecurityHeaders:
    """ASGI middleware: the console's headers on every response it gives, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass(frozen=True, slots=True)
class _Row:
    """One line of the recent list: a stored callback or a refused one."""

    at: datetime
    kind: str  # "callback" or "refused"
    callback: dict[str, Any] | None = None
    failure: AuthFailure | None = None


class Console:
    """Routes for /console, and the middleware that notes refused callbacks for it."""

    def __init__(
        self,
        settings: Settings,
        pool: AsyncConnectionPool,
        *,
        spool_stats: Callable[[], SpoolFigures],
        wake_projector: Callable[[], None],
        providers: Iterable[str],
    ) -> None:
        if not settings.api_token:
            raise ConfigError("RECEIVER_CONSOLE needs RECEIVER_API_TOKEN")
        self.pool = pool
        self.public_url = settings.public_url
        self.spool_stats = spool_stats
        self.wake_projector = wake_projector
        self.signer = SessionSigner(settings.api_token)
        self.failures = AuthFailureLog()
        self.recorder = Middleware(
            AuthFailureRecorder, log=self.failures, providers=frozenset(providers)
        )
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        env.filters.update(when=_when, ago=_ago, pct=_pct, q=_q, origin=_origin, size=_size)
        env.globals.update(charts=charts, statuses=queries.STATUSES)
        self.templates = Jinja2Templates(env=env)
        router = Router(
            routes=[
                Route("/login", self.login_form, methods=["GET"]),
                Route("/login", self.login, methods=["POST"]),
                Route("/logout", self._guard(self.logout), methods=["POST"]),
                Route("/overview", self._guard(self.overview)),
                Route("/search", self._guard(self.search)),
                Route("/messages/{provider}/{key:path}", self._guard(self.message)),
                Route("/callbacks/{id}", self._guard(self.callback)),
                Route("/reparse", self._guard(self.reparse), methods=["POST"]),
                Route("/recent", self._guard(self.recent)),
                Route("/recent/rows", self._guard(self.recent_rows, fragment=True)),
                Route("/alerts", self._guard(self.alerts)),
                Mount("/static", StaticFiles(directory=HERE / "static")),
            ],
            default=self.not_found,
            redirect_slashes=False,
        )
        self.routes: list[BaseRoute] = [
            Route("/console", SecurityHeaders(self.index)),
            Mount("/console", SecurityHeaders(router)),
        ]

    # --- plumbing -------------------------------------------------------------------------

    def render(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any],
        session: Session | None,
        status_code: int = 200,
    ) -> Response:
        base = _base(request)
        values = {
            "base": base,
            "session": session,
            "active": "",
            "static": lambda path: f"{base}/static/{path}",
            **context,
        }
        return self.templates.TemplateResponse(request, name, values, status_code=status_code)

    def _guard(self, handler: Handler, *, fragment: bool = False) -> Callable[..., Any]:
        """Authentication first; then, for a POST made with the cookie, the CSRF token and the
        origin; then the handler, with an unreachable database shown as 503, not 500."""

        async def endpoint(request: Request) -> Response:
            session = self.signer.authenticate(request)
            if session is None:
                if request.method == "GET" and not fragment:
                    target = request.url.path + (
                        f"?{request.url.query}" if request.url.query else ""
                    )
                    return RedirectResponse(
                        f"{_base(request)}/login?next={quote(target, safe='/')}", 303
                    )
                return self.render(request, "error.html", _message(401, "Log in first."), None, 401)
            if request.method == "POST" and session.kind == "cookie":
                try:
                    form = await read_form(request)
                except FormTooLarge:
                    return self.render(
                        request, "error.html", _message(413, "Form too large."), session, 413
                    )
                if not (
                    token_matches(form.get("csrf", ""), session.csrf)
                    and same_origin(request, self.public_url)
                ):
                    text = "The form expired or came from another site. Reload and try again."
                    return self.render(request, "error.html", _message(403, text), session, 403)
                request.state.form = form
            elif request.method == "POST":
                request.state.form = await read_form(request)
            try:
                return await handler(request, session)
            except (psycopg.OperationalError, PoolTimeout):
                log.warning("console: database unavailable for %s", request.url.path)
                text = "The database is unavailable; this page will work again once it is back."
                return self.render(request, "error.html", _message(503, text), session, 503)

        return endpoint

    async def index(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = RedirectResponse(f"{_base(Request(scope))}/overview", 303)
        await response(scope, receive, send)

    async def not_found(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        session = self.signer.authenticate(request)
        response = self.render(request, "error.html", _message(404, "No such page."), session, 404)
        await response(scope, receive, send)

    # --- login ----------------------------------------------------------------------------

    async def login_form(self, request: Request) -> Response:
        target = _safe_next(request.query_params.get("next"), _base(request))
        if self.signer.authenticate(request) is not None:
            return RedirectResponse(target, 303)
        return self.render(request, "login.html", {"next": target, "error": None}, None)

    async def login(self, request: Request) -> Response:
        if "origin" in request.headers and not same_origin(request, self.public_url):
            text = "That login form came from another site."
            return self.render(request, "error.html", _message(403, text), None, 403)
        try:
            form = await read_form(request)
        except FormTooLarge:
            return self.render(request, "error.html", _message(413, "Form too large."), None, 413)
        target = _safe_next(form.get("next"), _base(request))
        if not token_matches(form.get("token", "").strip(), self.signer.api_token):
            await asyncio.sleep(LOGIN_DELAY)
            context = {"next": target, "error": "That is not the API token (RECEIVER_API_TOKEN)."}
            return self.render(request, "login.html", context, None, 401)
        response = RedirectResponse(target, 303)
        response.set_cookie(
            COOKIE,
            self.signer.issue(),
            max_age=self.signer.lifetime,
            path=_base(request),
            secure=self._secure(request),
            httponly=True,
            samesite="strict",
        )
        return response

    async def logout(self, request: Request, session: Session) -> Response:
        response = RedirectResponse(f"{_base(request)}/login", 303)
        response.delete_cookie(
            COOKIE,
            path=_base(request),
            secure=self._secure(request),
            httponly=True,
            samesite="strict",
        )
        return response

    def _secure(self, request: Request) -> bool:
        return request.url.scheme == "https" or (self.public_url or "").startswith("https:")

    # --- pages ----------------------------------------------------------------------------

    async def overview(self, request: Request, session: Session) -> Response:
        providers, backlog, spool = await asyncio.gather(
            queries.overview(self.pool),
            queries.backlogs(self.pool),
            asyncio.to_thread(self.spool_stats),
        )
        hour = backlog.now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        context = {
            "active": "overview",
            "providers": providers,
            "backlog": backlog,
            "spool": spool,
            "refused": self.failures.total,
            "hour_labels": [(hour - timedelta(hours=23 - i)).strftime("%H:00") for i in range(24)],
            "day_labels": [_day_label(backlog.now, days_ago) for days_ago in range(7, 0, -1)],
        }
        return self.render(request, "overview.html", context, session)

    async def search(self, request: Request, session: Session) -> Response:
        q = request.query_params.get("q", "").strip()[:200]
        found: list[dict[str, Any]] = []
        callback_id = None
        if q and "\x00" not in q:
            found, callback_id = await queries.search(self.pool, q)
        context = {"active": "search", "q": q, "found": found, "callback_id": callback_id}
        return self.render(request, "search.html", context, session)

    async def message(self, request: Request, session: Session) -> Response:
        provider = request.path_params["provider"]
        key = request.path_params["key"]
        if "\x00" in provider + key:
            return await self._missing(request, session, "No such message.")
        message, events, replies = await queries.message_timeline(self.pool, provider, key)
        if message is None:
            return await self._missing(request, session, "No such message.")
        context = {
            "active": "search",
            "message": message,
            "events": [_with_raw(event) for event in events],
            "replies": [_with_raw(reply) for reply in replies],
            "queued": _int(request.query_params.get("queued")),
        }
        return self.render(request, "message.html", context, session)

    async def callback(self, request: Request, session: Session) -> Response:
        try:
            callback_id = uuid.UUID(request.path_params["id"])
        except ValueError:
            return await self._missing(request, session, "No such callback.")
        found, events, replies = await queries.callback_detail(self.pool, callback_id)
        if found is None:
            return await self._missing(request, session, "No such callback.")
        context = {
            "active": "recent",
            "callback": _with_raw(found),
            "events": events,
            "replies": replies,
            "queued": _int(request.query_params.get("queued")),
        }
        return self.render(request, "callback.html", context, session)

    async def reparse(self, request: Request, session: Session) -> Response:
        form: dict[str, str] = request.state.form
        base = _base(request)
        if form.get("callback"):
            try:
                callback_id = uuid.UUID(form["callback"])
            except ValueError:
                return self.render(request, "error.html", _message(400, "Bad id."), session, 400)
            count = await queries.reparse_callback(self.pool, callback_id)
            back = f"{base}/callbacks/{callback_id}"
        elif form.get("provider") and form.get("key"):
            provider, key = form["provider"], form["key"]
            if "\x00" in provider + key:
                return self.render(request, "error.html", _message(400, "Bad key."), session, 400)
            count = await queries.reparse_message(self.pool, provider, key)
            back = f"{base}/messages/{_q(provider)}/{_q(key)}"
        else:
            return self.render(
                request, "error.html", _message(400, "Nothing to re-parse."), session, 400
            )
        if count:
            self.wake_projector()
        return RedirectResponse(f"{back}?queued={count}", 303)

    async def recent(self, request: Request, session: Session) -> Response:
        errors_only = request.query_params.get("errors") == "1"
        context = {
            "active": "recent",
            "errors_only": errors_only,
            "rows": await self._recent_rows(errors_only),
        }
        return self.render(request, "recent.html", context, session)

    async def recent_rows(self, request: Request, session: Session) -> Response:
        errors_only = request.query_params.get("errors") == "1"
        context = {"rows": await self._recent_rows(errors_only)}
        return self.render(request, "_recent_rows.html", context, session)

    async def _recent_rows(self, errors_only: bool, limit: int = 50) -> list[_Row]:
        stored = await queries.recent_callbacks(self.pool, errors_only=errors_only, limit=limit)
        rows = [_Row(row["received_at"], "callback", callback=row) for row in stored]
        rows.extend(_Row(f.at, "refused", failure=f) for f in self.failures.recent(limit))
        rows.sort(key=lambda row: row.at, reverse=True)
        return rows[:limit]

    async def alerts(self, request: Request, session: Session) -> Response:
        state = request.query_params.get("state")
        if state not in _STATES:
            state = None
        found, backlog = await asyncio.gather(
            queries.alerts(self.pool, state), queries.backlogs(self.pool)
        )
        for alert in found:
            for delivery in alert["deliveries"]:
                target = _origin(delivery["target"])
                delivery["target_shown"] = target
                if delivery["last_error"]:
                    # An HTTP client error can quote the URL, and a webhook URL is a secret.
                    delivery["last_error"] = delivery["last_error"].replace(
                        delivery["target"], target
                    )
        context = {"active": "alerts", "alerts": found, "state": state, "backlog": backlog}
        return self.render(request, "alerts.html", context, session)

    async def _missing(self, request: Request, session: Session, text: str) -> Response:
        return self.render(request, "error.html", _message(404, text), session, 404)


# --- helpers --------------------------------------------------------------------------------


def _base(request: Request) -> str:
    """Where the console is mounted, as the browser sees it (a proxy prefix included)."""
    root = str(request.scope.get("root_path", "")).rstrip("/")
    return root if root.endswith("/console") else f"{root}/console"


def _safe_next(value: str | None, base: str) -> str:
    """Only a console path: never another host (`//evil`, `/\\evil`) after logging in."""
    default = f"{base}/overview"
    if not value or not value.startswith(f"{base}/") or "//" in value or "\\" in value:
        return default
    if re.search(r"[\x00-\x1f\x7f]", value):
        return default
    return value


def _message(status: int, text: str) -> dict[str, Any]:
    titles = {
        400: "Bad request",
        401: "Not logged in",
        403: "Refused",
        404: "Not found",
        413: "Too large",
        503: "Database unavailable",
    }
    return {"status": status, "title": titles.get(status, "Error"), "text": text}


def _int(raw: str | None) -> int | None:
    return (
        int(raw) if raw is not None and raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    )


def _with_raw(row: dict[str, Any]) -> dict[str, Any]:
    """A callback row with its body as shown: UTF-8 text when it is, cut at MAX_BODY_SHOWN."""
    body = bytes(row.get("body") or b"")
    shown = body[:MAX_BODY_SHOWN]
    try:
        text, utf8 = shown.decode("utf-8"), True
    except UnicodeDecodeError:
        text, utf8 = shown.decode("utf-8", "replace"), False
    if (row.get("content_type") or "").split(";")[0].strip().endswith("json"):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(body), indent=2, ensure_ascii=False)[:MAX_BODY_SHOWN]
    headers = row.get("headers") or {}
    return {
        **row,
        "body_shown": text,
        "body_utf8": utf8,
        "body_size": len(body),
        "body_cut": len(body) > MAX_BODY_SHOWN,
        "header_items": sorted(headers.items()) if isinstance(headers, dict) else [],
    }


def _day_label(now: datetime, days_ago: int) -> str:
    """The 24 hours from `days_ago` days before `now`, as month-day to month-day."""
    start, end = now - timedelta(days=days_ago), now - timedelta(days=days_ago - 1)
    return f"{start:%m-%d %H:00}\u2013{end:%m-%d %H:00}"


def _when(value: datetime | None) -> str:
    if value is None:
        return "\u2014"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") + "Z"


def _ago(value: datetime | None, now: datetime | None = None) -> str:
    if value is None:
        return "\u2014"
    seconds = max(((now or datetime.now(UTC)) - value).total_seconds(), 0.0)
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} d"


def _pct(value: float | None) -> str:
    return "\u2014" if value is None else f"{value:.1%}"


def _q(value: str) -> str:
    """A path segment: message keys hold ':' and may hold '/', '?' or '#'."""
    return quote(value, safe=":@")


def _origin(url: str) -> str:
    """A target URL without its path and query, which for Slack and many others are the
    credential."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return "[hidden]"
    host = parts.netloc.rpartition("@")[2]
    rest = "/\u2026" if parts.path not in ("", "/") or parts.query else ""
    return f"{parts.scheme}://{host}{rest}"


def _size(value: int) -> str:
    if value < 1024:
        return f"{value} B"
    if value < 1024 * 1024:
        return f"{value / 1024:.1f} KiB"
    return f"{value / 1024 / 1024:.1f} MiB"
