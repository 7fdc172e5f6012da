"""Segment shares and the Pareto curve: pure functions on the data layer's aggregates."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analytics import segment_rules as sr


def with_shares(breakdown: pd.DataFrame) -> pd.DataFrame:
    """Add ``customer_share_pct``, ``aum_share_pct``, ``avg_aum_rmb`` and ``active_pct``.

    Shares are of the rows shown (suppressed rows, NaN, count in neither numerator nor total).
    """
    out = breakdown.copy()
    customers = pd.to_numeric(out["count_customers"], errors="coerce")
    aum = pd.to_numeric(out["aum_rmb"], errors="coerce")
    total_customers, total_aum = customers.sum(), aum.sum()
    out["customer_share_pct"] = customers / total_customers * 100 if total_customers else np.nan
    out["aum_share_pct"] = aum / total_aum * 100 if total_aum else np.nan
    out["avg_aum_rmb"] = aum / customers.where(customers > 0)
    if "count_active" in out:
        active = pd.to_numeric(out["count_active"], errors="coerce")
        out["active_pct"] = active / customers.where(customers > 0) * 100
    return out


def order_segments(
    frame: pd.DataFrame, order: Sequence[str], column: str = "segment"
) -> pd.DataFrame:
    """Rows in the dimension's natural order (tiers low to high, age bands young to old...)."""
    rank = {code: i for i, code in enumerate(order)}
    keys = frame[column].map(lambda code: rank.get(code, len(rank)))
    return frame.assign(_order=keys).sort_values(["_order", column]).drop(columns="_order")


def pareto_curve(buckets: pd.DataFrame) -> pd.DataFrame:
    """Cumulative customer and AUM shares from the richest slice down, starting at (0, 0).

    Input: ``bucket, count_customers, aum_rmb`` (bucket 1 = richest). Output columns:
    ``customer_share_pct``, ``aum_share_pct`` (both cumulative, 0-100).
    """
    ordered = buckets.sort_values("bucket")
    customers = ordered["count_customers"].astype(float).cumsum()
    aum = ordered["aum_rmb"].astype(float).cumsum()
    total_customers = customers.iloc[-1] if len(customers) else 0.0
    total_aum = aum.iloc[-1] if len(aum) else 0.0
    curve = pd.DataFrame(
        {
            "customer_share_pct": customers / total_customers * 100 if total_customers else 0.0,
            "aum_share_pct": aum / total_aum * 100 if total_aum else 0.0,
        },
        index=customers.index,
    )
    start = pd.DataFrame({"customer_share_pct": [0.0], "aum_share_pct": [0.0]})
    return pd.concat([start, curve], ignore_index=True)


def aum_share_of_top(curve: pd.DataFrame, top_pct: float) -> float:
    """Share of AUM (%) held by the richest ``top_pct`` % of customers (linear between slices)."""
    if curve.empty or curve["customer_share_pct"].iloc[-1] == 0:
        return float("nan")
    return float(np.interp(top_pct, curve["customer_share_pct"], curve["aum_share_pct"]))


def pareto_headlines(curve: pd.DataFrame, tops: Sequence[int] = sr.PARETO_TOP_PCTS) -> pd.DataFrame:
    """``top_pct, aum_share_pct`` for each headline cut ("top 10% hold y%")."""
    return pd.DataFrame(
        {"top_pct": list(tops), "aum_share_pct": [aum_share_of_top(curve, p) for p in tops]}
    )


def spending_per_customer(spending: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """Average monthly card spending per customer by category, long: ``segment, category, rmb``.

    Input: the data layer's ``spending`` frame (sums per segment and ``count_customer_months``);
    also adds each category's share of the segment's spending as ``share_pct``.
    """
    rows = []
    for record in spending.to_dict("records"):
        months = record.get("count_customer_months")
        valid = months is not None and not pd.isna(months) and months > 0
        amounts = {c: (record[f"spend_{c}_rmb"] / months if valid else np.nan) for c in categories}
        total = sum(v for v in amounts.values() if not pd.isna(v))
        for category, value in amounts.items():
            share = value / total * 100 if total and not pd.isna(value) else np.nan
            rows.append(
                {
                    "segment": record["segment"],
                    "category": category,
                    "avg_monthly_rmb": value,
                    "share_pct": share,
                }
            )
    return pd.DataFrame(rows, columns=["segment", "category", "avg_monthly_rmb", "share_pct"])


__all__ = [
    "aum_share_of_top",
    "order_segments",
    "pareto_curve",
    "pareto_headlines",
    "spending_per_customer",
    "with_shares",
]
