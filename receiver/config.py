"""Configuration from environment variables, validated once at start.

Every bad value is reported together, each with the variable's name and what it should be, so
an operator fixes a deployment in one pass instead of one restart per typo.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: receiver.providers imports this module
    from receiver.providers.generic import GenericDefinition

__all__ = [
    "AlertSettings",
    "ConfigError",
    "RetentionSettings",
    "Settings",
    "SigningSecrets",
    "duration",
]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)


class ConfigError(ValueError):
    """One or more environment variables are invalid; the message lists each."""


_STATUSES = frozenset(
    {"queued", "sent", "delivered", "undelivered", "expired", "rejected", "unknown"}
)
# receiver.toml [alerts] keys, and the environment variable each one stands for.
_ALERT_KEYS = {
    "enabled": "RECEIVER_ALERTS",
    "urls": "RECEIVER_ALERT_URLS",
    "slack_urls": "RECEIVER_ALERT_SLACK_URLS",
    "secret": "RECEIVER_ALERT_SECRET",
    "statuses": "RECEIVER_ALERT_STATUSES",
    "opt_outs": "RECEIVER_ALERT_OPT_OUTS",
    "cooldown": "RECEIVER_ALERT_COOLDOWN",
    "failure_rate": "RECEIVER_ALERT_FAILURE_RATE",
    "failure_window": "RECEIVER_ALERT_FAILURE_WINDOW",
    "failure_min_volume": "RECEIVER_ALERT_FAILURE_MIN_VOLUME",
    "silence": "RECEIVER_ALERT_SILENCE",
    "evaluate_interval": "RECEIVER_ALERT_EVALUATE_INTERVAL",
    "give_up": "RECEIVER_ALERT_GIVE_UP",
    "backoff_max": "RECEIVER_ALERT_BACKOFF_MAX",
}


@dataclass(frozen=True, slots=True)
class AlertSettings:
    """Alert rules and where alerts go. Rules raise nothing unless `enabled`."""

    enabled: bool = False
    urls: tuple[str, ...] = ()
    slack_urls: tuple[str, ...] = ()
    secret: bytes | None = field(default=None, repr=False)
    statuses: frozenset[str] = frozenset({"undelivered", "rejected", "expired"})
    opt_outs: bool = True
    cooldown: float = 900.0
    failure_rate: float = 0.25
    failure_window: float = 900.0
    failure_min_volume: int = 50
    silence: float = 0.0
    evaluate_interval: float = 30.0
    give_up: float = 86_400.0
    backoff_max: float = 300.0


@dataclass(frozen=True, slots=True)
class RetentionSettings:
    """Time partitions, and how long rows are kept (README "Retention", docs/scaling.md)."""

    #: Months per partition of callbacks, delivery_events and inbound_messages.
    partition_months: int = 1
    #: Months after the current one that have partitions before they begin.
    partitions_ahead: int = 3
    #: Partitions, messages and the alert outbox older than this go; None keeps everything.
    retention: timedelta | None = None
    #: Request bodies older than this are cleared (rows kept); None keeps them.
    raw_retention: timedelta | None = None


_DURATION = re.compile(r"^\s*(\d+)\s*([dhw])\s*$", re.IGNORECASE)
_DURATION_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def duration(text: str) -> timedelta:
    """`400d`, `12h` or `8w` as a timedelta; ValueError otherwise."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"expected a number of hours, days or weeks such as 400d, got {text!r}")
    return int(match.group(1)) * _DURATION_UNITS[match.group(2).lower()]


