"""The `generic` provider: gateways described in receiver.toml (CONTRACT §5).

No provider stands behind these tests, so the declarations and fixtures are invented to cover
what a declaration can say: JSON with a list of items, flat form fields (POST body or GET
query), namespaced XML with attributes, and signatures as HMAC-SHA256 hex with a prefix (the
GitHub `X-Hub-Signature-256` style), HMAC-SHA1 base64 and HMAC-SHA512 hex. There is no SDK to
act as an oracle, so the HMACs are checked against published test vectors: GitHub's webhook
validation example, RFC 2202 (HMAC-SHA1) and RFC 4231 (HMAC-SHA512).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import tomllib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import httpx
import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from receiver.app import create_app
from receiver.cli import callback_urls
from receiver.config import ConfigError, Settings
from receiver.providers import Adapter, Request, SignatureError, build_adapters
from receiver.providers.generic import (
    GenericAdapter,
    GenericDefinition,
    generic_adapter,
    parse_definitions,
)
from receiver.providers.toolkit.payload import decode
from receiver.records import Normalized, PayloadError
from receiver.status import Status
from tests.conftest import TOKEN, make_settings, rows
from tests.contract import PUBLIC_URL, Expected, Fixture, Outgoing, ProviderContract
from tests.processes import Servers, receiver_env, run_cli, wait_for

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
XML = "application/xml"
BUILTIN = frozenset(build_adapters(Settings()))


def declare(
    text: str, environ: dict[str, str] | None = None, *, signed: bool = True
) -> tuple[GenericDefinition, ...]:
    """The definitions a receiver.toml text declares (without their signature tables unless
    `signed`); fails the test on any problem."""
    table = tomllib.loads(text)["providers"]["generic"]
    if not signed:
        for body in table.values():
            body.pop("signature", None)
    definitions, errors = parse_definitions(table, environ or {}, BUILTIN)
    assert not errors
    return definitions


def adapter_for(text: str, environ: dict[str, str] | None = None) -> Adapter:
    (definition,) = declare(text, environ)
    return generic_adapter(definition)


def parse(adapter: Adapter, body: bytes, content_type: str | None = JSON, query: str = "") -> Any:
    return adapter.parse(decode(query, content_type, body))


class GenericContract(ProviderContract):
    """The shared contract for a declared provider. ProviderContract only lets a subclass
    configure SigningSecrets, so the settings that carry the declaration are built here."""

    declaration: ClassVar[str]
    secret_env: ClassVar[str | None] = None

    def definitions(self, keys: Sequence[Any]) -> tuple[GenericDefinition, ...]:
        """The declaration, with `keys` as its secrets; without keys, without its signature
        (a declared signature whose variable is unset stops the start)."""
        if not keys or self.secret_env is None:
            return declare(self.declaration, signed=False)
        return declare(self.declaration, {self.secret_env: ",".join(keys)})

    @property
    def adapter(self) -> Adapter:
        settings = make_settings("", Path("."), generic_providers=self.definitions([]))
        return build_adapters(settings)[self.slug]

    @pytest.fixture
    def app(
        self, db: psycopg.Connection[Any], database_url: str, tmp_path: Path
    ) -> Iterator[TestClient]:
        settings = make_settings(
            database_url,
            tmp_path / "spool",
            public_url=PUBLIC_URL,
            generic_providers=self.definitions(list(self.signing_keys)),
        )
        with TestClient(create_app(settings)) as test_client:
            yield test_client

    def test_unsigned_callback_is_accepted_without_a_configured_secret(
        self, db: psycopg.Connection[Any], database_url: str, tmp_path: Path
    ) -> None:
        if not self.signed:
            pytest.skip(f"{self.slug} does not sign its callbacks")
        settings = make_settings(
            database_url,
            tmp_path / "spool",
            public_url=PUBLIC_URL,
            generic_providers=self.definitions([]),
        )
        with TestClient(create_app(settings)) as client:
            self.assert_answered(self.send(client, self.unsigned(self.fixtures[0])))
        assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 1


# -- JSON with a list of items, HMAC-SHA256 hex with a prefix ------------------------------

ACME = """
[providers.generic.acme]
format = "json"
message_id = "id"
client_ref = "ref"
recipient = "to"
status = "status"
occurred_at = "time"
error_code = "error"
items = "events"

[providers.generic.acme.statuses]
ACCEPTED = "queued"
ENROUTE = "sent"
DELIVRD = "delivered"
FAILED = "undelivered"
EXPIRED = "expired"
REJECTD = "rejected"
UNKNOWN = "unknown"

