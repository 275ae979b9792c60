"""The embedded default under faults: a killed `serve`, a killed postmaster."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from receiver.cli import mask_token
from tests.conftest import embedded_only, rows
from tests.processes import Servers, receiver_env, stop_postgres, wait_for

pytestmark = embedded_only(
    "supervision of the embedded server, which runs its own; covered by the embedded run"
)


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] not in "ZX"


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A data dir for `serve`'s embedded Postgres; stopped after the test if left running."""
    path = tmp_path / "data"
    yield path
    if (path / "pgdata" / "postmaster.pid").exists() and alive(postmaster_pid(path / "pgdata")):
        stop_postgres(path / "pgdata")


def test_a_clean_exit_after_a_kill_9_stops_postgres_again(servers: Servers, data_dir: Path) -> None:
    pgdata = data_dir / "pgdata"
    env = receiver_env(RECEIVER_DATA_DIR=str(data_dir))
    first = servers.start(env)
    first.wait_healthy(30)
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(10)
    postmaster = postmaster_pid(pgdata)
    assert alive(postmaster)  # nothing stopped it: it outlives the killed serve
    assert first.proc.pid in json.loads((pgdata / ".handle_pids.json").read_text())

    second = servers.start(env)
    second.wait_healthy(30)
    assert postmaster_pid(pgdata) == postmaster  # attached to the running server
    second.proc.send_signal(signal.SIGTERM)
    assert second.proc.wait(60) == 0
    assert not (pgdata / "postmaster.pid").exists(), second.output()
    wait_for(lambda: not alive(postmaster), 10)
    assert json.loads((pgdata / ".handle_pids.json").read_text()) == []
    # Not the first start: the kept token is not shown again in the output.
    token = (data_dir / "callback_token").read_text().strip()
    assert token in first.output()
    assert token not in second.output()
    assert f"/callbacks/cdyne/{mask_token(token)}" in second.output()


class Trickle:
    """One client posting distinct CDYNE receipts, one after another, from a thread."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.acked: list[str] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Trickle:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(60)

    def _run(self) -> None:
        with httpx.Client(timeout=15) as client:
            sequence = 0
            while not self._stop.wait(0.02):
                sequence += 1
                message_id = f"trickle-{sequence}"
                body = (
                    f"DeliveryReceipt=1&MessageID={message_id}&ReferenceID=&FromPhoneNumber=74121"
                    "&ToPhoneNumber=17572373369&DeliveryReceiptMessage=id:1 sub:001 dlvrd:001 "
                    "submit date:2306132307 done date:2306132307 stat:DELIVRD err:000 text:"
                    "&Code=000"
                )
                form = {"content-type": "application/x-www-form-urlencoded"}
                try:
                    response = client.post(self.url, content=body, headers=form)
                except httpx.HTTPError as exc:
                    self.failures.append(f"{message_id}: {exc!r}")
                    continue
                if response.status_code == 200:
                    self.acked.append(message_id)
                else:
                    self.failures.append(f"{message_id}: {response.status_code} {response.text}")


def test_serve_restarts_a_killed_postmaster_and_keeps_every_callback(
    servers: Servers, data_dir: Path
) -> None:
    pgdata = data_dir / "pgdata"
    env = receiver_env(RECEIVER_DATA_DIR=str(data_dir), RECEIVER_DRAIN_INTERVAL="0.2")
    server = servers.start(env)
    server.wait_healthy(30)
    token = (data_dir / "callback_token").read_text().strip()
    socket_dir = (pgdata / "postmaster.pid").read_text().split("\n")[4]
    url = f"postgresql://postgres@/postgres?host={socket_dir}"
    killed = postmaster_pid(pgdata)

    with Trickle(f"{server.base_url}/callbacks/cdyne/{token}") as trickle:
        time.sleep(0.5)
        before = len(trickle.acked)
        os.kill(killed, signal.SIGKILL)
        wait_for(lambda: "restarted it" in server.output(), 20)
        time.sleep(0.5)
    assert trickle.failures == []
    assert before > 0 and len(trickle.acked) > before + 10

    restarted = postmaster_pid(pgdata)
    assert restarted != killed and alive(restarted)
    warnings = [line for line in server.output().splitlines() if "restarted it" in line]
    # One line, in the log format: a UTC timestamp, then the level and the logger.
    assert len(warnings) == 1, warnings
    assert re.match(r"^\d{4}-\d\d-\d\dT[\d:.]+Z WARNING receiver\.embedded: ", warnings[0])
    assert f"(pid {killed}) died" in warnings[0]

    def stored() -> int:
        with psycopg.connect(url) as conn:
            found: list[dict[str, Any]] = rows(
                conn,
                "SELECT count(DISTINCT message_id) AS n FROM delivery_events"
                " WHERE message_id = ANY(%s)",
                trickle.acked,
            )
            return int(found[0]["n"])

    wait_for(lambda: stored() == len(trickle.acked), 20)

    # The restarted server is the one stopped on exit, and nothing starts it again.
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(60) == 0
    assert not (pgdata / "postmaster.pid").exists(), server.output()
    assert not alive(restarted)
