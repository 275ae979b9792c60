from __future__ import annotations

from datetime import UTC, datetime

import pytest

from receiver.providers.toolkit.smpp_receipt import (
    SMPP_STAT,
    Receipt,
    parse_receipt,
    status_for_message_state,
    status_for_stat,
)
from receiver.status import Status

# help.nexmo.com "How to read a Nexmo SMPP Delivery Receipt" (verbatim)
NEXMO = (
    "id:0000000012345678 sub:001 dlvrd:001 submit date:1601010100 done date:1601010101 "
    "stat:DELIVRD err:000 text:none"
)
# smppcenter.com/kb/how-read-smpp-delivery-receipt (verbatim; 12-digit dates with seconds)
SMPPCENTER = (
    "id:64567564356765435676 sub:001 dlvrd:001 submit date:190608165232 "
    "done date:190608165237 stat:DELIVRD err:000 text:Hello World"
)
# stackoverflow q/8754853 (verbatim; no text field)
NO_TEXT = (
    "id:40072910491427628 sub:001 dlvrd:001 submit date:1007291049 done date:1007291049 "
    "stat:DELIVRD err:000"
)
# e-com-net.com/article/2299106.htm (verbatim; failure with err 075)
UNDELIV = (
    "id:0911897980 sub:001 dlvrd:000 submit date:1201121551 done date:1201121551 "
    "stat:UNDELIV err:075 text:-PROFILE"
)
# esendex.us SMSDeliveryReceiptPostback sample (verbatim; lower-case stat)
ESENDEX = (
    "id:1111111111 sub:001 dlvrd:001 submit date:2306132307 done date:2306132307 "
    "stat:enroute err:000 text:short message"
)
# wiki.cdyne.com SMS_Delivery_Receipt_Postback (verbatim; prefix, newline in "done date",
# multi-word stat)
CDYNE = (
    "sm: msg: id:18579674100201040 sub:001 dlvrd:001 submit date:1209281334 done\n"
    "date:1209281334 stat:DELIVERED TO CARRIER err:003 text:"
)
# reconstructed from Jasmin's getReceipt template in jookies/jasmin
# jasmin/protocols/smpp/operations.py: "id:%s submit date:%s done date:%s stat:%s err:%s"
JASMIN = (
    "id:16fd2706-8baf-433b-82eb-8c7fada847da submit date:2311021338 done date:2311021339 "
    "stat:DELIVRD err:000"
)


def test_nexmo_receipt_keeps_zero_padded_id_and_parses_dates() -> None:
    receipt = parse_receipt(NEXMO)
    assert receipt == Receipt(
        id="0000000012345678",
        sub="001",
        dlvrd="001",
        submit_date_raw="1601010100",
        done_date_raw="1601010101",
        submit_date=datetime(2016, 1, 1, 1, 0, tzinfo=UTC),
        done_date=datetime(2016, 1, 1, 1, 1, tzinfo=UTC),
        stat="DELIVRD",
        err="000",
        text="none",
    )
    assert receipt.status is Status.DELIVERED


def test_twelve_digit_dates_carry_seconds() -> None:
    receipt = parse_receipt(SMPPCENTER)
    assert receipt is not None
    assert receipt.submit_date == datetime(2019, 6, 8, 16, 52, 32, tzinfo=UTC)
    assert receipt.done_date == datetime(2019, 6, 8, 16, 52, 37, tzinfo=UTC)
    assert receipt.text == "Hello World"


def test_fourteen_digit_dates_have_a_four_digit_year() -> None:
    receipt = parse_receipt("id:1 done date:20240229235959 stat:DELIVRD")
    assert receipt is not None
    assert receipt.done_date == datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize("raw", ["123", "1613321299", "abcdefghij"])
def test_unparseable_dates_keep_the_raw_value(raw: str) -> None:
    # 1613321299: month 13 does not exist.
    receipt = parse_receipt(f"id:1 done date:{raw} stat:DELIVRD")
    assert receipt is not None
    assert receipt.done_date is None
    assert receipt.done_date_raw == raw


def test_missing_text_field() -> None:
    receipt = parse_receipt(NO_TEXT)
    assert receipt is not None
    assert receipt.text is None
    assert receipt.err == "000"
    assert receipt.stat == "DELIVRD"


def test_failure_receipt() -> None:
    receipt = parse_receipt(UNDELIV)
    assert receipt is not None
    assert receipt.dlvrd == "000"
    assert receipt.err == "075"
    assert receipt.text == "-PROFILE"
    assert receipt.status is Status.UNDELIVERED


def test_lower_case_stat_is_kept_as_given_but_mapped() -> None:
    receipt = parse_receipt(ESENDEX)
    assert receipt is not None
    assert receipt.stat == "enroute"
    assert receipt.status is Status.SENT
    assert receipt.text == "short message"


def test_cdyne_prefix_newline_and_multi_word_stat() -> None:
    receipt = parse_receipt(CDYNE)
    assert receipt is not None
    assert receipt.id == "18579674100201040"
    assert receipt.done_date_raw == "1209281334"
    assert receipt.done_date == datetime(2012, 9, 28, 13, 34, tzinfo=UTC)
    assert receipt.stat == "DELIVERED TO CARRIER"
    assert receipt.err == "003"
    assert receipt.text is None
    assert receipt.status is Status.SENT


def test_jasmin_shape_without_sub_dlvrd_text() -> None:
    receipt = parse_receipt(JASMIN)
    assert receipt is not None
    assert receipt.id == "16fd2706-8baf-433b-82eb-8c7fada847da"
    assert (receipt.sub, receipt.dlvrd, receipt.text) == (None, None, None)
    assert receipt.done_date == datetime(2023, 11, 2, 13, 39, tzinfo=UTC)


