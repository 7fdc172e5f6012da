"""``python -m cli migrate``, ``audit verify`` and ``app-store grant|revision``.

- ``migrate [--url URL]`` brings the app store (default: the configured one) to this release's
  schema, creating it when new, and prints the revision it was at and the head; run again, it
  says there is nothing to do. ``make run`` runs it before starting the app. Exit status 1 when
  the store cannot be reached, 2 when it cannot be upgraded or the URL is not an app store's.

- ``audit verify [--url URL]`` walks the audit log's hash chain (``data_access.audit_chain``) in
  ``event_id`` order and prints how many events it verified and the head; at the first broken
  link it prints that event's id and what is wrong, and exits with status 1.
- ``app-store grant --owner ROLE --app ROLE [--url URL]`` (PostgreSQL, run as a superuser) makes
  ``--owner`` the owner of every app-store table, brings the tables to this release's schema as
  that role, and gives ``--app`` (the role the app connects as) only the rights in
  ``app_store.APP_ROLE_PRIVILEGES``: SELECT and INSERT on the audit log. Roles that do not exist
  are created: the owner without LOGIN, the app role with LOGIN and no password (set one with
  ``ALTER ROLE ... PASSWORD``). Run it again after installing a release with new migrations.
- ``app-store revision -m MESSAGE`` (developers) writes a new Alembic revision with what
  ``app_store.metadata`` declares and the current head lacks (review it before committing).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import make_url

from data_access import app_migrations, app_store, settings

COMMANDS = frozenset({"migrate", "audit", "app-store"})
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_VERSION_TABLE = "alembic_version"


def add_subcommands(commands: argparse._SubParsersAction) -> None:
    """Add ``migrate``, ``audit`` and ``app-store`` to the main parser's subcommands."""
    migrate = commands.add_parser(
        "migrate", help="bring the app store to this release's schema (make run does this)"
    )
    migrate.add_argument("--url", default=None, help="app store SQLAlchemy URL (default: settings)")

    audit = commands.add_parser("audit", help="check the audit log")
    audit_actions = audit.add_subparsers(dest="audit_action", required=True)
    verify = audit_actions.add_parser(
        "verify", help="check the audit log's hash chain; exit status 1 at the first broken link"
    )
    verify.add_argument("--url", default=None, help="app store SQLAlchemy URL (default: settings)")

    store = commands.add_parser("app-store", help="the app store's PostgreSQL roles and schema")
    store_actions = store.add_subparsers(dest="app_store_action", required=True)
    grant = store_actions.add_parser(
        "grant",
        help="PostgreSQL: tables owned by --owner, only the app's rights for --app (run as a "
        "superuser)",
    )
    grant.add_argument("--owner", required=True, help="role that owns the app-store tables")
    grant.add_argument("--app", required=True, help="role the app connects as")
    grant.add_argument("--url", default=None, help="administrator's SQLAlchemy URL of the store")
    revision = store_actions.add_parser(
        "revision", help="write a migration for changes to app_store.metadata (developers)"
    )
    revision.add_argument("-m", "--message", required=True, help="what the revision changes")


