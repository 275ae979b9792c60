"""Kannel delivery reports: the `dlr-url` given at sendsms time, fetched back by smsbox.

Kannel always calls the DLR URL with GET (gw/smsbox.c: a `report_mo` is TRANSTYPE_GET_URL) and
sends only what the URL template asks for, through %-escapes (gw/urltrans.c). The template the
README gives is

    https://HOST/callbacks/kannel/TOKEN?id=YOUR-ID&type=%d&answer=%A&foreign_id=%F&to=%p&ts=%T

* `type` (%d) is the DLR type, a bit of the dlr-mask (gw/dlr.h); the status comes from it.
* `answer` (%A) is the SMSC's reply: the raw SMPP receipt text for SMSC reports (parsed with the
  shared receipt parser; its `stat` refines a failure into expired, rejected or unknown),
  `ACK/...` for an SMSC submit ack (type 8) and `NACK/0x<command_status>/<text>` for a submit
  failure (type 16) (gw/bb_smscconn.c, gw/smsc/smsc_smpp.c).
* `id` is the sender's own message id, written into each message's dlr-url: Kannel's sendsms
  answer carries no id, so this is how a report finds its message (userguide "Delivery
  Reports": `myId=123456&type=%d`). Without it the SMSC's message id (%F, else the receipt's
  `id:`) keys the message.
* `to` takes %p: in a DLR, %p is the original message's recipient and %P its sender (urltrans.c
  reads them swapped, and smsbox does not swap a DLR back).
* `ts` (%T) is the time Kannel built the report, Unix seconds, UTC (dlr.c `time(&msg->sms.time)`).

Names other setups use are accepted too: `status` for %d (nyaruka/courier's
`?id=...&status=%d`, read as %A when it is not a number), `myId` and `uuid` for the id, `fid`
for %F, `ref` for a client reference. %t (`YYYY-MM-DD HH:MM[:SS]`, UTC) is read where %T is
missing, then the receipt's done date (taken as UTC).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from receiver.providers.base import Adapter
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.payload import Payload
from receiver.providers.toolkit.smpp_receipt import (
    SMPP_STAT,
    Receipt,
    parse_receipt,
    status_for_stat,
)
from receiver.records import DeliveryEvent, Normalized, PayloadError
from receiver.status import Status

__all__ = ["KannelAdapter"]

# DLR type bits (%d), gw/dlr.h: DLR_SUCCESS 0x01, DLR_FAIL 0x02, DLR_BUFFERED 0x04,
# DLR_SMSC_SUCCESS 0x08, DLR_SMSC_FAIL 0x10, DLR_INTERMEDIATE 0x20; meanings from the userguide
# ("1: delivery success, 2: delivery failure, 4: message buffered, 8: smsc submit, 16: smsc
# reject, 32: smsc intermediate notifications"). 8 is the SMSC's submit_sm_resp ack, like
# Jasmin's level-1 ESME_ROK, so it is queued; buffered and intermediate reports come after it.
DLR_TYPES: Mapping[str, Status] = {
    "1": Status.DELIVERED,
    "2": Status.UNDELIVERED,
    "4": Status.SENT,
    "8": Status.QUEUED,
    "16": Status.REJECTED,
    "32": Status.SENT,
}

_DELIVERED, _FAILED, _BUFFERED, _SMSC_ACK, _SMSC_NACK, _INTERMEDIATE = 1, 2, 4, 8, 16, 32
_ALL_BITS = 63
# What a receipt's stat may turn a type-2 failure into (Kannel types every stat but DELIVRD,
# ACCEPTD, ACKED, BUFFRED, BUFFERD and ENROUTE as 2: smsc_smpp.c handle_dlr).
_FAILURES = frozenset({Status.UNDELIVERED, Status.EXPIRED, Status.REJECTED, Status.UNKNOWN})

TYPE_FIELDS = ("type", "dlr_type", "dlrtype", "status")
ANSWER_FIELDS = ("answer", "reply", "smsc_reply", "dlr_answer", "receipt", "status")
OWN_ID_FIELDS = ("id", "myId", "uuid", "message_id", "msg_id")
FOREIGN_ID_FIELDS = ("foreign_id", "fid", "smsc_msg_id", "smsc_message_id")
CLIENT_REF_FIELDS = ("ref", "client_ref", "reference")
RECIPIENT_FIELDS = ("to", "receiver", "recipient", "msisdn", "phone", "destination")
EPOCH_FIELDS = ("ts", "timestamp")
TIME_FIELDS = ("t", "time", "date")
# %t: "YYYY-MM-DD+HH:MM:SS" in current urltrans.c (the `+` reads as a space), "YYYY-MM-DD
# HH:MM" in the userguide; gw_gmtime, so UTC.
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


@dataclass(frozen=True, slots=True)
class _Answer:
    """What %A says: an SMSC ack or nack, a receipt, or nothing readable."""

    kind: str  # "ACK", "NACK", "receipt" or "" (unreadable)
    receipt: Receipt | None = None
    error_code: str | None = None
    error_detail: str | None = None


class KannelAdapter(Adapter):
    slug: ClassVar[str] = "kannel"
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {
        "type (%d)": DLR_TYPES,
        "stat in the %A receipt (refines type 2, or stands alone without type)": SMPP_STAT,
    }
    keyed_by: ClassVar[str] = (
        "your own id in the dlr-url (`id`), else the SMSC message id (%F, else the receipt's id)"
    )

    def parse(self, payload: Payload) -> Normalized:
        raw_type = _type_value(payload)
        answer = _answer(payload)
        receipt = answer.receipt if answer else None

        if raw_type is not None:
            status = _refine(_type_status(raw_type), _contradictory(raw_type), answer)
            provider_status: str | None = raw_type
        elif answer is not None and answer.kind:
            status, provider_status = _answer_status(answer)
        else:
            raise PayloadError(
                "Kannel DLR without a type (%d) in any of "
                + ", ".join(TYPE_FIELDS)
                + " or an SMSC reply (%A) in any of "
                + ", ".join(ANSWER_FIELDS)
            )

        occurred_at, occurred_at_raw = _time(payload, receipt)
        failed = status.is_final and status is not Status.DELIVERED
        return Normalized(
            events=(
                DeliveryEvent(
                    status=status,
                    provider_status=provider_status,
                    message_id=_first(payload, OWN_ID_FIELDS)
                    or _first(payload, FOREIGN_ID_FIELDS)
                    or (receipt.id if receipt else None),
                    client_ref=_first(payload, CLIENT_REF_FIELDS),
                    recipient=fields.recipient(_first(payload, RECIPIENT_FIELDS)),
                    error_code=(answer.error_code if answer else None) or payload.get("err"),
                    error_detail=answer.error_detail if answer and failed else None,
                    occurred_at=occurred_at,
                    occurred_at_raw=occurred_at_raw,
                ),
            )
        )


def _first(payload: Payload, names: tuple[str, ...]) -> str | None:
    """The first of `names` with a value: a template may leave one empty (%F of a nack)."""
    return fields.first(payload.get(name) for name in names)


def _is_number(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _type_value(payload: Payload) -> str | None:
    """The raw %d; `status` counts only when it is a number (else it is read as %A)."""
    for name in TYPE_FIELDS:
        value = payload.get(name)
        if value is not None and (name != "status" or _is_number(value)):
            return value
    return None


def _bits(raw: str) -> int | None:
    """The DLR type as bits, or None when it is not one Kannel defines."""
    # Length first: int() refuses (ValueError) more than 4300 digits.
    if not _is_number(raw) or len(raw) > 3 or not 0 < int(raw) <= _ALL_BITS:
        return None
    return int(raw)


def _type_status(raw: str) -> Status:
    """Status of a DLR type: one bit, or several added together (a final bit wins)."""
    bits = _bits(raw)
    if bits is None or _contradictory(raw):
        return Status.UNKNOWN
    if bits & _SMSC_NACK:
        return Status.REJECTED
    if bits & _FAILED:
        return Status.UNDELIVERED
    if bits & _DELIVERED:
        return Status.DELIVERED
    if bits & (_BUFFERED | _INTERMEDIATE):
        return Status.SENT
    return Status.QUEUED  # _SMSC_ACK alone


def _contradictory(raw: str) -> bool:
    """Delivered and failed at once."""
    bits = _bits(raw)
    return bits is not None and bool(bits & _DELIVERED and bits & (_FAILED | _SMSC_NACK))


def _refine(status: Status, contradictory: bool, answer: _Answer | None) -> Status:
    """A failure (or contradictory bits) made more precise by %A: a nack or the receipt's stat."""
    if answer is None or not (status is Status.UNDELIVERED or contradictory):
        return status
    if answer.kind == "NACK":
        return Status.REJECTED
    if answer.receipt is None or not answer.receipt.stat:
        return status
    # Only a stat the table knows: an unmapped one says no more than the type does.
    from_stat = SMPP_STAT.get(" ".join(answer.receipt.stat.upper().split()))
    if from_stat is None:
        return status
    if contradictory:
        # Any final stat the receipt gives settles it.
        return from_stat if from_stat.is_final else status
    return from_stat if from_stat in _FAILURES else status


