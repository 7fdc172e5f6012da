"""Known answers for the deposits view: 存款付息率 (month and year to date), its split into mix
and rate effects, and 存款偏离度 against the 4% line (docs/rules.md, "Deposits")."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics import deposits, rules


def _month(month: str, demand: float, time_other: float, cd: float, rates, end: float) -> dict:
    """A 30-day month: interest = daily average x annual rate / 12 (30 / 360)."""
    r_demand, r_time, r_cd = rates
    return {
        "month_start": pd.Timestamp(month),
        "deposit_rmb": end,
        "deposit_avg_rmb": demand + time_other + cd,
        "interest_paid_rmb": (demand * r_demand + time_other * r_time + cd * r_cd) / 12,
        "demand_deposit_rmb": end * 0.4,
        "demand_deposit_avg_rmb": demand,
        "demand_deposit_interest_rmb": demand * r_demand / 12,
        "time_deposit_rmb": end * 0.6,
        "time_deposit_avg_rmb": time_other + cd,
        "time_deposit_interest_rmb": (time_other * r_time + cd * r_cd) / 12,
        "large_cd_rmb": end * 0.1,
        "large_cd_avg_rmb": cd,
        "large_cd_interest_rmb": cd * r_cd / 12,
        "aum_rmb": end * 1.25,
    }


@pytest.fixture
def months() -> pd.DataFrame:
    return pd.DataFrame(
        [
            # June: 400 demand at 0.36%, 500 time at 1.8%, 100 大额存单 at 2.4%; month end 1,040.
            _month("2026-06-01", 400, 500, 100, (0.0036, 0.018, 0.024), 1_040),
            # September: 100 moved from time deposits to demand, demand rate cut to 0.24%.
            _month("2026-09-01", 500, 400, 100, (0.0024, 0.018, 0.024), 1_050),
        ]
    )


def test_cost_of_the_month_and_year_to_date(months: pd.DataFrame) -> None:
    out = deposits.with_deposit_measures(months)
    # June: interest 0.12 + 0.75 + 0.20 = 1.07 on 1,000 over 30 days: 1.07 / 1000 x 12 = 1.284%.
    assert out["cost_pct"].tolist() == pytest.approx([1.284, 1.08])
    # Year to date at September (over the months in the frame): 1.97 / 60,000 x 360 = 1.182%.
    assert out["cost_ytd_pct"].tolist() == pytest.approx([1.284, 1.182])
    assert out["demand_cost_pct"].tolist() == pytest.approx([0.36, 0.24])
    assert out["large_cd_cost_pct"].tolist() == pytest.approx([2.4, 2.4])
    assert out["deposit_share_of_aum_pct"].tolist() == pytest.approx([80.0, 80.0])


def test_deviation_against_the_four_percent_line(months: pd.DataFrame) -> None:
    out = deposits.with_deposit_measures(months)
    assert rules.DEPOSIT_DEVIATION_CAP == 0.04
    # 1,040 / 1,000 - 1 = 4.0%: on the line, not above it; 1,050 / 1,000 - 1 = 5.0%: above.
    assert out["deviation_pct"].tolist() == pytest.approx([4.0, 5.0])
    assert out["above_cap"].tolist() == [False, True]
    assert out["quarter_end"].tolist() == [True, True]


def test_mix_and_rate_effects_add_up_to_the_change(months: pd.DataFrame) -> None:
    change = deposits.cost_change(months, "2026-09-01", "2026-06-01")
    assert change is not None
    assert change.base_pct == pytest.approx(1.284)
    assert change.cost_pct == pytest.approx(1.08)
    # Mix: demand +10 points at the mean demand rate 0.30%, time -10 points at 1.8%:
    # 0.1 x 0.30 - 0.1 x 1.8 = -0.15 pp. Rate: demand -0.12 points at the mean weight 45%: -0.054.
    assert change.mix_pp == pytest.approx(-0.15)
    assert change.rate_pp == pytest.approx(-0.054)
    assert change.mix_pp + change.rate_pp == pytest.approx(change.change_pp)
    lines = change.lines.set_index("segment")
    assert lines.loc["time_other", "mix_pp"] == pytest.approx(-0.18)
    assert lines.loc["large_cd", "rate_pp"] == pytest.approx(0.0)


def test_a_line_that_appears_counts_as_mix() -> None:
    frame = pd.DataFrame(
        [
            _month("2026-06-01", 500, 500, 0, (0.0036, 0.018, 0.024), 1_000),
            _month("2026-09-01", 500, 400, 100, (0.0036, 0.018, 0.024), 1_000),
        ]
    )
    change = deposits.cost_change(frame, "2026-09-01", "2026-06-01")
    assert change.rate_pp == pytest.approx(0.0)
    # 10 points from time (1.8%) into 大额存单 (2.4%): +0.06 pp.
    assert change.mix_pp == pytest.approx(0.06)


def test_missing_months_and_empty_balances() -> None:
    frame = pd.DataFrame([_month("2026-06-01", 0, 0, 0, (0.0, 0.0, 0.0), 0)])
    assert deposits.cost_change(frame, "2026-09-01", "2026-06-01") is None
    out = deposits.with_deposit_measures(frame)
    assert math.isnan(out["cost_pct"].iloc[0]) and math.isnan(out["deviation_pct"].iloc[0])
    assert not out["above_cap"].iloc[0]
    assert deposits.with_deposit_measures(frame.iloc[0:0]).empty


def test_units_above_the_cap_highest_first(months: pd.DataFrame) -> None:
    units = pd.concat(
        [
            months.assign(unit_id=1),
            months.assign(unit_id=2, deposit_rmb=[1_100.0, 1_020.0]),
        ]
    )
    above = deposits.above_cap(units, "2026-06-01")
    assert above["unit_id"].tolist() == [2]
    assert above["deviation_pct"].tolist() == pytest.approx([10.0])
    counts = deposits.months_above_cap(units).set_index("unit_id")
    assert counts.loc[1, "count_above"] == 1 and counts.loc[2, "count_above"] == 1
    assert counts.loc[2, "count_quarter_end_above"] == 1
    assert counts.loc[2, "max_deviation_pct"] == pytest.approx(10.0)


def test_the_worked_example_of_docs_rules() -> None:
    """docs/rules.md, "Deposits": June and September of a branch, 30 days each."""
    frame = pd.DataFrame(
        [
            _month("2026-06-01", 35e6, 55e6, 10e6, (0.002, 0.015, 0.02), 104e6),
            _month("2026-09-01", 40e6, 50e6, 10e6, (0.0015, 0.015, 0.02), 104.35e6),
        ]
    )
    change = deposits.cost_change(frame, "2026-09-01", "2026-06-01")
    assert (change.base_pct, change.cost_pct) == pytest.approx((1.095, 1.01))
    assert (change.mix_pp, change.rate_pp) == pytest.approx((-0.06625, -0.01875))
    assert frame["interest_paid_rmb"].iloc[1] == pytest.approx(84_166.67, abs=0.01)
    out = deposits.with_deposit_measures(frame)
    assert out["deviation_pct"].iloc[1] == pytest.approx(4.35)
    assert bool(out["above_cap"].iloc[1])
    assert deposits.annualised_pct(682_500, 27_300_000_000) == pytest.approx(0.90)
    average = (99_850_000 * 29 + 104_350_000) / 30
    assert average == pytest.approx(100_000_000)
