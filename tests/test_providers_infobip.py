from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from receiver.providers.infobip import STATUS_GROUPS, STATUS_NAMES, InfobipAdapter
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status
from tests.conftest import TOKEN, rows
from tests.contract import Expected, Fixture, ProviderContract

JSON = "application/json"
adapter = InfobipAdapter()

# infobip/infobip-api-php-client Test/Api/Sms/SmsWebhookTest.php,
# testReceiveOutboundSmsMessageReport: the official client's delivery report webhook body
# (verbatim).
REPORT: dict[str, Any] = {
    "results": [
        {
            "bulkId": "BULK-ID-123-xyz",
            "price": {"pricePerMessage": 0.01, "currency": "EUR"},
            "status": {
                "groupId": 3,
                "groupName": "DELIVERED",
                "id": 5,
                "name": "DELIVERED_TO_HANDSET",
                "description": "Message delivered to handset",
            },
            "error": {
                "groupId": 0,
                "groupName": "OK",
                "id": 0,
                "name": "NO_ERROR",
                "description": "No Error",
                "permanent": False,
            },
            "messageId": "MESSAGE-ID-123-xyz",
            "to": "41793026727",
            "sender": "InfoSMS",
            "sentAt": "2019-11-09T16:00:00.000+01:00",
            "doneAt": "2019-11-09T16:00:00.000+01:00",
            "messageCount": 1,
            "platform": {
                "entityId": "promotional-traffic-entity",
                "applicationId": "marketing-automation-application",
            },
        },
        {
            "bulkId": "BULK-ID-123-xyz",
            "price": {"pricePerMessage": 0.01, "currency": "EUR"},
            "status": {
                "groupId": 3,
                "groupName": "DELIVERED",
                "id": 5,
                "name": "DELIVERED_TO_HANDSET",
                "description": "Message delivered to handset",
            },
            "error": {
                "groupId": 0,
                "groupName": "OK",
                "id": 0,
                "name": "NO_ERROR",
                "description": "No Error",
                "permanent": False,
            },
            "messageId": "12db39c3-7822-4e72-a3ec-c87442c0ffc5",
            "to": "41793026834",
            "sender": "InfoSMS",
            "sentAt": "2019-11-09T17:00:00.000+01:00",
            "doneAt": "2019-11-09T17:00:00.000+01:00",
            "messageCount": 1,
            "platform": {
                "entityId": "promotional-traffic-entity",
                "applicationId": "marketing-automation-application",
            },
        },
    ]
}

# nyaruka/courier handlers/infobip/handler_test.go, validStatusPending (verbatim): group only.
PENDING: dict[str, Any] = {
    "results": [
        {"messageId": "12345", "status": {"groupName": "PENDING"}},
        {"messageId": "12347", "status": {"groupName": "PENDING"}},
    ]
}

# samples/infobip_1.json: courier's validStatusDelivered (verbatim apart from the messageId).
MINIMAL: dict[str, Any] = {
    "results": [
        {"messageId": "0191e180-7d60-7000-aded-7d8b151cbd5b", "status": {"groupName": "DELIVERED"}}
    ]
}

# Reconstructed from REPORT: an undeliverable message with a handset error. Status 9
# UNDELIVERABLE_NOT_DELIVERED (group 2) and error 27 EC_ABSENT_SUBSCRIBER (group 1,
# HANDSET_ERRORS, not permanent) from infobip.com/docs/essentials/api-essentials/
# response-status-and-error-codes; the doneAt offset written +0000 as the docs' format says.
UNDELIVERABLE: dict[str, Any] = {
    "results": [
        {
            "bulkId": "BULK-ID-777",
            "messageId": "MESSAGE-ID-777",
            "to": "+385 91 624 2493",
            "sentAt": "2024-03-01T10:00:00.000+0000",
            "doneAt": "2024-03-01T10:05:30.250+0000",
            "messageCount": 1,
            "mccMnc": "21901",
            "callbackData": "order-42",
            "price": {"pricePerMessage": 0.01, "currency": "EUR"},
            "status": {
                "groupId": 2,
                "groupName": "UNDELIVERABLE",
                "id": 9,
                "name": "UNDELIVERABLE_NOT_DELIVERED",
                "description": "Message sent not delivered",
            },
            "error": {
                "groupId": 1,
                "groupName": "HANDSET_ERRORS",
                "id": 27,
                "name": "EC_ABSENT_SUBSCRIBER",
                "description": "Absent Subscriber",
                "permanent": False,
            },
        }
    ]
}

