from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from defusedxml import ElementTree
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from receiver.config import SigningSecrets
from receiver.providers.base import Request, SignatureError
from receiver.providers.toolkit.payload import decode
from receiver.providers.twilio import EMPTY_TWIML, TwilioAdapter
from receiver.records import DeliveryEvent, InboundMessage, PayloadError
from receiver.status import Status
from tests.contract import PUBLIC_URL, Expected, Fixture, Outgoing, ProviderContract

FORM = "application/x-www-form-urlencoded"
TOKEN_A = "12345678901234567890123456789012"
TOKEN_B = "abcdefabcdefabcdefabcdefabcdef12"
URL = "https://receiver.example.com/callbacks/twilio/test-token-0123456789abcdef"
adapter = TwilioAdapter()
signed_adapter = TwilioAdapter((TOKEN_A, TOKEN_B))

# Verbatim from nyaruka/courier handlers/twiml/handlers_test.go (tmsStatusExtra): a Messaging
# Service status callback.
STATUS_SENT = (
    b"SmsStatus=sent&MessageStatus=sent&To=2021&MessagingServiceSid=MGdb23ec0f89ee2632e46e91d8128f5e2b"
    b"&MessageSid=SM0b6e2697aae04182a9f5b5c7a8994c7f&AccountSid=acctid&From=%2B14133881111"
    b"&ApiVersion=2010-04-01"
)
# Verbatim, same file (statusStop): failed because the recipient had replied STOP.
STATUS_STOP = (
    b"ErrorCode=21610&MessageSid=SMe287d7109a5a925f182f0e07fe5b223b&MessageStatus=failed"
    b"&To=%2B12028831111"
)
# Verbatim, same file (statusValid, statusRead).
STATUS_DELIVERED = b"MessageSid=SMe287d7109a5a925f182f0e07fe5b223b&MessageStatus=delivered"
STATUS_READ = b"MessageSid=SMe287d7109a5a925f182f0e07fe5b223b&MessageStatus=read"
# Reconstructed: an undelivered callback with the fields twilio.com changelog 2023-02-14 adds
# (RawDlrDoneDate, YYMMDDhhmm) and an ErrorCode from twilio.com/docs/api/errors/30003.
STATUS_UNDELIVERED = (
    b"SmsSid=SM11111111111111111111111111111111&SmsStatus=undelivered"
    b"&MessageSid=SM11111111111111111111111111111111&MessageStatus=undelivered"
    b"&To=%2B447700900123&From=%2B14133881111&ErrorCode=30003&RawDlrDoneDate=2302141530"
    b"&AccountSid=AC00000000000000000000000000000000&ApiVersion=2010-04-01"
)
# Verbatim from courier's handlers_test.go (receiveValid): an incoming message.
RECEIVE = (
    b"ToCountry=US&ToState=District+Of+Columbia&SmsMessageSid=SMe287d7109a5a925f182f0e07fe5b223b"
    b"&NumMedia=0&ToCity=&FromZip=01022&SmsSid=SMe287d7109a5a925f182f0e07fe5b223b&FromState=MA"
    b"&SmsStatus=received&FromCity=CHICOPEE&Body=Msg&FromCountry=US&To=%2B12028831111&ToZip="
    b"&NumSegments=1&MessageSid=SMe287d7109a5a925f182f0e07fe5b223b&AccountSid=acctid"
    b"&From=%2B14133881111&ApiVersion=2010-04-01"
)
# Verbatim, same file (receiveMedia): an incoming MMS without text.
RECEIVE_MEDIA = (
    b"ToCountry=US&ToState=District+Of+Columbia&SmsMessageSid=SMe287d7109a5a925f182f0e07fe5b223b"
    b"&NumMedia=2&ToCity=&FromZip=01022&SmsSid=SMe287d7109a5a925f182f0e07fe5b223b&FromState=MA"
    b"&SmsStatus=received&FromCity=CHICOPEE&FromCountry=US&To=%2B12028831111&ToZip="
    b"&NumSegments=1&MessageSid=SMe287d7109a5a925f182f0e07fe5b223b&AccountSid=acctid"
    b"&From=%2B14133881111&ApiVersion=2010-04-01&MediaUrl0=cat.jpg&MediaUrl1=dog.jpg"
)
# Reconstructed: receiveValid's fields with a STOP body and the OptOutType that Advanced Opt-Out
# adds (help.twilio.com article 31560110671259), under a sid of its own.
RECEIVE_STOP = (
    b"SmsMessageSid=SM22222222222222222222222222222222&NumMedia=0&SmsStatus=received&Body=Stop"
    b"&OptOutType=STOP&To=%2B12028831111&NumSegments=1&MessageSid=SM22222222222222222222222222222222"
    b"&AccountSid=acctid&From=%2B14133889999&ApiVersion=2010-04-01"
)


