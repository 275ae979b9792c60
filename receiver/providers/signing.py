"""The toolkit for adapters whose provider signs its callbacks.

Every secret setting takes a list, so a secret can be rotated without downtime: a signature
made with any of them is accepted. Every comparison is constant-time and runs against each
secret, so neither the timing nor the order of the secrets says which one nearly matched.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable

__all__ = ["hmac_digests", "matches_any"]


def matches_any(given: bytes | str, expected: Iterable[bytes | str]) -> bool:
    """True if `given` equals one of `expected`; compares with every one, in constant time."""
    given_bytes = given.encode() if isinstance(given, str) else given
    found = False
    for candidate in expected:
        candidate_bytes = candidate.encode() if isinstance(candidate, str) else candidate
        found |= hmac.compare_digest(given_bytes, candidate_bytes)
    return found


def hmac_digests(
    secrets: Iterable[str], message: bytes, digest: str | Callable[[], object] = hashlib.sha256
) -> list[bytes]:
    """The HMAC of `message` under each secret."""
    return [
        hmac.new(secret.encode(), message, digest).digest()  # type: ignore[arg-type]
        for secret in secrets
    ]