[providers.generic.acme.signature]
header = "X-Acme-Signature"
algorithm = "sha256"
encoding = "hex"
prefix = "sha256="
secret_env = "ACME_WEBHOOK_SECRET"
"""

# Invented: two events in one body, an ISO time and an epoch time, a number as an id.
ACME_BATCH = json.dumps(
    {
        "events": [
            {
                "id": "msg-1",
                "ref": "order-17",
                "to": "+44 7700 900123",
                "status": "DELIVRD",
                "time": "2024-05-01T12:00:00+02:00",
                "error": "000",
            },
            {
                "id": 4711,
                "to": "447700900124",
                "status": "failed",
                "time": 1714564800,
                "error": "34",
            },
        ]
    }
).encode()


class TestAcmeJsonItemsContract(GenericContract):
    slug = "acme"
    declaration = ACME
    secret_env = "ACME_WEBHOOK_SECRET"
    fixtures = (
        Fixture(
            "two events in one body",
            "invented for the CONTRACT §5 example declaration",
            body=ACME_BATCH,
            content_type=JSON,
            events=(
                Expected(
                    Status.DELIVERED,
                    "DELIVRD",
                    message_id="msg-1",
                    client_ref="order-17",
                    recipient="447700900123",
                    error_code="000",
                ),
                Expected(Status.UNDELIVERED, "failed", message_id="4711", error_code="34"),
            ),
        ),
    )
    statuses = (
        ("ACCEPTED", Status.QUEUED),
        ("ENROUTE", Status.SENT),
        ("DELIVRD", Status.DELIVERED),
        ("delivrd", Status.DELIVERED),  # compared case-insensitively, kept as sent
        ("FAILED", Status.UNDELIVERED),
        ("EXPIRED", Status.EXPIRED),
        ("REJECTD", Status.REJECTED),
        ("UNKNOWN", Status.UNKNOWN),
    )
    wrong_shape = Fixture("no events list", "invented", b'{"hello": "world"}', JSON)
    signing_keys = ("acme-secret-one", "acme-secret-two")
    wrong_key = "not-the-acme-secret"

    def with_status(self, raw_status: str) -> Fixture:
        body = json.dumps({"events": [{"id": "m1", "status": raw_status}]}).encode()
        return Fixture(raw_status, "as ACME_BATCH", body, JSON)

    def sign(self, request: Outgoing, key: Any, now: float) -> Outgoing:
        digest = hmac.new(key.encode(), request.body, hashlib.sha256).hexdigest()
        request.headers["X-Acme-Signature"] = f"sha256={digest}"
        return request


# -- form fields, POST body or GET query, unsigned -----------------------------------------

FORMCO = """
[providers.generic.formco]
format = "form"
message_id = "MsgId"
client_ref = "Ref"
recipient = "To"
status = "State"
occurred_at = "Done"
error_code = "Err"

[providers.generic.formco.statuses]
0 = "queued"
1 = "sent"
2 = "delivered"
5 = "undelivered"
6 = "expired"
8 = "rejected"
9 = "unknown"
"""


class TestFormcoFormContract(GenericContract):
    slug = "formco"
    declaration = FORMCO
    fixtures = (
        Fixture(
            "form post",
            "invented: numeric states, as many SMPP-derived gateways send them",
            body=b"MsgId=abc-1&Ref=r-9&To=%2B15551230001&State=2&Done=1714564800&Err=0",
            content_type=FORM,
            events=(
                Expected(
                    Status.DELIVERED,
                    "2",
                    message_id="abc-1",
                    client_ref="r-9",
                    recipient="15551230001",
                    error_code="0",
                ),
            ),
        ),
        Fixture(
            "GET query, no message id",
            "invented",
            query="Ref=r-10&To=15551230002&State=5&Err=12",
            method="GET",
            events=(Expected(Status.UNDELIVERED, "5", client_ref="r-10", error_code="12"),),
        ),
    )
    statuses = (
        ("0", Status.QUEUED),
        ("1", Status.SENT),
        ("2", Status.DELIVERED),
        ("5", Status.UNDELIVERED),
        ("6", Status.EXPIRED),
        ("8", Status.REJECTED),
        ("9", Status.UNKNOWN),
    )
    wrong_shape = Fixture("no receipt fields", "invented", b"hello=world", FORM)

    def with_status(self, raw_status: str) -> Fixture:
        return Fixture(raw_status, "as form post", f"MsgId=m&State={raw_status}".encode(), FORM)


# -- namespaced XML with items and attributes, HMAC-SHA1 base64 ----------------------------

XMLCO = """
[providers.generic.xmlco]
format = "xml"
items = "Receipts/Receipt"
message_id = "MessageId"
client_ref = "@ref"
recipient = "Destination/Msisdn"
status = "Status"
occurred_at = "Time"
error_code = "Status/@code"

[providers.generic.xmlco.statuses]
Buffered = "sent"
Delivered = "delivered"
Failed = "undelivered"
Expired = "expired"
Rejected = "rejected"

[providers.generic.xmlco.signature]
header = "X-Xmlco-Signature"
algorithm = "sha1"
encoding = "base64"
secret_env = "XMLCO_SECRET"
"""

XMLCO_BODY = b"""<?xml version="1.0" encoding="utf-8"?>
<Receipts xmlns="urn:example:receipts" xmlns:x="urn:example:extra">
  <Receipt ref="cust-1">
    <MessageId>7f6c</MessageId>
    <Destination><Msisdn>+61 412 345 678</Msisdn></Destination>
    <Status code="0">Delivered</Status>
    <Time>2024-05-01T10:00:00Z</Time>
  </Receipt>
  <x:Receipt ref="cust-2">
    <x:MessageId>7f6d</x:MessageId>
    <x:Status x:code="41">Failed</x:Status>
  </x:Receipt>
