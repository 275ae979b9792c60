"""The read API through the real app and a real Postgres.

Data is created the way production creates it, by posting provider callbacks; the API's answers
are then checked against the stored rows, and schemathesis checks the OpenAPI document against
the live endpoints.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from receiver.api.params import LIST_PARAMETERS
from receiver.app import create_app
from tests.conftest import TOKEN, make_settings, rows
from tests.test_app import CDYNE_RECEIPT, CDYNE_STOP, DYNMARK_DELIVERED, FORM

API_TOKEN = "api-token-for-tests-0123456789"
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
TEXT = {"content-type": "text/plain"}


def callback_url(provider: str, query: str = "") -> str:
    return f"/callbacks/{provider}/{TOKEN}" + (f"?{query}" if query else "")


def make_app(database_url: str, tmp_path: Path, api_token: str | None = API_TOKEN) -> Starlette:
    return create_app(make_settings(database_url, tmp_path / "spool", api_token=api_token))


@pytest.fixture
def api(db: psycopg.Connection[Any], database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """A client for an app with the API enabled; sends the bearer token by default."""
    with TestClient(make_app(database_url, tmp_path), headers=AUTH) as client:
        yield client


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def as_json(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row the way the API renders it."""
    out = {}
    for name, value in row.items():
        if isinstance(value, datetime):
            value = iso(value)
        elif name in ("callback_id", "id") and not isinstance(value, int):
            value = str(value)
        out[name] = value
    return out


def smartswitch(client: TestClient, message_id: str, state: str) -> None:
    body = {"message_id": message_id, "message_state": state}
    assert client.post(callback_url("smartswitch"), json=body).status_code == 200


def smpp(client: TestClient, message_id: str, stat: str, done: str) -> None:
    receipt = (
        f"id:{message_id} sub:001 dlvrd:001 submit date:2406011200 done date:{done} "
        f"stat:{stat} err:000 text:"
    )
    response = client.post(callback_url("smpp"), content=receipt.encode(), headers=TEXT)
    assert response.status_code == 200


def dynmark(client: TestClient, client_ref: str, recipient: str, status_id: int) -> None:
    query = DYNMARK_DELIVERED.replace("clientref=msg-1", f"clientref={client_ref}")
    query = query.replace("recipient=447700900123", f"recipient={recipient}")
    query = query.replace("statusid=1", f"statusid={status_id}")
    assert client.get(callback_url("dynmark", query)).status_code == 200


def cursor_of(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Bearer {API_TOKEN}x"},
        {"Authorization": f"Basic {API_TOKEN}"},
        {"Authorization": API_TOKEN},
        {"Authorization": "Bearer"},
    ],
)
@pytest.mark.parametrize("path", ["/api/messages", "/api/stats", "/api/openapi.json", "/api/nope"])
def test_missing_or_wrong_bearer_is_401(
    api: TestClient, headers: dict[str, str], path: str
) -> None:
    api.headers.pop("Authorization")
    response = api.get(path, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"error": "missing or invalid bearer token"}


def test_non_ascii_authorization_is_401_not_500(api: TestClient) -> None:
    response = api.get("/api/stats", headers={"Authorization": "Bearer tök€n".encode()})
    assert response.status_code == 401


def test_bearer_scheme_is_case_insensitive(api: TestClient) -> None:
    assert api.get("/api/stats", headers={"Authorization": f"bearer {API_TOKEN}"}).is_success


@pytest.mark.parametrize(
    "path", ["/api/messages", "/api/stats", "/api/openapi.json", "/api/messages/smpp/1"]
)
def test_api_is_404_when_no_token_is_configured(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, path: str
) -> None:
    with TestClient(make_app(database_url, tmp_path, api_token=None)) as client:
        assert client.get(path).status_code == 404
        assert client.get(path, headers={"Authorization": "Bearer "}).status_code == 404
        assert client.post(path, headers=AUTH).status_code == 404


def test_unknown_api_path_is_json_404_and_writes_are_405(api: TestClient) -> None:
    unknown = api.get("/api/messages/smpp")
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "not found"}
    write = api.post("/api/messages")
    assert write.status_code == 405
    assert write.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ["/api", "/api/", "/api//", "/api/nope/"])
