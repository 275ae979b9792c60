from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from receiver.providers.sinch import STATUSES, SinchAdapter
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status
from tests.conftest import TOKEN, rows
from tests.contract import Expected, Fixture, ProviderContract

JSON = "application/json"
adapter = SinchAdapter()

# samples/sinch_1.json: the RecipientDeliveryReport printed in developers.sinch.com/docs/sms/
# tutorials/node-sdk/delivery-reports/get-for-number (verbatim; Sinch masked the recipient).
DISPATCHED: dict[str, Any] = {
    "at": "2024-06-07T14:03:26.536Z",
    "batch_id": "01J06CY78GZ2F74YZNNH2VBWR6",
    "code": 401,
    "recipient": "447..3",
    "status": "Dispatched",
    "type": "recipient_delivery_report_sms",
}

# sinch/sinch-sdk-python tests/e2e/sms/features/steps/webhooks.steps.py (and the Node SDK's
# equivalent): the SDKs' recipient delivery report callbacks, "Delivered" and "Aborted".
# Reconstructed: the field values are the ones those tests assert, the bodies are rebuilt from
# them in the RecipientDeliveryReport shape (sinch/domains/sms/models/v1/response/
# recipient_delivery_report.py).
DELIVERED: dict[str, Any] = {
    "at": "2024-06-06T08:17:19.210Z",
    "batch_id": "01W4FFL35P4NC4K35SMSBATCH9",
    "client_reference": "client-ref",
    "code": 0,
    "operator_status_at": "2024-06-06T08:17:00Z",
    "recipient": "12017777777",
    "status": "Delivered",
    "type": "recipient_delivery_report_sms",
}
ABORTED: dict[str, Any] = {
    "at": "2024-06-06T08:17:15.603Z",
    "batch_id": "01W4FFL35P4NC4K35SMSBATCH9",
    "client_reference": "client-ref",
    "code": 412,  # Unprovisioned region (delivery-report-error-codes)
    "recipient": "12010000000",
    "status": "Aborted",
    "type": "recipient_delivery_report_sms",
}

# The same SDK tests' batch delivery report ("full": recipients listed), reconstructed the same
# way in the BatchDeliveryReport shape (.../response/batch_delivery_report.py).
BATCH: dict[str, Any] = {
    "batch_id": "01W4FFL35P4NC4K35SMSBATCH8",
    "client_reference": "client-ref",
    "statuses": [
        {
            "code": 0,
            "count": 2,
            "recipients": ["12017777777", "33612345678"],
            "status": "Delivered",
        }
    ],
    "total_message_count": 2,
    "type": "delivery_report_sms",
}

# Reconstructed from BATCH: a full report over several statuses, one of them a failure with its
# SMPP-range code, the other a summary entry (counts only).
MIXED: dict[str, Any] = {
    "batch_id": "01W4FFL35P4NC4K35SMSBATCH7",
    "statuses": [
        {"code": 0, "count": 1, "recipients": ["+1 201 777 7777"], "status": "Delivered"},
        {"code": 11, "count": 2, "recipients": ["12015550001", "12015550002"], "status": "Failed"},
        {"code": 401, "count": 5, "status": "Dispatched"},
    ],
    "total_message_count": 8,
    "type": "delivery_report_sms",
}

# The same SDK tests' incoming SMS (mo_text), reconstructed the same way in the MOTextMessage
# shape (.../shared/mo_text_message.py); courier's handlers/mblox test body has the same keys.
MO_TEXT: dict[str, Any] = {
    "body": "Hello John! 👋",
    "from": "12015555555",
    "id": "01W4FFL35P4NC4K35SMSBATCH8",
    "operator_id": "311071",
    "received_at": "2024-06-06T07:52:37.386Z",
    "to": "12017777777",
    "type": "mo_text",
}

