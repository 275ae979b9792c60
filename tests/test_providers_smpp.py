from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from receiver.providers.smpp import SmppAdapter
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, PayloadError
from receiver.status import Status
from tests.contract import Expected, Fixture, ProviderContract

adapter = SmppAdapter()
FORM = "application/x-www-form-urlencoded"

# help.nexmo.com "How to read a Nexmo SMPP Delivery Receipt" (verbatim)
NEXMO = (
    "id:0000000012345678 sub:001 dlvrd:001 submit date:1601010100 done date:1601010101 "
    "stat:DELIVRD err:000 text:none"
)
# e-com-net.com/article/2299106.htm (verbatim)
UNDELIV = (
    "id:0911897980 sub:001 dlvrd:000 submit date:1201121551 done date:1201121551 "
    "stat:UNDELIV err:075 text:-PROFILE"
)
# wiki.cdyne.com SMS_Delivery_Receipt_Postback receipt text (verbatim)
CDYNE = (
    "sm: msg: id:18579674100201040 sub:001 dlvrd:001 submit date:1209281334 done\n"
    "date:1209281334 stat:DELIVERED TO CARRIER err:003 text:"
)


def _event(query: str, content_type: str | None, body: bytes) -> DeliveryEvent:
    result = adapter.parse(decode(query, content_type, body))
    assert result.inbound == ()
    assert len(result.events) == 1
    return result.events[0]


def test_plain_text_body() -> None:
    event = _event("", "text/plain", NEXMO.encode())
    assert event.status is Status.DELIVERED
    assert event.provider_status == "DELIVRD"
    assert event.message_id == "0000000012345678"  # zeros kept
    assert event.error_code == "000"
    assert event.occurred_at == datetime(2016, 1, 1, 1, 1, tzinfo=UTC)
    assert event.occurred_at_raw == "1601010101"


def test_body_without_content_type() -> None:
    event = _event("", None, UNDELIV.encode())
    assert event.status is Status.UNDELIVERED
    assert event.error_code == "075"


def test_text_body_with_query_extras() -> None:
    event = _event("ref=OUR-REF-42&to=%2B447700900123", "text/plain", CDYNE.encode())
    assert event.status is Status.SENT
    assert event.provider_status == "DELIVERED TO CARRIER"
    assert event.client_ref == "OUR-REF-42"
    assert event.recipient == "447700900123"


@pytest.mark.parametrize(
    "name", ["receipt", "dlr", "text", "short_message", "message", "msg", "body", "sms"]
)
def test_receipt_in_a_form_field(name: str) -> None:
    event = _event("", FORM, urlencode({name: UNDELIV, "client_ref": "c-1"}).encode())
    assert event.message_id == "0911897980"
    assert event.status is Status.UNDELIVERED
    assert event.client_ref == "c-1"


def test_receipt_in_query_string() -> None:
    # reconstructed from Kannel's dlr-url escapes (%A carries the receipt text), kannel_2.txt
    query = urlencode(
        {
            "answer": "id:0A1B2C3D sub:001 dlvrd:001 submit date:2311031438 "
            "done date:2311031439 stat:DELIVRD err:000 text:Hello",
            "recipient": "447700900123",
        }
    )
    event = _event(query, None, b"")
    assert event.message_id == "0A1B2C3D"
    assert event.status is Status.DELIVERED
    assert event.recipient == "447700900123"


def test_field_that_is_not_a_receipt_is_skipped() -> None:
    body = urlencode({"text": "Hello world", "dlr": "id:5 stat:EXPIRED err:008"}).encode()
    event = _event("", FORM, body)
    assert event.message_id == "5"
    assert event.status is Status.EXPIRED


def test_tlvs_win_over_text() -> None:
    body = urlencode(
        {"receipt": NEXMO, "receipted_message_id": "12345678", "message_state": "5"}
    ).encode()
    event = _event("", FORM, body)
    assert event.message_id == "12345678"
    assert event.status is Status.UNDELIVERED
    assert event.provider_status == "UNDELIVERABLE"
    # What the TLVs do not carry still comes from the text.
    assert event.error_code == "000"
    assert event.occurred_at == datetime(2016, 1, 1, 1, 1, tzinfo=UTC)


def test_tlvs_alone_are_enough() -> None:
    event = _event("receipted_message_id=+abc+&message_state=2", None, b"")
    assert event.message_id == "abc"
    assert event.status is Status.DELIVERED
    assert event.occurred_at is None


def test_unmapped_state_and_stat_are_unknown_and_kept() -> None:
    event = _event("receipted_message_id=x&message_state=17", None, b"")
    assert event.status is Status.UNKNOWN
    assert event.provider_status == "17"
    event = _event("", "text/plain", b"id:9 stat:WEIRD err:001")
    assert event.status is Status.UNKNOWN
    assert event.provider_status == "WEIRD"


def test_receipt_without_stat() -> None:
    event = _event("", "text/plain", b"id:9 err:001")
    assert event.status is Status.UNKNOWN
    assert event.provider_status is None
    assert event.message_id == "9"


@pytest.mark.parametrize(
    ("query", "content_type", "body"),
    [
        ("", "text/plain", b"nothing to see here"),
        ("", FORM, b"text=hello&to=447700900123"),
        ("receipted_message_id=abc", None, b""),  # a state is needed too
        ("", "application/json", b'{"status": "DELIVRD"}'),
        ("", None, b""),
    ],
)
def test_no_receipt_is_a_payload_error(query: str, content_type: str | None, body: bytes) -> None:
    with pytest.raises(PayloadError, match="receipt"):
        adapter.parse(decode(query, content_type, body))


