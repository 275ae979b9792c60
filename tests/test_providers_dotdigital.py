from __future__ import annotations

import copy
import hashlib
import hmac
import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from receiver.app import create_app
from receiver.config import SigningSecrets
from receiver.providers.base import Request, SignatureError
from receiver.providers.dotdigital import DotdigitalAdapter
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status
from tests.conftest import TOKEN, make_settings, rows
from tests.contract import PUBLIC_URL, Expected, Fixture, Outgoing, ProviderContract

JSON = "application/json"
adapter = DotdigitalAdapter()

# developer.dotdigital.com/reference/message-events, "Sent" example: eventId, accountId,
# apiSpaceId, name and payload.details verbatim; payload.id, metadata, updatedOn, revision, etag
# and timestamp reconstructed from the envelope the same page and NOTES §11 describe.
SENT: dict[str, Any] = {
    "eventId": "0dceaf0d-93ea-4314-a6f8-b0cffe69799a",
    "accountId": 1234,
    "apiSpaceId": "c924cf6e-4352-4b26-a71a-c2032bea7a01",
    "name": "message.sent",
    "payload": {
        "details": {
            "channel": "sms",
            "additionalInfo": {
                "to": "447123123123",
                "successful": True,
                "clientRef": "e9f154c8-4011-493f-bb73-09cfcf8a1411",
            },
            "channelStatus": {
                "sms": {
                    "status": "sent",
                    "details": {
                        "to": "447123123123",
                        "successful": True,
                        "clientRef": "e9f154c8-4011-493f-bb73-09cfcf8a1411",
                    },
                }
            },
        },
        "id": "5f3a9b2c-1d4e-4f60-8a7b-9c0d1e2f3a4b",
        "metadata": {"orderId": "1001"},
        "updatedOn": "2026-03-02T10:15:01.120Z",
    },
    "revision": 2,
    "etag": '"2-8c1f"',
    "timestamp": "2026-03-02T10:15:01.120Z",
}


def _envelope(name: str, event_id: str, message_id: str, **changes: Any) -> dict[str, Any]:
    """SENT renamed: the envelope and payload are the same for every message.* event."""
    document = copy.deepcopy(SENT)
    document.update(name=name, eventId=event_id, **changes)
    document["payload"]["id"] = message_id
    return document


# samples/dotdigital_1.json (assembled from the documented envelope, not captured, NOTES §11):
# a batch of two envelopes, as dotdigital posts them with batching on.
BATCH: list[dict[str, Any]] = [
    {
        "eventId": "6f1c2b7e-3f0e-4d6b-9a55-2f7d0c1e9a10",
        "accountId": 1234,
        "apiSpaceId": "c924cf6e-4352-4b26-a71a-c2032bea7a01",
        "name": "message.sent",
        "payload": {
            "id": "a3c4e1f2-7b7d-4a0e-9d5f-0c8b1d2e3f40",
            "details": {
                "channel": "sms",
                "additionalInfo": {
                    "to": "447700900123",
                    "successful": True,
                    "clientRef": "order-1001",
                },
                "channelStatus": {"sms": {"status": "sent", "details": {"to": "447700900123"}}},
            },
            "metadata": {"orderId": "1001"},
            "updatedOn": "2026-03-02T10:15:01.120Z",
        },
        "revision": 2,
        "etag": '"2-8c1f"',
        "timestamp": "2026-03-02T10:15:01.120Z",
    },
    {
        "eventId": "0b8e4d1a-52c9-4f7e-8d1b-7e2a6c9f3b21",
        "accountId": 1234,
        "apiSpaceId": "c924cf6e-4352-4b26-a71a-c2032bea7a01",
        "name": "message.delivered",
        "payload": {
            "id": "a3c4e1f2-7b7d-4a0e-9d5f-0c8b1d2e3f40",
            "details": {
                "channel": "sms",
                "additionalInfo": {
                    "to": "447700900123",
                    "successful": True,
                    "clientRef": "order-1001",
                },
                "channelStatus": {
                    "sms": {"status": "delivered", "details": {"to": "447700900123"}}
                },
            },
            "metadata": {"orderId": "1001"},
            "updatedOn": "2026-03-02T10:15:07.480Z",
        },
        "revision": 3,
        "etag": '"3-91aa"',
        "timestamp": "2026-03-02T10:15:07.480Z",
    },
]

