"""Tolerant parsing of SMPP v3.4 delivery-receipt text (Appendix B).

The Appendix B layout is only "vendor specific but typical": keys change case, fields go
missing, dates gain seconds, `stat` grows spaces and gateways prepend junk or wrap lines. So
the text is split on the known keys instead of being matched against one strict pattern.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from receiver.status import Status

__all__ = [
    "MESSAGE_STATE_NAMES",
    "SMPP_STAT",
    "Receipt",
    "parse_receipt",
    "status_for_message_state",
    "status_for_stat",
]

# `stat` text -> normalized status. SMPP v3.4 §5.2.28 message_state and Appendix B, as tabled in
# NOTES §3.2; vendor values from Kannel's handle_dlr (ACKED/BUFFRED/BUFFERD), CDYNE receipts
# ("DELIVERED TO CARRIER") and messente/Ozeki docs (NACK, FAILED).
SMPP_STAT: Mapping[str, Status] = {
    "DELIVRD": Status.DELIVERED,
    "DELIVERED": Status.DELIVERED,
    "ENROUTE": Status.SENT,
    # Per spec ACCEPTD is final ("manually accepted"), but gateways use it for
    # accepted-by-next-hop, so it stays non-final.
    "ACCEPTD": Status.QUEUED,
    "ACCEPTED": Status.QUEUED,
    "SCHEDULED": Status.QUEUED,
    "EXPIRED": Status.EXPIRED,
    "DELETED": Status.UNDELIVERED,
    "UNDELIV": Status.UNDELIVERED,
    "UNDELIVERABLE": Status.UNDELIVERED,
    "SKIPPED": Status.UNDELIVERED,
    "FAILED": Status.UNDELIVERED,
    "UNKNOWN": Status.UNKNOWN,
    "REJECTD": Status.REJECTED,
    "REJECTED": Status.REJECTED,
    "NACK": Status.REJECTED,
    "ACKED": Status.SENT,
    "BUFFRED": Status.SENT,
    "BUFFERD": Status.SENT,
    "BUFFERED": Status.SENT,
    "DELIVERED TO CARRIER": Status.SENT,
}

# message_state TLV (0x0427) values, SMPP v3.4 §5.2.28 (0 and 9 from v5.0).
MESSAGE_STATE_NAMES: Mapping[str, str] = {
    "0": "SCHEDULED",
    "1": "ENROUTE",
    "2": "DELIVERED",
    "3": "EXPIRED",
    "4": "DELETED",
    "5": "UNDELIVERABLE",
    "6": "ACCEPTED",
    "7": "UNKNOWN",
    "8": "REJECTED",
    "9": "SKIPPED",
}

# `\s+` between words also covers a line break inside "done\ndate"; the look-behind keeps
# `message_id:` or `xid:` from reading as `id:`.
_KEY = re.compile(
    r"(?<![\w])(submit[\s_]*date|done[\s_]*date|dlvrd|sub|id|stat|err|text)\s*:",
    re.IGNORECASE,
)
# Jasmin fills fields the SMSC left out with the literal "ND" (not defined).
_NOT_DEFINED = "ND"
_KEY_NAMES = {"submit date": "submit date", "done date": "done date"}


@dataclass(frozen=True, slots=True)
class Receipt:
    """The fields of one receipt; None where missing or "ND". Dates are naive, taken as UTC."""

    id: str | None = None
    sub: str | None = None
    dlvrd: str | None = None
    submit_date_raw: str | None = None
    done_date_raw: str | None = None
    submit_date: datetime | None = None
    done_date: datetime | None = None
    stat: str | None = None
    err: str | None = None
    text: str | None = None

    @property
    def status(self) -> Status:
        return status_for_stat(self.stat)


# The layout exactly as Appendix B writes it, which most receipts follow: one match instead of
# the key-by-key split. A value here holds no colon, so it cannot hide a key; anything else
# (other case, spacing, prefixes, fields missing) takes the tolerant path, which must agree
# with this one wherever both apply (tests/test_smpp_receipt.py compares them).
_TYPICAL = re.compile(
    r"id:([^\s:]+) sub:([^\s:]+) dlvrd:([^\s:]+) submit date:(\d+) done date:(\d+)"
    r" stat:([^\s:]+) err:([^\s:]+)(?: text:(.*))?",
    re.DOTALL,
)


def parse_receipt(text: str) -> Receipt | None:
    """Parse receipt text; None when it carries none of the receipt keys."""
    typical = _TYPICAL.fullmatch(text)
    if typical is None:
        return _parse_tolerant(text)
    ident, sub, dlvrd, submit_raw, done_raw, stat, err, free_text = typical.groups()
    return Receipt(
        id=_defined(ident),
        sub=_defined(sub),
        dlvrd=_defined(dlvrd),
        submit_date_raw=submit_raw,
        done_date_raw=done_raw,
        submit_date=_date(submit_raw),
        done_date=_date(done_raw),
        stat=_defined(stat),
        err=_defined(err),
        text=None if free_text is None else _clean(free_text, collapse=False),
    )


def _defined(value: str) -> str | None:
    return None if value.upper() == _NOT_DEFINED else value


def _parse_tolerant(text: str) -> Receipt | None:
    matches = list(_KEY.finditer(text))
    if not matches:
        return None
    values: dict[str, str | None] = {}
    for index, match in enumerate(matches):
        key = _KEY_NAMES.get(match.group(1).lower()) or " ".join(
            match.group(1).lower().replace("_", " ").split()
        )
        if key == "text":
            # Free text runs to the end and may itself contain "key:" lookalikes.
            values.setdefault(key, _clean(text[match.end() :], collapse=False))
            break
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        values.setdefault(key, _clean(text[match.end() : end], collapse=True))

    submit_raw = _digits(values.get("submit date"))
    done_raw = _digits(values.get("done date"))
    return Receipt(
        id=values.get("id"),
        sub=values.get("sub"),
        dlvrd=values.get("dlvrd"),
        submit_date_raw=submit_raw,
        done_date_raw=done_raw,
        submit_date=_date(submit_raw),
        done_date=_date(done_raw),
        stat=values.get("stat"),
        err=values.get("err"),
        text=values.get("text"),
    )


def status_for_stat(stat: str | None) -> Status:
    """Normalized status of a `stat` value (any case or spacing); unmapped -> unknown."""
    if not stat:
        return Status.UNKNOWN
    return SMPP_STAT.get(" ".join(stat.upper().split()), Status.UNKNOWN)


def status_for_message_state(value: str | None) -> Status:
    """Normalized status of a message_state TLV, numeric or by name; unmapped -> unknown."""
    if not value:
        return Status.UNKNOWN
    value = value.strip()
    return status_for_stat(MESSAGE_STATE_NAMES.get(value, value))


def _clean(value: str, *, collapse: bool) -> str | None:
    value = " ".join(value.split()) if collapse else value.strip()
    if not value or value.upper() == _NOT_DEFINED:
        return None
    return value


def _digits(value: str | None) -> str | None:
    return "".join(value.split()) if value else None


def _date(raw: str | None) -> datetime | None:
    """YYMMDDhhmm, YYMMDDhhmmss or YYYYMMDDhhmmss (sliced by hand: strptime is slow)."""
    if not raw or not (raw.isascii() and raw.isdigit()) or len(raw) not in (10, 12, 14):
        return None
    if len(raw) == 14:
        year, rest = int(raw[:4]), raw[4:]
    else:
        year, rest = 2000 + int(raw[:2]), raw[2:]
    second = int(rest[8:10]) if len(rest) >= 10 else 0
    try:
        return datetime(
            year,
            int(rest[0:2]),
            int(rest[2:4]),
            int(rest[4:6]),
            int(rest[6:8]),
            second,
            tzinfo=UTC,
        )
    except ValueError:
        return None
