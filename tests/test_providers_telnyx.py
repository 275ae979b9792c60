from __future__ import annotations

import base64
import copy
import json
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from starlette.testclient import TestClient

from receiver.config import SigningSecrets
from receiver.providers.base import Request, SignatureError
from receiver.providers.telnyx import TelnyxAdapter
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status
from tests.conftest import TOKEN, rows
from tests.contract import PUBLIC_URL, Expected, Fixture, Outgoing, ProviderContract

JSON = "application/json"
adapter = TelnyxAdapter()

# developers.telnyx.com/api-reference/callbacks/delivery-update, "deliveryUpdate" example
# (verbatim, abridged: media, cost_breakdown and the tcr_* fields left out, occurred_at's
# placeholder "date-time" replaced by the received_at value; samples/telnyx_1.json).
DELIVERY_UPDATE: dict[str, Any] = {
    "data": {
        "record_type": "event",
        "id": "86f58db9-0fe3-4adc-9d1f-46e66e6e9323",
        "event_type": "message.sent",
        "occurred_at": "2019-01-23T18:10:02.574Z",
        "payload": {
            "record_type": "message",
            "direction": "outbound",
            "id": "40385f64-5717-4562-b3fc-2c963f66afa6",
            "type": "MMS",
            "messaging_profile_id": "4000eba1-a0c0-4563-9925-b25e842a7cb6",
            "organization_id": "b448f9cc-a842-4784-98e9-03c1a5872950",
            "from": {
                "phone_number": "+18445550001",
                "carrier": "TELNYX LLC",
                "line_type": "VoIP",
            },
            "to": [
                {
                    "phone_number": "+18665550001",
                    "status": "queued",
                    "carrier": "T-MOBILE USA, INC.",
                    "line_type": "Wireless",
                }
            ],
            "cc": [],
            "text": "Hello, World!",
            "subject": "From Telnyx!",
            "webhook_url": "https://www.example.com/hooks",
            "webhook_failover_url": "https://backup.example.com/hooks",
            "encoding": "GSM-7",
            "parts": 1,
            "tags": ["Greetings"],
            "cost": {"amount": 0.0051, "currency": "USD"},
            "received_at": "2019-01-23T18:10:02.574Z",
            "sent_at": None,
            "completed_at": None,
            "valid_until": None,
            "errors": [],
        },
    },
    "meta": {"attempt": 1, "delivered_to": "https://www.example.com/hooks"},
}

# developers.telnyx.com/docs/messaging/messages/receiving-webhooks, "Delivery status Payload"
# (reconstructed: event_type, id, occurred_at and completed_at verbatim from the page's opening,
# the rest of the message record as in DELIVERY_UPDATE, to[].status "delivered").
FINALIZED: dict[str, Any] = copy.deepcopy(DELIVERY_UPDATE)
FINALIZED["data"].update(
    id="4ee8c3a6-4995-4309-a3c6-38e3db9ea4be",
    event_type="message.finalized",
    occurred_at="2019-12-09T21:32:14.148+00:00",
)
FINALIZED["data"]["payload"].update(
    type="SMS",
    completed_at="2019-12-09T21:32:14.148+00:00",
    to=[{"phone_number": "+18665550001", "status": "delivered", "carrier": "T-MOBILE USA, INC."}],
)

# Reconstructed: a failed delivery with the error Telnyx documents for it ("40008 Undeliverable",
# developers.telnyx.com/docs/messaging/messages/error-codes; errors are {code, title, detail}
# per telnyx/types/messaging_error_0b38e7044b.py).
FAILED: dict[str, Any] = copy.deepcopy(FINALIZED)
FAILED["data"]["id"] = "5b1c2d3e-0000-4000-8000-00000000f001"
FAILED["data"]["payload"].update(
    to=[{"phone_number": "+18665550002", "status": "delivery_failed"}],
    errors=[
        {
            "code": "40008",
            "title": "Undeliverable",
            "detail": "The recipient carrier did not accept the message.",
        }
    ],
)

