"""Build or reuse the benchmark warehouses: one DuckDB file and one PostgreSQL schema per size.

Both are built by the demo generator with the same size, seed and as-of month, so they hold the
same rows (the generator is deterministic for a seed): the PostgreSQL numbers compare with the
DuckDB ones page for page. ``--pg-build load`` instead exports the DuckDB file as Parquet and
loads that extract (``python -m cli export`` / ``load``); which of the two is faster
is not measured yet (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from data_access.viewer import Viewer
from data_access.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[2]
BENCH_DATA = ROOT / "data" / "bench"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# Every bench warehouse is the demo with this seed and as-of month, so sizes and backends compare.
DEFAULT_SEED = 7
DEFAULT_AS_OF = dt.date(2026, 10, 1)


@dataclass(frozen=True)
class Size:
    customers: int
    months: int
    seed: int
    as_of: dt.date

    @property
    def label(self) -> str:
        return f"{self.customers}x{self.months}"


def model_dir(size: Size) -> Path:
    """The churn models of the bench warehouses of ``size`` (kept apart from the app's own
    ``data/models``); the bench points ``PCRM_MODEL_DIR`` here while it builds and measures."""
    return BENCH_DATA / f"models-{size.label}"


def use_models(size: Size) -> None:
    """Point this process (and the servers it starts) at the bench models of ``size``."""
    from analytics.churn.artifacts import MODEL_DIR_ENV

    os.environ[MODEL_DIR_ENV] = str(model_dir(size))


def duckdb_warehouse(size: Size, folder: Path = BENCH_DATA) -> Warehouse:
    return Warehouse(f"duckdb:///{folder / f'warehouse-{size.label}.duckdb'}")


def pg_warehouse(size: Size, pg_url: str = DEFAULT_PG_URL) -> Warehouse:
    return Warehouse(pg_url, pg_schema=f"bench_{size.label}")


def _build_demo(warehouse: Warehouse, size: Size) -> None:
    from data_access.demo import build_demo

    build_demo(
        warehouse,
        customers=size.customers,
        months=size.months,
        seed=size.seed,
        as_of=size.as_of,
        progress=True,
        train_churn=True,  # the watchlist and churn pages need scores (models: model_dir)
    )


def _export_and_load(source: Warehouse, target: Warehouse) -> None:
    from data_access.extracts.export import export_warehouse
    from data_access.extracts.load import load_extracts

    with tempfile.TemporaryDirectory(prefix="pcrm-bench-extract-", dir=BENCH_DATA) as folder:
        export_warehouse(source, Path(folder), "parquet")
        load_extracts(target, Path(folder), "full")
    mark_as_demo(target)


def mark_as_demo(warehouse: Warehouse) -> None:
    """Flag a bench warehouse loaded from an export of the demo as the demo again.

    A load declares its data real (``meta_warehouse.is_demo`` false), so the sign-in screen
    offers no demo personas and the browser could not sign in. The bench knows these rows are
    the demo's (it generated them) and says so with a direct write to its own bench schema; the
    product has no way to do this, on purpose.
    """
    import sqlalchemy as sa

    engine = sa.create_engine(warehouse.url)
    try:
        with engine.begin() as conn:
            search_path(conn, warehouse)
            conn.execute(sa.text("UPDATE meta_warehouse SET is_demo = true"))
    finally:
        engine.dispose()


def ensure(warehouse: Warehouse, size: Size, *, source: Warehouse | None = None) -> dict:
    """Build ``warehouse`` unless it exists; returns how (reused / demo / load) and the seconds.

    With ``source`` (an existing DuckDB warehouse of the same size) a PostgreSQL warehouse is
    filled by export and load instead of generating the data again.
    """
    if warehouse.exists():
        return {"built": "reused", "seconds": 0.0}
    BENCH_DATA.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if source is not None:
        _export_and_load(source, warehouse)
        how = "export+load"
    else:
        _build_demo(warehouse, size)
        how = "demo"
    return {"built": how, "seconds": round(time.perf_counter() - started, 1)}


def search_path(conn, warehouse: Warehouse) -> None:
    """Plain-text SQL gets no schema_translate_map: point PostgreSQL at the warehouse schema.

    The schema name is checked by :class:`Warehouse` (lower-case identifier only).
    """
    if not warehouse.is_duckdb:
        conn.exec_driver_sql(f"SET search_path TO {warehouse.pg_schema}")


def personas(warehouse: Warehouse) -> dict[str, Viewer]:
    """The demo personas: executive, analyst, and the head of the branch with most customers.

    The biggest branch is the branch head's worst case. Viewers are built as the sign-in screen
    builds them (``ui.auth.demo_personas``).
    """
    import sqlalchemy as sa

    from ui.auth import demo_personas

    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            search_path(conn, warehouse)
            rows = conn.execute(
                sa.text(
                    "SELECT b.branch_id, b.name_en AS branch_name_en, b.name_zh AS branch_name_zh,"
                    " b.cooperative_id, b.prefecture_id, c.name_en AS cooperative_name_en,"
                    " c.name_zh AS cooperative_name_zh, n.customers"
                    " FROM dim_branch b JOIN dim_cooperative c USING (cooperative_id)"
                    " JOIN (SELECT branch_id, COUNT(*) AS customers FROM dim_customer"
                    "       GROUP BY branch_id) n USING (branch_id)"
                    " ORDER BY n.customers DESC, b.branch_id LIMIT 1"
                )
            ).mappings()
            biggest = dict(rows.one())
    finally:
        engine.dispose()
    found = demo_personas([biggest])
    return {
        "executive": found["executive"],
        "branch_head": found[f"branch_head:{biggest['branch_id']}"],
        "analyst": found["analyst"],
    }


def branch_label(warehouse: Warehouse, viewer: Viewer) -> str:
    """The branch head's entry in the sign-in picker (English), for the browser."""
    import sqlalchemy as sa

    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            search_path(conn, warehouse)
            name, cooperative = conn.execute(
                sa.text(
                    "SELECT b.name_en, c.name_en FROM dim_branch b"
                    " JOIN dim_cooperative c USING (cooperative_id) WHERE b.branch_id = :b"
                ),
                {"b": viewer.branch_id},
            ).one()
    finally:
        engine.dispose()
    return f"{name} · {cooperative}"
