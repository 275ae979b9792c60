"""MessageBird (now Bird) SMS API status reports, and inbound SMS forwarded to the same URL.

A status report is a GET to the account's status report URL, one per recipient, with `id` (the
message id), `reference` (yours, set at send: MessageBird sends reports only for messages that
have one), `recipient`, `status`, `statusReason`, `statusErrorCode` and `statusDatetime`, an
RFC 3339 time with an offset (support.messagebird.com "I am missing my delivery reports";
nyaruka/courier handlers/messagebird/handler.go and handler_test.go). Inbound SMS are form POSTs
with `originator`, `recipient`, `body` and `createdDatetime` (or `receive_datetime`, RFC 3339),
or for short codes `shortcode`, `message`, `mid` and `receive_datetime` as YYYYMMDDhhmmss with
no zone, taken as UTC as courier does (courier, same handler and its tests).

`statusErrorCode` 103 means the recipient has sent STOP (courier: "error code messagebird
returns when a contact has sent 'stop'", and it records a stop event). The report is then also
recorded as an opt-out of the recipient, so opt-out alerts and the inbound list see it, even
though no reply text arrived with it.

Each request is signed with `MessageBird-Signature-JWT`: a JWT (HS256; the SDK also allows HS384
and HS512) keyed by the account's signing key, with claims `iss` "MessageBird", `nbf` and `exp`
(a minute apart), `jti`, `url_hash` (SHA-256 hex of the full URL called, query string included)
and `payload_hash` (SHA-256 hex of the body, present exactly when there is a body). The rules,
including the one second of clock leeway, are those of the official SDK's
messagebird/request_validator.py `RequestValidator.validate_signature`. Like the SDK, `jti` is
not tracked: a report replayed inside its minute is deduplicated, not refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

import jwt

from receiver.providers.base import Adapter, Request, SignatureError
from receiver.providers.signing import matches_any
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.payload import Payload
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status

__all__ = ["MessagebirdAdapter"]

# status -> normalized status. The six recipient statuses the official SDK lists
# (messagebird/client.py, message_list: "scheduled, sent, buffered, delivered, expired or
# delivery_failed"); courier maps them the same way (scheduled/sent/buffered: sent).
STATUSES: Mapping[str, Status] = {
    "scheduled": Status.QUEUED,  # accepted, to be sent at its scheduled time
    "sent": Status.SENT,  # handed to the operator or downstream provider
    "buffered": Status.SENT,  # held downstream, delivery still pending
    "delivered": Status.DELIVERED,
    "expired": Status.EXPIRED,  # validity ran out before delivery (or before any DLR came)
    "delivery_failed": Status.UNDELIVERED,  # a negative delivery report
}

#: statusErrorCode for "the contact has sent STOP" (courier's errorStopped).
OPT_OUT_ERROR = "103"

SIGNATURE_HEADER = "messagebird-signature-jwt"
#: As RequestValidator.ALLOWED_ALGOS.
ALGORITHMS = ["HS256", "HS384", "HS512"]
#: Seconds of clock skew allowed on nbf/exp, as the SDK's `leeway=1`.
LEEWAY = 1

SHORTCODE_TIME_FORMAT = "%Y%m%d%H%M%S"

_NOT_FAILED = frozenset({Status.QUEUED, Status.SENT, Status.DELIVERED})


class MessagebirdAdapter(Adapter):
    slug: ClassVar[str] = "messagebird"
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {"status": STATUSES}
    keyed_by: ClassVar[str] = "id"

    def __init__(self, signing_keys: tuple[str, ...] = ()) -> None:
        self.signing_keys = signing_keys

    @property
    def verifies(self) -> bool:
        return bool(self.signing_keys)

    def verify(self, request: Request) -> None:
        token = (request.header(SIGNATURE_HEADER) or "").strip()
        if not token:
            raise SignatureError("missing MessageBird-Signature-JWT header")
        claims = self._claims(token)
        url_hash = claims.get("url_hash")
        if not isinstance(url_hash, str):
            raise SignatureError("malformed signature: the JWT has no url_hash")
        expected_url = hashlib.sha256(request.url.encode("utf-8")).hexdigest()
        if not matches_any(url_hash, [expected_url]):
            raise SignatureError("wrong signature: url_hash does not match the URL called")
        payload_hash = claims.get("payload_hash")
        if not request.body:
            if payload_hash:
                raise SignatureError("wrong signature: payload_hash set but there is no body")
            return
        if not isinstance(payload_hash, str) or not payload_hash:
            raise SignatureError("wrong signature: a body without payload_hash")
        if not matches_any(payload_hash, [hashlib.sha256(request.body).hexdigest()]):
            raise SignatureError("wrong signature: payload_hash does not match the body")

    def _claims(self, token: str) -> dict[str, Any]:
        """The token's claims under the first key that signed it; every key is tried."""
        claims: dict[str, Any] | None = None
        reason = "wrong signature"
        for key in self.signing_keys:
            try:
                decoded = jwt.decode(
                    token,
                    key,
                    algorithms=ALGORITHMS,
                    options={"require": ["iss", "nbf", "exp"], "verify_iat": False},
                    issuer="MessageBird",
                    leeway=LEEWAY,
                )
            except jwt.InvalidSignatureError:
                continue
            except (jwt.ExpiredSignatureError, jwt.ImmatureSignatureError):
                reason = "stale signature: outside the JWT's nbf/exp window"
                continue
            except (jwt.MissingRequiredClaimError, jwt.InvalidIssuerError):
                reason = "malformed signature: iss, nbf or exp missing or wrong"
                continue
            except jwt.InvalidTokenError:
                reason = "malformed signature: not a valid HS256/384/512 JWT"
                continue
            if claims is None:
                claims = decoded
        if claims is None:
            raise SignatureError(reason)
        return claims

    def parse(self, payload: Payload) -> Normalized:
        status = payload.get("status")
        if status is None:
            if payload.get("originator") is not None:
                return Normalized(inbound=(_inbound(payload),))
            raise PayloadError("MessageBird callback without status (status report) or originator")
        message_id = payload.get("id")
        reference = payload.get("reference")
        if message_id is None and reference is None:
            raise PayloadError("MessageBird status report without id or reference")
        recipient = fields.recipient(payload.get("recipient"))
        raw_time = payload.get("statusDatetime")
        occurred_at = _rfc3339(raw_time)
        mapped = STATUSES.get(status.lower(), Status.UNKNOWN)
        error_code = payload.get("statusErrorCode")
        reason = payload.get("statusReason")
        event = DeliveryEvent(
            status=mapped,
            provider_status=status,
            message_id=message_id,
            client_ref=reference,
            recipient=recipient,
            error_code=error_code,
            # "successfully delivered", "pending DLR": a reason, but not an error's.
            error_detail=reason if mapped not in _NOT_FAILED or error_code else None,
            occurred_at=occurred_at,
            occurred_at_raw=raw_time,
        )
        inbound: tuple[InboundMessage, ...] = ()
        if error_code == OPT_OUT_ERROR and recipient:
            inbound = (
                InboundMessage(
                    sender=recipient,
                    recipient=None,
                    text=None,
                    occurred_at=occurred_at,
                    occurred_at_raw=raw_time,
                    related_message_id=message_id,
                    related_client_ref=reference,
                    is_opt_out=True,
                ),
            )
        return Normalized(events=(event,), inbound=inbound)


def _inbound(payload: Payload) -> InboundMessage:
    shortcode = payload.get("shortcode")
    recipient: str | None = shortcode
    if shortcode is not None:
        text = payload.get("message")
        message_id = payload.get("mid")
    else:
        text = payload.get("body")
        message_id = payload.get("id")
        recipient = payload.get("recipient")
    raw_time = payload.get("createdDatetime", "receive_datetime")
    keyword = fields.opt_out_keyword(text)
    return InboundMessage(
        sender=fields.recipient(payload.get("originator")),
        recipient=fields.recipient(recipient),
        text=text,
        message_id=message_id,
        occurred_at=_rfc3339(raw_time) or fields.parse_time(raw_time, SHORTCODE_TIME_FORMAT),
        occurred_at_raw=raw_time,
        is_opt_out=keyword is not None,
        keyword=keyword,
    )


def _rfc3339(raw: str | None) -> datetime | None:
    """RFC 3339 with an offset ("+00:00" or "Z"), seconds or fractions."""
    return fields.parse_time(raw, "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z")
