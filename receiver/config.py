"""Configuration from environment variables, validated once at start.

Every bad value is reported together, each with the variable's name and what it should be, so
an operator fixes a deployment in one pass instead of one restart per typo.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ConfigError", "Settings"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)


class ConfigError(ValueError):
    """One or more environment variables are invalid; the message lists each."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str | None = None
    data_dir: Path = Path(".receiver")
    callback_tokens: tuple[str, ...] = ()
    allow_no_token: bool = False
    max_body: int = 64 * 1024
    public_url: str | None = None
    batch_max: int = 128
    batch_wait_ms: float = 0.0
    writers: int = 2
    pool_size: int = 8
    commit_timeout: float = 2.0
    spool_dir: Path | None = None
    drain_interval: float = 1.0
    shutdown_timeout: float = 10.0
    api_token: str | None = field(default=None, repr=False)

    @property
    def spool_path(self) -> Path:
        return self.spool_dir or self.data_dir / "spool"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        reader = _Reader(env)
        settings = cls(
            database_url=reader.text("DATABASE_URL"),
            data_dir=Path(reader.text("RECEIVER_DATA_DIR") or ".receiver"),
            callback_tokens=reader.tokens("RECEIVER_CALLBACK_TOKENS"),
            allow_no_token=reader.boolean("RECEIVER_ALLOW_NO_TOKEN", False),
            max_body=reader.size("RECEIVER_MAX_BODY", 64 * 1024),
            public_url=reader.url("RECEIVER_PUBLIC_URL"),
            batch_max=reader.integer("RECEIVER_BATCH_MAX", 128, minimum=1, maximum=10_000),
            batch_wait_ms=reader.number("RECEIVER_BATCH_WAIT_MS", 0.0, maximum=1000),
            writers=reader.integer("RECEIVER_WRITERS", 2, minimum=1, maximum=64),
            pool_size=reader.integer("RECEIVER_POOL_SIZE", 8, minimum=1, maximum=200),
            commit_timeout=reader.number("RECEIVER_COMMIT_TIMEOUT", 2.0, minimum=0.05),
            spool_dir=_path_or_none(reader.text("RECEIVER_SPOOL_DIR")),
            drain_interval=reader.number("RECEIVER_DRAIN_INTERVAL", 1.0, minimum=0.05),
            shutdown_timeout=reader.number("RECEIVER_SHUTDOWN_TIMEOUT", 10.0, minimum=0.1),
            api_token=reader.text("RECEIVER_API_TOKEN"),
        )
        if settings.writers > settings.pool_size:
            reader.errors.append(
                "RECEIVER_WRITERS must not exceed RECEIVER_POOL_SIZE "
                f"(got {settings.writers} writers for a pool of {settings.pool_size})"
            )
        if reader.errors:
            raise ConfigError("invalid configuration:\n  " + "\n  ".join(reader.errors))
        return settings


def _path_or_none(value: str | None) -> Path | None:
    return Path(value) if value else None


@dataclass(slots=True)
class _Reader:
    env: Mapping[str, str]
    errors: list[str] = field(default_factory=list)

    def text(self, name: str) -> str | None:
        value = self.env.get(name, "").strip()
        return value or None

    def tokens(self, name: str) -> tuple[str, ...]:
        raw = self.env.get(name, "")
        tokens = tuple(t.strip() for t in raw.split(",") if t.strip())
        for token in tokens:
            if len(token) < 16 or not re.fullmatch(r"[A-Za-z0-9._~-]+", token):
                self.errors.append(
                    f"{name}: each token must be at least 16 URL-safe characters "
                    "(letters, digits, . _ ~ -); generate one with "
                    "`python -c 'import secrets; print(secrets.token_urlsafe(24))'`"
                )
                break
        return tokens

    def boolean(self, name: str, default: bool) -> bool:
        raw = self.env.get(name)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        self.errors.append(f"{name}: expected 1/0, true/false, yes/no or on/off, got {raw!r}")
        return default

    def integer(self, name: str, default: int, *, minimum: int, maximum: int) -> int:
        raw = self.env.get(name, "").strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            self.errors.append(f"{name}: expected a whole number, got {raw!r}")
            return default
        if not minimum <= value <= maximum:
            self.errors.append(f"{name}: expected {minimum} to {maximum}, got {value}")
            return default
        return value

    def number(
        self, name: str, default: float, *, minimum: float = 0.0, maximum: float = 86_400.0
    ) -> float:
        raw = self.env.get(name, "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            self.errors.append(f"{name}: expected a number, got {raw!r}")
            return default
        if not minimum <= value <= maximum:
            self.errors.append(f"{name}: expected {minimum:g} to {maximum:g}, got {raw}")
            return default
        return value

    def size(self, name: str, default: int) -> int:
        raw = self.env.get(name, "").strip()
        if not raw:
            return default
        match = _SIZE.match(raw)
        if not match:
            self.errors.append(
                f"{name}: expected a size in bytes such as 65536 or 64KiB, got {raw!r}"
            )
            return default
        value = (
            int(match.group(1))
            * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
        )
        if value < 1024:
            self.errors.append(f"{name}: must be at least 1024 bytes, got {value}")
            return default
        return value

    def url(self, name: str) -> str | None:
        raw = self.text(name)
        if raw is None:
            return None
        if not re.match(r"^https?://[^/\s]+", raw):
            self.errors.append(f"{name}: expected an http(s):// base URL, got {raw!r}")
            return None
        return raw.rstrip("/")
