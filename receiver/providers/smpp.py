"""SMPP delivery receipts relayed over HTTP by a gateway or a small bridge.

The receipt text (the deliver_sm short_message) arrives as a plain-text body or in a form or
query field, optionally with the receipted_message_id and message_state TLVs, which are more
reliable than the text and win when present (Kannel and Jasmin prefer them too).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from receiver.providers.base import Adapter
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.payload import Payload
from receiver.providers.toolkit.smpp_receipt import (
    MESSAGE_STATE_NAMES,
    SMPP_STAT,
    Receipt,
    parse_receipt,
    status_for_message_state,
    status_for_stat,
)
from receiver.records import DeliveryEvent, Normalized, PayloadError
from receiver.status import Status

__all__ = ["SmppAdapter"]

# Field names bridges commonly use for the receipt text (`answer` is Kannel's %A habit).
RECEIPT_FIELDS = (
    "receipt",
    "dlr",
    "text",
    "short_message",
    "message",
    "msg",
    "body",
    "sms",
    "answer",
)
CLIENT_REF_FIELDS = ("client_ref", "ref", "reference")
RECIPIENT_FIELDS = ("to", "recipient", "destination")


class SmppAdapter(Adapter):
    slug: ClassVar[str] = "smpp"
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {"stat": SMPP_STAT}
    keyed_by: ClassVar[str] = "the receipt's `id` (TLV `receipted_message_id` first)"

    def parse(self, payload: Payload) -> Normalized:
        receipt = _find_receipt(payload)
        tlv_id = payload.get("receipted_message_id")
        tlv_state = payload.get("message_state")
        if receipt is None and not (tlv_id and tlv_state):
            raise PayloadError(
                "no SMPP receipt text in the body or in any of the fields "
                + ", ".join(RECEIPT_FIELDS)
            )
        receipt = receipt or Receipt()

        if tlv_state is not None:
            status = status_for_message_state(tlv_state)
            provider_status: str | None = MESSAGE_STATE_NAMES.get(tlv_state, tlv_state)
        else:
            status = status_for_stat(receipt.stat)
            provider_status = receipt.stat

        return Normalized(
            events=(
                DeliveryEvent(
                    status=status,
                    provider_status=provider_status,
                    # Ids are kept as given: gateways differ on case, zero padding and base.
                    message_id=tlv_id or receipt.id,
                    client_ref=payload.get(*CLIENT_REF_FIELDS),
                    recipient=fields.recipient(payload.get(*RECIPIENT_FIELDS)),
                    error_code=receipt.err,
                    occurred_at=receipt.done_date,
                    occurred_at_raw=receipt.done_date_raw,
                ),
            )
        )


def _find_receipt(payload: Payload) -> Receipt | None:
    if payload.text:
        receipt = parse_receipt(payload.text)
        if receipt is not None:
            return receipt
    for name in RECEIPT_FIELDS:
        value = payload.get(name)
        if value:
            receipt = parse_receipt(value)
            if receipt is not None:
                return receipt
    return None
