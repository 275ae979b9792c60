from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plivo.utils.signature_v3 import (
    construct_get_url,
    construct_post_url,
    get_signature_v3,
    validate_v3_signature,
)

from receiver.config import SigningSecrets
from receiver.providers.base import Request, SignatureError
from receiver.providers.plivo import PlivoAdapter
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, InboundMessage, PayloadError
from receiver.status import Status
from tests.contract import Expected, Fixture, Outgoing, ProviderContract

FORM = "application/x-www-form-urlencoded"
TOKEN_A = "MjAxNzAxMjMxMjM0NTY3ODkwMTIzNDU2Nzg5"
TOKEN_B = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1"
URL = "https://receiver.example.com/callbacks/plivo/test-token-0123456789abcdef"
NONCE = "05429567804466091622"
adapter = PlivoAdapter()
signed_adapter = PlivoAdapter((TOKEN_A, TOKEN_B))

# Verbatim from the doc comment at the top of nyaruka/courier handlers/plivo/handler.go.
STATUS_DELIVERED = (
    b"Status=delivered&From=13342031111&ParentMessageUUID=83876bdb-2033-4876-bfaf-0ff8693705af"
    b"&TotalRate=0.0025&MCC=405&PartInfo=1+of+1&ErrorCode=&To=918553651111&Units=1"
    b"&TotalAmount=0.0025&MNC=803&MessageUUID=83876bdb-2033-4876-bfaf-0ff8693705af"
)
# Verbatim from the same doc comment: an incoming message (an application's message_url).
INCOMING = (
    b"To=4759440448&From=4795961111&TotalRate=0&Units=1&Text=Msg&TotalAmount=0&Type=sms"
    b"&MessageUUID=7a242edc-2f57-11e7-98c9-06ab0bf64327"
)
# Reconstructed: the attributes of plivo.com/docs/messaging/api/message/message-status-callbacks
# for a message that failed at Plivo for lack of credit (support.plivo.com article 17000088423).
STATUS_FAILED = (
    b"MessageUUID=11111111-2222-3333-4444-555555555555&ParentMessageUUID=11111111-2222-3333-4444"
    b"-555555555555&PartInfo=1+of+1&Status=failed&ErrorCode=900&To=14155550100&From=14155550199"
    b"&Type=sms&Units=1&TotalRate=0&TotalAmount=0&Sequence=2"
    b"&MessageTime=2024-05-01+10%3A00%3A00.000000&QueuedTime=2024-05-01+10%3A00%3A00.500000"
)
# Reconstructed, same page: a sent report, with the times Plivo lists (no time zone given).
STATUS_SENT = (
    b"MessageUUID=22222222-2222-3333-4444-555555555555&Status=sent&ErrorCode=000&To=%2B447700900123"
    b"&From=PLIVO&Type=sms&Units=2&Sequence=2&MessageTime=2024-05-01+10%3A00%3A00.000000"
    b"&QueuedTime=2024-05-01+10%3A00%3A00.250000&SentTime=2024-05-01+10%3A00%3A01.123456"
)
# Reconstructed: INCOMING's fields with a STOP reply from another number.
INCOMING_STOP = (
    b"To=4759440448&From=4795962222&TotalRate=0&Units=1&Text=stop&TotalAmount=0&Type=sms"
    b"&MessageUUID=7a242edc-2f57-11e7-98c9-06ab0bf69999"
)


def _parse(body: bytes, content_type: str | None = FORM, query: str = "") -> Any:
    return adapter.parse(decode(query, content_type, body))


def _event(body: bytes, content_type: str | None = FORM, query: str = "") -> DeliveryEvent:
    result = _parse(body, content_type, query)
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


