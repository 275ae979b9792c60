"""Vonage (skeleton: to be filled in)."""

from __future__ import annotations

from typing import ClassVar

from receiver.payload import Payload
from receiver.providers.base import Adapter
from receiver.records import Normalized, PayloadError

__all__ = ["VonageAdapter"]


class VonageAdapter(Adapter):
    slug: ClassVar[str] = "vonage"

    def __init__(self, secrets: tuple[str, ...] = (), method: str = "md5hash") -> None:
        self.secrets = secrets
        self.method = method

    def parse(self, payload: Payload) -> Normalized:
        raise PayloadError("not implemented")
