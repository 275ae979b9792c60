"""Alerting hooks end to end: rules, the outbox, signed delivery to a real local HTTP sink."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg_pool import AsyncConnectionPool
from starlette.testclient import TestClient

from receiver.alerts import AlertService, sign
from receiver.app import create_app
from receiver.config import AlertSettings
from receiver.projection.store import write_batch
from receiver.status import Status
from tests.conftest import TOKEN, make_settings, rows
from tests.processes import wait_for
from tests.test_app import CDYNE_STOP, FORM
from tests.test_store import accepted, event

SECRET = b"0123456789abcdef0123456789abcdef"


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class Sink:
    """A real HTTP server on loopback that records every POST and answers `status`.

    While `gate` is clear, requests wait for it before answering; `hook` runs on each request
    as it arrives (in the server's thread), `respond` can choose the status per request, and
    `delay` slows every answer. `peak` is the most requests ever in flight at once, and
    `overlaps` lists webhook-ids that were ever in flight twice at the same time.
    """

    status: int = 200
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    gate: threading.Event = field(default_factory=threading.Event)
    hook: Callable[[Received], None] | None = None
    respond: Callable[[Received], int] | None = None
    delay: float = 0.0
    peak: int = 0
    overlaps: list[str] = field(default_factory=list)
    _active: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.gate.set()

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def delivered(self) -> list[Received]:
        return [r for r in self.received if r.answered == 200]

    def _enter(self, webhook_id: str) -> None:
        with self._lock:
            self._active[webhook_id] = self._active.get(webhook_id, 0) + 1
            if self._active[webhook_id] > 1:
                self.overlaps.append(webhook_id)
            self.peak = max(self.peak, sum(self._active.values()))

    def _leave(self, webhook_id: str) -> None:
        with self._lock:
            self._active[webhook_id] -= 1

    def start(self) -> None:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                webhook_id = self.headers.get("webhook-id", "")
                request = Received(dict(self.headers.items()), body, 0)
                sink._enter(webhook_id)
                try:
                    with sink._lock:
                        sink.received.append(request)
                    if sink.hook is not None:
                        sink.hook(request)
                    sink.gate.wait(30)
                    time.sleep(sink.delay)
                    status = sink.respond(request) if sink.respond else sink.status
                    request.answered = status
                finally:
                    sink._leave(webhook_id)
                with contextlib.suppress(OSError):  # the client may have gone (killed)
                    self.send_response(status)
                    self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def sink() -> Iterator[Sink]:
    server = Sink()
    server.start()
    yield server
    server.gate.set()
    assert server.server is not None
    server.server.shutdown()


def alert_settings(sink: Sink, **overrides: Any) -> AlertSettings:
    values: dict[str, Any] = {
        "enabled": True,
        "urls": (sink.url,),
        "secret": SECRET,
        "backoff_max": 0.3,
        "evaluate_interval": 3600,
    }
    values.update(overrides)
    return AlertSettings(**values)


def app_client(database_url: str, tmp_path: Path, alerts: AlertSettings) -> TestClient:
    return TestClient(create_app(make_settings(database_url, tmp_path / "spool", alerts=alerts)))


def undelivered(message_id: str, code: str = "005") -> bytes:
    # CDYNE delivery-receipt postback fields per wiki.cdyne.com SMS_Delivery_Receipt_Postback;
    # Code 005 is UndelivOrDeleted in esendex.us/docs/sms-api/api/types/DeliveryReceiptCode.
    return (
        f"DeliveryReceipt=1&MessageID={message_id}&ReferenceID=order-7&FromPhoneNumber=74121"
        f"&ToPhoneNumber=17572373369&DeliveryReceiptMessage=id:{message_id} sub:001 dlvrd:000 "
        f"submit date:2306132307 done date:2306132309 stat:UNDELIV err:{code} text:&Code={code}"
    ).encode()


def verify_standard_webhook(received: Received, secret: bytes) -> dict[str, Any]:
    """Verification as the Standard Webhooks spec describes it, written independently."""
    msg_id = received.headers["webhook-id"]
    timestamp = received.headers["webhook-timestamp"]
    content = f"{msg_id}.{timestamp}.".encode() + received.body
    expected = base64.b64encode(hmac.new(secret, content, hashlib.sha256).digest()).decode()
    versions = dict(part.split(",", 1) for part in received.headers["webhook-signature"].split())
    assert hmac.compare_digest(versions["v1"], expected)
    assert abs(time.time() - int(timestamp)) < 300
    payload: dict[str, Any] = json.loads(received.body)
    return payload


def test_signature_matches_the_specification_test_vector() -> None:
    # Test vector published with the Standard Webhooks specification
    # (github.com/standard-webhooks/standard-webhooks, spec and reference libraries).
    secret = base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    signature = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}')
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_undelivered_receipt_reaches_the_sink_signed(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, sink: Sink
) -> None:
    with app_client(database_url, tmp_path, alert_settings(sink)) as client:
        response = client.post(
            f"/callbacks/cdyne/{TOKEN}", content=undelivered("m-1"), headers=FORM
        )
        assert response.status_code == 200
        wait_for(lambda: len(sink.delivered()) == 1, timeout=10)
    payload = verify_standard_webhook(sink.delivered()[0], SECRET)
    assert payload == {
        "type": "message.failed",
        "provider": "cdyne",
        "message_id": "m-1",
        "client_ref": "order-7",
        "recipient": "17572373369",
        "status": "undelivered",
        "provider_status": "005",
        "error_code": "005",
        "error_detail": payload["error_detail"],
        "occurred_at": "2023-06-13 23:09:00+00:00",
        "callback_id": payload["callback_id"],
    }
    [delivery] = rows(db, "SELECT state, attempts FROM alert_deliveries")
    assert delivery == {"state": "delivered", "attempts": 1}


def test_failing_sink_gets_the_alert_once_after_a_restart(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, sink: Sink
) -> None:
    sink.status = 503
    alerts = alert_settings(sink)
    with app_client(database_url, tmp_path, alerts) as client:
        client.post(f"/callbacks/cdyne/{TOKEN}", content=undelivered("m-2"), headers=FORM)
        wait_for(lambda: len(sink.received) >= 2)  # failed, retried, failed again
    # The server is down while the sink recovers; the outbox row waits in Postgres.
    [pending] = rows(db, "SELECT state, attempts, last_error FROM alert_deliveries")
    assert pending["state"] == "pending"
    assert pending["attempts"] >= 2
    assert "HTTP 503" in pending["last_error"]
    sink.status = 200
    with app_client(database_url, tmp_path, alerts):
        wait_for(lambda: len(sink.delivered()) == 1)
        time.sleep(1.5)  # a second dispatch round must not send it again
    assert len(sink.delivered()) == 1
    ids = {r.headers["webhook-id"] for r in sink.received}
    assert len(ids) == 1  # every attempt carried the same id, so receivers can deduplicate
    verify_standard_webhook(sink.delivered()[0], SECRET)


def test_cool_down_bounds_alerts_per_message_and_late_failures_do_not_alert(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, sink: Sink
) -> None:
    with app_client(database_url, tmp_path, alert_settings(sink)) as client:
        client.post(f"/callbacks/cdyne/{TOKEN}", content=undelivered("m-3", "005"), headers=FORM)
        client.post(f"/callbacks/cdyne/{TOKEN}", content=undelivered("m-3", "024"), headers=FORM)
        client.post(f"/callbacks/cdyne/{TOKEN}", content=undelivered("m-4"), headers=FORM)
        wait_for(lambda: len(sink.delivered()) == 2)
        time.sleep(1.2)
    keys = sorted(json.loads(r.body)["message_id"] for r in sink.delivered())
    assert keys == ["m-3", "m-4"]
    assert len(rows(db, "SELECT id FROM delivery_events")) == 3


def test_opt_out_alert_and_notify(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, sink: Sink
) -> None:
    with psycopg.connect(database_url, autocommit=True) as listener:
        listener.execute("LISTEN receiver_alerts")
        with app_client(database_url, tmp_path, alert_settings(sink)) as client:
            client.post(f"/callbacks/cdyne/{TOKEN}", content=CDYNE_STOP, headers=FORM)
            wait_for(lambda: len(sink.delivered()) == 1)
        payload = verify_standard_webhook(sink.delivered()[0], SECRET)
        assert payload["type"] == "message.opted_out"
        assert payload["sender"] == "17575449510"
        assert payload["keyword"] == "STOP"
        assert payload["message_id"] == "11111111-2222-1111-2222-000000000004"
        select.select([listener.pgconn.socket], [], [], 5)
        notes = list(listener.notifies(timeout=1, stop_after=1))
    assert json.loads(notes[0].payload)["type"] == "message.opted_out"


def test_slack_targets_get_a_text_body(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, sink: Sink
) -> None:
    alerts = alert_settings(sink, urls=(), slack_urls=(sink.url,), secret=None)
    with app_client(database_url, tmp_path, alerts) as client:
        client.post(f"/callbacks/cdyne/{TOKEN}", content=undelivered("m-5"), headers=FORM)
        wait_for(lambda: len(sink.delivered()) == 1)
    body = json.loads(sink.delivered()[0].body)
    assert list(body) == ["text"]
    assert "m-5" in body["text"] and "undelivered" in body["text"]


def test_delivery_is_given_up_with_a_reason(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, sink: Sink
) -> None:
    sink.status = 500
    with app_client(database_url, tmp_path, alert_settings(sink, give_up=1.0)) as client:
        client.post(f"/callbacks/cdyne/{TOKEN}", content=undelivered("m-6"), headers=FORM)
        wait_for(lambda: rows(db, "SELECT state FROM alert_deliveries")[0]["state"] == "failed")
    [delivery] = rows(db, "SELECT last_error, attempts FROM alert_deliveries")
    assert delivery["last_error"].startswith(f"gave up after {delivery['attempts']} attempts")
    assert "HTTP 500" in delivery["last_error"]


def _insert_events(db: psycopg.Connection[Any], provider: str, statuses: list[str]) -> None:
    db.execute(
        "INSERT INTO callbacks (id, received_at, provider, method)"
        " VALUES ('019b8000-0000-7000-8000-0000000000aa', now(), %s, 'POST')"
        " ON CONFLICT DO NOTHING",
        (provider,),
    )
    for n, status in enumerate(statuses):
        db.execute(
            "INSERT INTO delivery_events (callback_id, provider, message_key, status,"
            " received_at, dedup_key, received_month) VALUES"
            " ('019b8000-0000-7000-8000-0000000000aa', %s, %s, %s, now(), %s,"
            " date_trunc('month', now() AT TIME ZONE 'UTC')::date)",
            (
                provider,
                f"id:{provider}-{n}",
                status,
                hashlib.md5(f"{provider}{n}".encode()).digest(),
            ),
        )


def test_failure_rate_rule_needs_volume_and_threshold(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, sink: Sink
) -> None:
    _insert_events(db, "smpp", ["undelivered"] * 6 + ["delivered"] * 4 + ["sent"] * 5)
    _insert_events(db, "dynmark", ["undelivered"] * 4)  # too few to judge
    _insert_events(db, "cdyne", ["undelivered"] * 2 + ["delivered"] * 8)  # under threshold
    alerts = alert_settings(sink, failure_rate=0.5, failure_min_volume=10)
    with app_client(database_url, tmp_path, alerts) as client:
        service = client.app.state.alerts  # type: ignore[attr-defined]
        first = client.portal.call(service.evaluate_once)
        second = client.portal.call(service.evaluate_once)  # inside the cool-down
        wait_for(lambda: len(sink.delivered()) == 1)
    assert [a.key for a in first] == ["smpp"]
    assert first[0].payload["failure_rate"] == 0.6
    assert first[0].payload["total"] == 10
    assert len(second) == 1  # still true, but the gate holds it back:
    assert len(rows(db, "SELECT id FROM alerts")) == 1


def test_silence_rule(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, sink: Sink
) -> None:
    alerts = alert_settings(sink, silence=60)
    with app_client(database_url, tmp_path, alerts) as client:
        service = client.app.state.alerts  # type: ignore[attr-defined]
        assert client.portal.call(service.evaluate_once) == []  # nothing ever received
        db.execute(
            "INSERT INTO callbacks (id, received_at, provider, method) VALUES"
            " ('019b8000-0000-7000-8000-0000000000bb', now() - interval '2 minutes', 'smpp',"
            " 'GET')"
        )
        [alert] = client.portal.call(service.evaluate_once)
        wait_for(lambda: len(sink.delivered()) == 1)
    assert alert.type == "callbacks.silent"
    payload = verify_standard_webhook(sink.delivered()[0], SECRET)
    assert payload["type"] == "callbacks.silent"
    assert payload["silent_seconds"] >= 120


def insert_alerts(db: psycopg.Connection[Any], count: int, url: str) -> None:
    db.execute(
        "INSERT INTO alerts (type, alert_key, payload) SELECT 'test', 'k' || n,"
        " jsonb_build_object('type', 'test', 'n', n) FROM generate_series(1, %s) AS n",
        (count,),
    )
    db.execute("INSERT INTO alert_deliveries (alert_id, target) SELECT id, %s FROM alerts", (url,))


def new_pool(database_url: str, *, size: int = 2, autocommit: bool = True) -> AsyncConnectionPool:
    return AsyncConnectionPool(
        database_url, min_size=1, max_size=size, open=False, kwargs={"autocommit": autocommit}
    )


async def eventually(predicate: Callable[[], object], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


# -- the dispatcher holds nothing while it posts -----------------------------------------


def test_no_lock_or_transaction_is_held_while_a_target_is_posted(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, sink: Sink
) -> None:
    seen: list[dict[str, Any]] = []

    def probe(request: Received) -> None:
        # From another connection, while the dispatcher waits on this very request.
        with psycopg.connect(database_url) as conn:
            try:
                with conn.transaction():
                    conn.execute("SELECT id FROM alert_deliveries FOR UPDATE NOWAIT")
                locked = False
            except psycopg.errors.LockNotAvailable:
                locked = True
            [lease] = rows(
                conn,
                "SELECT claim_token IS NOT NULL AS claimed, next_attempt_at > now() AS leased"
                " FROM alert_deliveries",
            )
            idle_in_transaction = rows(
                conn,
                "SELECT pid, application_name FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND state LIKE 'idle in transaction%%'",
            )
        seen.append({"locked": locked, "idle": idle_in_transaction, **lease})

    sink.hook = probe
    with app_client(database_url, tmp_path, alert_settings(sink)) as client:
        client.post(f"/callbacks/cdyne/{TOKEN}", content=undelivered("m-20"), headers=FORM)
        wait_for(lambda: len(sink.delivered()) == 1, timeout=10)
    assert seen == [{"locked": False, "idle": [], "claimed": True, "leased": True}]
    [delivery] = rows(db, "SELECT state, attempts, claim_token FROM alert_deliveries")
    assert delivery == {"state": "delivered", "attempts": 1, "claim_token": None}


async def test_a_stalled_target_does_not_hold_up_ingest(
    db: psycopg.Connection[Any], database_url: str, sink: Sink
) -> None:
    sink.gate.clear()
    settings = alert_settings(sink)
    # One connection, shared by ingest and the dispatcher: a dispatcher that kept it across
    # a POST would stall every write behind the target.
    async with new_pool(database_url, size=1) as pool:
        async with pool.connection() as conn:
            await write_batch(conn, [accepted(event(Status.UNDELIVERED, 1, "m-21"))], settings)
        service = AlertService(pool, settings, poll_interval=0.05)
        await service.start()
        try:
            await eventually(lambda: len(sink.received) == 1)  # now stalled at the target
            async with pool.connection(timeout=1.0) as conn:
                await write_batch(conn, [accepted(event(Status.REJECTED, 1, "m-22"))], settings)
            # Nor are the stalled delivery's own rows locked against a writer.
            with db.transaction():
                db.execute("SET LOCAL lock_timeout = '500ms'")
                db.execute("UPDATE alerts SET payload = payload")
                db.execute("UPDATE alert_deliveries SET target = target")
            stalled = len(sink.delivered())
        finally:
            sink.gate.set()
            await eventually(lambda: len(sink.delivered()) == 2)
            await service.stop()
    assert stalled == 0
    stored = rows(
        db, "SELECT a.alert_key FROM alerts a JOIN alert_deliveries d ON d.alert_id = a.id"
    )
    assert sorted(row["alert_key"] for row in stored) == [
        "smartswitch:id:m-21",
        "smartswitch:id:m-22",
    ]


# -- leases across dispatchers -------------------------------------------------------------


async def test_two_dispatchers_never_attempt_one_delivery_at_once(
    db: psycopg.Connection[Any], database_url: str, sink: Sink
) -> None:
    insert_alerts(db, 40, sink.url)
    sink.delay = 0.02
    failed_once: set[str] = set()

    def respond(request: Received) -> int:
        # Every delivery fails once, so retries are claimed (by either dispatcher) as well.
        webhook_id = request.headers["webhook-id"]
        if webhook_id in failed_once:
            return 200
        failed_once.add(webhook_id)
        return 503

    sink.respond = respond
    settings = alert_settings(sink, backoff_max=0.05)
    # One pool in autocommit mode, one not: the dispatcher commits its claims either way.
    async with new_pool(database_url) as one, new_pool(database_url, autocommit=False) as two:
        first = AlertService(one, settings, concurrency=4)
        second = AlertService(two, settings, concurrency=4)
        claimed = [0, 0]
        try:
            deadline = time.monotonic() + 30
            while len(sink.delivered()) < 40 and time.monotonic() < deadline:
                counts = await asyncio.gather(first.dispatch_once(), second.dispatch_once())
                claimed = [claimed[0] + counts[0], claimed[1] + counts[1]]
                await asyncio.sleep(0.02)
        finally:
            await first.stop()
            await second.stop()
    assert sink.overlaps == []
    assert len(sink.received) == 80  # one failure and one success each, nothing more
    assert sorted(claimed) != [0, 80] and sum(claimed) == 80  # both took part
    ids = [r.headers["webhook-id"] for r in sink.delivered()]
    assert len(ids) == len(set(ids)) == 40
    states = rows(
        db, "SELECT state, attempts, claim_token, count(*) FROM alert_deliveries GROUP BY 1, 2, 3"
    )
    assert states == [{"state": "delivered", "attempts": 2, "claim_token": None, "count": 40}]


_KILLED_DISPATCHER = """
import asyncio, sys
from psycopg_pool import AsyncConnectionPool
from receiver.alerts import AlertService
from receiver.config import AlertSettings
from receiver.status import Status
from receiver.projection.store import write_batch

async def main() -> None:
    async with AsyncConnectionPool(sys.argv[1], kwargs={"autocommit": True}) as pool:
        settings = AlertSettings(enabled=True, urls=(sys.argv[2],), secret=sys.argv[3].encode())
        await AlertService(pool, settings, lease=2.0, request_timeout=1.5).dispatch_once()

asyncio.run(main())
"""


async def test_a_lease_left_by_a_killed_dispatcher_is_retried_by_another(
    db: psycopg.Connection[Any], database_url: str, sink: Sink
) -> None:
    insert_alerts(db, 1, sink.url)
    sink.gate.clear()  # the first POST never gets its answer
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_DISPATCHER, database_url, sink.url, SECRET.decode()],
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        await eventually(lambda: len(sink.received) == 1)
        killed_at = time.monotonic()
        proc.kill()  # mid-POST: no outcome recorded, no cleanup
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    sink.gate.set()
    [leased] = rows(db, "SELECT state, attempts, claim_token FROM alert_deliveries")
    assert leased["state"] == "pending" and leased["attempts"] == 0
    assert leased["claim_token"] is not None
    async with new_pool(database_url) as pool:
        other = AlertService(pool, alert_settings(sink))
        try:
            assert await other.dispatch_once() == 0  # still leased to the dead dispatcher
            while len(sink.received) < 2 and time.monotonic() - killed_at < 10:
                await other.dispatch_once()
                await asyncio.sleep(0.05)
        finally:
            await other.stop()
    retried_after = time.monotonic() - killed_at
    assert 1.0 < retried_after < 5.0  # the 2 s lease, less the time to notice the request
    first, second = sink.received
    assert second.answered == 200
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    verify_standard_webhook(second, SECRET)
    [delivery] = rows(db, "SELECT state, attempts, claim_token FROM alert_deliveries")
    assert delivery == {"state": "delivered", "attempts": 1, "claim_token": None}


async def test_an_outcome_after_the_lease_lapsed_is_not_recorded(
    db: psycopg.Connection[Any], database_url: str, sink: Sink
) -> None:
    insert_alerts(db, 1, sink.url)
    settings = alert_settings(sink)
    async with new_pool(database_url) as pool:
        slow = AlertService(pool, settings, lease=0.6, request_timeout=0.5)
        other = AlertService(pool, settings)
        try:
            [claim] = await slow.claim(5)
            assert await slow.claim(5) == []  # leased: not due, even to its own dispatcher
            await asyncio.sleep(0.7)  # the slow dispatcher stalls past its lease
            assert await other.dispatch_once() == 1
            assert await slow.record(claim, "HTTP 503: too late") is False
        finally:
            await slow.stop()
            await other.stop()
    [delivery] = rows(db, "SELECT state, attempts, last_error, claim_token FROM alert_deliveries")
    assert delivery == {
        "state": "delivered",
        "attempts": 1,
        "last_error": None,
        "claim_token": None,
    }
    assert len(sink.delivered()) == 1


# -- bounded, timed posts ------------------------------------------------------------------


async def test_posts_run_concurrently_up_to_the_bound(
    db: psycopg.Connection[Any], database_url: str, sink: Sink
) -> None:
    insert_alerts(db, 12, sink.url)
    sink.delay = 0.2
    async with new_pool(database_url) as pool:
        service = AlertService(pool, alert_settings(sink), concurrency=3)
        try:
            assert await service.dispatch_once() == 12
        finally:
            await service.stop()
    # Three posts in flight at once, never more: concurrency up to the bound, shown by the sink
    # itself rather than by a wall-clock time a busy machine stretches.
    assert sink.peak == 3
    assert len(sink.delivered()) == 12


async def test_a_target_that_never_answers_times_out_and_is_retried_later(
    db: psycopg.Connection[Any], database_url: str, sink: Sink
) -> None:
    insert_alerts(db, 1, sink.url)
    sink.gate.clear()
    async with new_pool(database_url) as pool:
        service = AlertService(pool, alert_settings(sink), request_timeout=0.5, lease=2.0)
        try:
            started = time.monotonic()
            assert await service.dispatch_once() == 1
            elapsed = time.monotonic() - started
        finally:
            sink.gate.set()
            await service.stop()
    assert 0.5 <= elapsed < 1.5
    [delivery] = rows(db, "SELECT state, attempts, last_error, claim_token FROM alert_deliveries")
    assert delivery == {
        "state": "pending",
        "attempts": 1,
        "last_error": "timed out after 0.5 s",
        "claim_token": None,
    }


def test_a_lease_must_outlast_a_request(sink: Sink) -> None:
    with pytest.raises(ValueError, match="lease"):
        AlertService(new_pool("postgresql://unused"), alert_settings(sink), lease=5.0)
