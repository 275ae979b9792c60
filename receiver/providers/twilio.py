"""Twilio (skeleton: to be filled in)."""

from __future__ import annotations

from typing import ClassVar

from receiver.payload import Payload
from receiver.providers.base import Adapter
from receiver.records import Normalized, PayloadError

__all__ = ["TwilioAdapter"]


class TwilioAdapter(Adapter):
    slug: ClassVar[str] = "twilio"

    def __init__(self, auth_tokens: tuple[str, ...] = ()) -> None:
        self.auth_tokens = auth_tokens

    def parse(self, payload: Payload) -> Normalized:
        raise PayloadError("not implemented")