def _parse(body: bytes, content_type: str | None = FORM, query: str = "") -> Any:
    return adapter.parse(decode(query, content_type, body))


def _event(body: bytes, content_type: str | None = FORM) -> DeliveryEvent:
    result = _parse(body, content_type)
    assert result.inbound == ()
    assert len(result.events) == 1
    event: DeliveryEvent = result.events[0]
    return event


def _inbound(body: bytes) -> InboundMessage:
    result = _parse(body)
    assert result.events == ()
    assert len(result.inbound) == 1
    message: InboundMessage = result.inbound[0]
    return message


class MultiDict(dict[str, list[str]]):
    """What a web framework hands RequestValidator: every value of a repeated key (getall)."""

    @classmethod
    def of(cls, pairs: Sequence[tuple[str, str]]) -> MultiDict:
        result = cls()
        for key, value in pairs:
            result.setdefault(key, []).append(value)
        return result

    def getall(self, name: str) -> list[str]:
        return self[name]


def _form_pairs(body: bytes) -> list[tuple[str, str]]:
    # As Request.form_params decodes a body, so the SDK signs what we check.
    return parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)


def _request(
    url: str = URL,
    body: bytes = b"",
    content_type: str | None = FORM,
    headers: dict[str, str] | None = None,
    method: str = "POST",
) -> Request:
    query = url.split("?", 1)[1] if "?" in url else ""
    return Request(
        method=method,
        url=url,
        query=query,
        headers=tuple((k.lower(), v) for k, v in (headers or {}).items()),
        body=body,
        content_type=content_type,
    )


def _sdk_sign(token: str, url: str, body: bytes, algorithm: str | None = None) -> str:
    signature: str = RequestValidator(token).compute_signature(
        url, MultiDict.of(_form_pairs(body)), algorithm
    )
    return signature


def _ours_accepts(request: Request, tokens: tuple[str, ...] = (TOKEN_A, TOKEN_B)) -> bool:
    try:
        TwilioAdapter(tokens).verify(request)
    except SignatureError:
        return False
    return True


# -- parse --------------------------------------------------------------------------------


def test_messaging_service_status_callback() -> None:
    event = _event(STATUS_SENT)
    assert event.status is Status.SENT
    assert event.provider_status == "sent"
    assert event.message_id == "SM0b6e2697aae04182a9f5b5c7a8994c7f"
    assert event.recipient == "2021"  # a short code stays as it is
    assert event.error_code is None
    assert event.occurred_at is None


def test_failed_after_stop_is_rejected_with_the_error_code() -> None:
    event = _event(STATUS_STOP)
    assert event.status is Status.REJECTED
    assert event.provider_status == "failed"
    assert event.recipient == "12028831111"
    assert event.error_code == "21610"
    assert event.error_detail is not None and "STOP" in event.error_detail


def test_undelivered_with_raw_dlr_done_date_as_utc() -> None:
    event = _event(STATUS_UNDELIVERED)
    assert event.status is Status.UNDELIVERED
    assert event.error_code == "30003"
    assert event.error_detail == "unreachable destination handset"
    assert event.occurred_at == datetime(2023, 2, 14, 15, 30, tzinfo=UTC)
    assert event.occurred_at_raw == "2302141530"
    assert event.recipient == "447700900123"


def test_read_counts_as_delivered() -> None:
    event = _event(STATUS_READ)
    assert (event.status, event.provider_status) == (Status.DELIVERED, "read")


