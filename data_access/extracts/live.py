"""What a load reads from the live warehouse: row counts, keys, tier state, load history.

Read-only, through :meth:`Warehouse.reader`; the load never writes to the live version (it
builds a new one). When no warehouse exists yet every answer is empty.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import sqlalchemy as sa

from data_access import schema
from data_access.extracts.arrowio import stream_batches
from data_access.extracts.staging import Scratch, ident
from data_access.warehouse import Warehouse


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class Live:
    """The live warehouse, opened read-only for the duration of a load."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        self.engine = warehouse.reader() if warehouse.exists() else None

    @property
    def exists(self) -> bool:
        return self.engine is not None

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None

    def has_table(self, name: str) -> bool:
        if self.engine is None:
            return False
        pg_schema = None if self.warehouse.is_duckdb else self.warehouse.pg_schema
        with self.engine.connect() as conn:
            return sa.inspect(conn).has_table(name, schema=pg_schema)

    def count(self, table: sa.Table) -> int | None:
        if not self.has_table(table.name):
            return None
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar())

    def month_counts(self, table: sa.Table, month_column: str) -> dict[dt.date, int]:
        if not self.has_table(table.name):
            return {}
        col = table.c[month_column]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(col, sa.func.count()).group_by(col)).all()
        return {_as_date(m): int(n) for m, n in rows}

    def meta(self) -> dict | None:
        if not self.has_table(schema.meta_warehouse.name):
            return None
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(schema.meta_warehouse)).mappings().first()
        return dict(row) if row else None

    def rows(self, table: sa.Table) -> list[dict]:
        """All rows of a small table (load history), or none when it does not exist."""
        if not self.has_table(table.name):
            return []
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(sa.select(table)).mappings()]

    def keys_into(self, scratch: Scratch, column: sa.Column, name: str) -> bool:
        """Copy the distinct values of ``column`` into scratch table ``name`` (column ``k``)."""
        if not self.has_table(column.table.name):
            return False
        arrow_schema = pa.schema([pa.field("k", pa.int64())])
        scratch.execute(f"CREATE TABLE {ident(name)} (k BIGINT)")
        stmt = sa.select(column).where(column.is_not(None)).distinct()
        for batch in stream_batches(self.engine, stmt, arrow_schema):
            scratch.insert_arrow(ident(name), batch)
        return True

    def daily_averages(self, months: list[dt.date]) -> pa.Table:
        """customer_id, month_start, aum_avg_rmb of every customer in ``months`` (the months
        before a month-mode load that a tier judged on several months' daily average spans)."""
        f = schema.fact_customer_month
        arrow_schema = pa.schema(
            [
                ("customer_id", pa.int64()),
                ("month_start", pa.date32()),
                ("aum_avg_rmb", pa.float64()),
            ]
        )
        if not months or not self.has_table(f.name):
            return arrow_schema.empty_table()
        stmt = sa.select(f.c.customer_id, f.c.month_start, f.c.aum_avg_rmb).where(
            f.c.month_start.in_(months)
        )
        batches = list(stream_batches(self.engine, stmt, arrow_schema))
        return pa.Table.from_batches(batches, schema=arrow_schema)

    def tier_state(self, month: dt.date) -> pa.Table:
        """customer_id, tier_code, months_below_floor of every customer in ``month``."""
        f = schema.fact_customer_month
        arrow_schema = pa.schema(
            [
                ("customer_id", pa.int64()),
                ("tier_code", pa.string()),
                ("months_below_floor", pa.int64()),
            ]
        )
        if not self.has_table(f.name):
            return arrow_schema.empty_table()
        stmt = sa.select(f.c.customer_id, f.c.tier_code, f.c.months_below_floor).where(
            f.c.month_start == month
        )
        batches = list(stream_batches(self.engine, stmt, arrow_schema))
        return pa.Table.from_batches(batches, schema=arrow_schema)
