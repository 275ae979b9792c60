from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from receiver.providers.kannel import DLR_TYPES, KannelAdapter
from receiver.providers.toolkit.payload import decode
from receiver.records import DeliveryEvent, PayloadError
from receiver.status import Status
from tests.contract import Expected, Fixture, ProviderContract

adapter = KannelAdapter()

# The SMPP receipt text Kannel passes as %A (samples/kannel_2.txt (b), reconstructed: escape
# semantics from gw/smsc/smsc_smpp.c handle_dlr, values invented).
DELIVRD = (
    "id:0A1B2C3D sub:001 dlvrd:001 submit date:2311031438 done date:2311031439 "
    "stat:DELIVRD err:000 text:Hello"
)


def _receipt(stat: str, err: str = "000") -> str:
    return DELIVRD.replace("stat:DELIVRD", f"stat:{stat}").replace("err:000", f"err:{err}")


def _event(query: str) -> DeliveryEvent:
    """The one event a GET with `query` (Kannel always GETs) becomes."""
    result = adapter.parse(decode(query, None, b""))
    assert result.inbound == ()
    assert len(result.events) == 1
    return result.events[0]


def _query(**params: str) -> str:
    return urlencode(params)


# -- the README template: id, type, answer, foreign_id, to, ts ----------------------------


def test_readme_template_delivered() -> None:
    event = _event(
        _query(
            id="msg-42",
            type="1",
            answer=DELIVRD,
            foreign_id="0A1B2C3D",
            to="+447700900123",
            ts="1699022340",
        )
    )
    assert event.status is Status.DELIVERED
    assert event.provider_status == "1"
    assert event.message_id == "msg-42"  # our own id wins over %F and the receipt id
    assert event.message_key == "id:msg-42"
    assert event.recipient == "447700900123"
    assert event.error_code == "000"
    assert event.error_detail is None  # delivered: nothing to explain
    assert event.occurred_at == datetime(2023, 11, 3, 14, 39, tzinfo=UTC)
    assert event.occurred_at_raw == "1699022340"


def test_without_own_id_the_smsc_id_keys_the_message() -> None:
    event = _event(_query(type="8", answer="ACK/", foreign_id="0A1B2C3D"))
    assert event.status is Status.QUEUED
    assert event.message_id == "0A1B2C3D"
    # ... and without %F, the receipt's id
    event = _event(_query(type="1", answer=DELIVRD))
    assert event.message_id == "0A1B2C3D"


def test_client_ref_and_recipient_key_a_message_without_ids() -> None:
    # samples/kannel_2.txt (c): a submit nack has no SMSC id (%F empty).
    event = _event(_query(ref="OUR-REF-43", type="16", foreign_id="", to="447700900124"))
    assert event.message_id is None
    assert event.client_ref == "OUR-REF-43"
    assert event.message_key == "ref:OUR-REF-43:447700900124"


# -- %d: every bit, and combinations --------------------------------------------------------


@pytest.mark.parametrize(
    ("bits", "expected"),
    [
        # gw/dlr.h single bits
        ("1", Status.DELIVERED),
        ("2", Status.UNDELIVERED),
        ("4", Status.SENT),
        ("8", Status.QUEUED),
        ("16", Status.REJECTED),
        ("32", Status.SENT),
        # combinations: the furthest state wins, a final bit over any non-final one
        ("12", Status.SENT),  # buffered + smsc ack
        ("36", Status.SENT),  # buffered + intermediate
        ("40", Status.SENT),  # smsc ack + intermediate
        ("44", Status.SENT),
        ("5", Status.DELIVERED),  # delivered + buffered
        ("9", Status.DELIVERED),  # delivered + smsc ack
        ("33", Status.DELIVERED),
        ("6", Status.UNDELIVERED),  # failed + buffered
        ("10", Status.UNDELIVERED),  # failed + smsc ack
        ("18", Status.REJECTED),  # failed + smsc reject: the submit failed
        ("24", Status.REJECTED),  # smsc ack + smsc reject
        # delivered and failed at once says nothing certain
        ("3", Status.UNKNOWN),
        ("17", Status.UNKNOWN),
        ("19", Status.UNKNOWN),
        ("63", Status.UNKNOWN),
        # not a DLR type
        ("0", Status.UNKNOWN),
        ("64", Status.UNKNOWN),
        ("65", Status.UNKNOWN),
        ("-1", Status.UNKNOWN),
        ("1.0", Status.UNKNOWN),
        ("9" * 5000, Status.UNKNOWN),  # more digits than int() takes
        ("²", Status.UNKNOWN),  # a Unicode digit, not a number
    ],
)
def test_dlr_types(bits: str, expected: Status) -> None:
    event = _event(_query(id="m", type=bits))
    assert event.status is expected
    assert event.provider_status == bits


