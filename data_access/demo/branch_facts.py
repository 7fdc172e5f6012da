"""Branch-level facts: quarterly 6S inspections and monthly service quality.

Each branch has a persistent quality (most good, a few weak, some improving over the window);
6S scores, mystery-shopper scores, satisfaction (~94%) and complaints (~2 per 10,000 customers a
year) all follow it, so the pages show branches that are consistently strong or weak. Counter
and off-counter transactions are the sums of the customers' month facts; waits grow with the
counter load per teller.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import rules
from data_access.demo import months as calendar
from data_access.demo import names
from data_access.demo.monthly import Context
from data_access.demo.rng import stream
from data_access.demo.totals import Totals

AREA_EFFECT = {"cash": 1.5, "low_counter": 0.0, "lobby": -0.5, "self_service": -2.0}
S_EFFECT = {
    "sort": 0.5,
    "set_in_order": 0.0,
    "shine": 0.5,
    "standardise": -1.0,
    "safety": 2.0,
    "self_discipline": -1.5,
}

# Minutes of queueing each counter transaction a teller handles a day adds to the average wait
# (estimate). At real branch size a teller handles about 35 to 115 counter transactions a day,
# so waits run from about 4 to 7 minutes plus the Spring Festival rush (2 minutes) and noise,
# inside the service index's 3-15 minute scale (analytics.scorecard_rules).
WAIT_PER_TELLER_TXN = 0.03


# 6S quality of a branch (the mean overall score of its inspections), calibrated so the latest
# inspections rate about 3% of branches five stars, 15% four and 40% three (facts: star-rated
# outlets), the rest lower: most branches sit in the 70s, few reach the 90 of five stars.
SIX_S_MEAN = 73.0
SIX_S_SD = 8.8
WEAK_SHARE = 0.06  # branches far behind (-WEAK_GAP points)
WEAK_GAP = 12.0
IMPROVING_SHARE = 0.15  # branches that start IMPROVING_START behind and gain each quarter
IMPROVING_START = 5.0
IMPROVING_PER_QUARTER = 1.0
# Service quality (mystery shopping, satisfaction, complaints) follows the same branch ranking on
# its own scale: mean and spread of the mystery-shopping score.
SERVICE_MEAN = 84.0
SERVICE_SD = 4.5


def branch_quality(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """Base 6S quality of each branch and its improvement per quarter (6S score points)."""
    rng = stream(ctx.seed, "branch_quality")
    n = len(ctx.org.branches)
    base = rng.normal(SIX_S_MEAN, SIX_S_SD, n)
    weak = rng.random(n) < WEAK_SHARE
    improving = ~weak & (rng.random(n) < IMPROVING_SHARE)
    base = base - np.where(weak, WEAK_GAP, 0.0) - np.where(improving, IMPROVING_START, 0.0)
    return base, np.where(improving, IMPROVING_PER_QUARTER, 0.0)


def _service_scale(points: np.ndarray) -> np.ndarray:
    """A 6S quality on the service scale (same rank, ``SERVICE_MEAN`` +- ``SERVICE_SD``)."""
    return SERVICE_MEAN + (points - SIX_S_MEAN) * SERVICE_SD / SIX_S_SD


def _quarters(ctx: Context) -> list[tuple[int, object]]:
    """(window month index of the inspection, quarter start) for quarters in the window."""
    result = []
    for index, month in enumerate(ctx.window):
        if month.month % 3 == 2:  # inspections in the middle month of each quarter
            result.append((index, calendar.add_months(month, -1)))
    return result


def inspection_frame(ctx: Context, base: np.ndarray, slope: np.ndarray) -> pd.DataFrame:
    rng = stream(ctx.seed, "inspections")
    branches = ctx.org.branches
    n = len(branches)
    prefecture = branches["prefecture_id"].to_numpy()
    inspectors = names.full_names(rng, rng.random(4 * prefecture.max()) < 0.5)
    frames = []
    next_id = 1
    for q, (month, quarter_start) in enumerate(_quarters(ctx)):
        level = base + slope * q + rng.normal(0, 2.0, n)
        day = rng.integers(1, 29, n)
        inspector = inspectors[(prefecture - 1) * 4 + rng.integers(0, 4, n)]
        for a, (area, _, _) in enumerate(rules.SIX_S_AREAS):
            frame = pd.DataFrame(
                {
                    "inspection_id": next_id + np.arange(n),
                    "area": area,
                    "branch_id": branches["branch_id"].to_numpy(),
                    "inspected_on": calendar.month_days(ctx.first_month, np.full(n, month), day),
                    "quarter_start": np.datetime64(quarter_start, "D"),
                    "inspector_name": inspector,
                    "_order": a,
                }
            )
            for code, _, _ in rules.SIX_S:
                score = level + AREA_EFFECT[area] + S_EFFECT[code] + rng.normal(0, 2.5, n)
                frame[f"score_{code}"] = np.round(np.clip(score, 40.0, 100.0), 1)
            frames.append(frame)
        next_id += n
    result = pd.concat(frames, ignore_index=True)
    return result.sort_values(["inspection_id", "_order"], kind="stable").reset_index(drop=True)


def service_quality_frame(
    ctx: Context, totals: Totals, base: np.ndarray, slope: np.ndarray
) -> pd.DataFrame:
    rng = stream(ctx.seed, "service_quality")
    org = ctx.org
    n, months = len(org.branches), ctx.months
    quality = _service_scale(base[:, None] + slope[:, None] * (np.arange(months)[None, :] / 3))
    customers = totals.by_branch["customers"]
    counter = totals.by_branch["counter"]
    tellers = np.bincount(
        org.staff["branch_id"].to_numpy()[org.staff["role"].to_numpy() == "teller"] - 1,
        minlength=n,
    )
    per_teller_day = counter / (np.maximum(tellers, 1)[:, None] * 22.0)
    festival = np.isin(ctx.calendar_month, (0, 1))[None, :]
    wait = (
        3.0
        + WAIT_PER_TELLER_TXN * per_teller_day
        + 2.0 * festival
        + rng.normal(0, 1.0, (n, months))
    )
    propensity = np.exp(-(quality - SERVICE_MEAN) / 10.0)
    complaints = rng.poisson(customers * 2 / 10_000 / 12 * propensity / propensity.mean())
    satisfaction = 94.3 + 0.15 * (quality - SERVICE_MEAN) + rng.normal(0, 1.0, (n, months))
    frame = pd.DataFrame(
        {
            "branch_id": np.repeat(org.branches["branch_id"].to_numpy(), months),
            "month_start": np.tile(calendar.to_datetime64(ctx.window), n),
            "satisfaction_pct": np.round(np.clip(satisfaction, 80.0, 99.9), 1).ravel(),
            "mystery_shopper_score": np.round(
                np.clip(quality + rng.normal(0, 3.0, (n, months)), 50.0, 100.0), 1
            ).ravel(),
            "count_complaints": complaints.ravel(),
            "avg_wait_minutes": np.round(np.clip(wait, 1.0, 45.0), 1).ravel(),
            "count_txn_counter": counter.ravel().astype(np.int64),
            "count_txn_off_counter": totals.by_branch["off_counter"].ravel().astype(np.int64),
        }
    )
    return frame
