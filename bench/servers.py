"""Starting, watching and stopping the HTTP servers under test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

__all__ = [
    "TARGETS",
    "ProjectionProcess",
    "Server",
    "Target",
    "free_port",
    "tree_pids",
    "tree_rss_kib",
]

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-token-0123456789abcdefghij"


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    description: str
    uses_database: bool
    extra_env: Mapping[str, str]
    #: The checkout whose code runs (`--baseline` points at another one).
    root: Path = ROOT
    #: A `receiver project` process beside the server: "beside" runs it throughout, "after"
    #: holds it stopped (SIGSTOP) until the load ends, so the acks have the machine to
    #: themselves and the catch-up is projection alone. None: projection is in-process.
    projection_process: str | None = None

    def command(self, port: int) -> list[str]:
        address = ["--host", "127.0.0.1", "--port", str(port)]
        if self.name == "bare":
            # uvicorn defaults for loop and http, as `receiver serve` uses.
            app = ["-m", "uvicorn", "--factory", "bench.bare:create_app", "--no-access-log"]
            return [sys.executable, *app, *address]
        return [sys.executable, "-m", "receiver", "serve", *address]


TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        Target("bare", "Starlette + payload decode, no database (the ceiling)", False, {}),
        Target(
            "naive",
            "receiver, one transaction per callback",
            True,
            {"RECEIVER_BATCH_MAX": "1", "RECEIVER_WRITERS": "8", "RECEIVER_POOL_SIZE": "8"},
        ),
        Target("receiver", "receiver defaults (raw-first ack, projection in-process)", True, {}),
        Target(
            "ack-only",
            "receiver with RECEIVER_PROJECTORS=0; `receiver project` starts when the load ends",
            True,
            {"RECEIVER_PROJECTORS": "0"},
            projection_process="after",
        ),
        Target(
            "split",
            "receiver with RECEIVER_PROJECTORS=0 and a `receiver project` process beside it",
            True,
            {"RECEIVER_PROJECTORS": "0"},
            projection_process="beside",
        ),
    )
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
        except OSError:
            continue
        found.extend(int(child) for child in text.split())
    return found


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pids(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    pending = [pid]
    seen: list[int] = []
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.append(current)
        pending.extend(_children(current))
    return seen


def tree_rss_kib(pid: int) -> int:
    """VmRSS of `pid` and all its descendants, in KiB."""
    return sum(_rss_kib(p) for p in tree_pids(pid))


class ServerError(RuntimeError):
    """A server under test did not start or stopped unexpectedly."""


class Server:
    """One server process on a free port, its output in `log_path`; a context manager."""

    def __init__(self, target: Target, env: Mapping[str, str], log_path: Path) -> None:
        self.target = target
        self.port = free_port()
        self.log_path = log_path
        self._env = dict(env)
        self._env.update(target.extra_env)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    @property
    def env(self) -> Mapping[str, str]:
        return self._env

    @property
    def spool_dir(self) -> Path | None:
        value = self._env.get("RECEIVER_SPOOL_DIR")
        return None if value is None else Path(value)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/callbacks/cdyne/{TOKEN}"

    def start(self, timeout: float = 60.0) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"$ {' '.join(self.target.command(self.port))}\n".encode())
            log.flush()
            self._process = subprocess.Popen(
                self.target.command(self.port),
                cwd=self.target.root,
                env=self._env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerError(
                    f"{self.target.name} exited with {self._process.returncode} while starting; "
                    f"see {self.log_path}:\n{self._log_tail()}"
                )
            try:
                # uvicorn binds its socket only after the app's startup has finished.
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise ServerError(f"{self.target.name} did not listen within {timeout:g} s")

    def check_alive(self) -> None:
        if self._process is not None and self._process.poll() is not None:
            raise ServerError(
                f"{self.target.name} exited with {self._process.returncode}; "
                f"see {self.log_path}:\n{self._log_tail()}"
            )

    def stop(self, timeout: float = 20.0) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def kill(self) -> None:
        """SIGKILL, as `kill -9` would: no shutdown, no flush. `start` runs it again on the
        same port, with the same data and spool directories."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGKILL)
        process.wait()

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class ProjectionProcess:
    """`python -m receiver project` on the server's database; a context manager."""

    READY = b"projecting with"  # the line `receiver project` logs once its tasks run

    def __init__(self, target: Target, env: Mapping[str, str], log_path: Path) -> None:
        self.target = target
        self.log_path = log_path
        self._env = {k: v for k, v in env.items() if k != "RECEIVER_PROJECTORS"}
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def start(self, timeout: float = 60.0) -> None:
        command = [sys.executable, "-m", "receiver", "project"]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"$ {' '.join(command)}\n".encode())
            log.flush()
            self._process = subprocess.Popen(
                command,
                cwd=self.target.root,
                env=self._env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerError(f"receiver project exited; see {self.log_path}")
            if self.READY in self.log_path.read_bytes():
                return
            time.sleep(0.1)
        self.stop()
        raise ServerError(f"receiver project did not start within {timeout:g} s")

    def pause(self) -> None:
        os.kill(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.pid, signal.SIGCONT)

    def check_alive(self) -> None:
        if self._process is not None and self._process.poll() is not None:
            raise ServerError(f"receiver project exited; see {self.log_path}")

    def stop(self, timeout: float = 20.0) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGCONT)  # a stopped process would not see SIGTERM
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> ProjectionProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