# Reconstructed: message.failed with the SMS channel's own details (NOTES §11 keeps them as
# the error detail; the detail values are invented).
FAILED = _envelope(
    "message.failed",
    "9d2e7c41-0000-4000-8000-00000000fa11",
    "9d2e7c41-0000-4000-8000-0000000000f1",
    timestamp="2026-03-02T10:20:00Z",
)
FAILED["payload"]["details"]["channelStatus"]["sms"] = {
    "status": "failed",
    "details": {"to": "447123123123", "successful": False, "reason": "Absent subscriber"},
}

# Reconstructed, shape assumed [I]: an inbound SMS (event name and payload fields inferred, see
# receiver/providers/dotdigital.py INBOUND_EVENTS).
INBOUND: dict[str, Any] = {
    "eventId": "3c1d5e7f-0000-4000-8000-0000000001b0",
    "accountId": 1234,
    "apiSpaceId": "c924cf6e-4352-4b26-a71a-c2032bea7a01",
    "name": "message.inbound",
    "payload": {
        "id": "3c1d5e7f-0000-4000-8000-0000000001b1",
        "details": {"channel": "sms"},
        "from": "447700900123",
        "to": "60777",
        "body": "STOP",
    },
    "revision": 0,
    "timestamp": "2026-03-02T11:00:00.000Z",
}

# developer.dotmailer.com/reference/profile-events, "Update" example (verbatim but for the
# e-mail addresses, hidden on the stored page): not about delivery, so stored and ignored.
PROFILE_UPDATE: dict[str, Any] = {
    "eventId": "e625d046-80b9-430d-bfeb-fda6ba5194ed",
    "accountId": 1234,
    "apiSpaceId": "fb42e8af-5fc3-40d4-a38c-034535c0a385",
    "name": "profile.update",
    "payload": {"id": "joe@example.com", "name": "Joe Blogs", "email": "joe@example.com"},
    "revision": 1,
    "etag": '"1a-lyBG7sifukcsukcmXL87nb41J0U"',
    "timestamp": "2017-05-31T15:26:58.199Z",
}


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


# -- parse ------------------------------------------------------------------------------------


def test_documented_sent_event() -> None:
    event = _event(SENT)
    assert event.status is Status.SENT
    assert event.provider_status == "message.sent"
    assert event.message_id == "5f3a9b2c-1d4e-4f60-8a7b-9c0d1e2f3a4b"
    assert event.client_ref == "e9f154c8-4011-493f-bb73-09cfcf8a1411"
    assert event.recipient == "447123123123"
    assert event.event_id == "0dceaf0d-93ea-4314-a6f8-b0cffe69799a"
    assert event.occurred_at == datetime(2026, 3, 2, 10, 15, 1, 120000, tzinfo=UTC)
    assert event.occurred_at_raw == "2026-03-02T10:15:01.120Z"
    assert (event.error_code, event.error_detail) == (None, None)


def test_a_batch_is_one_event_per_envelope() -> None:
    events = _parse(BATCH).events
    assert [(e.status, e.provider_status, e.event_id) for e in events] == [
        (Status.SENT, "message.sent", "6f1c2b7e-3f0e-4d6b-9a55-2f7d0c1e9a10"),
        (Status.DELIVERED, "message.delivered", "0b8e4d1a-52c9-4f7e-8d1b-7e2a6c9f3b21"),
    ]
    assert {e.message_key for e in events} == {"id:a3c4e1f2-7b7d-4a0e-9d5f-0c8b1d2e3f40"}
    assert {e.client_ref for e in events} == {"order-1001"}
    assert events[1].occurred_at == datetime(2026, 3, 2, 10, 15, 7, 480000, tzinfo=UTC)