def test_legacy_sms_fields_alone() -> None:
    event = _event(b"SmsSid=SM1&SmsStatus=delivered&To=%2B15005550006")
    assert (event.message_id, event.status, event.provider_status) == (
        "SM1",
        Status.DELIVERED,
        "delivered",
    )


def test_message_fields_win_over_legacy_ones() -> None:
    event = _event(b"SmsSid=SMold&SmsStatus=sent&MessageSid=SMnew&MessageStatus=delivered")
    assert (event.message_id, event.status) == ("SMnew", Status.DELIVERED)


def test_status_is_case_insensitive_and_kept_raw() -> None:
    event = _event(b"MessageSid=SM1&MessageStatus=Undelivered")
    assert (event.status, event.provider_status) == (Status.UNDELIVERED, "Undelivered")


def test_error_code_zero_is_no_error() -> None:
    assert _event(b"MessageSid=SM1&MessageStatus=delivered&ErrorCode=0").error_code is None


def test_unlisted_error_code_is_kept_without_detail() -> None:
    event = _event(b"MessageSid=SM1&MessageStatus=undelivered&ErrorCode=63018")
    assert (event.error_code, event.error_detail) == ("63018", None)


def test_unparseable_done_date_is_kept_raw_only() -> None:
    event = _event(b"MessageSid=SM1&MessageStatus=delivered&RawDlrDoneDate=yesterday")
    assert (event.occurred_at, event.occurred_at_raw) == (None, "yesterday")


def test_done_date_with_seconds() -> None:
    event = _event(b"MessageSid=SM1&MessageStatus=delivered&RawDlrDoneDate=230214153045")
    assert event.occurred_at == datetime(2023, 2, 14, 15, 30, 45, tzinfo=UTC)


def test_incoming_message() -> None:
    message = _inbound(RECEIVE)
    assert message.sender == "14133881111"
    assert message.recipient == "12028831111"
    assert message.text == "Msg"
    assert message.message_id == "SMe287d7109a5a925f182f0e07fe5b223b"
    assert (message.is_opt_out, message.keyword) == (False, None)


def test_incoming_media_without_text() -> None:
    message = _inbound(RECEIVE_MEDIA)
    assert (message.sender, message.text, message.is_opt_out) == ("14133881111", None, False)


def test_opt_out_type_stop() -> None:
    message = _inbound(RECEIVE_STOP)
    assert (message.is_opt_out, message.keyword) == (True, "STOP")
    assert message.sender == "14133889999"


def test_opt_out_type_stop_with_a_custom_keyword() -> None:
    # Advanced Opt-Out lets a service add its own keywords (e.g. localized ones).
    message = _inbound(b"MessageSid=SM3&SmsStatus=received&Body=Arr%C3%AAt&OptOutType=STOP")
    assert (message.is_opt_out, message.keyword) == (True, "ARRÊT")


@pytest.mark.parametrize(("kind", "body"), [("START", "start"), ("HELP", "help")])
def test_opt_out_type_start_and_help_are_not_opt_outs(kind: str, body: str) -> None:
    message = _inbound(f"MessageSid=SM3&SmsStatus=received&Body={body}&OptOutType={kind}".encode())
    assert (message.is_opt_out, message.keyword) == (False, None)


@pytest.mark.parametrize(
    ("text", "keyword"),
    [("STOP", "STOP"), ("  unsubscribe. ", "UNSUBSCRIBE"), ("stop please", None), ("Hi", None)],
)
def test_keyword_opt_out_without_advanced_opt_out(text: str, keyword: str | None) -> None:
    body = urlencode({"MessageSid": "SM4", "SmsStatus": "received", "Body": text}).encode()
    message = _inbound(body)
    assert (message.is_opt_out, message.keyword) == (keyword is not None, keyword)


def test_incoming_message_with_message_status_received() -> None:
    message = _inbound(b"MessageSid=SM5&MessageStatus=received&Body=hello&From=%2B14155550100")
    assert message.text == "hello"


