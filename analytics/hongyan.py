"""The Hongyan plan (鸿雁计划): the wealth-manager league, stepwise level targets, productivity,
counter diversion and the move of tellers into advisory roles. Pure functions on DataFrames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import scorecard_rules as sr

LEAGUE_COLUMNS: tuple[str, ...] = (
    "staff_id",
    "branch_id",
    "full_name",
    "hongyan_level",
    "aum_rmb",
    "aum_growth_pct",
    "count_customers",
    "sales_rmb",
    "count_products_sold",
    "count_contacted",
    "count_watchlist",
    "watchlist_coverage_pct",
)


def level_targets() -> pd.DataFrame:
    """The stepwise targets of every level (one row per level), from the rules."""
    return pd.DataFrame(
        [
            {
                "hongyan_level": h.level,
                "name_en": h.name_en,
                "name_zh": h.name_zh,
                "min_aum_rmb": h.min_aum_rmb,
                "sales_rmb": h.sales_rmb,
                "products_sold": h.products_sold,
                "customers_contacted": h.customers_contacted,
                "watchlist_coverage_pct": h.watchlist_coverage_pct,
            }
            for h in sr.HONGYAN_LEVELS
        ]
    )


def league(
    staff: pd.DataFrame,
    staff_month: pd.DataFrame,
    sales: pd.DataFrame,
    contacts: pd.DataFrame,
    watch: pd.DataFrame,
    month: pd.Timestamp,
    base_month: pd.Timestamp,
) -> pd.DataFrame:
    """One row per wealth manager: book, growth, sales, contacts, watchlist coverage, targets met.

    ``staff``: staff_id, branch_id, full_name, hongyan_level. ``staff_month``: rm_staff_id,
    month_start, aum_rmb, count_customers (``month`` and ``base_month``). ``sales``: staff_id,
    sales_rmb, count_products_sold. ``contacts``: staff_id, count_contacted. ``watch``:
    rm_staff_id, count_watchlist, count_watchlist_contacted. Growth compares ``month`` with
    ``base_month``; watchlist coverage is NaN for a manager with no watchlist customers.
    Ranked by AUM managed (rank 1 = largest book).
    """
    frame = staff[["staff_id", "branch_id", "full_name", "hongyan_level"]].copy()
    by = staff_month.rename(columns={"rm_staff_id": "staff_id"})
    now = by[by["month_start"] == month].set_index("staff_id")
    base = by[by["month_start"] == base_month].set_index("staff_id")
    frame["aum_rmb"] = frame["staff_id"].map(now["aum_rmb"]).fillna(0.0)
    frame["count_customers"] = frame["staff_id"].map(now["count_customers"]).fillna(0).astype(int)
    start = frame["staff_id"].map(base["aum_rmb"])
    frame["aum_growth_pct"] = (frame["aum_rmb"] / start.where(start > 0) - 1) * 100
    sold = sales.set_index("staff_id")
    frame["sales_rmb"] = frame["staff_id"].map(sold["sales_rmb"]).fillna(0.0)
    frame["count_products_sold"] = (
        frame["staff_id"].map(sold["count_products_sold"]).fillna(0).astype(int)
    )
    contacted = contacts.set_index("staff_id")["count_contacted"]
    frame["count_contacted"] = frame["staff_id"].map(contacted).fillna(0).astype(int)
    w = watch.rename(columns={"rm_staff_id": "staff_id"}).set_index("staff_id")
    frame["count_watchlist"] = frame["staff_id"].map(w.get("count_watchlist")).fillna(0)
    covered = frame["staff_id"].map(w.get("count_watchlist_contacted")).fillna(0)
    listed = frame["count_watchlist"].where(frame["count_watchlist"] > 0)
    frame["watchlist_coverage_pct"] = covered / listed * 100
    frame["count_watchlist"] = frame["count_watchlist"].astype(int)
    frame = frame.join(_targets_met(frame))
    frame = frame.sort_values(["aum_rmb", "staff_id"], ascending=[False, True])
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame.reset_index(drop=True)


def _targets_met(frame: pd.DataFrame) -> pd.DataFrame:
    """Per manager: measures at or above their level's targets, of those that can be assessed."""
    met = pd.Series(0, index=frame.index, dtype="int64")
    assessed = pd.Series(0, index=frame.index, dtype="int64")
    next_ok = pd.Series(True, index=frame.index)
    top = max(sr.HONGYAN_BY_LEVEL)
    for column, attribute in sr.HONGYAN_MEASURES.items():
        levels = frame["hongyan_level"].fillna(1).astype(int).clip(1, top)
        goal = levels.map(lambda lv, a=attribute: getattr(sr.HONGYAN_BY_LEVEL[lv], a))
        higher = (levels + 1).clip(upper=top)
        next_goal = higher.map(lambda lv, a=attribute: getattr(sr.HONGYAN_BY_LEVEL[lv], a))
        value = frame[column]
        known = value.notna()
        met += (known & (value >= goal)).astype(int)
        assessed += known.astype(int)
        next_ok &= ~known | (value >= next_goal)
    ready = next_ok & (frame["hongyan_level"].fillna(1) < top)
    return pd.DataFrame(
        {"count_targets_met": met, "count_targets_assessed": assessed, "ready_next_level": ready}
    )