# Reconstructed: a group MMS to two numbers with one cc; to[] and cc[] carry a status each
# (`To` and `Cc` in telnyx/types/outbound_message_payload.py).
GROUP: dict[str, Any] = copy.deepcopy(FINALIZED)
GROUP["data"]["id"] = "5b1c2d3e-0000-4000-8000-00000000a001"
GROUP["data"]["payload"].update(
    type="MMS",
    to=[
        {"phone_number": "+18665550003", "status": "delivered"},
        {"phone_number": "+18665550004", "status": "delivery_unconfirmed"},
    ],
    cc=[{"phone_number": "+18665550005", "status": "sent"}],
)

# developers.telnyx.com/api-reference/callbacks/inbound-message, "inboundMessage" example
# (verbatim, abridged: cost, cost_breakdown and tcr_* fields left out).
INBOUND: dict[str, Any] = {
    "data": {
        "record_type": "event",
        "id": "bf6307bd-884d-4c1f-b6ea-c62b8c495d3c",
        "event_type": "message.received",
        "occurred_at": "2019-01-23T18:10:02.574Z",
        "payload": {
            "record_type": "message",
            "direction": "inbound",
            "id": "7ee4241c-f127-47e5-9c34-3aac291f8058",
            "type": "SMS",
            "messaging_profile_id": "0f512bda-ae1e-4597-8e11-e5f5686b97d3",
            "organization_id": "b448f9cc-a842-4784-98e9-03c1a5872950",
            "from": {
                "phone_number": "+18665550001",
                "carrier": "T-MOBILE USA, INC.",
                "line_type": "Wireless",
            },
            "to": [
                {
                    "phone_number": "+18445550001",
                    "status": "delivered",
                    "carrier": "TELNYX LLC",
                    "line_type": "VoIP",
                }
            ],
            "cc": [],
            "text": "Hello, World!",
            "subject": "From Telnyx!",
            "media": [],
            "encoding": "GSM-7",
            "parts": 1,
            "received_at": "2019-01-23T18:10:02.574Z",
            "errors": [],
        },
    }
}

# Reconstructed: the same inbound message with a carrier opt-out keyword as its text.
STOP: dict[str, Any] = copy.deepcopy(INBOUND)
STOP["data"]["id"] = "bf6307bd-0000-4000-8000-00000000510f"
STOP["data"]["payload"].update(id="7ee4241c-0000-4000-8000-00000000510f", text=" stop ")


def _body(document: Any) -> bytes:
    return json.dumps(document).encode()


def _parse(document: Any) -> Normalized:
    return adapter.parse(decode("", JSON, _body(document)))


def _event(document: Any) -> DeliveryEvent:
    result = _parse(document)
    assert result.inbound == ()
    assert len(result.events) == 1
    return result.events[0]


def _inbound(document: Any) -> InboundMessage:
    result = _parse(document)
    assert result.events == ()
    assert len(result.inbound) == 1
    return result.inbound[0]


def _with_status(status: str) -> dict[str, Any]:
    document = copy.deepcopy(FINALIZED)
    document["data"]["payload"]["to"][0]["status"] = status
    return document


# -- parse ------------------------------------------------------------------------------------


def test_delivery_update_fields() -> None:
    event = _event(DELIVERY_UPDATE)
    assert event.status is Status.QUEUED
    assert event.provider_status == "queued"
    assert event.message_id == "40385f64-5717-4562-b3fc-2c963f66afa6"
    assert event.recipient == "18665550001"
    assert event.event_id == "86f58db9-0fe3-4adc-9d1f-46e66e6e9323"
    assert event.occurred_at == datetime(2019, 1, 23, 18, 10, 2, 574000, tzinfo=UTC)
    assert event.occurred_at_raw == "2019-01-23T18:10:02.574Z"
    assert (event.error_code, event.error_detail) == (None, None)
    assert event.message_key == "id:40385f64-5717-4562-b3fc-2c963f66afa6"


