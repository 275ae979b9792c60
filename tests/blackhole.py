"""A TCP proxy that can stop forwarding without closing anything: a database host gone silent.

That is what a dropped network path looks like to libpq: no RST, no FIN, just no answers.
Paused, the proxy stops reading from both sides, so bytes pile up in kernel buffers and nothing
is acknowledged end to end; resumed, it forwards again, as a healed network would.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator


class Blackhole:
    def __init__(self, target_socket: str) -> None:
        #: The Unix socket the server listens on (the embedded server has no TCP port).
        self.target = target_socket
        self._forwarding = threading.Event()
        self._forwarding.set()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self.port = 0
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> Blackhole:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        self.port = started.result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.resume()
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def pause(self) -> None:
        self._forwarding.clear()

    def resume(self) -> None:
        self._forwarding.set()

    @contextlib.contextmanager
    def silent(self) -> Iterator[None]:
        self.pause()
        try:
            yield
        finally:
            self.resume()

    async def _start(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        sock: socket.socket = self._server.sockets[0]
        return int(sock.getsockname()[1])

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_unix_connection(self.target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                while not self._forwarding.is_set():
                    await asyncio.sleep(0.02)  # read nothing: the sender's window fills
                data = await reader.read(65536)
                if not data:
                    break
                while not self._forwarding.is_set():
                    await asyncio.sleep(0.02)  # hold what was read mid-flight
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()