def _answer_status(answer: _Answer) -> tuple[Status, str | None]:
    """Status from %A alone, for templates without %d."""
    if answer.kind == "ACK":
        return Status.QUEUED, "ACK"
    if answer.kind == "NACK":
        return Status.REJECTED, "NACK"
    stat = answer.receipt.stat if answer.receipt else None
    return status_for_stat(stat), stat


def _answer(payload: Payload) -> _Answer | None:
    """The first readable %A among ANSWER_FIELDS; an unreadable one if none reads."""
    found: _Answer | None = None
    for name in ANSWER_FIELDS:
        value = payload.get(name)
        if value is None or (name == "status" and _is_number(value)):
            continue
        answer = _read_answer(value)
        if answer.kind:
            return answer
        found = found or answer
    return found


def _read_answer(text: str) -> _Answer:
    upper = text.upper()
    if upper.startswith("NACK/") or upper == "NACK":
        code, detail = _nack(text[5:])
        return _Answer("NACK", error_code=code, error_detail=detail)
    if upper.startswith("ACK/") or upper == "ACK":
        return _Answer("ACK")
    receipt = parse_receipt(text)
    if receipt is None:
        return _Answer("")
    return _Answer("receipt", receipt=receipt, error_code=receipt.err, error_detail=receipt.stat)


def _nack(rest: str) -> tuple[str | None, str | None]:
    """`0x0000000b/Invalid Destination Address` -> code and text; either may be missing."""
    head, _, tail = rest.partition("/")
    head = head.strip()
    if head.lower().startswith("0x") and len(head) > 2:
        try:
            int(head, 16)
        except ValueError:
            pass
        else:
            return head.lower(), tail.strip() or None
    return None, rest.strip() or None


def _time(payload: Payload, receipt: Receipt | None) -> tuple[datetime | None, str | None]:
    for name in EPOCH_FIELDS:
        raw = payload.get(name)
        if raw is not None:
            parsed = fields.parse_epoch(raw) if _is_number(raw) else None
            if parsed is not None:
                return parsed, raw
    for name in TIME_FIELDS:
        raw = payload.get(name)
        if raw is not None:
            if _is_number(raw):
                parsed = fields.parse_epoch(raw)
            else:
                parsed = fields.parse_time(raw.replace("+", " "), *TIME_FORMATS)
            if parsed is not None:
                return parsed, raw
    if receipt is not None and receipt.done_date is not None:
        return receipt.done_date, receipt.done_date_raw
    return None, None
