"""Known answers for the 6S stars, scores, league, movers and the service-quality index."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics import scorecard_rules as sr
from analytics import scorecards as calc

S = list(calc.S_COLUMNS)


@pytest.mark.parametrize(
    ("overall", "lowest", "stars"),
    [
        (90.0, 90.0, 5),  # exactly on the five-star threshold
        (89.99, 85.0, 4),
        (80.0, 80.0, 4),
        (79.99, 75.0, 3),
        (70.0, 70.0, 3),  # the floor itself is no breach
        (60.0, 70.0, 2),
        (59.99, 70.0, 1),
        (0.0, 0.0, 1),
        (95.0, 69.99, 3),  # single-S cap: five stars capped at three
        (85.0, 69.0, 3),  # four stars capped at three
        (65.0, 50.0, 2),  # the cap never raises a rating
        (float("nan"), 80.0, 1),
    ],
)
def test_star_rating_edges(overall: float, lowest: float, stars: int) -> None:
    assert calc.star_rating(overall, lowest) == stars


def _rows(inspection: int, branch: int, day: str, area_scores: dict[str, list[float]]) -> list:
    return [
        {
            "inspection_id": inspection,
            "branch_id": branch,
            "quarter_start": pd.Timestamp(day).to_period("Q").start_time,
            "inspected_on": pd.Timestamp(day),
            "area": area,
            **dict(zip(S, scores, strict=True)),
        }
        for area, scores in area_scores.items()
    ]


def test_areas_are_weighted_and_the_six_s_averaged() -> None:
    # Cash area all 100, the other three all 80: S = 0.3*100 + 0.7*80 = 86.
    rows = pd.DataFrame(
        _rows(
            1,
            7,
            "2026-05-10",
            {
                "cash": [100.0] * 6,
                "low_counter": [80.0] * 6,
                "lobby": [80.0] * 6,
                "self_service": [80.0] * 6,
            },
        )
    )
    scored = calc.score_inspections(rows)
    assert len(scored) == 1
    assert scored.loc[0, "score_sort"] == pytest.approx(86.0)
    assert scored.loc[0, "overall"] == pytest.approx(86.0)
    assert scored.loc[0, "stars"] == 4


def test_one_weak_s_caps_the_stars() -> None:
    good = [96.0, 96.0, 96.0, 96.0, 96.0, 60.0]  # overall 90, self-discipline 60
    rows = pd.DataFrame(
        _rows(
            1, 1, "2026-05-10", {a: good for a in ("cash", "low_counter", "lobby", "self_service")}
        )
    )
    scored = calc.score_inspections(rows)
    assert scored.loc[0, "overall"] == pytest.approx(90.0)
    assert scored.loc[0, "weakest_s"] == "self_discipline"
    assert scored.loc[0, "stars"] == sr.CAP_STARS


def _scored(branch_scores: dict[int, list[float]]) -> pd.DataFrame:
    rows = []
    inspection = 0
    for branch, scores in branch_scores.items():
        for q, score in enumerate(scores):
            inspection += 1
            day = f"2026-{3 * q + 2:02d}-15"
            rows += _rows(inspection, branch, day, {"cash": [score] * 6})
    return calc.score_inspections(pd.DataFrame(rows))


def test_league_movers_and_distribution() -> None:
    scored = _scored({1: [80.0, 91.0], 2: [88.0, 84.0], 3: [70.0, 70.5], 4: [55.0]})
    latest = calc.latest_per_branch(scored)
    league = calc.league_table(latest)
    assert list(league["branch_id"]) == [1, 2, 3, 4]
    assert list(league["rank"]) == [1, 2, 3, 4]
    assert latest.set_index("branch_id").loc[1, "change"] == pytest.approx(11.0)
    assert math.isnan(latest.set_index("branch_id").loc[4, "change"])
    up, down = calc.movers(latest)
    assert list(up["branch_id"]) == [1]  # branch 3 moved 0.5 < MOVER_MIN_POINTS
    assert list(down["branch_id"]) == [2]
    dist = calc.star_distribution(latest).set_index("stars")["count_branches"]
    assert dist.to_dict() == {1: 1, 2: 0, 3: 1, 4: 1, 5: 1}


def test_quarterly_trend_has_one_point_per_branch_and_quarter() -> None:
    trend = calc.quarterly_trend(_scored({1: [80.0, 91.0], 2: [88.0]}))
    assert len(trend) == 3
    assert trend.set_index(["branch_id", "quarter_start"])["overall"].iloc[1] == pytest.approx(91.0)


def test_service_index_weights() -> None:
    month = pd.Timestamp("2026-08-01")
    frame = pd.DataFrame(
        {
            "branch_id": [1, 2],
            "month_start": [month, month],
            "satisfaction_pct": [100.0, 92.5],  # 100 -> 100; 92.5 -> 50
            "mystery_shopper_score": [100.0, 80.0],  # 100; 50
            "count_complaints": [0, 2],  # per 10k: 0 -> 100; 1.0 -> 50
            "avg_wait_minutes": [3.0, 9.0],  # 100; 50
            "count_txn_counter": [1_000, 14_000],
            "count_txn_off_counter": [9_000, 6_000],  # 90% -> 100; 30% -> 0 (clipped)
        }
    )
    indexed = calc.service_index(frame)
    assert indexed.loc[0, "service_index"] == pytest.approx(100.0)
    expected = 0.30 * 50 + 0.25 * 50 + 0.15 * 50 + 0.15 * 50 + 0.15 * 0
    assert indexed.loc[1, "complaints_per_10k"] == pytest.approx(1.0)
    assert indexed.loc[1, "off_counter_pct"] == pytest.approx(30.0)
    assert indexed.loc[1, "service_index"] == pytest.approx(expected)
    assert sum(c.weight for c in sr.SERVICE_COMPONENTS) == pytest.approx(1.0)
    ranked = calc.rank_month(indexed, month)
    assert list(ranked["branch_id"]) == [1, 2] and list(ranked["rank"]) == [1, 2]


def test_a_month_without_transactions_uses_the_other_components() -> None:
    frame = pd.DataFrame(
        {
            "branch_id": [1],
            "month_start": [pd.Timestamp("2026-08-01")],
            "satisfaction_pct": [100.0],
            "mystery_shopper_score": [100.0],
            "count_complaints": [0],
            "avg_wait_minutes": [3.0],
            "count_txn_counter": [0],
            "count_txn_off_counter": [0],
        }
    )
    assert calc.service_index(frame).loc[0, "service_index"] == pytest.approx(100.0)


def test_fit_line_and_outcomes() -> None:
    fit = calc.fit_line(pd.Series([1.0, 2.0, 3.0, 4.0]), pd.Series([3.0, 5.0, 7.0, 9.0]))
    assert fit["slope"] == pytest.approx(2.0) and fit["intercept"] == pytest.approx(1.0)
    assert fit["r"] == pytest.approx(1.0)
    assert calc.fit_line(pd.Series([1.0, 2.0]), pd.Series([1.0, 2.0])) is None
    months = pd.to_datetime(["2026-06-01", "2026-07-01", "2026-08-01"])
    totals = pd.DataFrame(
        {
            "branch_id": [1, 1, 1],
            "month_start": months,
            "aum_rmb": [100.0, 110.0, 120.0],
            "count_customers": [50, 49, 48],
            "count_churned": [0, 1, 1],
        }
    )
    out = calc.branch_outcomes(totals, months[-1], 2)
    assert out.loc[0, "aum_growth_pct"] == pytest.approx(20.0)
    assert out.loc[0, "churn_rate_pct"] == pytest.approx(4.0)  # 2 closed / 50 at the start
