"""A TCP proxy in front of Postgres that can stop forwarding without closing anything.

That is what a dead network path, a hung host or a stateful firewall dropping packets looks
like from the receiver: connections stay open, writes succeed into buffers, and nothing ever
answers. New connections are accepted (the kernel does it) and then go nowhere. `heal` resumes
forwarding, with everything buffered meanwhile, as TCP retransmission would deliver it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from pathlib import Path

__all__ = ["Blackhole"]


class Blackhole:
    """Listens on 127.0.0.1 (a free port) and forwards to Postgres's Unix socket file, or to
    its (host, port) over TCP, in a thread."""

    def __init__(self, upstream: Path | tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self.connections = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._open: asyncio.Event | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._thread_main, name="blackhole", daemon=True)

    def start(self) -> Blackhole:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the proxy did not start")
        return self

    def url(self, database: str, user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def cut(self) -> None:
        """Stop forwarding in both directions; close nothing."""
        self._call(asyncio.Event.clear)

    def heal(self) -> None:
        self._call(asyncio.Event.set)

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def _call(self, action: Callable[[asyncio.Event], None]) -> None:
        assert self._loop is not None and self._open is not None
        self._loop.call_soon_threadsafe(action, self._open)

    def _thread_main(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._open = asyncio.Event()
        self._open.set()
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert self._open is not None
        self.connections += 1
        try:
            await self._open.wait()  # a cut network: the startup packet goes nowhere
            if isinstance(self.upstream, Path):
                upstream = await asyncio.open_unix_connection(str(self.upstream))
            else:
                upstream = await asyncio.open_connection(*self.upstream)
            upstream_reader, upstream_writer = upstream
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            self._pump(reader, upstream_writer),
            self._pump(upstream_reader, writer),
            return_exceptions=True,
        )

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert self._open is not None
        try:
            while True:
                await self._open.wait()
                data = await reader.read(65536)
                if not data:
                    break
                await self._open.wait()  # read just before the cut: held, not delivered
                writer.write(data)
                await writer.drain()
        finally:
            with contextlib.suppress(OSError):
                writer.close()