def test_status_callback_named_received_without_a_body_is_an_unknown_event() -> None:
    event = _event(b"MessageSid=SM5&MessageStatus=received")
    assert (event.status, event.provider_status) == (Status.UNKNOWN, "received")


def test_get_with_query_string() -> None:
    result = _parse(b"", None, query="MessageSid=SM6&MessageStatus=sent&To=%2B15005550006")
    assert [(e.message_id, e.status) for e in result.events] == [("SM6", Status.SENT)]


def test_flat_json_is_read_too() -> None:
    body = b'{"MessageSid": 123, "MessageStatus": "delivered", "To": 447700900123}'
    event = _event(body, "application/json")
    assert (event.message_id, event.status, event.recipient) == (
        "123",
        Status.DELIVERED,
        "447700900123",
    )


@pytest.mark.parametrize(
    ("body", "content_type", "missing"),
    [
        (b"MessageStatus=delivered", FORM, "MessageSid"),
        (b"MessageSid=SM1", FORM, "MessageStatus"),
        (b"MessageSid=&MessageStatus=sent", FORM, "MessageSid"),
        (b"hello=world", FORM, "MessageSid"),
        (b"[1, 2, 3]", "application/json", "MessageSid"),
        (b'{"MessageSid": ["SM1"], "MessageStatus": {"a": 1}}', "application/json", "MessageSid"),
        (b'{"MessageSid": "SM1", "MessageStatus": null}', "application/json", "MessageStatus"),
        (b"<Response/>", "text/xml", "MessageSid"),
    ],
)
def test_unreadable_callbacks_are_payload_errors(
    body: bytes, content_type: str, missing: str
) -> None:
    with pytest.raises(PayloadError, match=missing):
        _parse(body, content_type)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "MessageSid",
                "SmsSid",
                "MessageStatus",
                "SmsStatus",
                "Body",
                "NumMedia",
                "OptOutType",
                "ErrorCode",
                "To",
                "From",
                "RawDlrDoneDate",
            ]
        ),
        st.text(max_size=12),
    )
)
def test_parse_raises_nothing_but_payload_errors(form: dict[str, str]) -> None:
    try:
        result = _parse(urlencode(form).encode())
    except PayloadError:
        return
    assert len(result.events) + len(result.inbound) == 1


def test_answer_is_empty_twiml() -> None:
    answer = TwilioAdapter.answer
    root = ElementTree.fromstring(answer.body)
    assert (root.tag, len(root), (root.text or "").strip()) == ("Response", 0, "")
    assert answer.content_type == "text/xml"
    assert answer.status == 200


# -- signature, with the SDK's RequestValidator as the oracle ----------------------------------


def test_verifies_only_with_tokens() -> None:
    assert not TwilioAdapter().verifies
    assert TwilioAdapter((TOKEN_A,)).verifies


def test_sdk_signature_is_accepted_and_sdk_agrees() -> None:
    signature = _sdk_sign(TOKEN_A, URL, STATUS_UNDELIVERED)
    request = _request(body=STATUS_UNDELIVERED, headers={"X-Twilio-Signature": signature})
    signed_adapter.verify(request)
    params = MultiDict.of(_form_pairs(STATUS_UNDELIVERED))
    assert RequestValidator(TOKEN_A).validate(URL, params, signature)


def test_second_token_is_accepted() -> None:
    signature = _sdk_sign(TOKEN_B, URL, STATUS_SENT)
    signed_adapter.verify(_request(body=STATUS_SENT, headers={"X-Twilio-Signature": signature}))


def test_tampered_value_is_refused_by_both() -> None:
    signature = _sdk_sign(TOKEN_A, URL, STATUS_STOP)
    tampered = STATUS_STOP.replace(b"failed", b"delivered")
    request = _request(body=tampered, headers={"X-Twilio-Signature": signature})
    with pytest.raises(SignatureError, match="wrong signature"):
        signed_adapter.verify(request)
    assert not RequestValidator(TOKEN_A).validate(
        URL, MultiDict.of(_form_pairs(tampered)), signature
    )


