"""Moving validated rows from the staging database into a warehouse build.

Two ways, one interface: a DuckDB build attaches the staging database and copies with
``INSERT ... SELECT`` (no row passes through Python); a PostgreSQL build receives Arrow batches
streamed from staging through :func:`data_access.bulk.write_frame` (``COPY``). Month mode needs
"replace these months" and "upsert by key"; both are SQLAlchemy Core on the build engine.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from data_access import bulk
from data_access.extracts.staging import Scratch, ident, literal

STAGE_CATALOG = "extract_stage"
_BATCH_ROWS = 250_000


def _key_match(target: sa.Table, source: sa.TableClause, key: tuple[str, ...]) -> sa.ColumnElement:
    return sa.and_(*[target.c[k] == source.c[k] for k in key])


class Writer:
    """Base: delete months, upsert by key, append; subclasses supply the rows."""

    def __init__(self, engine: Engine, scratch: Scratch) -> None:
        self.engine = engine
        self.scratch = scratch

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass

    def append(self, table: sa.Table, relation: str) -> int:
        raise NotImplementedError

    def delete_months(self, table: sa.Table, column: str, months: list[dt.date]) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(sa.delete(table).where(table.c[column].in_(months)))
            return result.rowcount or 0

    def upsert(self, table: sa.Table, relation: str, key: tuple[str, ...]) -> int:
        raise NotImplementedError


class DuckDBWriter(Writer):
    """Attach the staging database to the build's connection and copy inside DuckDB."""

    def __init__(self, engine: Engine, scratch: Scratch) -> None:
        super().__init__(engine, scratch)
        scratch.close()  # DuckDB lets one database instance hold the file at a time
        self.conn: Connection = engine.connect()
        self.conn.exec_driver_sql(
            f"ATTACH {literal(str(scratch.path))} AS {STAGE_CATALOG} (READ_ONLY)"
        )
        self.conn.commit()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.rollback()
            self.conn.exec_driver_sql(f"DETACH {STAGE_CATALOG}")
            self.conn.commit()
            self.conn.close()
            self.conn = None

    def _source(self, table: sa.Table, relation: str) -> sa.TableClause:
        return sa.table(relation, *[sa.column(c.name) for c in table.columns], schema=STAGE_CATALOG)

    def append(self, table: sa.Table, relation: str) -> int:
        source = self._source(table, relation)
        names = [c.name for c in table.columns]
        result = self.conn.execute(
            table.insert().from_select(names, sa.select(*[source.c[n] for n in names]))
        )
        self.conn.commit()
        return result.rowcount or 0

    def delete_months(self, table: sa.Table, column: str, months: list[dt.date]) -> int:
        result = self.conn.execute(sa.delete(table).where(table.c[column].in_(months)))
        self.conn.commit()
        return result.rowcount or 0

    def upsert(self, table: sa.Table, relation: str, key: tuple[str, ...]) -> int:
        source = self._source(table, relation)
        self.conn.execute(sa.delete(table).where(sa.exists().where(_key_match(table, source, key))))
        self.conn.commit()
        return self.append(table, relation)


class StreamWriter(Writer):
    """Stream Arrow batches out of staging and bulk-write them (PostgreSQL and others)."""

    def _write(self, table: sa.Table, relation: str) -> int:
        """Copy ``relation`` from staging into ``table`` in batches; returns the rows."""
        columns = ", ".join(ident(c.name) for c in table.columns)
        reader = self.scratch.con.sql(f"SELECT {columns} FROM {ident(relation)}").to_arrow_reader(
            _BATCH_ROWS
        )
        write_arrow = getattr(bulk, "write_arrow", None)
        rows = 0
        for batch in reader:
            if not batch.num_rows:
                continue
            if write_arrow is not None:
                rows += write_arrow(self.engine, table, pa.Table.from_batches([batch]))
            else:
                frame = batch.to_pandas(types_mapper=pd.ArrowDtype)
                rows += bulk.write_frame(self.engine, table, frame)
        return rows

    def append(self, table: sa.Table, relation: str) -> int:
        return self._write(table, relation)

    def upsert(self, table: sa.Table, relation: str, key: tuple[str, ...]) -> int:
        stage = sa.Table(
            f"_load_{table.name}",
            sa.MetaData(),
            *[sa.Column(c.name, c.type) for c in table.columns],
        )
        with self.engine.begin() as conn:
            stage.drop(conn, checkfirst=True)
            stage.create(conn)
        rows = self._write(stage, relation)
        names = [c.name for c in table.columns]
        with self.engine.begin() as conn:
            conn.execute(sa.delete(table).where(sa.exists().where(_key_match(table, stage, key))))
            conn.execute(table.insert().from_select(names, sa.select(*[stage.c[n] for n in names])))
            stage.drop(conn)
        return rows


def writer_for(engine: Engine, scratch: Scratch) -> Writer:
    if engine.dialect.name == "duckdb":
        return DuckDBWriter(engine, scratch)
    return StreamWriter(engine, scratch)