# message_state TLV (0x0427) values, SMPP v3.4 §5.2.28 (0 and 9 from v5.0), NOTES §3.2: the
# contract's `statuses` cannot hold them, as provider_status is the state's name, not the number.
@pytest.mark.parametrize(
    ("state", "name", "expected"),
    [
        ("0", "SCHEDULED", Status.QUEUED),
        ("1", "ENROUTE", Status.SENT),
        ("2", "DELIVERED", Status.DELIVERED),
        ("3", "EXPIRED", Status.EXPIRED),
        ("4", "DELETED", Status.UNDELIVERED),
        ("5", "UNDELIVERABLE", Status.UNDELIVERED),
        ("6", "ACCEPTED", Status.QUEUED),
        ("7", "UNKNOWN", Status.UNKNOWN),
        ("8", "REJECTED", Status.REJECTED),
        ("9", "SKIPPED", Status.UNDELIVERED),
    ],
)
def test_every_message_state_tlv(state: str, name: str, expected: Status) -> None:
    event = _event(f"receipted_message_id=abc&message_state={state}", None, b"")
    assert event.status is expected
    assert event.provider_status == name


def _text_receipt(stat: str) -> bytes:
    """The Nexmo receipt (help.nexmo.com, verbatim) with `stat` in place of DELIVRD."""
    return NEXMO.replace("stat:DELIVRD", f"stat:{stat}").encode()


class TestSmppContract(ProviderContract):
    slug = "smpp"
    fixtures = (
        Fixture(
            "plain-text receipt",
            'help.nexmo.com "How to read a Nexmo SMPP Delivery Receipt" (verbatim text; '
            "sent as a text/plain body by a bridge: reconstructed)",
            body=NEXMO.encode(),
            content_type="text/plain",
            events=(
                Expected(
                    Status.DELIVERED, "DELIVRD", message_id="0000000012345678", error_code="000"
                ),
            ),
        ),
        Fixture(
            "receipt in a form field",
            "e-com-net.com/article/2299106.htm (verbatim text; form wrapping reconstructed)",
            body=urlencode({"receipt": UNDELIV, "client_ref": "c-1"}).encode(),
            content_type=FORM,
            events=(
                Expected(
                    Status.UNDELIVERED,
                    "UNDELIV",
                    message_id="0911897980",
                    client_ref="c-1",
                    error_code="075",
                ),
            ),
        ),
        Fixture(
            "vendor receipt with query extras",
            "wiki.cdyne.com SMS_Delivery_Receipt_Postback receipt text (verbatim); query "
            "fields ref/to as in samples/kannel_2.txt (reconstructed)",
            body=CDYNE.encode(),
            content_type="text/plain",
            query="ref=OUR-REF-42&to=%2B447700900123",
            events=(
                Expected(
                    Status.SENT,
                    "DELIVERED TO CARRIER",
                    message_id="18579674100201040",
                    client_ref="OUR-REF-42",
                    recipient="447700900123",
                    error_code="003",
                ),
            ),
        ),
        Fixture(
            "receipt with TLVs",
            "Nexmo text (verbatim) with receipted_message_id and message_state TLVs "
            "(SMPP v3.4 §5.2.28; reconstructed)",
            body=urlencode(
                {"receipt": NEXMO, "receipted_message_id": "12345678", "message_state": "3"}
            ).encode(),
            content_type=FORM,
            events=(Expected(Status.EXPIRED, "EXPIRED", message_id="12345678"),),
        ),
    )
    # `stat` values: SMPP v3.4 Appendix B and §5.2.28 names (NOTES §3.2), then the vendor
    # values receiver/smpp_receipt.py lists (Kannel handle_dlr, CDYNE, messente/Ozeki).
    statuses = (
        ("ENROUTE", Status.SENT),
        ("DELIVRD", Status.DELIVERED),
        ("EXPIRED", Status.EXPIRED),
        ("DELETED", Status.UNDELIVERED),
        ("UNDELIV", Status.UNDELIVERED),
        ("ACCEPTD", Status.QUEUED),  # NOTES: "accepted"; we have no such status
        ("UNKNOWN", Status.UNKNOWN),
        ("REJECTD", Status.REJECTED),
        ("SKIPPED", Status.UNDELIVERED),
        ("SCHEDULED", Status.QUEUED),
        ("DELIVERED", Status.DELIVERED),
        ("ACCEPTED", Status.QUEUED),
        ("UNDELIVERABLE", Status.UNDELIVERED),
        ("REJECTED", Status.REJECTED),
        ("FAILED", Status.UNDELIVERED),
        ("NACK", Status.REJECTED),
        ("ACKED", Status.SENT),
        ("BUFFRED", Status.SENT),
        ("BUFFERD", Status.SENT),
        ("BUFFERED", Status.SENT),
        ("DELIVERED TO CARRIER", Status.SENT),
    )
    unmapped_status = "WEIRD"
    wrong_shape = Fixture(
        "text without receipt keys", "invented", b"Hello, this is not a receipt", "text/plain"
    )

    def with_status(self, raw_status: str) -> Fixture:
        return Fixture(
            raw_status, "as the plain-text receipt", _text_receipt(raw_status), "text/plain"
        )
