"""Known answers for the monthly business review's opening line (analytics.review)."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics import review


def _monthly(values: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """month -> (month-end, daily average)."""
    return pd.DataFrame(
        {
            "month_start": pd.to_datetime([f"{m}-01" for m in values]),
            "aum_rmb": [v[0] for v in values.values()],
            "aum_avg_rmb": [v[1] for v in values.values()],
        }
    )


MONTHLY = _monthly(
    {
        "2025-11": (950.0, 930.0),
        "2025-12": (1_000.0, 960.0),
        "2026-01": (1_030.0, 1_000.0),
        "2026-02": (1_090.0, 1_040.0),
        "2026-03": (1_120.0, 1_100.0),
        "2026-04": (1_150.0, 1_130.0),
        "2026-05": (1_160.0, 1_150.0),
        "2026-06": (1_240.0, 1_180.0),
    }
)


def test_the_opening_line_on_the_daily_average_in_june() -> None:
    got = review.opening(MONTHLY, "aum_avg_rmb", "2026-06-01", plan=400.0)
    assert got.value == 1_180.0
    assert got.year_base == 960.0  # December's daily average
    assert got.change_ytd == pytest.approx(220.0)  # 1,180 - 960
    assert got.quarter_base == 1_100.0  # March
    assert got.change_qtd == pytest.approx(80.0)
    assert got.attainment_pct == pytest.approx(55.0)  # 220 / 400
    assert got.elapsed_pct == pytest.approx(181 / 365 * 100)  # 30 June: 181 of 365 days
    assert got.gap_pts == pytest.approx(55.0 - 181 / 365 * 100)
    assert got.light == "green"  # ahead of time
    assert got.missing == ()


def test_the_same_month_on_the_month_end_basis_gives_its_own_figures() -> None:
    got = review.opening(MONTHLY, "aum_rmb", "2026-06-01", plan=600.0)
    assert got.change_ytd == pytest.approx(240.0)  # 1,240 - 1,000
    assert got.attainment_pct == pytest.approx(40.0)
    # 40% done against 49.6% of the year: 80.7% of the pace, under the amber line (90%).
    assert got.light == "red"


def test_the_light_is_amber_just_behind_time() -> None:
    # 45% of the plan against 49.6% of the year: 90.8% of the pace.
    got = review.opening(MONTHLY, "aum_avg_rmb", "2026-06-01", plan=220.0 / 0.45)
    assert got.attainment_pct == pytest.approx(45.0)
    assert got.light == "amber"


def test_in_january_the_base_is_december_for_the_year_and_the_quarter() -> None:
    got = review.opening(MONTHLY, "aum_rmb", "2026-01-01", plan=300.0)
    assert got.change_ytd == pytest.approx(30.0)
    assert got.change_qtd == pytest.approx(30.0)
    assert got.elapsed_pct == pytest.approx(31 / 365 * 100)
    assert got.attainment_pct == pytest.approx(10.0)


def test_a_year_without_its_december_says_so_rather_than_showing_a_number() -> None:
    frame = _monthly({"2026-01": (1_030.0, 1_000.0), "2026-02": (1_090.0, 1_040.0)})
    got = review.opening(frame, "aum_avg_rmb", "2026-02-01", plan=300.0)
    assert got.value == 1_040.0
    assert got.change_ytd is None and got.change_qtd is None
    assert got.attainment_pct is None and got.gap_pts is None and got.light is None
    assert review.NO_YEAR_BASE in got.missing and review.NO_QUARTER_BASE in got.missing


def test_no_plan_or_a_plan_that_is_not_positive_gives_no_attainment() -> None:
    for plan in (None, 0.0, -5.0, float("nan")):
        got = review.opening(MONTHLY, "aum_rmb", "2026-06-01", plan=plan)
        assert got.change_ytd == pytest.approx(240.0)
        assert got.attainment_pct is None and got.light is None
        assert got.missing == (review.NO_PLAN,)


def test_a_leap_year_counts_its_days() -> None:
    assert review.year_elapsed_pct("2028-02-01") == pytest.approx(60 / 366 * 100)
    assert review.year_elapsed_pct("2026-12-01") == pytest.approx(100.0)


def test_quarter_and_year_daily_averages_weight_the_months_by_their_days() -> None:
    # 2026: January 1,000 (31 days), February 1,040 (28 days).
    year = review.period_daily_average(MONTHLY, "aum_avg_rmb", "2026-02-01", "year")
    assert year == pytest.approx((1_000 * 31 + 1_040 * 28) / 59)
    # Q2 to May: April 1,130 (30 days), May 1,150 (31 days).
    quarter = review.period_daily_average(MONTHLY, "aum_avg_rmb", "2026-05-01", "quarter")
    assert quarter == pytest.approx((1_130 * 30 + 1_150 * 31) / 61)
    # A period month missing from the data: no figure.
    gap = MONTHLY.iloc[3:]
    assert review.period_daily_average(gap, "aum_avg_rmb", "2026-02-01", "year") is None
    with pytest.raises(ValueError, match="unknown period 'month'"):
        review.period_daily_average(MONTHLY, "aum_avg_rmb", "2026-02-01", "month")


def test_on_basis_puts_the_daily_average_under_the_month_end_name() -> None:
    shown = review.on_basis(MONTHLY, "avg")
    assert list(shown["aum_rmb"]) == list(MONTHLY["aum_avg_rmb"])
    assert list(MONTHLY["aum_rmb"])[0] == 950.0  # the input is left alone
    assert review.on_basis(MONTHLY, "end") is MONTHLY
    with pytest.raises(ValueError, match="unknown basis 'daily'"):
        review.on_basis(MONTHLY, "daily")
