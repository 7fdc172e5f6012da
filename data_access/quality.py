"""Data quality: what was loaded when, how many rows each table holds, what was refused, and
whether the data tests pass (the data-quality page, pages/data_quality.py).

Row counts come from the warehouse through :func:`read_frame`, so they are scoped like every
other query (a role that sees no rows counts none). The load history is build metadata
(``meta_load``, no customer or branch data). Refused loads never reach the warehouse: they are
read from the load journal (:mod:`data_access.extracts.journal`), whose rejection reports name
lines of every branch, so only roles that see the whole warehouse, and administrators who run
the loads, may read it.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from catalogue.roles import Capability
from data_access import data_tests, marts, schema
from data_access.extracts import journal
from data_access.extracts.problems import REPORT_COLUMNS
from data_access.query import read_frame, read_scalar
from data_access.viewer import Viewer

M = schema.mart_branch_month_tier

# Tables with a period column, and that column: the rows-per-month view.
PERIOD_TABLES: tuple[tuple[sa.Table, str], ...] = (
    (schema.fact_customer_month, "month_start"),
    (schema.fact_product_sale, "month_start"),
    (schema.fact_vip_service_use, "month_start"),
    (schema.fact_service_quality_month, "month_start"),
    (schema.fact_6s_inspection, "quarter_start"),
)
HISTORY_COLUMNS = ["load_id", "loaded_at", "mode", "as_of_month", "tables", "rows", "rejected_rows"]
ATTEMPT_COLUMNS = [
    "started_at",
    "finished_at",
    "status",
    "mode",
    "as_of_month",
    "problems",
    "rejected_rows",
    "rules",
    "error",
    "folder",
    "warehouse",
    "load_id",
]
TEST_COLUMNS = ["check", "offending_rows", "passed"]


def sees_whole_warehouse(viewer: Viewer) -> bool:
    """True for roles whose counts are the warehouse's (executive, analyst): scope ``all``."""
    return viewer.role_info.scope_level == "all"


def may_read_journal(viewer: Viewer) -> bool:
    """Whether ``viewer`` may read refused loads and their rejection reports."""
    return viewer.can(Capability.SEES_LOAD_JOURNAL)


def _meta_load(viewer: Viewer, stmt: sa.Select) -> pd.DataFrame:
    """Read ``meta_load``; empty when the version predates the table (built before loads)."""
    try:
        return read_frame(viewer, stmt)
    except sa.exc.ProgrammingError:
        return pd.DataFrame(columns=[c.name for c in stmt.selected_columns])


def load_history(viewer: Viewer, limit: int = 24) -> pd.DataFrame:
    """Successful loads, newest first: when, mode, as-of month, tables, rows and rows refused."""
    m = schema.meta_load.c
    stmt = (
        sa.select(
            m.load_id,
            sa.func.max(m.loaded_at).label("loaded_at"),
            sa.func.max(m.mode).label("mode"),
            sa.func.max(m.as_of_month).label("as_of_month"),
            sa.func.count().label("tables"),
            sa.func.sum(m.rows).label("rows"),
            sa.func.sum(m.rejected_rows).label("rejected_rows"),
        )
        .group_by(m.load_id)
        .order_by(sa.func.max(m.loaded_at).desc(), m.load_id)
        .limit(limit)
    )
    return _meta_load(viewer, stmt)


def last_load_files(viewer: Viewer) -> pd.DataFrame:
    """The files of the latest load: table, file, rows, rows refused and checksum."""
    m = schema.meta_load.c
    latest = sa.select(m.load_id).order_by(m.loaded_at.desc(), m.load_id).limit(1)
    stmt = (
        sa.select(m.table_name, m.file_name, m.rows, m.rejected_rows, m.sha256)
        .where(m.load_id == latest.scalar_subquery())
        .order_by(m.table_name)
    )
    return _meta_load(viewer, stmt)


# Rows of fact_customer_month, open and closed, as mart_branch_month_tier counts them (a data
# test holds the two equal in every build): a province's customer-months are tens of millions of
# rows, which PostgreSQL takes seconds to count and the mart milliseconds.
_FACT_ROWS = sa.cast(
    sa.func.coalesce(sa.func.sum(M.c.count_customers + M.c.count_churned), 0), sa.BigInteger
)


def _row_count(viewer: Viewer, table: sa.Table) -> sa.ScalarSelect:
    if table is schema.fact_customer_month and marts.can_answer(M, viewer):
        return sa.select(_FACT_ROWS).scalar_subquery()
    return sa.select(sa.func.count()).select_from(table).scalar_subquery()