def test_the_api_root_answers_in_json_too(
    api: TestClient, db: psycopg.Connection[Any], database_url: str, tmp_path: Path, path: str
) -> None:
    response = api.get(path)
    assert (response.status_code, response.json()) == (404, {"error": "not found"})
    anonymous = api.get(path, headers={"Authorization": ""})
    assert anonymous.status_code == 401
    assert anonymous.json() == {"error": "missing or invalid bearer token"}
    with TestClient(make_app(database_url, tmp_path / "off", api_token=None)) as disabled:
        off = disabled.get(path)
    assert (off.status_code, off.json()) == (404, {"error": "not found"})


def test_unreachable_database_is_503_not_500(tmp_path: Path) -> None:
    unreachable = "postgresql://receiver@127.0.0.1:9/receiver?connect_timeout=1"
    with TestClient(make_app(unreachable, tmp_path), headers=AUTH) as client:
        response = client.get("/api/stats")
    assert response.status_code == 503
    assert response.json() == {"error": "database unavailable; try again later"}


# --- message detail ---------------------------------------------------------------------------


def test_message_detail_is_current_state_plus_events_in_event_time_order(
    api: TestClient, db: psycopg.Connection[Any]
) -> None:
    # Delivered arrives first but happened last: events are ordered by event time.
    smpp(api, "m-1", "DELIVRD", "2406011210")
    smpp(api, "m-1", "ENROUTE", "2406011205")
    smpp(api, "other", "DELIVRD", "2406011210")

    response = api.get("/api/messages/smpp/m-1")
    assert response.status_code == 200
    body = response.json()

    [message] = rows(db, "SELECT * FROM messages WHERE message_id = 'm-1'")
    events = rows(
        db,
        "SELECT * FROM delivery_events WHERE message_id = 'm-1'"
        " ORDER BY coalesce(occurred_at, received_at), id",
    )
    for event in events:
        del event["dedup_key"], event["received_month"]  # internal: not in the API
    assert body == {**as_json(message), "events": [as_json(event) for event in events]}
    assert body["status"] == "delivered"
    assert body["event_count"] == 2
    assert [e["status"] for e in body["events"]] == ["sent", "delivered"]
    assert [e["occurred_at"] for e in body["events"]] == [
        "2024-06-01T12:05:00Z",
        "2024-06-01T12:10:00Z",
    ]
    assert body["events"][0]["id"] > body["events"][1]["id"]


@pytest.mark.parametrize(
    "path", ["/api/messages/smpp/nope", "/api/messages/dynmark/m-1", "/api/messages/smpp/m%001"]
)
def test_unknown_message_is_json_404(api: TestClient, path: str) -> None:
    smpp(api, "m-1", "DELIVRD", "2406011210")
    response = api.get(path)
    assert response.status_code == 404
    assert response.json() == {"error": "message not found"}


def test_message_id_containing_a_slash_is_found(api: TestClient) -> None:
    smartswitch(api, "a/b", "delivered")
    response = api.get("/api/messages/smartswitch/a%2Fb")
    assert response.status_code == 200
    assert response.json()["message_id"] == "a/b"


# --- message list -----------------------------------------------------------------------------


def list_ids(api: TestClient, **params: Any) -> list[str]:
    response = api.get("/api/messages", params=params)
    assert response.status_code == 200, response.text
    return [item["message_key"] for item in response.json()["items"]]


