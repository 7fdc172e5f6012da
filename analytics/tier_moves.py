"""Tier migration: the matrix, its reconciliation, Sankey links and upgrade/downgrade rates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import rules
from analytics import segment_rules as sr

FROM_ORDER: tuple[str, ...] = (*rules.TIER_CODES, sr.NEW_CODE)
TO_ORDER: tuple[str, ...] = (*rules.TIER_CODES, sr.LEFT_CODE)


def matrix(cells: pd.DataFrame, value: str = "count_customers") -> pd.DataFrame:
    """Pivot ``from_tier, to_tier, <value>`` into a from x to table in tier order.

    Rows: tiers low to high, then ``new``; columns: tiers, then ``left``. Missing cells are 0;
    suppressed cells (NaN) stay NaN. Only rows and columns that occur are kept, except tiers.
    """
    table = cells.pivot_table(
        index="from_tier", columns="to_tier", values=value, aggfunc="sum", dropna=False
    )
    present = set(cells.loc[cells[value].isna(), ["from_tier", "to_tier"]].itertuples(index=False))
    rows = [r for r in FROM_ORDER if r in rules.TIER_CODES or r in table.index]
    columns = [c for c in TO_ORDER if c in rules.TIER_CODES or c in table.columns]
    table = table.reindex(index=rows, columns=columns).astype(float).fillna(0.0)
    for from_tier, to_tier in present:
        table.loc[from_tier, to_tier] = np.nan
    table.index.name, table.columns.name = "from_tier", "to_tier"
    return table


def direction(from_tier: str, to_tier: str) -> str:
    """``up``, ``down``, ``same``, ``left`` or ``new`` for one cell of the matrix."""
    if from_tier == sr.NEW_CODE:
        return "new"
    if to_tier == sr.LEFT_CODE:
        return "left"
    before, after = rules.TIER_BY_CODE[from_tier].rank, rules.TIER_BY_CODE[to_tier].rank
    return "up" if after > before else "down" if after < before else "same"


def summary(cells: pd.DataFrame) -> dict[str, float]:
    """Customers who stayed, moved up, moved down, left and arrived; rates of the starting base.

    Suppressed cells count in no total. Rates are percent of the earlier month's customers.
    """
    frame = cells.dropna(subset=["count_customers"])
    kinds = [direction(f, t) for f, t in zip(frame["from_tier"], frame["to_tier"], strict=True)]
    counts = frame["count_customers"].groupby(pd.Series(kinds, index=frame.index)).sum()
    out = {k: float(counts.get(k, 0.0)) for k in ("same", "up", "down", "left", "new")}
    base = out["same"] + out["up"] + out["down"] + out["left"]
    out["base"] = base
    for kind in ("up", "down", "left"):
        out[f"{kind}_rate_pct"] = out[kind] / base * 100 if base else float("nan")
    return out


def sankey_links(cells: pd.DataFrame, value: str = "count_customers") -> pd.DataFrame:
    """Links for a Sankey: ``source`` / ``target`` node indices, ``value``, codes, direction.

    Nodes 0..n-1 are the earlier month (tiers, then ``new``), n.. the later month (tiers, then
    ``left``); ``nodes`` lists them as (side, code). Suppressed and empty cells are dropped.
    """
    frame = cells.dropna(subset=[value])
    frame = frame[frame[value] > 0]
    left_nodes = [c for c in FROM_ORDER if c in set(frame["from_tier"])]
    right_nodes = [c for c in TO_ORDER if c in set(frame["to_tier"])]
    index_left = {c: i for i, c in enumerate(left_nodes)}
    index_right = {c: len(left_nodes) + i for i, c in enumerate(right_nodes)}
    links = pd.DataFrame(
        {
            "source": frame["from_tier"].map(index_left).to_numpy(),
            "target": frame["to_tier"].map(index_right).to_numpy(),
            "value": frame[value].astype(float).to_numpy(),
            "from_tier": frame["from_tier"].to_numpy(),
            "to_tier": frame["to_tier"].to_numpy(),
        }
    )
    links["direction"] = [
        direction(f, t) for f, t in zip(links["from_tier"], links["to_tier"], strict=True)
    ]
    links.attrs["nodes"] = [("from", c) for c in left_nodes] + [("to", c) for c in right_nodes]
    return links


def branch_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Monthly upgrade and downgrade rates per branch (% of the branch's previous-month base).

    Input: ``branch_id, month_start, count_customers, count_upgraded, count_downgraded`` (the
    window plus the month before it). The first month of each branch has no base and is dropped.
    Adds ``base_customers``, ``upgrade_rate_pct``, ``downgrade_rate_pct``, ``net_rate_pct``.
    """
    ordered = frame.sort_values(["branch_id", "month_start"]).copy()
    month = pd.to_datetime(ordered["month_start"])
    previous_month = month.groupby(ordered["branch_id"]).shift()
    base = ordered.groupby("branch_id")["count_customers"].shift()
    consecutive = previous_month == month - pd.DateOffset(months=1)
    ordered["base_customers"] = base.where(consecutive)
    valid = ordered["base_customers"] > 0
    for kind in ("upgrade", "downgrade"):
        rate = ordered[f"count_{kind}d"].astype(float) / ordered["base_customers"] * 100
        ordered[f"{kind}_rate_pct"] = rate.where(valid)
    ordered["net_rate_pct"] = ordered["upgrade_rate_pct"] - ordered["downgrade_rate_pct"]
    return ordered[ordered["base_customers"].notna()].reset_index(drop=True)


__all__ = [
    "FROM_ORDER",
    "TO_ORDER",
    "branch_rates",
    "direction",
    "matrix",
    "sankey_links",
    "summary",
]
