"""Property tests over every adapter and the callback endpoint, on hostile input.

Inputs come from two sources: `bench.fuzzcases.CaseMaker`, which mutates every provider's
contract fixtures (tests/test_providers_*.py) and makes up bodies from scratch, and Hypothesis's
own strategies for bytes, JSON, XML and form bodies, which shrink a failure to its core. Both
cover charsets that lie (UTF-7, UTF-16, latin-1, bogus names), wrong and missing content types,
deep nesting, numbers no float holds, lone surrogates and NUL.

The properties:

* `normalize()` never raises, whatever the request;
* decoding and `adapter.parse` raise nothing but `PayloadError` (a bug would be stored as an
  "internal parse failure" instead of a reason);
* through the real app and Postgres, an authenticated request within the size limit is answered
  200 with the provider's answer and stored exactly once, byte for byte; never a 5xx;
* an unauthenticated or oversized one is refused with a 4xx and stores nothing.

`python -m bench.fuzz` runs the same generator for 100,000 cases per provider against a real
server. On CI (`CI` set) the examples are derandomized, so a run is reproducible.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from bench.fuzzcases import CHARSETS, MIMES, NUMBERS, Case, CaseMaker, contract_seeds, safe_query
from receiver.app import create_app
from receiver.callback import RawCallback, new_callback_id, normalize, now_utc
from receiver.config import Settings
from receiver.providers import build_adapters
from receiver.providers.toolkit.payload import decode
from receiver.records import Normalized, PayloadError
from receiver.status import Status
from tests.conftest import TOKEN, make_settings, rows

ADAPTERS = build_adapters(Settings())
SLUGS = sorted(ADAPTERS)
LIMITS = {slug: max(Settings().max_body, a.max_body or 0) for slug, a in ADAPTERS.items()}
SEEDS = contract_seeds()

FUZZ = settings(
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# -- strategies ----------------------------------------------------------------------------

#: Text in which surrogates, NUL and the BOM are common rather than one in a million.
nasty_chars = st.one_of(
    st.characters(exclude_categories=()),
    st.sampled_from("\ud800\udbff\udc00\udfff\x00\ufeff\u202e=&%+<>\"'{}[]"),
)
nasty_text = st.text(nasty_chars, max_size=40)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | nasty_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(nasty_text, inner, max_size=4),
    max_leaves=20,
)


@st.composite
def json_bodies(draw: st.DrawFn) -> bytes:
    value = draw(json_values)
    text = json.dumps(value, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):  # a field whose number no float or int parser holds
        key = json.dumps(draw(nasty_text))
        text = "{" + f"{key}: {draw(st.sampled_from(NUMBERS))}" + "}"
    return text.encode("utf-8", "surrogatepass")


@st.composite
def xml_bodies(draw: st.DrawFn) -> bytes:
    tags = draw(
        st.lists(st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,8}", fullmatch=True), max_size=5)
    )
    inner = "".join(
        f"<{t}>{draw(nasty_text).replace('&', '&amp;').replace('<', '&lt;')}</{t}>" for t in tags
    )
    depth = draw(st.integers(0, 200))
    text = "<r>" * depth + f"<root>{inner}</root>" + "</r>" * depth
    return text.encode("utf-8", "surrogatepass")


@st.composite
def form_bodies(draw: st.DrawFn) -> bytes:
    pairs = draw(st.lists(st.tuples(nasty_text, nasty_text), max_size=6))
    return "&".join(safe_query(f"{k}={v}") for k, v in pairs).encode()


@st.composite
def content_types(draw: st.DrawFn) -> str | None:
    mime = draw(st.sampled_from(MIMES))
    if mime is None:
        return None
    if draw(st.booleans()):
        mime += f"; charset={draw(st.sampled_from(CHARSETS))}"
    if mime.startswith("multipart") and draw(st.booleans()):
        mime += "; boundary=b0undary"
    return mime


@st.composite
def drawn_cases(draw: st.DrawFn) -> Case:
    """A case from Hypothesis's own strategies (these shrink)."""
    slug = draw(st.sampled_from(SLUGS))
    body = draw(st.one_of(st.binary(max_size=512), json_bodies(), xml_bodies(), form_bodies()))
    charset = draw(st.sampled_from(("utf-8", "utf-16", "utf-7", "latin-1")))
    if charset != "utf-8" and draw(st.booleans()):  # re-encode the text, as a gateway might
        body = body.decode("utf-8", "replace").encode(charset, "replace")
    return Case(
        slug=slug,
        method=draw(st.sampled_from(("POST", "GET"))),
        query=safe_query(draw(nasty_text)) if draw(st.booleans()) else "",
        content_type=draw(content_types()),
        body=body,
        how="drawn",
    )


def made_cases() -> st.SearchStrategy[Case]:
    """A case from the shared generator: mutated contract fixtures, or made up."""
    maker = CaseMaker(SEEDS, LIMITS)
    return st.builds(maker.make, st.randoms(use_true_random=True), st.sampled_from(SLUGS))


any_case = st.one_of(made_cases(), drawn_cases())


def raw(case: Case) -> RawCallback:
    return RawCallback(
        new_callback_id(),
        now_utc(),
        case.slug,
        case.method,
        case.query,
        {},
        case.content_type,
        case.body,
    )


# -- the properties ------------------------------------------------------------------------


def test_every_provider_has_contract_fixtures_to_mutate() -> None:
    assert set(SLUGS) <= set(SEEDS)  # declared generic providers have contracts too
    assert all(len(SEEDS[slug]) >= 3 for slug in SLUGS), {s: len(c) for s, c in SEEDS.items()}