def test_list_filters(api: TestClient, db: psycopg.Connection[Any]) -> None:
    dynmark(api, "order-1", "447700900123", 1)
    dynmark(api, "order-2", "447700900456", 10)
    smartswitch(api, "s-1", "delivered")
    smartswitch(api, "s-2", "enroute")

    newest_first = [
        r["message_key"]
        for r in rows(db, "SELECT message_key FROM messages ORDER BY last_received_at DESC")
    ]
    assert list_ids(api) == newest_first
    assert list_ids(api, client_ref="order-1") == ["ref:order-1:447700900123"]
    # The recipient filter is normalized like stored numbers.
    assert list_ids(api, recipient="+44 7700 900456") == ["ref:order-2:447700900456"]
    assert list_ids(api, status="delivered") == ["id:s-1", "ref:order-1:447700900123"]
    assert list_ids(api, provider="smartswitch", status="sent") == ["id:s-2"]
    assert list_ids(api, provider="nosuch") == []
    assert list_ids(api, client_ref="order-1\x00") == []

    [third] = rows(db, "SELECT last_received_at FROM messages WHERE message_key = 'id:s-1'")
    since = third["last_received_at"]
    assert list_ids(api, since=since.isoformat()) == ["id:s-2", "id:s-1"]
    naive_utc = since.astimezone(UTC).replace(tzinfo=None).isoformat()
    assert list_ids(api, since=naive_utc) == ["id:s-2", "id:s-1"]
    assert list_ids(api, since=(datetime.now(UTC) + timedelta(hours=1)).isoformat()) == []

    [item] = api.get("/api/messages", params={"client_ref": "order-1"}).json()["items"]
    [stored] = rows(db, "SELECT * FROM messages WHERE client_ref = 'order-1'")
    assert item == as_json(stored)
    assert item["last_received_at"].endswith("Z")


def test_pagination_visits_every_message_once_in_order(
    api: TestClient, db: psycopg.Connection[Any]
) -> None:
    for n in range(9):
        smartswitch(api, f"p-{n}", "delivered")
    # Ties on last_received_at must be broken by (provider, message_key), not lost or repeated.
    db.execute(
        "UPDATE messages SET last_received_at = '2024-01-01T00:00:00.5Z'"
        " WHERE message_key IN ('id:p-1', 'id:p-2', 'id:p-3', 'id:p-7')"
    )
    expected = [
        r["message_key"]
        for r in rows(
            db,
            "SELECT message_key FROM messages"
            " ORDER BY last_received_at DESC, provider, message_key",
        )
    ]

    seen: list[str] = []
    pages = 0
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor is not None:
            params["cursor"] = cursor
        body = api.get("/api/messages", params=params).json()
        pages += 1
        assert len(body["items"]) <= 2
        seen.extend(item["message_key"] for item in body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == expected
    assert len(set(seen)) == 9
    assert pages == 5

    # A full last page needs no extra request to find out it was the last.
    whole = api.get("/api/messages", params={"limit": 9}).json()
    assert whole["next_cursor"] is None
    assert len(whole["items"]) == 9


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"limit": "5.0"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"limit": " 5"}, "limit"),
        ({"limit": ""}, "limit"),
        ({"status": "bogus"}, "status"),
        ({"status": "bogus", "client_ref": "\x00"}, "status"),
        ({"status": "DELIVERED"}, "status"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2024-13-01T00:00:00Z"}, "since"),
        ({"since": "9999-12-31T23:59:59-23:59"}, "since"),
        ({"cursor": "!!!"}, "cursor"),
        ({"cursor": "abc"}, "cursor"),
        ({"cursor": "é"}, "cursor"),
        ({"cursor": cursor_of({})}, "cursor"),
        ({"cursor": cursor_of([1, 2, 3])}, "cursor"),
        ({"cursor": cursor_of(["2024-01-01T00:00:00", "smpp", "id:1"])}, "cursor"),
        ({"cursor": cursor_of(["2024-01-01T00:00:00Z", "smpp\x00", "id:1"])}, "cursor"),
        # Deeply nested JSON: a RecursionError in the decoder must still be a 400.
        ({"cursor": base64.urlsafe_b64encode(b"[" * 10_000).decode()}, "cursor"),
        # A lone surrogate (a JSON escape) cannot be sent to Postgres: it was a 500.
        ({"cursor": cursor_of(["2024-01-01T00:00:00Z", "smpp\ud800", "id:1"])}, "cursor"),
        ({"cursor": cursor_of(["2024-01-01T00:00:00Z", "smpp", "id:\udfff"])}, "cursor"),
        # More than 4300 digits: int() refuses them with a ValueError, which was a 500.
        ({"limit": "9" * 5000}, "limit"),
        ({"limit": "\u0665"}, "limit"),  # ARABIC-INDIC DIGIT FIVE
    ],
)
def test_bad_list_parameters_are_400_with_a_reason(
    api: TestClient, params: dict[str, str], reason: str
) -> None:
    response = api.get("/api/messages", params=params)
    assert response.status_code == 400, response.text
    assert reason in response.json()["error"]