def test_wrong_token_is_refused_by_both() -> None:
    signature = _sdk_sign("not-the-token", URL, STATUS_STOP)
    request = _request(body=STATUS_STOP, headers={"X-Twilio-Signature": signature})
    assert not _ours_accepts(request)
    assert not RequestValidator(TOKEN_A).validate(
        URL, MultiDict.of(_form_pairs(STATUS_STOP)), signature
    )


def test_repeated_parameters_follow_the_sdk() -> None:
    # RequestValidator signs each distinct value of a repeated key once, sorted.
    body = b"MessageSid=SM1&MediaUrl=b.jpg&MediaUrl=a.jpg&MediaUrl=b.jpg&MessageStatus=sent"
    signature = _sdk_sign(TOKEN_A, URL, body)
    assert RequestValidator(TOKEN_A).validate(URL, MultiDict.of(_form_pairs(body)), signature)
    assert _ours_accepts(_request(body=body, headers={"X-Twilio-Signature": signature}))
    # A signature over the first value only (a plain dict) is a different one.
    first_only = RequestValidator(TOKEN_A).compute_signature(URL, dict(_form_pairs(body)[::-1]))
    assert first_only != signature
    assert not _ours_accepts(_request(body=body, headers={"X-Twilio-Signature": first_only}))


@pytest.mark.parametrize(
    ("signed_url", "received_url"),
    [
        ("https://receiver.example.com:443/cb?a=1", "https://receiver.example.com/cb?a=1"),
        ("https://receiver.example.com/cb?a=1", "https://receiver.example.com:443/cb?a=1"),
        ("http://receiver.example.com:80/cb", "http://receiver.example.com/cb"),
        ("https://receiver.example.com/cb", "https://receiver.example.com:8443/cb"),
        ("https://receiver.example.com:8443/cb", "https://receiver.example.com:8443/cb"),
        ("https://receiver.example.com:8443/cb", "https://receiver.example.com/cb"),
        ("http://receiver.example.com:443/cb", "http://receiver.example.com/cb"),
        ("https://receiver.example.com/cb", "https://receiver.example.com/cb?"),
        ("https://receiver.example.com/cb", "https://receiver.example.com/cb/"),
    ],
)
def test_port_variants_agree_with_the_sdk(signed_url: str, received_url: str) -> None:
    signature = _sdk_sign(TOKEN_A, signed_url, STATUS_SENT)
    sdk = RequestValidator(TOKEN_A).validate(
        received_url, MultiDict.of(_form_pairs(STATUS_SENT)), signature
    )
    request = _request(received_url, STATUS_SENT, headers={"X-Twilio-Signature": signature})
    assert _ours_accepts(request) == sdk


def test_port_variants_include_both_outcomes() -> None:
    # The table above must not be vacuous: both an accepted and a refused case.
    accepted = _sdk_sign(TOKEN_A, "https://receiver.example.com:443/cb", STATUS_SENT)
    refused = _sdk_sign(TOKEN_A, "https://receiver.example.com:444/cb", STATUS_SENT)
    base = "https://receiver.example.com/cb"
    assert _ours_accepts(_request(base, STATUS_SENT, headers={"X-Twilio-Signature": accepted}))
    assert not _ours_accepts(_request(base, STATUS_SENT, headers={"X-Twilio-Signature": refused}))


def test_get_signs_the_url_alone() -> None:
    url = URL + "?MessageSid=SM1&MessageStatus=sent"
    signature = RequestValidator(TOKEN_A).compute_signature(url, {})
    request = _request(url, b"", None, {"X-Twilio-Signature": signature}, method="GET")
    signed_adapter.verify(request)
    assert RequestValidator(TOKEN_A).validate(url, {}, signature)
    tampered = replace(request, url=url.replace("sent", "delivered"))
    with pytest.raises(SignatureError):
        signed_adapter.verify(tampered)


def test_json_body_is_checked_against_body_sha256() -> None:
    body = '{"MessageSid": "SM1", "MessageStatus": "delivered"}'
    url = f"{URL}?bodySHA256={hashlib.sha256(body.encode()).hexdigest()}"
    signature = RequestValidator(TOKEN_A).compute_signature(url, {})
    headers = {"X-Twilio-Signature": signature}
    assert RequestValidator(TOKEN_A).validate(url, body, signature)
    signed_adapter.verify(_request(url, body.encode(), "application/json", headers))

    tampered = body.replace("delivered", "failed")
    assert not RequestValidator(TOKEN_A).validate(url, tampered, signature)
    with pytest.raises(SignatureError, match="bodySHA256"):
        signed_adapter.verify(_request(url, tampered.encode(), "application/json", headers))


