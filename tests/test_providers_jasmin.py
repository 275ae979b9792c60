from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from receiver.providers.jasmin import RECEIPT_STATUSES, SUBMIT_STATUSES, JasminAdapter
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, PayloadError
from receiver.status import Status
from tests.contract import Expected, Fixture, ProviderContract

adapter = JasminAdapter()
FORM = "application/x-www-form-urlencoded"

# samples/jasmin_1.txt: level 1, the four args of jasmin/routing/throwers.py
# DLRThrower.http_dlr_callback (field set verbatim from the code, values from the docs'
# examples in misc/doc/sources/apis/http/index.rst).
LEVEL1 = (
    b"id=16fd2706-8baf-433b-82eb-8c7fada847da&level=1&message_status=ESME_ROK&connector=demo_cid"
)
# samples/jasmin_2.txt: level 2, the eleven args (reconstructed from the same code; values
# invented). `connector` carries the raw receipt id at level 2 (jasmin/managers/dlr.py).
LEVEL2 = (
    b"id=16fd2706-8baf-433b-82eb-8c7fada847da&level=2&message_status=DELIVRD&connector=0A1B2C3D"
    b"&id_smsc=A1B2C3D&sub=001&dlvrd=001&subdate=2311021338&donedate=2311021339&err=000"
    b"&text=Hello+world"
)


def _level2(**overrides: str) -> dict[str, str]:
    fields = {
        "id": "16fd2706-8baf-433b-82eb-8c7fada847da",
        "level": "2",
        "message_status": "DELIVRD",
        "connector": "0A1B2C3D",
        "id_smsc": "A1B2C3D",
        "sub": "001",
        "dlvrd": "001",
        "subdate": "2311021338",
        "donedate": "2311021339",
        "err": "000",
        "text": "Hello world",
    }
    fields.update(overrides)
    return fields


def _post(body: bytes) -> DeliveryEvent:
    result = adapter.parse(decode("", FORM, body))
    assert result.inbound == ()
    assert len(result.events) == 1
    return result.events[0]


def _get(query: str) -> DeliveryEvent:
    # Jasmin sends its form content type on GET too (throwers.py), with no body.
    result = adapter.parse(decode(query, FORM, b""))
    assert len(result.events) == 1
    return result.events[0]


# -- level 1 --------------------------------------------------------------------------------


def test_level1_accepted() -> None:
    event = _post(LEVEL1)
    assert event.status is Status.QUEUED
    assert event.provider_status == "ESME_ROK"
    assert event.message_id == "16fd2706-8baf-433b-82eb-8c7fada847da"
    assert event.message_key == "id:16fd2706-8baf-433b-82eb-8c7fada847da"
    assert event.error_code is None
    assert event.occurred_at is None  # level 1 carries no time


@pytest.mark.parametrize(
    "name",
    [
        "ESME_RINVNUMDESTS",  # the docs' example
        "ESME_RINVDSTADR",
        "ESME_RTHROTTLED",  # temporary, but Jasmin drops the DLR map: nothing follows
        "ESME_RSYSERR",
        "ESME_RX_R_APPN",
        "ESME_RSOMETHINGNEWER",  # not in SMPP v3.4 Table 5-2: still an error
    ],
)
def test_level1_error_is_rejected(name: str) -> None:
    event = _post(LEVEL1.replace(b"ESME_ROK", name.encode()))
    assert event.status is Status.REJECTED
    assert event.provider_status == name
    assert event.error_code == name


def test_level1_table_is_smpp_command_statuses() -> None:
    # smpp.pdu constants.py (SMPP v3.4 Table 5-2): 48 names, only ESME_ROK a success
    assert len(SUBMIT_STATUSES) == 48
    assert [n for n, s in SUBMIT_STATUSES.items() if s is not Status.REJECTED] == ["ESME_ROK"]


def test_level_field_does_not_decide() -> None:
    # Older releases echoed the requested level (the docs: "static value indicating the
    # dlr-level originally requested"), so a level-1 report may say level=3.
    assert _post(LEVEL1.replace(b"level=1", b"level=3")).status is Status.QUEUED
    assert _post(LEVEL2.replace(b"level=2", b"level=3")).status is Status.DELIVERED