def run(args: argparse.Namespace) -> int:
    try:
        if args.command == "migrate":
            return _migrate(args.url)
        if args.command == "audit":
            return _verify(args.url)
        if args.app_store_action == "grant":
            for line in grant_roles(args.url or settings.app_db_url(), args.owner, args.app):
                print(line)
        else:
            print(f"Wrote {write_revision(args.message)}; review it, then commit it.")
    except (ValueError, app_migrations.AppStoreUpgradeError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


# ------------------------------------------------------------------ migrate


def _migrate(url: str | None) -> int:
    url = url or settings.app_db_url()
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError as exc:
        raise ValueError(f"The app store URL {url!r} is not a SQLAlchemy URL: {exc}") from exc
    try:
        before, head = app_store.migrate(url)
    except ImportError as exc:
        raise ValueError(f"The app store URL {shown} needs a missing driver: {exc}") from exc
    except (sa.exc.DBAPIError, OSError) as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        print(
            f"Cannot reach the app store at {shown}: {reason}. Check PCRM_APP_DB_URL (or "
            "app_db_url in .streamlit/secrets.toml, or --url) and that the database is running.",
            file=sys.stderr,
        )
        return 1
    if before == head:
        print(f"App store at {shown} is at revision {head}: nothing to do.")
    else:
        print(f"App store at {shown} upgraded from revision {before or '(none)'} to {head}.")
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


# ------------------------------------------------------------------ app-store grant


def _role_name(name: str) -> str:
    if not _ROLE_NAME.match(name):
        raise ValueError(
            f"Role name {name!r}: use lower-case letters, digits and _ (at most 63, not starting "
            "with a digit)"
        )
    return name


def _ensure_role(conn: sa.Connection, role: str, login: bool) -> bool:
    """Create ``role`` unless it exists; whether it was created."""
    exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    if exists.first() is not None:
        return False
    conn.execute(sa.text(f'CREATE ROLE "{role}" {"LOGIN" if login else "NOLOGIN"}'))
    return True


def _refuse_powerful_app_role(conn: sa.Connection, app: str, owner: str, schema: str) -> None:
    row = conn.execute(
        sa.text(
            "SELECT r.rolsuper, pg_has_role(:app, :owner, 'MEMBER') AS in_owner, "
            "pg_has_role(:app, n.nspowner, 'MEMBER') AS owns_schema "
            "FROM pg_roles r, pg_namespace n WHERE r.rolname = :app AND n.nspname = :schema"
        ),
        {"app": app, "owner": owner, "schema": schema},
    ).one()
    if row.rolsuper:
        raise ValueError(f"The app role {app} is a superuser: it could do anything to the log")
    if row.in_owner:
        raise ValueError(f"The app role {app} is a member of the owner role {owner}")
    if row.owns_schema:
        raise ValueError(
            f"The app role {app} owns schema {schema} (or is in its owner role) and could drop "
            f"the tables: give the schema another owner first (ALTER SCHEMA ... OWNER TO ...)"
        )


def grant_roles(url: str, owner: str, app: str) -> list[str]:
    """Set up the two PostgreSQL roles on the app store at ``url``; a summary, line by line.

    The connection must be a superuser's. Idempotent: run it again after an upgrade.
    """
    owner, app = _role_name(owner), _role_name(app)
    if owner == app:
        raise ValueError("The owner and the app role must be two different roles")
    backend = make_url(url).get_backend_name()
    if backend != "postgresql":
        raise ValueError(f"Roles and grants are for PostgreSQL; this app store is {backend}")
    tables = sorted(app_store.metadata.tables)
    if missing := [t for t in tables if t not in app_store.APP_ROLE_PRIVILEGES]:
        raise ValueError(
            f"app_store.APP_ROLE_PRIVILEGES does not say what the app may do on {missing}"
        )
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            return _grant(conn, owner, app, tables)
    finally:
        engine.dispose()


def _grant(conn: sa.Connection, owner: str, app: str, tables: list[str]) -> list[str]:
    schema = conn.execute(sa.text("SELECT current_schema()")).scalar()
    if schema is None:
        raise ValueError("The URL's search_path names no existing schema: create it first")
    quote = conn.dialect.identifier_preparer.quote
    lines = [f"Schema {schema}:"]
    for role, login in ((owner, False), (app, True)):
        if _ensure_role(conn, role, login):
            how = "LOGIN, no password yet" if login else "NOLOGIN"
            lines.append(f"  created role {role} ({how})")
    _refuse_powerful_app_role(conn, app, owner, schema)
    conn.execute(sa.text(f'GRANT USAGE, CREATE ON SCHEMA {quote(schema)} TO "{owner}"'))
    conn.execute(sa.text(f'GRANT USAGE ON SCHEMA {quote(schema)} TO "{app}"'))
    conn.execute(sa.text(f'REVOKE CREATE ON SCHEMA {quote(schema)} FROM "{app}"'))

    # Tables an older release created belong to whoever created them: hand them to the owner,
    # with the functions their triggers call (owned sequences follow their table).
    store_tables = [*tables, _VERSION_TABLE]
    present = conn.execute(
        sa.text(
            "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p') "
            "AND c.relnamespace = CAST(:schema AS regnamespace) AND c.relname = ANY(:names)"
        ),
        {"schema": schema, "names": store_tables},
    ).scalars()
    for table in list(present):
        conn.execute(sa.text(f'ALTER TABLE {quote(schema)}.{quote(table)} OWNER TO "{owner}"'))
    functions = conn.execute(
        sa.text(
            "SELECT DISTINCT CAST(t.tgfoid AS regprocedure)::text FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal "
            "AND c.relnamespace = CAST(:schema AS regnamespace) AND c.relname = ANY(:names)"
        ),
        {"schema": schema, "names": store_tables},
    ).scalars()
    for function in list(functions):
        conn.execute(sa.text(f'ALTER FUNCTION {function} OWNER TO "{owner}"'))

    # New tables, columns and triggers are made by the owner itself.
    conn.execute(sa.text(f'SET LOCAL ROLE "{owner}"'))
    app_migrations.upgrade_connection(conn)
    conn.execute(sa.text("RESET ROLE"))
    revision = app_migrations.head_revision()
    lines.append(f"  owner {owner} owns {', '.join(store_tables)} (revision {revision})")

    lines.append(f"  app role {app} may:")
    rights = {**app_store.APP_ROLE_PRIVILEGES, _VERSION_TABLE: ("SELECT",)}
    for table in store_tables:
        target = f"{quote(schema)}.{quote(table)}"
        conn.execute(sa.text(f'REVOKE ALL ON {target} FROM "{app}"'))
        conn.execute(sa.text(f'GRANT {", ".join(rights[table])} ON {target} TO "{app}"'))
        lines.append(f"    {table}: {', '.join(rights[table])}")
    sequences = conn.execute(
        sa.text(
            "SELECT s.relname FROM pg_class s JOIN pg_depend d ON d.objid = s.oid "
            "JOIN pg_class t ON t.oid = d.refobjid WHERE s.relkind = 'S' "
            "AND d.deptype IN ('a', 'i') AND t.relnamespace = CAST(:schema AS regnamespace) "
            "AND t.relname = ANY(:names)"
        ),
        {"schema": schema, "names": [t for t in tables if "INSERT" in rights[t]]},
    ).scalars()
    for sequence in sorted(sequences):
        target = f"{quote(schema)}.{quote(sequence)}"
        conn.execute(sa.text(f'REVOKE ALL ON SEQUENCE {target} FROM "{app}"'))
        conn.execute(sa.text(f'GRANT USAGE ON SEQUENCE {target} TO "{app}"'))
        lines.append(f"    sequence {sequence}: USAGE")
    return lines


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


__all__ = ["COMMANDS", "add_subcommands", "grant_roles", "run", "write_revision"]