# Reconstructed from MO_TEXT: a reply that is an opt-out keyword, to a message sent with a
# client reference.
MO_STOP: dict[str, Any] = dict(
    MO_TEXT, id="01W4FFL35P4NC4K35SMSSTOP1", body="STOP", client_reference="client-ref"
)


def _body(document: Any) -> bytes:
    return json.dumps(document).encode()


def _parse(document: Any) -> Normalized:
    return adapter.parse(decode("", JSON, _body(document)))


def _events(document: Any) -> tuple[DeliveryEvent, ...]:
    result = _parse(document)
    assert result.inbound == ()
    return result.events


def _event(document: Any) -> DeliveryEvent:
    events = _events(document)
    assert len(events) == 1
    return events[0]


def _inbound(document: Any) -> InboundMessage:
    result = _parse(document)
    assert result.events == ()
    assert len(result.inbound) == 1
    return result.inbound[0]


def _with_status(raw: str) -> dict[str, Any]:
    return dict(DELIVERED, status=raw)


# developers.sinch.com/docs/sms/api-reference/sms/delivery-reports/delivery-report-statuses:
# the ten statuses, with the normalization of NOTES §8.
DOCUMENTED: tuple[tuple[str, Status], ...] = (
    ("Queued", Status.QUEUED),
    ("Dispatched", Status.SENT),
    ("Aborted", Status.REJECTED),
    ("Cancelled", Status.REJECTED),
    ("Rejected", Status.REJECTED),
    ("Deleted", Status.UNDELIVERED),
    ("Delivered", Status.DELIVERED),
    ("Failed", Status.UNDELIVERED),
    ("Expired", Status.EXPIRED),
    ("Unknown", Status.UNKNOWN),
)


# -- parse ------------------------------------------------------------------------------------


def test_recipient_report_fields() -> None:
    event = _event(DELIVERED)
    assert event.status is Status.DELIVERED
    assert event.provider_status == "Delivered"
    assert event.message_id == "01W4FFL35P4NC4K35SMSBATCH9"
    assert event.client_ref == "client-ref"
    assert event.recipient == "12017777777"
    assert event.message_key == "batch:01W4FFL35P4NC4K35SMSBATCH9:12017777777"
    assert event.error_code is None  # code 0 on a delivery is no error
    # `at`, not operator_status_at, is the event time.
    assert event.occurred_at == datetime(2024, 6, 6, 8, 17, 19, 210000, tzinfo=UTC)
    assert event.occurred_at_raw == "2024-06-06T08:17:19.210Z"


def test_documented_sample_is_an_intermediate_dispatch_without_an_error() -> None:
    event = _event(DISPATCHED)
    assert (event.status, event.provider_status) == (Status.SENT, "Dispatched")
    assert event.error_code is None  # 401 names the status, not a failure
    assert event.recipient == "447..3"  # masked by Sinch, kept as given


def test_a_failure_keeps_its_code() -> None:
    event = _event(ABORTED)
    assert (event.status, event.error_code) == (Status.REJECTED, "412")
    assert event.occurred_at == datetime(2024, 6, 6, 8, 17, 15, 603000, tzinfo=UTC)


@pytest.mark.parametrize(("raw", "expected"), DOCUMENTED)
def test_documented_statuses(raw: str, expected: Status) -> None:
    event = _event(_with_status(raw))
    assert (event.status, event.provider_status) == (expected, raw)
    failed = expected in (Status.UNDELIVERED, Status.REJECTED, Status.EXPIRED, Status.UNKNOWN)
    assert event.error_code == ("0" if failed else None)


def test_the_table_is_exactly_the_documented_statuses() -> None:
    assert dict(STATUSES) == {raw.lower(): status for raw, status in DOCUMENTED}


@pytest.mark.parametrize("raw", ["DELIVERED", "delivered", "Delivered"])
def test_status_is_matched_case_insensitively_and_kept_as_sent(raw: str) -> None:
    # The SDK's DeliveryStatusType spells them upper-case, the docs capitalized.
    event = _event(_with_status(raw))
    assert (event.status, event.provider_status) == (Status.DELIVERED, raw)


