"""6S scores, star ratings and the service-quality index, as pure functions on DataFrames.

Inputs are the rows of ``fact_6s_inspection`` (one per inspection and area) and
``fact_service_quality_month`` (one per branch and month) as the data layer returns them. The
weights, bands and caps come from :mod:`analytics.scorecard_rules`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import rules
from analytics import scorecard_rules as sr

S_CODES: tuple[str, ...] = tuple(code for code, _, _ in rules.SIX_S)
S_COLUMNS: tuple[str, ...] = tuple(f"score_{code}" for code in S_CODES)
AREA_CODES: tuple[str, ...] = tuple(code for code, _, _ in rules.SIX_S_AREAS)
_INSPECTION_KEYS = ["inspection_id", "branch_id", "quarter_start", "inspected_on"]

# ------------------------------------------------------------------ stars


def star_rating(overall: float, lowest_s: float) -> int:
    """Stars for one inspection: the band of ``overall``, capped when any S is below the floor.

    A score exactly on a band's threshold earns that band; ``lowest_s`` exactly on the floor is
    not a breach. NaN scores rate the minimum.
    """
    if overall is None or lowest_s is None or np.isnan(overall) or np.isnan(lowest_s):
        return sr.MIN_STARS
    stars = next((s for floor, s in sr.STAR_BANDS if overall >= floor), sr.MIN_STARS)
    if lowest_s < sr.SINGLE_S_FLOOR:
        stars = min(stars, sr.CAP_STARS)
    return int(stars)


def star_ratings(overall: pd.Series, lowest_s: pd.Series) -> pd.Series:
    """:func:`star_rating` for aligned series of overall and lowest-S scores."""
    return pd.Series(
        [star_rating(float(o), float(m)) for o, m in zip(overall, lowest_s, strict=True)],
        index=overall.index,
        dtype="int64",
    )


# ------------------------------------------------------------------ 6S scores


def _weighted_area_means(rows: pd.DataFrame) -> pd.DataFrame:
    """Per inspection, each S score averaged over its areas with ``AREA_WEIGHTS`` (renormalised
    over the areas inspected; a plain mean when none of them has a weight). Grouped sums, not a
    Python function per inspection."""
    weights = rows["area"].map(sr.AREA_WEIGHTS).fillna(0.0).astype(float)
    values = rows[list(S_COLUMNS)].astype(float)
    parts = pd.concat(
        [
            rows[_INSPECTION_KEYS],
            values.mul(weights, axis=0).add_prefix("weighted_"),
            values.add_prefix("plain_"),
            weights.rename("weight"),
        ],
        axis=1,
    )
    grouped = parts.groupby(_INSPECTION_KEYS, sort=True)
    weighted = grouped[[f"weighted_{c}" for c in S_COLUMNS]].sum()
    plain = grouped[[f"plain_{c}" for c in S_COLUMNS]].mean()
    total = grouped["weight"].sum()
    weighted.columns = plain.columns = list(S_COLUMNS)
    means = weighted.div(total.where(total > 0), axis=0)
    return means.where(total > 0, plain, axis=0).reset_index()


def overall_score(s_scores: pd.DataFrame) -> pd.Series:
    """Overall 6S score: the S scores weighted by ``SIX_S_WEIGHTS`` (over the S present)."""
    weights = np.array([sr.SIX_S_WEIGHTS[c] for c in S_CODES])
    values = s_scores[list(S_COLUMNS)].to_numpy(dtype=float)
    return pd.Series(values @ weights / weights.sum(), index=s_scores.index)


def score_inspections(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per inspection: the six S scores over the areas, overall score, lowest S, stars.

    Areas are combined with ``AREA_WEIGHTS`` (weights of the areas inspected, renormalised).
    """
    columns = [*_INSPECTION_KEYS, *S_COLUMNS, "overall", "lowest_s", "weakest_s", "stars"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    scored = _weighted_area_means(rows)
    scored["overall"] = overall_score(scored)
    s_values = scored[list(S_COLUMNS)]
    scored["lowest_s"] = s_values.min(axis=1)
    scored["weakest_s"] = [S_CODES[i] for i in np.argmin(s_values.to_numpy(), axis=1)]
    scored["stars"] = star_ratings(scored["overall"], scored["lowest_s"])
    return scored.sort_values(["branch_id", "inspected_on", "inspection_id"]).reset_index(drop=True)


def latest_per_branch(scored: pd.DataFrame) -> pd.DataFrame:
    """Each branch's latest inspection, with the overall score's change since the one before."""
    if scored.empty:
        return scored.assign(previous_overall=pd.Series(dtype=float), change=pd.Series(dtype=float))
    ordered = scored.sort_values(["branch_id", "inspected_on", "inspection_id"])
    previous = ordered.groupby("branch_id")["overall"].shift(1)
    ordered = ordered.assign(previous_overall=previous, change=ordered["overall"] - previous)
    return ordered.groupby("branch_id").tail(1).reset_index(drop=True)


def area_profile(rows: pd.DataFrame, inspection_id: int) -> pd.DataFrame:
    """The six S scores of each area in one inspection (rows: areas in rules order)."""
    one = rows[rows["inspection_id"] == inspection_id].set_index("area")
    return one.reindex([a for a in AREA_CODES if a in one.index])[list(S_COLUMNS)]


def quarterly_trend(scored: pd.DataFrame) -> pd.DataFrame:
    """Overall 6S score per branch per quarter (the mean when a quarter has several inspections)."""
    if scored.empty:
        return pd.DataFrame(columns=["branch_id", "quarter_start", "overall", "stars"])
    trend = scored.groupby(["branch_id", "quarter_start"], as_index=False).agg(
        overall=("overall", "mean"), lowest_s=("lowest_s", "min")
    )
    trend["stars"] = star_ratings(trend["overall"], trend["lowest_s"])
    return trend.drop(columns="lowest_s")


def star_distribution(latest: pd.DataFrame) -> pd.DataFrame:
    """How many branches hold each star rating (every rating listed, zeros included)."""
    stars = range(sr.MIN_STARS, max(s for _, s in sr.STAR_BANDS) + 1)
    counts = latest["stars"].value_counts() if len(latest) else pd.Series(dtype="int64")
    frame = pd.DataFrame({"stars": list(stars)})
    frame["count_branches"] = [int(counts.get(s, 0)) for s in frame["stars"]]
    total = frame["count_branches"].sum()
    frame["share_pct"] = frame["count_branches"] / total * 100 if total else 0.0
    return frame


def league_table(latest: pd.DataFrame) -> pd.DataFrame:
    """Branches ranked by their latest overall 6S score (rank 1 = best; ties share a rank)."""
    if latest.empty:
        return latest.assign(rank=pd.Series(dtype="int64"))
    league = latest.sort_values(["overall", "branch_id"], ascending=[False, True]).copy()
    league["rank"] = league["overall"].rank(method="min", ascending=False).astype("int64")
    return league.reset_index(drop=True)


def movers(latest: pd.DataFrame, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` biggest improvers and decliners since each branch's previous inspection.

    Only branches whose score moved by at least ``MOVER_MIN_POINTS`` count.
    """
    moved = latest.dropna(subset=["change"])
    up = moved[moved["change"] >= sr.MOVER_MIN_POINTS].sort_values(
        ["change", "branch_id"], ascending=[False, True]
    )
    down = moved[moved["change"] <= -sr.MOVER_MIN_POINTS].sort_values(["change", "branch_id"])
    return up.head(n).reset_index(drop=True), down.head(n).reset_index(drop=True)


# ------------------------------------------------------------------ service quality


def _component_score(values: pd.Series, component: sr.ServiceComponent) -> pd.Series:
    span = component.best - component.worst
    return ((values.astype(float) - component.worst) / span * 100).clip(0.0, 100.0)


def service_index(monthly: pd.DataFrame) -> pd.DataFrame:
    """Add the derived measures, a 0-100 score per component and the weighted composite index.

    Derived: ``complaints_per_10k`` (complaints per ``COMPLAINTS_PER`` transactions),
    ``off_counter_pct`` (off-counter share of transactions, the counter diversion rate). A month
    without transactions has no complaint rate or share; its index uses the other components.
    """
    frame = monthly.copy()
    txn = frame["count_txn_counter"].astype(float) + frame["count_txn_off_counter"].astype(float)
    txn = txn.where(txn > 0)
    frame["complaints_per_10k"] = frame["count_complaints"] / txn * sr.COMPLAINTS_PER
    frame["off_counter_pct"] = frame["count_txn_off_counter"] / txn * 100
    weighted = pd.Series(0.0, index=frame.index)
    weights = pd.Series(0.0, index=frame.index)
    for component in sr.SERVICE_COMPONENTS:
        score = _component_score(frame[component.column], component)
        frame[f"sq_{component.code}"] = score
        present = score.notna()
        weighted += score.fillna(0.0) * component.weight
        weights += present * component.weight
    frame["service_index"] = weighted / weights.where(weights > 0)
    return frame


def rank_month(indexed: pd.DataFrame, month: pd.Timestamp) -> pd.DataFrame:
    """Branches ranked by the service index in ``month`` (rank 1 = best), with last month's rank."""
    frame = indexed.copy()
    frame["rank"] = (
        frame.groupby("month_start")["service_index"].rank(method="min", ascending=False)
    ).astype("Int64")
    this = frame[frame["month_start"] == month]
    before = frame[frame["month_start"] == month - pd.DateOffset(months=1)]
    this = this.merge(
        before[["branch_id", "rank", "service_index"]].rename(
            columns={"rank": "previous_rank", "service_index": "previous_index"}
        ),
        on="branch_id",
        how="left",
    )
    return this.sort_values(["rank", "branch_id"]).reset_index(drop=True)


def fit_line(x: pd.Series, y: pd.Series) -> dict[str, float] | None:
    """Least-squares line ``y = slope * x + intercept`` and Pearson's r; None under 3 points."""
    data = pd.DataFrame({"x": x, "y": y}).astype(float).dropna()
    if len(data) < 3 or data["x"].nunique() < 2:
        return None
    slope, intercept = np.polyfit(data["x"], data["y"], 1)
    r = float(np.corrcoef(data["x"], data["y"])[0, 1]) if data["y"].nunique() > 1 else 0.0
    return {"slope": float(slope), "intercept": float(intercept), "r": r, "n": float(len(data))}


def branch_outcomes(totals: pd.DataFrame, month: pd.Timestamp, months_back: int) -> pd.DataFrame:
    """Per branch: AUM growth over the window and the churn rate in it (for the service scatter).

    ``totals`` holds one row per branch per month (``aum_rmb``, ``count_customers``,
    ``count_churned``). Growth compares ``month`` with the month before the window; churn rate is
    customers closed in the window per 100 customers at the window's start.
    """
    start = month - pd.DateOffset(months=months_back)
    window = totals[(totals["month_start"] > start) & (totals["month_start"] <= month)]
    base = totals[totals["month_start"] == start].set_index("branch_id")
    if base.empty:  # the data starts inside the window: compare with its first month
        first = window["month_start"].min()
        base = totals[totals["month_start"] == first].set_index("branch_id")
    end = totals[totals["month_start"] == month].set_index("branch_id")
    churned = window.groupby("branch_id")["count_churned"].sum()
    frame = pd.DataFrame(index=end.index)
    start_aum = base["aum_rmb"].reindex(frame.index)
    frame["aum_growth_pct"] = (end["aum_rmb"] / start_aum.where(start_aum > 0) - 1) * 100
    start_customers = base["count_customers"].reindex(frame.index)
    frame["churn_rate_pct"] = (
        churned.reindex(frame.index).fillna(0) / start_customers.where(start_customers > 0) * 100
    )
    return frame.reset_index()


def service_vs_outcomes(index_month: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Average service index over the window per branch, joined to the branch outcomes."""
    mean_index = index_month.groupby("branch_id", as_index=False)["service_index"].mean()
    return mean_index.merge(outcomes, on="branch_id", how="inner")