def _form_params(body: bytes) -> dict[str, Any]:
    """A form as a dict the SDK takes: a repeated key's values as a list."""
    params: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        if key in params:
            existing = params[key]
            params[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            params[key] = value
    return params


def _sdk_sign(token: str, method: str, url: str, body: bytes, nonce: str = NONCE) -> str:
    """The V3 signature as the SDK's signing helpers compute it."""
    if method == "GET":
        base = construct_get_url(url, {})
    else:
        base = construct_post_url(url, _form_params(body))
    signature: bytes = get_signature_v3(token, base.decode("utf-8"), nonce)
    return signature.decode()


def _sdk_validates(
    token: str, method: str, url: str, body: bytes, signature: str, nonce: str = NONCE
) -> bool:
    params = {} if method == "GET" else _form_params(body)
    result: bool = validate_v3_signature(method, url, nonce, token, signature, params)
    return result


def _request(
    url: str = URL,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    method: str = "POST",
    content_type: str | None = FORM,
) -> Request:
    return Request(
        method=method,
        url=url,
        query=url.split("?", 1)[1] if "?" in url else "",
        headers=tuple((k.lower(), v) for k, v in (headers or {}).items()),
        body=body,
        content_type=content_type,
    )


def _signed(
    body: bytes = STATUS_DELIVERED,
    url: str = URL,
    method: str = "POST",
    token: str = TOKEN_A,
    header: str = "X-Plivo-Signature-V3",
) -> Request:
    signature = _sdk_sign(token, method, url, body)
    headers = {header: signature, "X-Plivo-Signature-V3-Nonce": NONCE}
    return _request(url, body, headers, method)


def _ours_accepts(request: Request, tokens: tuple[str, ...] = (TOKEN_A, TOKEN_B)) -> bool:
    try:
        PlivoAdapter(tokens).verify(request)
    except SignatureError:
        return False
    return True


# -- parse --------------------------------------------------------------------------------


def test_documented_status_callback() -> None:
    event = _event(STATUS_DELIVERED)
    assert (event.status, event.provider_status) == (Status.DELIVERED, "delivered")
    assert event.message_id == "83876bdb-2033-4876-bfaf-0ff8693705af"
    assert event.recipient == "918553651111"
    assert event.error_code is None  # "ErrorCode=" on success
    assert event.event_id is None  # ParentMessageUUID == MessageUUID: a whole message


def test_failed_is_rejected_with_error_and_queued_time() -> None:
    event = _event(STATUS_FAILED)
    assert (event.status, event.provider_status) == (Status.REJECTED, "failed")
    assert (event.error_code, event.error_detail) == ("900", "insufficient credit")
    # No delivery or sent time yet: the latest time known, QueuedTime, taken as UTC.
    assert event.occurred_at == datetime(2024, 5, 1, 10, 0, 0, 500000, tzinfo=UTC)
    assert event.occurred_at_raw == "2024-05-01 10:00:00.500000"


def test_sent_uses_sent_time_and_000_is_no_error() -> None:
    event = _event(STATUS_SENT)
    assert (event.status, event.error_code) == (Status.SENT, None)
    assert event.occurred_at == datetime(2024, 5, 1, 10, 0, 1, 123456, tzinfo=UTC)
    assert event.recipient == "447700900123"
    assert event.message_id == "22222222-2222-3333-4444-555555555555"  # no parent: its own id


def test_delivered_uses_delivery_report_time() -> None:
    body = (
        b"MessageUUID=u1&Status=delivered&ErrorCode=000&SentTime=2024-05-01+10%3A00%3A01.000000"
        b"&DeliveryReportTime=2024-05-01+10%3A00%3A09.000001"
    )
    event = _event(body)
    assert event.occurred_at == datetime(2024, 5, 1, 10, 0, 9, 1, tzinfo=UTC)
    assert event.occurred_at_raw == "2024-05-01 10:00:09.000001"


def test_time_with_offset_is_converted() -> None:
    event = _event(b"MessageUUID=u1&Status=sent&SentTime=2024-05-01+15%3A30%3A00%2B05%3A30")
    assert event.occurred_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def test_undelivered_keeps_an_unlisted_error_code() -> None:
    event = _event(b"MessageUUID=u1&Status=undelivered&ErrorCode=1000&To=14155550100")
    assert (event.status, event.error_code, event.error_detail) == (
        Status.UNDELIVERED,
        "1000",
        None,
    )


def test_multipart_part_is_filed_under_its_parent() -> None:
    part = (
        b"MessageUUID=part-2&ParentMessageUUID=parent-1&PartInfo=2+of+3&Status=delivered"
        b"&Sequence=3&To=14155550100"
    )
    event = _event(part)
    assert event.message_id == "parent-1"
    assert event.message_key == "id:parent-1"
    assert event.event_id is not None and "part-2" in event.event_id
    other = _event(part.replace(b"part-2", b"part-3"))
    assert other.message_key == event.message_key
    assert other.event_id != event.event_id  # the parts' reports stay apart
    assert _event(part).event_id == event.event_id  # a retry is the same event


def test_status_is_case_insensitive() -> None:
    event = _event(b"MessageUUID=u1&Status=Delivered")
    assert (event.status, event.provider_status) == (Status.DELIVERED, "Delivered")


def test_get_with_query_parameters() -> None:
    event = _event(b"", None, query="MessageUUID=u2&Status=queued&To=14155550100")
    assert (event.message_id, event.status) == ("u2", Status.QUEUED)


def test_incoming_message() -> None:
    message = _inbound(INCOMING)
    assert (message.sender, message.recipient, message.text) == ("4795961111", "4759440448", "Msg")
    assert message.message_id == "7a242edc-2f57-11e7-98c9-06ab0bf64327"
    assert (message.is_opt_out, message.keyword) == (False, None)


def test_incoming_stop() -> None:
    message = _inbound(INCOMING_STOP)
    assert (message.is_opt_out, message.keyword) == (True, "STOP")


@pytest.mark.parametrize(
    ("body", "content_type", "missing"),
    [
        (b"Status=delivered&To=1", FORM, "MessageUUID"),
        (b"MessageUUID=u1&To=1", FORM, "Status"),
        (b"MessageUUID=&Status=sent", FORM, "MessageUUID"),
        (b"Text=hi&From=1", FORM, "MessageUUID"),  # an incoming message must have its id too
        (b"hello=world", FORM, "MessageUUID"),
        (b"[{}]", "application/json", "MessageUUID"),
        (b'{"MessageUUID": {"x": 1}, "Status": ["sent"]}', "application/json", "MessageUUID"),
        (b'{"MessageUUID": 7}', "application/json", "Status"),
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
                "MessageUUID",
                "ParentMessageUUID",
                "Status",
                "ErrorCode",
                "To",
                "From",
                "Text",
                "Sequence",
                "SentTime",
                "DeliveryReportTime",
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


# -- signature, with the SDK's validate_v3_signature as the oracle -----------------------------


def test_verifies_only_with_tokens() -> None:
    assert not PlivoAdapter().verifies
    assert PlivoAdapter((TOKEN_A,)).verifies


def test_sdk_signature_is_accepted_and_sdk_agrees() -> None:
    request = _signed()
    signed_adapter.verify(request)
    signature = request.header("x-plivo-signature-v3") or ""
    assert _sdk_validates(TOKEN_A, "POST", URL, STATUS_DELIVERED, signature)


def test_second_token_and_main_account_header() -> None:
    signed_adapter.verify(_signed(token=TOKEN_B))
    signed_adapter.verify(_signed(header="X-Plivo-Signature-Ma-V3"))


def test_post_with_query_string_signs_both() -> None:
    url = URL + "?ref=abc&b=2&a=1"
    request = _signed(url=url)
    signed_adapter.verify(request)
    assert _sdk_validates(
        TOKEN_A, "POST", url, STATUS_DELIVERED, request.header("x-plivo-signature-v3") or ""
    )
    with pytest.raises(SignatureError, match="wrong"):
        signed_adapter.verify(replace(request, url=url.replace("abc", "abd")))


def test_get_signs_the_sorted_query() -> None:
    url = URL + "?Status=delivered&MessageUUID=u1&To=14155550100"
    request = _signed(b"", url, "GET")
    signed_adapter.verify(request)
    signature = request.header("x-plivo-signature-v3") or ""
    assert _sdk_validates(TOKEN_A, "GET", url, b"", signature)
    # An empty POST signs the same string as a GET (SDK construct_post_url), in both.
    assert _ours_accepts(replace(request, method="POST"))
    assert _sdk_validates(TOKEN_A, "POST", url, b"", signature)
    # The same fields moved into a POST body are a different string, refused by both.
    body = url.split("?", 1)[1].encode()
    as_form = replace(request, method="POST", url=URL, body=body)
    assert not _ours_accepts(as_form)
    assert not _sdk_validates(TOKEN_A, "POST", URL, body, signature)


def test_tampered_body_is_refused_by_both() -> None:
    request = _signed()
    tampered = STATUS_DELIVERED.replace(b"delivered", b"undelivered")
    signature = request.header("x-plivo-signature-v3") or ""
    assert not _ours_accepts(replace(request, body=tampered))
    assert not _sdk_validates(TOKEN_A, "POST", URL, tampered, signature)


def test_tampered_nonce_is_refused_by_both() -> None:
    request = _signed()
    signature = request.header("x-plivo-signature-v3") or ""
    headers = (("x-plivo-signature-v3", signature), ("x-plivo-signature-v3-nonce", "1" + NONCE))
    assert not _ours_accepts(replace(request, headers=headers))
    assert not _sdk_validates(TOKEN_A, "POST", URL, STATUS_DELIVERED, signature, "1" + NONCE)


def test_wrong_token_is_refused_by_both() -> None:
    request = _signed(token="not-the-token")
    signature = request.header("x-plivo-signature-v3") or ""
    assert not _ours_accepts(request)
    assert not _sdk_validates(TOKEN_A, "POST", URL, STATUS_DELIVERED, signature)


def test_repeated_parameters_are_each_signed_sorted() -> None:
    body = b"MessageUUID=u1&Status=sent&Tag=b&Tag=a&Tag=b"
    request = _signed(body)
    signed_adapter.verify(request)
    assert _sdk_validates(TOKEN_A, "POST", URL, body, request.header("x-plivo-signature-v3") or "")
    # Dropping a duplicate changes the signed string.
    assert not _ours_accepts(replace(request, body=b"MessageUUID=u1&Status=sent&Tag=b&Tag=a"))


def test_comma_separated_signatures_any_one_matches() -> None:
    good = _sdk_sign(TOKEN_A, "POST", URL, STATUS_DELIVERED)
    bad = _sdk_sign("other-token", "POST", URL, STATUS_DELIVERED)
    value = f"{bad},{good}"
    headers = {"X-Plivo-Signature-V3": value, "X-Plivo-Signature-V3-Nonce": NONCE}
    assert _ours_accepts(_request(body=STATUS_DELIVERED, headers=headers))
    assert _sdk_validates(TOKEN_A, "POST", URL, STATUS_DELIVERED, value)
    only_bad = {"X-Plivo-Signature-V3": f"{bad},{bad}", "X-Plivo-Signature-V3-Nonce": NONCE}
    assert not _ours_accepts(_request(body=STATUS_DELIVERED, headers=only_bad))


def test_signature_in_either_header() -> None:
    # V3 from a subaccount token we don't hold, Ma-V3 from the main account token we do.
    headers = {
        "X-Plivo-Signature-V3": _sdk_sign("subaccount-token", "POST", URL, STATUS_DELIVERED),
        "X-Plivo-Signature-Ma-V3": _sdk_sign(TOKEN_A, "POST", URL, STATUS_DELIVERED),
        "X-Plivo-Signature-V3-Nonce": NONCE,
    }
    assert _ours_accepts(_request(body=STATUS_DELIVERED, headers=headers))


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"X-Plivo-Signature-V3": "abc"}, "Nonce"),
        ({"X-Plivo-Signature-V3-Nonce": NONCE}, "missing X-Plivo-Signature-V3"),
        ({"X-Plivo-Signature-V3": " , ", "X-Plivo-Signature-V3-Nonce": NONCE}, "missing"),
        ({"X-Plivo-Signature-V2": "abc", "X-Plivo-Signature-V2-Nonce": NONCE}, "missing"),
    ],
)
def test_missing_parts(headers: dict[str, str], reason: str) -> None:
    with pytest.raises(SignatureError, match=reason):
        signed_adapter.verify(_request(body=STATUS_DELIVERED, headers=headers))


