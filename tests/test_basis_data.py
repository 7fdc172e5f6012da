"""The daily-average basis in the data layer, on DuckDB and PostgreSQL: the marts carry each
month's daily average beside its month-end (equal to independent SQL on the facts), the annual
plans and the daily-average growth target read right, and the data tests catch a daily average
above the month's most and a change since January that does not add up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa

from analytics import review
from data_access import overview, query, scorecards
from data_access import trends as queries
from data_access.data_tests import run_data_tests
from data_access.filters import Filters
from data_access.warehouse import Warehouse
from tests.test_trends_data import as_of, executive, raw


@pytest.fixture(params=["duckdb", "pg"])
def warehouse(request: pytest.FixtureRequest) -> Iterator[Warehouse]:
    found = request.getfixturevalue("demo_duckdb" if request.param == "duckdb" else "demo_pg")
    query.use_warehouse(found)
    yield found


def _avg_by_month(warehouse: Warehouse, extra: str = "", **params: object) -> dict:
    rows = raw(
        warehouse,
        f"SELECT month_start, sum(aum_avg_rmb) FROM fact_customer_month WHERE true {extra} "
        "GROUP BY month_start",
        **params,
    )
    return {pd.Timestamp(m): float(v) for m, v in rows}


def test_every_monthly_read_carries_the_daily_average_of_the_facts(warehouse: Warehouse) -> None:
    expected = _avg_by_month(warehouse)
    for frame in (
        overview.monthly_totals(executive(), Filters()),
        queries.monthly(executive(), Filters()),
    ):
        got = dict(zip(pd.to_datetime(frame["month_start"]), frame["aum_avg_rmb"], strict=True))
        assert got == pytest.approx(expected, abs=0.01)
    branch = int(raw(warehouse, "SELECT min(branch_id) FROM dim_branch")[0][0])
    mine = _avg_by_month(warehouse, "AND branch_id = :b", b=branch)
    months = scorecards.branch_months(executive(), Filters(branch_ids=(branch,)))
    got = dict(zip(pd.to_datetime(months["month_start"]), months["aum_avg_rmb"], strict=True))
    assert got == pytest.approx(mine, abs=0.01)
    units = queries.unit_monthly(executive(), Filters(branch_ids=(branch,)), "branch")
    assert dict(
        zip(pd.to_datetime(units["month_start"]), units["aum_avg_rmb"], strict=True)
    ) == pytest.approx(mine, abs=0.01)
    month = as_of(warehouse)
    staff = queries.staff_monthly(executive(), Filters(branch_ids=(branch,)))
    staff = staff[staff["month_start"] == pd.Timestamp(month)]
    managed = raw(
        warehouse,
        "SELECT rm_staff_id, sum(aum_avg_rmb) FROM fact_customer_month "
        "WHERE month_start = :m AND rm_staff_id IN (SELECT rm_staff_id FROM mart_staff_month "
        "WHERE branch_id = :b) GROUP BY rm_staff_id",
        m=month,
        b=branch,
    )
    got = dict(zip(staff["rm_staff_id"], staff["aum_avg_rmb"], strict=True))
    assert got == pytest.approx({int(s): float(v) for s, v in managed}, abs=0.01)


def test_the_daily_average_differs_from_the_month_end(warehouse: Warehouse) -> None:
    """Month-end spikes lift the month-end over the daily average (the demo's 存款偏离度)."""
    totals = overview.monthly_totals(executive(), Filters())
    last = totals.iloc[-1]
    assert 0 < last["aum_avg_rmb"] < last["aum_rmb"]


def test_the_annual_plans_sum_the_branch_year_targets(warehouse: Warehouse) -> None:
    year = as_of(warehouse).year
    branches = tuple(
        int(b) for (b,) in raw(warehouse, "SELECT branch_id FROM dim_branch ORDER BY 1 LIMIT 2")
    )
    plans = overview.annual_plans(executive(), Filters(branch_ids=branches), year)
    rows = raw(
        warehouse,
        "SELECT metric, sum(target_value) FROM fact_target WHERE target_level = 'branch' "
        "AND period_start = :s AND period_end = :e AND branch_id IN (:a, :b) GROUP BY metric",
        s=dt.date(year, 1, 1),
        e=dt.date(year, 12, 31),
        a=branches[0],
        b=branches[1],
    )
    assert plans == pytest.approx({m: float(v) for m, v in rows})
    assert "aum_avg_growth_rmb" in plans and "aum_growth_rmb" not in plans  # the demo's default
    assert overview.annual_plans(executive(), Filters(), 1990) == {}


def test_the_daily_average_growth_target_counts_from_last_december(warehouse: Warehouse) -> None:
    month = as_of(warehouse)
    branch = int(raw(warehouse, "SELECT min(branch_id) FROM dim_branch")[0][0])
    card = scorecards.target_card(executive(), Filters(month=month, branch_ids=(branch,)))
    row = card[(card["metric"] == "aum_avg_growth_rmb") & (card["period_kind"] == "year")].iloc[0]
    averages = _avg_by_month(warehouse, "AND branch_id = :b", b=branch)
    december = review.year_base_month(month)
    expected = averages[pd.Timestamp(month)] - averages[december]
    assert row["actual"] == pytest.approx(expected, abs=0.01)
    assert row["start_value"] == pytest.approx(averages[december], abs=0.01)
    # The opening line on the same branch and basis gives the same change since January.
    frame = pd.DataFrame(
        {"month_start": list(averages), "aum_avg_rmb": list(averages.values())}
    ).sort_values("month_start")
    line = review.opening(frame, "aum_avg_rmb", month, float(row["target_value"]))
    assert line.change_ytd == pytest.approx(expected, abs=0.01)
    assert line.attainment_pct == pytest.approx(row["attainment_pct"], abs=1e-6)


def _engine(warehouse: Warehouse) -> sa.Engine:
    if warehouse.is_duckdb:
        return sa.create_engine(warehouse.url)
    return sa.create_engine(
        warehouse.url, connect_args={"options": f"-csearch_path={warehouse.pg_schema}"}
    ).execution_options(schema_translate_map={None: warehouse.pg_schema})


AVG_MESSAGE = "a daily average of financial assets above the month's possible maximum"
YTD_MESSAGE = "the months' AUM changes since January do not add up"


def _failing(conn: sa.Connection) -> str:
    return "\n".join(run_data_tests(conn))


def test_the_data_tests_catch_a_daily_average_above_the_months_most(
    warehouse: Warehouse, tmp_path
) -> None:
    month = as_of(warehouse)
    if warehouse.is_duckdb:  # a copy: the session's demo is shared (and opened read-only)
        copy = Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
        copy.path.write_bytes(warehouse.path.read_bytes())
        warehouse = copy
    engine = _engine(warehouse)
    try:
        with engine.connect() as conn:
            assert AVG_MESSAGE not in _failing(conn)
            assert YTD_MESSAGE not in _failing(conn)
            # One customer's daily average far above last month-end plus the inflows.
            conn.execute(
                sa.text(
                    "UPDATE fact_customer_month SET aum_avg_rmb = aum_rmb + inflow_rmb + 1e9 "
                    "WHERE month_start = :m AND customer_id = (SELECT min(customer_id) FROM "
                    "fact_customer_month WHERE month_start = :m AND NOT is_new)"
                ),
                {"m": month},
            )
            # One branch's December AUM moved without its change parts: since January no
            # longer adds up in the following year's months.
            december = dt.date(month.year - 1, 12, 1)
            conn.execute(
                sa.text(
                    "UPDATE mart_branch_month_tier SET aum_rmb = aum_rmb + 5000 "
                    "WHERE month_start = :d AND branch_id = (SELECT min(branch_id) FROM "
                    "mart_branch_month_tier WHERE month_start = :d) AND tier_code = (SELECT "
                    "min(tier_code) FROM mart_branch_month_tier WHERE month_start = :d AND "
                    "branch_id = (SELECT min(branch_id) FROM mart_branch_month_tier "
                    "WHERE month_start = :d))"
                ),
                {"d": december},
            )
            failures = _failing(conn)
            assert AVG_MESSAGE in failures
            assert YTD_MESSAGE in failures
            conn.rollback()
    finally:
        engine.dispose()