@pytest.mark.parametrize("bits", range(1, 64))
def test_every_combination_is_final_exactly_when_it_holds_a_final_bit(bits: int) -> None:
    status = _event(_query(id="m", type=str(bits))).status
    final_bits = bits & (1 | 2 | 16)
    assert status.is_final == bool(final_bits)
    if bits & 1 and bits & (2 | 16):
        assert status is Status.UNKNOWN
    elif final_bits:
        assert status is not Status.UNKNOWN


# -- %A refines a failure -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stat", "expected"),
    [
        ("EXPIRED", Status.EXPIRED),
        ("REJECTD", Status.REJECTED),
        ("UNDELIV", Status.UNDELIVERED),
        ("DELETED", Status.UNDELIVERED),
        ("UNKNOWN", Status.UNKNOWN),
        ("expired", Status.EXPIRED),  # case as some SMSCs send it
        # A stat the table lacks, or one that is not a failure (the TLV Kannel trusted
        # disagreed with the text), leaves Kannel's verdict as it is.
        ("WEIRDST", Status.UNDELIVERED),
        ("DELIVRD", Status.UNDELIVERED),
        ("ENROUTE", Status.UNDELIVERED),
    ],
)
def test_failure_refined_by_receipt_stat(stat: str, expected: Status) -> None:
    event = _event(_query(id="m", type="2", answer=_receipt(stat, "008")))
    assert event.status is expected
    assert event.provider_status == "2"
    assert event.error_code == "008"
    assert event.error_detail == stat


def test_stat_does_not_change_a_non_failure() -> None:
    assert _event(_query(type="1", answer=_receipt("UNDELIV"))).status is Status.DELIVERED
    assert _event(_query(type="4", answer=_receipt("EXPIRED"))).status is Status.SENT


def test_contradictory_bits_settled_by_a_final_stat() -> None:
    assert _event(_query(type="3", answer=_receipt("EXPIRED"))).status is Status.EXPIRED
    assert _event(_query(type="3", answer=_receipt("DELIVRD"))).status is Status.DELIVERED
    assert _event(_query(type="3", answer=_receipt("ENROUTE"))).status is Status.UNKNOWN


def test_submit_nack() -> None:
    # samples/kannel_2.txt (c) %A: "NACK/0x%08lx/<text>" (bb_smscconn.c, smsc_smpp.c)
    event = _event(_query(id="m", type="16", answer="NACK/0x00000045/submit_sm or submit_multi"))
    assert event.status is Status.REJECTED
    assert event.error_code == "0x00000045"
    assert event.error_detail == "submit_sm or submit_multi"
    # A failure typed 2 whose reply is a nack was refused at submission too.
    assert _event(_query(type="2", answer="NACK/0x0000000b/x")).status is Status.REJECTED


@pytest.mark.parametrize(
    ("answer", "code", "detail"),
    [
        ("NACK/", None, None),
        ("NACK", None, None),
        ("NACK/Message expired", None, "Message expired"),  # queue expiry: no command_status
        ("NACK/0xZZ/odd", None, "0xZZ/odd"),
        ("NACK/0x0000000B/", "0x0000000b", None),
    ],
)
def test_nack_variants(answer: str, code: str | None, detail: str | None) -> None:
    event = _event(_query(type="16", answer=answer))
    assert event.status is Status.REJECTED
    assert (event.error_code, event.error_detail) == (code, detail)


