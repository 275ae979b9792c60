from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from receiver.providers.cdyne import CdyneAdapter
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status
from tests.contract import Expected, Fixture, ProviderContract

adapter = CdyneAdapter()
FORM = "application/x-www-form-urlencoded"

# wiki.cdyne.com SMS_Message_Sent_Postback (verbatim)
SENT = (
    b"SMSSent=1&MessageID=9a35e913-ded0-7574-4642-5f60c550c706&ReferenceID=12345"
    b"&FromPhoneNumber=17575449510&ToPhoneNumber=17575449511&SentTime=5%2f8%2f2010+2%3a42%3a36+AM"
)
# wiki.cdyne.com SMS_Delivery_Receipt_Postback (verbatim; the wiki shows it not url-encoded,
# with a line break inside "done date")
RECEIPT = (
    b"DeliveryReceipt=1&MessageID=f880e00b-3a14-484c-80e7-ca6aa29a2f7a&ReferenceID="
    b"&FromPhoneNumber=74121&ToPhoneNumber=17572373369&DeliveryReceiptMessage=sm: msg: "
    b"id:18579674100201040 sub:001 dlvrd:001 submit date:1209281334 done\n"
    b"date:1209281334 stat:DELIVERED TO CARRIER err:003 text:&Code=003"
)
# wiki.cdyne.com SMS_Message_Response_Postback (verbatim)
RESPONSE = (
    b"SMSResponse=1&MessageID=9a35e913-ded0-7574-4642-5f60c550c706"
    b"&MatchedMessageID=11111111-2222-1111-2222-000000000004&ReferenceID="
    b"&FromPhoneNumber=17575449510&ToPhoneNumber=17575449511"
    b"&ResponseReceiveDate=5%2f8%2f2010+2%3a42%3a36+AM&Message=Test"
)
# esendex.us/docs/sms-api/api/types/SMSDeliveryReceiptPostback sample DeliveryReceiptMessage
# (verbatim value, shown there with Code=003)
ESENDEX_RECEIPT_TEXT = (
    "id:1111111111 sub:001 dlvrd:001 submit date:2306132307 done date:2306132307 "
    "stat:enroute err:000 text:short message"
)


def _parse(body: bytes) -> Normalized:
    return adapter.parse(decode("", FORM, body))


def _event(body: bytes) -> DeliveryEvent:
    result = _parse(body)
    assert result.inbound == ()
    assert len(result.events) == 1
    return result.events[0]


def _inbound(body: bytes) -> InboundMessage:
    result = _parse(body)
    assert result.events == ()
    assert len(result.inbound) == 1
    return result.inbound[0]


def _receipt(code: str | None, message: str | None, flag: str = "DeliveryReceipt") -> bytes:
    fields = {flag: "1", "MessageID": "m-1", "ReferenceID": "r-1", "ToPhoneNumber": "17572373369"}
    if message is not None:
        fields["DeliveryReceiptMessage"] = message
    if code is not None:
        fields["Code"] = code
    return urlencode(fields).encode()


def test_documented_sent() -> None:
    event = _event(SENT)
    assert event.status is Status.SENT
    assert event.provider_status == "SMSSent=1"
    assert event.message_id == "9a35e913-ded0-7574-4642-5f60c550c706"
    assert event.client_ref == "12345"
    assert event.recipient == "17575449511"
    assert event.occurred_at == datetime(2010, 5, 8, 2, 42, 36, tzinfo=UTC)
    assert event.occurred_at_raw == "5/8/2010 2:42:36 AM"


def test_sent_zero_is_rejected_and_pm_times_parse() -> None:
    # Variant of the wiki packet: SMSSent=0 when the aggregator refused the message.
    event = _event(SENT.replace(b"SMSSent=1", b"SMSSent=0").replace(b"+AM", b"+PM"))
    assert event.status is Status.REJECTED
    assert event.provider_status == "SMSSent=0"
    assert event.occurred_at == datetime(2010, 5, 8, 14, 42, 36, tzinfo=UTC)


def test_documented_delivery_receipt() -> None:
    event = _event(RECEIPT)
    assert event.status is Status.SENT
    assert event.provider_status == "003"
    assert event.error_code == "003"
    assert event.error_detail == "DELIVERED TO CARRIER"
    assert event.message_id == "f880e00b-3a14-484c-80e7-ca6aa29a2f7a"
    assert event.client_ref is None  # ReferenceID= is empty
    assert event.recipient == "17572373369"
    assert event.occurred_at == datetime(2012, 9, 28, 13, 34, tzinfo=UTC)
    assert event.occurred_at_raw == "1209281334"


