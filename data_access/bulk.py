"""Fast bulk writes for builds: DuckDB scans an Arrow table, PostgreSQL takes ``COPY``.

SQLAlchemy's ``executemany`` moves a few thousand rows a second; a demo or a monthly load moves
tens of millions. Both paths first cast the frame to the table's own types (dates as dates,
booleans as booleans, missing values as NULL) so the database never guesses, and both honour
the engine's ``schema_translate_map`` because PostgreSQL builds write into a staging schema.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access import schema

# COPY sends the CSV text in pieces of this many rows, so a big frame is never one huge string.
_COPY_BATCH_ROWS = 200_000


def create_tables(
    engine: Engine, tables: Iterable[sa.Table] = schema.metadata.sorted_tables
) -> None:
    """Create ``tables`` (in dependency order) on ``engine``, skipping those that exist."""
    with engine.begin() as conn:
        for table in tables:
            table.create(conn, checkfirst=True)


def _arrow_type(column: sa.Column) -> pa.DataType:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return pa.bool_()
    if isinstance(kind, sa.DateTime):
        return pa.timestamp("us")
    if isinstance(kind, sa.Date):
        return pa.date32()
    if isinstance(kind, sa.Integer):  # BigInteger and SmallInteger are subclasses
        return pa.int64()
    if isinstance(kind, sa.Float):
        return pa.float64()
    if isinstance(kind, sa.String):
        return pa.string()
    raise TypeError(f"No bulk mapping for {column.table.name}.{column.name}: {kind!r}")


def _arrow_column(values: pd.Series, column: sa.Column) -> pa.Array:
    target = _arrow_type(column)
    if pa.types.is_date32(target) and values.dtype.kind == "M":
        # Timestamps at midnight become dates; datetime64 -> date32 is a safe Arrow cast.
        values = values.dt.floor("D")
    array = pa.array(values, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if array.type != target:
        array = array.cast(target, safe=not pa.types.is_date32(target))
    return array


def to_arrow(table: sa.Table, frame: pd.DataFrame) -> pa.Table:
    """The frame's columns in the table's order, cast to the table's types.

    Raises ``KeyError`` naming the table when a column of the table is missing from the frame;
    extra frame columns are ignored.
    """
    missing = [c.name for c in table.columns if c.name not in frame.columns]
    if missing:
        raise KeyError(f"{table.name}: frame lacks columns {', '.join(missing)}")
    return pa.table(
        [_arrow_column(frame[c.name], c) for c in table.columns],
        names=[c.name for c in table.columns],
    )


def target_schema(engine: Engine) -> str | None:
    """The schema a build writes to (PostgreSQL staging schema), or None for the default."""
    return engine.get_execution_options().get("schema_translate_map", {}).get(None)


def _qualified(engine: Engine, table: sa.Table) -> str:
    preparer = engine.dialect.identifier_preparer
    name = preparer.quote(table.name)
    schema_name = target_schema(engine) or table.schema
    return f"{preparer.quote_schema(schema_name)}.{name}" if schema_name else name


def _column_list(engine: Engine, table: sa.Table) -> str:
    preparer = engine.dialect.identifier_preparer
    return ", ".join(preparer.quote(c.name) for c in table.columns)


def _write_duckdb(engine: Engine, table: sa.Table, data: pa.Table) -> None:
    view = f"bulk_{uuid.uuid4().hex}"
    raw = engine.raw_connection()
    try:
        duck = raw.driver_connection
        duck.register(view, data)
        try:
            duck.execute(
                f"INSERT INTO {_qualified(engine, table)} ({_column_list(engine, table)}) "
                f"SELECT {_column_list(engine, table)} FROM {view}"
            )
        finally:
            duck.unregister(view)
        raw.commit()
    finally:
        raw.close()


def _write_postgres(engine: Engine, table: sa.Table, data: pa.Table) -> None:
    statement = (
        f"COPY {_qualified(engine, table)} ({_column_list(engine, table)}) "
        "FROM STDIN WITH (FORMAT csv, HEADER false)"
    )
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
    raw = engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
            for start in range(0, data.num_rows, _COPY_BATCH_ROWS):
                buffer = io.BytesIO()
                pa_csv.write_csv(data.slice(start, _COPY_BATCH_ROWS), buffer, options)
                copy.write(buffer.getvalue())
        raw.commit()
    finally:
        raw.close()


def conform(table: sa.Table, data: pa.Table) -> pa.Table:
    """An Arrow table with exactly ``table``'s columns, in its order and with its types."""
    missing = [c.name for c in table.columns if c.name not in data.column_names]
    if missing:
        raise KeyError(f"{table.name}: data lacks columns {', '.join(missing)}")
    arrays = []
    for column in table.columns:
        array = data.column(column.name).combine_chunks()
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        target = _arrow_type(column)
        if array.type != target:
            array = array.cast(target)
        arrays.append(array)
    return pa.table(arrays, names=[c.name for c in table.columns])


def write_frame(engine: Engine, table: sa.Table, frame: pd.DataFrame) -> int:
    """Append ``frame`` to ``table`` in one bulk statement; returns the number of rows written.

    Raises ``KeyError`` when the frame lacks a column of the table and ``NotImplementedError`` on
    a database other than DuckDB or PostgreSQL.
    """
    if frame.empty:
        return 0
    return write_arrow(engine, table, to_arrow(table, frame))


def write_arrow(engine: Engine, table: sa.Table, data: pa.Table) -> int:
    """Like :func:`write_frame` for an Arrow table (no pandas copy of big generated data)."""
    if data.num_rows == 0:
        return 0
    data = conform(table, data)
    backend = engine.dialect.name
    if backend == "duckdb":
        _write_duckdb(engine, table, data)
    elif backend == "postgresql":
        _write_postgres(engine, table, data)
    else:
        raise NotImplementedError(f"No bulk writer for {backend}")
    return data.num_rows


__all__ = ["conform", "create_tables", "target_schema", "to_arrow", "write_arrow", "write_frame"]