@settings(FUZZ, max_examples=700)
@given(case=any_case)
def test_normalize_never_raises(case: Case) -> None:
    note(repr(case))
    callback = raw(case)
    accepted = normalize(callback, ADAPTERS)
    assert accepted.raw is callback
    assert isinstance(accepted.normalized, Normalized)
    if accepted.parse_error is not None:
        assert accepted.parse_error.strip()
        assert accepted.normalized == Normalized()
    assert all(isinstance(event.status, Status) for event in accepted.normalized.events)


@settings(FUZZ, max_examples=700)
@given(case=any_case)
def test_decode_and_parse_raise_nothing_but_payload_error(case: Case) -> None:
    note(repr(case))
    try:
        payload = decode(case.query, case.content_type, case.body)
    except PayloadError as exc:
        assert str(exc)
        return
    try:
        ADAPTERS[case.slug].parse(payload)
    except PayloadError as exc:
        assert str(exc)


@pytest.fixture
def app(db: psycopg.Connection[Any], database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database_url, tmp_path / "spool"))) as client:
        yield client


def path(case: Case, token: str | None = TOKEN) -> str:
    url = f"/callbacks/{case.slug}" + (f"/{token}" if token is not None else "")
    return url + (f"?{case.query}" if case.query else "")


def send(client: TestClient, case: Case, marker: str, token: str | None = TOKEN) -> Any:
    headers = {"x-fuzz-case": marker}
    if case.content_type is not None:
        headers["content-type"] = case.content_type
    return client.request(case.method, path(case, token), content=case.body, headers=headers)


def stored(db: psycopg.Connection[Any], marker: str) -> list[dict[str, Any]]:
    sql = "SELECT provider, method, body FROM callbacks WHERE headers->>'x-fuzz-case' = %s"
    return rows(db, sql, marker)


@settings(FUZZ, max_examples=250)
@given(case=any_case)
def test_authenticated_request_within_limits_is_answered_200_and_stored_once(
    app: TestClient, db: psycopg.Connection[Any], case: Case
) -> None:
    note(repr(case))
    marker = uuid.uuid4().hex
    response = send(app, case, marker)
    assert response.status_code == 200, response.text
    answer = ADAPTERS[case.slug].answer
    assert response.content == answer.body
    assert response.headers["content-type"] == answer.content_type
    assert stored(db, marker) == [{"provider": case.slug, "method": case.method, "body": case.body}]


@settings(FUZZ, max_examples=60)
@given(
    case=drawn_cases(),
    refusal=st.sampled_from(("no token", "wrong token", "unknown provider", "too large")),
)
def test_unauthenticated_or_oversized_request_is_a_4xx_and_stores_nothing(
    app: TestClient, db: psycopg.Connection[Any], case: Case, refusal: str
) -> None:
    marker = uuid.uuid4().hex
    token: str | None = TOKEN
    if refusal == "no token":
        token = None
    elif refusal == "wrong token":
        token = TOKEN[:-1] + ("x" if TOKEN[-1] != "x" else "y")
    elif refusal == "unknown provider":
        case = Case("no-such-provider", case.method, case.query, case.content_type, case.body, "")
    else:
        case = Case(
            case.slug, "POST", case.query, case.content_type, b"x" * (LIMITS[case.slug] + 1), ""
        )
    response = send(app, case, marker, token)
    assert response.status_code == (413 if refusal == "too large" else 404), response.text
    assert stored(db, marker) == []


# -- defects these properties found (receiver/payload.py, receiver/smpp_receipt.py), now fixed


def test_json_nested_deeper_than_the_parser_goes_is_a_payload_error() -> None:
    for depth in (1_000, 30_000):
        with pytest.raises(PayloadError):
            decode("", "application/json", b"[" * depth + b"]" * depth)


def test_xml_declaring_an_unknown_encoding_is_a_payload_error() -> None:
    with pytest.raises(PayloadError):
        decode("", "application/xml", b'<?xml version="1.0" encoding="bogus"?><r/>')


def test_both_defects_keep_the_request_with_a_parse_error() -> None:
    """Such a request is kept with its parse error, so nothing is lost: it is re-readable."""
    for body in (b"[" * 30_000, b'<?xml version="1.0" encoding="bogus"?><r/>'):
        case = Case("cdyne", "POST", "", None, body, "")
        accepted = normalize(raw(case), ADAPTERS)
        assert accepted.parse_error
        assert not accepted.parse_error.startswith("internal parse failure"), accepted.parse_error


#: Characters str.isdigit() accepts: ASCII, Arabic-Indic, fullwidth, superscript, subscript,
#: circled (int() reads only the first three kinds).
DIGITS = "0123456789\u0660\u0661\u0669\uff10\uff19\u00b9\u00b2\u2070\u2079\u2080\u2460"


@settings(FUZZ, max_examples=200)
@given(date=st.text(st.sampled_from(DIGITS), min_size=10, max_size=14))
def test_smpp_receipt_dates_in_any_unicode_digits_are_read_or_refused(date: str) -> None:
    """A receipt date in digits Python calls digits (Arabic-Indic, superscript, ...)."""
    body = f"id:1 sub:001 dlvrd:001 submit date:{date} done date:{date} stat:DELIVRD err:000"
    payload = decode("", "text/plain; charset=utf-8", body.encode())
    with contextlib.suppress(PayloadError):
        ADAPTERS["smpp"].parse(payload)
