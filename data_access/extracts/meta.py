"""The load's own records in the warehouse: ``meta_load`` and the ``meta_warehouse`` row.

``meta_load`` (defined in ``data_access/schema.py`` with the other tables) holds one row per
table per successful load (grain: load x table), so the data-quality page can show the last
load, its as-of month and the rows per table. A rejected load writes nothing to the warehouse
(that is the point); its problems are in the rejection report and the load journal
(:mod:`data_access.extracts.journal`), so ``rejected_rows`` of a committed load is always 0.
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from data_access import schema

meta_load = schema.meta_load


def new_load_id() -> str:
    return uuid.uuid4().hex


def now() -> dt.datetime:
    """Naive UTC, like every timestamp in the warehouse."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def ensure_history(conn: Connection, history: list[dict]) -> None:
    """Create ``meta_load`` in the new version and carry the previous loads' rows over.

    A monthly DuckDB build is a copy of the live file and already has them; a full build and a
    PostgreSQL build start without the table.
    """
    if sa.inspect(conn).has_table(meta_load.name, schema=_schema_of(conn)):
        return
    meta_load.create(conn)
    if history:
        columns = {c.name for c in meta_load.columns}
        conn.execute(
            meta_load.insert(), [{k: v for k, v in r.items() if k in columns} for r in history]
        )


def _schema_of(conn: Connection) -> str | None:
    return conn.get_execution_options().get("schema_translate_map", {}).get(None)


def record_load(
    conn: Connection,
    load_id: str,
    loaded_at: dt.datetime,
    mode: str,
    as_of_month: dt.date,
    files: list[tuple[str, str, str, int]],
) -> None:
    """One ``meta_load`` row per (table, file, sha256, rows) of this load."""
    conn.execute(
        meta_load.insert(),
        [
            {
                "load_id": load_id,
                "loaded_at": loaded_at,
                "mode": mode,
                "table_name": table,
                "file_name": file,
                "sha256": sha,
                "rows": rows,
                "rejected_rows": 0,
                "as_of_month": as_of_month,
            }
            for table, file, sha, rows in files
        ],
    )


def write_meta_warehouse(conn: Connection, load_id: str, built_at: dt.datetime) -> dict:
    """Replace the ``meta_warehouse`` row to describe the loaded data; returns it."""
    f, c = schema.fact_customer_month, schema.dim_customer
    first, last = conn.execute(
        sa.select(sa.func.min(f.c.month_start), sa.func.max(f.c.month_start))
    ).one()
    customers = conn.execute(sa.select(sa.func.count()).select_from(c)).scalar()
    row = {
        "version_id": load_id,
        "built_at": built_at,
        "source": "load",
        "is_demo": False,
        "first_month": first,
        "as_of_month": last,
        "count_customers": int(customers or 0),
        "seed": None,
        "refreshed_at": None,
    }
    if first is None:
        raise ValueError("fact_customer_month is empty: there is no month to report on")
    conn.execute(sa.delete(schema.meta_warehouse))
    conn.execute(schema.meta_warehouse.insert().values(**row))
    return row
