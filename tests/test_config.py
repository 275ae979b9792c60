from __future__ import annotations

from pathlib import Path

import pytest

from receiver.config import ConfigError, Settings


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.database_url is None
    assert settings.max_body == 64 * 1024
    assert settings.data_dir == Path(".receiver")
    assert settings.spool_path == Path(".receiver/spool")
    assert settings.callback_tokens == ()


def test_values_are_parsed() -> None:
    settings = Settings.from_env(
        {
            "RECEIVER_CALLBACK_TOKENS": " aaaaaaaaaaaaaaaa , bbbbbbbbbbbbbbbb ",
            "RECEIVER_MAX_BODY": "1MiB",
            "RECEIVER_ALLOW_NO_TOKEN": "yes",
            "RECEIVER_PUBLIC_URL": "https://dlr.example.com/",
            "RECEIVER_COMMIT_TIMEOUT": "0.5",
        }
    )
    assert settings.callback_tokens == ("aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb")
    assert settings.max_body == 1024 * 1024
    assert settings.allow_no_token is True
    assert settings.public_url == "https://dlr.example.com"
    assert settings.commit_timeout == 0.5


def test_every_bad_value_is_named() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(
            {
                "RECEIVER_CALLBACK_TOKENS": "short",
                "RECEIVER_MAX_BODY": "12",
                "RECEIVER_WRITERS": "many",
                "RECEIVER_PUBLIC_URL": "dlr.example.com",
            }
        )
    message = str(caught.value)
    for name in (
        "RECEIVER_CALLBACK_TOKENS",
        "RECEIVER_MAX_BODY",
        "RECEIVER_WRITERS",
        "RECEIVER_PUBLIC_URL",
    ):
        assert name in message


def test_alert_rules_from_a_config_file_with_env_overrides(tmp_path: Path) -> None:
    config = tmp_path / "receiver.toml"
    config.write_text(
        "[alerts]\n"
        'urls = ["https://hooks.example.com/a", "https://hooks.example.com/b"]\n'
        'secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"\n'
        'statuses = ["undelivered", "unknown"]\n'
        "failure_rate = 0.3\n"
        "silence = 600\n"
    )
    settings = Settings.from_env(
        {"RECEIVER_CONFIG": str(config), "RECEIVER_ALERT_FAILURE_RATE": "0.4"}
    )
    alerts = settings.alerts
    assert alerts.enabled is True
    assert alerts.urls == ("https://hooks.example.com/a", "https://hooks.example.com/b")
    assert alerts.statuses == frozenset({"undelivered", "unknown"})
    assert alerts.failure_rate == 0.4  # the environment wins over the file
    assert alerts.silence == 600
    assert alerts.secret is not None and len(alerts.secret) == 24


def test_alert_urls_need_a_standard_webhooks_secret(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="RECEIVER_ALERT_SECRET is required"):
        Settings.from_env({"RECEIVER_ALERT_URLS": "https://hooks.example.com/a"})
    with pytest.raises(ConfigError, match="whsec_"):
        Settings.from_env(
            {"RECEIVER_ALERT_URLS": "https://hooks.example.com/a", "RECEIVER_ALERT_SECRET": "x"}
        )
    config = tmp_path / "receiver.toml"
    config.write_text("[alerts]\nstatuses = ['lost']\nbogus = 1\n")
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"RECEIVER_CONFIG": str(config)})
    assert "unknown statuses lost" in str(caught.value)
    assert "alerts.bogus" in str(caught.value)


def test_the_read_api_database_defaults_to_the_primary() -> None:
    assert Settings.from_env({}).read_database_url is None
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://app@primary/receiver",
            "RECEIVER_READ_DATABASE_URL": " postgresql://ro@replica:5433/receiver ",
        }
    )
    assert settings.database_url == "postgresql://app@primary/receiver"
    assert settings.read_database_url == "postgresql://ro@replica:5433/receiver"
