"""data_access.trends against independent SQL on fact_customer_month, on DuckDB and PostgreSQL.

The page reads marts; these tests recompute the same numbers from the customer-month facts with
hand-written SQL, so a wrong mart, a wrong query or a wrong analytics step shows up here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa

from analytics import rules
from analytics import trends as calc
from data_access import overview, query
from data_access import trends as queries
from data_access.filters import Filters
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse


@pytest.fixture(params=["duckdb", "pg"])
def warehouse(request: pytest.FixtureRequest) -> Iterator[Warehouse]:
    found = request.getfixturevalue("demo_duckdb" if request.param == "duckdb" else "demo_pg")
    query.use_warehouse(found)
    yield found


def raw(warehouse: Warehouse, sql: str, **params: object) -> list[tuple]:
    """Run hand-written SQL on the warehouse, outside the data layer (no scope, no marts)."""
    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            if not warehouse.is_duckdb:
                conn.execute(sa.text(f'SET search_path TO "{warehouse.pg_schema}"'))
            return [tuple(row) for row in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def executive() -> Viewer:
    return Viewer("t-exec", "executive", "Executive")


def as_of(warehouse: Warehouse) -> dt.date:
    return raw(warehouse, "SELECT max(month_start) FROM fact_customer_month")[0][0]


def month_ts(month: dt.date) -> pd.Timestamp:
    return pd.Timestamp(month)


def test_monthly_totals_equal_the_facts(warehouse: Warehouse) -> None:
    month = as_of(warehouse)
    frame = queries.monthly(executive(), Filters())
    row = frame[frame["month_start"] == month_ts(month)].iloc[0]
    aum, customers, new, churned, vip, vip_aum, holders = raw(
        warehouse,
        """
        SELECT sum(aum_rmb),
               sum(CASE WHEN NOT is_closed THEN 1 ELSE 0 END),
               sum(CASE WHEN is_new THEN 1 ELSE 0 END),
               sum(CASE WHEN is_closed THEN 1 ELSE 0 END),
               sum(CASE WHEN NOT is_closed AND aum_rmb >= :vip THEN 1 ELSE 0 END),
               sum(CASE WHEN NOT is_closed AND aum_rmb >= :vip THEN aum_rmb ELSE 0 END),
               sum(CASE WHEN NOT is_closed AND wealth_rmb > 0 THEN 1 ELSE 0 END)
        FROM fact_customer_month WHERE month_start = :m
        """,
        m=month,
        vip=rules.VIP_THRESHOLD_RMB,
    )[0]
    assert row["aum_rmb"] == pytest.approx(float(aum), abs=0.01)
    assert row["count_customers"] == customers
    assert row["count_new"] == new and row["count_churned"] == churned
    assert row["count_assets_vip"] == vip
    assert row["vip_aum_rmb"] == pytest.approx(float(vip_aum), abs=0.01)
    assert row["count_wealth_holders"] == holders
    assert frame["count_customers"].dtype == "int64" and frame["aum_rmb"].dtype == "float64"


def test_one_branchs_aum_and_new_customers(warehouse: Warehouse) -> None:
    month = as_of(warehouse)
    branch = raw(warehouse, "SELECT max(branch_id) FROM dim_branch")[0][0]
    units = queries.unit_monthly(executive(), Filters(), "branch")
    row = units[(units["unit_id"] == branch) & (units["month_start"] == month_ts(month))].iloc[0]
    aum, new = raw(
        warehouse,
        """
        SELECT sum(aum_rmb), sum(CASE WHEN is_new THEN 1 ELSE 0 END)
        FROM fact_customer_month WHERE month_start = :m AND branch_id = :b
        """,
        m=month,
        b=branch,
    )[0]
    assert row["aum_rmb"] == pytest.approx(float(aum), abs=0.01)
    assert row["count_new"] == new
    # Prefectures add up to the province.
    prefectures = queries.unit_monthly(executive(), Filters(), "prefecture")
    total = raw(
        warehouse, "SELECT sum(aum_rmb) FROM fact_customer_month WHERE month_start = :m", m=month
    )
    in_month = prefectures[prefectures["month_start"] == month_ts(month)]
    assert in_month["aum_rmb"].sum() == pytest.approx(float(total[0][0]), abs=0.05)


def test_an_unknown_level_is_refused(warehouse: Warehouse) -> None:
    with pytest.raises(ValueError, match="organisation level"):
        queries.unit_monthly(executive(), Filters(), "galaxy")


WATERFALL_SQL = """
    SELECT
      sum(CASE WHEN c.is_new AND NOT c.is_closed THEN c.aum_rmb ELSE 0 END),
      sum(CASE WHEN p.customer_id IS NOT NULL AND NOT c.is_new AND NOT c.is_closed
               AND c.aum_rmb > p.aum_rmb THEN c.aum_rmb - p.aum_rmb ELSE 0 END),
      sum(CASE WHEN p.customer_id IS NOT NULL AND NOT c.is_new AND NOT c.is_closed
               AND c.aum_rmb < p.aum_rmb THEN c.aum_rmb - p.aum_rmb ELSE 0 END),
      sum(CASE WHEN c.is_closed THEN c.aum_rmb - coalesce(p.aum_rmb, 0) ELSE 0 END)
    FROM fact_customer_month c
    LEFT JOIN fact_customer_month p
      ON p.customer_id = c.customer_id AND p.month_start = :prev
    WHERE c.month_start > :start AND c.month_start <= :end
