"""Known answers for the Hongyan league, level targets, productivity and role moves."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics import hongyan as calc
from analytics import scorecard_rules as sr


def test_league_growth_targets_and_coverage() -> None:
    month, base = pd.Timestamp("2026-08-01"), pd.Timestamp("2025-08-01")
    staff = pd.DataFrame(
        {
            "staff_id": [1, 2],
            "branch_id": [5, 5],
            "full_name": ["张*", "李*"],
            "hongyan_level": [1, 2],
        }
    )
    level1, level2 = sr.HONGYAN_BY_LEVEL[1], sr.HONGYAN_BY_LEVEL[2]
    books = pd.DataFrame(
        {
            "rm_staff_id": [1, 1, 2, 2],
            "month_start": [base, month, base, month],
            "aum_rmb": [level2.min_aum_rmb / 2, level2.min_aum_rmb, 1e6, 2e6],
            "count_customers": [10, 12, 5, 6],
        }
    )
    sales = pd.DataFrame(
        {
            "staff_id": [1],
            "sales_rmb": [level2.sales_rmb],
            "count_products_sold": [level2.products_sold],
        }
    )
    contacts = pd.DataFrame({"staff_id": [1], "count_contacted": [level2.customers_contacted]})
    watch = pd.DataFrame(
        {"rm_staff_id": [1, 2], "count_watchlist": [4, 0], "count_watchlist_contacted": [4, 0]}
    )
    league = calc.league(staff, books, sales, contacts, watch, month, base).set_index("staff_id")
    assert league.loc[1, "rank"] == 1
    assert league.loc[1, "aum_growth_pct"] == pytest.approx(100.0)
    assert league.loc[1, "watchlist_coverage_pct"] == pytest.approx(100.0)
    assert pd.isna(league.loc[2, "watchlist_coverage_pct"])  # nothing to cover
    assert league.loc[1, "count_targets_met"] == 5 and league.loc[1, "count_targets_assessed"] == 5
    assert bool(league.loc[1, "ready_next_level"])  # meets level 2 while at level 1
    assert league.loc[2, "count_targets_assessed"] == 4
    assert league.loc[2, "count_targets_met"] == 0
    assert level1.min_aum_rmb < level2.min_aum_rmb
    productivity = calc.productivity_by_level(league.reset_index()).set_index("hongyan_level")
    assert productivity.loc[1, "share_all_targets_met_pct"] == pytest.approx(100.0)
    assert productivity.loc[2, "aum_per_manager_rmb"] == pytest.approx(2e6)


def test_level_targets_rise_step_by_step() -> None:
    steps = calc.level_targets()
    for column in ("min_aum_rmb", "sales_rmb", "products_sold", "customers_contacted"):
        assert steps[column].is_monotonic_increasing


def test_role_moves_and_diversion() -> None:
    staff = pd.DataFrame(
        {
            "role": ["wealth_manager", "account_manager", "wealth_manager", "teller"],
            "previous_role": ["teller", "teller", None, None],
            "role_since": pd.to_datetime(["2026-02-10", "2025-06-01", "2026-02-01", "2020-01-01"]),
        }
    )
    moves = calc.role_moves(staff, pd.Timestamp("2026-01-01"), pd.Timestamp("2026-03-01"))
    assert list(moves["count_moved"]) == [0, 1, 0]
    assert list(moves["cumulative"]) == [1, 2, 2]  # one move before the window
    service = pd.DataFrame(
        {
            "month_start": pd.to_datetime(["2026-01-01", "2026-01-01"]),
            "count_txn_counter": [30, 10],
            "count_txn_off_counter": [70, 90],
        }
    )
    assert calc.diversion_trend(service).loc[0, "diversion_pct"] == pytest.approx(80.0)