def test_esendex_receipt_text_with_code() -> None:
    event = _event(_receipt("003", ESENDEX_RECEIPT_TEXT))
    assert event.status is Status.SENT
    assert event.error_detail == "enroute"
    assert event.client_ref == "r-1"
    assert event.occurred_at == datetime(2023, 6, 13, 23, 7, tzinfo=UTC)


# Codes from esendex.us/docs/sms-api/api/types/DeliveryReceiptCode and the legacy wiki list.
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("000", Status.DELIVERED),
        ("003", Status.SENT),
        ("004", Status.QUEUED),
        ("005", Status.UNDELIVERED),
        ("008", Status.EXPIRED),
        ("015", Status.REJECTED),
        ("017", Status.REJECTED),
        ("021", Status.REJECTED),
        ("023", Status.REJECTED),
        ("024", Status.UNDELIVERED),
        ("028", Status.UNDELIVERED),
        ("029", Status.UNDELIVERED),
        ("030", Status.UNDELIVERED),
        ("032", Status.REJECTED),
        ("090", Status.REJECTED),
        ("091", Status.REJECTED),
        ("999", Status.UNKNOWN),
        ("8", Status.EXPIRED),  # unpadded
    ],
)
def test_receipt_codes(code: str, expected: Status) -> None:
    event = _event(_receipt(code, None))
    assert event.status is expected
    assert event.provider_status == code
    assert event.error_code == code


def test_unlisted_code_without_text_is_unknown_and_kept() -> None:
    event = _event(_receipt("077", None))
    assert event.status is Status.UNKNOWN
    assert event.provider_status == "077"


def test_unlisted_code_falls_back_to_the_receipt_stat() -> None:
    # The wiki warns carriers send codes outside the list; the stat still says what happened.
    event = _event(_receipt("075", "id:1 stat:UNDELIV err:075"))
    assert event.status is Status.UNDELIVERED
    assert event.provider_status == "075"


def test_listed_code_wins_over_stat() -> None:
    event = _event(_receipt("000", "id:1 stat:UNDELIV err:000"))
    assert event.status is Status.DELIVERED


def test_missing_code_uses_receipt_stat() -> None:
    event = _event(_receipt(None, "id:1 done date:2401020304 stat:EXPIRED err:008"))
    assert event.status is Status.EXPIRED
    assert event.provider_status == "EXPIRED"
    assert event.error_code is None
    assert event.occurred_at == datetime(2024, 1, 2, 3, 4, tzinfo=UTC)


def test_missing_code_and_message_is_unknown() -> None:
    event = _event(_receipt(None, None))
    assert event.status is Status.UNKNOWN
    assert event.provider_status is None
    assert event.message_id == "m-1"


def test_mms_receipt_with_plain_word() -> None:
    # esendex.us MMSDeliveryReceiptPostback: DeliveryReceiptMessage "DeliveredToDevice", Code 000
    event = _event(_receipt("000", "DeliveredToDevice", flag="MMSDeliveryReceipt"))
    assert event.status is Status.DELIVERED
    assert event.error_detail == "DeliveredToDevice"
    assert event.occurred_at is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("DeliveredToDevice", Status.DELIVERED),
        ("DeliveredToCarrier", Status.SENT),
        ("UndelivOrDeleted", Status.UNDELIVERED),
        ("BadAddress", Status.REJECTED),
        ("RecipientExceededCarrierThrottle", Status.UNDELIVERED),
        ("Expired", Status.EXPIRED),
        ("Gibberish", Status.UNKNOWN),
    ],
)
def test_mms_plain_word_without_code(word: str, expected: Status) -> None:
    event = _event(_receipt(None, word, flag="MMSDeliveryReceipt"))
    assert event.status is expected
    assert event.provider_status == word


def test_documented_response() -> None:
    message = _inbound(RESPONSE)
    assert message.message_id == "9a35e913-ded0-7574-4642-5f60c550c706"
    assert message.related_message_id == "11111111-2222-1111-2222-000000000004"
    assert message.related_client_ref is None
    assert message.sender == "17575449510"
    assert message.recipient == "17575449511"
    assert message.text == "Test"
    assert message.occurred_at == datetime(2010, 5, 8, 2, 42, 36, tzinfo=UTC)
    assert message.is_opt_out is False