# Reconstructed from REPORT: the intermediate report "delivered to operator" (status id 2,
# message-status-codes page), for a message whose handset report follows.
AT_OPERATOR: dict[str, Any] = copy.deepcopy({"results": [REPORT["results"][0]]})
AT_OPERATOR["results"][0]["status"] = {
    "groupId": 3,
    "groupName": "DELIVERED",
    "id": 2,
    "name": "DELIVERED_TO_OPERATOR",
    "description": "Message delivered to operator",
}
AT_OPERATOR["results"][0]["doneAt"] = "2019-11-09T15:59:00.000+01:00"

# infobip/infobip-api-php-client Test/Api/Sms/SmsWebhookTest.php, testReceiveInboundSmsMessages
# (verbatim): an inbound SMS forwarded to the same kind of URL.
INBOUND: dict[str, Any] = {
    "results": [
        {
            "messageId": "817790313235066447",
            "from": "385916242493",
            "to": "385921004026",
            "text": "QUIZ Correct answer is Paris",
            "cleanText": "Correct answer is Paris",
            "keyword": "QUIZ",
            "receivedAt": "2016-10-06T09:28:39.220+00:00",
            "smsCount": 1,
            "price": {"pricePerMessage": 0, "currency": "EUR"},
            "callbackData": "callbackData",
        }
    ],
    "messageCount": 1,
    "pendingMessageCount": 0,
}

# Reconstructed from INBOUND: the reply is an opt-out keyword.
STOP: dict[str, Any] = copy.deepcopy(INBOUND)
STOP["results"][0].update(messageId="817790313235066448", text="Stop", cleanText="", keyword="")

# Status objects as the docs list them (groupId, groupName, id), for the status table tests.
# infobip.com/docs/essentials/api-essentials/response-status-and-error-codes, "General status
# codes" (via api-evangelist/infobip errors/infobip-error-codes.yml).
DOCUMENTED_NAMES: dict[str, tuple[int, str, int, Status]] = {
    "PENDING_WAITING_DELIVERY": (1, "PENDING", 3, Status.SENT),
    "PENDING_ENROUTE": (1, "PENDING", 7, Status.SENT),
    "PENDING_ACCEPTED": (1, "PENDING", 26, Status.QUEUED),
    "UNDELIVERABLE_REJECTED_OPERATOR": (2, "UNDELIVERABLE", 4, Status.UNDELIVERED),
    "UNDELIVERABLE_NOT_DELIVERED": (2, "UNDELIVERABLE", 9, Status.UNDELIVERED),
    "UNDELIVERABLE_NOT_SENT": (2, "UNDELIVERABLE", 31, Status.UNDELIVERED),
    "DELIVERED_TO_OPERATOR": (3, "DELIVERED", 2, Status.SENT),
    "DELIVERED_TO_HANDSET": (3, "DELIVERED", 5, Status.DELIVERED),
    "EXPIRED_EXPIRED": (4, "EXPIRED", 15, Status.EXPIRED),
    "EXPIRED_DLR_UNKNOWN": (4, "EXPIRED", 29, Status.UNKNOWN),
    "REJECTED_NETWORK": (5, "REJECTED", 6, Status.REJECTED),
    "REJECTED_PREFIX_MISSING": (5, "REJECTED", 8, Status.REJECTED),
    "REJECTED_DND": (5, "REJECTED", 10, Status.REJECTED),
    "REJECTED_SOURCE": (5, "REJECTED", 11, Status.REJECTED),
    "REJECTED_NOT_ENOUGH_CREDITS": (5, "REJECTED", 12, Status.REJECTED),
    "REJECTED_SENDER": (5, "REJECTED", 13, Status.REJECTED),
    "REJECTED_DESTINATION_BLOCKLISTED": (5, "REJECTED", 14, Status.REJECTED),
    "REJECTED_PREPAID_PACKAGE_EXPIRED": (5, "REJECTED", 17, Status.REJECTED),
    "REJECTED_DESTINATION_NOT_REGISTERED": (5, "REJECTED", 18, Status.REJECTED),
    "REJECTED_ROUTE_NOT_AVAILABLE": (5, "REJECTED", 19, Status.REJECTED),
    "REJECTED_FLOODING_FILTER": (5, "REJECTED", 20, Status.REJECTED),
    "REJECTED_SYSTEM_ERROR": (5, "REJECTED", 21, Status.REJECTED),
    "REJECTED_DUPLICATE_MESSAGE_ID": (5, "REJECTED", 23, Status.REJECTED),
    "REJECTED_INVALID_UDH": (5, "REJECTED", 24, Status.REJECTED),
    "REJECTED_MESSAGE_TOO_LONG": (5, "REJECTED", 25, Status.REJECTED),
    "MISSING_TO": (5, "REJECTED", 51, Status.REJECTED),
    "REJECTED_DESTINATION": (5, "REJECTED", 52, Status.REJECTED),
    "UNDELIVERABLE_REJECTED_PLATFORM": (5, "REJECTED", 100, Status.REJECTED),
    # Listed in both the Expired and the Rejected groups: the group decides.
    "SIGNALS_BLOCKED": (5, "REJECTED", 87, Status.REJECTED),
}
# The groups (status.groupName) alone, as courier's test bodies send them, plus ACCEPTED from
# infobip_api_client/models/message_general_status.py.
DOCUMENTED_GROUPS: dict[str, Status] = {
    "ACCEPTED": Status.QUEUED,
    "PENDING": Status.SENT,
    "UNDELIVERABLE": Status.UNDELIVERED,
    "DELIVERED": Status.DELIVERED,
    "EXPIRED": Status.EXPIRED,
    "REJECTED": Status.REJECTED,
}


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


