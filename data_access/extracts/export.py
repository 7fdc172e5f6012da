"""Export: write every source table of the live warehouse as an extract, plus its manifest.

The output is exactly what the loader accepts (docs/extracts.md), so an export is a backup, the
way to move a warehouse from DuckDB to PostgreSQL, and the loader's round-trip test. Tables are
streamed in batches sorted by key (the same warehouse always gives the same bytes); marts are not
exported because refresh rebuilds them.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import sqlalchemy as sa

from data_access import schema
from data_access.extracts.arrowio import BATCH_ROWS, stream_batches
from data_access.extracts.formats import ENCODINGS, FORMATS, TABLE_FORMATS, TableFormat
from data_access.extracts.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestFile,
    file_sha256,
    write_manifest,
)
from data_access.warehouse import Warehouse, WarehouseMissing

_BOM = b"\xef\xbb\xbf"


def _select(spec: TableFormat, months: list[dt.date] | None) -> sa.Select:
    table = spec.table
    stmt = sa.select(*[table.c[name] for name in spec.column_names])
    if months and spec.month_column:
        stmt = stmt.where(table.c[spec.month_column].in_(months))
    return stmt.order_by(*[table.c[k] for k in spec.key])


def _write_csv(path: Path, batches, arrow_schema: pa.Schema, encoding: str) -> int:
    codec = "utf-8" if encoding in ("utf-8", "utf-8-sig") else encoding

    def put(out, data: bytes) -> None:
        out.write(data if codec == "utf-8" else data.decode("utf-8").encode(codec))

    rows = 0
    with path.open("wb") as out:
        if encoding == "utf-8-sig":
            out.write(_BOM)
        header = io.BytesIO()
        pa_csv.write_csv(arrow_schema.empty_table(), header)
        put(out, header.getvalue())
        for batch in batches:
            buffer = io.BytesIO()
            pa_csv.write_csv(batch, buffer, pa_csv.WriteOptions(include_header=False))
            put(out, buffer.getvalue())
            rows += batch.num_rows
    return rows


def _write_parquet(path: Path, batches, arrow_schema: pa.Schema) -> int:
    rows = 0
    with pq.ParquetWriter(path, arrow_schema, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def _as_of(engine: sa.Engine) -> dt.date:
    meta = schema.meta_warehouse
    value = None
    with engine.connect() as conn:
        value = conn.execute(sa.select(meta.c.as_of_month)).scalar()
    if value is None:
        raise WarehouseMissing("The warehouse has no meta_warehouse row to export")
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def export_warehouse(
    warehouse: Warehouse,
    out_dir: Path | str,
    fmt: str = "csv",
    *,
    encodings: dict[str, str] | None = None,
    months: list[dt.date] | None = None,
    producer: str = "pcrm export",
    batch_rows: int = BATCH_ROWS,
) -> Manifest:
    """Write each source table to ``out_dir/<table>.<fmt>`` and ``manifest.json``; return it.

    ``encodings`` picks a CSV encoding per table (default UTF-8), e.g. ``{"dim_branch": "gbk"}``.
    With ``months`` the extract is a month extract: month-grained facts hold those months only,
    every other table in full. The manifest is written last, so an interrupted export is never
    mistaken for a complete one. Raises ``WarehouseMissing`` when there is nothing to export,
    ``ValueError`` for an unknown format or encoding, and ``UnicodeEncodeError`` when a value
    cannot be written in the requested encoding (GBK lacks some rare characters: use GB18030).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    encodings = encodings or {}
    for table, encoding in encodings.items():
        if encoding not in ENCODINGS or table not in TABLE_FORMATS:
            raise ValueError(f"cannot export {table!r} in encoding {encoding!r}")
        if fmt == "parquet" and encoding != "utf-8":
            raise ValueError("Parquet files are always UTF-8")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST_NAME).unlink(missing_ok=True)
    months = sorted(set(months or []))
    engine = warehouse.reader()
    try:
        as_of = max(months) if months else _as_of(engine)
        files = []
        for spec in TABLE_FORMATS.values():
            encoding = encodings.get(spec.name, "utf-8")
            path = out / f"{spec.name}.{fmt}"
            arrow_schema = spec.arrow_schema
            batches = stream_batches(engine, _select(spec, months), arrow_schema, batch_rows)
            if fmt == "csv":
                rows = _write_csv(path, batches, arrow_schema, encoding)
            else:
                rows = _write_parquet(path, batches, arrow_schema)
            files.append(ManifestFile(path.name, spec.name, fmt, encoding, rows, file_sha256(path)))
    finally:
        engine.dispose()
    manifest = Manifest(
        mode="month" if months else "full",
        as_of_month=as_of,
        files=files,
        months=months,
        created_at=dt.datetime.now().replace(microsecond=0).isoformat(),
        producer=producer,
    )
    write_manifest(out, manifest)
    return manifest
