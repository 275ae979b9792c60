from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from receiver.providers.dynmark import DynmarkAdapter
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, InboundMessage, PayloadError
from receiver.status import Status
from tests.contract import Expected, Fixture, ProviderContract

adapter = DynmarkAdapter()

# reconstructed from ReceiptServlet.java field names in comapi/ddg-cpaas-quickstarts
# (samples/dynmark_1.txt: GET query, no body)
RECEIPT_QUERY = (
    "datetime=2016-05-05T10%3A30%3A56.143&recipient=447700900123&statusid=1"
    "&statusdescription=Delivered+to+handset.&clientref=msg-1"
)
# reconstructed from InboundServlet.java field names in comapi/ddg-cpaas-quickstarts
# (samples/dynmark_2.txt: GET query, no body)
INBOUND_QUERY = (
    "msgid=123456789&datetime=05+May+2016+10%3A30%3A56&sender=447700900123"
    "&recipient=447700900999&content=Hello+there"
)


def _event(query: str, content_type: str | None = None, body: bytes = b"") -> DeliveryEvent:
    result = adapter.parse(decode(query, content_type, body))
    assert result.inbound == ()
    assert len(result.events) == 1
    return result.events[0]


def _inbound(query: str, content_type: str | None = None, body: bytes = b"") -> InboundMessage:
    result = adapter.parse(decode(query, content_type, body))
    assert result.events == ()
    assert len(result.inbound) == 1
    return result.inbound[0]


def test_documented_receipt() -> None:
    event = _event(RECEIPT_QUERY)
    assert event.status is Status.DELIVERED
    assert event.provider_status == "1"
    assert event.client_ref == "msg-1"
    assert event.recipient == "447700900123"
    assert event.message_id is None
    assert event.occurred_at == datetime(2016, 5, 5, 10, 30, 56, 143000, tzinfo=UTC)
    assert event.occurred_at_raw == "2016-05-05T10:30:56.143"
    # Delivered: the description explains nothing.
    assert event.error_detail is None
    assert event.key == "ref:msg-1:447700900123"
    assert event.message_key == "ref:msg-1:447700900123"


# Variants below: values from the statusid table at
# docs.cpaas.dotdigital.com/reference/sms-message-statuses.
@pytest.mark.parametrize(
    ("statusid", "expected"),
    [
        ("1", Status.DELIVERED),
        ("2", Status.EXPIRED),
        ("3", Status.SENT),
        ("4", Status.REJECTED),
        ("5", Status.UNDELIVERED),
        ("6", Status.UNDELIVERED),
        ("7", Status.REJECTED),
        ("8", Status.REJECTED),
        ("9", Status.UNKNOWN),
        ("10", Status.QUEUED),
        ("11", Status.UNDELIVERED),
        ("12", Status.REJECTED),
        ("13", Status.REJECTED),
    ],
)
def test_every_documented_statusid(statusid: str, expected: Status) -> None:
    event = _event(f"statusid={statusid}&clientref=r&recipient=447700900123")
    assert event.status is expected
    assert event.provider_status == statusid


def test_failure_keeps_description_as_error_detail() -> None:
    event = _event(
        "datetime=2016-05-05T10%3A31%3A00.000&recipient=%2B44+7700+900123&statusid=6"
        "&statusdescription=Sent+to+handset+with+full+SIM.&clientref=msg-2"
    )
    assert event.status is Status.UNDELIVERED
    assert event.error_detail == "Sent to handset with full SIM."
    # "+44 7700 900123" normalized, so the key matches the one stored at send time.
    assert event.recipient == "447700900123"
    assert event.key == "ref:msg-2:447700900123"


def test_intermediate_status_has_no_error_detail() -> None:
    event = _event("statusid=3&statusdescription=Sent.&clientref=msg-3&recipient=447700900123")
    assert event.status is Status.SENT
    assert event.error_detail is None


def test_unmapped_statusid_is_unknown_and_kept() -> None:
    event = _event("statusid=99&statusdescription=Mystery&clientref=msg-4&recipient=1")
    assert event.status is Status.UNKNOWN
    assert event.provider_status == "99"
    event = _event("statusid=delivered&clientref=msg-4")
    assert event.status is Status.UNKNOWN
    assert event.provider_status == "delivered"


def test_missing_statusid_is_a_payload_error() -> None:
    with pytest.raises(PayloadError, match="statusid"):
        adapter.parse(decode("clientref=msg-5&recipient=447700900123", None, b""))


def test_empty_request_is_a_payload_error() -> None:
    with pytest.raises(PayloadError):
        adapter.parse(decode("", None, b""))


def test_datetime_without_fraction_and_bad_datetime() -> None:
    event = _event("statusid=1&clientref=a&datetime=2016-05-05T10:30:56")
    assert event.occurred_at == datetime(2016, 5, 5, 10, 30, 56, tzinfo=UTC)
    event = _event("statusid=1&clientref=a&datetime=yesterday")
    assert event.occurred_at is None
    assert event.occurred_at_raw == "yesterday"