def test_finalized_time_with_offset() -> None:
    event = _event(FINALIZED)
    assert event.status is Status.DELIVERED
    assert event.occurred_at == datetime(2019, 12, 9, 21, 32, 14, 148000, tzinfo=UTC)
    assert event.event_id == "4ee8c3a6-4995-4309-a3c6-38e3db9ea4be"


def test_time_without_offset_is_utc_and_unparseable_time_is_kept_raw() -> None:
    document = copy.deepcopy(FINALIZED)
    document["data"]["occurred_at"] = "2019-12-09T21:32:14"
    assert _event(document).occurred_at == datetime(2019, 12, 9, 21, 32, 14, tzinfo=UTC)
    document["data"]["occurred_at"] = "date-time"  # the API reference's own placeholder
    event = _event(document)
    assert event.occurred_at is None
    assert event.occurred_at_raw == "date-time"


def test_failed_delivery_keeps_the_error() -> None:
    event = _event(FAILED)
    assert event.status is Status.UNDELIVERED
    assert event.provider_status == "delivery_failed"
    assert event.recipient == "18665550002"
    assert event.error_code == "40008"
    assert event.error_detail == "Undeliverable: The recipient carrier did not accept the message."


def test_one_event_per_recipient_sharing_the_event_id() -> None:
    events = _parse(GROUP).events
    assert [(e.recipient, e.status, e.provider_status) for e in events] == [
        ("18665550003", Status.DELIVERED, "delivered"),
        ("18665550004", Status.UNKNOWN, "delivery_unconfirmed"),
        ("18665550005", Status.SENT, "sent"),
    ]
    assert {e.event_id for e in events} == {"5b1c2d3e-0000-4000-8000-00000000a001"}
    assert {e.message_id for e in events} == {"40385f64-5717-4562-b3fc-2c963f66afa6"}


def test_errors_go_only_to_recipients_that_failed() -> None:
    document = copy.deepcopy(GROUP)
    document["data"]["payload"]["errors"] = [{"code": "40001", "title": "Not routable"}]
    by_recipient = {e.recipient: e for e in _parse(document).events}
    assert by_recipient["18665550003"].error_code is None  # delivered
    assert by_recipient["18665550004"].error_code == "40001"  # unconfirmed
    assert by_recipient["18665550004"].error_detail == "Not routable"
    assert by_recipient["18665550005"].error_code is None  # sent


def test_a_retry_is_the_same_event() -> None:
    retry = copy.deepcopy(FAILED)
    retry["meta"]["attempt"] = 2
    assert _event(retry) == _event(FAILED)


def test_inbound_message() -> None:
    message = _inbound(INBOUND)
    assert message.sender == "18665550001"
    assert message.recipient == "18445550001"
    assert message.text == "Hello, World!"
    assert message.message_id == "7ee4241c-f127-47e5-9c34-3aac291f8058"
    assert message.occurred_at == datetime(2019, 1, 23, 18, 10, 2, 574000, tzinfo=UTC)
    assert (message.is_opt_out, message.keyword) == (False, None)


def test_inbound_stop_is_an_opt_out() -> None:
    message = _inbound(STOP)
    assert (message.is_opt_out, message.keyword) == (True, "STOP")
    assert message.text == "stop"


def test_status_is_matched_case_insensitively_and_kept_as_sent() -> None:
    event = _event(_with_status("Delivered"))
    assert (event.status, event.provider_status) == (Status.DELIVERED, "Delivered")


def test_recipient_without_status_is_unknown() -> None:
    document = copy.deepcopy(FINALIZED)
    del document["data"]["payload"]["to"][0]["status"]
    event = _event(document)
    assert (event.status, event.provider_status, event.recipient) == (
        Status.UNKNOWN,
        None,
        "18665550001",
    )


