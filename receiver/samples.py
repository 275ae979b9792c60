"""A realistic callback per built-in provider, for `receiver send-test`.

Each sample is shaped like the documented callback it cites, with a fresh message id so every
run is a new message, and signed, when a secret is given, the way the provider signs (the same
scheme its adapter verifies). `build` returns the request to send; the adapter itself says
what the receiver must make of it (see `expected`). A provider declared in receiver.toml gets
a sample built from its declaration.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode
from xml.etree.ElementTree import Element, SubElement, tostring

import jwt

from receiver.config import SigningSecrets
from receiver.providers import Adapter
from receiver.providers.generic import ALGORITHMS, GenericDefinition
from receiver.providers.plivo import _signed_url as plivo_signed_url
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, PayloadError

__all__ = ["SAMPLES", "Sample", "SampleError", "build", "expected", "statuses"]

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


class SampleError(ValueError):
    """No sample can be built as asked (unknown provider or status, missing key)."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One request to send to `/callbacks/{provider}/{token}`."""

    provider: str
    method: str
    #: Query string without "?" ("" for none).
    query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    #: Where its shape comes from.
    source: str
    signed: bool = False

    @property
    def content_type(self) -> str | None:
        return next((v for k, v in self.headers if k == "content-type"), None)

    def url(self, callback_url: str) -> str:
        return f"{callback_url}?{self.query}" if self.query else callback_url


@dataclass(frozen=True, slots=True)
class _Shape:
    """A provider's sample: the raw status per normalized one, and the request for one."""

    source: str
    raw_statuses: Mapping[str, str]
    make: Callable[[str, str], Sample]


def _id(prefix: str = "") -> str:
    return prefix + uuid.uuid4().hex


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _form(provider: str, source: str, fields: Mapping[str, str], method: str = "POST") -> Sample:
    encoded = urlencode(fields)
    if method == "GET":
        return Sample(provider, "GET", encoded, (), b"", source)
    return Sample(provider, "POST", "", (("content-type", FORM),), encoded.encode(), source)


def _json(provider: str, source: str, document: Any) -> Sample:
    body = json.dumps(document).encode()
    return Sample(provider, "POST", "", (("content-type", JSON),), body, source)


def _smpp_receipt(message_id: str, stat: str, err: str = "000") -> str:
    # help.nexmo.com "How to read a Nexmo SMPP Delivery Receipt" (the SMPP 3.4 appendix B text).
    stamp = datetime.now(UTC).strftime("%y%m%d%H%M")
    dlvrd = "001" if stat == "DELIVRD" else "000"
    return (
        f"id:{message_id} sub:001 dlvrd:{dlvrd} submit date:{stamp} done date:{stamp} "
        f"stat:{stat} err:{err} text:none"
    )


# -- the providers, each citing the documentation its sample follows --------------------------


def _twilio(status: str, message_id: str) -> Sample:
    # twilio.com/docs/messaging/guides/track-outbound-message-status (status callback fields),
    # as nyaruka/courier handlers/twiml/handlers_test.go posts them.
    fields = {
        "SmsSid": message_id,
        "SmsStatus": status,
        "MessageStatus": status,
        "To": "+14155550100",
        "MessageSid": message_id,
        "AccountSid": "AC" + "0" * 32,
        "From": "+14133881111",
        "ApiVersion": "2010-04-01",
    }
    if status in ("undelivered", "failed"):
        fields["ErrorCode"] = "30003"
    return _form("twilio", _SHAPES["twilio"].source, fields)


def _vonage(status: str, message_id: str) -> Sample:
    # developer.vonage.com/en/messaging/sms/guides/delivery-receipts ("a typical DLR"), as GET.
    now = datetime.now(UTC)
    fields = {
        "msisdn": "447700900000",
        "to": "AcmeInc",
        "network-code": "23410",
        "messageId": message_id,
        "price": "0.03330000",
        "status": status,
        "scts": now.strftime("%y%m%d%H%M"),
        "err-code": "0" if status in ("delivered", "accepted", "buffered") else "1",
        "message-timestamp": now.strftime("%Y-%m-%d %H:%M:%S"),
    }
    return _form("vonage", _SHAPES["vonage"].source, fields, method="GET")


