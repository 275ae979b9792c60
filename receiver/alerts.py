"""The alert service: windowed rules, and the outbox dispatcher that delivers every alert.

Per-message alerts are raised by the projector (projection/alert_rules.py) in the transaction
that stores their cause. Windowed rules (failure rate, silence) are evaluated here,
periodically, by whichever process holds an advisory lock, through the same cool-down gate.
Dispatchers in any number of processes lease due outbox rows (a short committed claim, so no
lock or transaction is held while a target is slow), POST them signed per the Standard Webhooks
spec, and retry with exponential backoff until a target answers 2xx or the give-up time passes.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from receiver.config import AlertSettings
from receiver.projection.alert_rules import Alert, raise_alerts
from receiver.tasks import cancel_and_wait

__all__ = ["AlertService", "sign"]

log = logging.getLogger("receiver.alerts")

NOTIFY_CHANNEL = "receiver_alerts"
_EVALUATOR_LOCK = 0x5EC_A1E7
_FAILED = ("undelivered", "expired", "rejected")


def sign(secret: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """The Standard Webhooks `webhook-signature` value: v1,base64(HMAC-SHA256(id.ts.body))."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def slack_body(payload: dict[str, Any]) -> dict[str, str]:
    """A Slack incoming-webhook body: one line of text saying what happened."""
    kind = payload.get("type", "alert")
    provider = payload.get("provider") or "all providers"
    if kind == "message.failed":
        text = (
            f":x: {provider} message {payload.get('message_id') or payload.get('client_ref')} "
            f"to {payload.get('recipient')} is {payload.get('status')} "
            f"({payload.get('provider_status')}, error {payload.get('error_code')})"
        )
    elif kind == "message.opted_out":
        text = f":no_entry: {payload.get('sender')} opted out via {provider}"
    elif kind == "provider.failure_rate":
        text = (
            f":warning: {provider} failure rate {payload.get('failure_rate'):.0%} "
            f"({payload.get('failed')}/{payload.get('total')} in the last "
            f"{payload.get('window_seconds')} s)"
        )
    elif kind == "callbacks.silent":
        text = f":zzz: no callbacks for {payload.get('silent_seconds')} s"
    else:
        text = json.dumps(payload)
    return {"text": text}


@dataclass(frozen=True, slots=True)
class Claim:
    """One outbox row leased to this dispatcher, and the token that proves the lease is ours."""

    id: int
    token: UUID
    target: str
    format: str
    attempts: int
    alert_id: int
    payload: dict[str, Any]
    created_at: datetime
    #: time.monotonic() after which another dispatcher may claim the row.
    expires: float


# One statement, so it commits before any POST: the rows leave the due set for `lease` seconds
# and carry our token. SKIP LOCKED keeps concurrent claimers off each other's rows meanwhile.
_CLAIM = """
UPDATE alert_deliveries d
SET next_attempt_at = now() + make_interval(secs => %(lease)s), claim_token = %(token)s
FROM alerts a
WHERE a.id = d.alert_id AND d.id IN (
    SELECT id FROM alert_deliveries
    WHERE state = 'pending' AND next_attempt_at <= now()
    ORDER BY next_attempt_at LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
RETURNING d.id, d.target, d.format, d.attempts, a.id AS alert_id, a.payload, a.created_at
"""
# Every outcome is written only while our claim stands (see migration 6).
_GUARD = " WHERE id = %(id)s AND claim_token = %(token)s AND state = 'pending'"
_DELIVERED = (
    "UPDATE alert_deliveries SET state = 'delivered', attempts = %(attempts)s,"
    " delivered_at = now(), last_error = NULL, claim_token = NULL" + _GUARD
)
_GAVE_UP = (
    "UPDATE alert_deliveries SET state = 'failed', attempts = %(attempts)s,"
    " last_error = %(error)s, claim_token = NULL" + _GUARD
)
_RETRY = (
    "UPDATE alert_deliveries SET attempts = %(attempts)s, last_error = %(error)s,"
    " next_attempt_at = now() + make_interval(secs => %(delay)s), claim_token = NULL" + _GUARD
)


