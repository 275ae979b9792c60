"""Field helpers shared by the adapters."""

from __future__ import annotations

import pytest

from receiver.providers.toolkit.fields import parse_iso, recipient


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+44 7700 900123", "447700900123"),
        ("0044 7700 900123", "447700900123"),
        ("(757) 237-3369 12", "757237336912"),
        ("SENDERID", "SENDERID"),
        # Digits to str.isdigit() but not phone digits: kept as given, never "normalized".
        ("\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "¹²³⁴⁵⁶⁷⁸⁹"),
        ("\u0664\u0664\u0667\u0667\u0660\u0660\u0669\u0660\u0660", "٤٤٧٧٠٠٩٠٠"),
    ],
)
def test_recipient(raw: str, expected: str) -> None:
    assert recipient(raw) == expected


def test_parse_iso_never_raises() -> None:
    assert parse_iso("0001-01-01T00:00:00+01:00") is None  # overflows when moved to UTC
    assert parse_iso("not a time") is None
    assert parse_iso("2026-03-02T10:15:01Z") is not None
