"""The HTTP surface through the real app and a real Postgres."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from receiver.app import create_app
from tests.conftest import ADAPTERS, TOKEN, make_settings, rows

FORM = {"content-type": "application/x-www-form-urlencoded"}

# Dynmark receipt: field names and datetime format from Dynmark's own ReceiptServlet.java
# (comapi/ddg-cpaas-quickstarts, Verify/Java/Messaging/src/com/dynmark); values invented.
DYNMARK_DELIVERED = (
    "datetime=2016-05-05T10%3A30%3A56.143&recipient=447700900123&statusid=1"
    "&statusdescription=Delivered+to+handset.&clientref=msg-1"
)
# CDYNE delivery receipt, verbatim from wiki.cdyne.com SMS_Delivery_Receipt_Postback.
CDYNE_RECEIPT = (
    b"DeliveryReceipt=1&MessageID=f880e00b-3a14-484c-80e7-ca6aa29a2f7a&ReferenceID="
    b"&FromPhoneNumber=74121&ToPhoneNumber=17572373369&DeliveryReceiptMessage=sm: msg: "
    b"id:18579674100201040 sub:001 dlvrd:001 submit date:1209281334 done\n"
    b"date:1209281334 stat:DELIVERED TO CARRIER err:003 text:&Code=003"
)
# CDYNE reply, verbatim from wiki.cdyne.com SMS_Message_Response_Postback (Message changed
# to STOP to exercise opt-out detection).
CDYNE_STOP = (
    b"SMSResponse=1&MessageID=9a35e913-ded0-7574-4642-5f60c550c706"
    b"&MatchedMessageID=11111111-2222-1111-2222-000000000004&ReferenceID="
    b"&FromPhoneNumber=17575449510&ToPhoneNumber=17575449511"
    b"&ResponseReceiveDate=5%2f8%2f2010+2%3a42%3a36+AM&Message=Stop"
)


def url(provider: str, query: str = "") -> str:
    return f"/callbacks/{provider}/{TOKEN}" + (f"?{query}" if query else "")


def count(db: psycopg.Connection[Any], table: str) -> int:
    return int(rows(db, f"SELECT count(*) AS n FROM {table}")[0]["n"])


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok"


def test_readyz_reports_database_and_spool(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "up",
        "projection": {"backlog": 0, "lag_seconds": 0.0},
        "spool": {"entries": 0, "files": 0, "bytes": 0, "quarantined": 0, "oldest": None},
    }


def test_dynmark_get_receipt_is_stored_normalized_and_projected(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    response = client.get(url("dynmark", DYNMARK_DELIVERED))
    assert response.status_code == 200
    assert response.text == "OK"

    [callback] = rows(db, "SELECT * FROM callbacks")
    assert callback["provider"] == "dynmark"
    assert callback["method"] == "GET"
    assert callback["query"] == DYNMARK_DELIVERED
    assert callback["parse_error"] is None
    assert bytes(callback["body"]) == b""

    [event] = rows(db, "SELECT * FROM delivery_events")
    assert event["callback_id"] == callback["id"]
    assert event["status"] == "delivered"
    assert event["provider_status"] == "1"
    assert event["client_ref"] == "msg-1"
    assert event["recipient"] == "447700900123"
    assert event["message_id"] is None
    assert event["occurred_at"].isoformat() == "2016-05-05T10:30:56.143000+00:00"
    assert event["occurred_at_raw"] == "2016-05-05T10:30:56.143"

    [message] = rows(db, "SELECT * FROM messages")
    assert message["status"] == "delivered"
    assert message["client_ref"] == "msg-1"
    assert message["delivered_at"] == event["occurred_at"]
    assert message["final_at"] == event["occurred_at"]
    assert message["event_count"] == 1


def test_cdyne_receipt_and_opt_out_reply(client: TestClient, db: psycopg.Connection[Any]) -> None:
    assert client.post(url("cdyne"), content=CDYNE_RECEIPT, headers=FORM).status_code == 200
    assert client.post(url("cdyne"), content=CDYNE_STOP, headers=FORM).status_code == 200

    [event] = rows(db, "SELECT * FROM delivery_events")
    assert event["message_id"] == "f880e00b-3a14-484c-80e7-ca6aa29a2f7a"
    assert event["status"] == "sent"
    assert event["error_code"] == "003"
    assert event["recipient"] == "17572373369"
    assert event["client_ref"] is None

    [reply] = rows(db, "SELECT * FROM inbound_messages")
    assert reply["related_message_id"] == "11111111-2222-1111-2222-000000000004"
    assert reply["sender"] == "17575449510"
    assert reply["is_opt_out"] is True
    assert reply["keyword"] == "STOP"
    assert reply["occurred_at"].isoformat() == "2010-05-08T02:42:36+00:00"


def test_smartswitch_json_and_smpp_text(client: TestClient, db: psycopg.Connection[Any]) -> None:
    # Smartswitch fields from redmine.streamco.org/projects/smartswitch-public/wiki/
    # HTTP_API_deliver_delivery_receipt; JSON is its operator-selectable alternative format.
    smartswitch = client.post(
        url("smartswitch"), json={"message_id": "1561371433517", "message_state": "undeliverable"}
    )
    assert smartswitch.status_code == 200
    # SMPP v3.4 Appendix B receipt, verbatim from smppcenter.com/kb/how-read-smpp-delivery-receipt.
    receipt = (
        b"id:64567564356765435676 sub:001 dlvrd:001 submit date:190608165232 "
        b"done date:190608165237 stat:DELIVRD err:000 text:Hello World"
    )
    smpp = client.post(url("smpp"), content=receipt, headers={"content-type": "text/plain"})
    assert smpp.status_code == 200

    statuses = rows(db, "SELECT provider, message_id, status FROM messages ORDER BY provider")
    assert statuses == [
        {"provider": "smartswitch", "message_id": "1561371433517", "status": "undelivered"},
        {"provider": "smpp", "message_id": "64567564356765435676", "status": "delivered"},
    ]


@pytest.mark.parametrize("provider", sorted(ADAPTERS))
@pytest.mark.parametrize(
    "token",
    ["wrong-token-0123456789abcdef", TOKEN[:-1], TOKEN + "x", TOKEN.upper(), None],
    ids=["other", "prefix", "longer", "case", "missing"],
)
def test_every_provider_refuses_a_bad_token_with_404_and_stores_nothing(
    client: TestClient, db: psycopg.Connection[Any], provider: str, token: str | None
) -> None:
    """The one authentication check every provider's URL shares."""
    path = f"/callbacks/{provider}" + (f"/{token}" if token is not None else "")
    response = client.post(path, content=CDYNE_RECEIPT, headers=FORM)
    assert response.status_code == 404
    assert response.text == "Not Found"
    assert count(db, "callbacks") == 0
    assert client.post(url(provider), content=CDYNE_RECEIPT, headers=FORM).status_code == 200
    assert count(db, "callbacks") == 1


