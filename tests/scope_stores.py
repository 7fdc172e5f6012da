"""The stores a viewer may see, as copies: the ground truth of the scope meta-test.

For one viewer, :func:`prune` copies the three stores the data layer reads, keeping only the
rows that viewer may see:

- **warehouse**: every table of ``data_access.schema``, filtered by ``scope.visible_rows`` (the
  scope's own per-table definition). Tables everyone sees (``dim_product``, ``meta_warehouse``,
  ``meta_load``, ``mart_propensity_model``) stay whole; marts are pruned by
  their own branch, staff or customer column like any table, and a whole-province table without
  one (``mart_pareto``, ``mart_group_*``, ``dim_month``, ``meta_table_rows``) is empty for every
  role narrower than the province. A role whose every table is whole (executive, analyst) reads
  the warehouse itself: the copy would hold the same rows.
- **app store**: the rules of :data:`APP_STORE_RULES`, written out here rather than read from
  the product, so that widening what a role may read is a change to this file too:

  - ``app_user``: the viewer's own account; every account for the roles that manage users;
  - ``audit_log``: the viewer's own rows; every row for the roles that open the audit page;
  - ``contact_log`` and ``retention_case``: rows of customers the viewer may see (their
    ``dim_customer`` rows): a contact or case belongs to the customer, whoever recorded it;
  - ``saved_view`` and ``sso_session``: the viewer's own;
  - ``app_secret``: whole (the server's own keys, seeded, so that no read generates one).

  Rows keep their ids (the audit log's ``event_id`` included), and both copies continue the
  audit log's numbering from the same value, so a function that writes an audit row gets the
  same id in both.
- **load journal** (``settings.load_journal_dir``): its rejection reports name source lines of
  every branch, so it is whole for :data:`JOURNAL_READERS` and empty for everyone else.

:func:`seed_rows` (written by :func:`write_app_store`) and :func:`seed_journal` fill the full
stores with rows of several branches, users and customers, so that a read of another scope's
rows has something to find.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.sql.elements import True_

from analytics import contact_rules, retention_rules
from data_access import app_store, audit_chain, query, schema, scope
from data_access.extracts import journal
from data_access.extracts.problems import REPORT_COLUMNS
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse

# Who reads more of the app store than their own rows (ui/auth.py PAGE_CAPABILITY: "users",
# "audit").
USER_MANAGERS = frozenset({"admin"})
AUDIT_READERS = frozenset({"admin", "executive"})
# Who reads the load journal: roles that see the whole warehouse, and the admin who runs loads.
JOURNAL_READERS = frozenset({"executive", "analyst", "admin"})
# The next event_id of the audit log in every copy (above every seeded id).
AUDIT_NEXT_ID = 10_000

Rule = Callable[[Viewer, dict, frozenset[int]], bool]
APP_STORE_RULES: dict[str, Rule] = {
    "app_user": lambda v, row, _: row["user_id"] == v.user_id or v.role in USER_MANAGERS,
    "audit_log": lambda v, row, _: row["user_id"] == v.user_id or v.role in AUDIT_READERS,
    "contact_log": lambda _, row, customers: row["customer_id"] in customers,
    "retention_case": lambda _, row, customers: row["customer_id"] in customers,
    "saved_view": lambda v, row, _: row["user_id"] == v.user_id,
    "sso_session": lambda v, row, _: row["user_id"] == v.user_id,
    "app_secret": lambda *_: True,  # the server's own keys (audit hash key), no one's data
}


@dataclasses.dataclass(frozen=True)
class Stores:
    """One set of the stores the data layer reads: warehouse, app store, load journal."""

    warehouse: Warehouse
    app_url: str
    journal_dir: Path


@contextlib.contextmanager
def active(stores: Stores) -> Iterator[None]:
    """Point the data layer at ``stores`` for the block (the settings' environment variables
    for the app store and journal, ``query.use_warehouse`` for the warehouse)."""
    names = {"PCRM_APP_DB_URL": stores.app_url, "PCRM_LOAD_JOURNAL_DIR": str(stores.journal_dir)}
    saved = {name: os.environ.get(name) for name in names}
    os.environ.update(names)
    query.use_warehouse(stores.warehouse)
    try:
        yield
    finally:
        query.use_warehouse(None)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# ------------------------------------------------------------------ the full warehouse's facts


def read(warehouse: Warehouse, stmt: sa.Select) -> list[sa.Row]:
    """Rows of ``stmt`` on the whole warehouse (no scope: this is the test's own view)."""
    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            return list(conn.execute(stmt))
    finally:
        engine.dispose()


def visible_ids(warehouse: Warehouse, viewer: Viewer, column: sa.Column) -> frozenset[int]:
    """Values of ``column`` (an id) in the rows of its table that ``viewer`` may see."""
    stmt = sa.select(column).where(scope.visible_rows(viewer, column.table))
    return frozenset(int(row[0]) for row in read(warehouse, stmt))


# ------------------------------------------------------------------ seeding the full stores


def app_store_url(warehouse: Warehouse, scratch: Path, name: str) -> str:
    """A new, empty app store beside ``warehouse``'s backend: a SQLite file for DuckDB, a
    PostgreSQL schema (selected through the connection's search_path) for PostgreSQL."""
    if warehouse.is_duckdb:
        return f"sqlite:///{scratch / f'{name}.sqlite'}"
    admin = sa.create_engine(warehouse.url, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    admin.dispose()
    return f"{warehouse.url}?options={quote(f'-csearch_path={name}')}"


def seed_rows(
    users: list[Viewer], customers: list[sa.Row], watch_months: list[dt.date], as_of: dt.date
) -> dict[str, list[dict]]:
    """App-store rows of every table: an account, audit rows and a saved view per user; two
    contacts (their relationship manager's and their branch head's) and a retention case per
    watch month per customer. ``customers`` rows hold ``customer_id, branch_id, rm_staff_id,
    head_staff_id``. Recent audit rows are dated now, so counts over the last minutes see them.
    """
    now = app_store.utc_now().replace(microsecond=0)
    contacted_at = dt.datetime.combine(as_of, dt.time(10)) + dt.timedelta(days=14)
    types, outcomes = (
        sorted(contact_rules.CONTACT_TYPE_CODES),
        sorted(contact_rules.CONTACT_OUTCOME_CODES),
    )
    rows: dict[str, list[dict]] = {name: [] for name in app_store.metadata.tables}
    for n, user in enumerate(users):
        rows["app_user"].append(
            {
                "user_id": user.user_id,
                "display_name": user.display_name or user.user_id,
                "role": user.role,
                "prefecture_id": user.prefecture_id,
                "cooperative_id": user.cooperative_id,
                "branch_id": user.branch_id,
                "staff_id": user.staff_id,
                "password_hash": None,
                "is_disabled": False,
                "failed_attempts": 0,
                "locked_until": None,
                "created_at": now - dt.timedelta(days=30),
            }
        )
        rows["saved_view"].append(
            {
                "view_id": str(uuid.UUID(int=n + 1)),
                "user_id": user.user_id,
                "name": f"view of {user.user_id}",
                "page": "overview",
                "query_string": f"branch={user.branch_id or ''}",
                "created_at": now - dt.timedelta(days=1),
            }
        )
        ids = [c.customer_id for c in customers[n % len(customers) :][:3]]
        for event, when, named in (
            ("sign_in", now - dt.timedelta(days=2), None),
            ("customer_list", now - dt.timedelta(minutes=2), ids),
            ("customer_view", now - dt.timedelta(minutes=1), ids[:1]),
        ):
            rows["audit_log"].append(
                {
                    "event_id": len(rows["audit_log"]) + 1,
                    "occurred_at": when,
                    "user_id": user.user_id,
                    "role": user.role,
                    "event": event,
                    "customer_ids": None if named is None else ",".join(map(str, named)),
                    "detail": json.dumps({"page": "customer"}),
                    "warehouse_version": "seeded",
                }
            )
    rows["app_secret"].append(
        {"name": "audit_hash_key", "value": "5eed" * 16, "created_at": now - dt.timedelta(days=30)}
    )
    for n, customer in enumerate(customers):
        staff = [s for s in (customer.rm_staff_id, customer.head_staff_id) if s is not None]
        contact_ids = []
        for k, staff_id in enumerate(dict.fromkeys(staff)):
            contact_id = str(uuid.UUID(int=10_000 + 10 * n + k))
            contact_ids.append(contact_id)
            rows["contact_log"].append(
                {
                    "contact_id": contact_id,
                    "customer_id": customer.customer_id,
                    "branch_id": customer.branch_id,
                    "staff_id": staff_id,
                    "user_id": f"staff-{staff_id}",
                    "contact_type": types[(n + k) % len(types)],
                    "outcome": outcomes[(n + k) % len(outcomes)],
                    "next_step": None,
                    "next_step_on": None,
                    "note": f"contact {n}.{k}",
                    "created_at": contacted_at + dt.timedelta(minutes=10 * n + k),
                }
            )
        for m, month in enumerate(watch_months):
            rows["retention_case"].append(
                {
                    "customer_id": customer.customer_id,
                    "watch_month": month,
                    "branch_id": customer.branch_id,
                    "assigned_staff_id": customer.rm_staff_id,
                    "status": retention_rules.STATUS_CODES[
                        (n + m) % len(retention_rules.STATUS_CODES)
                    ],
                    "follow_up_on": None,
                    "last_contact_id": contact_ids[0] if contact_ids else None,
                    "updated_at": contacted_at,
                    "updated_by": "seed",
                }
            )
    return rows


def write_app_store(url: str, rows: dict[str, list[dict]]) -> None:
    """Insert ``rows`` into the (new) app store at ``url`` and set the audit log's next id."""
    engine = app_store.app_engine(url)
    rows = {**rows, "audit_log": _chained(rows.get("audit_log", []))}
    with engine.begin() as conn:
        for name, table in app_store.metadata.tables.items():
            if rows.get(name):
                conn.execute(table.insert(), rows[name])
        if engine.dialect.name == "sqlite":
            conn.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = 'audit_log'"))
            conn.execute(
                sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('audit_log', :n)"),
                {"n": AUDIT_NEXT_ID - 1},
            )
        else:
            conn.execute(
                sa.text("SELECT setval(pg_get_serial_sequence('audit_log', 'event_id'), :n)"),
                {"n": AUDIT_NEXT_ID - 1},
            )


def _chained(events: list[dict]) -> list[dict]:
    """The audit rows with their hash chain, in event_id order; a pruned copy's rows are chained
    among themselves (the meta-test compares what is read, not the chain)."""
    chained, prev = [], audit_chain.GENESIS_HASH
    for event in sorted(events, key=lambda row: row["event_id"]):
        digest = audit_chain.event_hash(event, prev)
        chained.append({**event, "prev_hash": prev, "event_hash": digest})
        prev = digest
    return chained


def seed_journal(folder: Path, customer_id: int, branch_id: int) -> None:
    """A loaded and a rejected load in the journal at ``folder``; the rejection report names a
    line of ``customer_id`` at ``branch_id``."""
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "report.csv"
    with report.open("w", encoding="utf-8-sig") as handle:
        handle.write(",".join(REPORT_COLUMNS) + "\n")
        handle.write(
            f"customers.csv,2,branch_id,unknown_branch,{branch_id},"
            f"customer {customer_id}: unknown branch\n"
        )
    base = {"started_at": "2026-09-02T01:00:00", "mode": "monthly", "as_of_month": "2026-09"}
    journal.record({**base, "load_id": "seed-loaded", "status": "loaded"}, folder=folder)
    journal.record(
        {
            **base,
            "load_id": "seed-rejected",
            "status": "rejected",
            "problems": 1,
            "rejected_rows": 1,
            "rules": {"unknown_branch": 1},
        },
        report,
        folder=folder,
    )
    report.unlink()


# ------------------------------------------------------------------ the pruned copies


def _sql(engine: sa.Engine, stmt: sa.Select) -> str:
    return str(stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))


def _copy_warehouse(source: Warehouse, viewer: Viewer, target: Warehouse) -> None:
    """Write ``target``: each table of ``source`` with only the rows ``viewer`` may see.

    Every filter is evaluated on ``source`` (the tables it names are read whole there), so the
    order in which the copies are written does not matter.
    """
    missing = set(source.missing_tables())
    tables = [t for t in schema.metadata.sorted_tables if t.name not in missing]
    if source.is_duckdb:
        engine = sa.create_engine("duckdb:///:memory:", poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            for statement in (
                f"ATTACH '{source.path}' AS src (READ_ONLY)",
                f"ATTACH '{target.path}' AS dst",
                "USE src",
            ):
                conn.exec_driver_sql(statement)
            for table in tables:
                select = sa.select(table).where(scope.visible_rows(viewer, table))
                conn.exec_driver_sql(
                    f'CREATE TABLE dst.main."{table.name}" AS {_sql(engine, select)}'
                )
            conn.commit()
            conn.exec_driver_sql("DETACH dst")
        engine.dispose()
        return
    engine = sa.create_engine(source.url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{target.pg_schema}"')
        conn.exec_driver_sql(f'SET LOCAL search_path TO "{source.pg_schema}"')
        for table in tables:
            select = sa.select(table).where(scope.visible_rows(viewer, table))
            conn.exec_driver_sql(
                f'CREATE TABLE "{target.pg_schema}"."{table.name}" AS {_sql(engine, select)}'
            )
    engine.dispose()


def sees_whole_warehouse(viewer: Viewer) -> bool:
    """True when the viewer's filter keeps every row of every table."""
    return all(
        isinstance(scope.visible_rows(viewer, t), True_) for t in schema.metadata.sorted_tables
    )


def prune(
    full: Stores, viewer: Viewer, seeded: dict[str, list[dict]], scratch: Path, name: str
) -> Stores:
    """The copies of ``full`` holding only what ``viewer`` may see (module docstring).

    ``seeded`` are the app-store rows ``full`` was filled with. ``name`` names the copies: file
    stems in ``scratch`` for DuckDB; on PostgreSQL the warehouse's schema, and ``<name>_app``
    the app store's (the caller drops both).
    """
    source = full.warehouse
    if sees_whole_warehouse(viewer):
        warehouse = source
    elif source.is_duckdb:
        warehouse = Warehouse(f"duckdb:///{scratch / f'{name}.duckdb'}")
        _copy_warehouse(source, viewer, warehouse)
    else:
        warehouse = Warehouse(source.url, pg_schema=name)
        _copy_warehouse(source, viewer, warehouse)
    customers = visible_ids(source, viewer, schema.dim_customer.c.customer_id)
    app_url = app_store_url(source, scratch, f"{name}_app")
    write_app_store(
        app_url,
        {
            table: [row for row in rows if APP_STORE_RULES[table](viewer, row, customers)]
            for table, rows in seeded.items()
        },
    )
    journal_dir = scratch / f"{name}-journal"
    journal_dir.mkdir()
    if viewer.role in JOURNAL_READERS:
        for found in full.journal_dir.iterdir():
            (journal_dir / found.name).write_bytes(found.read_bytes())
    return Stores(warehouse, app_url, journal_dir)