def test_limit_with_leading_zeros_is_still_a_number(api: TestClient) -> None:
    smartswitch(api, "z-1", "delivered")
    assert list_ids(api, limit="007") == ["id:z-1"]
    assert list_ids(api, limit="0" * 5000 + "1") == ["id:z-1"]


def test_unknown_parameter_names_are_echoed_briefly(api: TestClient) -> None:
    params = {f"{n}{'x' * 1000}": "1" for n in range(8)}
    response = api.get("/api/messages", params=params)
    assert response.status_code == 400
    reason = response.json()["error"]
    assert reason.startswith("unknown query parameter: 0xxx")
    assert reason.endswith(" and 3 more")
    assert len(reason) < 500


def test_repeated_parameter_is_400(api: TestClient) -> None:
    response = api.get("/api/messages?limit=1&limit=2")
    assert response.status_code == 400
    assert response.json() == {"error": "limit given more than once"}


# --- callbacks --------------------------------------------------------------------------------


def test_callback_by_id_returns_the_raw_request_and_what_was_read(
    api: TestClient, db: psycopg.Connection[Any]
) -> None:
    assert api.post(callback_url("cdyne"), content=CDYNE_RECEIPT, headers=FORM).status_code == 200
    [stored] = rows(db, "SELECT * FROM callbacks")
    [event] = rows(db, "SELECT * FROM delivery_events")
    del event["dedup_key"], event["received_month"]

    response = api.get(f"/api/callbacks/{stored['id']}")
    assert response.status_code == 200
    body = response.json()
    assert base64.b64decode(body.pop("body_base64")) == CDYNE_RECEIPT
    assert body.pop("body_text") == CDYNE_RECEIPT.decode()
    del stored["body"]
    assert body == {**as_json(stored), "events": [as_json(event)], "inbound_messages": []}
    assert body["headers"]["content-type"] == FORM["content-type"]


def test_callback_with_reply_lists_the_inbound_message(
    api: TestClient, db: psycopg.Connection[Any]
) -> None:
    assert api.post(callback_url("cdyne"), content=CDYNE_STOP, headers=FORM).status_code == 200
    [stored] = rows(db, "SELECT id FROM callbacks")
    [reply] = rows(db, "SELECT * FROM inbound_messages")
    del reply["dedup_key"], reply["received_month"]
    body = api.get(f"/api/callbacks/{stored['id']}").json()
    assert body["events"] == []
    assert body["inbound_messages"] == [as_json(reply)]
    assert body["inbound_messages"][0]["is_opt_out"] is True


def test_an_event_naming_no_message_shows_no_message_key_and_no_message(
    api: TestClient, db: psycopg.Connection[Any]
) -> None:
    """Stored with a key of its own (never null), but it names no message: none is listed."""
    receipt = b"stat:DELIVRD err:000"  # an SMPP receipt forwarded without its id
    assert api.post(callback_url("smpp"), content=receipt, headers=TEXT).status_code == 200
    [stored] = rows(db, "SELECT id FROM callbacks")
    [event] = rows(db, "SELECT message_key FROM delivery_events")
    assert event["message_key"].startswith("keyless:")
    body = api.get(f"/api/callbacks/{stored['id']}").json()
    assert [e["message_key"] for e in body["events"]] == [None]
    assert api.get("/api/messages").json() == {"items": [], "next_cursor": None}
    [stats] = api.get("/api/stats").json()["providers"]  # an event all the same
    assert (stats["provider"], stats["counts"]["delivered"]) == ("smpp", 1)


def test_binary_callback_body_is_base64_without_text(
    api: TestClient, db: psycopg.Connection[Any]
) -> None:
    raw = b"id:1 stat:DELIVRD text:\xff\xfe\x00"
    assert api.post(callback_url("smpp"), content=raw, headers=TEXT).status_code == 200
    [stored] = rows(db, "SELECT id FROM callbacks")
    body = api.get(f"/api/callbacks/{stored['id']}").json()
    assert base64.b64decode(body["body_base64"]) == raw
    assert body["body_text"] is None