def test_mms_recipient_report() -> None:
    event = _event(dict(DELIVERED, type="recipient_delivery_report_mms", status="Failed", code=11))
    assert (event.status, event.error_code) == (Status.UNDELIVERED, "11")


def test_batch_report_is_one_event_per_listed_recipient() -> None:
    events = _events(BATCH)
    assert [(e.status, e.provider_status, e.recipient) for e in events] == [
        (Status.DELIVERED, "Delivered", "12017777777"),
        (Status.DELIVERED, "Delivered", "33612345678"),
    ]
    assert all(e.message_id == "01W4FFL35P4NC4K35SMSBATCH8" for e in events)
    assert all(e.client_ref == "client-ref" for e in events)
    assert all(e.occurred_at is None and e.error_code is None for e in events)
    assert [e.message_key for e in events] == [
        "batch:01W4FFL35P4NC4K35SMSBATCH8:12017777777",
        "batch:01W4FFL35P4NC4K35SMSBATCH8:33612345678",
    ]


def test_batch_and_recipient_reports_for_one_recipient_share_the_key() -> None:
    per_batch = _events(dict(BATCH, batch_id="B1", statuses=[BATCH["statuses"][0]]))[0]
    per_recipient = _event(dict(DELIVERED, batch_id="B1", recipient="+1 (201) 777-7777"))
    assert per_batch.message_key == per_recipient.message_key == "batch:B1:12017777777"


def test_mixed_batch_report_skips_summary_entries_and_keeps_failure_codes() -> None:
    events = _events(MIXED)
    assert [(e.status, e.recipient, e.error_code) for e in events] == [
        (Status.DELIVERED, "12017777777", None),
        (Status.UNDELIVERED, "12015550001", "11"),
        (Status.UNDELIVERED, "12015550002", "11"),
    ]


def test_a_summary_report_is_readable_and_yields_nothing() -> None:
    summary = dict(BATCH, statuses=[{"code": 0, "count": 2, "status": "Delivered"}])
    assert _parse(summary) == Normalized()


def test_unreadable_batch_entries_do_not_spoil_the_others() -> None:
    document = dict(
        BATCH,
        statuses=[
            7,
            {"status": "Delivered", "recipients": "12017777777"},  # not a list
            {"recipients": ["12015550009"]},  # no status
            {"status": "Failed", "code": 11, "recipients": [None, 5, "", ["x"], "12015550003"]},
        ],
    )
    events = _events(document)
    # 5 is a JSON number where a string belongs: read as text, as everywhere.
    assert [(e.status, e.recipient) for e in events] == [
        (Status.UNDELIVERED, "5"),
        (Status.UNDELIVERED, "12015550003"),
    ]


def test_recipient_report_without_recipient_falls_back_to_the_batch() -> None:
    # nyaruka/courier handlers/mblox/handler_test.go validStatus (verbatim).
    event = _event(
        {"batch_id": "12345", "status": "Delivered", "type": "recipient_delivery_report_sms"}
    )
    assert (event.status, event.recipient) == (Status.DELIVERED, None)
    assert event.message_key == "id:12345"


def test_mo_text_is_an_inbound_message() -> None:
    message = _inbound(MO_TEXT)
    assert message.sender == "12015555555"
    assert message.recipient == "12017777777"
    assert message.text == "Hello John! 👋"
    assert message.message_id == "01W4FFL35P4NC4K35SMSBATCH8"
    assert message.occurred_at == datetime(2024, 6, 6, 7, 52, 37, 386000, tzinfo=UTC)
    assert not message.is_opt_out


def test_mo_stop_is_an_opt_out_linked_by_client_reference() -> None:
    message = _inbound(MO_STOP)
    assert message.is_opt_out
    assert message.keyword == "STOP"
    assert message.related_client_ref == "client-ref"