def test_smsc_ack_keeps_no_error() -> None:
    event = _event(_query(type="8", answer="ACK/", foreign_id="X1"))
    assert (event.status, event.error_code, event.error_detail) == (Status.QUEUED, None, None)


# -- other parameter names ------------------------------------------------------------------


def test_courier_status_and_id() -> None:
    # nyaruka/courier handlers/kannel/handler_test.go "Status Valid" (verbatim query)
    event = _event("id=12345&status=4")
    assert (event.status, event.provider_status, event.message_id) == (Status.SENT, "4", "12345")
    # courier's current dlr-url: ?uuid=<msg uuid>&status=%d (handlers/kannel/handler.go)
    event = _event("uuid=0199bd7e-6dd0-7e1c-a4a6-f8b7e9e0a8b1&status=1")
    assert event.message_id == "0199bd7e-6dd0-7e1c-a4a6-f8b7e9e0a8b1"
    assert event.status is Status.DELIVERED


def test_status_holding_the_reply() -> None:
    # `status=%A` beside `type=%d`: a non-number in `status` is the SMSC reply
    event = _event(_query(type="2", status=_receipt("EXPIRED"), id="m"))
    assert event.status is Status.EXPIRED
    assert event.provider_status == "2"


def test_userguide_my_id() -> None:
    # Kannel userguide "Delivery Reports": dlr-url=...dlr.php?myId=123456&type=%d (verbatim)
    assert _event("myId=123456&type=1").message_id == "123456"


def test_an_empty_name_does_not_hide_the_next() -> None:
    event = _event("id=&foreign_id=&fid=F-2&type=1&to=&msisdn=447700900123")
    assert (event.message_id, event.recipient) == ("F-2", "447700900123")


def test_fid_alias_and_other_recipient_names() -> None:
    event = _event(_query(type="1", fid="F-1", msisdn="0044 7700 900123"))
    assert event.message_id == "F-1"
    assert event.recipient == "447700900123"


def test_reply_without_type() -> None:
    event = _event(_query(id="m", answer=_receipt("UNDELIV")))
    assert (event.status, event.provider_status) == (Status.UNDELIVERED, "UNDELIV")
    assert _event(_query(id="m", answer="ACK/")).status is Status.QUEUED
    assert _event(_query(id="m", answer="NACK/0x1/x")).provider_status == "NACK"
    # a receipt without stat: unknown, nothing to keep
    event = _event(_query(id="m", answer="id:5 err:001"))
    assert (event.status, event.provider_status) == (Status.UNKNOWN, None)


# -- time -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ts": "1699022340"}, datetime(2023, 11, 3, 14, 39, tzinfo=UTC)),
        ({"timestamp": "1699022340"}, datetime(2023, 11, 3, 14, 39, tzinfo=UTC)),
        # %t, current urltrans.c: "%04d-%02d-%02d+%02d:%02d:%02d" (gw_gmtime, UTC)
        ({"t": "2023-11-03 14:39:05"}, datetime(2023, 11, 3, 14, 39, 5, tzinfo=UTC)),
        # %t as the userguide writes it, "YYYY-MM-DD HH:MM"; a literal `+` kept
        ({"time": "2023-11-03+14:39"}, datetime(2023, 11, 3, 14, 39, tzinfo=UTC)),
        ({"ts": "garbage", "t": "2023-11-03 14:39"}, datetime(2023, 11, 3, 14, 39, tzinfo=UTC)),
        # neither: the receipt's done date (taken as UTC)
        ({"answer": DELIVRD}, datetime(2023, 11, 3, 14, 39, tzinfo=UTC)),
        ({}, None),
        ({"ts": "9" * 400}, None),
    ],
)
def test_time(params: dict[str, str], expected: datetime | None) -> None:
    assert _event(_query(type="1", **params)).occurred_at == expected


