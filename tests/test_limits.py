"""Bounded resources and a hard deadline, against a real `receiver serve` over real sockets.

A sender that is slow, huge or silent gets a clear answer (408, 413, 431, 503) and holds
nothing for long; a database host that goes silent sends callbacks to the spool within the
commit deadline; and through all of it a new client's /healthz is answered.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from bench.blackhole import Blackhole
from tests.conftest import TOKEN, rows
from tests.processes import Server, Servers, receiver_env
from tests.test_app import CDYNE_RECEIPT, FORM


def _env(database_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return receiver_env(
        DATABASE_URL=database_url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_SPOOL_DIR=str(tmp_path / "spool"),
        RECEIVER_ROLLUP_INTERVAL="0",
        **extra,
    )


@pytest.fixture
def limited(
    servers: Servers, database_url: str, db: psycopg.Connection[Any], tmp_path: Path
) -> Iterator[Server]:
    env = _env(
        database_url,
        tmp_path,
        RECEIVER_MAX_HEADER_SIZE="4KiB",
        RECEIVER_HEADER_TIMEOUT="1",
        RECEIVER_BODY_TIMEOUT="1",
        RECEIVER_MAX_CONNECTIONS="20",
    )
    server = servers.start(env)
    server.wait_healthy(30)
    yield server


def _raw(server: Server, data: bytes, wait: float = 5.0) -> bytes:
    """Send `data` on a new connection and return all the server answers before closing."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=wait) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def _callback_request(headers: bytes = b"", body: bytes = CDYNE_RECEIPT) -> bytes:
    return (
        f"POST /callbacks/cdyne/{TOKEN} HTTP/1.1\r\nhost: x\r\n".encode()
        + b"content-type: application/x-www-form-urlencoded\r\n"
        + headers
        + f"content-length: {len(body)}\r\n\r\n".encode()
        + body
    )


def test_oversized_headers_get_431_and_nothing_is_stored(
    limited: Server, db: psycopg.Connection[Any]
) -> None:
    # One read, and many: never buffered whole, and refused while the client still sends
    # megabytes, which must still get the answer rather than a reset.
    for size in (5_000, 20_000_000):
        answer = _raw(limited, _callback_request(b"x-big: " + b"a" * size + b"\r\n"))
        assert answer.startswith(b"HTTP/1.1 431"), answer[:100]
        assert b"nothing was stored" in answer
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 0
    ok = httpx.post(
        f"{limited.base_url}/callbacks/cdyne/{TOKEN}", content=CDYNE_RECEIPT, headers=FORM
    )
    assert ok.status_code == 200


def test_headers_sent_too_slowly_get_408(limited: Server, db: psycopg.Connection[Any]) -> None:
    with socket.create_connection(("127.0.0.1", limited.port), timeout=5) as sock:
        sock.sendall(b"POST /callbacks/cdyne/" + TOKEN.encode() + b" HTTP/1.1\r\nhost: x\r\n")
        started = time.monotonic()
        for _ in range(40):  # a byte now and then, never the end of the headers
            try:
                sock.sendall(b"x")
            except OSError:
                break
            answer = _peek(sock)
            if answer:
                break
            time.sleep(0.1)
        elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert elapsed < 3
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 0


def _peek(sock: socket.socket) -> bytes:
    sock.setblocking(False)
    try:
        return sock.recv(65536)
    except BlockingIOError:
        return b""
    finally:
        sock.setblocking(True)


def test_a_body_shorter_than_its_content_length_gets_408(
    limited: Server, db: psycopg.Connection[Any]
) -> None:
    request = _callback_request()
    started = time.monotonic()
    answer = _raw(limited, request[:-10])  # the last bytes never come
    assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
    assert time.monotonic() - started < 4
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 0


def test_silent_connections_beyond_the_cap_leave_healthz_answering(limited: Server) -> None:
    silent = [socket.create_connection(("127.0.0.1", limited.port)) for _ in range(150)]
    try:
        time.sleep(0.3)
        health = httpx.get(f"{limited.base_url}/healthz", timeout=5)
        assert health.status_code in (200, 503)
        if health.status_code == 503:
            assert health.headers["retry-after"] == "1"
        callback = httpx.post(
            f"{limited.base_url}/callbacks/cdyne/{TOKEN}", content=CDYNE_RECEIPT, headers=FORM
        )
        assert callback.status_code == 503
        assert callback.headers["retry-after"] == "1"
        time.sleep(1.5)  # the header deadline closes the silent ones
        assert httpx.get(f"{limited.base_url}/healthz", timeout=5).status_code == 200
        after = httpx.post(
            f"{limited.base_url}/callbacks/cdyne/{TOKEN}", content=CDYNE_RECEIPT, headers=FORM
        )
        assert after.status_code == 200
    finally:
        for sock in silent:
            sock.close()


def test_a_silent_database_host_sends_callbacks_to_the_spool_within_the_deadline(
    servers: Servers, database_url: str, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    info = conninfo_to_dict(database_url)
    host, port = str(info["host"]), int(info.get("port") or 5432)
    upstream: Path | tuple[str, int] = (host, port)
    if host.startswith("/"):  # a Unix socket directory (the embedded server)
        [upstream] = Path(host).glob(f".s.PGSQL.{port}")
    proxy = Blackhole(upstream).start()
    try:
        proxied = make_conninfo(database_url, host="127.0.0.1", port=proxy.port)
        env = _env(proxied, tmp_path, RECEIVER_COMMIT_TIMEOUT="1", RECEIVER_DRAIN_INTERVAL="0.2")
        server = servers.start(env)
        server.wait_healthy(30)
        url = f"{server.base_url}/callbacks/cdyne/{TOKEN}"
        assert httpx.post(url, content=CDYNE_RECEIPT, headers=FORM).status_code == 200
        proxy.cut()
        try:
            slowest = 0.0
            for n in range(5):
                body = CDYNE_RECEIPT.replace(b"f880e00b", f"blackhol{n}".encode())
                started = time.monotonic()
                response = httpx.post(url, content=body, headers=FORM, timeout=30)
                slowest = max(slowest, time.monotonic() - started)
                assert response.status_code == 200
            assert slowest < 1 + 1.0  # the commit deadline plus a small margin
        finally:
            proxy.heal()
        # The network heals: everything acknowledged reaches Postgres.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 6:
                break
            time.sleep(0.2)
        assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 6
    finally:
        proxy.stop()