def test_nd_means_not_defined() -> None:
    # Jasmin fills missing receipt fields with "ND" (jasmin/managers/dlr.py).
    receipt = parse_receipt(
        "id:abc sub:ND dlvrd:ND submit date:ND done date:ND stat:UNDELIV err:ND"
    )
    assert receipt is not None
    assert receipt.sub is None
    assert receipt.dlvrd is None
    assert receipt.submit_date_raw is None
    assert receipt.done_date is None
    assert receipt.err is None
    assert receipt.stat == "UNDELIV"


def test_keys_are_case_insensitive_and_capital_text_works() -> None:
    receipt = parse_receipt(
        "ID:77 SUB:001 DLVRD:001 Submit Date:2401020304 Done Date:2401020305 Stat:Rejectd "
        "Err:011 Text:Hi"
    )
    assert receipt is not None
    assert receipt.id == "77"
    assert receipt.done_date == datetime(2024, 1, 2, 3, 5, tzinfo=UTC)
    assert receipt.status is Status.REJECTED
    assert receipt.err == "011"
    assert receipt.text == "Hi"


def test_text_runs_to_the_end_even_with_key_lookalikes() -> None:
    receipt = parse_receipt("id:9 stat:DELIVRD err:000 text:your id: 42 stat: ok\nbye")
    assert receipt is not None
    assert receipt.text == "your id: 42 stat: ok\nbye"
    assert receipt.stat == "DELIVRD"
    assert receipt.id == "9"


def test_message_id_prefix_is_not_the_id_key() -> None:
    receipt = parse_receipt("receipted_message_id:555 id:9 stat:DELIVRD")
    assert receipt is not None
    assert receipt.id == "9"


def test_text_without_any_key_is_not_a_receipt() -> None:
    assert parse_receipt("Hello, this is just a message") is None
    assert parse_receipt("") is None


# Comma-separated UK operator format from the Kannel devel list
# (mail-archive.com/devel@kannel.org/msg02229.html, verbatim): not Appendix B.
def test_csv_operator_format_is_not_a_receipt() -> None:
    assert parse_receipt("00,0210021543,0210021500,,447887123456,10110200000000,x") is None


@pytest.mark.parametrize(
    ("stat", "expected"),
    [
        ("DELIVRD", Status.DELIVERED),
        ("delivered", Status.DELIVERED),
        ("ENROUTE", Status.SENT),
        ("ACCEPTD", Status.QUEUED),
        ("EXPIRED", Status.EXPIRED),
        ("DELETED", Status.UNDELIVERED),
        ("UNDELIV", Status.UNDELIVERED),
        ("UNKNOWN", Status.UNKNOWN),
        ("REJECTD", Status.REJECTED),
        ("SKIPPED", Status.UNDELIVERED),
        ("SCHEDULED", Status.QUEUED),
        ("BUFFRED", Status.SENT),
        ("acked", Status.SENT),
        ("Delivered  to\ncarrier", Status.SENT),
        ("NACK", Status.REJECTED),
        ("FAILED", Status.UNDELIVERED),
        ("WHATEVER", Status.UNKNOWN),
        (None, Status.UNKNOWN),
        ("", Status.UNKNOWN),
    ],
)
def test_status_for_stat(stat: str | None, expected: Status) -> None:
    assert status_for_stat(stat) is expected


def test_table_keys_are_upper_case() -> None:
    # status_for_stat upper-cases its input, so a lower-case key would never match.
    assert all(key == key.upper() for key in SMPP_STAT)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("0", Status.QUEUED),
        ("1", Status.SENT),
        ("2", Status.DELIVERED),
        ("3", Status.EXPIRED),
        ("4", Status.UNDELIVERED),
        ("5", Status.UNDELIVERED),
        ("6", Status.QUEUED),
        ("7", Status.UNKNOWN),
        ("8", Status.REJECTED),
        ("9", Status.UNDELIVERED),
        ("42", Status.UNKNOWN),
        ("DELIVERED", Status.DELIVERED),
    ],
)
def test_status_for_message_state(state: str, expected: Status) -> None:
    assert status_for_message_state(state) is expected


def _variants() -> list[str]:
    """Receipts of the typical layout and near misses: ND values, colons and dashes inside
    values, multi-word and lower-case stats, odd dates, empty and tricky text."""
    import itertools
    import random

    rng = random.Random(7)
    ids = ["0000000012345678", "ND", "ab-cd", "x:y", "16fd2706-8baf-433b", "msg-stat"]
    stats = ["DELIVRD", "ND", "enroute", "DELIVERED TO CARRIER", "UNDELIV"]
    dates = ["1601010100", "190608165232", "20231102133900", "123", "ND"]
    texts = [None, "", "none", "Hello World", " stat:FAILED err:1 ", "ND", "a\nb "]
    found = [NEXMO, SMPPCENTER, NO_TEXT, UNDELIV, ESENDEX, CDYNE, JASMIN]
    for ident, stat, date, text in itertools.product(ids, stats, dates, texts):
        receipt = (
            f"id:{ident} sub:{rng.choice(['001', 'ND'])} dlvrd:{rng.choice(['001', '0:1'])}"
            f" submit date:{date} done date:{rng.choice(dates)} stat:{stat}"
            f" err:{rng.choice(['000', 'ND', '0-7'])}"
        )
        found.append(receipt if text is None else f"{receipt} text:{text}")
    return found


@pytest.mark.parametrize("text", _variants())
def test_the_typical_layout_parses_as_the_tolerant_parser_does(text: str) -> None:
    from receiver.providers.toolkit import smpp_receipt

    assert parse_receipt(text) == smpp_receipt._parse_tolerant(text)