def test_non_form_body_is_refused() -> None:
    # The signature covers form parameters only; a JSON body would ride along unsigned.
    body = b'{"MessageUUID": "u1", "Status": "delivered"}'
    signature = _sdk_sign(TOKEN_A, "POST", URL, b"")
    headers = {"X-Plivo-Signature-V3": signature, "X-Plivo-Signature-V3-Nonce": NONCE}
    request = _request(body=body, headers=headers, content_type="application/json")
    with pytest.raises(SignatureError, match="not a form"):
        signed_adapter.verify(request)


def test_reasons_never_carry_the_secret_or_the_signature() -> None:
    request = _signed(token="wrong")
    signature = request.header("x-plivo-signature-v3") or ""
    with pytest.raises(SignatureError) as caught:
        signed_adapter.verify(request)
    reason = str(caught.value)
    assert TOKEN_A not in reason and TOKEN_B not in reason and signature not in reason


_KEYS = st.sampled_from(["MessageUUID", "Status", "To", "a", "A", "b", "Ä", "a b", "x"])
_ASCII = st.characters(min_codepoint=0, max_codepoint=127)
_ASCII_KEYS = st.sampled_from(["ref", "a", "A", "b", "a b", "x&y"])
_VALUES = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)


@settings(max_examples=150, deadline=None)
@given(
    form=st.lists(st.tuples(_KEYS, _VALUES), max_size=6),
    query=st.lists(st.tuples(_ASCII_KEYS, st.text(alphabet=_ASCII, max_size=8)), max_size=3),
    method=st.sampled_from(["GET", "POST"]),
    token=st.sampled_from([TOKEN_A, "other-token"]),
)
def test_differential_against_validate_v3_signature(
    form: list[tuple[str, str]], query: list[tuple[str, str]], method: str, token: str
) -> None:
    # The SDK parses the query as bytes and fails on non-ASCII in it, so the query is ASCII.
    url = URL + (f"?{urlencode(query)}" if query else "")
    body = b"" if method == "GET" else urlencode(form).encode()
    signature = _sdk_sign(token, method, url, body)
    sdk = _sdk_validates(TOKEN_A, method, url, body, signature)
    headers = {"X-Plivo-Signature-V3": signature, "X-Plivo-Signature-V3-Nonce": NONCE}
    assert _ours_accepts(_request(url, body, headers, method), (TOKEN_A,)) == sdk
    assert sdk == (token == TOKEN_A)


