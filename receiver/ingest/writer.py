"""Group commit: where an accepted callback becomes durable before its 200.

Requests hand their raw callback to `Writer.write` and wait. A few flusher tasks take whatever
is queued (up to `batch_max`) and commit it in one statement, so under load many requests share
one commit instead of paying one each. Each request is answered only after its batch commits.
Only the raw request is written here (and queued for the projector, projector.py): nothing is
parsed, digested or projected before the 200.

If Postgres is unreachable or a commit misses its deadline, the batch goes to the local spool
instead (fsync'd, so still durable) and later batches go straight there until a probe finds
Postgres healthy again; then the spool is replayed. If neither can take a callback, `write`
raises `NotDurable` and the provider gets a 503, so it retries rather than trusting us.

A commit that is merely slow (`hedge_after`, 10 ms by default, where one normally takes 1 to
3 ms: a checkpoint's sync, autovacuum, a lock) is hedged: the batch is also appended to the
spool, and its requests are answered by whichever is durable first. The commit goes on in the
background; when it lands, the spool's copy replays as a no-op (callbacks are inserted by id).
So a stall of Postgres costs the providers an fsync of a local file, not the stall.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psycopg
from psycopg.conninfo import make_conninfo
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from receiver.callback import RawCallback
from receiver.db import connection_options
from receiver.ingest.raw_store import store_raw
from receiver.ingest.spool import Spool
from receiver.logs import RateLimited
from receiver.metrics import Metrics
from receiver.tasks import cancel_and_wait

__all__ = ["NotDurable", "Outcome", "Overloaded", "Writer"]

#: What became of a callback: "stored" (committed) or "spooled".
Outcome = str

log = logging.getLogger("receiver.ingest.writer")

_RETRY = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)
# SQLSTATE classes that say "Postgres is not answering" rather than "this data is unacceptable":
# connection exceptions, insufficient resources, operator intervention, system errors. (Class
# 54, e.g. an index row too large, is an OperationalError too, but it is about the data.)
_UNAVAILABLE_STATES = ("08", "53", "57", "58")


# A small batch waiting for company stops waiting once none has arrived for this long.
_LULL = 0.002

# Recent commit times kept for their median (the usual commit time, for hedging).
_COMMIT_SAMPLES = 64

# The average of requests waiting (as each arrives) from which the ack path counts as busy, and
# how recent the last request must be for that average to count (`Writer.busy`).
_BUSY_WAITING = 12
_BUSY_MEMORY = 0.2


class _Unavailable(Exception):
    """Postgres did not answer; `_write` raises this so data errors stay psycopg.Error."""


# Errors that send a batch to the spool and mark Postgres down.
_UNAVAILABLE = (_Unavailable, PoolTimeout, TimeoutError, OSError)


class NotDurable(Exception):
    """Neither Postgres nor the spool could take the callback."""


class Overloaded(Exception):
    """The queue of callbacks waiting to be made durable is full: answer 503, retry later."""


@dataclass(slots=True)
class _Pending:
    raw: RawCallback
    done: asyncio.Future[Outcome]
    queued_at: float


class Writer:
    def __init__(
        self,
        pool: AsyncConnectionPool,
        spool: Spool,
        database_url: str,
        *,
        batch_max: int = 128,
        batch_wait: float = 0.0,
        batch_min: int = 1,
        flushers: int = 2,
        commit_timeout: float = 2.0,
        hedge_after: float | None = None,
        drain_interval: float = 1.0,
        metrics: Metrics | None = None,
        max_queue: int = 5000,
        on_stored: Callable[[], None] | None = None,
    ) -> None:
        self.pool = pool
        self.spool = spool
        self.database_url = database_url
        self._probe_url = make_conninfo(database_url, **connection_options(commit_timeout))
        self.batch_max = batch_max
        self.batch_wait = batch_wait
        self.batch_min = min(batch_min, batch_max)
        self.flushers = flushers
        self.commit_timeout = commit_timeout
        # None (or not below the commit deadline) turns hedging off.
        self.hedge_after = hedge_after if hedge_after and hedge_after < commit_timeout else None
        self.drain_interval = drain_interval
        self.on_stored = on_stored
        self.metrics = metrics
        self._database_up = True
        if metrics is not None:
            metrics.database_up.set(1)
        # A database that flaps (answers a probe, then times out a replay) would log a pair of
        # transitions every drain interval: once per 10 s each, with the count held back.
        self._transitions = RateLimited(log)
        # A full or read-only disk fails every batch: one line per 10 s, with the count.
        self._spool_errors = RateLimited(log)
        # Bounded, so a burst beyond what Postgres and the spool absorb costs 503s, not memory.
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue(max_queue)
        #: Requests waiting for their callback to be durable.
        self.waiting = 0
        self._crowd = 0.0  # the moving average of `waiting` as each request arrives
        self._last_write = -_BUSY_MEMORY
        self._tasks: list[asyncio.Task[None]] = []
        # Writes abandoned at their deadline, still being cancelled by psycopg.
        self._abandoned: set[asyncio.Task[None]] = set()
        # Hedged writes: answered from the spool, their commits still running.
        self._hedged: set[asyncio.Task[None]] = set()
        # The median of recent commit times: a Postgres that is slow across the board (not
        # stalled) is hedged only at a multiple of its usual time, so that hedging never
        # doubles the work of every batch. A median, so a stall's commits, which all land at
        # its end, do not raise it.
        self._commit_times: collections.deque[float] = collections.deque(maxlen=_COMMIT_SAMPLES)
        self._usual_commit = 0.002
        self._commits = 0
        self._draining = asyncio.Lock()
        # One flusher gathers a batch at a time, so two never split the arrivals between them.
        self._gathering = asyncio.Lock()
        self._gathered: list[_Pending] = []
        # While a small batch waits for company: how many more it wants, and the signal that
        # they are queued.
        self._wanted = 0
        self._enough = asyncio.Event()

    # -- request side -------------------------------------------------------------------

    async def write(self, raw: RawCallback) -> Outcome:
        """Return once `raw` is committed to Postgres or fsync'd to the spool.

        Raises Overloaded at once when the queue is full, NotDurable if neither could take it.
        """
        done: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        now = time.monotonic()
        try:
            self._queue.put_nowait(_Pending(raw, done, now))
        except asyncio.QueueFull:
            raise Overloaded from None
        if self._wanted and self._queue.qsize() >= self._wanted:
            self._enough.set()
        self.waiting += 1
        # Those in a batch waiting for company are not piling up: they wait by choice.
        self._crowd += (self.waiting - len(self._gathered) - self._crowd) / 32
        self._last_write = now
        try:
            return await done
        finally:
            self.waiting -= 1

    @property
    def busy(self) -> bool:
        """Whether requests are piling up behind the commits, as in a burst: on average, over
        the last few dozen, each found `_BUSY_WAITING` or more waiting when it arrived, not
        counting a batch gathering company (`_gather`), which waits by choice. Under a steady
        load the process can carry, one commit's worth or less are; in a burst every client
        has one waiting. An average, because the count dips for a moment whenever the clients
        are between two requests, and peaks when a few arrive together."""
        recent = time.monotonic() - self._last_write < _BUSY_MEMORY
        return recent and self._crowd >= _BUSY_WAITING

    # -- lifecycle ----------------------------------------------------------------------

    @property
    def database_up(self) -> bool:
        """Whether callbacks go to Postgres (else to the spool); mirrored in the metric at each
        change, so a host-wide scrape sees every worker's state, not only the scraped one's."""
        return self._database_up

    @database_up.setter
    def database_up(self, up: bool) -> None:
        self._database_up = up
        if self.metrics is not None:
            self.metrics.database_up.set(1 if up else 0)

    async def start(self) -> None:
        self._tasks = [asyncio.create_task(self._flush_loop()) for _ in range(self.flushers)]
        self._tasks.append(asyncio.create_task(self._drain_loop()))

    async def stop(self, timeout: float) -> None:
        """Commit what is queued within `timeout`; spool whatever is left after that."""
        deadline = time.monotonic() + timeout
        while (self.waiting or not self._queue.empty()) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await cancel_and_wait(self._tasks)
        await cancel_and_wait(list(self._hedged))  # each is in the spool already
        leftovers = [pending for pending in self._gathered if not pending.done.done()]
        while not self._queue.empty():
            leftovers.append(self._queue.get_nowait())
        if leftovers:
            await self._to_spool(leftovers)
        await asyncio.to_thread(self.spool.rotate)

    # -- flushing -----------------------------------------------------------------------

    async def _flush_loop(self) -> None:
        while True:
            async with self._gathering:
                batch = await self._gather()
            try:
                await self._commit(batch)
            except Exception:  # never let a flusher die: its waiters would hang
                log.exception("unexpected failure committing a batch")
                for pending in batch:
                    if not pending.done.done():
                        pending.done.set_exception(NotDurable("internal error"))

    async def _gather(self) -> list[_Pending]:
        """The next batch: whatever is queued, up to `batch_max`.

        A commit costs about the same CPU, here and in Postgres, for one callback as for
        twenty (bench.raw_insert), so at a steady, moderate rate, where each commit would find
        one or two queued, a batch smaller than `batch_min` waits for company: until its first
        callback has waited `batch_wait`, for as long as more keep arriving. A lull (none in
        `_LULL`) ends the wait at once: the senders are then waiting on us, not sending. In a
        burst batches are large without waiting."""
        batch = self._gathered = [await self._queue.get()]
        self._take(batch)
        if self.batch_wait:
            deadline = batch[0].queued_at + self.batch_wait
            while len(batch) < self.batch_min:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                before = len(batch)
                self._wanted = self.batch_min - before
                self._enough.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(min(remaining, _LULL)):
                        await self._enough.wait()
                self._wanted = 0
                self._take(batch)
                if len(batch) == before:
                    break
        self._gathered = []
        return batch

    def _take(self, batch: list[_Pending]) -> None:
        while len(batch) < self.batch_max and not self._queue.empty():
            batch.append(self._queue.get_nowait())

    async def _commit(self, batch: list[_Pending]) -> None:
        if self.database_up:
            started = time.monotonic()
            write = asyncio.create_task(self._write([p.raw for p in batch]))
            write.add_done_callback(self._timer(started))
            if self.hedge_after is not None and await self._hedged_to_spool(write, batch):
                return
            try:
                # The deadline counts from the start: a hedge the spool refused took its share.
                await self._finish_write(write, self.commit_timeout, since=started)
            except _UNAVAILABLE as exc:
                self._mark_down(exc)
            except Exception:
                # Something in the batch is unacceptable, to Postgres or to the code that builds
                # its rows, whatever the exception: isolate it, so it fails no neighbour.
                await self._commit_one_by_one(batch)
                return
            else:
                if self.metrics is not None:
                    self.metrics.batch_size.observe(len(batch))
                self._resolve(batch, "stored")
                return
        await self._to_spool(batch)

    async def _commit_one_by_one(self, batch: list[_Pending]) -> None:
        for pending in batch:
            try:
                await self._write_by(self.commit_timeout, [pending.raw])
            except _UNAVAILABLE as exc:
                self._mark_down(exc)
                await self._to_spool([pending])
            except Exception:
                # Not even the raw request could be stored. The spool still makes it durable;
                # its replay sets it aside in the quarantine if it fails there too.
                log.exception("callback %s refused even raw; spooled", pending.raw.id)
                await self._to_spool([pending])
            else:
                self._resolve([pending], "stored")

    async def _hedged_to_spool(self, write: asyncio.Task[None], batch: list[_Pending]) -> bool:
        """Whether `batch` was answered from the spool because `write` was slow (see the module
        docstring); the write is then left to finish in the background. False when the write
        finished first, or the spool could not take the batch: the caller waits for the write."""
        assert self.hedge_after is not None
        patience = min(max(self.hedge_after, 4 * self._usual_commit), self.commit_timeout)
        done, _ = await asyncio.wait((write,), timeout=patience)
        if done:
            return False
        copy = asyncio.ensure_future(asyncio.to_thread(self.spool.append, [p.raw for p in batch]))
        done, _ = await asyncio.wait((write, copy), return_when=asyncio.FIRST_COMPLETED)
        if write in done or copy.exception() is not None:
            # Committed first (the copy still lands, and replays as a no-op), or no spool.
            copy.add_done_callback(_retrieve)
            return False
        self._resolve(batch, "spooled")
        settle = asyncio.create_task(self._settle(write, self.commit_timeout - patience))
        self._hedged.add(settle)
        settle.add_done_callback(self._hedged.discard)
        return True

    def _timer(self, started: float) -> Callable[[asyncio.Task[None]], None]:
        def committed(write: asyncio.Task[None]) -> None:
            if not write.cancelled() and write.exception() is None:
                self._commit_times.append(time.monotonic() - started)
                self._commits += 1
                if self._commits % (_COMMIT_SAMPLES // 8) == 0:
                    self._usual_commit = statistics.median(self._commit_times)

        return committed

    async def _settle(self, write: asyncio.Task[None], deadline: float) -> None:
        """Finish a hedged write: its callbacks are durable in the spool, so only an unavailable
        Postgres matters here (the spool takes the next batches); a data error is isolated
        when the spool's copy is replayed."""
        try:
            await self._finish_write(write, deadline)
        except _UNAVAILABLE as exc:
            self._mark_down(exc)
        except Exception as exc:
            log.debug("hedged write failed; its spooled copy is replayed: %s", exc)

    async def _write_by(self, deadline: float, raws: Sequence[RawCallback]) -> None:
        """`_write`, or TimeoutError once `deadline` seconds pass, whatever Postgres does."""
        await self._finish_write(asyncio.create_task(self._write(raws)), deadline)

    async def _finish_write(
        self, write: asyncio.Task[None], deadline: float, *, since: float | None = None
    ) -> None:
        """Wait for `write`, or raise TimeoutError once `deadline` seconds pass (counted from
        `since`, a time.monotonic() reading, if given: a write already waited on for a while).

        A hard deadline: against a host that silently drops packets, psycopg's own cancellation
        of a query can take 10 s or more, beyond a provider's patience. So the write runs as its
        own task and is abandoned at the deadline (cancelled, left to finish in the background),
        and the caller spools at once. If it commits after all, the replay of the spooled copy
        is a no-op: callbacks are inserted by their receipt id.
        """
        left = deadline if since is None else max(since + deadline - time.monotonic(), 0.0)
        done, _ = await asyncio.wait((write,), timeout=left)
        if done:
            write.result()
            if self.on_stored is not None:
                self.on_stored()
            return
        write.cancel()
        self._abandoned.add(write)
        write.add_done_callback(_forget(self._abandoned))
        raise TimeoutError(f"Postgres did not answer within {deadline:g} s")

    async def _write(self, raws: Sequence[RawCallback]) -> None:
        for attempt in range(3):
            try:
                async with self.pool.connection() as conn:
                    await store_raw(conn, raws)
                    return
            except _RETRY:
                if attempt == 2:
                    raise
                await asyncio.sleep(0.01 * (attempt + 1))
            except psycopg.Error as exc:
                if exc.sqlstate is None or exc.sqlstate[:2] in _UNAVAILABLE_STATES:
                    raise _Unavailable(f"{type(exc).__name__}: {exc}") from exc
                raise

    async def _to_spool(self, batch: list[_Pending]) -> None:
        try:
            await asyncio.to_thread(self.spool.append, [p.raw for p in batch])
        except OSError as exc:
            self._spool_errors.error(
                "spool", "spool unavailable (%s); answering 503 for %d callbacks", exc, len(batch)
            )
            for pending in batch:
                if not pending.done.done():
                    pending.done.set_exception(NotDurable(str(exc)))
            return
        self._resolve(batch, "spooled")

    @staticmethod
    def _resolve(batch: list[_Pending], outcome: Outcome) -> None:
        for pending in batch:
            if not pending.done.done():
                pending.done.set_result(outcome)

    def _mark_down(self, exc: BaseException) -> None:
        if self.database_up:
            self._transitions.warning(
                "down", "%s; spooling callbacks until it is back", unavailable_reason(exc)
            )
        self.database_up = False

    # -- recovery -----------------------------------------------------------------------

    async def _drain_loop(self) -> None:
        while True:
            await asyncio.sleep(self.drain_interval)
            try:
                await self.recover()
            except Exception as exc:
                # Postgres going away mid-replay was logged as the outage it is, not an error.
                if self.database_up or not isinstance(exc, _UNAVAILABLE):
                    self._spool_errors.error(
                        "replay", "spool replay failed; will retry", exc_info=True
                    )

    async def recover(self) -> int:
        """Probe Postgres if it was down, then replay the spool; returns entries replayed."""
        async with self._draining:
            if not self.database_up:
                if not await self._probe():
                    return 0
                await self.pool.check()  # drop connections that died with the old server
                self._transitions.log(logging.INFO, "back", "Postgres is back; replaying the spool")
                self.database_up = True
            if not self.spool.has_entries():
                return 0
            await asyncio.to_thread(self.spool.rotate)
            return await self.spool.drain(self._replay)

    async def _probe(self) -> bool:
        try:
            async with asyncio.timeout(self.commit_timeout):
                conn = await psycopg.AsyncConnection.connect(self._probe_url, autocommit=True)
        except (*_UNAVAILABLE, psycopg.Error):
            return False
        async with conn:
            try:
                await conn.execute("SELECT 1")
            except psycopg.Error:
                return False
        return True

    async def _replay(self, raws: list[RawCallback]) -> None:
        """Store spooled callbacks; raises only while Postgres is unavailable, so the file is
        kept for the next attempt. Anything else is isolated to the entry that caused it."""
        timeout = self.commit_timeout * 5
        try:
            await self._write_by(timeout, raws)
            return
        except _UNAVAILABLE as exc:
            self._mark_down(exc)
            raise
        except Exception:
            pass  # isolate the bad entry below, so it cannot block the rest
        for raw in raws:
            try:
                await self._write_by(timeout, [raw])
            except _UNAVAILABLE as exc:
                self._mark_down(exc)
                raise
            except Exception as exc:
                # Not even the raw request is acceptable: set it aside, still on disk, so it
                # never blocks the replay of everything behind it.
                log.exception("callback %s refused even raw; quarantined", raw.id)
                reason = f"{type(exc).__name__}: {exc}"
                await asyncio.to_thread(self.spool.quarantine, raw, reason)


def unavailable_reason(exc: BaseException) -> str:
    """Why Postgres counts as unavailable, in words (a bare TimeoutError says nothing)."""
    if isinstance(exc, PoolTimeout):
        return f"no Postgres connection free or opened in time ({exc})"
    if isinstance(exc, TimeoutError):
        return str(exc) or "Postgres did not answer in time"
    if isinstance(exc, OSError):
        return f"cannot reach Postgres ({exc.strerror or type(exc).__name__})"
    return f"Postgres unavailable ({exc})"


def _retrieve(future: asyncio.Future[None]) -> None:
    """Mark a future's exception retrieved: a spool copy made redundant by its commit."""
    if not future.cancelled():
        future.exception()


def _forget(abandoned: set[asyncio.Task[None]]) -> Callable[[asyncio.Task[None]], None]:
    def done(task: asyncio.Task[None]) -> None:
        abandoned.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.debug("abandoned write ended: %s", task.exception())

    return done
