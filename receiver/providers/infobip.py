"""Infobip SMS delivery reports (and inbound SMS) POSTed to `notifyUrl`.

A report is a JSON batch, `{"results": [...]}`, one item per message: `messageId`, `bulkId`,
`to`, `sentAt`, `doneAt`, `callbackData` (your reference, echoed), `price`, a `status` object
`{groupId, groupName, id, name, description}` and an `error` object `{groupId, groupName, id,
name, description, permanent}` (infobip.com/docs/api/channels/sms/sms-messaging/
logs-and-status-reports/receive-outbound-sms-message-report; the official Python client's
infobip_api_client/models/sms_delivery_report.py). Infobip sends up to 100 reports per request by
default, more when `maxBucketSize` is raised on the subscription, so one request becomes many
events; an unreadable item is skipped and the rest still count.

The status is read from `status.name` first, then `status.groupName`: the name refines the group
where they disagree. `DELIVERED_TO_OPERATOR` is in the DELIVERED group but is intermediate
("reached the operator, not yet the handset": infobip.com/docs/developer-resources/
api-fundamentals/message-status-codes), so it is `sent`. `provider_status` is the name, or the
group name when the item carries no name. `error.id` and `error.name` become `error_code` and
`error_detail` unless the id is 0 (`NO_ERROR`).

The message is keyed by `messageId`. `doneAt` (when Infobip finished with the message) is the
event time, else `sentAt`; both are `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, an offset such as `+0000`
always given; one without an offset would be taken as UTC.

If inbound SMS forwarding points at the same URL, its items (`from`, `to`, `text`,
`receivedAt`, no `status`: infobip_api_client/models/sms_inbound_message.py) become inbound
messages. Reports set to `contentType: application/xml` are not read: use JSON. Infobip does not
sign its callbacks, so the URL token is the only check.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from receiver.providers.base import Adapter
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.fields import json_text, parse_iso
from receiver.providers.toolkit.payload import Payload
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status

__all__ = ["InfobipAdapter"]

# status.groupName -> normalized status: the general status groups of
# infobip.com/docs/essentials/api-essentials/response-status-and-error-codes (group ids 1-5) and
# the MessageGeneralStatus enum of infobip_api_client/models/message_general_status.py, which
# also lists ACCEPTED.
STATUS_GROUPS: Mapping[str, Status] = {
    "ACCEPTED": Status.QUEUED,
    "PENDING": Status.SENT,  # "processed and forwarded (e.g. to the operator)"
    "UNDELIVERABLE": Status.UNDELIVERED,
    "DELIVERED": Status.DELIVERED,
    "EXPIRED": Status.EXPIRED,
    "REJECTED": Status.REJECTED,
}

# status.name -> normalized status: the SMS "General status codes" of the same page, read
# through its transcription in api-evangelist/infobip errors/infobip-error-codes.yml (status id in
# the comment). Names not listed fall back to their group.
STATUS_NAMES: Mapping[str, Status] = {
    # Pending (group 1)
    "PENDING_ACCEPTED": Status.QUEUED,  # 26: accepted by the system, awaiting processing
    "PENDING_ENROUTE": Status.SENT,  # 7: forwarded to the next instance (the operator)
    "PENDING_WAITING_DELIVERY": Status.SENT,  # 3: at the operator, awaiting its report
    # Undeliverable (group 2)
    "UNDELIVERABLE_REJECTED_OPERATOR": Status.UNDELIVERED,  # 4
    "UNDELIVERABLE_NOT_DELIVERED": Status.UNDELIVERED,  # 9
    "UNDELIVERABLE_NOT_SENT": Status.UNDELIVERED,  # 31
    # Delivered (group 3)
    "DELIVERED_TO_OPERATOR": Status.SENT,  # 2: intermediate, a handset report may follow
    "DELIVERED_TO_HANDSET": Status.DELIVERED,  # 5
    # Expired (group 4)
    "EXPIRED_EXPIRED": Status.EXPIRED,  # 15
    # 29: "expired, and the delivery status is unknown": sent, never confirmed either way.
    "EXPIRED_DLR_UNKNOWN": Status.UNKNOWN,
    # Rejected (group 5)
    "REJECTED_NETWORK": Status.REJECTED,  # 6
    "REJECTED_PREFIX_MISSING": Status.REJECTED,  # 8
    "REJECTED_DND": Status.REJECTED,  # 10
    "REJECTED_SOURCE": Status.REJECTED,  # 11
    "REJECTED_NOT_ENOUGH_CREDITS": Status.REJECTED,  # 12
    "REJECTED_SENDER": Status.REJECTED,  # 13
    "REJECTED_DESTINATION_BLOCKLISTED": Status.REJECTED,  # 14
    "REJECTED_PREPAID_PACKAGE_EXPIRED": Status.REJECTED,  # 17
    "REJECTED_DESTINATION_NOT_REGISTERED": Status.REJECTED,  # 18
    "REJECTED_ROUTE_NOT_AVAILABLE": Status.REJECTED,  # 19
    "REJECTED_FLOODING_FILTER": Status.REJECTED,  # 20
    "REJECTED_SYSTEM_ERROR": Status.REJECTED,  # 21
    "REJECTED_DUPLICATE_MESSAGE_ID": Status.REJECTED,  # 23
    "REJECTED_INVALID_UDH": Status.REJECTED,  # 24
    "REJECTED_MESSAGE_TOO_LONG": Status.REJECTED,  # 25
    "MISSING_TO": Status.REJECTED,  # 51
    "REJECTED_DESTINATION": Status.REJECTED,  # 52
    "UNDELIVERABLE_REJECTED_PLATFORM": Status.REJECTED,  # 100, listed in the Rejected group
}

#: error.id meaning "no error" (`NO_ERROR`, group `OK`).
NO_ERROR_ID = "0"


class InfobipAdapter(Adapter):
    slug: ClassVar[str] = "infobip"
    #: 100 reports per request by default (about 1 KiB each), more with a raised
    #: `maxBucketSize`, outgrow the 64 KiB default; 2 MiB holds well over 1,000.
    max_body: ClassVar[int | None] = 2 * 1024 * 1024
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {
        "status.name": STATUS_NAMES,
        "status.groupName": STATUS_GROUPS,
    }
    keyed_by: ClassVar[str] = "messageId"

    def parse(self, payload: Payload) -> Normalized:
        document = payload.json
        results = document.get("results") if isinstance(document, dict) else None
        if not isinstance(results, list):
            raise PayloadError("Infobip callback body is not a JSON object with a results array")
        if not results:
            raise PayloadError("Infobip callback with an empty results array")
        events: list[DeliveryEvent] = []
        inbound: list[InboundMessage] = []
        for item in results:
            if not isinstance(item, dict):
                continue
            if "status" in item:
                event = _report(item)
                if event is not None:
                    events.append(event)
            else:
                message = _inbound(item)
                if message is not None:
                    inbound.append(message)
        if not events and not inbound:
            raise PayloadError(f"no readable Infobip report among {len(results)} result(s)")
        return Normalized(events=tuple(events), inbound=tuple(inbound))


def _report(item: dict[str, Any]) -> DeliveryEvent | None:
    """One delivery report, or None when it names no status or no message."""
    status_object = item.get("status")
    message_id = json_text(item.get("messageId"))
    client_ref = json_text(item.get("callbackData"))
    if not isinstance(status_object, dict) or not (message_id or client_ref):
        return None
    name = json_text(status_object.get("name"))
    group = json_text(status_object.get("groupName"))
    status = _status(name, group)
    error_code, error_detail = _error(item.get("error"))
    raw_time, occurred_at = _time(json_text(item.get("doneAt")), json_text(item.get("sentAt")))
    return DeliveryEvent(
        status=status,
        provider_status=name or group,
        message_id=message_id,
        client_ref=client_ref,
        recipient=fields.recipient(json_text(item.get("to"))),
        error_code=error_code,
        error_detail=error_detail,
        occurred_at=occurred_at,
        occurred_at_raw=raw_time,
    )


def _status(name: str | None, group: str | None) -> Status:
    if name is not None:
        by_name = STATUS_NAMES.get(name.upper())
        if by_name is not None:
            return by_name
    if group is not None:
        return STATUS_GROUPS.get(group.upper(), Status.UNKNOWN)
    return Status.UNKNOWN


def _time(*candidates: str | None) -> tuple[str | None, datetime | None]:
    """The first candidate that parses, with its time; else the first given, unparsed."""
    for raw in candidates:
        parsed = parse_iso(raw)
        if parsed is not None:
            return raw, parsed
    return next((raw for raw in candidates if raw), None), None


def _error(error: Any) -> tuple[str | None, str | None]:
    """error.id and its name (else description), or Nones for no error / `NO_ERROR`."""
    if not isinstance(error, dict):
        return None, None
    error_id = json_text(error.get("id"))
    name = json_text(error.get("name"))
    if error_id == NO_ERROR_ID or (error_id is None and name in (None, "NO_ERROR")):
        return None, None
    return error_id, name or json_text(error.get("description"))


def _inbound(item: dict[str, Any]) -> InboundMessage | None:
    """An inbound SMS item, or None when it is not one (no sender)."""
    sender = json_text(item.get("from"))
    if sender is None:
        return None
    text = item.get("text")
    text = text if isinstance(text, str) and text.strip() else None
    keyword = fields.opt_out_keyword(text)
    raw_time = json_text(item.get("receivedAt"))
    return InboundMessage(
        sender=fields.recipient(sender),
        recipient=fields.recipient(json_text(item.get("to"))),
        text=text,
        message_id=json_text(item.get("messageId")),
        occurred_at=parse_iso(raw_time),
        occurred_at_raw=raw_time,
        is_opt_out=keyword is not None,
        keyword=keyword,
    )
