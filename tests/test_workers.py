"""`receiver serve --workers N`: one host, several processes, one view of it."""

from __future__ import annotations

import re
import signal
from pathlib import Path
from typing import Any

import httpx
import psycopg

from tests.conftest import TOKEN, rows
from tests.processes import Load, Servers, receiver_env, wait_for
from tests.test_app import CDYNE_RECEIPT, FORM

# Acknowledged callbacks: committed, or spooled (a commit hedged on a loaded machine).
_ACKED = re.compile(
    r'^receiver_callbacks_total\{outcome="(?:stored|spooled)",provider="cdyne"\} (\S+)$', re.M
)


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return receiver_env(
        DATABASE_URL=database_url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_DATA_DIR=str(tmp_path / "data"),
    )


def _stored(text: str) -> float:
    return sum(float(value) for value in _ACKED.findall(text))


def test_one_scrape_counts_every_worker(
    db: psycopg.Connection[Any], database_url: str, servers: Servers, tmp_path: Path
) -> None:
    server = servers.start(_env(database_url, tmp_path), workers=2)
    server.wait_healthy(timeout=60)
    posted = 80
    for n in range(posted):
        # A new connection each: the kernel hands connections to either worker.
        body = CDYNE_RECEIPT.replace(b"f880e00b", f"{n:08x}".encode())
        answer = httpx.post(
            f"{server.base_url}/callbacks/cdyne/{TOKEN}", content=body, headers=FORM
        )
        assert answer.status_code == 200
    # Whichever worker answers a scrape, it reports the host: every one of the 80.
    scraped = [_stored(httpx.get(f"{server.base_url}/metrics").text) for _ in range(12)]
    assert scraped == [float(posted)] * 12
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == posted
    worker_files = {p.name.rsplit("_", 1)[-1] for p in (tmp_path / "data" / "metrics").glob("*.db")}
    assert len(worker_files) >= 2  # values from both workers' processes


def test_a_second_sigterm_under_load_still_shuts_down_cleanly(
    db: psycopg.Connection[Any], database_url: str, servers: Servers, tmp_path: Path
) -> None:
    server = servers.start(_env(database_url, tmp_path), workers=2)
    server.wait_healthy(timeout=60)
    with Load(f"{server.base_url}/callbacks/cdyne/{TOKEN}", clients=8) as load:
        wait_for(lambda: len(load.acked) >= 200, timeout=30)
        server.proc.send_signal(signal.SIGTERM)
        wait_for(lambda: "Received SIGTERM" in server.output(), timeout=10)
        server.proc.send_signal(signal.SIGTERM)  # an impatient operator, or a supervisor
        assert server.proc.wait(60) == 0
    acked = set(load.acked)
    stored = {
        row["id"]
        for row in rows(
            db,
            "SELECT substring(convert_from(body, 'UTF8') from 'MessageID=([^&]+)') AS id"
            " FROM callbacks",
        )
    }
    assert acked <= stored  # every acknowledged callback is in Postgres
    assert "Stopping parent process" in server.output()