class AlertService:
    """Runs the dispatcher and the windowed-rule evaluator in one process.

    The dispatcher never holds a lock, a transaction or a pooled connection while it waits on
    a target: it leases due rows in one statement, POSTs them (at most `concurrency` at once,
    each bounded by `request_timeout`), then records each outcome in its own statement. A
    dispatcher that dies mid-POST leaves its rows leased; they come due again after `lease`
    seconds and are retried, with the same webhook-id, by whichever dispatcher claims them.
    """

    def __init__(
        self,
        pool: AsyncConnectionPool,
        settings: AlertSettings,
        *,
        poll_interval: float = 1.0,
        request_timeout: float = 10.0,
        lease: float = 30.0,
        concurrency: int = 8,
    ) -> None:
        # A lease shorter than a POST would let a healthy dispatcher's rows be taken over
        # mid-request and sent twice.
        if lease <= request_timeout:
            raise ValueError(f"lease ({lease} s) must exceed request_timeout ({request_timeout} s)")
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1 (got {concurrency})")
        self.pool = pool
        self.settings = settings
        self.poll_interval = poll_interval
        self.request_timeout = request_timeout
        self.lease = lease
        self.concurrency = concurrency
        self._tasks: list[asyncio.Task[None]] = []
        self._client: httpx.AsyncClient | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        if not self.settings.enabled:
            return
        self._http()
        self._tasks = [
            asyncio.create_task(self._loop(self.dispatch_once, self.poll_interval)),
            asyncio.create_task(self._loop(self.evaluate_once, self.settings.evaluate_interval)),
        ]

    async def stop(self, timeout: float = 15.0) -> None:
        """Let deliveries in flight record their outcome (so none is sent twice), then stop."""
        self._stopping.set()
        if self._tasks:
            _, running = await asyncio.wait(self._tasks, timeout=timeout)
            await cancel_and_wait(list(running))
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            limits = httpx.Limits(
                max_connections=self.concurrency, max_keepalive_connections=self.concurrency
            )
            self._client = httpx.AsyncClient(timeout=self.request_timeout, limits=limits)
        return self._client

    async def _loop(self, step: Any, interval: float) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), interval)
                return
            try:
                await step()
            except (psycopg.Error, OSError, TimeoutError) as exc:
                log.debug("alert step skipped: %s", exc)  # Postgres down: try again later
            except Exception:
                log.exception("alert step failed")

    # -- delivery ---------------------------------------------------------------------

    async def dispatch_once(self) -> int:
        """Announce new alerts with NOTIFY and deliver due outbox rows; returns rows claimed.

        Keeps up to `concurrency` POSTs in flight, claiming more as each finishes, until no row
        is due and none is in flight. A slow target holds one slot, not the round.
        """
        await self._notify_new()
        claimed = 0
        failure: psycopg.Error | OSError | None = None
        running: set[asyncio.Task[None]] = set()
        # A TaskGroup: if this round is cancelled (stop() ran out of time), so are its POSTs.
        # Nothing is raised inside it (it would wrap the error in an ExceptionGroup).
        async with asyncio.TaskGroup() as group:
            while True:
                free = self.concurrency - len(running)
                if failure is None and free and not self._stopping.is_set():
                    try:
                        claims = await self.claim(free)
                    except (psycopg.Error, OSError) as exc:
                        failure, claims = exc, []  # finish what is in flight, then report it
                    claimed += len(claims)
                    running.update(group.create_task(self.deliver(c)) for c in claims)
                if not running:
                    break
                done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                running -= done
        if failure is not None:
            raise failure
        return claimed

    async def _notify_new(self) -> None:
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                "UPDATE alerts SET notified_at = now() WHERE id IN ("
                " SELECT id FROM alerts WHERE notified_at IS NULL ORDER BY id LIMIT 100"
                " FOR UPDATE SKIP LOCKED) RETURNING id, type, provider, alert_key"
            )
            for alert_id, kind, provider, key in await cur.fetchall():
                note = json.dumps({"id": alert_id, "type": kind, "provider": provider, "key": key})
                await conn.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, note))

    async def claim(self, limit: int) -> list[Claim]:
        """Lease up to `limit` due rows to this dispatcher; committed before this returns."""
        token = uuid4()
        # Taken before the statement, so our idea of the lease never outlasts Postgres's.
        expires = time.monotonic() + self.lease
        params = {"lease": self.lease, "token": token, "limit": limit}
        # transaction(): committed at the block's end whether or not the pool is autocommit.
        async with self.pool.connection() as conn, conn.transaction():
            cur = conn.cursor(row_factory=dict_row)
            await cur.execute(_CLAIM, params)
            found = await cur.fetchall()
        return [Claim(token=token, expires=expires, **row) for row in found]

    async def deliver(self, claim: Claim) -> None:
        """POST one claimed delivery and record the outcome. Never raises but on cancellation."""
        try:
            error = await self.attempt(claim)
            await self.record(claim, error)
        except Exception:
            log.exception("alert delivery %s failed; retried after its lease", claim.id)

    async def attempt(self, claim: Claim) -> str | None:
        """POST one delivery, within `request_timeout`; None on a 2xx, else why it failed."""
        payload = claim.payload
        if claim.format == "slack":
            body = json.dumps(slack_body(payload)).encode()
            headers = {"content-type": "application/json"}
        else:
            body = json.dumps(payload, separators=(",", ":")).encode()
            message_id = f"alert_{claim.alert_id}"
            timestamp = int(time.time())
            headers = {
                "content-type": "application/json",
                "webhook-id": message_id,
                "webhook-timestamp": str(timestamp),
            }
            if self.settings.secret is not None:
                headers["webhook-signature"] = sign(
                    self.settings.secret, message_id, timestamp, body
                )
        try:
            # httpx's timeout bounds each read; this bounds the whole request (a slow drip).
            async with asyncio.timeout(self.request_timeout):
                response = await self._http().post(claim.target, content=body, headers=headers)
        except TimeoutError:
            return f"timed out after {self.request_timeout:g} s"
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}: {response.text[:200]}"

    async def record(self, claim: Claim, error: str | None) -> bool:
        """Write the outcome of `claim` if the lease is still ours; False if it was not written.

        Retried briefly while Postgres is unreachable, as an outcome not written means the
        alert is sent again once the lease lapses.
        """
        sql, params = self._outcome(claim, error)
        while True:
            try:
                async with self.pool.connection() as conn, conn.transaction():
                    cur = await conn.execute(sql, params)
                    recorded = cur.rowcount == 1
                break
            except (psycopg.Error, OSError) as exc:
                if time.monotonic() + 1.0 >= claim.expires:
                    log.warning("alert delivery %s outcome not recorded: %s", claim.id, exc)
                    return False
                await asyncio.sleep(0.5)
        if not recorded:
            # The lease lapsed and another dispatcher claimed the row: its outcome stands.
            log.info("alert delivery %s: lease lost, outcome not recorded", claim.id)
        return recorded

    def _outcome(self, claim: Claim, error: str | None) -> tuple[str, dict[str, Any]]:
        attempts = claim.attempts + 1
        guard = {"id": claim.id, "token": claim.token, "attempts": attempts}
        if error is None:
            return _DELIVERED, guard
        age = (datetime.now(UTC) - claim.created_at).total_seconds()
        if age >= self.settings.give_up:
            return _GAVE_UP, {**guard, "error": f"gave up after {attempts} attempts; last: {error}"}
        # Exponential backoff with full jitter, capped, so a recovering target is not stampeded.
        delay = random.uniform(0.5, 1.0) * min(self.settings.backoff_max, 2.0 ** (attempts - 1))
        return _RETRY, {**guard, "error": error, "delay": delay}

    # -- windowed rules ---------------------------------------------------------------

    async def evaluate_once(self) -> list[Alert]:
        """Evaluate failure-rate and silence rules, if no other process is doing so now.

        Returns the alerts whose condition holds; the cool-down gate decides which are raised.
        """
        if not self.settings.enabled:
            return []
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (_EVALUATOR_LOCK,))
            row = await cur.fetchone()
            if row is None or not row[0]:
                return []
            alerts = await self._failure_rates(conn) + await self._silence(conn)
            async with conn.cursor() as raise_cur:
                await raise_alerts(raise_cur, alerts, self.settings)
            return alerts

    async def _failure_rates(self, conn: psycopg.AsyncConnection[Any]) -> list[Alert]:
        settings = self.settings
        if settings.failure_rate <= 0:
            return []
        cur = await conn.execute(
            "SELECT provider,"
            " count(*) FILTER (WHERE status = ANY(%s)) AS failed,"
            " count(*) FILTER (WHERE status NOT IN ('queued', 'sent')) AS total"
            " FROM delivery_events WHERE received_at > now() - make_interval(secs => %s)"
            " GROUP BY provider",
            (list(_FAILED), settings.failure_window),
        )
        alerts = []
        for provider, failed, total in await cur.fetchall():
            if total < settings.failure_min_volume or failed / total <= settings.failure_rate:
                continue
            alerts.append(
                Alert(
                    type="provider.failure_rate",
                    key=provider,
                    provider=provider,
                    payload={
                        "type": "provider.failure_rate",
                        "provider": provider,
                        "failure_rate": round(failed / total, 4),
                        "failed": failed,
                        "total": total,
                        "threshold": settings.failure_rate,
                        "window_seconds": settings.failure_window,
                    },
                )
            )
        return alerts

    async def _silence(self, conn: psycopg.AsyncConnection[Any]) -> list[Alert]:
        if self.settings.silence <= 0:
            return []
        cur = await conn.execute(
            "SELECT max(received_at), extract(epoch FROM now() - max(received_at)) FROM callbacks"
        )
        row = await cur.fetchone()
        if row is None or row[0] is None or row[1] < self.settings.silence:
            return []  # never received anything: nothing has gone quiet
        last, silent = row
        return [
            Alert(
                type="callbacks.silent",
                key="all",
                provider=None,
                payload={
                    "type": "callbacks.silent",
                    "provider": None,
                    "last_callback_at": last.isoformat(),
                    "silent_seconds": int(silent),
                },
            )
        ]