def _plivo(status: str, message_id: str) -> Sample:
    # plivo.com/docs/messaging/api/message/message-status-callbacks (the documented fields).
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    fields = {
        "From": "14155550199",
        "To": "14155550100",
        "MessageUUID": message_id,
        "Status": status,
        "ParentMessageUUID": message_id,
        "PartInfo": "1 of 1",
        "TotalAmount": "0.00500",
        "TotalRate": "0.00500",
        "Units": "1",
        "MessageTime": now,
        "ErrorCode": "000" if status in ("queued", "sent", "delivered") else "200",
    }
    return _form("plivo", _SHAPES["plivo"].source, fields)


def _messagebird(status: str, message_id: str) -> Sample:
    # support.messagebird.com/hc/en-us/articles/360001869258 ("I am missing my delivery
    # reports"): the status report GET.
    fields = {
        "id": message_id,
        "reference": "send-test",
        "recipient": "31612345678",
        "status": status,
        "statusDatetime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
    }
    return _form("messagebird", _SHAPES["messagebird"].source, fields, method="GET")


def _telnyx(status: str, message_id: str) -> Sample:
    # developers.telnyx.com/docs/messaging/messages/receiving-webhooks ("Delivery status").
    final = status in ("delivered", "delivery_failed", "sending_failed", "expired")
    now = _now_iso()
    document = {
        "data": {
            "record_type": "event",
            "id": str(uuid.uuid4()),
            "event_type": "message.finalized" if final else "message.sent",
            "occurred_at": now,
            "payload": {
                "record_type": "message",
                "direction": "outbound",
                "id": message_id,
                "type": "SMS",
                "from": {"phone_number": "+18445550001", "carrier": "TELNYX LLC"},
                "to": [{"phone_number": "+18665550001", "status": status}],
                "text": "Hello, World!",
                "completed_at": now if final else None,
                "errors": [],
            },
        },
        "meta": {"attempt": 1, "delivered_to": "https://example.com/webhooks"},
    }
    return _json("telnyx", _SHAPES["telnyx"].source, document)


def _dotdigital(status: str, message_id: str) -> Sample:
    # developer.dotdigital.com/reference/message-events: the message.* envelope.
    now = _now_iso()
    document = {
        "eventId": str(uuid.uuid4()),
        "accountId": 1234,
        "apiSpaceId": "c924cf6e-4352-4b26-a71a-c2032bea7a01",
        "name": status,
        "payload": {
            "id": message_id,
            "details": {
                "channel": "sms",
                "additionalInfo": {"to": "447700900123", "successful": True},
            },
            "updatedOn": now,
        },
        "revision": 1,
        "timestamp": now,
    }
    return _json("dotdigital", _SHAPES["dotdigital"].source, document)


def _cdyne(status: str, message_id: str) -> Sample:
    # wiki.cdyne.com SMS_Delivery_Receipt_Postback.
    stat = {"000": "DELIVRD", "003": "ENROUTE", "004": "ACCEPTD", "005": "UNDELIV"}
    fields = {
        "DeliveryReceipt": "1",
        "MessageID": message_id,
        "ReferenceID": "send-test",
        "FromPhoneNumber": "74121",
        "ToPhoneNumber": "17572373369",
        "DeliveryReceiptMessage": "sm: msg: "
        + _smpp_receipt("18579674100201040", stat.get(status, "EXPIRED"), status),
        "Code": status,
    }
    return _form("cdyne", _SHAPES["cdyne"].source, fields)