"""


def independent_parts(warehouse: Warehouse, start: dt.date, end: dt.date) -> list[float]:
    """The four parts from the facts, month by month from ``start`` (exclusive) to ``end``."""
    totals = [0.0, 0.0, 0.0, 0.0]
    months = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="MS")[1:]
    for month in months:
        prev = (month - pd.DateOffset(months=1)).date()
        row = raw(warehouse, WATERFALL_SQL, prev=prev, start=prev, end=month.date())[0]
        totals = [t + float(v or 0) for t, v in zip(totals, row, strict=True)]
    return totals


@pytest.mark.parametrize("period", ["mom", "qtd"])
def test_the_waterfall_matches_the_facts_and_adds_up(warehouse: Warehouse, period: str) -> None:
    month = as_of(warehouse)
    fall = calc.waterfall(queries.monthly(executive(), Filters()), month_ts(month), period)
    assert fall is not None
    start = fall.start_month.date()
    aum_start, aum_end = (
        raw(warehouse, "SELECT sum(aum_rmb) FROM fact_customer_month WHERE month_start = :m", m=m)[
            0
        ][0]
        for m in (start, month)
    )
    assert fall.start_fen == round(float(aum_start) * 100)
    assert fall.end_fen == round(float(aum_end) * 100)
    assert sum(fall.parts_fen.values()) == fall.change_fen  # exactly, in fen
    expected = independent_parts(warehouse, start, month)
    for name, value in zip(calc.WATERFALL_PARTS, expected, strict=True):
        assert fall.parts_fen[name] / 100 == pytest.approx(value, abs=0.05), name
    assert abs(fall.parts_fen["moved"]) <= len(calc.WATERFALL_PARTS)  # rounding only: 0-4 fen


def test_vip_entered_and_left_match_the_facts(warehouse: Warehouse) -> None:
    month = as_of(warehouse)
    prev = (pd.Timestamp(month) - pd.DateOffset(months=1)).date()
    frame = queries.monthly(executive(), Filters())
    row = frame[frame["month_start"] == month_ts(month)].iloc[0]
    entered, left = raw(
        warehouse,
        """
        WITH vip AS (
          SELECT customer_id, month_start FROM fact_customer_month
          WHERE aum_rmb >= :vip AND NOT is_closed AND month_start IN (:m, :p)
        )
        SELECT
          (SELECT count(*) FROM vip a WHERE a.month_start = :m AND NOT EXISTS (
             SELECT 1 FROM vip b WHERE b.customer_id = a.customer_id AND b.month_start = :p)),
          (SELECT count(*) FROM vip a WHERE a.month_start = :p AND NOT EXISTS (
             SELECT 1 FROM vip b WHERE b.customer_id = a.customer_id AND b.month_start = :m))
        """,
        vip=rules.VIP_THRESHOLD_RMB,
        m=month,
        p=prev,
    )[0]
    assert row["count_vip_entered"] == entered
    assert row["count_vip_left"] == left
    flows = calc.vip_flows(frame, frame["month_start"].min())
    assert flows["count_vip"].diff().iloc[1:].tolist() == flows["net_vip"].iloc[1:].tolist()


def test_a_branch_head_sees_only_their_branch(warehouse: Warehouse, viewers) -> None:
    head = viewers(warehouse)["branch_head"]
    month = as_of(warehouse)
    units = queries.unit_monthly(head, Filters(), "branch")
    assert set(units["unit_id"]) == {head.branch_id}
    staff = queries.staff_monthly(head, Filters())
    assert set(staff["branch_id"]) == {head.branch_id}
    targets = queries.branch_targets(head, Filters())
    assert set(targets["branch_id"]) == {head.branch_id}
    aum = raw(
        warehouse,
        "SELECT sum(aum_rmb) FROM fact_customer_month WHERE month_start = :m AND branch_id = :b",
        m=month,
        b=head.branch_id,
    )[0][0]
    total = queries.monthly(head, Filters())
    in_month = total[total["month_start"] == month_ts(month)]
    assert in_month["aum_rmb"].iloc[0] == pytest.approx(float(aum), abs=0.01)
    # Asking for another branch gives nothing rather than its rows.
    other = raw(warehouse, "SELECT max(branch_id) FROM dim_branch")[0][0]
    assert queries.monthly(head, Filters(branch_ids=(other,))).empty


def test_managers_books_add_up_to_the_facts(warehouse: Warehouse) -> None:
    month = as_of(warehouse)
    branch = raw(warehouse, "SELECT min(branch_id) FROM dim_branch")[0][0]
    staff = queries.staff_monthly(executive(), Filters(branch_ids=(branch,)))
    in_month = staff[staff["month_start"] == month_ts(month)]
    expected = dict(
        raw(
            warehouse,
            """
            SELECT rm_staff_id, sum(aum_rmb) FROM fact_customer_month
            WHERE month_start = :m AND rm_staff_id IN (
              SELECT rm_staff_id FROM mart_staff_month WHERE branch_id = :b)
            GROUP BY rm_staff_id
            """,
            m=month,
            b=branch,
        )
    )
    got = dict(zip(in_month["rm_staff_id"], in_month["aum_rmb"], strict=True))
    assert set(got) == set(expected)
    for staff_id, aum in expected.items():
        assert got[staff_id] == pytest.approx(float(aum), abs=0.01)
    assert in_month["full_name"].notna().all() and in_month["role"].notna().all()


def test_branch_targets_and_rankings_beside_them(warehouse: Warehouse) -> None:
    month = as_of(warehouse)
    targets = queries.branch_targets(executive(), Filters())
    # The demo sets the daily-average growth target (日均增量), not the month-end one.
    assert set(targets["metric"]) == {"aum_avg_growth_rmb"}
    year_target = raw(
        warehouse,
        """
        SELECT branch_id, target_value FROM fact_target
        WHERE target_level = 'branch' AND metric = 'aum_avg_growth_rmb'
          AND period_start = :s AND period_end = :e
        """,
        s=dt.date(month.year, 1, 1),
        e=dt.date(month.year, 12, 31),
    )
    units = {int(b): int(b) for b in targets["branch_id"]}
    goals = calc.period_targets(targets, month_ts(month), "ytd", units, "aum_avg_growth_rmb")
    assert goals.to_dict() == pytest.approx({int(b): float(v) for b, v in year_target})
    # The month-end target is not set: on the month-end basis the rankings have no target.
    assert calc.period_targets(targets, month_ts(month), "ytd", units).empty
    ranked = calc.rankings(
        queries.unit_monthly(executive(), Filters(), "branch"),
        month_ts(month),
        "ytd",
        pd.Series(dtype=float),
        goals,
    )
    assert ranked["target_rmb"].notna().all()
    assert ranked["rank"].tolist() == sorted(ranked["rank"].tolist())


def test_filters_that_match_nothing_give_empty_frames(warehouse: Warehouse) -> None:
    nothing = Filters(branch_ids=(-1,))
    assert queries.monthly(executive(), nothing).empty
    assert queries.unit_monthly(executive(), nothing, "cooperative").empty
    assert queries.staff_monthly(executive(), nothing).empty
    assert queries.branch_targets(executive(), nothing).empty


def test_overview_totals_are_numbers_on_both_backends(warehouse: Warehouse) -> None:
    """PostgreSQL sums BIGINT as NUMERIC: the overview's counts must still come back as
    integers (the page divides them for its chart), equal to the trends' counts."""
    totals = overview.monthly_totals(executive(), Filters())
    counts = ("count_customers", "count_active", "count_new", "count_churned", "count_assets_vip")
    for column in counts:
        assert pd.api.types.is_integer_dtype(totals[column]), column
    trends = queries.monthly(executive(), Filters()).set_index("month_start")
    shown = totals.set_index("month_start")
    assert shown["count_customers"].tolist() == trends["count_customers"].tolist()


