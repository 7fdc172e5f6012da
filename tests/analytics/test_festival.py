"""January to March aligned on the Spring Festival and the 开门红 period, with known answers:
the festival fell on 29 January 2025 and on 17 February 2026."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics import festival
from catalogue import calendar


def _monthly(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"month_start": pd.to_datetime(list(values)), "aum_rmb": list(values.values())}
    )


def test_slots_count_months_from_the_festivals_month() -> None:
    assert [festival.slot(f"2025-0{m}-01") for m in (1, 2, 3)] == [0, 1, 2]
    assert [festival.slot(f"2026-0{m}-01") for m in (1, 2, 3)] == [-1, 0, 1]
    assert festival.slot("2026-04-01") is None
    assert festival.days_from_festival("2025-01-01") == 2  # 31 Jan is 2 days after 29 Jan
    assert festival.days_from_festival("2026-01-01") == -17  # 31 Jan, 17 days before 17 Feb
    assert festival.days_from_festival("2026-02-01") == 11


def test_year_on_year_compares_the_same_distance_from_the_festival() -> None:
    monthly = _monthly(
        {
            "2024-12-01": 100.0,
            "2025-01-01": 130.0,  # the 2025 festival's month: the inflow is here
            "2025-02-01": 125.0,
            "2025-03-01": 124.0,
            "2025-12-01": 120.0,
            "2026-01-01": 121.0,
            "2026-02-01": 156.0,  # the 2026 festival's month
            "2026-03-01": 150.0,
        }
    )
    got = festival.aligned_year_on_year(monthly, "aum_rmb").set_index("month_start")
    feb = got.loc[pd.Timestamp("2026-02-01")]
    assert feb["base_month"] == pd.Timestamp("2025-01-01")  # festival month against festival month
    assert feb["change"] == pytest.approx(26.0)
    assert feb["change_pct"] == pytest.approx(20.0)
    assert feb["calendar_change_pct"] == pytest.approx((156 / 125 - 1) * 100)
    jan = got.loc[pd.Timestamp("2026-01-01")]
    assert jan["base_month"] == pd.Timestamp("2024-12-01") and jan["change"] == pytest.approx(21.0)
    mar = got.loc[pd.Timestamp("2026-03-01")]
    assert mar["base_month"] == pd.Timestamp("2025-02-01") and mar["change"] == pytest.approx(25.0)
    first = got.loc[pd.Timestamp("2025-01-01")]
    assert pd.isna(first["base_value"]) and pd.isna(first["change_pct"])  # 2024's not in the data


def test_the_profile_groups_january_to_march_by_slot() -> None:
    monthly = _monthly(
        {
            "2024-12-01": 100.0,
            "2025-01-01": 110.0,  # slot 0 (+10%)
            "2025-02-01": 110.0,  # slot 1 (0%)
            "2025-12-01": 100.0,
            "2026-01-01": 100.0,  # slot -1 (0%)
            "2026-02-01": 120.0,  # slot 0 (+20%)
        }
    )
    profile = festival.aligned_seasonality(monthly, "aum_rmb").set_index("period")
    assert profile.loc["slot:0", "mean_mom_pct"] == pytest.approx(15.0)
    assert profile.loc["slot:0", "count_years"] == 2
    assert profile.loc["slot:-1", "mean_mom_pct"] == pytest.approx(0.0)
    assert profile.loc["slot:1", "count_years"] == 1
    assert profile.loc["month:12", "count_years"] == 0  # December follows November: not here
    assert list(profile.index[:4]) == ["slot:-1", "slot:0", "slot:1", "slot:2"]


def test_kaimenhong_is_december_to_march_with_the_part_in_by_the_festival() -> None:
    monthly = _monthly(
        {
            "2025-12-01": 200.0,
            "2026-01-01": 205.0,
            "2026-02-01": 230.0,
            "2026-03-01": 240.0,
            "2026-04-01": 238.0,
        }
    )
    got = festival.kaimenhong(monthly, "aum_rmb")
    assert len(got) == 1  # 2025 has no December before it in the data
    row = got.iloc[0]
    assert row["year"] == 2026 and row["festival"] == dt.date(2026, 2, 17)
    assert row["change"] == pytest.approx(40.0) and row["change_pct"] == pytest.approx(20.0)
    assert row["by_festival_change"] == pytest.approx(30.0)


def test_a_year_outside_the_calendar_is_named() -> None:
    with pytest.raises(ValueError, match="no Spring Festival date for 2040.*catalogue.calendar"):
        calendar.spring_festival(2040)
