"""Jasmin SMS gateway HTTP API delivery receipts (DLRThrower).

Jasmin calls the `dlr-url` given to `/send` with the `dlr-method` asked for: GET puts the
arguments in the query string, POST in a form body (jasmin/routing/throwers.py
`DLRThrower.http_dlr_callback`). Two kinds arrive, told apart by `message_status`:

* level 1 (SMS-C level, dlr-level 1 or 3), after the submit_sm_resp: `id`, `level`,
  `message_status` (the submit_sm_resp command_status name, `ESME_ROK` or an error) and
  `connector`;
* level 2 (terminal level, dlr-level 2 or 3; `level` says 2 even when 3 was asked for), on the
  SMSC's receipt: the same plus `id_smsc`, `sub`, `dlvrd`, `subdate`, `donedate`, `err` and
  `text`, with `message_status` the receipt's stat (DELIVRD, EXPIRED, ...). Jasmin fills fields
  the receipt lacks with the literal `ND` (jasmin/protocols/smpp/operations.py).

Both name the message by `id`, the UUID Jasmin's `/send` answered with (`Success "<id>"`).
Dates are the receipt's `YYMMDDhhmm` (or with seconds) in the SMSC's time zone, which no field
states: taken as UTC. Jasmin retries any answer whose body is not exactly `ACK/Jasmin`
(misc/doc/sources/apis/http/index.rst "Receiving DLR"), so that is the answer, also for a
request that cannot be read (it is stored with its parse error; a retry would not read better).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import ClassVar

from receiver.providers.base import Adapter, Answer
from receiver.providers.toolkit.payload import Payload
from receiver.providers.toolkit.smpp_receipt import SMPP_STAT, status_for_stat
from receiver.records import DeliveryEvent, Normalized, PayloadError
from receiver.status import Status

__all__ = ["JasminAdapter"]

# Level 1 message_status: the submit_sm_resp command_status name (jasmin/managers/dlr.py
# submit_sm_resp_dlr_callback; names from SMPP v3.4 Table 5-2 as smpp.pdu's constants.py
# spells them). ESME_ROK: the SMSC took the message. Any error ends Jasmin's tracking of it (the
# dlr map is deleted, so no level-2 receipt follows): rejected, temporary errors included.
# An ESME_* name missing here is rejected too (parse).
SUBMIT_STATUSES: Mapping[str, Status] = {
    "ESME_ROK": Status.QUEUED,
    **{
        name: Status.REJECTED
        for name in (
            "ESME_RINVMSGLEN",
            "ESME_RINVCMDLEN",
            "ESME_RINVCMDID",
            "ESME_RINVBNDSTS",
            "ESME_RALYBND",
            "ESME_RINVPRTFLG",
            "ESME_RINVREGDLVFLG",
            "ESME_RSYSERR",
            "ESME_RINVSRCADR",
            "ESME_RINVDSTADR",
            "ESME_RINVMSGID",
            "ESME_RBINDFAIL",
            "ESME_RINVPASWD",
            "ESME_RINVSYSID",
            "ESME_RCANCELFAIL",
            "ESME_RREPLACEFAIL",
            "ESME_RMSGQFUL",
            "ESME_RINVSERTYP",
            "ESME_RINVNUMDESTS",
            "ESME_RINVDLNAME",
            "ESME_RINVDESTFLAG",
            "ESME_RINVSUBREP",
            "ESME_RINVESMCLASS",
            "ESME_RCNTSUBDL",
            "ESME_RSUBMITFAIL",
            "ESME_RINVSRCTON",
            "ESME_RINVSRCNPI",
            "ESME_RINVDSTTON",
            "ESME_RINVDSTNPI",
            "ESME_RINVSYSTYP",
            "ESME_RINVREPFLAG",
            "ESME_RINVNUMMSGS",
            "ESME_RTHROTTLED",
            "ESME_RINVSCHED",
            "ESME_RINVEXPIRY",
            "ESME_RINVDFTMSGID",
            "ESME_RX_T_APPN",
            "ESME_RX_P_APPN",
            "ESME_RX_R_APPN",
            "ESME_RQUERYFAIL",
            "ESME_RINVOPTPARSTREAM",
            "ESME_ROPTPARNOTALLWD",
            "ESME_RINVPARLEN",
            "ESME_RMISSINGOPTPARAM",
            "ESME_RINVOPTPARAMVAL",
            "ESME_RDELIVERYFAILURE",
            "ESME_RUNKNOWNERR",
        )
    },
}

# Level 2 message_status: the receipt stat, one of the seven jasmin/managers/content.py
# DLRContentForHttpapi allows (SMPP v3.4 Appendix B), mapped as the shared SMPP table does
# (NOTES §3.2 and §8: ACCEPTD is accepted-by-next-hop, not final).
RECEIPT_STATUSES: Mapping[str, Status] = {
    stat: SMPP_STAT[stat]
    for stat in ("DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD")
}

# Jasmin's placeholder for a receipt field the SMSC left out.
_NOT_DEFINED = "ND"


class JasminAdapter(Adapter):
    slug: ClassVar[str] = "jasmin"
    answer: ClassVar[Answer] = Answer(b"ACK/Jasmin")
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {
        "message_status (level 1; any other ESME_* is rejected)": SUBMIT_STATUSES,
        "message_status (level 2)": RECEIPT_STATUSES,
    }
    keyed_by: ClassVar[str] = "id (the message id /send answered with)"

    def parse(self, payload: Payload) -> Normalized:
        message_id = payload.get("id")
        if message_id is None:
            raise PayloadError("Jasmin DLR without id")
        message_status = payload.get("message_status")
        if message_status is None:
            raise PayloadError("Jasmin DLR without message_status")

        # The status itself says the level: `level` echoed the requested level in older
        # releases (the docs still say so), so it cannot tell 1 from 3.
        if message_status.upper().startswith("ESME_"):
            return Normalized(events=(_submit_event(message_id, message_status),))
        return Normalized(events=(_receipt_event(payload, message_id, message_status),))


def _submit_event(message_id: str, message_status: str) -> DeliveryEvent:
    status = SUBMIT_STATUSES.get(message_status.upper(), Status.REJECTED)
    return DeliveryEvent(
        status=status,
        provider_status=message_status,
        message_id=message_id,
        error_code=None if status is Status.QUEUED else message_status,
    )


def _receipt_event(payload: Payload, message_id: str, message_status: str) -> DeliveryEvent:
    status = RECEIPT_STATUSES.get(message_status.upper())
    if status is None:
        # Not one Jasmin sends today; an SMPP stat still reads as one (ENROUTE ...).
        status = status_for_stat(message_status)
    done_raw = _defined(payload.get("donedate"))
    return DeliveryEvent(
        status=status,
        provider_status=message_status,
        message_id=message_id,
        error_code=_defined(payload.get("err")),
        occurred_at=_receipt_date(done_raw),
        occurred_at_raw=done_raw,
    )


def _defined(value: str | None) -> str | None:
    return None if value is None or value.upper() == _NOT_DEFINED else value


def _receipt_date(raw: str | None) -> datetime | None:
    """YYMMDDhhmm, YYMMDDhhmmss or YYYYMMDDhhmmss, as UTC; None for anything else."""
    if raw is None or not (raw.isascii() and raw.isdigit()):
        return None
    formats = {10: "%y%m%d%H%M", 12: "%y%m%d%H%M%S", 14: "%Y%m%d%H%M%S"}
    fmt = formats.get(len(raw))
    if fmt is None:
        return None
    try:
        return datetime.strptime(raw, fmt).replace(tzinfo=UTC)
    except ValueError:
        return None
