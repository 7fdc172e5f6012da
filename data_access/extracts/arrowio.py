"""Streaming query results out of the warehouse as Arrow record batches, in bounded memory.

DuckDB hands Arrow batches over natively; PostgreSQL rows come through a server-side cursor and
are turned into batches of the requested schema. Used by the exporter and by the loader when it
reads keys and tier state from the live warehouse.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.engine import Engine

BATCH_ROWS = 500_000


def _conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    arrays = []
    for i, target in enumerate(schema):
        array = batch.column(i)
        if array.type != target.type:
            array = array.cast(target.type)
        arrays.append(array)
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _duckdb_batches(
    engine: Engine, stmt: sa.Select, schema: pa.Schema, batch_rows: int
) -> Iterator[pa.RecordBatch]:
    sql = str(stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    raw = engine.raw_connection()
    try:
        reader = raw.driver_connection.sql(sql).to_arrow_reader(batch_rows)
        for batch in reader:
            if batch.num_rows:
                yield _conform(batch, schema)
    finally:
        raw.close()


def _cursor_batches(
    engine: Engine, stmt: sa.Select, schema: pa.Schema, batch_rows: int
) -> Iterator[pa.RecordBatch]:
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=batch_rows).execute(stmt)
        for rows in result.partitions():
            columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
            yield pa.RecordBatch.from_arrays(
                [pa.array(list(col), type=f.type) for col, f in zip(columns, schema, strict=True)],
                schema=schema,
            )


def stream_batches(
    engine: Engine, stmt: sa.Select, schema: pa.Schema, batch_rows: int = BATCH_ROWS
) -> Iterator[pa.RecordBatch]:
    """The rows of ``stmt`` as record batches of ``schema`` (same column order as the select)."""
    if engine.dialect.name == "duckdb":
        yield from _duckdb_batches(engine, stmt, schema, batch_rows)
    else:
        yield from _cursor_batches(engine, stmt, schema, batch_rows)
