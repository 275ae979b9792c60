from __future__ import annotations

import pytest

from receiver.providers.smartswitch import SmartswitchAdapter
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, PayloadError
from receiver.status import Status
from tests.contract import Expected, Fixture, ProviderContract

adapter = SmartswitchAdapter()
FORM = "application/x-www-form-urlencoded"

# redmine.streamco.org/projects/smartswitch-public/wiki/HTTP_API_deliver_delivery_receipt
# (verbatim fields and values; the doc shows one field per line, joined with & here)
DOCUMENTED = b"message_id=1561371433517&message_state=delivered"


def _event(body: bytes, content_type: str | None = FORM, query: str = "") -> DeliveryEvent:
    result = adapter.parse(decode(query, content_type, body))
    assert result.inbound == ()
    assert len(result.events) == 1
    return result.events[0]


def test_documented_receipt() -> None:
    event = _event(DOCUMENTED)
    assert event.status is Status.DELIVERED
    assert event.provider_status == "delivered"
    assert event.message_id == "1561371433517"
    assert event.message_key == "id:1561371433517"


# The seven states listed on the same wiki page.
@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("enroute", Status.SENT),
        ("delivered", Status.DELIVERED),
        ("expired", Status.EXPIRED),
        ("undeliverable", Status.UNDELIVERED),
        ("accepted", Status.QUEUED),
        ("unknown", Status.UNKNOWN),
        ("rejected", Status.REJECTED),
        ("DELIVERED", Status.DELIVERED),
        ("Undeliverable", Status.UNDELIVERED),
    ],
)
def test_states(state: str, expected: Status) -> None:
    event = _event(f"message_id=1&message_state={state}".encode())
    assert event.status is expected
    assert event.provider_status == state


def test_unmapped_state_is_unknown_and_kept() -> None:
    event = _event(b"message_id=1&message_state=DELIVRD")
    assert event.status is Status.UNKNOWN
    assert event.provider_status == "DELIVRD"


def test_flat_json() -> None:
    # JSON is operator-configurable per the wiki; field names assumed to stay the same.
    event = _event(b'{"message_id": 1561371433517, "message_state": "expired"}', "application/json")
    assert event.status is Status.EXPIRED
    assert event.message_id == "1561371433517"


def test_json_api_style() -> None:
    # reconstructed: JSON API shape of the HTTP API message response (samples/smartswitch_2.json)
    body = b'{"data": {"type": "dlr", "id": "42", "attributes": {"message_state": "rejected"}}}'
    event = _event(body, "application/json")
    assert event.status is Status.REJECTED
    assert event.message_id == "42"


def test_query_string_get() -> None:
    event = _event(b"", None, "message_id=7&message_state=enroute")
    assert event.status is Status.SENT
    assert event.message_id == "7"


def test_message_id_whitespace_is_stripped() -> None:
    assert _event(b"message_id=+77+&message_state=delivered").message_id == "77"


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        (b"message_state=delivered", "message_id"),
        (b"message_id=1", "message_state"),
        (b"message_id=&message_state=delivered", "message_id"),
        (b"message_id=1&message_state=", "message_state"),
    ],
)
def test_missing_fields_are_payload_errors(body: bytes, missing: str) -> None:
    with pytest.raises(PayloadError, match=missing):
        adapter.parse(decode("", FORM, body))


def test_json_api_without_state_is_a_payload_error() -> None:
    with pytest.raises(PayloadError, match="message_state"):
        adapter.parse(decode("", "application/json", b'{"data": {"id": "42"}}'))


class TestSmartswitchContract(ProviderContract):
    slug = "smartswitch"
    fixtures = (
        Fixture(
            "documented receipt",
            "redmine.streamco.org/projects/smartswitch-public/wiki/"
            "HTTP_API_deliver_delivery_receipt (verbatim fields and values)",
            body=DOCUMENTED,
            content_type=FORM,
            events=(Expected(Status.DELIVERED, "delivered", message_id="1561371433517"),),
        ),
    )
    # The seven states listed on the same wiki page.
    statuses = (
        ("enroute", Status.SENT),
        ("delivered", Status.DELIVERED),
        ("expired", Status.EXPIRED),
        ("undeliverable", Status.UNDELIVERED),
        ("accepted", Status.QUEUED),
        ("unknown", Status.UNKNOWN),
        ("rejected", Status.REJECTED),
    )
    wrong_shape = Fixture("no receipt fields", "invented", b"hello=world", FORM)

    def with_status(self, raw_status: str) -> Fixture:
        body = f"message_id=1&message_state={raw_status}".encode()
        return Fixture(raw_status, "as DOCUMENTED", body, FORM)
