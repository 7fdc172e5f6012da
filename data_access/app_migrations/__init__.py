"""The app store's schema migrations (Alembic), run in code at the first use of a store.

Every app-store table is created and changed by a revision in ``versions/``: ``app_engine()``
brings a store to the head revision the first time the process uses it (one quick
``alembic_version`` read when it is already there). ``app_store.metadata`` declares what the code
expects; a test checks that it agrees with the head, so a table or column added to the metadata
without a revision fails with a message that says how to write one
(``python -m cli app-store revision -m "..."``).

Upgrades run in one transaction holding the store's write lock (``BEGIN IMMEDIATE`` on SQLite,
a transaction-level advisory lock on PostgreSQL), so two processes starting on a new store do not
both create it. There is no ``alembic.ini``: the configuration is built here.
"""

from __future__ import annotations

import functools
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

SCRIPT_LOCATION = Path(__file__).resolve().parent
# First key of the app store's PostgreSQL advisory locks (an arbitrary constant, "PCRM"); the
# second key names what is locked. Transaction-level: released at commit or rollback.
PG_LOCK_NAMESPACE = 0x5043524D
_PG_MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(:ns, hashtext('migrate:' || current_schema()))"


class AppStoreUpgradeError(RuntimeError):
    """The app store is behind this release's schema and could not be brought up to date."""


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic configuration for the app store; migrations run on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    """The revision this code expects every app store to be at."""
    head = ScriptDirectory(str(SCRIPT_LOCATION)).get_current_head()
    if head is None:
        raise AppStoreUpgradeError(f"no migrations in {SCRIPT_LOCATION / 'versions'}")
    return head


def current_revision(conn: sa.Connection) -> str | None:
    """The revision the store on ``conn`` is at; None when Alembic has never run on it."""
    return MigrationContext.configure(conn).get_current_revision()


def lock_for_migration(conn: sa.Connection) -> None:
    """Take the store's write lock for the rest of ``conn``'s transaction."""
    if conn.dialect.name == "sqlite":
        # pysqlite opens transactions lazily, before the first INSERT/UPDATE/DELETE; DDL would
        # run outside one. An explicit BEGIN IMMEDIATE makes the whole upgrade one transaction.
        if not conn.connection.driver_connection.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(sa.text(_PG_MIGRATION_LOCK), {"ns": PG_LOCK_NAMESPACE})


def upgrade_connection(conn: sa.Connection, revision: str = "head") -> None:
    """Migrate the store on ``conn`` to ``revision`` inside the caller's transaction."""
    lock_for_migration(conn)
    command.upgrade(alembic_config(conn), revision)


def downgrade_connection(conn: sa.Connection, revision: str) -> None:
    """Migrate the store on ``conn`` back to ``revision`` inside the caller's transaction."""
    lock_for_migration(conn)
    command.downgrade(alembic_config(conn), revision)


def upgrade(engine: Engine) -> str | None:
    """Bring the store behind ``engine`` to the head revision, unless it is there already; the
    revision it was at before (None for a store Alembic had never run on).

    Raises :class:`AppStoreUpgradeError` when the upgrade fails, e.g. when the app connects
    with a PostgreSQL role that may not change the tables (docs/security.md).
    """
    head = head_revision()
    with engine.connect() as conn:
        current = current_revision(conn)
    if current == head:
        return current
    try:
        with engine.begin() as conn:
            upgrade_connection(conn)
    except Exception as exc:
        raise AppStoreUpgradeError(
            f"Could not upgrade the app store at {engine.url!r} from revision "
            f"{current or '(none)'} to {head}: {exc}. When the tables belong to a separate "
            "owner role, run `python -m cli app-store grant` as an administrator."
        ) from exc
    return current


__all__ = [
    "PG_LOCK_NAMESPACE",
    "SCRIPT_LOCATION",
    "AppStoreUpgradeError",
    "alembic_config",
    "current_revision",
    "downgrade_connection",
    "head_revision",
    "lock_for_migration",
    "upgrade",
    "upgrade_connection",
]
