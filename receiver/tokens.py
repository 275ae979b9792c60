"""Callback tokens: the secret path segment that authenticates a provider's callback.

Most SMS gateways cannot sign their callbacks, so the URL itself is the credential. Several
tokens may be valid at once so one can be rotated without downtime.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from receiver.providers.signing import matches_any

__all__ = ["TOKEN_FILE", "load_or_create_token", "token_matches"]

TOKEN_FILE = "callback_token"


def token_matches(candidate: str, tokens: Iterable[str]) -> bool:
    """Constant-time check of `candidate` against every configured token (no early exit: the
    time taken does not say which token, or how much of one, matched)."""
    return matches_any(candidate, tokens)


def load_or_create_token(data_dir: Path) -> str:
    """The token kept in the data dir, generated on first use (embedded default only)."""
    path = data_dir / TOKEN_FILE
    if path.exists():
        token = path.read_text().strip()
        if token:
            return token
    data_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    # Written whole under a temporary name, 0600 from its first byte, then renamed into place.
    temporary = path.with_name(f".{TOKEN_FILE}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(token + "\n")
        handle.flush()
        os.fsync(fd)
    os.replace(temporary, path)
    directory = os.open(data_dir, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return token