# -- level 2 --------------------------------------------------------------------------------


def test_level2_delivered() -> None:
    event = _post(LEVEL2)
    assert event.status is Status.DELIVERED
    assert event.provider_status == "DELIVRD"
    assert event.message_id == "16fd2706-8baf-433b-82eb-8c7fada847da"  # not id_smsc
    assert event.error_code == "000"
    assert event.occurred_at == datetime(2023, 11, 2, 13, 39, tzinfo=UTC)
    assert event.occurred_at_raw == "2311021339"


@pytest.mark.parametrize(
    ("stat", "expected"),
    [
        ("DELIVRD", Status.DELIVERED),
        ("EXPIRED", Status.EXPIRED),
        ("DELETED", Status.UNDELIVERED),
        ("UNDELIV", Status.UNDELIVERED),
        ("ACCEPTD", Status.QUEUED),
        ("UNKNOWN", Status.UNKNOWN),
        ("REJECTD", Status.REJECTED),
        ("ENROUTE", Status.SENT),  # not sent by Jasmin today; an SMPP stat all the same
        ("delivrd", Status.DELIVERED),
    ],
)
def test_level2_stats(stat: str, expected: Status) -> None:
    event = _post(urlencode(_level2(message_status=stat, err="012")).encode())
    assert event.status is expected
    assert event.provider_status == stat
    assert event.error_code == "012"


def test_level2_not_defined_fields() -> None:
    # operations.py isDeliveryReceipt: missing receipt fields are 'ND', text ''
    body = urlencode(
        _level2(sub="ND", dlvrd="ND", subdate="ND", donedate="ND", err="ND", text="")
    ).encode()
    event = _post(body)
    assert event.status is Status.DELIVERED
    assert event.error_code is None
    assert event.occurred_at is None
    assert event.occurred_at_raw is None


@pytest.mark.parametrize(
    ("donedate", "expected"),
    [
        ("2311021339", datetime(2023, 11, 2, 13, 39, tzinfo=UTC)),  # YYMMDDhhmm, the docs
        ("231102133905", datetime(2023, 11, 2, 13, 39, 5, tzinfo=UTC)),  # with seconds
        ("20231102133905", datetime(2023, 11, 2, 13, 39, 5, tzinfo=UTC)),
        ("2313021339", None),  # month 13
        ("23110213", None),
        ("231102133", None),
        ("nd", None),
        ("".join(chr(0xFF10 + int(d)) for d in "2311021339"), None),  # full-width digits
    ],
)
def test_donedate(donedate: str, expected: datetime | None) -> None:
    assert _post(urlencode(_level2(donedate=donedate)).encode()).occurred_at == expected


# -- GET and POST ---------------------------------------------------------------------------


def test_get_and_post_read_alike() -> None:
    for body in (LEVEL1, LEVEL2):
        posted, got = _post(body), _get(body.decode())
        assert posted == got


def test_courier_bodies() -> None:
    # nyaruka/courier handlers/jasmin/handler_test.go (verbatim, samples/jasmin_3.txt)
    event = _post(b"id=external1&dlvrd=001&message_status=DELIVRD")
    assert (event.status, event.message_id) == (Status.DELIVERED, "external1")
    assert _post(b"id=external1&dlvrd=001&message_status=ACCEPTD").status is Status.QUEUED


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        # courier's fallback bodies without message_status: Jasmin always sends it
        (b"id=external1&dlvrd=1", "message_status"),
        (b"id=external1&err=1", "message_status"),
        (b"message_status=DELIVRD&level=2", "id"),
        (b"id=&message_status=DELIVRD", "id"),
        (b"hello=world", "id"),
    ],
)
def test_missing_fields_are_payload_errors(body: bytes, missing: str) -> None:
    with pytest.raises(PayloadError, match=missing):
        adapter.parse(decode("", FORM, body))


def test_answer_is_exactly_what_jasmin_acknowledges() -> None:
    # throwers.py: `if content.strip() != 'ACK/Jasmin'` -> retried
    assert JasminAdapter.answer.body == b"ACK/Jasmin"
    assert JasminAdapter.answer.status == 200


