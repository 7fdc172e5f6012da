"""Known answers for target attainment, time elapsed, run-rate projection and the lights."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from analytics import targets as calc


def test_elapsed_share_counts_days_to_the_month_end() -> None:
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert calc.elapsed_share(*year, dt.date(2026, 6, 1)) == pytest.approx(181 / 365)
    assert calc.elapsed_share(*year, dt.date(2026, 12, 1)) == 1.0
    assert calc.elapsed_share(*year, dt.date(2027, 3, 1)) == 1.0
    assert calc.elapsed_share(*year, dt.date(2025, 12, 1)) == 0.0
    quarter = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert calc.elapsed_share(*quarter, dt.date(2026, 8, 1)) == pytest.approx(62 / 92)
    assert calc.period_kind(*year) == "year" and calc.period_kind(*quarter) == "quarter"


def test_run_rate_projection() -> None:
    # A flow at 40 after a quarter of the period projects to 160.
    assert calc.project("flow", 40.0, None, 0.25) == pytest.approx(160.0)
    # A level that rose from 100 to 110 in half the period projects to 120.
    assert calc.project("level", 110.0, 100.0, 0.5) == pytest.approx(120.0)
    assert calc.project("level", 110.0, math.nan, 0.5) == pytest.approx(110.0)
    assert calc.project("score", 87.5, None, 0.1) == pytest.approx(87.5)
    assert math.isnan(calc.project("flow", 40.0, None, 0.0))


@pytest.mark.parametrize(
    ("projected", "light"),
    [
        (100.0, "green"),
        (130.0, "green"),
        (99.99, "amber"),
        (90.0, "amber"),
        (89.9, "red"),
        (float("nan"), "red"),
    ],
)
def test_traffic_light_edges(projected: float, light: str) -> None:
    assert calc.traffic_light(projected) == light


def test_attainment() -> None:
    assert calc.attainment_pct(45.0, 60.0) == pytest.approx(75.0)
    assert math.isnan(calc.attainment_pct(5.0, 0.0))


def series_of(monthly, sales, coverage, six_s) -> dict[str, pd.DataFrame]:
    """The series the six target metrics read (``Metric.series``), from the source frames."""

    def series(frame: pd.DataFrame, column: str, when: str = "month_start") -> pd.DataFrame:
        return frame[["branch_id", when, column]].rename(columns={column: "value"})

    return {
        "aum": series(monthly, "aum_rmb"),
        "new_customers": series(monthly, "count_new"),
        "vip_customers": series(monthly, "count_assets_vip"),
        "wealth_sales": series(sales, "wealth_sales_rmb"),
        "core_bundle_coverage": series(coverage, "coverage_pct"),
        "six_s_score": series(six_s, "overall", "inspected_on"),
    }


def test_actuals_and_scorecard_on_hand_built_numbers() -> None:
    months = pd.to_datetime(["2025-12-01", "2026-01-01", "2026-02-01", "2026-03-01"])
    monthly = pd.DataFrame(
        {
            "branch_id": [1] * 4,
            "month_start": months,
            "aum_rmb": [1_000.0, 1_050.0, 1_100.0, 1_150.0],
            "count_new": [9, 3, 4, 5],
            "count_assets_vip": [10, 10, 11, 12],
        }
    )
    sales = pd.DataFrame(
        {"branch_id": [1, 1], "month_start": months[1:3], "wealth_sales_rmb": [30.0, 20.0]}
    )
    coverage = pd.DataFrame(
        {"branch_id": [1, 1], "month_start": [months[0], months[2]], "coverage_pct": [20.0, 22.0]}
    )
    six_s = pd.DataFrame(
        {
            "branch_id": [1, 1],
            "inspected_on": pd.to_datetime(["2025-11-20", "2026-02-14"]),
            "overall": [80.0, 86.0],
        }
    )
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    targets = pd.DataFrame(
        [
            {
                "branch_id": 1,
                "metric": m,
                "period_start": year[0],
                "period_end": year[1],
                "target_value": v,
            }
            for m, v in (
                ("aum_growth_rmb", 400.0),
                ("new_customers", 40.0),
                ("wealth_sales_rmb", 200.0),
                ("vip_customers", 14.0),
                ("core_bundle_coverage_pct", 25.0),
                ("score_6s", 90.0),
            )
        ]
    )
    as_of = pd.Timestamp("2026-02-01")
    card = calc.scorecard(
        calc.branch_actuals(targets, series_of(monthly, sales, coverage, six_s), as_of), as_of
    ).set_index("metric")
    elapsed = 59 / 365
    assert card.loc["aum_growth_rmb", "actual"] == pytest.approx(100.0)  # 1,100 - 1,000
    assert card.loc["aum_growth_rmb", "projection"] == pytest.approx(100.0 / elapsed)
    assert card.loc["new_customers", "actual"] == 7  # January and February only
    assert card.loc["new_customers", "attainment_pct"] == pytest.approx(17.5)
    assert card.loc["wealth_sales_rmb", "actual"] == pytest.approx(50.0)
    assert card.loc["vip_customers", "actual"] == 11
    assert card.loc["vip_customers", "projection"] == pytest.approx(10 + 1 / elapsed)
    assert card.loc["core_bundle_coverage_pct", "start_value"] == pytest.approx(20.0)
    assert card.loc["score_6s", "actual"] == pytest.approx(86.0)
    assert card.loc["score_6s", "projected_attainment_pct"] == pytest.approx(86 / 90 * 100)
    assert card.loc["score_6s", "light"] == "amber"
    assert card.loc["aum_growth_rmb", "light"] == "green"  # 100 / elapsed > 400
    assert card.loc["new_customers", "light"] == "green"  # 7 / elapsed = 43.3 > 40
    assert card.loc["wealth_sales_rmb", "elapsed_pct"] == pytest.approx(elapsed * 100)
    assert calc.light_counts(card.reset_index())["green"] >= 2


def _reference_actuals(targets, monthly, sales, coverage, six_s, as_of) -> list[tuple]:
    """The definition, row by row with boolean masks (slow; the module uses lookups)."""

    def value_at(frame, branch, month, column):
        rows = frame[(frame["branch_id"] == branch) & (frame["month_start"] == month)]
        return float(rows[column].sum()) if len(rows) else math.nan

    def sum_between(frame, branch, first, last, column):
        rows = frame[
            (frame["branch_id"] == branch)
            & (frame["month_start"] >= first)
            & (frame["month_start"] <= last)
        ]
        return float(rows[column].sum())

    out = []
    for row in targets.itertuples(index=False):
        start = pd.Timestamp(row.period_start)
        last = min(as_of, pd.Timestamp(row.period_end).replace(day=1))
        before = start - pd.DateOffset(months=1)
        months = monthly["month_start"]
        opening = before if (months == before).any() else max(months.min(), before)
        b, metric = row.branch_id, row.metric
        actual = start_value = math.nan
        if last < start:
            pass
        elif metric == "aum_growth_rmb":
            start_value = value_at(monthly, b, opening, "aum_rmb")
            actual = value_at(monthly, b, last, "aum_rmb") - start_value
        elif metric == "new_customers":
            actual = sum_between(monthly, b, start, last, "count_new")
        elif metric == "wealth_sales_rmb":
            actual = sum_between(sales, b, start, last, "wealth_sales_rmb")
        elif metric == "vip_customers":
            actual = value_at(monthly, b, last, "count_assets_vip")
            start_value = value_at(monthly, b, opening, "count_assets_vip")
        elif metric == "core_bundle_coverage_pct":
            actual = value_at(coverage, b, last, "coverage_pct")
            start_value = value_at(coverage, b, opening, "coverage_pct")
        elif metric == "score_6s":
            seen = six_s[
                (six_s["branch_id"] == b)
                & (six_s["inspected_on"] <= pd.Timestamp(calc.month_end(last)))
            ]
            if len(seen):
                actual = float(seen.sort_values("inspected_on")["overall"].iloc[-1])
        out.append((actual, start_value))
    return out


def test_actuals_equal_the_row_by_row_definition_on_random_branches() -> None:
    rng = np.random.default_rng(3)
    months = pd.date_range("2025-01-01", "2026-06-01", freq="MS")
    branches = [1, 2, 3, 4]
    monthly = pd.DataFrame(
        [
            {
                "branch_id": b,
                "month_start": m,
                "aum_rmb": float(rng.integers(1_000, 9_000)),
                "count_new": int(rng.integers(0, 20)),
                "count_assets_vip": int(rng.integers(0, 30)),
            }
            for b in branches
            for m in months
            if rng.random() > 0.1  # some months missing
        ]
    )
    sales = monthly[["branch_id", "month_start"]].assign(
        wealth_sales_rmb=rng.uniform(0, 100, len(monthly))
    )
    coverage = monthly[["branch_id", "month_start"]].assign(
        coverage_pct=rng.uniform(10, 40, len(monthly))
    )
    six_s = pd.DataFrame(
        {
            "branch_id": rng.choice(branches, 30),
            "inspected_on": pd.to_datetime("2025-01-01")
            + pd.to_timedelta(rng.integers(0, 540, 30), unit="D"),
            "overall": rng.uniform(60, 100, 30),
        }
    )
    periods = [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),  # not begun
    ]
    targets = pd.DataFrame(
        [
            {"branch_id": b, "metric": m, "period_start": s, "period_end": e, "target_value": 1.0}
            for b in [*branches, 9]  # branch 9 has no data
            for s, e in periods
            for m in (
                "aum_growth_rmb",
                "new_customers",
                "wealth_sales_rmb",
                "vip_customers",
                "core_bundle_coverage_pct",
                "score_6s",
            )
        ]
    )
    as_of = pd.Timestamp("2026-05-01")
    got = calc.branch_actuals(targets, series_of(monthly, sales, coverage, six_s), as_of)
    expected = _reference_actuals(targets, monthly, sales, coverage, six_s, as_of)
    np.testing.assert_allclose(got["actual"], [a for a, _ in expected], rtol=1e-12)
    np.testing.assert_allclose(got["start_value"], [s for _, s in expected], rtol=1e-12)


def test_light_matrix_orders_branches_by_green_lights() -> None:
    card = pd.DataFrame(
        {
            "branch_id": [1, 1, 2, 2, 3, 3],
            "metric": ["a", "b"] * 3,
            "projected_attainment_pct": [50.0, 120.0, 110.0, 105.0, 40.0, 30.0],
            "light": ["red", "green", "green", "green", "red", "red"],
        }
    )
    values, lights, greens = calc.light_matrix(card)
    assert list(values.index) == list(lights.index) == list(greens.index) == [2, 1, 3]
    assert list(greens) == [2, 1, 0]
    assert values.loc[1, "b"] == 120.0 and lights.loc[3, "a"] == "red"