</Receipts>
"""


class TestXmlcoXmlContract(GenericContract):
    slug = "xmlco"
    declaration = XMLCO
    secret_env = "XMLCO_SECRET"
    fixtures = (
        Fixture(
            "two receipts, two namespaces",
            "invented: elements matched by local name in any namespace",
            body=XMLCO_BODY,
            content_type=XML,
            events=(
                Expected(
                    Status.DELIVERED,
                    "Delivered",
                    message_id="7f6c",
                    client_ref="cust-1",
                    recipient="61412345678",
                    error_code="0",
                ),
                Expected(
                    Status.UNDELIVERED,
                    "Failed",
                    message_id="7f6d",
                    client_ref="cust-2",
                    error_code="41",
                ),
            ),
        ),
    )
    statuses = (
        ("Buffered", Status.SENT),
        ("Delivered", Status.DELIVERED),
        ("Failed", Status.UNDELIVERED),
        ("Expired", Status.EXPIRED),
        ("Rejected", Status.REJECTED),
    )
    wrong_shape = Fixture("another document", "invented", b"<Hello><World/></Hello>", XML)
    signing_keys = ("xml-secret-one", "xml-secret-two")
    wrong_key = "not-the-xml-secret"

    def with_status(self, raw_status: str) -> Fixture:
        body = (
            f"<Receipts><Receipt><MessageId>m</MessageId><Status>{raw_status}</Status>"
            "</Receipt></Receipts>"
        ).encode()
        return Fixture(raw_status, "as XMLCO_BODY", body, XML)

    def sign(self, request: Outgoing, key: Any, now: float) -> Outgoing:
        digest = hmac.new(key.encode(), request.body, hashlib.sha1).digest()
        request.headers["X-Xmlco-Signature"] = base64.b64encode(digest).decode()
        return request


# -- parsing ------------------------------------------------------------------------------

acme = adapter_for(ACME, {"ACME_WEBHOOK_SECRET": "s"})
formco = adapter_for(FORMCO)
xmlco = adapter_for(XMLCO, {"XMLCO_SECRET": "s"})


def test_times_are_iso_or_epoch_and_utc() -> None:
    first, second = parse(acme, ACME_BATCH).events
    assert first.occurred_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert first.occurred_at_raw == "2024-05-01T12:00:00+02:00"
    assert second.occurred_at == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert second.occurred_at_raw == "1714564800"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-05-01T10:00:00", datetime(2024, 5, 1, 10, 0, tzinfo=UTC)),  # no offset: UTC
        ("2024-05-01 10:00:00Z", datetime(2024, 5, 1, 10, 0, tzinfo=UTC)),
        ("1714564800000", datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),  # milliseconds
        ("1714564800.5", datetime(2024, 5, 1, 12, 0, 0, 500000, tzinfo=UTC)),
        ("yesterday", None),
    ],
)
def test_time_forms(raw: str, expected: datetime | None) -> None:
    (event,) = parse(formco, f"MsgId=1&State=2&Done={raw}".encode(), FORM).events
    assert event.occurred_at == expected
    assert event.occurred_at_raw == raw


def test_unreadable_items_are_skipped_and_the_rest_kept() -> None:
    body = {
        "events": [
            {"id": "no-status"},
            {"status": "DELIVRD"},  # no key field
            "a string",
            {"id": "ok", "status": "ENROUTE"},
            {"id": ["a", "list"], "ref": {"an": "object"}, "status": "DELIVRD"},
        ]
    }
    (event,) = parse(acme, json.dumps(body).encode()).events
    assert (event.message_id, event.status) == ("ok", Status.SENT)


def test_nothing_readable_is_a_payload_error_saying_why() -> None:
    with pytest.raises(PayloadError, match=r"no readable event among 2 item\(s\) at events"):
        parse(acme, b'{"events": [{"id": "1"}, {"id": "2"}]}')
    with pytest.raises(PayloadError, match="no items at events"):
        parse(acme, b'{"events": []}')
    with pytest.raises(PayloadError, match="no list at events"):
        parse(acme, b'{"events": "none"}')
    with pytest.raises(PayloadError, match="not a JSON body"):
        parse(acme, b"id=1&status=DELIVRD", FORM)
    with pytest.raises(PayloadError, match=r"no message_id \(MsgId\) or client_ref \(Ref\)"):
        parse(formco, b"State=2", FORM)
    with pytest.raises(PayloadError, match=r"no status at State"):
        parse(formco, b"MsgId=1", FORM)


def test_a_single_object_where_a_list_is_declared_is_one_item() -> None:
    (event,) = parse(acme, b'{"events": {"id": "solo", "status": "DELIVRD"}}').events
    assert event.message_id == "solo"


def test_json_paths_step_into_lists_by_number() -> None:
    adapter = adapter_for(
        """
        [providers.generic.listy]
        format = "json"
        message_id = "results.1.id"
        status = "results.1.state.name"
        statuses = { done = "delivered" }
        """
    )
    body = b'{"results": [{"id": "a"}, {"id": "b", "state": {"name": "DONE"}}]}'
    (event,) = parse(adapter, body).events
    assert (event.message_id, event.status, event.provider_status) == (
        "b",
        Status.DELIVERED,
        "DONE",
    )
    # An index past the end, or a number where an object is, is simply absent.
    with pytest.raises(PayloadError):
        parse(adapter, b'{"results": [{"id": "a"}]}')
    with pytest.raises(PayloadError):
        parse(adapter, b'{"results": {"id": "a"}}')


def test_items_dot_is_a_body_that_is_itself_the_list() -> None:
    adapter = adapter_for(
        """
        [providers.generic.batch]
        format = "json"
        items = "."
        message_id = "msg.id"
        status = "msg.status"
        statuses = { 3 = "delivered" }
        """
    )
    body = b'[{"msg": {"id": 1, "status": 3}}, {"msg": {"id": 2, "status": 4}}]'
    events = parse(adapter, body).events
    assert [(e.message_id, e.status, e.provider_status) for e in events] == [
        ("1", Status.DELIVERED, "3"),
        ("2", Status.UNKNOWN, "4"),
    ]


def test_xml_paths_start_at_the_root_without_items() -> None:
    adapter = adapter_for(
        """
        [providers.generic.single]
        format = "xml"
        message_id = "Receipt/@id"
        client_ref = "Receipt/Ref"
        status = "Receipt/Status"
        statuses = { DELIVRD = "delivered" }
        """
    )
    body = b'<Receipt id="9"><Ref>r</Ref><Status>DELIVRD</Status></Receipt>'
    (event,) = parse(adapter, body, XML).events
    assert (event.message_id, event.client_ref, event.status) == ("9", "r", Status.DELIVERED)
    # The first step names the root: another root is not this callback.
    with pytest.raises(PayloadError, match="no status at Receipt/Status"):
        parse(adapter, b"<Other><Status>DELIVRD</Status></Other>", XML)
    # Namespaces do not matter; a leading / is the same path.
    body = b'<r:Receipt xmlns:r="urn:x" id="10"><r:Status>DELIVRD</r:Status></r:Receipt>'
    assert parse(adapter, body, XML).events[0].message_id == "10"


def test_xml_items_take_every_match_and_namespaces_are_ignored() -> None:
    events = parse(xmlco, XMLCO_BODY, XML).events
    assert [e.message_id for e in events] == ["7f6c", "7f6d"]
    assert events[0].occurred_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    with pytest.raises(PayloadError, match="not an XML body"):
        parse(xmlco, b'{"Receipts": []}')


def test_form_fields_come_from_body_or_query_and_match_case_insensitively() -> None:
    (event,) = parse(formco, b"msgid=1&state=2", FORM, query="ref=q").events
    assert (event.message_id, event.client_ref, event.status) == ("1", "q", Status.DELIVERED)
    # Body values win over the query's.
    (event,) = parse(formco, b"MsgId=body&State=2", FORM, query="MsgId=query").events
    assert event.message_id == "body"


def test_the_adapter_describes_itself_for_the_docs() -> None:
    assert acme.slug == "acme"
    assert isinstance(acme, GenericAdapter)
    assert type(acme) is not type(formco)  # one class per declaration: slug is a class fact
    assert type(acme).slug == "acme" and type(formco).slug == "formco"
    assert acme.status_maps == {
        "status": {
            "ACCEPTED": Status.QUEUED,
            "ENROUTE": Status.SENT,
            "DELIVRD": Status.DELIVERED,
            "FAILED": Status.UNDELIVERED,
            "EXPIRED": Status.EXPIRED,
            "REJECTD": Status.REJECTED,
            "UNKNOWN": Status.UNKNOWN,
        }
    }
    assert acme.keyed_by == "message id (`id`), else client reference (`ref`) and recipient"
    assert GenericAdapter.status_maps == {}  # the base class is untouched


top_level_list = adapter_for(
    ACME.replace('items = "events"', 'items = "."'), {"ACME_WEBHOOK_SECRET": "s"}
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["events", "id", "ref", "status", "time", "to"]), inner)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_any_json_shape_parses_or_is_a_payload_error(value: Any) -> None:
    body = json.dumps(value).encode()
    for adapter in (acme, top_level_list):
        try:
            result = parse(adapter, body)
        except PayloadError:
            continue
        assert isinstance(result, Normalized) and result.events


# -- signatures ---------------------------------------------------------------------------


def signed_request(header: str, value: str | None, body: bytes) -> Request:
    headers = ((header.lower(), value),) if value is not None else ()
    return Request("POST", f"{PUBLIC_URL}/callbacks/x/{TOKEN}", "", headers, body, JSON)


def signature_adapter(algorithm: str, encoding: str, prefix: str, secrets: str) -> Adapter:
    prefix_line = f'prefix = "{prefix}"' if prefix else ""
    return adapter_for(
        f"""
        [providers.generic.signed]
        format = "json"
        message_id = "id"
        status = "status"
        statuses = {{ DELIVRD = "delivered" }}
        [providers.generic.signed.signature]
        header = "X-Signature"
        algorithm = "{algorithm}"
        encoding = "{encoding}"
        {prefix_line}
        secret_env = "SIGNED_SECRET"
        """,
        {"SIGNED_SECRET": secrets},
    )


# docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries, "Testing the
# webhook payload validation" (verbatim test values): HMAC-SHA256, hex, "sha256=" prefix.
GITHUB_SECRET = "It's a Secret to Everybody"
GITHUB_BODY = b"Hello, World!"
GITHUB_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
# RFC 2202 §3 test case 2 (HMAC-SHA1) and RFC 4231 §4.3 test case 2 (HMAC-SHA512), verbatim.
RFC_KEY = "Jefe"
RFC_DATA = b"what do ya want for nothing?"
RFC2202_SHA1 = bytes.fromhex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
RFC4231_SHA512 = (
    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
    "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
)


def test_github_style_sha256_hex_with_prefix() -> None:
    adapter = signature_adapter("sha256", "hex", "sha256=", f"rotated-out,{GITHUB_SECRET}")
    assert adapter.verifies
    adapter.verify(signed_request("X-Signature", GITHUB_SIGNATURE, GITHUB_BODY))
    adapter.verify(signed_request("X-Signature", GITHUB_SIGNATURE.upper(), GITHUB_BODY))
    with pytest.raises(SignatureError, match="wrong signature"):
        adapter.verify(signed_request("X-Signature", GITHUB_SIGNATURE, b"Hello, World?"))
    with pytest.raises(SignatureError, match="prefix"):
        adapter.verify(signed_request("X-Signature", GITHUB_SIGNATURE[7:], GITHUB_BODY))
    with pytest.raises(SignatureError, match="malformed"):
        adapter.verify(signed_request("X-Signature", GITHUB_SIGNATURE[:-2], GITHUB_BODY))
    with pytest.raises(SignatureError, match="missing X-Signature"):
        adapter.verify(signed_request("X-Signature", None, GITHUB_BODY))
    with pytest.raises(SignatureError, match="missing"):
        adapter.verify(signed_request("X-Other", GITHUB_SIGNATURE, GITHUB_BODY))


def test_sha1_base64_rfc2202() -> None:
    adapter = signature_adapter("sha1", "base64", "", RFC_KEY)
    standard = base64.b64encode(RFC2202_SHA1).decode()
    adapter.verify(signed_request("X-Signature", standard, RFC_DATA))
    adapter.verify(signed_request("X-Signature", standard.rstrip("="), RFC_DATA))  # unpadded
    urlsafe = base64.urlsafe_b64encode(RFC2202_SHA1).decode()
    adapter.verify(signed_request("X-Signature", urlsafe, RFC_DATA))
    with pytest.raises(SignatureError, match="wrong signature"):
        adapter.verify(signed_request("X-Signature", standard, RFC_DATA + b" "))
    with pytest.raises(SignatureError, match="malformed"):
        adapter.verify(signed_request("X-Signature", RFC2202_SHA1.hex(), RFC_DATA))  # hex


def test_sha512_hex_rfc4231() -> None:
    adapter = signature_adapter("sha512", "hex", "", RFC_KEY)
    adapter.verify(signed_request("X-Signature", RFC4231_SHA512, RFC_DATA))
    with pytest.raises(SignatureError, match="malformed"):  # a sha256's length
        adapter.verify(signed_request("X-Signature", RFC4231_SHA512[:64], RFC_DATA))
    wrong_key = signature_adapter("sha512", "hex", "", "Jeff")
    with pytest.raises(SignatureError, match="wrong signature"):
        wrong_key.verify(signed_request("X-Signature", RFC4231_SHA512, RFC_DATA))


def test_signature_errors_never_show_the_secret_or_the_signature() -> None:
    adapter = signature_adapter("sha256", "hex", "sha256=", GITHUB_SECRET)
    wrong = "sha256=" + "0" * 64
    for value in (wrong, GITHUB_SIGNATURE[:-1], "garbage"):
        with pytest.raises(SignatureError) as caught:
            adapter.verify(signed_request("X-Signature", value, b"other body"))
        assert GITHUB_SECRET not in str(caught.value)
        assert value not in str(caught.value)
    assert GITHUB_SECRET not in repr(declare(ACME, {"ACME_WEBHOOK_SECRET": GITHUB_SECRET}))


def test_without_a_signature_table_nothing_is_verified() -> None:
    assert not formco.verifies
    formco.verify(signed_request("X-Signature", None, b""))


# -- configuration ------------------------------------------------------------------------


def from_toml(tmp_path: Path, text: str, **environ: str) -> Settings:
    config = tmp_path / "receiver.toml"
    config.write_text(text)
    return Settings.from_env({"RECEIVER_CONFIG": str(config), **environ})


def config_errors(tmp_path: Path, text: str, **environ: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        from_toml(tmp_path, text, **environ)
    return [line.strip() for line in str(caught.value).splitlines()[1:]]


#: CONTRACT §5's example, verbatim.
CONTRACT_EXAMPLE = """
[providers.generic.acme]
format = "json"              # "form" (body or query fields), "json", or "xml"
message_id = "data.id"       # JSON: dotted path (a list index is a number: "results.0.id");
client_ref = "data.ref"      #   XML: element path from the root, e.g. "Receipt/Id";
recipient = "data.to"        #   form: the field name. Every field but `status` is optional,
status = "data.status"       #   and `message_id` or `client_ref` must be given.
occurred_at = "data.time"    # ISO-8601, or epoch seconds
error_code = "data.error"
items = "events"             # optional: a list in the body, each item one event