@pytest.mark.parametrize(
    ("callback_id", "status"),
    [
        ("not-a-uuid", 400),
        ("0190b2a4-0000-7000-8000-00000000000g", 400),
        ("0190b2a4-0000-7000-8000-000000000000", 404),
        ("0190B2A4000070008000000000000000", 404),
        # uuid.UUID() takes all of these; they are not UUIDs as the API documents them.
        ("{0190b2a4-0000-7000-8000-000000000000}", 400),
        ("urn:uuid:0190b2a4-0000-7000-8000-000000000000", 400),
        ("0190b2a4-0000-7000-8000-0000000000-00", 400),
        ("0190b2a4_000_7000_8000_0000000000000", 400),
        ("\u0661" * 32, 400),  # ARABIC-INDIC DIGIT ONE: int(..., 16) reads it as 1
    ],
)
def test_bad_or_unknown_callback_id(api: TestClient, callback_id: str, status: int) -> None:
    response = api.get(f"/api/callbacks/{callback_id}")
    assert response.status_code == status
    assert "error" in response.json()


# --- stats ------------------------------------------------------------------------------------


def test_stats_counts_events_by_status_and_delivery_rate(
    api: TestClient, db: psycopg.Connection[Any]
) -> None:
    for n, state in enumerate(["delivered", "delivered", "undeliverable", "enroute", "unknown"]):
        smartswitch(api, f"s-{n}", state)
    dynmark(api, "d-1", "447700900123", 1)
    dynmark(api, "d-2", "447700900123", 10)
    assert api.post(callback_url("cdyne"), content=CDYNE_RECEIPT, headers=FORM).status_code == 200
    # An old delivered event, outside the default 24-hour window.
    smartswitch(api, "old", "delivered")
    db.execute(
        "UPDATE delivery_events SET received_at = now() - interval '2 days'"
        " WHERE message_id = 'old'"
    )

    body = api.get("/api/stats").json()
    zero = dict.fromkeys(
        ["queued", "sent", "delivered", "undelivered", "expired", "rejected", "unknown"], 0
    )
    assert body["providers"] == [
        {
            "provider": "cdyne",
            "events": 1,
            "counts": {**zero, "sent": 1},
            "final": 0,
            "delivered": 0,
            "delivery_rate": None,
        },
        {
            "provider": "dynmark",
            "events": 2,
            "counts": {**zero, "delivered": 1, "queued": 1},
            "final": 1,
            "delivered": 1,
            "delivery_rate": 1.0,
        },
        {
            "provider": "smartswitch",
            "events": 5,
            "counts": {**zero, "delivered": 2, "undelivered": 1, "sent": 1, "unknown": 1},
            "final": 4,
            "delivered": 2,
            "delivery_rate": 0.5,
        },
    ]
    assert body["total"]["events"] == 8
    assert body["total"]["final"] == 5
    assert body["total"]["delivery_rate"] == pytest.approx(3 / 5)
    since = datetime.fromisoformat(body["since"])
    assert abs(datetime.now(UTC) - timedelta(hours=24) - since) < timedelta(minutes=1)

    older = api.get("/api/stats", params={"since": "2000-01-01T00:00:00Z"}).json()
    [smart] = [p for p in older["providers"] if p["provider"] == "smartswitch"]
    assert smart["events"] == 6
    assert smart["delivery_rate"] == pytest.approx(3 / 5)

    future = api.get("/api/stats", params={"since": "2999-01-01T00:00:00+02:00"}).json()
    assert future["since"] == "2998-12-31T22:00:00Z"
    assert future["providers"] == []
    assert future["total"] == {
        "events": 0,
        "counts": zero,
        "final": 0,
        "delivered": 0,
        "delivery_rate": None,
    }

    bad = api.get("/api/stats", params={"since": "last week"})
    assert bad.status_code == 400


# --- OpenAPI and schemathesis -----------------------------------------------------------------


def _routed(app: Any) -> set[tuple[str, str]]:
    """(path, method) for every route under the /api mount, as the OpenAPI document spells
    paths (no `:path` converter)."""
    [mount] = [r for r in app.routes if isinstance(r, Mount) and r.path == "/api"]
    router = mount.app.app  # BearerAuth wraps the Router
    found = set()
    for route in router.routes:
        path = "/api" + re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        found |= {(path, method.lower()) for method in route.methods - {"HEAD"}}
    return found


