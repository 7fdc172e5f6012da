"""Staging: a private DuckDB database where extract files are read, typed and checked.

Validation always runs in DuckDB, whatever the warehouse is (DuckDB file or PostgreSQL): it reads
CSV and Parquet fast, and checking tens of millions of rows needs a columnar engine. The SQL here
is DuckDB's own dialect and never runs against the warehouse. Each file becomes two relations:

- ``raw_<table>``: the file as it is, ``_line`` (CSV: the line in the file, header = 1; Parquet:
  the row number, first row = 1) and the file's own columns (text for CSV).
- ``src_<table>``: ``_line`` and every column of the format, typed; NULL where a value does not
  parse (the type check reports those) or the column is missing.

A CSV file is parsed by Arrow's streaming reader (in blocks, never whole in memory) and written
to a Parquet file in the scratch folder; both that and an extract's own Parquet file are scanned
in place through a view.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from data_access.extracts.formats import ColumnFormat, TableFormat
from data_access.extracts.manifest import ManifestFile
from data_access.extracts.problems import Rejection
from data_access.extracts.textscan import TextScan

_CSV_BLOCK = 1 << 24

# What a CSV value must look like for each type (a full match), before it is cast.
CSV_PATTERNS = {
    "bigint": r"-?[0-9]+",
    "integer": r"-?[0-9]+",
    "smallint": r"-?[0-9]+",
    "double": r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?",
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "boolean": r"(?i)true|false|1|0",
}
EXAMPLES = {
    "bigint": "12345",
    "integer": "12",
    "smallint": "3",
    "double": "1234.56",
    "date": "2026-09-30",
    "boolean": "true / false",
}


def ident(name: str) -> str:
    """A quoted DuckDB identifier (column names come from files, so always quote)."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class StagedFile:
    """One extract file after staging."""

    entry: ManifestFile
    spec: TableFormat
    path: Path
    header: list[str]
    rows: int = 0
    usable: set[str] = field(default_factory=set)
    arrow_types: dict[str, str] = field(default_factory=dict)
    is_csv: bool = True

    @property
    def raw(self) -> str:
        return ident(f"raw_{self.spec.name}")

    @property
    def src(self) -> str:
        return ident(f"src_{self.spec.name}")

    def typed(self, column: ColumnFormat) -> str:
        """SQL for the typed value of ``column`` in ``raw`` (NULL when it does not parse)."""
        name = ident(column.name)
        if not self.is_csv:
            return f"TRY_CAST({name} AS {column.duck_type})"
        if column.kind == "text":
            # "" in a required column is as blank as an empty field (and reported so).
            return name if column.nullable else f"NULLIF({name}, '')"
        if column.kind == "boolean":
            return (
                f"CASE lower({name}) WHEN 'true' THEN true WHEN '1' THEN true "
                f"WHEN 'false' THEN false WHEN '0' THEN false END"
            )
        pattern = literal(CSV_PATTERNS[column.kind])
        return (
            f"CASE WHEN regexp_full_match({name}, {pattern}) "
            f"THEN TRY_CAST({name} AS {column.duck_type}) END"
        )