def test_other_products_events_are_readable_and_yield_nothing() -> None:
    document = {"data": {"event_type": "call.initiated", "id": "x", "payload": {"call_id": "1"}}}
    assert _parse(document) == Normalized()


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"hello": "world"}, "data object"),
        ([DELIVERY_UPDATE], "data object"),
        ({"data": []}, "data object"),
        ({"data": {"id": "1", "payload": {}}}, "event_type"),
        ({"data": {"event_type": 5.5, "payload": {}}}, "event_type"),
        ({"data": {"event_type": "message.sent", "payload": []}}, "payload object"),
        ({"data": {"event_type": "message.sent", "payload": {"id": "1"}}}, "recipients"),
        ({"data": {"event_type": "message.finalized", "payload": {"to": "x"}}}, "recipients"),
        ({"data": {"event_type": "message.sent", "payload": {"to": [1, None, {}]}}}, "recip"),
    ],
)
def test_unreadable_webhooks_are_payload_errors(document: Any, reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        _parse(document)


@pytest.mark.parametrize(
    "payload",
    [
        {"to": [{"status": 7, "phone_number": ["+1"]}], "errors": "x", "id": {"a": 1}},
        {"to": [{"status": True, "phone_number": 18665550001}], "errors": [None, 5, {}]},
        {"to": [{"status": "sent"}], "errors": [{"code": None, "title": ["x"]}], "cc": {}},
    ],
)
def test_odd_shapes_never_raise(payload: dict[str, Any]) -> None:
    document = {"data": {"event_type": "message.finalized", "occurred_at": 5, "payload": payload}}
    events = _parse(document).events
    assert len(events) == 1
    assert events[0].occurred_at is None


@pytest.mark.parametrize(
    "payload",
    [{}, {"from": "+1", "to": {}, "text": ["x"]}, {"from": {"phone_number": 1}, "to": [None]}],
)
def test_odd_inbound_shapes_never_raise(payload: dict[str, Any]) -> None:
    document = {"data": {"event_type": "message.received", "payload": payload}}
    assert len(_parse(document).inbound) == 1


# -- through the app --------------------------------------------------------------------------


def _post(client: TestClient, document: Any) -> Any:
    return client.post(
        f"/callbacks/telnyx/{TOKEN}", content=_body(document), headers={"content-type": JSON}
    )


def test_retries_collapse_into_one_stored_event(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    for attempt in (1, 2, 3):
        retry = copy.deepcopy(FAILED)
        retry["meta"]["attempt"] = attempt
        assert _post(client, retry).status_code == 200
    assert len(rows(db, "SELECT id FROM callbacks WHERE provider = 'telnyx'")) == 3
    events = rows(db, "SELECT status, error_code FROM delivery_events WHERE provider = 'telnyx'")
    assert events == [{"status": "undelivered", "error_code": "40008"}]


def test_each_recipient_is_stored(client: TestClient, db: psycopg.Connection[Any]) -> None:
    assert _post(client, GROUP).status_code == 200
    stored = rows(
        db, "SELECT recipient, status FROM delivery_events WHERE provider = 'telnyx' ORDER BY 1"
    )
    assert [(r["recipient"], r["status"]) for r in stored] == [
        ("18665550003", "delivered"),
        ("18665550004", "unknown"),
        ("18665550005", "sent"),
    ]


# -- signatures -------------------------------------------------------------------------------

KEY_1 = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KEY_2 = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
WRONG_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(64, 96)))


def _public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _signed_headers(key: Ed25519PrivateKey, body: bytes, timestamp: str) -> dict[str, str]:
    """What Telnyx sends: base64 Ed25519 over "{timestamp}|{body}" (telnyx SDK, webhooks.py)."""
    signature = key.sign(f"{timestamp}|".encode() + body)
    return {
        "telnyx-signature-ed25519": base64.b64encode(signature).decode(),
        "telnyx-timestamp": timestamp,
    }


def _request(body: bytes, headers: dict[str, str]) -> Request:
    return Request(
        method="POST",
        url=f"{PUBLIC_URL}/callbacks/telnyx/{TOKEN}",
        query="",
        headers=tuple((k.lower(), v) for k, v in headers.items()),
        body=body,
        content_type=JSON,
    )


def _ours(body: bytes, headers: dict[str, str], keys: Sequence[bytes]) -> bool:
    try:
        TelnyxAdapter(tuple(keys)).verify(_request(body, headers))
    except SignatureError:
        return False
    return True


