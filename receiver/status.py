"""The one status vocabulary every provider is normalized to, and how statuses rank.

The rank decides the `messages` projection: a status only replaces the current one when its
rank is higher, or equal and its event is not older. Final statuses outrank non-final ones, so a
late "sent" never undoes "delivered"; `unknown` is final but the weakest final.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Status"]


class Status(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    EXPIRED = "expired"
    REJECTED = "rejected"
    UNKNOWN = "unknown"

    @property
    def is_final(self) -> bool:
        return self not in (Status.QUEUED, Status.SENT)

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {
    Status.QUEUED: 1,
    Status.SENT: 2,
    Status.UNKNOWN: 3,
    Status.DELIVERED: 4,
    Status.UNDELIVERED: 4,
    Status.EXPIRED: 4,
    Status.REJECTED: 4,
}