def _smartswitch(status: str, message_id: str) -> Sample:
    # redmine.streamco.org/projects/smartswitch-public/wiki/HTTP_API_deliver_delivery_receipt
    return _form(
        "smartswitch",
        _SHAPES["smartswitch"].source,
        {"message_id": message_id, "message_state": status},
    )


def _smpp(status: str, message_id: str) -> Sample:
    # help.nexmo.com "How to read a Nexmo SMPP Delivery Receipt", posted as text by a bridge.
    body = _smpp_receipt(message_id, status).encode()
    return Sample(
        "smpp", "POST", "", (("content-type", "text/plain"),), body, _SHAPES["smpp"].source
    )


def _dynmark(status: str, message_id: str) -> Sample:
    # comapi/ddg-cpaas-quickstarts ReceiptServlet.java: the receipt forwarding GET.
    fields = {
        "datetime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000"),
        "recipient": "447700900123",
        "statusid": status,
        "statusdescription": "send-test",
        "clientref": message_id,
    }
    return _form("dynmark", _SHAPES["dynmark"].source, fields, method="GET")


def _kannel(status: str, message_id: str) -> Sample:
    # Kannel userguide "Delivery Reports" and the README's dlr-url template
    # (?id=YOUR-ID&type=%d&answer=%A&foreign_id=%F&to=%p&ts=%T).
    kind, _, stat = status.partition(":")
    fields = {"id": message_id, "type": kind}
    if stat:
        fields["answer"] = _smpp_receipt("0A1B2C3D", stat, "008")
    fields.update(foreign_id="0A1B2C3D", to="447700900123", ts=str(int(time.time())))
    return _form("kannel", _SHAPES["kannel"].source, fields, method="GET")


def _jasmin(status: str, message_id: str) -> Sample:
    # jasmin/routing/throwers.py DLRThrower.http_dlr_callback, level 2 (the receipt's fields).
    stamp = datetime.now(UTC).strftime("%y%m%d%H%M")
    fields = {
        "id": message_id,
        "level": "2",
        "message_status": status,
        "connector": "0A1B2C3D",
        "id_smsc": "A1B2C3D",
        "sub": "001",
        "dlvrd": "001" if status == "DELIVRD" else "000",
        "subdate": stamp,
        "donedate": stamp,
        "err": "000",
        "text": "Hello world",
    }
    return _form("jasmin", _SHAPES["jasmin"].source, fields)


_INFOBIP_STATUSES = {
    # name: (groupId, groupName, id),
    # www.infobip.com/docs/essentials/response-status-and-error-codes
    "PENDING_ACCEPTED": (1, "PENDING", 26),
    "PENDING_ENROUTE": (1, "PENDING", 7),
    "DELIVERED_TO_HANDSET": (3, "DELIVERED", 5),
    "UNDELIVERABLE_NOT_DELIVERED": (2, "UNDELIVERABLE", 9),
    "EXPIRED_EXPIRED": (4, "EXPIRED", 15),
    "REJECTED_NETWORK": (5, "REJECTED", 6),
}


def _infobip(status: str, message_id: str) -> Sample:
    # infobip/infobip-api-php-client Test/Api/Sms/SmsWebhookTest.php: the delivery report.
    group_id, group, status_id = _INFOBIP_STATUSES[status]
    now = _now_iso()
    document = {
        "results": [
            {
                "bulkId": "send-test",
                "price": {"pricePerMessage": 0.01, "currency": "EUR"},
                "status": {
                    "groupId": group_id,
                    "groupName": group,
                    "id": status_id,
                    "name": status,
                },
                "error": {"groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR"},
                "messageId": message_id,
                "to": "41793026727",
                "sender": "InfoSMS",
                "sentAt": now,
                "doneAt": now,
                "messageCount": 1,
            }
        ]
    }
    return _json("infobip", _SHAPES["infobip"].source, document)


