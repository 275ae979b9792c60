"""The HTTP surface: callback endpoints and health checks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from prometheus_client import CONTENT_TYPE_LATEST
from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from receiver.alerts import AlertService
from receiver.api import api_routes
from receiver.config import ConfigError, Settings
from receiver.db import open_pool
from receiver.ingest.endpoint import CallbackEndpoint, CallbackShortcut
from receiver.ingest.spool import Spool
from receiver.ingest.writer import Writer
from receiver.metrics import Metrics
from receiver.projection.projector import Backlog, Projector, backlog
from receiver.projection.rollups import RollupService
from receiver.providers import build_adapters

__all__ = ["app_from_env", "create_app"]

log = logging.getLogger("receiver.app")


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
    # Ingest has a pool of its own: reads (API, health, metrics, alerts) never take its
    # connections, and a slow one is cut off by the read pool's statement timeout.
    pool = open_pool(database_url, settings.pool_size, deadline=settings.commit_timeout)
    read_pool = open_pool(
        database_url,
        settings.read_pool_size,
        deadline=settings.commit_timeout,
        statement_timeout=settings.read_timeout,
        name="receiver-read",
    )
    # The read API can read from a hot standby: its answers may trail the primary by the
    # replication lag. /readyz, /metrics and alerts read what they act on, on the primary.
    api_pool = read_pool
    if settings.read_database_url is not None:
        api_pool = open_pool(
            settings.read_database_url,
            settings.read_pool_size,
            deadline=settings.commit_timeout,
            statement_timeout=settings.read_timeout,
            name="receiver-api",
        )
    metrics = Metrics()
    adapters = build_adapters(settings)
    alert_service = AlertService(read_pool, settings.alerts)
    rollups = RollupService(database_url, settings.rollup_interval, settings.retention)
    # Projection has its own connections too: a long batch never delays an ack.
    projection_pool = open_pool(
        database_url,
        settings.projectors + 1,
        deadline=settings.commit_timeout,
        name="receiver-project",
    )
    projector = Projector(
        projection_pool,
        adapters,
        alerts=settings.alerts,
        metrics=metrics,
        batch=settings.projection_batch,
        linger=settings.projection_linger,
        tasks=settings.projectors,
    )
    writer = Writer(
        pool,
        Spool(settings.spool_path),
        database_url,
        batch_max=settings.batch_max,
        batch_wait=settings.batch_wait_ms / 1000,
        batch_min=settings.batch_min,
        flushers=settings.writers,
        commit_timeout=settings.commit_timeout,
        hedge_after=settings.commit_hedge or None,
        drain_interval=settings.drain_interval,
        metrics=metrics,
        max_queue=settings.max_queue,
        on_stored=projector.notify,
    )
    if settings.projection_max_defer:
        # In a burst the in-process projector waits for the acks (projector.py).
        projector.ack_pressure = lambda: writer.busy
        projector.max_defer = settings.projection_max_defer
    callback = CallbackEndpoint(
        writer,
        metrics,
        tokens,
        settings.max_body,
        adapters,
        settings.public_url,
        body_timeout=settings.body_timeout,
    )

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        database = False
        with contextlib.suppress(Exception):
            async with read_pool.connection(timeout=1.0) as conn:
                await conn.execute("SELECT 1")
                database = True
        spool = await asyncio.to_thread(writer.spool.stats)
        projection = await _backlog(read_pool)
        body = {
            "database": "up" if database else "down",
            "projection": (
                {"backlog": projection.callbacks, "lag_seconds": round(projection.lag_seconds, 3)}
                if projection is not None
                else None
            ),
            "spool": {
                "entries": spool.entries,
                "files": spool.files,
                "bytes": spool.bytes,
                "quarantined": spool.quarantined,
                "oldest": spool.oldest.isoformat() if spool.oldest else None,
            },
        }
        # Ready while callbacks are durable: the spool covers an outage.
        return JSONResponse(body, status_code=200 if database else 503)

    async def metrics_endpoint(request: Request) -> Response:
        spool = await asyncio.to_thread(writer.spool.stats)
        metrics.spool_entries.set(spool.entries)
        metrics.spool_quarantined.set(spool.quarantined)
        age = (datetime.now(UTC) - spool.oldest).total_seconds() if spool.oldest else 0.0
        metrics.spool_oldest_age.set(max(age, 0.0))
        metrics.database_up.set(1 if writer.database_up else 0)
        projection = await _backlog(read_pool)
        if projection is not None:
            metrics.projection_backlog.set(projection.callbacks)
            metrics.projection_lag.set(projection.lag_seconds)
        with contextlib.suppress(Exception):
            async with read_pool.connection(timeout=1.0) as conn:
                cur = await conn.execute(
                    "SELECT count(*) FROM alert_deliveries WHERE state = 'pending'"
                )
                row = await cur.fetchone()
                metrics.outbox_pending.set(row[0] if row else 0)
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.open(wait=False)
        await read_pool.open(wait=False)
        if api_pool is not read_pool:
            await api_pool.open(wait=False)
        await projection_pool.open(wait=False)
        await writer.start()
        await projector.start()
        await alert_service.start()
        await rollups.start()
        try:
            yield
        finally:
            await rollups.stop()
            await writer.stop(settings.shutdown_timeout)
            await projector.stop(settings.shutdown_timeout)
            await projection_pool.close()
            await alert_service.stop()
            if api_pool is not read_pool:
                await api_pool.close()
            await read_pool.close()
            await pool.close()
            metrics.close()

    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint),
        Route("/callbacks/{provider}/{token}", callback, methods=["GET", "POST"]),
    ]
    routes.extend(api_routes(api_pool, settings))
    if not tokens:
        routes.append(Route("/callbacks/{provider}", callback, methods=["GET", "POST"]))
    middleware = [Middleware(CallbackShortcut, endpoint=callback, tokenless=not tokens)]
    if settings.console:
        from receiver.console import Console  # Jinja2 is loaded only with the console on

        console = Console(
            settings,
            read_pool,
            spool_stats=writer.spool.stats,
            wake_projector=projector.notify,
            providers=adapters,
        )
        routes.extend(console.routes)
        middleware.insert(0, console.recorder)  # outside the shortcut, to see its refusals
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    # A trailing slash is routed as without it (CallbackShortcut strips it), never redirected:
    # the redirect's Location would be built from the client's Host header.
    app.router.redirect_slashes = False
    app.state.writer = writer
    app.state.projector = projector
    app.state.pool = pool
    app.state.read_pool = read_pool
    app.state.api_pool = api_pool
    app.state.alerts = alert_service
    app.state.metrics = metrics
    return app


async def _backlog(pool: AsyncConnectionPool) -> Backlog | None:
    with contextlib.suppress(Exception):
        async with pool.connection(timeout=1.0) as conn:
            return await backlog(conn)
    return None


def app_from_env() -> Starlette:
    """Factory for uvicorn workers; `receiver serve` puts the resolved settings in the env."""
    return create_app(Settings.from_env())
