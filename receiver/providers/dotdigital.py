"""dotdigital Omnichannel (CPaaS, formerly Comapi "One API") webhooks.

Each event is an envelope `{eventId, accountId, apiSpaceId, name, payload, revision, etag,
timestamp}`; with batching on (dotdigital recommends it) one POST carries a JSON array of up to
500 of them (developer.dotdigital.com/reference/webhooks, /reference/message-events).

A message event's `name` is its status (`message.sent`, `message.delivered`, ...), so
`provider_status` is the event name alone: the channel's own status
(`payload.details.channelStatus.<channel>.status`) repeats it in the channel's words and is
left in the stored body. `payload.id` is the message id the send returned,
`details.additionalInfo` holds `to` and `clientRef`, and `timestamp` (UTC ISO-8601) is when the
event occurred; a time without an offset is taken as UTC. `eventId` is repeated on retries, so
it identifies the event.

Everything else dotdigital can send to the same webhook (`interaction.click`, `profile.*`,
`chat.*`, ...) is stored and yields nothing. In a batch, an unreadable item is skipped so the
rest still count; only a body with nothing readable at all is a parse error. Every stored
request is answered 200: dotdigital never retries a 400, so the event would be lost.

The signature is `X-Comapi-Signature`: hex HMAC-SHA1 of the raw body with the webhook's secret.
The official C# sample prints it upper-case and the Python one lower-case, so either is accepted
(comapi/ddg-cpaas-quickstarts, OneAPI/cSharp/Webhook_3_5/webhookHandler.ashx.cs and
OneAPI/Python/Webhook/webhook.py). It has no timestamp, so no replay window.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from receiver.providers.base import Adapter, Request, SignatureError
from receiver.providers.signing import hmac_digests, matches_any
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.fields import json_text, parse_iso
from receiver.providers.toolkit.payload import Payload
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status

__all__ = ["DotdigitalAdapter"]

# Message event name -> normalized status, developer.dotdigital.com/reference/message-events
# (NOTES §11); keys lower-cased, names are matched case-insensitively.
MESSAGE_EVENTS: Mapping[str, Status] = {
    "message.sentrequest": Status.QUEUED,  # the send request was accepted for the channel
    "message.sent": Status.SENT,  # sent on the channel
    "message.delivered": Status.DELIVERED,
    "message.read": Status.DELIVERED,  # read/opened, where the channel supports it
    "message.expired": Status.EXPIRED,  # not delivered within expiresOn or the channel default
    "message.failed": Status.UNDELIVERED,  # failed to be delivered
}

# An inbound message (an SMS reply). [I] The name is inferred from the message.* family; the
# public pages read for this adapter do not show the inbound event, so its payload is read
# tolerantly below.
INBOUND_EVENTS = frozenset({"message.inbound"})

#: Signature header (compared lower-cased).
SIGNATURE_HEADER = "x-comapi-signature"
_HEX_SHA1 = re.compile(r"[0-9a-fA-F]{40}")


class DotdigitalAdapter(Adapter):
    slug: ClassVar[str] = "dotdigital"
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {"name": MESSAGE_EVENTS}
    keyed_by: ClassVar[str] = "payload.id; retries are one event by eventId"
    #: Batches of up to 500 events per POST outgrow the 64 KiB default.
    max_body: ClassVar[int | None] = 2 * 1024 * 1024

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self.secrets = secrets

    @property
    def verifies(self) -> bool:
        return bool(self.secrets)

    def verify(self, request: Request) -> None:
        given = (request.header(SIGNATURE_HEADER) or "").strip()
        if not given:
            raise SignatureError("missing X-Comapi-Signature header")
        if not _HEX_SHA1.fullmatch(given):
            raise SignatureError("malformed signature: not a hex HMAC-SHA1")
        expected = [d.hex() for d in hmac_digests(self.secrets, request.body, hashlib.sha1)]
        if not matches_any(given.lower(), expected):
            raise SignatureError("wrong signature")

    def parse(self, payload: Payload) -> Normalized:
        document = payload.json
        if isinstance(document, dict):
            items: list[Any] = [document]
        elif isinstance(document, list):
            items = document
        else:
            raise PayloadError("dotdigital webhook body is not a JSON event or array of events")
        events: list[DeliveryEvent] = []
        inbound: list[InboundMessage] = []
        readable = 0
        for item in items:
            result = _item(item)
            if result is None:
                continue
            readable += 1
            if isinstance(result, DeliveryEvent):
                events.append(result)
            elif isinstance(result, InboundMessage):
                inbound.append(result)
        if not readable:
            raise PayloadError(
                f"no readable dotdigital event among {len(items)} item(s)"
                if items
                else "empty dotdigital batch"
            )
        return Normalized(events=tuple(events), inbound=tuple(inbound))


def _item(item: Any) -> DeliveryEvent | InboundMessage | bool | None:
    """One envelope: an event, an inbound message, True (readable, ignored) or None (unreadable)."""
    if not isinstance(item, dict):
        return None
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    name = name.strip()
    folded = name.lower()
    if folded in INBOUND_EVENTS:
        return _inbound(item)
    if folded.startswith("message."):
        return _event(item, name)
    return True  # interaction.click, profile.*, chat.*, ...: not about delivery


def _event(item: dict[str, Any], name: str) -> DeliveryEvent | None:
    body = _dict(item, "payload")
    if body is None:
        return None
    details = _dict(body, "details") or {}
    info = _dict(details, "additionalInfo") or {}
    message_id = json_text(body.get("id"))
    client_ref = json_text(info.get("clientRef"))
    if message_id is None and client_ref is None:
        return None  # nothing to tie it to a message
    status = MESSAGE_EVENTS.get(name.lower(), Status.UNKNOWN)
    raw_time = json_text(item.get("timestamp")) or json_text(body.get("updatedOn"))
    channel_status = _channel_status(details)
    return DeliveryEvent(
        status=status,
        provider_status=name,
        message_id=message_id,
        client_ref=client_ref,
        recipient=fields.recipient(json_text(info.get("to"))),
        error_detail=(
            _as_text(channel_status.get("details"))
            if status is Status.UNDELIVERED and channel_status
            else None
        ),
        occurred_at=parse_iso(raw_time),
        occurred_at_raw=raw_time,
        event_id=json_text(item.get("eventId")),
    )


def _channel_status(details: dict[str, Any]) -> dict[str, Any] | None:
    """`channelStatus` for the message's channel (`sms` when it names none)."""
    statuses = _dict(details, "channelStatus")
    if statuses is None:
        return None
    channel = json_text(details.get("channel")) or "sms"
    found = statuses.get(channel)
    if not isinstance(found, dict):
        found = next((value for value in statuses.values() if isinstance(value, dict)), None)
    return found