def _sinch(status: str, message_id: str) -> Sample:
    # developers.sinch.com/docs/sms/api-reference/sms/delivery-reports: a recipient report.
    document = {
        "at": _now_iso(),
        "batch_id": message_id,
        "client_reference": "send-test",
        "code": 0 if status in ("Delivered", "Dispatched", "Queued") else 401,
        "operator_status_at": _now_iso(),
        "recipient": "12017777777",
        "status": status,
        "type": "recipient_delivery_report_sms",
    }
    return _json("sinch", _SHAPES["sinch"].source, document)


def _esendex(status: str, message_id: str) -> Sample:
    source = _SHAPES["esendex"].source
    if status.startswith("Message"):
        # developers.esendex.com push notifications (MessageDelivered / MessageFailed).
        failure = (
            "<FailureReason><Code>142</Code><Description>Message broken</Description>"
            "<PermanentFailure>true</PermanentFailure></FailureReason>"
            if status == "MessageFailed"
            else ""
        )
        body = (
            f'<?xml version="1.0" encoding="utf-8"?>\n<{status} xmlns="http://api.esendex.com/ns/">'
            f"<Id>{uuid.uuid4()}</Id><MessageId>{message_id}</MessageId>"
            "<AccountId>6145d724-98cb-41a2-8c4e-4b81ef694897</AccountId>"
            f"<OccurredAt>{datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%S')}</OccurredAt>"
            f"{failure}</{status}>"
        ).encode()
        return Sample("esendex", "POST", "", (("content-type", "text/xml"),), body, source)
    # The legacy form post: notificationType=MessageError, errorType=...
    fields = {"notificationType": "MessageError", "id": message_id, "errorType": status}
    return _form("esendex", source, fields)


