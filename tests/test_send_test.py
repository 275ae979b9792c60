"""`receiver send-test` against a live receiver (uvicorn on a real port, real Postgres)."""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from receiver import samples
from receiver.app import create_app
from receiver.cli import main
from receiver.config import Settings
from receiver.providers import build_adapters
from tests.conftest import TOKEN, make_settings, rows
from tests.processes import free_port
from tests.test_providers_generic import ACME, FORMCO, XMLCO

TELNYX_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
TELNYX_SEED = base64.b64encode(TELNYX_KEY.private_bytes_raw()).decode()
TELNYX_PUBLIC = TELNYX_KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
OTHER_TELNYX_SEED = base64.b64encode(bytes(range(100, 132))).decode()
API_TOKEN = "read-api-token-0123456789"
#: The receiver's secrets, as the environment of send-test spells them.
SECRETS = {
    "RECEIVER_TWILIO_AUTH_TOKEN": "twilio-auth-token-0123456789abcdef",
    "RECEIVER_PLIVO_AUTH_TOKEN": "plivo-auth-token-0123456789abcdef",
    "RECEIVER_VONAGE_SIGNATURE_SECRET": "vonage-signature-secret-0123456789",
    "RECEIVER_VONAGE_SIGNATURE_METHOD": "sha256",
    "RECEIVER_MESSAGEBIRD_SIGNING_KEY": "messagebird-signing-key-0123456789abcdef",
    "RECEIVER_DOTDIGITAL_WEBHOOK_SECRET": "dotdigital-webhook-secret-0123456789",
    "RECEIVER_TELNYX_PUBLIC_KEY": base64.b64encode(TELNYX_PUBLIC).decode(),
}
SIGNED = {
    "acme": "ACME_WEBHOOK_SECRET",
    "xmlco": "XMLCO_SECRET",
    "twilio": "RECEIVER_TWILIO_AUTH_TOKEN",
    "plivo": "RECEIVER_PLIVO_AUTH_TOKEN",
    "vonage": "RECEIVER_VONAGE_SIGNATURE_SECRET",
    "messagebird": "RECEIVER_MESSAGEBIRD_SIGNING_KEY",
    "dotdigital": "RECEIVER_DOTDIGITAL_WEBHOOK_SECRET",
    "telnyx": "RECEIVER_TELNYX_PUBLIC_KEY",
}
#: Providers declared in receiver.toml: JSON items signed in hex, a form, signed XML items.
GENERIC = ACME + FORMCO + XMLCO
GENERIC_SECRETS = {"ACME_WEBHOOK_SECRET": "acme-secret-one", "XMLCO_SECRET": "xmlco-secret"}
PROVIDERS = [*sorted(build_adapters(Settings())), "acme", "formco", "xmlco"]


@pytest.fixture(scope="module")
def config_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The receiver's environment: every secret, and a receiver.toml declaring providers."""
    path = tmp_path_factory.mktemp("config") / "receiver.toml"
    path.write_text(GENERIC)
    return {**SECRETS, **GENERIC_SECRETS, "RECEIVER_CONFIG": str(path)}


@pytest.fixture(scope="module")
def receiver_port(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, config_env: dict[str, str]
) -> Iterator[int]:
    """A receiver holding every provider's secret, served by uvicorn from a thread."""
    configured = Settings.from_env(config_env)
    settings = make_settings(
        database_url,
        tmp_path_factory.mktemp("spool"),
        signing=configured.signing,
        generic_providers=configured.generic_providers,
        api_token=API_TOKEN,
    )
    with serving(settings) as port:
        yield port


