"""The HTTP surface: callback endpoints and health checks."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from receiver.alerts import AlertService
from receiver.api import api_routes
from receiver.callback import RawCallback, new_callback_id, normalize, now_utc, redact_headers
from receiver.config import ConfigError, Settings
from receiver.db import open_pool
from receiver.metrics import Metrics
from receiver.providers import ADAPTERS
from receiver.rollups import RollupService
from receiver.spool import Spool
from receiver.status import Status
from receiver.tokens import token_matches
from receiver.writer import NotDurable, Writer

__all__ = ["app_from_env", "create_app"]

log = logging.getLogger("receiver.app")


class _BodyTooLarge(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    """Read at most `limit` bytes, refusing early rather than buffering an unbounded body."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise ValueError("invalid Content-Length header")
        if int(declared) > limit:
            raise _BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _not_found() -> Response:
    return PlainTextResponse("Not Found", status_code=404)


def create_app(settings: Settings) -> Starlette:
    """The app for one worker process. `settings.database_url` must be resolved already."""
    if settings.database_url is None:
        raise ConfigError(
            "DATABASE_URL is not set (receiver serve sets it for the embedded server)"
        )
    if not settings.callback_tokens and not settings.allow_no_token:
        raise ConfigError("set RECEIVER_CALLBACK_TOKENS, or RECEIVER_ALLOW_NO_TOKEN=1 to run open")
    database_url = settings.database_url
    tokens = settings.callback_tokens
    limit = settings.max_body
    pool = open_pool(database_url, settings.pool_size)
    metrics = Metrics()
    alert_service = AlertService(pool, settings.alerts)
    rollups = RollupService(database_url, settings.rollup_interval)
    writer = Writer(
        pool,
        Spool(settings.spool_path),
        database_url,
        batch_max=settings.batch_max,
        batch_wait=settings.batch_wait_ms / 1000,
        flushers=settings.writers,
        commit_timeout=settings.commit_timeout,
        drain_interval=settings.drain_interval,
        alerts=settings.alerts,
        metrics=metrics,
    )
    count = metrics.callbacks.labels

    async def callback(request: Request) -> Response:
        provider = request.path_params["provider"]
        adapter = ADAPTERS.get(provider)
        if adapter is None:
            return _not_found()
        if tokens and not token_matches(request.path_params.get("token", ""), tokens):
            count(provider, "auth_failed").inc()
            return _not_found()
        if request.method == "HEAD":  # a URL check, not a callback: nothing to store
            return PlainTextResponse(adapter.ack_body)
        started = time.perf_counter()
        try:
            body = await _read_body(request, limit)
        except _BodyTooLarge:
            count(provider, "too_large").inc()
            return PlainTextResponse(
                f"Request body larger than {limit} bytes; nothing was stored.", status_code=413
            )
        except ValueError as exc:
            return PlainTextResponse(f"Bad request: {exc}.", status_code=400)
        except ClientDisconnect:
            return PlainTextResponse("Client disconnected.", status_code=400)
        raw = RawCallback(
            id=new_callback_id(),
            received_at=now_utc(),
            provider=provider,
            method=request.method,
            query=request.scope["query_string"].decode("latin-1"),
            headers=redact_headers(
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in request.scope["headers"]
            ),
            content_type=request.headers.get("content-type"),
            body=body,
        )
        accepted = normalize(raw)
        try:
            outcome = await writer.write(accepted)
        except NotDurable:
            count(provider, "unavailable").inc()
            return PlainTextResponse(
                "Callback could not be stored right now; please retry.", status_code=503
            )
        count(provider, "parse_error" if accepted.parse_error else outcome).inc()
        unknown = sum(1 for e in accepted.normalized.events if e.status is Status.UNKNOWN)
        if unknown:
            metrics.unknown_status.labels(provider).inc(unknown)
        metrics.ack_seconds.observe(time.perf_counter() - started)
        return PlainTextResponse(adapter.ack_body)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        database = False
        with contextlib.suppress(Exception):
            async with pool.connection(timeout=1.0) as conn:
                await conn.execute("SELECT 1")
                database = True
        spool = writer.spool.stats()
        body = {
            "database": "up" if database else "down",
            "spool": {"entries": spool.entries, "files": spool.files, "bytes": spool.bytes},
        }
        # Ready while callbacks are durable: the spool covers an outage.
        return JSONResponse(body, status_code=200 if database else 503)

    async def metrics_endpoint(request: Request) -> Response:
        metrics.spool_entries.set(writer.spool.stats().entries)
        metrics.database_up.set(1 if writer.database_up else 0)
        with contextlib.suppress(Exception):
            async with pool.connection(timeout=1.0) as conn:
                cur = await conn.execute(
                    "SELECT count(*) FROM alert_deliveries WHERE state = 'pending'"
                )
                row = await cur.fetchone()
                metrics.outbox_pending.set(row[0] if row else 0)
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.open(wait=False)
        await writer.start()
        await alert_service.start()
        await rollups.start()
        try:
            yield
        finally:
            await rollups.stop()
            await writer.stop(settings.shutdown_timeout)
            await alert_service.stop()
            await pool.close()

    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint),
        Route("/callbacks/{provider}/{token}", callback, methods=["GET", "POST"]),
    ]
    routes.extend(api_routes(pool, settings))
    if not tokens:
        routes.append(Route("/callbacks/{provider}", callback, methods=["GET", "POST"]))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.writer = writer
    app.state.pool = pool
    app.state.alerts = alert_service
    app.state.metrics = metrics
    return app


def app_from_env() -> Starlette:
    """Factory for uvicorn workers; `receiver serve` puts the resolved settings in the env."""
    return create_app(Settings.from_env())
