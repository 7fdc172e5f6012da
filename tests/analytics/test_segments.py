"""Known answers for segment shares, the Pareto curve and spending per customer."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics import segments as seg


def test_shares_and_average_assets() -> None:
    frame = pd.DataFrame(
        {
            "segment": ["a", "b"],
            "count_customers": [3, 1],
            "aum_rmb": [100.0, 300.0],
            "count_active": [3, 0],
        }
    )
    out = seg.with_shares(frame)
    assert out["customer_share_pct"].tolist() == [75.0, 25.0]
    assert out["aum_share_pct"].tolist() == [25.0, 75.0]
    assert out["avg_aum_rmb"].tolist() == pytest.approx([100 / 3, 300.0])
    assert out["active_pct"].tolist() == [100.0, 0.0]


def test_suppressed_rows_count_in_no_share() -> None:
    frame = pd.DataFrame(
        {"segment": ["a", "b", "c"], "count_customers": [6, np.nan, 4], "aum_rmb": [60, np.nan, 40]}
    )
    out = seg.with_shares(frame)
    assert out["customer_share_pct"].iloc[0] == 60.0
    assert math.isnan(out["customer_share_pct"].iloc[1])
    assert out["aum_share_pct"].iloc[2] == 40.0


def test_segments_in_their_natural_order() -> None:
    frame = pd.DataFrame({"segment": ["vip", "mass", "zzz", "potential"]})
    ordered = seg.order_segments(frame, ["mass", "potential", "affluent", "vip"])
    assert ordered["segment"].tolist() == ["mass", "potential", "vip", "zzz"]


def test_pareto_curve_known_answer() -> None:
    # Four customers: the richest holds 80, the next 15, the last two 5 between them.
    buckets = pd.DataFrame(
        {"bucket": [3, 1, 2], "count_customers": [2, 1, 1], "aum_rmb": [5.0, 80.0, 15.0]}
    )
    curve = seg.pareto_curve(buckets)
    assert curve["customer_share_pct"].tolist() == [0.0, 25.0, 50.0, 100.0]
    assert curve["aum_share_pct"].tolist() == [0.0, 80.0, 95.0, 100.0]
    assert seg.aum_share_of_top(curve, 25) == 80.0
    assert seg.aum_share_of_top(curve, 10) == pytest.approx(32.0)  # linear within the slice
    assert seg.aum_share_of_top(curve, 100) == 100.0
    headlines = seg.pareto_headlines(curve, (25, 50))
    assert headlines["aum_share_pct"].tolist() == [80.0, 95.0]


def test_pareto_of_an_even_spread_is_the_diagonal() -> None:
    buckets = pd.DataFrame(
        {"bucket": range(1, 11), "count_customers": [5] * 10, "aum_rmb": [10.0] * 10}
    )
    curve = seg.pareto_curve(buckets)
    assert np.allclose(curve["customer_share_pct"], curve["aum_share_pct"])


def test_empty_pareto_is_nan() -> None:
    curve = seg.pareto_curve(pd.DataFrame(columns=["bucket", "count_customers", "aum_rmb"]))
    assert math.isnan(seg.aum_share_of_top(curve, 10))


def test_spending_per_customer_month() -> None:
    spending = pd.DataFrame(
        {
            "segment": ["a", "b"],
            "count_customer_months": [4, np.nan],  # b was suppressed
            "spend_daily_rmb": [400.0, np.nan],
            "spend_farm_rmb": [100.0, np.nan],
        }
    )
    long = seg.spending_per_customer(spending, ["daily", "farm"])
    a = long[long["segment"] == "a"].set_index("category")
    assert a.loc["daily", "avg_monthly_rmb"] == 100.0
    assert a.loc["farm", "avg_monthly_rmb"] == 25.0
    assert a.loc["daily", "share_pct"] == 80.0
    assert long[long["segment"] == "b"]["avg_monthly_rmb"].isna().all()
