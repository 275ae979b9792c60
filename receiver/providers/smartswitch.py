"""Smartswitch (StreamCo) delivery-receipt push.

The receipt names the message by the `id` returned from HTTP API message and gives its state as
a lower-case SMPP state name. The body is a form by default; operators can switch it to JSON,
whose exact shape is undocumented, so flat JSON and a JSON API style `data` object both work.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from receiver.providers.base import Adapter
from receiver.providers.toolkit.fields import json_text
from receiver.providers.toolkit.payload import Payload
from receiver.records import DeliveryEvent, Normalized, PayloadError
from receiver.status import Status

__all__ = ["SmartswitchAdapter"]

# message_state -> normalized status,
# redmine.streamco.org/projects/smartswitch-public/wiki/HTTP_API_deliver_delivery_receipt
# ("one of: enroute, delivered, expired, undeliverable, accepted, unknown, rejected").
MESSAGE_STATES: Mapping[str, Status] = {
    "enroute": Status.SENT,
    "delivered": Status.DELIVERED,
    "expired": Status.EXPIRED,
    "undeliverable": Status.UNDELIVERED,
    "accepted": Status.QUEUED,
    "unknown": Status.UNKNOWN,
    "rejected": Status.REJECTED,
}


class SmartswitchAdapter(Adapter):
    slug: ClassVar[str] = "smartswitch"
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {"message_state": MESSAGE_STATES}
    keyed_by: ClassVar[str] = "message_id"

    def parse(self, payload: Payload) -> Normalized:
        message_id = payload.get("message_id")
        state = payload.get("message_state")
        data = _json_api_data(payload.json)
        if data is not None:
            attributes = data.get("attributes")
            attributes = attributes if isinstance(attributes, dict) else {}
            message_id = (
                message_id or json_text(attributes.get("message_id")) or json_text(data.get("id"))
            )
            state = state or json_text(attributes.get("message_state"))
        if message_id is None:
            raise PayloadError("Smartswitch receipt without message_id")
        if state is None:
            raise PayloadError("Smartswitch receipt without message_state")
        return Normalized(
            events=(
                DeliveryEvent(
                    status=MESSAGE_STATES.get(state.lower(), Status.UNKNOWN),
                    provider_status=state,
                    message_id=message_id,
                ),
            )
        )


def _json_api_data(document: Any) -> dict[str, Any] | None:
    if isinstance(document, dict):
        data = document.get("data")
        if isinstance(data, dict):
            return data
    return None