def _sdk(body: bytes, headers: dict[str, str], key: bytes) -> bool:
    """The official SDK's check (telnyx/resources/webhooks.py, WebhooksResource.unwrap)."""
    pytest.importorskip("nacl", reason="the telnyx SDK verifies with PyNaCl (telnyx[webhooks])")
    import telnyx

    client = telnyx.Telnyx(api_key="KEY_TEST", public_key=base64.b64encode(key).decode())
    try:
        client.webhooks.unwrap(body.decode(), headers=headers)
    except ValueError:
        return False
    return True


def _case(name: str) -> tuple[bytes, dict[str, str], bytes, bool]:
    """(body, headers, the key the receiver holds, whether it must be accepted)."""
    body = _body(FINALIZED)
    now = int(time.time())
    key = _public(KEY_1)

    def signed(offset: int = 0, by: Ed25519PrivateKey = KEY_1) -> dict[str, str]:
        return _signed_headers(by, body, str(now + offset))

    signature = signed()["telnyx-signature-ed25519"]
    short = base64.b64encode(base64.b64decode(signature)[:63]).decode()
    cases: dict[str, tuple[bytes, dict[str, str], bytes, bool]] = {
        "valid": (body, signed(), key, True),
        "rotated key": (body, signed(by=KEY_2), _public(KEY_2), True),
        "within the window": (body, signed(-240), key, True),
        "tampered body": (body.replace(b"delivered", b"delivery_failed"), signed(), key, False),
        "tampered timestamp": (body, {**signed(), "telnyx-timestamp": str(now + 1)}, key, False),
        "stale": (body, signed(-301), key, False),
        "from the future": (body, signed(400), key, False),
        "wrong key": (body, signed(by=WRONG_KEY), key, False),
        "not base64": (body, {**signed(), "telnyx-signature-ed25519": "not*base64!"}, key, False),
        "short signature": (body, {**signed(), "telnyx-signature-ed25519": short}, key, False),
        "timestamp not a number": (body, _signed_headers(KEY_1, body, "yesterday"), key, False),
    }
    return cases[name]


CASES = (
    "valid",
    "rotated key",
    "within the window",
    "tampered body",
    "tampered timestamp",
    "stale",
    "from the future",
    "wrong key",
    "not base64",
    "short signature",
    "timestamp not a number",
)


@pytest.mark.parametrize("name", CASES)
def test_the_sdk_and_we_agree(name: str) -> None:
    body, headers, key, accepted = _case(name)
    assert _sdk(body, headers, key) is accepted
    assert _ours(body, headers, [key]) is accepted


@pytest.mark.parametrize("name", CASES)
def test_verify_decides_as_documented(name: str) -> None:
    """The same cases without the SDK, so they run where PyNaCl is not installed."""
    body, headers, key, accepted = _case(name)
    assert _ours(body, headers, [key]) is accepted


def test_any_configured_key_verifies() -> None:
    body = _body(FINALIZED)
    headers = _signed_headers(KEY_2, body, str(int(time.time())))
    assert _ours(body, headers, [_public(KEY_1), _public(KEY_2)])
    assert not _ours(body, headers, [_public(KEY_1), _public(WRONG_KEY)])


@pytest.mark.parametrize("missing", ["telnyx-signature-ed25519", "telnyx-timestamp"])
def test_missing_header_is_refused(missing: str) -> None:
    body = _body(FINALIZED)
    headers = _signed_headers(KEY_1, body, str(int(time.time())))
    del headers[missing]
    with pytest.raises(SignatureError, match="missing"):
        TelnyxAdapter((_public(KEY_1),)).verify(_request(body, headers))


@pytest.mark.parametrize(("name", "reason"), [("stale", "stale"), ("wrong key", "wrong")])
def test_refusals_say_why_without_the_signature(name: str, reason: str) -> None:
    body, headers, key, _ = _case(name)
    with pytest.raises(SignatureError, match=reason) as refused:
        TelnyxAdapter((key,)).verify(_request(body, headers))
    assert headers["telnyx-signature-ed25519"] not in str(refused.value)
    assert base64.b64encode(key).decode() not in str(refused.value)


