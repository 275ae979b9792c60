"""The interface every provider adapter implements."""

from __future__ import annotations

from typing import ClassVar

from receiver.payload import Payload
from receiver.records import Normalized

__all__ = ["Adapter"]


class Adapter:
    """Turns one provider's callback into normalized records.

    Subclasses set `slug` and implement `parse`. Provider knowledge (which field holds what,
    how raw statuses map) lives in module-level tables beside each subclass. `parse` must not
    raise for an unmapped status: it maps to `unknown` and keeps the raw value. It raises
    `PayloadError` only when the request is not a callback it can read at all.
    """

    slug: ClassVar[str]
    #: Body of the 200 answer; some gateways (Jasmin) retry unless it is exactly right.
    ack_body: ClassVar[str] = "OK"

    def parse(self, payload: Payload) -> Normalized:
        raise NotImplementedError