def test_openapi_document_lists_exactly_the_routes(api: TestClient) -> None:
    document = api.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    documented = {
        (path, method) for path, operations in document["paths"].items() for method in operations
    }
    assert documented == _routed(api.app)
    assert ("/api/messages/{provider}/{message_id}", "get") in documented
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def seed(database_url: str, tmp_path: Path) -> None:
    """Data for the fuzzed app, posted through a separate app (a pool cannot be reopened)."""
    with TestClient(make_app(database_url, tmp_path / "seed")) as client:
        smpp(client, "m-1", "ENROUTE", "2406011205")
        smpp(client, "m-1", "DELIVRD", "2406011210")
        dynmark(client, "order-1", "447700900123", 4)
        smartswitch(client, "s-1", "undeliverable")
        client.post(callback_url("cdyne"), content=CDYNE_STOP, headers=FORM)


@pytest.fixture
def api_schema(db: psycopg.Connection[Any], database_url: str, tmp_path: Path) -> Any:
    seed(database_url, tmp_path)
    app = make_app(database_url, tmp_path / "fuzz")
    config = SchemathesisConfig.from_dict(
        {"auth": {"openapi": {"bearerAuth": {"bearer": API_TOKEN}}}}
    )
    return schemathesis.openapi.from_asgi("/api/openapi.json", app, headers=AUTH, config=config)


FUZZ_SETTINGS = settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def check_case(case: Any) -> None:
    """No 5xx, and the response matches the documented status, headers and schema."""
    response = case.call()
    assert response.status_code < 500, response.text
    # An arbitrary string is a schema-valid cursor but not a real one: its 400 is correct, as
    # long as the cursor is what it blames.
    excluded = []
    positive = case.meta is not None and case.meta.generation.mode is GenerationMode.POSITIVE
    if positive and "cursor" in (case.query or {}) and response.status_code == 400:
        assert "cursor" in response.json()["error"]
        excluded.append(positive_data_acceptance)
    case.validate_response(response, excluded_checks=excluded)


def fuzz(strategy: Any) -> None:
    @FUZZ_SETTINGS
    @given(case=strategy)
    def run(case: Any) -> None:
        check_case(case)

    run()


def test_api_conforms_to_its_openapi_document(api_schema: Any) -> None:
    """Valid and invalid inputs for every documented operation, 25 examples of each."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    # Schemathesis leaves out the operation that serves the document itself.
    assert {operation.path for operation in operations} == {
        "/api/messages/{provider}/{message_id}",
        "/api/messages",
        "/api/callbacks/{id}",
        "/api/stats",
    }
    for operation in operations:
        for mode in GenerationMode:
            fuzz(operation.as_strategy(generation_mode=mode))


def test_documented_200_responses_match_the_schema(
    api_schema: Any, db: psycopg.Connection[Any]
) -> None:
    """The fuzzer rarely guesses a stored id, so check real records' 200s explicitly."""
    [callback] = rows(db, "SELECT id FROM callbacks WHERE provider = 'cdyne'")
    cases = [
        ("/api/messages/{provider}/{message_id}", {"provider": "smpp", "message_id": "m-1"}, {}),
        ("/api/callbacks/{id}", {"id": str(callback["id"])}, {}),
        ("/api/messages", {}, {"limit": 2}),
        ("/api/stats", {}, {"since": "2000-01-01T00:00:00Z"}),
    ]
    for path, path_parameters, query in cases:
        case = api_schema[path]["GET"].Case(path_parameters=path_parameters, query=query)
        response = case.call(headers=AUTH)
        assert response.status_code == 200, (path, response.text)
        case.validate_response(response, headers=AUTH)


# --- hostile input ----------------------------------------------------------------------------
# Sent to the app as raw ASGI requests, the way uvicorn hands them over: the path percent-decoded
# (bytes that are not UTF-8 become U+FFFD), the query string as the bytes sent. httpx would
# refuse some of them before they left (URLs over 64 KiB, raw non-ASCII bytes).


