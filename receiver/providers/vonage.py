"""Vonage (formerly Nexmo): SMS API delivery receipts and Messages API status webhooks.

SMS API receipts come as a GET query string, a form POST or a JSON POST, as the account's
webhook method is set; the fields are the same flat `messageId`, `msisdn`, `status`, `err-code`,
`client-ref`, `scts`, `message-timestamp`... in all three (developer.vonage.com/en/messaging/sms/
guides/delivery-receipts; DeliveryReceipt in Nexmo/api-specification definitions/sms.yml). Inbound
SMS sent to the same URL (`msisdn`, `to`, `text`, `keyword`) become inbound messages.

Messages API webhooks are JSON: a status has `message_uuid`, `to`, `from`, `timestamp`, `status`,
`channel`, `client_ref` and, on failure, `error` {`type`, `title`, `detail`}
(developer.vonage.com/en/messages/concepts/messages-status-callbacks; the official Java SDK's
com/vonage/client/messages/MessageStatus.java). The v0.1 beta shape, with `to`/`from` objects and
`error` {`code`, `reason`} (Nexmo/api-specification definitions/messages-olympus.yml), also reads.

Times: the event time is `message-timestamp`, UTC "YYYY-MM-DD HH:MM:SS", which Vonage documents as
when it started to push the receipt, so it is the same on every retry. `scts` ("YYMMDDHHMM", when
the carrier's receipt reached Vonage) is in the carrier's local time, not UTC: the documented
samples put it one or two hours ahead of `message-timestamp` (UK and Danish numbers). It is used
only when `message-timestamp` (and the signed `timestamp`) are missing, and is then assumed UTC,
which is off by the carrier's UTC offset. Messages API timestamps are ISO 8601 with a zone.

Signatures (developer.vonage.com/en/getting-started/concepts/signing-messages): signed SMS API
webhooks carry `sig`, `timestamp` and `nonce` among their parameters. The signed string is every
other parameter sorted by name, each as `&name=value` with `&` and `=` in values replaced by `_`;
`sig` is its MD5 with the secret appended ("MD5 hash", the default) or its HMAC-MD5/SHA1/SHA256/
SHA512 keyed by the secret, in hex of either case (vonage_http_client/auth.py `sign_params` and
`check_signature`). The parameters checked are every field the receiver reads (query string and
body together), so nothing unsigned reaches `parse`; a signed POST webhook URL therefore must not
carry a query string of its own. Vonage documents no replay window and retries receipts, so the
`timestamp` is signed but its age is not checked.

Messages API webhooks are signed instead with an HS256 JWT in `Authorization: Bearer`, keyed by
the same signature secret (always SHA-256, whatever the method setting), whose `payload_hash`
claim is the SHA-256 hex of the body (developer.nexmo.com/messages/concepts/signed-webhooks;
vonage_jwt/verify_jwt.py). The token has no documented expiry, so none is enforced beyond `exp`
and `nbf` if present (30 s leeway); the body hash binds it to one callback, and a replayed one
is deduplicated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar

import jwt

from receiver.providers.base import Adapter, Request, SignatureError
from receiver.providers.signing import hmac_digests, matches_any
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.fields import json_text, parse_iso
from receiver.providers.toolkit.payload import Payload, decode
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status

__all__ = ["VonageAdapter"]

# SMS API receipt `status` -> normalized status. The seven x-possible-values of DeliveryReceipt
# in Nexmo/api-specification definitions/sms.yml, plus `undelivered`, which the delivery-receipts
# guide lists in place of `failed`. `accepted` is "accepted for delivery, but has not yet been
# delivered"; the message search API says "the target carrier has accepted to send this
# message" (Nexmo/nexmo-oas-renderer _modals/api/developer/message/search/response/status.md), so
# it has left Vonage: sent, not queued.
SMS_STATUSES: Mapping[str, Status] = {
    "accepted": Status.SENT,
    "buffered": Status.SENT,  # "buffered for later delivery": still in the carrier's hands
    "delivered": Status.DELIVERED,
    "expired": Status.EXPIRED,  # held in the carrier's retry scheme until expiry
    "failed": Status.UNDELIVERED,  # "the target carrier failed to deliver this message"
    "undelivered": Status.UNDELIVERED,
    "rejected": Status.REJECTED,  # "downstream carrier refuses to deliver message"
    "unknown": Status.UNKNOWN,  # "no useful information available"
}

# Messages API `status` -> normalized status (MessageStatus.Status in the Java SDK; meanings from
# the messages-status-callbacks page).
MESSAGES_STATUSES: Mapping[str, Status] = {
    "submitted": Status.SENT,  # passed on to the messaging provider (the carrier, for SMS)
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,  # OTT channels: read on the device
    "rejected": Status.REJECTED,  # rejected by Vonage or the provider; `error` says why
    # Vonage could not reach the provider (outage): not delivered, though not refused either.
    "undeliverable": Status.UNDELIVERED,
}

# SMS API `err-code` -> meaning, from the "DLR error codes" table of the delivery-receipts guide.
# "0" means delivered, no error.
ERROR_CODES: Mapping[str, str] = {
    "1": "Unknown",
    "2": "Absent Subscriber - Temporary",
    "3": "Absent Subscriber - Permanent",
    "4": "Call Barred by User",
    "5": "Portability Error",
    "6": "Anti-Spam Rejection",
    "7": "Handset Busy",
    "8": "Network Error",
    "9": "Illegal Number",
    "10": "Illegal Message",
    "11": "Unroutable",
    "12": "Destination Unreachable",
    "13": "Subscriber Age Restriction",
    "14": "Number Blocked by Carrier",
    "15": "Prepaid Insufficient Funds",
    "99": "General Error",
}

# err-code 9 on a failed or rejected receipt: "the user has requested not to receive messages
# from the sending number" (developer.vonage.com/en/opt-out-assist/guides/
# messaging-opted-out-numbers). Recorded as an opt-out of the recipient, beside the event.
OPT_OUT_ERROR = "9"
_OPT_OUT_STATUSES = frozenset({"failed", "rejected", "undelivered"})

MESSAGE_TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
SCTS_FORMATS = ("%y%m%d%H%M", "%y%m%d%H%M%S")

#: The hash behind each RECEIVER_VONAGE_SIGNATURE_METHOD; md5hash is a plain digest, not an HMAC.
SIGNATURE_DIGESTS: Mapping[str, Callable[[], Any]] = {
    "md5hash": hashlib.md5,
    "md5": hashlib.md5,
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha512": hashlib.sha512,
}

#: Seconds of clock skew allowed on a Messages API JWT's exp/nbf, if it has them.
JWT_LEEWAY = 30

_NOT_FAILED = frozenset({Status.QUEUED, Status.SENT, Status.DELIVERED})


class VonageAdapter(Adapter):
    slug: ClassVar[str] = "vonage"
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {
        "status (SMS API)": SMS_STATUSES,
        "status (Messages API)": MESSAGES_STATUSES,
    }
    keyed_by: ClassVar[str] = "messageId (SMS API), message_uuid (Messages API)"

    def __init__(self, secrets: tuple[str, ...] = (), method: str = "md5hash") -> None:
        method = method.lower()
        if method not in SIGNATURE_DIGESTS:
            raise ValueError(f"unknown Vonage signature method {method!r}")
        self.secrets = secrets
        self.method = method

    @property
    def verifies(self) -> bool:
        return bool(self.secrets)

    def verify(self, request: Request) -> None:
        authorization = request.header("authorization")
        if authorization:
            scheme, _, token = authorization.strip().partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise SignatureError("malformed Authorization header: expected a Bearer JWT")
            self._verify_jwt(token.strip(), request.body)
        else:
            self._verify_sig(request)

    def _verify_sig(self, request: Request) -> None:
        """SMS API: `sig` over every parameter the receiver will read."""
        try:
            params = dict(decode(request.query, request.content_type, request.body).fields)
        except PayloadError:
            raise SignatureError("malformed body: cannot read the signed parameters") from None
        given = params.pop("sig", None)
        if not given:
            raise SignatureError("missing signature: no sig parameter")
        if not params.get("timestamp"):
            raise SignatureError("malformed signature: no timestamp parameter")
        message = "".join(
            f"&{key}={params[key].replace('&', '_').replace('=', '_')}" for key in sorted(params)
        ).encode("utf-8")
        digest = SIGNATURE_DIGESTS[self.method]
        if self.method == "md5hash":
            expected = [hashlib.md5(message + key.encode()).hexdigest() for key in self.secrets]
        else:
            expected = [mac.hex() for mac in hmac_digests(self.secrets, message, digest)]
        if not matches_any(given.strip().lower(), expected):
            raise SignatureError("wrong signature")

    def _verify_jwt(self, token: str, body: bytes) -> None:
        """Messages API: an HS256 JWT made with the signature secret, `payload_hash` its body."""
        claims: dict[str, Any] | None = None
        reason = "wrong signature"
        for secret in self.secrets:  # every secret is tried: no early exit
            try:
                decoded = jwt.decode(
                    token,
                    secret,
                    algorithms=["HS256"],
                    options={"verify_iat": False},  # informational; only exp/nbf bound it
                    leeway=JWT_LEEWAY,
                )
            except jwt.InvalidSignatureError:
                continue
            except (jwt.ExpiredSignatureError, jwt.ImmatureSignatureError):
                reason = "stale signature: outside the JWT's nbf/exp window"
                continue
            except jwt.InvalidTokenError:
                reason = "malformed signature: not a valid HS256 JWT"
                continue
            if claims is None:
                claims = decoded
        if claims is None:
            raise SignatureError(reason)
        payload_hash = claims.get("payload_hash")
        if not body:
            return
        if not isinstance(payload_hash, str):
            raise SignatureError("malformed signature: the JWT has no payload_hash")
        if not matches_any(payload_hash.lower(), [hashlib.sha256(body).hexdigest()]):
            raise SignatureError("wrong signature: payload_hash does not match the body")

    def parse(self, payload: Payload) -> Normalized:
        document = payload.json
        if isinstance(document, dict) and "message_uuid" in document:
            return _messages_api(document)
        status = payload.get("status")
        if status is not None:
            return _sms_receipt(payload, status)
        if payload.get("text") is not None and payload.get("msisdn") is not None:
            return Normalized(inbound=(_sms_inbound(payload),))
        raise PayloadError(
            "Vonage callback without status (SMS API receipt), text and msisdn (inbound SMS) "
            "or message_uuid (Messages API)"
        )


def _sms_receipt(payload: Payload, status: str) -> Normalized:
    message_id = payload.get("messageId", "message-id")
    recipient = fields.recipient(payload.get("msisdn"))
    client_ref = payload.get("client-ref")
    error_code = payload.get("err-code")
    if error_code is not None and not error_code.strip("0"):
        error_code = None  # "0": delivered, no error
    occurred_at, raw_time = _receipt_time(payload)
    mapped = SMS_STATUSES.get(status.lower(), Status.UNKNOWN)
    event = DeliveryEvent(
        status=mapped,
        provider_status=status,
        message_id=message_id,
        client_ref=client_ref,
        recipient=recipient,
        error_code=error_code,
        error_detail=ERROR_CODES.get(error_code.lstrip("0")) if error_code else None,
        occurred_at=occurred_at,
        occurred_at_raw=raw_time,
    )
    inbound: tuple[InboundMessage, ...] = ()
    if error_code == OPT_OUT_ERROR and status.lower() in _OPT_OUT_STATUSES and recipient:
        inbound = (
            InboundMessage(
                sender=recipient,
                recipient=fields.recipient(payload.get("to")),
                text=None,
                occurred_at=occurred_at,
                occurred_at_raw=raw_time,
                related_message_id=message_id,
                related_client_ref=client_ref,
                is_opt_out=True,
            ),
        )
    return Normalized(events=(event,), inbound=inbound)


def _receipt_time(payload: Payload) -> tuple[datetime | None, str | None]:
    """message-timestamp (UTC), else the signed `timestamp` (epoch), else scts (see above)."""
    raw = payload.get("message-timestamp")
    parsed = fields.parse_time(raw, MESSAGE_TIMESTAMP_FORMAT)
    if parsed is not None:
        return parsed, raw
    epoch = payload.get("timestamp")
    parsed = fields.parse_epoch(epoch)
    if parsed is not None:
        return parsed, epoch
    scts = payload.get("scts")
    parsed = fields.parse_time(scts, *SCTS_FORMATS)
    if parsed is not None:
        return parsed, scts
    return None, raw or scts


def _sms_inbound(payload: Payload) -> InboundMessage:
    text = payload.get("text")
    keyword = fields.opt_out_keyword(text)
    raw_time = payload.get("message-timestamp")
    return InboundMessage(
        sender=fields.recipient(payload.get("msisdn")),
        recipient=fields.recipient(payload.get("to")),
        text=text,
        message_id=payload.get("messageId", "message-id"),
        occurred_at=fields.parse_time(raw_time, MESSAGE_TIMESTAMP_FORMAT),
        occurred_at_raw=raw_time,
        is_opt_out=keyword is not None,
        keyword=keyword,
    )


def _messages_api(document: dict[str, Any]) -> Normalized:
    message_uuid = json_text(document.get("message_uuid"))
    raw_time = json_text(document.get("timestamp"))
    occurred_at = parse_iso(raw_time)
    status = json_text(document.get("status"))
    if status is None:
        text = json_text(document.get("text"))
        if text is None and json_text(document.get("message_type")) is None:
            raise PayloadError("Vonage Messages API webhook without status or message_type")
        keyword = fields.opt_out_keyword(text)
        return Normalized(
            inbound=(
                InboundMessage(
                    sender=fields.recipient(_address(document.get("from"))),
                    recipient=fields.recipient(_address(document.get("to"))),
                    text=text,
                    message_id=message_uuid,
                    occurred_at=occurred_at,
                    occurred_at_raw=raw_time,
                    is_opt_out=keyword is not None,
                    keyword=keyword,
                ),
            )
        )
    mapped = MESSAGES_STATUSES.get(status.lower(), Status.UNKNOWN)
    error_code, error_detail = _messages_error(document.get("error"))
    return Normalized(
        events=(
            DeliveryEvent(
                status=mapped,
                provider_status=status,
                message_id=message_uuid,
                client_ref=json_text(document.get("client_ref")),
                recipient=fields.recipient(_address(document.get("to"))),
                error_code=error_code,
                error_detail=error_detail if mapped not in _NOT_FAILED or error_code else None,
                occurred_at=occurred_at,
                occurred_at_raw=raw_time,
            ),
        )
    )


def _messages_error(error: Any) -> tuple[str | None, str | None]:
    """(code, detail) from `error`: v1 {type, title, detail}, v0.1 {code, reason}."""
    if not isinstance(error, dict):
        return None, None
    code = json_text(error.get("title")) or json_text(error.get("code"))
    error_type = json_text(error.get("type"))
    if code is None and error_type and "#" in error_type:
        code = error_type.rsplit("#", 1)[1] or None  # .../api-errors/messages#1250
    return code, json_text(error.get("detail")) or json_text(error.get("reason"))


def _address(value: Any) -> str | None:
    """A number as a string (v1) or as {type, number|id} (v0.1)."""
    if isinstance(value, dict):
        return json_text(value.get("number")) or json_text(value.get("id"))
    return json_text(value)
