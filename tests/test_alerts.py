"""Alerting hooks end to end: rules, the outbox, signed delivery to a real local HTTP sink."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import select
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from receiver.alerts import sign
from receiver.app import create_app
from receiver.config import AlertSettings
from tests.conftest import TOKEN, make_settings, rows
from tests.processes import wait_for
from tests.test_app import CDYNE_STOP, FORM

SECRET = b"0123456789abcdef0123456789abcdef"


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class Sink:
    """A real HTTP server on loopback that records every POST and answers `status`."""

    status: int = 200
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def delivered(self) -> list[Received]:
        return [r for r in self.received if r.answered == 200]

    def start(self) -> None:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                status = sink.status
                sink.received.append(Received(dict(self.headers.items()), body, status))
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
        " VALUES ('00000000-0000-7000-8000-0000000000aa', now(), %s, 'POST')"
        " ON CONFLICT DO NOTHING",
        (provider,),
    )
    for n, status in enumerate(statuses):
        db.execute(
            "INSERT INTO delivery_events (callback_id, provider, message_key, status,"
            " received_at, dedup_key) VALUES ('00000000-0000-7000-8000-0000000000aa', %s, %s,"
            " %s, now(), %s)",
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
            " ('00000000-0000-7000-8000-0000000000bb', now() - interval '2 minutes', 'smpp',"
            " 'GET')"
        )
        [alert] = client.portal.call(service.evaluate_once)
        wait_for(lambda: len(sink.delivered()) == 1)
    assert alert.type == "callbacks.silent"
    payload = verify_standard_webhook(sink.delivered()[0], SECRET)
    assert payload["type"] == "callbacks.silent"
    assert payload["silent_seconds"] >= 120
