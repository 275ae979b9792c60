"""Log format, JSON lines, the masked access log, rate limiting, and what refusals log."""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from starlette.testclient import TestClient

from receiver import logs, samples
from receiver.app import create_app
from receiver.config import ConfigError, Settings
from receiver.ingest.writer import unavailable_reason
from receiver.logs import AccessLogFilter, Formatter, LogSettings, RateLimited, mask_path
from tests.conftest import TOKEN, make_settings
from tests.processes import Servers, receiver_env, wait_for

TEXT_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+: "
)


def _record(msg: str, *args: Any, name: str = "receiver.test", **extra: Any) -> logging.LogRecord:
    record = logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_text_lines_have_a_utc_timestamp_level_and_logger() -> None:
    line = Formatter().format(_record("spooled %d callbacks", 3))
    assert TEXT_LINE.match(line), line
    assert line.endswith("WARNING receiver.test: spooled 3 callbacks")


def test_json_lines_carry_the_fields_and_extras() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = _record("failed for %s", "twilio", provider="twilio")
        record.exc_info = sys.exc_info()
    document = json.loads(Formatter(json_lines=True).format(record))
    assert document["level"] == "WARNING"
    assert document["logger"] == "receiver.test"
    assert document["msg"] == "failed for twilio"
    assert document["provider"] == "twilio"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", document["ts"])
    assert "ValueError: boom" in document["exc"]
    assert "args" not in document and "levelno" not in document


def test_log_settings_are_validated() -> None:
    assert LogSettings.from_env({}) == LogSettings("text", False)
    assert LogSettings.from_env(
        {"RECEIVER_LOG_FORMAT": "JSON", "RECEIVER_ACCESS_LOG": "1"}
    ) == LogSettings("json", True)
    with pytest.raises(ConfigError) as refused:
        LogSettings.from_env({"RECEIVER_LOG_FORMAT": "xml", "RECEIVER_ACCESS_LOG": "maybe"})
    assert "RECEIVER_LOG_FORMAT" in str(refused.value)
    assert "RECEIVER_ACCESS_LOG" in str(refused.value)


def test_paths_lose_the_callback_token_and_query_secrets() -> None:
    masked = mask_path(f"/callbacks/twilio/{TOKEN}?MessageSid=SM1&api_key=k3y-value&sig=5ig")
    assert TOKEN not in masked and "k3y-value" not in masked and "5ig" not in masked
    assert masked.startswith("/callbacks/twilio/***?MessageSid=SM1&")
    assert mask_path("/healthz") == "/healthz"
    assert mask_path("/api/messages?provider=twilio") == "/api/messages?provider=twilio"


def test_the_access_log_filter_masks_uvicorns_record() -> None:
    record = _record(
        '%s - "%s %s HTTP/%s" %d',
        "10.0.0.1:5555",
        "POST",
        f"/callbacks/plivo/{TOKEN}",
        "1.1",
        200,
        name="uvicorn.access",
    )
    assert AccessLogFilter().filter(record)
    assert record.getMessage() == '10.0.0.1:5555 - "POST /callbacks/plivo/*** HTTP/1.1" 200'


def test_repeats_are_rate_limited_with_a_count(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(logs.time, "monotonic", lambda: clock[0])
    limited = RateLimited(logging.getLogger("receiver.test"), window=10)
    with caplog.at_level(logging.WARNING, "receiver.test"):
        results = [limited.warning("signature:twilio", "refused: %s", "wrong") for _ in range(5)]
        assert limited.warning("signature:plivo", "refused: %s", "wrong")  # another key
        clock[0] += 10.5
        assert limited.warning("signature:twilio", "refused: %s", "wrong")
    assert results == [True, False, False, False, False]
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "refused: wrong",
        "refused: wrong",
        "refused: wrong (4 more suppressed in the last 10 s)",
    ]


@pytest.fixture
def signed_client(db: Any, database_url: str, tmp_path: Path) -> Any:
    signing = Settings.from_env({"RECEIVER_TWILIO_AUTH_TOKEN": "right-secret-0123456789"}).signing
    settings = make_settings(database_url, tmp_path / "spool", signing=signing)
    with TestClient(create_app(settings)) as client:
        yield client


