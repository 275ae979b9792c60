"""Who may use the console: the holder of the API token.

A browser logs in once with the token and gets a session cookie (HttpOnly, SameSite=Strict).
The cookie holds a signed expiry and a random nonce, never the token: the signing key is derived
from the token, so every worker process accepts every other's sessions without shared state,
and changing the token ends every session. Scripts may send `Authorization: Bearer <token>`
instead. State-changing requests made with the cookie need a CSRF token bound to the session
and a same-origin `Origin` header.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request

__all__ = [
    "COOKIE",
    "FormTooLarge",
    "Session",
    "SessionSigner",
    "read_form",
    "same_origin",
    "token_matches",
]

COOKIE = "receiver_console"
#: How long a login lasts.
SESSION_SECONDS = 12 * 3600
#: A login or action form is a few fields; anything larger is not ours.
MAX_FORM_BYTES = 8 * 1024
_VERSION = "v1"


class FormTooLarge(Exception):
    """The request body is over MAX_FORM_BYTES."""


@dataclass(frozen=True, slots=True)
class Session:
    #: "cookie" (a browser login) or "bearer" (a script with the token).
    kind: str
    #: The CSRF token forms must echo; empty for bearer requests, which need none.
    csrf: str
    expires: int = 0


def token_matches(candidate: str, expected: str) -> bool:
    """Constant-time, so timing does not reveal how much of a guess was right."""
    return hmac.compare_digest(candidate.encode("utf-8", "replace"), expected.encode())


class SessionSigner:
    def __init__(self, api_token: str, lifetime: int = SESSION_SECONDS) -> None:
        self.api_token = api_token
        self.lifetime = lifetime
        self._key = hmac.new(api_token.encode(), b"receiver console session", "sha256").digest()

    def _mac(self, text: str) -> str:
        digest = hmac.new(self._key, text.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def issue(self, now: float | None = None) -> str:
        expires = int(now if now is not None else time.time()) + self.lifetime
        payload = f"{_VERSION}.{expires}.{secrets.token_urlsafe(18)}"
        return f"{payload}.{self._mac(payload)}"

    def verify(self, cookie: str, now: float | None = None) -> Session | None:
        try:
            version, expires_text, nonce, mac = cookie.split(".")
        except ValueError:
            return None
        payload = f"{version}.{expires_text}.{nonce}"
        if not payload.isascii() or not hmac.compare_digest(
            self._mac(payload).encode(), mac.encode("utf-8", "replace")
        ):
            return None
        if version != _VERSION or not expires_text.isdigit():
            return None
        expires = int(expires_text)
        if expires < (now if now is not None else time.time()):
            return None
        return Session("cookie", self._mac(f"csrf.{nonce}"), expires)

    def authenticate(self, request: Request) -> Session | None:
        scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
        if scheme.lower() == "bearer" and token:
            return Session("bearer", "") if token_matches(token.strip(), self.api_token) else None
        cookie = request.cookies.get(COOKIE)
        return self.verify(cookie) if cookie else None


def same_origin(request: Request, public_url: str | None) -> bool:
    """Whether a form POST came from a page of this site: its Origin (or, failing that, its
    Referer) is the origin the request was sent to, or RECEIVER_PUBLIC_URL's."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        referer = request.headers.get("referer")
        if not referer:
            return False
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    allowed = {f"{request.url.scheme}://{request.headers.get('host', '')}"}
    if public_url:
        parts = urlsplit(public_url)
        allowed.add(f"{parts.scheme}://{parts.netloc}")
    return origin.lower() in {value.lower() for value in allowed}


async def read_form(request: Request) -> dict[str, str]:
    """A urlencoded form, read with a size cap (the console's forms are tiny); the first value
    of each field. Other content types read as an empty form."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_FORM_BYTES:
            raise FormTooLarge
    if content_type != "application/x-www-form-urlencoded":
        return {}
    fields: dict[str, str] = {}
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        fields.setdefault(name, value)
    return fields