def _status_object(raw: str) -> dict[str, Any]:
    if raw in DOCUMENTED_GROUPS:
        return {"groupName": raw}
    if raw in DOCUMENTED_NAMES:
        group_id, group, status_id, _ = DOCUMENTED_NAMES[raw]
        return {"groupId": group_id, "groupName": group, "id": status_id, "name": raw}
    return {"name": raw}


def _with_status(raw: str) -> dict[str, Any]:
    document = copy.deepcopy({"results": [REPORT["results"][0]]})
    document["results"][0]["status"] = _status_object(raw)
    return document


# -- parse ------------------------------------------------------------------------------------


def test_report_fields() -> None:
    first, second = _events(REPORT)
    assert first.status is Status.DELIVERED
    assert first.provider_status == "DELIVERED_TO_HANDSET"
    assert first.message_id == "MESSAGE-ID-123-xyz"
    assert first.message_key == "id:MESSAGE-ID-123-xyz"
    assert first.recipient == "41793026727"
    assert first.client_ref is None
    # NO_ERROR (id 0) is no error.
    assert (first.error_code, first.error_detail) == (None, None)
    # doneAt, with its +01:00 offset, as UTC.
    assert first.occurred_at == datetime(2019, 11, 9, 15, 0, tzinfo=UTC)
    assert first.occurred_at_raw == "2019-11-09T16:00:00.000+01:00"
    assert second.message_id == "12db39c3-7822-4e72-a3ec-c87442c0ffc5"
    assert second.occurred_at == datetime(2019, 11, 9, 16, 0, tzinfo=UTC)


def test_undeliverable_keeps_error_reference_and_normalized_recipient() -> None:
    event = _event(UNDELIVERABLE)
    assert event.status is Status.UNDELIVERED
    assert event.provider_status == "UNDELIVERABLE_NOT_DELIVERED"
    assert event.error_code == "27"
    assert event.error_detail == "EC_ABSENT_SUBSCRIBER"
    assert event.client_ref == "order-42"
    assert event.recipient == "385916242493"
    # +0000 without a colon, milliseconds kept.
    assert event.occurred_at == datetime(2024, 3, 1, 10, 5, 30, 250000, tzinfo=UTC)


def test_delivered_to_operator_is_sent_despite_its_group() -> None:
    event = _event(AT_OPERATOR)
    assert event.status is Status.SENT
    assert event.provider_status == "DELIVERED_TO_OPERATOR"


def test_group_only_reports_keep_the_group_as_provider_status() -> None:
    events = _events(PENDING)
    assert [(e.status, e.provider_status, e.message_id) for e in events] == [
        (Status.SENT, "PENDING", "12345"),
        (Status.SENT, "PENDING", "12347"),
    ]
    assert all(e.occurred_at is None and e.occurred_at_raw is None for e in events)


@pytest.mark.parametrize("name", sorted(DOCUMENTED_NAMES))
def test_documented_status_names(name: str) -> None:
    expected = DOCUMENTED_NAMES[name][3]
    event = _event(_with_status(name))
    assert (event.status, event.provider_status) == (expected, name)