def test_failed_keeps_the_channel_details_as_text() -> None:
    event = _event(FAILED)
    assert (event.status, event.provider_status) == (Status.UNDELIVERED, "message.failed")
    assert event.error_detail is not None
    assert json.loads(event.error_detail) == {
        "to": "447123123123",
        "successful": False,
        "reason": "Absent subscriber",
    }
    assert event.occurred_at == datetime(2026, 3, 2, 10, 20, tzinfo=UTC)


def test_failed_details_given_as_text_stay_as_they_are() -> None:
    document = copy.deepcopy(FAILED)
    document["payload"]["details"]["channelStatus"]["sms"]["details"] = "Absent subscriber"
    assert _event(document).error_detail == "Absent subscriber"


def test_non_sms_channel_status_is_found_by_channel() -> None:
    document = copy.deepcopy(FAILED)
    details = document["payload"]["details"]
    details["channel"] = "rcs"
    details["channelStatus"] = {"rcs": {"status": "failed", "details": "not capable"}}
    assert _event(document).error_detail == "not capable"


def test_only_failures_get_an_error_detail() -> None:
    assert _event(_envelope("message.delivered", "e1", "m1")).error_detail is None


def test_message_known_by_client_ref_only() -> None:
    document = copy.deepcopy(SENT)
    del document["payload"]["id"]
    event = _event(document)
    assert event.message_id is None
    assert event.message_key == "ref:e9f154c8-4011-493f-bb73-09cfcf8a1411:447123123123"


def test_event_name_is_matched_case_insensitively_and_kept_as_sent() -> None:
    event = _event(_envelope("message.SentRequest", "e1", "m1"))
    assert (event.status, event.provider_status) == (Status.QUEUED, "message.SentRequest")


def test_time_without_offset_is_utc_and_falls_back_to_updated_on() -> None:
    document = copy.deepcopy(SENT)
    document["timestamp"] = "2026-03-02T10:15:01"
    assert _event(document).occurred_at == datetime(2026, 3, 2, 10, 15, 1, tzinfo=UTC)
    del document["timestamp"]
    assert _event(document).occurred_at_raw == "2026-03-02T10:15:01.120Z"


def test_inbound_stop_is_an_opt_out() -> None:
    message = _inbound(INBOUND)
    assert message.sender == "447700900123"
    assert message.recipient == "60777"
    assert message.text == "STOP"
    assert message.message_id == "3c1d5e7f-0000-4000-8000-0000000001b1"
    assert (message.is_opt_out, message.keyword) == (True, "STOP")
    assert message.occurred_at == datetime(2026, 3, 2, 11, tzinfo=UTC)


def test_inbound_addresses_as_objects() -> None:
    document = copy.deepcopy(INBOUND)
    document["payload"].update(
        {"from": {"phoneNumber": "+44 7700 900124"}, "to": {"phoneNumber": "60777"}, "body": "hi"}
    )
    message = _inbound(document)
    assert (message.sender, message.recipient, message.is_opt_out) == (
        "447700900124",
        "60777",
        False,
    )


@pytest.mark.parametrize(
    "document",
    [
        PROFILE_UPDATE,
        {**PROFILE_UPDATE, "name": "interaction.click"},
        {**PROFILE_UPDATE, "name": "chat.create"},
        [PROFILE_UPDATE, {**PROFILE_UPDATE, "name": "profile.delete"}],
    ],
)
def test_events_about_other_things_yield_nothing_and_are_no_error(document: Any) -> None:
    assert _parse(document) == Normalized()