def test_json_body_without_body_sha256_is_refused() -> None:
    # Nothing would bind the body to the signature, so any body could ride on a signed URL.
    signature = RequestValidator(TOKEN_A).compute_signature(URL, {})
    request = _request(
        URL, b'{"MessageSid": "SM1"}', "application/json", {"X-Twilio-Signature": signature}
    )
    with pytest.raises(SignatureError, match="bodySHA256"):
        signed_adapter.verify(request)


def test_shared_key_with_hmac_sha256() -> None:
    signature = _sdk_sign(TOKEN_A, URL, STATUS_SENT, "HMAC_SHA256")
    settings_header = "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256"
    headers = {
        "X-Twilio-Signature": signature,
        "X-Twilio-Webhooks-Signature-Settings": settings_header,
    }
    signed_adapter.verify(_request(body=STATUS_SENT, headers=headers))
    params = MultiDict.of(_form_pairs(STATUS_SENT))
    assert RequestValidator(TOKEN_A).validate(URL, params, signature, "HMAC_SHA256")
    # Without the header the same signature is checked as HMAC-SHA1, and fails in both.
    assert not RequestValidator(TOKEN_A).validate(URL, params, signature)
    assert not _ours_accepts(_request(body=STATUS_SENT, headers={"X-Twilio-Signature": signature}))


def test_unsupported_algorithm_is_refused() -> None:
    signature = _sdk_sign(TOKEN_A, URL, STATUS_SENT)
    headers = {
        "X-Twilio-Signature": signature,
        "X-Twilio-Webhooks-Signature-Settings": "key=k,algorithm=HMAC_MD5",
    }
    with pytest.raises(SignatureError, match="unsupported"):
        signed_adapter.verify(_request(body=STATUS_SENT, headers=headers))
    params = MultiDict.of(_form_pairs(STATUS_SENT))
    assert not RequestValidator(TOKEN_A).validate(URL, params, signature, "HMAC_MD5")


def test_missing_signature() -> None:
    with pytest.raises(SignatureError, match="missing"):
        signed_adapter.verify(_request(body=STATUS_SENT))


def test_reasons_never_carry_the_secret_or_the_signature() -> None:
    signature = _sdk_sign("wrong", URL, STATUS_SENT)
    with pytest.raises(SignatureError) as caught:
        signed_adapter.verify(_request(body=STATUS_SENT, headers={"X-Twilio-Signature": signature}))
    reason = str(caught.value)
    assert TOKEN_A not in reason and TOKEN_B not in reason and signature not in reason


_KEYS = st.sampled_from(["MessageSid", "MessageStatus", "To", "Body", "a", "A", "b", "Ä", "a b"])
_VALUES = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)


@settings(max_examples=150, deadline=None)
@given(
    pairs=st.lists(st.tuples(_KEYS, _VALUES), max_size=6),
    port=st.sampled_from(["", ":443", ":8443"]),
    received_port=st.sampled_from(["", ":443", ":8443"]),
    query=st.sampled_from(["", "?x=1", "?x=1&y=%20"]),
    token=st.sampled_from([TOKEN_A, "other-token"]),
)
def test_differential_against_request_validator(
    pairs: list[tuple[str, str]], port: str, received_port: str, query: str, token: str
) -> None:
    body = urlencode(pairs).encode()
    signed_url = f"https://receiver.example.com{port}/cb{query}"
    received_url = f"https://receiver.example.com{received_port}/cb{query}"
    signature = _sdk_sign(token, signed_url, body)
    sdk = RequestValidator(TOKEN_A).validate(
        received_url, MultiDict.of(_form_pairs(body)), signature
    )
    request = _request(received_url, body, FORM, {"X-Twilio-Signature": signature})
    assert _ours_accepts(request, (TOKEN_A,)) == sdk


