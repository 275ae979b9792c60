"""Plivo messaging: message status callbacks (the `url` given at send) and incoming messages.

Both are form POSTs (query parameters for GET). A status callback names the message by
`MessageUUID` and its state by `Status`; an incoming message (an application's `message_url`)
has `Text` and no `Status`.

Multipart messages: Plivo documents `ParentMessageUUID` as "same as the MessageUUID ... reserved
for future use" and `PartInfo` likewise, so today one callback reports the whole message.
Should a callback ever report one part (ParentMessageUUID differing from MessageUUID), it is
filed under the parent, the id the sender holds from the send response (nyaruka/courier's Plivo
handler keys its status updates the same way), and the part's own MessageUUID goes into the
event id so the parts' reports stay separate events.

`MessageTime`, `QueuedTime`, `SentTime` and `DeliveryReportTime` ("YYYY-mm-dd HH:MM:SS.SSSSSS")
carry no time zone: they are taken as UTC.

The signature is Plivo's V3 scheme (`X-Plivo-Signature-V3`, `X-Plivo-Signature-Ma-V3` and
`X-Plivo-Signature-V3-Nonce`), checked as the official SDK's
`plivo.utils.signature_v3.validate_v3_signature` checks it. It has no timestamp, so there is no
replay window; retries are deduplicated downstream.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import ClassVar
from urllib.parse import parse_qs, urlparse, urlunparse

from receiver.providers.base import Adapter, Request, SignatureError
from receiver.providers.signing import hmac_digests, matches_any
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.payload import Payload
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status

__all__ = ["PlivoAdapter"]

# Status -> normalized status. plivo.com/docs/messaging/api/message/message-status-callbacks
# ("queued, sent, failed, delivered, undelivered, read (WhatsApp only)"); `rejected` is in the
# older callback page (staging.web.plivops.com/docs/sms/api/message/message-status-callbacks) and
# in nyaruka/courier's handler. The message object page says "failed if an internal error occurs
# before the message is passed on to downstream carriers" (e.g. 900 insufficient credit): it
# never left Plivo, which is `rejected` here, while `undelivered` is the carrier's receipt.
MESSAGE_STATUSES: Mapping[str, Status] = {
    "queued": Status.QUEUED,
    "sent": Status.SENT,  # handed to the carrier; may stay the last status without a receipt
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,  # WhatsApp read receipt
    "undelivered": Status.UNDELIVERED,
    "failed": Status.REJECTED,
    "rejected": Status.REJECTED,
}

# ErrorCode -> reason, plivo.com/docs/messaging/troubleshooting/error-codes (and the support
# article on 900). "000" (or an empty value) means no error.
ERROR_CODES: Mapping[str, str] = {
    "10": "invalid message",
    "20": "network error",
    "30": "spam detected",
    "40": "invalid source number",
    "50": "invalid destination number",
    "450": "destination country barred",
    "900": "insufficient credit",
}

# The time each status is about, then the others from the latest on.
_TIME_FIELDS: Mapping[str, str] = {
    "queued": "QueuedTime",
    "sent": "SentTime",
    "delivered": "DeliveryReportTime",
    "undelivered": "DeliveryReportTime",
    "read": "DeliveryReportTime",
}
_TIME_FALLBACK = ("DeliveryReportTime", "SentTime", "QueuedTime", "MessageTime")
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M:%S%z",
)

_NONCE_HEADER = "x-plivo-signature-v3-nonce"
# V3 is made with the (sub)account's Auth Token, Ma-V3 always with the main account's
# (plivo.com/docs/voice/xml/request/validation, which lists message callbacks among its URLs).
_SIGNATURE_HEADERS = ("x-plivo-signature-v3", "x-plivo-signature-ma-v3")
_FORM = "application/x-www-form-urlencoded"


class PlivoAdapter(Adapter):
    slug: ClassVar[str] = "plivo"
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {"Status": MESSAGE_STATUSES}
    keyed_by: ClassVar[str] = "MessageUUID (a part's reports go under ParentMessageUUID)"

    def __init__(self, auth_tokens: tuple[str, ...] = ()) -> None:
        # Main account and/or subaccount Auth Tokens.
        self.auth_tokens = auth_tokens

    @property
    def verifies(self) -> bool:
        return bool(self.auth_tokens)

    def verify(self, request: Request) -> None:
        """base64(HMAC-SHA256(token, signed URL + "." + nonce)), as validate_v3_signature.

        A header may hold several signatures, comma-separated; any one matching any configured
        token is enough.
        """
        nonce = request.header(_NONCE_HEADER)
        if not nonce:
            raise SignatureError("missing X-Plivo-Signature-V3-Nonce")
        given = [
            value.strip()
            for name in _SIGNATURE_HEADERS
            for value in (request.header(name) or "").split(",")
            if value.strip()
        ]
        if not given:
            raise SignatureError("missing X-Plivo-Signature-V3")
        is_get = request.method.upper() == "GET"
        if not is_get and request.body and not _is_form(request.content_type):
            raise SignatureError("body is not a form, so the signature can't cover it")
        signed = _signed_url(request.url, None if is_get else request.form_params)
        message = f"{signed}.{nonce}".encode()
        expected = [base64.b64encode(mac) for mac in hmac_digests(self.auth_tokens, message)]
        found = False
        for signature in given:
            found |= matches_any(signature, expected)
        if not found:
            raise SignatureError("wrong signature")

    def parse(self, payload: Payload) -> Normalized:
        uuid = payload.get("MessageUUID")
        status = payload.get("Status")
        if status is None and uuid is not None and "Text" in payload.fields:
            return Normalized(inbound=(_incoming(payload, uuid),))
        parent = payload.get("ParentMessageUUID")
        message_id = parent or uuid
        if message_id is None:
            raise PayloadError("Plivo callback without MessageUUID")
        if status is None:
            raise PayloadError("Plivo callback without Status")
        error_code = payload.get("ErrorCode")
        if error_code is not None and not error_code.strip("0"):
            error_code = None  # "000": delivered, no error
        time_raw = fields.first(
            payload.get(name)
            for name in (_TIME_FIELDS.get(status.lower()), *_TIME_FALLBACK)
            if name
        )
        event = DeliveryEvent(
            status=MESSAGE_STATUSES.get(status.lower(), Status.UNKNOWN),
            provider_status=status,
            message_id=message_id,
            recipient=fields.recipient(payload.get("To")),
            error_code=error_code,
            error_detail=ERROR_CODES.get(error_code) if error_code else None,
            occurred_at=fields.parse_time(time_raw, *TIME_FORMATS),
            occurred_at_raw=time_raw,
            event_id=_part_event_id(payload, uuid, parent, status),
        )
        return Normalized(events=(event,))


def _part_event_id(
    payload: Payload, uuid: str | None, parent: str | None, status: str
) -> str | None:
    """For a report about one part of a multipart message: part, status and callback sequence."""
    if uuid is None or parent is None or uuid == parent:
        return None
    return f"part:{uuid}:{status}:{payload.get('Sequence') or ''}"


def _incoming(payload: Payload, uuid: str) -> InboundMessage:
    text = payload.get("Text")
    keyword = fields.opt_out_keyword(text)
    return InboundMessage(
        sender=fields.recipient(payload.get("From")),
        recipient=fields.recipient(payload.get("To")),
        text=text,
        message_id=uuid,
        is_opt_out=keyword is not None,
        keyword=keyword,
    )


def _signed_url(url: str, form: Sequence[tuple[str, str]] | None) -> str:
    """What V3 signs before the nonce (SDK construct_get_url / construct_post_url).

    GET (`form` None): scheme://host/path, then "?" and the query as key=value pairs sorted
    and joined by "&" (if any). POST: the same, "?" even without a query when there are form
    parameters, "." between query and parameters when there are both, then each parameter as
    key+value, sorted. Values are the decoded ones; a repeated key gives each value, sorted.
    """
    parsed = urlparse(url)
    base = urlunparse((parsed.scheme, parsed.netloc, parsed.path, "", "", ""))
    query = parse_qs(parsed.query, keep_blank_values=True)
    query_text = "&".join(f"{key}={value}" for key in sorted(query) for value in sorted(query[key]))
    if form is None:
        return f"{base}?{query_text}" if query_text else base
    params: dict[str, list[str]] = {}
    for key, value in form:
        params.setdefault(key, []).append(value)
    signed = base
    if query_text or params:
        signed += f"?{query_text}"
    if query_text and params:
        signed += "."
    return signed + "".join(key + value for key in sorted(params) for value in sorted(params[key]))


def _is_form(content_type: str | None) -> bool:
    return (content_type or "").split(";", 1)[0].strip().lower() == _FORM