_SHAPES: dict[str, _Shape] = {
    "twilio": _Shape(
        "twilio.com/docs/messaging/guides/track-outbound-message-status",
        {
            "queued": "queued",
            "sent": "sent",
            "delivered": "delivered",
            "undelivered": "undelivered",
            "rejected": "failed",
        },
        _twilio,
    ),
    "vonage": _Shape(
        "developer.vonage.com/en/messaging/sms/guides/delivery-receipts",
        {
            "sent": "accepted",
            "delivered": "delivered",
            "undelivered": "failed",
            "expired": "expired",
            "rejected": "rejected",
        },
        _vonage,
    ),
    "plivo": _Shape(
        "plivo.com/docs/messaging/api/message/message-status-callbacks",
        {
            "queued": "queued",
            "sent": "sent",
            "delivered": "delivered",
            "undelivered": "undelivered",
            "rejected": "failed",
        },
        _plivo,
    ),
    "messagebird": _Shape(
        "support.messagebird.com/hc/en-us/articles/360001869258",
        {
            "queued": "scheduled",
            "sent": "sent",
            "delivered": "delivered",
            "undelivered": "delivery_failed",
            "expired": "expired",
        },
        _messagebird,
    ),
    "telnyx": _Shape(
        "developers.telnyx.com/docs/messaging/messages/receiving-webhooks",
        {
            "queued": "queued",
            "sent": "sent",
            "delivered": "delivered",
            "undelivered": "delivery_failed",
            "expired": "expired",
            "rejected": "sending_failed",
        },
        _telnyx,
    ),
    "dotdigital": _Shape(
        "developer.dotdigital.com/reference/message-events",
        {
            "queued": "message.sentrequest",
            "sent": "message.sent",
            "delivered": "message.delivered",
            "undelivered": "message.failed",
            "expired": "message.expired",
        },
        _dotdigital,
    ),
    "cdyne": _Shape(
        "wiki.cdyne.com SMS_Delivery_Receipt_Postback",
        {
            "queued": "004",
            "sent": "003",
            "delivered": "000",
            "undelivered": "005",
            "expired": "008",
            "rejected": "015",
        },
        _cdyne,
    ),
    "smartswitch": _Shape(
        "redmine.streamco.org/projects/smartswitch-public/wiki/HTTP_API_deliver_delivery_receipt",
        {
            "queued": "accepted",
            "sent": "enroute",
            "delivered": "delivered",
            "undelivered": "undeliverable",
            "expired": "expired",
            "rejected": "rejected",
        },
        _smartswitch,
    ),
    "smpp": _Shape(
        'help.nexmo.com "How to read a Nexmo SMPP Delivery Receipt"',
        {
            "queued": "ACCEPTD",
            "sent": "ENROUTE",
            "delivered": "DELIVRD",
            "undelivered": "UNDELIV",
            "expired": "EXPIRED",
            "rejected": "REJECTD",
        },
        _smpp,
    ),
    "dynmark": _Shape(
        "comapi/ddg-cpaas-quickstarts ReceiptServlet.java",
        {
            "queued": "10",
            "sent": "3",
            "delivered": "1",
            "undelivered": "5",
            "expired": "2",
            "rejected": "4",
        },
        _dynmark,
    ),
    "kannel": _Shape(
        'Kannel userguide "Delivery Reports" (dlr-url %d/%A)',
        {
            "queued": "8",
            "sent": "4",
            "delivered": "1",
            "undelivered": "2",
            "expired": "2:EXPIRED",
            "rejected": "16",
        },
        _kannel,
    ),
    "jasmin": _Shape(
        "jasmin/routing/throwers.py DLRThrower.http_dlr_callback (level 2)",
        {
            "queued": "ACCEPTD",
            "delivered": "DELIVRD",
            "undelivered": "UNDELIV",
            "expired": "EXPIRED",
            "rejected": "REJECTD",
        },
        _jasmin,
    ),
    "infobip": _Shape(
        "www.infobip.com/docs/api/channels/sms/sms-messaging/logs-and-status-reports",
        {
            "queued": "PENDING_ACCEPTED",
            "sent": "PENDING_ENROUTE",
            "delivered": "DELIVERED_TO_HANDSET",
            "undelivered": "UNDELIVERABLE_NOT_DELIVERED",
            "expired": "EXPIRED_EXPIRED",
            "rejected": "REJECTED_NETWORK",
        },
        _infobip,
    ),
    "sinch": _Shape(
        "developers.sinch.com/docs/sms/api-reference/sms/delivery-reports",
        {
            "queued": "Queued",
            "sent": "Dispatched",
            "delivered": "Delivered",
            "undelivered": "Failed",
            "expired": "Expired",
            "rejected": "Rejected",
        },
        _sinch,
    ),
    "esendex": _Shape(
        "developers.esendex.com push notifications (MessageDelivered, MessageFailed, MessageError)",
        {
            "delivered": "MessageDelivered",
            "undelivered": "MessageFailed",
            "expired": "ValidityPeriodExpired",
            "rejected": "UnrecognisedRecipient",
        },
        _esendex,
    ),
}

_MESSAGE_IDS: dict[str, Callable[[], str]] = {
    "twilio": lambda: _id("SM"),
    "vonage": lambda: uuid.uuid4().hex[:16].upper(),
    "messagebird": _id,
    "smpp": lambda: str(uuid.uuid4().int)[:16],
    "dynmark": lambda: _id("send-test-"),
    "kannel": lambda: _id("send-test-"),
    "sinch": lambda: uuid.uuid4().hex[:26].upper(),
}

#: The providers send-test has a sample for.
SAMPLES: frozenset[str] = frozenset(_SHAPES)


def statuses(provider: str, generic: Sequence[GenericDefinition] = ()) -> tuple[str, ...]:
    """The normalized statuses `provider`'s sample can carry (a declared provider: those its
    statuses table maps to)."""
    if provider in _SHAPES:
        return tuple(_SHAPES[provider].raw_statuses)
    definition = next((d for d in generic if d.name == provider), None)
    if definition is None:
        return ()
    return tuple(dict.fromkeys(status.value for _, status in definition.statuses))


