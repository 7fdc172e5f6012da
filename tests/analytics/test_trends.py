"""Known answers for analytics.trends on small hand-built frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics import trends


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def monthly_frame(values: dict[str, float], **columns: dict[str, float]) -> pd.DataFrame:
    frame = pd.DataFrame({"month_start": [ts(m) for m in values], "aum_rmb": list(values.values())})
    for name, by_month in columns.items():
        frame[name] = [by_month.get(m, 0.0) for m in values]
    return frame


@pytest.mark.parametrize(
    ("month", "period", "expected"),
    [
        ("2026-09-01", "mom", "2026-08-01"),
        ("2026-01-01", "mom", "2025-12-01"),
        ("2026-09-01", "qtd", "2026-06-01"),
        ("2026-07-01", "qtd", "2026-06-01"),
        ("2026-03-01", "qtd", "2025-12-01"),
        ("2026-09-01", "ytd", "2025-12-01"),
        ("2026-01-01", "ytd", "2025-12-01"),
        ("2026-09-01", "yoy", "2025-09-01"),
    ],
)
def test_base_month_of_each_period(month: str, period: str, expected: str) -> None:
    assert trends.base_month(month, period) == ts(expected)


def test_an_unknown_period_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown period"):
        trends.base_month("2026-09-01", "decade")


def test_growth_looks_months_up_by_date_not_position() -> None:
    # March is missing: April's month-on-month base is absent, not February.
    frame = monthly_frame(
        {"2025-02-01": 80.0, "2026-01-01": 100.0, "2026-02-01": 110.0, "2026-04-01": 121.0}
    )
    grown = trends.with_growth(frame).set_index("month_start")
    assert grown.loc[ts("2026-02-01"), "aum_rmb_mom"] == pytest.approx(10.0)
    assert grown.loc[ts("2026-02-01"), "aum_rmb_mom_pct"] == pytest.approx(10.0)
    assert math.isnan(grown.loc[ts("2026-04-01"), "aum_rmb_mom"])
    assert grown.loc[ts("2026-02-01"), "aum_rmb_yoy"] == pytest.approx(30.0)
    assert grown.loc[ts("2026-02-01"), "aum_rmb_yoy_pct"] == pytest.approx(37.5)
    assert math.isnan(grown.loc[ts("2026-01-01"), "aum_rmb_yoy_pct"])


def test_growth_per_unit_never_mixes_units() -> None:
    frame = pd.DataFrame(
        {
            "unit_id": [1, 1, 2, 2],
            "month_start": [ts("2026-01-01"), ts("2026-02-01")] * 2,
            "aum_rmb": [100.0, 150.0, 10.0, 5.0],
        }
    )
    grown = trends.with_growth(frame, by=("unit_id",))
    assert grown["aum_rmb_mom"].tolist()[1] == pytest.approx(50.0)
    assert grown["aum_rmb_mom_pct"].tolist()[3] == pytest.approx(-50.0)
    assert math.isnan(grown["aum_rmb_mom"].tolist()[2])


def test_growth_from_zero_is_not_a_number() -> None:
    frame = monthly_frame({"2026-01-01": 0.0, "2026-02-01": 5.0})
    grown = trends.with_growth(frame)
    assert grown["aum_rmb_mom"].iloc[1] == 5.0
    assert math.isnan(grown["aum_rmb_mom_pct"].iloc[1])


PARTS = {
    "aum_change_new_rmb": {"2026-02-01": 30.004, "2026-03-01": 0.333},
    "aum_change_growth_rmb": {"2026-02-01": 50.0, "2026-03-01": 20.0},
    "aum_change_decline_rmb": {"2026-02-01": -20.0, "2026-03-01": -5.0},
    "aum_change_churned_rmb": {"2026-02-01": -10.004, "2026-03-01": -0.333},
}


def test_the_waterfall_parts_add_up_to_the_change_in_fen() -> None:
    frame = monthly_frame(
        {"2026-01-01": 1000.0, "2026-02-01": 1050.0, "2026-03-01": 1065.0}, **PARTS
    )
    fall = trends.waterfall(frame, "2026-03-01", "qtd")  # Q1: from December, absent
    assert fall is None
    fall = trends.waterfall(frame, "2026-03-01", "mom")
    assert fall is not None
    assert fall.start_month == ts("2026-02-01")
    assert fall.parts_fen == {
        "aum_change_new_rmb": 33,
        "aum_change_growth_rmb": 2000,
        "aum_change_decline_rmb": -500,
        "aum_change_churned_rmb": -33,
        "moved": 0,
    }
    assert sum(fall.parts_fen.values()) == fall.change_fen == 1500


def test_a_longer_period_sums_the_months_and_names_the_residual() -> None:
    # Two months from January: parts explain 65.0 of the 70.0 change; 5.0 moved in.
    frame = monthly_frame(
        {"2026-01-01": 1000.0, "2026-02-01": 1050.0, "2026-03-01": 1070.0}, **PARTS
    )
    frame["month_start"] = [ts("2025-12-01"), ts("2026-01-01"), ts("2026-02-01")]
    fall = trends.waterfall(frame, "2026-02-01", "ytd")
    assert fall is not None
    assert fall.start_fen == 100_000 and fall.end_fen == 107_000
    assert fall.parts_fen["aum_change_growth_rmb"] == 7000
    assert fall.parts_fen["moved"] == 500
    assert sum(fall.parts_fen.values()) == fall.change_fen
    money = fall.rmb()
    assert list(money) == ["start", *trends.WATERFALL_PARTS, "moved", "end"]
    assert money["end"] == 1070.0


def unit_frame() -> pd.DataFrame:
    rows = []
    for unit, values in {
        10: (100.0, 150.0, 200.0, 300.0),
        20: (100.0, 100.0, 100.0, 120.0),
    }.items():
        for month, value in zip(
            ("2024-12-01", "2025-09-01", "2025-12-01", "2026-09-01"), values, strict=True
        ):
            rows.append(
                {"unit_id": unit, "month_start": ts(month), "aum_rmb": value, "count_customers": 4}
            )
    return pd.DataFrame(rows)


def test_rankings_with_targets_staff_and_last_year() -> None:
    table = trends.rankings(
        unit_frame(),
        "2026-09-01",
        "ytd",
        staff=pd.Series({10: 3, 20: 0}),
        targets=pd.Series({10: 50.0}),
        measure="growth_rmb",
    ).set_index("unit_id")
    first = table.loc[10]
    assert first["aum_rmb"] == 300.0 and first["base_aum_rmb"] == 200.0
    assert first["growth_rmb"] == 100.0 and first["growth_pct"] == pytest.approx(50.0)
    assert first["aum_per_customer_rmb"] == 75.0
    assert first["aum_per_staff_rmb"] == 100.0
    assert first["target_rmb"] == 50.0 and first["attainment_pct"] == pytest.approx(200.0)
    # Same period last year: December 2024 -> September 2025.
    assert first["ly_aum_rmb"] == 150.0 and first["ly_growth_rmb"] == 50.0
    assert first["ly_growth_pct"] == pytest.approx(50.0)
    assert first["rank"] == 1
    second = table.loc[20]
    assert second["rank"] == 2 and second["growth_pct"] == pytest.approx(20.0)
    assert pd.isna(second["aum_per_staff_rmb"])  # no staff: no ratio, not infinity
    assert pd.isna(second["target_rmb"]) and pd.isna(second["attainment_pct"])


def test_ranking_ties_share_the_better_rank() -> None:
    frame = unit_frame()
    frame.loc[frame["unit_id"] == 20, "aum_rmb"] = 300.0
    table = trends.rankings(frame, "2026-09-01", "mom", pd.Series(dtype=float), pd.Series())
    assert table["rank"].tolist() == [1, 1]
    assert table["base_aum_rmb"].isna().all()  # August is not in the frame


def test_period_targets_pick_the_period_and_sum_into_units() -> None:
    targets = pd.DataFrame(
        {
            "branch_id": [1, 2, 3, 1],
            "metric": ["aum_growth_rmb"] * 4,
            "period_start": [ts("2026-01-01")] * 3 + [ts("2026-07-01")],
            "period_end": [ts("2026-12-31")] * 3 + [ts("2026-09-30")],
            "target_value": [10.0, 20.0, 40.0, 4.0],
        }
    )
    units = {1: 100, 2: 100, 3: 200}
    year = trends.period_targets(targets, "2026-09-01", "ytd", units)
    assert year.to_dict() == {100: 30.0, 200: 40.0}
    quarter = trends.period_targets(targets, "2026-08-01", "qtd", units)
    assert quarter.to_dict() == {100: 4.0}
    assert trends.period_targets(targets, "2026-08-01", "mom", units).empty


def test_seasonality_averages_each_calendar_month_over_the_years() -> None:
    frame = monthly_frame(
        {
            "2025-01-01": 100.0,
            "2025-02-01": 110.0,  # +10%
            "2025-03-01": 99.0,  # -10%
            "2026-01-01": 200.0,
            "2026-02-01": 240.0,  # +20%
        }
    )
    profile = trends.seasonality(frame).set_index("calendar_month")
    assert len(profile) == 12
    assert profile.loc[2, "mean_mom_pct"] == pytest.approx(15.0)
    assert profile.loc[2, "mean_mom_rmb"] == pytest.approx(25.0)
    assert profile.loc[2, "count_years"] == 2
    assert profile.loc[3, "mean_mom_pct"] == pytest.approx(-10.0)
    assert profile.loc[1, "count_years"] == 0 and math.isnan(profile.loc[1, "mean_mom_pct"])


def test_deposit_structure_shares_and_penetration() -> None:
    frame = pd.DataFrame(
        {
            "unit_id": [1, 2],
            "demand_deposit_rmb": [30.0, 0.0],
            "time_deposit_rmb": [70.0, 0.0],
            "wealth_rmb": [50.0, 0.0],
            "aum_rmb": [200.0, 0.0],
            "count_customers": [8, 0],
            "count_wealth_holders": [2, 0],
        }
    )
    out = trends.deposit_structure(frame)
    assert out.loc[0, "demand_share_pct"] == pytest.approx(30.0)
    assert out.loc[0, "time_share_pct"] == pytest.approx(70.0)
    assert out.loc[0, "wealth_share_pct"] == pytest.approx(25.0)
    assert out.loc[0, "wealth_penetration_pct"] == pytest.approx(25.0)
    assert out.loc[1, ["demand_share_pct", "wealth_penetration_pct"]].isna().all()


def test_vip_flows_leave_the_first_month_blank() -> None:
    frame = pd.DataFrame(
        {
            "month_start": [ts("2026-01-01"), ts("2026-02-01"), ts("2026-03-01")],
            "count_assets_vip": [5, 6, 4],
            "vip_aum_rmb": [9e6, 1e7, 7e6],
            "count_vip_entered": [5, 2, 0],
            "count_vip_left": [0, 1, 2],
        }
    )
    flows = trends.vip_flows(frame, "2026-01-01")
    assert math.isnan(flows.loc[0, "count_vip_entered"])
    assert flows["net_vip"].tolist()[1:] == [1.0, -2.0]
    assert (flows["count_vip"].diff().iloc[1:] == flows["net_vip"].iloc[1:]).all()


def test_snapshot_takes_one_month_with_growth() -> None:
    frame = unit_frame()
    snap = trends.snapshot(frame, "2026-09-01", "unit_id").set_index("unit_id")
    assert snap.loc[10, "aum_rmb_yoy"] == 150.0
    assert snap.loc[20, "aum_rmb_yoy_pct"] == pytest.approx(20.0)
