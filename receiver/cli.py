"""The `receiver` command: serve, migrate, db-url, urls, reparse, rollup, spool."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import datetime

from receiver.config import ConfigError, Settings
from receiver.providers import build_adapters
from receiver.tokens import load_or_create_token

__all__ = ["main"]

log = logging.getLogger("receiver")


def _database_url(settings: Settings, *, stop_on_exit: bool) -> str:
    if settings.database_url:
        return settings.database_url
    from receiver.embedded import start_embedded

    return start_embedded(settings.data_dir, stop_on_exit=stop_on_exit)


def _tokens(settings: Settings) -> tuple[str, ...]:
    """Configured tokens; else the generated one (embedded default); else none if allowed."""
    if settings.callback_tokens:
        return settings.callback_tokens
    if settings.allow_no_token:
        return ()
    if settings.database_url is None:
        return (load_or_create_token(settings.data_dir),)
    raise ConfigError(
        "RECEIVER_CALLBACK_TOKENS is not set. With an external DATABASE_URL the callback URLs "
        "need a secret token: set RECEIVER_CALLBACK_TOKENS (comma-separated), or set "
        "RECEIVER_ALLOW_NO_TOKEN=1 to accept unauthenticated callbacks at /callbacks/{provider}."
    )


def _base_url(settings: Settings, host: str, port: int) -> str:
    if settings.public_url:
        return settings.public_url
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://{shown}:{port}"


def callback_urls(settings: Settings, tokens: Sequence[str], base: str) -> list[tuple[str, str]]:
    suffix = f"/{tokens[0]}" if tokens else ""
    return [(slug, f"{base}/callbacks/{slug}{suffix}") for slug in build_adapters(settings)]


def _print_urls(settings: Settings, tokens: Sequence[str], base: str) -> None:
    print("Callback URLs (paste into each provider's status/receipt URL setting):")
    for slug, url in callback_urls(settings, tokens, base):
        print(f"  {slug:<12} {url}")
    sys.stdout.flush()


def _default_port() -> int:
    raw = os.environ.get("PORT", "").strip()
    if not raw:
        return 8000
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"PORT: expected a TCP port number, got {raw!r}")
    return int(raw)


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from receiver.db import apply_migrations

    tokens = _tokens(settings)
    database_url = _database_url(settings, stop_on_exit=True)
    apply_migrations(database_url)
    # Workers are separate processes: hand them the resolved settings through the environment.
    os.environ["DATABASE_URL"] = database_url
    os.environ["RECEIVER_CALLBACK_TOKENS"] = ",".join(tokens)
    if not tokens:
        os.environ["RECEIVER_ALLOW_NO_TOKEN"] = "1"
    os.environ["RECEIVER_DATA_DIR"] = str(settings.data_dir.resolve())
    _print_urls(settings, tokens, _base_url(settings, args.host, args.port))
    # uvicorn shuts down gracefully, then re-raises the signal it caught. Exit normally on it
    # instead of dying by it, so exit handlers run and stop the embedded Postgres.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _exit_quietly)
    uvicorn.run(
        "receiver.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        timeout_graceful_shutdown=int(settings.shutdown_timeout) + 1,
        access_log=False,
        log_level="info",
    )
    return 0


def _exit_quietly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from receiver.db import apply_migrations

    applied = apply_migrations(_database_url(settings, stop_on_exit=True))
    print(f"applied migrations: {', '.join(map(str, applied))}" if applied else "schema up to date")
    return 0


def cmd_db_url(settings: Settings, args: argparse.Namespace) -> int:
    print(_database_url(settings, stop_on_exit=False))
    return 0


def cmd_urls(settings: Settings, args: argparse.Namespace) -> int:
    _print_urls(settings, _tokens(settings), _base_url(settings, args.host, args.port))
    return 0


def cmd_reparse(settings: Settings, args: argparse.Namespace) -> int:
    from receiver.reparse import reparse

    database_url = _database_url(settings, stop_on_exit=True)
    counts = asyncio.run(
        reparse(
            database_url,
            build_adapters(settings),
            provider=args.provider,
            only_errors=args.errors_only,
        )
    )
    print(
        f"re-read {counts.callbacks} callbacks: {counts.events} new events, "
        f"{counts.errors} still unparsed"
    )
    return 0


def cmd_rollup(settings: Settings, args: argparse.Namespace) -> int:
    import psycopg

    from receiver.rollups import rebuild, roll_up

    async def run() -> dict[str, datetime | None] | None:
        url = _database_url(settings, stop_on_exit=True)
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            return await (rebuild(conn) if args.rebuild else roll_up(conn))

    marks = asyncio.run(run())
    if marks is None:
        print("another process is running the rollups; nothing done")
        return 1
    for name, until in marks.items():
        print(f"{name}: rolled up until {until.isoformat() if until else '(nothing yet)'}")
    return 0


def cmd_spool(settings: Settings, args: argparse.Namespace) -> int:
    from receiver.spool import Spool

    spool = Spool(settings.spool_path)
    if args.action == "requeue":
        moved = spool.requeue()
        print(f"requeued {moved} quarantined entries; a running receiver replays them shortly")
        return 0
    if args.action == "show":
        shown = 0
        for entry in spool.quarantined():
            if shown == args.limit:
                print(f"... (more; --limit {args.limit})")
                break
            shown += 1
            if entry.raw is None:
                line = (entry.unreadable or b"")[:120]
                print(f"{entry.quarantined_at}  unreadable line: {line!r}\n    {entry.reason}")
                continue
            raw = entry.raw
            print(
                f"{entry.quarantined_at}  {raw.id}  {raw.provider}  received {raw.received_at}"
                f"  {len(raw.body)} bytes\n    {entry.reason}"
            )
        if not shown:
            print("the quarantine is empty")
        return 0
    stats = spool.stats()
    print(f"spool:       {settings.spool_path}")
    print(f"backlog:     {stats.entries} entries in {stats.files} files ({stats.bytes} bytes)")
    print(f"oldest:      {stats.oldest.isoformat() if stats.oldest else '-'}")
    print(f"quarantined: {stats.quarantined} (receiver spool show)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="receiver", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def add_address(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
        p.add_argument("--port", type=int, default=None, help="port (default $PORT or 8000)")

    serve = sub.add_parser(
        "serve", help="run the receiver (embedded Postgres without DATABASE_URL)"
    )
    add_address(serve)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="apply schema.sql").set_defaults(func=cmd_migrate)
    sub.add_parser("db-url", help="print the database URL in use").set_defaults(func=cmd_db_url)
    urls = sub.add_parser("urls", help="print the callback URL for each provider")
    add_address(urls)
    urls.set_defaults(func=cmd_urls)
    reparse = sub.add_parser("reparse", help="normalize stored callbacks again")
    reparse.add_argument("--provider", help="only this provider's callbacks")
    reparse.add_argument("--errors-only", action="store_true", help="only unparsed callbacks")
    reparse.set_defaults(func=cmd_reparse)
    rollup = sub.add_parser(
        "rollup", help="bring the dashboard rollups up to date now (serve does it every minute)"
    )
    rollup.add_argument(
        "--rebuild",
        action="store_true",
        help="recompute every rollup from the stored rows (after deleting or editing rows)",
    )
    rollup.set_defaults(func=cmd_rollup)
    spool = sub.add_parser(
        "spool",
        help="the outage spool: backlog, quarantined entries, requeue after a fix",
        description="status: backlog and quarantine figures; show: the quarantined entries "
        "and why each was set aside; requeue: move them back into the backlog for replay.",
    )
    spool.add_argument("action", choices=["status", "show", "requeue"], nargs="?", default="status")
    spool.add_argument("--limit", type=int, default=50, help="entries shown (default 50)")
    spool.set_defaults(func=cmd_spool)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if getattr(args, "port", "absent") is None:
            args.port = _default_port()
        result: int = args.func(settings, args)
        return result
    except ConfigError as exc:
        print(f"receiver: {exc}", file=sys.stderr)
        return 2