# -- the shared contract ----------------------------------------------------------------------


class TestTwilioContract(ProviderContract):
    slug = "twilio"
    fixtures = (
        Fixture(
            "messaging service status callback",
            "nyaruka/courier handlers/twiml/handlers_test.go tmsStatusExtra (verbatim)",
            body=STATUS_SENT,
            content_type=FORM,
            events=(
                Expected(
                    Status.SENT,
                    "sent",
                    message_id="SM0b6e2697aae04182a9f5b5c7a8994c7f",
                    recipient="2021",
                ),
            ),
        ),
        Fixture(
            "failed: recipient unsubscribed",
            "nyaruka/courier handlers/twiml/handlers_test.go statusStop (verbatim)",
            body=STATUS_STOP,
            content_type=FORM,
            events=(
                Expected(
                    Status.REJECTED,
                    "failed",
                    message_id="SMe287d7109a5a925f182f0e07fe5b223b",
                    recipient="12028831111",
                    error_code="21610",
                ),
            ),
        ),
        Fixture(
            "delivered",
            "nyaruka/courier handlers/twiml/handlers_test.go statusValid (verbatim)",
            body=STATUS_DELIVERED,
            content_type=FORM,
            events=(Expected(Status.DELIVERED, "delivered", "SMe287d7109a5a925f182f0e07fe5b223b"),),
        ),
        Fixture(
            "undelivered with RawDlrDoneDate",
            "reconstructed from twilio.com changelog 2023-02-14 and docs/api/errors/30003",
            body=STATUS_UNDELIVERED,
            content_type=FORM,
            events=(
                Expected(
                    Status.UNDELIVERED,
                    "undelivered",
                    message_id="SM11111111111111111111111111111111",
                    recipient="447700900123",
                    error_code="30003",
                ),
            ),
        ),
        Fixture(
            "incoming message",
            "nyaruka/courier handlers/twiml/handlers_test.go receiveValid (verbatim)",
            body=RECEIVE,
            content_type=FORM,
            inbound=(("14133881111", False),),
        ),
        Fixture(
            "incoming STOP with OptOutType",
            "reconstructed: receiveValid's fields, help.twilio.com article 31560110671259",
            body=RECEIVE_STOP,
            content_type=FORM,
            inbound=(("14133889999", True),),
        ),
    )
    # Twilio's MessageStatus enum (twilio-openapi MessageEnumStatus), mapped per NOTES §7/§8.
    statuses = (
        ("queued", Status.QUEUED),
        ("sending", Status.SENT),
        ("sent", Status.SENT),
        ("failed", Status.REJECTED),
        ("delivered", Status.DELIVERED),
        ("undelivered", Status.UNDELIVERED),
        ("receiving", Status.UNKNOWN),
        ("received", Status.UNKNOWN),
        ("accepted", Status.QUEUED),
        ("scheduled", Status.QUEUED),
        ("read", Status.DELIVERED),
        ("partially_delivered", Status.DELIVERED),
        ("canceled", Status.REJECTED),
    )
    answer_body = EMPTY_TWIML
    answer_content_type = "text/xml"
    wrong_shape = Fixture("no Twilio fields", "invented", b"hello=world", FORM)
    signing_keys = (TOKEN_A, TOKEN_B)
    wrong_key = "00000000000000000000000000000000"
    signs_url = True
    has_replay_window = False

    def with_status(self, raw_status: str) -> Fixture:
        body = urlencode({"MessageSid": "SM1", "MessageStatus": raw_status, "To": "+1500"})
        return Fixture(raw_status, "as STATUS_DELIVERED", body.encode(), FORM)

    def configure(self, keys: Sequence[Any]) -> SigningSecrets:
        return SigningSecrets(twilio_auth_tokens=tuple(keys))

    def sign(self, request: Outgoing, key: Any, now: float) -> Outgoing:
        assert request.url.startswith(PUBLIC_URL)
        body = request.body if request.content_type == FORM else b""
        signature = _sdk_sign(key, request.url, body)
        return replace(request, headers={**request.headers, "x-twilio-signature": signature})
