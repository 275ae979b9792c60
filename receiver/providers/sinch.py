"""Sinch SMS REST API callbacks: delivery reports and inbound (MO) messages.

Every callback is one JSON object named by its `type` (developers.sinch.com/docs/sms/
api-reference/sms/tag/Webhooks; the official Python SDK's sinch/domains/sms/sinch_events/v1/
sms_sinch_event.py, `parse_event`):

* `recipient_delivery_report_sms` / `_mms` (`delivery_report: per_recipient` or
  `per_recipient_final`): one recipient's status, with `batch_id`, `recipient`, `code`,
  `status`, `at` (when Sinch created the report), `operator_status_at` (the SMSC receipt's own
  time) and `client_reference`. `at` is the event time: it is always present, while
  `operator_status_at` only comes with an operator receipt.
* `delivery_report_sms` / `_mms` (`summary` or `full`): a batch's statuses,
  `statuses[{code, status, count, recipients[]}]`; each listed recipient becomes one event. A
  `summary` report lists no recipients, so it yields no events. It carries no time.
* `mo_text`, `mo_binary`, `mo_media`: an inbound message (`from`, `to`, `body`, `id`,
  `received_at`, `client_reference`); a text reply that is an opt-out keyword is flagged.

Sinch's message is a batch sent to one or more recipients, so a message here is keyed by
`batch_id` and the recipient (normalized to E.164 digits): `message_id` is the `batch_id`, and
the key `batch:<batch_id>:<recipient>` is the same whichever report kind names the recipient. A
recipient report without a recipient falls back to the `batch_id` alone.

`status` is matched case-insensitively (the docs write `Delivered`, the SDK's
DeliveryStatusType `DELIVERED`). `code` is the error code for final statuses other than
Delivered. Times are ISO-8601 with `Z`; one without an offset would be taken as UTC.

Sinch can sign callbacks (HMAC-SHA256 over body, nonce and timestamp in
`x-sinch-webhook-signature`; the SDK's `validate_sinch_event_signature_with_nonce`) only where
the account has it set up, and the receiver has no Sinch secret setting, so the URL token is the
only check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from receiver.providers.base import Adapter
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.fields import json_text, parse_iso
from receiver.providers.toolkit.payload import Payload
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status

__all__ = ["SinchAdapter"]

# status -> normalized status, developers.sinch.com/docs/sms/api-reference/sms/delivery-reports/
# delivery-report-statuses (keys lower-cased; the mapping follows NOTES §8).
STATUSES: Mapping[str, Status] = {
    "queued": Status.QUEUED,  # intermediate: queued within the REST API
    "dispatched": Status.SENT,  # intermediate: accepted for delivery by the SMSC
    "aborted": Status.REJECTED,  # final: aborted before reaching the SMSC
    "cancelled": Status.REJECTED,  # final: cancelled by the user before reaching the SMSC
    "rejected": Status.REJECTED,  # final: rejected by the SMSC
    "deleted": Status.UNDELIVERED,  # final: deleted by a remote SMSC (invalid or opted out)
    "delivered": Status.DELIVERED,
    "failed": Status.UNDELIVERED,  # final: failed to be delivered
    "expired": Status.EXPIRED,  # final: expired before delivery
    # Final: reached the SMSC but no receipt, or one that could not be interpreted.
    "unknown": Status.UNKNOWN,
}

RECIPIENT_REPORTS = frozenset({"recipient_delivery_report_sms", "recipient_delivery_report_mms"})
BATCH_REPORTS = frozenset({"delivery_report_sms", "delivery_report_mms"})
INBOUND_TYPES = frozenset({"mo_text", "mo_binary", "mo_media"})

# Statuses whose `code` says why the message did not get through.
_FAILED = frozenset({Status.UNDELIVERED, Status.REJECTED, Status.EXPIRED, Status.UNKNOWN})


class SinchAdapter(Adapter):
    slug: ClassVar[str] = "sinch"
    #: A `full` batch report lists every recipient (batches may target whole groups), which
    #: outgrows the 64 KiB default from a few thousand recipients; 1 MiB holds about 50,000.
    max_body: ClassVar[int | None] = 1024 * 1024
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {"status": STATUSES}
    keyed_by: ClassVar[str] = "batch_id and recipient"

    def parse(self, payload: Payload) -> Normalized:
        document = payload.json
        if not isinstance(document, dict):
            raise PayloadError("Sinch callback body is not a JSON object")
        kind = json_text(document.get("type"))
        if kind is None:
            raise PayloadError("Sinch callback without a type")
        kind = kind.lower()
        if kind in RECIPIENT_REPORTS:
            return Normalized(events=(_recipient_report(document),))
        if kind in BATCH_REPORTS:
            return Normalized(events=_batch_report(document))
        if kind in INBOUND_TYPES:
            return Normalized(inbound=(_inbound(document, kind),))
        raise PayloadError(f"Sinch callback of unknown type {kind!r}")


def _recipient_report(document: dict[str, Any]) -> DeliveryEvent:
    batch_id = _batch_id(document)
    raw_status = json_text(document.get("status"))
    if raw_status is None:
        raise PayloadError("Sinch recipient delivery report without a status")
    status = _status(raw_status)
    recipient = fields.recipient(json_text(document.get("recipient")))
    raw_time = json_text(document.get("at"))
    return DeliveryEvent(
        status=status,
        provider_status=raw_status,
        message_id=batch_id,
        client_ref=json_text(document.get("client_reference")),
        recipient=recipient,
        error_code=json_text(document.get("code")) if status in _FAILED else None,
        occurred_at=parse_iso(raw_time),
        occurred_at_raw=raw_time,
        key=_key(batch_id, recipient),
    )


def _batch_report(document: dict[str, Any]) -> tuple[DeliveryEvent, ...]:
    batch_id = _batch_id(document)
    statuses = document.get("statuses")
    if not isinstance(statuses, list):
        raise PayloadError("Sinch batch delivery report without a statuses array")
    client_ref = json_text(document.get("client_reference"))
    events = []
    for entry in statuses:
        if not isinstance(entry, dict):
            continue
        raw_status = json_text(entry.get("status"))
        recipients = entry.get("recipients")
        if raw_status is None or not isinstance(recipients, list):
            continue  # a summary entry (counts only) or an unreadable one
        status = _status(raw_status)
        code = json_text(entry.get("code")) if status in _FAILED else None
        for listed in recipients:
            recipient = fields.recipient(json_text(listed))
            if recipient is None:
                continue
            events.append(
                DeliveryEvent(
                    status=status,
                    provider_status=raw_status,
                    message_id=batch_id,
                    client_ref=client_ref,
                    recipient=recipient,
                    error_code=code,
                    key=_key(batch_id, recipient),
                )
            )
    return tuple(events)


def _inbound(document: dict[str, Any], kind: str) -> InboundMessage:
    body = document.get("body")
    if kind == "mo_text":
        text = body if isinstance(body, str) else None
    elif kind == "mo_media" and isinstance(body, dict):
        message = body.get("message")
        text = message if isinstance(message, str) else None
    else:  # mo_binary: base64 with a UDH, not text
        text = None
    keyword = fields.opt_out_keyword(text)
    raw_time = json_text(document.get("received_at"))
    return InboundMessage(
        sender=fields.recipient(json_text(document.get("from"))),
        recipient=fields.recipient(json_text(document.get("to"))),
        text=text,
        message_id=json_text(document.get("id")),
        occurred_at=parse_iso(raw_time),
        occurred_at_raw=raw_time,
        related_client_ref=json_text(document.get("client_reference")),
        is_opt_out=keyword is not None,
        keyword=keyword,
    )


def _batch_id(document: dict[str, Any]) -> str:
    batch_id = json_text(document.get("batch_id"))
    if batch_id is None:
        raise PayloadError("Sinch delivery report without a batch_id")
    return batch_id


def _status(raw: str) -> Status:
    return STATUSES.get(raw.lower(), Status.UNKNOWN)


def _key(batch_id: str, recipient: str | None) -> str | None:
    """One message per batch and recipient; None (the batch id alone) without a recipient."""
    return f"batch:{batch_id}:{recipient}" if recipient else None