# -- not a DLR ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "id=12345",
        "id=12345&answer=Hello+world",  # a reply that is no receipt, and no type
        "id=12345&status=",
        "hello=world",
    ],
)
def test_no_type_nor_reply_is_a_payload_error(query: str) -> None:
    with pytest.raises(PayloadError, match="type"):
        adapter.parse(decode(query, None, b""))


def test_unreadable_reply_is_ignored_beside_a_type() -> None:
    event = _event(_query(id="m", type="2", answer="Hello world"))
    assert (event.status, event.error_code, event.error_detail) == (
        Status.UNDELIVERED,
        None,
        None,
    )


def test_mapping_table_is_the_documented_bits() -> None:
    # gw/dlr.h: DLR_SUCCESS 0x01 ... DLR_INTERMEDIATE 0x20
    assert set(DLR_TYPES) == {"1", "2", "4", "8", "16", "32"}


class TestKannelContract(ProviderContract):
    slug = "kannel"
    fixtures = (
        Fixture(
            "userguide buffered",
            "Kannel userguide (doc/userguide/userguide.xml) 'Delivery Reports' example, "
            "samples/kannel_1.txt (verbatim query)",
            method="GET",
            query="myId=123456&type=4",
            events=(Expected(Status.SENT, "4", message_id="123456"),),
        ),
        Fixture(
            "userguide final success",
            "same example, final report (verbatim query)",
            method="GET",
            query="myId=123456&type=1",
            events=(Expected(Status.DELIVERED, "1", message_id="123456"),),
        ),
        Fixture(
            "courier status",
            "nyaruka/courier handlers/kannel/handler_test.go 'Status Valid' (verbatim query)",
            method="GET",
            query="id=12345&status=4",
            events=(Expected(Status.SENT, "4", message_id="12345"),),
        ),
        Fixture(
            "smsc ack",
            "samples/kannel_2.txt (a) (reconstructed; %A 'ACK/' from bb_smscconn.c)",
            method="GET",
            query=_query(
                id="msg-42", type="8", answer="ACK/", foreign_id="0A1B2C3D", ts="1699022280"
            ),
            events=(Expected(Status.QUEUED, "8", message_id="msg-42"),),
        ),
        Fixture(
            "expired receipt",
            "samples/kannel_2.txt (b) with stat EXPIRED, README parameter names "
            "(reconstructed; Kannel types EXPIRED as 2: smsc_smpp.c handle_dlr)",
            method="GET",
            query=_query(
                id="msg-43",
                type="2",
                answer=_receipt("EXPIRED", "008"),
                foreign_id="0A1B2C3E",
                to="447700900123",
                ts="1699022340",
            ),
            events=(
                Expected(
                    Status.EXPIRED,
                    "2",
                    message_id="msg-43",
                    recipient="447700900123",
                    error_code="008",
                ),
            ),
        ),
        Fixture(
            "submit nack",
            "samples/kannel_2.txt (c) (reconstructed; NACK/0x%08lx/<text> from "
            "bb_smscconn.c and smsc_smpp.c)",
            method="GET",
            query="ref=OUR-REF-43&type=16&smscid=smpp1&fid=&to=447700900124&ts=1699022400"
            "&answer=NACK%2F0x0000000b%2FInvalid+Destination+Address",
            events=(
                Expected(
                    Status.REJECTED,
                    "16",
                    client_ref="OUR-REF-43",
                    recipient="447700900124",
                    error_code="0x0000000b",
                ),
            ),
        ),
    )
    # The six DLR types of gw/dlr.h and the userguide; combinations in test_dlr_types.
    statuses = (
        ("1", Status.DELIVERED),
        ("2", Status.UNDELIVERED),
        ("4", Status.SENT),
        ("8", Status.QUEUED),
        ("16", Status.REJECTED),
        ("32", Status.SENT),
    )
    wrong_shape = Fixture("no DLR fields", "invented", method="GET", query="hello=world")

    def with_status(self, raw_status: str) -> Fixture:
        return Fixture(
            raw_status, "as the userguide example", method="GET", query=f"myId=1&type={raw_status}"
        )
