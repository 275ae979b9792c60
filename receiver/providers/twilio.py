"""Twilio Programmable Messaging: status callbacks and incoming-message webhooks.

Both arrive as form POSTs (GET puts the same fields in the query) and are told apart by their
content: an incoming message carries `Body`/`NumMedia` and the status `received`; a status
callback carries `MessageStatus` (legacy `SmsStatus`) for a message we sent. Every answer is an
empty TwiML document, so pointing a number's incoming-message webhook here does not make Twilio
log error 12300 (invalid Content-Type) for each reply.

`RawDlrDoneDate` (the carrier's receipt time, YYMMDDhhmm) carries no time zone: it is taken as
UTC. The signature (`X-Twilio-Signature`) is checked exactly as the official SDK's
`twilio.request_validator.RequestValidator.validate` checks it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar
from urllib.parse import ParseResult, parse_qs, urlparse

from receiver.providers.base import Adapter, Answer, Request, SignatureError
from receiver.providers.signing import hmac_digests, matches_any
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.payload import Payload
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status

__all__ = ["TwilioAdapter"]

# MessageStatus -> normalized status. The values are the Message resource's status enum
# (twilio-openapi MessageEnumStatus; twilio.com/docs/messaging/api/message-resource); the mapping
# follows the project's provider notes (NOTES.md §7, §8).
MESSAGE_STATUSES: Mapping[str, Status] = {
    "accepted": Status.QUEUED,  # Messaging Service accepted it; no callback for this initial one
    "scheduled": Status.QUEUED,  # Messaging Service will send it later
    "queued": Status.QUEUED,
    "sending": Status.SENT,  # being handed to the carrier
    "sent": Status.SENT,  # the carrier took it
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,  # WhatsApp/RCS read receipt: delivered, and then some
    "partially_delivered": Status.DELIVERED,  # kept raw; NOTES §8 groups it with delivered
    "undelivered": Status.UNDELIVERED,  # the carrier reported a failure
    "failed": Status.REJECTED,  # never left Twilio (e.g. 21610 unsubscribed, 30034 unregistered)
    "canceled": Status.REJECTED,  # a scheduled message canceled before it was sent
    # Inbound-only states: they say nothing about the delivery of a message we sent.
    "receiving": Status.UNKNOWN,
    "received": Status.UNKNOWN,
}

# The ErrorCode values operators meet most, twilio.com/docs/api/errors/<code>.
ERROR_CODES: Mapping[str, str] = {
    "21610": "recipient unsubscribed (replied STOP)",
    "30001": "queue overflow",
    "30002": "account suspended",
    "30003": "unreachable destination handset",
    "30004": "message blocked",
    "30005": "unknown destination handset",
    "30006": "landline or unreachable carrier",
    "30007": "filtered by the carrier",
    "30008": "unknown error",
    "30034": "sender not registered (US A2P 10DLC)",
}

# RawDlrDoneDate: YYMMDDhhmm (twilio.com changelog 2023-02-14); seconds tolerated. Taken as UTC.
DONE_DATE_FORMATS = ("%y%m%d%H%M", "%y%m%d%H%M%S")

# OptOutType, sent with an incoming message when Advanced Opt-Out matched a keyword: STOP, START
# or HELP; only STOP is an opt-out (help.twilio.com article 31560110671259, "How to Track
# Opt-Out, Opt-In and Help Messages Using the OptOutType Parameter").
OPT_OUT_TYPE_STOP = "STOP"

#: An empty TwiML document: "do nothing" (twilio.com/docs/messaging/twiml).
EMPTY_TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

_SIGNATURE_HEADER = "x-twilio-signature"
# Present when a Webhook Rule signs with a SharedKey: key=<id>,algorithm=<HMAC_SHA1|HMAC_SHA256>
# (twilio.com/docs/usage/webhooks/webhook-shared-keys; SDK get_signature_algorithm).
_SETTINGS_HEADER = "x-twilio-webhooks-signature-settings"
_DIGESTS: Mapping[str, Callable[[], Any]] = {
    "HMAC_SHA1": hashlib.sha1,
    "HMAC_SHA256": hashlib.sha256,
}
_FORM = "application/x-www-form-urlencoded"


class TwilioAdapter(Adapter):
    slug: ClassVar[str] = "twilio"
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {
        "MessageStatus / SmsStatus": MESSAGE_STATUSES
    }
    keyed_by: ClassVar[str] = "MessageSid (legacy SmsSid)"
    answer: ClassVar[Answer] = Answer(body=EMPTY_TWIML, content_type="text/xml")

    def __init__(self, auth_tokens: tuple[str, ...] = ()) -> None:
        # Auth Tokens (primary and secondary during rotation) and/or SharedKey secrets.
        self.auth_tokens = auth_tokens

    @property
    def verifies(self) -> bool:
        return bool(self.auth_tokens)

    def verify(self, request: Request) -> None:
        """base64(HMAC(token, URL + each POST key+value, sorted)), as RequestValidator.validate.

        A JSON (non-form) body is not among the signed parameters; Twilio then signs a URL that
        carries `bodySHA256`, the hex SHA-256 of the body, which must match it.
        """
        signature = request.header(_SIGNATURE_HEADER)
        if not signature:
            raise SignatureError("missing X-Twilio-Signature")
        digest = _algorithm(request.header(_SETTINGS_HEADER))
        if digest is None:
            raise SignatureError("unsupported algorithm in X-Twilio-Webhooks-Signature-Settings")
        try:
            parsed = urlparse(request.url)
            variants = _url_variants(parsed)
        except ValueError:
            raise SignatureError("malformed request URL (port)") from None

        body_hash: str | None = None
        params: list[tuple[str, str]] = []
        if _is_form(request.content_type):
            params = request.form_params
        else:
            hashes = parse_qs(parsed.query).get("bodySHA256")
            if hashes:
                body_hash = hashes[0]
            elif request.body:
                raise SignatureError(
                    "non-form body without bodySHA256: the signature can't cover it"
                )

        expected = [
            base64.b64encode(mac)
            for url in variants
            for mac in hmac_digests(self.auth_tokens, _signed_text(url, params).encode(), digest)
        ]
        if not matches_any(signature, expected):
            raise SignatureError("wrong signature")
        if body_hash is not None and not matches_any(
            body_hash, [hashlib.sha256(request.body).hexdigest()]
        ):
            raise SignatureError("body does not match bodySHA256")

    def parse(self, payload: Payload) -> Normalized:
        sid = payload.get("MessageSid", "SmsSid")
        status = payload.get("MessageStatus", "SmsStatus")
        if sid is None:
            raise PayloadError("Twilio callback without MessageSid or SmsSid")
        if _is_incoming(payload, status):
            return Normalized(inbound=(_incoming(payload, sid),))
        if status is None:
            raise PayloadError("Twilio callback without MessageStatus or SmsStatus")
        error_code = payload.get("ErrorCode")
        if error_code == "0":
            error_code = None
        done = payload.get("RawDlrDoneDate")
        event = DeliveryEvent(
            status=MESSAGE_STATUSES.get(status.lower(), Status.UNKNOWN),
            provider_status=status,
            message_id=sid,
            recipient=fields.recipient(payload.get("To")),
            error_code=error_code,
            error_detail=ERROR_CODES.get(error_code) if error_code else None,
            occurred_at=fields.parse_time(done, *DONE_DATE_FORMATS),
            occurred_at_raw=done,
        )
        return Normalized(events=(event,))


def _is_incoming(payload: Payload, status: str | None) -> bool:
    """An incoming-message webhook: a body (or media count), and no outbound status."""
    has_content = payload.get("Body") is not None or payload.get("NumMedia") is not None
    return has_content and (status is None or status.lower() == "received")


def _incoming(payload: Payload, sid: str) -> InboundMessage:
    text = payload.get("Body")
    opt_out_type = payload.get("OptOutType")
    if opt_out_type is not None:
        # Twilio matched the whole body against the service's keywords (custom ones included).
        is_opt_out = opt_out_type.upper() == OPT_OUT_TYPE_STOP
        keyword = (
            (fields.opt_out_keyword(text) or (text or "").upper() or None) if is_opt_out else None
        )
    else:
        keyword = fields.opt_out_keyword(text)
        is_opt_out = keyword is not None
    return InboundMessage(
        sender=fields.recipient(payload.get("From")),
        recipient=fields.recipient(payload.get("To")),
        text=text,
        message_id=sid,
        is_opt_out=is_opt_out,
        keyword=keyword,
    )


def _algorithm(settings: str | None) -> Callable[[], Any] | None:
    """The digest the settings header names (no header or no algorithm: HMAC-SHA1)."""
    name = "HMAC_SHA1"
    for part in (settings or "").split(","):
        key, separator, value = part.partition("=")
        if separator and key.strip() == "algorithm" and value.strip():
            name = value.strip()
            break
    return _DIGESTS.get(name.upper())


def _url_variants(parsed: ParseResult) -> tuple[str, str]:
    """The URL without and with its port: proxies add or drop a default port, and Twilio's own
    signing is not consistent about it (SDK remove_port/add_port, reproduced exactly)."""
    if parsed.port:
        without = parsed._replace(netloc=parsed.netloc.split(":")[0]).geturl()
        return without, parsed.geturl()
    default = 443 if parsed.scheme == "https" else 80
    return parsed.geturl(), parsed._replace(netloc=f"{parsed.netloc}:{default}").geturl()


def _signed_text(url: str, params: Sequence[tuple[str, str]]) -> str:
    """URL, then each distinct key in order and, under it, each distinct value in order."""
    values: dict[str, set[str]] = {}
    for key, value in params:
        values.setdefault(key, set()).add(value)
    return url + "".join(key + value for key in sorted(values) for value in sorted(values[key]))


def _is_form(content_type: str | None) -> bool:
    return (content_type or "").split(";", 1)[0].strip().lower() == _FORM