def build(
    provider: str,
    status: str,
    *,
    callback_url: str,
    signing: SigningSecrets,
    secret: str | None = None,
    now: float | None = None,
    generic: Sequence[GenericDefinition] = (),
) -> Sample:
    """The sample for `provider` carrying `status`, signed with `secret` (else the first secret
    `signing` holds for it) over `callback_url`, the URL the receiver sees itself called at.
    `generic`: the providers declared in receiver.toml, whose samples follow their declaration."""
    definition = next((d for d in generic if d.name == provider), None)
    if definition is not None and provider not in _SHAPES:
        return _generic(definition, status, secret)
    shape = _SHAPES.get(provider)
    if shape is None:
        raise SampleError(
            f"no sample for provider {provider!r}; send-test knows {', '.join(sorted(_SHAPES))}"
            " and the providers declared in RECEIVER_CONFIG"
        )
    raw = shape.raw_statuses.get(status)
    if raw is None:
        raise SampleError(
            f"{provider} has no {status!r} sample; choose one of {', '.join(shape.raw_statuses)}"
        )
    sample = shape.make(raw, _MESSAGE_IDS.get(provider, lambda: str(uuid.uuid4()))())
    signer = _SIGNERS.get(provider)
    if signer is None:
        return sample
    key = secret if secret is not None else _configured(provider, signing)
    if key is None:
        return sample
    signed = signer(sample, key, callback_url, time.time() if now is None else now, signing)
    return replace(signed, signed=True)


def expected(adapter: Adapter, sample: Sample) -> DeliveryEvent:
    """The event the receiver must store for `sample`, as its adapter reads it."""
    try:
        result = adapter.parse(decode(sample.query, sample.content_type, sample.body))
    except PayloadError as exc:  # a sample the adapter cannot read is a defect here
        raise SampleError(f"the {sample.provider} sample does not parse: {exc}") from exc
    if len(result.events) != 1:
        raise SampleError(f"the {sample.provider} sample yields {len(result.events)} events")
    return result.events[0]


# -- signing, as each provider signs ----------------------------------------------------------

_Signer = Callable[[Sample, str, str, float, SigningSecrets], Sample]


def _configured(provider: str, signing: SigningSecrets) -> str | None:
    """The first configured secret for `provider`; None where there is none, or where the
    receiver holds only a public key (Telnyx signs with a private key it never shares)."""
    if provider == "telnyx" and signing.telnyx_public_keys:
        raise SampleError(
            "Telnyx signs with its own private key, which the receiver never holds, so "
            "send-test cannot sign for the configured RECEIVER_TELNYX_PUBLIC_KEY. Pass --secret "
            "with the base64 Ed25519 private key of a test key pair whose public key is set."
        )
    secrets: Mapping[str, tuple[str, ...]] = {
        "twilio": signing.twilio_auth_tokens,
        "plivo": signing.plivo_auth_tokens,
        "vonage": signing.vonage_signature_secrets,
        "messagebird": signing.messagebird_signing_keys,
        "dotdigital": signing.dotdigital_webhook_secrets,
    }
    found = secrets.get(provider, ())
    return found[0] if found else None


def _with_headers(sample: Sample, **headers: str) -> Sample:
    return replace(sample, headers=(*sample.headers, *headers.items()))


def _sign_twilio(sample: Sample, key: str, url: str, now: float, _: SigningSecrets) -> Sample:
    # base64(HMAC-SHA1(token, URL + sorted key+value of the POST fields)), twilio.com/docs/usage/
    # webhooks/webhooks-security.
    params = sorted(parse_qsl(sample.body.decode(), keep_blank_values=True))
    text = sample.url(url) + "".join(k + v for k, v in params)
    digest = hmac.new(key.encode(), text.encode(), hashlib.sha1).digest()
    return _with_headers(sample, **{"x-twilio-signature": base64.b64encode(digest).decode()})


