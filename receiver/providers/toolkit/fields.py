"""Field-level normalization shared by the adapters: phone numbers, timestamps, opt-out keywords."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "first",
    "json_text",
    "opt_out_keyword",
    "parse_epoch",
    "parse_iso",
    "parse_time",
    "recipient",
]

_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")

# CTIA and carrier-standard opt-out keywords (the ones US carriers and Twilio honour by default).
OPT_OUT_KEYWORDS = frozenset(
    {
        "STOP",
        "STOPALL",
        "STOP ALL",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "OPTOUT",
        "OPT OUT",
        "REVOKE",
    }
)


def recipient(raw: str | None) -> str | None:
    """E.164 digits without `+` where the value looks like a phone number, else as given.

    `+44 7700 900123`, `0044...` and `447700900123` all become `447700900123`; alphanumeric
    sender ids and short codes are kept as they are.
    """
    if raw is None:
        return None
    value = raw.strip()
    if not value:
        return None
    compact = _PHONE_PUNCTUATION.sub("", value)
    if compact.startswith("+"):
        compact = compact[1:]
    elif compact.startswith("00"):
        compact = compact[2:]
    if compact.isascii() and compact.isdigit() and 8 <= len(compact) <= 15:
        return compact
    return value


def parse_time(raw: str | None, *formats: str) -> datetime | None:
    """Parse `raw` with the first matching strptime format; naive times are taken as UTC."""
    if not raw:
        return None
    value = raw.strip()
    for fmt in formats:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    return None


def parse_iso(raw: str | None) -> datetime | None:
    """An ISO-8601 / RFC 3339 time as UTC; one without an offset is taken as UTC."""
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw.strip())
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # year 1 with an offset overflows when moved to UTC
        return None


def json_text(value: Any) -> str | None:
    """A JSON scalar (string or number, not a boolean) as stripped text; anything else None.

    JSON bodies put ids where a string is expected as numbers too, and anything at all where a
    provider's shape was not followed."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    return text or None


def parse_epoch(raw: str | None) -> datetime | None:
    """Unix seconds (or milliseconds, when the number is that large) as UTC."""
    if not raw:
        return None
    try:
        seconds = float(raw.strip())
    except ValueError:
        return None
    if seconds > 1e11:
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def opt_out_keyword(text: str | None) -> str | None:
    """The opt-out keyword a reply consists of, if it is one (case and padding ignored)."""
    if not text:
        return None
    words = text.strip().upper().rstrip(".!").split()
    candidate = " ".join(words)
    if candidate in OPT_OUT_KEYWORDS:
        return candidate
    return None


def first(values: Iterable[str | None]) -> str | None:
    """The first non-empty value."""
    for value in values:
        if value:
            return value
    return None