def test_signature_and_token_failures_log_once_without_secrets(
    signed_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = Settings.from_env({"RECEIVER_TWILIO_AUTH_TOKEN": "wrong-secret-0123456789"}).signing
    url = f"http://testserver/callbacks/twilio/{TOKEN}"
    sample = samples.build("twilio", "delivered", callback_url=url, signing=wrong)
    signature = dict(sample.headers)["x-twilio-signature"]
    with caplog.at_level(logging.WARNING, "receiver.ingest.endpoint"):
        for _ in range(3):
            answer = signed_client.post(
                f"/callbacks/twilio/{TOKEN}", content=sample.body, headers=dict(sample.headers)
            )
            assert answer.status_code == 401
        for _ in range(3):
            answer = signed_client.post("/callbacks/cdyne/not-the-token-0123456789", content=b"")
            assert answer.status_code == 404
    messages = [r.getMessage() for r in caplog.records if r.name == "receiver.ingest.endpoint"]
    assert len(messages) == 2, messages
    assert "twilio callback from" in messages[0] and "(401): wrong signature" in messages[0]
    assert "cdyne callback from" in messages[1] and "wrong or missing callback token" in messages[1]
    text = " ".join(messages)
    for secret in (TOKEN, "not-the-token-0123456789", signature, "secret-0123456789"):
        assert secret not in text


def test_outage_reasons_name_the_cause() -> None:
    assert unavailable_reason(TimeoutError()) == "Postgres did not answer in time"
    assert unavailable_reason(TimeoutError("Postgres did not answer within 2 s")) == (
        "Postgres did not answer within 2 s"
    )
    assert "Connection refused" in unavailable_reason(
        ConnectionRefusedError(111, "Connection refused")
    )


def test_serve_logs_json_with_a_masked_access_log(
    servers: Servers, database_url: str, tmp_path: Path
) -> None:
    env = receiver_env(
        DATABASE_URL=database_url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_LOG_FORMAT="json",
        RECEIVER_ACCESS_LOG="1",
        RECEIVER_DATA_DIR=str(tmp_path / "data"),
    )
    server = servers.start(env)
    server.wait_healthy(60)
    answer = httpx.post(
        f"{server.base_url}/callbacks/smartswitch/{TOKEN}?api_key=k3y-value",
        content=b"message_id=log-1&message_state=delivered",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 200
    httpx.post(f"{server.base_url}/callbacks/smartswitch/wrong-token-0123456789", content=b"")
    server.proc.terminate()
    server.proc.wait(30)
    output = server.output()
    assert TOKEN not in output and "k3y-value" not in output
    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    loggers = {record["logger"] for record in records}
    assert "uvicorn.error" in loggers and "receiver.ingest.endpoint" in loggers
    access = [r["msg"] for r in records if r["logger"] == "uvicorn.access"]
    assert any("POST /callbacks/smartswitch/***?api_key=*** HTTP/1.1" in m for m in access), access
    assert all({"ts", "level", "logger", "msg"} <= record.keys() for record in records)


def test_parse_errors_are_logged_rate_limited(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "receiver.projection.projector"):
        for _ in range(3):
            answer = client.post(
                f"/callbacks/infobip/{TOKEN}",
                content=b'{"hello": "world"}',
                headers={"content-type": "application/json"},
            )
            assert answer.status_code == 200
    messages = [r.getMessage() for r in caplog.records if "parse error" in r.getMessage()]
    assert len(messages) == 1, messages
    assert messages[0].startswith("infobip callback ")
    assert '"hello"' not in messages[0]  # the reason, not the body


def test_an_outage_logs_its_cause_and_its_end(
    db: Any, database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A commit stalled behind a lock: the warning names the deadline, not an empty
    TimeoutError; the recovery is logged once too."""
    settings = make_settings(database_url, tmp_path / "spool", commit_timeout=0.3)
    release = threading.Event()
    locked = threading.Event()

    def hold_lock() -> None:
        with psycopg.connect(database_url) as conn:
            conn.execute("LOCK TABLE callbacks IN ACCESS EXCLUSIVE MODE")
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=hold_lock)
    with (
        caplog.at_level(logging.INFO, "receiver.ingest.writer"),
        TestClient(create_app(settings)) as client,
    ):
        holder.start()
        assert locked.wait(5)
        answer = client.post(
            f"/callbacks/smartswitch/{TOKEN}",
            content=b"message_id=outage-1&message_state=delivered",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert answer.status_code == 200
        release.set()
        holder.join()
        wait_for(lambda: client.get("/readyz").json()["spool"]["entries"] == 0)
    records = [r for r in caplog.records if r.name == "receiver.ingest.writer"]
    messages = [r.getMessage() for r in records]
    assert messages[0] == (
        "Postgres did not answer within 0.3 s; spooling callbacks until it is back"
    )
    assert records[0].levelname == "WARNING"
    assert "Postgres is back; replaying the spool" in messages
    # Replays timing out behind the lock flap down and back: rate-limited, and no errors.
    assert len(messages) <= 4, messages
    assert all(r.levelno < logging.ERROR for r in records), messages