class Scratch:
    """A DuckDB database in a private temporary folder, removed by :meth:`cleanup`."""

    def __init__(self, work_dir: Path | None = None) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="pcrm-load-", dir=work_dir))
        self.path = self.dir / "staging.duckdb"
        self.con: duckdb.DuckDBPyConnection | None = duckdb.connect(str(self.path))
        spill = self.dir / "spill"
        spill.mkdir()
        self.con.execute(f"SET temp_directory = {literal(str(spill))}")
        self.con.execute("SET preserve_insertion_order = false")

    def sql(self, statement: str, params: list | None = None) -> list[tuple]:
        assert self.con is not None, "the staging database is closed"
        return self.con.execute(statement, params or []).fetchall()

    def execute(self, statement: str, params: list | None = None) -> None:
        assert self.con is not None, "the staging database is closed"
        self.con.execute(statement, params or [])

    def insert_arrow(self, table: str, data: pa.Table | pa.RecordBatch) -> None:
        assert self.con is not None, "the staging database is closed"
        self.con.register("_arrow_in", data)
        try:
            self.con.execute(f"INSERT INTO {table} SELECT * FROM _arrow_in")
        finally:
            self.con.unregister("_arrow_in")

    def close(self) -> None:
        if self.con is not None:
            self.con.execute("CHECKPOINT")
            self.con.close()
            self.con = None

    def reopen(self) -> None:
        if self.con is None:
            self.con = duckdb.connect(str(self.path))

    def cleanup(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
        shutil.rmtree(self.dir, ignore_errors=True)


def _unique_names(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return names


def _file_lines(base: int, count: int, shifts: np.ndarray) -> np.ndarray:
    """Lines of accepted rows ``base .. base+count-1`` given the sorted lines that were skipped."""
    plain = np.arange(base, base + count, dtype=np.int64) + 2  # header is line 1
    lines = plain
    if len(shifts) == 0:
        return lines
    while True:  # each skipped line at or before a row pushes it one line down
        moved = plain + np.searchsorted(shifts, lines, side="right")
        if np.array_equal(moved, lines):
            return lines
        lines = moved


def stage_csv(
    scratch: Scratch, staged: StagedFile, scan: TextScan, max_examples: int
) -> list[Rejection]:
    """Parse a (UTF-8) CSV file into ``raw_<table>``; returns rows the parser could not split.

    The rows go to a Parquet file in the scratch folder (text columns, LZ4) behind a view:
    writing Parquet is about twice as fast as inserting the strings into a DuckDB table, and
    DuckDB scans it just as fast for the checks and the copy into the warehouse.
    """
    names = _unique_names(staged.header)
    target = scratch.dir / f"raw_{staged.spec.name}.parquet"
    arrow_schema = pa.schema([("_line", pa.int64()), *[(n, pa.string()) for n in names]])
    skipped: list[tuple[int, int, int]] = []

    def on_invalid(row: pa_csv.InvalidRow) -> str:
        skipped.append((row.number or -1, row.expected_columns, row.actual_columns))
        return "skip"

    reader = pa_csv.open_csv(
        scan.utf8_path,
        read_options=pa_csv.ReadOptions(
            # Single-threaded: the parser then knows the line of each row it cannot split.
            column_names=names,
            skip_rows=1,
            block_size=_CSV_BLOCK,
            use_threads=False,
        ),
        parse_options=pa_csv.ParseOptions(
            invalid_row_handler=on_invalid, newlines_in_values=False, ignore_empty_lines=True
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            null_values=[""],
        ),
    )
    accepted = 0
    with pq.ParquetWriter(target, arrow_schema, compression="lz4") as writer:
        for batch in reader:
            if batch.num_rows == 0:
                continue
            shifts = np.array(
                sorted(set(scan.blank_lines) | {n for n, _, _ in skipped if n > 0}),
                dtype=np.int64,
            )
            lines = pa.array(_file_lines(accepted, batch.num_rows, shifts))
            writer.write_table(pa.Table.from_batches([batch]).add_column(0, "_line", lines))
            accepted += batch.num_rows
    scratch.execute(
        f"CREATE VIEW {staged.raw} AS SELECT * FROM read_parquet({literal(str(target))})"
    )
    staged.rows = accepted + len(skipped)
    problems = [
        Rejection(
            staged.entry.file,
            number if number > 0 else None,
            "",
            "csv_structure",
            f"{actual} fields",
            f"expected {expected} fields separated by commas; quote values that contain commas "
            "and never put a line break inside a value",
        )
        for number, expected, actual in skipped[:max_examples]
    ]
    if len(skipped) > max_examples:
        problems.append(
            Rejection(
                staged.entry.file,
                None,
                "",
                "csv_structure",
                "",
                f"... and {len(skipped) - max_examples:,} more rows cannot be split",
            )
        )
    return problems


def read_parquet_schema(path: Path) -> tuple[list[str], dict[str, pa.DataType], int]:
    """Column names, Arrow types and row count from a Parquet footer (no data is read)."""
    handle = pq.ParquetFile(path)
    arrow_schema = handle.schema_arrow
    return arrow_schema.names, {f.name: f.type for f in arrow_schema}, handle.metadata.num_rows


def parquet_type_ok(column: ColumnFormat, kind: pa.DataType) -> bool:
    """Whether a Parquet column's type can hold the format's type without changing meaning."""
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_null(kind):
        return True
    if column.kind in ("bigint", "integer", "smallint"):
        return pa.types.is_integer(kind)
    if column.kind == "double":
        return pa.types.is_floating(kind) or pa.types.is_decimal(kind) or pa.types.is_integer(kind)
    if column.kind == "date":
        return pa.types.is_date(kind)
    if column.kind == "boolean":
        return pa.types.is_boolean(kind)
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or kind == pa.string_view()


def stage_parquet(scratch: Scratch, staged: StagedFile) -> None:
    """Expose a Parquet file as ``raw_<table>`` (a view; the file is scanned where it lies)."""
    path = literal(str(staged.path.resolve()))
    scratch.execute(
        f"CREATE VIEW {staged.raw} AS SELECT file_row_number + 1 AS _line, "
        f"* EXCLUDE (file_row_number) FROM read_parquet({path}, file_row_number = true)"
    )


def create_typed_view(scratch: Scratch, staged: StagedFile) -> None:
    """``src_<table>``: every format column typed, NULL where missing or unusable."""
    parts = ["_line"]
    for column in staged.spec.columns:
        if column.name in staged.usable:
            expr = staged.typed(column)
        else:
            expr = f"CAST(NULL AS {column.duck_type})"
        parts.append(f"{expr} AS {ident(column.name)}")
    scratch.execute(f"CREATE VIEW {staged.src} AS SELECT {', '.join(parts)} FROM {staged.raw}")