def test_mo_media_text_and_mo_binary() -> None:
    media = _inbound(dict(MO_TEXT, type="mo_media", body={"subject": "s", "message": "stop"}))
    assert (media.text, media.is_opt_out) == ("stop", True)
    # Base64 with a UDH is not text: kept as a reply with no text, never an opt-out.
    binary = _inbound(dict(MO_TEXT, type="mo_binary", body="U1RPUA==", udh="050003010201"))
    assert (binary.text, binary.is_opt_out, binary.sender) == (None, False, "12015555555")


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"hello": "world"}, "without a type"),
        ([DELIVERED], "not a JSON object"),
        ("recipient_delivery_report_sms", "not a JSON object"),
        ({"type": "mt_text", "id": "1"}, "unknown type 'mt_text'"),
        ({"type": ["mo_text"]}, "without a type"),
        (dict(DELIVERED, batch_id=None), "without a batch_id"),
        ({k: v for k, v in DELIVERED.items() if k != "status"}, "without a status"),
        (dict(BATCH, statuses={"status": "Delivered"}), "without a statuses array"),
        (dict(BATCH, batch_id=""), "without a batch_id"),
    ],
)
def test_unreadable_callbacks_are_payload_errors(document: Any, reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        _parse(document)


@pytest.mark.parametrize(
    "document",
    [
        dict(DELIVERED, status=5, code=[1], at={"x": 1}, recipient=["1"]),
        dict(DELIVERED, status="\ud800", client_reference=True, code=1e400),
        dict(MO_TEXT, body=["STOP"], received_at=5, to=None),
        dict(MO_TEXT, type="mo_media", body="STOP"),
        dict(BATCH, statuses=[{"status": "Failed", "code": {}, "recipients": ["1"]}]),
    ],
)
def test_odd_shapes_are_read_never_crash(document: dict[str, Any]) -> None:
    result = _parse(document)
    assert len(result.events) + len(result.inbound) == 1
    assert all(not m.is_opt_out for m in result.inbound)


def test_declares_its_table_key_and_limit() -> None:
    assert SinchAdapter.status_maps == {"status": STATUSES}
    assert SinchAdapter.keyed_by == "batch_id and recipient"
    assert SinchAdapter.max_body == 1024 * 1024


# -- through the app --------------------------------------------------------------------------


def _post(client: TestClient, body: bytes, slug: str = "sinch") -> Any:
    return client.post(f"/callbacks/{slug}/{TOKEN}", content=body, headers={"content-type": JSON})


def test_per_recipient_and_per_batch_reports_land_on_one_message(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    dispatched = dict(DELIVERED, status="Dispatched", code=401, at="2024-06-06T08:17:01.000Z")
    batch = dict(BATCH, batch_id=DELIVERED["batch_id"])
    for document in (dispatched, batch, DELIVERED):
        assert _post(client, _body(document)).status_code == 200
    messages = rows(
        db,
        "SELECT message_key, message_id, recipient, status, event_count FROM messages"
        " ORDER BY message_key",
    )
    assert messages == [
        {
            "message_key": "batch:01W4FFL35P4NC4K35SMSBATCH9:12017777777",
            "message_id": "01W4FFL35P4NC4K35SMSBATCH9",
            "recipient": "12017777777",
            "status": "delivered",
            "event_count": 3,
        },
        {
            "message_key": "batch:01W4FFL35P4NC4K35SMSBATCH9:33612345678",
            "message_id": "01W4FFL35P4NC4K35SMSBATCH9",
            "recipient": "33612345678",
            "status": "delivered",
            "event_count": 1,
        },
    ]


def test_a_retried_report_is_stored_once(client: TestClient, db: psycopg.Connection[Any]) -> None:
    for _ in range(2):
        assert _post(client, _body(ABORTED)).status_code == 200
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 2
    assert rows(db, "SELECT status, error_code FROM delivery_events") == [
        {"status": "rejected", "error_code": "412"}
    ]


def _full_report(size: int) -> bytes:
    recipients = [f"+4477009{n:05d}" for n in range(size)]
    document = copy.deepcopy(BATCH)
    document["statuses"][0].update(count=size, recipients=recipients)
    document["total_message_count"] = size
    return _body(document)


def test_a_large_full_report_over_the_default_limit_is_accepted(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    body = _full_report(5000)
    limit = SinchAdapter.max_body
    assert limit is not None and 64 * 1024 < len(body) < limit
    response = _post(client, body)
    assert (response.status_code, response.content) == (200, b"OK")
    assert rows(db, "SELECT parse_error FROM callbacks") == [{"parse_error": None}]
    count = rows(db, "SELECT count(*) AS n FROM messages WHERE provider = 'sinch'")
    assert count[0]["n"] == 5000


def test_the_default_limit_still_applies_to_other_providers(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    assert _post(client, _full_report(5000), slug="smartswitch").status_code == 413


# -- the shared contract ----------------------------------------------------------------------


class TestSinchContract(ProviderContract):
    slug = "sinch"
    fixtures = (
        Fixture(
            "recipient report, documented sample",
            "developers.sinch.com/docs/sms/tutorials/node-sdk/delivery-reports/get-for-number "
            "(verbatim, samples/sinch_1.json)",
            body=_body(DISPATCHED),
            content_type=JSON,
            events=(
                Expected(
                    Status.SENT,
                    "Dispatched",
                    message_id="01J06CY78GZ2F74YZNNH2VBWR6",
                    recipient="447..3",
                ),
            ),
        ),
        Fixture(
            "recipient report, delivered",
            "sinch/sinch-sdk-python tests/e2e/sms/features/steps/webhooks.steps.py "
            "(reconstructed from the asserted values)",
            body=_body(DELIVERED),
            content_type=JSON,
            events=(
                Expected(
                    Status.DELIVERED,
                    "Delivered",
                    message_id="01W4FFL35P4NC4K35SMSBATCH9",
                    client_ref="client-ref",
                    recipient="12017777777",
                ),
            ),
        ),
        Fixture(
            "recipient report, aborted",
            "same SDK test (reconstructed)",
            body=_body(ABORTED),
            content_type=JSON,
            events=(
                Expected(Status.REJECTED, "Aborted", recipient="12010000000", error_code="412"),
            ),
        ),
        Fixture(
            "batch report, full",
            "same SDK test (reconstructed)",
            body=_body(BATCH),
            content_type=JSON,
            events=(
                Expected(Status.DELIVERED, "Delivered", recipient="12017777777"),
                Expected(Status.DELIVERED, "Delivered", recipient="33612345678"),
            ),
        ),
        Fixture(
            "batch report, mixed",
            "reconstructed from the batch report",
            body=_body(MIXED),
            content_type=JSON,
            events=(
                Expected(Status.DELIVERED, "Delivered", recipient="12017777777"),
                Expected(Status.UNDELIVERED, "Failed", recipient="12015550001", error_code="11"),
                Expected(Status.UNDELIVERED, "Failed", recipient="12015550002", error_code="11"),
            ),
        ),
        Fixture(
            "incoming SMS",
            "same SDK test (reconstructed)",
            body=_body(MO_TEXT),
            content_type=JSON,
            inbound=(("12015555555", False),),
        ),
        Fixture(
            "incoming STOP",
            "reconstructed from the incoming SMS",
            body=_body(MO_STOP),
            content_type=JSON,
            inbound=(("12015555555", True),),
        ),
    )
    statuses = DOCUMENTED
    wrong_shape = Fixture("no type", "invented", b'{"hello": "world"}', JSON)

    def with_status(self, raw_status: str) -> Fixture:
        return Fixture(raw_status, "DELIVERED", _body(_with_status(raw_status)), JSON)