def test_verifies_only_with_keys() -> None:
    assert TelnyxAdapter().verifies is False
    assert TelnyxAdapter((_public(KEY_1),)).verifies is True


# -- the shared contract ----------------------------------------------------------------------


class TestTelnyxContract(ProviderContract):
    slug = "telnyx"
    fixtures = (
        Fixture(
            "delivery update (message.sent)",
            "developers.telnyx.com/api-reference/callbacks/delivery-update (verbatim, abridged)",
            body=_body(DELIVERY_UPDATE),
            content_type=JSON,
            events=(
                Expected(
                    Status.QUEUED,
                    "queued",
                    message_id="40385f64-5717-4562-b3fc-2c963f66afa6",
                    recipient="18665550001",
                ),
            ),
        ),
        Fixture(
            "message.finalized delivered",
            "developers.telnyx.com/docs/messaging/messages/receiving-webhooks (reconstructed)",
            body=_body(FINALIZED),
            content_type=JSON,
            events=(Expected(Status.DELIVERED, "delivered", recipient="18665550001"),),
        ),
        Fixture(
            "message.finalized delivery_failed",
            "reconstructed; error 40008 from developers.telnyx.com/docs/messaging/messages/"
            "error-codes",
            body=_body(FAILED),
            content_type=JSON,
            events=(
                Expected(
                    Status.UNDELIVERED,
                    "delivery_failed",
                    recipient="18665550002",
                    error_code="40008",
                ),
            ),
        ),
        Fixture(
            "group MMS",
            "reconstructed from the To/Cc models in telnyx/types/outbound_message_payload.py",
            body=_body(GROUP),
            content_type=JSON,
            events=(
                Expected(Status.DELIVERED, "delivered", recipient="18665550003"),
                Expected(Status.UNKNOWN, "delivery_unconfirmed", recipient="18665550004"),
                Expected(Status.SENT, "sent", recipient="18665550005"),
            ),
        ),
        Fixture(
            "inbound message",
            "developers.telnyx.com/api-reference/callbacks/inbound-message (verbatim, abridged)",
            body=_body(INBOUND),
            content_type=JSON,
            inbound=(("18665550001", False),),
        ),
        Fixture(
            "inbound STOP",
            "reconstructed from the inbound-message example",
            body=_body(STOP),
            content_type=JSON,
            inbound=(("18665550001", True),),
        ),
    )
    # to[].status values: the `To.status` Literal in telnyx/types/outbound_message_payload.py,
    # plus scheduled/cancelled from telnyx/types/message_cancel_scheduled_response.py.
    statuses = (
        ("scheduled", Status.QUEUED),
        ("queued", Status.QUEUED),
        ("sending", Status.SENT),
        ("sent", Status.SENT),
        ("delivered", Status.DELIVERED),
        ("read", Status.DELIVERED),
        ("delivery_failed", Status.UNDELIVERED),
        ("sending_failed", Status.REJECTED),
        ("expired", Status.EXPIRED),
        ("cancelled", Status.REJECTED),
        ("delivery_unconfirmed", Status.UNKNOWN),
    )
    wrong_shape = Fixture("not a Telnyx event", "invented", b'{"hello": "world"}', JSON)
    signing_keys = (KEY_1, KEY_2)
    wrong_key = WRONG_KEY
    signs_url = False
    has_replay_window = True

    def with_status(self, raw_status: str) -> Fixture:
        return Fixture(raw_status, "FINALIZED", _body(_with_status(raw_status)), JSON)

    def configure(self, keys: Sequence[Any]) -> SigningSecrets:
        return SigningSecrets(telnyx_public_keys=tuple(_public(key) for key in keys))

    def sign(self, request: Outgoing, key: Any, now: float) -> Outgoing:
        # The SDK only verifies; signing is Telnyx's side, done here with cryptography.
        headers = {**request.headers, **_signed_headers(key, request.body, str(int(now)))}
        return replace(request, headers=headers)