def _sign_plivo(sample: Sample, key: str, url: str, now: float, _: SigningSecrets) -> Sample:
    # X-Plivo-Signature-V3: base64(HMAC-SHA256(token, signed URL + "." + nonce)),
    # plivo.com/docs/voice/xml/request/validation.
    nonce = str(int(now))
    form = None if sample.method == "GET" else parse_qsl(sample.body.decode(), True)
    message = f"{plivo_signed_url(sample.url(url), form)}.{nonce}".encode()
    digest = base64.b64encode(hmac.new(key.encode(), message, hashlib.sha256).digest()).decode()
    return _with_headers(
        sample, **{"x-plivo-signature-v3": digest, "x-plivo-signature-v3-nonce": nonce}
    )


def _sign_vonage(sample: Sample, key: str, url: str, now: float, signing: SigningSecrets) -> Sample:
    # The SMS API's `sig`: timestamp and nonce added, then every parameter, sorted, as
    # &key=value with & and = in values replaced by _, hashed with the account's method
    # (developer.vonage.com/en/getting-started/concepts/signing-messages).
    extra = {"timestamp": str(int(now)), "nonce": str(uuid.uuid4())}
    params = {**dict(parse_qsl(sample.query, keep_blank_values=True)), **extra}
    message = "".join(
        f"&{k}={params[k].replace('&', '_').replace('=', '_')}" for k in sorted(params)
    ).encode()
    method = signing.vonage_signature_method
    if method == "md5hash":
        sig = hashlib.md5(message + key.encode()).hexdigest()
    else:
        sig = hmac.new(key.encode(), message, getattr(hashlib, method)).hexdigest()
    return replace(sample, query=f"{sample.query}&{urlencode({**extra, 'sig': sig})}")


def _sign_messagebird(sample: Sample, key: str, url: str, now: float, _: SigningSecrets) -> Sample:
    # MessageBird-Signature-JWT: HS256 over iss, nbf, exp, jti, url_hash (and payload_hash with
    # a body), developers.messagebird.com/api/#verifying-requests.
    claims: dict[str, Any] = {
        "iss": "MessageBird",
        "nbf": int(now),
        "exp": int(now) + 60,
        "jti": str(uuid.uuid4()),
        "url_hash": hashlib.sha256(sample.url(url).encode()).hexdigest(),
    }
    if sample.body:
        claims["payload_hash"] = hashlib.sha256(sample.body).hexdigest()
    token = jwt.encode(claims, key, algorithm="HS256")
    return _with_headers(sample, **{"messagebird-signature-jwt": token})


def _sign_telnyx(sample: Sample, key: str, url: str, now: float, _: SigningSecrets) -> Sample:
    # Ed25519 over "{timestamp}|{body}", developers.telnyx.com/docs/messaging/messages/
    # receiving-webhooks (webhook signing).
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        seed = base64.b64decode(key, validate=True)
        private = Ed25519PrivateKey.from_private_bytes(seed[:32])
    except ValueError:
        raise SampleError(
            "--secret for telnyx must be a base64 Ed25519 private key (32 bytes)"
        ) from None
    timestamp = str(int(now))
    signature = private.sign(f"{timestamp}|".encode() + sample.body)
    return _with_headers(
        sample,
        **{
            "telnyx-signature-ed25519": base64.b64encode(signature).decode(),
            "telnyx-timestamp": timestamp,
        },
    )


def _sign_dotdigital(sample: Sample, key: str, url: str, now: float, _: SigningSecrets) -> Sample:
    # X-Comapi-Signature: hex HMAC-SHA1 of the body (dotdigital OneAPI webhook samples).
    digest = hmac.new(key.encode(), sample.body, hashlib.sha1).hexdigest()
    return _with_headers(sample, **{"x-comapi-signature": digest})


