"""What is kept of a callback's credentials: header and query-string redaction.

Headers are redacted by name pattern; query parameters with credential-like names lose their
values. The stored query is parsed again later (spool replay, `receiver reparse`), so the
central check here is that every provider's contract fixtures, redacted, normalize exactly as
they do unredacted.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, quote, unquote_plus, urlencode

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

import tests
from receiver.callback import REDACTED, _secret_header, redact_headers, redact_query
from receiver.providers import Request
from receiver.providers.base import Adapter, SignatureError
from receiver.providers.smpp import SmppAdapter
from receiver.providers.toolkit.payload import decode
from receiver.providers.vonage import VonageAdapter
from receiver.records import Normalized, PayloadError
from tests.conftest import TOKEN, rows
from tests.contract import Fixture, ProviderContract, every_contract

FORM = "application/x-www-form-urlencoded"

# --- headers ----------------------------------------------------------------------------------

REDACTED_HEADERS = [
    "Authorization",
    "Proxy-Authorization",
    "Cookie",
    "Set-Cookie",
    "X-Api-Key",
    "Api-Key",
    "X-Functions-Key",
    "X-Auth-Token",
    "X-Access-Token",
    "X-CSRF-Token",
    "X-Secret",
    "X-Client-Secret",
    "X-Password",
    "X-Passwd",
    "X-Session-Id",
    "X-Credentials",
    # Signatures: verified before storage, never needed after it.
    "X-Twilio-Signature",
    "X-Plivo-Signature-V3",
    "X-Plivo-Signature-V3-Nonce",
    "Telnyx-Signature-Ed25519",
    "MessageBird-Signature-JWT",
    "X-Hub-Signature-256",
    # Identity a proxy adds: AWS ALB OIDC, Cloudflare Access, Azure App Service.
    "X-Amzn-Oidc-Accesstoken",
    "X-Amzn-Oidc-Data",
    "X-Amzn-Oidc-Identity",
    "Cf-Access-Jwt-Assertion",
    "X-MS-Client-Principal",
    # The request path or URL again, which holds the callback token.
    "X-Original-URI",
    "X-Original-URL",
    "X-Rewrite-URL",
    "X-Forwarded-Uri",
    "X-Forwarded-Path",
    "X-Forwarded-Prefix",
    "X-Envoy-Original-Path",
    "X-Request-URI",
    "X-Forwarded-Url",
    "X_Original_Uri",
    "X-Original-Query",
    "Referer",
]
KEPT_HEADERS = [
    "Content-Type",
    "Content-Length",
    "User-Agent",
    "Host",
    "Accept",
    "Accept-Encoding",
    "Connection",
    "Keep-Alive",
    "X-Forwarded-For",
    "X-Forwarded-Proto",
    "X-Forwarded-Host",
    "X-Forwarded-Port",
    "Forwarded",  # RFC 7239: for, by, host and proto only
    "X-Real-IP",
    "Via",
    "X-Request-Id",
    "X-Amzn-Trace-Id",
    "Traceparent",
    "Telnyx-Timestamp",
    "MessageBird-Request-Timestamp",
]


@pytest.mark.parametrize("name", REDACTED_HEADERS)
def test_credential_and_url_headers_are_redacted_by_name(name: str) -> None:
    value = f"/callbacks/twilio/{TOKEN}?x=1"
    assert redact_headers([(name, value)]) == {name.lower(): REDACTED}


@pytest.mark.parametrize("name", KEPT_HEADERS)
def test_ordinary_headers_are_kept(name: str) -> None:
    assert redact_headers([(name, "for=192.0.2.1;proto=https")]) == {
        name.lower(): "for=192.0.2.1;proto=https"
    }


def test_repeated_headers_are_joined_and_each_redacted() -> None:
    items = [("X-Api-Key", "a"), ("x-api-key", "b"), ("Accept", "text/plain"), ("accept", "*/*")]
    assert redact_headers(items) == {
        "x-api-key": f"{REDACTED}, {REDACTED}",
        "accept": "text/plain, */*",
    }


def test_the_per_name_decision_is_cached_and_bounded() -> None:
    maxsize = _secret_header.cache_info().maxsize
    assert maxsize is not None
    redact_headers((f"x-custom-{n}", "v") for n in range(maxsize * 3))
    assert _secret_header.cache_info().currsize <= maxsize
    before = _secret_header.cache_info().hits
    redact_headers([("content-type", "a"), ("content-type", "b")])
    assert _secret_header.cache_info().hits > before


# --- query parameters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("", ""),
        ("a=1&b=2", "a=1&b=2"),
        ("password=hunter2", f"password={REDACTED}"),
        ("Password=x&PASSWORD=y", f"Password={REDACTED}&PASSWORD={REDACTED}"),
        # Names are compared decoded, and without separators.
        ("api%2Dkey=x&api+key=y", f"api%2Dkey={REDACTED}&api+key={REDACTED}"),
        (
            "apiKey=1&api_key=2&x-api-key=3&apikey=4",
            f"apiKey={REDACTED}&api_key={REDACTED}&x-api-key={REDACTED}&apikey={REDACTED}",
        ),
        (
            "access_token=1&hub.verify_token=2",
            f"access_token={REDACTED}&hub.verify_token={REDACTED}",
        ),
        ("client_secret=1&dlr_password=2", f"client_secret={REDACTED}&dlr_password={REDACTED}"),
        (
            "X-Amz-Signature=1&X-Amz-Credential=2",
            f"X-Amz-Signature={REDACTED}&X-Amz-Credential={REDACTED}",
        ),
        ("pwd=1&pass=2&passwd=3", f"pwd={REDACTED}&pass={REDACTED}&passwd={REDACTED}"),
        (
            "key=1&auth=2&sig=3&session=4",
            f"key={REDACTED}&auth={REDACTED}&sig={REDACTED}&session={REDACTED}",
        ),
        ("authorization=Basic+eA%3D%3D", f"authorization={REDACTED}"),
        ("credentials=1&signature=2", f"credentials={REDACTED}&signature={REDACTED}"),
        # Short words only as the whole name: these are ordinary fields.
        ("keyword=STOP&monkey=1&signal=5&author=x", "keyword=STOP&monkey=1&signal=5&author=x"),
        (
            "passage=x&possession=y&sid=z&message_key=k",
            "passage=x&possession=y&sid=z&message_key=k",
        ),
        # Vonage signs with these; they are not secret and `timestamp` is read as a time.
        ("timestamp=1588000000&nonce=n-1&username=u", "timestamp=1588000000&nonce=n-1&username=u"),
        # Nothing to hide in an empty value or a bare flag.
        ("password=&token", "password=&token"),
        # A value is everything after the first "=".
        ("token=a=b&x=1", f"token={REDACTED}&x=1"),
        ("sig=1&sig=2", f"sig={REDACTED}&sig={REDACTED}"),
        ("&password=x&", f"&password={REDACTED}&"),
        # Everything else byte for byte, however oddly encoded.
        (
            "text=%E2%82%AC+%zz&sig=1&x=%ff&y=\xff",
            f"text=%E2%82%AC+%zz&sig={REDACTED}&x=%ff&y=\xff",
        ),
        # ";" does not separate parameters for parse_qsl, so it does not here either.
        ("a=1;password=x", "a=1;password=x"),
    ],
)
def test_redact_query(query: str, stored: str) -> None:
    assert redact_query(query) == stored


_NAMES = st.sampled_from(
    ["password", "Api-Key", "sig", "token", "keyword", "status", "msisdn", "timestamp", "", "a b"]
)
_ENCODED_NAMES = st.one_of(_NAMES, _NAMES.map(lambda name: quote(name, safe="")))
_VALUES = st.text(st.characters(codec="latin-1"), max_size=8)
_QUERIES = st.lists(
    st.one_of(st.tuples(_ENCODED_NAMES, _VALUES).map("=".join), _VALUES), max_size=6
).map("&".join)


@settings(max_examples=500, database=None)
@given(query=_QUERIES)
def test_redaction_changes_only_credential_values(query: str) -> None:
    stored = redact_query(query)
    assert redact_query(stored) == stored
    pieces, stored_pieces = query.split("&"), stored.split("&")
    assert len(stored_pieces) == len(pieces)
    for piece, kept in zip(pieces, stored_pieces, strict=True):
        name, _, value = piece.partition("=")
        compact = "".join(c for c in unquote_plus(name).lower() if c.isalnum())
        secret = compact in ("password", "apikey", "sig", "token")
        if secret and value:
            assert kept == f"{name}={REDACTED}"
        else:
            assert kept == piece
    # The decoder sees the same parameters, in the same order.
    assert [k for k, _ in parse_qsl(stored, keep_blank_values=True)] == [
        k for k, _ in parse_qsl(query, keep_blank_values=True)
    ]


# --- reparse equivalence ----------------------------------------------------------------------

# Every credential-like name at once, Kannel-style: a DLR URL the operator wrote, with the
# gateway's password in it.
CREDENTIALS = (
    "password=kannel-secret&passwd=pw&pwd=p&pass=ps&secret=s&token=t0k3n&access_token=at"
    "&api_key=ak&apikey=ak2&api-key=ak3&key=k&auth=a&authorization=Basic+eA%3D%3D&sig=deadbeef"
    "&signature=sg&session=s1&credential=c"
)


def _contracts() -> list[ProviderContract]:
    for module in pkgutil.iter_modules(tests.__path__):
        if module.name.startswith("test_providers_"):
            importlib.import_module(f"tests.{module.name}")
    return [cls() for cls in every_contract()]


CONTRACTS = _contracts()


def reading(adapter: Adapter, query: str, content_type: str | None, body: bytes) -> object:
    """What the adapter makes of a stored request: its records, or its parse error."""
    try:
        return adapter.parse(decode(query, content_type, body))
    except PayloadError as exc:
        return ("parse error", str(exc))


def variants(contract: ProviderContract) -> Iterator[tuple[str, str, str | None, bytes]]:
    """(name, query, content type, body) of every request the contract knows, as stored:
    fixtures unsigned and signed, every status, the wrong shape; each also with CREDENTIALS
    added to its query, and form bodies also sent as a GET query."""
    fixtures: list[Fixture] = [*contract.fixtures, contract.wrong_shape]
    fixtures += [contract.with_status(raw) for raw, _ in contract.statuses]
    fixtures.append(contract.with_status(contract.unmapped_status))
    for fixture in list(fixtures):
        if fixture.content_type == FORM and fixture.body:
            fixtures.append(
                replace(fixture, query=fixture.body.decode("latin-1"), body=b"", method="GET")
            )
    for fixture in fixtures:
        requests = [(fixture.query, fixture.content_type, fixture.body)]
        if contract.signed:
            signed = contract.outgoing(fixture)
            requests.append((signed.query, signed.content_type, signed.body))
        for query, content_type, body in requests:
            yield fixture.name, query, content_type, body
            with_credentials = f"{query}&{CREDENTIALS}" if query else CREDENTIALS
            yield f"{fixture.name} + credentials", with_credentials, content_type, body


def test_every_provider_contract_is_collected() -> None:
    slugs = {contract.slug for contract in CONTRACTS}
    assert {"vonage", "twilio", "plivo", "messagebird", "smpp", "dynmark", "cdyne"} <= slugs
    assert len(slugs) == len(CONTRACTS) >= 10


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda contract: contract.slug)
def test_redacted_queries_normalize_exactly_as_the_originals(contract: ProviderContract) -> None:
    adapter = contract.adapter
    redacted = 0
    for name, query, content_type, body in variants(contract):
        stored = redact_query(query)
        redacted += stored != query
        assert "kannel-secret" not in stored and "t0k3n" not in stored, name
        assert reading(adapter, stored, content_type, body) == reading(
            adapter, query, content_type, body
        ), (name, query)
    assert redacted >= len(contract.fixtures)


def test_the_equivalence_check_notices_a_field_the_adapter_reads() -> None:
    """The comparison above is not vacuous: losing a field an adapter reads changes the result."""
    [vonage] = [contract for contract in CONTRACTS if contract.slug == "vonage"]
    fixture = vonage.fixtures[0]
    broken = fixture.query.replace("status=delivered", f"status={REDACTED}")
    assert reading(vonage.adapter, broken, None, b"") != reading(
        vonage.adapter, fixture.query, None, b""
    )


def test_vonage_signed_receipt_keeps_timestamp_and_nonce_and_loses_sig_and_api_key() -> None:
    """A signed GET receipt without message-timestamp: the signed `timestamp` is then the event
    time, so it must survive redaction; `sig` and `api-key` are never read."""
    from tests.test_providers_vonage import COURIER_GET, SECRET, signed_params

    params = dict(parse_qsl(COURIER_GET))
    del params["message-timestamp"]
    params["api-key"] = "abcd1234"
    signed = signed_params(params)
    query = urlencode(signed)
    request = Request(
        method="GET",
        url=f"https://r.example.com/callbacks/vonage/x?{query}",
        query=query,
        headers=(),
        body=b"",
        content_type=None,
    )
    VonageAdapter((SECRET,), "sha256").verify(request)  # valid as received

    stored = redact_query(query)
    assert f"timestamp={signed['timestamp']}" in stored
    assert f"nonce={signed['nonce']}" in stored
    assert f"sig={REDACTED}" in stored and signed["sig"] not in stored
    assert f"api-key={REDACTED}" in stored
    adapter = VonageAdapter()
    original = adapter.parse(decode(query, None, b""))
    assert adapter.parse(decode(stored, None, b"")) == original
    [event] = original.events
    assert event.occurred_at_raw == signed["timestamp"]
    # Which is why redaction comes after verification, never before it.
    with pytest.raises(SignatureError):
        VonageAdapter((SECRET,), "sha256").verify(replace(request, query=stored))


def test_kannel_dlr_url_password_is_redacted_and_the_receipt_reads_the_same() -> None:
    # A Kannel dlr-url of `...?answer=%A&to=%P&username=u&password=...`, expanded.
    receipt = "id:7 sub:001 dlvrd:001 submit date:2406011200 done date:2406011205 stat:DELIVRD"
    query = urlencode(
        {"answer": receipt, "to": "+447700900123", "username": "u", "password": "kannel-secret"}
    )
    stored = redact_query(query)
    assert stored == query.replace("password=kannel-secret", f"password={REDACTED}")
    adapter = SmppAdapter()
    result = adapter.parse(decode(stored, None, b""))
    assert result == adapter.parse(decode(query, None, b""))
    assert isinstance(result, Normalized) and result.events[0].message_id == "7"


# --- through the app --------------------------------------------------------------------------

DYNMARK = "datetime=2016-05-05T10%3A30%3A56.143&recipient=447700900123&statusid=1&clientref=r-1"


def test_stored_headers_hold_no_credential_and_no_copy_of_the_url_token(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    path = f"/callbacks/dynmark/{TOKEN}?{DYNMARK}"
    headers = {
        "User-Agent": "Dynmark",
        "X-Forwarded-For": "192.0.2.1",
        "X-Forwarded-Proto": "https",
        "X-Original-URI": path,
        "X-Forwarded-Uri": path,
        "X-Envoy-Original-Path": path,
        "Referer": f"http://receiver.example.com{path}",
        "Api-Key": "k-123",
        "X-Access-Token": "t-123",
        "X-Secret": "s-123",
    }
    assert client.get(path, headers=headers).status_code == 200
    [stored] = rows(db, "SELECT headers FROM callbacks")
    text = json.dumps(stored["headers"])
    for secret in (TOKEN, "k-123", "t-123", "s-123"):
        assert secret not in text
    assert stored["headers"]["user-agent"] == "Dynmark"
    assert stored["headers"]["x-forwarded-for"] == "192.0.2.1"
    assert stored["headers"]["x-original-uri"] == REDACTED


def test_stored_query_holds_no_password_and_still_reads(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    query = f"{DYNMARK}&password=hunter2&sig=abc"
    assert client.get(f"/callbacks/dynmark/{TOKEN}?{query}").status_code == 200
    [stored] = rows(db, "SELECT query FROM callbacks")
    assert stored["query"] == f"{DYNMARK}&password={REDACTED}&sig={REDACTED}"
    [event] = rows(db, "SELECT client_ref, status FROM delivery_events")
    assert event == {"client_ref": "r-1", "status": "delivered"}
