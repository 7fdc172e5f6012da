"""Benchmark the extract loader: export a warehouse as Parquet, time loading it (not a test).

    python bench/bench_load.py --customers 1000000 --months 24
    python bench/bench_load.py --warehouse data/warehouse.duckdb      # reuse a built warehouse
    python bench/bench_load.py --customers 100000 --months 12 --format csv --reject

Builds a demo warehouse of N customers x M months (or takes an existing DuckDB file), exports
it as a Parquet extract, then times ``load_extracts`` of that extract into a new DuckDB
warehouse: full validation, the write, refresh and its data tests, the swap. Prints one JSON
line with the seconds of each step, customer-month rows per second and the time extrapolated to
24,000,000 customer-month rows. The target: 24,000,000 rows in under 3 minutes on DuckDB.

With ``--reject`` it then breaks the extract the way a bad core-banking batch does (a negative
loan balance on every 1,000th customer-month and a customer id that does not exist on every
5,000th) and times the rejected load: full validation, the report, the live warehouse untouched.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_access import schema  # noqa: E402
from data_access.extracts import ExtractRejected, export_warehouse, load_extracts  # noqa: E402
from data_access.extracts.formats import TABLE_FORMATS  # noqa: E402
from data_access.extracts.manifest import MANIFEST_NAME, file_sha256  # noqa: E402
from data_access.warehouse import Warehouse  # noqa: E402

TARGET_ROWS = 24_000_000
TARGET_SECONDS = 180.0


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def _customer_months(warehouse: Warehouse) -> int:
    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            table = schema.fact_customer_month
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar())
    finally:
        engine.dispose()


def _corrupt(extract: Path, fmt: str) -> int:
    """Break fact_customer_month (negative loans, unknown customers), re-seal; returns bad rows."""
    path = extract / f"fact_customer_month.{fmt}"
    arrow_schema = TABLE_FORMATS["fact_customer_month"].arrow_schema
    if fmt == "parquet":
        table = pq.read_table(path)
    else:
        options = pa_csv.ConvertOptions(column_types=arrow_schema)
        table = pa_csv.read_csv(path, convert_options=options)
    row = np.arange(table.num_rows)
    negative, unknown = row % 1000 == 0, row % 5000 == 2500
    for name, mask, value in (("loan_rmb", negative, -1.0), ("customer_id", unknown, -7)):
        column = table[name]
        changed = pc.if_else(pa.array(mask), pa.scalar(value, column.type), column)
        table = table.set_column(table.schema.get_field_index(name), name, changed)
    if fmt == "parquet":
        pq.write_table(table, path, compression="zstd")
    else:
        pa_csv.write_csv(table, path)
    manifest = json.loads((extract / MANIFEST_NAME).read_text("utf-8"))
    for entry in manifest["files"]:
        if entry["file"] == path.name:
            entry["sha256"] = file_sha256(path)
    (extract / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2), "utf-8")
    return int(negative.sum() + unknown.sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--reject", action="store_true", help="also time a rejected load")
    parser.add_argument("--warehouse", type=Path, default=None, help="existing DuckDB file")
    parser.add_argument("--work-dir", type=Path, default=None, help="folder for temporary files")
    args = parser.parse_args(argv)
    seconds: dict[str, float] = {}
    result: dict = {"bench": "load", "format": args.format}
    with tempfile.TemporaryDirectory(prefix="pcrm-bench-load-", dir=args.work_dir) as folder:
        folder = Path(folder)
        os.environ["PCRM_LOAD_JOURNAL_DIR"] = str(folder / "journal")  # keep data/ clean
        if args.warehouse:
            source = Warehouse(f"duckdb:///{args.warehouse.resolve()}")
        else:
            from data_access.demo import build_demo

            source = Warehouse(f"duckdb:///{folder / 'source.duckdb'}")
            started = time.perf_counter()
            build_demo(
                source,
                customers=args.customers,
                months=args.months,
                seed=args.seed,
                progress=False,
            )
            seconds["build_demo"] = round(time.perf_counter() - started, 1)
        rows = _customer_months(source)
        extract = folder / "extract"
        started = time.perf_counter()
        export_warehouse(source, extract, args.format)
        seconds["export"] = round(time.perf_counter() - started, 1)
        extract_mb = round(sum(p.stat().st_size for p in extract.iterdir()) / 2**20, 1)
        target = Warehouse(f"duckdb:///{folder / 'target.duckdb'}")
        started = time.perf_counter()
        summary = load_extracts(target, extract, "full", work_dir=folder)
        load_seconds = round(time.perf_counter() - started, 1)
        if args.reject:
            broken = _corrupt(extract, args.format)
            version = target.version()
            started = time.perf_counter()
            try:
                load_extracts(target, extract, "full", work_dir=folder)
                raise SystemExit("the broken extract was loaded")
            except ExtractRejected as exc:
                result["reject"] = {
                    "rows_broken": broken,
                    "seconds": round(time.perf_counter() - started, 1),
                    "problems_listed": len(exc.rejections),
                    "rules": sorted({r.rule for r in exc.rejections}),
                    "live_unchanged": target.version() == version,
                }
    per_second = rows / load_seconds if load_seconds else 0.0
    extrapolated = round(TARGET_ROWS / per_second, 1) if per_second else None
    result.update(
        {
            "customers": summary["rows"]["dim_customer"],
            "customer_month_rows": rows,
            "extract_mb": extract_mb,
            "seconds": seconds,
            "load_seconds": load_seconds,
            "load_steps": summary["seconds"],
            "rows_per_second": round(per_second),
            "extrapolated_seconds_24m": extrapolated,
            "target_seconds_24m": TARGET_SECONDS,
            "meets_target": extrapolated is not None and extrapolated < TARGET_SECONDS,
            "peak_rss_mb": _peak_rss_mb(),
        }
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
