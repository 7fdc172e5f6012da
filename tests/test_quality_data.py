"""Data-quality row counts against hand-written SQL, on DuckDB and PostgreSQL.

fact_customer_month is counted from mart_branch_month_tier for scopes of branches and from the
fact table for a wealth manager's book: both must equal what the table holds.
"""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from data_access import quality, query, schema
from data_access.warehouse import Warehouse
from tests.test_segment_data import warehouse_sql


@pytest.fixture(params=["demo_duckdb", "demo_pg"])
def warehouse(request: pytest.FixtureRequest) -> Warehouse:
    found = request.getfixturevalue(request.param)
    query.use_warehouse(found)
    return found


@pytest.mark.parametrize("role", ["executive", "branch_head", "wealth_manager", "admin"])
def test_customer_month_rows_are_the_tables(warehouse: Warehouse, viewers, role: str) -> None:
    viewer = viewers(warehouse)[role]
    where, params = {
        "executive": ("TRUE", {}),
        "branch_head": ("branch_id = :b", {"b": viewer.branch_id}),
        "wealth_manager": ("rm_staff_id = :s", {"s": viewer.staff_id}),
        "admin": ("FALSE", {}),
    }[role]
    expected = {
        month: rows
        for month, rows in warehouse_sql(
            warehouse,
            f"SELECT month_start, count(*) FROM fact_customer_month WHERE {where} GROUP BY 1",
            **params,
        )
    }
    by_month = quality.rows_by_month(viewer)
    facts = by_month[by_month["table_name"] == "fact_customer_month"]
    assert {
        m.date(): int(n) for m, n in zip(facts["month_start"], facts["rows"], strict=True)
    } == expected
    totals = quality.table_rows(viewer).set_index("table_name")["rows"]
    assert totals["fact_customer_month"] == sum(expected.values())
    (sales,) = warehouse_sql(warehouse, "SELECT count(*) FROM fact_product_sale")[0]
    if role == "executive":
        assert totals["fact_product_sale"] == sales > 0
        assert totals["fact_customer_month"] > 0


def test_whole_warehouse_counts_are_the_tables(warehouse: Warehouse, viewers) -> None:
    counts = quality.table_rows(viewers(warehouse)["executive"]).set_index("table_name")["rows"]
    for table in (*schema.SOURCE_TABLES, *schema.MART_TABLES):
        (expected,) = warehouse_sql(warehouse, f"SELECT count(*) FROM {table.name}")[0]
        assert counts[table.name] == expected, table.name
    assert counts["fact_customer_month"] > 0


def test_every_new_version_carries_its_counts(demo_duckdb: Warehouse, viewers, tmp_path) -> None:
    copy = Warehouse(f"duckdb:///{tmp_path / 'copy.duckdb'}")
    shutil.copyfile(demo_duckdb.path, copy.path)
    query.use_warehouse(copy)
    executive = viewers(demo_duckdb)["executive"]
    before = quality.table_rows(executive).set_index("table_name")["rows"]
    # A write that is not a refresh (as an inspection upload or a scoring run): still counted.
    with copy.build(copy_current=True) as engine, engine.begin() as conn:
        first = conn.execute(sa.select(sa.func.min(schema.fact_target.c.target_id))).scalar()
        conn.execute(schema.fact_target.delete().where(schema.fact_target.c.target_id == first))
    query.check_version()  # what the app does on every rerun: reconnect to the new version
    after = quality.table_rows(executive).set_index("table_name")["rows"]
    assert after["fact_target"] == before["fact_target"] - 1
    assert after.drop("fact_target").equals(before.drop("fact_target"))
