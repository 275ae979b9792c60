"""CDYNE SMS Notify! (now Esendex US) postbacks.

Every postback is a form POST whose kind is named by a flag field: SMSSent, DeliveryReceipt or
SMSResponse (and the MMS variants). Receipts carry a parsed `Code` and the carrier's raw receipt
text, whose format "will vary depending on the carrier", so the text is only a fallback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from receiver.providers.base import Adapter
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.payload import Payload
from receiver.providers.toolkit.smpp_receipt import SMPP_STAT, parse_receipt, status_for_stat
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status

__all__ = ["CdyneAdapter"]

# DeliveryReceiptCode -> normalized status, esendex.us/docs/sms-api/api/types/DeliveryReceiptCode
# plus the legacy wiki.cdyne.com SMS_Delivery_Receipt list (015, 017, 021, 024).
RECEIPT_CODES: Mapping[str, Status] = {
    "000": Status.DELIVERED,  # DeliveredToDevice
    "003": Status.SENT,  # DeliveredToCarrier; may be the last receipt a carrier sends
    "004": Status.QUEUED,  # Accepted
    "005": Status.UNDELIVERED,  # UndelivOrDeleted
    "008": Status.EXPIRED,  # Expired
    "015": Status.REJECTED,  # INVALID SERVICE TYPE
    "017": Status.REJECTED,  # INVALID CRITERIA
    "021": Status.REJECTED,  # MESSAGE TOO LONG
    "023": Status.REJECTED,  # Rejected
    "024": Status.UNDELIVERED,  # UNDELIV
    "028": Status.UNDELIVERED,  # SenderExceededCarrierThrottle
    "029": Status.UNDELIVERED,  # RecipientExceededCarrierThrottle
    "030": Status.UNDELIVERED,  # SenderAndRecipientExceededCarrierThrottle
    "032": Status.REJECTED,  # InvalidMessageFormatOrTextMsgContentSizeExceeded
    "090": Status.REJECTED,  # BadAddress
    "091": Status.REJECTED,  # InvalidRouting
    "999": Status.UNKNOWN,  # CarrierErrorUnknown
}

# The same enum by name: MMS receipts put the bare name in DeliveryReceiptMessage
# (esendex.us/docs/sms-api/api/types/MMSDeliveryReceiptPostback).
RECEIPT_CODE_NAMES: Mapping[str, Status] = {
    "DELIVEREDTODEVICE": Status.DELIVERED,
    "DELIVEREDTOCARRIER": Status.SENT,
    "ACCEPTED": Status.QUEUED,
    "UNDELIVORDELETED": Status.UNDELIVERED,
    "EXPIRED": Status.EXPIRED,
    "REJECTED": Status.REJECTED,
    "SENDEREXCEEDEDCARRIERTHROTTLE": Status.UNDELIVERED,
    "RECIPIENTEXCEEDEDCARRIERTHROTTLE": Status.UNDELIVERED,
    "SENDERANDRECIPIENTEXCEEDEDCARRIERTHROTTLE": Status.UNDELIVERED,
    "INVALIDMESSAGEFORMATORTEXTMSGCONTENTSIZEEXCEEDED": Status.REJECTED,
    "BADADDRESS": Status.REJECTED,
    "INVALIDROUTING": Status.REJECTED,
    "CARRIERERRORUNKNOWN": Status.UNKNOWN,
}

# SentTime / ResponseReceiveDate: UTC, "M/d/yyyy h:mm:ss tt" (wiki.cdyne.com postback packets).
TIME_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S")

_SENT_FLAGS = ("SMSSent", "MMSSent")
_RECEIPT_FLAGS = ("DeliveryReceipt", "MMSDeliveryReceipt")
_RESPONSE_FLAGS = ("SMSResponse", "MMSResponse")


class CdyneAdapter(Adapter):
    slug: ClassVar[str] = "cdyne"
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {
        "Code": RECEIPT_CODES,
        "DeliveryReceiptMessage (MMS)": RECEIPT_CODE_NAMES,
        "DeliveryReceiptMessage stat": SMPP_STAT,
    }
    keyed_by: ClassVar[str] = "MessageID"

    def parse(self, payload: Payload) -> Normalized:
        for flag in _RECEIPT_FLAGS:
            if payload.get(flag) is not None:
                return Normalized(events=(_receipt(payload),))
        for flag in _RESPONSE_FLAGS:
            if payload.get(flag) is not None:
                return Normalized(inbound=(_response(payload),))
        for flag in _SENT_FLAGS:
            value = payload.get(flag)
            if value is not None:
                return Normalized(events=(_sent(payload, flag, value),))
        raise PayloadError(
            "CDYNE postback without any of the flags "
            + ", ".join(_RECEIPT_FLAGS + _RESPONSE_FLAGS + _SENT_FLAGS)
        )


def _sent(payload: Payload, flag: str, value: str) -> DeliveryEvent:
    # 0 means the aggregator refused it (CDYNE retries 3 times, then cancels).
    raw_time = payload.get("SentTime")
    return DeliveryEvent(
        status=Status.SENT if value == "1" else Status.REJECTED,
        provider_status=f"{flag}={value}",
        message_id=payload.get("MessageID"),
        client_ref=payload.get("ReferenceID"),
        recipient=fields.recipient(payload.get("ToPhoneNumber")),
        occurred_at=fields.parse_time(raw_time, *TIME_FORMATS),
        occurred_at_raw=raw_time,
    )


def _receipt(payload: Payload) -> DeliveryEvent:
    code = payload.get("Code")
    message = payload.get("DeliveryReceiptMessage")
    receipt = parse_receipt(message) if message else None
    # A bare word (MMS) is the stat itself.
    stat = receipt.stat if receipt else message

    status = _code_status(code)
    if status is None or status is Status.UNKNOWN:
        # Carriers send codes outside the enum; the receipt text may still say what happened.
        from_stat = _stat_status(stat)
        if status is None or from_stat is not Status.UNKNOWN:
            status = from_stat

    return DeliveryEvent(
        status=status,
        provider_status=code or stat,
        message_id=payload.get("MessageID"),
        client_ref=payload.get("ReferenceID"),
        recipient=fields.recipient(payload.get("ToPhoneNumber")),
        error_code=code,
        error_detail=stat,
        occurred_at=receipt.done_date if receipt else None,
        occurred_at_raw=receipt.done_date_raw if receipt else None,
    )


def _response(payload: Payload) -> InboundMessage:
    text = payload.get("Message")
    keyword = fields.opt_out_keyword(text)
    matched = payload.get("MatchedMessageID")
    raw_time = payload.get("ResponseReceiveDate")
    return InboundMessage(
        sender=fields.recipient(payload.get("FromPhoneNumber")),
        recipient=fields.recipient(payload.get("ToPhoneNumber")),
        text=text,
        message_id=payload.get("MessageID"),
        occurred_at=fields.parse_time(raw_time, *TIME_FORMATS),
        occurred_at_raw=raw_time,
        related_message_id=None if _is_nil_guid(matched) else matched,
        related_client_ref=payload.get("ReferenceID"),
        is_opt_out=keyword is not None,
        keyword=keyword,
    )


def _code_status(code: str | None) -> Status | None:
    """Status for a Code, UNKNOWN when unlisted, None when there is no code."""
    if code is None:
        return None
    normalized = code.zfill(3) if code.isdigit() else code
    return RECEIPT_CODES.get(normalized, Status.UNKNOWN)


def _stat_status(stat: str | None) -> Status:
    if not stat:
        return Status.UNKNOWN
    by_name = RECEIPT_CODE_NAMES.get(stat.replace(" ", "").upper())
    return by_name if by_name is not None else status_for_stat(stat)


def _is_nil_guid(value: str | None) -> bool:
    """MatchedMessageID is the all-zero GUID when a reply matched no outbound message."""
    return value is None or not value.strip("{}").replace("-", "").strip("0")
