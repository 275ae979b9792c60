"""Callback tokens: the secret path segment that authenticates a provider's callback.

Most SMS gateways cannot sign their callbacks, so the URL itself is the credential. Several
tokens may be valid at once so one can be rotated without downtime.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from pathlib import Path

__all__ = ["TOKEN_FILE", "load_or_create_token", "token_matches"]

TOKEN_FILE = "callback_token"


def token_matches(candidate: str, tokens: Iterable[str]) -> bool:
    """Constant-time check of `candidate` against every configured token."""
    given = candidate.encode()
    matched = False
    for token in tokens:
        # No early exit: time does not reveal which token (or how much of one) matched.
        matched |= hmac.compare_digest(given, token.encode())
    return matched


def load_or_create_token(data_dir: Path) -> str:
    """The token kept in the data dir, generated on first use (embedded default only)."""
    path = data_dir / TOKEN_FILE
    if path.exists():
        token = path.read_text().strip()
        if token:
            return token
    data_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    path.write_text(token + "\n")
    path.chmod(0o600)
    return token
