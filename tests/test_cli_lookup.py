"""`receiver lookup` and `receiver stats`, on what the receiver really stored; help texts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import psycopg
import pytest
from starlette.testclient import TestClient

from receiver import samples
from receiver.cli import build_parser, main
from receiver.config import Settings
from tests.conftest import TOKEN, rows
from tests.processes import receiver_env, run_cli


def _post(client: TestClient, provider: str, status: str) -> samples.Sample:
    url = f"http://testserver/callbacks/{provider}/{TOKEN}"
    sample = samples.build(provider, status, callback_url=url, signing=Settings().signing)
    path = f"/callbacks/{provider}/{TOKEN}" + (f"?{sample.query}" if sample.query else "")
    answer = client.request(sample.method, path, content=sample.body, headers=dict(sample.headers))
    assert answer.status_code == 200, answer.text
    return sample


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def stored(
    client: TestClient,
    db: psycopg.Connection[Any],
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
) -> list[dict[str, Any]]:
    """Messages as stored: a Twilio one sent then delivered, a Plivo one undelivered."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    sent = _post(client, "twilio", "sent")
    message_id = dict(parse_qsl(sent.body.decode()))["MessageSid"]
    # The same message delivered: the sample with its status changed.
    body = sent.body.replace(b"Status=sent", b"Status=delivered")
    answer = client.post(f"/callbacks/twilio/{TOKEN}", content=body, headers=dict(sent.headers))
    assert answer.status_code == 200
    _post(client, "plivo", "undelivered")
    found = rows(db, "SELECT * FROM messages ORDER BY provider DESC")
    assert [m["provider"] for m in found] == ["twilio", "plivo"]
    assert found[0]["message_id"] == message_id
    return found


def test_lookup_by_id_prints_state_and_timeline(
    stored: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    twilio = stored[0]
    code, out, _ = _run(capsys, "lookup", twilio["message_id"])
    assert code == 0
    assert twilio["message_id"] in out
    assert "delivered" in out and "timeline" in out
    # Both events, in order: sent before delivered.
    assert out.index(" sent ") < out.rindex(" delivered ")
    code, out, _ = _run(capsys, "lookup", twilio["message_id"], "--json")
    (document,) = json.loads(out)
    assert document["status"] == "delivered"
    assert [e["status"] for e in document["events"]] == ["sent", "delivered"]
    assert document["recipient"] == twilio["recipient"]


def test_lookup_by_recipient_and_reference(
    stored: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    plivo = stored[1]
    same_number = {m["provider"] for m in stored if m["recipient"] == plivo["recipient"]}
    code, out, _ = _run(capsys, "lookup", "--to", f"+{plivo['recipient']}", "--json")
    assert code == 0
    assert {d["provider"] for d in json.loads(out)} == same_number
    code, out, _ = _run(
        capsys, "lookup", "--to", plivo["recipient"], "--provider", "plivo", "--json"
    )
    (document,) = json.loads(out)
    assert (document["provider"], document["status"]) == ("plivo", "undelivered")
    assert document["message_id"] == plivo["message_id"]
    code, out, err = _run(capsys, "lookup", "--ref", "no-such-reference")
    assert code == 1 and "no message found" in err
    code, out, _ = _run(capsys, "lookup", "--ref", "no-such-reference", "--json")
    assert code == 1 and json.loads(out) == []


def test_lookup_needs_exactly_one_key(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["lookup", "abc", "--to", "123"])
    assert exited.value.code == 2
    assert "exactly one of" in capsys.readouterr().err


def test_stats_counts_what_is_stored(
    stored: list[dict[str, Any]],
    db: psycopg.Connection[Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "stats", "--json")
    assert code == 0
    document = json.loads(out)
    counted = {
        (r["provider"], r["status"]): r["n"]
        for r in rows(
            db, "SELECT provider, status, count(*) AS n FROM delivery_events GROUP BY 1, 2"
        )
    }
    for provider in document["providers"]:
        for status, n in provider["counts"].items():
            assert n == counted.get((provider["provider"], status), 0)
    by_provider = {p["provider"]: p for p in document["providers"]}
    assert by_provider["twilio"]["delivery_rate"] == 1.0
    assert by_provider["plivo"]["delivery_rate"] == 0.0
    code, out, _ = _run(capsys, "stats")
    assert code == 0
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if "│" in line}
    assert "100.0%" in lines["twilio"] and "0.0%" in lines["plivo"]
    assert "total" in lines
    # A window that ends before anything was stored counts nothing.
    code, out, _ = _run(capsys, "stats", "--since", "2000-01-01T00:00:00Z", "--json")
    assert json.loads(out)["total"]["events"] == sum(counted.values())
    code, _, err = _run(capsys, "stats", "--since", "yesterday")
    assert code == 2 and "--since" in err


def test_lookup_and_stats_never_create_a_data_dir(tmp_path: Path) -> None:
    for args in (("lookup", "abc"), ("stats",)):
        result = run_cli(*args, env=receiver_env(), cwd=tmp_path)
        assert result.returncode == 2
        assert "only `receiver serve` creates one" in result.stderr
    assert not (tmp_path / ".receiver").exists()


def test_every_command_has_a_description() -> None:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert {"send-test", "lookup", "stats"} <= set(sub.choices)
    for name, command in sub.choices.items():
        assert command.description and len(command.description) > 20, name


def test_progress_is_silent_off_a_terminal(database_url: str, tmp_path: Path) -> None:
    for args in (("migrate",), ("reparse",), ("rollup", "--rebuild")):
        result = run_cli(*args, env=receiver_env(DATABASE_URL=database_url), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "\x1b[" not in result.stderr + result.stdout
        assert "━" not in result.stderr


def test_progress_draws_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from receiver import progress

    with progress.progress(3, "migrating") as bar:
        bar.advance(3)
    assert capsys.readouterr().err == ""  # the capture is no terminal
    monkeypatch.setattr(progress, "interactive", lambda: True)
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich then draws as on a terminal
    monkeypatch.setenv("TTY_INTERACTIVE", "1")
    with progress.progress(3, "migrating") as bar:
        for _ in range(3):
            bar.advance()
    drawn = capsys.readouterr()
    assert "migrating" in drawn.err and "3/3" in drawn.err
    assert drawn.out == ""