def test_unknown_provider_is_404_and_stores_nothing(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    response = client.get(f"/callbacks/nosuchprovider/{TOKEN}?{DYNMARK_DELIVERED}")
    assert response.status_code == 404
    assert response.text == "Not Found"
    assert count(db, "callbacks") == 0


def test_oversized_body_is_413_and_stores_nothing(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    app = create_app(make_settings(database_url, tmp_path / "spool", max_body=2048))
    with TestClient(app) as small:
        declared = small.post(url("smpp"), content=b"x" * 2049)
        assert declared.status_code == 413
        assert "2048" in declared.text

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit applies while reading
            for _ in range(10):
                yield b"y" * 1000

        streamed = small.post(url("smpp"), content=chunks())
        assert streamed.status_code == 413
        assert small.post(url("smpp"), content=b"z" * 2048).status_code == 200
    assert count(db, "callbacks") == 1


@pytest.mark.parametrize(
    ("content_type", "body", "error"),
    [
        ("application/json", b'{"message_id": "1", "message_state":', "malformed JSON"),
        # Billion-laughs entity expansion: defusedxml refuses it.
        (
            "application/xml",
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<r>&b;</r>",
            "XML",
        ),
        ("application/x-www-form-urlencoded", b"hello=world", "message_id"),
    ],
)
def test_unparseable_callbacks_are_kept_with_their_error_and_acked(
    client: TestClient, db: psycopg.Connection[Any], content_type: str, body: bytes, error: str
) -> None:
    response = client.post(url("smartswitch"), content=body, headers={"content-type": content_type})
    assert response.status_code == 200
    [callback] = rows(db, "SELECT body, parse_error FROM callbacks")
    assert bytes(callback["body"]) == body
    assert error in callback["parse_error"]
    assert count(db, "delivery_events") == 0
    # The server keeps serving after bad input.
    assert client.get(url("dynmark", DYNMARK_DELIVERED)).status_code == 200


def test_provider_retries_are_stored_once_but_every_request_is_kept(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    for _ in range(3):
        assert client.post(url("cdyne"), content=CDYNE_RECEIPT, headers=FORM).status_code == 200
    assert count(db, "callbacks") == 3
    assert count(db, "delivery_events") == 1
    [message] = rows(db, "SELECT event_count FROM messages")
    assert message["event_count"] == 1


def test_credentials_in_headers_are_redacted(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    client.get(
        url("dynmark", DYNMARK_DELIVERED),
        headers={"Authorization": "Basic c2VjcmV0", "User-Agent": "Dynmark", "Cookie": "s=1"},
    )
    [callback] = rows(db, "SELECT headers FROM callbacks")
    assert callback["headers"]["authorization"] == "[redacted]"
    assert callback["headers"]["cookie"] == "[redacted]"
    assert callback["headers"]["user-agent"] == "Dynmark"


def test_open_mode_serves_the_tokenless_url(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    settings = make_settings(
        database_url, tmp_path / "spool", callback_tokens=(), allow_no_token=True
    )
    with TestClient(create_app(settings)) as open_client:
        assert open_client.get(f"/callbacks/dynmark?{DYNMARK_DELIVERED}").status_code == 200
    assert count(db, "delivery_events") == 1


def test_any_of_several_tokens_is_accepted(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    new = "rotated-token-abcdefghijklmnop"
    settings = make_settings(database_url, tmp_path / "spool", callback_tokens=(TOKEN, new))
    with TestClient(create_app(settings)) as rotating:
        assert rotating.get(f"/callbacks/dynmark/{new}?{DYNMARK_DELIVERED}").status_code == 200
        assert rotating.get(f"/callbacks/dynmark/{TOKEN}?{DYNMARK_DELIVERED}").status_code == 200
    assert count(db, "callbacks") == 2
