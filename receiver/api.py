"""The read API (placeholder until implemented)."""

from __future__ import annotations

from psycopg_pool import AsyncConnectionPool
from starlette.routing import BaseRoute

from receiver.config import Settings

__all__ = ["api_routes"]


def api_routes(pool: AsyncConnectionPool, settings: Settings) -> list[BaseRoute]:
    return []
