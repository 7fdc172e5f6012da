"""Core-bundle coverage (五花大绑) and the stickiness curve, from counts aggregated in SQL.

Inputs are the frames of ``data_access.cross_sell``: customers per group and number of core
products held, per month and number held, and customer-months with the closures of the next
month. Known answers on hand-built frames live in tests/analytics/test_bundle.py.
"""

from __future__ import annotations

import pandas as pd

from analytics import cross_sell_rules as xr

_COUNTS = list(xr.CORE_COUNTS)


def coverage_shares(counts: pd.DataFrame, group: str = "group_key") -> pd.DataFrame:
    """One row per group: customers holding k core products (``count_k``) and their share of the
    group (``share_k``, percent) for k = 0..5, the group total, the average number held and the
    share holding at least ``WELL_BUNDLED_MIN`` (``share_3plus_pct``) and all five."""
    columns = (
        [group, "count_customers", "avg_core_products", "share_3plus_pct", "share_full_pct"]
        + [f"count_{k}" for k in _COUNTS]
        + [f"share_{k}" for k in _COUNTS]
    )
    if counts.empty:
        return pd.DataFrame(columns=columns)
    wide = (
        counts.pivot_table(
            index=group,
            columns="count_core_products",
            values="count_customers",
            aggfunc="sum",
            fill_value=0,
        )
        .reindex(columns=_COUNTS, fill_value=0)
        .astype("int64")
    )
    total = wide.sum(axis=1)
    out = pd.DataFrame(index=wide.index)
    out["count_customers"] = total
    weighted = sum(wide[k] * k for k in _COUNTS)
    safe = total.where(total > 0)
    out["avg_core_products"] = (weighted / safe).fillna(0.0)
    well = wide[[k for k in _COUNTS if k >= xr.WELL_BUNDLED_MIN]].sum(axis=1)
    out["share_3plus_pct"] = (well / safe * 100).fillna(0.0)
    out["share_full_pct"] = (wide[_COUNTS[-1]] / safe * 100).fillna(0.0)
    for k in _COUNTS:
        out[f"count_{k}"] = wide[k]
    for k in _COUNTS:
        out[f"share_{k}"] = (wide[k] / safe * 100).fillna(0.0)
    return out.reset_index()[columns]


def coverage_trend(counts: pd.DataFrame) -> pd.DataFrame:
    """Per month: customers, average core products held, share with >= 3 and with all five."""
    shares = coverage_shares(counts, group="month_start")
    return shares[
        ["month_start", "count_customers", "avg_core_products", "share_3plus_pct", "share_full_pct"]
    ].sort_values("month_start", ignore_index=True)


def stickiness_curve(
    pairs: pd.DataFrame, min_base: int = xr.STICKINESS_MIN_BASE, through: int = _COUNTS[-1]
) -> pd.DataFrame:
    """Monthly churn rate (percent) by number of products held the month before.

    ``pairs``: ``count_core_products``, ``count_base`` (customer-months), ``count_churned``.
    Every number 0..max(``through``, largest held) appears (a missing one with zero base and no
    rate); ``is_thin`` marks a
    rate resting on fewer than ``min_base`` customer-months.
    """
    columns = ["count_core_products", "count_base", "count_churned", "churn_rate_pct", "is_thin"]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    grouped = pairs.groupby("count_core_products")[["count_base", "count_churned"]].sum()
    top = max(int(grouped.index.max()), int(through))
    grouped = grouped.reindex(range(0, top + 1), fill_value=0).astype("int64")
    out = grouped.reset_index().rename(columns={"index": "count_core_products"})
    base = out["count_base"].where(out["count_base"] > 0)
    out["churn_rate_pct"] = out["count_churned"] / base * 100
    out["is_thin"] = out["count_base"] < min_base
    return out[columns]


def stickiness_ratio(curve: pd.DataFrame) -> float | None:
    """How many times likelier to leave is a customer with one product than one with three or
    more (pooled): the headline of the stickiness curve. None without both groups."""
    if curve.empty:
        return None
    one = curve[curve["count_core_products"] <= 1]
    many = curve[curve["count_core_products"] >= xr.WELL_BUNDLED_MIN]
    one_base, many_base = one["count_base"].sum(), many["count_base"].sum()
    if one_base == 0 or many_base == 0:
        return None
    many_rate = many["count_churned"].sum() / many_base
    if many_rate == 0:
        return None
    return float(one["count_churned"].sum() / one_base / many_rate)
