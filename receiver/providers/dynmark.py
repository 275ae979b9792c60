"""Dynmark (later Comapi, now dotdigital CPaaS) receipt and inbound forwarding.

Receipts carry the client reference given at send time but no transaction id, so messages are
keyed by client reference and recipient. Inbound (MO) forwarding hits the same kind of URL
with different fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from receiver.providers.base import Adapter
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.payload import Payload
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError, message_key
from receiver.status import Status

__all__ = ["DynmarkAdapter"]

# statusid -> normalized status, docs.cpaas.dotdigital.com/reference/sms-message-statuses
# (the dotdigital CPaaS table is Dynmark's; see NOTES §1.3).
STATUS_IDS: Mapping[int, Status] = {
    1: Status.DELIVERED,  # Delivered to handset.
    2: Status.EXPIRED,  # Not delivered during validity period.
    3: Status.SENT,  # Sent.
    4: Status.REJECTED,  # Rejected by operator.
    5: Status.UNDELIVERED,  # Sent to discontinued or invalid number.
    6: Status.UNDELIVERED,  # Sent to handset with full SIM.
    7: Status.REJECTED,  # SMSC was not able to send.
    8: Status.REJECTED,  # User with no credit.
    9: Status.UNKNOWN,  # No response from Mobile Operator.
    10: Status.QUEUED,  # Queued.
    11: Status.UNDELIVERED,  # Deleted by user.
    12: Status.REJECTED,  # Refused.
    13: Status.REJECTED,  # Filtered by Intelligent Filtering.
}

# Receipt datetime is Java "yyyy-MM-dd'T'HH:mm:ss.SSS" (ReceiptServlet.java in
# comapi/ddg-cpaas-quickstarts); inbound uses "dd MMM yyyy HH:mm:ss" (InboundServlet.java).
RECEIPT_TIME_FORMATS = ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
INBOUND_TIME_FORMATS = ("%d %b %Y %H:%M:%S", *RECEIPT_TIME_FORMATS)


class DynmarkAdapter(Adapter):
    slug: ClassVar[str] = "dynmark"
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {
        "statusid": {str(k): v for k, v in STATUS_IDS.items()}
    }
    keyed_by: ClassVar[str] = (
        "client reference and recipient (`ref:<clientref>:<recipient>`); "
        "a `transactionid` is kept as the message id"
    )

    def parse(self, payload: Payload) -> Normalized:
        if _present(payload, "content") or (
            _present(payload, "msgid") and _present(payload, "sender")
        ):
            return Normalized(inbound=(_inbound(payload),))
        return Normalized(events=(_receipt(payload),))


def _receipt(payload: Payload) -> DeliveryEvent:
    status_id = payload.get("statusid", "statusId", "status_id")
    if status_id is None:
        raise PayloadError("Dynmark receipt without statusid")
    try:
        status = STATUS_IDS.get(int(status_id), Status.UNKNOWN)
    except ValueError:
        status = Status.UNKNOWN

    client_ref = payload.get("clientref", "clientreference", "clientRef")
    recipient = fields.recipient(payload.get("recipient"))
    transaction_id = payload.get("transactionid", "transactionId")
    if client_ref:
        key = message_key(None, client_ref, recipient)
    else:
        key = message_key(transaction_id, None, None)

    # The description only explains something when the message did not get through.
    failed = status.is_final and status is not Status.DELIVERED
    raw_time = payload.get("datetime")
    return DeliveryEvent(
        status=status,
        provider_status=status_id,
        message_id=transaction_id,
        client_ref=client_ref,
        recipient=recipient,
        error_detail=payload.get("statusdescription") if failed else None,
        occurred_at=fields.parse_time(raw_time, *RECEIPT_TIME_FORMATS),
        occurred_at_raw=raw_time,
        key=key,
    )


def _inbound(payload: Payload) -> InboundMessage:
    content = payload.get("content")
    keyword = fields.opt_out_keyword(content)
    raw_time = payload.get("datetime")
    return InboundMessage(
        sender=fields.recipient(payload.get("sender")),
        recipient=fields.recipient(payload.get("recipient")),
        text=content,
        message_id=payload.get("msgid"),
        occurred_at=fields.parse_time(raw_time, *INBOUND_TIME_FORMATS),
        occurred_at_raw=raw_time,
        is_opt_out=keyword is not None,
        keyword=keyword,
    )


def _present(payload: Payload, name: str) -> bool:
    """Whether the field was sent at all, even empty (an empty MO text is still an MO)."""
    return any(key.lower() == name for key in payload.fields)