def test_every_mapped_name_and_group_is_documented_here() -> None:
    # The tables and the documented lists above are the same sets: nothing mapped unchecked.
    assert set(STATUS_NAMES) <= set(DOCUMENTED_NAMES)
    assert set(STATUS_GROUPS) == set(DOCUMENTED_GROUPS)
    assert all(STATUS_NAMES[n] is DOCUMENTED_NAMES[n][3] for n in STATUS_NAMES)


def test_an_unlisted_name_falls_back_to_its_group() -> None:
    document = _with_status("DELIVERED_TO_HANDSET")
    document["results"][0]["status"]["name"] = "UNDELIVERABLE_SOMETHING_NEW"
    document["results"][0]["status"]["groupName"] = "UNDELIVERABLE"
    event = _event(document)
    assert (event.status, event.provider_status) == (
        Status.UNDELIVERED,
        "UNDELIVERABLE_SOMETHING_NEW",
    )


def test_names_and_groups_match_case_insensitively_and_are_kept_as_sent() -> None:
    event = _event(_with_status("delivered_to_operator"))
    assert (event.status, event.provider_status) == (Status.SENT, "delivered_to_operator")
    document = _with_status("x")
    document["results"][0]["status"] = {"groupName": "Rejected"}
    assert (_event(document).status, _event(document).provider_status) == (
        Status.REJECTED,
        "Rejected",
    )


def test_a_status_object_without_name_or_group_is_unknown() -> None:
    document = _with_status("x")
    document["results"][0]["status"] = {"id": 5, "description": "?"}
    event = _event(document)
    assert (event.status, event.provider_status) == (Status.UNKNOWN, None)


def test_sent_at_when_there_is_no_done_at_and_bad_times_are_kept_raw() -> None:
    document = copy.deepcopy(UNDELIVERABLE)
    del document["results"][0]["doneAt"]
    event = _event(document)
    assert event.occurred_at == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert event.occurred_at_raw == "2024-03-01T10:00:00.000+0000"
    document["results"][0]["doneAt"] = "yesterday"
    event = _event(document)
    assert event.occurred_at_raw == "2024-03-01T10:00:00.000+0000"  # the one that parses
    del document["results"][0]["sentAt"]
    event = _event(document)
    assert (event.occurred_at, event.occurred_at_raw) == (None, "yesterday")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ({"id": 0, "name": "NO_ERROR"}, (None, None)),
        ({"id": "0"}, (None, None)),
        ({"name": "NO_ERROR"}, (None, None)),
        ({"id": 603, "name": "EC_CONTENT_BLOCKED"}, ("603", "EC_CONTENT_BLOCKED")),
        ({"id": 4101, "description": "Validity expired"}, ("4101", "Validity expired")),
        ({"name": "EC_SOMETHING"}, (None, "EC_SOMETHING")),
        ("EC_NOT_AN_OBJECT", (None, None)),
        (None, (None, None)),
    ],
)
def test_error_object(error: Any, expected: tuple[str | None, str | None]) -> None:
    document = copy.deepcopy(UNDELIVERABLE)
    document["results"][0]["error"] = error
    event = _event(document)
    assert (event.error_code, event.error_detail) == expected


def test_numeric_message_id_and_callback_data_only_reports() -> None:
    document = {"results": [{"messageId": 817790313235066447, "status": {"groupName": "PENDING"}}]}
    assert _event(document).message_id == "817790313235066447"
    by_ref = {
        "results": [
            {"callbackData": "ref-1", "to": "41793026727", "status": {"groupName": "DELIVERED"}}
        ]
    }
    event = _event(by_ref)
    assert event.message_id is None
    assert event.message_key == "ref:ref-1:41793026727"


