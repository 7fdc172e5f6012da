"""Known answers for core-bundle coverage, its trend and the stickiness curve."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from analytics import bundle


def _counts(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["group_key", "count_core_products", "count_customers"])


def test_coverage_shares_per_group() -> None:
    # Branch 1: 2 customers with 0, 3 with 1, 5 with 3 -> 10 customers.
    # Branch 2: 4 customers with 5.
    shares = bundle.coverage_shares(_counts([(1, 0, 2), (1, 1, 3), (1, 3, 5), (2, 5, 4)]))
    one = shares.set_index("group_key").loc[1]
    assert one["count_customers"] == 10
    assert [one[f"count_{k}"] for k in range(6)] == [2, 3, 0, 5, 0, 0]
    assert [one[f"share_{k}"] for k in range(6)] == [20.0, 30.0, 0.0, 50.0, 0.0, 0.0]
    assert one["avg_core_products"] == pytest.approx((0 * 2 + 1 * 3 + 3 * 5) / 10)
    assert one["share_3plus_pct"] == 50.0
    assert one["share_full_pct"] == 0.0
    two = shares.set_index("group_key").loc[2]
    assert two["share_5"] == 100.0 and two["share_full_pct"] == 100.0
    assert two["avg_core_products"] == 5.0


def test_rows_of_the_same_group_and_count_are_added() -> None:
    shares = bundle.coverage_shares(_counts([("mass", 1, 2), ("mass", 1, 3)]))
    assert shares.iloc[0]["count_1"] == 5 and shares.iloc[0]["count_customers"] == 5


def test_empty_counts_give_an_empty_frame_with_the_columns() -> None:
    shares = bundle.coverage_shares(_counts([]))
    assert shares.empty and "share_5" in shares.columns


def test_trend_is_ordered_by_month() -> None:
    june, july = dt.date(2026, 6, 1), dt.date(2026, 7, 1)
    counts = pd.DataFrame(
        [(july, 2, 4), (june, 1, 1), (june, 3, 1)],
        columns=["month_start", "count_core_products", "count_customers"],
    )
    trend = bundle.coverage_trend(counts)
    assert trend["month_start"].tolist() == [june, july]
    assert trend["avg_core_products"].tolist() == [2.0, 2.0]
    assert trend["share_3plus_pct"].tolist() == [50.0, 0.0]
    assert trend["count_customers"].tolist() == [2, 4]


def test_stickiness_curve_rates_and_thin_bases() -> None:
    pairs = pd.DataFrame(
        {
            "count_core_products": [1, 2, 2, 4],
            "count_base": [1000, 300, 100, 50],
            "count_churned": [20, 4, 0, 0],
        }
    )
    curve = bundle.stickiness_curve(pairs, min_base=200)
    assert curve["count_core_products"].tolist() == [0, 1, 2, 3, 4, 5]
    assert curve["count_base"].tolist() == [0, 1000, 400, 0, 50, 0]
    assert curve["count_churned"].tolist() == [0, 20, 4, 0, 0, 0]
    rates = curve["churn_rate_pct"].tolist()
    assert math.isnan(rates[0]) and rates[1] == 2.0 and rates[2] == 1.0 and rates[4] == 0.0
    assert curve["is_thin"].tolist() == [True, False, False, True, True, True]


def test_stickiness_curve_for_all_products_extends_past_five() -> None:
    pairs = pd.DataFrame({"count_core_products": [7], "count_base": [10], "count_churned": [1]})
    curve = bundle.stickiness_curve(pairs, through=0)
    assert curve["count_core_products"].tolist() == list(range(8))


def test_stickiness_ratio() -> None:
    curve = bundle.stickiness_curve(
        pd.DataFrame(
            {
                "count_core_products": [0, 1, 3, 4],
                "count_base": [100, 300, 150, 50],
                "count_churned": [4, 8, 1, 1],
            }
        )
    )
    # One or none: 12 / 400 = 3%; three or more: 2 / 200 = 1% -> 3 times.
    assert bundle.stickiness_ratio(curve) == pytest.approx(3.0)
    assert bundle.stickiness_ratio(curve[curve["count_core_products"] < 3]) is None
