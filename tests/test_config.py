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