def test_unreadable_items_do_not_spoil_the_others() -> None:
    document = {
        "results": [
            7,
            "DELIVERED",
            None,
            {},
            {"messageId": "no-status"},
            {"status": {"groupName": "DELIVERED"}},  # names no message
            {"messageId": "s", "status": "DELIVERED"},  # status not an object
            MINIMAL["results"][0],
            UNDELIVERABLE["results"][0],
        ]
    }
    events = _events(document)
    assert [e.message_id for e in events] == [
        "0191e180-7d60-7000-aded-7d8b151cbd5b",
        "MESSAGE-ID-777",
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"hello": "world"}', "results array"),
        (b'{"results": {"messageId": "1"}}', "results array"),
        (b'[{"messageId": "1", "status": {"groupName": "DELIVERED"}}]', "results array"),
        (b'{"results": []}', "empty results"),
        (b'{"results": [1, "x", {}]}', "no readable Infobip report among 3"),
        (b'"results"', "results array"),
    ],
)
def test_unreadable_bodies_are_payload_errors(body: bytes, reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        adapter.parse(decode("", JSON, body))


def test_an_xml_report_is_a_payload_error() -> None:
    # notifyContentType application/xml is possible (SmsWebhooks.contentType); not read.
    body = b"<reportResponse><results><result><messageId>1</messageId></result></results>"
    body += b"</reportResponse>"
    with pytest.raises(PayloadError, match="results array"):
        adapter.parse(decode("", "application/xml", body))


@pytest.mark.parametrize(
    ("item", "events", "inbound"),
    [
        ({"messageId": ["a"], "status": {"groupName": ["DELIVERED"], "name": {"x": 1}}}, 0, 0),
        ({"messageId": True, "callbackData": 1.5, "status": {"name": 5}}, 1, 0),
        ({"messageId": "1", "status": {}, "doneAt": 17, "sentAt": ["x"], "to": {"a": 1}}, 1, 0),
        ({"messageId": "1", "status": {"name": None}, "error": {"id": [], "name": {}}}, 1, 0),
        ({"messageId": "1", "status": {"groupName": "\ud800"}, "error": {"id": 1e400}}, 1, 0),
        ({"from": ["x"], "text": 5}, 0, 0),
        ({"from": "385916242493", "text": ["STOP"], "receivedAt": {}}, 0, 1),
    ],
)
def test_odd_shapes_are_read_or_refused_never_crash(
    item: dict[str, Any], events: int, inbound: int
) -> None:
    if not events and not inbound:
        with pytest.raises(PayloadError):
            _parse({"results": [item]})
        return
    result = _parse({"results": [item]})
    assert (len(result.events), len(result.inbound)) == (events, inbound)
    assert all(e.status is Status.UNKNOWN for e in result.events)
    assert all(not m.is_opt_out and m.text is None for m in result.inbound)


def test_inbound_message() -> None:
    message = _inbound(INBOUND)
    assert message.sender == "385916242493"
    assert message.recipient == "385921004026"
    assert message.text == "QUIZ Correct answer is Paris"
    assert message.message_id == "817790313235066447"
    assert message.occurred_at == datetime(2016, 10, 6, 9, 28, 39, 220000, tzinfo=UTC)
    assert not message.is_opt_out and message.keyword is None


def test_inbound_stop_is_an_opt_out() -> None:
    message = _inbound(STOP)
    assert message.is_opt_out
    assert message.keyword == "STOP"


def test_declares_its_tables_and_key() -> None:
    assert InfobipAdapter.status_maps == {
        "status.name": STATUS_NAMES,
        "status.groupName": STATUS_GROUPS,
    }
    assert InfobipAdapter.keyed_by == "messageId"


# -- through the app --------------------------------------------------------------------------


def _post(client: TestClient, body: bytes, slug: str = "infobip") -> Any:
    return client.post(f"/callbacks/{slug}/{TOKEN}", content=body, headers={"content-type": JSON})


def _batch(size: int) -> bytes:
    """`size` reports shaped like REPORT's first, each for its own message."""
    items = []
    for n in range(size):
        item = copy.deepcopy(REPORT["results"][0])
        item["messageId"] = f"2033247207850523791{n:06d}"
        item["to"] = f"4179302{n:05d}"
        items.append(item)
    return json.dumps({"results": items}, indent=2).encode()


def test_max_body_is_two_mib() -> None:
    assert InfobipAdapter.max_body == 2 * 1024 * 1024


def test_a_default_size_batch_of_100_is_over_the_default_limit_and_accepted(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    body = _batch(100)
    assert len(body) > 64 * 1024  # would be refused by the default limit
    assert _post(client, body).status_code == 200
    assert rows(db, "SELECT parse_error FROM callbacks") == [{"parse_error": None}]
    count = rows(db, "SELECT count(*) AS n FROM delivery_events WHERE provider = 'infobip'")
    assert count[0]["n"] == 100


def test_a_raised_bucket_of_1000_is_accepted(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    body = _batch(1000)
    limit = InfobipAdapter.max_body
    assert limit is not None and len(body) < limit
    response = _post(client, body)
    assert response.status_code == 200
    assert response.content == b"OK"
    count = rows(db, "SELECT count(*) AS n FROM messages WHERE provider = 'infobip'")
    assert count[0]["n"] == 1000


def test_the_default_limit_still_applies_to_other_providers(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    assert _post(client, _batch(100), slug="smartswitch").status_code == 413


def test_a_partly_readable_batch_is_stored_without_error(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    body = _body(
        {"results": [UNDELIVERABLE["results"][0], {"messageId": 1}, [], MINIMAL["results"][0]]}
    )
    assert _post(client, body).status_code == 200
    assert rows(db, "SELECT parse_error FROM callbacks") == [{"parse_error": None}]
    stored = rows(db, "SELECT status FROM delivery_events ORDER BY status")
    assert [row["status"] for row in stored] == ["delivered", "undelivered"]


def test_a_late_operator_report_does_not_undo_the_handset_report(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    handset = {"results": [REPORT["results"][0]]}
    for document in (handset, AT_OPERATOR, handset):  # out of order, then a retry
        assert _post(client, _body(document)).status_code == 200
    events = rows(db, "SELECT provider_status FROM delivery_events ORDER BY provider_status")
    assert [row["provider_status"] for row in events] == [
        "DELIVERED_TO_HANDSET",
        "DELIVERED_TO_OPERATOR",
    ]
    message = rows(db, "SELECT message_key, status, provider_status FROM messages")
    assert message == [
        {
            "message_key": "id:MESSAGE-ID-123-xyz",
            "status": "delivered",
            "provider_status": "DELIVERED_TO_HANDSET",
        }
    ]


# -- the shared contract ----------------------------------------------------------------------


class TestInfobipContract(ProviderContract):
    slug = "infobip"
    fixtures = (
        Fixture(
            "delivery report batch",
            "infobip/infobip-api-php-client Test/Api/Sms/SmsWebhookTest.php (verbatim)",
            body=_body(REPORT),
            content_type=JSON,
            events=(
                Expected(Status.DELIVERED, "DELIVERED_TO_HANDSET", message_id="MESSAGE-ID-123-xyz"),
                Expected(
                    Status.DELIVERED,
                    "DELIVERED_TO_HANDSET",
                    message_id="12db39c3-7822-4e72-a3ec-c87442c0ffc5",
                    recipient="41793026834",
                ),
            ),
        ),
        Fixture(
            "group-only pending reports",
            "nyaruka/courier handlers/infobip/handler_test.go validStatusPending (verbatim)",
            body=_body(PENDING),
            content_type=JSON,
            events=(
                Expected(Status.SENT, "PENDING", message_id="12345"),
                Expected(Status.SENT, "PENDING", message_id="12347"),
            ),
        ),
        Fixture(
            "delivered to operator",
            "reconstructed from the SDK test body; status 2 from infobip.com/docs/"
            "developer-resources/api-fundamentals/message-status-codes",
            body=_body(AT_OPERATOR),
            content_type=JSON,
            events=(Expected(Status.SENT, "DELIVERED_TO_OPERATOR"),),
        ),
        Fixture(
            "undeliverable with error",
            "reconstructed; status 9 and error 27 from infobip.com/docs/essentials/"
            "api-essentials/response-status-and-error-codes",
            body=_body(UNDELIVERABLE),
            content_type=JSON,
            events=(
                Expected(
                    Status.UNDELIVERED,
                    "UNDELIVERABLE_NOT_DELIVERED",
                    message_id="MESSAGE-ID-777",
                    client_ref="order-42",
                    recipient="385916242493",
                    error_code="27",
                ),
            ),
        ),
        Fixture(
            "inbound SMS",
            "infobip/infobip-api-php-client Test/Api/Sms/SmsWebhookTest.php (verbatim)",
            body=_body(INBOUND),
            content_type=JSON,
            inbound=(("385916242493", False),),
        ),
        Fixture(
            "inbound STOP",
            "reconstructed from the inbound SMS body",
            body=_body(STOP),
            content_type=JSON,
            inbound=(("385916242493", True),),
        ),
    )
    statuses = tuple(DOCUMENTED_GROUPS.items()) + tuple(
        (name, expected) for name, (_, _, _, expected) in DOCUMENTED_NAMES.items()
    )
    wrong_shape = Fixture("no results array", "invented", b'{"hello": "world"}', JSON)

    def with_status(self, raw_status: str) -> Fixture:
        return Fixture(raw_status, "REPORT's first item", _body(_with_status(raw_status)), JSON)
