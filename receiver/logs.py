"""Logging: one format for the receiver's and uvicorn's loggers, optional JSON, the access log.

* Text (default): `2026-05-01T12:00:00.123Z WARNING receiver.ingest.endpoint: message`.
* `RECEIVER_LOG_FORMAT=json`: one object per line, `ts`, `level`, `logger`, `msg`, then any
  fields passed as `extra=` (and `exc` with a traceback), for log shippers.
* `RECEIVER_ACCESS_LOG=1`: uvicorn's access log, with the token segment of callback paths and
  credential-like query values masked, so the log never holds a working callback URL.

`RateLimited` keeps a flood of the same warning (a provider retrying with a wrong secret, say)
to one line per key per window, with the count of those it held back.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from receiver.callback import redact_query
from receiver.config import ConfigError

__all__ = [
    "AccessLogFilter",
    "Formatter",
    "LogSettings",
    "RateLimited",
    "configure",
    "dict_config",
    "mask_path",
]

FORMATS = ("text", "json")
_OURS = "_receiver_handler"
# HTTP clients that log each request's URL at INFO: with a callback token in it.
_QUIET = ("httpx", "httpcore")
#: What a masked token or secret reads as.
MASK = "***"
# /callbacks/{provider}/{token}: the token is the last segment; anything after it too.
_CALLBACK_PATH = re.compile(r"^(/callbacks/[^/?]+/)[^?]+")
# Attributes every LogRecord has: anything else was passed as `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "color_message",  # uvicorn's coloured copy of the message
    "taskName",
}


@dataclass(frozen=True, slots=True)
class LogSettings:
    format: str = "text"
    access_log: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LogSettings:
        env = os.environ if environ is None else environ
        errors = []
        log_format = env.get("RECEIVER_LOG_FORMAT", "").strip().lower() or "text"
        if log_format not in FORMATS:
            errors.append(f"RECEIVER_LOG_FORMAT: expected text or json, got {log_format!r}")
            log_format = "text"
        access = env.get("RECEIVER_ACCESS_LOG", "").strip().lower()
        if access not in ("", "0", "1", "true", "false", "yes", "no", "on", "off"):
            errors.append(f"RECEIVER_ACCESS_LOG: expected 1/0, true/false, got {access!r}")
        if errors:
            raise ConfigError("invalid configuration:\n  " + "\n  ".join(errors))
        return cls(log_format, access in ("1", "true", "yes", "on"))


def _timestamp(created: float) -> str:
    moment = datetime.fromtimestamp(created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Formatter(logging.Formatter):
    """UTC ISO-8601 time, level, logger, message; or the same as a JSON object per line."""

    def __init__(self, json_lines: bool = False) -> None:
        super().__init__()
        self.json_lines = json_lines

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if not self.json_lines:
            line = f"{_timestamp(record.created)} {record.levelname} {record.name}: {message}"
            if record.exc_info:
                line += "\n" + self.formatException(record.exc_info)
            return line
        document: dict[str, Any] = {
            "ts": _timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "msg": message,
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and name not in document:
                document[name] = value
        if record.exc_info:
            document["exc"] = self.formatException(record.exc_info)
        return json.dumps(document, default=str, ensure_ascii=False)


def mask_path(path: str) -> str:
    """A request path and query fit for a log: no callback token, no query secrets."""
    route, question, query = path.partition("?")
    route = _CALLBACK_PATH.sub(rf"\g<1>{MASK}", route)
    if question:
        query = redact_query(query).replace("[redacted]", MASK)
        # Vonage's `sig` is a signature too short for the generic name rules.
        query = re.sub(r"(^|&)(sig=)[^&]*", rf"\1\2{MASK}", query)
    return route + question + query


class AccessLogFilter(logging.Filter):
    """Masks the path of uvicorn's access log records (args: client, method, path, version,
    status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], mask_path(args[2]), *args[3:])
        return True


def dict_config(settings: LogSettings, level: str = "INFO") -> dict[str, Any]:
    """A logging.config.dictConfig for the receiver and uvicorn (uvicorn applies it in every
    worker process)."""
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "receiver",
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "receiver": {"()": Formatter, "json_lines": settings.format == "json"},
        },
        "filters": {"mask": {"()": AccessLogFilter}},
        "handlers": {
            "default": handler,
            "access": {**handler, "filters": ["mask"], "stream": "ext://sys.stdout"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            **{name: {"level": "WARNING"} for name in _QUIET},
            "uvicorn.access": {
                "handlers": ["access"],
                "level": level if settings.access_log else "WARNING",
                "propagate": False,
            },
        },
        "root": {"handlers": ["default"], "level": level},
    }


def configure(settings: LogSettings | None = None, level: str = "INFO") -> LogSettings:
    """Log through one handler on the root logger in this process (commands; serve's workers
    get `dict_config` from uvicorn). Calling it again replaces that handler, nothing else."""
    settings = settings or LogSettings.from_env()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False):
            root.removeHandler(handler)
    handler = _Stderr()
    setattr(handler, _OURS, True)
    handler.setFormatter(Formatter(json_lines=settings.format == "json"))
    root.addHandler(handler)
    root.setLevel(level)
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    return settings


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (a test's capture may have replaced it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


class RateLimited:
    """At most one record per key per `window` seconds; the next one says how many were held
    back. Keys name the kind of event (and provider), never a secret."""

    def __init__(self, logger: logging.Logger, window: float = 10.0) -> None:
        self.logger = logger
        self.window = window
        self._lock = threading.Lock()
        #: key -> (when the last record was emitted, records suppressed since).
        self._seen: dict[str, tuple[float, int]] = {}

    def log(
        self,
        level: int,
        key: str,
        message: str,
        *args: object,
        exc_info: bool = False,
        **extra: Any,
    ) -> bool:
        """Log `message % args` unless `key` was logged within the window; True if logged."""
        now = time.monotonic()
        with self._lock:
            last, suppressed = self._seen.get(key, (-self.window - 1.0, 0))
            if now - last < self.window:
                self._seen[key] = (last, suppressed + 1)
                return False
            self._seen[key] = (now, 0)
            if len(self._seen) > 10_000:  # keys are bounded in practice; never grow unbounded
                self._seen = {key: (now, 0)}
        if suppressed:
            message += " (%d more suppressed in the last %g s)"
            args = (*args, suppressed, self.window)
        self.logger.log(
            level, message, *args, exc_info=exc_info, extra={**extra, "suppressed": suppressed}
        )
        return True

    def warning(self, key: str, message: str, *args: object, **extra: Any) -> bool:
        return self.log(logging.WARNING, key, message, *args, **extra)

    def error(
        self, key: str, message: str, *args: object, exc_info: bool = False, **extra: Any
    ) -> bool:
        return self.log(logging.ERROR, key, message, *args, exc_info=exc_info, **extra)