def _inbound(item: dict[str, Any]) -> InboundMessage | None:
    body = _dict(item, "payload")
    if body is None:
        return None
    details = _dict(body, "details") or {}
    info = _dict(details, "additionalInfo") or {}
    places = (body, details, info)
    sender = _first_address(places, "from")
    text = _first_text(places, "body", "text", "message")
    if sender is None and text is None:
        return None
    raw_time = json_text(item.get("timestamp")) or json_text(body.get("updatedOn"))
    keyword = fields.opt_out_keyword(text)
    return InboundMessage(
        sender=fields.recipient(sender),
        recipient=fields.recipient(_first_address(places, "to")),
        text=text,
        message_id=json_text(body.get("id")),
        occurred_at=parse_iso(raw_time),
        occurred_at_raw=raw_time,
        is_opt_out=keyword is not None,
        keyword=keyword,
    )


def _first_address(places: tuple[dict[str, Any], ...], key: str) -> str | None:
    """A phone number under `key`: a plain value or an object with phoneNumber/address."""
    for place in places:
        value = place.get(key)
        if isinstance(value, dict):
            value = value.get("phoneNumber") or value.get("address") or value.get("profileId")
        text = json_text(value)
        if text:
            return text
    return None


def _first_text(places: tuple[dict[str, Any], ...], *keys: str) -> str | None:
    for place in places:
        for key in keys:
            text = json_text(place.get(key))
            if text:
                return text
    return None


def _as_text(value: Any) -> str | None:
    """A detail value as stored text: strings as they are, anything else as compact JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return str(value)


def _dict(document: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = document.get(key)
    return value if isinstance(value, dict) else None