# -- the shared contract ----------------------------------------------------------------------


class TestPlivoContract(ProviderContract):
    slug = "plivo"
    fixtures = (
        Fixture(
            "delivered",
            "nyaruka/courier handlers/plivo/handler.go doc comment (verbatim)",
            body=STATUS_DELIVERED,
            content_type=FORM,
            events=(
                Expected(
                    Status.DELIVERED,
                    "delivered",
                    message_id="83876bdb-2033-4876-bfaf-0ff8693705af",
                    recipient="918553651111",
                ),
            ),
        ),
        Fixture(
            "failed for lack of credit",
            "reconstructed from plivo.com/docs/messaging/api/message/message-status-callbacks",
            body=STATUS_FAILED,
            content_type=FORM,
            events=(
                Expected(
                    Status.REJECTED,
                    "failed",
                    message_id="11111111-2222-3333-4444-555555555555",
                    recipient="14155550100",
                    error_code="900",
                ),
            ),
        ),
        Fixture(
            "sent, with times",
            "reconstructed from plivo.com/docs/messaging/api/message/message-status-callbacks",
            body=STATUS_SENT,
            content_type=FORM,
            events=(Expected(Status.SENT, "sent", "22222222-2222-3333-4444-555555555555"),),
        ),
        Fixture(
            "undelivered by GET",
            "reconstructed: the same page, 'query parameters if it's GET'",
            query="MessageUUID=33333333-2222-3333-4444-555555555555&Status=undelivered"
            "&ErrorCode=20&To=14155550100",
            method="GET",
            events=(
                Expected(
                    Status.UNDELIVERED,
                    "undelivered",
                    message_id="33333333-2222-3333-4444-555555555555",
                    error_code="20",
                ),
            ),
        ),
        Fixture(
            "incoming message",
            "nyaruka/courier handlers/plivo/handler.go doc comment (verbatim)",
            body=INCOMING,
            content_type=FORM,
            inbound=(("4795961111", False),),
        ),
        Fixture(
            "incoming STOP",
            "reconstructed: the courier incoming message with Text=stop",
            body=INCOMING_STOP,
            content_type=FORM,
            inbound=(("4795962222", True),),
        ),
    )
    # plivo.com/docs/messaging/api/message/message-status-callbacks, plus `rejected` (older page
    # and nyaruka/courier); NOTES §7/§8.
    statuses = (
        ("queued", Status.QUEUED),
        ("sent", Status.SENT),
        ("failed", Status.REJECTED),
        ("delivered", Status.DELIVERED),
        ("undelivered", Status.UNDELIVERED),
        ("read", Status.DELIVERED),
        ("rejected", Status.REJECTED),
    )
    wrong_shape = Fixture("no Plivo fields", "invented", b"hello=world", FORM)
    signing_keys = (TOKEN_A, TOKEN_B)
    wrong_key = "bm90LXRoZS10b2tlbi1ub3QtdGhlLXRva2Vu"
    signs_url = True
    has_replay_window = False

    def with_status(self, raw_status: str) -> Fixture:
        body = urlencode({"MessageUUID": "u1", "Status": raw_status, "To": "14155550100"})
        return Fixture(raw_status, "as STATUS_DELIVERED", body.encode(), FORM)

    def configure(self, keys: Sequence[Any]) -> SigningSecrets:
        return SigningSecrets(plivo_auth_tokens=tuple(keys))

    def sign(self, request: Outgoing, key: Any, now: float) -> Outgoing:
        signature = _sdk_sign(key, request.method, request.url, request.body, nonce=str(int(now)))
        headers = {
            **request.headers,
            "x-plivo-signature-v3": signature,
            "x-plivo-signature-v3-nonce": str(int(now)),
        }
        return replace(request, headers=headers)
