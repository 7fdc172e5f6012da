"""Segment, group, migration and suitability queries against independent SQL, on both backends.

Every expectation is raw SQL on the fact tables (never the query under test); the same tests
run on DuckDB and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from analytics import clustering, rules
from analytics import segment_rules as sr
from analytics import tier_moves as mig
from data_access import cross_sell, customer_groups, marts, query, segments, suitability, tier_moves
from data_access.filters import Filters
from data_access.warehouse import Warehouse


def warehouse_sql(warehouse: Warehouse, sql: str, **params: object) -> list[tuple]:
    """Hand-written SQL on the warehouse, outside the data layer (no scope, no marts)."""
    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            if not warehouse.is_duckdb:
                conn.execute(sa.text(f'SET search_path TO "{warehouse.pg_schema}"'))
            return [tuple(row) for row in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def as_of_month(warehouse: Warehouse) -> dt.date:
    return warehouse_sql(warehouse, "SELECT as_of_month FROM meta_warehouse")[0][0]


@pytest.fixture(params=["demo_duckdb", "demo_pg"])
def warehouse(request: pytest.FixtureRequest) -> Warehouse:
    found = request.getfixturevalue(request.param)
    query.use_warehouse(found)
    return found


def _months(warehouse: Warehouse) -> tuple[dt.date, dt.date]:
    later = as_of_month(warehouse)
    return later.replace(year=later.year - 1), later


MATRIX_SQL = """
    SELECT a.tier_code,
           CASE WHEN b.customer_id IS NULL OR b.is_closed THEN 'left' ELSE b.tier_code END,
           count(*), sum(a.aum_rmb)
    FROM fact_customer_month a
    LEFT JOIN fact_customer_month b
      ON b.customer_id = a.customer_id AND b.month_start = :later
    WHERE a.month_start = :earlier AND NOT a.is_closed {extra}
    GROUP BY 1, 2