_SIGNERS: dict[str, _Signer] = {
    "twilio": _sign_twilio,
    "plivo": _sign_plivo,
    "vonage": _sign_vonage,
    "messagebird": _sign_messagebird,
    "telnyx": _sign_telnyx,
    "dotdigital": _sign_dotdigital,
}


# -- providers declared in receiver.toml ------------------------------------------------------


def _generic(definition: GenericDefinition, status: str, secret: str | None) -> Sample:
    """A body with each declared field where the declaration says it is, the status as the
    first raw value the statuses table maps to `status`, signed as declared."""
    raw = next((r for r, mapped in definition.statuses if mapped.value == status), None)
    if raw is None:
        offered = ", ".join(dict.fromkeys(m.value for _, m in definition.statuses))
        raise SampleError(
            f"{definition.name} maps no raw status to {status!r} in its statuses table; "
            f"choose one of {offered or '(none declared)'}"
        )
    values = {
        "message_id": _id("send-test-"),
        "client_ref": "send-test",
        "recipient": "447700900123",
        "status": raw,
        "occurred_at": _now_iso(),
    }
    paths = {
        name: path
        for name in values
        if (path := getattr(definition, name)) is not None and path != ""
    }
    source = f"the [providers.generic.{definition.name}] declaration"
    if definition.format == "form":
        sample = _form(definition.name, source, {paths[k]: values[k] for k in paths})
    elif definition.format == "json":
        item: Any = {}
        for name, path in paths.items():
            item = _json_put(item, path.split("."), values[name])
        document: Any = item
        if definition.items == ".":
            document = [item]
        elif definition.items is not None:
            document = _json_put({}, definition.items.split("."), [item])
        sample = _json(definition.name, source, document)
    else:
        sample = _xml_sample(definition, source, {paths[k]: values[k] for k in paths})
    signature = definition.signature
    key = (
        secret
        if secret is not None
        else (signature.secrets[0] if signature and signature.secrets else None)
    )
    if signature is None or key is None:
        return sample
    mac = hmac.new(key.encode(), sample.body, ALGORITHMS[signature.algorithm]).digest()
    encoded = mac.hex() if signature.encoding == "hex" else base64.b64encode(mac).decode()
    signed = _with_headers(sample, **{signature.header.lower(): signature.prefix + encoded})
    return replace(signed, signed=True)


def _json_put(node: Any, steps: list[str], value: Any) -> Any:
    """`node` with `value` at the dotted path `steps` (a number steps into a list)."""
    if not steps:
        return value
    step, rest = steps[0], steps[1:]
    if step.isdigit():
        items = node if isinstance(node, list) else []
        index = int(step)
        items.extend({} for _ in range(index + 1 - len(items)))
        items[index] = _json_put(items[index], rest, value)
        return items
    mapping = node if isinstance(node, dict) else {}
    mapping[step] = _json_put(mapping.get(step, {}), rest, value)
    return mapping


def _xml_sample(definition: GenericDefinition, source: str, fields: Mapping[str, str]) -> Sample:
    if definition.items is not None:
        steps = definition.items.split("/")
        root = Element(steps[0])
        parent = root
        for step in steps[1:]:
            parent = SubElement(parent, step)
        relative = dict(fields)
    else:
        first = next(iter(fields)).split("/")[0]
        root = parent = Element(first)
        relative = {path.split("/", 1)[1] if "/" in path else path: v for path, v in fields.items()}
    for path, value in relative.items():
        node = parent
        *elements, last = path.split("/")
        for step in elements:
            found = node.find(step)
            node = found if found is not None else SubElement(node, step)
        if last.startswith("@"):
            node.set(last[1:], value)
        else:
            found = node.find(last)
            (found if found is not None else SubElement(node, last)).text = value
    body = tostring(root, encoding="utf-8", xml_declaration=True)
    return Sample(definition.name, "POST", "", (("content-type", "application/xml"),), body, source)