def test_malformed_items_are_skipped_and_the_rest_kept() -> None:
    batch = [
        BATCH[0],
        42,
        None,
        "message.sent",
        {"name": 5},
        {"name": "message.delivered"},  # no payload
        {"name": "message.delivered", "payload": []},
        {"name": "message.sent", "payload": {"details": {"additionalInfo": "x"}}},  # no id/ref
        {"name": "message.inbound", "payload": {"id": "x"}},  # no sender, no text
        BATCH[1],
        PROFILE_UPDATE,
    ]
    events = _parse(batch).events
    assert [e.event_id for e in events] == [BATCH[0]["eventId"], BATCH[1]["eventId"]]


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"hello": "world"}, "no readable"),
        ([], "empty"),
        ([1, "x", None, [], {"name": ""}], "no readable dotdigital event among 5"),
        ([{"name": "message.failed"}], "no readable"),
        ("message.sent", "not a JSON event"),
        (17, "not a JSON event"),
        (None, "not a JSON event"),
    ],
)
def test_nothing_readable_is_a_payload_error(document: Any, reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        _parse(document)


@pytest.mark.parametrize(
    "payload",
    [
        {"id": 7, "details": {"additionalInfo": {"to": ["x"], "clientRef": {}}}},
        {"id": True, "details": {"additionalInfo": {"clientRef": 12}, "channelStatus": []}},
        {"id": "m", "details": {"channel": 5, "channelStatus": {"sms": "failed", "x": {}}}},
        {"id": "m", "details": {"channelStatus": {"sms": {"details": {"n": float("inf")}}}}},
    ],
)
def test_odd_shapes_never_raise(payload: dict[str, Any]) -> None:
    document = {"name": "message.failed", "eventId": ["x"], "timestamp": 5, "payload": payload}
    result = adapter.parse(decode("", JSON, json.dumps(document).encode()))
    assert len(result.events) <= 1


# -- signatures -------------------------------------------------------------------------------

SECRET = "dotdigital-webhook-secret-0123456789"
SECRET_2 = "dotdigital-webhook-secret-rotated-abcdef"
WRONG_SECRET = "not-the-configured-secret-0123456789"


def _python_sample_signature(body: bytes, secret: str) -> str:
    """Lower-case hex, as OneAPI/Python/Webhook/webhook.py computes it (hexdigest)."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha1).hexdigest()


def _csharp_sample_signature(body: bytes, secret: str) -> str:
    """Upper-case hex: OneAPI/cSharp/Webhook_3_5/webhookHandler.ashx.cs ByteToString, "X2"."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha1).digest()
    return "".join(f"{byte:02X}" for byte in digest)


def _request(body: bytes, signature: str | None) -> Request:
    headers = (("content-type", JSON),)
    if signature is not None:
        headers += (("x-comapi-signature", signature),)
    return Request(
        method="POST",
        url=f"{PUBLIC_URL}/callbacks/dotdigital/{TOKEN}",
        query="",
        headers=headers,
        body=body,
        content_type=JSON,
    )


def _accepts(body: bytes, signature: str | None, secrets: Sequence[str] = (SECRET,)) -> bool:
    try:
        DotdigitalAdapter(tuple(secrets)).verify(_request(body, signature))
    except SignatureError:
        return False
    return True


def test_hmac_sha1_known_answer() -> None:
    """RFC 2202 test case 2: the scheme is plain HMAC-SHA1 over the raw body."""
    body = b"what do ya want for nothing?"
    expected = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
    assert _python_sample_signature(body, "Jefe") == expected
    assert _accepts(body, expected, ["Jefe"])
    assert _accepts(body, expected.upper(), ["Jefe"])
    assert not _accepts(body + b" ", expected, ["Jefe"])


@pytest.mark.parametrize("sign", [_python_sample_signature, _csharp_sample_signature])
def test_either_samples_hex_case_is_accepted(sign: Any) -> None:
    body = _body(BATCH)
    signature = sign(body, SECRET)
    assert _accepts(body, signature)
    assert not _accepts(body.replace(b"delivered", b"failed"), signature)
    assert not _accepts(body, sign(body, WRONG_SECRET))


def test_csharp_form_is_upper_case() -> None:
    signature = _csharp_sample_signature(b"{}", SECRET)
    assert signature == signature.upper() != signature.lower()
    assert signature.lower() == _python_sample_signature(b"{}", SECRET)


def test_any_configured_secret_verifies() -> None:
    body = _body(SENT)
    assert _accepts(body, _python_sample_signature(body, SECRET_2), [SECRET, SECRET_2])
    assert not _accepts(body, _python_sample_signature(body, SECRET_2), [SECRET, WRONG_SECRET])


@pytest.mark.parametrize(
    ("signature", "reason"),
    [
        (None, "missing"),
        ("", "missing"),
        ("zz" * 20, "malformed"),
        ("ab" * 19, "malformed"),
        ("ab" * 32, "malformed"),  # an HMAC-SHA256, not SHA-1
        ("sha1=" + "ab" * 20, "malformed"),
        ("ab" * 20, "wrong"),
    ],
)
def test_refusals_say_why_without_secret_or_signature(signature: str | None, reason: str) -> None:
    with pytest.raises(SignatureError, match=reason) as refused:
        DotdigitalAdapter((SECRET,)).verify(_request(_body(SENT), signature))
    message = str(refused.value)
    assert SECRET not in message
    assert not signature or signature not in message


def test_verifies_only_with_secrets() -> None:
    assert DotdigitalAdapter().verifies is False
    assert DotdigitalAdapter((SECRET,)).verifies is True


# -- through the app --------------------------------------------------------------------------


@pytest.fixture
def signed_app(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> Iterator[TestClient]:
    settings = make_settings(
        database_url,
        tmp_path / "spool",
        public_url=PUBLIC_URL,
        signing=SigningSecrets(dotdigital_webhook_secrets=(SECRET,)),
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _post(client: TestClient, body: bytes, slug: str = "dotdigital") -> Any:
    headers = {"content-type": JSON, "x-comapi-signature": _csharp_sample_signature(body, SECRET)}
    return client.post(f"/callbacks/{slug}/{TOKEN}", content=body, headers=headers)


def _full_batch() -> bytes:
    batch = [
        _envelope(
            "message.delivered",
            f"00000000-0000-4000-8000-{n:012d}",
            f"10000000-0000-4000-8000-{n:012d}",
        )
        for n in range(500)
    ]
    return _body(batch)


def test_a_full_batch_over_the_default_limit_is_accepted(
    signed_app: TestClient, db: psycopg.Connection[Any]
) -> None:
    body = _full_batch()
    limit = DotdigitalAdapter.max_body
    assert limit is not None and 64 * 1024 < len(body) < limit
    response = _post(signed_app, body)
    assert response.status_code == 200, response.text
    assert response.content == b"OK"
    stored = rows(db, "SELECT parse_error FROM callbacks WHERE provider = 'dotdigital'")
    assert stored == [{"parse_error": None}]
    events = rows(db, "SELECT count(*) AS n FROM delivery_events WHERE provider = 'dotdigital'")
    assert events[0]["n"] == 500


def test_the_default_limit_still_applies_to_other_providers(
    signed_app: TestClient, db: psycopg.Connection[Any]
) -> None:
    response = _post(signed_app, _full_batch(), slug="smartswitch")
    assert response.status_code == 413
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 0


def test_max_body_is_two_mib() -> None:
    assert DotdigitalAdapter.max_body == 2 * 1024 * 1024


def test_a_partly_readable_batch_is_stored_without_error(
    signed_app: TestClient, db: psycopg.Connection[Any]
) -> None:
    body = _body([BATCH[0], {"name": "message.sent"}, 7, BATCH[1]])
    assert _post(signed_app, body).status_code == 200
    assert rows(db, "SELECT parse_error FROM callbacks") == [{"parse_error": None}]
    stored = rows(db, "SELECT status FROM delivery_events ORDER BY status")
    assert [row["status"] for row in stored] == ["delivered", "sent"]


@pytest.mark.parametrize(
    "body", [b"[]", b"null", b'"x"', b"[1, 2]", b"{", b"", b"\xff\xfe", b'{"name": 5}']
)
def test_anything_authenticated_is_answered_200_never_400(
    signed_app: TestClient, db: psycopg.Connection[Any], body: bytes
) -> None:
    assert _post(signed_app, body).status_code == 200
    stored = rows(db, "SELECT parse_error FROM callbacks")
    assert len(stored) == 1 and stored[0]["parse_error"]


def test_a_retried_event_is_stored_once(
    signed_app: TestClient, db: psycopg.Connection[Any]
) -> None:
    retry = copy.deepcopy(FAILED)
    retry["revision"] = 9  # anything may differ but the eventId
    for document in (FAILED, retry):
        assert _post(signed_app, _body(document)).status_code == 200
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 2
    assert rows(db, "SELECT status FROM delivery_events") == [{"status": "undelivered"}]


def test_a_bad_signature_is_401(signed_app: TestClient, db: psycopg.Connection[Any]) -> None:
    body = _body(SENT)
    headers = {"content-type": JSON, "x-comapi-signature": _python_sample_signature(body, "x")}
    response = signed_app.post(f"/callbacks/dotdigital/{TOKEN}", content=body, headers=headers)
    assert response.status_code == 401
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 0


# -- the shared contract ----------------------------------------------------------------------


class TestDotdigitalContract(ProviderContract):
    slug = "dotdigital"
    fixtures = (
        Fixture(
            "batch of two",
            "samples/dotdigital_1.json (assembled from the documented envelope, NOTES §11)",
            body=_body(BATCH),
            content_type=JSON,
            events=(
                Expected(
                    Status.SENT,
                    "message.sent",
                    message_id="a3c4e1f2-7b7d-4a0e-9d5f-0c8b1d2e3f40",
                    client_ref="order-1001",
                    recipient="447700900123",
                ),
                Expected(Status.DELIVERED, "message.delivered", client_ref="order-1001"),
            ),
        ),
        Fixture(
            "single message.sent",
            "developer.dotdigital.com/reference/message-events Sent example (verbatim details, "
            "reconstructed id and times)",
            body=_body(SENT),
            content_type=JSON,
            events=(
                Expected(
                    Status.SENT,
                    "message.sent",
                    client_ref="e9f154c8-4011-493f-bb73-09cfcf8a1411",
                    recipient="447123123123",
                ),
            ),
        ),
        Fixture(
            "message.failed",
            "reconstructed from the message-events envelope",
            body=_body(FAILED),
            content_type=JSON,
            events=(Expected(Status.UNDELIVERED, "message.failed", recipient="447123123123"),),
        ),
        Fixture(
            "inbound STOP",
            "reconstructed; inbound event name and payload assumed",
            body=_body(INBOUND),
            content_type=JSON,
            inbound=(("447700900123", True),),
        ),
        Fixture(
            "profile.update",
            "developer.dotmailer.com/reference/profile-events Update example (verbatim)",
            body=_body(PROFILE_UPDATE),
            content_type=JSON,
        ),
    )
    # developer.dotdigital.com/reference/message-events (NOTES §11).
    statuses = (
        ("message.sentRequest", Status.QUEUED),
        ("message.sent", Status.SENT),
        ("message.delivered", Status.DELIVERED),
        ("message.read", Status.DELIVERED),
        ("message.expired", Status.EXPIRED),
        ("message.failed", Status.UNDELIVERED),
    )
    # The status is the event name, so an unmapped one is an unknown message.* event.
    unmapped_status = "message.noSuchStatus42"
    wrong_shape = Fixture("not an envelope", "invented", b'{"hello": "world"}', JSON)
    signing_keys = (SECRET, SECRET_2)
    wrong_key = WRONG_SECRET
    signs_url = False
    has_replay_window = False

    def with_status(self, raw_status: str) -> Fixture:
        document = _envelope(raw_status, "e-" + raw_status, "m-" + raw_status)
        return Fixture(raw_status, "SENT renamed", _body(document), JSON)

    def configure(self, keys: Sequence[Any]) -> SigningSecrets:
        return SigningSecrets(dotdigital_webhook_secrets=tuple(keys))

    def sign(self, request: Outgoing, key: Any, now: float) -> Outgoing:
        signature = _python_sample_signature(request.body, key)
        return replace(request, headers={**request.headers, "x-comapi-signature": signature})
