"""The contract every provider adapter meets, as one test case each provider's tests reuse.

A provider's test module subclasses `ProviderContract` with a small table of fixtures (each
citing its source), its documented statuses, and, where the provider signs, how to sign. Every
test here then runs for that provider, through the real app and a real Postgres:

* a wrong or missing URL token gets 404 and stores nothing;
* each fixture is answered exactly as the provider expects and stored as its expected events;
* every documented status maps as the provider's docs mean; an unmapped one is `unknown`, raw
  value kept;
* an empty, garbage or wrong-shape body is stored with a parse error and answered as usual;
* where the provider signs: valid, rotated second secret, tampered body, tampered URL, missing
  signature, wrong secret and (with a replay window) a stale one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import httpx
import psycopg
import pytest
from starlette.testclient import TestClient

from receiver.app import create_app
from receiver.config import SigningSecrets
from receiver.providers import Adapter, build_adapters
from receiver.providers.toolkit.payload import decode
from receiver.records import Normalized
from receiver.status import Status
from tests.conftest import TOKEN, make_settings, rows

__all__ = ["Expected", "Fixture", "Outgoing", "ProviderContract", "every_contract"]

#: The public base URL the test app is configured with; URL signatures are made over it.
PUBLIC_URL = "https://receiver.example.com"


@dataclass(frozen=True, slots=True)
class Expected:
    """One event a fixture must become; None fields are not checked."""

    status: Status
    provider_status: str | None
    message_id: str | None = None
    client_ref: str | None = None
    recipient: str | None = None
    error_code: str | None = None


@dataclass(frozen=True, slots=True)
class Fixture:
    """One callback as the provider sends it, and what it must become."""

    name: str
    #: Where its shape comes from (doc page, SDK file, courier test), and verbatim or not.
    source: str
    body: bytes = b""
    content_type: str | None = None
    query: str = ""
    method: str = "POST"
    events: tuple[Expected, ...] = ()
    #: Inbound replies expected: (sender, is_opt_out).
    inbound: tuple[tuple[str | None, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A request about to be sent: what a signer may change."""

    slug: str
    method: str
    #: Query string, without '?'.
    query: str
    body: bytes
    content_type: str | None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The URL the provider calls, as the app sees it: percent-encoded as sent on the wire
        (a literal `<` in a query goes out as %3C)."""
        path = f"{PUBLIC_URL}/callbacks/{self.slug}/{TOKEN}"
        return str(httpx.URL(path + (f"?{self.query}" if self.query else "")))


def every_contract() -> list[type[ProviderContract]]:
    """Every concrete provider contract (those that name a slug), once their modules are
    imported."""
    found: set[type[ProviderContract]] = set()
    pending = list(ProviderContract.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if hasattr(cls, "slug"):  # a shared base of several contracts names none
            found.add(cls)
    return sorted(found, key=lambda cls: cls.__name__)


class ProviderContract:
    """Subclass as `TestXxxContract` and set the class attributes below."""

    slug: ClassVar[str]
    fixtures: ClassVar[Sequence[Fixture]]
    #: Every status the provider documents: (raw value, what it must map to).
    statuses: ClassVar[Sequence[tuple[str, Status]]]
    #: A raw status value no mapping table has.
    unmapped_status: ClassVar[str] = "NO_SUCH_STATUS_42"
    answer_body: ClassVar[bytes] = b"OK"
    answer_content_type: ClassVar[str] = "text/plain; charset=utf-8"
    #: A body of the right format whose shape is not a callback (e.g. '{"hello": "world"}').
    wrong_shape: ClassVar[Fixture]

    # -- signing (providers that sign override these) -------------------------------------
    #: Two keys, both configured: the second stands for a secret being rotated in.
    signing_keys: ClassVar[tuple[Any, ...]] = ()
    #: A key that is not configured.
    wrong_key: ClassVar[Any] = None
    #: The signature covers the URL, so a changed query string must fail.
    signs_url: ClassVar[bool] = False
    #: The scheme has a replay window, so an old signature must fail.
    has_replay_window: ClassVar[bool] = False

    def with_status(self, raw_status: str) -> Fixture:
        """A fixture that carries `raw_status` as the provider's status."""
        raise NotImplementedError

    def configure(self, keys: Sequence[Any]) -> SigningSecrets:
        """Settings that hold `keys` as this provider's secrets."""
        return SigningSecrets()

    def sign(self, request: Outgoing, key: Any, now: float) -> Outgoing:
        """`request` signed with `key` as the provider would sign it at time `now`."""
        return request

    # -- plumbing -------------------------------------------------------------------------

    @property
    def signed(self) -> bool:
        return bool(self.signing_keys)

    @property
    def adapter(self) -> Adapter:
        return build_adapters(make_settings("", Path("."), signing=self.configure([])))[self.slug]

    def parse(self, fixture: Fixture) -> Normalized:
        return self.adapter.parse(decode(fixture.query, fixture.content_type, fixture.body))

    @pytest.fixture
    def app(
        self, db: psycopg.Connection[Any], database_url: str, tmp_path: Path
    ) -> Iterator[TestClient]:
        settings = make_settings(
            database_url,
            tmp_path / "spool",
            public_url=PUBLIC_URL,
            signing=self.configure(list(self.signing_keys)),
        )
        with TestClient(create_app(settings)) as test_client:
            yield test_client

    def outgoing(self, fixture: Fixture, key: Any = None, now: float | None = None) -> Outgoing:
        request = self.unsigned(fixture)
        if key is None and self.signed:
            key = self.signing_keys[0]
        if key is None:
            return request
        return self.sign(request, key, time.time() if now is None else now)

    def unsigned(self, fixture: Fixture) -> Outgoing:
        request = Outgoing(
            self.slug, fixture.method, fixture.query, fixture.body, fixture.content_type
        )
        if fixture.content_type:
            request.headers["content-type"] = fixture.content_type
        return request

    def send(self, client: TestClient, request: Outgoing, token: str | None = TOKEN) -> Any:
        path = f"/callbacks/{self.slug}" + (f"/{token}" if token is not None else "")
        if request.query:
            path += f"?{request.query}"
        return client.request(request.method, path, content=request.body, headers=request.headers)

    def assert_answered(self, response: Any) -> None:
        assert response.status_code == 200, response.text
        assert response.content == self.answer_body
        assert response.headers["content-type"] == self.answer_content_type

    # -- the contract ---------------------------------------------------------------------

    def test_fixtures_parse_as_documented(self) -> None:
        for fixture in self.fixtures:
            result = self.parse(fixture)
            assert len(result.events) == len(fixture.events), fixture.name
            for event, expected in zip(result.events, fixture.events, strict=True):
                assert event.status is expected.status, fixture.name
                assert event.provider_status == expected.provider_status, fixture.name
                for name in ("message_id", "client_ref", "recipient", "error_code"):
                    wanted = getattr(expected, name)
                    if wanted is not None:
                        assert getattr(event, name) == wanted, (fixture.name, name)
            inbound = [(message.sender, message.is_opt_out) for message in result.inbound]
            assert inbound == list(fixture.inbound), fixture.name

    def test_every_documented_status_maps_as_documented(self) -> None:
        wrong = {}
        for raw, expected in self.statuses:
            events = self.parse(self.with_status(raw)).events
            got = [(event.status, event.provider_status) for event in events]
            if got != [(expected, raw)]:
                wrong[raw] = got
        assert not wrong, wrong

    def test_unmapped_status_is_unknown_and_kept(self) -> None:
        events = self.parse(self.with_status(self.unmapped_status)).events
        assert [(e.status, e.provider_status) for e in events] == [
            (Status.UNKNOWN, self.unmapped_status)
        ]

    def test_fixtures_are_answered_and_stored(
        self, app: TestClient, db: psycopg.Connection[Any]
    ) -> None:
        for fixture in self.fixtures:
            self.assert_answered(self.send(app, self.outgoing(fixture)))
        stored = rows(db, "SELECT parse_error FROM callbacks WHERE provider = %s", self.slug)
        assert [row["parse_error"] for row in stored] == [None] * len(self.fixtures)
        events = rows(db, "SELECT status FROM delivery_events WHERE provider = %s", self.slug)
        # Fixtures may repeat an event (a retry): stored once, so compare distinct statuses.
        distinct = {e.status.value for f in self.fixtures for e in f.events}
        assert {row["status"] for row in events} == distinct
        assert len(events) <= sum(len(f.events) for f in self.fixtures)
        inbound = rows(db, "SELECT sender, is_opt_out FROM inbound_messages ORDER BY id")
        expected = {pair for f in self.fixtures for pair in f.inbound}
        found = {(row["sender"], row["is_opt_out"]) for row in inbound}
        # Replies that share a provider id are one reply, stored once.
        assert found <= expected and bool(found) == bool(expected), (found, expected)

    @pytest.mark.parametrize("token", ["wrong-token-0123456789abcdef", TOKEN + "x", None])
    def test_wrong_or_missing_token_is_404_and_stores_nothing(
        self, app: TestClient, db: psycopg.Connection[Any], token: str | None
    ) -> None:
        response = self.send(app, self.outgoing(self.fixtures[0]), token=token)
        assert response.status_code == 404
        assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 0

    @pytest.mark.parametrize("kind", ["empty", "garbage", "wrong_shape"])
    def test_unreadable_body_is_stored_with_parse_error_and_answered(
        self, app: TestClient, db: psycopg.Connection[Any], kind: str
    ) -> None:
        sample = self.fixtures[0]
        garbage = (
            replace(sample, query="%ff%fe<{garbage%00")  # a GET: the fields are the query
            if sample.method == "GET"
            else replace(sample, body=b"\xff\xfe<{garbage\x00", query="")
        )
        fixture = {
            "empty": replace(sample, body=b"", query=""),
            "garbage": garbage,
            "wrong_shape": self.wrong_shape,
        }[kind]
        self.assert_answered(self.send(app, self.outgoing(fixture)))
        stored = rows(db, "SELECT body, parse_error FROM callbacks")
        assert len(stored) == 1
        assert bytes(stored[0]["body"]) == self.outgoing(fixture).body
        assert stored[0]["parse_error"]
        # A PayloadError that says what is wrong, not an adapter crash caught on its way out.
        assert not stored[0]["parse_error"].startswith("internal parse failure")

    # -- signatures -----------------------------------------------------------------------

    def _refused(self, app: TestClient, db: psycopg.Connection[Any], request: Outgoing) -> None:
        if not self.signed:
            pytest.skip(f"{self.slug} does not sign its callbacks")
        response = self.send(app, request)
        assert response.status_code == 401, response.text
        assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 0

    def test_signature_made_with_the_rotated_second_secret_is_accepted(
        self, app: TestClient, db: psycopg.Connection[Any]
    ) -> None:
        if not self.signed:
            pytest.skip(f"{self.slug} does not sign its callbacks")
        request = self.outgoing(self.fixtures[0], key=self.signing_keys[1])
        self.assert_answered(self.send(app, request))
        assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 1

    def test_tampered_body_is_refused(self, app: TestClient, db: psycopg.Connection[Any]) -> None:
        request = self.outgoing(self.fixtures[0])
        body = request.body
        tampered = body.replace(b"1", b"2", 1) if b"1" in body else body + b" "
        if not body:  # a GET: the query carries the fields
            tampered_query = request.query.replace("1", "2", 1)
            return self._refused(app, db, replace(request, query=tampered_query))
        self._refused(app, db, replace(request, body=tampered))

    def test_tampered_url_is_refused(self, app: TestClient, db: psycopg.Connection[Any]) -> None:
        if not self.signs_url:
            pytest.skip(f"{self.slug} does not sign the URL")
        request = self.outgoing(self.fixtures[0])
        query = f"{request.query}&extra=1" if request.query else "extra=1"
        self._refused(app, db, replace(request, query=query))

    def test_missing_signature_is_refused(
        self, app: TestClient, db: psycopg.Connection[Any]
    ) -> None:
        self._refused(app, db, self.unsigned(self.fixtures[0]))

    def test_wrong_secret_is_refused(self, app: TestClient, db: psycopg.Connection[Any]) -> None:
        if not self.signed:
            pytest.skip(f"{self.slug} does not sign its callbacks")
        self._refused(app, db, self.outgoing(self.fixtures[0], key=self.wrong_key))

    def test_stale_signature_is_refused(self, app: TestClient, db: psycopg.Connection[Any]) -> None:
        if not self.has_replay_window:
            pytest.skip(f"{self.slug} has no replay window")
        stale = self.outgoing(self.fixtures[0], now=time.time() - 3600)
        self._refused(app, db, stale)

    def test_unsigned_callback_is_accepted_without_a_configured_secret(
        self, db: psycopg.Connection[Any], database_url: str, tmp_path: Path
    ) -> None:
        if not self.signed:
            pytest.skip(f"{self.slug} does not sign its callbacks")
        settings = make_settings(database_url, tmp_path / "spool", public_url=PUBLIC_URL)
        with TestClient(create_app(settings)) as client:
            self.assert_answered(self.send(client, self.unsigned(self.fixtures[0])))
        assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 1
