"""Messagebird (skeleton: to be filled in)."""

from __future__ import annotations

from typing import ClassVar

from receiver.payload import Payload
from receiver.providers.base import Adapter
from receiver.records import Normalized, PayloadError

__all__ = ["MessagebirdAdapter"]


class MessagebirdAdapter(Adapter):
    slug: ClassVar[str] = "messagebird"

    def __init__(self, signing_keys: tuple[str, ...] = ()) -> None:
        self.signing_keys = signing_keys

    def parse(self, payload: Payload) -> Normalized:
        raise PayloadError("not implemented")