def productivity_by_level(table: pd.DataFrame) -> pd.DataFrame:
    """Per level: managers, and per manager AUM, customers, sales, products and contacts."""
    columns = [
        "hongyan_level",
        "count_managers",
        "aum_per_manager_rmb",
        "customers_per_manager",
        "sales_per_manager_rmb",
        "products_per_manager",
        "contacted_per_manager",
        "share_all_targets_met_pct",
    ]
    if table.empty:
        return pd.DataFrame(columns=columns)
    all_met = table["count_targets_met"] >= table["count_targets_assessed"]
    grouped = table.assign(all_met=all_met).groupby("hongyan_level")
    frame = grouped.agg(
        count_managers=("staff_id", "count"),
        aum_per_manager_rmb=("aum_rmb", "mean"),
        customers_per_manager=("count_customers", "mean"),
        sales_per_manager_rmb=("sales_rmb", "mean"),
        products_per_manager=("count_products_sold", "mean"),
        contacted_per_manager=("count_contacted", "mean"),
        share_all_targets_met_pct=("all_met", "mean"),
    ).reset_index()
    frame["share_all_targets_met_pct"] *= 100
    return frame[columns]


def diversion_trend(service: pd.DataFrame) -> pd.DataFrame:
    """Counter diversion rate per month: off-counter transactions over all transactions, in %."""
    if service.empty:
        return pd.DataFrame(columns=["month_start", "count_txn_counter", "count_txn_off_counter"])
    monthly = service.groupby("month_start", as_index=False)[
        ["count_txn_counter", "count_txn_off_counter"]
    ].sum()
    total = monthly["count_txn_counter"] + monthly["count_txn_off_counter"]
    monthly["diversion_pct"] = monthly["count_txn_off_counter"] / total.where(total > 0) * 100
    return monthly


def role_moves(staff: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Tellers who moved into advisory roles, per month from ``first`` to ``last``.

    ``staff``: role, previous_role, role_since. Columns: month_start, one count per advisory role
    moved into that month, ``count_moved`` (all of them) and ``cumulative`` (every such move up
    to the month, including those before ``first``).
    """
    months = pd.date_range(pd.Timestamp(first), pd.Timestamp(last), freq="MS")
    moved = staff[
        (staff["previous_role"] == "teller") & staff["role"].isin(sr.ADVISORY_ROLES)
    ].copy()
    moved["month_start"] = pd.to_datetime(moved["role_since"]).dt.to_period("M").dt.to_timestamp()
    frame = pd.DataFrame({"month_start": months})
    for role in sr.ADVISORY_ROLES:
        counts = moved[moved["role"] == role].groupby("month_start").size()
        frame[role] = frame["month_start"].map(counts).fillna(0).astype(int)
    frame["count_moved"] = frame[list(sr.ADVISORY_ROLES)].sum(axis=1)
    before = int((moved["month_start"] < pd.Timestamp(first)).sum())
    frame["cumulative"] = before + frame["count_moved"].cumsum()
    return frame