async def _asgi_get(app: Any, target: bytes, method: str) -> tuple[int, dict[str, str], bytes]:
    raw_path, _, query = target.partition(b"?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(raw_path.decode("ascii")),
        "raw_path": raw_path,
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"testserver"), (b"authorization", AUTH["Authorization"].encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    try:
        await app(scope, receive, send)
    except Exception as exc:  # Starlette re-raises after answering 500
        return 500, {}, repr(exc).encode()
    start = messages[0]
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in start["headers"]}
    return start["status"], headers, b"".join(m.get("body", b"") for m in messages[1:])


def answer_problem(api: TestClient, target: bytes, method: str = "GET") -> str | None:
    """Why the app's answer to `target` is unacceptable (a 5xx, or not JSON with a reason for
    an error), or None when it is fine."""
    assert api.portal is not None
    status, headers, body = api.portal.call(_asgi_get, api.app, target, method)
    if status >= 500:
        return f"{status}: {body[:300]!r}"
    if not 200 <= status < 500:
        return f"unexpected status {status}"
    if headers.get("content-type") != "application/json":
        return f"{status} with content-type {headers.get('content-type')!r}"
    if method == "HEAD":
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return f"{status} with a body that is not JSON: {body[:100]!r}"
    if status >= 400:
        if set(document) != {"error"} or not isinstance(document["error"], str):
            return f"{status} without an error reason: {body[:100]!r}"
        if not document["error"]:
            return f"{status} with an empty reason"
    return None


def encoded(value: str | bytes) -> bytes:
    """Percent-encoded as a client would send it; lone surrogates as their UTF-8 bytes."""
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote(raw, safe="").encode("ascii")


# Each is sent percent-encoded; the ones that are already bytes are not UTF-8 at all.
HOSTILE: list[str | bytes] = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",  # lone surrogates, sent as %ED%A0%80 and %ED%B0%80
    "x\udc80y",
    b"\xff\xfe",
    b"\xc0\x80",  # overlong NUL
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"\x80",
    "9" * 5000,
    "-1",
    "-" + "9" * 30,
    "1e999",
    "NaN",
    "0x10",
    "+5",
    "5_0",
    "\u0665",
    "not-a-uuid",
    "0190b2a4-0000-7000-8000-00000000000g",
    "{0190b2a4-0000-7000-8000-000000000000}",
    "2024-13-01T00:00:00Z",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-23:59",
    "99999-01-01T00:00:00Z",
    "2024-01-01T00:00:00+99:00",
    "x" * 100_000,
    "%",
    "%zz",
    "'; DROP TABLE messages; --",
    "a/b/../c",
    "[]",
    "{}",
    cursor_of(["2024-01-01T00:00:00Z", "smpp\ud800", "id:1"]),
    cursor_of(["2024-01-01T00:00:00Z\ud800", "smpp", "id:1"]),
    cursor_of(["2024-01-01T00:00:00Z", "smpp", "\x00"]),
    cursor_of(["0001-01-01T00:00:00+01:00", "smpp", "id:1"]),
    cursor_of(["2024-01-01T00:00:00Z", "smpp", "x" * 100_000]),
    cursor_of(["9" * 5000, "smpp", "id:1"]),
    base64.urlsafe_b64encode(b"[" + b"9" * 5000 + b"]").decode(),
    base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),
]
# Raw bytes in the query string, not percent-encoded: uvicorn passes them through.
RAW_QUERY_VALUES = [b"\xff", b"\xed\xa0\x80", b"\xc0\x80", b"a\x00b", b"%ED%A0%80%00"]


def hostile_targets(value: bytes) -> list[bytes]:
    """Every place a client can put `value` (already encoded for the URL)."""
    targets = [b"/api/messages?%s=%s" % (name.encode(), value) for name in LIST_PARAMETERS]
    targets += [
        b"/api/messages?%s=%s&%s=%s" % (n.encode(), value, n.encode(), value)
        for n in ("cursor", "limit")
    ]
    targets += [
        b"/api/stats?since=" + value,
        b"/api/stats?since=2024-01-01T00:00:00Z&since=" + value,
        b"/api/messages/" + value + b"/m-1",
        b"/api/messages/smpp/" + value,
        b"/api/messages/smpp/" + value + b"/" + value,
        b"/api/callbacks/" + value,
        b"/api/messages?" + value + b"=1",
        b"/api/openapi.json?" + value + b"=1",
        b"/api/" + value,
    ]
    return targets