def test_deposits_cost_and_deviation_equal_the_facts(warehouse: Warehouse) -> None:
    """Per branch and month: deposits on both bases, 大额存单, interest; the cost and the
    deviation computed from the marts equal those computed from the facts by hand."""
    from analytics import deposits as deposit_calc

    month = as_of(warehouse)
    units = queries.unit_monthly(executive(), Filters(), "branch")
    now = deposit_calc.with_deposit_measures(
        units[units["month_start"] == month_ts(month)], ("unit_id",)
    ).set_index("unit_id")
    rows = raw(
        warehouse,
        """
        SELECT branch_id,
               sum(demand_deposit_rmb + time_deposit_rmb),
               sum(demand_deposit_avg_rmb + time_deposit_avg_rmb),
               sum(large_cd_rmb), sum(large_cd_avg_rmb),
               sum(demand_deposit_interest_rmb + time_deposit_interest_rmb),
               sum(aum_avg_rmb)
        FROM fact_customer_month WHERE month_start = :m GROUP BY branch_id
        """,
        m=month,
    )
    days = pd.Timestamp(month).days_in_month
    assert len(rows) == len(now)
    for branch, end, average, cd, cd_avg, interest, aum_avg in rows:
        got = now.loc[int(branch)]
        assert got["deposit_rmb"] == pytest.approx(float(end))
        assert got["deposit_avg_rmb"] == pytest.approx(float(average))
        assert got["large_cd_rmb"] == pytest.approx(float(cd))
        assert got["large_cd_avg_rmb"] == pytest.approx(float(cd_avg))
        assert got["interest_paid_rmb"] == pytest.approx(float(interest))
        assert got["aum_avg_rmb"] == pytest.approx(float(aum_avg))
        assert got["deposit_avg_rmb"] <= got["aum_avg_rmb"] + 0.01
        assert got["cost_pct"] == pytest.approx(float(interest) / float(average) * 360 / days * 100)
        assert got["deviation_pct"] == pytest.approx((float(end) / float(average) - 1) * 100)
    # The demo's deposit cost sits in the rates' range (demand 0.15%, 大额存单 up to 2.05%).
    assert now["cost_pct"].between(0.15, 2.05).all()
    assert (now["large_cd_cost_pct"].dropna().between(1.6, 2.1)).all()