@pytest.mark.parametrize("name", ["clientreference", "clientRef", "ClientRef"])
def test_client_ref_aliases(name: str) -> None:
    event = _event(f"statusid=1&{name}=abc&recipient=447700900123")
    assert event.client_ref == "abc"
    assert event.key == "ref:abc:447700900123"


def test_keyed_by_reference_even_when_transaction_id_is_present() -> None:
    event = _event("statusid=1&clientref=abc&recipient=447700900123&transactionid=T-77")
    assert event.message_id == "T-77"
    assert event.key == "ref:abc:447700900123"


def test_transaction_id_keys_when_there_is_no_reference() -> None:
    event = _event("statusid=1&recipient=447700900123&transactionid=T-78")
    assert event.client_ref is None
    assert event.key == "id:T-78"


def test_receipt_as_form_post() -> None:
    body = b"statusid=2&statusdescription=Not+delivered+during+validity+period.&clientref=f1"
    event = _event("", "application/x-www-form-urlencoded", body)
    assert event.status is Status.EXPIRED
    assert event.error_detail == "Not delivered during validity period."


def test_receipt_as_json_post() -> None:
    body = b'{"statusid": 4, "clientref": "j1", "recipient": "447700900123"}'
    event = _event("", "application/json", body)
    assert event.status is Status.REJECTED
    assert event.provider_status == "4"
    assert event.key == "ref:j1:447700900123"


def test_messagetext_is_not_mistaken_for_inbound() -> None:
    event = _event("statusid=1&clientref=m&messagetext=Hello")
    assert event.status is Status.DELIVERED


def test_documented_inbound() -> None:
    message = _inbound(INBOUND_QUERY)
    assert message.message_id == "123456789"
    assert message.sender == "447700900123"
    assert message.recipient == "447700900999"
    assert message.text == "Hello there"
    assert message.occurred_at == datetime(2016, 5, 5, 10, 30, 56, tzinfo=UTC)
    assert message.occurred_at_raw == "05 May 2016 10:30:56"
    assert message.is_opt_out is False
    assert message.keyword is None


def test_inbound_opt_out() -> None:
    message = _inbound("msgid=5&sender=447700900123&recipient=60000&content=stop")
    assert message.is_opt_out is True
    assert message.keyword == "STOP"


def test_inbound_with_empty_content_is_still_inbound() -> None:
    message = _inbound("msgid=6&sender=447700900123&recipient=60000&content=")
    assert message.text is None
    assert message.message_id == "6"


class TestDynmarkContract(ProviderContract):
    slug = "dynmark"
    fixtures = (
        Fixture(
            "receipt forwarding",
            "samples/dynmark_1.txt: reconstructed from ReceiptServlet.java (doGet) in "
            "comapi/ddg-cpaas-quickstarts; field names verbatim, values invented",
            query=RECEIPT_QUERY,
            method="GET",
            events=(Expected(Status.DELIVERED, "1", client_ref="msg-1", recipient="447700900123"),),
        ),
        Fixture(
            "inbound forwarding",
            "samples/dynmark_2.txt: reconstructed from InboundServlet.java (doGet) in "
            "comapi/ddg-cpaas-quickstarts; field names verbatim, values invented",
            query=INBOUND_QUERY,
            method="GET",
            inbound=(("447700900123", False),),
        ),
        Fixture(
            "inbound opt-out",
            "variant of the inbound forwarding fixture with content=STOP",
            query=INBOUND_QUERY.replace("content=Hello+there", "content=STOP"),
            method="GET",
            inbound=(("447700900123", True),),
        ),
    )
    # The statusid table at docs.cpaas.dotdigital.com/reference/sms-message-statuses
    # (NOTES §1.3); the normalized column is ours.
    statuses = (
        ("1", Status.DELIVERED),
        ("2", Status.EXPIRED),
        ("3", Status.SENT),
        ("4", Status.REJECTED),
        ("5", Status.UNDELIVERED),
        ("6", Status.UNDELIVERED),
        ("7", Status.REJECTED),
        ("8", Status.REJECTED),
        ("9", Status.UNKNOWN),
        ("10", Status.QUEUED),
        ("11", Status.UNDELIVERED),
        ("12", Status.REJECTED),
        ("13", Status.REJECTED),
    )
    # statusid is an integer: an unlisted one is the realistic unmapped value (the non-numeric
    # case is test_unmapped_statusid_is_unknown_and_kept above).
    unmapped_status = "99"
    wrong_shape = Fixture(
        "no receipt or inbound fields", "invented", query="hello=world", method="GET"
    )

    def with_status(self, raw_status: str) -> Fixture:
        query = urlencode({"statusid": raw_status, "clientref": "r", "recipient": "447700900123"})
        return Fixture(raw_status, "as the receipt forwarding fixture", query=query, method="GET")