"""


def test_matrix_reconciles_with_the_fact_table(warehouse: Warehouse, viewers) -> None:
    earlier, later = _months(warehouse)
    cells = tier_moves.tier_matrix(viewers(warehouse)["executive"], Filters(), earlier, later)
    expected = {
        (f, t): (n, a)
        for f, t, n, a in warehouse_sql(
            warehouse, MATRIX_SQL.format(extra=""), earlier=earlier, later=later
        )
    }
    moved = cells[cells["from_tier"] != "new"]
    got = {
        (r.from_tier, r.to_tier): (r.count_customers, r.aum_from_rmb) for r in moved.itertuples()
    }
    assert set(got) == set(expected)
    for key, (count, aum) in expected.items():
        assert got[key][0] == count
        assert got[key][1] == pytest.approx(float(aum))
    # Rows add up to the starting tier's customers.
    start = dict(
        warehouse_sql(
            warehouse,
            "SELECT tier_code, count(*) FROM fact_customer_month "
            "WHERE month_start = :m AND NOT is_closed GROUP BY 1",
            m=earlier,
        )
    )
    table = mig.matrix(cells)
    for tier in rules.TIER_CODES:
        assert table.loc[tier].sum() == start.get(tier, 0)
    # New customers: in the later month, absent from the earlier one.
    (new,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_customer_month b WHERE b.month_start = :later "
        "AND NOT b.is_closed AND NOT EXISTS (SELECT 1 FROM fact_customer_month a "
        "WHERE a.customer_id = b.customer_id AND a.month_start = :earlier)",
        earlier=earlier,
        later=later,
    )[0]
    assert table.loc["new"].sum() == new


def test_branch_head_matrix_is_their_branch(warehouse: Warehouse, viewers) -> None:
    head = viewers(warehouse)["branch_head"]
    earlier, later = _months(warehouse)
    cells = tier_moves.tier_matrix(head, Filters(), earlier, later)
    rows = warehouse_sql(
        warehouse,
        MATRIX_SQL.format(extra="AND a.branch_id = :b"),
        earlier=earlier,
        later=later,
        b=head.branch_id,
    )
    assert cells[cells["from_tier"] != "new"]["count_customers"].sum() == sum(r[2] for r in rows)


def test_analyst_cells_below_five_are_suppressed(warehouse: Warehouse, viewers) -> None:
    earlier, later = _months(warehouse)
    seen = viewers(warehouse)
    full = tier_moves.tier_matrix(seen["executive"], Filters(), earlier, later)
    masked = tier_moves.tier_matrix(seen["analyst"], Filters(), earlier, later)
    small = full["count_customers"] < 5
    assert small.any()  # the demo has a handful of VIP moves
    assert masked.loc[small, "count_customers"].isna().all()
    assert masked.loc[small, "aum_from_rmb"].isna().all()
    assert masked.loc[small, "is_suppressed"].all()
    assert (masked.loc[~small, "count_customers"] == full.loc[~small, "count_customers"]).all()
    assert not full["is_suppressed"].any()


def test_breakdowns_match_sql(warehouse: Warehouse, viewers) -> None:
    executive = viewers(warehouse)["executive"]
    month = as_of_month(warehouse)
    by_tier = segments.breakdown(executive, Filters(), "tier").set_index("segment")
    expected = warehouse_sql(
        warehouse,
        "SELECT tier_code, count(*), sum(aum_rmb) FROM fact_customer_month "
        "WHERE month_start = :m AND NOT is_closed GROUP BY 1",
        m=month,
    )
    for tier, count, aum in expected:
        assert by_tier.loc[tier, "count_customers"] == count
        assert by_tier.loc[tier, "aum_rmb"] == pytest.approx(float(aum))
    ages = segments.breakdown(executive, Filters(), "age_band").set_index("segment")
    (young,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_customer_month f JOIN dim_customer c USING (customer_id) "
        "WHERE f.month_start = :m AND NOT f.is_closed AND :y - c.birth_year BETWEEN 25 AND 34",
        m=month,
        y=month.year,
    )[0]
    assert ages.loc["25_34", "count_customers"] == young
    industry = segments.breakdown(executive, Filters(), "industry")
    (owners,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_customer_month f JOIN dim_customer c USING (customer_id) "
        "WHERE f.month_start = :m AND NOT f.is_closed AND c.occupation = 'business_owner'",
        m=month,
    )[0]
    assert industry["count_customers"].sum() == owners
    for dimension in ("gender", "branch_type", "risk_grade", "channel", "occupation"):
        frame = segments.breakdown(executive, Filters(), dimension)
        assert frame["count_customers"].sum() == sum(r[1] for r in expected), dimension


def test_segment_filters_combine(warehouse: Warehouse, viewers) -> None:
    executive = viewers(warehouse)["executive"]
    month = as_of_month(warehouse)
    segment = segments.SegmentFilters(genders=("F",), channels=("mobile",), age_bands=("25_34",))
    frame = segments.breakdown(executive, Filters(), "tier", segment)
    (expected,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_customer_month f JOIN dim_customer c USING (customer_id) "
        "WHERE f.month_start = :m AND NOT f.is_closed AND c.gender = 'F' "
        "AND :y - c.birth_year BETWEEN 25 AND 34 AND f.count_txn_mobile > f.count_txn_counter "
        "AND f.count_txn_mobile > f.count_txn_self_service",
        m=month,
        y=month.year,
    )[0]
    assert frame["count_customers"].sum() == expected


def test_pareto_buckets_add_up_and_are_ranked(warehouse: Warehouse, viewers) -> None:
    executive, analyst = viewers(warehouse)["executive"], viewers(warehouse)["analyst"]
    month = as_of_month(warehouse)
    count, aum = warehouse_sql(
        warehouse,
        "SELECT count(*), sum(aum_rmb) FROM fact_customer_month "
        "WHERE month_start = :m AND NOT is_closed",
        m=month,
    )[0]
    buckets = segments.pareto_buckets(executive, Filters())
    assert len(buckets) == 100
    assert buckets["count_customers"].sum() == count
    assert buckets["aum_rmb"].sum() == pytest.approx(float(aum))
    assert (buckets["min_aum_rmb"].to_numpy()[:-1] >= buckets["max_aum_rmb"].to_numpy()[1:]).all()
    (top,) = warehouse_sql(
        warehouse,
        "SELECT sum(aum_rmb) FROM (SELECT aum_rmb FROM fact_customer_month "
        "WHERE month_start = :m AND NOT is_closed ORDER BY aum_rmb DESC, customer_id "
        "LIMIT :n) t",
        m=month,
        n=int(buckets["count_customers"].iloc[0]),
    )[0]
    assert buckets["aum_rmb"].iloc[0] == pytest.approx(float(top))
    # A small selection never yields a slice below the analyst's minimum group.
    small = segments.pareto_buckets(analyst, Filters(tiers=("vip", "affluent")))
    assert (small["count_customers"] >= 5).all()


def test_spending_matches_sql(warehouse: Warehouse, viewers) -> None:
    executive = viewers(warehouse)["executive"]
    month = as_of_month(warehouse)
    filters = Filters(month=month, months_back=3)
    frame = segments.spending(executive, filters, "tier").set_index("segment")
    start = (pd.Timestamp(month) - pd.DateOffset(months=2)).date()
    rows = warehouse_sql(
        warehouse,
        "SELECT tier_code, count(*), sum(spend_farm_rmb) FROM fact_customer_month "
        "WHERE month_start BETWEEN :s AND :m AND NOT is_closed GROUP BY 1",
        s=start,
        m=month,
    )
    for tier, months, farm in rows:
        assert frame.loc[tier, "count_customer_months"] == months
        assert frame.loc[tier, "spend_farm_rmb"] == pytest.approx(float(farm))


def test_suitability_matches_sql(warehouse: Warehouse, viewers) -> None:
    executive = viewers(warehouse)["executive"]
    month = as_of_month(warehouse)
    month_end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
    rows = warehouse_sql(
        warehouse,
        "SELECT f.branch_id, count(DISTINCT h.customer_id), count(*) "
        "FROM fact_product_holding h JOIN dim_product p USING (product_id) "
        "JOIN dim_customer c ON c.customer_id = h.customer_id "
        "JOIN fact_customer_month f ON f.customer_id = h.customer_id AND f.month_start = :m "
        "WHERE h.opened_on <= :e AND (h.closed_on IS NULL OR h.closed_on > :e) "
        "AND NOT f.is_closed AND p.risk_grade IS NOT NULL "
        "AND CAST(substr(p.risk_grade, 2, 1) AS INTEGER) "
        "  > CAST(substr(c.risk_grade, 2, 1) AS INTEGER) GROUP BY 1",
        m=month,
        e=month_end,
    )
    frame = suitability.suitability_by_branch(executive, Filters()).set_index("branch_id")
    expected = {int(b): (n, h) for b, n, h in rows}
    for branch, row in frame.iterrows():
        customers, holdings = expected.get(int(branch), (0, 0))
        assert row["count_mismatched_customers"] == customers
        assert row["count_mismatched_holdings"] == holdings
    total = sum(h for _, h in expected.values())
    assert suitability.count_mismatched_holdings(executive, Filters()) == total
    listed = suitability.mismatched_holdings(executive, Filters(), limit=1000)
    assert len(listed) == total
    assert (
        listed["product_grade"].str[1:].astype(int) > listed["customer_grade"].str[1:].astype(int)
    ).all()


def test_movers_count_pages_and_masking(warehouse: Warehouse, viewers) -> None:
    analyst = viewers(warehouse)["analyst"]
    earlier, later = _months(warehouse)
    (changed,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_customer_month a LEFT JOIN fact_customer_month b "
        "ON b.customer_id = a.customer_id AND b.month_start = :later "
        "WHERE a.month_start = :earlier AND NOT a.is_closed "
        "AND (b.customer_id IS NULL OR b.is_closed OR b.tier_code <> a.tier_code)",
        earlier=earlier,
        later=later,
    )[0]
    assert tier_moves.count_movers(analyst, Filters(), earlier, later) == changed
    first = tier_moves.movers(analyst, Filters(), earlier, later, limit=10)
    second = tier_moves.movers(analyst, Filters(), earlier, later, limit=10, offset=10)
    assert len(first) == 10 and not set(first["customer_id"]) & set(second["customer_id"])
    assert first["aum_change_rmb"].abs().is_monotonic_decreasing
    assert first["full_name"].str.contains(r"\*").all()
    ups = tier_moves.movers(analyst, Filters(), earlier, later, "up", limit=1000)
    ranks = {t.code: t.rank for t in rules.TIERS}
    assert (ups["to_tier"].map(ranks) > ups["from_tier"].map(ranks)).all()


def test_branch_rates_come_from_the_mart(warehouse: Warehouse, viewers) -> None:
    executive = viewers(warehouse)["executive"]
    month = as_of_month(warehouse)
    frame = tier_moves.branch_rates(executive, Filters(month=month, months_back=3))
    assert frame["month_start"].nunique() == 4  # the window plus the month before it
    rates = mig.branch_rates(frame)
    row = rates.iloc[-1]
    (up,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_customer_month a JOIN fact_customer_month b "
        "ON b.customer_id = a.customer_id AND b.month_start = :m "
        "WHERE a.month_start = :p AND b.branch_id = :br AND "
        + _rank("b.tier_code")
        + " > "
        + _rank("a.tier_code"),
        m=row["month_start"].date(),
        p=(row["month_start"] - pd.DateOffset(months=1)).date(),
        br=int(row["branch_id"]),
    )[0]
    assert row["count_upgraded"] == up


def _rank(column: str) -> str:
    whens = " ".join(f"WHEN {column} = '{t.code}' THEN {t.rank}" for t in rules.TIERS)
    return f"(CASE {whens} END)"


def test_groups_assigned_in_sql_equal_the_model(warehouse: Warehouse, viewers) -> None:
    executive = viewers(warehouse)["executive"]
    sample = customer_groups.cluster_sample(executive, Filters())
    spec = clustering.fit_groups(sample)
    assert spec is not None and spec.count == 6
    summary = customer_groups.group_summary(executive, Filters(), spec=spec)
    in_python = np.bincount(clustering.assign(sample, spec), minlength=spec.count)
    # The demo is smaller than the sample size: the sample is every customer.
    assert summary["count_customers"].sum() == len(sample)
    assert summary["count_customers"].tolist() == in_python.tolist()
    churn = customer_groups.group_churn(executive, Filters(), spec=spec)
    assert (churn["count_left"] <= churn["count_base"]).all()
    products = customer_groups.group_products(executive, Filters(), spec=spec)
    sizes = summary.set_index("group_id")["count_customers"]
    assert (products["count_holders"] <= products["group_id"].map(sizes)).all()


def test_groups_are_the_same_on_both_backends(
    demo_duckdb: Warehouse, demo_pg: Warehouse, viewers
) -> None:
    specs = []
    for found in (demo_duckdb, demo_pg):
        query.use_warehouse(found)
        specs.append(customer_groups.fitted_groups(viewers(found)["executive"], Filters()))
    assert clustering.group_names(specs[0]) == clustering.group_names(specs[1])
    np.testing.assert_allclose(
        np.asarray(specs[0].centres), np.asarray(specs[1].centres), atol=1e-6
    )


def test_groups_are_stable_across_a_rebuild_of_the_same_data(
    demo_duckdb: Warehouse, viewers, tmp_path
) -> None:
    """A fresh build of the same data (new version, new file) gives the same groups and names."""
    from data_access.demo import build_demo
    from tests.conftest import DEMO_SIZE

    rebuilt = Warehouse(f"duckdb:///{tmp_path / 'again.duckdb'}")
    build_demo(rebuilt, **DEMO_SIZE)
    results = []
    for found in (demo_duckdb, rebuilt):
        query.use_warehouse(found)
        executive = viewers(found)["executive"]
        spec = customer_groups.fitted_groups(executive, Filters())
        summary = customer_groups.group_summary(executive, Filters(), spec=spec)
        results.append((spec, clustering.group_names(spec), summary["count_customers"].tolist()))
    assert results[0] == results[1]


def test_suitability_total_stays_visible_when_branches_are_small(
    warehouse: Warehouse, viewers
) -> None:
    seen = viewers(warehouse)
    full = suitability.suitability_summary(seen["executive"], Filters()).iloc[0]
    branches = suitability.suitability_by_branch(seen["executive"], Filters())
    assert full["count_mismatched_customers"] <= branches["count_mismatched_customers"].sum()
    assert full["count_mismatched_holdings"] == branches["count_mismatched_holdings"].sum()
    assert full["count_customers"] == branches["count_customers"].sum()
    analyst = suitability.suitability_summary(seen["analyst"], Filters()).iloc[0]
    if full["count_mismatched_customers"] >= 5:
        assert analyst["count_mismatched_customers"] == full["count_mismatched_customers"]
    else:
        assert analyst["is_suppressed"]


def test_a_wealth_manager_sees_their_own_book(warehouse: Warehouse, viewers) -> None:
    manager = viewers(warehouse)["wealth_manager"]
    month = as_of_month(warehouse)
    filters = Filters(month=month)
    (book,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_customer_month "
        "WHERE month_start = :m AND NOT is_closed AND rm_staff_id = :s",
        m=month,
        s=manager.staff_id,
    )[0]
    assert book > 0
    assert segments.breakdown(manager, filters, "tier")["count_customers"].sum() == book
    assert suitability.suitability_summary(manager, filters).iloc[0]["count_customers"] == book
    own = {
        int(r[0])
        for r in warehouse_sql(
            warehouse,
            "SELECT customer_id FROM dim_customer WHERE rm_staff_id = :s",
            s=manager.staff_id,
        )
    }
    earlier = month.replace(year=month.year - 1)
    listed = tier_moves.movers(manager, filters, earlier, month, limit=1000)
    assert set(listed["customer_id"].astype(int)) <= own


def test_a_wealth_manager_without_a_month_filter_gets_the_latest(
    warehouse: Warehouse, viewers
) -> None:
    manager = viewers(warehouse)["wealth_manager"]
    assert segments.latest_month(manager) == as_of_month(warehouse)


def _from_facts(monkeypatch: pytest.MonkeyPatch, read, *args, **kwargs) -> pd.DataFrame:
    """``read(*args)`` with mart_segment_month switched off (every count from the facts)."""
    with monkeypatch.context() as patched:
        patched.setattr(marts, "can_answer", lambda *args, **kwargs: False)
        return read(*args, **kwargs)


def _same(mart: pd.DataFrame, facts: pd.DataFrame, keys: list[str]) -> None:
    assert len(mart) > 0
    left = (mart.sort_values(keys) if keys else mart).reset_index(drop=True)
    right = (facts.sort_values(keys) if keys else facts).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right[left.columns], check_dtype=False, rtol=1e-9)


@pytest.mark.parametrize("role", ["executive", "branch_head", "analyst"])
def test_the_segment_mart_answers_as_the_facts_do(
    warehouse: Warehouse, viewers, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    viewer = viewers(warehouse)[role]
    month = as_of_month(warehouse)
    filters = Filters(month=month, months_back=4)
    narrowed = Filters(month=month, months_back=4, tiers=("mass", "affluent"))
    for dimension in segments.CUBE_DIMENSIONS[:-1]:
        for split in (False, True):
            keys = ["segment", "tier_code"] if split else ["segment"]
            args = (viewer, narrowed, dimension, segments.ALL_SEGMENTS, split)
            _same(
                segments.breakdown(*args),
                _from_facts(monkeypatch, segments.breakdown, *args),
                keys,
            )
        args = (viewer, filters, dimension)
        spent = _from_facts(monkeypatch, segments.spending, *args)
        _same(segments.spending(*args), spent, ["segment"])
    _same(
        segments.pareto_buckets(viewer, narrowed),
        _from_facts(monkeypatch, segments.pareto_buckets, viewer, narrowed),
        ["bucket"],
    )
    _same(
        cross_sell.core_coverage_trend(viewer, filters),
        _from_facts(monkeypatch, cross_sell.core_coverage_trend, viewer, filters),
        ["month_start", "count_core_products"],
    )
    for dimension in ("branch", "tier"):
        args = (viewer, filters, dimension)
        _same(
            cross_sell.core_coverage(*args),
            _from_facts(monkeypatch, cross_sell.core_coverage, *args),
            ["group_key", "count_core_products"],
        )


def test_spending_counts_the_fullest_month_for_suppression(warehouse: Warehouse, viewers) -> None:
    executive = viewers(warehouse)["executive"]
    month = as_of_month(warehouse)
    start = (pd.Timestamp(month) - pd.DateOffset(months=2)).date()
    frame = segments.spending(executive, Filters(month=month, months_back=3), "tier")
    rows = warehouse_sql(
        warehouse,
        "SELECT tier_code, max(n) FROM (SELECT tier_code, month_start, count(*) AS n "
        "FROM fact_customer_month WHERE month_start BETWEEN :s AND :m AND NOT is_closed "
        "GROUP BY 1, 2) t GROUP BY 1",
        s=start,
        m=month,
    )
    got = frame.set_index("segment")["count_customers"]
    assert {tier: got[tier] for tier, _ in rows} == dict(rows)


def test_segment_filters_and_own_books_are_counted_from_the_facts(viewers, demo_duckdb) -> None:
    executive, manager = viewers(demo_duckdb)["executive"], viewers(demo_duckdb)["wealth_manager"]
    cube = "mart_segment_month"
    assert marts.can_answer(cube, executive, Filters(), segments.ALL_SEGMENTS)
    assert not marts.can_answer(cube, executive, Filters(), segments.SegmentFilters(genders=("F",)))
    assert not marts.can_answer(cube, manager, Filters(), segments.ALL_SEGMENTS)


@pytest.mark.parametrize("role", ["executive", "branch_head", "analyst"])
def test_the_tier_transition_mart_answers_as_the_facts_do(
    warehouse: Warehouse, viewers, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    viewer = viewers(warehouse)[role]
    later = as_of_month(warehouse)
    for gap in sr.TRANSITION_GAPS:
        earlier = (pd.Timestamp(later) - pd.DateOffset(months=gap)).date()
        for filters in (Filters(), Filters(tiers=("mass", "affluent"))):
            args = (viewer, filters, earlier, later)
            stored = tier_moves.tier_matrix(*args)
            with monkeypatch.context() as patched:
                patched.setattr(tier_moves, "_stored_pair", lambda *a: sa.false())
                paired = tier_moves.tier_matrix(*args)
                counted = {d: tier_moves.count_movers(*args, d) for d in tier_moves.DIRECTIONS}
                counted_vip = tier_moves.count_movers(*args, "down", "vip")
            _same(stored, paired, ["from_tier", "to_tier"])
            assert {d: tier_moves.count_movers(*args, d) for d in tier_moves.DIRECTIONS} == counted
            assert tier_moves.count_movers(*args, "down", "vip") == counted_vip
            assert counted["all"] > 0


def test_other_month_pairs_are_paired_from_the_facts(warehouse: Warehouse, viewers) -> None:
    executive = viewers(warehouse)["executive"]
    later = as_of_month(warehouse)
    earlier = (pd.Timestamp(later) - pd.DateOffset(months=5)).date()
    cells = tier_moves.tier_matrix(executive, Filters(), earlier, later)
    (expected,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_customer_month WHERE month_start = :m AND NOT is_closed",
        m=earlier,
    )[0]
    assert cells.loc[cells["from_tier"] != "new", "count_customers"].sum() == expected


@pytest.mark.parametrize("role", ["executive", "branch_head", "analyst"])
def test_the_suitability_mart_answers_as_the_holdings_do(
    warehouse: Warehouse, viewers, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    viewer = viewers(warehouse)[role]
    month = as_of_month(warehouse)
    earlier = (pd.Timestamp(month) - pd.DateOffset(months=7)).date()
    for filters in (Filters(month=month), Filters(month=earlier, tiers=("mass", "affluent"))):
        stored = {
            "by_branch": suitability.suitability_by_branch(viewer, filters),
            "summary": suitability.suitability_summary(viewer, filters),
            "grid": suitability.suitability_grid(viewer, filters),
            "count": suitability.count_mismatched_holdings(viewer, filters),
        }
        branch = int(stored["by_branch"]["branch_id"].iloc[0])
        stored_one = suitability.count_mismatched_holdings(viewer, filters, branch)
        lists = [
            suitability.mismatched_holdings(viewer, filters),
            suitability.mismatched_holdings(viewer, filters, limit=7, offset=3),
            suitability.mismatched_holdings(viewer, filters, branch),
        ]
        with monkeypatch.context() as patched:
            patched.setattr(marts, "can_answer", lambda *args, **kwargs: False)
            _same(
                stored["by_branch"],
                suitability.suitability_by_branch(viewer, filters),
                ["branch_id"],
            )
            _same(stored["summary"], suitability.suitability_summary(viewer, filters), [])
            grid = suitability.suitability_grid(viewer, filters)
            _same(stored["grid"], grid, ["customer_grade", "product_grade"])
            assert stored["count"] == suitability.count_mismatched_holdings(viewer, filters) > 0
            assert stored_one == suitability.count_mismatched_holdings(viewer, filters, branch)
            # The list in the same order, the same page, masked the same way.
            live = [
                suitability.mismatched_holdings(viewer, filters),
                suitability.mismatched_holdings(viewer, filters, limit=7, offset=3),
                suitability.mismatched_holdings(viewer, filters, branch),
            ]
        assert len(lists[0]) > 0
        for mart, facts in zip(lists, live, strict=True):
            pd.testing.assert_frame_equal(mart, facts, check_dtype=False)


@pytest.mark.parametrize("role", ["executive", "analyst"])
def test_the_pareto_mart_cuts_as_the_live_ranking_does(
    warehouse: Warehouse, viewers, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    viewer = viewers(warehouse)[role]
    earlier = (pd.Timestamp(as_of_month(warehouse)) - pd.DateOffset(months=3)).date()
    for filters in (Filters(), Filters(month=earlier)):
        stored = segments.pareto_buckets(viewer, filters)
        with monkeypatch.context() as patched:
            patched.setattr(marts, "can_answer", lambda *args, **kwargs: False)
            _same(stored, segments.pareto_buckets(viewer, filters), ["bucket"])
        assert len(stored) == sr.PARETO_BUCKETS
    (months,) = warehouse_sql(
        warehouse, "SELECT count(DISTINCT month_start) FROM mart_pareto WHERE bucket = 100"
    )[0]
    assert months >= 4  # the curves above came from the mart
    # Reads the mart only for the whole province: a branch head ranks their own customers.
    assert not marts.can_answer("mart_pareto", viewers(warehouse)["branch_head"], Filters())
    assert not marts.can_answer("mart_pareto", viewer, Filters(tiers=("vip",)))


@pytest.mark.parametrize("role", ["executive", "analyst"])
def test_the_group_marts_answer_as_the_live_fit_does(
    warehouse: Warehouse, viewers, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    viewer = viewers(warehouse)[role]
    latest = as_of_month(warehouse)
    earlier = (pd.Timestamp(latest) - pd.DateOffset(months=3)).date()
    reads = (
        (customer_groups.group_summary, ["group_id"]),
        (customer_groups.group_products, ["group_id", "category"]),
        (customer_groups.group_churn, ["group_id"]),
    )
    for filters in (Filters(), Filters(month=earlier)):
        spec = customer_groups.fitted_groups(viewer, filters)
        assert spec is not None
        assert spec == customer_groups.stored_spec(viewer, filters.month or latest)
        stored = [read(viewer, filters, spec=spec) for read, _ in reads]
        with monkeypatch.context() as patched:
            patched.setattr(marts, "can_answer", lambda *args, **kwargs: False)
            # Fitted live on the same sample: the very same model, totalled from the facts.
            assert customer_groups.fitted_groups(viewer, filters) == spec
            live = [read(viewer, filters, spec=spec) for read, _ in reads]
        for (_, keys), mart, facts in zip(reads, stored, live, strict=True):
            _same(mart, facts, keys)
    (months,) = warehouse_sql(
        warehouse, "SELECT count(DISTINCT month_start) FROM mart_group_centre"
    )[0]
    (in_warehouse,) = warehouse_sql(warehouse, "SELECT count(*) FROM dim_month")[0]
    assert months == min(sr.CLUSTER_STORED_MONTHS, in_warehouse)


def test_other_groups_are_fitted_and_totalled_live(warehouse: Warehouse, viewers) -> None:
    seen = viewers(warehouse)
    latest = as_of_month(warehouse)
    stored = customer_groups.stored_spec(seen["executive"], latest)
    # A branch head's groups are their branch's; the province's rows are not theirs to read.
    head_spec = customer_groups.fitted_groups(seen["branch_head"], Filters())
    assert head_spec is not None and head_spec != stored
    assert customer_groups.stored_spec(seen["branch_head"], latest) is None
    head = customer_groups.group_summary(seen["branch_head"], Filters(), spec=head_spec)
    (in_branch,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_customer_month f JOIN dim_staff s ON s.branch_id = f.branch_id "
        "WHERE f.month_start = :m AND NOT f.is_closed AND s.staff_id = :staff",
        m=latest,
        staff=seen["branch_head"].staff_id,
    )[0]
    assert head["count_customers"].sum() == in_branch
    # A month older than the stored ones is fitted live, on that month's customers.
    first = warehouse_sql(warehouse, "SELECT min(month_start) FROM fact_customer_month")[0][0]
    old = Filters(month=first)
    assert customer_groups.stored_spec(seen["executive"], first) is None
    spec = customer_groups.fitted_groups(seen["executive"], old)
    (count,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_customer_month WHERE month_start = :m AND NOT is_closed",
        m=first,
    )[0]
    assert (
        customer_groups.group_summary(seen["executive"], old, spec=spec)["count_customers"].sum()
        == count
    )


def test_marts_that_lose_rows_fail_a_data_test(demo_duckdb: Warehouse, tmp_path) -> None:
    from data_access.data_tests import run_data_tests

    copy = Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    copy.path.write_bytes(demo_duckdb.path.read_bytes())
    engine = sa.create_engine(copy.url)
    try:
        with engine.connect() as conn:
            assert run_data_tests(conn) == []
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE mart_group_summary SET count_customers = count_customers - 1 "
                    "WHERE group_id = 0"
                )
            )
            conn.execute(sa.text("UPDATE mart_group_churn SET count_left = count_base + 1"))
            conn.execute(
                sa.text(
                    "DELETE FROM mart_tier_mover "
                    "WHERE customer_id = (SELECT min(customer_id) FROM mart_tier_mover)"
                )
            )
            conn.execute(
                sa.text(
                    "DELETE FROM mart_mismatched_holding "
                    "WHERE holding_id = (SELECT min(holding_id) FROM mart_mismatched_holding)"
                )
            )
        with engine.connect() as conn:
            failures = run_data_tests(conn)
    finally:
        engine.dispose()
    assert any(f.startswith("mart_group_summary: a month's groups") for f in failures)
    assert any(f.startswith("mart_group_churn") for f in failures)
    assert any(f.startswith("mart_mismatched_holding: a branch's month") for f in failures)
    assert any(f.startswith("mart_tier_mover: a pair's branch") for f in failures)


@pytest.mark.parametrize("role", ["executive", "branch_head", "analyst"])
def test_the_mover_mart_lists_as_the_facts_do(
    warehouse: Warehouse, viewers, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    viewer = viewers(warehouse)[role]
    later = as_of_month(warehouse)
    for gap in sr.TRANSITION_GAPS:
        earlier = (pd.Timestamp(later) - pd.DateOffset(months=gap)).date()
        cases = [
            (Filters(), "all", None, None, 50, 0),
            (Filters(), "down", None, None, 10, 5),
            (Filters(tiers=("mass", "affluent")), "up", None, None, 20, 0),
            (Filters(), "left", "mass", None, 20, 0),
            (Filters(), "all", None, "affluent", 20, 0),
        ]
        stored = [
            tier_moves.movers(viewer, f, earlier, later, d, a, b, limit=n, offset=o)
            for f, d, a, b, n, o in cases
        ]
        with monkeypatch.context() as patched:
            patched.setattr(tier_moves, "_movers_stored", lambda *args: False)
            live = [
                tier_moves.movers(viewer, f, earlier, later, d, a, b, limit=n, offset=o)
                for f, d, a, b, n, o in cases
            ]
        assert len(stored[0]) > 0
        for mart, facts in zip(stored, live, strict=True):
            pd.testing.assert_frame_equal(mart, facts, check_dtype=False)
    assert tier_moves._movers_stored(viewer, Filters(), earlier, later)
    # A pair refresh does not store, and a wealth manager's own book, are paired live.
    odd = (pd.Timestamp(later) - pd.DateOffset(months=5)).date()
    assert not tier_moves._movers_stored(viewer, Filters(), odd, later)
    manager = viewers(warehouse)["wealth_manager"]
    assert not tier_moves._movers_stored(manager, Filters(), earlier, later)