def test_receipt_table_is_the_seven_jasmin_stats() -> None:
    # content.py DLRContentForHttpapi refuses any other non-ESME_ status
    assert set(RECEIPT_STATUSES) == {
        "DELIVRD",
        "EXPIRED",
        "DELETED",
        "UNDELIV",
        "ACCEPTD",
        "UNKNOWN",
        "REJECTD",
    }


class TestJasminContract(ProviderContract):
    slug = "jasmin"
    answer_body = b"ACK/Jasmin"
    fixtures = (
        Fixture(
            "level 1 POST",
            "samples/jasmin_1.txt (reconstructed from throwers.py; values from the docs)",
            body=LEVEL1,
            content_type=FORM,
            events=(
                Expected(
                    Status.QUEUED, "ESME_ROK", message_id="16fd2706-8baf-433b-82eb-8c7fada847da"
                ),
            ),
        ),
        Fixture(
            "level 2 POST",
            "samples/jasmin_2.txt (reconstructed from throwers.py and managers/dlr.py)",
            body=LEVEL2,
            content_type=FORM,
            events=(
                Expected(
                    Status.DELIVERED,
                    "DELIVRD",
                    message_id="16fd2706-8baf-433b-82eb-8c7fada847da",
                    error_code="000",
                ),
            ),
        ),
        Fixture(
            "level 2 GET, undelivered",
            "samples/jasmin_2.txt args as a GET query (dlr-method=GET; reconstructed)",
            method="GET",
            query=urlencode(
                _level2(id="7c2c0e2b-0d0e-4c47-9b47-2f1a8f0c1d11", message_status="UNDELIV")
                | {"err": "001"}
            ),
            content_type=FORM,
            events=(
                Expected(
                    Status.UNDELIVERED,
                    "UNDELIV",
                    message_id="7c2c0e2b-0d0e-4c47-9b47-2f1a8f0c1d11",
                    error_code="001",
                ),
            ),
        ),
        Fixture(
            "level 1 rejected",
            "samples/jasmin_1.txt with the docs' other example ESME_RINVNUMDESTS (reconstructed)",
            body=LEVEL1.replace(b"16fd2706", b"26fd2706").replace(
                b"ESME_ROK", b"ESME_RINVNUMDESTS"
            ),
            content_type=FORM,
            events=(
                Expected(Status.REJECTED, "ESME_RINVNUMDESTS", error_code="ESME_RINVNUMDESTS"),
            ),
        ),
        Fixture(
            "courier accepted",
            "nyaruka/courier handlers/jasmin/handler_test.go (verbatim, samples/jasmin_3.txt)",
            body=b"id=external1&dlvrd=001&message_status=ACCEPTD",
            content_type=FORM,
            events=(Expected(Status.QUEUED, "ACCEPTD", message_id="external1"),),
        ),
    )
    # Level 1: ESME_ROK and the docs' error example; level 2: the seven stats
    # DLRContentForHttpapi allows (content.py), mapped per NOTES §8.
    statuses = (
        ("ESME_ROK", Status.QUEUED),
        ("ESME_RINVNUMDESTS", Status.REJECTED),
        ("ESME_RINVDSTADR", Status.REJECTED),
        ("ESME_RTHROTTLED", Status.REJECTED),
        ("DELIVRD", Status.DELIVERED),
        ("EXPIRED", Status.EXPIRED),
        ("DELETED", Status.UNDELIVERED),
        ("UNDELIV", Status.UNDELIVERED),
        ("ACCEPTD", Status.QUEUED),
        ("UNKNOWN", Status.UNKNOWN),
        ("REJECTD", Status.REJECTED),
    )
    wrong_shape = Fixture("no DLR fields", "invented", b"hello=world", FORM)

    def with_status(self, raw_status: str) -> Fixture:
        if raw_status.startswith("ESME_"):
            body = LEVEL1.replace(b"ESME_ROK", raw_status.encode())
        else:
            body = urlencode(_level2(message_status=raw_status)).encode()
        return Fixture(raw_status, "as LEVEL1 / LEVEL2", body, FORM)