NIL_GUID = b"00000000-0000-0000-0000-000000000000"


def test_unmatched_response_and_opt_out() -> None:
    body = (
        RESPONSE.replace(b"11111111-2222-1111-2222-000000000004", NIL_GUID)
        .replace(b"Message=Test", b"Message=Stop")
        .replace(b"ReferenceID=", b"ReferenceID=ref-9")
    )
    message = _inbound(body)
    assert message.related_message_id is None
    assert message.related_client_ref == "ref-9"
    assert message.is_opt_out is True
    assert message.keyword == "STOP"


def test_mms_response_and_mms_sent() -> None:
    message = _inbound(RESPONSE.replace(b"SMSResponse=1", b"MMSResponse=1"))
    assert message.text == "Test"
    event = _event(SENT.replace(b"SMSSent=1", b"MMSSent=1"))
    assert event.status is Status.SENT
    assert event.provider_status == "MMSSent=1"


@pytest.mark.parametrize(
    "body",
    [
        b"MessageID=abc&ToPhoneNumber=17575449511",
        b"SMSSent=&MessageID=abc",
        b"",
    ],
)
def test_no_flag_is_a_payload_error(body: bytes) -> None:
    with pytest.raises(PayloadError, match="flags"):
        _parse(body)


class TestCdyneContract(ProviderContract):
    slug = "cdyne"
    fixtures = (
        Fixture(
            "delivery receipt",
            "wiki.cdyne.com SMS_Delivery_Receipt_Postback (verbatim, samples/cdyne_2.txt)",
            body=RECEIPT,
            content_type=FORM,
            events=(
                Expected(
                    Status.SENT,
                    "003",
                    message_id="f880e00b-3a14-484c-80e7-ca6aa29a2f7a",
                    recipient="17572373369",
                    error_code="003",
                ),
            ),
        ),
        Fixture(
            "message sent",
            "wiki.cdyne.com SMS_Message_Sent_Postback (verbatim, samples/cdyne_1.txt)",
            body=SENT,
            content_type=FORM,
            events=(
                Expected(
                    Status.SENT,
                    "SMSSent=1",
                    message_id="9a35e913-ded0-7574-4642-5f60c550c706",
                    client_ref="12345",
                    recipient="17575449511",
                ),
            ),
        ),
        Fixture(
            "message response",
            "wiki.cdyne.com SMS_Message_Response_Postback (verbatim, samples/cdyne_3.txt)",
            body=RESPONSE,
            content_type=FORM,
            inbound=(("17575449510", False),),
        ),
        Fixture(
            "message response opt-out",
            "variant of the message response postback with Message=Stop",
            body=RESPONSE.replace(b"Message=Test", b"Message=Stop"),
            content_type=FORM,
            inbound=(("17575449510", True),),
        ),
    )
    # DeliveryReceiptCode, esendex.us/docs/sms-api/api/types/DeliveryReceiptCode, plus the
    # legacy wiki.cdyne.com list (015, 017, 021, 024); NOTES §2.3.
    statuses = (
        ("000", Status.DELIVERED),
        ("003", Status.SENT),
        ("004", Status.QUEUED),
        ("005", Status.UNDELIVERED),
        ("008", Status.EXPIRED),
        ("015", Status.REJECTED),
        ("017", Status.REJECTED),
        ("021", Status.REJECTED),
        ("023", Status.REJECTED),
        ("024", Status.UNDELIVERED),
        ("028", Status.UNDELIVERED),
        ("029", Status.UNDELIVERED),
        ("030", Status.UNDELIVERED),
        ("032", Status.REJECTED),
        ("090", Status.REJECTED),
        ("091", Status.REJECTED),
        ("999", Status.UNKNOWN),
    )
    # "you may receive error codes not listed here" (wiki.cdyne.com SMS_Delivery_Receipt).
    unmapped_status = "077"
    wrong_shape = Fixture(
        "postback without a flag field",
        "the receipt fixture without its DeliveryReceipt flag",
        body=RECEIPT.replace(b"DeliveryReceipt=1&", b""),
        content_type=FORM,
    )

    def with_status(self, raw_status: str) -> Fixture:
        return Fixture(
            raw_status, "as the delivery receipt fixture", _receipt(raw_status, None), FORM
        )