[providers.generic.acme.statuses]   # raw value (compared case-insensitively) -> a status of §3
DELIVRD = "delivered"
FAILED = "undelivered"
# anything unmapped -> "unknown", raw value kept

[providers.generic.acme.signature]  # optional; then a bad or missing signature gets 401
header = "X-Acme-Signature"
algorithm = "sha256"         # HMAC with "sha1", "sha256" or "sha512", over the raw body
encoding = "hex"             # "hex" (either case) or "base64"
prefix = "sha256="           # optional text before the digest in the header
secret_env = "ACME_WEBHOOK_SECRET"   # the secret is read from this environment variable
"""

MINIMAL = """
[providers.generic.acme]
format = "json"
message_id = "id"
status = "status"
[providers.generic.acme.statuses]
DELIVRD = "delivered"
"""


def test_the_contract_example_is_read_into_settings(tmp_path: Path) -> None:
    settings = from_toml(
        tmp_path, CONTRACT_EXAMPLE, ACME_WEBHOOK_SECRET=" rotating-out-1 , rotating-in-2 "
    )
    (definition,) = settings.generic_providers
    assert definition.name == "acme"
    assert (definition.format, definition.items, definition.status) == (
        "json",
        "events",
        "data.status",
    )
    assert definition.statuses == (
        ("DELIVRD", Status.DELIVERED),
        ("FAILED", Status.UNDELIVERED),
    )
    signature = definition.signature
    assert signature is not None
    assert (signature.header, signature.algorithm, signature.encoding, signature.prefix) == (
        "X-Acme-Signature",
        "sha256",
        "hex",
        "sha256=",
    )
    assert signature.secrets == ("rotating-out-1", "rotating-in-2")  # comma-separated: rotation
    assert "rotating" not in repr(settings)
    assert build_adapters(settings)["acme"].verifies
    urls = dict(callback_urls(settings, [TOKEN], "https://dlr.example.com"))
    assert urls["acme"] == f"https://dlr.example.com/callbacks/acme/{TOKEN}"
    assert "twilio" in urls  # built-ins are all still there


def test_several_providers_and_alerts_side_by_side(tmp_path: Path) -> None:
    text = (
        "[alerts]\nsilence = 600\n"
        + MINIMAL
        + FORMCO
        + XMLCO.replace("[providers.generic.xmlco.signature]", "[ignored]")
    )
    settings = from_toml(tmp_path, text)
    assert [d.name for d in settings.generic_providers] == ["acme", "formco", "xmlco"]
    assert settings.alerts.silence == 600
    assert not build_adapters(settings)["xmlco"].verifies


def test_without_providers_nothing_changes(tmp_path: Path) -> None:
    assert from_toml(tmp_path, "[alerts]\nsilence = 5\n").generic_providers == ()
    assert Settings.from_env({}).generic_providers == ()


def test_the_brief_example_message_exactly(tmp_path: Path) -> None:
    errors = config_errors(tmp_path, MINIMAL.replace('"json"', '"yaml"'))
    assert errors == [
        "RECEIVER_CONFIG: providers.generic.acme.format: expected form, json or xml, got 'yaml'"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('format = "json"\n', ""), "providers.generic.acme.format: missing"),
        (('status = "status"\n', ""), "providers.generic.acme.status: missing"),
        (
            ('message_id = "id"\n', ""),
            "providers.generic.acme: neither message_id nor client_ref is given",
        ),
        (('message_id = "id"', "message_id = 7"), "providers.generic.acme.message_id: expected a"),
        (('message_id = "id"', 'message_id = "data..id"'), "acme.message_id: expected a dotted"),
        (('message_id = "id"', 'messageid = "id"'), "providers.generic.acme.messageid: unknown"),
        (('DELIVRD = "delivered"', 'DELIVRD = "done"'), "acme.statuses.DELIVRD: expected one of"),
        (('DELIVRD = "delivered"', "DELIVRD = 1"), "acme.statuses.DELIVRD: expected one of"),
        (
            ('DELIVRD = "delivered"', 'DELIVRD = "delivered"\ndelivrd = "undelivered"'),
            "acme.statuses.delivrd: the same raw status as 'DELIVRD'",
        ),
        (('DELIVRD = "delivered"', '"" = "delivered"'), "acme.statuses: an empty raw status"),
        (
            ('[providers.generic.acme.statuses]\nDELIVRD = "delivered"\n', ""),
            "providers.generic.acme.statuses: missing",
        ),
        (('status = "status"', 'status = "status"\nitems = ""'), "acme.items: expected a non-em"),
        (("[providers.generic.acme]", "[providers.generic.twilio]"), "'twilio' is a built-in"),
        (("[providers.generic.acme]", "[providers.generic.generic]"), "'generic' is the kind"),
        (("[providers.generic.acme]", '[providers.generic."Acme Corp"]'), "must be 1 to 64"),
        (("[providers.generic.acme]", '[providers.generic."a/b"]'), 'generic."a/b": the name'),
        (("[providers.generic.acme]", "[providers.generic.-acme]"), "-acme: the name is"),
        (("[providers.generic.acme]", "[providers.other.acme]"), "providers.other: unknown key"),
    ],
)
def test_each_bad_declaration_is_named(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in MINIMAL
    errors = config_errors(tmp_path, MINIMAL.replace(old, new, 1))
    assert any(expected in error for error in errors), errors
    assert all(error.startswith("RECEIVER_CONFIG: providers.") for error in errors), errors


@pytest.mark.parametrize(
    ("fmt", "key", "path", "expected"),
    [
        ("xml", "message_id", "ns:Receipt/Id", "namespace prefixes are not used"),
        ("xml", "message_id", "Receipt[1]/Id", "element names separated by /"),
        ("xml", "message_id", "Receipt/@id/x", "element names separated by /"),
        ("xml", "message_id", "@id", "element names separated by / from the root"),
        ("xml", "items", "Receipts/@id", "element names separated by /"),
        ("json", "items", "events.", 'items = "." means the body itself'),
        ("form", "items", "events", "a form has no lists"),
    ],
)
def test_bad_paths_are_named(tmp_path: Path, fmt: str, key: str, path: str, expected: str) -> None:
    values = {"format": fmt, "message_id": "Id", "status": "Status", key: path}
    lines = "\n".join(f"{name} = {json.dumps(value)}" for name, value in values.items())
    text = f"[providers.generic.acme]\n{lines}\nstatuses = {{ DELIVRD = 'delivered' }}\n"
    errors = config_errors(tmp_path, text)
    assert any(f"providers.generic.acme.{key}: " in e and expected in e for e in errors), errors


def test_xml_attribute_of_the_item_itself_is_allowed(tmp_path: Path) -> None:
    text = """
    [providers.generic.acme]
    format = "xml"
    items = "List/Item"
    message_id = "@id"
    status = "@state"
    statuses = { ok = "delivered" }
    """
    (definition,) = from_toml(tmp_path, text).generic_providers
    body = b'<List><Item id="1" state="OK"/><Item id="2" state="no"/></List>'
    events = parse(generic_adapter(definition), body, XML).events
    assert [(e.message_id, e.status) for e in events] == [
        ("1", Status.DELIVERED),
        ("2", Status.UNKNOWN),
    ]


@pytest.mark.parametrize(
    ("signature", "environ", "expected"),
    [
        ({"algorithm": '"md5"'}, {}, "signature.algorithm: expected sha1, sha256 or sha512, got"),
        ({"encoding": '"hex64"'}, {}, "signature.encoding: expected hex or base64, got 'hex64'"),
        ({"header": None}, {}, "signature.header: expected the name of the HTTP header"),
        ({"header": '"X Bad"'}, {}, "signature.header: expected the name"),
        ({"prefix": "1"}, {}, "signature.prefix: expected a string"),
        ({"secret_env": None}, {}, "signature.secret_env: expected the name of the environment"),
        ({"secret_env": '"NOT-A-NAME"'}, {}, "signature.secret_env: expected the name"),
        ({}, {"ACME_SECRET": ""}, "signature.secret_env: ACME_SECRET is not set"),
        ({}, {"ACME_SECRET": " , "}, "signature.secret_env: ACME_SECRET is not set"),
        ({"timestamp": '"X-Time"'}, {}, "signature.timestamp: unknown key"),
    ],
)
def test_each_bad_signature_table_is_named(
    tmp_path: Path, signature: dict[str, str | None], environ: dict[str, str], expected: str
) -> None:
    values: dict[str, str | None] = {
        "header": '"X-Acme-Signature"',
        "algorithm": '"sha256"',
        "encoding": '"hex"',
        "secret_env": '"ACME_SECRET"',
    }
    values.update(signature)
    table = "\n".join(f"{k} = {v}" for k, v in values.items() if v is not None)
    environ = {"ACME_SECRET": "s3cret", **environ}
    errors = config_errors(
        tmp_path, MINIMAL + "[providers.generic.acme.signature]\n" + table, **environ
    )
    assert any(f"providers.generic.acme.{expected}" in error for error in errors), errors
    assert not any("s3cret" in error for error in errors)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = """
    [providers.generic.one]
    format = "yaml"
    status = "s"
    message_id = "m"
    statuses = { A = "sent" }

    [providers.generic.two]
    format = "json"
    bogus = true
    statuses = { A = "lost" }
    [providers.generic.two.signature]
    header = "X-Sig"
    algorithm = "sha256"
    encoding = "hex"
    secret_env = "TWO_SECRET"
    """
    errors = config_errors(tmp_path, text, RECEIVER_MAX_BODY="lots")
    assert sorted(errors) == sorted(
        [
            "RECEIVER_CONFIG: providers.generic.one.format: expected form, json or xml, got 'yaml'",
            "RECEIVER_CONFIG: providers.generic.two.bogus: unknown key; expected format, "
            "message_id, client_ref, recipient, status, occurred_at, error_code, items, "
            "statuses, signature",
            "RECEIVER_CONFIG: providers.generic.two.status: missing; give the path of the "
            "provider's status",
            "RECEIVER_CONFIG: providers.generic.two: neither message_id nor client_ref is given; "
            "at least one of them must be, to tell which message an event is about",
            "RECEIVER_CONFIG: providers.generic.two.statuses.A: expected one of queued, sent, "
            "delivered, undelivered, expired, rejected, unknown, got 'lost'",
            "RECEIVER_CONFIG: providers.generic.two.signature.secret_env: TWO_SECRET is not "
            "set; set it to the provider's secret (comma-separated to rotate), or remove the "
            "signature table to accept this provider's callbacks on the URL token alone",
            "RECEIVER_MAX_BODY: expected a size in bytes such as 65536 or 64KiB, got 'lots'",
        ]
    )


def test_wrong_table_types_are_named(tmp_path: Path) -> None:
    assert config_errors(tmp_path, 'providers = "x"') == [
        "RECEIVER_CONFIG: providers: expected a table ([providers.generic.<name>])"
    ]
    assert config_errors(tmp_path, "[providers]\ngeneric = 1") == [
        "RECEIVER_CONFIG: providers.generic: expected a table with one "
        "[providers.generic.<name>] each"
    ]
    errors = config_errors(tmp_path, "[providers.generic]\nacme = 1")
    assert errors == [
        "RECEIVER_CONFIG: providers.generic.acme: expected a table of settings, got 1"
    ]
    errors = config_errors(
        tmp_path,
        MINIMAL.replace(
            "[providers.generic.acme.statuses]",
            "signature = 'yes'\n[providers.generic.acme.statuses]",
        ),
    )
    assert errors == [
        "RECEIVER_CONFIG: providers.generic.acme.signature: expected a table, got 'yes'"
    ]


def test_build_adapters_refuses_a_shadowing_definition_made_in_code() -> None:
    (definition,) = declare(MINIMAL)
    from dataclasses import replace

    with pytest.raises(ConfigError, match=r"providers\.generic\.cdyne"):
        build_adapters(Settings(generic_providers=(replace(definition, name="cdyne"),)))


# -- end to end: `receiver serve` with a receiver.toml ------------------------------------


def test_serve_with_a_declared_provider_round_trips_to_postgres(
    servers: Servers, db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "receiver.toml"
    config.write_text(ACME)
    env = receiver_env(
        DATABASE_URL=database_url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_DATA_DIR=str(tmp_path / "data"),
        RECEIVER_CONFIG=str(config),
        ACME_WEBHOOK_SECRET="old-secret,new-secret",
    )
    server = servers.start(env)
    server.wait_healthy(timeout=30)
    digest = hmac.new(b"new-secret", ACME_BATCH, hashlib.sha256).hexdigest()
    url = f"/callbacks/acme/{TOKEN}"
    with httpx.Client(base_url=server.base_url) as client:
        headers = {"content-type": JSON, "x-acme-signature": f"sha256={digest}"}
        signed = client.post(url, content=ACME_BATCH, headers=headers)
        unsigned = client.post(url, content=ACME_BATCH, headers={"content-type": JSON})
        unknown = client.post(f"/callbacks/nobody/{TOKEN}", content=ACME_BATCH)
    assert (signed.status_code, signed.text) == (200, "OK")
    assert unsigned.status_code == 401
    assert unknown.status_code == 404
    assert f"/callbacks/acme/{TOKEN[:4]}…" in server.output()
    query = (
        "SELECT message_id, client_ref, recipient, status, provider_status, error_code, "
        "occurred_at FROM delivery_events WHERE provider = 'acme' ORDER BY message_id"
    )
    wait_for(lambda: len(rows(db, query)) == 2)  # events may trail the ack a little
    events = rows(db, query)
    assert [(e["message_id"], e["status"], e["provider_status"]) for e in events] == [
        ("4711", "undelivered", "failed"),
        ("msg-1", "delivered", "DELIVRD"),
    ]
    assert events[1]["recipient"] == "447700900123"
    assert events[1]["client_ref"] == "order-17"
    assert events[1]["occurred_at"] == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    messages = rows(db, "SELECT message_id, status FROM messages WHERE provider = 'acme'")
    assert len(messages) == 2
    assert {(m["message_id"], m["status"]) for m in messages} == {
        ("msg-1", "delivered"),
        ("4711", "undelivered"),
    }
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 1

    urls = run_cli("urls", "--show-tokens", env=env, cwd=tmp_path)
    assert urls.returncode == 0, urls.stderr
    assert f"http://127.0.0.1:8000/callbacks/acme/{TOKEN}" in urls.stdout


def test_a_bad_declaration_stops_serve_with_the_key(tmp_path: Path) -> None:
    config = tmp_path / "receiver.toml"
    config.write_text(ACME.replace('format = "json"', 'format = "yaml"'))
    data_dir = tmp_path / "data"
    env = receiver_env(RECEIVER_CONFIG=str(config), RECEIVER_DATA_DIR=str(data_dir))
    result = run_cli("serve", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert (
        "RECEIVER_CONFIG: providers.generic.acme.format: expected form, json or xml, got 'yaml'"
        in result.stderr
    )
    # ACME_WEBHOOK_SECRET is not set in this environment: named too, in the same message.
    assert "providers.generic.acme.signature.secret_env: ACME_WEBHOOK_SECRET" in result.stderr
    assert not data_dir.exists()  # stopped before starting anything


def test_docs_render_a_declared_provider_like_any_other() -> None:
    from receiver.conformance import render

    text = render({"acme": acme})
    assert "## `acme`\n\nKeyed by: message id (`id`), else client reference" in text
    assert "| status | status |\n|---|---|\n| `ACCEPTED` | `queued` |\n" in text