@contextlib.contextmanager
def serving(settings: Settings) -> Iterator[int]:
    """The app for `settings`, served by uvicorn on a free port from a thread."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "the receiver did not start"
            time.sleep(0.05)
        yield port
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    receiver_port: int,
    config_env: dict[str, str],
) -> pytest.MonkeyPatch:
    """send-test's environment: the local receiver's database, token, port and secrets."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("RECEIVER_CALLBACK_TOKENS", TOKEN)
    monkeypatch.setenv("PORT", str(receiver_port))
    for name, value in config_env.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def _send(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["send-test", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _secret_args(provider: str, seed: str = TELNYX_SEED) -> list[str]:
    return ["--secret", seed] if provider == "telnyx" else []


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_provider_round_trips(
    provider: str,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    for status in ("delivered", "undelivered"):
        code, out, err = _send(
            capsys, provider, "--status", status, "--json", *_secret_args(provider)
        )
        assert code == 0, err
        stored = json.loads(out)
        assert (stored["provider"], stored["status"]) == (provider, status)
        assert stored["events"] and stored["events"][-1]["status"] == status
        assert ("(signed;" in err) is (provider in SIGNED), err
        with psycopg.connect(database_url) as conn:
            (row,) = rows(
                conn,
                "SELECT status, event_count FROM messages WHERE provider = %s AND message_key = %s",
                provider,
                stored["message_key"],
            )
        assert row["status"] == status
        assert row["event_count"] == len(stored["events"])


@pytest.mark.parametrize("provider", sorted(SIGNED))
def test_a_wrong_secret_is_refused_and_named(
    provider: str, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if provider != "telnyx":
        env.setenv(SIGNED[provider], "not-the-receivers-secret-0123456789")
    code, _, err = _send(capsys, provider, *_secret_args(provider, OTHER_TELNYX_SEED))
    assert code == 1
    assert "refused the signature (401" in err
    assert SIGNED[provider] in err
    assert "not-the-receivers-secret" not in err


def test_telnyx_without_a_private_key_says_why(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _send(capsys, "telnyx")
    assert code == 2
    assert "private key" in err and "--secret" in err


def test_a_wrong_token_is_refused_with_404_named(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _send(capsys, "cdyne", "--token", "wrong-token-0123456789abcdef")
    assert code == 1
    assert "404" in err and "callback token" in err
    assert "wrong-token-0123456789abcdef" not in err


@pytest.mark.parametrize("provider", ["twilio", "sinch", "dynmark"])
def test_through_the_read_api_with_url(
    provider: str,
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    receiver_port: int,
) -> None:
    # Remote: no database access at all, only the URL and the API token.
    env.delenv("DATABASE_URL")
    env.setenv("RECEIVER_API_TOKEN", API_TOKEN)
    url = f"http://127.0.0.1:{receiver_port}"
    code, out, err = _send(capsys, provider, "--url", url, "--status", "rejected", "--json")
    assert code == 0, err
    stored = json.loads(out)
    assert (stored["provider"], stored["status"]) == (provider, "rejected")


def test_a_table_is_printed_by_default(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    code, out, err = _send(capsys, "smartswitch", "--status", "sent")
    assert code == 0, err
    with psycopg.connect(database_url) as conn:
        (latest,) = rows(
            conn,
            "SELECT message_id FROM messages WHERE provider = 'smartswitch'"
            " ORDER BY last_received_at DESC LIMIT 1",
        )
    assert latest["message_id"] in out
    assert "timeline" in out and "enroute" in out
    assert f"/callbacks/smartswitch/{TOKEN[:4]}…" in out
    assert TOKEN not in out + err


def test_remote_without_an_api_token_stops_at_the_ack(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], receiver_port: int
) -> None:
    code, out, _ = _send(capsys, "kannel", "--url", f"http://127.0.0.1:{receiver_port}")
    assert code == 0
    assert "RECEIVER_API_TOKEN" in out


def test_nothing_listening_is_named(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _send(capsys, "smpp", "--port", str(free_port()))
    assert code == 1
    assert "cannot reach the receiver" in err


def test_a_status_the_provider_lacks_is_a_config_error(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "sent" not in samples.statuses("esendex")
    code, _, err = _send(capsys, "esendex", "--status", "sent")
    assert code == 2
    assert "no 'sent' sample" in err


def test_every_sample_parses_and_verifies_offline(config_env: dict[str, str]) -> None:
    """Each sample, for each status it offers, is read as that status and, signed with the
    configured secret, passes its adapter's verify (over the URL it was signed for)."""
    from receiver.providers import Request

    settings = Settings.from_env(config_env)
    adapters = build_adapters(settings)
    url = "https://receiver.example.com/callbacks/{}/" + TOKEN
    assert set(samples.SAMPLES) | {"acme", "formco", "xmlco"} == set(adapters)
    for provider in adapters:
        offered = samples.statuses(provider, settings.generic_providers)
        assert offered
        for status in offered:
            callback_url = url.format(provider)
            sample: Any = samples.build(
                provider,
                status,
                callback_url=callback_url,
                signing=settings.signing,
                secret=TELNYX_SEED if provider == "telnyx" else None,
                generic=settings.generic_providers,
            )
            assert samples.expected(adapters[provider], sample).status.value == status
            adapter = adapters[provider]
            if adapter.verifies:
                assert sample.signed
                request = Request(
                    sample.method,
                    sample.url(callback_url),
                    sample.query,
                    sample.headers,
                    sample.body,
                    sample.content_type,
                )
                adapter.verify(request)


def test_a_read_api_that_is_off_is_named(
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    tmp_path: Path,
) -> None:
    """A receiver without RECEIVER_API_TOKEN answers 404 to all of /api."""
    env.setenv("RECEIVER_API_TOKEN", API_TOKEN)
    with serving(make_settings(database_url, tmp_path / "spool")) as port:
        code, _, err = _send(capsys, "cdyne", "--url", f"http://127.0.0.1:{port}")
    assert code == 1
    assert "read API is off" in err


@pytest.mark.parametrize("url", ["ftp://host", "receiver.example.com", "https://h/callbacks/x/y"])
def test_a_url_that_is_no_base_url_is_refused(
    url: str, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _send(capsys, "cdyne", "--url", url)
    assert code == 2
    assert "send-test --url" in err
