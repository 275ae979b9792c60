"""Telnyx (skeleton: to be filled in)."""

from __future__ import annotations

from typing import ClassVar

from receiver.payload import Payload
from receiver.providers.base import Adapter
from receiver.records import Normalized, PayloadError

__all__ = ["TelnyxAdapter"]


class TelnyxAdapter(Adapter):
    slug: ClassVar[str] = "telnyx"

    def __init__(self, public_keys: tuple[bytes, ...] = ()) -> None:
        self.public_keys = public_keys

    def parse(self, payload: Payload) -> Normalized:
        raise PayloadError("not implemented")
