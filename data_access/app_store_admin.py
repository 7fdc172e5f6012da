"""``python -m data_access audit verify`` and ``python -m data_access app-store revision``.

- ``audit verify [--url URL]`` walks the audit log's hash chain (``data_access.audit_chain``) in
  ``event_id`` order and prints how many events it verified and the head; at the first broken
  link it prints that event's id and what is wrong, and exits with status 1.
- ``app-store revision -m MESSAGE`` (developers) writes a new Alembic revision with what
  ``app_store.metadata`` declares and the current head lacks (review it before committing).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from data_access import app_migrations, app_store

COMMANDS = frozenset({"audit", "app-store"})


def add_subcommands(commands: argparse._SubParsersAction) -> None:
    """Add ``audit`` and ``app-store`` and their actions to the main parser's subcommands."""
    audit = commands.add_parser("audit", help="check the audit log")
    audit_actions = audit.add_subparsers(dest="audit_action", required=True)
    verify = audit_actions.add_parser(
        "verify", help="check the audit log's hash chain; exit status 1 at the first broken link"
    )
    verify.add_argument("--url", default=None, help="app store SQLAlchemy URL (default: settings)")

    store = commands.add_parser("app-store", help="the app store's schema")
    store_actions = store.add_subparsers(dest="app_store_action", required=True)
    revision = store_actions.add_parser(
        "revision", help="write a migration for changes to app_store.metadata (developers)"
    )
    revision.add_argument("-m", "--message", required=True, help="what the revision changes")


def run(args: argparse.Namespace) -> int:
    try:
        if args.command == "audit":
            return _verify(args.url)
        print(f"Wrote {write_revision(args.message)}; review it, then commit it.")
    except (ValueError, app_migrations.AppStoreUpgradeError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


# ------------------------------------------------------------------ audit verify


def _verify(url: str | None) -> int:
    report = app_store.verify_audit_log(url)
    if report.intact and report.verified == 0:
        print("The audit log is empty: nothing to verify.")
        return 0
    print(f"Verified {report.verified:,} audit events.")
    if report.last_event_id is not None:
        print(f"Head: event {report.last_event_id}, event_hash {report.last_hash}")
    if report.intact:
        print(
            "The chain is intact. Keep the head somewhere else: events removed from the end of "
            "the log show only against a head noted earlier."
        )
        return 0
    print(f"Broken at event {report.broken_event_id}: {report.problem}.", file=sys.stderr)
    return 1


# ------------------------------------------------------------------ app-store revision


def write_revision(message: str) -> Path:
    """Write a revision for what ``app_store.metadata`` adds to the head; the file's path.

    Compares against a scratch SQLite store at the head. The revision lands in
    ``app_migrations.SCRIPT_LOCATION / "versions"``; triggers and PostgreSQL-only details are
    not detected and must be written by hand.
    """
    if not message.strip():
        raise ValueError("Say what the revision changes (-m)")
    with tempfile.TemporaryDirectory() as scratch:
        engine = sa.create_engine(f"sqlite:///{Path(scratch) / 'head.sqlite'}")
        try:
            with engine.begin() as conn:
                app_migrations.upgrade_connection(conn)
                script = command.revision(
                    app_migrations.alembic_config(conn), message=message, autogenerate=True
                )
        finally:
            engine.dispose()
    return Path(script.path)


__all__ = ["COMMANDS", "add_subcommands", "run", "write_revision"]