def test_overview_totals_carry_the_deposit_columns(warehouse: Warehouse) -> None:
    frame = overview.monthly_totals(executive(), Filters())
    row = frame.iloc[-1]
    assert float(row["deposit_rmb"]) == pytest.approx(
        float(row["demand_deposit_rmb"]) + float(row["time_deposit_rmb"])
    )
    assert float(row["deposit_avg_rmb"]) == pytest.approx(
        float(row["demand_deposit_avg_rmb"]) + float(row["time_deposit_avg_rmb"])
    )
    assert float(row["large_cd_rmb"]) <= float(row["time_deposit_rmb"])


def test_broken_deposit_data_fails_the_data_tests(demo_duckdb: Warehouse, tmp_path) -> None:
    """Deposits' daily average above financial assets', a 大额存单 above its time deposits, a
    daily average above the month's possible maximum and a mart that lost interest: each fails."""
    from data_access.data_tests import run_data_tests

    copy = Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    copy.path.write_bytes(demo_duckdb.path.read_bytes())
    engine = sa.create_engine(copy.url)
    one = "customer_id = (SELECT min(customer_id) FROM fact_customer_month) AND month_start = {m}"
    latest = "(SELECT max(month_start) FROM fact_customer_month)"
    try:
        with engine.connect() as conn:
            assert run_data_tests(conn) == []
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE fact_customer_month SET demand_deposit_avg_rmb = aum_avg_rmb + 5, "
                    "large_cd_rmb = time_deposit_rmb + 5 WHERE " + one.format(m=latest)
                )
            )
            conn.execute(
                sa.text(
                    "UPDATE fact_customer_month SET aum_avg_rmb = aum_avg_rmb + 1e9 "
                    "WHERE " + one.format(m=latest).replace("min(", "max(")
                )
            )
            conn.execute(sa.text("UPDATE mart_branch_month_tier SET interest_paid_rmb = 0"))
        with engine.connect() as conn:
            failures = run_data_tests(conn)
    finally:
        engine.dispose()
    assert any("deposits' daily average (demand + time) is above" in f for f in failures)
    assert any("a 大额存单 balance" in f for f in failures)
    assert any("above the month's possible maximum" in f for f in failures)
    assert any(
        f.startswith("mart_branch_month_tier: AUM, deposits' daily average") for f in failures
    )
