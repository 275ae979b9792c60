"""Dotdigital (skeleton: to be filled in)."""

from __future__ import annotations

from typing import ClassVar

from receiver.payload import Payload
from receiver.providers.base import Adapter
from receiver.records import Normalized, PayloadError

__all__ = ["DotdigitalAdapter"]


class DotdigitalAdapter(Adapter):
    slug: ClassVar[str] = "dotdigital"

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self.secrets = secrets

    def parse(self, payload: Payload) -> Normalized:
        raise PayloadError("not implemented")