def test_hostile_values_in_every_parameter_never_get_a_5xx(api: TestClient) -> None:
    smpp(api, "m-1", "DELIVRD", "2406011210")
    problems: dict[bytes, str] = {}
    targets = [t for value in HOSTILE for t in hostile_targets(encoded(value))]
    targets += [t for value in RAW_QUERY_VALUES for t in hostile_targets(value) if b"?" in t]
    for target in targets:
        problem = answer_problem(api, target)
        if problem is not None:
            problems[target[:120]] = problem
    assert not problems, problems
    assert len(targets) > 500


@pytest.mark.parametrize(
    "target",
    [
        b"/api/messages?cursor=" + encoded(cursor_of(["2024-01-01T00:00:00Z", "\ud800", "x"])),
        b"/api/messages?limit=" + b"9" * 5000,
        b"/api/stats?since=%ED%A0%80",
        b"/api/messages/smpp/%ED%A0%80",
        b"/api/callbacks/%00",
    ],
)
def test_head_requests_with_hostile_values_never_get_a_5xx(api: TestClient, target: bytes) -> None:
    assert answer_problem(api, target, "HEAD") is None


_ANY_CHARACTER = st.one_of(st.characters(), st.characters(categories=["Cs"]))


def _any_text(max_size: int) -> st.SearchStrategy[str]:
    """Text that may hold lone surrogates (st.text drops them, whatever its alphabet)."""
    return st.lists(_ANY_CHARACTER, max_size=max_size).map("".join)


_HOSTILE_TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    _any_text(40),
    st.binary(max_size=40),
)
_JSON_SCALAR = st.one_of(_any_text(20), st.integers(), st.floats(), st.booleans(), st.none())
_CURSOR = st.one_of(
    st.lists(_JSON_SCALAR, max_size=4).map(cursor_of),
    st.tuples(
        st.sampled_from(["2024-01-01T00:00:00Z", "0001-01-01T00:00:00+00:30"]),
        _any_text(10),
        _any_text(10),
    ).map(lambda key: cursor_of(list(key))),
    st.binary(max_size=60).map(lambda raw: base64.urlsafe_b64encode(raw).decode()),
)


@st.composite
def _hostile_request(draw: st.DrawFn) -> bytes:
    """A GET for one endpoint with hostile values. Mostly each parameter at most once, as a
    repeated or unknown one is refused before the others are looked at."""
    template = draw(st.sampled_from(["messages", "message", "callback", "stats", "openapi"]))
    if template == "message":
        provider, message_id = draw(_HOSTILE_TEXT), draw(_HOSTILE_TEXT)
        return b"/api/messages/%s/%s" % (encoded(provider), encoded(message_id))
    if template == "callback":
        return b"/api/callbacks/" + encoded(draw(_HOSTILE_TEXT))
    known = {"messages": LIST_PARAMETERS, "stats": ("since",), "openapi": ()}[template]
    path = {"messages": b"/api/messages", "stats": b"/api/stats", "openapi": b"/api/openapi.json"}
    names = draw(st.lists(st.sampled_from(known), unique=True)) if known else []
    if draw(st.integers(0, 9)) == 0:
        names.append(draw(st.sampled_from([*known, "unknown"])))
    pairs: list[bytes] = []
    for name in names:
        if draw(st.integers(0, 7)) == 0:
            value = draw(st.sampled_from(RAW_QUERY_VALUES))
        else:
            value = encoded(draw(_CURSOR if name == "cursor" else _HOSTILE_TEXT))
        pairs.append(name.encode() + b"=" + value)
    return path[template] + b"?" + b"&".join(pairs)


def test_generated_hostile_requests_never_get_a_5xx(api: TestClient) -> None:
    smpp(api, "m-1", "DELIVRD", "2406011210")

    @settings(max_examples=1000, deadline=None, database=None)
    @given(target=_hostile_request())
    def run(target: bytes) -> None:
        problem = answer_problem(api, target)
        assert problem is None, (target[:200], problem)

    run()