def _retention_settings(reader: _Reader) -> RetentionSettings:
    values: dict[str, timedelta | None] = {}
    for key, name in (
        ("retention", "RECEIVER_RETENTION"),
        ("raw_retention", "RECEIVER_RAW_RETENTION"),
    ):
        raw = reader.text(name)
        values[key] = None
        if raw is None:
            continue
        try:
            value = duration(raw)
        except ValueError as exc:
            reader.errors.append(f"{name}: {exc}")
            continue
        if value < timedelta(days=1):
            reader.errors.append(f"{name}: must be at least a day, got {raw!r}")
        values[key] = value
    return RetentionSettings(
        partition_months=reader.integer("RECEIVER_PARTITION_MONTHS", 1, minimum=1, maximum=12),
        partitions_ahead=reader.integer("RECEIVER_PARTITIONS_AHEAD", 3, minimum=1, maximum=24),
        retention=values["retention"],
        raw_retention=values["raw_retention"],
    )


#: Vonage's signature methods: its "MD5 hash" (a digest of the parameters and the secret) and
#: the HMAC ones (developer.vonage.com/en/getting-started/concepts/signing-messages).
VONAGE_SIGNATURE_METHODS = ("md5hash", "md5", "sha1", "sha256", "sha512")


@dataclass(frozen=True, slots=True)
class SigningSecrets:
    """Per-provider secrets for verifying signed callbacks (CONTRACT §2); each a list, so a
    secret can be rotated without downtime. A provider with none is checked by URL token only."""

    twilio_auth_tokens: tuple[str, ...] = ()
    plivo_auth_tokens: tuple[str, ...] = ()
    vonage_signature_secrets: tuple[str, ...] = ()
    vonage_signature_method: str = "md5hash"
    #: Raw 32-byte Ed25519 public keys, decoded from the base64 the Telnyx portal shows.
    telnyx_public_keys: tuple[bytes, ...] = ()
    messagebird_signing_keys: tuple[str, ...] = ()
    dotdigital_webhook_secrets: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return "SigningSecrets(...)"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str | None = None
    #: Where the read API reads (a hot standby, say); None: `database_url`.
    read_database_url: str | None = None
    data_dir: Path = Path(".receiver")
    callback_tokens: tuple[str, ...] = ()
    allow_no_token: bool = False
    max_body: int = 64 * 1024
    max_header_size: int = 32 * 1024
    header_timeout: float = 10.0
    body_timeout: float = 10.0
    max_connections: int = 1000
    max_queue: int = 5000
    public_url: str | None = None
    batch_max: int = 128
    #: How long the first callback of a small batch may wait for company (see batch_min).
    batch_wait_ms: float = 10.0
    #: Batches smaller than this wait, up to batch_wait_ms, while more callbacks arrive.
    batch_min: int = 32
    writers: int = 2
    pool_size: int = 8
    read_pool_size: int = 4
    projectors: int = 1
    projection_batch: int = 1000
    #: Seconds a projector lets new callbacks gather before projecting a part-full batch.
    projection_linger: float = 0.25
    #: Seconds behind that an in-process projector may fall while it yields to a burst of acks.
    projection_max_defer: float = 30.0
    read_timeout: float = 5.0
    commit_timeout: float = 2.0
    #: Seconds after which a slow commit is hedged to the spool (writer.py); 0 turns it off.
    commit_hedge: float = 0.01
    spool_dir: Path | None = None
    drain_interval: float = 1.0
    shutdown_timeout: float = 10.0
    rollup_interval: float = 60.0
    api_token: str | None = field(default=None, repr=False)
    #: Serve the web console at /console (needs api_token, which logs in to it).
    console: bool = False
    alerts: AlertSettings = field(default_factory=AlertSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    signing: SigningSecrets = field(default_factory=SigningSecrets)
    #: The providers declared in receiver.toml's [providers.generic.<name>] tables.
    generic_providers: tuple[GenericDefinition, ...] = ()

    @property
    def spool_path(self) -> Path:
        return self.spool_dir or self.data_dir / "spool"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        config_errors: list[str] = []
        config_path = env.get("RECEIVER_CONFIG")
        document = _config_file(config_path, config_errors)
        for name, value in _alert_values(document, config_path, config_errors).items():
            env.setdefault(name, value)  # the environment overrides the file
        generic_providers = _generic_providers(document, env, config_errors)
        reader = _Reader(env, config_errors)
        settings = cls(
            database_url=reader.text("DATABASE_URL"),
            read_database_url=reader.text("RECEIVER_READ_DATABASE_URL"),
            data_dir=Path(reader.text("RECEIVER_DATA_DIR") or ".receiver"),
            callback_tokens=reader.tokens("RECEIVER_CALLBACK_TOKENS"),
            allow_no_token=reader.boolean("RECEIVER_ALLOW_NO_TOKEN", False),
            max_body=reader.size("RECEIVER_MAX_BODY", 64 * 1024),
            max_header_size=reader.size("RECEIVER_MAX_HEADER_SIZE", 32 * 1024),
            header_timeout=reader.number("RECEIVER_HEADER_TIMEOUT", 10.0, minimum=0.1),
            body_timeout=reader.number("RECEIVER_BODY_TIMEOUT", 10.0, minimum=0.1),
            max_connections=reader.integer(
                "RECEIVER_MAX_CONNECTIONS", 1000, minimum=1, maximum=1_000_000
            ),
            max_queue=reader.integer("RECEIVER_MAX_QUEUE", 5000, minimum=1, maximum=10_000_000),
            public_url=reader.url("RECEIVER_PUBLIC_URL"),
            batch_max=reader.integer("RECEIVER_BATCH_MAX", 128, minimum=1, maximum=10_000),
            batch_wait_ms=reader.number("RECEIVER_BATCH_WAIT_MS", 10.0, maximum=1000),
            batch_min=reader.integer("RECEIVER_BATCH_MIN", 32, minimum=1, maximum=10_000),
            writers=reader.integer("RECEIVER_WRITERS", 2, minimum=1, maximum=64),
            pool_size=reader.integer("RECEIVER_POOL_SIZE", 8, minimum=1, maximum=200),
            read_pool_size=reader.integer("RECEIVER_READ_POOL_SIZE", 4, minimum=1, maximum=200),
            projectors=reader.integer("RECEIVER_PROJECTORS", 1, minimum=0, maximum=64),
            projection_linger=reader.number(
                "RECEIVER_PROJECTION_LINGER_MS", 250.0, minimum=0.0, maximum=10_000.0
            )
            / 1000,
            projection_max_defer=reader.number(
                "RECEIVER_PROJECTION_MAX_DEFER", 30.0, minimum=0.0, maximum=3600.0
            ),
            projection_batch=reader.integer(
                "RECEIVER_PROJECTION_BATCH", 1000, minimum=1, maximum=100_000
            ),
            read_timeout=reader.number("RECEIVER_READ_TIMEOUT", 5.0, minimum=0.1),
            commit_timeout=reader.number("RECEIVER_COMMIT_TIMEOUT", 2.0, minimum=0.05),
            commit_hedge=reader.number("RECEIVER_COMMIT_HEDGE_MS", 10.0, maximum=60_000.0) / 1000,
            spool_dir=_path_or_none(reader.text("RECEIVER_SPOOL_DIR")),
            drain_interval=reader.number("RECEIVER_DRAIN_INTERVAL", 1.0, minimum=0.05),
            shutdown_timeout=reader.number("RECEIVER_SHUTDOWN_TIMEOUT", 10.0, minimum=0.1),
            rollup_interval=reader.number("RECEIVER_ROLLUP_INTERVAL", 60.0),
            api_token=reader.text("RECEIVER_API_TOKEN"),
            console=reader.boolean("RECEIVER_CONSOLE", False),
            alerts=_alert_settings(reader),
            retention=_retention_settings(reader),
            signing=_signing_secrets(reader),
            generic_providers=generic_providers,
        )
        if settings.writers > settings.pool_size:
            reader.errors.append(
                "RECEIVER_WRITERS must not exceed RECEIVER_POOL_SIZE "
                f"(got {settings.writers} writers for a pool of {settings.pool_size})"
            )
        if settings.console and not settings.api_token:
            reader.errors.append(
                "RECEIVER_CONSOLE needs RECEIVER_API_TOKEN: the console logs in with that token"
            )
        if reader.errors:
            raise ConfigError("invalid configuration:\n  " + "\n  ".join(reader.errors))
        return settings


def _alert_settings(reader: _Reader) -> AlertSettings:
    urls = reader.urls("RECEIVER_ALERT_URLS")
    slack_urls = reader.urls("RECEIVER_ALERT_SLACK_URLS")
    secret = reader.webhook_secret("RECEIVER_ALERT_SECRET")
    if urls and secret is None:
        reader.errors.append(
            "RECEIVER_ALERT_SECRET is required with RECEIVER_ALERT_URLS: alerts are signed per "
            "the Standard Webhooks spec with a secret written whsec_<base64>"
        )
    statuses = reader.statuses("RECEIVER_ALERT_STATUSES")
    defaults = AlertSettings()
    return AlertSettings(
        enabled=reader.boolean("RECEIVER_ALERTS", bool(urls or slack_urls)),
        urls=urls,
        slack_urls=slack_urls,
        secret=secret,
        statuses=statuses if statuses is not None else defaults.statuses,
        opt_outs=reader.boolean("RECEIVER_ALERT_OPT_OUTS", True),
        cooldown=reader.number("RECEIVER_ALERT_COOLDOWN", defaults.cooldown),
        failure_rate=reader.number("RECEIVER_ALERT_FAILURE_RATE", 0.25, maximum=1.0),
        failure_window=reader.number(
            "RECEIVER_ALERT_FAILURE_WINDOW", defaults.failure_window, minimum=1
        ),
        failure_min_volume=reader.integer(
            "RECEIVER_ALERT_FAILURE_MIN_VOLUME", 50, minimum=1, maximum=10**9
        ),
        silence=reader.number("RECEIVER_ALERT_SILENCE", 0.0, maximum=30 * 86_400),
        evaluate_interval=reader.number(
            "RECEIVER_ALERT_EVALUATE_INTERVAL", defaults.evaluate_interval, minimum=0.05
        ),
        give_up=reader.number("RECEIVER_ALERT_GIVE_UP", defaults.give_up, minimum=1),
        backoff_max=reader.number("RECEIVER_ALERT_BACKOFF_MAX", defaults.backoff_max, minimum=0.01),
    )


def _signing_secrets(reader: _Reader) -> SigningSecrets:
    method = (reader.text("RECEIVER_VONAGE_SIGNATURE_METHOD") or "md5hash").lower()
    if method not in VONAGE_SIGNATURE_METHODS:
        reader.errors.append(
            f"RECEIVER_VONAGE_SIGNATURE_METHOD: expected one of "
            f"{', '.join(VONAGE_SIGNATURE_METHODS)}, got {method!r}"
        )
        method = "md5hash"
    return SigningSecrets(
        twilio_auth_tokens=reader.secrets("RECEIVER_TWILIO_AUTH_TOKEN"),
        plivo_auth_tokens=reader.secrets("RECEIVER_PLIVO_AUTH_TOKEN"),
        vonage_signature_secrets=reader.secrets("RECEIVER_VONAGE_SIGNATURE_SECRET"),
        vonage_signature_method=method,
        telnyx_public_keys=reader.ed25519_keys("RECEIVER_TELNYX_PUBLIC_KEY"),
        messagebird_signing_keys=reader.secrets("RECEIVER_MESSAGEBIRD_SIGNING_KEY"),
        dotdigital_webhook_secrets=reader.secrets("RECEIVER_DOTDIGITAL_WEBHOOK_SECRET"),
    )


def _config_file(path: str | None, errors: list[str]) -> dict[str, Any]:
    """receiver.toml as read ({} without one, or if it cannot be read)."""
    if not path:
        return {}
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        errors.append(f"RECEIVER_CONFIG: cannot read {path}: {exc}")
        return {}


def _alert_values(data: Mapping[str, Any], path: str | None, errors: list[str]) -> dict[str, str]:
    """Settings from receiver.toml's [alerts] table, as the environment variables they mean."""
    values: dict[str, str] = {}
    alerts = data.get("alerts", {})
    if not isinstance(alerts, dict):
        errors.append(f"RECEIVER_CONFIG: [alerts] in {path} must be a table")
        return {}
    for key, value in alerts.items():
        name = _ALERT_KEYS.get(key)
        if name is None:
            errors.append(f"RECEIVER_CONFIG: unknown key alerts.{key} in {path}")
        elif isinstance(value, list):
            values[name] = ",".join(str(item) for item in value)
        elif isinstance(value, bool):
            values[name] = "1" if value else "0"
        else:
            values[name] = str(value)
    return values


def _generic_providers(
    data: Mapping[str, Any], env: Mapping[str, str], errors: list[str]
) -> tuple[GenericDefinition, ...]:
    """The [providers.generic.<name>] declarations, checked; `env` holds their secrets."""
    providers = data.get("providers")
    if providers is None:
        return ()
    if not isinstance(providers, dict):
        errors.append("RECEIVER_CONFIG: providers: expected a table ([providers.generic.<name>])")
        return ()
    for key in sorted(providers.keys() - {"generic"}):
        errors.append(
            f"RECEIVER_CONFIG: providers.{key}: unknown key; providers are declared as "
            "[providers.generic.<name>]"
        )
    if "generic" not in providers:
        return ()
    # Imported here, not at the top: receiver.providers imports this module.
    from receiver.providers import build_adapters
    from receiver.providers.generic import parse_definitions

    definitions, problems = parse_definitions(
        providers["generic"], env, reserved=frozenset(build_adapters(Settings()))
    )
    errors.extend(f"RECEIVER_CONFIG: {problem}" for problem in problems)
    return definitions


def _path_or_none(value: str | None) -> Path | None:
    return Path(value) if value else None


@dataclass(slots=True)
class _Reader:
    env: Mapping[str, str]
    errors: list[str] = field(default_factory=list)

    def urls(self, name: str) -> tuple[str, ...]:
        values = tuple(v.strip() for v in self.env.get(name, "").split(",") if v.strip())
        for value in values:
            if not re.match(r"^https?://[^/\s]+", value):
                self.errors.append(f"{name}: expected http(s):// URLs, got {value!r}")
        return values

    def webhook_secret(self, name: str) -> bytes | None:
        raw = self.text(name)
        if raw is None:
            return None
        try:
            if not raw.startswith("whsec_"):
                raise ValueError
            secret = base64.b64decode(raw.removeprefix("whsec_"), validate=True)
        except (ValueError, binascii.Error):
            self.errors.append(f"{name}: expected whsec_ followed by base64, got a different form")
            return None
        if len(secret) < 16:
            self.errors.append(f"{name}: the decoded secret must be at least 16 bytes")
        return secret

    def secrets(self, name: str) -> tuple[str, ...]:
        """A comma-separated list of secrets (values are never echoed in errors)."""
        return tuple(v.strip() for v in self.env.get(name, "").split(",") if v.strip())

    def ed25519_keys(self, name: str) -> tuple[bytes, ...]:
        keys = []
        for number, value in enumerate(self.secrets(name), 1):
            try:
                key = base64.b64decode(value, validate=True)
            except (ValueError, binascii.Error):
                key = b""
            if len(key) != 32:
                self.errors.append(
                    f"{name}: key {number} is not a base64 Ed25519 public key (32 bytes), "
                    "as the Telnyx portal shows it"
                )
                continue
            keys.append(key)
        return tuple(keys)

    def statuses(self, name: str) -> frozenset[str] | None:
        raw = self.text(name)
        if raw is None:
            return None
        values = frozenset(v.strip().lower() for v in raw.split(",") if v.strip())
        unknown = sorted(values - _STATUSES)
        if unknown:
            self.errors.append(
                f"{name}: unknown statuses {', '.join(unknown)}; use {', '.join(sorted(_STATUSES))}"
            )
        return values & _STATUSES

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