def _recorded_rows(viewer: Viewer) -> dict[str, int]:
    """The counts written with the version (``meta_table_rows``); empty for a version built
    before they were, and for any scope narrower than the whole warehouse."""
    if not sees_whole_warehouse(viewer):
        return {}
    t = schema.meta_table_rows.c
    try:
        frame = read_frame(viewer, sa.select(t.table_name, t.rows))
    except sa.exc.DBAPIError:
        return {}
    return {name: int(rows) for name, rows in zip(frame["table_name"], frame["rows"], strict=True)}


def table_rows(viewer: Viewer) -> pd.DataFrame:
    """Rows the viewer can see in every source table and mart: for the whole warehouse as
    counted when the version was built, for a narrower scope counted now (one query)."""
    tables = (*schema.SOURCE_TABLES, *schema.MART_TABLES)
    counts = _recorded_rows(viewer)
    missing = [t for t in tables if t.name not in counts]
    if missing:
        stmt = sa.select(*[_row_count(viewer, t).label(t.name) for t in missing])
        counted = read_frame(viewer, stmt)
        counts.update({t.name: int(counted.iloc[0][t.name]) for t in missing})
    return pd.DataFrame(
        {
            "table_name": [t.name for t in tables],
            "layer": ["mart" if t in schema.MART_TABLES else t.name.split("_")[0] for t in tables],
            "rows": [counts[t.name] for t in tables],
        }
    )


def rows_by_month(viewer: Viewer) -> pd.DataFrame:
    """Rows per table and period (month, or quarter for 6S inspections), long format."""
    frames = []
    for table, column in PERIOD_TABLES:
        period, rows = table.c[column], sa.func.count()
        if table is schema.fact_customer_month and marts.can_answer(M, viewer):
            period, rows = M.c.month_start, _FACT_ROWS
        stmt = (
            sa.select(period.label("month_start"), rows.label("rows"))
            .group_by(period)
            .order_by(period)
        )
        frame = read_frame(viewer, stmt)
        frame.insert(0, "table_name", table.name)
        frames.append(frame)
    result = pd.concat(frames, ignore_index=True)
    result["rows"] = result["rows"].astype("int64")
    return result


def load_attempts(viewer: Viewer, limit: int = 24) -> pd.DataFrame:
    """Every load attempt from the journal, newest first: loaded, rejected or failed."""
    if not may_read_journal(viewer):
        return pd.DataFrame(columns=ATTEMPT_COLUMNS)
    entries = journal.read(limit)
    frame = pd.DataFrame(
        [
            {
                **{c: entry.get(c) for c in ATTEMPT_COLUMNS},
                "rules": ", ".join(f"{k} x{v}" for k, v in (entry.get("rules") or {}).items()),
            }
            for entry in entries
        ],
        columns=ATTEMPT_COLUMNS,
    )
    for column in ("started_at", "finished_at"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("problems", "rejected_rows"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    return frame


def latest_rejection(viewer: Viewer, limit: int = 500) -> pd.DataFrame:
    """The rejection report of the most recent refused load (first ``limit`` problems)."""
    empty = pd.DataFrame(columns=list(REPORT_COLUMNS))
    if not may_read_journal(viewer):
        return empty
    rejected = next((e for e in journal.read(200) if e["status"] == "rejected"), None)
    if rejected is None or not rejected.get("report_copy"):
        return empty
    path = journal.report_copy(rejected["load_id"])
    if not path.exists():
        return empty
    frame = pd.read_csv(
        path, encoding="utf-8-sig", dtype=str, keep_default_na=False, nrows=limit
    ).reindex(columns=list(REPORT_COLUMNS))
    frame["line"] = pd.to_numeric(frame["line"], errors="coerce").astype("Int64")
    return frame


def data_test_count() -> int:
    """How many data tests refresh runs on every build."""
    return len(data_tests.all_checks())


def data_test_results(viewer: Viewer) -> pd.DataFrame:
    """Run every data test of refresh now, on the live version; one row per check.

    Only for roles that see the whole warehouse: on a scoped view a test would judge a part of
    the data and could pass or fail for the wrong reason. Every version passed these tests when
    it was built (refresh refuses to swap in one that does not), so this is a re-check.
    """
    if not sees_whole_warehouse(viewer):
        return pd.DataFrame(columns=TEST_COLUMNS)
    rows = []
    for message, build in data_tests.all_checks():
        try:
            offending = int(read_scalar(viewer, build()) or 0)
        except sa.exc.ProgrammingError:  # a table this version does not have
            offending = -1
        rows.append({"check": message, "offending_rows": offending, "passed": offending == 0})
    return pd.DataFrame(rows, columns=TEST_COLUMNS)
