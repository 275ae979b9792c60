"""Esendex push notifications: one small XML document per POST.

Esendex (the UK/European platform behind api.esendex.com; Esendex US is CDYNE, see cdyne.py)
POSTs one XML document per event to the URL set for each notification type in Developer Tools
(Message Received, Message Delivered, Message Failed, Opt Out), and retries a notification
"for the next 72 hours" until it is answered 200 (developers.esendex.com/APIs/Push-Notifications).
The root element names the notification; there is no signature.

Elements are read by local name and case-insensitively: the documented samples carry no
namespace, Esendex's REST documents are in xmlns="http://api.esendex.com/ns/", and some
consumers see them lower-cased, so all of these are read alike.

Time zone: OccurredAt is "the UTC DateTime (yyyy-MM-ddThh:mm:ss)", without an offset
(forum.esendex.com/accounteventhandler-t408.html; esendex-ruby-sdk parses it with that
format), so a time without an offset is taken as UTC; an offset or `Z`, if sent, is honoured.
OptOut's ReceivedAt and the legacy handler's occurredAt / receivedAt are undocumented as to time
zone and assumed UTC alike (the REST opt-out resource writes "2016-05-04T10:27:12Z").

Identity: MessageId is the outbound message's id, as the message dispatcher returned it, and
keys the message. Id is the push notification's own id ("guid-of-push-notification"). Esendex
does not say a retry repeats it, but a retry is the same notification resent, so Id is taken as
stable across retries and used as the event id (a retry is stored once).

Legacy: Messenger's Account Event Handler (www.esendex.com/secure/messenger/formpost/
AccountEventHandler.aspx and the SOAP operations of soap/AccountEventHandler.asmx) posts a form
with `notificationType` (MessageReceived, MessageEvent, MessageError, SubscriptionEvent), or a
SOAP envelope whose Body holds an operation of the same name. Both are read too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import ClassVar
from xml.etree.ElementTree import Element

from receiver.providers.base import Adapter
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.payload import Payload
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status

__all__ = ["EsendexAdapter"]

# Push notification root element -> status. developers.esendex.com/APIs/Push-Notifications;
# esendex/esendex-ruby-sdk lib/esendex/message_delivered_event.rb, message_failed_event.rb.
NOTIFICATIONS: Mapping[str, Status] = {
    "MessageDelivered": Status.DELIVERED,
    "MessageFailed": Status.UNDELIVERED,
}

# Legacy MessageEvent eventType: "Currently, the only value is Delivered, but this may be
# extended in future releases" (www.esendex.com/secure/messenger/formpost/AccountEventHandler.aspx).
EVENT_TYPES: Mapping[str, Status] = {
    "Delivered": Status.DELIVERED,
}

# Legacy MessageError errorType: "Failed, UnrecognisedRecipient or ValidityPeriodExpired" (same
# page; soap/AccountEventHandler.asmx?op=MessageError).
ERROR_TYPES: Mapping[str, Status] = {
    "Failed": Status.UNDELIVERED,
    "UnrecognisedRecipient": Status.REJECTED,
    "ValidityPeriodExpired": Status.EXPIRED,
}

# Neither the OptOut notification nor a premium-rate Unsubscribe carries the reply's text; the
# keyword is assumed to be the one Esendex's opt-out handling acts on.
OPT_OUT_KEYWORD = "STOP"

_NOTIFICATIONS = {name.casefold(): status for name, status in NOTIFICATIONS.items()}
_EVENT_TYPES = {name.casefold(): status for name, status in EVENT_TYPES.items()}
_ERROR_TYPES = {name.casefold(): status for name, status in ERROR_TYPES.items()}

#: Reads the first of some field names present (case-insensitively), stripped; else None.
Fields = Callable[..., str | None]


class EsendexAdapter(Adapter):
    slug: ClassVar[str] = "esendex"
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {
        "root element (any other: a parse error)": NOTIFICATIONS,
        "eventType (legacy MessageEvent)": EVENT_TYPES,
        "errorType (legacy MessageError)": ERROR_TYPES,
    }
    keyed_by: ClassVar[str] = "MessageId (legacy: id); the notification's Id is the event id"

    def parse(self, payload: Payload) -> Normalized:
        root = payload.xml
        if root is None:
            kind = payload.get("notificationType")
            if kind is None:
                raise PayloadError(
                    "Esendex notification is neither XML nor a legacy account event form "
                    "(no notificationType)"
                )
            return _legacy(kind, payload.get)
        name = _local(root.tag)
        folded = name.casefold()
        if folded == "envelope":
            return _soap(root)
        if folded in _NOTIFICATIONS:
            return _delivery(root, name, _NOTIFICATIONS[folded])
        if folded == "inboundmessage":
            return _inbound(root)
        if folded == "optout":
            return _opt_out(root)
        raise PayloadError(
            f"Esendex XML notification <{_shown(name)}> is not MessageDelivered, MessageFailed, "
            "InboundMessage or OptOut"
        )


# -- push notifications ---------------------------------------------------------------------


def _delivery(root: Element, name: str, status: Status) -> Normalized:
    message_id = _text(root, "MessageId")
    if message_id is None:
        raise PayloadError(f"Esendex {name} notification without MessageId")
    reason = _child(root, "FailureReason")
    raw_time = _text(root, "OccurredAt")
    event = DeliveryEvent(
        status=status,
        provider_status=name,
        message_id=message_id,
        error_code=_text(reason, "Code"),
        # The REST API's failurereason has <description>; some consumers read <Detail>.
        error_detail=_failure_detail(
            _text(reason, "Description", "Detail"), _text(reason, "PermanentFailure")
        ),
        occurred_at=_time(raw_time),
        occurred_at_raw=raw_time,
        event_id=_text(root, "Id"),
    )
    return Normalized(events=(event,))


def _inbound(root: Element) -> Normalized:
    sender = fields.recipient(_address(root, "From"))
    message_id = _text(root, "MessageId")
    if sender is None and message_id is None:
        raise PayloadError("Esendex InboundMessage notification without From or MessageId")
    text = _text(root, "MessageText")
    keyword = fields.opt_out_keyword(text)
    raw_time = _text(root, "ReceivedAt", "OccurredAt")  # not documented; read when sent
    message = InboundMessage(
        sender=sender,
        recipient=fields.recipient(_address(root, "To")),
        text=text,
        message_id=message_id,
        occurred_at=_time(raw_time),
        occurred_at_raw=raw_time,
        is_opt_out=keyword is not None,
        keyword=keyword,
    )
    return Normalized(inbound=(message,))


def _opt_out(root: Element) -> Normalized:
    sender = fields.recipient(_address(root, "From"))
    if sender is None:
        raise PayloadError("Esendex OptOut notification without From/PhoneNumber")
    text = _text(root, "MessageText")  # not documented; kept when sent
    raw_time = _text(root, "ReceivedAt")
    message = InboundMessage(
        sender=sender,
        recipient=None,  # AccountReference names the account, not a number
        text=text,
        # The opt-out's Id: the same on every retry, so a retry is stored once.
        message_id=_text(root, "Id"),
        occurred_at=_time(raw_time),
        occurred_at_raw=raw_time,
        is_opt_out=True,
        keyword=fields.opt_out_keyword(text) or OPT_OUT_KEYWORD,
    )
    return Normalized(inbound=(message,))


# -- the legacy account event handler -------------------------------------------------------


def _soap(envelope: Element) -> Normalized:
    body = _child(envelope, "Body")
    operation = (
        next((c for c in body if isinstance(c.tag, str)), None) if body is not None else None
    )
    if operation is None:
        raise PayloadError("Esendex SOAP account event without an operation in its Body")
    # Leaves by local name, first wins: failurereason's code and description are nested.
    leaves: dict[str, str] = {}
    for element in operation.iter():
        if element is operation or len(element) or not isinstance(element.tag, str):
            continue
        leaves.setdefault(_local(element.tag).casefold(), (element.text or "").strip())

    def get(*names: str) -> str | None:
        for name in names:
            value = leaves.get(name.casefold())
            if value is not None:
                return value or None
        return None

    return _legacy(_local(operation.tag), get)


def _legacy(kind: str, get: Fields) -> Normalized:
    folded = kind.casefold()
    if folded == "messageevent":
        return _legacy_event(get, "MessageEvent", get("eventType"), _EVENT_TYPES)
    if folded == "messageerror":
        return _legacy_event(get, "MessageError", get("errorType"), _ERROR_TYPES)
    if folded == "messagereceived":
        return _legacy_received(get)
    if folded == "subscriptionevent":
        return _legacy_subscription(get)
    raise PayloadError(
        f"Esendex account event {_shown(kind)!r} is not MessageEvent, MessageError, "
        "MessageReceived or SubscriptionEvent"
    )


def _legacy_event(
    get: Fields, kind: str, raw_status: str | None, table: Mapping[str, Status]
) -> Normalized:
    if raw_status is None:
        raise PayloadError(f"Esendex {kind} without its {kind[7:].lower()} type")
    message_id = get("id")
    if message_id is None:
        raise PayloadError(f"Esendex {kind} without the message id")
    # The SOAP page spells the parameter "occuredat" once; the sample says occurredat.
    raw_time = get("occurredAt", "occuredAt")
    event = DeliveryEvent(
        status=table.get(raw_status.casefold(), Status.UNKNOWN),
        provider_status=raw_status,
        message_id=message_id,
        error_code=get("code"),
        error_detail=_failure_detail(get("detail", "description"), get("permanentfailure")),
        occurred_at=_time(raw_time),
        occurred_at_raw=raw_time,
    )
    return Normalized(events=(event,))


def _legacy_received(get: Fields) -> Normalized:
    sender = fields.recipient(get("originator"))
    message_id = get("id")
    if sender is None and message_id is None:
        raise PayloadError("Esendex MessageReceived without originator or id")
    text = get("body")
    keyword = fields.opt_out_keyword(text)
    raw_time = get("receivedAt")
    message = InboundMessage(
        sender=sender,
        recipient=fields.recipient(get("recipient")),
        text=text,
        message_id=message_id,
        occurred_at=_time(raw_time),
        occurred_at_raw=raw_time,
        is_opt_out=keyword is not None,
        keyword=keyword,
    )
    return Normalized(inbound=(message,))


def _legacy_subscription(get: Fields) -> Normalized:
    # The form post calls it eventType, the SOAP operation eventCode.
    event_type = get("eventType", "eventCode")
    sender = fields.recipient(get("mobileNumber"))
    if event_type is None or sender is None:
        raise PayloadError("Esendex SubscriptionEvent without mobileNumber or its event type")
    if event_type.casefold() != "unsubscribe":
        return Normalized()  # Subscribe, Resubscribe, Continue: nothing to record
    raw_time = get("occurredAt")
    message = InboundMessage(
        sender=sender,
        recipient=None,
        text=None,
        occurred_at=_time(raw_time),
        occurred_at_raw=raw_time,
        is_opt_out=True,
        keyword=OPT_OUT_KEYWORD,
    )
    return Normalized(inbound=(message,))


# -- reading --------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _shown(name: str) -> str:
    """A name from the request, cut short for an error message."""
    return name if len(name) <= 60 else name[:60] + "..."


def _child(element: Element | None, *names: str) -> Element | None:
    """The first child called one of `names` (local name, any case), in the order of `names`."""
    if element is None:
        return None
    for name in names:
        wanted = name.casefold()
        for child in element:
            if isinstance(child.tag, str) and _local(child.tag).casefold() == wanted:
                return child
    return None


def _text(element: Element | None, *names: str) -> str | None:
    child = _child(element, *names)
    if child is None:
        return None
    return (child.text or "").strip() or None


def _address(element: Element, name: str) -> str | None:
    """A number given as the element's text, or as its <PhoneNumber> child (as OptOut does)."""
    return _text(element, name) or _text(_child(element, name), "PhoneNumber")


def _time(raw: str | None) -> datetime | None:
    try:
        return fields.parse_iso(raw)
    except OverflowError:  # an offset that moves a year-1 or year-9999 time out of range
        return None


def _failure_detail(description: str | None, permanent: str | None) -> str | None:
    """The failure description, saying whether Esendex called the failure permanent."""
    flag = (permanent or "").casefold()
    if flag in ("true", "1"):
        note = "permanent failure"
    elif flag in ("false", "0"):
        note = "not a permanent failure"
    else:
        return description
    return f"{description} ({note})" if description else note
